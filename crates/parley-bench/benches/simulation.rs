//! Simulation throughput: negotiations per second under alternating offers with time-based
//! agents (and the single-text protocols) on the built-in scenario and ANAC scenarios, and
//! offer evaluations per second on one core. The ANAC scenarios come from
//! `../shared/scenarios/genius` and are skipped, with a note, where that folder is absent.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use parley_sim::protocol::{Deadline, Protocol, SimOptions};
use parley_sim::scenario::SimScenario;
use parley_sim::simulate::simulate;
use parley_sim::strategy::Profile;

/// The ANAC scenarios benchmarked: two-party ones and a three-party one.
const ANAC: [&str; 3] = ["y2010/Travel", "y2011/Amsterdam", "y2015/group2-dinner"];

fn scenarios() -> Vec<(String, SimScenario)> {
    let builtin = SimScenario::from_scenario(&parley_bench::builtin_scenario()).unwrap();
    let mut scenarios = vec![("talks-2025".to_owned(), builtin)];
    for folder in ANAC {
        match parley_bench::genius_scenario(folder) {
            Some(scenario) => scenarios
                .push((folder.replace('/', "_"), SimScenario::from_scenario(&scenario).unwrap())),
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

/// Negotiations per second: one run per iteration, seeds varying, no transcript.
fn negotiations(c: &mut Criterion) {
    let mut group = c.benchmark_group("negotiations");
    group.throughput(Throughput::Elements(1));
    let profiles = [
        (Protocol::AlternatingOffers, "boulware"),
        (Protocol::AlternatingOffers, "linear"),
        (Protocol::AlternatingOffers, "conceder"),
        (Protocol::SingleTextVeto, "linear"),
        (Protocol::SingleTextHillClimbing, "linear"),
    ];
    for (name, scenario) in scenarios() {
        for (protocol, strategy) in profiles {
            let profile = Profile::parse(protocol, strategy, scenario.space().n_parties()).unwrap();
            let id = format!("{}/{strategy}", protocol.name());
            group.bench_with_input(BenchmarkId::new(id, &name), &scenario, |b, scenario| {
                let mut seed = 0;
                b.iter(|| {
                    seed += 1;
                    let options = SimOptions {
                        deadline: Deadline::Rounds(100),
                        seed,
                        record_transcript: false,
                    };
                    simulate(scenario, &profile, &options).unwrap()
                });
            });
        }
    }
    group.finish();
}

/// Offer evaluations per second on one core: alternating offers between random agents, which
/// never agree with probability 0, so every run evaluates one offer per turn to the deadline.
fn offer_evaluations(c: &mut Criterion) {
    let mut group = c.benchmark_group("offer_evaluations");
    for (name, scenario) in scenarios() {
        let profile =
            Profile::parse(Protocol::AlternatingOffers, "random:0", scenario.space().n_parties())
                .unwrap();
        let options =
            SimOptions { deadline: Deadline::Rounds(1000), seed: 1, record_transcript: false };
        let n_evaluations =
            simulate(&scenario, &profile, &options).unwrap().summary.n_offer_evaluations;
        group.throughput(Throughput::Elements(n_evaluations));
        group.bench_with_input(BenchmarkId::new("random", &name), &scenario, |b, scenario| {
            b.iter(|| simulate(scenario, &profile, &options).unwrap());
        });
    }
    group.finish();
}

criterion_group!(benches, negotiations, offer_evaluations);
criterion_main!(benches);
