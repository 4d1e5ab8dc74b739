//! Between GeniusWeb and Parley: see the module documentation of [`crate::geniusweb`] for how
//! number ranges and reservation bids are carried.

use parley_model::scenario::{
    Category, Consent, Issue as ModelIssue, IssueOption, Party, Position, Reservation, Role,
    Scenario as ModelScenario, Visibility,
};
use parley_model::stance::{Importance, Stance};
use parley_model::utility::party_utilities;
use parley_model::validate::ValidScenario;
use parley_model::{Basis, Id};

use super::decimal::Decimal;
use super::json::{self, Value};
use super::{Domain, Issue, IssueUtilities, Profile, Scenario, ValueSet, ValueSetUtilities};
use crate::bridge::{genius_value, issue_name};
use crate::error::ConversionError;

/// What a reservation's note starts with when it records the GeniusWeb reservation bid.
const BID_NOTE: &str = "GeniusWeb reservation bid: ";

/// How close a restored reservation bid's utility must be to the reservation value.
const BID_TOLERANCE: f64 = 1e-12;

/// The most decimal places a written weight keeps, so that adding weights up stays exact.
const WEIGHT_PLACES: usize = 30;

fn id(what: &'static str, name: &str) -> Result<Id, ConversionError> {
    Id::parse(name).map_err(|message| ConversionError::InvalidId {
        what,
        name: name.to_owned(),
        message,
    })
}

/// An id for a GeniusWeb name: the name without surrounding spaces, the name itself kept as
/// the label where it differs.
fn id_and_label(what: &'static str, name: &str) -> Result<(Id, String), ConversionError> {
    let trimmed = name.trim();
    let label = if trimmed == name { String::new() } else { name.to_owned() };
    Ok((id(what, trimmed)?, label))
}

fn inexact(what: String) -> ConversionError {
    ConversionError::Inexact { what }
}

/// One issue's weight and each of its values with its utility, as `f64`.
type IssueNumbers = (f64, Vec<(String, f64)>);

/// A profile's weights and option utilities as `f64`, issue by issue in the domain's order.
fn numbers(profile: &Profile) -> Result<Vec<IssueNumbers>, ConversionError> {
    profile
        .domain
        .issues
        .iter()
        .zip(&profile.issues)
        .map(|(issue, utilities)| {
            let weight = Decimal::parse(&utilities.weight).ok_or_else(|| {
                inexact(format!("the weight {:?} of issue {:?}", utilities.weight, issue.name))
            })?;
            let values = issue
                .values
                .values()
                .ok_or_else(|| inexact(format!("the values of issue {:?}", issue.name)))?;
            let utilities = utilities
                .utilities
                .utilities(&values)
                .ok_or_else(|| inexact(format!("the utilities of issue {:?}", issue.name)))?;
            let options = values
                .into_iter()
                .zip(utilities)
                .map(|(value, utility)| (value, utility.to_f64()))
                .collect();
            Ok((weight.to_f64(), options))
        })
        .collect()
}

/// The utility of a (possibly partial) bid: weight times utility, summed over the issues it
/// gives, in the domain's order, clamped to `[0, 1]`.
fn bid_utility(domain: &Domain, numbers: &[IssueNumbers], bid: &[(String, String)]) -> Option<f64> {
    let mut total = 0.0;
    for (issue, (weight, options)) in domain.issues.iter().zip(numbers) {
        if let Some((_, value)) = bid.iter().find(|(name, _)| *name == issue.name) {
            let (_, utility) = options.iter().find(|(option, _)| option == value)?;
            total += weight * utility;
        }
    }
    Some(total.clamp(0.0, 1.0))
}

/// A bid's values in the order of `domain`'s issues.
fn in_domain_order(domain: &Domain, bid: &[(String, String)]) -> Vec<(String, String)> {
    let mut bid = bid.to_vec();
    bid.sort_by_key(|(issue, _)| domain.issues.iter().position(|known| known.name == *issue));
    bid
}

/// The note that records a reservation bid: every value as a JSON string.
fn bid_note(bid: &[(String, String)]) -> String {
    let entries: Vec<String> = bid
        .iter()
        .map(|(issue, value)| format!("{}: {}", json::quote(issue), json::quote(value)))
        .collect();
    format!("{BID_NOTE}{{{}}}", entries.join(", "))
}

/// The bid a note records, if it is one of ours naming issues and values of `domain`.
fn bid_from_note(domain: &Domain, note: &str) -> Option<Vec<(String, String)>> {
    let text = note.strip_prefix(BID_NOTE)?;
    let Value::Object(members) = json::parse("note", text).ok()?.value else { return None };
    let mut bid = Vec::new();
    for member in members {
        let Value::String(value) = member.value.value else { return None };
        let issue = domain.issues.iter().find(|issue| issue.name == member.key)?;
        if !issue.values.values()?.contains(&value) {
            return None;
        }
        bid.push((member.key, value));
    }
    Some(bid)
}

/// A GeniusWeb scenario as a Parley scenario. Its id is the domain's name, or `fallback_id`
/// (e.g. the folder name) when that is empty.
///
/// Each profile becomes a principal party, named and identified by the profile's name, whose
/// consent is required; with one position per issue holding the profile's weight and each
/// option's exact utility (for a number range, GeniusWeb's rounded interpolation); and, where
/// the profile has a reservation bid, a reservation whose value is the bid's utility and whose
/// note records the bid.
pub fn to_model(scenario: &Scenario, fallback_id: &str) -> Result<ModelScenario, ConversionError> {
    let domain = scenario.domain();
    let scenario_id = if domain.name.trim().is_empty() { fallback_id } else { domain.name.trim() };
    let mut model = ModelScenario {
        id: scenario_id.to_owned(),
        title: if scenario_id == domain.name {
            scenario_id.to_owned()
        } else {
            domain.name.clone()
        },
        ..ModelScenario::default()
    };
    if model.title.trim().is_empty() {
        model.title = scenario_id.to_owned();
    }
    for issue in &domain.issues {
        let (issue_id, title) = id_and_label("issue", &issue.name)?;
        let values = issue
            .values
            .values()
            .ok_or_else(|| inexact(format!("the values of issue {:?}", issue.name)))?;
        let options = values
            .iter()
            .map(|value| {
                let (option_id, label) = id_and_label("option", value)?;
                Ok(IssueOption { id: option_id, label })
            })
            .collect::<Result<Vec<_>, ConversionError>>()?;
        model.issues.push(ModelIssue {
            title: if title.is_empty() { issue_id.to_string() } else { title },
            id: issue_id,
            category: Category::Other,
            description: String::new(),
            options,
            range: None,
            cites: Vec::new(),
        });
    }
    for profile in scenario.profiles() {
        // The profile's issues follow the folder domain's order, which it may list otherwise.
        let mut ordered = profile.clone();
        ordered.domain = domain.clone();
        ordered.issues = domain
            .issues
            .iter()
            .map(|issue| {
                profile
                    .issues
                    .iter()
                    .find(|utilities| utilities.issue == issue.name)
                    .cloned()
                    .ok_or_else(|| inexact(format!("the utilities of issue {:?}", issue.name)))
            })
            .collect::<Result<_, _>>()?;
        let numbers = numbers(&ordered)?;
        let party_id = id("party", &profile.name)?;
        let reservation = match &profile.reservation_bid {
            None => None,
            Some(bid) => Some(Reservation {
                note: Some(bid_note(&in_domain_order(domain, bid))),
                value: bid_utility(domain, &numbers, bid)
                    .ok_or_else(|| inexact(format!("the reservation bid of {:?}", profile.name)))?,
                basis: Basis::Stated,
                cites: Vec::new(),
            }),
        };
        model.parties.push(Party {
            id: party_id.clone(),
            name: profile.name.clone(),
            role: Role::Principal,
            consent: Consent::Required,
            consent_basis: Basis::Reported,
            delegates: Vec::new(),
            interests: Vec::new(),
            reservation,
            discount_factor: None,
            notes: Vec::new(),
            cites: Vec::new(),
        });
        for ((issue, (weight, options)), model_issue) in
            domain.issues.iter().zip(numbers).zip(&model.issues)
        {
            // A weight of 0: the issue does not matter to the party.
            let _ = issue;
            model.positions.push(Position {
                party: party_id.clone(),
                issue: model_issue.id.clone(),
                date: None,
                importance: Some(Importance::Weight(weight)),
                importance_basis: Basis::Stated,
                stances: model_issue
                    .options
                    .iter()
                    .zip(options)
                    .map(|(option, (_, utility))| (option.id.clone(), Stance::Value(utility)))
                    .collect(),
                curve: Vec::new(),
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

/// A Parley scenario as GeniusWeb files, from [`from_model`].
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    /// The domain, named after the scenario's id.
    pub domain: Domain,
    /// One profile per negotiating party, named after its id, in the scenario's order.
    pub profiles: Vec<Profile>,
    /// What GeniusWeb could not hold, one line each: reservation values without a bid that
    /// gives them, discount factors.
    pub left_out: Vec<String>,
}

/// A Parley scenario as a GeniusWeb domain and one profile per negotiating party (those whose
/// consent a deal needs). Every issue becomes a discrete value set; weights and utilities are
/// the point estimates of [`parley_model::utility`] (exact where the scenario records exact
/// numbers). Weights are written as they are when their decimals add up to exactly 1, as
/// GeniusWeb requires; otherwise each is divided by their sum and the largest takes up the
/// rounding, so they add up to 1 again (a change below 1e-15). The files are checked as
/// [`super::parse_scenario`] checks them.
pub fn from_model(scenario: &ValidScenario) -> Result<Export, ConversionError> {
    let record = scenario.scenario();
    if !record.constraint_utilities.is_empty() {
        return Err(ConversionError::ConstraintUtilities);
    }
    if let Some(issue) = record.issues.iter().find(|issue| issue.range.is_some()) {
        return Err(ConversionError::ContinuousIssue { issue: issue.id.to_string() });
    }
    let domain = Domain {
        name: record.id.clone(),
        issues: record
            .issues
            .iter()
            .map(|issue| Issue {
                name: issue_name(issue),
                values: ValueSet::Discrete(issue.options.iter().map(genius_value).collect()),
            })
            .collect(),
    };
    let utilities = party_utilities(scenario, None);
    if utilities.is_empty() {
        return Err(ConversionError::NoParty { scenario: record.id.clone() });
    }
    let mut profiles = Vec::new();
    let mut left_out = Vec::new();
    for party in &utilities {
        let raw: Vec<f64> = party.raw_weights.iter().map(|interval| interval.middle()).collect();
        let weights = weight_texts(&raw)
            .ok_or_else(|| inexact(format!("the weights of party '{}'", party.party)))?;
        let values = party.point_values();
        let issues: Vec<IssueUtilities> = domain
            .issues
            .iter()
            .zip(weights)
            .zip(&values)
            .map(|((issue, weight), values)| {
                let ValueSet::Discrete(names) = &issue.values else {
                    unreachable!("written as discrete")
                };
                IssueUtilities {
                    issue: issue.name.clone(),
                    weight,
                    utilities: ValueSetUtilities::Discrete(
                        names
                            .iter()
                            .zip(values)
                            .map(|(name, value)| (name.clone(), utility_text(*value)))
                            .collect(),
                    ),
                }
            })
            .collect();
        let mut profile = Profile {
            name: party.party.to_string(),
            domain: domain.clone(),
            issues,
            reservation_bid: None,
        };
        let record_party = &record.parties[party.party_idx];
        if let Some(value) = party.reservation {
            let numbers = numbers(&profile)?;
            let bid = record_party
                .reservation
                .as_ref()
                .and_then(|reservation| reservation.note.as_deref())
                .and_then(|note| bid_from_note(&domain, note))
                .filter(|bid| {
                    bid_utility(&domain, &numbers, bid)
                        .is_some_and(|utility| (utility - value).abs() <= BID_TOLERANCE)
                });
            match bid {
                Some(bid) => profile.reservation_bid = Some(bid),
                None => left_out.push(format!(
                    "party '{}': reservation value {value} (GeniusWeb holds a reservation bid, and no recorded bid gives this value)",
                    party.party
                )),
            }
        }
        if let Some(factor) = record_party.discount_factor {
            left_out.push(format!(
                "party '{}': discount factor {factor} (GeniusWeb has none)",
                party.party
            ));
        }
        profiles.push(profile);
    }
    Scenario::new(&domain, &profiles)?;
    Ok(Export { domain, profiles, left_out })
}

/// A utility as decimal text: the shortest that reads back as the same `f64`.
fn utility_text(value: f64) -> String {
    match Decimal::from_f64(value) {
        Some(decimal) => decimal.to_string(),
        None => trimmed(&format!("{value:.36}")),
    }
}

fn trimmed(text: &str) -> String {
    Decimal::parse(text).map_or_else(|| text.to_owned(), |decimal| decimal.to_string())
}

/// A weight as decimal text with at most [`WEIGHT_PLACES`] decimal places.
fn weight_decimal(weight: f64) -> Option<Decimal> {
    let shortest = format!("{weight}");
    let places = shortest.split_once('.').map_or(0, |(_, frac)| frac.len());
    if places <= WEIGHT_PLACES {
        Decimal::parse(&shortest)
    } else {
        Decimal::parse(&format!("{weight:.WEIGHT_PLACES$}"))
    }
}

/// Weights whose decimals add up to exactly 1: as given when they do, else normalised with
/// the largest taking up the rounding.
fn weight_texts(raw: &[f64]) -> Option<Vec<String>> {
    let sum = |decimals: &[Decimal]| {
        decimals.iter().try_fold(Decimal::ZERO, |sum, weight| sum.add(*weight))
    };
    let as_given: Option<Vec<Decimal>> = raw.iter().map(|weight| weight_decimal(*weight)).collect();
    if let Some(as_given) = as_given
        && sum(&as_given) == Some(Decimal::ONE)
    {
        return Some(as_given.iter().map(Decimal::to_string).collect());
    }
    let total: f64 = raw.iter().sum();
    let mut normalised: Vec<Decimal> =
        raw.iter().map(|weight| weight_decimal(weight / total)).collect::<Option<_>>()?;
    let largest = (0..raw.len()).max_by(|&left, &right| raw[left].total_cmp(&raw[right]))?;
    normalised[largest] = Decimal::ZERO;
    let rest = sum(&normalised)?;
    normalised[largest] = Decimal::ONE.sub(rest)?;
    if normalised[largest].is_negative() {
        return None;
    }
    Some(normalised.iter().map(Decimal::to_string).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_that_add_up_to_one_are_kept_and_others_are_normalised_exactly() {
        assert_eq!(
            weight_texts(&[0.06, 0.16, 0.04, 0.32, 0.24, 0.18]).unwrap(),
            ["0.06", "0.16", "0.04", "0.32", "0.24", "0.18"]
        );
        assert_eq!(weight_texts(&[3.0, 1.0]).unwrap(), ["0.75", "0.25"]);
        // The largest (the last of equals) takes up the rounding.
        let thirds = weight_texts(&[1.0, 1.0, 1.0]).unwrap();
        assert_eq!(thirds, ["0.3333333333333333", "0.3333333333333333", "0.3333333333333334"]);
    }

    #[test]
    fn utilities_are_written_in_their_shortest_exact_text() {
        assert_eq!(utility_text(0.1), "0.1");
        assert_eq!(utility_text(1.0), "1");
        assert_eq!(utility_text(1e-40), "0");
        assert_eq!(utility_text(2.0 / 3.0).parse::<f64>().unwrap(), 2.0 / 3.0);
    }

    #[test]
    fn a_bid_note_reads_back_only_for_the_domain_it_fits() {
        let domain = Domain {
            name: "d".to_owned(),
            issues: vec![Issue {
                name: "a b".to_owned(),
                values: ValueSet::Discrete(vec!["x\"".to_owned(), "y".to_owned()]),
            }],
        };
        let bid = vec![("a b".to_owned(), "x\"".to_owned())];
        let note = bid_note(&bid);
        assert_eq!(note, "GeniusWeb reservation bid: {\"a b\": \"x\\\"\"}");
        assert_eq!(bid_from_note(&domain, &note), Some(bid));
        assert_eq!(bid_from_note(&domain, "GeniusWeb reservation bid: {\"a b\": \"z\"}"), None);
        assert_eq!(bid_from_note(&domain, "a reservation of our own"), None);
    }
}
