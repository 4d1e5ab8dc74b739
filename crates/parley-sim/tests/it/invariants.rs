//! The protocol invariants, on the built-in case and as properties over random spaces: an
//! agreement carries every party's acceptance of it; a rational strategy never accepts an
//! offer or a final text below its reservation or across its red lines; every run ends by
//! its deadline.

use parley_engine::space::{PartySpec, UtilitySpace, random_space};
use parley_sim::protocol::Protocol;
use parley_sim::scenario::SimScenario;
use parley_sim::simulate::Run;
use parley_sim::transcript::{Action, Speaker};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::helpers::{run, talks};

const STRATEGIES: [&str; 7] = [
    "boulware",
    "linear",
    "conceder:2.5",
    "tit-for-tat",
    "random:0.7",
    "recorded",
    "linear,random",
];

/// Checks every invariant of one run.
fn check_invariants(scenario: &SimScenario, protocol: Protocol, n_rounds: usize, run: &Run) {
    let space = scenario.space();
    let events = &run.transcript.as_ref().unwrap().events;
    assert!(run.summary.rounds <= n_rounds, "{protocol:?} ran past its deadline");
    assert!(events.iter().all(|event| event.round < n_rounds));
    let rational = |party_idx: usize, outcome: &[u16]| {
        let utility = space.utilities(outcome)[party_idx];
        let meets = space.reservation(party_idx).is_none_or(|reservation| {
            utility >= reservation - parley_engine::space::ZONE_TOLERANCE
        });
        let crosses = outcome.iter().enumerate().any(|(issue_idx, &option_idx)| {
            space.is_red_line(party_idx, issue_idx, usize::from(option_idx))
        });
        meets && !crosses
    };
    // Acceptances that bind: of offers (alternating offers), of the final text (the
    // ratification after the last proposal) and of the text at a shuttle meeting.
    let binding = |event_idx: usize| match protocol {
        Protocol::AlternatingOffers | Protocol::Shuttle => true,
        Protocol::SingleTextHillClimbing | Protocol::SingleTextVeto => {
            event_idx >= events.len() - space.n_parties()
        }
    };
    for (event_idx, event) in events.iter().enumerate() {
        if let (Speaker::Party(party_idx), Action::Accept) = (event.speaker, event.action)
            && binding(event_idx)
        {
            assert!(rational(party_idx, &event.outcome), "{protocol:?}: {event:?}");
        }
    }
    if let Some(agreement) = &run.summary.agreement {
        for party_idx in 0..space.n_parties() {
            assert!(rational(party_idx, agreement));
            // Since the agreement was last put forward, every party accepted it.
            let last_put = events
                .iter()
                .rposition(|event| {
                    &event.outcome == agreement
                        && matches!(event.action, Action::Offer | Action::Propose | Action::Adopt)
                })
                .unwrap_or(0);
            let accepted_since = match protocol {
                // In a shuttle, acceptances since the text's last revision count.
                Protocol::Shuttle => {
                    let revised = events
                        .iter()
                        .rposition(|event| {
                            event.action == Action::Adopt && &event.outcome == agreement
                        })
                        .unwrap_or(0);
                    events[revised..].iter().any(|event| {
                        event.speaker == Speaker::Party(party_idx) && event.action == Action::Accept
                    })
                }
                _ => events[last_put..].iter().any(|event| {
                    event.speaker == Speaker::Party(party_idx)
                        && event.action == Action::Accept
                        && &event.outcome == agreement
                }),
            };
            assert!(accepted_since, "{protocol:?}: party {party_idx} never accepted {agreement:?}");
        }
    }
}

#[test]
fn invariants_on_the_builtin_case() {
    let scenario = talks();
    for protocol in Protocol::ALL {
        for strategies in STRATEGIES {
            for seed in 0..5 {
                let res = run(&scenario, protocol.name(), strategies, 30, seed);
                check_invariants(&scenario, protocol, 30, &res);
            }
        }
    }
}

/// A random space whose parties have reservations and some red lines.
fn constrained_space(
    seed: u64,
    n_parties: usize,
    n_issues: usize,
    n_options: usize,
    reservation: f64,
) -> UtilitySpace {
    let base = random_space(seed, n_parties, n_issues, n_options).unwrap();
    let parties = (0..n_parties)
        .map(|party_idx| PartySpec {
            contributions: (0..n_issues)
                .map(|issue_idx| {
                    (0..n_options)
                        .map(|option_idx| base.value(party_idx, issue_idx, option_idx))
                        .collect()
                })
                .collect(),
            reservation: Some(reservation),
            constrains_zone: true,
            red_lines: (0..n_issues)
                .map(|issue_idx| {
                    (0..n_options)
                        .map(|option_idx| {
                            (seed as usize + party_idx + issue_idx * 3 + option_idx)
                                .is_multiple_of(11)
                        })
                        .collect()
                })
                .collect(),
        })
        .collect();
    UtilitySpace::new(vec![n_options; n_issues], parties).unwrap()
}

#[test]
fn invariants_hold_over_random_spaces() {
    let config = Config { cases: 48, failure_persistence: None, ..Config::default() };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]));
    let strategy = (
        0u64..1000,
        2usize..5,
        1usize..5,
        2usize..5,
        0.0f64..0.7,
        0usize..4,
        0usize..7,
        1usize..40,
    );
    runner
        .run(
            &strategy,
            |(
                seed,
                n_parties,
                n_issues,
                n_options,
                reservation,
                protocol_idx,
                strategy_idx,
                n_rounds,
            )| {
                let space = constrained_space(seed, n_parties, n_issues, n_options, reservation);
                let scenario = SimScenario::from_space(space).unwrap();
                let protocol = Protocol::ALL[protocol_idx];
                let res = run(&scenario, protocol.name(), STRATEGIES[strategy_idx], n_rounds, seed);
                check_invariants(&scenario, protocol, n_rounds, &res);
                let again =
                    run(&scenario, protocol.name(), STRATEGIES[strategy_idx], n_rounds, seed);
                prop_assert_eq!(res, again);
                Ok(())
            },
        )
        .unwrap();
}
