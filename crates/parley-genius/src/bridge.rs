//! Between GENIUS and Parley: a GENIUS scenario as a Parley scenario (issues and options, one
//! principal party per profile, exact weights and values), and a Parley scenario as GENIUS
//! files (one profile per negotiating party, from its point-estimate utilities).

use std::collections::HashMap;

use parley_model::continuous::DEFAULT_GRID;
use parley_model::scenario::{
    Bound, Category, Consent, Constraint, ConstraintKind,
    ConstraintUtility as ModelConstraintUtility, CurvePoint, Issue, IssueOption, NumberRange,
    Party, Position, Reservation, Role, Scenario as ModelScenario, Visibility,
};
use parley_model::stance::{Importance, Stance};
use parley_model::utility::party_utilities;
use parley_model::validate::ValidScenario;
use parley_model::{Basis, Id};

use crate::error::ConversionError;
use crate::model::{
    Constraint as GeniusConstraint, ConstraintBound, ConstraintKind as GeniusConstraintKind,
    ConstraintUtility as GeniusConstraints, Domain, DomainIssue, IssueEvaluator, IssueKind,
    Profile, ProfileIssue, RealEvaluator, RealFunction, ValueEvaluation,
};
use crate::scenario::Scenario;

/// GENIUS names root objectives this by default; such a name says nothing about the scenario.
const DEFAULT_OBJECTIVE_NAME: &str = "root";

fn id(what: &'static str, name: &str) -> Result<Id, ConversionError> {
    Id::parse(name).map_err(|message| ConversionError::InvalidId {
        what,
        name: name.to_owned(),
        message,
    })
}

/// An id for a GENIUS name: the name without surrounding spaces. The name itself is kept as
/// the label when it differs, so that writing the scenario back restores it.
fn id_and_label(what: &'static str, name: &str) -> Result<(Id, String), ConversionError> {
    let trimmed = name.trim();
    let label = if trimmed == name { String::new() } else { name.to_owned() };
    Ok((id(what, trimmed)?, label))
}

/// A GENIUS scenario as a Parley scenario. Its id is the domain's objective name, or
/// `fallback_id` (e.g. the folder name) when that is GENIUS's default `root`.
///
/// Each profile becomes a principal party whose consent is required, with a reservation value
/// and discount factor as the profile gives them, and one position per issue with the
/// profile's raw weight (the model normalises weights) and exact option values
/// ([`Scenario::normalised_utilities`]).
pub fn to_model(scenario: &Scenario, fallback_id: &str) -> Result<ModelScenario, ConversionError> {
    let domain = scenario.domain();
    let scenario_id = if domain.name.is_empty() || domain.name == DEFAULT_OBJECTIVE_NAME {
        fallback_id
    } else {
        &domain.name
    };
    let mut model = ModelScenario {
        id: scenario_id.to_owned(),
        title: scenario_id.to_owned(),
        ..ModelScenario::default()
    };
    let utilities = scenario.normalised_utilities();
    let Some(first) = utilities.first() else { return Ok(model) };
    let mut issue_ids = Vec::new();
    for (issue, domain_issue) in first.issues.iter().zip(&domain.issues) {
        let (issue_id, title) = id_and_label("issue", &issue.name)?;
        let range = match domain_issue.kind {
            IssueKind::Real { lower, upper } => {
                Some(NumberRange { lower, upper, grid: DEFAULT_GRID })
            }
            _ => None,
        };
        let options = issue
            .options
            .iter()
            .map(|option| {
                let (option_id, label) = id_and_label("option", &option.label)?;
                Ok(IssueOption { id: option_id, label })
            })
            .collect::<Result<Vec<_>, ConversionError>>()?;
        let title = if title.is_empty() { issue_id.to_string() } else { title };
        issue_ids.push(issue_id.clone());
        model.issues.push(Issue {
            id: issue_id,
            title,
            category: Category::Other,
            description: String::new(),
            options,
            range,
            cites: Vec::new(),
        });
    }
    for ((party_name, profile), party_utilities) in scenario.profiles().iter().zip(&utilities) {
        let party_id = id("party", party_name)?;
        model.parties.push(Party {
            id: party_id.clone(),
            name: party_name.clone(),
            role: Role::Principal,
            consent: Consent::Required,
            consent_basis: Basis::Reported,
            delegates: Vec::new(),
            interests: Vec::new(),
            reservation: profile.reservation.map(|value| Reservation {
                value,
                basis: Basis::Stated,
                note: None,
                cites: Vec::new(),
            }),
            // GENIUS reads a factor outside [0, 1] as no discount (the parser warns of it).
            discount_factor: profile
                .discount_factor
                .map(|factor| if (0.0..=1.0).contains(&factor) { factor } else { 1.0 }),
            notes: Vec::new(),
            cites: Vec::new(),
        });
        if let Some(constraints) = &profile.constraints {
            model.constraint_utilities.push(constraint_utility(
                domain,
                &model.issues,
                &party_id,
                constraints,
            ));
            continue;
        }
        let weights: HashMap<u32, Option<f64>> =
            profile.issues.iter().rev().map(|issue| (issue.index, issue.weight)).collect();
        for (((issue, issue_id), model_issue), domain_issue) in
            party_utilities.issues.iter().zip(&issue_ids).zip(&model.issues).zip(&domain.issues)
        {
            // The raw weight as the profile writes it (1 where it writes none, as NegMAS reads
            // it): the model normalises weights itself, and keeping them raw makes writing the
            // scenario back and reading it again exact.
            // A weight of 0 says the party does not care about the issue, as in GENIUS.
            let raw_weight = weights.get(&domain_issue.index).copied().flatten().unwrap_or(1.0);
            let stances = issue
                .options
                .iter()
                .zip(&model_issue.options)
                .map(|(option, model_option)| {
                    (model_option.id.clone(), Stance::Value(option.value))
                })
                .collect();
            let curve =
                issue.curve.iter().map(|&(number, value)| CurvePoint { number, value }).collect();
            model.positions.push(Position {
                party: party_id.clone(),
                issue: issue_id.clone(),
                date: None,
                importance: Some(Importance::Weight(raw_weight)),
                importance_basis: Basis::Stated,
                stances,
                curve,
                confidence: Basis::Stated,
                condition: None,
                visibility: Visibility::Public,
                note: None,
                cites: Vec::new(),
            });
        }
    }
    Ok(model)
}

/// A GENIUS non-linear profile as a Parley constraint utility with the same meaning.
///
/// A bound holds integer values, which may reach past the issue's bounds: it is clipped to
/// them. A bound that holds none of the issue's values makes an `INCLUDES` rectangle one that
/// no outcome satisfies (it is left out) and an `EXCLUDES` rectangle one that every outcome
/// satisfies (kept as a rectangle without bounds).
fn constraint_utility(
    domain: &Domain,
    issues: &[Issue],
    party: &Id,
    constraints: &GeniusConstraints,
) -> ModelConstraintUtility {
    let issue_of: HashMap<u32, usize> = domain
        .issues
        .iter()
        .enumerate()
        .map(|(issue_idx, issue)| (issue.index, issue_idx))
        .collect();
    let mut model_constraints = Vec::new();
    for constraint in &constraints.constraints {
        let mut bounds = Vec::new();
        let mut holds_none = false;
        for bound in &constraint.bounds {
            // The parser and Scenario::new check that every bound is on an integer issue.
            let Some(&issue_idx) = issue_of.get(&bound.index) else { continue };
            let IssueKind::Integer { lower, upper } = domain.issues[issue_idx].kind else {
                continue;
            };
            let (from, to) = (bound.min.max(lower), bound.max.min(upper));
            if from > to {
                holds_none = true;
                continue;
            }
            // Integer issues' options are their values in order, with ids the numbers.
            let option_id =
                |value: i64| issues[issue_idx].options[(value - lower) as usize].id.clone();
            bounds.push(Bound {
                issue: issues[issue_idx].id.clone(),
                from: option_id(from),
                to: option_id(to),
            });
        }
        let (kind, bounds) = match (constraint.kind, holds_none) {
            (GeniusConstraintKind::Includes, true) => continue,
            (GeniusConstraintKind::Includes, false) => (ConstraintKind::Includes, bounds),
            (GeniusConstraintKind::Excludes, true) => (ConstraintKind::Includes, Vec::new()),
            (GeniusConstraintKind::Excludes, false) => (ConstraintKind::Excludes, bounds),
        };
        model_constraints.push(Constraint { value: constraint.value, kind, bounds });
    }
    ModelConstraintUtility {
        party: party.clone(),
        max_utility: constraints.max_utility,
        constraints: model_constraints,
        basis: Basis::Stated,
        visibility: Visibility::Public,
        note: None,
        cites: Vec::new(),
    }
}

/// A Parley scenario as a GENIUS domain and one profile per negotiating party (those whose
/// consent a deal needs), in the party order of the scenario. Weights and values are the
/// point estimates of [`parley_model::utility`]: exact where the scenario records exact
/// numbers, the middles of the scale's intervals where it records ordinal stances. GENIUS
/// holds only issues and preferences: tracks, meetings, drafts and claims are left out.
///
/// The profile files are named after the party ids; the domain after the scenario's id,
/// which names the root objective so that reading the files back restores it.
pub fn from_model(
    scenario: &ValidScenario,
) -> Result<(Domain, Vec<(String, Profile)>), ConversionError> {
    let record = scenario.scenario();
    let domain = Domain {
        name: record.id.clone(),
        issues: record
            .issues
            .iter()
            .enumerate()
            .map(|(issue_idx, issue)| DomainIssue {
                name: issue_name(issue),
                index: issue_idx as u32 + 1,
                kind: match &issue.range {
                    Some(range) => IssueKind::Real { lower: range.lower, upper: range.upper },
                    None => IssueKind::Discrete {
                        values: issue.options.iter().map(genius_value).collect(),
                    },
                },
            })
            .collect(),
    };
    let utilities = party_utilities(scenario, None);
    if utilities.is_empty() {
        return Err(ConversionError::NoParty { scenario: record.id.clone() });
    }
    if !record.constraint_utilities.is_empty() {
        return nonlinear_from_model(scenario);
    }
    let positions = scenario.current_positions(None);
    let profiles = utilities
        .iter()
        .map(|party| {
            // Raw weights: GENIUS normalises them, and exact ones come back unchanged.
            let weights: Vec<f64> = party
                .raw_weights
                .iter()
                .zip(&party.weight_provenance)
                .map(|(interval, provenance)| match provenance {
                    parley_model::utility::Provenance::Exact => interval.middle(),
                    _ => shortest_near(interval.middle()),
                })
                .collect();
            // Exact values are written as they are; the middles of the scale's intervals as
            // the decimals they stand for, without a sum's rounding noise.
            let values: Vec<Vec<f64>> = party
                .point_values()
                .into_iter()
                .zip(&party.value_provenance)
                .map(|(values, provenance)| {
                    values
                        .into_iter()
                        .zip(provenance)
                        .map(|(value, provenance)| match provenance {
                            parley_model::utility::Provenance::Exact => value,
                            _ => shortest_near(value),
                        })
                        .collect()
                })
                .collect();
            let issues = domain
                .issues
                .iter()
                .zip(&record.issues)
                .enumerate()
                .map(|(issue_idx, (domain_issue, issue))| {
                    let evaluator = match (&domain_issue.kind, &issue.range) {
                        (IssueKind::Real { lower, upper }, Some(_)) => {
                            let curve = positions[party.party_idx][issue_idx]
                                .map_or(&[][..], |position| &position.curve[..]);
                            IssueEvaluator::Real(RealEvaluator {
                                lower: *lower,
                                upper: *upper,
                                function: real_function(curve, &values[issue_idx]).map_err(
                                    |message| ConversionError::Curve {
                                        party: party.party.to_string(),
                                        issue: issue.id.to_string(),
                                        message,
                                    },
                                )?,
                            })
                        }
                        _ => IssueEvaluator::Discrete {
                            evaluations: issue
                                .options
                                .iter()
                                .zip(&values[issue_idx])
                                .map(|(option, value)| ValueEvaluation {
                                    value: genius_value(option),
                                    evaluation: *value,
                                })
                                .collect(),
                        },
                    };
                    Ok(ProfileIssue {
                        index: domain_issue.index,
                        name: domain_issue.name.clone(),
                        weight: Some(weights[issue_idx]),
                        evaluator,
                    })
                })
                .collect::<Result<Vec<_>, ConversionError>>()?;
            let record_party = &record.parties[party.party_idx];
            let profile = Profile {
                issues,
                reservation: party.reservation,
                discount_factor: record_party.discount_factor,
                constraints: None,
            };
            Ok((party.party.to_string(), profile))
        })
        .collect::<Result<Vec<_>, ConversionError>>()?;
    Scenario::new(domain.clone(), profiles.clone())?;
    Ok((domain, profiles))
}

/// The shortest decimal within two units in the last place of a number: `0.3` for the
/// middle of [0.2, 0.4], `0.30000000000000004`; a number with no such decimal is kept.
pub(crate) fn shortest_near(value: f64) -> f64 {
    if !value.is_finite() || value == 0.0 {
        return value;
    }
    let ulp = f64::from_bits(value.abs().to_bits() + 1) - value.abs();
    (0..=15)
        .filter_map(|n_digits| format!("{value:.n_digits$e}").parse::<f64>().ok())
        .find(|read| (read - value).abs() <= 2.0 * ulp)
        .unwrap_or(value)
}

/// How close a GENIUS function must come to a curve's values to stand for it.
const CURVE_TOLERANCE: f64 = 1e-9;

/// The GENIUS function of a real issue that draws `curve`: a constant, a line clamped to
/// [0, 1], or a triangle. A party without a curve on the issue (its values unknown, all
/// alike on the grid: `grid_values`) gets their constant.
fn real_function(curve: &[CurvePoint], grid_values: &[f64]) -> Result<RealFunction, String> {
    if curve.is_empty() {
        return match grid_values.first() {
            Some(&first) if grid_values.iter().all(|value| *value == first) => {
                Ok(RealFunction::Constant { parameter0: first })
            }
            _ => Err("it has no curve, and values that differ".to_owned()),
        };
    }
    let draws = |function: &RealFunction| {
        curve
            .iter()
            .all(|point| (function.evaluate(point.number) - point.value).abs() <= CURVE_TOLERANCE)
            && function.bends(curve[0].number, curve[curve.len() - 1].number).iter().all(|bend| {
                let value = parley_model::continuous::curve_value(curve, *bend);
                (function.evaluate(*bend) - value).abs() <= CURVE_TOLERANCE
            })
    };
    let mut candidates = Vec::new();
    let first = curve[0];
    if curve.iter().all(|point| point.value == first.value) {
        candidates.push(RealFunction::Constant { parameter0: first.value });
    }
    // A line through a rising or falling piece, clamped to [0, 1] elsewhere.
    for pair in curve.windows(2) {
        let (left, right) = (pair[0], pair[1]);
        if left.value != right.value {
            let parameter1 = (right.value - left.value) / (right.number - left.number);
            let parameter0 = left.value - parameter1 * left.number;
            candidates.push(RealFunction::Linear { parameter0, parameter1 });
        }
    }
    // A triangle: 0, up to the highest value, down to 0.
    let top_idx = (0..curve.len())
        .max_by(|&a, &b| curve[a].value.total_cmp(&curve[b].value))
        .unwrap_or_default();
    if top_idx > 0 && top_idx + 1 < curve.len() {
        let (before, top, after) = (curve[top_idx - 1], curve[top_idx], curve[top_idx + 1]);
        if top.value > before.value && top.value > after.value {
            let rise = (top.value - before.value) / (top.number - before.number);
            let fall = (top.value - after.value) / (after.number - top.number);
            let parameter0 = top.number - top.value / rise;
            let parameter1 = top.number + top.value / fall;
            let parameter2 = top.number;
            candidates.push(if top.value == 1.0 {
                RealFunction::Triangular { parameter0, parameter1, parameter2 }
            } else {
                RealFunction::TriangularVariableTop {
                    parameter0,
                    parameter1,
                    parameter2,
                    parameter3: top.value,
                }
            });
        }
    }
    candidates.into_iter().find(draws).ok_or_else(|| {
        "GENIUS evaluates a real issue by a constant, a line clamped to [0, 1] or a triangle, and this curve is none of them".to_owned()
    })
}

/// The GENIUS name of an issue: its title when that is the id with surrounding spaces (as
/// [`to_model`] keeps it), otherwise its id.
pub(crate) fn issue_name(issue: &Issue) -> String {
    if issue.title != issue.id.as_str() && issue.title.trim() == issue.id.as_str() {
        issue.title.clone()
    } else {
        issue.id.to_string()
    }
}

/// A scenario whose parties have constraint utilities as GENIUS non-linear files: GENIUS
/// bounds hyper-rectangles by integer values, so every issue must have options that are
/// consecutive integers, and GENIUS cannot mix them with additive profiles, so every
/// negotiating party must have a constraint utility.
fn nonlinear_from_model(
    scenario: &ValidScenario,
) -> Result<(Domain, Vec<(String, Profile)>), ConversionError> {
    let record = scenario.scenario();
    let mut issues = Vec::new();
    for (issue_idx, issue) in record.issues.iter().enumerate() {
        let numbers: Option<Vec<i64>> =
            issue.options.iter().map(|option| option.id.as_str().parse::<i64>().ok()).collect();
        let bounds =
            numbers.filter(|numbers| numbers.windows(2).all(|pair| pair[1] == pair[0] + 1));
        let Some(numbers) = bounds else {
            return Err(ConversionError::NotNonlinear {
                message: format!(
                    "issue '{}' has options that are not consecutive integers, which GENIUS hyper-rectangles need",
                    issue.id
                ),
            });
        };
        issues.push(DomainIssue {
            name: issue_name(issue),
            index: issue_idx as u32 + 1,
            kind: IssueKind::Integer { lower: numbers[0], upper: numbers[numbers.len() - 1] },
        });
    }
    let domain = Domain { name: record.id.clone(), issues };
    let mut profiles = Vec::new();
    for party_idx in parley_model::utility::negotiating_parties(scenario) {
        let party = &record.parties[party_idx];
        let Some(utility) =
            record.constraint_utilities.iter().find(|utility| utility.party == party.id)
        else {
            return Err(ConversionError::NotNonlinear {
                message: format!(
                    "party '{}' has an additive utility beside others' constraint utilities, which GENIUS files cannot mix",
                    party.id
                ),
            });
        };
        let issue_index = |id: &Id| scenario.issue_index(id);
        let constraints = utility
            .constraints
            .iter()
            .map(|constraint| GeniusConstraint {
                value: constraint.value,
                kind: match constraint.kind {
                    ConstraintKind::Includes => GeniusConstraintKind::Includes,
                    ConstraintKind::Excludes => GeniusConstraintKind::Excludes,
                },
                bounds: constraint
                    .bounds
                    .iter()
                    .filter_map(|bound| {
                        let issue_idx = issue_index(&bound.issue)?;
                        let IssueKind::Integer { lower, .. } = domain.issues[issue_idx].kind else {
                            return None;
                        };
                        let options = &record.issues[issue_idx];
                        let from = options.option_index(&bound.from)? as i64 + lower;
                        let to = options.option_index(&bound.to)? as i64 + lower;
                        Some(ConstraintBound { index: issue_idx as u32 + 1, min: from, max: to })
                    })
                    .collect(),
            })
            .collect();
        let profile = Profile {
            issues: domain
                .issues
                .iter()
                .map(|issue| {
                    let IssueKind::Integer { lower, upper } = issue.kind else {
                        unreachable!("every issue is an integer one")
                    };
                    ProfileIssue {
                        index: issue.index,
                        name: issue.name.clone(),
                        weight: None,
                        evaluator: IssueEvaluator::Unevaluated { lower, upper },
                    }
                })
                .collect(),
            reservation: party.reservation.as_ref().map(|reservation| reservation.value),
            discount_factor: party.discount_factor,
            constraints: Some(GeniusConstraints { max_utility: utility.max_utility, constraints }),
        };
        profiles.push((party.id.to_string(), profile));
    }
    Scenario::new(domain.clone(), profiles.clone())?;
    Ok((domain, profiles))
}

/// The GENIUS value of an option: its label when that is the id with surrounding spaces
/// (as [`to_model`] keeps it), otherwise its id.
pub(crate) fn genius_value(option: &IssueOption) -> String {
    if !option.label.is_empty() && option.label.trim() == option.id.as_str() {
        option.label.clone()
    } else {
        option.id.to_string()
    }
}

#[cfg(test)]
mod tests {
    use parley_model::scenario_file::{read_scenario, write_scenario};

    use super::*;
    use crate::{parse_scenario, write_domain, write_profile};

    const DOMAIN: &str = r#"<negotiation_template>
<utility_space number_of_issues="2">
<objective index="0" name="root" type="objective" etype="objective">
<issue index="1" name="Price" type="discrete" etype="discrete" vtype="discrete">
<item index="1" value="low "/><item index="2" value="high"/>
</issue>
<issue index="2" name="Days" type="integer" etype="integer" vtype="integer" lowerbound="1" upperbound="3"/>
</objective>
</utility_space>
</negotiation_template>"#;

    const BUYER: &str = r#"<utility_space>
<objective index="0" name="root" type="objective" etype="objective">
<issue index="1" name="Price" type="discrete" etype="discrete" vtype="discrete">
<item index="1" value="low " evaluation="8"/><item index="2" value="high" evaluation="2"/>
</issue>
<issue index="2" name="Days" type="integer" etype="integer" vtype="integer" lowerbound="1" upperbound="3">
<evaluator ftype="linear" offset="0.8" slope="-0.2"/>
</issue>
<weight index="1" value="3"/><weight index="2" value="1"/>
</objective>
<reservation value="0.25"/>
<discount_factor value="0.9"/>
</utility_space>"#;

    fn genius() -> Scenario {
        let files = [("deal/deal_domain.xml", DOMAIN), ("deal/buyer.xml", BUYER)];
        let files: Vec<(String, String)> =
            files.iter().map(|(name, text)| (name.to_string(), text.to_string())).collect();
        parse_scenario(&files).unwrap()
    }

    fn valid(model: ModelScenario) -> ValidScenario {
        let text = write_scenario(&model);
        let loaded = read_scenario(&text);
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        loaded.scenario.unwrap()
    }

    #[test]
    fn a_genius_scenario_becomes_a_scenario_with_exact_numbers() {
        let model = to_model(&genius(), "deal").unwrap();
        assert_eq!(model.id, "deal");
        assert_eq!(model.issues[0].options[0].id.as_str(), "low");
        assert_eq!(model.issues[0].options[0].label, "low ");
        let ids: Vec<&str> =
            model.issues[1].options.iter().map(|option| option.id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "3"]);
        let buyer = &model.parties[0];
        assert_eq!(
            (buyer.id.as_str(), buyer.role, buyer.discount_factor),
            ("buyer", Role::Principal, Some(0.9))
        );
        assert_eq!(buyer.reservation.as_ref().map(|reservation| reservation.value), Some(0.25));
        let price = &model.positions[0];
        assert_eq!(price.importance, Some(Importance::Weight(3.0)));
        assert_eq!(price.stances[1].1, Stance::Value(0.25));
        // The linear evaluator gives 0.8, 0.6, 0.4; divided by the largest: 1, 0.75, 0.5.
        for ((_, stance), expected) in model.positions[1].stances.iter().zip([1.0, 0.75, 0.5]) {
            let Stance::Value(value) = stance else { unreachable!("GENIUS values are exact") };
            assert!((value - expected).abs() < 1e-12, "{value} {expected}");
        }
    }

    #[test]
    fn middles_of_intervals_are_exported_as_their_shortest_decimal() {
        assert_eq!(super::shortest_near((0.2 + 0.4) / 2.0), 0.3);
        assert_eq!(format!("{:?}", super::shortest_near((0.2 + 0.4) / 2.0)), "0.3");
        assert_eq!(super::shortest_near(8.5), 8.5);
        assert_eq!(super::shortest_near(1.0 / 3.0), 1.0 / 3.0);
        let scenario = read_scenario(parley_model::builtin::TALKS_2025_TOML).scenario.unwrap();
        let (domain, profiles) = from_model(&scenario).unwrap();
        let russia = profiles.iter().find(|(party, _)| party == "russia").unwrap();
        let written = crate::write_profile(&domain, &russia.1);
        assert!(written.contains("evaluation=\"0.3\""), "{written}");
        assert!(!written.contains("0000000"), "{written}");
    }

    #[test]
    fn export_then_import_gives_the_same_scenario() {
        let model = to_model(&genius(), "deal").unwrap();
        let (domain, profiles) = from_model(&valid(model.clone())).unwrap();
        let mut files = vec![("out/domain.xml".to_owned(), write_domain(&domain))];
        for (party, profile) in &profiles {
            files.push((format!("out/{party}.xml"), write_profile(&domain, profile)));
        }
        let back = to_model(&parse_scenario(&files).unwrap(), "out").unwrap();
        assert_eq!(back, model);
    }

    #[test]
    fn an_ordinal_scenario_is_written_with_its_point_estimates() {
        let talks = read_scenario(parley_model::builtin::TALKS_2025_TOML).scenario.unwrap();
        let (domain, profiles) = from_model(&talks).unwrap();
        let parties: Vec<&str> = profiles.iter().map(|(party, _)| party.as_str()).collect();
        assert_eq!(parties, ["russia", "ukraine", "europe"]);
        assert_eq!(domain.issues.len(), 6);
        let IssueEvaluator::Discrete { evaluations } = &profiles[0].1.issues[0].evaluator else {
            unreachable!()
        };
        let values: Vec<f64> = evaluations.iter().map(|evaluation| evaluation.evaluation).collect();
        // Russia on Donbas: preferred [0.8, 1], strong objection [0, 0.2], red line [0, 0].
        assert_eq!(values, [0.9, 0.1, 0.0]);
    }

    const REAL_DOMAIN: &str = r#"<negotiation_template><utility_space>
<objective index="0" name="root" type="objective" etype="objective">
<issue index="1" name="Price" type="real"><range lowerbound="10" upperbound="40"/></issue>
<issue index="2" name="Days" type="integer" lowerbound="1" upperbound="3"/>
</objective></utility_space></negotiation_template>"#;

    /// A real issue's profile with `EVALUATOR` for the price.
    const REAL_PROFILE: &str = r#"<utility_space>
<objective index="0" name="root" type="objective" etype="objective">
<issue index="1" name="Price" type="real"><range lowerbound="10" upperbound="40"/>EVALUATOR</issue>
<issue index="2" name="Days" type="integer" lowerbound="1" upperbound="3">
<evaluator ftype="linear" slope="0.25" offset="0.5"/></issue>
<weight index="1" value="0.6"/><weight index="2" value="0.4"/>
</objective></utility_space>"#;

    fn real_scenario(evaluators: &[&str]) -> Scenario {
        let mut files = vec![("deal/domain.xml".to_owned(), REAL_DOMAIN.to_owned())];
        for (party_idx, evaluator) in evaluators.iter().enumerate() {
            files.push((
                format!("deal/party{party_idx}.xml"),
                REAL_PROFILE.replace("EVALUATOR", evaluator),
            ));
        }
        parse_scenario(&files).unwrap()
    }

    const EVALUATORS: [&str; 4] = [
        r#"<evaluator ftype="linear" parameter0="1.5" parameter1="-0.04"/>"#,
        r#"<evaluator ftype="constant" parameter0="0.3"/>"#,
        r#"<evaluator ftype="triangular" parameter0="5" parameter1="35" parameter2="20"/>"#,
        r#"<evaluator ftype="triangular_variable_top" parameter0="12" parameter1="50" parameter2="30" parameter3="0.8"/>"#,
    ];

    #[test]
    fn a_real_issue_becomes_a_continuous_issue_with_genius_evaluations_as_curves() {
        let genius = real_scenario(&EVALUATORS);
        let model = to_model(&genius, "deal").unwrap();
        let price = &model.issues[0];
        assert_eq!(price.range, Some(NumberRange { lower: 10.0, upper: 40.0, grid: DEFAULT_GRID }));
        assert!(price.options.is_empty());
        for ((_, profile), position) in
            genius.profiles().iter().zip(model.positions.iter().step_by(2))
        {
            let IssueEvaluator::Real(real) = &profile.issues[0].evaluator else { unreachable!() };
            for step in 0..=300 {
                let number = 10.0 + 0.1 * f64::from(step);
                let curve = parley_model::continuous::curve_value(&position.curve, number);
                let genius = real.function.evaluate(number);
                assert!(
                    (curve - genius).abs() < 1e-12,
                    "{:?} at {number}: {curve} {genius}",
                    real.function
                );
            }
        }
    }

    #[test]
    fn a_real_issue_is_written_back_with_the_same_evaluations() {
        let model = to_model(&real_scenario(&EVALUATORS), "deal").unwrap();
        let (domain, profiles) = from_model(&valid(model.clone())).unwrap();
        assert_eq!(domain.issues[0].kind, IssueKind::Real { lower: 10.0, upper: 40.0 });
        let mut files = vec![("out/domain.xml".to_owned(), write_domain(&domain))];
        for (party, profile) in &profiles {
            files.push((format!("out/{party}.xml"), write_profile(&domain, profile)));
        }
        let back = to_model(&parse_scenario(&files).unwrap(), "out").unwrap();
        for (position, original) in back.positions.iter().zip(&model.positions) {
            assert_eq!(position.curve.len(), original.curve.len());
            for (point, expected) in position.curve.iter().zip(&original.curve) {
                assert!((point.number - expected.number).abs() < 1e-9, "{point:?} {expected:?}");
                assert!((point.value - expected.value).abs() < 1e-9, "{point:?} {expected:?}");
            }
        }
    }

    #[test]
    fn a_curve_that_no_genius_evaluator_draws_is_refused_by_name() {
        let mut model = to_model(&real_scenario(&EVALUATORS[..1]), "deal").unwrap();
        model.positions[0].curve = vec![
            CurvePoint { number: 10.0, value: 0.2 },
            CurvePoint { number: 20.0, value: 0.9 },
            CurvePoint { number: 30.0, value: 0.1 },
            CurvePoint { number: 40.0, value: 0.7 },
        ];
        let error = from_model(&valid(model)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "party 'party0' values continuous issue 'Price' by a curve that GENIUS cannot hold: GENIUS evaluates a real issue by a constant, a line clamped to [0, 1] or a triangle, and this curve is none of them"
        );
    }

    #[test]
    fn a_discount_factor_outside_0_to_1_is_no_discount_with_a_warning() {
        let profile =
            BUYER.replace(r#"<discount_factor value="0.9"/>"#, r#"<discount_factor value="2"/>"#);
        let files = [("deal/deal_domain.xml", DOMAIN), ("deal/buyer.xml", profile.as_str())];
        let files: Vec<(String, String)> =
            files.iter().map(|(name, text)| (name.to_string(), text.to_string())).collect();
        let folder = crate::read_folder(&files, None).unwrap();
        let scenario = folder.scenario(None).unwrap();
        let warnings: Vec<String> = scenario.warnings().iter().map(ToString::to_string).collect();
        assert!(
            warnings
                .iter()
                .any(|warning| warning.contains("is 2, outside [0, 1]: read as no discount")),
            "{warnings:?}"
        );
        let model = to_model(&scenario, "deal").unwrap();
        assert_eq!(model.parties[0].discount_factor, Some(1.0));
    }
}
