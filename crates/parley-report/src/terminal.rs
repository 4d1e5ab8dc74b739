//! The terminal report: what a mediator reads first. Rendered from the same [`Report`] as the
//! JSON output, so the two never disagree. Colour is optional: the caller turns it off when
//! the output is not a terminal.

use std::borrow::Cow;
use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use crate::analysis::{AnalysisReport, ConcessionReport, OutcomeReport, RestsOnReport};
use crate::schema::{ConsentReport, Report, StanceCell};

/// Options for rendering.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    /// Whether to colour the stance matrix and headings with ANSI escapes.
    pub color: bool,
}

/// Whether a character could control a terminal or reorder what it shows: the C0 controls
/// (but `\n` where `keep_newlines`), DEL, the C1 controls U+0080 to U+009F, and the
/// bidirectional overrides and isolates U+202A to U+202E and U+2066 to U+2069.
fn is_control(character: char, keep_newlines: bool) -> bool {
    match character {
        '\n' => !keep_newlines,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// Text bound for a terminal, with every character that could control the terminal or
/// reorder what it shows (see [`is_control`]) replaced by a visible escape such as `\u{1b}`.
/// `keep_newlines` keeps `\n` for text that is meant to span lines; a record's names and
/// titles are not, so a newline in them is escaped too. Every terminal output of scenario
/// text goes through this one function.
pub fn escape_controls(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !text.chars().any(|character| is_control(character, keep_newlines)) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        if is_control(character, keep_newlines) {
            let _ = write!(escaped, "\\u{{{:x}}}", u32::from(character));
        } else {
            escaped.push(character);
        }
    }
    Cow::Owned(escaped)
}

/// The report being rendered. Everything written through it has its control characters
/// escaped ([`escape_controls`]); only the styles it adds itself reach the terminal as
/// escape sequences.
struct Out {
    text: String,
    color: bool,
}

impl Out {
    fn styled(&mut self, style: Style, text: &str) {
        let text = escape_controls(text, false);
        if self.color {
            let _ = write!(self.text, "{style}{text}{style:#}");
        } else {
            self.text.push_str(&text);
        }
    }

    fn heading(&mut self, title: &str) {
        self.text.push('\n');
        self.styled(Style::new().bold().underline(), title);
        self.text.push('\n');
    }

    /// Text on the current line, with no line break after it.
    fn push(&mut self, text: &str) {
        self.text.push_str(&escape_controls(text, false));
    }

    fn line(&mut self, line: &str) {
        self.push(line);
        self.text.push('\n');
    }
}

/// The one-letter code and colour of a stance in the matrix.
fn stance_glyph(stance: &serde_json::Value) -> (String, Style) {
    let style = |color: AnsiColor| Style::new().fg_color(Some(color.into()));
    match stance.as_str() {
        Some("red-line") => ("X".to_owned(), style(AnsiColor::Red).bold()),
        Some("strong-objection") => ("S".to_owned(), style(AnsiColor::Red)),
        Some("objection") => ("O".to_owned(), style(AnsiColor::Yellow)),
        Some("workable") => ("W".to_owned(), style(AnsiColor::Cyan)),
        Some("acceptable") => ("A".to_owned(), style(AnsiColor::Green)),
        Some("preferred") => ("P".to_owned(), style(AnsiColor::Green).bold()),
        _ => match stance.as_f64() {
            Some(_) => ("#".to_owned(), Style::new()),
            None => ("?".to_owned(), Style::new()),
        },
    }
}

/// Renders the report as terminal text.
pub fn render(report: &Report, options: RenderOptions) -> String {
    let mut out = Out { text: String::new(), color: options.color };
    out.styled(Style::new().bold(), &report.scenario.title);
    out.text.push('\n');
    if let Some(as_of) = &report.scenario.as_of {
        out.line(&format!("As of {}", as_of.display));
    }
    parties(&mut out, report);
    timeline(&mut out, report);
    drafts(&mut out, report);
    matrix(&mut out, report);
    blocking(&mut out, report);
    claims(&mut out, report);
    if let Some(kept) = &report.kept_agreed {
        kept_agreed(&mut out, kept);
    }
    if let Some(analysis) = &report.analysis {
        analysis_sections(&mut out, analysis);
    }
    assumptions(&mut out, report);
    if !report.warnings.is_empty() {
        out.heading("Warnings");
        for warning in &report.warnings {
            out.line(&format!("  {warning}"));
        }
    }
    out.text
}

fn parties(out: &mut Out, report: &Report) {
    out.heading("Parties");
    let id_width = report.party_details.iter().map(|party| party.id.len()).max().unwrap_or(0);
    for party in &report.party_details {
        let consent = match &party.consent {
            ConsentReport::Keyword("required") => "consent required".to_owned(),
            ConsentReport::Keyword(_) => "consent not required".to_owned(),
            ConsentReport::Issues { issues } => format!("consent needed on {}", issues.join(", ")),
        } + &basis_mark(party.consent_basis);
        out.line(&format!("  {:id_width$}  {} ({}; {consent})", party.id, party.name, party.role));
        if !party.delegates.is_empty() {
            let delegates: Vec<String> = party
                .delegates
                .iter()
                .map(|delegate| match &delegate.title {
                    Some(title) => format!("{}, {title}", delegate.name),
                    None => delegate.name.clone(),
                })
                .collect();
            out.line(&format!("  {:id_width$}  delegates: {}", "", delegates.join("; ")));
        }
        if let Some(reservation) = &party.reservation {
            let assumed =
                if crate::schema::is_assumed(reservation.basis) { " (assumed)" } else { "" };
            out.line(&format!("  {:id_width$}  reservation: {}{assumed}", "", reservation.value));
        }
    }
}

fn timeline(out: &mut Out, report: &Report) {
    out.heading("Tracks and meetings, in date order");
    if report.tracks.is_empty() && report.timeline.is_empty() {
        out.line("  no tracks or meetings recorded");
    } else if report.timeline.is_empty() {
        out.line("  no meetings recorded");
    }
    for track in &report.tracks {
        let document = track
            .document
            .as_ref()
            .map(|document| format!(", works from {document}"))
            .unwrap_or_default();
        out.line(&format!(
            "  track {}: {} ({}{document})",
            track.id,
            track.name,
            track.parties.join(", ")
        ));
    }
    for meeting in &report.timeline {
        let date = meeting.date.as_ref().map_or("undated".to_owned(), |date| date.display.clone());
        let duration = meeting
            .duration_minutes
            .map(|minutes| format!(", {} h", minutes as f64 / 60.0))
            .unwrap_or_default();
        let place = meeting.place.as_ref().map(|place| format!(", {place}")).unwrap_or_default();
        let private = if meeting.visibility == "public" {
            String::new()
        } else {
            format!(" [{}]", meeting.visibility)
        };
        let status = format!("{}{}", meeting.status, basis_mark(meeting.status_basis));
        out.line(&format!(
            "  {date:<26} {status:<9} {} ({}{place}{duration}){private}",
            meeting.title, meeting.track
        ));
        if let Some(condition) = &meeting.condition {
            out.line(&format!(
                "  {:<26} {:<9} on condition ({}): {}",
                "", "", condition.party, condition.text
            ));
        }
        if !meeting.left_open.is_empty() {
            out.line(&format!(
                "  {:<26} {:<9} left open: {}",
                "",
                "",
                meeting.left_open.join(", ")
            ));
        }
    }
}

fn drafts(out: &mut Out, report: &Report) {
    out.heading("Drafts and lineage");
    if report.drafts.is_empty() {
        out.line("  no drafts recorded");
    }
    for draft in &report.drafts {
        let described = if draft.n_described_points < draft.n_points {
            format!(", {} described", draft.n_described_points)
        } else {
            String::new()
        };
        let brackets = if draft.n_open_brackets > 0 {
            format!(", {} bracketed", draft.n_open_brackets)
        } else {
            String::new()
        };
        let points = match draft.n_points {
            0 => "points not known".to_owned(),
            1 => format!("1 point{described}{brackets}"),
            n_points => format!("{n_points} points{described}{brackets}"),
        };
        out.line(&format!(
            "  {}: {} ({}{}; {points})",
            draft.id,
            draft.title,
            draft.status,
            basis_mark(draft.status_basis)
        ));
        if let Some(condition) = &draft.condition {
            out.line(&format!("      on condition ({}): {}", condition.party, condition.text));
        }
        if let Some(answers) = &draft.answers {
            let party = draft.author.as_deref().unwrap_or("?");
            out.line(&format!("      column of {party} answering {answers}"));
        }
        for line in crate::rounds::agreement_lines(&draft.agreement) {
            out.line(&format!("      {line}"));
        }
        for lineage in &draft.lineage {
            let fates: Vec<String> = ["kept", "amended", "merged", "dropped", "unknown"]
                .iter()
                .filter_map(|fate| lineage.fates.get(fate).map(|count| format!("{count} {fate}")))
                .collect();
            let fates = if fates.is_empty() { "no points".to_owned() } else { fates.join(", ") };
            out.line(&format!("      from {}: {fates}", lineage.parent));
            for [from, into] in &lineage.merged {
                out.line(&format!("        {from} merged into {into}"));
            }
            if !lineage.dropped.is_empty() {
                out.line(&format!("        dropped: {}", lineage.dropped.join(", ")));
            }
        }
    }
}

fn kept_agreed(out: &mut Out, kept: &crate::rounds::KeptAgreedReport) {
    out.heading("Kept as agreed");
    if kept.fixed.is_empty() {
        out.line("  no point is agreed by every party it needs: nothing is fixed");
    }
    for fixed in &kept.fixed {
        let points: Vec<String> =
            fixed.points.iter().map(|[draft, point]| format!("{draft}#{point}")).collect();
        out.line(&format!(
            "  {} fixed to {} ({}; {})",
            fixed.issue,
            fixed.option,
            fixed.kind,
            points.join(", ")
        ));
    }
    let remaining =
        if kept.remaining.is_empty() { "none".to_owned() } else { kept.remaining.join(", ") };
    out.line(&format!("  remaining to negotiate: {remaining}"));
}

fn matrix(out: &mut Out, report: &Report) {
    out.heading("Stances (party x issue)");
    if report.stance_matrix.is_empty() {
        out.line("  no positions recorded");
        return;
    }
    out.line("  P preferred, A acceptable, W workable, O objection, S strong objection, X red line, . unknown;");
    out.line("  # exact number (listed below the table); importance: L low, M medium, H high, C critical");
    let party_width =
        report.party_details.iter().map(|party| party.id.len()).max().unwrap_or(0).max(5);
    let column_widths: Vec<usize> =
        report.issues.iter().map(|issue| issue.id.len().max(issue.options.len() + 2)).collect();
    let mut header = format!("  {:party_width$}", "");
    for (issue, width) in report.issues.iter().zip(&column_widths) {
        let _ = write!(header, "  {:width$}", issue.id);
    }
    out.line(&header);
    for party in report.party_details.iter().map(|party| &party.id) {
        out.push(&format!("  {party:party_width$}"));
        for (issue, width) in report.issues.iter().zip(&column_widths) {
            out.push("  ");
            let cell: Option<&StanceCell> = report
                .stance_matrix
                .iter()
                .find(|cell| &cell.party == party && cell.issue == issue.id);
            let importance = match cell.and_then(|cell| cell.importance.as_ref()) {
                Some(serde_json::Value::String(level)) => level[..1].to_uppercase(),
                Some(_) => "#".to_owned(),
                None => ".".to_owned(),
            };
            out.push(&importance);
            out.push(" ");
            for option in &issue.options {
                let stance =
                    cell.and_then(|cell| cell.stances.iter().find(|(id, _)| id == &option.id));
                match stance {
                    Some((_, stance)) => {
                        let (glyph, style) = stance_glyph(stance);
                        out.styled(style, &glyph);
                    }
                    None => out.push("."),
                }
            }
            out.push(&" ".repeat(width - issue.options.len() - 2));
        }
        out.text.push('\n');
    }
    out.line("  options, in column order:");
    for issue in &report.issues {
        let options: Vec<&str> = issue.options.iter().map(|option| option.id.as_str()).collect();
        out.line(&format!("    {}: {}", issue.id, options.join(", ")));
    }
    let readings: Vec<String> = report
        .stance_matrix
        .iter()
        .filter_map(|cell| {
            let importance = cell.importance_basis.filter(|basis| *basis != cell.confidence);
            let mut bases = Vec::new();
            if crate::schema::is_analysts(cell.confidence) {
                bases.push(format!("stances {}", cell.confidence));
            }
            if let Some(basis) = importance.filter(|basis| crate::schema::is_analysts(basis)) {
                bases.push(format!("importance {basis}"));
            }
            (!bases.is_empty())
                .then(|| format!("{} on {} ({})", cell.party, cell.issue, bases.join(", ")))
        })
        .collect();
    if !readings.is_empty() {
        out.line(&format!("  the analyst's readings and assumptions: {}", readings.join("; ")));
    }
    for cell in &report.stance_matrix {
        if let Some(condition) = &cell.condition {
            out.line(&format!(
                "  {} on {} on condition ({}): {}",
                cell.party, cell.issue, condition.party, condition.text
            ));
        }
    }
    exact_numbers(out, report);
}

/// The exact numbers of the matrix (the cells marked `#`), party by party: the weight, and
/// the value of each option.
fn exact_numbers(out: &mut Out, report: &Report) {
    let mut header_written = false;
    for party in report.party_details.iter().map(|party| &party.id) {
        for issue in &report.issues {
            let Some(cell) = report
                .stance_matrix
                .iter()
                .find(|cell| &cell.party == party && cell.issue == issue.id)
            else {
                continue;
            };
            let weight = cell.importance.as_ref().and_then(serde_json::Value::as_f64);
            let values: Vec<String> = issue
                .options
                .iter()
                .filter_map(|option| {
                    let (_, stance) = cell.stances.iter().find(|(id, _)| id == &option.id)?;
                    stance.as_f64().map(|value| format!("{} {}", option.id, exact(value)))
                })
                .collect();
            if weight.is_none() && values.is_empty() {
                continue;
            }
            if !header_written {
                out.line("  exact numbers (weight; option values):");
                header_written = true;
            }
            let weight = weight.map_or("weight not exact".to_owned(), |weight| {
                format!("weight {}", exact(weight))
            });
            let values =
                if values.is_empty() { String::new() } else { format!("; {}", values.join(", ")) };
            out.line(&format!("    {party} on {}: {weight}{values}", issue.id));
        }
    }
}

/// An exact number as it reads: as short as it is exact (`0.35`, `1`), or to six decimals
/// when it has more (`0.333333`).
fn exact(value: f64) -> String {
    let shortest = format!("{value}");
    if shortest.len() <= 8 {
        return shortest;
    }
    let rounded = format!("{value:.6}");
    rounded.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn blocking(out: &mut Out, report: &Report) {
    out.heading("Blocking issues");
    if report.blocking.is_empty() {
        out.line("  none: no consenting party's red lines exclude every option another can accept");
    }
    // One paragraph per issue and pair of parties, however many directions block.
    let mut groups: Vec<(&str, [&str; 2], Vec<String>)> = Vec::new();
    for blocking in &report.blocking {
        let mut pair = [blocking.blocking_party.as_str(), blocking.blocked_party.as_str()];
        pair.sort_by_key(|party| report.parties.iter().position(|candidate| candidate == party));
        let detail = format!(
            "{}'s red lines{} exclude every option {} can accept{} ({})",
            blocking.blocking_party,
            basis_mark(blocking.blocking_basis),
            blocking.blocked_party,
            basis_mark(blocking.blocked_basis),
            blocking.excluded_options.join(", ")
        );
        match groups
            .iter_mut()
            .find(|(issue, group_pair, _)| *issue == blocking.issue && *group_pair == pair)
        {
            Some((_, _, details)) => details.push(detail),
            None => groups.push((blocking.issue.as_str(), pair, vec![detail])),
        }
    }
    for (issue_id, [first, second], details) in groups {
        let title = report
            .issues
            .iter()
            .find(|issue| issue.id == issue_id)
            .map_or("", |issue| issue.title.as_str());
        out.styled(Style::new().bold(), &format!("  {issue_id} ({title})"));
        out.line(&format!(" blocks between {first} and {second}:"));
        for detail in details {
            out.line(&format!("    {detail}"));
        }
    }
}

fn claims(out: &mut Out, report: &Report) {
    out.heading("Contested claims");
    if report.contested_claims.is_empty() {
        out.line("  none");
    }
    for contested in &report.contested_claims {
        let claim = &contested.claim;
        let place = claim.place.as_ref().map(|place| format!(" [{place}]")).unwrap_or_default();
        out.line(&format!("  {} ({}): {}{place}", claim.id, claim.claimant, claim.statement));
        for counter in &contested.counter_claims {
            out.line(&format!(
                "    disputed by {} ({}): {}",
                counter.id, counter.claimant, counter.statement
            ));
        }
    }
}

fn assumptions(out: &mut Out, report: &Report) {
    out.heading(
        "Analyst's assumptions and readings (figures no source gives, and readings of the sentences cited)",
    );
    for assumption in &report.assumptions {
        out.line(&format!("  {} {} (at {})", assumption.basis, assumption.what, assumption.path));
        if assumption.basis != "assumed" && !assumption.cites.is_empty() {
            out.line(&format!("      reads: {}", assumption.cites.join("; ")));
        }
    }
    let stances: Vec<String> = report
        .scale
        .stances
        .iter()
        .map(|(level, [low, high])| format!("{level} [{low}, {high}]"))
        .collect();
    let importances: Vec<String> = report
        .scale
        .importances
        .iter()
        .map(|(level, [low, high])| format!("{level} [{low}, {high}]"))
        .collect();
    out.line(&format!("  scale ({}): stances {}", report.scale.basis, stances.join(", ")));
    out.line(&format!("  scale ({}): raw weights {}", report.scale.basis, importances.join(", ")));
}

/// A count as it reads: exact below a million, in scientific notation above.
fn count(value: f64) -> String {
    if value < 1e6 { format!("{value:.0}") } else { format!("{value:.2e}") }
}

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

fn utilities(outcome: &OutcomeReport) -> String {
    let parts: Vec<String> =
        outcome.utilities.iter().map(|(party, utility)| format!("{party} {utility:.3}")).collect();
    parts.join(", ")
}

/// How many of the zone's frontier outcomes the terminal shows.
pub const FRONTIER_SAMPLE: usize = 10;

/// A readable sample of the zone's frontier of `size` outcomes, of which `listed` are in the
/// report: at most [`FRONTIER_SAMPLE`], evenly spaced by the first party's utility.
fn frontier_sample(out: &mut Out, listed: &[OutcomeReport], size: usize) {
    let Some(party) = listed.first().and_then(|outcome| outcome.utilities.first()) else {
        return;
    };
    let party = party.0.clone();
    let mut order: Vec<&OutcomeReport> = listed.iter().collect();
    // Stable: ties stay in the report's order (outcome order, or already by this utility).
    order.sort_by(|a, b| a.utilities[0].1.total_cmp(&b.utilities[0].1));
    let n_shown = order.len().min(FRONTIER_SAMPLE);
    let shown: Vec<&OutcomeReport> = match n_shown {
        0 => Vec::new(),
        1 => vec![order[0]],
        _ => (0..n_shown).map(|slot| order[slot * (order.len() - 1) / (n_shown - 1)]).collect(),
    };
    let heading = if n_shown == size {
        format!(
            "  the zone's frontier: all {n_shown} outcome(s), by {party}'s utility from its least to its most:"
        )
    } else {
        format!(
            "  a sample of the zone's frontier: {n_shown} of its {} outcomes, evenly spaced by {party}'s utility from its least to its most:",
            count(size as f64)
        )
    };
    out.line(&heading);
    for outcome in shown {
        let options: Vec<String> = outcome
            .outcome
            .iter()
            .filter_map(|(issue, option)| Some(format!("{issue}={}", option.as_ref()?)))
            .collect();
        out.line(&format!("    {}: {}", utilities(outcome), options.join(", ")));
    }
}

/// "not computed (...)" for a result whose step was cut short.
fn not_computed(analysis: &AnalysisReport, step: &str) -> String {
    match analysis.cut_short(step) {
        Some(cut) => format!("not computed (cut short: {})", cut.message),
        None => "not computed".to_owned(),
    }
}

fn analysis_sections(out: &mut Out, analysis: &AnalysisReport) {
    if !analysis.cut_short.is_empty() {
        out.heading("Cut short (the work budget ran out; --budget and --max-steps set it)");
        for cut in &analysis.cut_short {
            out.line(&format!("  {}: {}", cut.step, cut.message));
        }
        out.line("  every other figure below is exact and complete");
    }
    if let Some(search) = &analysis.constraint_search {
        return constraint_sections(out, analysis, search);
    }
    match &analysis.grid_approximation {
        None => out.heading("Analysis (exact, on point estimates)"),
        Some(grid) => {
            out.heading("Analysis (exact on a grid of the continuous issues, on point estimates)");
            out.line(&format!("  {}", grid.message));
        }
    }
    let zone = &analysis.agreement_zone;
    let zone = match (zone.exists, zone.size, zone.decisive_size) {
        (None, _, _) => format!("agreement zone {}", not_computed(analysis, "zone")),
        (Some(false), _, _) => "no agreement zone".to_owned(),
        (Some(true), Some(size), _) => {
            format!("an agreement zone of {} outcome(s)", count(size as f64))
        }
        (Some(true), None, Some(decisive)) => format!(
            "an agreement zone of {} outcome(s) over the decisive issues, each with any option on the indifferent ones",
            count(decisive as f64)
        ),
        (Some(true), None, None) => match analysis.cut_short("zone_size") {
            Some(_) => {
                format!("an agreement zone, its size {}", not_computed(analysis, "zone_size"))
            }
            None => "an agreement zone (not counted)".to_owned(),
        },
    };
    out.line(&format!("  {} outcomes; {zone}", count(analysis.outcomes)));
    if analysis.agreement_zone.exists.is_some() {
        rests_on(out, "    ", &analysis.agreement_zone.rests_on);
    }
    if !analysis.indifferent_issues.is_empty() {
        out.line(&format!(
            "  any option on {} issue(s) no party tells apart (each outcome below stands for every choice on them): {}",
            analysis.indifferent_issues.len(),
            analysis.indifferent_issues.join(", ")
        ));
    }
    let size = |size: Option<usize>, step: &str| match size {
        Some(size) => format!("{} outcome(s)", count(size as f64)),
        None => not_computed(analysis, step),
    };
    out.line(&format!(
        "  Pareto frontier: {} in the zone, {} over all outcomes",
        size(analysis.pareto_frontier_size, "frontier"),
        size(analysis.unrestricted_pareto_frontier_size, "unrestricted_frontier")
    ));
    if let (Some(listed), Some(size)) = (&analysis.pareto_frontier, analysis.pareto_frontier_size) {
        frontier_sample(out, listed, size);
    }
    let disagreement: Vec<String> =
        analysis.disagreement.iter().map(|(party, value)| format!("{party} {value:.3}")).collect();
    out.line(&format!("  disagreement point: {}", disagreement.join(", ")));
    out.line("  weights (point estimate; * from the scale, ? unrecorded, otherwise exact):");
    for (party, model) in &analysis.utility_model.parties {
        let weights: Vec<String> = model
            .weights
            .iter()
            .zip(&model.weight_sources)
            .map(|((issue, weight), (_, source))| {
                let mark = match *source {
                    "scale" => "*",
                    "unknown" => "?",
                    _ => "",
                };
                format!("{issue} {weight:.3}{mark}")
            })
            .collect();
        out.line(&format!("    {party}: {}", weights.join(", ")));
    }
    for note in &analysis.notes {
        out.line(&format!("  note: {note}"));
    }

    packages(out, analysis);

    out.heading("What blocks a deal");
    let (Some(conflicts), Some(sets)) =
        (&analysis.no_deal.issue_conflicts, &analysis.no_deal.minimal_concession_sets)
    else {
        out.line(&format!("  {}", not_computed(analysis, "blocking")));
        return drafts_and_robustness(out, analysis);
    };
    for conflict in conflicts {
        out.line(&format!(
            "  {}: the red lines of {} leave no option every party allows",
            conflict.issue,
            conflict.parties.join(", ")
        ));
        rests_on(out, "    ", &conflict.rests_on);
    }
    match sets.as_slice() {
        [] => out.line(&format!(
            "  no set of up to {} concessions opens an agreement zone",
            analysis.no_deal.max_concessions
        )),
        [only] if only.is_empty() => {
            out.line("  nothing: an agreement zone exists without concessions")
        }
        sets => {
            out.line(&format!(
                "  smallest sets of concessions that open an agreement zone ({}):",
                sets.len()
            ));
            for set in sets {
                let concessions: Vec<String> = set
                    .iter()
                    .map(|concession| match concession {
                        ConcessionReport::LiftRedLine { party, issue, basis } => {
                            format!("{party} lifts its red lines on {issue}{}", basis_mark(basis))
                        }
                        ConcessionReport::DropReservation { party, basis } => {
                            format!("{party} drops its reservation{}", basis_mark(basis))
                        }
                    })
                    .collect();
                out.line(&format!("    {}", concessions.join(" + ")));
            }
        }
    }

    drafts_and_robustness(out, analysis);
}

/// The four packages, each with its first outcome.
fn packages(out: &mut Out, analysis: &AnalysisReport) {
    out.heading("Packages");
    let solutions = [
        ("Nash", "nash", &analysis.solutions.nash),
        ("Kalai-Smorodinsky", "kalai", &analysis.solutions.kalai),
        ("egalitarian", "egalitarian", &analysis.solutions.egalitarian),
        ("utilitarian", "utilitarian", &analysis.solutions.utilitarian),
    ];
    for (name, step, outcomes) in solutions {
        let Some(outcomes) = outcomes else {
            out.line(&format!("  {name}: {}", not_computed(analysis, step)));
            continue;
        };
        let Some(first) = outcomes.first() else {
            out.line(&format!("  {name}: none (no agreement zone)"));
            continue;
        };
        let ties = if outcomes.len() > 1 {
            format!(" ({} tied; the first shown)", outcomes.len())
        } else {
            String::new()
        };
        out.styled(Style::new().bold(), &format!("  {name}"));
        out.line(&format!("{ties}: {}", utilities(first)));
        let mut options: Vec<String> = first
            .outcome
            .iter()
            .filter_map(|(issue, option)| Some(format!("{issue}={}", option.as_ref()?)))
            .collect();
        if !analysis.indifferent_issues.is_empty() {
            options.push(format!(
                "any option on the {} indifferent issue(s)",
                analysis.indifferent_issues.len()
            ));
        }
        out.line(&format!("      {}", options.join(", ")));
        if !first.unknown_stances.is_empty() {
            let unknown: Vec<String> = first
                .unknown_stances
                .iter()
                .map(|unknown| format!("{} on {}={}", unknown.party, unknown.issue, unknown.option))
                .collect();
            out.line(&format!("      rests on unrecorded stances: {}", unknown.join("; ")));
        }
        rests_on(out, "      ", &first.rests_on);
    }
}

/// " (inferred)" or " (assumed)" for the analyst's figures, nothing for sourced ones.
fn basis_mark(basis: &str) -> String {
    if crate::schema::is_analysts(basis) { format!(" ({basis})") } else { String::new() }
}

/// The analyst's figures a result rests on, one line per basis, grouped by kind of figure.
fn rests_on(out: &mut Out, indent: &str, figures: &[RestsOnReport]) {
    for basis in ["inferred", "assumed"] {
        let mut groups: Vec<String> = Vec::new();
        for (figure, plural) in [
            ("red-line", "red lines"),
            ("stance", "stances"),
            ("importance", "importances"),
            ("reservation", "reservations"),
            ("consent", "consent"),
        ] {
            let items: Vec<String> = figures
                .iter()
                .filter(|item| item.basis == basis && item.figure == figure)
                .map(|item| match (&item.issue, &item.option) {
                    (Some(issue), Some(option)) => format!("{} {issue}={option}", item.party),
                    (Some(issue), None) => format!("{} {issue}", item.party),
                    _ => item.party.clone(),
                })
                .collect();
            if !items.is_empty() {
                groups.push(format!("{plural} {}", items.join(", ")));
            }
        }
        if !groups.is_empty() {
            out.line(&format!("{indent}rests on {basis} figures: {}", groups.join("; ")));
        }
    }
}

/// The analysis of a scenario whose parties value outcomes by constraints.
fn constraint_sections(
    out: &mut Out,
    analysis: &AnalysisReport,
    search: &crate::analysis::ConstraintSearchReport,
) {
    let heading = if search.complete {
        "Analysis (exact, constraint utilities)"
    } else {
        "Analysis (INCOMPLETE: the frontier search ran past its budget)"
    };
    out.heading(heading);
    out.line(&format!("  {}", search.message));
    let zone = match analysis.agreement_zone.exists {
        Some(true) => "an agreement zone exists",
        Some(false) => "no agreement zone",
        None => "whether an agreement zone exists is unknown (the search did not finish)",
    };
    out.line(&format!("  {} outcomes; {zone}", count(analysis.outcomes)));
    if !search.free_issues.is_empty() {
        out.line(&format!(
            "  issues no constraint mentions (any option): {}",
            search.free_issues.join(", ")
        ));
    }
    let points = analysis.unrestricted_pareto_frontier.as_deref().unwrap_or_default();
    let label =
        if search.complete { "Pareto frontier" } else { "frontier points found (not proven)" };
    out.line(&format!("  {label}: {}", points.len()));
    for point in points {
        let utilities: Vec<String> =
            point.utilities.iter().map(|(party, value)| format!("{party} {value:.4}")).collect();
        out.line(&format!("    {}", utilities.join(", ")));
    }
    if !search.complete {
        out.line("  every frontier point not found lies below one of:");
        for bound in &search.missing_bounds {
            let utilities: Vec<String> =
                bound.0.iter().map(|(party, value)| format!("{party} {value:.4}")).collect();
            out.line(&format!("    {}", utilities.join(", ")));
        }
    }
    if !analysis.disagreement.is_empty() {
        let disagreement: Vec<String> = analysis
            .disagreement
            .iter()
            .map(|(party, value)| format!("{party} {value:.3}"))
            .collect();
        out.line(&format!("  disagreement point: {}", disagreement.join(", ")));
    }
    for note in &analysis.notes {
        out.line(&format!("  note: {note}"));
    }
    packages(out, analysis);
    out.line(&format!(
        "  not applicable to constraint utilities: {}",
        search.not_applicable.join(", ")
    ));
    reference_frontier(out, analysis);
}

fn drafts_and_robustness(out: &mut Out, analysis: &AnalysisReport) {
    let Some(evaluations) = &analysis.draft_evaluations else {
        out.heading("Drafts evaluated");
        out.line(&format!("  {}", not_computed(analysis, "drafts")));
        return robustness(out, analysis);
    };
    out.heading("Drafts evaluated");
    if evaluations.is_empty() {
        out.line("  no drafts recorded");
    }
    for evaluation in evaluations {
        let settled = if evaluation.settled_issues.is_empty() {
            "settles no issue".to_owned()
        } else {
            format!("settles {}", evaluation.settled_issues.join(", "))
        };
        out.styled(Style::new().bold(), &format!("  {}", evaluation.draft));
        let acceptance = match evaluation.acceptance {
            "accepted" => "accepted: every completion is in the agreement zone",
            "rejected" => "rejected: no completion is in the agreement zone",
            _ => {
                "depends on its open points: some completions are in the agreement zone, others not"
            }
        };
        out.line(&format!(": {acceptance}"));
        // The distance is to the frontier of all outcomes, zone or not: a rejected draft can
        // be efficient, and the line says so rather than seem to contradict itself.
        let efficiency = match evaluation.distance_to_frontier {
            Some(distance) if distance == 0.0 && evaluation.acceptance == "rejected" => {
                "Pareto-efficient over all outcomes (distance 0), though outside the zone"
                    .to_owned()
            }
            Some(0.0) => "can be settled on the Pareto frontier (distance 0)".to_owned(),
            Some(distance) => {
                format!("{distance:.3} short of the Pareto frontier of all outcomes")
            }
            None => format!(
                "distance to the Pareto frontier {}",
                not_computed(analysis, "unrestricted_frontier")
            ),
        };
        out.line(&format!(
            "      {settled}; {} completion(s); {efficiency}",
            count(evaluation.completions),
        ));
        for party in &evaluation.parties {
            let mut notes = Vec::new();
            if !party.objections.is_empty() {
                notes.push(format!("objects to {}", party.objections.join(", ")));
            }
            if !party.red_lines_crossed.is_empty() {
                let crossed: Vec<String> = party
                    .red_lines_crossed
                    .iter()
                    .map(|point| {
                        let basis = party.red_line_bases.iter().find(|(id, _)| id == point);
                        format!(
                            "{point}{}",
                            basis.map_or(String::new(), |(_, basis)| basis_mark(basis))
                        )
                    })
                    .collect();
                notes.push(format!("red lines crossed: {}", crossed.join(", ")));
            }
            if party.rejects {
                notes.push("rejects it".to_owned());
            }
            let notes =
                if notes.is_empty() { String::new() } else { format!("; {}", notes.join("; ")) };
            let [low, high] = party.utility_range;
            out.line(&format!("      {}: utility {low:.3} to {high:.3}{notes}", party.party));
        }
    }

    reference_frontier(out, analysis);
    robustness(out, analysis);
}

fn reference_frontier(out: &mut Out, analysis: &AnalysisReport) {
    let Some(reference) = &analysis.reference_frontier else { return };
    out.heading(&format!("Against the reference frontier {}", reference.file));
    if !reference.compared {
        out.line(&format!("  {}", reference.message));
        return;
    }
    let shortfall = reference
        .max_shortfall
        .map(|shortfall| format!(" (by at most {shortfall:.4})"))
        .unwrap_or_default();
    let frontier = if reference.frontier_complete {
        "Parley's exact frontier of all outcomes"
    } else {
        "the frontier points Parley found (not proven the whole frontier)"
    };
    out.line(&format!(
        "  {} points: {} on {frontier}, {} dominated by a point of it{shortfall}, {} neither",
        reference.points,
        reference.on_frontier,
        reference.dominated,
        reference.undominated.len()
    ));
    for point in &reference.undominated {
        let utilities: Vec<String> =
            point.0.iter().map(|(party, value)| format!("{party} {value:.6}")).collect();
        out.line(&format!("  neither on nor dominated: {}", utilities.join(", ")));
    }
}

/// What the robustness section says when no weight or value is an interval.
pub const NOTHING_UNCERTAIN: &str =
    "no figure is uncertain: the results hold as they are (no samples drawn)";

fn robustness(out: &mut Out, analysis: &AnalysisReport) {
    if analysis.robustness.is_none() && analysis.cut_short("robustness").is_some() {
        out.heading("Robustness");
        out.line(&format!("  {}", not_computed(analysis, "robustness")));
    }
    if analysis.robustness.as_ref().is_some_and(|robustness| !robustness.uncertain) {
        out.heading("Robustness");
        out.line(&format!("  {NOTHING_UNCERTAIN}"));
    } else if let Some(robustness) = &analysis.robustness {
        out.heading(&format!(
            "Robustness ({} samples from the intervals, seed {})",
            robustness.samples, robustness.seed
        ));
        out.line(&format!(
            "  agreement zone in {} of samples",
            percent(robustness.zone_exists_share)
        ));
        for (draft, shares) in &robustness.drafts {
            out.line(&format!(
                "  {draft}: acceptable whatever the open points in {}, for some settlement of them in {}",
                percent(shares.accepted),
                percent(shares.possible)
            ));
        }
        if let Some(stability) = &robustness.nash_stability {
            let issues: Vec<String> = stability
                .0
                .iter()
                .filter_map(|(issue, share)| Some(format!("{issue} {}", percent((*share)?))))
                .collect();
            out.line(&format!("  Nash package kept, issue by issue: {}", issues.join(", ")));
        }
    }
    if let Some(relaxations) = &analysis.relaxations
        && !relaxations.is_empty()
    {
        out.heading("Inferred readings relaxed one step (point estimates)");
        for relaxation in relaxations {
            let zone = match (relaxation.zone_exists, relaxation.zone_size) {
                (false, _) => "no agreement zone".to_owned(),
                (true, Some(size)) => {
                    format!("an agreement zone of {} outcome(s)", count(size as f64))
                }
                (true, None) => "an agreement zone".to_owned(),
            };
            out.line(&format!("  {}: {zone}", relaxation.what));
            if let Some(first) = relaxation.nash.first() {
                let options: Vec<String> = first
                    .outcome
                    .iter()
                    .filter_map(|(issue, option)| Some(format!("{issue}={}", option.as_ref()?)))
                    .collect();
                let utilities: Vec<String> = first
                    .utilities
                    .iter()
                    .map(|(party, utility)| format!("{party} {utility:.3}"))
                    .collect();
                out.line(&format!("      Nash: {} ({})", options.join(", "), utilities.join(", ")));
            }
        }
    }
    if !analysis.timings.is_empty() {
        out.heading("Timings");
        for (step, seconds) in &analysis.timings {
            out.line(&format!("  {step}: {:.3} ms", seconds * 1000.0));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::escape_controls;

    #[test]
    fn control_characters_become_visible_escapes() {
        let text = "\u{1b}[31mred\u{7}\t\r\n\u{7f}\u{85}\u{9b}\u{202a}\u{202e}\u{2066}\u{2069}";
        assert_eq!(
            escape_controls(text, false),
            r"\u{1b}[31mred\u{7}\u{9}\u{d}\u{a}\u{7f}\u{85}\u{9b}\u{202a}\u{202e}\u{2066}\u{2069}"
        );
        assert_eq!(escape_controls("one\ntwo\u{0}", true), "one\ntwo\\u{0}");
    }

    #[test]
    fn other_text_is_kept_as_it_is() {
        let text = "Путин, Zelensky, \u{a0}€ \u{200f}עברית\u{200e} \\u{1b} 日本";
        assert!(
            matches!(escape_controls(text, false), std::borrow::Cow::Borrowed(kept) if kept == text)
        );
    }
}
