//! Writing GENIUS XML in the shape of the ANAC files, so that GENIUS, NegMAS and this crate's
//! parser read it back.

use std::fmt::Write as _;

use crate::model::{
    ConstraintKind, ConstraintUtility, Domain, DomainIssue, IssueEvaluator, IssueKind, Profile,
    ProfileIssue, RealFunction,
};

/// Writes a domain as a GENIUS `negotiation_template` file.
///
/// Parsing the result with [`crate::parse_domain`] gives `domain` back. Characters that XML 1.0
/// cannot hold at all (control characters other than tab, line feed and carriage return, and
/// U+FFFE and U+FFFF) are written as U+FFFD; the parser never produces them.
pub fn write_domain(domain: &Domain) -> String {
    let mut res = String::new();
    res.push_str("<negotiation_template>\n");
    let _ = writeln!(res, "  <utility_space number_of_issues=\"{}\">", domain.issues.len());
    write_objective_start(&mut res, domain, DOMAIN_OBJECTIVE_DEPTH);
    for issue in &domain.issues {
        write_domain_issue(&mut res, issue);
    }
    res.push_str("    </objective>\n");
    res.push_str("  </utility_space>\n");
    res.push_str("</negotiation_template>\n");
    res
}

/// Writes a profile as a GENIUS `utility_space` file.
///
/// The domain gives the root objective's name; the issues, evaluations and weights come from
/// the profile alone, so parsing the result with [`crate::parse_profile`] gives `profile` back.
/// The profile should fit the domain, as the profiles of a [`crate::Scenario`] do. Numbers are
/// written so that they read back exactly; characters XML cannot hold are handled as in
/// [`write_domain`].
pub fn write_profile(domain: &Domain, profile: &Profile) -> String {
    let mut res = String::new();
    let space_type = if profile.constraints.is_some() { " type=\"nonlinear\"" } else { "" };
    let _ =
        writeln!(res, "<utility_space{space_type} number_of_issues=\"{}\">", profile.issues.len());
    write_objective_start(&mut res, domain, PROFILE_OBJECTIVE_DEPTH);
    for issue in &profile.issues {
        write_profile_issue(&mut res, issue);
    }
    if let Some(constraints) = &profile.constraints {
        write_constraints(&mut res, constraints);
    }
    for issue in &profile.issues {
        if let Some(weight) = issue.weight {
            let _ = writeln!(
                res,
                "    <weight index=\"{}\" value=\"{}\"></weight>",
                issue.index,
                number(weight)
            );
        }
    }
    res.push_str("  </objective>\n");
    if let Some(reservation) = profile.reservation {
        let _ = writeln!(res, "  <reservation value=\"{}\"></reservation>", number(reservation));
    }
    if let Some(discount_factor) = profile.discount_factor {
        let _ = writeln!(
            res,
            "  <discount_factor value=\"{}\"></discount_factor>",
            number(discount_factor)
        );
    }
    res.push_str("</utility_space>\n");
    res
}

/// How deep the root objective sits: inside `negotiation_template` and `utility_space` in a
/// domain file, inside `utility_space` in a profile. Issues and items sit one and two deeper.
const DOMAIN_OBJECTIVE_DEPTH: usize = 2;
const PROFILE_OBJECTIVE_DEPTH: usize = 1;

fn indent(res: &mut String, depth: usize) {
    for _ in 0..depth {
        res.push_str("  ");
    }
}

fn write_objective_start(res: &mut String, domain: &Domain, depth: usize) {
    indent(res, depth);
    let _ = writeln!(
        res,
        "<objective index=\"0\" description=\"\" name=\"{}\" type=\"objective\" etype=\"objective\">",
        escape_attribute(&domain.name)
    );
}

fn write_issue_start(
    res: &mut String,
    depth: usize,
    index: u32,
    name: &str,
    kind: &str,
    bounds: Option<(String, String)>,
) {
    indent(res, depth);
    let _ = write!(
        res,
        "<issue index=\"{index}\" name=\"{}\" vtype=\"{kind}\" type=\"{kind}\" etype=\"{kind}\"",
        escape_attribute(name)
    );
    if let Some((lower, upper)) = bounds {
        let _ = write!(res, " lowerbound=\"{lower}\" upperbound=\"{upper}\"");
    }
    res.push('>');
}

fn write_domain_issue(res: &mut String, issue: &DomainIssue) {
    let depth = DOMAIN_OBJECTIVE_DEPTH + 1;
    match &issue.kind {
        IssueKind::Discrete { values } => {
            write_issue_start(res, depth, issue.index, &issue.name, "discrete", None);
            res.push('\n');
            for (value_idx, value) in values.iter().enumerate() {
                indent(res, depth + 1);
                let _ = writeln!(
                    res,
                    "<item index=\"{}\" value=\"{}\"></item>",
                    value_idx + 1,
                    escape_attribute(value)
                );
            }
            indent(res, depth);
            res.push_str("</issue>\n");
        }
        IssueKind::Integer { lower, upper } => {
            let bounds = Some((lower.to_string(), upper.to_string()));
            write_issue_start(res, depth, issue.index, &issue.name, "integer", bounds);
            res.push_str("</issue>\n");
        }
        IssueKind::Real { lower, upper } => {
            write_issue_start(res, depth, issue.index, &issue.name, "real", None);
            res.push('\n');
            write_range(res, depth + 1, *lower, *upper);
            indent(res, depth);
            res.push_str("</issue>\n");
        }
    }
}

/// A real issue's bounds, in the `<range>` child where GENIUS reads them.
fn write_range(res: &mut String, depth: usize, lower: f64, upper: f64) {
    indent(res, depth);
    let _ = writeln!(
        res,
        "<range lowerbound=\"{}\" upperbound=\"{}\"></range>",
        number(lower),
        number(upper)
    );
}

fn write_profile_issue(res: &mut String, issue: &ProfileIssue) {
    let depth = PROFILE_OBJECTIVE_DEPTH + 1;
    match &issue.evaluator {
        IssueEvaluator::Discrete { evaluations } => {
            write_issue_start(res, depth, issue.index, &issue.name, "discrete", None);
            res.push('\n');
            for (value_idx, value_evaluation) in evaluations.iter().enumerate() {
                indent(res, depth + 1);
                let _ = writeln!(
                    res,
                    "<item index=\"{}\" value=\"{}\" evaluation=\"{}\"></item>",
                    value_idx + 1,
                    escape_attribute(&value_evaluation.value),
                    number(value_evaluation.evaluation)
                );
            }
        }
        IssueEvaluator::Unevaluated { lower, upper } => {
            let bounds = Some((lower.to_string(), upper.to_string()));
            write_issue_start(res, depth, issue.index, &issue.name, "integer", bounds);
            res.push('\n');
        }
        IssueEvaluator::Real(real) => {
            write_issue_start(res, depth, issue.index, &issue.name, "real", None);
            res.push('\n');
            write_range(res, depth + 1, real.lower, real.upper);
            indent(res, depth + 1);
            let (ftype, parameters) = match real.function {
                RealFunction::Linear { parameter0, parameter1 } => {
                    ("linear", vec![parameter0, parameter1])
                }
                RealFunction::Constant { parameter0 } => ("constant", vec![parameter0]),
                RealFunction::Triangular { parameter0, parameter1, parameter2 } => {
                    ("triangular", vec![parameter0, parameter1, parameter2])
                }
                RealFunction::TriangularVariableTop {
                    parameter0,
                    parameter1,
                    parameter2,
                    parameter3,
                } => (
                    "triangular_variable_top",
                    vec![parameter0, parameter1, parameter2, parameter3],
                ),
            };
            let _ = write!(res, "<evaluator ftype=\"{ftype}\"");
            for (parameter_idx, parameter) in parameters.into_iter().enumerate() {
                let _ = write!(res, " parameter{parameter_idx}=\"{}\"", number(parameter));
            }
            res.push_str("></evaluator>\n");
        }
        IssueEvaluator::Integer(linear) => {
            let bounds = Some((linear.lower.to_string(), linear.upper.to_string()));
            write_issue_start(res, depth, issue.index, &issue.name, "integer", bounds);
            res.push('\n');
            indent(res, depth + 1);
            let _ = writeln!(
                res,
                "<evaluator ftype=\"linear\" slope=\"{}\" offset=\"{}\"></evaluator>",
                number(linear.slope),
                number(linear.offset)
            );
        }
    }
    indent(res, depth);
    res.push_str("</issue>\n");
}

/// A non-linear profile's `<utility>`: one summing `<ufun>` of hyper-rectangles, each with its
/// flattened value as its utility.
fn write_constraints(res: &mut String, constraints: &ConstraintUtility) {
    let depth = PROFILE_OBJECTIVE_DEPTH + 1;
    indent(res, depth);
    let _ = writeln!(res, "<utility maxutility=\"{}\">", number(constraints.max_utility));
    indent(res, depth + 1);
    res.push_str("<ufun type=\"PlainUfun\" weight=\"1\" aggregation=\"sum\">\n");
    for constraint in &constraints.constraints {
        indent(res, depth + 2);
        let _ = writeln!(res, "<hyperRectangle utility=\"{}\">", number(constraint.value));
        let tag = match constraint.kind {
            ConstraintKind::Includes => "INCLUDES",
            ConstraintKind::Excludes => "EXCLUDES",
        };
        for bound in &constraint.bounds {
            indent(res, depth + 3);
            let _ = writeln!(
                res,
                "<{tag} index=\"{}\" min=\"{}\" max=\"{}\"/>",
                bound.index, bound.min, bound.max
            );
        }
        indent(res, depth + 2);
        res.push_str("</hyperRectangle>\n");
    }
    indent(res, depth + 1);
    res.push_str("</ufun>\n");
    indent(res, depth);
    res.push_str("</utility>\n");
}

/// Rust's `Debug` for `f64` is the shortest text that reads back to the same number, and
/// Java's `Double.valueOf` (GENIUS) reads all of its forms (`0.5`, `370.0`, `1e-7`).
fn number(value: f64) -> String {
    format!("{value:?}")
}

/// Escapes a value for a double-quoted attribute.
///
/// Tab, line feed and carriage return become character references because XML parsers turn
/// them into spaces when they appear literally in an attribute.
pub(crate) fn escape_attribute(value: &str) -> String {
    let mut res = String::with_capacity(value.len());
    for character in value.chars() {
        match character {
            '&' => res.push_str("&amp;"),
            '<' => res.push_str("&lt;"),
            '>' => res.push_str("&gt;"),
            '"' => res.push_str("&quot;"),
            '\t' => res.push_str("&#9;"),
            '\n' => res.push_str("&#10;"),
            '\r' => res.push_str("&#13;"),
            character if is_xml_char(character) => res.push(character),
            _ => res.push(char::REPLACEMENT_CHARACTER),
        }
    }
    res
}

/// Whether XML 1.0 allows the character anywhere in a document.
pub(crate) fn is_xml_char(character: char) -> bool {
    matches!(character, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests;
