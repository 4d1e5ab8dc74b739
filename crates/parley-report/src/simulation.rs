//! The simulation and tournament reports as serializable data: the JSON of `parley simulate
//! --json` and of a tournament's `results.json` (docs/simulation.md, docs/json-output.md).
//! Field names are an interface: they change only with a new `format`.

use std::time::Duration;

use schemars::JsonSchema;
use serde::Serialize;

use parley_model::scenario::Scenario;
use parley_sim::protocol::Protocol;
use parley_sim::scenario::SimScenario;
use parley_sim::strategy::{Profile, Strategy};
use parley_sim::tournament::{StrategyAggregate, Tournament};
use parley_sim::transcript::{Speaker, Summary, Transcript};

use crate::schema::{Map, as_map, format_schema};

fn simulation_format_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    format_schema(SIMULATION_FORMAT)
}

fn tournament_format_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    format_schema(TOURNAMENT_FORMAT)
}

/// The version of the simulation report's schema, printed as `format`.
pub const SIMULATION_FORMAT: &str = "parley-simulation/2";

/// The version of the tournament report's schema, printed as `format`.
pub const TOURNAMENT_FORMAT: &str = "parley-tournament/2";

/// Values keyed by id (a party's or an issue's), written as a JSON object in the list's order.
#[derive(Serialize, Debug, Clone, PartialEq, JsonSchema)]
pub struct Keyed<V: Serialize + JsonSchema>(
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<V>")]
    pub Vec<(String, V)>,
);

/// The scenario a simulation ran on.
#[derive(Serialize, Debug, JsonSchema)]
pub struct SimulatedScenario {
    /// The file or folder it was read from.
    pub file: String,
    /// Its id.
    pub id: String,
}

/// One negotiation: `parley simulate --json`.
#[derive(Serialize, Debug, JsonSchema)]
pub struct SimulationReport {
    /// The schema version: `parley-simulation/2`.
    #[schemars(schema_with = "simulation_format_schema")]
    pub format: &'static str,
    /// The scenario.
    pub scenario: SimulatedScenario,
    /// The protocol.
    pub protocol: &'static str,
    /// The mediator's strategy, for a mediated protocol; null otherwise.
    pub mediator: Option<&'static str>,
    /// The ids of the negotiating parties, in the order of the scenario.
    pub parties: Vec<String>,
    /// The ids of the issues, in the order of the scenario.
    pub issues: Vec<String>,
    /// Each party's strategy, keyed by party.
    pub strategies: Keyed<String>,
    /// The seed of every random choice.
    pub seed: u64,
    /// The deadline, in rounds.
    pub deadline_rounds: usize,
    /// Every offer and answer, in order.
    pub transcript: Vec<EventReport>,
    /// How it ended.
    pub summary: SummaryReport,
    /// The seconds the run took.
    pub elapsed_seconds: f64,
}

/// One step of a transcript.
#[derive(Serialize, Debug, JsonSchema)]
pub struct EventReport {
    /// The round, from 0.
    pub round: usize,
    /// The simulated time in seconds (the fractional round for a deadline in rounds).
    pub time: f64,
    /// The party who acted (its id), or `mediator`.
    pub speaker: String,
    /// What it does: `offer`, `accept`, `reject`, `veto`, `propose` or `adopt`.
    pub action: &'static str,
    /// The outcome put forward or answered: each issue's option.
    pub outcome: Keyed<String>,
    /// Each party's utility of that outcome.
    pub utilities: Keyed<f64>,
}

/// How a negotiation ended.
#[derive(Serialize, Debug, JsonSchema)]
pub struct SummaryReport {
    /// The agreement (each issue's option), or null without one.
    pub agreement: Option<Keyed<String>>,
    /// The rounds used (the round of the last event, plus one).
    pub rounds: usize,
    /// The simulated time used, in seconds.
    pub time: f64,
    /// Each party's utility: of the agreement, or its disagreement point without one.
    pub utilities: Keyed<f64>,
    /// The Euclidean distance in utility space from `utilities` to the nearest Nash package;
    /// null when the agreement zone is empty.
    pub distance_to_nash: Option<f64>,
    /// The Euclidean distance from `utilities` to the nearest outcome of the Pareto frontier
    /// of all outcomes that weakly dominates it: 0 on the frontier; null when none does.
    pub distance_to_frontier: Option<f64>,
    /// How many times a party evaluated its utility of an offer or text.
    pub offer_evaluations: u64,
}

/// Each issue's option of an outcome given by option indices.
fn outcome(record: &Scenario, outcome: &[u16]) -> Keyed<String> {
    Keyed(
        record
            .issues
            .iter()
            .zip(outcome)
            .map(|(issue, &option)| {
                (issue.id.to_string(), issue.options[usize::from(option)].id.to_string())
            })
            .collect(),
    )
}

/// Values given in party order, keyed by party.
fn per_party<V: Serialize + JsonSchema + Clone>(parties: &[String], values: &[V]) -> Keyed<V> {
    Keyed(parties.iter().cloned().zip(values.iter().cloned()).collect())
}

fn summary(record: &Scenario, parties: &[String], summary: &Summary) -> SummaryReport {
    SummaryReport {
        agreement: summary.agreement.as_deref().map(|agreement| outcome(record, agreement)),
        rounds: summary.rounds,
        time: summary.time,
        utilities: per_party(parties, &summary.utilities),
        distance_to_nash: summary.distance_to_nash,
        distance_to_frontier: summary.distance_to_frontier,
        offer_evaluations: summary.n_offer_evaluations,
    }
}

/// What one simulation ran: the scenario and how it was played.
#[derive(Debug, Clone, Copy)]
pub struct SimulationSetup<'a> {
    /// The file or folder the scenario was read from.
    pub file: &'a str,
    /// The scenario's record (for its issue and option ids).
    pub record: &'a Scenario,
    /// The scenario as simulated (for its negotiating parties).
    pub scenario: &'a SimScenario,
    /// The protocol and strategies.
    pub profile: &'a Profile,
    /// The seed.
    pub seed: u64,
    /// The deadline, in rounds.
    pub deadline_rounds: usize,
}

/// The report of one simulation.
pub fn simulation_report(
    setup: SimulationSetup<'_>,
    transcript: &Transcript,
    run_summary: &Summary,
    elapsed: Duration,
) -> SimulationReport {
    let SimulationSetup { file, record, scenario, profile, seed, deadline_rounds } = setup;
    let parties = scenario.party_names();
    let protocol: Protocol = profile.protocol;
    SimulationReport {
        format: SIMULATION_FORMAT,
        scenario: SimulatedScenario { file: file.to_owned(), id: record.id.clone() },
        protocol: protocol.name(),
        mediator: protocol.has_mediator().then(|| profile.mediator.name()),
        parties: parties.to_vec(),
        issues: record.issues.iter().map(|issue| issue.id.to_string()).collect(),
        strategies: Keyed(
            parties
                .iter()
                .enumerate()
                .map(|(party_idx, party)| (party.clone(), profile.strategy_of(party_idx).name()))
                .collect(),
        ),
        seed,
        deadline_rounds,
        transcript: transcript
            .events
            .iter()
            .map(|event| EventReport {
                round: event.round,
                time: event.time,
                speaker: match event.speaker {
                    Speaker::Party(party_idx) => parties[party_idx].clone(),
                    Speaker::Mediator => "mediator".to_owned(),
                },
                action: event.action.name(),
                outcome: outcome(record, &event.outcome),
                utilities: per_party(parties, &event.utilities),
            })
            .collect(),
        summary: summary(record, parties, run_summary),
        elapsed_seconds: elapsed.as_secs_f64(),
    }
}

/// A tournament: `results.json`.
#[derive(Serialize, Debug, JsonSchema)]
pub struct TournamentReport {
    /// The schema version: `parley-tournament/2`.
    #[schemars(schema_with = "tournament_format_schema")]
    pub format: &'static str,
    /// The scenarios, in the order given; a run's `scenario` is an index into this list.
    pub scenarios: Vec<TournamentScenario>,
    /// The profiles (protocol, mediator and strategies); a run's `profile` is an index into
    /// this list.
    pub profiles: Vec<ProfileReport>,
    /// Seeds per scenario and profile (seeds 0 to `seeds` - 1).
    pub seeds: usize,
    /// The deadline, in rounds.
    pub deadline_rounds: usize,
    /// The threads the runs shared.
    pub threads: usize,
    /// How many runs there were.
    pub runs: usize,
    /// The wall-clock seconds of all runs.
    pub elapsed_seconds: f64,
    /// Runs per wall-clock second.
    pub negotiations_per_second: f64,
    /// Runs per second of the summed run times; null when no run was timed.
    pub negotiations_per_second_per_core: Option<f64>,
    /// How many offers were evaluated in all.
    pub offer_evaluations: u64,
    /// Offer evaluations per second of the summed run times; null when no run was timed.
    pub offer_evaluations_per_second_per_core: Option<f64>,
    /// Aggregates per strategy.
    pub by_strategy: Vec<AggregateReport>,
    /// Aggregates per profile.
    pub by_profile: Vec<AggregateReport>,
    /// Every run.
    pub rows: Vec<RunReport>,
}

/// A scenario of a tournament.
#[derive(Serialize, Debug, JsonSchema)]
pub struct TournamentScenario {
    /// The file or folder it was read from.
    pub file: String,
    /// Its id.
    pub id: String,
    /// The ids of its negotiating parties: the keys of its runs' `utilities`.
    pub parties: Vec<String>,
    /// The ids of its issues: the keys of its runs' `agreement`.
    pub issues: Vec<String>,
}

/// A profile: how each party plays.
#[derive(Serialize, Debug, JsonSchema)]
pub struct ProfileReport {
    /// Its label, e.g. `alternating-offers boulware,linear`.
    pub label: String,
    /// The protocol.
    pub protocol: &'static str,
    /// The mediator's strategy (ignored by alternating offers).
    pub mediator: &'static str,
    /// The strategies by seat: the first party plays the first, and the last applies to the
    /// remaining parties.
    pub strategies: Vec<String>,
}

/// Aggregates over the runs of one strategy or profile.
#[derive(Serialize, Debug, JsonSchema)]
pub struct AggregateReport {
    /// The strategy or profile.
    pub name: String,
    /// How many runs.
    pub runs: usize,
    /// The share of runs that agreed.
    pub agreement_rate: f64,
    /// The mean utility of the parties that played it (disagreement points without a deal).
    pub mean_utility: f64,
    /// The mean distance to the nearest Nash package over the runs that have one; null
    /// when none does.
    pub mean_distance_to_nash: Option<f64>,
    /// Runs per second of their summed run times; null when not timed.
    pub negotiations_per_second: Option<f64>,
}

/// One run of a tournament.
#[derive(Serialize, Debug, JsonSchema)]
pub struct RunReport {
    /// The index of its scenario in `scenarios`.
    pub scenario: usize,
    /// The index of its profile in `profiles`.
    pub profile: usize,
    /// Its seed.
    pub seed: u64,
    /// The agreement (each issue's option), or null without one.
    pub agreement: Option<Keyed<String>>,
    /// How many rounds it took.
    pub rounds: usize,
    /// Each negotiating party's utility, keyed by party: of the agreement, or its
    /// disagreement point without one.
    pub utilities: Keyed<f64>,
    /// As in a simulation's `summary`.
    pub distance_to_nash: Option<f64>,
    /// As in a simulation's `summary`.
    pub distance_to_frontier: Option<f64>,
    /// How many offers it evaluated.
    pub offer_evaluations: u64,
    /// The seconds it took; null when not timed.
    pub elapsed_seconds: Option<f64>,
}

fn aggregate(aggregate: &StrategyAggregate) -> AggregateReport {
    AggregateReport {
        name: aggregate.strategy.clone(),
        runs: aggregate.n_runs,
        agreement_rate: aggregate.agreement_rate,
        mean_utility: aggregate.mean_utility,
        mean_distance_to_nash: aggregate.mean_distance_to_nash,
        negotiations_per_second: aggregate.negotiations_per_second,
    }
}

/// What a tournament ran, besides its results.
#[derive(Debug, Clone, Copy)]
pub struct TournamentSetup<'a> {
    /// Each scenario: the file or folder it was read from, its record and its simulated form.
    pub scenarios: &'a [(&'a str, &'a Scenario, &'a SimScenario)],
    /// The profiles.
    pub profiles: &'a [Profile],
    /// Seeds per scenario and profile.
    pub seeds: usize,
    /// The deadline, in rounds.
    pub deadline_rounds: usize,
    /// The threads the runs shared.
    pub threads: usize,
}

/// The report of a tournament that took `wall` on the clock.
pub fn tournament_report(
    setup: TournamentSetup<'_>,
    results: &Tournament,
    wall: Duration,
) -> TournamentReport {
    let busy: f64 = results
        .rows
        .iter()
        .filter_map(|row| row.elapsed)
        .map(|elapsed| elapsed.as_secs_f64())
        .sum();
    let n_runs = results.rows.len();
    let per_busy_second = |count: f64| (busy > 0.0).then(|| count / busy);
    TournamentReport {
        format: TOURNAMENT_FORMAT,
        scenarios: setup
            .scenarios
            .iter()
            .map(|(file, record, scenario)| TournamentScenario {
                file: (*file).to_owned(),
                id: record.id.clone(),
                parties: scenario.party_names().to_vec(),
                issues: record.issues.iter().map(|issue| issue.id.to_string()).collect(),
            })
            .collect(),
        profiles: setup
            .profiles
            .iter()
            .map(|profile| ProfileReport {
                label: profile.label(),
                protocol: profile.protocol.name(),
                mediator: profile.mediator.name(),
                strategies: profile.parties.iter().map(Strategy::name).collect(),
            })
            .collect(),
        seeds: setup.seeds,
        deadline_rounds: setup.deadline_rounds,
        threads: setup.threads,
        runs: n_runs,
        elapsed_seconds: wall.as_secs_f64(),
        negotiations_per_second: n_runs as f64 / wall.as_secs_f64().max(1e-9),
        negotiations_per_second_per_core: per_busy_second(n_runs as f64),
        offer_evaluations: results.n_offer_evaluations,
        offer_evaluations_per_second_per_core: per_busy_second(results.n_offer_evaluations as f64),
        by_strategy: results.by_strategy.iter().map(aggregate).collect(),
        by_profile: results.by_profile.iter().map(aggregate).collect(),
        rows: results
            .rows
            .iter()
            .map(|row| {
                let (_, record, scenario) = setup.scenarios[row.scenario_idx];
                RunReport {
                    scenario: row.scenario_idx,
                    profile: row.profile_idx,
                    seed: row.seed,
                    agreement: row
                        .summary
                        .agreement
                        .as_deref()
                        .map(|agreement| outcome(record, agreement)),
                    rounds: row.summary.rounds,
                    utilities: per_party(scenario.party_names(), &row.summary.utilities),
                    distance_to_nash: row.summary.distance_to_nash,
                    distance_to_frontier: row.summary.distance_to_frontier,
                    offer_evaluations: row.summary.n_offer_evaluations,
                    elapsed_seconds: row.elapsed.map(|elapsed| elapsed.as_secs_f64()),
                }
            })
            .collect(),
    }
}
