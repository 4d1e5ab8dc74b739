//! Many-party frontiers, where much of a space is on the frontier: the engine's exact frontier
//! of all outcomes against a plain brute-force dominance baseline on the same points
//! ([`parley_bench::brute_force_skyline`], the naive method at the machine's limit), on the
//! five- and nine-party ANAC 2015 scenarios of `../shared/scenarios/genius-more` (skipped,
//! with a note, where absent) and on seeded synthetic 4-, 6- and 9-party spaces. Each case's
//! outcomes and frontier size are printed before it is measured; the baseline runs only up
//! to [`BASELINE_MAX_POINTS`] points (it compares every pair).
#![allow(clippy::print_stderr, reason = "a bench states the size of what it measures")]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use parley_analysis::compile_space;
use parley_engine::control::{Control, build_thread_pool};
use parley_engine::frontier::pareto_frontier;
use parley_engine::space::{Scope, UtilitySpace, random_space};
use parley_model::utility::party_utilities;

/// The ANAC 2015 scenarios with five or nine parties.
const ANAC: [&str; 5] = [
    "y2015/group11-car_purchase",
    "y2015/group5-car_domain",
    "y2015/group4-zoning_plan",
    "y2015/group12-symposium",
    "y2015/group9-killer_robot",
];

/// `(n_parties, n_issues, n_options)` of the synthetic spaces: about 1e4, 1e5 and 1e6
/// outcomes for four and six parties, 1e4 and 1e5 for nine.
const SYNTHETIC: [(usize, usize, usize); 8] =
    [(4, 7, 4), (4, 6, 7), (4, 10, 4), (6, 7, 4), (6, 6, 7), (6, 10, 4), (9, 7, 4), (9, 6, 7)];

/// Above this many points the brute-force baseline (every pair) is not run.
const BASELINE_MAX_POINTS: u64 = 20_000;

fn cases() -> Vec<(String, UtilitySpace)> {
    let mut cases = Vec::new();
    for folder in ANAC {
        match parley_bench::genius_scenario(folder) {
            Some(scenario) => {
                let parties = party_utilities(&scenario, None);
                let space = compile_space(&scenario, &parties).unwrap();
                cases.push((folder.replace("y2015/", ""), space));
            }
            None => eprintln!("note: ../shared/scenarios/genius-more is absent, skipping {folder}"),
        }
    }
    for (n_parties, n_issues, n_options) in SYNTHETIC {
        let space = random_space(1, n_parties, n_issues, n_options).unwrap();
        cases.push((format!("{n_parties}p_{n_issues}i_{n_options}o"), space));
    }
    cases
}

fn many_parties(c: &mut Criterion) {
    let pool = build_thread_pool(1).unwrap();
    let control = Control::none();
    let mut group = c.benchmark_group("many_parties");
    group.sample_size(10);
    for (name, space) in cases() {
        let n_outcomes = space.n_outcomes() as u64;
        let frontier = pareto_frontier(&space, Scope::Unrestricted, &pool, &control).unwrap();
        eprintln!(
            "many_parties/{name}: {} parties, {n_outcomes} outcomes, {} on the frontier",
            space.n_parties(),
            frontier.len()
        );
        group.throughput(Throughput::Elements(n_outcomes));
        group.bench_with_input(BenchmarkId::new("engine", &name), &space, |b, space| {
            b.iter(|| pareto_frontier(space, Scope::Unrestricted, &pool, &control).unwrap());
        });
        if n_outcomes <= BASELINE_MAX_POINTS {
            let utilities = parley_bench::all_utilities(&space);
            let n_kept = parley_bench::brute_force_skyline(space.n_parties(), &utilities).len();
            // The baseline compares exactly, the engine at its resolution: on these spaces
            // they keep the same points, or the comparison would not be like with like.
            assert_eq!(n_kept, frontier.len(), "{name}: baseline and engine disagree");
            group.bench_with_input(
                BenchmarkId::new("brute_force_baseline", &name),
                &utilities,
                |b, utilities| {
                    b.iter(|| parley_bench::brute_force_skyline(space.n_parties(), utilities));
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, many_parties);
criterion_main!(benches);
