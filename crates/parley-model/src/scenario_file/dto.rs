//! The file's own shapes: what a TOML scenario file holds, field by field. These types are
//! the serialization boundary; conversion to and from the model lives in `convert.rs`.

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use toml::value::Datetime;

/// The JSON schema of a keyword field: one of the keywords of a model enum (its `ALL`).
macro_rules! keyword_schema {
    ($($function:ident: $kind:ty,)+) => {$(
        fn $function(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
            let keywords: Vec<&str> = <$kind>::ALL.iter().map(|keyword| keyword.as_str()).collect();
            schemars::json_schema!({ "type": "string", "enum": keywords })
        }
    )+};
}

keyword_schema! {
    role_schema: crate::scenario::Role,
    category_schema: crate::scenario::Category,
    meeting_status_schema: crate::scenario::MeetingStatus,
    draft_status_schema: crate::scenario::DraftStatus,
    stage_schema: crate::scenario::Stage,
    fate_schema: crate::scenario::Fate,
    agreement_kind_schema: crate::scenario::AgreementKind,
    claim_status_schema: crate::scenario::ClaimStatus,
    basis_schema: crate::values::Basis,
    date_precision_schema: crate::values::DatePrecision,
    place_precision_schema: crate::values::PlacePrecision,
    stance_level_schema: crate::stance::StanceLevel,
    importance_schema: crate::stance::ImportanceLevel,
}

/// The keywords of a party's consent: besides them, `{ issues = [...] }`.
pub(crate) const CONSENT_KEYWORDS: [&str; 2] = ["required", "none"];

/// The keywords of a visibility: besides them, `{ track = "ID" }`.
pub(crate) const VISIBILITY_KEYWORDS: [&str; 2] = ["public", "private"];

/// The keyword of a lineage entry's points that speaks of every point not listed elsewhere.
pub(crate) const REST_KEYWORD: &str = "rest";

fn rest_keyword_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "enum": [REST_KEYWORD] })
}

fn consent_keyword_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "enum": CONSENT_KEYWORDS })
}

fn visibility_keyword_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "enum": VISIBILITY_KEYWORDS })
}

/// A date as text: `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (what the reader accepts).
fn date_text_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "string",
        "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|1[0-9]|2[0-8]))?)?$"
    })
}

/// An id: not empty, no white space at either end, no control character (what
/// [`crate::values::Id::parse`] accepts).
fn id_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "pattern": ID_PATTERN })
}

/// The keys of a table in an untagged enum that its variant does not have.
pub(crate) type UnknownKeys = std::collections::BTreeMap<String, toml::Value>;

/// A list of ids.
fn id_list_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let id = id_schema(generator);
    schemars::json_schema!({ "type": "array", "items": id })
}

/// The pattern of an id, as a JSON schema states it.
pub const ID_PATTERN: &str =
    r"^[^\s\x00-\x1f\x7f-\x9f]([^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f])?$";

#[derive(Deserialize, Serialize, Debug, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct HeaderDto {
    pub(crate) id: String,
    pub(crate) title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) as_of: Option<DateDto>,
}

#[derive(Deserialize, Serialize, Debug, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScaleDto {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) basis: Option<String>,
    #[serde(default)]
    pub(crate) stances: OrderedMap<[f64; 2]>,
    #[serde(default)]
    pub(crate) importances: OrderedMap<[f64; 2]>,
}

/// A date: a TOML date, a text date (`2025-11` has month precision, `2025` year precision),
/// or a table with its precision and basis.
#[derive(Deserialize, Serialize, Debug, Clone, schemars::JsonSchema)]
#[serde(untagged)]
pub(crate) enum DateDto {
    Plain(#[schemars(schema_with = "date_text_schema")] Datetime),
    Text(#[schemars(schema_with = "date_text_schema")] String),
    Detailed(DetailedDateDto),
}

#[derive(Deserialize, Serialize, Debug, Clone, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DetailedDateDto {
    pub(crate) date: DatePartDto,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "date_precision_schema")]
    pub(crate) precision: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "basis_schema")]
    pub(crate) basis: Option<String>,
}

#[derive(Deserialize, Serialize, Debug, Clone, schemars::JsonSchema)]
#[serde(untagged)]
pub(crate) enum DatePartDto {
    Plain(#[schemars(schema_with = "date_text_schema")] Datetime),
    Text(#[schemars(schema_with = "date_text_schema")] String),
}

/// A citation: `"source#section"`, `"source"`, or a table.
#[derive(Deserialize, Serialize, Debug, Clone, schemars::JsonSchema)]
#[serde(untagged)]
pub(crate) enum CitationDto {
    Text(String),
    #[schemars(extend("additionalProperties" = false))]
    Table {
        #[schemars(schema_with = "id_schema")]
        source: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        section: Option<String>,
        /// Who said it, as the source names them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        speaker: Option<String>,
        /// A short quote, a few words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        quote: Option<String>,
        /// Keys it does not have, kept to be reported by name (an untagged enum cannot
        /// refuse them with a useful message).
        #[serde(flatten, default, skip_serializing)]
        #[schemars(skip)]
        unknown: UnknownKeys,
    },
}

/// A condition: what must hold, and the party whose condition it is.
#[derive(Deserialize, Serialize, Debug, Clone, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConditionDto {
    pub(crate) text: String,
    #[schemars(schema_with = "id_schema")]
    pub(crate) party: String,
}

#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceDto {
    #[schemars(schema_with = "id_schema")]
    pub(crate) id: String,
    pub(crate) title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) date: Option<DateDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) address: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) sections: Vec<String>,
}

#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(untagged)]
pub(crate) enum ConsentDto {
    Keyword(#[schemars(schema_with = "consent_keyword_schema")] String),
    #[schemars(extend("additionalProperties" = false))]
    Issues {
        #[schemars(schema_with = "id_list_schema")]
        issues: Vec<String>,
        /// Keys it does not have, kept to be reported by name (an untagged enum cannot
        /// refuse them with a useful message).
        #[serde(flatten, default, skip_serializing)]
        #[schemars(skip)]
        unknown: UnknownKeys,
    },
}

#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DelegateDto {
    #[schemars(schema_with = "id_schema")]
    pub(crate) id: String,
    pub(crate) name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) cites: Vec<CitationDto>,
}

#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct InterestDto {
    pub(crate) label: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) cites: Vec<CitationDto>,
}

#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReservationDto {
    pub(crate) value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "basis_schema")]
    pub(crate) basis: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) cites: Vec<CitationDto>,
}

#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoteDto {
    pub(crate) text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) date: Option<DateDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "basis_schema")]
    pub(crate) basis: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) cites: Vec<CitationDto>,
}

#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PartyDto {
    #[schemars(schema_with = "id_schema")]
    pub(crate) id: String,
    pub(crate) name: String,
    #[schemars(schema_with = "role_schema")]
    pub(crate) role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) consent: Option<ConsentDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "basis_schema")]
    pub(crate) consent_basis: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) interests: Vec<InterestDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) reservation: Option<ReservationDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) discount_factor: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) cites: Vec<CitationDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) delegates: Vec<DelegateDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) notes: Vec<NoteDto>,
}

#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OptionDto {
    #[schemars(schema_with = "id_schema")]
    pub(crate) id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) label: String,
}

#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct IssueDto {
    #[schemars(schema_with = "id_schema")]
    pub(crate) id: String,
    pub(crate) title: String,
    #[schemars(schema_with = "category_schema")]
    pub(crate) category: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) cites: Vec<CitationDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) options: Vec<OptionDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) range: Option<RangeDto>,
}

/// The numbers of a continuous issue, and how many evenly spaced ones the analysis takes.
#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RangeDto {
    pub(crate) lower: f64,
    pub(crate) upper: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) grid: Option<usize>,
}

/// Visibility: `"public"`, `"private"`, or `{ track = "id" }`.
#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(untagged)]
pub(crate) enum VisibilityDto {
    Keyword(#[schemars(schema_with = "visibility_keyword_schema")] String),
    #[schemars(extend("additionalProperties" = false))]
    Track {
        #[schemars(schema_with = "id_schema")]
        track: String,
        /// Keys it does not have, kept to be reported by name (an untagged enum cannot
        /// refuse them with a useful message).
        #[serde(flatten, default, skip_serializing)]
        #[schemars(skip)]
        unknown: UnknownKeys,
    },
}

#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TrackDto {
    #[schemars(schema_with = "id_schema")]
    pub(crate) id: String,
    pub(crate) name: String,
    #[schemars(schema_with = "id_list_schema")]
    pub(crate) parties: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "id_schema")]
    pub(crate) document: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) cites: Vec<CitationDto>,
}

#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlaceDto {
    pub(crate) name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "place_precision_schema")]
    pub(crate) precision: Option<String>,
}

#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MeetingDto {
    #[schemars(schema_with = "id_schema")]
    pub(crate) id: String,
    #[schemars(schema_with = "id_schema")]
    pub(crate) track: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) date: Option<DateDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) place: Option<PlaceDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "id_list_schema")]
    pub(crate) attendees: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) duration_minutes: Option<u32>,
    #[schemars(schema_with = "meeting_status_schema")]
    pub(crate) status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "basis_schema")]
    pub(crate) status_basis: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) condition: Option<ConditionDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "id_list_schema")]
    pub(crate) settled: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "id_list_schema")]
    pub(crate) left_open: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) visibility: Option<VisibilityDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) cites: Vec<CitationDto>,
}

#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PointDto {
    #[schemars(schema_with = "id_schema")]
    pub(crate) id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) number: Option<u32>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "id_schema")]
    pub(crate) issue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "id_schema")]
    pub(crate) option: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) brackets: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) cites: Vec<CitationDto>,
}

/// The parent points a lineage entry speaks of: a list of ids or `"rest"`.
#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(untagged)]
pub(crate) enum PointSelectionDto {
    Listed(#[schemars(schema_with = "id_list_schema")] Vec<String>),
    Keyword(#[schemars(schema_with = "rest_keyword_schema")] String),
}

#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LineageDto {
    #[schemars(schema_with = "id_schema")]
    pub(crate) parent: String,
    pub(crate) points: PointSelectionDto,
    #[schemars(schema_with = "fate_schema")]
    pub(crate) fate: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "id_schema")]
    pub(crate) into: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) cites: Vec<CitationDto>,
}

#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DraftDto {
    #[schemars(schema_with = "id_schema")]
    pub(crate) id: String,
    pub(crate) title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) date: Option<DateDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "id_schema")]
    pub(crate) author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "id_schema")]
    pub(crate) answers: Option<String>,
    #[schemars(schema_with = "draft_status_schema")]
    pub(crate) status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "basis_schema")]
    pub(crate) status_basis: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) condition: Option<ConditionDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "stage_schema")]
    pub(crate) stage: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "id_list_schema")]
    pub(crate) parents: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) point_count: Option<u32>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) visibility: Option<VisibilityDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) cites: Vec<CitationDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) points: Vec<PointDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) lineage: Vec<LineageDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) agreements: Vec<AgreementDto>,
}

/// A party's agreement to a point of a draft, or to the whole draft when `point` is absent.
#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AgreementDto {
    #[schemars(schema_with = "id_schema")]
    pub(crate) party: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "id_schema")]
    pub(crate) point: Option<String>,
    #[schemars(schema_with = "agreement_kind_schema")]
    pub(crate) kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) date: Option<DateDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "basis_schema")]
    pub(crate) basis: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) visibility: Option<VisibilityDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) cites: Vec<CitationDto>,
}

/// A stance on one option: a level keyword or an exact value.
#[derive(Deserialize, Serialize, Debug, Clone, schemars::JsonSchema)]
#[serde(untagged)]
pub(crate) enum StanceDto {
    Level(#[schemars(schema_with = "stance_level_schema")] String),
    Value(f64),
}

#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PositionDto {
    #[schemars(schema_with = "id_schema")]
    pub(crate) party: String,
    #[schemars(schema_with = "id_schema")]
    pub(crate) issue: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) date: Option<DateDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "importance_schema")]
    pub(crate) importance: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) weight: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "basis_schema")]
    pub(crate) importance_basis: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "basis_schema")]
    pub(crate) confidence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) condition: Option<ConditionDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) visibility: Option<VisibilityDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) cites: Vec<CitationDto>,
    /// Always written for an issue with listed options, never for a curve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) stances: Option<OrderedMap<StanceDto>>,
    /// On a continuous issue: `[number, value]` pairs, linear between them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) curve: Vec<[f64; 2]>,
}

/// A range of one issue's options, from one option to another, both included.
#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BoundDto {
    #[schemars(schema_with = "id_schema")]
    pub(crate) issue: String,
    #[schemars(schema_with = "id_schema")]
    pub(crate) from: String,
    #[schemars(schema_with = "id_schema")]
    pub(crate) to: String,
}

/// A constraint: its value and exactly one of `includes` or `excludes`.
#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConstraintDto {
    pub(crate) value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) includes: Option<Vec<BoundDto>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) excludes: Option<Vec<BoundDto>>,
}

#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConstraintUtilityDto {
    #[schemars(schema_with = "id_schema")]
    pub(crate) party: String,
    pub(crate) max_utility: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "basis_schema")]
    pub(crate) basis: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) visibility: Option<VisibilityDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) cites: Vec<CitationDto>,
    #[serde(default)]
    pub(crate) constraints: Vec<ConstraintDto>,
}

#[derive(Deserialize, Serialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClaimDto {
    #[schemars(schema_with = "id_schema")]
    pub(crate) id: String,
    #[schemars(schema_with = "id_schema")]
    pub(crate) claimant: String,
    pub(crate) statement: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) date: Option<DateDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) place: Option<PlaceDto>,
    #[schemars(schema_with = "claim_status_schema")]
    pub(crate) status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "id_schema")]
    pub(crate) disputes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) visibility: Option<VisibilityDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) cites: Vec<CitationDto>,
}

/// The whole file, for writing. Reading goes entity by entity so that one bad entity does not
/// hide the problems of the others.
#[derive(Serialize, Debug, Default)]
pub(crate) struct FileDto {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) scenario: Option<HeaderDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) scale: Option<ScaleDto>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) sources: Vec<SourceDto>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) parties: Vec<PartyDto>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) issues: Vec<IssueDto>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) tracks: Vec<TrackDto>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) meetings: Vec<MeetingDto>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) drafts: Vec<DraftDto>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) positions: Vec<PositionDto>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) constraint_utilities: Vec<ConstraintUtilityDto>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) claims: Vec<ClaimDto>,
}

/// A TOML table read in the order of the file, so that writing it back keeps that order.
#[derive(Debug, Clone)]
pub(crate) struct OrderedMap<V>(pub(crate) Vec<(String, V)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedMapVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for OrderedMapVisitor<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a table")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(OrderedMap(entries))
            }
        }
        deserializer.deserialize_map(OrderedMapVisitor(std::marker::PhantomData))
    }
}

impl<V: Serialize> Serialize for OrderedMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(key, value)| (key, value)))
    }
}

impl<V: schemars::JsonSchema> schemars::JsonSchema for OrderedMap<V> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Table_of_{}", V::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "additionalProperties": generator.subschema_for::<V>(),
        })
    }
}

/// The JSON Schema of one entity of a collection (`sources`, `parties`, `issues`, `tracks`,
/// `meetings`, `drafts`, `positions`, `constraint_utilities`, `claims`) in the file's shape,
/// with the definitions it refers to under `$defs`; `None` for another name.
pub(crate) fn entity_schema(collection: &str) -> Option<serde_json::Value> {
    use schemars::schema_for;
    let schema = match collection {
        "sources" => schema_for!(SourceDto),
        "parties" => schema_for!(PartyDto),
        "issues" => schema_for!(IssueDto),
        "tracks" => schema_for!(TrackDto),
        "meetings" => schema_for!(MeetingDto),
        "drafts" => schema_for!(DraftDto),
        "positions" => schema_for!(PositionDto),
        "constraint_utilities" => schema_for!(ConstraintUtilityDto),
        "claims" => schema_for!(ClaimDto),
        _ => return None,
    };
    Some(schema.to_value())
}
