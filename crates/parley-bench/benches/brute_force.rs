//! The exhaustive enumerator, in outcomes per second, on one and two threads.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use parley_engine::brute_force::brute_force;
use parley_engine::control::{Control, build_thread_pool};
use parley_engine::space::{Scope, random_space};

/// `(n_parties, n_issues, n_options)` of each benchmarked space.
const SIZES: [(usize, usize, usize); 3] = [(2, 10, 5), (3, 9, 5), (2, 12, 5)];

fn brute_force_bench(c: &mut Criterion) {
    let control = Control::none();
    let mut group = c.benchmark_group("brute_force");
    group.sample_size(10);
    for n_threads in [1, 2] {
        let pool = build_thread_pool(n_threads).unwrap();
        for (n_parties, n_issues, n_options) in SIZES {
            let space = random_space(1, n_parties, n_issues, n_options).unwrap();
            group.throughput(Throughput::Elements(space.n_outcomes() as u64));
            let id = BenchmarkId::new(
                format!("{n_threads}_threads"),
                format!("{n_parties}p_{n_issues}i_{n_options}o"),
            );
            group.bench_with_input(id, &space, |b, space| {
                b.iter(|| brute_force(space, Scope::Zone, &pool, &control).unwrap());
            });
        }
    }
    group.finish();
}

criterion_group!(benches, brute_force_bench);
criterion_main!(benches);
