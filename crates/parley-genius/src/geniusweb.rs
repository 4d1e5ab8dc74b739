//! GeniusWeb scenarios (the JSON format of ANAC 2020 onwards): a domain file and one
//! `LinearAdditiveUtilitySpace` profile per party, read into plain data, written back, and
//! converted to and from a Parley scenario.
//!
//! Like the rest of the crate this does no I/O: the caller hands over `(file name, text)`.
//!
//! * [`parse_domain`] reads `{"name": .., "issuesValues": {issue: value set}}`, where a value
//!   set is discrete (`{"values": ["a", "b"]}`) or a number range
//!   (`{"range": {"low": .., "high": .., "step": ..}}`).
//! * [`parse_profile`] reads `{"LinearAdditiveUtilitySpace": {"name", "domain",
//!   "issueUtilities", "issueWeights", "reservationBid"}}`, each issue's utilities being
//!   `DiscreteValueSetUtilities` (`valueUtilities`: one per value) or `NumberValueSetUtilities`
//!   (`lowValue`, `lowUtility`, `highValue`, `highUtility`).
//! * [`parse_scenario`] reads a folder's files, telling the domain from the profiles by content
//!   and checking that every profile's embedded domain is the folder's domain.
//! * [`write_domain`] and [`write_profile`] write files that parse back to the same value.
//! * [`to_model`] and [`from_model`] convert to and from a Parley scenario.
//!
//! Numbers (weights, utilities, range bounds) may be JSON numbers or decimal strings, as
//! GeniusWeb's decimal fields accept both; they are kept exactly, as decimal text, and refused
//! when they need more than 37 significant digits. As GeniusWeb requires, utilities lie in
//! `[0, 1]` and a profile's weights add up to exactly 1 (in decimal arithmetic), a profile
//! gives utilities for exactly the domain's issues and values, and a number utility's
//! `lowValue` and `highValue` are its range's `low` and `high`.
//!
//! **Number ranges.** A range holds `low`, `low + step`, `low + 2 step`, ... up to `high`
//! (which is itself a value only when a whole number of steps reaches it), as GeniusWeb
//! enumerates it; each value becomes an option whose id is its decimal text without trailing
//! zeros (`2.5`, `3`). The utility of `x` is GeniusWeb's interpolation `lowUtility +
//! (highUtility - lowUtility) (x - lowValue) / (highValue - lowValue)`, computed exactly and
//! rounded half up to 8 decimal places as GeniusWeb rounds it. A Parley option does not
//! remember that it came from a range, so [`from_model`] writes every issue as a discrete
//! value set, with each option's utility written out: the outcomes and their utilities are
//! the same, and reading the export gives the same Parley scenario.
//!
//! **Reservation bids.** A Parley party holds a reservation *value*, not a bid. [`to_model`]
//! gives each party with a `reservationBid` the bid's utility under its profile (the sum of
//! weight times utility over the issues the bid gives, in `f64`) and records the bid itself
//! in the reservation's note, as `GeniusWeb reservation bid: {"issue": "value", ...}`.
//! [`from_model`] writes a `reservationBid` only when such a note names a bid of the exported
//! domain whose utility under the exported profile is the reservation value (to 1e-12);
//! otherwise GeniusWeb has nowhere to put the value, and [`Export::left_out`] says so. GENIUS
//! discount factors are left out likewise. Import, export and import again thus give the same
//! Parley scenario.
//!
//! **Names.** Profile and domain names are written as the party and scenario ids are. GeniusWeb
//! asks for simple names (letters and digits) and this module does not enforce that, on
//! reading or on writing: an id such as `talks-2025` gives a file that Parley reads back but
//! GeniusWeb may refuse. A GeniusWeb weight of 0 is refused by [`to_model`], as Parley
//! weights are positive.
//!
//! Refused with an error naming the file, line, column and field: other profile kinds
//! (`SumOfGroupsUtilitySpace`, `DefaultPartialOrdering`, ...), fields GeniusWeb does not
//! define, and everything that breaks the rules above.

mod convert;
mod decimal;
mod json;
#[cfg(test)]
mod tests;

use std::collections::HashSet;

pub use convert::{Export, from_model, to_model};

use crate::error::{Error, Location, Result};
use crate::parse::FileKind;
use decimal::Decimal;
use json::{Json, Member, Value};

/// The most values a number range may have: each becomes an option.
const MAX_RANGE_VALUES: usize = 100_000;

/// The decimal places of GeniusWeb's interpolated number utilities.
const NUMBER_UTILITY_PLACES: u32 = 8;

/// The profile kind this module reads.
const LINEAR_ADDITIVE: &str = "LinearAdditiveUtilitySpace";

/// A GeniusWeb domain: its name and its issues, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Domain {
    /// The domain's `name`.
    pub name: String,
    /// The issues of `issuesValues`, in file order.
    pub issues: Vec<Issue>,
}

/// One issue of a [`Domain`].
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// The issue's name, unique within the domain.
    pub name: String,
    /// Its values.
    pub values: ValueSet,
}

/// The values an [`Issue`] can take.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueSet {
    /// `{"values": [..]}`: named values, in file order, without duplicates.
    Discrete(Vec<String>),
    /// `{"range": {"low", "high", "step"}}`: the numbers `low + k step` up to `high`. The
    /// bounds are decimal text without trailing zeros.
    Range {
        /// The first value.
        low: String,
        /// No value exceeds it.
        high: String,
        /// The distance between values, above 0.
        step: String,
    },
}

impl ValueSet {
    /// Each value as text: a discrete value as it is, a number as its decimal text. `None`
    /// when a range's bounds are not decimals or it has too many values.
    pub fn values(&self) -> Option<Vec<String>> {
        match self {
            ValueSet::Discrete(values) => Some(values.clone()),
            ValueSet::Range { low, high, step } => {
                range_values(Decimal::parse(low)?, Decimal::parse(high)?, Decimal::parse(step)?)
                    .map(|values| values.iter().map(Decimal::to_string).collect())
            }
        }
    }
}

/// The values of a range, or `None` when it is empty, its step is not positive or it has
/// more than [`MAX_RANGE_VALUES`].
fn range_values(low: Decimal, high: Decimal, step: Decimal) -> Option<Vec<Decimal>> {
    if step <= Decimal::ZERO || high < low {
        return None;
    }
    let mut values = Vec::new();
    let mut value = low;
    while value <= high {
        if values.len() == MAX_RANGE_VALUES {
            return None;
        }
        values.push(value);
        let n_steps = Decimal::parse(&values.len().to_string())?;
        value = low.add(step.mul(n_steps)?)?;
    }
    Some(values)
}

/// A `LinearAdditiveUtilitySpace` profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The profile's `name`.
    pub name: String,
    /// The domain the profile embeds.
    pub domain: Domain,
    /// One entry per domain issue, in the domain's order.
    pub issues: Vec<IssueUtilities>,
    /// The `reservationBid`'s values, issue by issue in the domain's order, each as
    /// [`ValueSet::values`] writes it; `None` where the profile has none (or `null`).
    pub reservation_bid: Option<Vec<(String, String)>>,
}

/// One issue's weight and utilities in a [`Profile`].
#[derive(Debug, Clone, PartialEq)]
pub struct IssueUtilities {
    /// The issue's name.
    pub issue: String,
    /// Its `issueWeights` entry, as decimal text.
    pub weight: String,
    /// Its `issueUtilities` entry.
    pub utilities: ValueSetUtilities,
}

/// How an issue's values get their utilities.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueSetUtilities {
    /// `DiscreteValueSetUtilities`: each value and its utility (decimal text), in the domain's
    /// order of values.
    Discrete(Vec<(String, String)>),
    /// `NumberValueSetUtilities`: a linear interpolation between two points (decimal text).
    Number {
        /// `lowValue`: the range's `low`.
        low_value: String,
        /// `lowUtility`, in `[0, 1]`.
        low_utility: String,
        /// `highValue`: the range's `high`.
        high_value: String,
        /// `highUtility`, in `[0, 1]`.
        high_utility: String,
    },
}

impl ValueSetUtilities {
    /// The utility of each of `values` (as [`ValueSet::values`] gives them), exactly as
    /// GeniusWeb computes it; `None` where a number has too many digits for that.
    fn utilities(&self, values: &[String]) -> Option<Vec<Decimal>> {
        match self {
            ValueSetUtilities::Discrete(utilities) => values
                .iter()
                .map(|value| {
                    utilities
                        .iter()
                        .find(|(known, _)| known == value)
                        .map_or(Some(Decimal::ZERO), |(_, utility)| Decimal::parse(utility))
                })
                .collect(),
            ValueSetUtilities::Number { low_value, low_utility, high_value, high_utility } => {
                let low_value = Decimal::parse(low_value)?;
                let low_utility = Decimal::parse(low_utility)?;
                let delta_value = Decimal::parse(high_value)?.sub(low_value)?;
                let delta_utility = Decimal::parse(high_utility)?.sub(low_utility)?;
                values
                    .iter()
                    .map(|value| {
                        let offset = Decimal::parse(value)?.sub(low_value)?;
                        low_utility
                            .mul(delta_value)?
                            .add(delta_utility.mul(offset)?)?
                            .div_rounded(delta_value, NUMBER_UTILITY_PLACES)
                    })
                    .collect()
            }
        }
    }
}

/// A domain and its profiles, each checked against it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    domain: Domain,
    profiles: Vec<Profile>,
}

impl Scenario {
    /// Checks a domain and its profiles as [`parse_scenario`] checks a folder's files, by
    /// writing them ([`write_domain`], [`write_profile`]) and reading them back: errors point
    /// into the written text of `NAME.json`, the domain's or profile's name.
    pub fn new(domain: &Domain, profiles: &[Profile]) -> Result<Scenario> {
        let mut files = vec![(format!("{}.json", domain.name), write_domain(domain))];
        for profile in profiles {
            files.push((format!("{}.json", profile.name), write_profile(profile)));
        }
        parse_scenario(&files)
    }

    /// The domain.
    pub fn domain(&self) -> &Domain {
        &self.domain
    }

    /// The profiles, in the order their files were given.
    pub fn profiles(&self) -> &[Profile] {
        &self.profiles
    }
}

/// One file's text and name, so that errors can point into it.
struct Doc<'a> {
    file_name: &'a str,
    text: &'a str,
}

impl Doc<'_> {
    fn location(&self, at: usize) -> Location {
        json::location(self.file_name, self.text, at)
    }

    fn invalid(&self, at: usize, field: &str, message: String) -> Error {
        Error::InvalidField { location: self.location(at), field: field.to_owned(), message }
    }

    fn unsupported(&self, at: usize, field: &str, message: String) -> Error {
        Error::UnsupportedField { location: self.location(at), field: field.to_owned(), message }
    }

    fn object<'j>(&self, json: &'j Json, field: &str) -> Result<&'j [Member]> {
        match &json.value {
            Value::Object(members) => Ok(members),
            other => Err(self.invalid(
                json.at,
                field,
                format!("is {}, expected an object", other.kind()),
            )),
        }
    }

    fn string<'j>(&self, json: &'j Json, field: &str) -> Result<&'j str> {
        match &json.value {
            Value::String(text) => Ok(text),
            other => {
                Err(self.invalid(json.at, field, format!("is {}, expected a string", other.kind())))
            }
        }
    }

    /// A number, written as a JSON number or a decimal string.
    fn decimal(&self, json: &Json, field: &str) -> Result<Decimal> {
        let text = match &json.value {
            Value::Number(text) => text,
            Value::String(text) => {
                return Decimal::parse(text).ok_or_else(|| {
                    self.invalid(json.at, field, format!("is {text:?}, expected a decimal number"))
                });
            }
            other => {
                return Err(self.invalid(
                    json.at,
                    field,
                    format!("is {}, expected a number", other.kind()),
                ));
            }
        };
        Decimal::parse(text).ok_or_else(|| {
            self.unsupported(json.at, field, format!("{text} has too many digits to hold exactly, expected at most 37 significant digits"))
        })
    }

    /// The members of an object with exactly the keys `required` (and maybe `optional`).
    fn fields<'j>(
        &self,
        json: &'j Json,
        field: &str,
        required: &[&str],
        optional: &[&str],
    ) -> Result<Vec<Option<&'j Json>>> {
        let members = self.object(json, field)?;
        let expected = || {
            let all: Vec<String> =
                required.iter().chain(optional).map(|key| format!("{key:?}")).collect();
            all.join(", ")
        };
        for member in members {
            if !required.contains(&member.key.as_str()) && !optional.contains(&member.key.as_str())
            {
                return Err(self.invalid(
                    member.key_at,
                    &path(field, &member.key),
                    format!("is not a field of {}, expected {}", describe(field), expected()),
                ));
            }
        }
        let mut res = Vec::new();
        for key in required {
            let Some(member) = members.iter().find(|member| member.key == *key) else {
                return Err(self.invalid(
                    json.at,
                    field,
                    format!("has no {key:?}, expected {}", expected()),
                ));
            };
            res.push(Some(&member.value));
        }
        for key in optional {
            res.push(members.iter().find(|member| member.key == *key).map(|member| &member.value));
        }
        Ok(res)
    }

    /// An object with one member, `{"Kind": {..}}`: the kind and its value.
    fn wrapper<'j>(&self, json: &'j Json, field: &str, kinds: &[&str]) -> Result<&'j Member> {
        let members = self.object(json, field)?;
        let expected: Vec<String> = kinds.iter().map(|kind| format!("{kind:?}")).collect();
        match members {
            [member] => Ok(member),
            _ => Err(self.invalid(
                json.at,
                field,
                format!("has {} fields, expected one of {}", members.len(), expected.join(", ")),
            )),
        }
    }
}

/// `field` followed by `key`: `a.b`, or `a["b c"]` for a key that is not a plain name.
fn path(field: &str, key: &str) -> String {
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    match (field.is_empty(), plain) {
        (true, true) => key.to_owned(),
        (false, true) => format!("{field}.{key}"),
        (_, false) => format!("{field}[{}]", json::quote(key)),
    }
}

fn describe(field: &str) -> String {
    if field.is_empty() { "the file".to_owned() } else { format!("'{field}'") }
}

/// Tells a GeniusWeb domain (an object with `issuesValues`) from a profile (an object with
/// one member, the profile kind) by content; an error when the text is not JSON or neither.
pub fn classify(file_name: &str, text: &str) -> Result<FileKind> {
    let doc = Doc { file_name, text };
    classify_json(&doc, &json::parse(file_name, text)?)
}

fn classify_json(doc: &Doc<'_>, json: &Json) -> Result<FileKind> {
    let members = doc.object(json, "")?;
    if members.iter().any(|member| member.key == "issuesValues") {
        return Ok(FileKind::Domain);
    }
    if members.len() == 1 {
        return Ok(FileKind::Profile);
    }
    Err(doc.invalid(
        json.at,
        "",
        "is neither a GeniusWeb domain (with \"name\" and \"issuesValues\") nor a profile (one field naming its kind, such as \"LinearAdditiveUtilitySpace\")".to_owned(),
    ))
}

/// Parses a GeniusWeb domain file.
pub fn parse_domain(file_name: &str, text: &str) -> Result<Domain> {
    let doc = Doc { file_name, text };
    let json = json::parse(file_name, text)?;
    if classify_json(&doc, &json)? != FileKind::Domain {
        return Err(doc.invalid(json.at, "", "is a profile, expected a domain".to_owned()));
    }
    read_domain(&doc, &json, "")
}

fn read_domain(doc: &Doc<'_>, json: &Json, field: &str) -> Result<Domain> {
    let fields = doc.fields(json, field, &["name", "issuesValues"], &[])?;
    let (Some(name), Some(issues_json)) = (fields[0], fields[1]) else {
        unreachable!("required fields are present")
    };
    let name = doc.string(name, &path(field, "name"))?.to_owned();
    let issues_field = path(field, "issuesValues");
    let members = doc.object(issues_json, &issues_field)?;
    if members.is_empty() {
        return Err(doc.invalid(
            issues_json.at,
            &issues_field,
            "is empty, expected at least one issue".to_owned(),
        ));
    }
    let mut issues = Vec::new();
    for member in members {
        let issue_field = path(&issues_field, &member.key);
        let kind = doc.wrapper(&member.value, &issue_field, &["values", "range"])?;
        let values = match kind.key.as_str() {
            "values" => {
                let values_field = path(&issue_field, "values");
                let Value::Array(items) = &kind.value.value else {
                    let message =
                        format!("is {}, expected an array of strings", kind.value.value.kind());
                    return Err(doc.invalid(kind.value.at, &values_field, message));
                };
                if items.is_empty() {
                    return Err(doc.invalid(
                        kind.value.at,
                        &values_field,
                        "is empty, expected at least one value".to_owned(),
                    ));
                }
                let mut values: Vec<String> = Vec::new();
                for (value_idx, item) in items.iter().enumerate() {
                    let item_field = format!("{values_field}[{value_idx}]");
                    let value = doc.string(item, &item_field)?;
                    if values.iter().any(|earlier| earlier == value) {
                        return Err(doc.invalid(
                            item.at,
                            &item_field,
                            format!("{value:?} appears twice, expected distinct values"),
                        ));
                    }
                    values.push(value.to_owned());
                }
                ValueSet::Discrete(values)
            }
            "range" => {
                let range_field = path(&issue_field, "range");
                let fields =
                    doc.fields(&kind.value, &range_field, &["low", "high", "step"], &[])?;
                let mut bounds = Vec::new();
                for (key, json) in ["low", "high", "step"].iter().zip(&fields) {
                    let json = json.expect("required fields are present");
                    bounds.push((doc.decimal(json, &path(&range_field, key))?, json.at));
                }
                let [(low, _), (high, high_at), (step, step_at)] = bounds[..] else {
                    unreachable!()
                };
                if step <= Decimal::ZERO {
                    return Err(doc.invalid(
                        step_at,
                        &path(&range_field, "step"),
                        format!("is {step}, expected a number above 0"),
                    ));
                }
                if high < low {
                    return Err(doc.invalid(
                        high_at,
                        &path(&range_field, "high"),
                        format!("is {high}, below low {low}, expected at least low"),
                    ));
                }
                if range_values(low, high, step).is_none() {
                    return Err(doc.unsupported(kind.value.at, &range_field, format!("has more than {MAX_RANGE_VALUES} values (or too many digits to count them exactly), expected fewer")));
                }
                ValueSet::Range {
                    low: low.to_string(),
                    high: high.to_string(),
                    step: step.to_string(),
                }
            }
            other => {
                return Err(doc.invalid(
                    kind.key_at,
                    &path(&issue_field, other),
                    "is not a value set, expected \"values\" or \"range\"".to_owned(),
                ));
            }
        };
        issues.push(Issue { name: member.key.clone(), values });
    }
    Ok(Domain { name, issues })
}

/// Parses a GeniusWeb profile file: a `LinearAdditiveUtilitySpace`, checked against the
/// domain it embeds.
pub fn parse_profile(file_name: &str, text: &str) -> Result<Profile> {
    read_profile(file_name, text).map(|(profile, _)| profile)
}

/// A profile and the offset of its embedded domain.
fn read_profile(file_name: &str, text: &str) -> Result<(Profile, usize)> {
    let doc = Doc { file_name, text };
    let json = json::parse(file_name, text)?;
    if classify_json(&doc, &json)? != FileKind::Profile {
        return Err(doc.invalid(json.at, "", "is a domain, expected a profile".to_owned()));
    }
    let kind = doc.wrapper(&json, "", &[LINEAR_ADDITIVE])?;
    if kind.key != LINEAR_ADDITIVE {
        return Err(doc.unsupported(
            kind.key_at,
            &path("", &kind.key),
            format!("is a profile kind this reader does not support, expected {LINEAR_ADDITIVE:?}"),
        ));
    }
    let root = path("", LINEAR_ADDITIVE);
    let fields = doc.fields(
        &kind.value,
        &root,
        &["name", "domain", "issueUtilities", "issueWeights"],
        &["reservationBid"],
    )?;
    let [Some(name), Some(domain_json), Some(utilities_json), Some(weights_json), bid_json] =
        fields[..]
    else {
        unreachable!("required fields are present")
    };
    let name = doc.string(name, &path(&root, "name"))?.to_owned();
    if name.is_empty() {
        return Err(doc.invalid(
            kind.value.at,
            &path(&root, "name"),
            "is empty, expected a name".to_owned(),
        ));
    }
    let domain = read_domain(&doc, domain_json, &path(&root, "domain"))?;
    let utilities = read_utilities(&doc, utilities_json, &path(&root, "issueUtilities"), &domain)?;
    let weights = read_weights(&doc, weights_json, &path(&root, "issueWeights"), &domain)?;
    let reservation_bid = match bid_json {
        None | Some(Json { value: Value::Null, .. }) => None,
        Some(bid) => Some(read_bid(&doc, bid, &path(&root, "reservationBid"), &domain)?),
    };
    let issues = domain
        .issues
        .iter()
        .zip(utilities.into_iter().zip(weights))
        .map(|(issue, (utilities, weight))| IssueUtilities {
            issue: issue.name.clone(),
            weight,
            utilities,
        })
        .collect();
    Ok((Profile { name, domain, issues, reservation_bid }, domain_json.at))
}

/// The members of an object keyed by exactly the domain's issues, in the domain's order.
fn by_issue<'j>(
    doc: &Doc<'_>,
    json: &'j Json,
    field: &str,
    domain: &Domain,
) -> Result<Vec<&'j Member>> {
    let members = doc.object(json, field)?;
    for member in members {
        if !domain.issues.iter().any(|issue| issue.name == member.key) {
            return Err(doc.invalid(
                member.key_at,
                &path(field, &member.key),
                format!(
                    "is not an issue of domain {:?}, expected one of {}",
                    domain.name,
                    issue_list(domain)
                ),
            ));
        }
    }
    domain
        .issues
        .iter()
        .map(|issue| {
            members.iter().find(|member| member.key == issue.name).ok_or_else(|| {
                doc.invalid(
                    json.at,
                    field,
                    format!("has no entry for issue {:?}, expected one per issue", issue.name),
                )
            })
        })
        .collect()
}

fn issue_list(domain: &Domain) -> String {
    let names: Vec<String> = domain.issues.iter().map(|issue| json::quote(&issue.name)).collect();
    names.join(", ")
}

fn read_utilities(
    doc: &Doc<'_>,
    json: &Json,
    field: &str,
    domain: &Domain,
) -> Result<Vec<ValueSetUtilities>> {
    let members = by_issue(doc, json, field, domain)?;
    let mut res = Vec::new();
    for (issue, member) in domain.issues.iter().zip(members) {
        let issue_field = path(field, &member.key);
        const KINDS: [&str; 2] = ["DiscreteValueSetUtilities", "NumberValueSetUtilities"];
        let kind = doc.wrapper(&member.value, &issue_field, &KINDS)?;
        let kind_field = path(&issue_field, &kind.key);
        let utility = |json: &Json, field: &str| -> Result<Decimal> {
            let utility = doc.decimal(json, field)?;
            if utility < Decimal::ZERO || utility > Decimal::ONE {
                return Err(doc.invalid(
                    json.at,
                    field,
                    format!("is {utility}, expected a utility in [0, 1]"),
                ));
            }
            Ok(utility)
        };
        let utilities = match (kind.key.as_str(), &issue.values) {
            ("DiscreteValueSetUtilities", ValueSet::Discrete(values)) => {
                let fields = doc.fields(&kind.value, &kind_field, &["valueUtilities"], &[])?;
                let value_json = fields[0].expect("required fields are present");
                let value_field = path(&kind_field, "valueUtilities");
                let entries = doc.object(value_json, &value_field)?;
                for entry in entries {
                    if !values.contains(&entry.key) {
                        return Err(doc.invalid(
                            entry.key_at,
                            &path(&value_field, &entry.key),
                            format!(
                                "is not a value of issue {:?}, expected one of its values",
                                issue.name
                            ),
                        ));
                    }
                }
                let mut utilities = Vec::new();
                for value in values {
                    let Some(entry) = entries.iter().find(|entry| entry.key == *value) else {
                        return Err(doc.invalid(
                            value_json.at,
                            &value_field,
                            format!("has no utility for value {value:?}, expected one for every value of the issue"),
                        ));
                    };
                    let utility = utility(&entry.value, &path(&value_field, value))?;
                    utilities.push((value.clone(), utility.to_string()));
                }
                ValueSetUtilities::Discrete(utilities)
            }
            ("NumberValueSetUtilities", ValueSet::Range { low, high, .. }) => {
                let keys = ["lowValue", "lowUtility", "highValue", "highUtility"];
                let fields = doc.fields(&kind.value, &kind_field, &keys, &[])?;
                let json = |idx: usize| fields[idx].expect("required fields are present");
                let low_value = doc.decimal(json(0), &path(&kind_field, "lowValue"))?;
                let low_utility = utility(json(1), &path(&kind_field, "lowUtility"))?;
                let high_value = doc.decimal(json(2), &path(&kind_field, "highValue"))?;
                let high_utility = utility(json(3), &path(&kind_field, "highUtility"))?;
                for (value, bound, key, name) in
                    [(low_value, low, 0, "low"), (high_value, high, 2, "high")]
                {
                    if Decimal::parse(bound) != Some(value) {
                        return Err(doc.invalid(
                            json(key).at,
                            &path(&kind_field, keys[key]),
                            format!("is {value}, expected the range's {name} {bound}"),
                        ));
                    }
                }
                let utilities = ValueSetUtilities::Number {
                    low_value: low_value.to_string(),
                    low_utility: low_utility.to_string(),
                    high_value: high_value.to_string(),
                    high_utility: high_utility.to_string(),
                };
                let values = issue.values.values().expect("the domain's ranges were checked");
                if utilities.utilities(&values).is_none() {
                    return Err(doc.unsupported(kind.value.at, &kind_field, "needs more than 38 digits to interpolate exactly, expected shorter numbers".to_owned()));
                }
                utilities
            }
            ("DiscreteValueSetUtilities" | "NumberValueSetUtilities", values) => {
                let expected = match values {
                    ValueSet::Discrete(_) => "DiscreteValueSetUtilities for its discrete values",
                    ValueSet::Range { .. } => "NumberValueSetUtilities for its number range",
                };
                return Err(doc.invalid(
                    kind.key_at,
                    &kind_field,
                    format!("does not fit issue {:?}, expected {expected}", issue.name),
                ));
            }
            (other, _) => {
                return Err(doc.unsupported(
                    kind.key_at,
                    &path(&issue_field, other),
                    "is not a kind of value set utilities this reader supports, expected \"DiscreteValueSetUtilities\" or \"NumberValueSetUtilities\"".to_owned(),
                ));
            }
        };
        res.push(utilities);
    }
    Ok(res)
}

fn read_weights(doc: &Doc<'_>, json: &Json, field: &str, domain: &Domain) -> Result<Vec<String>> {
    let members = by_issue(doc, json, field, domain)?;
    let mut weights = Vec::new();
    let mut sum = Some(Decimal::ZERO);
    for member in members {
        let weight_field = path(field, &member.key);
        let weight = doc.decimal(&member.value, &weight_field)?;
        if weight < Decimal::ZERO || weight > Decimal::ONE {
            return Err(doc.invalid(
                member.value.at,
                &weight_field,
                format!("is {weight}, expected a weight in [0, 1]"),
            ));
        }
        sum = sum.and_then(|sum| sum.add(weight));
        weights.push(weight.to_string());
    }
    match sum {
        Some(sum) if sum == Decimal::ONE => Ok(weights),
        Some(sum) => Err(doc.invalid(
            json.at,
            field,
            format!("add up to {sum}, expected weights that add up to 1"),
        )),
        None => Err(doc.unsupported(
            json.at,
            field,
            "need too many digits to add up exactly".to_owned(),
        )),
    }
}

fn read_bid(
    doc: &Doc<'_>,
    json: &Json,
    field: &str,
    domain: &Domain,
) -> Result<Vec<(String, String)>> {
    let fields = doc.fields(json, field, &["issuevalues"], &[])?;
    let values_json = fields[0].expect("required fields are present");
    let values_field = path(field, "issuevalues");
    let members = doc.object(values_json, &values_field)?;
    let mut bid = Vec::new();
    for member in members {
        let value_field = path(&values_field, &member.key);
        let Some(issue) = domain.issues.iter().find(|issue| issue.name == member.key) else {
            return Err(doc.invalid(
                member.key_at,
                &value_field,
                format!(
                    "is not an issue of domain {:?}, expected one of {}",
                    domain.name,
                    issue_list(domain)
                ),
            ));
        };
        let value = match (&issue.values, &member.value.value) {
            (ValueSet::Discrete(values), Value::String(value)) if values.contains(value) => {
                value.clone()
            }
            (ValueSet::Range { .. }, Value::Number(_)) => {
                let number = doc.decimal(&member.value, &value_field)?;
                let values = issue.values.values().expect("the domain's ranges were checked");
                match values.into_iter().find(|value| Decimal::parse(value) == Some(number)) {
                    Some(value) => value,
                    None => {
                        return Err(doc.invalid(
                            member.value.at,
                            &value_field,
                            format!(
                                "is {number}, expected a value of the range of issue {:?}",
                                issue.name
                            ),
                        ));
                    }
                }
            }
            (ValueSet::Discrete(_), other) => {
                let found = match other {
                    Value::String(value) => format!("{value:?}"),
                    other => other.kind().to_owned(),
                };
                return Err(doc.invalid(
                    member.value.at,
                    &value_field,
                    format!("is {found}, expected one of the values of issue {:?}", issue.name),
                ));
            }
            (ValueSet::Range { .. }, other) => {
                return Err(doc.invalid(
                    member.value.at,
                    &value_field,
                    format!(
                        "is {}, expected a number of the range of issue {:?}",
                        other.kind(),
                        issue.name
                    ),
                ));
            }
        };
        bid.push((member.key.clone(), value));
    }
    bid.sort_by_key(|(issue, _)| domain.issues.iter().position(|known| known.name == *issue));
    Ok(bid)
}

/// Reads a folder's files: exactly one domain and at least one profile, told apart by
/// content; every profile's embedded domain must be the folder's domain (the same name and
/// the same issues with the same values, in any order).
pub fn parse_scenario(files: &[(String, String)]) -> Result<Scenario> {
    let mut domains = Vec::new();
    let mut profile_files = Vec::new();
    for (file_name, text) in files {
        match classify(file_name, text)? {
            FileKind::Domain => domains.push((file_name, text)),
            FileKind::Profile => profile_files.push((file_name, text)),
            // GeniusWeb's classification gives only domains and profiles.
            FileKind::EmptyProfile => {}
        }
    }
    let (domain_file, domain_text) = match domains[..] {
        [only] => only,
        [] => {
            return Err(Error::NoDomain {
                files: files.iter().map(|(name, _)| name.clone()).collect(),
            });
        }
        _ => {
            return Err(Error::SeveralDomains {
                choices: domains.iter().map(|(name, _)| ((*name).clone(), Vec::new())).collect(),
            });
        }
    };
    let domain = parse_domain(domain_file, domain_text)?;
    if profile_files.is_empty() {
        return Err(Error::NoProfile { domain_file: domain_file.clone() });
    }
    let mut profiles: Vec<Profile> = Vec::new();
    let mut names: Vec<&String> = Vec::new();
    for (file_name, text) in profile_files {
        let (profile, domain_at) = read_profile(file_name, text)?;
        if let Some(difference) = difference(&domain, &profile.domain) {
            let doc = Doc { file_name, text };
            return Err(doc.invalid(
                domain_at,
                &path(LINEAR_ADDITIVE, "domain"),
                format!("differs from the domain in '{domain_file}': {difference}"),
            ));
        }
        if let Some(earlier) = profiles.iter().position(|earlier| earlier.name == profile.name) {
            return Err(Error::DuplicateParty {
                party: profile.name,
                first_file: names[earlier].clone(),
                second_file: file_name.clone(),
            });
        }
        profiles.push(profile);
        names.push(file_name);
    }
    Ok(Scenario { domain, profiles })
}

/// How `other` differs from `domain`, if it does: GeniusWeb compares issues as a map and
/// discrete values as a set.
fn difference(domain: &Domain, other: &Domain) -> Option<String> {
    if domain.name != other.name {
        return Some(format!("it is named {:?}, expected {:?}", other.name, domain.name));
    }
    for issue in &domain.issues {
        let Some(other_issue) = other.issues.iter().find(|candidate| candidate.name == issue.name)
        else {
            return Some(format!("it has no issue {:?}", issue.name));
        };
        let same = match (&issue.values, &other_issue.values) {
            (ValueSet::Discrete(values), ValueSet::Discrete(other_values)) => {
                values.iter().collect::<HashSet<_>>() == other_values.iter().collect::<HashSet<_>>()
            }
            (range, other_range) => range == other_range,
        };
        if !same {
            return Some(format!("issue {:?} has other values", issue.name));
        }
    }
    other
        .issues
        .iter()
        .find(|issue| !domain.issues.iter().any(|known| known.name == issue.name))
        .map(|extra| format!("it has an issue {:?} that the domain lacks", extra.name))
}

/// Writes a domain file; [`parse_domain`] reads it back as the same domain.
pub fn write_domain(domain: &Domain) -> String {
    let mut text = domain_json(domain, "");
    text.push('\n');
    text
}

fn domain_json(domain: &Domain, indent: &str) -> String {
    let issues: Vec<String> = domain
        .issues
        .iter()
        .map(|issue| {
            let values = match &issue.values {
                ValueSet::Discrete(values) => {
                    let values: Vec<String> =
                        values.iter().map(|value| json::quote(value)).collect();
                    format!("{{\"values\": [{}]}}", values.join(", "))
                }
                ValueSet::Range { low, high, step } => {
                    format!("{{\"range\": {{\"low\": {low}, \"high\": {high}, \"step\": {step}}}}}")
                }
            };
            format!("{indent}    {}: {values}", json::quote(&issue.name))
        })
        .collect();
    format!(
        "{{\n{indent}  \"name\": {},\n{indent}  \"issuesValues\": {{\n{}\n{indent}  }}\n{indent}}}",
        json::quote(&domain.name),
        issues.join(",\n")
    )
}

/// Writes a profile file; [`parse_profile`] reads it back as the same profile.
pub fn write_profile(profile: &Profile) -> String {
    let indent = "    ";
    let utilities: Vec<String> = profile
        .issues
        .iter()
        .map(|issue| {
            let utilities = match &issue.utilities {
                ValueSetUtilities::Discrete(utilities) => {
                    let entries: Vec<String> = utilities
                        .iter()
                        .map(|(value, utility)| format!("{}: {utility}", json::quote(value)))
                        .collect();
                    format!("{{\"DiscreteValueSetUtilities\": {{\"valueUtilities\": {{{}}}}}}}", entries.join(", "))
                }
                ValueSetUtilities::Number { low_value, low_utility, high_value, high_utility } => format!(
                    "{{\"NumberValueSetUtilities\": {{\"lowValue\": {low_value}, \"lowUtility\": {low_utility}, \"highValue\": {high_value}, \"highUtility\": {high_utility}}}}}"
                ),
            };
            format!("{indent}  {}: {utilities}", json::quote(&issue.issue))
        })
        .collect();
    let weights: Vec<String> = profile
        .issues
        .iter()
        .map(|issue| format!("{indent}  {}: {}", json::quote(&issue.issue), issue.weight))
        .collect();
    let bid = match &profile.reservation_bid {
        None => "null".to_owned(),
        Some(bid) => format!("{{\"issuevalues\": {}}}", bid_json(&profile.domain, bid)),
    };
    format!(
        "{{\n  \"{LINEAR_ADDITIVE}\": {{\n{indent}\"name\": {},\n{indent}\"domain\": {},\n{indent}\"issueUtilities\": {{\n{}\n{indent}}},\n{indent}\"issueWeights\": {{\n{}\n{indent}}},\n{indent}\"reservationBid\": {bid}\n  }}\n}}\n",
        json::quote(&profile.name),
        domain_json(&profile.domain, indent),
        utilities.join(",\n"),
        weights.join(",\n"),
    )
}

/// A bid's `issuevalues` object on one line: discrete values as strings, numbers as numbers.
fn bid_json(domain: &Domain, bid: &[(String, String)]) -> String {
    let entries: Vec<String> = bid
        .iter()
        .map(|(issue, value)| {
            let is_number = domain.issues.iter().any(|known| {
                known.name == *issue && matches!(known.values, ValueSet::Range { .. })
            });
            let value = if is_number { value.clone() } else { json::quote(value) };
            format!("{}: {value}", json::quote(issue))
        })
        .collect();
    format!("{{{}}}", entries.join(", "))
}
