//! `parley history [SCENARIO] [--party P] [--issue I]`: each dated position of a party (or
//! every party) on an issue (or every issue), in order ([`parley_report::history`]).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::files::load;

/// The arguments of `parley history`.
#[derive(clap::Args, Debug)]
pub struct HistoryArgs {
    /// A scenario file (TOML); the built-in scenario when none is named.
    pub scenario: Option<PathBuf>,
    /// Only this party's positions (its id).
    #[arg(long, value_name = "PARTY")]
    pub party: Option<String>,
    /// Only the positions on this issue (its id).
    #[arg(long, value_name = "ISSUE")]
    pub issue: Option<String>,
    /// Print the history as JSON (docs/json-output.md).
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn run(args: &HistoryArgs) -> Result<ExitCode> {
    let paths: Vec<PathBuf> = args.scenario.iter().cloned().collect();
    let loaded = load(&paths, None)?;
    let history = parley_report::history::build(
        loaded.scenario.scenario(),
        args.party.as_deref(),
        args.issue.as_deref(),
    )
    .with_context(|| format!("cannot give the history of '{}'", loaded.file_name))?;
    if args.json {
        let mut text =
            serde_json::to_string_pretty(&history).context("cannot write the history as JSON")?;
        text.push('\n');
        crate::print_exact(&text)?;
    } else {
        crate::print(&parley_report::history::render_terminal(&history))?;
    }
    Ok(ExitCode::SUCCESS)
}
