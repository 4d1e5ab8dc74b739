//! The stance history chart: for each issue, one line per party and option, the stance's
//! value on the scale at each dated position, drawn with plotters like the report's other
//! figures.

use maud::{Markup, PreEscaped, html};
use plotters::prelude::*;

use super::party_color;
use crate::history::{EPOCH, HistorySeries, StanceHistory};
use crate::schema::Report;

/// The section: a chart per issue with dated positions, or a note that there are none.
pub fn stance_history(report: &Report, history: &StanceHistory) -> Markup {
    let mut issues: Vec<&str> = Vec::new();
    for series in &history.series {
        if !issues.contains(&series.issue.as_str()) {
            issues.push(&series.issue);
        }
    }
    html! {
        section #stance-history {
            h2 { "How stances moved" }
            p.small.muted { "Each party's stance on each option at each dated position, on the scenario's scale (one line per party and option; undated positions are not drawn)." }
            @let charts: Vec<Vec<&HistorySeries>> = issues.iter().map(|issue| dated(history, issue)).filter(|series| !series.is_empty()).collect();
            @for series in &charts {
                figure.history {
                    figcaption { (series[0].issue_title) }
                    // At phone width the chart keeps a readable size and scrolls sideways.
                    div.scroll tabindex="0" role="region" aria-label=(format!("How stances moved on {}", series[0].issue_title)) { (PreEscaped(chart(report, history, series))) }
                    div.legend {
                        @for one in series {
                            span { span.swatch-party style=(format!("background:{}", party_color(report, &one.party))) {} (one.party_name) }
                        }
                    }
                }
            }
            @if charts.is_empty() {
                p.muted { "No dated position is recorded." }
            }
        }
    }
}

/// The series of an issue that have a dated position.
fn dated<'a>(history: &'a StanceHistory, issue: &str) -> Vec<&'a HistorySeries> {
    history
        .series
        .iter()
        .filter(|series| {
            series.issue == issue && series.positions.iter().any(|entry| entry.day.is_some())
        })
        .collect()
}

fn rgb(hex: &str) -> RGBColor {
    let channel =
        |at: usize| u8::from_str_radix(hex.get(at..at + 2).unwrap_or("00"), 16).unwrap_or(0);
    RGBColor(channel(1), channel(3), channel(5))
}

/// One issue's chart as an SVG element that scales to its column.
fn chart(report: &Report, history: &StanceHistory, series: &[&HistorySeries]) -> String {
    match draw(report, history, series) {
        Ok(svg) => svg,
        Err(error) => format!(
            "<p class=\"muted\">The chart could not be drawn: {}</p>",
            html! { (error) }.into_string()
        ),
    }
}

fn draw(
    report: &Report,
    history: &StanceHistory,
    series: &[&HistorySeries],
) -> Result<String, Box<dyn std::error::Error>> {
    let (width, height) = (720u32, 300u32);
    let days: Vec<i32> =
        series.iter().flat_map(|one| one.positions.iter().filter_map(|entry| entry.day)).collect();
    let first = days.iter().copied().min().unwrap_or(0);
    let last = days.iter().copied().max().unwrap_or(0);
    let pad = ((last - first) / 20).max(1);
    let x_range = (first - pad)..(last + pad);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .margin_right(24)
            .x_label_area_size(36)
            .y_label_area_size(120)
            .build_cartesian_2d(x_range, -0.05..1.05)?;
        let font = |size: u32| ("sans-serif", size).into_font().color(&RGBColor(0x37, 0x3f, 0x4c));
        let level_at = |value: &f64| {
            history
                .levels
                .iter()
                .find(|level| (level.value - value).abs() < 0.026)
                .map_or(String::new(), |level| level.level.replace('-', " "))
        };
        let date_at = |day: &i32| {
            EPOCH
                .checked_add(jiff::Span::new().days(i64::from(*day)))
                .map_or(String::new(), |date| date.to_string())
        };
        chart
            .configure_mesh()
            .axis_desc_style(font(14))
            .label_style(font(13))
            .x_labels(5)
            .y_labels(21)
            .x_label_formatter(&date_at)
            .y_label_formatter(&level_at)
            .disable_y_mesh()
            .bold_line_style(RGBColor(0xe3, 0xe7, 0xed))
            .light_line_style(RGBColor(0xf3, 0xf5, 0xf8))
            .axis_style(RGBColor(0x8a, 0x93, 0xa0))
            .draw()?;
        // The levels as faint rules, so that a line reads against them.
        for level in &history.levels {
            chart.draw_series(LineSeries::new(
                [(first - pad, level.value), (last + pad, level.value)],
                RGBColor(0xe3, 0xe7, 0xed).stroke_width(1),
            ))?;
        }
        for one in series {
            let color = rgb(party_color(report, &one.party));
            let mut options: Vec<&String> = Vec::new();
            for entry in &one.positions {
                for option in entry.values.keys() {
                    if !options.contains(&option) {
                        options.push(option);
                    }
                }
            }
            for option in options {
                let points: Vec<(i32, f64)> = one
                    .positions
                    .iter()
                    .filter_map(|entry| Some((entry.day?, *entry.values.get(option)?)))
                    .collect();
                chart
                    .draw_series(LineSeries::new(points.iter().copied(), color.stroke_width(2)))?;
                chart.draw_series(
                    points.iter().map(|&point| Circle::new(point, 4, color.filled())),
                )?;
                if let Some(&(day, value)) = points.last() {
                    chart.draw_series([Text::new(
                        format!(" {option}"),
                        (day, value),
                        ("sans-serif", 12).into_font().color(&color),
                    )])?;
                }
            }
        }
        root.present()?;
    }
    let start = svg.find("<svg").ok_or("no svg element")?;
    let end = start + svg[start..].find('>').ok_or("no svg element")?;
    let open = format!(
        "<svg class=\"fig history\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        html! { "Stances over time on " (series[0].issue_title) }.into_string()
    );
    let close = svg.rfind("</svg>").ok_or("no svg element")?;
    Ok(format!("{open}{}</svg>", &svg[end + 1..close]))
}
