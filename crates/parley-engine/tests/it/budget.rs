//! Work budgets: every long loop of the engine stops once its steps, its memory or its time
//! run out, with an error that names the limit; a generous budget changes no result.

use parley_engine::Error;
use parley_engine::blocking::blocking;
use parley_engine::brute_force::brute_force;
use parley_engine::control::{Budget, Control, Exceeded, Limits, build_thread_pool};
use parley_engine::frontier::pareto_frontier;
use parley_engine::solutions::{egalitarian, kalai_smorodinsky, nash, utilitarian};
use parley_engine::space::{Scope, UtilitySpace, random_space};
use parley_engine::zone::{zone_exists, zone_size};

/// Runs `run` under a budget of `limits` and returns which limit stopped it, if any.
fn stopped_by<T>(
    limits: Limits<'_>,
    run: impl FnOnce(&Control<'_>) -> parley_engine::Result<T>,
) -> Option<Exceeded> {
    let budget = Budget::new(limits);
    let control = Control::none().with_budget(&budget);
    match run(&control) {
        Ok(_) => None,
        Err(Error::OverBudget { exceeded, steps }) => {
            assert!(steps <= budget.steps_spent());
            Some(exceeded)
        }
        Err(err) => panic!("unexpected error: {err}"),
    }
}

fn steps(max_steps: u64) -> Limits<'static> {
    Limits { max_steps: Some(max_steps), ..Limits::unlimited() }
}

fn bytes(max_bytes: u64) -> Limits<'static> {
    Limits { max_bytes: Some(max_bytes), ..Limits::unlimited() }
}

/// Three parties, 8 issues of 4 options: 65,536 outcomes, beyond the layers' small spaces.
fn merged() -> UtilitySpace {
    random_space(21, 3, 8, 4).unwrap()
}

/// Two parties, 3 issues of 40 options: layers too wide to merge are sorted.
fn sorted() -> UtilitySpace {
    random_space(22, 2, 3, 40).unwrap()
}

/// Runs `run` without a limit, counting its steps `n`, then under limits of `n - 1` steps
/// (which must stop it, naming the limit) and `n` steps (which must not).
fn stops_at_its_step_limit<T: PartialEq + std::fmt::Debug>(
    what: &str,
    run: impl Fn(&Control<'_>) -> parley_engine::Result<T>,
) {
    let budget = Budget::new(Limits::unlimited());
    let free = run(&Control::none().with_budget(&budget)).unwrap();
    let n_steps = budget.steps_spent();
    assert!(n_steps > 0, "{what} takes no step");
    let limit = Some(Exceeded::Steps { max_steps: n_steps - 1 });
    assert_eq!(stopped_by(steps(n_steps - 1), &run), limit, "{what}");
    let budget = Budget::new(steps(n_steps));
    assert_eq!(run(&Control::none().with_budget(&budget)).unwrap(), free, "{what}");
}

#[test]
fn every_step_of_the_engine_stops_at_its_step_limit() {
    let pool = build_thread_pool(2).unwrap();
    for space in [merged(), sorted()] {
        for scope in [Scope::Zone, Scope::Unrestricted] {
            stops_at_its_step_limit("frontier", |c| pareto_frontier(&space, scope, &pool, c));
            stops_at_its_step_limit("brute force", |c| brute_force(&space, scope, &pool, c));
        }
        stops_at_its_step_limit("nash", |c| nash(&space, &pool, c));
        stops_at_its_step_limit("kalai", |c| kalai_smorodinsky(&space, &pool, c));
        stops_at_its_step_limit("egalitarian", |c| egalitarian(&space, c));
        stops_at_its_step_limit("utilitarian", |c| utilitarian(&space, c));
        // Reservations at half the best bind, so the zone is counted, not a product.
        let half = with_reservations(&space, 0.5);
        stops_at_its_step_limit("zone size", |c| zone_size(&half, 1e9, &pool, c));
        stops_at_its_step_limit("blocking", |c| blocking(&space, 2, c));
        // A space whose reservations no outcome meets is searched to the end.
        let closed = with_reservations(&space, 0.99);
        stops_at_its_step_limit("zone", |c| zone_exists(&closed, c));
        stops_at_its_step_limit("closed blocking", |c| blocking(&closed, 2, c));
    }
}

/// The space with every party's reservation at `share` of its best utility.
fn with_reservations(space: &UtilitySpace, share: f64) -> UtilitySpace {
    let parties = (0..space.n_parties())
        .map(|party_idx| parley_engine::space::PartySpec {
            contributions: (0..space.n_issues())
                .map(|issue_idx| {
                    (0..space.option_counts()[issue_idx])
                        .map(|option_idx| space.value(party_idx, issue_idx, option_idx))
                        .collect()
                })
                .collect(),
            reservation: Some(share * space.best()[party_idx]),
            constrains_zone: true,
            red_lines: space.option_counts().iter().map(|&n| vec![false; n]).collect(),
        })
        .collect();
    UtilitySpace::new(space.option_counts().to_vec(), parties).unwrap()
}

#[test]
fn sets_beyond_the_memory_limit_are_refused_before_they_grow() {
    let pool = build_thread_pool(1).unwrap();
    for space in [merged(), sorted()] {
        let found = stopped_by(bytes(4096), |c| pareto_frontier(&space, Scope::Zone, &pool, c));
        assert!(
            matches!(found, Some(Exceeded::Memory { max_bytes: 4096, needed_bytes }) if needed_bytes > 4096),
            "{found:?}"
        );
        let found = stopped_by(bytes(64), |c| brute_force(&space, Scope::Zone, &pool, c));
        assert!(matches!(found, Some(Exceeded::Memory { .. })), "{found:?}");
    }
}

#[test]
fn a_deadline_stops_every_step() {
    let pool = build_thread_pool(2).unwrap();
    let out_of_time = || true;
    let late = || Limits { out_of_time: Some(&out_of_time), ..Limits::unlimited() };
    let limit = Some(Exceeded::Time);
    for space in [merged(), sorted()] {
        let closed = with_reservations(&space, 0.99);
        assert_eq!(stopped_by(late(), |c| pareto_frontier(&space, Scope::Zone, &pool, c)), limit);
        assert_eq!(stopped_by(late(), |c| brute_force(&space, Scope::Zone, &pool, c)), limit);
        assert_eq!(stopped_by(late(), |c| nash(&space, &pool, c)), limit);
        assert_eq!(stopped_by(late(), |c| egalitarian(&space, c)), limit);
        assert_eq!(stopped_by(late(), |c| utilitarian(&space, c)), limit);
        let half = with_reservations(&space, 0.5);
        assert_eq!(stopped_by(late(), |c| zone_size(&half, 1e9, &pool, c)), limit);
        assert_eq!(stopped_by(late(), |c| zone_exists(&closed, c)), limit);
        assert_eq!(stopped_by(late(), |c| blocking(&closed, 2, c)), limit);
    }
}

#[test]
fn a_generous_budget_changes_no_result_and_counts_its_steps() {
    let pool = build_thread_pool(2).unwrap();
    let space = merged();
    let budget = Budget::new(Limits {
        max_steps: Some(u64::MAX / 2),
        max_bytes: Some(1 << 30),
        out_of_time: Some(&|| false),
    });
    let bounded = Control::none().with_budget(&budget);
    let free = Control::none();
    assert_eq!(
        pareto_frontier(&space, Scope::Zone, &pool, &bounded),
        pareto_frontier(&space, Scope::Zone, &pool, &free)
    );
    let after_frontier = budget.steps_spent();
    assert!(after_frontier > 0);
    assert_eq!(nash(&space, &pool, &bounded), nash(&space, &pool, &free));
    assert_eq!(zone_size(&space, 1e9, &pool, &bounded), zone_size(&space, 1e9, &pool, &free));
    // The zone of this space has every outcome: counting it is a product, no step.
    assert!(budget.steps_spent() > after_frontier);
    let reference = brute_force(&space, Scope::Zone, &pool, &free).unwrap();
    let before = budget.steps_spent();
    assert_eq!(brute_force(&space, Scope::Zone, &pool, &bounded).unwrap(), reference);
    assert_eq!(budget.steps_spent() - before, space.n_outcomes() as u64);
}
