//! Hand-written SVG diagrams: the drafts' lineage and the meetings' timeline. They are
//! layouts of boxes, arrows and lanes rather than charts of data, which plotters does not
//! draw, so they are written out here with maud (which escapes every label).

use maud::{Markup, html};

use crate::schema::{DraftReport, Report};

/// Formats a coordinate compactly.
fn n(value: f64) -> String {
    let text = format!("{value:.1}");
    text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
}

/// Cuts a text to at most `max` characters, with an ellipsis.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let kept: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", kept.trim_end())
    }
}

/// Splits a text into at most two lines of `width` characters.
fn two_lines(text: &str, width: usize) -> (String, Option<String>) {
    if text.chars().count() <= width {
        return (text.to_owned(), None);
    }
    let mut first = String::new();
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.peek() {
        let extra = if first.is_empty() { 0 } else { 1 };
        if first.chars().count() + extra + word.chars().count() > width {
            break;
        }
        if !first.is_empty() {
            first.push(' ');
        }
        first.push_str(word);
        words.next();
    }
    if first.is_empty() {
        return (cut(text, width), None);
    }
    let rest: Vec<&str> = words.collect();
    (first, Some(cut(&rest.join(" "), width)))
}

/// The stroke colour of a draft's status.
fn status_color(status: &str) -> (&'static str, &'static str) {
    match status {
        "proposed" => ("#4e79a7", "#eef3f9"),
        "under-discussion" => ("#e07b00", "#fff3e6"),
        "finalized" => ("#3f8f33", "#eef7ec"),
        _ => ("#8c8c8c", "#f3f3f3"),
    }
}

/// The fates of a parent's points as they read, e.g. "28 unknown".
fn fates_label(fates: &std::collections::BTreeMap<&'static str, usize>) -> String {
    let parts: Vec<String> = ["kept", "amended", "merged", "dropped", "unknown"]
        .iter()
        .filter_map(|fate| fates.get(fate).map(|count| format!("{count} {fate}")))
        .collect();
    if parts.is_empty() { "no points".to_owned() } else { parts.join(", ") }
}

const BOX_WIDTH: f64 = 250.0;
const BOX_HEIGHT: f64 = 84.0;
const GAP_X: f64 = 36.0;
const GAP_Y: f64 = 66.0;

/// The lineage diagram: drafts in layers by generation (a draft sits one layer below its
/// lowest parent), arrows from parent to child labelled with the fates of the parent's points.
pub fn lineage(report: &Report) -> Markup {
    let drafts = &report.drafts;
    let index = |id: &str| drafts.iter().position(|draft| draft.id == id);
    // Generations by relaxation: validation rules out cycles, so this settles in at most
    // as many rounds as there are drafts.
    let mut layer = vec![0usize; drafts.len()];
    for _ in 0..drafts.len() {
        let mut changed = false;
        for (draft_idx, draft) in drafts.iter().enumerate() {
            let depth = draft
                .lineage
                .iter()
                .filter_map(|lineage| index(&lineage.parent))
                .map(|parent_idx| layer[parent_idx] + 1)
                .max()
                .unwrap_or(0);
            if depth > layer[draft_idx] {
                layer[draft_idx] = depth;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let n_layers = layer.iter().max().map_or(0, |max| max + 1);
    let rows: Vec<Vec<usize>> = (0..n_layers)
        .map(|row| (0..drafts.len()).filter(|&draft_idx| layer[draft_idx] == row).collect())
        .collect();
    let widest = rows.iter().map(Vec::len).max().unwrap_or(1).max(1) as f64;
    let width = widest * BOX_WIDTH + (widest - 1.0) * GAP_X + 20.0;
    let height = n_layers as f64 * BOX_HEIGHT + (n_layers as f64 - 1.0).max(0.0) * GAP_Y + 20.0;
    // Each row is centred.
    let mut position = vec![(0.0, 0.0); drafts.len()];
    for (row_idx, row) in rows.iter().enumerate() {
        let row_width = row.len() as f64 * BOX_WIDTH + (row.len() as f64 - 1.0) * GAP_X;
        let left = (width - row_width) / 2.0;
        for (slot, &draft_idx) in row.iter().enumerate() {
            position[draft_idx] = (
                left + slot as f64 * (BOX_WIDTH + GAP_X),
                10.0 + row_idx as f64 * (BOX_HEIGHT + GAP_Y),
            );
        }
    }
    let edges: Vec<(usize, usize, String)> = drafts
        .iter()
        .enumerate()
        .flat_map(|(child_idx, draft)| {
            draft.lineage.iter().filter_map(move |lineage| {
                Some((index(&lineage.parent)?, child_idx, fates_label(&lineage.fates)))
            })
        })
        .collect();
    let view_box = format!("0 0 {} {}", n(width), n(height));
    let max_width = format!("max-width:{}px", n(width * 1.1));
    html! {
        svg.fig.diagram viewBox=(view_box) style=(max_width) role="img" aria-label="Lineage of the drafts" font-family="system-ui, sans-serif" {
            defs {
                marker #lineage-arrow viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse" {
                    path d="M0,0 L10,5 L0,10 z" fill="#5b6575" {}
                }
            }
            @for (parent_idx, child_idx, label) in &edges {
                @let (px, py) = position[*parent_idx];
                @let (cx, cy) = position[*child_idx];
                @let (x1, y1, x2, y2) = (px + BOX_WIDTH / 2.0, py + BOX_HEIGHT, cx + BOX_WIDTH / 2.0, cy - 2.0);
                @let path = format!("M{},{} C{},{} {},{} {},{}", n(x1), n(y1), n(x1), n((y1 + y2) / 2.0), n(x2), n((y1 + y2) / 2.0), n(x2), n(y2));
                @let (lx, ly) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0 + 4.0);
                g {
                    title { (drafts[*parent_idx].id) " → " (drafts[*child_idx].id) ": " (label) }
                    path d=(path) fill="none" stroke="#5b6575" stroke-width="1.6" marker-end="url(#lineage-arrow)" {}
                    @let label_width = label.chars().count() as f64 * 6.8 + 10.0;
                    rect x=(n(lx - label_width / 2.0)) y=(n(ly - 13.0)) width=(n(label_width)) height="18" rx="4" fill="#fff" stroke="#dde2ea" {}
                    text x=(n(lx)) y=(n(ly)) text-anchor="middle" font-size="12" fill="#1d2330" { (label) }
                }
            }
            @for (draft_idx, draft) in drafts.iter().enumerate() {
                (draft_box(draft, position[draft_idx]))
            }
        }
    }
}

fn draft_box(draft: &DraftReport, (x, y): (f64, f64)) -> Markup {
    let (stroke, fill) = status_color(draft.status);
    let (line1, line2) = two_lines(&draft.title, 34);
    let date = draft.date.as_ref().map_or("undated".to_owned(), |date| date.display.clone());
    let points = match draft.n_points {
        0 => "points not known".to_owned(),
        n_points => format!("{n_points} points"),
    };
    let facts = format!("{} · {points}", draft.status);
    html! {
        g {
            title { (draft.id) ": " (draft.title) " (" (draft.status) ")" }
            rect x=(n(x)) y=(n(y)) width=(n(BOX_WIDTH)) height=(n(BOX_HEIGHT)) rx="7" fill=(fill) stroke=(stroke) stroke-width="1.5" {}
            rect x=(n(x)) y=(n(y)) width="6" height=(n(BOX_HEIGHT)) rx="3" fill=(stroke) {}
            text x=(n(x + 14.0)) y=(n(y + 19.0)) font-size="13" font-weight="600" fill="#1d2330" { (line1) }
            @if let Some(line2) = line2 {
                text x=(n(x + 14.0)) y=(n(y + 36.0)) font-size="13" font-weight="600" fill="#1d2330" { (line2) }
            }
            text x=(n(x + 14.0)) y=(n(y + 58.0)) font-size="11.5" fill="#5b6575" { (cut(&date, 38)) }
            text x=(n(x + 14.0)) y=(n(y + 74.0)) font-size="11.5" fill="#5b6575" { (cut(&facts, 38)) }
        }
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (the civil-from-days inverse).
fn days(date: &str) -> Option<i64> {
    let mut parts = date.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

/// A `YYYY-MM-DD` date of a day count.
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (year_of_era + era * 400 + i64::from(month <= 2), month, day)
}

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The axis ticks of a span of days: days or weeks for a short span (labelled with the date),
/// the first of each month for a longer one; at most about eight.
fn ticks(first: i64, start: f64, end: f64) -> Option<Vec<(f64, String)>> {
    let span = end - start;
    let mut ticks = Vec::new();
    if span <= 100.0 {
        let step = [1, 2, 7, 14, 28].into_iter().find(|step| span / f64::from(*step) <= 8.0)?;
        let mut day = start.ceil() as i64;
        // Weekly ticks fall on the first meeting's weekday, so that it sits on one.
        if step >= 7 {
            day = first - ((first - day) / i64::from(step)) * i64::from(step);
        }
        while (day as f64) <= end {
            let (year, month, day_of_month) = civil(day);
            let month_name = MONTHS[(month - 1).clamp(0, 11) as usize];
            // The year is given once, on the first tick and where it changes.
            let label = if ticks.is_empty() || (month == 1 && day_of_month <= i64::from(step)) {
                format!("{day_of_month} {month_name} {year}")
            } else {
                format!("{day_of_month} {month_name}")
            };
            ticks.push((day as f64, label));
            day += i64::from(step);
        }
        return Some(ticks);
    }
    let (mut year, mut month, _) = civil(start as i64);
    loop {
        let day = days(&format!("{year:04}-{month:02}-01"))? as f64;
        if day > end {
            break;
        }
        if day >= start {
            let month_name = MONTHS[(month - 1).clamp(0, 11) as usize];
            ticks.push((day, format!("{month_name} {year}")));
        }
        (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    }
    let step = ticks.len().div_ceil(8).max(1);
    Some(ticks.into_iter().step_by(step).collect())
}

/// The timeline: one lane per track, a dot per dated meeting. `None` when no meeting is dated.
pub fn timeline<'a>(report: &'a Report) -> Option<Markup> {
    let dated: Vec<(usize, i64, &crate::schema::MeetingReport)> = report
        .timeline
        .iter()
        .enumerate()
        .filter_map(|(idx, meeting)| Some((idx, days(&meeting.date.as_ref()?.date)?, meeting)))
        .collect();
    let (first, last) = (dated.iter().map(|d| d.1).min()?, dated.iter().map(|d| d.1).max()?);
    // A short span is widened so that the dots do not sit on the ends.
    let pad = ((last - first) as f64 * 0.06).max(2.0);
    let (start, end) = (first as f64 - pad, last as f64 + pad);
    let mut lanes: Vec<&'a str> = report.tracks.iter().map(|track| track.id.as_str()).collect();
    for (_, _, meeting) in &dated {
        if !lanes.contains(&meeting.track.as_str()) {
            lanes.push(&meeting.track);
        }
    }
    let lane_name = |id: &'a str| -> &'a str {
        report.tracks.iter().find(|track| track.id == id).map_or(id, |track| track.name.as_str())
    };
    let (left, right, lane_height, top) = (230.0, 24.0, 34.0, 10.0);
    let width = 900.0;
    let height = top + lanes.len() as f64 * lane_height + 30.0;
    let x_of = |day: f64| left + (day - start) / (end - start) * (width - left - right);
    // Ticks too near the ends would have their labels cut off.
    let ticks: Vec<(f64, String)> = ticks(first, start, end)?
        .into_iter()
        .filter(|(day, _)| x_of(*day) >= left + 30.0 && x_of(*day) <= width - right - 30.0)
        .collect();
    let mut ticks = ticks;
    if let Some((day, label)) = ticks.first_mut() {
        let year = civil(*day as i64).0;
        if !label.ends_with(&year.to_string()) {
            label.push_str(&format!(" {year}"));
        }
    }
    let axis_y = top + lanes.len() as f64 * lane_height;
    Some(html! {
        svg.fig.diagram viewBox=(format!("0 0 {} {}", n(width), n(height))) role="img" aria-label="Meetings by track and date" font-family="system-ui, sans-serif" {
            @for (lane_idx, lane) in lanes.iter().enumerate() {
                @let y = top + lane_idx as f64 * lane_height + lane_height / 2.0;
                rect x="0" y=(n(y - lane_height / 2.0)) width=(n(width)) height=(n(lane_height)) fill=(if lane_idx % 2 == 0 { "#f6f8fa" } else { "#fff" }) {}
                text x="8" y=(n(y + 4.0)) font-size="13" fill="#1d2330" { (cut(lane_name(lane), 30)) }
                line x1=(n(left)) x2=(n(width - right)) y1=(n(y)) y2=(n(y)) stroke="#c9d1db" stroke-width="1" {}
            }
            line x1=(n(left)) x2=(n(width - right)) y1=(n(axis_y)) y2=(n(axis_y)) stroke="#5b6575" {}
            @for (day, label) in &ticks {
                line x1=(n(x_of(*day))) x2=(n(x_of(*day))) y1=(n(top)) y2=(n(axis_y + 5.0)) stroke="#dde2ea" {}
                text x=(n(x_of(*day))) y=(n(axis_y + 19.0)) font-size="12" text-anchor="middle" fill="#5b6575" { (label) }
            }
            @for (idx, day, meeting) in &dated {
                @let lane_idx = lanes.iter().position(|lane| *lane == meeting.track).unwrap_or(0);
                @let (x, y) = (x_of(*day as f64), top + lane_idx as f64 * lane_height + lane_height / 2.0);
                @let (fill, stroke) = match meeting.status { "held" => ("#2f5d8a", "#2f5d8a"), "planned" => ("#fff", "#2f5d8a"), _ => ("#fff", "#8c8c8c") };
                g {
                    title { (idx + 1) ". " (meeting.title) " (" (meeting.date.as_ref().map_or("", |date| date.display.as_str())) ", " (meeting.status) ")" }
                    circle cx=(n(x)) cy=(n(y)) r="9" fill=(fill) stroke=(stroke) stroke-width="2" {}
                    @if meeting.status == "cancelled" {
                        path d=(format!("M{},{} l12,12 m0,-12 l-12,12", n(x - 6.0), n(y - 6.0))) stroke="#8c8c8c" stroke-width="2" {}
                    }
                    text x=(n(x)) y=(n(y + 4.0)) font-size="11" font-weight="700" text-anchor="middle" fill=(if meeting.status == "held" { "#fff" } else { "#2f5d8a" }) { (idx + 1) }
                }
            }
        }
    })
}

/// A small bar of a utility range on [0, 1], with the party's disagreement value as a tick.
pub(super) fn range_bar(low: f64, high: f64, disagreement: Option<f64>, color: &str) -> Markup {
    let x = |value: f64| 4.0 + value.clamp(0.0, 1.0) * 192.0;
    let (x_low, x_high) = (x(low), x(high).max(x(low) + 3.0));
    html! {
        svg.range viewBox="0 0 200 18" preserveAspectRatio="none" aria-hidden="true" {
            rect x="4" y="6" width="192" height="6" rx="3" fill="#edf0f4" {}
            rect x=(n(x_low)) y="3" width=(n(x_high - x_low)) height="12" rx="3" fill=(color) {}
            @if let Some(value) = disagreement {
                line x1=(n(x(value))) x2=(n(x(value))) y1="0" y2="18" stroke="#1d2330" stroke-width="2" {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_since_epoch() {
        assert_eq!(days("1970-01-01"), Some(0));
        assert_eq!(days("2000-03-01"), Some(11_017));
        assert_eq!(days("2025-12-02").zip(days("2025-11-30")).map(|(a, b)| a - b), Some(2));
        for date in ["1970-01-01", "2000-02-29", "2025-12-31", "1999-03-01"] {
            let (year, month, day) = civil(days(date).unwrap_or_default());
            assert_eq!(format!("{year:04}-{month:02}-{day:02}"), date);
        }
    }

    #[test]
    fn two_lines_breaks_at_words() {
        assert_eq!(two_lines("short", 10), ("short".to_owned(), None));
        assert_eq!(
            two_lines("Early US peace plan (28 points)", 20),
            ("Early US peace plan".to_owned(), Some("(28 points)".to_owned()))
        );
    }
}
