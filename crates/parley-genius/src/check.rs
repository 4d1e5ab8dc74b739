//! Semantic checks shared by the parser and [`crate::Scenario::new`]: a domain is well formed,
//! and a profile evaluates exactly the domain's issues and values.
//!
//! A check reports a [`Problem`] at a [`Place`] in the data; the parser turns the place into
//! the file position of the matching element, while `Scenario::new` only has the message.

use std::collections::{HashMap, HashSet};

use crate::model::{
    ConstraintUtility, Domain, DomainIssue, IssueEvaluator, IssueKind, LinearEvaluator, Profile,
    ProfileIssue, RealEvaluator, RealFunction,
};

/// The most options an integer issue may have, because the normalised view lists each one.
pub(crate) const MAX_INTEGER_OPTIONS: i128 = 1_000_000;

/// Where in a domain or profile a problem was found, by position in its lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// The root `<objective>`.
    Objective,
    /// The issue at this position.
    Issue(usize),
    /// The value (domain) or evaluation (profile) at the second position of the issue at the
    /// first position.
    Item(usize, usize),
}

/// One problem: where, which element, and a message that starts after the element's name.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    pub(crate) place: Place,
    pub(crate) element: &'static str,
    pub(crate) message: String,
}

impl Problem {
    fn new(place: Place, element: &'static str, message: String) -> Problem {
        Problem { place, element, message }
    }

    /// The problem as one line without a position: `<element> message`.
    pub(crate) fn to_message(&self) -> String {
        format!("<{}> {}", self.element, self.message)
    }
}

/// Checks that issue names and indices are unique and that every issue has options.
pub(crate) fn check_domain(domain: &Domain) -> Result<(), Problem> {
    if domain.issues.is_empty() {
        return Err(Problem::new(
            Place::Objective,
            "objective",
            "has no <issue>, expected at least one".to_owned(),
        ));
    }
    let mut seen_names = HashSet::new();
    let mut seen_indices = HashSet::new();
    for (issue_idx, issue) in domain.issues.iter().enumerate() {
        let place = Place::Issue(issue_idx);
        if !seen_names.insert(issue.name.as_str()) {
            let message = format!("has name '{}', which an earlier <issue> has too", issue.name);
            return Err(Problem::new(place, "issue", message));
        }
        if !seen_indices.insert(issue.index) {
            let message = format!("has index '{}', which an earlier <issue> has too", issue.index);
            return Err(Problem::new(place, "issue", message));
        }
        match &issue.kind {
            IssueKind::Discrete { values } => {
                if values.is_empty() {
                    let message =
                        format!("'{}' has no <item>, expected at least one value", issue.name);
                    return Err(Problem::new(place, "issue", message));
                }
                let mut seen_values = HashSet::new();
                for (value_idx, value) in values.iter().enumerate() {
                    if !seen_values.insert(value.as_str()) {
                        let message =
                            format!("has value '{value}', which an earlier <item> has too");
                        return Err(Problem::new(
                            Place::Item(issue_idx, value_idx),
                            "item",
                            message,
                        ));
                    }
                }
            }
            IssueKind::Integer { lower, upper } => {
                check_bounds(place, &issue.name, *lower, *upper)?
            }
            IssueKind::Real { lower, upper } => {
                check_real_bounds(place, &issue.name, *lower, *upper)?
            }
        }
    }
    Ok(())
}

fn check_real_bounds(place: Place, name: &str, lower: f64, upper: f64) -> Result<(), Problem> {
    if !(lower.is_finite() && upper.is_finite() && lower < upper) {
        let message = format!(
            "'{name}' has lowerbound '{lower}' and upperbound '{upper}', expected finite numbers with lowerbound < upperbound"
        );
        return Err(Problem::new(place, "issue", message));
    }
    Ok(())
}

/// Checks a real issue's evaluator: finite parameters, and evaluations in `[0, 1]` over its
/// range (the function is linear between its bends, so checking them checks every number).
fn check_real_evaluator(place: Place, name: &str, real: &RealEvaluator) -> Result<(), Problem> {
    check_real_bounds(place, name, real.lower, real.upper)?;
    let parameters: Vec<f64> = match real.function {
        RealFunction::Linear { parameter0, parameter1 } => vec![parameter0, parameter1],
        RealFunction::Constant { parameter0 } => vec![parameter0],
        RealFunction::Triangular { parameter0, parameter1, parameter2 } => {
            vec![parameter0, parameter1, parameter2]
        }
        RealFunction::TriangularVariableTop { parameter0, parameter1, parameter2, parameter3 } => {
            vec![parameter0, parameter1, parameter2, parameter3]
        }
    };
    if let Some(parameter) = parameters.iter().find(|parameter| !parameter.is_finite()) {
        let message =
            format!("of issue '{name}' has parameter '{parameter}', expected finite numbers");
        return Err(Problem::new(place, "evaluator", message));
    }
    for number in real.function.bends(real.lower, real.upper) {
        let evaluation = real.function.evaluate(number);
        if !(0.0..=1.0).contains(&evaluation) {
            let message = format!(
                "of issue '{name}' evaluates {number} to {evaluation}, expected evaluations in [0, 1]"
            );
            return Err(Problem::new(place, "evaluator", message));
        }
    }
    Ok(())
}

fn check_bounds(place: Place, name: &str, lower: i64, upper: i64) -> Result<(), Problem> {
    if lower > upper {
        let message = format!(
            "'{name}' has lowerbound '{lower}' above upperbound '{upper}', expected lowerbound <= upperbound"
        );
        return Err(Problem::new(place, "issue", message));
    }
    let n_options = i128::from(upper) - i128::from(lower) + 1;
    if n_options > MAX_INTEGER_OPTIONS {
        let message = format!(
            "'{name}' has {n_options} options (lowerbound '{lower}', upperbound '{upper}'), at most {MAX_INTEGER_OPTIONS} are supported"
        );
        return Err(Problem::new(place, "issue", message));
    }
    Ok(())
}

/// Checks a profile on its own: numbers are finite, evaluations and weights are not negative,
/// issues and values are not repeated, and either every issue has a weight or none has.
pub(crate) fn check_profile(profile: &Profile) -> Result<(), Problem> {
    let mut seen_names = HashSet::new();
    let mut seen_indices = HashSet::new();
    for (issue_idx, issue) in profile.issues.iter().enumerate() {
        let place = Place::Issue(issue_idx);
        if !seen_names.insert(issue.name.as_str()) {
            let message = format!("has name '{}', which an earlier <issue> has too", issue.name);
            return Err(Problem::new(place, "issue", message));
        }
        if !seen_indices.insert(issue.index) {
            let message = format!("has index '{}', which an earlier <issue> has too", issue.index);
            return Err(Problem::new(place, "issue", message));
        }
        if let Some(weight) = issue.weight
            && !(weight.is_finite() && weight >= 0.0)
        {
            let message = format!(
                "of issue '{}' has value '{weight}', expected a finite number that is not negative",
                issue.name
            );
            return Err(Problem::new(place, "weight", message));
        }
        match &issue.evaluator {
            IssueEvaluator::Discrete { evaluations } => {
                let mut seen_values = HashSet::new();
                for (value_idx, value_evaluation) in evaluations.iter().enumerate() {
                    let item_place = Place::Item(issue_idx, value_idx);
                    let value = &value_evaluation.value;
                    if !seen_values.insert(value.as_str()) {
                        let message =
                            format!("has value '{value}', which an earlier <item> has too");
                        return Err(Problem::new(item_place, "item", message));
                    }
                    let evaluation = value_evaluation.evaluation;
                    if !(evaluation.is_finite() && evaluation >= 0.0) {
                        let message = format!(
                            "has evaluation '{evaluation}', expected a finite number that is not negative"
                        );
                        return Err(Problem::new(item_place, "item", message));
                    }
                }
            }
            IssueEvaluator::Unevaluated { lower, upper } => {
                check_bounds(place, &issue.name, *lower, *upper)?;
            }
            IssueEvaluator::Real(real) => check_real_evaluator(place, &issue.name, real)?,
            IssueEvaluator::Integer(linear) => {
                check_bounds(place, &issue.name, linear.lower, linear.upper)?;
                if !(linear.slope.is_finite() && linear.offset.is_finite()) {
                    let message = format!(
                        "has slope '{}' and offset '{}', expected finite numbers",
                        linear.slope, linear.offset
                    );
                    return Err(Problem::new(place, "evaluator", message));
                }
            }
        }
    }
    let n_weighted = profile.issues.iter().filter(|issue| issue.weight.is_some()).count();
    if n_weighted != 0 && n_weighted != profile.issues.len() {
        let unweighted = profile.issues.iter().position(|issue| issue.weight.is_none());
        if let Some(issue_idx) = unweighted {
            let issue = &profile.issues[issue_idx];
            let message = format!(
                "has no <weight> for issue '{}' (index '{}'), expected a weight for every issue or for none",
                issue.name, issue.index
            );
            return Err(Problem::new(Place::Objective, "objective", message));
        }
    }
    if let Some(constraints) = &profile.constraints {
        check_constraints(profile, constraints)?;
    } else if let Some(issue_idx) = profile
        .issues
        .iter()
        .position(|issue| matches!(issue.evaluator, IssueEvaluator::Unevaluated { .. }))
    {
        let message = format!(
            "'{}' has no evaluator, expected one (or the constraints of a non-linear profile)",
            profile.issues[issue_idx].name
        );
        return Err(Problem::new(Place::Issue(issue_idx), "issue", message));
    }
    for (name, value) in
        [("reservation", profile.reservation), ("discount_factor", profile.discount_factor)]
    {
        if let Some(value) = value
            && !value.is_finite()
        {
            let message = format!("has value '{value}', expected a finite number");
            return Err(Problem::new(Place::Objective, name, message));
        }
    }
    Ok(())
}

/// Checks a non-linear profile's constraints: a positive divisor, finite values, and bounds on
/// the profile's integer issues.
fn check_constraints(profile: &Profile, constraints: &ConstraintUtility) -> Result<(), Problem> {
    if !(constraints.max_utility.is_finite() && constraints.max_utility > 0.0) {
        let message = format!(
            "has maxutility '{}', expected a finite number above 0",
            constraints.max_utility
        );
        return Err(Problem::new(Place::Objective, "utility", message));
    }
    let integer_issues: HashSet<u32> = profile
        .issues
        .iter()
        .filter(|issue| {
            matches!(
                issue.evaluator,
                IssueEvaluator::Unevaluated { .. } | IssueEvaluator::Integer(_)
            )
        })
        .map(|issue| issue.index)
        .collect();
    for (constraint_idx, constraint) in constraints.constraints.iter().enumerate() {
        if !constraint.value.is_finite() {
            let message = format!(
                "{} has utility '{}', expected a finite number",
                constraint_idx + 1,
                constraint.value
            );
            return Err(Problem::new(Place::Objective, "hyperRectangle", message));
        }
        for bound in &constraint.bounds {
            if !integer_issues.contains(&bound.index) {
                let message = format!(
                    "{} bounds issue index '{}', expected the index of an integer issue of the profile",
                    constraint_idx + 1,
                    bound.index
                );
                return Err(Problem::new(Place::Objective, "hyperRectangle", message));
            }
        }
    }
    Ok(())
}

/// Checks that the profile evaluates the domain's issues, matched by index, with the same
/// kinds. What GENIUS reads leniently is returned as warnings, not errors: an issue named
/// otherwise than in the domain (GENIUS matches by index), an evaluation of a value the
/// domain lacks (GENIUS ignores it), a domain value the profile does not evaluate (0 in
/// GENIUS), and integer bounds that differ from the domain's (GENIUS evaluates the domain's
/// values with the profile's evaluator and its own lower bound).
pub(crate) fn check_profile_against_domain(
    domain: &Domain,
    profile: &Profile,
) -> Result<Vec<Problem>, Problem> {
    // Maps and sets, not list searches, so that checking stays linear in the file's size.
    let domain_issues: HashMap<u32, &DomainIssue> =
        domain.issues.iter().rev().map(|issue| (issue.index, issue)).collect();
    let mut warnings = Vec::new();
    for (issue_idx, issue) in profile.issues.iter().enumerate() {
        check_issue_against_domain(domain, &domain_issues, issue_idx, issue, &mut warnings)?;
    }
    let profile_indices: HashSet<u32> = profile.issues.iter().map(|issue| issue.index).collect();
    for domain_issue in &domain.issues {
        if !profile_indices.contains(&domain_issue.index) {
            let message = format!(
                "has no <issue> for domain issue '{}' (index '{}'), expected one for every domain issue",
                domain_issue.name, domain_issue.index
            );
            return Err(Problem::new(Place::Objective, "objective", message));
        }
    }
    Ok(warnings)
}

fn check_issue_against_domain(
    domain: &Domain,
    domain_issues: &HashMap<u32, &DomainIssue>,
    issue_idx: usize,
    issue: &ProfileIssue,
    warnings: &mut Vec<Problem>,
) -> Result<(), Problem> {
    let place = Place::Issue(issue_idx);
    let Some(&domain_issue) = domain_issues.get(&issue.index) else {
        let message = format!(
            "'{}' has index '{}', which no issue of domain '{}' has",
            issue.name, issue.index, domain.name
        );
        return Err(Problem::new(place, "issue", message));
    };
    if domain_issue.name != issue.name {
        let message = format!(
            "with index '{}' is named '{}' here but '{}' in the domain: matched by its index, as GENIUS matches it",
            issue.index, issue.name, domain_issue.name
        );
        warnings.push(Problem::new(place, "issue", message));
    }
    match (&domain_issue.kind, &issue.evaluator) {
        (IssueKind::Discrete { values }, IssueEvaluator::Discrete { evaluations }) => {
            // Sets, not list searches: an issue may have tens of thousands of values.
            let domain_values: HashSet<&str> = values.iter().map(String::as_str).collect();
            for (value_idx, value_evaluation) in evaluations.iter().enumerate() {
                if !domain_values.contains(value_evaluation.value.as_str()) {
                    let message = format!(
                        "has value '{}', which domain issue '{}' lacks: skipped, as GENIUS skips it",
                        value_evaluation.value, domain_issue.name
                    );
                    warnings.push(Problem::new(Place::Item(issue_idx, value_idx), "item", message));
                }
            }
            let evaluated: HashSet<&str> =
                evaluations.iter().map(|evaluation| evaluation.value.as_str()).collect();
            for value in values {
                if !evaluated.contains(value.as_str()) {
                    let message = format!(
                        "'{}' has no <item> for the domain's value '{value}': it evaluates to 0, as in GENIUS",
                        domain_issue.name
                    );
                    warnings.push(Problem::new(place, "issue", message));
                }
            }
            Ok(())
        }
        (
            IssueKind::Integer { lower, upper },
            IssueEvaluator::Integer(LinearEvaluator { lower: own_lower, upper: own_upper, .. })
            | IssueEvaluator::Unevaluated { lower: own_lower, upper: own_upper },
        ) => {
            if (own_lower, own_upper) != (lower, upper) {
                let message = format!(
                    "'{}' has bounds '{own_lower}'..'{own_upper}' here but '{lower}'..'{upper}' in the domain: the domain's values are evaluated from this lower bound, as GENIUS does",
                    domain_issue.name
                );
                warnings.push(Problem::new(place, "issue", message));
            }
            Ok(())
        }
        (IssueKind::Real { lower, upper }, IssueEvaluator::Real(real)) => {
            if (real.lower, real.upper) != (*lower, *upper) {
                let message = format!(
                    "'{}' has bounds '{}'..'{}' here but '{lower}'..'{upper}' in the domain: the domain's numbers are evaluated, as GENIUS does",
                    domain_issue.name, real.lower, real.upper
                );
                warnings.push(Problem::new(place, "issue", message));
            }
            // The evaluations must stay in [0, 1] over the domain's range too.
            let over_domain = RealEvaluator { lower: *lower, upper: *upper, ..real.clone() };
            check_real_evaluator(place, &issue.name, &over_domain)
        }
        (domain_kind, evaluator) => {
            let message = format!(
                "'{}' has type '{}' here but '{}' in the domain",
                issue.name,
                evaluator_type_name(evaluator),
                kind_type_name(domain_kind)
            );
            Err(Problem::new(place, "issue", message))
        }
    }
}

fn kind_type_name(kind: &IssueKind) -> &'static str {
    match kind {
        IssueKind::Discrete { .. } => "discrete",
        IssueKind::Integer { .. } => "integer",
        IssueKind::Real { .. } => "real",
    }
}

fn evaluator_type_name(evaluator: &IssueEvaluator) -> &'static str {
    match evaluator {
        IssueEvaluator::Discrete { .. } => "discrete",
        IssueEvaluator::Integer(_) | IssueEvaluator::Unevaluated { .. } => "integer",
        IssueEvaluator::Real(_) => "real",
    }
}
