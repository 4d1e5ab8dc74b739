//! Tests of the analysis on the built-in scenario and small scenarios of our own.

use parley_engine::blocking::Concession;
use parley_engine::control::{Control, build_thread_pool};
use parley_model::builtin::{TALKS_2025_TOML, WEAKER_DONBAS_READING};
use parley_model::scenario_file::read_scenario;
use parley_model::validate::ValidScenario;

use crate::drafts::Acceptance;
use crate::{Analysis, AnalysisOptions, analyze};

fn load(text: &str) -> ValidScenario {
    let loaded = read_scenario(text);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.scenario.unwrap()
}

fn run(scenario: &ValidScenario, n_threads: usize, samples: usize) -> Analysis {
    let options =
        AnalysisOptions { robustness_samples: samples, seed: 7, ..AnalysisOptions::default() };
    let analysis =
        analyze(scenario, &options, &build_thread_pool(n_threads).unwrap(), &Control::none())
            .unwrap();
    assert_eq!(analysis.cut_short, []);
    analysis
}

/// Two principals who each red-line the other's only acceptable option on one issue, and a
/// draft that settles both issues.
const STANDOFF: &str = r#"
[scenario]
id = "standoff"
title = "Standoff"

[[parties]]
id = "north"
name = "North"
role = "principal"
reservation = { value = 0.2 }

[[parties]]
id = "south"
name = "South"
role = "principal"
reservation = { value = 0.2 }

[[issues]]
id = "port"
title = "Port"
category = "territory"
options = [{ id = "north" }, { id = "south" }]

[[issues]]
id = "fees"
title = "Fees"
category = "other"
options = [{ id = "low" }, { id = "high" }]

[[positions]]
party = "north"
issue = "port"
importance = "critical"
stances = { north = "preferred", south = "red-line" }

[[positions]]
party = "south"
issue = "port"
importance = "critical"
stances = { north = "red-line", south = "preferred" }

[[positions]]
party = "north"
issue = "fees"
importance = "low"
stances = { low = "preferred", high = "acceptable" }

[[positions]]
party = "south"
issue = "fees"
importance = "low"
stances = { low = "workable", high = "preferred" }

[[drafts]]
id = "fees-only"
title = "Fees only"
status = "proposed"
points = [{ id = "fees", issue = "fees", option = "high" }]
"#;

#[test]
fn the_builtin_scenario_has_no_zone_unless_an_inferred_reading_is_relaxed() {
    let scenario = load(TALKS_2025_TOML);
    let analysis = run(&scenario, 1, 0);
    assert_eq!(analysis.zone_exists, Some(false));
    let (russia, ukraine) = (0, 1);
    let (donbas, nato) = (0, 1);
    assert_eq!(
        analysis.blocking.unwrap().minimal_concession_sets,
        vec![
            vec![Concession::DropReservation { party_idx: russia }],
            vec![Concession::LiftRedLine { party_idx: ukraine, issue_idx: donbas }],
            vec![Concession::LiftRedLine { party_idx: ukraine, issue_idx: nato }],
        ]
    );
    let relaxations = analysis.relaxations.unwrap();
    let relaxed = |path: &str| {
        relaxations
            .iter()
            .find(|relaxation| relaxation.paths == [path])
            .unwrap_or_else(|| panic!("no relaxation of {path}"))
    };
    // Ukraine's rejection of ceding Donbas read as a strong objection, not a red line: a zone
    // opens, and its Nash package is the cession.
    let ukraine_on_donbas = relaxed("positions[1]");
    assert!(ukraine_on_donbas.zone_exists);
    let cede_all = 0;
    assert!(ukraine_on_donbas.nash.iter().all(|(options, _)| options[donbas] == Some(cede_all)));
    // Russia's strong objection to a compromise read as an objection: a zone of compromises.
    let russia_on_donbas = relaxed("positions[0]");
    assert!(russia_on_donbas.zone_exists);
    let compromise = 1;
    assert!(russia_on_donbas.nash.iter().all(|(options, _)| options[donbas] == Some(compromise)));
    // Europe's consent is a reading too; without it, Ukraine's and Russia's red lines still
    // leave no zone.
    let without_europe = relaxed("parties[3].consent");
    assert_eq!(without_europe.parties.len(), 2);
    assert!(!without_europe.zone_exists);
    let all = relaxations.last().unwrap();
    assert_eq!(all.what, "every inferred reading at once");
    assert!(all.zone_exists);
}

#[test]
fn a_scenario_without_inferred_readings_has_no_relaxations() {
    let analysis = run(&load(STANDOFF), 1, 0);
    assert_eq!(analysis.relaxations, Some(Vec::new()));
}

#[test]
fn the_early_us_plan_is_rejected_because_it_crosses_ukraines_red_lines() {
    let scenario = load(TALKS_2025_TOML);
    let analysis = run(&scenario, 1, 0);
    let drafts = analysis.drafts.unwrap();
    let early = &drafts[0];
    assert_eq!(early.acceptance, Acceptance::Rejected);
    let ukraine = &early.parties[1];
    assert!(ukraine.rejects);
    assert_eq!(ukraine.objections.iter().filter(|objection| objection.red_line).count(), 2);
    // Without an agreement zone, no settlement of the 20-point list's open points is accepted.
    assert_eq!(drafts[2].acceptance, Acceptance::Rejected);
}

/// The analysis takes its packages from the frontier it has built; the engine's own steps,
/// which search without the frontier where that is exact, find the same.
#[test]
fn the_packages_on_the_frontier_agree_with_the_engine_searches() {
    use parley_engine::solutions;

    // The built-in case with Ukraine's rejection of ceding Donbas read as a strong objection
    // rather than a red line (docs/builtin-scenario.md), which has an agreement zone.
    let scenario = load(&(TALKS_2025_TOML.to_owned() + WEAKER_DONBAS_READING));
    let analysis = run(&scenario, 1, 0);
    let (space, pool, control) = (&analysis.space, build_thread_pool(1).unwrap(), Control::none());
    let packages = analysis.solutions;
    assert!(!packages.nash.as_ref().unwrap().is_empty());
    assert_eq!(packages.nash.unwrap(), solutions::nash(space, &pool, &control).unwrap());
    assert_eq!(
        packages.kalai_smorodinsky.unwrap(),
        solutions::kalai_smorodinsky(space, &pool, &control).unwrap()
    );
    assert_eq!(packages.egalitarian.unwrap(), solutions::egalitarian(space, &control).unwrap());
    assert_eq!(packages.utilitarian.unwrap(), solutions::utilitarian(space, &control).unwrap());
}

/// Three parties with exact weights and values on two issues, and a draft.
const EXACT: &str = r#"
[scenario]
id = "exact"
title = "Exact"

[[parties]]
id = "a"
name = "A"
role = "principal"
reservation = { value = 0.3 }

[[parties]]
id = "b"
name = "B"
role = "principal"

[[parties]]
id = "c"
name = "C"
role = "principal"

[[issues]]
id = "x"
title = "X"
category = "other"
options = [{ id = "x1" }, { id = "x2" }, { id = "x3" }]

[[issues]]
id = "y"
title = "Y"
category = "other"
options = [{ id = "y1" }, { id = "y2" }]

[[positions]]
party = "a"
issue = "x"
weight = 0.7
stances = { x1 = 1.0, x2 = 0.5, x3 = 0.0 }

[[positions]]
party = "a"
issue = "y"
weight = 0.3
stances = { y1 = 0.0, y2 = 1.0 }

[[positions]]
party = "b"
issue = "x"
weight = 0.5
stances = { x1 = 0.0, x2 = 0.8, x3 = 1.0 }

[[positions]]
party = "b"
issue = "y"
weight = 0.5
stances = { y1 = 1.0, y2 = 0.2 }

[[positions]]
party = "c"
issue = "x"
weight = 1.0
stances = { x1 = 0.2, x2 = 1.0, x3 = 0.4 }

[[positions]]
party = "c"
issue = "y"
weight = 0.0
stances = { y1 = 0.0, y2 = 0.0 }

[[drafts]]
id = "middle"
title = "Middle"
status = "proposed"
points = [{ id = "x", issue = "x", option = "x2" }]
"#;

#[test]
fn nothing_is_sampled_when_no_figure_is_uncertain() {
    let scenario = load(EXACT);
    let analysis = run(&scenario, 2, 1000);
    let robustness = analysis.robustness.as_ref().unwrap();
    assert!(!robustness.uncertain);
    assert_eq!((robustness.n_samples, robustness.n_cases()), (0, 1));
    // The one case is the point estimates: its counts are the exact results.
    assert_eq!(robustness.n_with_zone == 1, analysis.zone_exists.unwrap());
    let draft = &analysis.drafts.as_ref().unwrap()[0];
    assert_eq!(robustness.n_draft_accepted[0] == 1, draft.acceptance == Acceptance::Accepted);
    assert_eq!(robustness.n_draft_possible[0] == 1, draft.acceptance != Acceptance::Rejected);
    let nash = analysis.solutions.nash.as_ref().unwrap();
    assert_eq!(nash.len(), 1);
    assert_eq!(robustness.nash_stability, Some(vec![1.0; 2]));
    for (issue_idx, &option_idx) in nash.outcome(0).iter().enumerate() {
        let shares = &robustness.nash_option_shares[issue_idx];
        assert_eq!(shares[usize::from(option_idx)], 1.0, "issue {issue_idx}");
        assert_eq!(shares.iter().sum::<f64>(), 1.0);
    }
    // One interval anywhere (an unrecorded option of C's) brings the samples back.
    let uncertain = load(&EXACT.replace("x3 = 0.4 }", "}"));
    let robustness = run(&uncertain, 2, 50).robustness.unwrap();
    assert!(robustness.uncertain);
    assert_eq!((robustness.n_samples, robustness.n_cases()), (50, 50));
}

#[test]
fn a_standoff_has_no_zone_and_the_smallest_concessions_lift_a_red_line_and_the_reservation() {
    let scenario = load(STANDOFF);
    let analysis = run(&scenario, 1, 50);
    assert_eq!(analysis.zone_exists, Some(false));
    assert!(analysis.frontier.unwrap().is_empty() && analysis.solutions.nash.unwrap().is_empty());
    let blocking = analysis.blocking.unwrap();
    assert_eq!(blocking.issue_conflicts.len(), 1);
    // Lifting its red line gives the port to the other side, which leaves the conceding party
    // at most 1.5 / 13.5 * 0.9 = 0.1 (critical port, low fees), below its reservation of 0.2:
    // it must drop that too.
    assert_eq!(
        blocking.minimal_concession_sets,
        vec![
            vec![
                Concession::LiftRedLine { party_idx: 0, issue_idx: 0 },
                Concession::DropReservation { party_idx: 0 }
            ],
            vec![
                Concession::LiftRedLine { party_idx: 1, issue_idx: 0 },
                Concession::DropReservation { party_idx: 1 }
            ],
        ]
    );
    assert_eq!(analysis.drafts.unwrap()[0].acceptance, Acceptance::Rejected);
    let robustness = analysis.robustness.unwrap();
    assert_eq!((robustness.n_with_zone, robustness.nash_stability), (0, None));
}

#[test]
fn a_draft_that_settles_everything_inside_the_zone_is_accepted() {
    let text = STANDOFF.replace(
        "north = \"preferred\", south = \"red-line\"",
        "north = \"preferred\", south = \"workable\"",
    ) + "\n[[drafts]]\nid = \"all\"\ntitle = \"All\"\nstatus = \"proposed\"\npoints = [{ id = \"port\", issue = \"port\", option = \"south\" }, { id = \"fees\", issue = \"fees\", option = \"high\" }]\n";
    let scenario = load(&text);
    let analysis = run(&scenario, 1, 0);
    let drafts = analysis.drafts.unwrap();
    let all = &drafts[1];
    assert_eq!(all.acceptance, Acceptance::Accepted);
    assert_eq!(all.n_completions, 1.0);
    let (low, high) = all.parties[0].utility_range;
    assert_eq!(low, high);
}

#[test]
fn robustness_is_the_same_for_a_seed_whatever_the_thread_count() {
    let scenario = load(TALKS_2025_TOML);
    let one = run(&scenario, 1, 200).robustness.unwrap();
    let two = run(&scenario, 2, 200).robustness.unwrap();
    assert_eq!(one, two);
    let shares_sum: f64 = one.nash_option_shares[0].iter().sum();
    assert!((shares_sum - one.n_with_zone as f64 / 200.0).abs() < 1e-12);
}

#[test]
fn draft_objections_follow_the_analysis_date() {
    let text = STANDOFF.replace(
        "[[positions]]\nparty = \"north\"\nissue = \"fees\"",
        "[[positions]]\nparty = \"north\"\nissue = \"fees\"\ndate = 2025-01-01",
    ) + "\n[[positions]]\nparty = \"north\"\nissue = \"fees\"\ndate = 2025-06-01\nstances = { low = \"preferred\", high = \"red-line\" }\n";
    let scenario = load(&text);
    let objects_at = |as_of: Option<parley_model::Date>| {
        let options =
            AnalysisOptions { as_of, robustness_samples: 0, ..AnalysisOptions::default() };
        let analysis =
            analyze(&scenario, &options, &build_thread_pool(1).unwrap(), &Control::none()).unwrap();
        analysis.drafts.unwrap()[0].parties[0].objections.len()
    };
    assert_eq!(objects_at(Some(parley_model::Date::new(2025, 3, 1).unwrap())), 0);
    assert_eq!(objects_at(None), 1);
}

#[test]
fn timed_steps_run_as_often_as_asked_and_report_their_fastest_run() {
    use std::cell::Cell;
    use std::time::Duration;
    // Each run of a step reads the clock twice; run k of the whole analysis takes
    // 7, 2 or 5 µs in turn, and 100 µs pass between runs.
    let calls = Cell::new(0_u64);
    let now = Cell::new(0_u64);
    let clock = || {
        let call = calls.get();
        calls.set(call + 1);
        let step = if call % 2 == 1 { [7, 2, 5][((call - 1) / 2 % 3) as usize] } else { 100 };
        now.set(now.get() + step);
        Duration::from_micros(now.get())
    };
    let scenario = load(TALKS_2025_TOML);
    let options = AnalysisOptions {
        robustness_samples: 10,
        clock: Some(&clock),
        timing_runs: 3,
        ..AnalysisOptions::default()
    };
    let timed =
        analyze(&scenario, &options, &build_thread_pool(1).unwrap(), &Control::none()).unwrap();
    let steps: Vec<&str> = timed.timings.iter().map(|(step, _)| *step).collect();
    assert_eq!(
        steps,
        [
            "zone",
            "zone_size",
            "unrestricted_frontier",
            "frontier",
            "nash",
            "kalai",
            "egalitarian",
            "utilitarian",
            "blocking",
            "drafts",
            "robustness",
            "robustness_per_sample",
            "relaxations"
        ]
    );
    for (step, duration) in timed.timings[..10].iter().chain(&timed.timings[12..]) {
        assert_eq!(*duration, Duration::from_micros(2), "{step}");
    }
    // The sampling runs once: the 31st run, which takes 7 µs.
    assert_eq!(timed.timings[10].1, Duration::from_micros(7));
    // Its cost per sample: 7 µs over 10 samples.
    assert_eq!(timed.timings[11].1, Duration::from_nanos(700));
    assert_eq!(calls.get(), 2 * (11 * 3 + 1));
    let untimed = run(&scenario, 1, 10);
    assert_eq!(timed.cut_short, []);
    assert_eq!(timed.frontier, untimed.frontier);
    assert_eq!(timed.solutions.nash, untimed.solutions.nash);
}

#[test]
fn every_step_is_announced_once_as_it_starts_even_when_timed_several_times() {
    use std::cell::RefCell;
    let started = RefCell::new(Vec::new());
    let on_step = |step: &'static str| started.borrow_mut().push(step);
    let clock = std::time::Duration::default;
    let options = AnalysisOptions {
        robustness_samples: 10,
        clock: Some(&clock),
        timing_runs: 2,
        on_step: Some(&on_step),
        ..AnalysisOptions::default()
    };
    let scenario = load(TALKS_2025_TOML);
    analyze(&scenario, &options, &build_thread_pool(1).unwrap(), &Control::none()).unwrap();
    assert_eq!(
        started.into_inner(),
        [
            "zone",
            "zone_size",
            "unrestricted_frontier",
            "frontier",
            "nash",
            "kalai",
            "egalitarian",
            "utilitarian",
            "blocking",
            "drafts",
            "robustness",
            "relaxations"
        ]
    );
}

/// `n_issues` issues of `n_options` options each, on which no party has a position.
fn unpositioned_issues(n_issues: usize, n_options: usize) -> String {
    (0..n_issues)
        .map(|issue_idx| {
            let options: Vec<String> =
                (0..n_options).map(|option_idx| format!("{{ id = \"o{option_idx}\" }}")).collect();
            format!(
                "\n[[issues]]\nid = \"extra-{issue_idx}\"\ntitle = \"Extra {issue_idx}\"\ncategory = \"other\"\noptions = [{}]\n",
                options.join(", ")
            )
        })
        .collect()
}

#[test]
fn sixty_issues_nobody_has_a_position_on_are_any_option_and_change_nothing_else() {
    // With one option each, the 60 issues carry the same unknown weights and values but
    // multiply nothing: the results with three options must be the same, outcome for outcome,
    // utilities bit for bit, with any option on the 60 issues.
    let single = run(&load(&(TALKS_2025_TOML.to_owned() + &unpositioned_issues(60, 1))), 1, 0);
    let triple = run(&load(&(TALKS_2025_TOML.to_owned() + &unpositioned_issues(60, 3))), 1, 0);
    let builtin = run(&load(TALKS_2025_TOML), 1, 0);
    let financing = 3;
    assert_eq!(builtin.indifferent_issues, vec![financing]);
    let extra: Vec<usize> = (6..66).collect();
    assert_eq!(triple.indifferent_issues, [vec![financing], extra].concat());
    assert_eq!(triple.space.option_counts(), single.space.option_counts());
    assert_eq!(triple.space, single.space);
    assert_eq!(triple.zone_exists, single.zone_exists);
    assert_eq!(triple.zone_size, single.zone_size);
    assert_eq!(triple.frontier, single.frontier);
    assert_eq!(triple.unrestricted_frontier, single.unrestricted_frontier);
    assert_eq!(triple.solutions, single.solutions);
    assert_eq!(triple.blocking, single.blocking);
    for (three, one) in triple.drafts.unwrap().iter().zip(&single.drafts.unwrap()) {
        assert_eq!(three.acceptance, one.acceptance);
        assert_eq!(three.parties, one.parties);
        assert_eq!(three.distance_to_frontier, one.distance_to_frontier);
        let expected = one.n_completions * 3f64.powi(60);
        assert!((three.n_completions - expected).abs() <= 1e-12 * expected);
    }
    let nash = triple.solutions.nash.unwrap();
    assert!(!nash.is_empty());
    for (outcome, _) in nash.iter() {
        assert!(outcome[6..].iter().all(|&option_idx| option_idx == 0));
    }
}

#[test]
fn robustness_holds_issues_nobody_has_a_position_on_indifferent_in_every_sample() {
    let scenario = load(&(TALKS_2025_TOML.to_owned() + &unpositioned_issues(3, 4)));
    let robustness = run(&scenario, 1, 50).robustness.unwrap();
    // Financing is indifferent only at the point estimates (Europe's workable and unknown
    // intervals differ), so the samples tell its options apart; the extra issues stay alike.
    assert_eq!(robustness.held_indifferent, vec![6, 7, 8]);
    assert_eq!(robustness.nash_option_shares[3].len(), 2);
    for issue_idx in 6..9 {
        let shares = &robustness.nash_option_shares[issue_idx];
        assert_eq!(shares.len(), 1);
        assert!((shares[0] - robustness.n_with_zone as f64 / 50.0).abs() < 1e-12);
    }
}

/// The built-in scenario with one more issue of `n_options` options, on which Russia prefers
/// the first and objects to the second: a space too large to enumerate on the spot.
fn builtin_with_a_wide_issue(n_options: usize) -> ValidScenario {
    let extra = unpositioned_issues(1, n_options)
        + "\n[[positions]]\nparty = \"russia\"\nissue = \"extra-0\"\nimportance = \"high\"\nstances = { o0 = \"preferred\", o1 = \"objection\" }\n";
    load(&(TALKS_2025_TOML.to_owned() + &extra))
}

#[test]
fn steps_past_their_budget_are_cut_short_and_the_others_stay_exact() {
    use parley_engine::control::{Exceeded, Limits};

    let scenario = builtin_with_a_wide_issue(30);
    let complete = run(&scenario, 1, 20);
    // 500 steps each: the frontier of all outcomes, the samples and the relaxations need
    // more; the other steps fewer.
    let options = AnalysisOptions {
        robustness_samples: 20,
        seed: 7,
        limits: Limits { max_steps: Some(500), ..AnalysisOptions::default().limits },
        ..AnalysisOptions::default()
    };
    let pool = build_thread_pool(1).unwrap();
    let cut = analyze(&scenario, &options, &pool, &Control::none()).unwrap();
    let steps: Vec<&str> = cut.cut_short.iter().map(|cut| cut.step).collect();
    assert_eq!(steps, ["unrestricted_frontier", "robustness", "relaxations"]);
    for cut_short in &cut.cut_short {
        assert_eq!(cut_short.exceeded, Exceeded::Steps { max_steps: 500 }, "{}", cut_short.step);
        assert!(cut_short.steps > 500);
    }
    // What was cut short is missing; the rest is what the whole analysis finds.
    assert!(cut.unrestricted_frontier.is_none());
    assert!(cut.robustness.is_none() && cut.relaxations.is_none());
    assert_eq!(cut.zone_exists, complete.zone_exists);
    assert_eq!(cut.zone_size, complete.zone_size);
    assert_eq!(cut.frontier, complete.frontier);
    assert_eq!(cut.solutions, complete.solutions);
    assert_eq!(cut.blocking, complete.blocking);
    // The drafts are evaluated, but their distance to the missing frontier is not known.
    let (drafts, complete_drafts) = (cut.drafts.unwrap(), complete.drafts.unwrap());
    for (draft, complete) in drafts.iter().zip(&complete_drafts) {
        assert_eq!(draft.acceptance, complete.acceptance);
        assert_eq!(draft.parties, complete.parties);
        assert_eq!(draft.distance_to_frontier, None);
        assert!(complete.distance_to_frontier.is_some());
    }
}

#[test]
fn a_deadline_cuts_short_every_step_after_it_and_a_cancel_flag_stops_the_analysis() {
    use std::sync::atomic::{AtomicBool, Ordering};

    use parley_engine::control::{Exceeded, Limits};

    let scenario = builtin_with_a_wide_issue(30);
    let late = AtomicBool::new(false);
    let out_of_time = || late.load(Ordering::Relaxed);
    let options = AnalysisOptions {
        robustness_samples: 10,
        limits: Limits { out_of_time: Some(&out_of_time), ..AnalysisOptions::default().limits },
        ..AnalysisOptions::default()
    };
    let pool = build_thread_pool(1).unwrap();
    late.store(true, Ordering::Relaxed);
    let cut = analyze(&scenario, &options, &pool, &Control::none()).unwrap();
    assert_eq!(cut.cut_short.len(), 12, "{:?}", cut.cut_short);
    assert!(cut.cut_short.iter().all(|cut| cut.exceeded == Exceeded::Time));
    assert_eq!((cut.zone_exists, cut.frontier, cut.drafts), (None, None, None));
    late.store(false, Ordering::Relaxed);
    let cancel = AtomicBool::new(true);
    let cancelled = analyze(&scenario, &options, &pool, &Control::none().with_cancel(&cancel));
    assert!(matches!(cancelled, Err(crate::Error::Engine(parley_engine::Error::Cancelled))));
}
