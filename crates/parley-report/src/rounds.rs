//! Draft rounds and agreement in the report: each party's column beside the compromise text
//! (`parley columns`, the report's `rounds`), how much of each draft is agreed (a draft's
//! `agreement`), and what `--keep-agreed` fixed. Built from the scenario the caller may see,
//! so a column or an agreement hidden from the viewer leaves no trace.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use maud::{Markup, html};
use serde::Serialize;

use parley_model::Id;
use parley_model::agreement::{self, CellState, Columns, DraftAgreement, PartyAgreement};
use parley_model::scenario::{Draft, Point, Settlement};
use parley_model::validate::ValidScenario;

use crate::schema::{DateReport, Report};
use crate::terminal::escape_controls;

/// One party's text of a point, or the compromise's.
#[derive(Serialize, Debug, Clone, schemars::JsonSchema)]
pub struct PointTextReport {
    /// Its number in its draft.
    pub number: Option<u32>,
    /// What it says.
    pub text: String,
    /// The issue it addresses.
    pub issue: Option<String>,
    /// The option it settles on.
    pub option: Option<String>,
    /// The bracketed alternatives it keeps.
    pub brackets: Vec<String>,
}

fn point_text(point: &Point) -> PointTextReport {
    let (option, brackets) = match &point.settlement {
        Settlement::Unspecified => (None, Vec::new()),
        Settlement::Option(option) => (Some(option.to_string()), Vec::new()),
        Settlement::Bracketed(options) => (None, options.iter().map(Id::to_string).collect()),
    };
    PointTextReport {
        number: point.number,
        text: point.text.clone(),
        issue: point.issue.as_ref().map(Id::to_string),
        option,
        brackets,
    }
}

/// A party's column in a round.
#[derive(Serialize, Debug, Clone, schemars::JsonSchema)]
pub struct ColumnReport {
    /// The party's draft.
    pub draft: String,
    /// Its title.
    pub title: String,
    /// The party whose column it is.
    pub party: String,
    /// `public`, `private` or `track:ID`.
    pub visibility: String,
    /// How many of its points differ from the compromise (added points included).
    pub differences: usize,
}

/// One column's text of one point.
#[derive(Serialize, Debug, Clone, schemars::JsonSchema)]
pub struct CellReport {
    /// The column's draft.
    pub column: String,
    /// `same`, `differs`, `absent` (the column has no such point) or `added` (the compromise
    /// has none).
    pub state: &'static str,
    /// The column's point, when it has one.
    pub point: Option<PointTextReport>,
}

/// One row of a round: a point, the compromise's text and each column's.
#[derive(Serialize, Debug, Clone, schemars::JsonSchema)]
pub struct RowReport {
    /// The point's id.
    pub point: String,
    /// The compromise's text, when it has the point.
    pub compromise: Option<PointTextReport>,
    /// Each column's text, in the order of the round's `columns`.
    pub cells: Vec<CellReport>,
}

/// A draft round: the compromise text and the columns that answer it.
#[derive(Serialize, Debug, Clone, schemars::JsonSchema)]
pub struct RoundReport {
    /// The compromise draft.
    pub draft: String,
    /// Its title.
    pub title: String,
    /// Its author.
    pub author: Option<String>,
    /// The parties' columns.
    pub columns: Vec<ColumnReport>,
    /// One row per point.
    pub rows: Vec<RowReport>,
}

fn state_keyword(state: CellState) -> &'static str {
    match state {
        CellState::Absent => "absent",
        CellState::Same => "same",
        CellState::Differs => "differs",
        CellState::Added => "added",
    }
}

fn visibility(draft: &Draft) -> String {
    match &draft.visibility {
        parley_model::scenario::Visibility::Public => "public".to_owned(),
        parley_model::scenario::Visibility::Private => "private".to_owned(),
        parley_model::scenario::Visibility::Track(track) => format!("track:{track}"),
    }
}

fn round_report(round: &Columns<'_>) -> RoundReport {
    let differences = round.differences();
    RoundReport {
        draft: round.compromise.id.to_string(),
        title: round.compromise.title.clone(),
        author: round.compromise.author.as_ref().map(Id::to_string),
        columns: round
            .columns
            .iter()
            .zip(differences)
            .map(|(column, differences)| ColumnReport {
                draft: column.id.to_string(),
                title: column.title.clone(),
                party: column.author.as_ref().map(Id::to_string).unwrap_or_default(),
                visibility: visibility(column),
                differences,
            })
            .collect(),
        rows: round
            .rows
            .iter()
            .map(|row| RowReport {
                point: row.id.to_string(),
                compromise: row.compromise.map(point_text),
                cells: row
                    .cells
                    .iter()
                    .zip(&round.columns)
                    .map(|(cell, column)| CellReport {
                        column: column.id.to_string(),
                        state: state_keyword(cell.state),
                        point: cell.point.map(point_text),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The round of a draft (the compromise itself or a column of it), as the scenario given
/// shows it; `None` when it has no such draft.
pub fn round(scenario: &ValidScenario, draft: &Id) -> Option<RoundReport> {
    agreement::columns(scenario, draft).map(|round| round_report(&round))
}

/// Every round of the scenario: each draft that some column answers, in the record's order.
pub fn rounds(scenario: &ValidScenario) -> Vec<RoundReport> {
    let record = scenario.scenario();
    record
        .drafts
        .iter()
        .filter(|draft| {
            record.drafts.iter().any(|column| column.answers.as_ref() == Some(&draft.id))
        })
        .filter_map(|draft| round(scenario, &draft.id))
        .collect()
}

/// One party's agreement as it counts.
#[derive(Serialize, Debug, Clone, schemars::JsonSchema)]
pub struct PartyAgreementReport {
    /// The party.
    pub party: String,
    /// `ad-referendum` or `final`.
    pub kind: &'static str,
    /// When.
    pub date: Option<DateReport>,
    /// Whether it counts through the party's acceptance of the whole draft.
    pub whole: bool,
    /// `stated`, `reported`, `inferred` or `assumed`.
    pub basis: &'static str,
}

fn party_agreement(agreement: &PartyAgreement) -> PartyAgreementReport {
    PartyAgreementReport {
        party: agreement.party.to_string(),
        kind: agreement.kind.as_str(),
        date: agreement.date.as_ref().map(DateReport::from),
        whole: agreement.whole,
        basis: agreement.basis.as_str(),
    }
}

/// A point agreed by some of the parties it needs.
#[derive(Serialize, Debug, Clone, schemars::JsonSchema)]
pub struct PartlyAgreedReport {
    /// The point.
    pub point: String,
    /// The parties that agreed.
    pub agreed: Vec<PartyAgreementReport>,
    /// The parties whose consent it needs that did not.
    pub missing: Vec<String>,
}

/// How much of a draft is agreed: "nothing is agreed until everything is agreed".
#[derive(Serialize, Debug, Clone, schemars::JsonSchema)]
pub struct AgreementReport {
    /// `stands` (every consenting party accepted the whole for good), `provisional` (some
    /// only ad referendum) or `open`.
    pub package: &'static str,
    /// The parties whose consent a deal needs.
    pub consenting: Vec<String>,
    /// The parties that accepted the whole draft.
    pub accepted_whole: Vec<PartyAgreementReport>,
    /// The points agreed by every party whose consent they need.
    pub agreed_by_all: Vec<String>,
    /// The points agreed by some.
    pub agreed_by_some: Vec<PartlyAgreedReport>,
    /// The points that keep bracketed alternatives.
    pub open_brackets: Vec<String>,
}

/// The agreement report of a draft.
pub fn agreement_report(scenario: &ValidScenario, draft: &Draft) -> AgreementReport {
    let DraftAgreement { consenting, whole, points, open_brackets, package } =
        agreement::draft_agreement(scenario, draft);
    AgreementReport {
        package: package.as_str(),
        consenting: consenting.iter().map(Id::to_string).collect(),
        accepted_whole: whole.iter().map(party_agreement).collect(),
        agreed_by_all: points
            .iter()
            .filter(|point| point.state == agreement::Agreed::ByAll)
            .map(|point| point.point.id.to_string())
            .collect(),
        agreed_by_some: points
            .iter()
            .filter(|point| point.state == agreement::Agreed::BySome)
            .map(|point| PartlyAgreedReport {
                point: point.point.id.to_string(),
                agreed: point.agreed.iter().map(party_agreement).collect(),
                missing: point
                    .needed
                    .iter()
                    .filter(|party| !point.agreed.iter().any(|agreed| &agreed.party == *party))
                    .map(Id::to_string)
                    .collect(),
            })
            .collect(),
        open_brackets: open_brackets.iter().map(|point| point.to_string()).collect(),
    }
}

/// An issue `--keep-agreed` fixed.
#[derive(Serialize, Debug, Clone, schemars::JsonSchema)]
pub struct FixedReport {
    /// The issue.
    pub issue: String,
    /// The option it is fixed to.
    pub option: String,
    /// `ad-referendum` when some agreement that fixes it is only ad referendum, else `final`.
    pub kind: &'static str,
    /// The agreed points that settle it: `[draft, point]`.
    pub points: Vec<[String; 2]>,
}

/// What `--keep-agreed` took as fixed, and what remains to negotiate.
#[derive(Serialize, Debug, Clone, schemars::JsonSchema)]
pub struct KeptAgreedReport {
    /// The issues fixed to their agreed options.
    pub fixed: Vec<FixedReport>,
    /// The issues that remain to negotiate.
    pub remaining: Vec<String>,
}

/// The report of what was kept as agreed.
pub fn kept_agreed_report(kept: &agreement::KeptAgreed) -> KeptAgreedReport {
    KeptAgreedReport {
        fixed: kept
            .fixed
            .iter()
            .map(|fixed| FixedReport {
                issue: fixed.issue.to_string(),
                option: fixed.option.to_string(),
                kind: fixed.kind.as_str(),
                points: fixed
                    .points
                    .iter()
                    .map(|(draft, point)| [draft.to_string(), point.to_string()])
                    .collect(),
            })
            .collect(),
        remaining: kept.remaining.iter().map(Id::to_string).collect(),
    }
}

/// A point's settlement and words, as one line of text.
fn point_line(point: &PointTextReport) -> String {
    let settlement = match (&point.option, point.brackets.is_empty()) {
        (Some(option), _) => format!("{option}: "),
        (None, false) => format!("[{}]: ", point.brackets.join(" | ")),
        (None, true) => String::new(),
    };
    let text = if point.text.is_empty() { "(no text recorded)" } else { point.text.as_str() };
    format!("{settlement}{text}")
}

/// The marks of a cell's state in the terminal: `=` same, `≠` differs, `+` added, `-` absent.
fn state_mark(state: &str) -> &'static str {
    match state {
        "same" => "=",
        "differs" => "≠",
        "added" => "+",
        _ => "-",
    }
}

/// A round as terminal text; differences are bold yellow with colour on.
pub fn render_round(round: &RoundReport, color: bool) -> String {
    let mut out = String::new();
    let heading = Style::new().bold().underline();
    let title = escape_controls(&round.title, false);
    let _ =
        write!(out, "{}", styled(color, heading, &format!("Round of {} ({})", title, round.draft)));
    out.push('\n');
    if let Some(author) = &round.author {
        let _ = writeln!(out, "compromise text by {}", escape_controls(author, false));
    }
    if round.columns.is_empty() {
        out.push_str("no party's column answers this draft\n");
    }
    for column in &round.columns {
        let _ = writeln!(
            out,
            "column {} by {} ({}): {} difference(s)",
            escape_controls(&column.draft, false),
            escape_controls(&column.party, false),
            column.visibility,
            column.differences
        );
    }
    let width =
        round.columns.iter().map(|column| column.party.chars().count()).max().unwrap_or(0).max(10);
    for row in &round.rows {
        out.push('\n');
        let number = row
            .compromise
            .as_ref()
            .and_then(|point| point.number)
            .map(|number| format!("{number}. "))
            .unwrap_or_default();
        let issue = row
            .compromise
            .as_ref()
            .or_else(|| row.cells.iter().find_map(|cell| cell.point.as_ref()))
            .and_then(|point| point.issue.clone())
            .map(|issue| format!(" [{issue}]"))
            .unwrap_or_default();
        let _ = writeln!(out, "{number}{}{issue}", escape_controls(&row.point, false));
        let compromise = match &row.compromise {
            Some(point) => point_line(point),
            None => "(not in the compromise)".to_owned(),
        };
        let _ =
            writeln!(out, "  {:<width$}    {}", "compromise", escape_controls(&compromise, false));
        for (cell, column) in row.cells.iter().zip(&round.columns) {
            let text = match &cell.point {
                Some(point) => point_line(point),
                None => "(no such point)".to_owned(),
            };
            let line = format!(
                "  {:<width$} {}  {}",
                column.party,
                state_mark(cell.state),
                escape_controls(&text, false)
            );
            let highlight = matches!(cell.state, "differs" | "added");
            let style = Style::new().bold().fg_color(Some(AnsiColor::Yellow.into()));
            out.push_str(&if highlight { styled(color, style, &line) } else { line });
            out.push('\n');
        }
    }
    out
}

fn styled(color: bool, style: Style, text: &str) -> String {
    if color { format!("{style}{text}{style:#}") } else { text.to_owned() }
}

/// A party agreement as it reads: `north ad-referendum 2025-11-02`.
pub fn party_agreement_text(agreement: &PartyAgreementReport) -> String {
    let mut text = format!("{} {}", agreement.party, agreement.kind);
    if let Some(date) = &agreement.date {
        text.push_str(&format!(" {}", date.display));
    }
    if crate::schema::is_analysts(agreement.basis) {
        text.push_str(&format!(" ({})", agreement.basis));
    }
    if agreement.whole {
        text.push_str(" (whole draft)");
    }
    text
}

/// The lines a draft's agreement adds to the terminal report; none when nothing is agreed.
pub fn agreement_lines(agreement: &AgreementReport) -> Vec<String> {
    if agreement.accepted_whole.is_empty()
        && agreement.agreed_by_all.is_empty()
        && agreement.agreed_by_some.is_empty()
    {
        return Vec::new();
    }
    let mut lines = vec![format!(
        "package {}: accepted whole by {}",
        agreement.package,
        if agreement.accepted_whole.is_empty() {
            "none".to_owned()
        } else {
            agreement
                .accepted_whole
                .iter()
                .map(|whole| party_agreement_text(whole).replace(" (whole draft)", ""))
                .collect::<Vec<_>>()
                .join(", ")
        }
    )];
    if !agreement.agreed_by_all.is_empty() {
        lines.push(format!("agreed by all: {}", agreement.agreed_by_all.join(", ")));
    }
    for partly in &agreement.agreed_by_some {
        let agreed: Vec<String> = partly.agreed.iter().map(party_agreement_text).collect();
        lines.push(format!(
            "{} agreed by {}; not by {}",
            partly.point,
            agreed.join(", "),
            if partly.missing.is_empty() { "-".to_owned() } else { partly.missing.join(", ") }
        ));
    }
    if !agreement.open_brackets.is_empty() {
        lines.push(format!("open brackets: {}", agreement.open_brackets.join(", ")));
    }
    lines
}

fn point_cell(point: Option<&PointTextReport>) -> Markup {
    html! {
        @match point {
            None => span.muted { "—" },
            Some(point) => {
                @if let Some(number) = point.number { span.muted.small { (number) ". " } }
                @if let Some(option) = &point.option { code { (option) } " " }
                @if !point.brackets.is_empty() { code { "[" (point.brackets.join(" | ")) "]" } " " }
                @if point.text.is_empty() { span.muted { "(no text recorded)" } } @else { (point.text) }
            }
        }
    }
}

/// A round as an HTML table: one row per point, the compromise then one column per party,
/// the cells that differ from the compromise highlighted.
pub fn round_table(report: &Report, round: &RoundReport) -> Markup {
    let name = |id: &str| crate::html::names::party_name(report, id).to_owned();
    html! {
        div.round {
            h3 { (round.title) " " span.small.muted { code { (round.draft) } } }
            p.small.muted {
                "The compromise text"
                @if let Some(author) = &round.author { " by " (name(author)) }
                @if round.columns.is_empty() { "; no party's column answers it." }
                @else {
                    "; "
                    @for (column_idx, column) in round.columns.iter().enumerate() {
                        @if column_idx > 0 { ", " }
                        (name(&column.party)) ": " (column.differences) " difference(s)"
                    }
                    "."
                }
            }
            div.scroll tabindex="0" role="region" aria-label="Columns beside the compromise" {
                table.columns.stack {
                    thead { tr {
                        th { "Point" }
                        th { "Compromise" }
                        @for column in &round.columns {
                            th { (name(&column.party)) br; span.small.muted { code { (column.draft) } " · " (column.visibility) } }
                        }
                    } }
                    tbody {
                        @for row in &round.rows {
                            tr {
                                th scope="row" { code { (row.point) } }
                                td class=(if row.compromise.is_none() { "absent" } else { "compromise" }) data-label="Compromise" {
                                    (point_cell(row.compromise.as_ref()))
                                }
                                @for (cell, column) in row.cells.iter().zip(&round.columns) {
                                    td class=(cell.state) title=(cell.state) data-label=(name(&column.party)) {
                                        @if matches!(cell.state, "differs" | "added") { span.mark { (state_mark(cell.state)) } " " }
                                        (point_cell(cell.point.as_ref()))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The report's rounds section; nothing when no draft has columns.
pub fn rounds_section(report: &Report) -> Markup {
    html! {
        @if !report.rounds.is_empty() {
            section #rounds {
                h2 { "Draft rounds: the parties' columns" }
                p.small.muted {
                    "Each party's proposal beside the compromise, point by point; a highlighted cell differs from the compromise "
                    "(≠ other words or settlement, + a point the compromise lacks)."
                }
                @for round in &report.rounds { (round_table(report, round)) }
            }
        }
    }
}

/// A draft's agreement as HTML: the package, the points agreed by all and by some, the open
/// brackets.
pub fn agreement_block(report: &Report, agreement: &AgreementReport) -> Markup {
    let name = |id: &str| crate::html::names::party_name(report, id).to_owned();
    let who = |agreements: &[PartyAgreementReport]| {
        agreements
            .iter()
            .map(|agreement| {
                let mut text = format!("{} ({}", name(&agreement.party), agreement.kind);
                if let Some(date) = &agreement.date {
                    text.push_str(&format!(", {}", date.display));
                }
                if crate::schema::is_analysts(agreement.basis) {
                    text.push_str(&format!(", {}", agreement.basis));
                }
                text.push(')');
                text
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    html! {
        div.agreement {
            p.small {
                "Package: " span class={ "badge package-" (agreement.package) } { (agreement.package) }
                @if !agreement.accepted_whole.is_empty() { " · accepted whole by " (who(&agreement.accepted_whole)) }
            }
            @if !agreement.agreed_by_all.is_empty() {
                p.small { "Agreed by all: " @for point in &agreement.agreed_by_all { code { (point) } " " } }
            }
            @if !agreement.agreed_by_some.is_empty() {
                ul.small {
                    @for partly in &agreement.agreed_by_some {
                        li { code { (partly.point) } " agreed by " (who(&partly.agreed))
                            @if !partly.missing.is_empty() { "; not yet by " (partly.missing.iter().map(|party| name(party)).collect::<Vec<_>>().join(", ")) } }
                    }
                }
            }
            @if !agreement.open_brackets.is_empty() {
                p.small { "Open brackets: " @for point in &agreement.open_brackets { code { (point) } " " } }
            }
        }
    }
}

/// The style the rounds and agreements expect, beside the report's own.
pub const ROUNDS_STYLE: &str = r#"
table.columns td, table.columns th { vertical-align: top; min-width: 11rem; }
table.columns th[scope=row] { min-width: 6rem; }
table.columns td.compromise { background: #eef3f9; }
table.columns td.differs, table.columns td.added { background: #fff4d6; box-shadow: inset 3px 0 0 #e0a800; }
table.columns td.absent { color: var(--muted); }
table.columns .mark { font-weight: 700; color: #8a5a00; }
@media (max-width: 600px) {
  table.columns td, table.columns th { min-width: 0; }
  table.columns th[scope=row] { display: block; border: 0; padding: 2px 4px; }
  table.columns td { margin: 2px 0; }
}
.badge.package-stands { background: #dff3e4; color: #1d6b34; }
.badge.package-provisional { background: #fff4d6; color: #8a5a00; }
.badge.package-open { background: #eef1f5; color: #5b6575; }
"#;

/// What `--keep-agreed` fixed, and what remains to negotiate; nothing when it was not asked.
pub fn kept_agreed_section(report: &Report) -> Markup {
    html! {
        @if let Some(kept) = &report.kept_agreed {
            section #kept-agreed {
                h2 { "Kept as agreed" }
                p.small.muted {
                    "The analysis below takes each issue that a point agreed by every party it needs settles as fixed to that option; "
                    "nothing is agreed until everything is agreed, so these stay provisional."
                }
                @if kept.fixed.is_empty() { p.muted { "No point is agreed by every party it needs: nothing is fixed." } }
                @else {
                    ul {
                        @for fixed in &kept.fixed {
                            li {
                                (crate::html::names::issue_title(report, &fixed.issue)) ": "
                                (crate::html::names::option_label(report, &fixed.issue, &fixed.option))
                                " " span.small.muted { "(" (fixed.kind) "; "
                                    (fixed.points.iter().map(|[draft, point]| format!("{draft}#{point}")).collect::<Vec<_>>().join(", ")) ")" }
                            }
                        }
                    }
                }
                p { "Remaining to negotiate: "
                    @if kept.remaining.is_empty() { "nothing." }
                    @else { (kept.remaining.iter().map(|issue| crate::html::names::issue_title(report, issue)).collect::<Vec<_>>().join(", ")) }
                }
            }
        }
    }
}
