//! What the tests share: the built-in scenario, running a profile, rendering a transcript.

use parley_sim::protocol::{Deadline, Protocol, SimOptions};
use parley_sim::scenario::SimScenario;
use parley_sim::simulate::{Run, simulate};
use parley_sim::strategy::Profile;
use parley_sim::transcript::Speaker;

pub(crate) fn talks() -> SimScenario {
    let scenario =
        parley_model::scenario_file::read_scenario(parley_model::builtin::TALKS_2025_TOML)
            .scenario
            .expect("the built-in scenario is valid");
    SimScenario::from_scenario(&scenario).expect("the built-in scenario simulates")
}

pub(crate) fn run(
    scenario: &SimScenario,
    protocol: &str,
    strategies: &str,
    n_rounds: usize,
    seed: u64,
) -> Run {
    let protocol = Protocol::parse(protocol).unwrap();
    let profile = Profile::parse(protocol, strategies, scenario.space().n_parties()).unwrap();
    let options =
        SimOptions { deadline: Deadline::Rounds(n_rounds), seed, record_transcript: true };
    simulate(scenario, &profile, &options).unwrap()
}

/// One line per event, then the summary.
pub(crate) fn render(scenario: &SimScenario, run: &Run) -> String {
    let mut out = String::new();
    for event in &run.transcript.as_ref().unwrap().events {
        let speaker = match event.speaker {
            Speaker::Party(party_idx) => scenario.party_names()[party_idx].as_str(),
            Speaker::Mediator => "mediator",
        };
        let utilities: Vec<String> =
            event.utilities.iter().map(|utility| format!("{utility:.3}")).collect();
        out.push_str(&format!(
            "{} {speaker} {} {:?} [{}]\n",
            event.round,
            event.action.name(),
            event.outcome,
            utilities.join(" ")
        ));
    }
    let summary = &run.summary;
    let utilities: Vec<String> =
        summary.utilities.iter().map(|utility| format!("{utility:.3}")).collect();
    out.push_str(&format!(
        "agreement {:?} rounds {} utilities [{}] nash {:?} frontier {:?}\n",
        summary.agreement,
        summary.rounds,
        utilities.join(" "),
        summary.distance_to_nash.map(|distance| format!("{distance:.3}")),
        summary.distance_to_frontier.map(|distance| format!("{distance:.3}")),
    ));
    out
}
