//! Times the hyper-rectangle frontier and the lowest utilities on the GENIUS non-linear files
//! of `../shared/scenarios/genius-more`, and compares the frontier with GENIUS's.
//!
//! `cargo run --release -p parley-engine --example rectangle_files -- [SECONDS] [SCENARIO...]`:
//! each search stops after `SECONDS` (default 60); scenarios default to the ANAC 2014 files
//! and the two with `EXCLUDES`, as paths below `genius-more`.

#![allow(clippy::print_stderr, reason = "an example reports what it measures")]

use std::path::Path;
use std::time::{Duration, Instant};

use parley_engine::control::{Budget, Control, Limits};
use parley_engine::rectangles::{lowest_utilities, pareto_frontier};

#[path = "../tests/it/rectangle_files.rs"]
mod rectangle_files;

const DEFAULT_SCENARIOS: [&str; 6] = [
    "y2014/10issues",
    "y2014/10issueswithRV",
    "y2014/30issues",
    "y2014/50issues",
    "other/S-1NAGUNL-114",
    "other/S-1NIKFRT-1",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().map_or(60, |text| text.parse().expect("SECONDS, a number"));
    let named: Vec<String> = args.collect();
    let scenarios: Vec<String> = if named.is_empty() {
        DEFAULT_SCENARIOS.iter().map(|name| (*name).to_owned()).collect()
    } else {
        named
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/scenarios/genius-more");
    for scenario in scenarios {
        let path = root.join(&scenario);
        if !path.is_dir() {
            eprintln!("{scenario}: {} is absent, skipped", path.display());
            continue;
        }
        let (space, genius) = rectangle_files::scenario_space(&path);
        let started = Instant::now();
        let out_of_time = || started.elapsed() > Duration::from_secs(seconds);
        let budget = Budget::new(Limits { out_of_time: Some(&out_of_time), ..Limits::unlimited() });
        let frontier =
            pareto_frontier(&space, &Control::none().with_budget(&budget)).expect("a frontier");
        let elapsed = started.elapsed().as_secs_f64();
        let ours: Vec<&[f64]> =
            frontier.points.iter().map(|point| point.utilities.as_slice()).collect();
        let beyond = rectangle_files::undominated(&genius, &ours);
        let lowest_started = Instant::now();
        let out_of_time = || lowest_started.elapsed() > Duration::from_secs(seconds);
        let budget = Budget::new(Limits { out_of_time: Some(&out_of_time), ..Limits::unlimited() });
        let lowest = lowest_utilities(&space, &Control::none().with_budget(&budget));
        let lowest_elapsed = lowest_started.elapsed().as_secs_f64();
        eprintln!(
            "{scenario}: {} issues, frontier {elapsed:.3} s, {} points, complete {}, {} steps, \
             {} of {} GENIUS points not weakly dominated; lowest utilities {:?} in \
             {lowest_elapsed:.3} s",
            space.n_issues(),
            frontier.points.len(),
            frontier.complete,
            frontier.steps,
            beyond.len(),
            genius.len(),
            lowest.map_err(|err| err.to_string()),
        );
        if !frontier.complete {
            eprintln!("  missing bounds: {:?}", frontier.missing_bounds);
        }
        for point in &frontier.points {
            eprintln!("  {:?}", point.utilities);
        }
    }
}
