//! Bargaining solutions: branch and bound for Nash, egalitarian and utilitarian, and the
//! frontier-based Kalai-Smorodinsky, on GENIUS-like random spaces, on one thread.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use parley_engine::control::{Control, build_thread_pool};
use parley_engine::solutions::{egalitarian, kalai_smorodinsky, nash, utilitarian};
use parley_engine::space::random_space;
use parley_engine::zone::zone_exists;

/// `(n_parties, n_issues, n_options)` of each benchmarked space.
const SIZES: [(usize, usize, usize); 4] = [(2, 12, 5), (3, 12, 4), (3, 20, 4), (4, 12, 4)];

fn solutions(c: &mut Criterion) {
    let pool = build_thread_pool(1).unwrap();
    let control = Control::none();
    let mut group = c.benchmark_group("solutions");
    group.sample_size(10);
    for (n_parties, n_issues, n_options) in SIZES {
        let space = random_space(1, n_parties, n_issues, n_options).unwrap();
        group.throughput(Throughput::Elements(space.n_outcomes() as u64));
        let size = format!("{n_parties}p_{n_issues}i_{n_options}o");
        group.bench_with_input(BenchmarkId::new("nash", &size), &space, |b, space| {
            b.iter(|| nash(space, &pool, &control).unwrap());
        });
        group.bench_with_input(BenchmarkId::new("egalitarian", &size), &space, |b, space| {
            b.iter(|| egalitarian(space, &control).unwrap());
        });
        group.bench_with_input(BenchmarkId::new("utilitarian", &size), &space, |b, space| {
            b.iter(|| utilitarian(space, &control).unwrap());
        });
        group.bench_with_input(BenchmarkId::new("kalai_smorodinsky", &size), &space, |b, space| {
            b.iter(|| kalai_smorodinsky(space, &pool, &control).unwrap());
        });
        group.bench_with_input(BenchmarkId::new("zone_exists", &size), &space, |b, space| {
            b.iter(|| zone_exists(space, &control).unwrap());
        });
    }
    group.finish();
}

criterion_group!(benches, solutions);
criterion_main!(benches);
