//! A whole GENIUS scenario (one domain, one profile per party), read from a folder's files,
//! and its normalised view with GENIUS semantics.

use std::collections::HashMap;

use crate::check::{self, MAX_INTEGER_OPTIONS};
use crate::error::{Error, Result};
use crate::model::{Domain, IssueEvaluator, IssueKind, Profile, ProfileIssue};
use crate::parse::{self, FileKind};

/// A domain and the profiles of its parties, each checked against the domain.
///
/// Build one with [`parse_scenario`] or [`Scenario::new`]; the checks they run are what lets
/// [`Scenario::normalised_utilities`] never fail.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    domain: Domain,
    profiles: Vec<(String, Profile)>,
}

impl Scenario {
    /// Checks that the domain is well formed and that every profile evaluates exactly its
    /// issues and values (matched by issue index and name), with a weight on every issue of a
    /// profile or on none, finite numbers, and evaluations and weights that are not negative.
    ///
    /// Each profile comes with its party id.
    pub fn new(domain: Domain, profiles: Vec<(String, Profile)>) -> Result<Scenario> {
        check::check_domain(&domain)
            .map_err(|problem| Error::InvalidDomain { message: problem.to_message() })?;
        for (party_idx, (party, profile)) in profiles.iter().enumerate() {
            if profiles[..party_idx].iter().any(|(earlier, _)| earlier == party) {
                return Err(Error::ProfileMismatch {
                    party: party.clone(),
                    message: "the party id is used by an earlier profile too".to_owned(),
                });
            }
            check::check_profile(profile)
                .and_then(|()| check::check_profile_against_domain(&domain, profile))
                .map_err(|problem| Error::ProfileMismatch {
                    party: party.clone(),
                    message: problem.to_message(),
                })?;
        }
        Ok(Scenario { domain, profiles })
    }

    /// The domain.
    pub fn domain(&self) -> &Domain {
        &self.domain
    }

    /// Each party's id and profile, in the order they were given.
    pub fn profiles(&self) -> &[(String, Profile)] {
        &self.profiles
    }

    /// Takes the scenario apart.
    pub fn into_parts(self) -> (Domain, Vec<(String, Profile)>) {
        (self.domain, self.profiles)
    }

    /// Every party's utilities, per issue and per option, with GENIUS semantics.
    ///
    /// Issues come in domain order; options in the domain's value order, and integer issues
    /// list every integer from the lower to the upper bound, labelled by the number.
    ///
    /// * A discrete option's value is its evaluation divided by the largest evaluation of the
    ///   issue (GENIUS `EvaluatorDiscrete.normalize`; 0 when that largest is below `1e-5`).
    /// * An integer option's value is the linear evaluator's `offset + slope * (x - lower)`
    ///   clamped to `[0, 1]` (GENIUS `EvaluatorInteger`), then divided by the issue's largest
    ///   such evaluation like a discrete issue's, so that every issue's best option is worth 1.
    ///   On the public scenarios every integer evaluator already reaches 1.
    /// * Weights are divided by their sum so that they add up to 1; a profile without weights
    ///   gets equal weights. When every weight is 0, all stay 0.
    ///
    /// So a party's utility of an outcome is the sum over issues of weight times value, in
    /// `[0, 1]`.
    pub fn normalised_utilities(&self) -> Vec<PartyUtilities> {
        self.profiles
            .iter()
            .map(|(party, profile)| PartyUtilities {
                party: party.clone(),
                issues: normalise_profile(&self.domain, profile),
            })
            .collect()
    }
}

/// One party's normalised utilities; see [`Scenario::normalised_utilities`].
#[derive(Debug, Clone, PartialEq)]
pub struct PartyUtilities {
    /// The party id.
    pub party: String,
    /// One entry per domain issue, in domain order.
    pub issues: Vec<IssueUtilities>,
}

/// The normalised weight of one issue and the value of each of its options.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueUtilities {
    /// The issue's name.
    pub name: String,
    /// The issue's weight; a party's weights add up to 1 (or are all 0).
    pub weight: f64,
    /// One entry per option, in domain order.
    pub options: Vec<OptionUtility>,
}

/// The value in `[0, 1]` of one option of an issue, before weighting.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionUtility {
    /// The discrete value, or the integer written in decimal.
    pub label: String,
    /// The option's value in `[0, 1]`.
    pub value: f64,
}

/// Below this largest evaluation GENIUS evaluates every value of a discrete issue as 0; the
/// same rule applies here to integer issues.
const GENIUS_SMALLEST_MAX_EVALUATION: f64 = 0.00001;

fn normalise_profile(domain: &Domain, profile: &Profile) -> Vec<IssueUtilities> {
    // Scenario::new guarantees that every domain issue has exactly one profile issue.
    let by_index: HashMap<u32, &ProfileIssue> =
        profile.issues.iter().rev().map(|issue| (issue.index, issue)).collect();
    let profile_issues: Vec<_> = domain
        .issues
        .iter()
        .filter_map(|domain_issue| Some((domain_issue, *by_index.get(&domain_issue.index)?)))
        .collect();
    // A missing weight counts as 1, as in NegMAS, so a profile without weights gets equal weights.
    let raw_weights: Vec<f64> =
        profile_issues.iter().map(|(_, issue)| issue.weight.unwrap_or(1.0)).collect();
    // Dividing by the largest weight first keeps the sum finite even for weights near f64::MAX.
    let max_weight = raw_weights.iter().copied().fold(0.0, f64::max);
    let raw_weights: Vec<f64> = if max_weight > 0.0 {
        raw_weights.iter().map(|weight| weight / max_weight).collect()
    } else {
        raw_weights
    };
    let weight_sum: f64 = raw_weights.iter().sum();
    profile_issues
        .iter()
        .zip(raw_weights)
        .map(|((domain_issue, profile_issue), raw_weight)| {
            let weight = if weight_sum > 0.0 { raw_weight / weight_sum } else { 0.0 };
            let options = match (&domain_issue.kind, &profile_issue.evaluator) {
                (IssueKind::Discrete { values }, IssueEvaluator::Discrete { evaluations }) => {
                    // A map, not a list search: an issue may have tens of thousands of values.
                    let by_value: HashMap<&str, f64> = evaluations
                        .iter()
                        .map(|evaluation| (evaluation.value.as_str(), evaluation.evaluation))
                        .collect();
                    let evaluation_of =
                        |value: &String| by_value.get(value.as_str()).copied().unwrap_or(0.0);
                    let max_evaluation = values.iter().map(evaluation_of).fold(0.0, f64::max);
                    values
                        .iter()
                        .map(|value| OptionUtility {
                            label: value.clone(),
                            value: if max_evaluation < GENIUS_SMALLEST_MAX_EVALUATION {
                                0.0
                            } else {
                                evaluation_of(value) / max_evaluation
                            },
                        })
                        .collect()
                }
                (IssueKind::Integer { lower, upper }, IssueEvaluator::Integer(linear)) => {
                    debug_assert!(i128::from(*upper) - i128::from(*lower) < MAX_INTEGER_OPTIONS);
                    let evaluations: Vec<(i64, f64)> =
                        (*lower..=*upper).map(|option| (option, linear.evaluate(option))).collect();
                    let max_evaluation =
                        evaluations.iter().map(|(_, evaluation)| *evaluation).fold(0.0, f64::max);
                    evaluations
                        .into_iter()
                        .map(|(option, evaluation)| OptionUtility {
                            label: option.to_string(),
                            value: if max_evaluation < GENIUS_SMALLEST_MAX_EVALUATION {
                                0.0
                            } else {
                                evaluation / max_evaluation
                            },
                        })
                        .collect()
                }
                // Scenario::new refuses profiles whose issue kinds differ from the domain's.
                _ => Vec::new(),
            };
            IssueUtilities { name: domain_issue.name.clone(), weight, options }
        })
        .collect()
}

/// Reads a scenario from the files of one folder, given as `(file name, text)` pairs.
///
/// Files are told apart by content: exactly one must be a domain (a `negotiation_template`,
/// or a `utility_space` without weights or evaluations) and at least one a profile. Each
/// profile is checked against the domain, and its party id is its file name without folders
/// and extension. Profiles keep the order of `files`.
pub fn parse_scenario(files: &[(String, String)]) -> Result<Scenario> {
    let mut domain_files = Vec::new();
    let mut profile_files = Vec::new();
    for (file_name, text) in files {
        match parse::classify(file_name, text)? {
            FileKind::Domain => domain_files.push((file_name, text)),
            FileKind::Profile => profile_files.push((file_name, text)),
        }
    }
    let (domain_file, domain_text) = match domain_files.as_slice() {
        [] => {
            let files = files.iter().map(|(file_name, _)| file_name.clone()).collect();
            return Err(Error::NoDomain { files });
        }
        [single] => *single,
        several => {
            let files = several.iter().map(|(file_name, _)| (*file_name).clone()).collect();
            return Err(Error::SeveralDomains { files });
        }
    };
    if profile_files.is_empty() {
        return Err(Error::NoProfile { domain_file: domain_file.clone() });
    }
    let domain = parse::parse_domain(domain_file, domain_text)?;
    let mut profiles: Vec<(String, Profile)> = Vec::new();
    let mut party_files: Vec<&String> = Vec::new();
    for (file_name, text) in profile_files {
        let party = party_id(file_name);
        if let Some(party_idx) = profiles.iter().position(|(earlier, _)| *earlier == party) {
            return Err(Error::DuplicateParty {
                party,
                first_file: party_files[party_idx].clone(),
                second_file: file_name.clone(),
            });
        }
        let profile = parse::parse_profile_for(file_name, text, Some(&domain))?;
        profiles.push((party, profile));
        party_files.push(file_name);
    }
    Ok(Scenario { domain, profiles })
}

/// The file name without folders and without its last extension.
fn party_id(file_name: &str) -> String {
    let base_name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    match base_name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_owned(),
        _ => base_name.to_owned(),
    }
}

#[cfg(test)]
mod tests;
