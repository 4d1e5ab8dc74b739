//! The Pareto frontier scatter plots, drawn with plotters' SVG backend into a string: axes,
//! grid, tick labels and the frontier points. Plotters cannot attach a `<title>` (a tooltip)
//! or a class to an element, so the packages, the disagreement point and the reservation
//! lines are drawn over its output by hand, at the pixel positions the chart maps them to.
//!
//! A frontier can hold thousands of outcomes: points that would land on the same spot at the
//! drawn size are drawn once, and what is left is thinned evenly to a cap. The caller states
//! "N of M points drawn" in the caption.

use maud::{Markup, html};
use plotters::prelude::*;

/// The four packages, in the order they are drawn (the largest marker first, Nash on top).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PackageKind {
    /// Maximises the sum of utilities.
    Utilitarian,
    /// Maximises the smallest gain.
    Egalitarian,
    /// Kalai-Smorodinsky.
    Kalai,
    /// Maximises the product of gains.
    Nash,
}

impl PackageKind {
    pub(super) const ALL: [PackageKind; 4] =
        [PackageKind::Nash, PackageKind::Kalai, PackageKind::Egalitarian, PackageKind::Utilitarian];

    pub(super) fn name(self) -> &'static str {
        match self {
            PackageKind::Nash => "Nash",
            PackageKind::Kalai => "Kalai-Smorodinsky",
            PackageKind::Egalitarian => "Egalitarian",
            PackageKind::Utilitarian => "Utilitarian",
        }
    }

    pub(super) fn class(self) -> &'static str {
        match self {
            PackageKind::Nash => "pkg pkg-nash",
            PackageKind::Kalai => "pkg pkg-kalai",
            PackageKind::Egalitarian => "pkg pkg-egalitarian",
            PackageKind::Utilitarian => "pkg pkg-utilitarian",
        }
    }

    fn color(self) -> &'static str {
        match self {
            PackageKind::Nash => "#c2185b",
            PackageKind::Kalai => "#6a3d9a",
            PackageKind::Egalitarian => "#1f78b4",
            PackageKind::Utilitarian => "#e6a100",
        }
    }
}

/// A marker's SVG path, centred on `(x, y)`. The shapes nest: when packages coincide, the
/// outlines of the larger ones stay visible around the smaller.
fn marker_path(kind: PackageKind, x: f64, y: f64, scale: f64) -> String {
    match kind {
        PackageKind::Nash => {
            // A filled five-pointed star, innermost.
            let points: Vec<String> = (0..10)
                .map(|step| {
                    let radius = scale * if step % 2 == 0 { 7.5 } else { 3.2 };
                    let angle = std::f64::consts::PI * (f64::from(step) / 5.0 - 0.5);
                    format!("{:.1},{:.1}", x + radius * angle.cos(), y + radius * angle.sin())
                })
                .collect();
            format!("M{}z", points.join(" L"))
        }
        PackageKind::Kalai => {
            let r = 10.0 * scale;
            format!("M{:.1},{:.1} l{r:.1},{r:.1} l-{r:.1},{r:.1} l-{r:.1},-{r:.1} z", x, y - r)
        }
        PackageKind::Egalitarian => {
            let r = 15.0 * scale;
            format!(
                "M{:.1},{:.1} l{:.1},{:.1} l-{:.1},0 z",
                x,
                y - r,
                r * 0.866,
                r * 1.5,
                r * 1.732
            )
        }
        PackageKind::Utilitarian => {
            let r = 11.0 * scale;
            format!("M{:.1},{:.1} h{:.1} v{:.1} h-{:.1} z", x - r, y - r, 2.0 * r, 2.0 * r, 2.0 * r)
        }
    }
}

/// The fill and stroke of a marker: Nash is filled, the others are outlines.
fn marker_paint(kind: PackageKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        PackageKind::Nash => (kind.color(), "#fff", "1"),
        _ => ("none", kind.color(), "2.5"),
    }
}

/// A package marker, with its tooltip.
fn marker(kind: PackageKind, x: f64, y: f64, title: &str) -> Markup {
    let (fill, stroke, width) = marker_paint(kind);
    html! {
        path class=(kind.class()) d=(marker_path(kind, x, y, 1.0)) fill=(fill) stroke=(stroke) stroke-width=(width) {
            title { (title) }
        }
    }
}

/// A small standalone swatch of a marker, for legends.
pub(super) fn legend_marker(kind: PackageKind) -> Markup {
    let (fill, stroke, width) = marker_paint(kind);
    let scale = if kind == PackageKind::Nash { 1.3 } else { 0.75 };
    html! {
        svg viewBox="0 0 24 24" aria-hidden="true" {
            path d=(marker_path(kind, 12.0, if kind == PackageKind::Egalitarian { 14.0 } else { 12.0 }, scale)) fill=(fill) stroke=(stroke) stroke-width=(width) {}
        }
    }
}

/// The legend swatches of the frontier points, the disagreement point and its lines.
pub(super) fn legend_other() -> Markup {
    html! {
        span { svg viewBox="0 0 24 24" aria-hidden="true" { circle cx="12" cy="12" r="4" fill="none" stroke=(ALL_COLOR) stroke-width="1.5" {} } "frontier of all outcomes" }
        span { svg viewBox="0 0 24 24" aria-hidden="true" { circle cx="12" cy="12" r="4.5" fill=(ZONE_COLOR) {} } "frontier of the agreement zone" }
        span { svg viewBox="0 0 24 24" aria-hidden="true" { path d="M6,6 L18,18 M18,6 L6,18" stroke="#1d2330" stroke-width="2.5" {} } "disagreement point" }
        span { svg viewBox="0 0 24 24" aria-hidden="true" { path d="M2,12 H22" stroke="#1d2330" stroke-width="1.5" stroke-dasharray="4 3" {} } "disagreement value (reservation or lowest utility)" }
    }
}

const ALL_COLOR: &str = "#8a97a8";
const ZONE_COLOR: &str = "#1b9e77";

/// A package's position in a panel, with its tooltip.
pub(super) type Marked = ((f64, f64), String);

/// One scatter panel: party `x` against party `y`.
pub(super) struct Panel<'a> {
    /// The horizontal axis's label (a party's name).
    pub(super) x_label: &'a str,
    /// The vertical axis's label.
    pub(super) y_label: &'a str,
    /// The zone frontier's points, projected on the two parties.
    pub(super) zone: Vec<(f64, f64)>,
    /// The unrestricted frontier's points, projected.
    pub(super) all: Vec<(f64, f64)>,
    /// Whether the points trace a curve (two parties) rather than a projection.
    pub(super) connect: bool,
    /// The packages: each kind with its tied outcomes' positions and tooltips.
    pub(super) packages: Vec<(PackageKind, Vec<Marked>)>,
    /// The disagreement point, with the lines' labels.
    pub(super) disagreement: (f64, f64),
    /// The pixel size plotters lays the chart out in (the page scales it).
    pub(super) size: (u32, u32),
    /// The most points drawn of each frontier.
    pub(super) cap: usize,
}

/// A drawn panel and how many points of each frontier it shows.
pub(super) struct Drawn {
    /// The SVG element.
    pub(super) svg: String,
    /// Zone frontier: drawn, of.
    pub(super) zone: (usize, usize),
    /// Unrestricted frontier: drawn, of.
    pub(super) all: (usize, usize),
}

/// Keeps one point per cell of a grid `cell` wide, then at most `cap` of those, evenly spread
/// in x order.
fn thin(points: &[(f64, f64)], cell: f64, cap: usize) -> Vec<(f64, f64)> {
    let key =
        |point: &(f64, f64)| ((point.0 / cell).round() as i64, (point.1 / cell).round() as i64);
    let mut keyed: Vec<((i64, i64), (f64, f64))> =
        points.iter().map(|point| (key(point), *point)).collect();
    keyed.sort_by_key(|(key, _)| *key);
    keyed.dedup_by_key(|(key, _)| *key);
    let kept: Vec<(f64, f64)> = keyed.into_iter().map(|(_, point)| point).collect();
    if kept.len() <= cap || cap == 0 {
        return kept;
    }
    (0..cap).map(|slot| kept[slot * kept.len() / cap]).collect()
}

/// The axis range: utilities lie in [0, 1]; a small margin keeps markers on the edges whole.
const LOW: f64 = -0.03;
const HIGH: f64 = 1.03;

/// Draws a panel. Drawing into a string cannot fail for want of space or files; should
/// plotters still report an error, the panel says so instead of a chart.
pub(super) fn draw(panel: &Panel<'_>) -> Drawn {
    let (width, height) = panel.size;
    // One grid cell is about a point's radius at the drawn size.
    let cell = 2.5 / f64::from(width.min(height));
    let zone = thin(&panel.zone, cell, panel.cap);
    let all = thin(&panel.all, cell, panel.cap);
    let svg = match draw_chart(panel, &zone, &all) {
        Ok(svg) => svg,
        Err(error) => format!(
            "<p class=\"muted\">The plot could not be drawn: {}</p>",
            html! { (error) }.into_string()
        ),
    };
    Drawn { svg, zone: (zone.len(), panel.zone.len()), all: (all.len(), panel.all.len()) }
}

fn draw_chart(
    panel: &Panel<'_>,
    zone: &[(f64, f64)],
    all: &[(f64, f64)],
) -> Result<String, Box<dyn std::error::Error>> {
    let mut svg = String::new();
    let overlay;
    let (width, height) = panel.size;
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(14)
            .margin_right(20)
            .x_label_area_size(58)
            .y_label_area_size(66)
            .build_cartesian_2d(LOW..HIGH, LOW..HIGH)?;
        let font = |size: u32| ("sans-serif", size).into_font().color(&RGBColor(0x37, 0x3f, 0x4c));
        chart
            .configure_mesh()
            .x_desc(format!("utility of {}", panel.x_label))
            .y_desc(format!("utility of {}", panel.y_label))
            .axis_desc_style(font(16))
            .label_style(font(14))
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&|value| format!("{value:.1}"))
            .y_label_formatter(&|value| format!("{value:.1}"))
            .bold_line_style(RGBColor(0xe3, 0xe7, 0xed))
            .light_line_style(RGBColor(0xf3, 0xf5, 0xf8))
            .axis_style(RGBColor(0x8a, 0x93, 0xa0))
            .draw()?;
        let all_color = RGBColor(0x8a, 0x97, 0xa8);
        let zone_color = RGBColor(0x1b, 0x9e, 0x77);
        if panel.connect && all.len() > 1 {
            chart.draw_series(LineSeries::new(all.iter().copied(), all_color.stroke_width(1)))?;
        }
        // Dense clouds get smaller points, so that their shape still shows.
        let radius = |n_points: usize| if n_points > 400 { 3 } else { 4 };
        let all_radius = radius(all.len());
        chart.draw_series(
            all.iter().map(|&point| Circle::new(point, all_radius, all_color.stroke_width(1))),
        )?;
        if panel.connect && zone.len() > 1 {
            chart.draw_series(LineSeries::new(zone.iter().copied(), zone_color.stroke_width(2)))?;
        }
        let zone_radius = radius(zone.len());
        chart.draw_series(
            zone.iter().map(|&point| Circle::new(point, zone_radius, zone_color.filled())),
        )?;

        // The overlay: positions in the chart's pixels.
        let at = |point: (f64, f64)| {
            let (x, y) = chart.backend_coord(&point);
            (f64::from(x), f64::from(y))
        };
        let (left, top) = at((LOW, HIGH));
        let (right, bottom) = at((HIGH, LOW));
        let (dx, dy) = at(panel.disagreement);
        let label_style = "fill:#1d2330;font-family:sans-serif";
        let x_label = format!("d {:.2}", panel.disagreement.0);
        let y_label = format!("d {:.2}", panel.disagreement.1);
        let mut packages = panel.packages.clone();
        // The outermost shapes first, so that Nash's star sits on top.
        packages.sort_by_key(|(kind, _)| *kind as u8);
        overlay = html! {
            g.disagreement {
                path d=(format!("M{dx:.1},{top:.1} V{bottom:.1} M{left:.1},{dy:.1} H{right:.1}")) stroke="#1d2330" stroke-width="1.2" stroke-dasharray="5 4" fill="none" {}
                text x=(format!("{:.1}", dx + 4.0)) y=(format!("{:.1}", top + 12.0)) style=(label_style) font-size="13" stroke="#fff" stroke-width="3" paint-order="stroke" { (x_label) }
                text x=(format!("{:.1}", right - 4.0)) y=(format!("{:.1}", dy - 5.0)) text-anchor="end" style=(label_style) font-size="13" stroke="#fff" stroke-width="3" paint-order="stroke" { (y_label) }
                path d=(format!("M{:.1},{:.1} l10,10 m0,-10 l-10,10", dx - 5.0, dy - 5.0)) stroke="#1d2330" stroke-width="2.5" {
                    title { "disagreement point (" (format!("{:.3}", panel.disagreement.0)) ", " (format!("{:.3}", panel.disagreement.1)) ")" }
                }
            }
            @for (kind, points) in &packages {
                @for (point, title) in points {
                    @let (x, y) = at(*point);
                    (marker(*kind, x, y, title))
                }
            }
        }
        .into_string();
        root.present()?;
    }
    // Plotters writes a fixed pixel size; the page scales the chart to its column instead.
    let start = svg.find("<svg").ok_or("no svg element")?;
    let end = start + svg[start..].find('>').ok_or("no svg element")?;
    let open = format!(
        "<svg class=\"fig frontier\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        html! { "Pareto frontier: " (panel.x_label) " against " (panel.y_label) }.into_string()
    );
    let close = svg.rfind("</svg>").ok_or("no svg element")?;
    Ok(format!("{open}{}{overlay}</svg>", &svg[end + 1..close]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thin_keeps_one_point_per_cell_and_caps() {
        let points: Vec<(f64, f64)> = (0..10_000)
            .map(|idx| (f64::from(idx) / 10_000.0, 1.0 - f64::from(idx) / 10_000.0))
            .collect();
        let thinned = thin(&points, 0.01, 1_000);
        // A diagonal crosses about two cells per step of 0.01.
        assert!((101..=202).contains(&thinned.len()), "{} kept", thinned.len());
        let capped = thin(&points, 0.0001, 50);
        assert_eq!(capped.len(), 50);
        assert!(capped.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }
}
