//! Tests of the HTML page: one self-contained document, escaped text, one frontier panel per
//! pair of parties, the packages marked, and large frontiers thinned with a caption that says so.

use parley_analysis::{AnalysisOptions, analyze};
use parley_engine::control::{Control, build_thread_pool};
use parley_model::scenario_file::read_scenario;

use crate::analysis::OutcomeReport;
use crate::schema::{Report, build};

/// A two-party scenario; `{NAME}` is the first party's name.
const TWO_PARTIES: &str = r#"
[scenario]
id = "harbour"
title = "Talks over the harbour"
as_of = 2025-06-30

[[parties]]
id = "north"
name = "{NAME}"
role = "principal"
reservation = { value = 0.3, basis = "assumed", note = "the analyst's estimate" }

[[parties]]
id = "south"
name = "South"
role = "principal"

[[parties]]
id = "league"
name = "The League"
role = "mediator"

[[issues]]
id = "harbour"
title = "Control of the harbour"
category = "territory"
options = [{ id = "north" }, { id = "joint" }, { id = "south" }]

[[issues]]
id = "fees"
title = "Port fees"
category = "finance-and-reconstruction"
options = [{ id = "low" }, { id = "mid" }, { id = "high" }]

[[tracks]]
id = "proximity"
name = "Proximity talks"
parties = ["league", "north", "south"]
document = "v2"

[[meetings]]
id = "round-1"
track = "proximity"
title = "First round"
date = 2025-06-02
status = "held"
left_open = ["harbour"]

[[drafts]]
id = "v1"
title = "Mediator's first text"
date = 2025-06-02
author = "league"
status = "superseded"
points = [{ id = "harbour", number = 1, text = "A joint authority.", issue = "harbour", option = "joint" }]

[[drafts]]
id = "v2"
title = "Mediator's second text"
date = 2025-06-20
author = "league"
status = "under-discussion"
parents = ["v1"]
point_count = 2
lineage = [{ parent = "v1", points = "rest", fate = "unknown" }]

[[positions]]
party = "north"
issue = "harbour"
importance = "critical"
stances = { north = "preferred", joint = "workable", south = "red-line" }

[[positions]]
party = "north"
issue = "fees"
importance = "low"
confidence = "assumed"
stances = { low = 0.9, mid = 0.5, high = 0.1 }

[[positions]]
party = "south"
issue = "harbour"
importance = "high"
stances = { north = "red-line", joint = "objection", south = "preferred" }

[[positions]]
party = "south"
issue = "fees"
weight = 2.0
stances = { low = 0.1, high = 0.9 }
"#;

fn report_of(text: &str) -> Report {
    let loaded = read_scenario(text);
    let scenario = loaded.scenario.expect("the scenario is valid");
    let options = AnalysisOptions { robustness_samples: 50, ..AnalysisOptions::default() };
    let pool = build_thread_pool(1).expect("a pool of one thread");
    let analysis = analyze(&scenario, &options, &pool, &Control::none()).expect("it analyses");
    build(&scenario, &loaded.diagnostics, "x", Some((&analysis, 3)))
}

fn two_parties(name: &str) -> Report {
    report_of(&TWO_PARTIES.replace("{NAME}", name))
}

fn builtin() -> Report {
    report_of(parley_model::builtin::TALKS_2025_TOML)
}

/// Every `<svg class="fig frontier" ...>...</svg>` panel of a page.
fn frontier_panels(page: &str) -> Vec<&str> {
    page.match_indices("<svg class=\"fig frontier\"")
        .map(|(start, _)| {
            let end = start + page[start..].find("</svg>").expect("the panel is closed");
            &page[start..end]
        })
        .collect()
}

fn assert_self_contained(page: &str) {
    assert!(page.starts_with("<!DOCTYPE html><html lang=\"en\">"), "one document");
    assert_eq!(page.matches("<html").count(), 1);
    assert!(page.trim_end().ends_with("</html>"));
    for forbidden in ["src=", "<link", "<script", "@import", "url(http", "<iframe", "<img"] {
        assert!(!page.contains(forbidden), "the page has {forbidden}");
    }
    for (start, _) in page.match_indices("href=") {
        let target = &page[start + "href=".len()..];
        assert!(target.starts_with("\"#"), "an external link: {}", &target[..40.min(target.len())]);
    }
}

#[test]
fn builtin_page_is_one_self_contained_document() {
    let page = super::render(&builtin());
    assert_self_contained(&page);
    for id in ["parties", "timeline", "drafts", "stances", "blocking", "claims", "zone"] {
        assert!(page.contains(&format!("<section id=\"{id}\">")), "no section {id}");
    }
    for id in ["packages", "frontier", "no-deal", "evaluations", "robustness", "model"] {
        assert!(page.contains(&format!("<section id=\"{id}\">")), "no section {id}");
    }
    assert!(page.contains("28 unknown"), "the lineage arrow's label");
}

/// Two principals whose red lines on one issue leave no option; one party's red line is a
/// reading of a sentence, the other's is reported.
const CONFLICT: &str = r#"
[scenario]
id = "conflict"
title = "Conflict"

[[sources]]
id = "minutes"
title = "Minutes"
sections = ["Round 1"]

[[parties]]
id = "north"
name = "North"
role = "principal"

[[parties]]
id = "south"
name = "South"
role = "principal"

[[issues]]
id = "harbour"
title = "Control of the harbour"
category = "territory"
options = [{ id = "north" }, { id = "south" }]

[[positions]]
party = "north"
issue = "harbour"
importance = "high"
confidence = "inferred"
cites = ["minutes#Round 1"]
stances = { north = "preferred", south = "red-line" }

[[positions]]
party = "south"
issue = "harbour"
importance = "high"
stances = { north = "red-line", south = "preferred" }
"#;

#[test]
fn an_issue_conflict_names_the_readings_it_rests_on() {
    let report = report_of(CONFLICT);
    let analysis = report.analysis.as_ref().unwrap();
    let conflicts = analysis.no_deal.issue_conflicts.as_ref().unwrap();
    assert_eq!(conflicts.len(), 1);
    let figures: Vec<String> = conflicts[0]
        .rests_on
        .iter()
        .map(|figure| {
            format!(
                "{} {} {:?} {:?} {}",
                figure.figure, figure.party, figure.issue, figure.option, figure.basis
            )
        })
        .collect();
    // North's red line is a reading; South's is reported and rests on nothing of the analyst's.
    assert_eq!(figures, ["red-line north Some(\"harbour\") Some(\"south\") inferred"]);
    let page = super::render(&report);
    assert!(page.contains("Rests on inferred figures: red-line of North on"), "{page}");
}

#[test]
fn builtin_page_shows_the_analysts_readings_what_rests_on_them_and_their_relaxations() {
    let report = builtin();
    let page = super::render(&report);
    assert!(page.contains("<section id=\"relaxations\">"), "no relaxations section");
    // The zone's verdict rests on inferred red lines and on the stances of the parties with
    // a reservation, and Ukraine's red line on Donbas read as a strong objection is one of the
    // relaxations.
    assert!(page.contains("Rests on inferred figures: "));
    assert!(page.contains("red-line of Russian Federation on"));
    assert!(page.contains("stances of Russian Federation on Territory in Donbas"));
    assert!(
        page.contains("stances of 'ukraine' on 'donbas': cede-all red-line to strong-objection")
    );
    // The planned meeting carries Ukraine's condition, and its status is a reading.
    assert!(page.contains("On condition (Ukraine): the discussions signal fairness"));
    let inferred = report.assumptions.iter().filter(|assumption| assumption.basis == "inferred");
    assert!(inferred.clone().count() > 10);
    for assumption in inferred {
        assert!(!assumption.cites.is_empty(), "{} cites nothing", assumption.path);
        assert!(page.contains(&format!("<code>{}</code>", assumption.path)), "{}", assumption.path);
    }
}

#[test]
fn record_only_page_says_the_analysis_was_not_run() {
    let loaded = read_scenario(parley_model::builtin::TALKS_2025_TOML);
    let scenario = loaded.scenario.expect("the scenario is valid");
    let page = super::render(&build(&scenario, &[], "x", None));
    assert_self_contained(&page);
    assert!(page.contains("The analysis was not run"));
    assert!(frontier_panels(&page).is_empty());
}

#[test]
fn text_from_the_report_is_escaped() {
    let page = super::render(&two_parties("<script>alert('x')</script> & co"));
    assert!(!page.contains("<script"));
    assert!(page.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; co"));
    // The axis label plotters writes is escaped too.
    let panel = frontier_panels(&page)[0];
    assert!(panel.contains("utility of &lt;script&gt;"), "{panel}");
    assert_self_contained(&page);
}

#[test]
fn three_parties_get_one_panel_per_pair() {
    let report = builtin();
    assert_eq!(report.parties.len(), 3);
    let page = super::render(&report);
    let panels = frontier_panels(&page);
    assert_eq!(panels.len(), 3);
    for pair in [
        "Russian Federation against Ukraine",
        "Russian Federation against European governments",
        "Ukraine against European governments",
    ] {
        assert_eq!(
            panels.iter().filter(|panel| panel.contains(pair)).count(),
            1,
            "one panel for {pair}"
        );
    }
}

#[test]
fn two_party_scatter_marks_the_packages() {
    let report = two_parties("North");
    let analysis = report.analysis.as_ref().expect("analysed");
    assert!(
        analysis.solutions.nash.as_ref().is_some_and(|nash| !nash.is_empty()),
        "the scenario has a Nash package"
    );
    let page = super::render(&report);
    let panels = frontier_panels(&page);
    assert_eq!(panels.len(), 1);
    let panel = panels[0];
    assert!(panel.contains("utility of North") && panel.contains("utility of South"));
    for class in ["pkg pkg-nash", "pkg pkg-kalai", "pkg pkg-egalitarian", "pkg pkg-utilitarian"] {
        assert!(panel.contains(&format!("class=\"{class}\"")), "no {class} marker");
    }
    assert!(panel.contains("<title>Nash: North "), "the Nash marker's tooltip");
    assert!(page.contains("Zone frontier: all "), "the caption counts the points");
}

#[test]
fn large_frontiers_are_thinned_and_say_so() {
    let mut report = two_parties("North");
    let analysis = report.analysis.as_mut().expect("analysed");
    let template = analysis.pareto_frontier.as_ref().unwrap()[0].clone();
    let n_points = 20_000;
    let synthetic: Vec<OutcomeReport> = (0..n_points)
        .map(|idx| {
            let t = f64::from(idx) / f64::from(n_points);
            let mut outcome = template.clone();
            outcome.utilities =
                vec![("north".to_owned(), t), ("south".to_owned(), (1.0 - t * t).sqrt())];
            outcome
        })
        .collect();
    analysis.pareto_frontier = Some(synthetic.clone());
    analysis.pareto_frontier_size = Some(synthetic.len());
    analysis.unrestricted_pareto_frontier = Some(synthetic);
    let page = super::render(&report);
    let panel = frontier_panels(&page)[0];
    let n_drawn = panel.matches("<circle").count();
    assert!(n_drawn > 100 && n_drawn < 8_000, "{n_drawn} points drawn");
    assert!(page.contains(&format!(" of {n_points} points drawn.")));
    assert!(page.contains("Points that would overlap at this size are drawn once"));
    assert!(page.len() < 1_500_000, "the page is {} bytes", page.len());
}

#[test]
fn a_sampled_frontier_shows_its_size_and_the_rule_of_its_sample() {
    let mut report = two_parties("North");
    let analysis = report.analysis.as_mut().expect("analysed");
    let n_listed = analysis.pareto_frontier.as_ref().unwrap().len();
    analysis.pareto_frontier_size = Some(924_385);
    analysis.pareto_frontier_omitted = 924_385 - n_listed;
    analysis.frontier_listing = "evenly spaced by north's utility".to_owned();
    let page = super::render(&report);
    assert!(page.contains("<b>924385</b>"), "the size, not the sample's length");
    assert!(
        page.contains(&format!("{n_listed} of its 924385 outcomes of the zone's frontier")),
        "the sample's size"
    );
    assert!(page.contains("evenly spaced by north's utility from its least to its most"));
}

#[test]
fn thousands_of_tied_packages_show_ten_and_say_how_many_more() {
    let mut report = two_parties("North");
    let analysis = report.analysis.as_mut().expect("analysed");
    let nash = analysis.solutions.nash.as_mut().expect("a Nash package");
    let tie = nash[0].clone();
    nash.resize(2350, tie);
    let page = super::render(&report);
    assert!(page.contains("tie 10 of 2350"));
    assert!(!page.contains("tie 11 of 2350"), "only ten ties are shown");
    assert!(page.contains("Nash: 2340 more tied outcomes"));
    assert!(page.matches("<title>Nash: ").count() <= 10 * frontier_panels(&page).len());
}

/// WCAG's contrast ratio of two colours written `#rgb` or `#rrggbb`.
fn contrast(first: &str, second: &str) -> f64 {
    let luminance = |color: &str| {
        let hex = color.trim_start_matches('#');
        let channels: Vec<f64> = if hex.len() == 3 {
            hex.chars().map(|digit| f64::from(digit.to_digit(16).unwrap() * 17) / 255.0).collect()
        } else {
            (0..3)
                .map(|idx| f64::from(u8::from_str_radix(&hex[2 * idx..2 * idx + 2], 16).unwrap()))
                .map(|value| value / 255.0)
                .collect()
        };
        let linear: Vec<f64> =
            channels
                .iter()
                .map(|&value| {
                    if value <= 0.04045 {
                        value / 12.92
                    } else {
                        ((value + 0.055) / 1.055).powf(2.4)
                    }
                })
                .collect();
        0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    };
    let (first, second) = (luminance(first), luminance(second));
    (first.max(second) + 0.05) / (first.min(second) + 0.05)
}

#[test]
fn every_stance_label_reads_at_a_contrast_of_at_least_4_5() {
    let levels = [
        "red-line",
        "strong-objection",
        "objection",
        "workable",
        "acceptable",
        "preferred",
        "other",
    ];
    let stances = levels
        .into_iter()
        .map(serde_json::Value::from)
        .chain((0..=100).map(|step| serde_json::Value::from(f64::from(step) / 100.0)));
    for stance in stances {
        let (background, ink, label) = super::stance_style(&stance);
        let ratio = contrast(&background, ink);
        assert!(ratio >= 4.5, "{label}: {ink} on {background} has a contrast of {ratio:.2}");
    }
}

#[test]
fn a_draft_round_is_a_table_with_the_differing_cells_marked_and_each_draft_shows_its_agreement() {
    let report = report_of(include_str!("../../../parley-cli/tests/data/round.toml"));
    let page = crate::html::render(&report);
    let rounds = page.split("<section id=\"rounds\">").nth(1).expect("a rounds section");
    let rounds = rounds.split("</section>").next().unwrap();
    assert_eq!(rounds.matches("<td class=\"differs\"").count(), 1, "{rounds}");
    assert_eq!(rounds.matches("<td class=\"added\"").count(), 1, "{rounds}");
    assert_eq!(rounds.matches("<td class=\"same\"").count(), 1, "{rounds}");
    assert!(rounds.contains("North: 2 difference(s)"), "{rounds}");
    assert!(page.contains("<span class=\"badge package-open\">open</span>"));
    // The built-in case has no round: no section, no link to one.
    let builtin = crate::html::render(&builtin());
    assert!(!builtin.contains("id=\"rounds\""));
    assert!(!builtin.contains("href=\"#rounds\""));
}
