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

/// The space with the given issues narrowed to their first option (the indifferent issues of
/// the point estimates, for a sample in which they are indifferent too).
pub(crate) fn narrow(space: UtilitySpace, indifferent: &[usize]) -> Result<UtilitySpace> {
    if indifferent.is_empty() {
        return Ok(space);
    }
    let allowed: Vec<Vec<usize>> = (0..space.n_issues())
        .map(|issue_idx| {
            if indifferent.binary_search(&issue_idx).is_ok() {
                vec![0]
            } else {
                (0..space.option_counts()[issue_idx]).collect()
            }
        })
        .collect();
    Ok(space.restricted(&allowed)?)
}
