//! The record's numbers as an engine space: one party per negotiating party, with the
//! point-estimate contributions, its reservation and the red lines that bind.

use parley_engine::space::{PartySpec, UtilitySpace};
use parley_model::utility::PartyUtilities;
use parley_model::validate::ValidScenario;

use crate::Result;

/// The point-estimate utility space of a scenario's negotiating parties.
pub fn compile_space(scenario: &ValidScenario, parties: &[PartyUtilities]) -> Result<UtilitySpace> {
    let contributions: Vec<Vec<Vec<f64>>> =
        parties.iter().map(PartyUtilities::point_contributions).collect();
    space_with(scenario, parties, contributions)
}

/// A space with the given contributions (`[party][issue][option]`) and the parties'
/// reservations and red lines.
pub(crate) fn space_with(
    scenario: &ValidScenario,
    parties: &[PartyUtilities],
    contributions: Vec<Vec<Vec<f64>>>,
) -> Result<UtilitySpace> {
    let option_counts =
        scenario.scenario().issues.iter().map(|issue| issue.options.len()).collect();
    let specs = parties
        .iter()
        .zip(contributions)
        .map(|(party, contributions)| PartySpec {
            contributions,
            reservation: party.reservation,
            constrains_zone: true,
            red_lines: party.red_lines.clone(),
        })
        .collect();
    Ok(UtilitySpace::new(option_counts, specs)?)
}
