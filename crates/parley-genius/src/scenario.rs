//! A whole GENIUS scenario (one domain, one profile per party), read from a folder's files,
//! and its normalised view with GENIUS semantics.

use std::collections::HashMap;

use crate::check::{self, MAX_INTEGER_OPTIONS};
use crate::error::{Error, Location, Result, Warning};
use crate::model::{Domain, IssueEvaluator, IssueKind, Profile, ProfileIssue};
use crate::parse::{self, FileKind};

/// A domain and the profiles of its parties, each checked against the domain.
///
/// Build one with [`parse_scenario`] or [`Scenario::new`]; the checks they run are what lets
/// [`Scenario::normalised_utilities`] never fail.
///
/// Two scenarios are equal when their domains and profiles are: where they were read from,
/// and what the reading noted, do not count.
#[derive(Debug, Clone)]
pub struct Scenario {
    domain: Domain,
    profiles: Vec<(String, Profile)>,
    domain_file: String,
    party_files: Vec<String>,
    warnings: Vec<Warning>,
    reference: Option<ReferenceFrontier>,
    skipped: Vec<SkippedFile>,
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
                .and_then(|lenient| match lenient.into_iter().next() {
                    // What a GENIUS file may hold is a mismatch in a scenario built whole.
                    Some(problem) => Err(problem),
                    None => Ok(()),
                })
                .map_err(|problem| Error::ProfileMismatch {
                    party: party.clone(),
                    message: problem.to_message(),
                })?;
        }
        let party_files = profiles.iter().map(|(party, _)| party.clone()).collect();
        Ok(Scenario {
            domain,
            profiles,
            domain_file: String::new(),
            party_files,
            warnings: Vec::new(),
            reference: None,
            skipped: Vec::new(),
        })
    }

    /// The domain's file, when read from files.
    pub fn domain_file(&self) -> &str {
        &self.domain_file
    }

    /// Each profile's file, in the order of [`Scenario::profiles`] (the party id for a
    /// scenario built with [`Scenario::new`]).
    pub fn party_files(&self) -> &[String] {
        &self.party_files
    }

    /// What the files held that was read leniently, as GENIUS reads it.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// GENIUS's reference frontier from the folder, when it has one; its utilities are in
    /// the order of [`Scenario::profiles`].
    pub fn reference(&self) -> Option<&ReferenceFrontier> {
        self.reference.as_ref()
    }

    /// The folder's files that are not part of the scenario, with the reason.
    pub fn skipped(&self) -> &[SkippedFile] {
        &self.skipped
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

impl PartialEq for Scenario {
    fn eq(&self, other: &Scenario) -> bool {
        self.domain == other.domain && self.profiles == other.profiles
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
    /// One entry per option, in domain order; none for a real issue.
    pub options: Vec<OptionUtility>,
    /// For a real issue, `(number, value)` at each number of the domain's range where the
    /// evaluation may bend, rising from the lower to the upper end: the value is linear
    /// between them and is GENIUS's evaluation itself (GENIUS does not rescale real
    /// evaluations). Empty for other issues.
    pub curve: Vec<(f64, f64)>,
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
    // A non-linear profile has no weights: its issues count only through its constraints.
    let missing_weight = if profile.constraints.is_some() { 0.0 } else { 1.0 };
    let raw_weights: Vec<f64> =
        profile_issues.iter().map(|(_, issue)| issue.weight.unwrap_or(missing_weight)).collect();
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
                // A non-linear profile's issues: valued by its constraints alone.
                (IssueKind::Integer { lower, upper }, IssueEvaluator::Unevaluated { .. }) => {
                    (*lower..=*upper)
                        .map(|option| OptionUtility { label: option.to_string(), value: 0.0 })
                        .collect()
                }
                // Scenario::new refuses profiles whose issue kinds differ from the domain's.
                _ => Vec::new(),
            };
            let curve = match (&domain_issue.kind, &profile_issue.evaluator) {
                (IssueKind::Real { lower, upper }, IssueEvaluator::Real(real)) => real
                    .function
                    .bends(*lower, *upper)
                    .into_iter()
                    .map(|number| (number, real.function.evaluate(number)))
                    .collect(),
                _ => Vec::new(),
            };
            IssueUtilities { name: domain_issue.name.clone(), weight, options, curve }
        })
        .collect()
}

/// What a file of a scenario folder is, judged by its content (see [`classify_file`]).
#[derive(Debug, Clone, PartialEq)]
pub enum FileRole {
    /// A GENIUS domain.
    Domain,
    /// A GENIUS utility profile.
    Profile,
    /// GENIUS's reference Pareto frontier (`pareto.xml`: plain text, one point a line).
    Reference(ReferenceFrontier),
    /// Anything else: skipped, and named in [`Scenario::skipped`] with the reason.
    Other {
        /// Why the file is not part of the scenario.
        reason: String,
    },
}

/// GENIUS's own Pareto frontier of a scenario, as its `pareto.xml` lists it: one point a line,
/// the utilities of the profiles separated by commas.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceFrontier {
    /// The file it was read from.
    pub file: String,
    /// The points, each with one utility per profile.
    pub points: Vec<Vec<f64>>,
}

/// A file of a folder that is not part of its scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedFile {
    /// The file.
    pub file: String,
    /// Why: not GENIUS, an empty profile template, a domain that no profile evaluates.
    pub reason: String,
}

/// Tells what a folder's file is by its content, never its name: text that is not XML is a
/// reference frontier when every line is a list of numbers and otherwise another file; XML is a
/// domain, a profile, an empty profile template (another file) or, with another root element,
/// another file. XML that does not parse is an error (a GENIUS file with a mistake must not be
/// skipped silently), as is a reference frontier with a line that is not numbers.
pub fn classify_file(file_name: &str, text: &str) -> Result<FileRole> {
    let content = text.strip_prefix('\u{feff}').unwrap_or(text).trim_start();
    if content.is_empty() {
        return Ok(FileRole::Other { reason: "the file is empty".to_owned() });
    }
    if !content.starts_with('<') {
        return Ok(match parse_reference(file_name, text)? {
            Some(reference) => FileRole::Reference(reference),
            None => FileRole::Other { reason: "neither XML nor a list of numbers".to_owned() },
        });
    }
    let (root, kind) = parse::root_and_kind(file_name, text)?;
    let Some(kind) = kind else {
        return Ok(FileRole::Other {
            reason: format!("XML whose root <{root}> is not a GENIUS one"),
        });
    };
    Ok(match kind {
        FileKind::Domain => FileRole::Domain,
        FileKind::Profile => FileRole::Profile,
        FileKind::EmptyProfile => FileRole::Other {
            reason:
                "an empty profile template: every evaluation is 'null' and there are no weights"
                    .to_owned(),
        },
    })
}

/// A reference frontier, when the first line with content is a list of numbers; then every
/// such line must be one, with as many numbers as the first.
fn parse_reference(file_name: &str, text: &str) -> Result<Option<ReferenceFrontier>> {
    let mut points: Vec<Vec<f64>> = Vec::new();
    for (line_idx, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let numbers: Option<Vec<f64>> = line
            .split(',')
            .map(|field| field.trim().parse::<f64>().ok().filter(|number| number.is_finite()))
            .collect();
        let location = || Location {
            file: file_name.to_owned(),
            line: u32::try_from(line_idx + 1).unwrap_or(u32::MAX),
            column: 1,
        };
        match (numbers, points.first()) {
            (None, None) => return Ok(None),
            (None, Some(_)) => {
                return Err(Error::InvalidReference {
                    location: location(),
                    message: format!(
                        "'{}' is not a list of numbers separated by commas, expected one like the first line",
                        line.trim()
                    ),
                });
            }
            (Some(numbers), Some(first)) if numbers.len() != first.len() => {
                return Err(Error::InvalidReference {
                    location: location(),
                    message: format!(
                        "has {} numbers, expected {} like the first line",
                        numbers.len(),
                        first.len()
                    ),
                });
            }
            (Some(numbers), _) => points.push(numbers),
        }
    }
    Ok(if points.is_empty() {
        None
    } else {
        Some(ReferenceFrontier { file: file_name.to_owned(), points })
    })
}

/// The files of a folder, told apart by content: its domains, each with the profiles that
/// evaluate it, GENIUS reference frontiers and other files.
#[derive(Debug, Clone)]
pub struct Folder {
    /// Each domain file with its parsed domain and the profiles that fit it.
    pub domains: Vec<FolderDomain>,
    /// The reference frontiers found.
    pub references: Vec<ReferenceFrontier>,
    /// The files that are not part of any scenario, with the reason.
    pub skipped: Vec<SkippedFile>,
    /// What was read leniently, in every file.
    pub warnings: Vec<Warning>,
}

/// A domain of a [`Folder`] and the profiles that evaluate exactly its issues and values.
#[derive(Debug, Clone)]
pub struct FolderDomain {
    /// The domain's file.
    pub file: String,
    /// The domain.
    pub domain: Domain,
    /// The fitting profiles: file, party id and profile.
    pub profiles: Vec<(String, String, Profile)>,
}

impl FolderDomain {
    /// The names a user may choose this domain by: its file name without folders, that name
    /// without its extension, and the domain's objective name.
    fn is_named(&self, name: &str) -> bool {
        let base_name = self.file.rsplit(['/', '\\']).next().unwrap_or(&self.file);
        name == self.file
            || name == base_name
            || name == party_id(&self.file)
            || name == self.domain.name
    }
}

/// Reads a folder's files, given as `(file name, text)` pairs, and pairs each profile with the
/// domains whose issues and values it evaluates exactly (by index, name and values).
///
/// Every profile must fit some domain: a profile that fits none is an error, positioned in the
/// profile when the folder has one domain. `extra_domain` is a domain file from elsewhere (a
/// profile's domain in the parent folder, say), read as one of the folder's domains.
pub fn read_folder(
    files: &[(String, String)],
    extra_domain: Option<&(String, String)>,
) -> Result<Folder> {
    let mut domain_files: Vec<(&String, &String)> = Vec::new();
    let mut profile_files: Vec<(&String, &String)> = Vec::new();
    let mut references = Vec::new();
    let mut skipped = Vec::new();
    for (file_name, text) in files.iter().chain(extra_domain) {
        match classify_file(file_name, text)? {
            FileRole::Domain => domain_files.push((file_name, text)),
            FileRole::Profile => profile_files.push((file_name, text)),
            FileRole::Reference(reference) => references.push(reference),
            FileRole::Other { reason } => {
                skipped.push(SkippedFile { file: file_name.clone(), reason })
            }
        }
    }
    if let Some((extra_file, _)) = extra_domain
        && !domain_files.iter().any(|(file_name, _)| *file_name == extra_file)
    {
        return Err(Error::NotADomain { file: extra_file.clone() });
    }
    if domain_files.is_empty() {
        let files = files.iter().map(|(file_name, _)| file_name.clone()).collect();
        return Err(Error::NoDomain { files });
    }
    let mut warnings = Vec::new();
    let mut name_pairings: Vec<(String, String)> = Vec::new();
    let mut domains = Vec::new();
    for (file_name, text) in &domain_files {
        let (domain, domain_warnings) = parse::parse_domain_with_warnings(file_name, text)?;
        warnings.extend(domain_warnings);
        domains.push(FolderDomain { file: (*file_name).clone(), domain, profiles: Vec::new() });
    }
    for (file_name, text) in profile_files {
        let (profile, own_warnings) = parse::parse_profile_for(file_name, text, None)?;
        // The domains the profile fits, with how many lenient readings each needs.
        let fits: Vec<(usize, usize)> = (0..domains.len())
            .filter_map(|domain_idx| {
                check::check_profile_against_domain(&domains[domain_idx].domain, &profile)
                    .ok()
                    .map(|lenient| (domain_idx, lenient.len()))
            })
            .collect();
        let Some(fewest) = fits.iter().map(|(_, n_lenient)| *n_lenient).min() else {
            if let [single] = domains.as_slice() {
                // The positioned error of the one domain there is.
                parse::parse_profile_for(file_name, text, Some(&single.domain))?;
            }
            let reasons = domains
                .iter()
                .filter_map(|candidate| {
                    check::check_profile_against_domain(&candidate.domain, &profile)
                        .err()
                        .map(|problem| format!("'{}': {}", candidate.file, problem.to_message()))
                })
                .collect();
            return Err(Error::NoFittingDomain { profile: file_name.clone(), reasons });
        };
        let mut fitting: Vec<usize> = fits
            .iter()
            .filter(|(_, n_lenient)| *n_lenient == fewest)
            .map(|(domain_idx, _)| *domain_idx)
            .collect();
        if fitting.len() > 1 {
            // Identical domains (the A, B and C variants of an ANAC 2012 domain) cannot be told
            // apart by content: the profile goes with the one whose file name shares the
            // longest beginning with its own, as those files are named.
            let shared = |domain_idx: usize| shared_prefix(&domains[domain_idx].file, file_name);
            let longest = fitting.iter().map(|&domain_idx| shared(domain_idx)).max().unwrap_or(0);
            let by_name: Vec<usize> = fitting
                .iter()
                .copied()
                .filter(|&domain_idx| shared(domain_idx) == longest)
                .collect();
            if by_name.len() < fitting.len() {
                name_pairings.push((file_name.clone(), domains[by_name[0]].file.clone()));
            }
            fitting = by_name;
        }
        if fewest == 0 {
            warnings.extend(own_warnings);
        } else {
            // Read again against the domain, for the lenient readings' positions.
            let (_, profile_warnings) =
                parse::parse_profile_for(file_name, text, Some(&domains[fitting[0]].domain))?;
            warnings.extend(profile_warnings);
        }
        let party = party_id(file_name);
        for domain_idx in fitting {
            domains[domain_idx].profiles.push((file_name.clone(), party.clone(), profile.clone()));
        }
    }
    if let Some((first_profile, first_domain)) = name_pairings.first() {
        warnings.push(Warning {
            location: Location { file: first_profile.clone(), line: 1, column: 1 },
            element: "utility_space".to_owned(),
            message: format!(
                "fits several identical domains; paired with '{first_domain}' by its file name ({} profiles paired so)",
                name_pairings.len()
            ),
        });
    }
    Ok(Folder { domains, references, skipped, warnings })
}

impl Folder {
    /// The scenario of one domain: the one named `domain` (see [`FolderDomain`]'s names), or,
    /// when none is named, the only domain that profiles fit. An error lists the domains and
    /// their profiles when the choice is not clear. Domains left out are named in
    /// [`Scenario::skipped`]; a reference frontier is attached when the folder holds one domain
    /// with profiles.
    pub fn scenario(self, domain: Option<&str>) -> Result<Scenario> {
        let Folder { domains, mut references, mut skipped, warnings } = self;
        let with_profiles: Vec<usize> = (0..domains.len())
            .filter(|&domain_idx| !domains[domain_idx].profiles.is_empty())
            .collect();
        let chosen = match domain {
            Some(name) => {
                let named: Vec<usize> = (0..domains.len())
                    .filter(|&domain_idx| domains[domain_idx].is_named(name))
                    .collect();
                match named.as_slice() {
                    [single] => *single,
                    _ => {
                        return Err(Error::UnknownDomain {
                            name: name.to_owned(),
                            choices: domain_choices(&domains),
                        });
                    }
                }
            }
            None => match with_profiles.as_slice() {
                [single] => *single,
                [] if domains.len() == 1 => 0,
                [] => return Err(Error::NoProfile { domain_file: domains[0].file.clone() }),
                _ => return Err(Error::SeveralDomains { choices: domain_choices(&domains) }),
            },
        };
        if with_profiles.len() > 1 {
            references.clear();
        }
        let mut chosen_domain = None;
        for (domain_idx, folder_domain) in domains.into_iter().enumerate() {
            if domain_idx == chosen {
                chosen_domain = Some(folder_domain);
            } else {
                let reason = if folder_domain.profiles.is_empty() {
                    "a domain that no profile of the folder evaluates".to_owned()
                } else {
                    "another domain of the folder, not the one chosen".to_owned()
                };
                skipped.push(SkippedFile { file: folder_domain.file, reason });
            }
        }
        let FolderDomain { file: domain_file, domain, profiles } =
            chosen_domain.expect("the chosen index is one of the domains");
        if profiles.is_empty() {
            return Err(Error::NoProfile { domain_file });
        }
        let mut parties: Vec<(String, Profile)> = Vec::new();
        let mut party_files: Vec<String> = Vec::new();
        for (file_name, party, profile) in profiles {
            if let Some(party_idx) = parties.iter().position(|(earlier, _)| *earlier == party) {
                return Err(Error::DuplicateParty {
                    party,
                    first_file: party_files[party_idx].clone(),
                    second_file: file_name,
                });
            }
            parties.push((party, profile));
            party_files.push(file_name);
        }
        let reference = match references.len() {
            0 => None,
            1 => references.pop(),
            _ => {
                for reference in references {
                    skipped.push(SkippedFile {
                        file: reference.file,
                        reason: "one of several reference frontiers: which one belongs to the scenario is unclear".to_owned(),
                    });
                }
                None
            }
        };
        if let Some(reference) = &reference
            && reference.points.first().is_some_and(|point| point.len() != parties.len())
        {
            return Err(Error::InvalidReference {
                location: Location { file: reference.file.clone(), line: 1, column: 1 },
                message: format!(
                    "has {} utilities a point, expected one for each of the {} profiles",
                    reference.points[0].len(),
                    parties.len()
                ),
            });
        }
        Ok(Scenario {
            domain,
            profiles: parties,
            domain_file,
            party_files,
            warnings,
            reference,
            skipped,
        })
    }
}

/// How many characters two files' base names share at their beginning.
fn shared_prefix(first: &str, second: &str) -> usize {
    let base = |file: &'_ str| file.rsplit(['/', '\\']).next().unwrap_or(file).to_owned();
    let (first, second) = (base(first), base(second));
    first.chars().zip(second.chars()).take_while(|(a, b)| a == b).count()
}

fn domain_choices(domains: &[FolderDomain]) -> Vec<(String, Vec<String>)> {
    domains
        .iter()
        .map(|domain| {
            (domain.file.clone(), domain.profiles.iter().map(|(file, _, _)| file.clone()).collect())
        })
        .collect()
}

/// Reads a scenario from the files of one folder, given as `(file name, text)` pairs: the
/// folder's only domain that profiles fit, with those profiles ([`read_folder`] and
/// [`Folder::scenario`]).
///
/// Files are told apart by content. Each profile is checked against the domain, and its party
/// id is its file name without folders and extension. Profiles keep the order of `files`.
pub fn parse_scenario(files: &[(String, String)]) -> Result<Scenario> {
    read_folder(files, None)?.scenario(None)
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
