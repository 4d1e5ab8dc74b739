//! What a simulation runs on: the point-estimate utility space of the negotiating parties,
//! the tracks a shuttle mediator meets, the recorded positions over time, and what the
//! strategies and the summary read again and again (frontiers, the Nash package, bid lists).

use parley_engine::control::{Control, build_thread_pool};
use parley_engine::frontier::pareto_frontier;
use parley_engine::outcome_set::OutcomeSet;
use parley_engine::space::{Scope, UtilitySpace, ZONE_TOLERANCE};
use parley_model::utility::party_utilities;
use parley_model::validate::ValidScenario;

use crate::Result;

/// A set of parties that meet the mediator together.
#[derive(Debug, Clone, PartialEq)]
pub struct SimTrack {
    /// The track's id (or a made-up name for tracks the simulation adds).
    pub name: String,
    /// The parties at the table, as indices into the space's parties.
    pub parties: Vec<usize>,
}

/// The parties' utilities as of one recorded date.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineStage {
    /// The date (`YYYY-MM-DD`), or "all positions" when the record has no dated position.
    pub label: String,
    /// The space compiled from the positions recorded up to that date.
    pub space: UtilitySpace,
    /// Per party, the outcome it would ask for at this stage: on each issue its best option
    /// under this stage's values among those it does not red-line.
    pub(crate) ideal: Vec<Vec<u16>>,
}

/// A scenario ready to simulate.
#[derive(Debug, Clone)]
pub struct SimScenario {
    pub(crate) space: UtilitySpace,
    pub(crate) party_names: Vec<String>,
    pub(crate) tracks: Vec<SimTrack>,
    pub(crate) timeline: Vec<TimelineStage>,
    /// The Pareto frontier of all outcomes, ignoring red lines and reservations.
    pub(crate) frontier: OutcomeSet,
    /// The Pareto frontier of the agreement zone (empty when the zone is).
    pub(crate) zone_frontier: OutcomeSet,
    /// The Nash outcomes of the zone (empty when the zone is).
    pub(crate) nash: OutcomeSet,
    /// The outcome a Nash-seeking mediator aims at: the first Nash outcome, or when the zone
    /// is empty the unrestricted frontier outcome with the largest Nash product over the
    /// lowest utilities.
    pub(crate) nash_target: Vec<u16>,
    /// Per party, the frontier outcomes it could offer (no red line of its own crossed, its
    /// reservation met), as frontier indices sorted by its utility, lowest first.
    pub(crate) bids: Vec<Vec<u32>>,
    /// Per party, the frontier index of its best outcome (the fallback bid).
    pub(crate) best_bid: Vec<u32>,
    /// Per party, whether it red-lines any option.
    pub(crate) has_red_lines: Vec<bool>,
}

impl SimScenario {
    /// A scenario's negotiating parties, tracks and recorded positions.
    ///
    /// The space is compiled from the positions as of the scenario's `as_of` date (all
    /// positions when it has none), like the analysis. Tracks keep only their negotiating
    /// parties (the mediator and supporters are not in the space); tracks left empty are
    /// dropped, and negotiating parties that no track seats get one more track, "others", so
    /// that a shuttle mediator meets every party whose consent a deal needs. The timeline has
    /// one stage per distinct position date.
    pub fn from_scenario(scenario: &ValidScenario) -> Result<SimScenario> {
        let record = scenario.scenario();
        let as_of = record.as_of.map(|date| date.date);
        let utilities = party_utilities(scenario, as_of);
        let space = parley_analysis::compile_space(scenario, &utilities)?;
        let party_names: Vec<String> =
            utilities.iter().map(|party| party.party.as_str().to_owned()).collect();
        let space_idx_of =
            |model_idx: usize| utilities.iter().position(|party| party.party_idx == model_idx);
        let mut tracks = Vec::new();
        let mut seated = vec![false; party_names.len()];
        for track in &record.tracks {
            let mut parties: Vec<usize> = track
                .parties
                .iter()
                .filter_map(|party| scenario.party_index(party).and_then(space_idx_of))
                .collect();
            parties.sort_unstable();
            parties.dedup();
            if parties.is_empty() {
                continue;
            }
            for &party_idx in &parties {
                seated[party_idx] = true;
            }
            tracks.push(SimTrack { name: track.id.as_str().to_owned(), parties });
        }
        let unseated: Vec<usize> = (0..party_names.len()).filter(|&idx| !seated[idx]).collect();
        if !unseated.is_empty() {
            tracks.push(SimTrack { name: "others".to_owned(), parties: unseated });
        }
        let mut dates: Vec<parley_model::Date> =
            record.positions.iter().filter_map(|position| position.date.map(|d| d.date)).collect();
        dates.sort_unstable();
        dates.dedup();
        let mut stages = Vec::new();
        for date in dates {
            let stage_utilities = party_utilities(scenario, Some(date));
            let stage_space = parley_analysis::compile_space(scenario, &stage_utilities)?;
            stages.push((date.to_string(), stage_space));
        }
        if stages.is_empty() {
            stages.push(("all positions".to_owned(), space.clone()));
        }
        SimScenario::build(space, party_names, tracks, stages)
    }

    /// A bare space, such as a GENIUS scenario's or a random one: parties named `party-0`,
    /// `party-1`, ..., one track seating everyone, and a timeline of one stage (the space).
    pub fn from_space(space: UtilitySpace) -> Result<SimScenario> {
        let n_parties = space.n_parties();
        let party_names = (0..n_parties).map(|party_idx| format!("party-{party_idx}")).collect();
        let tracks =
            vec![SimTrack { name: "plenary".to_owned(), parties: (0..n_parties).collect() }];
        let stages = vec![("all positions".to_owned(), space.clone())];
        SimScenario::build(space, party_names, tracks, stages)
    }

    fn build(
        space: UtilitySpace,
        party_names: Vec<String>,
        tracks: Vec<SimTrack>,
        stages: Vec<(String, UtilitySpace)>,
    ) -> Result<SimScenario> {
        // The spaces of real scenarios are small enough for one thread; a one-thread pool
        // keeps this constructor free of any thread-count dependence.
        let pool = build_thread_pool(1)?;
        let control = Control::none();
        let frontier = pareto_frontier(&space, Scope::Unrestricted, &pool, &control)?;
        let zone_frontier = pareto_frontier(&space, Scope::Zone, &pool, &control)?;
        let nash = parley_engine::solutions::nash(&space, &pool, &control)?;
        let n_parties = space.n_parties();
        let has_red_lines: Vec<bool> = (0..n_parties)
            .map(|party_idx| {
                (0..space.n_issues()).any(|issue_idx| {
                    (0..space.option_counts()[issue_idx])
                        .any(|option_idx| space.is_red_line(party_idx, issue_idx, option_idx))
                })
            })
            .collect();
        let nash_target = if nash.is_empty() {
            let lowest = space.lowest();
            let score = |utilities: &[f64]| -> f64 {
                utilities
                    .iter()
                    .zip(lowest)
                    .map(|(utility, low)| (utility - low).max(1e-12).ln())
                    .sum()
            };
            let mut best_idx = 0;
            for outcome_idx in 1..frontier.len() {
                if score(frontier.utilities(outcome_idx)) > score(frontier.utilities(best_idx)) {
                    best_idx = outcome_idx;
                }
            }
            frontier.outcome(best_idx).to_vec()
        } else {
            nash.outcome(0).to_vec()
        };
        let mut bids = Vec::with_capacity(n_parties);
        let mut best_bid = Vec::with_capacity(n_parties);
        for party_idx in 0..n_parties {
            let mut order: Vec<u32> = (0..frontier.len() as u32).collect();
            order.sort_by(|&left, &right| {
                let left_utility = frontier.utilities(left as usize)[party_idx];
                let right_utility = frontier.utilities(right as usize)[party_idx];
                left_utility.total_cmp(&right_utility).then(left.cmp(&right))
            });
            best_bid.push(*order.last().expect("a frontier is never empty"));
            let reservation = space.reservation(party_idx).unwrap_or(f64::NEG_INFINITY);
            order.retain(|&outcome_idx| {
                let outcome_idx = outcome_idx as usize;
                frontier.utilities(outcome_idx)[party_idx] >= reservation - ZONE_TOLERANCE
                    && !crosses_red_line(&space, party_idx, frontier.outcome(outcome_idx))
            });
            bids.push(order);
        }
        let timeline = stages
            .into_iter()
            .map(|(label, stage_space)| {
                let ideal =
                    (0..n_parties).map(|party_idx| ideal(&stage_space, party_idx)).collect();
                TimelineStage { label, space: stage_space, ideal }
            })
            .collect();
        Ok(SimScenario {
            space,
            party_names,
            tracks,
            timeline,
            frontier,
            zone_frontier,
            nash,
            nash_target,
            bids,
            best_bid,
            has_red_lines,
        })
    }

    /// The utility space.
    pub fn space(&self) -> &UtilitySpace {
        &self.space
    }

    /// The parties' names, in the order of the space's parties.
    pub fn party_names(&self) -> &[String] {
        &self.party_names
    }

    /// The tracks a shuttle mediator meets, in the scenario's order.
    pub fn tracks(&self) -> &[SimTrack] {
        &self.tracks
    }

    /// The recorded positions over time, earliest first.
    pub fn timeline(&self) -> &[TimelineStage] {
        &self.timeline
    }

    /// The Pareto frontier of all outcomes, which time-based strategies bid along.
    pub fn frontier(&self) -> &OutcomeSet {
        &self.frontier
    }

    /// The Nash outcomes of the agreement zone (empty when the zone is).
    pub fn nash(&self) -> &OutcomeSet {
        &self.nash
    }
}

/// Whether `outcome` takes an option that `party_idx` red-lines.
pub(crate) fn crosses_red_line(space: &UtilitySpace, party_idx: usize, outcome: &[u16]) -> bool {
    outcome.iter().enumerate().any(|(issue_idx, &option_idx)| {
        space.is_red_line(party_idx, issue_idx, usize::from(option_idx))
    })
}

/// On each issue the party's best option that it does not red-line (its best option when it
/// red-lines them all), ties to the lowest index.
fn ideal(space: &UtilitySpace, party_idx: usize) -> Vec<u16> {
    (0..space.n_issues())
        .map(|issue_idx| {
            let n_options = space.option_counts()[issue_idx];
            let allowed: Vec<usize> = (0..n_options)
                .filter(|&option_idx| !space.is_red_line(party_idx, issue_idx, option_idx))
                .collect();
            let candidates = if allowed.is_empty() { (0..n_options).collect() } else { allowed };
            let mut best = candidates[0];
            for &option_idx in &candidates[1..] {
                if space.value(party_idx, issue_idx, option_idx)
                    > space.value(party_idx, issue_idx, best)
                {
                    best = option_idx;
                }
            }
            best as u16
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    fn talks() -> ValidScenario {
        parley_model::scenario_file::read_scenario(parley_model::builtin::TALKS_2025_TOML)
            .scenario
            .expect("the built-in scenario is valid")
    }

    #[test]
    fn talks_tracks_map_to_negotiating_parties() {
        let scenario = SimScenario::from_scenario(&talks()).unwrap();
        let actual = format!(
            "parties {:?} tracks {:?} stages {:?} frontier {} nash {}",
            scenario.party_names(),
            scenario
                .tracks()
                .iter()
                .map(|track| format!("{}={:?}", track.name, track.parties))
                .collect::<Vec<_>>(),
            scenario.timeline().iter().map(|stage| stage.label.as_str()).collect::<Vec<_>>(),
            scenario.frontier().len(),
            scenario.nash().len(),
        );
        expect![[r#"parties ["russia", "ukraine", "europe"] tracks ["us-ukraine=[1]", "us-russia=[0]", "ukraine-europe=[1, 2]"] stages ["all positions"] frontier 42 nash 0"#]]
            .assert_eq(&actual);
    }

    #[test]
    fn bids_are_sorted_and_rational() {
        let space = parley_engine::space::random_space(3, 3, 4, 3).unwrap();
        let scenario = SimScenario::from_space(space).unwrap();
        for party_idx in 0..3 {
            let utilities: Vec<f64> = scenario.bids[party_idx]
                .iter()
                .map(|&idx| scenario.frontier.utilities(idx as usize)[party_idx])
                .collect();
            assert!(utilities.windows(2).all(|pair| pair[0] <= pair[1]));
            assert!(!utilities.is_empty());
        }
    }
}
