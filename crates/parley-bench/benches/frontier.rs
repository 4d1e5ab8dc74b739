//! Exact Pareto frontiers by dynamic programming, on GENIUS-like random spaces. Each space's
//! frontier size is printed before it is measured.
#![allow(clippy::print_stderr, reason = "a bench states the size of what it measures")]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use parley_engine::control::{Control, build_thread_pool};
use parley_engine::frontier::pareto_frontier;
use parley_engine::space::{Scope, random_space};

/// `(n_parties, n_issues, n_options)` of each benchmarked space.
const SIZES: [(usize, usize, usize); 5] =
    [(2, 12, 5), (3, 12, 4), (3, 20, 4), (4, 12, 4), (5, 10, 4)];

fn frontier(c: &mut Criterion) {
    let pool = build_thread_pool(1).unwrap();
    let control = Control::none();
    let mut group = c.benchmark_group("frontier");
    group.sample_size(10);
    for (n_parties, n_issues, n_options) in SIZES {
        let space = random_space(1, n_parties, n_issues, n_options).unwrap();
        group.throughput(Throughput::Elements(space.n_outcomes() as u64));
        let size = format!("{n_parties}p_{n_issues}i_{n_options}o");
        let n_points = pareto_frontier(&space, Scope::Zone, &pool, &control).unwrap().len();
        eprintln!(
            "frontier/{size}: {:.3e} outcomes, {n_points} on the frontier",
            space.n_outcomes()
        );
        let id = BenchmarkId::from_parameter(size);
        group.bench_with_input(id, &space, |b, space| {
            b.iter(|| pareto_frontier(space, Scope::Zone, &pool, &control).unwrap());
        });
    }
    group.finish();
}

criterion_group!(benches, frontier);
criterion_main!(benches);
