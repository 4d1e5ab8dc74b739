//! The analysis report as serializable data: the JSON schema of `parley analyze --json`,
//! documented in docs/json-output.md. Field names here are an interface: keep them.

use schemars::JsonSchema;
use serde::Serialize;

use parley_model::diagnostic::Diagnostic;
use parley_model::overview;
use parley_model::scale::Interval;
use parley_model::scenario::{Citation, Condition, Consent, Meeting, Position, Visibility};
use parley_model::stance::{Importance, Stance};
use parley_model::validate::ValidScenario;
use parley_model::{Basis, FuzzyDate, Id, Place};

/// Serializes a list of pairs as a JSON object, keeping the list's order.
pub(crate) fn as_map<S: serde::Serializer, V: Serialize>(
    pairs: &[(String, V)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(pairs.iter().map(|(key, value)| (key, value)))
}

/// A JSON object keyed by ids, as the schema describes the lists of pairs that
/// [`as_map`] writes.
pub(crate) type Map<V> = std::collections::BTreeMap<String, V>;

/// Serializes a count computed as a float (a product of option counts, which can pass
/// `u64::MAX`) as a JSON integer: `216`, not `216.0`. Counts past 2^128 are written as JSON
/// numbers in exponent notation (`1e60`), still without a fraction.
pub(crate) fn count<S: serde::Serializer>(count: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    let count = count.round().max(0.0);
    if count < 18_446_744_073_709_551_616.0 {
        serializer.serialize_u64(count as u64)
    } else if count < 3.402_823_669_209_385e38 {
        serializer.serialize_u128(count as u128)
    } else {
        serializer.serialize_f64(count)
    }
}

/// [`count`] for an optional count: null when absent.
pub(crate) fn optional_count<S: serde::Serializer>(
    value: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => count(value, serializer),
        None => serializer.serialize_none(),
    }
}

/// The schema of a count: a JSON integer, at least 0.
pub(crate) fn count_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "integer", "minimum": 0 })
}

/// The schema of an optional count.
pub(crate) fn optional_count_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": ["integer", "null"], "minimum": 0 })
}

/// What the schema says of a stance or an importance: a level keyword or an exact number.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code, reason = "a shape for the schema only; the report writes serde_json values")]
pub(crate) enum KeywordOrNumber {
    /// A level keyword.
    Keyword(String),
    /// An exact value or weight.
    Number(f64),
}

/// The schema of a `format` field: that one text.
pub(crate) fn format_schema(format: &str) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "const": format })
}

fn report_format_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    format_schema(FORMAT)
}

/// The version of the report's schema, printed as `format`: `parley-<output>/<version>`, as
/// for every JSON output (docs/json-output.md).
pub const FORMAT: &str = "parley-report/1";

/// The whole report.
#[derive(Serialize, Debug, JsonSchema)]
pub struct Report {
    /// The schema version: `parley-report/1`.
    #[schemars(schema_with = "report_format_schema")]
    pub format: &'static str,
    /// The scenario's id, title, description and date.
    pub scenario: ScenarioSummary,
    /// The ids of the negotiating parties (those whose consent a deal needs), in the
    /// scenario's order: the parties the analysis's utilities are keyed by.
    pub parties: Vec<String>,
    /// The parties in full.
    pub party_details: Vec<PartyReport>,
    /// The issues and their options.
    pub issues: Vec<IssueReport>,
    /// The tracks.
    pub tracks: Vec<TrackReport>,
    /// The meetings, in date order (undated ones last).
    pub timeline: Vec<MeetingReport>,
    /// The drafts and their lineage.
    pub drafts: Vec<DraftReport>,
    /// The draft rounds: each compromise text that parties' columns answer, point by point.
    pub rounds: Vec<crate::rounds::RoundReport>,
    /// What `--keep-agreed` took as fixed, when it was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept_agreed: Option<crate::rounds::KeptAgreedReport>,
    /// The mapping from ordinal stances and importances to numbers.
    pub scale: ScaleReport,
    /// Each party's latest stance on each issue.
    pub stance_matrix: Vec<StanceCell>,
    /// Issues on which one consenting party's red lines exclude every option another can accept.
    pub blocking: Vec<BlockingReport>,
    /// Contested claims with their counter-claims.
    pub contested_claims: Vec<ContestedClaimReport>,
    /// Every claim.
    pub claims: Vec<ClaimReport>,
    /// Every figure that is the analyst's: assumed, or inferred from the sentences cited.
    pub assumptions: Vec<AssumptionReport>,
    /// The warnings found while loading the scenario.
    pub warnings: Vec<String>,
    /// The analysis, when it was run.
    #[serde(flatten)]
    pub analysis: Option<crate::analysis::AnalysisReport>,
}

/// The scenario's header.
#[derive(Serialize, Debug, JsonSchema)]
pub struct ScenarioSummary {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its description.
    pub description: String,
    /// The date it describes the talks at.
    pub as_of: Option<DateReport>,
}

/// A date with its precision and basis.
#[derive(Serialize, Debug, Clone, JsonSchema)]
pub struct DateReport {
    /// The date, `YYYY-MM-DD`.
    pub date: String,
    /// `exact`, `approximate`, `month` or `year`.
    pub precision: &'static str,
    /// `stated`, `reported`, `inferred` or `assumed`.
    pub basis: &'static str,
    /// The date as it reads, e.g. `~2025-12-02 (assumed)`.
    pub display: String,
}

impl From<&FuzzyDate> for DateReport {
    fn from(date: &FuzzyDate) -> DateReport {
        DateReport {
            date: date.date.to_string(),
            precision: date.precision.as_str(),
            basis: date.basis.as_str(),
            display: date.to_string(),
        }
    }
}

fn date(date: &Option<FuzzyDate>) -> Option<DateReport> {
    date.as_ref().map(DateReport::from)
}

/// A citation as it reads: `source#section`, followed by whose words it reports and a short
/// quote when it gives them: `report#Opening (Yuri Ushakov: "a few words")`.
pub fn citation_text(cite: &Citation) -> String {
    let mut text = match &cite.section {
        Some(section) => format!("{}#{section}", cite.source),
        None => cite.source.to_string(),
    };
    match (&cite.speaker, &cite.quote) {
        (Some(speaker), Some(quote)) => text.push_str(&format!(" ({speaker}: \"{quote}\")")),
        (Some(speaker), None) => text.push_str(&format!(" ({speaker})")),
        (None, Some(quote)) => text.push_str(&format!(" (\"{quote}\")")),
        (None, None) => {}
    }
    text
}

/// Citations as they read (see [`citation_text`]).
fn cites(cites: &[Citation]) -> Vec<String> {
    cites.iter().map(citation_text).collect()
}

/// A condition that a meeting, position or draft depends on.
#[derive(Serialize, Debug, Clone, JsonSchema)]
pub struct ConditionReport {
    /// What must hold.
    pub text: String,
    /// The party whose condition it is.
    pub party: String,
}

fn condition(condition: &Option<Condition>) -> Option<ConditionReport> {
    condition.as_ref().map(|condition| ConditionReport {
        text: condition.text.clone(),
        party: condition.party.to_string(),
    })
}

fn ids(ids: &[Id]) -> Vec<String> {
    ids.iter().map(Id::to_string).collect()
}

fn visibility(visibility: &Visibility) -> String {
    match visibility {
        Visibility::Public => "public".to_owned(),
        Visibility::Private => "private".to_owned(),
        Visibility::Track(track) => format!("track:{track}"),
    }
}

/// A party.
#[derive(Serialize, Debug, JsonSchema)]
pub struct PartyReport {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its role.
    pub role: &'static str,
    /// `required`, `none`, or the issues its consent is needed on.
    pub consent: ConsentReport,
    /// Whether a source gives the consent's scope (`stated`, `reported`) or the analyst
    /// reads (`inferred`) or assumes it (`assumed`).
    pub consent_basis: &'static str,
    /// Its delegates.
    pub delegates: Vec<DelegateReport>,
    /// Its stated interests.
    pub interests: Vec<String>,
    /// What no deal is worth to it.
    pub reservation: Option<ReservationReport>,
    /// Its discount factor, when given (the analysis is undiscounted).
    pub discount_factor: Option<f64>,
    /// Sourced notes.
    pub notes: Vec<String>,
    /// Citations.
    pub cites: Vec<String>,
}

/// Whose consent a deal needs.
#[derive(Serialize, Debug, JsonSchema)]
#[serde(untagged)]
pub enum ConsentReport {
    /// `required` or `none`.
    Keyword(&'static str),
    /// The issues the party's consent is needed on.
    Issues {
        /// The issue ids.
        issues: Vec<String>,
    },
}

/// A delegate.
#[derive(Serialize, Debug, JsonSchema)]
pub struct DelegateReport {
    /// Their id.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their title.
    pub title: Option<String>,
}

/// A reservation value.
#[derive(Serialize, Debug, JsonSchema)]
pub struct ReservationReport {
    /// The value.
    pub value: f64,
    /// `stated`, `reported`, `inferred` or `assumed`.
    pub basis: &'static str,
    /// Why this value.
    pub note: Option<String>,
}

/// An issue.
#[derive(Serialize, Debug, JsonSchema)]
pub struct IssueReport {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its category.
    pub category: &'static str,
    /// Its options.
    pub options: Vec<OptionReport>,
    /// Citations.
    pub cites: Vec<String>,
}

/// An option.
#[derive(Serialize, Debug, JsonSchema)]
pub struct OptionReport {
    /// Its id.
    pub id: String,
    /// What it means.
    pub label: String,
}

/// A track.
#[derive(Serialize, Debug, JsonSchema)]
pub struct TrackReport {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its parties.
    pub parties: Vec<String>,
    /// The draft it works from.
    pub document: Option<String>,
    /// A description.
    pub description: String,
}

/// A meeting.
#[derive(Serialize, Debug, JsonSchema)]
pub struct MeetingReport {
    /// Its id.
    pub id: String,
    /// Its track.
    pub track: String,
    /// Its title.
    pub title: String,
    /// Its date.
    pub date: Option<DateReport>,
    /// Its place.
    pub place: Option<String>,
    /// Who attended.
    pub attendees: Vec<String>,
    /// How long it lasted.
    pub duration_minutes: Option<u32>,
    /// `planned`, `held` or `cancelled`.
    pub status: &'static str,
    /// `stated`, `reported`, `inferred` or `assumed`: the basis of the status.
    pub status_basis: &'static str,
    /// What the meeting depends on, when it is planned on a condition.
    pub condition: Option<ConditionReport>,
    /// The issues it settled.
    pub settled: Vec<String>,
    /// The issues it left open.
    pub left_open: Vec<String>,
    /// What happened.
    pub summary: String,
    /// `public`, `private` or `track:ID`.
    pub visibility: String,
    /// Citations.
    pub cites: Vec<String>,
}

impl From<&Meeting> for MeetingReport {
    fn from(meeting: &Meeting) -> MeetingReport {
        MeetingReport {
            id: meeting.id.to_string(),
            track: meeting.track.to_string(),
            title: meeting.title.clone(),
            date: date(&meeting.date),
            place: meeting.place.as_ref().map(Place::to_string),
            attendees: ids(&meeting.attendees),
            duration_minutes: meeting.duration_minutes,
            status: meeting.status.as_str(),
            status_basis: meeting.status_basis.as_str(),
            condition: condition(&meeting.condition),
            settled: ids(&meeting.settled),
            left_open: ids(&meeting.left_open),
            summary: meeting.summary.clone(),
            visibility: visibility(&meeting.visibility),
            cites: cites(&meeting.cites),
        }
    }
}

/// A draft and its lineage.
#[derive(Serialize, Debug, JsonSchema)]
pub struct DraftReport {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its date.
    pub date: Option<DateReport>,
    /// Its author.
    pub author: Option<String>,
    /// The compromise draft it answers, for a party's column in a round.
    pub answers: Option<String>,
    /// `proposed`, `under-discussion`, `finalized` or `superseded`.
    pub status: &'static str,
    /// `stated`, `reported`, `inferred` or `assumed`: the basis of the status.
    pub status_basis: &'static str,
    /// What the draft depends on, when it says.
    pub condition: Option<ConditionReport>,
    /// Its stage.
    pub stage: Option<&'static str>,
    /// How many points it has.
    pub n_points: usize,
    /// How many of them are described.
    pub n_described_points: usize,
    /// How many points still keep bracketed alternatives.
    pub n_open_brackets: usize,
    /// A description.
    pub summary: String,
    /// What became of each parent's points.
    pub lineage: Vec<LineageReport>,
    /// How much of it is agreed, by whom and how far.
    pub agreement: crate::rounds::AgreementReport,
}

/// What became of one parent's points.
#[derive(Serialize, Debug, JsonSchema)]
pub struct LineageReport {
    /// The parent draft.
    pub parent: String,
    /// How many points met each fate (`kept`, `amended`, `merged`, `dropped`, `unknown`).
    pub fates: std::collections::BTreeMap<&'static str, usize>,
    /// Merged points: `[parent point, point it was merged into]`.
    pub merged: Vec<[String; 2]>,
    /// Dropped points.
    pub dropped: Vec<String>,
}

/// The scale in force.
#[derive(Serialize, Debug, JsonSchema)]
pub struct ScaleReport {
    /// `stated`, `reported`, `inferred` or `assumed`.
    pub basis: &'static str,
    /// Value interval of each stance level, and of an unknown stance.
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<[f64; 2]>")]
    pub stances: Vec<(String, [f64; 2])>,
    /// Raw weight interval of each importance level, and of an unknown importance.
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<[f64; 2]>")]
    pub importances: Vec<(String, [f64; 2])>,
}

/// One party's latest position on one issue.
#[derive(Serialize, Debug, Clone, JsonSchema)]
pub struct StanceCell {
    /// The party.
    pub party: String,
    /// The issue.
    pub issue: String,
    /// `low`, `medium`, `high`, `critical`, a weight, or null when not recorded.
    #[schemars(with = "Option<KeywordOrNumber>")]
    pub importance: Option<serde_json::Value>,
    /// `stated`, `reported`, `inferred` or `assumed`: the basis of the importance (null when
    /// none is recorded).
    pub importance_basis: Option<&'static str>,
    /// The stance on each option: a level keyword or an exact value; options not listed are unknown.
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<KeywordOrNumber>")]
    pub stances: Vec<(String, serde_json::Value)>,
    /// `stated`, `reported`, `inferred` or `assumed`: the basis of the stances.
    pub confidence: &'static str,
    /// What the position depends on, when it says.
    pub condition: Option<ConditionReport>,
    /// When the position was taken.
    pub date: Option<DateReport>,
    /// `public`, `private` or `track:ID`.
    pub visibility: String,
    /// Why the analyst reads the source this way.
    pub note: Option<String>,
    /// Citations.
    pub cites: Vec<String>,
}

/// A blocking issue between two parties.
#[derive(Serialize, Debug, JsonSchema)]
pub struct BlockingReport {
    /// The issue.
    pub issue: String,
    /// The party whose red lines block.
    pub blocking_party: String,
    /// The party all of whose acceptable options are red-lined.
    pub blocked_party: String,
    /// Those options.
    pub excluded_options: Vec<String>,
    /// The basis of the blocking party's red lines (`stated`, `reported`, `inferred` or
    /// `assumed`).
    pub blocking_basis: &'static str,
    /// The basis of the stances by which the blocked party can accept those options.
    pub blocked_basis: &'static str,
}

/// A claim.
#[derive(Serialize, Debug, JsonSchema)]
pub struct ClaimReport {
    /// Its id.
    pub id: String,
    /// Who asserts it.
    pub claimant: String,
    /// What it asserts.
    pub statement: String,
    /// When.
    pub date: Option<DateReport>,
    /// Where.
    pub place: Option<String>,
    /// `contested`, `confirmed`, `refuted` or `unverified`.
    pub status: &'static str,
    /// The claim it disputes.
    pub disputes: Option<String>,
    /// Citations.
    pub cites: Vec<String>,
}

/// A contested claim and its counter-claims.
#[derive(Serialize, Debug, JsonSchema)]
pub struct ContestedClaimReport {
    /// The claim.
    pub claim: ClaimReport,
    /// The claims that dispute it.
    pub counter_claims: Vec<ClaimReport>,
}

/// A figure that is the analyst's: an assumption, or a reading of the sentences cited.
#[derive(Serialize, Debug, JsonSchema)]
pub struct AssumptionReport {
    /// Where it is in the scenario.
    pub path: String,
    /// What is assumed or inferred.
    pub what: String,
    /// `assumed` (no source gives it) or `inferred` (the analyst's reading of `cites`).
    pub basis: &'static str,
    /// The citations of the sentences it reads (also given for an assumption that cites
    /// the sentence it departs from).
    pub cites: Vec<String>,
}

fn claim(claim: &parley_model::scenario::Claim) -> ClaimReport {
    ClaimReport {
        id: claim.id.to_string(),
        claimant: claim.claimant.to_string(),
        statement: claim.statement.clone(),
        date: date(&claim.date),
        place: claim.place.as_ref().map(Place::to_string),
        status: claim.status.as_str(),
        disputes: claim.disputes.as_ref().map(Id::to_string),
        cites: cites(&claim.cites),
    }
}

/// A stance as JSON: the level keyword, or the exact value.
pub fn stance_value(stance: Stance) -> serde_json::Value {
    match stance {
        Stance::Level(level) => serde_json::Value::from(level.as_str()),
        Stance::Value(value) => serde_json::Value::from(value),
    }
}

pub(crate) fn stance_cell(position: &Position) -> StanceCell {
    StanceCell {
        party: position.party.to_string(),
        issue: position.issue.to_string(),
        importance: position.importance.map(|importance| match importance {
            Importance::Level(level) => serde_json::Value::from(level.as_str()),
            Importance::Weight(weight) => serde_json::Value::from(weight),
        }),
        stances: position
            .stances
            .iter()
            .map(|(option, stance)| (option.to_string(), stance_value(*stance)))
            .collect(),
        importance_basis: position.importance.map(|_| position.importance_basis.as_str()),
        confidence: position.confidence.as_str(),
        condition: condition(&position.condition),
        date: date(&position.date),
        visibility: visibility(&position.visibility),
        note: position.note.clone(),
        cites: cites(&position.cites),
    }
}

/// Builds the report of a scenario, with the warnings found while loading it and its analysis
/// when one was run (with the largest concession set it looked for).
pub fn build(
    scenario: &ValidScenario,
    warnings: &[Diagnostic],
    file_name: &str,
    analysis: Option<(&parley_analysis::Analysis, usize)>,
) -> Report {
    build_listing(scenario, warnings, file_name, analysis, None)
}

/// The report, each frontier listed whole when it has at most `max_points` outcomes and
/// sampled otherwise (see [`crate::analysis::listed`]); `None` lists every outcome.
pub fn build_listing(
    scenario: &ValidScenario,
    warnings: &[Diagnostic],
    file_name: &str,
    analysis: Option<(&parley_analysis::Analysis, usize)>,
    max_points: Option<usize>,
) -> Report {
    let record = scenario.scenario();
    let as_of = record.as_of.map(|date| date.date);
    let party_details = record
        .parties
        .iter()
        .map(|party| PartyReport {
            id: party.id.to_string(),
            name: party.name.clone(),
            role: party.role.as_str(),
            consent: match &party.consent {
                Consent::Required => ConsentReport::Keyword("required"),
                Consent::NotRequired => ConsentReport::Keyword("none"),
                Consent::OnIssues(issues) => ConsentReport::Issues { issues: ids(issues) },
            },
            consent_basis: party.consent_basis.as_str(),
            delegates: party
                .delegates
                .iter()
                .map(|delegate| DelegateReport {
                    id: delegate.id.to_string(),
                    name: delegate.name.clone(),
                    title: delegate.title.clone(),
                })
                .collect(),
            interests: party.interests.iter().map(|interest| interest.label.clone()).collect(),
            reservation: party.reservation.as_ref().map(|reservation| ReservationReport {
                value: reservation.value,
                basis: reservation.basis.as_str(),
                note: reservation.note.clone(),
            }),
            discount_factor: party.discount_factor,
            notes: party.notes.iter().map(|note| note.text.clone()).collect(),
            cites: cites(&party.cites),
        })
        .collect();
    let issues = record
        .issues
        .iter()
        .map(|issue| IssueReport {
            id: issue.id.to_string(),
            title: issue.title.clone(),
            category: issue.category.as_str(),
            options: issue
                .options
                .iter()
                .map(|option| OptionReport {
                    id: option.id.to_string(),
                    label: option.label.clone(),
                })
                .collect(),
            cites: cites(&issue.cites),
        })
        .collect();
    let tracks = record
        .tracks
        .iter()
        .map(|track| TrackReport {
            id: track.id.to_string(),
            name: track.name.clone(),
            parties: ids(&track.parties),
            document: track.document.as_ref().map(Id::to_string),
            description: track.description.clone(),
        })
        .collect();
    let drafts = overview::lineage(scenario)
        .into_iter()
        .map(|(draft, parents)| DraftReport {
            id: draft.id.to_string(),
            title: draft.title.clone(),
            date: date(&draft.date),
            author: draft.author.as_ref().map(Id::to_string),
            answers: draft.answers.as_ref().map(Id::to_string),
            status: draft.status.as_str(),
            status_basis: draft.status_basis.as_str(),
            condition: condition(&draft.condition),
            stage: draft.stage.map(|stage| stage.as_str()),
            n_points: draft.n_points(),
            n_described_points: draft.points.len(),
            n_open_brackets: draft.n_open_brackets(),
            summary: draft.summary.clone(),
            lineage: parents
                .into_iter()
                .map(|parent| LineageReport {
                    parent: parent.parent.to_string(),
                    fates: parent
                        .counts
                        .iter()
                        .map(|(fate, count)| (fate.as_str(), *count))
                        .collect(),
                    merged: parent
                        .merged
                        .iter()
                        .map(|(from, into)| [from.to_string(), into.to_string()])
                        .collect(),
                    dropped: ids(&parent.dropped),
                })
                .collect(),
            agreement: crate::rounds::agreement_report(scenario, draft),
        })
        .collect();
    let scale = &record.scale;
    let named = |intervals: Vec<(&str, Interval)>| {
        intervals
            .into_iter()
            .map(|(name, interval)| (name.to_owned(), [interval.low, interval.high]))
            .collect()
    };
    let (stances, importances) = (named(scale.named_stances()), named(scale.named_importances()));
    let stance_matrix = overview::stance_matrix(scenario, as_of)
        .into_iter()
        .flatten()
        .flatten()
        .map(stance_cell)
        .collect();
    Report {
        format: FORMAT,
        scenario: ScenarioSummary {
            id: record.id.clone(),
            title: record.title.clone(),
            description: record.description.clone(),
            as_of: date(&record.as_of),
        },
        parties: parley_model::utility::negotiating_parties(scenario)
            .into_iter()
            .map(|party_idx| record.parties[party_idx].id.to_string())
            .collect(),
        party_details,
        issues,
        tracks,
        timeline: overview::timeline(scenario).into_iter().map(MeetingReport::from).collect(),
        drafts,
        rounds: crate::rounds::rounds(scenario),
        kept_agreed: None,
        scale: ScaleReport { basis: scale.basis.as_str(), stances, importances },
        stance_matrix,
        blocking: overview::blocking_issues(scenario, as_of)
            .into_iter()
            .map(|blocking| BlockingReport {
                issue: blocking.issue.to_string(),
                blocking_party: blocking.blocking_party.to_string(),
                blocked_party: blocking.blocked_party.to_string(),
                excluded_options: ids(&blocking.excluded_options),
                blocking_basis: blocking.bases[0].as_str(),
                blocked_basis: blocking.bases[1].as_str(),
            })
            .collect(),
        contested_claims: overview::contested_claims(scenario)
            .into_iter()
            .map(|contested| ContestedClaimReport {
                claim: claim(contested.claim),
                counter_claims: contested.counter_claims.into_iter().map(claim).collect(),
            })
            .collect(),
        claims: record.claims.iter().map(claim).collect(),
        assumptions: overview::assumptions(scenario)
            .into_iter()
            .map(|assumption| AssumptionReport {
                path: assumption.path,
                what: assumption.what,
                basis: assumption.basis.as_str(),
                cites: cites(&assumption.cites),
            })
            .collect(),
        warnings: warnings.iter().map(|warning| warning.render(file_name)).collect(),
        analysis: analysis.map(|(analysis, max_concessions)| {
            crate::analysis::build_listing(record, analysis, max_concessions, max_points)
        }),
    }
}

/// Whether a basis marks an assumption, for renderers.
pub fn is_assumed(basis: &str) -> bool {
    basis == Basis::Assumed.as_str()
}

/// Whether a basis marks a figure as the analyst's (inferred or assumed), for renderers.
pub fn is_analysts(basis: &str) -> bool {
    basis == Basis::Assumed.as_str() || basis == Basis::Inferred.as_str()
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize)]
    struct Counts {
        #[serde(serialize_with = "super::count")]
        count: f64,
        #[serde(serialize_with = "super::optional_count")]
        optional: Option<f64>,
    }

    fn json(count: f64, optional: Option<f64>) -> String {
        serde_json::to_string(&Counts { count, optional }).unwrap()
    }

    #[test]
    fn counts_are_written_as_integers_at_any_size() {
        assert_eq!(json(216.0, None), r#"{"count":216,"optional":null}"#);
        assert_eq!(json(0.0, Some(5_764_801.0)), r#"{"count":0,"optional":5764801}"#);
        // Past u64 and past u128: still no fraction.
        assert_eq!(json(1e20, None), r#"{"count":100000000000000000000,"optional":null}"#);
        assert_eq!(json(1e60, None), r#"{"count":1e+60,"optional":null}"#);
    }
}
