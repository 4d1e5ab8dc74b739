//! Each analysis step on real scenarios: the built-in one and ANAC scenarios (two and three
//! parties), on one thread. The ANAC scenarios come from `../shared/scenarios/genius` and are
//! skipped, with a note, where that folder is absent.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use parley_analysis::{AnalysisOptions, analyze, compile_space};
use parley_engine::control::{Control, build_thread_pool};
use parley_engine::frontier::pareto_frontier;
use parley_engine::solutions::{egalitarian, kalai_smorodinsky, nash, utilitarian};
use parley_engine::space::Scope;
use parley_model::utility::party_utilities;
use parley_model::validate::ValidScenario;

/// The ANAC scenarios benchmarked: a two-party and a three-party one.
const ANAC: [&str; 2] = ["y2010/Travel", "y2015/group2-dinner"];

fn scenarios() -> Vec<(String, ValidScenario)> {
    let mut scenarios = vec![("talks-2025".to_owned(), parley_bench::builtin_scenario())];
    for folder in ANAC {
        match parley_bench::genius_scenario(folder) {
            Some(scenario) => scenarios.push((folder.replace('/', "_"), scenario)),
            None => {
                #[allow(clippy::print_stderr, reason = "a skipped benchmark says why")]
                {
                    eprintln!("note: ../shared/scenarios/genius is absent, skipping {folder}");
                }
            }
        }
    }
    scenarios
}

fn steps(c: &mut Criterion) {
    let pool = build_thread_pool(1).unwrap();
    let control = Control::none();
    let mut group = c.benchmark_group("scenario_steps");
    group.sample_size(20);
    for (name, scenario) in scenarios() {
        let parties = party_utilities(&scenario, None);
        let space = compile_space(&scenario, &parties).unwrap();
        group.throughput(Throughput::Elements(space.n_outcomes() as u64));
        group.bench_with_input(BenchmarkId::new("frontier", &name), &space, |b, space| {
            b.iter(|| pareto_frontier(space, Scope::Zone, &pool, &control).unwrap());
        });
        group.bench_with_input(
            BenchmarkId::new("unrestricted_frontier", &name),
            &space,
            |b, space| {
                b.iter(|| pareto_frontier(space, Scope::Unrestricted, &pool, &control).unwrap());
            },
        );
        group.bench_with_input(BenchmarkId::new("nash", &name), &space, |b, space| {
            b.iter(|| nash(space, &pool, &control).unwrap());
        });
        group.bench_with_input(BenchmarkId::new("kalai", &name), &space, |b, space| {
            b.iter(|| kalai_smorodinsky(space, &pool, &control).unwrap());
        });
        group.bench_with_input(BenchmarkId::new("egalitarian", &name), &space, |b, space| {
            b.iter(|| egalitarian(space, &control).unwrap());
        });
        group.bench_with_input(BenchmarkId::new("utilitarian", &name), &space, |b, space| {
            b.iter(|| utilitarian(space, &control).unwrap());
        });
        let options = AnalysisOptions { robustness_samples: 0, ..AnalysisOptions::default() };
        group.bench_with_input(
            BenchmarkId::new("whole_analysis", &name),
            &scenario,
            |b, scenario| {
                b.iter(|| analyze(scenario, &options, &pool, &control).unwrap());
            },
        );
    }
    group.finish();
    let mut group = c.benchmark_group("robustness");
    group.sample_size(10);
    let scenario = parley_bench::builtin_scenario();
    let options = AnalysisOptions { robustness_samples: 1000, ..AnalysisOptions::default() };
    group.throughput(Throughput::Elements(1000));
    group.bench_function("talks-2025_1000_samples", |b| {
        b.iter(|| analyze(&scenario, &options, &pool, &control).unwrap())
    });
    group.finish();
}

/// The built-in scenario with 60 issues of 3 options nobody has a position on (3^60 times its
/// outcomes): the whole analysis, as exact and as fast as without them.
fn indifferent_issues(c: &mut Criterion) {
    let pool = build_thread_pool(1).unwrap();
    let control = Control::none();
    let mut group = c.benchmark_group("indifferent_issues");
    group.sample_size(20);
    let scenario = parley_bench::builtin_with_unpositioned_issues(60, 3);
    for samples in [0, 1000] {
        let options = AnalysisOptions { robustness_samples: samples, ..AnalysisOptions::default() };
        let analysis = analyze(&scenario, &options, &pool, &control).unwrap();
        assert!(analysis.cut_short.is_empty(), "the analysis is complete");
        assert_eq!(analysis.indifferent_issues.len(), 61);
        group.bench_function(format!("talks-2025_plus_60_issues_{samples}_samples"), |b| {
            b.iter(|| analyze(&scenario, &options, &pool, &control).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, steps, indifferent_issues);
criterion_main!(benches);
