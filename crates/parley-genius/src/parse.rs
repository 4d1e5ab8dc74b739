//! Reading GENIUS XML: telling domains from profiles by content, and parsing each into the
//! plain data of [`crate::model`], with errors that point at the file, line and column.

use std::collections::{HashMap, HashSet};

use roxmltree::{Document, Node};

use crate::check::{self, Place, Problem};
use crate::error::{Error, Location, Result};
use crate::model::{
    Domain, DomainIssue, IssueEvaluator, IssueKind, LinearEvaluator, Profile, ProfileIssue,
    ValueEvaluation,
};

/// What a GENIUS file holds, judged by its content (see [`classify`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A `negotiation_template`, or a `utility_space` without weights or evaluations.
    Domain,
    /// A `utility_space` with weights or evaluations.
    Profile,
}

/// One parsed XML file together with its name, so that errors can point into it.
struct Source<'a, 'input> {
    file_name: &'a str,
    doc: &'a Document<'input>,
}

impl Source<'_, '_> {
    fn location(&self, node: Node<'_, '_>) -> Location {
        let position = self.doc.text_pos_at(node.range().start);
        Location { file: self.file_name.to_owned(), line: position.row, column: position.col }
    }

    fn invalid(&self, node: Node<'_, '_>, message: String) -> Error {
        Error::InvalidElement {
            location: self.location(node),
            element: node.tag_name().name().to_owned(),
            message,
        }
    }

    fn unsupported(&self, node: Node<'_, '_>, message: String) -> Error {
        Error::Unsupported {
            location: self.location(node),
            element: node.tag_name().name().to_owned(),
            message,
        }
    }

    /// An error for a problem found by [`crate::check`], at the element its place names.
    fn error_for_problem(
        &self,
        fallback: Node<'_, '_>,
        node: Option<Node<'_, '_>>,
        problem: Problem,
    ) -> Error {
        let node = node.unwrap_or(fallback);
        Error::InvalidElement {
            location: self.location(node),
            element: problem.element.to_owned(),
            message: problem.message,
        }
    }

    fn required_attribute<'n>(&self, node: Node<'n, '_>, attribute: &str) -> Result<&'n str> {
        node.attribute(attribute).ok_or_else(|| {
            self.invalid(node, format!("has no attribute '{attribute}', expected one"))
        })
    }

    fn number(&self, node: Node<'_, '_>, attribute: &str, sign: Sign) -> Result<f64> {
        let text = self.required_attribute(node, attribute)?;
        let Ok(number) = text.trim().parse::<f64>() else {
            return Err(self.invalid(node, format!("has {attribute} '{text}', expected a number")));
        };
        if !number.is_finite() {
            let message = format!("has {attribute} '{text}', expected a finite number");
            return Err(self.invalid(node, message));
        }
        if sign == Sign::NotNegative && number < 0.0 {
            let message =
                format!("has {attribute} '{text}', expected a number that is not negative");
            return Err(self.invalid(node, message));
        }
        Ok(number)
    }

    fn integer(&self, node: Node<'_, '_>, attribute: &str) -> Result<i64> {
        let text = self.required_attribute(node, attribute)?;
        text.trim().parse::<i64>().map_err(|_| {
            self.invalid(node, format!("has {attribute} '{text}', expected an integer"))
        })
    }

    fn index(&self, node: Node<'_, '_>) -> Result<u32> {
        let text = self.required_attribute(node, "index")?;
        text.trim()
            .parse::<u32>()
            .map_err(|_| self.invalid(node, format!("has index '{text}', expected a whole number")))
    }

    fn unexpected_child(&self, child: Node<'_, '_>, parent: Node<'_, '_>, expected: &str) -> Error {
        let message =
            format!("is not expected inside <{}>, expected {expected}", parent.tag_name().name());
        self.invalid(child, message)
    }

    /// The single child element named `tag`; any other child element is refused.
    fn only_child<'n, 'input>(
        &self,
        parent: Node<'n, 'input>,
        tag: &str,
        ignored: &[&str],
    ) -> Result<Node<'n, 'input>> {
        let mut found = None;
        for child in child_elements(parent) {
            let name = child.tag_name().name();
            if ignored.contains(&name) {
                continue;
            }
            if name != tag {
                return Err(self.unexpected_child(child, parent, &format!("only <{tag}>")));
            }
            if found.is_some() {
                let message =
                    format!("appears twice inside <{}>, expected once", parent.tag_name().name());
                return Err(self.invalid(child, message));
            }
            found = Some(child);
        }
        found.ok_or_else(|| self.invalid(parent, format!("has no <{tag}>, expected one")))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sign {
    Any,
    NotNegative,
}

fn child_elements<'n, 'input>(node: Node<'n, 'input>) -> impl Iterator<Item = Node<'n, 'input>> {
    node.children().filter(Node::is_element)
}

/// The text of a file's bytes, or a [`Error::MalformedXml`] at the first byte that is not
/// UTF-8 (the line and column of that byte). GENIUS files are UTF-8 (or ASCII).
pub fn decode_file<'a>(file_name: &str, bytes: &'a [u8]) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|error| {
        let offset = error.valid_up_to();
        let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        let line_start = valid.rfind('\n').map_or(0, |newline_idx| newline_idx + 1);
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Error::MalformedXml {
            location: Location {
                file: file_name.to_owned(),
                line: count(valid.matches('\n').count() + 1),
                column: count(valid[line_start..].chars().count() + 1),
            },
            message: parley_model::scenario_file::utf8_message(bytes, &error),
        }
    })
}

fn parse_xml<'input>(file_name: &str, text: &'input str) -> Result<Document<'input>> {
    // GENIUS files are sometimes saved with a byte order mark, which the XML parser refuses.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Document::parse(text).map_err(|error| {
        let position = error.pos();
        // The XML parser's message ends with the position, which the location already gives.
        let message = error.to_string();
        let suffix = format!(" at {}:{}", position.row, position.col);
        let message = message.strip_suffix(&suffix).unwrap_or(&message).to_owned();
        Error::MalformedXml {
            location: Location {
                file: file_name.to_owned(),
                line: position.row,
                column: position.col,
            },
            message,
        }
    })
}

fn classify_document(source: &Source<'_, '_>) -> Result<FileKind> {
    let root = source.doc.root_element();
    match root.tag_name().name() {
        "negotiation_template" => Ok(FileKind::Domain),
        "utility_space" => {
            let is_profile = root.descendants().any(|node| {
                node.has_tag_name("weight")
                    || node.has_tag_name("evaluator")
                    || (node.has_tag_name("item") && node.has_attribute("evaluation"))
            });
            Ok(if is_profile { FileKind::Profile } else { FileKind::Domain })
        }
        other => Err(source.invalid(
            root,
            format!("is not a GENIUS root element ('{other}'), expected <negotiation_template> or <utility_space>"),
        )),
    }
}

/// Tells a domain from a profile by the file's content, not its name; an error when the text
/// is not XML or its root is not a GENIUS one.
pub fn classify(file_name: &str, text: &str) -> Result<FileKind> {
    let doc = parse_xml(file_name, text)?;
    classify_document(&Source { file_name, doc: &doc })
}

/// Parses a GENIUS domain file.
///
/// The root is `<negotiation_template>` (its `<agent>` elements are ignored) holding a
/// `<utility_space>`, or a bare `<utility_space>` without weights or evaluations. Inside is one
/// `<objective>` whose `<issue>` children are discrete or integer issues.
pub fn parse_domain(file_name: &str, text: &str) -> Result<Domain> {
    let doc = parse_xml(file_name, text)?;
    let source = Source { file_name, doc: &doc };
    let root = doc.root_element();
    if classify_document(&source)? != FileKind::Domain {
        let message = "has weights or evaluations, so this is a profile, expected a domain";
        return Err(source.invalid(root, message.to_owned()));
    }
    let utility_space = if root.has_tag_name("negotiation_template") {
        source.only_child(root, "utility_space", &["agent"])?
    } else {
        root
    };
    let objective = source.only_child(utility_space, "objective", &[])?;
    let mut issues = Vec::new();
    let mut issue_nodes = Vec::new();
    for child in child_elements(objective) {
        match child.tag_name().name() {
            "issue" => {
                issues.push(parse_domain_issue(&source, child)?);
                issue_nodes.push(child);
            }
            "objective" => return Err(nested_objective(&source, child)),
            _ => return Err(source.unexpected_child(child, objective, "only <issue>")),
        }
    }
    let domain =
        Domain { name: objective.attribute("name").unwrap_or_default().to_owned(), issues };
    check::check_domain(&domain).map_err(|problem| {
        let node = place_node(problem.place, &issue_nodes, nth_item);
        source.error_for_problem(objective, node, problem)
    })?;
    Ok(domain)
}

fn nth_item<'n, 'input>(issue_node: Node<'n, 'input>, item_idx: usize) -> Option<Node<'n, 'input>> {
    child_elements(issue_node).filter(|node| node.has_tag_name("item")).nth(item_idx)
}

fn place_node<'n, 'input>(
    place: Place,
    issue_nodes: &[Node<'n, 'input>],
    item_node: impl Fn(Node<'n, 'input>, usize) -> Option<Node<'n, 'input>>,
) -> Option<Node<'n, 'input>> {
    match place {
        Place::Objective => None,
        Place::Issue(issue_idx) => issue_nodes.get(issue_idx).copied(),
        Place::Item(issue_idx, item_idx) => {
            let issue_node = issue_nodes.get(issue_idx).copied()?;
            item_node(issue_node, item_idx).or(Some(issue_node))
        }
    }
}

fn nested_objective(source: &Source<'_, '_>, node: Node<'_, '_>) -> Error {
    let message = "inside the root <objective> (a GENIUS objective tree deeper than one level) is not supported";
    source.unsupported(node, message.to_owned())
}

/// The issue's type from `type`, `etype` and `vtype`, which must agree where present.
/// GENIUS reads a missing type as discrete.
fn issue_type<'n>(source: &Source<'_, '_>, node: Node<'n, '_>) -> Result<&'n str> {
    let mut issue_type = None;
    for attribute in ["type", "etype", "vtype"] {
        let Some(value) = node.attribute(attribute) else { continue };
        match issue_type {
            None => issue_type = Some((attribute, value)),
            Some((first_attribute, first_value)) if first_value != value => {
                let message = format!(
                    "has {first_attribute} '{first_value}' but {attribute} '{value}', expected them to agree"
                );
                return Err(source.invalid(node, message));
            }
            Some(_) => {}
        }
    }
    let issue_type = issue_type.map_or("discrete", |(_, value)| value);
    match issue_type {
        "discrete" | "integer" => Ok(issue_type),
        "real" => Err(source.unsupported(
            node,
            "has type 'real': real-valued (continuous) issues are not supported".to_owned(),
        )),
        other => Err(source
            .unsupported(node, format!("has type '{other}', expected 'discrete' or 'integer'"))),
    }
}

fn parse_domain_issue(source: &Source<'_, '_>, node: Node<'_, '_>) -> Result<DomainIssue> {
    let index = source.index(node)?;
    let name = source.required_attribute(node, "name")?.to_owned();
    let kind = match issue_type(source, node)? {
        "integer" => {
            if let Some(child) = child_elements(node).next() {
                return Err(source.unexpected_child(child, node, "no children"));
            }
            IssueKind::Integer {
                lower: source.integer(node, "lowerbound")?,
                upper: source.integer(node, "upperbound")?,
            }
        }
        _ => {
            let mut values = Vec::new();
            for child in child_elements(node) {
                if !child.has_tag_name("item") {
                    return Err(source.unexpected_child(child, node, "only <item>"));
                }
                if let Some(grandchild) = child_elements(child).next() {
                    return Err(source.unexpected_child(grandchild, child, "no children"));
                }
                values.push(source.required_attribute(child, "value")?.to_owned());
            }
            IssueKind::Discrete { values }
        }
    };
    Ok(DomainIssue { name, index, kind })
}

/// Parses a GENIUS utility profile on its own, without a domain to check it against.
///
/// The root is `<utility_space>` holding one `<objective>` (with `<issue>` and `<weight>`
/// children) and optionally `<reservation>` and `<discount_factor>`. Discrete issues carry an
/// `evaluation` on each `<item>`; integer issues carry one linear `<evaluator>`.
/// `<similarity_function>` blocks inside issues are ignored, as GENIUS ignores them.
pub fn parse_profile(file_name: &str, text: &str) -> Result<Profile> {
    parse_profile_for(file_name, text, None)
}

/// Parses a profile and, when a domain is given, checks that it evaluates exactly that domain.
pub(crate) fn parse_profile_for(
    file_name: &str,
    text: &str,
    domain: Option<&Domain>,
) -> Result<Profile> {
    let doc = parse_xml(file_name, text)?;
    let source = Source { file_name, doc: &doc };
    let root = doc.root_element();
    if classify_document(&source)? != FileKind::Profile {
        let message = if root.has_tag_name("negotiation_template") {
            "is a domain, expected a profile (a <utility_space> with weights and evaluations)"
        } else {
            "has no weights or evaluations, so this is a domain, expected a profile"
        };
        return Err(source.invalid(root, message.to_owned()));
    }
    let mut objective = None;
    let mut reservation = None;
    let mut discount_factor = None;
    for child in child_elements(root) {
        let (slot, sign) = match child.tag_name().name() {
            "objective" => {
                if objective.is_some() {
                    return Err(source.invalid(
                        child,
                        "appears twice inside <utility_space>, expected once".to_owned(),
                    ));
                }
                objective = Some(child);
                continue;
            }
            "reservation" => (&mut reservation, Sign::Any),
            "discount_factor" => (&mut discount_factor, Sign::Any),
            _ => {
                let expected = "only <objective>, <reservation> and <discount_factor>";
                return Err(source.unexpected_child(child, root, expected));
            }
        };
        if slot.is_some() {
            let message = "appears twice inside <utility_space>, expected at most once";
            return Err(source.invalid(child, message.to_owned()));
        }
        *slot = Some((source.number(child, "value", sign)?, child));
    }
    let objective = objective
        .ok_or_else(|| source.invalid(root, "has no <objective>, expected one".to_owned()))?;
    let (issues, issue_nodes) = parse_objective(&source, objective)?;
    let profile = Profile {
        issues,
        reservation: reservation.map(|(value, _)| value),
        discount_factor: discount_factor.map(|(value, _)| value),
    };
    check::check_profile(&profile).map_err(|problem| {
        let node = match problem.element {
            "reservation" => reservation.map(|(_, node)| node),
            "discount_factor" => discount_factor.map(|(_, node)| node),
            _ => place_node(problem.place, &issue_nodes, nth_item),
        };
        source.error_for_problem(objective, node, problem)
    })?;
    if let Some(domain) = domain {
        check::check_profile_against_domain(domain, &profile).map_err(|problem| {
            let node = place_node(problem.place, &issue_nodes, nth_item);
            source.error_for_problem(objective, node, problem)
        })?;
    }
    Ok(profile)
}

type ParsedIssues<'n, 'input> = (Vec<ProfileIssue>, Vec<Node<'n, 'input>>);

fn parse_objective<'n, 'input>(
    source: &Source<'_, '_>,
    objective: Node<'n, 'input>,
) -> Result<ParsedIssues<'n, 'input>> {
    let mut issues = Vec::new();
    let mut issue_nodes = Vec::new();
    // Issue positions and weights by index, so that a long objective is read in linear time.
    let mut issue_by_index: HashMap<u32, usize> = HashMap::new();
    let mut weights: Vec<(u32, f64, Node<'_, '_>)> = Vec::new();
    let mut weight_indices: HashSet<u32> = HashSet::new();
    for child in child_elements(objective) {
        match child.tag_name().name() {
            "issue" => {
                let issue = parse_profile_issue(source, child)?;
                if issue_by_index.insert(issue.index, issues.len()).is_some() {
                    let message =
                        format!("has index '{}', which an earlier <issue> has too", issue.index);
                    return Err(source.invalid(child, message));
                }
                issues.push(issue);
                issue_nodes.push(child);
            }
            "weight" => {
                let index = source.index(child)?;
                let value = source.number(child, "value", Sign::NotNegative)?;
                if !weight_indices.insert(index) {
                    let message = format!("has index '{index}', which an earlier <weight> has too");
                    return Err(source.invalid(child, message));
                }
                weights.push((index, value, child));
            }
            "objective" => return Err(nested_objective(source, child)),
            "utility_function" | "utility" => {
                let message = "(a non-linear, hyper-rectangle utility) is not supported, only weighted issue evaluations are";
                return Err(source.unsupported(child, message.to_owned()));
            }
            _ => {
                return Err(source.unexpected_child(child, objective, "only <issue> and <weight>"));
            }
        }
    }
    for (index, value, node) in weights {
        let Some(issue) = issue_by_index.get(&index).map(|&issue_idx| &mut issues[issue_idx])
        else {
            let message = format!("has index '{index}', but no <issue> has that index");
            return Err(source.invalid(node, message));
        };
        issue.weight = Some(value);
    }
    Ok((issues, issue_nodes))
}

fn parse_profile_issue(source: &Source<'_, '_>, node: Node<'_, '_>) -> Result<ProfileIssue> {
    let index = source.index(node)?;
    let name = source.required_attribute(node, "name")?.to_owned();
    let evaluator = match issue_type(source, node)? {
        "integer" => {
            let lower = source.integer(node, "lowerbound")?;
            let upper = source.integer(node, "upperbound")?;
            let evaluator_node = source.only_child(node, "evaluator", &["similarity_function"])?;
            let function_type = source.required_attribute(evaluator_node, "ftype")?;
            if function_type != "linear" {
                let message = format!("has ftype '{function_type}', only 'linear' is supported");
                return Err(source.unsupported(evaluator_node, message));
            }
            IssueEvaluator::Integer(LinearEvaluator {
                lower,
                upper,
                slope: source.number(evaluator_node, "slope", Sign::Any)?,
                offset: source.number(evaluator_node, "offset", Sign::Any)?,
            })
        }
        _ => {
            let mut evaluations = Vec::new();
            for child in child_elements(node) {
                match child.tag_name().name() {
                    "item" => {
                        if let Some(grandchild) = child_elements(child).next() {
                            return Err(source.unexpected_child(grandchild, child, "no children"));
                        }
                        evaluations.push(ValueEvaluation {
                            value: source.required_attribute(child, "value")?.to_owned(),
                            evaluation: source.number(child, "evaluation", Sign::NotNegative)?,
                        });
                    }
                    // Case-based similarity data (y2011 Car); GENIUS's additive utility ignores it.
                    "similarity_function" => {}
                    "evaluator" => {
                        let message = "inside a discrete <issue> is not supported, expected <item> evaluations";
                        return Err(source.unsupported(child, message.to_owned()));
                    }
                    _ => return Err(source.unexpected_child(child, node, "only <item>")),
                }
            }
            IssueEvaluator::Discrete { evaluations }
        }
    };
    Ok(ProfileIssue { index, name, weight: None, evaluator })
}

#[cfg(test)]
mod tests;
