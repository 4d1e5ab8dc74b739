//! The analysis sections of the HTML report: the agreement zone, the packages, the Pareto
//! frontier plots, what blocks a deal, the drafts' evaluations, robustness, and the numbers
//! of the utility model.

use maud::{Markup, PreEscaped, html};

use super::plot::{self, PackageKind, Panel};
use super::{count, issue_title, option_label, party_color, party_name, share_bar};
use crate::analysis::{AnalysisReport, ConcessionReport, OutcomeReport, RestsOnReport};
use crate::schema::Report;

/// All points drawn on the page's frontier plots, over every panel and both frontiers: the
/// cap that keeps a large frontier's page small and quick to open.
const POINT_BUDGET: usize = 8_000;
/// The fewest points a frontier keeps on a panel, however many panels there are.
const MIN_POINTS_PER_SERIES: usize = 150;
/// How many tied outcomes of a package the page shows; it says how many more there are.
const TIES_SHOWN: usize = 10;

pub(super) fn sections(report: &Report, analysis: &AnalysisReport) -> Markup {
    html! {
        (zone(report, analysis))
        (packages(report, analysis))
        (frontier(report, analysis))
        (no_deal(report, analysis))
        (evaluations(report, analysis))
        (robustness(report, analysis))
        (relaxations(report, analysis))
    }
}

/// The analyst's figures a result rests on, as one sentence per basis.
fn rests_on(report: &Report, figures: &[RestsOnReport]) -> Markup {
    let described = |basis: &str| -> Vec<String> {
        figures
            .iter()
            .filter(|figure| figure.basis == basis)
            .map(|figure| match (&figure.issue, &figure.option) {
                (Some(issue), Some(option)) => format!(
                    "{} of {} on {}",
                    figure.figure,
                    party_name(report, &figure.party),
                    option_label(report, issue, option)
                ),
                (Some(issue), None) if figure.figure == "stance" => format!(
                    "stances of {} on {}",
                    party_name(report, &figure.party),
                    issue_title(report, issue)
                ),
                (Some(issue), None) => format!(
                    "{} of {} to {}",
                    figure.figure,
                    issue_title(report, issue),
                    party_name(report, &figure.party)
                ),
                _ => format!("{} of {}", figure.figure, party_name(report, &figure.party)),
            })
            .collect()
    };
    html! {
        @for basis in ["inferred", "assumed"] {
            @let figures = described(basis);
            @if !figures.is_empty() {
                p.small style="color:#8a5a00" {
                    "Rests on " (basis) " figures: " (figures.join("; "))
                }
            }
        }
    }
}

/// How the zone and the Nash package move when each inferred reading is relaxed one step.
pub fn relaxations(report: &Report, analysis: &AnalysisReport) -> Markup {
    html! {
        @if let Some(relaxations) = &analysis.relaxations && !relaxations.is_empty() {
            section #relaxations {
                h2 { "Inferred readings relaxed" }
                p.small.muted {
                    "Each reading the analyst inferred from a sentence of a source, read one step weaker (a red line as a strong objection, a preference as acceptable, an importance one level lower, a consent as not needed), one at a time and then all at once, on the point estimates."
                }
                div.scroll tabindex="0" role="region" aria-label="Inferred readings relaxed" {
                    table {
                        thead { tr { th { "Relaxed" } th { "Agreement zone" } th { "Nash package" } } }
                        tbody {
                            @for relaxation in relaxations {
                                tr {
                                    td.small { (relaxation.what) }
                                    td.small {
                                        @match (relaxation.zone_exists, relaxation.zone_size) {
                                            (false, _) => "none",
                                            (true, Some(size)) => { (count(size as f64)) " outcome(s)" },
                                            (true, None) => "exists",
                                        }
                                    }
                                    td.small {
                                        @if let Some(first) = relaxation.nash.first() {
                                            (first.outcome.iter().filter_map(|(issue, option)| Some(format!("{}: {}", issue_title(report, issue), option_label(report, issue, option.as_ref()?)))).collect::<Vec<_>>().join("; "))
                                        } @else {
                                            span.muted { "none" }
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
}

/// The steps that ran past their work budget, when there are any (shown at the top of
/// [`zone`]).
pub fn cut_short(analysis: &AnalysisReport) -> Markup {
    html! {
        @if !analysis.cut_short.is_empty() {
            section #cut-short {
                h2 { "Cut short" }
                p {
                    "These steps ran past their work budget, so their results are not shown; every other figure on this page is exact and complete."
                }
                ul {
                    @for cut in &analysis.cut_short {
                        li { code { (cut.step) } ": " (cut.message) }
                    }
                }
            }
        }
    }
}

/// A note for a result whose step was cut short.
fn not_computed(analysis: &AnalysisReport, step: &str) -> Markup {
    html! {
        @if let Some(cut) = analysis.cut_short(step) {
            p.muted { "Not computed: the step " code { (step) } " " (cut.message) "." }
        }
    }
}

/// A party's value in a per-party list.
fn of(values: &[(String, f64)], party: &str) -> Option<f64> {
    values.iter().find(|(id, _)| id == party).map(|(_, value)| *value)
}

/// The agreement zone: its size, and each party's disagreement value and best utility.
pub fn zone(report: &Report, analysis: &AnalysisReport) -> Markup {
    let zone = &analysis.agreement_zone;
    let reservation =
        |party: &str| super::party(report, party).and_then(|party| party.reservation.as_ref());
    html! {
        (cut_short(analysis))
        section #zone {
            h2 { "Agreement zone" }
            div.kpis {
                div.kpi { b { (count(analysis.outcomes)) } span { "possible outcomes (one option per issue)" } }
                div.kpi {
                    b {
                        @match (zone.exists, zone.size, zone.decisive_size) {
                            (None, _, _) => "?",
                            (Some(false), _, _) => "none",
                            (Some(true), Some(size), _) => (count(size as f64)),
                            (Some(true), None, Some(decisive)) => (count(decisive as f64)),
                            (Some(true), None, None) => "exists",
                        }
                    }
                    span {
                        @match (zone.exists, zone.size, zone.decisive_size) {
                            (None, _, _) => "agreement zone not decided (cut short)",
                            (Some(false), _, _) => "no outcome crosses no red line and meets every reservation",
                            (Some(true), Some(_), _) => "outcomes in the agreement zone",
                            (Some(true), None, Some(_)) => "outcomes in the agreement zone over the decisive issues, each with any option on the indifferent ones",
                            (Some(true), None, None) => "agreement zone (not counted)",
                        }
                    }
                }
                div.kpi { b { (analysis.pareto_frontier_size.map_or("?".to_owned(), |size| size.to_string())) } span { "Pareto-optimal outcomes in the zone" } }
                div.kpi { b { (analysis.unrestricted_pareto_frontier_size.map_or("?".to_owned(), |size| size.to_string())) } span { "Pareto-optimal outcomes overall" } }
            }
            @if let Some(grid) = &analysis.grid_approximation {
                p.warn { (grid.message) }
            }
            @if zone.exists.is_some() {
                (rests_on(report, &zone.rests_on))
            }
            @if !analysis.indifferent_issues.is_empty() {
                p.small.muted {
                    "No party tells the options apart on " (analysis.indifferent_issues.len()) " issue(s): "
                    (analysis.indifferent_issues.iter().map(|issue| issue_title(report, issue)).collect::<Vec<_>>().join(", "))
                    ". Each Pareto-optimal outcome and package shown takes any option on them."
                }
            }
            @if let Some(candidates) = zone.candidates_not_counted {
                p.small.muted { "The zone was not counted: " (count(candidates)) " outcomes cross no red line." }
            }
            p.small.muted {
                "The agreement zone holds the outcomes that cross no consenting party's red line and give every party at least its disagreement value: "
                "its reservation where one is recorded (and not below its lowest utility), otherwise its lowest utility."
            }
            @for note in &analysis.notes {
                p.small.muted { "Note: " (note) "." }
            }
            div.scroll tabindex="0" role="region" aria-label="Disagreement values" {
                table {
                    thead { tr { th { "Party" } th.num { "Disagreement value" } th.num { "Best possible" } th { "Reservation" } } }
                    tbody {
                        @for party in &report.parties {
                            tr {
                                td style="white-space:nowrap" { span.swatch-party style=(format!("background:{}", party_color(report, party))) {} (party_name(report, party)) }
                                td.num { (of(&analysis.disagreement, party).map_or("—".to_owned(), |value| format!("{value:.3}"))) }
                                td.num { (of(&analysis.best, party).map_or("—".to_owned(), |value| format!("{value:.3}"))) }
                                td {
                                    @match reservation(party) {
                                        Some(reservation) => {
                                            (format!("{:.2}", reservation.value))
                                            @if crate::schema::is_assumed(reservation.basis) { (super::assumed_mark()) }
                                        },
                                        None => span.muted { "none recorded" },
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

/// The packages of each kind (none for a kind whose step was cut short).
fn solutions(analysis: &AnalysisReport) -> [(PackageKind, &[OutcomeReport]); 4] {
    fn of(outcomes: &Option<Vec<OutcomeReport>>) -> &[OutcomeReport] {
        outcomes.as_deref().unwrap_or(&[])
    }
    let solutions = &analysis.solutions;
    [
        (PackageKind::Nash, of(&solutions.nash)),
        (PackageKind::Kalai, of(&solutions.kalai)),
        (PackageKind::Egalitarian, of(&solutions.egalitarian)),
        (PackageKind::Utilitarian, of(&solutions.utilitarian)),
    ]
}

/// The step that computes a kind of package.
fn step_of(kind: PackageKind) -> &'static str {
    match kind {
        PackageKind::Nash => "nash",
        PackageKind::Kalai => "kalai",
        PackageKind::Egalitarian => "egalitarian",
        PackageKind::Utilitarian => "utilitarian",
    }
}

/// A utility as a number with a bar on [0, 1].
fn utility(report: &Report, party: &str, value: f64) -> Markup {
    let width = format!(
        "width:{:.1}%;background:{}",
        value.clamp(0.0, 1.0) * 100.0,
        party_color(report, party)
    );
    html! {
        div.utilbar { div.bar { span style=(width) {} } span.num { (format!("{value:.3}")) } }
    }
}

/// An outcome's options, issue by issue.
fn outcome_options(report: &Report, outcome: &OutcomeReport) -> Markup {
    html! {
        ul.plain.small {
            @for (issue, option) in &outcome.outcome {
                @if let Some(option) = option {
                    li { span.muted { (issue_title(report, issue)) ": " } (option_label(report, issue, option)) }
                }
            }
            @let any: Vec<&str> = outcome.outcome.iter().filter(|(_, option)| option.is_none()).map(|(issue, _)| issue_title(report, issue)).collect();
            @if !any.is_empty() {
                li { span.muted { "Any option (no party tells them apart): " } (any.join(", ")) }
            }
        }
        @if !outcome.unknown_stances.is_empty() {
            p.small style="color:#8a5a00" {
                "Rests on unrecorded stances: "
                (outcome.unknown_stances.iter().map(|unknown| format!("{} on {}", party_name(report, &unknown.party), option_label(report, &unknown.issue, &unknown.option))).collect::<Vec<_>>().join("; "))
            }
        }
        (rests_on(report, &outcome.rests_on))
    }
}

/// The groups of packages (two or more) whose first outcomes give every party the same utility.
fn coinciding(analysis: &AnalysisReport) -> Vec<Vec<&'static str>> {
    // Each group: the utilities it shares and the names of its packages.
    type Group<'a> = (&'a [(String, f64)], Vec<&'static str>);
    let mut groups: Vec<Group<'_>> = Vec::new();
    for (kind, outcomes) in solutions(analysis) {
        let Some(first) = outcomes.first() else { continue };
        let same = |utilities: &[(String, f64)]| {
            utilities.iter().zip(&first.utilities).all(|(a, b)| (a.1 - b.1).abs() < 1e-9)
        };
        match groups.iter_mut().find(|(utilities, _)| same(utilities)) {
            Some((_, names)) => names.push(kind.name()),
            None => groups.push((&first.utilities, vec![kind.name()])),
        }
    }
    groups.into_iter().map(|(_, names)| names).filter(|names| names.len() > 1).collect()
}

/// The four packages (Nash, Kalai-Smorodinsky, egalitarian, utilitarian) and their utilities.
pub fn packages(report: &Report, analysis: &AnalysisReport) -> Markup {
    html! {
        section #packages {
            h2 { "Packages" }
            p.small.muted {
                "Four standard bargaining solutions, each taken among the Pareto-optimal outcomes of the agreement zone. "
                "Nash maximises the product of gains over the disagreement point; Kalai-Smorodinsky makes gains most even relative to what each party could gain at best; "
                "egalitarian maximises the smallest gain; utilitarian maximises the sum of utilities."
            }
            @for group in coinciding(analysis) {
                p.small { strong { (group.join(" = ")) } ": the same utilities, so their markers on the frontier plots sit on one spot." }
            }
            @if analysis.agreement_zone.exists == Some(false) {
                p { strong { "No packages: there is no agreement zone." } " See " a href="#no-deal" { "what blocks a deal" } "." }
            } @else {
                div.scroll tabindex="0" role="region" aria-label="Packages" {
                    table {
                        thead {
                            tr {
                                th { "Package" }
                                @for party in &report.parties { th { (party_name(report, party)) } }
                            }
                        }
                        tbody {
                            @for (kind, outcomes) in solutions(analysis) {
                                @for (idx, outcome) in outcomes.iter().take(TIES_SHOWN).enumerate() {
                                    tr {
                                        th {
                                            span.legend style="margin:0" { span { (plot::legend_marker(kind)) (kind.name()) } }
                                            @if outcomes.len() > 1 { span.small.muted { "tie " (idx + 1) " of " (outcomes.len()) } }
                                            details { summary.small { "options" } (outcome_options(report, outcome)) }
                                        }
                                        @for party in &report.parties {
                                            td style="min-width:120px" {
                                                @match of(&outcome.utilities, party) { Some(value) => (utility(report, party, value)), None => "—" }
                                            }
                                        }
                                    }
                                }
                                @if outcomes.len() > TIES_SHOWN {
                                    tr {
                                        th.small.muted { (kind.name()) ": " (outcomes.len() - TIES_SHOWN) " more tied outcomes" }
                                        td.small.muted colspan=(report.parties.len()) { "not shown here; the JSON report lists every tie" }
                                    }
                                }
                                @if outcomes.is_empty() {
                                    tr {
                                        th { (kind.name()) }
                                        td colspan=(report.parties.len()) {
                                            @match analysis.cut_short(step_of(kind)) {
                                                Some(cut) => span.muted { "not computed: " (cut.message) },
                                                None => span.muted { "none" },
                                            }
                                        }
                                    }
                                }
                            }
                            tr {
                                th.muted { "Disagreement point" }
                                @for party in &report.parties {
                                    td.num { (of(&analysis.disagreement, party).map_or("—".to_owned(), |value| format!("{value:.3}"))) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The Pareto frontier plots: one scatter for two parties, one panel per pair for more.
pub fn frontier(report: &Report, analysis: &AnalysisReport) -> Markup {
    let parties = &report.parties;
    let pairs: Vec<(usize, usize)> = (0..parties.len())
        .flat_map(|first| (first + 1..parties.len()).map(move |second| (first, second)))
        .collect();
    let two = parties.len() == 2;
    let cap = (POINT_BUDGET / (2 * pairs.len().max(1))).max(MIN_POINTS_PER_SERIES);
    let project = |outcomes: &[OutcomeReport], first: &str, second: &str| -> Vec<(f64, f64)> {
        outcomes
            .iter()
            .filter_map(|outcome| {
                Some((of(&outcome.utilities, first)?, of(&outcome.utilities, second)?))
            })
            .collect()
    };
    let panels: Vec<(String, plot::Drawn)> = pairs
        .iter()
        .map(|&(first_idx, second_idx)| {
            let (first, second) = (&parties[first_idx], &parties[second_idx]);
            let packages = solutions(analysis)
                .into_iter()
                .map(|(kind, outcomes)| {
                    // Tied outcomes sit on one spot: one marker each for the first few.
                    let points = outcomes
                        .iter()
                        .take(TIES_SHOWN)
                        .filter_map(|outcome| {
                            let point =
                                (of(&outcome.utilities, first)?, of(&outcome.utilities, second)?);
                            let utilities: Vec<String> = outcome
                                .utilities
                                .iter()
                                .map(|(party, value)| {
                                    format!("{} {value:.3}", party_name(report, party))
                                })
                                .collect();
                            Some((point, format!("{}: {}", kind.name(), utilities.join(", "))))
                        })
                        .collect();
                    (kind, points)
                })
                .collect();
            let panel = Panel {
                x_label: party_name(report, first),
                y_label: party_name(report, second),
                zone: project(analysis.pareto_frontier.as_deref().unwrap_or(&[]), first, second),
                all: project(
                    analysis.unrestricted_pareto_frontier.as_deref().unwrap_or(&[]),
                    first,
                    second,
                ),
                connect: two,
                packages,
                disagreement: (
                    of(&analysis.disagreement, first).unwrap_or(0.0),
                    of(&analysis.disagreement, second).unwrap_or(0.0),
                ),
                size: if two { (560, 460) } else { (480, 420) },
                cap,
            };
            let title = format!("{} × {}", party_name(report, first), party_name(report, second));
            (title, plot::draw(&panel))
        })
        .collect();
    let drawn_text = |(shown, of): (usize, usize)| {
        if shown == of {
            format!("all {of} points drawn")
        } else {
            format!("{shown} of {of} points drawn")
        }
    };
    html! {
        section #frontier {
            h2 { "Pareto frontier" }
            (not_computed(analysis, "frontier"))
            (not_computed(analysis, "unrestricted_frontier"))
            (reference_frontier(report, analysis))
            @if pairs.is_empty() {
                p.muted { "A frontier needs at least two negotiating parties." }
            } @else {
                p.small.muted {
                    @if two {
                        "Each point is a Pareto-optimal outcome: no other outcome is better for one party without being worse for the other. "
                    } @else {
                        "One panel per pair of parties. Each point is a Pareto-optimal outcome of all "
                        (parties.len()) " parties seen from two of them, so points may lie behind one another: "
                        "a point that looks dominated in one panel is better for a third party. "
                    }
                    "Teal points form the frontier of the agreement zone, grey rings the frontier of all outcomes (ignoring red lines and reservations); "
                    "the dashed lines mark each party's disagreement value. Hover a marker for its utilities."
                }
                @if analysis.pareto_frontier_omitted + analysis.unrestricted_pareto_frontier_omitted > 0 {
                    p.small.muted {
                        "The report lists a sample of each large frontier, and the plots draw that sample: "
                        (listed_text(analysis.pareto_frontier.as_ref().map_or(0, Vec::len), analysis.pareto_frontier_size))
                        " of the zone's frontier, "
                        (listed_text(analysis.unrestricted_pareto_frontier.as_ref().map_or(0, Vec::len), analysis.unrestricted_pareto_frontier_size))
                        " of the frontier of all outcomes, " (analysis.frontier_listing)
                        " from its least to its most (both ends included). "
                        code { "parley analyze --full" } " lists every outcome."
                    }
                }
                div.legend {
                    @for kind in PackageKind::ALL { span { (plot::legend_marker(kind)) (kind.name()) } }
                    (plot::legend_other())
                }
                div class={ "panels" @if two { " single" } } {
                    @for (title, drawn) in &panels {
                        figure.panel {
                            (PreEscaped(&drawn.svg))
                            figcaption {
                                @if !two { strong { (title) } br; }
                                "Zone frontier: " (drawn_text(drawn.zone)) "; frontier of all outcomes: " (drawn_text(drawn.all)) "."
                                @if drawn.zone.0 < drawn.zone.1 || drawn.all.0 < drawn.all.1 {
                                    " Points that would overlap at this size are drawn once"
                                    "; past " (cap) " a frontier is thinned evenly."
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// "all 12 outcomes" or "1000 of its 924385 outcomes".
fn listed_text(n_listed: usize, size: Option<usize>) -> String {
    match size {
        Some(size) if n_listed < size => format!("{n_listed} of its {size} outcomes"),
        _ => format!("all {n_listed} outcomes"),
    }
}

/// How the frontier of all outcomes compares with the reference frontier that came with the
/// scenario (GENIUS's `pareto.xml`), when one did.
fn reference_frontier(report: &Report, analysis: &AnalysisReport) -> Markup {
    html! {
        @if let Some(reference) = &analysis.reference_frontier {
            div.reference {
                h3 { "Against the reference frontier " code { (reference.file) } }
                @if reference.compared {
                    p {
                        (reference.points) " reference points: " (reference.on_frontier)
                        @if reference.frontier_complete { " on Parley's exact frontier of all outcomes, " } @else { " on the frontier points Parley found (not proven the whole frontier), " }
                        (reference.dominated) " dominated by a point of it"
                        @if let Some(shortfall) = reference.max_shortfall {
                            " (by at most " (format!("{shortfall:.4}")) ")"
                        }
                        ", " (reference.undominated.len()) " neither."
                    }
                    @if !reference.undominated.is_empty() {
                        p { strong { (reference.message) } }
                        ul {
                            @for point in &reference.undominated {
                                li {
                                    @for (party, value) in &point.0 {
                                        (party_name(report, party)) " " (format!("{value:.6}")) " "
                                    }
                                }
                            }
                        }
                    }
                } @else {
                    p.muted { (reference.message) }
                }
            }
        }
    }
}

/// " (inferred)" or " (assumed)" after an analyst's figure.
fn basis_note(basis: &str) -> String {
    if crate::schema::is_analysts(basis) { format!(" ({basis})") } else { String::new() }
}

fn concession(report: &Report, concession: &ConcessionReport) -> String {
    match concession {
        ConcessionReport::LiftRedLine { party, issue, basis } => {
            format!(
                "{} lifts its red lines on {}{}",
                party_name(report, party),
                issue_title(report, issue),
                basis_note(basis)
            )
        }
        ConcessionReport::DropReservation { party, basis } => {
            format!("{} drops its reservation{}", party_name(report, party), basis_note(basis))
        }
    }
}

/// What blocks a deal: issues no option settles, and the smallest sets of concessions.
pub fn no_deal(report: &Report, analysis: &AnalysisReport) -> Markup {
    let no_deal = &analysis.no_deal;
    html! {
        section #no-deal {
            h2 { "What blocks a deal" }
            (not_computed(analysis, "blocking"))
            @let conflicts = no_deal.issue_conflicts.as_deref().unwrap_or(&[]);
            @if !conflicts.is_empty() {
                h3 { "Issues no option can settle" }
                ul {
                    @for conflict in conflicts {
                        li {
                            strong { (issue_title(report, &conflict.issue)) } ": the red lines of "
                            (super::party_list(report, &conflict.parties)) " leave no option every party allows."
                            (rests_on(report, &conflict.rests_on))
                        }
                    }
                }
            }
            @match no_deal.minimal_concession_sets.as_deref() {
                None => {},
                Some([]) => p { "No set of up to " (no_deal.max_concessions) " concessions opens an agreement zone." },
                Some([only]) if only.is_empty() => p { "Nothing: an agreement zone exists without concessions." },
                Some(sets) => {
                    h3 { "Smallest sets of concessions that open an agreement zone (" (sets.len()) ")" }
                    p.small.muted { "Each line is one way to open a zone; every concession in it is needed, and no smaller set works." }
                    ol {
                        @for set in sets {
                            li { (set.iter().map(|item| concession(report, item)).collect::<Vec<_>>().join(" + ")) }
                        }
                    }
                },
            }
        }
    }
}

/// Each draft's evaluation over its completions, party by party.
pub fn evaluations(report: &Report, analysis: &AnalysisReport) -> Markup {
    html! {
        section #evaluations {
            h2 { "Draft evaluations" }
            (not_computed(analysis, "drafts"))
            @let evaluations = analysis.draft_evaluations.as_deref().unwrap_or(&[]);
            @if analysis.draft_evaluations.as_ref().is_some_and(Vec::is_empty) {
                p.muted { "No drafts to evaluate." }
            } @else if !evaluations.is_empty() {
                p.small.muted {
                    "A draft's completions are the outcomes that agree with what it settles. "
                    "Bars show each party's utility over the completions on a scale of 0 to 1; the black tick is its disagreement value."
                }
            }
            @for evaluation in evaluations {
                @let title = report.drafts.iter().find(|draft| draft.id == evaluation.draft).map_or(evaluation.draft.as_str(), |draft| draft.title.as_str());
                div.card style="margin-bottom:12px" {
                    h3 {
                        (title) " "
                        span class={ "badge acc-" (evaluation.acceptance) } { (evaluation.acceptance) }
                    }
                    p.small.muted {
                        code { (evaluation.draft) } " · " (count(evaluation.completions)) " completion(s) · distance to frontier "
                        (evaluation.distance_to_frontier.map_or("not computed".to_owned(), |distance| format!("{distance:.3}")))
                    }
                    p.small {
                        strong { "Settles: " }
                        @if evaluation.settled_issues.is_empty() { span.muted { "nothing" } }
                        @else { (evaluation.settled_issues.iter().map(|id| issue_title(report, id)).collect::<Vec<_>>().join(", ")) }
                        br;
                        strong { "Leaves open: " }
                        @if evaluation.open_issues.is_empty() { span.muted { "nothing" } }
                        @else { (evaluation.open_issues.iter().map(|id| issue_title(report, id)).collect::<Vec<_>>().join(", ")) }
                        @if !evaluation.contradictions.is_empty() {
                            br; strong style="color:#8c1d18" { "Contradicts itself on: " }
                            (evaluation.contradictions.iter().map(|id| issue_title(report, id)).collect::<Vec<_>>().join(", "))
                        }
                    }
                    div.scroll tabindex="0" role="region" aria-label=(format!("Evaluation of {title} by party")) {
                        table.eval {
                            thead { tr { th { "Party" } th.rangecell { "Utility over the completions" } th { "Objects to (points)" } } }
                            tbody {
                                @for party in &evaluation.parties {
                                    tr {
                                        td {
                                            (party_name(report, &party.party)) br;
                                            @if party.rejects { span.badge.acc-rejected { "rejects" } }
                                            @else { span.badge.acc-accepted { "can accept" } }
                                        }
                                        td.rangecell {
                                            (super::diagram::range_bar(party.utility_range[0], party.utility_range[1], of(&analysis.disagreement, &party.party), party_color(report, &party.party)))
                                            span.small.num { (format!("{:.3} – {:.3}", party.utility_range[0], party.utility_range[1])) }
                                        }
                                        td.small {
                                            @if party.objections.is_empty() { span.muted { "—" } }
                                            @else { (party.objections.join(", ")) }
                                            @if !party.red_lines_crossed.is_empty() {
                                                br; strong style="color:#8c1d18" { "red lines crossed: " } (party.red_lines_crossed.join(", "))
                                                @if !party.red_line_bases.is_empty() {
                                                    " " span.assumed title="the red lines are the analyst's" {
                                                        (party.red_line_bases.iter().map(|(point, basis)| format!("{point}: {basis}")).collect::<Vec<_>>().join(", "))
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
            }
        }
    }
}

/// How often the results hold over the sampled figures.
pub fn robustness(report: &Report, analysis: &AnalysisReport) -> Markup {
    html! {
        section #robustness {
            h2 { "Robustness" }
            @match &analysis.robustness {
                None => p.muted { "No samples were drawn (robustness analysis skipped)." },
                Some(robustness) if !robustness.uncertain => {
                    p { "No weight or value is an interval, so no figure is uncertain: the results hold as they are (no samples drawn)." }
                },
                Some(robustness) => {
                    p.small.muted {
                        (robustness.samples) " samples, seed " (robustness.seed) ": each draws every weight and value uniformly from its interval "
                        "(exact figures, red lines and reservations stay as recorded) and is analysed exactly. "
                        "Shares show how often a result holds."
                    }
                    h3 { "Agreement zone" }
                    (share_bar("zone exists", "share of samples with an agreement zone", robustness.zone_exists_share, ""))
                    @if !robustness.drafts.is_empty() {
                        h3 { "Drafts" }
                        p.small.muted { "How often each draft is acceptable to every consenting party: whatever its open points are settled on, or for some settlement of them." }
                        @for (draft, shares) in &robustness.drafts {
                            @let title = report.drafts.iter().find(|candidate| &candidate.id == draft).map_or(draft.as_str(), |found| found.title.as_str());
                            h4 { (title) }
                            (share_bar("whatever the open points", "every completion is in the zone", shares.accepted, ""))
                            (share_bar("for some settlement", "some completion is in the zone", shares.possible, "possible"))
                        }
                    }
                    @if let Some(stability) = &robustness.nash_stability {
                        h3 { "Nash package, issue by issue" }
                        p.small.muted { "How often the sampled Nash package keeps the point estimate's option on each issue." }
                        @for (issue, share) in &stability.0 {
                            @if let Some(share) = share {
                                (share_bar(issue_title(report, issue), issue, *share, ""))
                            }
                        }
                    }
                    @if !robustness.nash_option_shares.is_empty() {
                        details {
                            summary { "Which option the sampled Nash packages pick, per issue" }
                            @for (issue, shares) in robustness.nash_option_shares.iter().filter_map(|(issue, shares)| Some((issue, shares.as_ref()?))) {
                                h4 { (issue_title(report, issue)) }
                                @for (option, share) in &shares.0 {
                                    (share_bar(option_label(report, issue, option), option, *share, "possible"))
                                }
                            }
                        }
                    }
                },
            }
            @if !analysis.timings.is_empty() {
                details {
                    summary { "Timings" }
                    ul.plain.small { @for (step, seconds) in &analysis.timings { li { (step) ": " (format!("{:.3} ms", seconds * 1000.0)) } } }
                }
            }
        }
    }
}

/// The numbers each party's utility rests on.
pub fn utility_model(report: &Report, analysis: &AnalysisReport) -> Markup {
    let model = &analysis.utility_model;
    html! {
        h3 { "The utility model" }
        p.small.muted { (capitalised(model.method)) ". A party's utility of an outcome is the sum over issues of weight × value of the chosen option." }
        div.scroll tabindex="0" role="region" aria-label="The utility model" {
            table {
                thead {
                    tr {
                        th { "Issue" }
                        @for (party, _) in &model.parties { th.num { (party_name(report, party)) } }
                    }
                }
                tbody {
                    @for issue in &report.issues {
                        tr {
                            td { (issue.title) }
                            @for (_, numbers) in &model.parties {
                                @let weight = of(&numbers.weights, &issue.id);
                                @let interval = numbers.weight_intervals.iter().find(|(id, _)| *id == issue.id).map(|(_, interval)| *interval);
                                @let source = numbers.weight_sources.iter().find(|(id, _)| *id == issue.id).map_or("", |(_, source)| *source);
                                td.num title=(interval.map_or(String::new(), |[low, high]| format!("interval [{low:.3}, {high:.3}], {source}"))) {
                                    (weight.map_or("—".to_owned(), |weight| format!("{weight:.3}")))
                                    @match source { "scale" => sup { "s" }, "unknown" => sup { "?" }, _ => {} }
                                }
                            }
                        }
                    }
                }
            }
        }
        p.small.muted { "Point-estimate weights (they sum to 1 for each party): " sup { "s" } " from the scale, " sup { "?" } " importance not recorded, otherwise exact." }
        details {
            summary { "Each party's option values and red lines" }
            @for (party, numbers) in &model.parties {
                h4 {
                    (party_name(report, party))
                    @if numbers.exact { " " span.badge { "all figures exact" } }
                    @if let Some(reservation) = numbers.reservation { " " span.small.muted { "reservation " (format!("{reservation:.2}")) } }
                }
                div.scroll tabindex="0" role="region" aria-label=(format!("Option values of {}", party_name(report, party))) {
                    table {
                        thead { tr { th { "Issue" } th { "Option values (point estimate, interval)" } th { "Red lines" } } }
                        tbody {
                            @for (issue, values) in &numbers.values {
                                @let intervals = numbers.value_intervals.iter().find(|(id, _)| id == issue).map(|(_, intervals)| &intervals.0);
                                @let red_lines = numbers.red_lines.iter().find(|(id, _)| id == issue).map(|(_, options)| options);
                                tr {
                                    td { (issue_title(report, issue)) }
                                    td.small {
                                        @for (idx, (option, value)) in values.0.iter().enumerate() {
                                            @if idx > 0 { "; " }
                                            (option_label(report, issue, option)) " " strong { (format!("{value:.2}")) }
                                            @if let Some([low, high]) = intervals.and_then(|intervals| intervals.iter().find(|(id, _)| id == option)).map(|(_, interval)| *interval) {
                                                @if low < high { span.muted { (format!(" [{low:.2}, {high:.2}]")) } }
                                            }
                                        }
                                    }
                                    td.small {
                                        @match red_lines {
                                            Some(options) => (options.iter().map(|option| option_label(report, issue, option)).collect::<Vec<_>>().join("; ")),
                                            None => span.muted { "—" },
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
}

/// A sentence with its first letter in upper case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| first.to_uppercase().chain(chars).collect())
}
