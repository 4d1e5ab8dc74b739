//! Whether an export to GENIUS or GeniusWeb keeps the answer: what the format cannot hold (red
//! lines, a consent needed on some issues only), and, where the scenario has some, whether the
//! analysis of the written files gives the same agreement zone, Pareto frontier and packages.

use anyhow::{Context, Result};
use parley_model::scenario::Consent;
use parley_model::validate::ValidScenario;

/// What GENIUS cannot hold of a scenario, one phrase each: red lines that bind (GENIUS has
/// evaluations, not vetoes) and a consent needed on some issues only (every GENIUS profile is
/// a party to the whole deal).
pub(crate) fn genius_cannot_hold(scenario: &ValidScenario) -> Vec<String> {
    let record = scenario.scenario();
    let mut lost = Vec::new();
    for party in parley_model::utility::party_utilities(scenario, None) {
        let issues: Vec<&str> = record
            .issues
            .iter()
            .zip(&party.red_lines)
            .filter(|(_, red_lines)| red_lines.iter().any(|red_line| *red_line))
            .map(|(issue, _)| issue.id.as_str())
            .collect();
        if !issues.is_empty() {
            lost.push(format!("{}'s red lines on {}", party.party, issues.join(", ")));
        }
        if let Consent::OnIssues(issues) = &record.parties[party.party_idx].consent {
            let issues: Vec<&str> = issues.iter().map(|issue| issue.as_str()).collect();
            lost.push(format!("{}'s consent needed only on {}", party.party, issues.join(", ")));
        }
    }
    lost
}

/// The answer of an analysis, as a comparison sees it: the zone's size, then the frontier
/// and each package as sorted outcomes (options and utilities to six decimals).
#[derive(PartialEq, Debug)]
struct Answer {
    zone: Option<u64>,
    results: Vec<(&'static str, Vec<String>)>,
}

fn answer(scenario: &ValidScenario) -> Result<Option<Answer>> {
    let pool = parley_engine::control::build_thread_pool(1)?;
    let start = std::time::Instant::now();
    let out_of_time = || start.elapsed() >= std::time::Duration::from_secs(10);
    let options = parley_analysis::AnalysisOptions {
        robustness_samples: 0,
        limits: parley_engine::control::Limits {
            out_of_time: Some(&out_of_time),
            ..parley_analysis::AnalysisOptions::default().limits
        },
        ..parley_analysis::AnalysisOptions::default()
    };
    let analysis = parley_analysis::analyze(
        scenario,
        &options,
        &pool,
        &parley_engine::control::Control::none(),
    )
    .context("cannot analyse the scenario to check the export")?;
    if !analysis.cut_short.is_empty() {
        return Ok(None);
    }
    let report = parley_report::analysis::build(scenario.scenario(), &analysis, 0);
    let outcomes = |outcomes: &Option<Vec<parley_report::analysis::OutcomeReport>>| {
        let mut res: Vec<String> = outcomes
            .iter()
            .flatten()
            .map(|outcome| {
                let mut options: Vec<String> = outcome
                    .outcome
                    .iter()
                    .map(|(issue, option)| format!("{issue}={}", option.as_deref().unwrap_or("*")))
                    .collect();
                options.sort();
                let mut utilities: Vec<String> = outcome
                    .utilities
                    .iter()
                    .map(|(party, utility)| format!("{party} {utility:.6}"))
                    .collect();
                utilities.sort();
                format!("{} ({})", options.join(", "), utilities.join(", "))
            })
            .collect();
        res.sort();
        res
    };
    Ok(Some(Answer {
        zone: report.agreement_zone.size,
        results: vec![
            ("the Pareto frontier", outcomes(&report.pareto_frontier)),
            ("the Nash package", outcomes(&report.solutions.nash)),
            ("the Kalai-Smorodinsky package", outcomes(&report.solutions.kalai)),
            ("the egalitarian package", outcomes(&report.solutions.egalitarian)),
            ("the utilitarian package", outcomes(&report.solutions.utilitarian)),
        ],
    }))
}

/// What changes between the analysis of a scenario and that of its GENIUS files, one phrase
/// each; empty when the answer is kept, `None` when it could not be checked in time.
pub(crate) fn genius_changes(
    scenario: &ValidScenario,
    files: &[(String, String)],
) -> Result<Option<Vec<String>>> {
    let genius = parley_genius::parse_scenario(files).context("cannot read the export back")?;
    let model = parley_genius::to_model(&genius, &scenario.scenario().id)
        .context("cannot read the export back")?;
    changes_on_reading_back(scenario, model)
}

/// The same for GeniusWeb files.
pub(crate) fn geniusweb_changes(
    scenario: &ValidScenario,
    files: &[(String, String)],
) -> Result<Option<Vec<String>>> {
    let read =
        parley_genius::geniusweb::parse_scenario(files).context("cannot read the export back")?;
    let model = parley_genius::geniusweb::to_model(&read, scenario.scenario().id.as_str())
        .context("cannot read the export back")?;
    changes_on_reading_back(scenario, model)
}

/// What changes between the analysis of a scenario and that of the scenario its export reads
/// back as.
fn changes_on_reading_back(
    scenario: &ValidScenario,
    model: parley_model::scenario::Scenario,
) -> Result<Option<Vec<String>>> {
    let Ok((exported, _)) = ValidScenario::new(model) else {
        anyhow::bail!("the export does not read back as a valid scenario");
    };
    let (Some(before), Some(after)) = (answer(scenario)?, answer(&exported)?) else {
        return Ok(None);
    };
    let mut changes = Vec::new();
    if before.zone != after.zone {
        let size = |size: Option<u64>| match size {
            None => "an uncounted zone".to_owned(),
            Some(0) => "no zone".to_owned(),
            Some(size) => format!("{size} outcomes"),
        };
        changes.push(format!(
            "the agreement zone goes from {} to {}",
            size(before.zone),
            size(after.zone)
        ));
    }
    for ((what, before), (_, after)) in before.results.iter().zip(&after.results) {
        if before != after {
            changes.push(format!("{what} moves"));
        }
    }
    Ok(Some(changes))
}
