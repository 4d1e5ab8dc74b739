//! The exact hyper-rectangle frontier on spaces shaped like the ANAC 2014 files (10 options
//! per issue; 20, 60 and 80 constraints per party for 10, 30 and 50 issues), each run under
//! a 60-second deadline so that a space too hard to finish stops with a partial frontier.

#![allow(clippy::print_stderr, reason = "a bench states the size of what it measures")]

use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use parley_engine::control::{Budget, Control, Limits};
use parley_engine::rectangles::{RectangleFrontier, pareto_frontier, random_rectangle_space};

/// `(n_issues, constraints_per_party)` of each benchmarked space.
const SIZES: [(usize, usize); 3] = [(10, 20), (30, 60), (50, 80)];

/// The time one frontier may take.
const DEADLINE: Duration = Duration::from_secs(60);

fn frontier_within_deadline(
    space: &parley_engine::rectangles::RectangleSpace,
) -> (RectangleFrontier, Duration) {
    let started = Instant::now();
    let out_of_time = || started.elapsed() > DEADLINE;
    let budget = Budget::new(Limits { out_of_time: Some(&out_of_time), ..Limits::unlimited() });
    let frontier = pareto_frontier(space, &Control::none().with_budget(&budget)).unwrap();
    (frontier, started.elapsed())
}

fn rectangles_bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("rectangles_frontier");
    group.sample_size(10);
    for (n_issues, constraints_per_party) in SIZES {
        let space = random_rectangle_space(n_issues, 10, constraints_per_party, 2, 1).unwrap();
        let (frontier, elapsed) = frontier_within_deadline(&space);
        eprintln!(
            "rectangles {n_issues} issues, {constraints_per_party} constraints per party: \
             {} frontier points, complete {}, {} steps, {:.3} s",
            frontier.points.len(),
            frontier.complete,
            frontier.steps,
            elapsed.as_secs_f64()
        );
        if elapsed > Duration::from_secs(5) {
            eprintln!("rectangles {n_issues} issues: too slow to sample, measured once");
            continue;
        }
        group.bench_with_input(BenchmarkId::from_parameter(n_issues), &space, |b, space| {
            b.iter(|| frontier_within_deadline(space));
        });
    }
    group.finish();
}

criterion_group!(benches, rectangles_bench);
criterion_main!(benches);
