//! `parley columns` (a draft round's columns beside the compromise) and `parley analyze
//! --keep-agreed` (the analysis with the agreed points taken as fixed).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::args::{AnalysisArgs, ColorChoice};
use crate::files::{LoadedScenario, load};
use crate::{Output, print_exact};

/// Prints the round of a draft, as terminal text or JSON.
pub(crate) fn columns(
    draft: &str,
    scenario: Option<&Path>,
    json: bool,
    color: ColorChoice,
) -> Result<ExitCode> {
    let paths: Vec<PathBuf> = scenario.map(Path::to_path_buf).into_iter().collect();
    let loaded = load(&paths, None)?;
    let id = parley_model::Id::parse(draft)
        .map_err(|message| anyhow::anyhow!("'{draft}' is not a draft id: {message}"))?;
    let Some(round) = parley_report::rounds::round(&loaded.scenario, &id) else {
        let known: Vec<String> =
            loaded.scenario.scenario().drafts.iter().map(|draft| draft.id.to_string()).collect();
        bail!(
            "'{}' has no draft '{draft}', expected one of: {}",
            loaded.file_name,
            known.join(", ")
        );
    };
    if json {
        let mut text = serde_json::to_string_pretty(&round).context("cannot write the round")?;
        text.push('\n');
        return print_exact(&text).map(|()| ExitCode::SUCCESS);
    }
    let color = match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
        }
    };
    print_exact(&parley_report::rounds::render_round(&round, color))?;
    Ok(ExitCode::SUCCESS)
}

/// Analyses the scenario with the agreed points fixed; the report's drafts and rounds are
/// those of the record as it is, its issues and analysis those of the narrowed record.
pub(crate) fn analyze_keeping_agreed(
    loaded: &LoadedScenario,
    output: &Output<'_>,
    args: &AnalysisArgs,
) -> Result<ExitCode> {
    if parley_analysis::constraints::has_constraint_utilities(&loaded.scenario) {
        bail!(
            "--keep-agreed works on additive utilities: '{}' has constraint utilities",
            loaded.file_name
        );
    }
    let kept = parley_model::agreement::keep_agreed(&loaded.scenario)
        .with_context(|| format!("cannot keep the agreed points of '{}'", loaded.file_name))?;
    let record = parley_report::schema::build(&loaded.scenario, &[], &loaded.file_name, None);
    let kept_report = parley_report::rounds::kept_agreed_report(&kept);
    let narrowed = LoadedScenario {
        scenario: kept.scenario,
        warnings: loaded.warnings.clone(),
        file_name: loaded.file_name.clone(),
        reference: None,
    };
    let drafts = std::cell::RefCell::new(Some((record.drafts, record.rounds)));
    crate::analyze_adjusted(&narrowed, output, args, &|report| {
        if let Some((drafts, rounds)) = drafts.borrow_mut().take() {
            report.drafts = drafts;
            report.rounds = rounds;
        }
        report.kept_agreed = Some(kept_report.clone());
    })
}
