//! `parley diff DRAFT_A DRAFT_B [SCENARIO]`: the difference between two drafts, the same one
//! the server's API and drafts page give ([`parley_report::diff`]).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::files::load;

/// The arguments of `parley diff`.
#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The earlier draft's id.
    pub from: String,
    /// The later draft's id.
    pub to: String,
    /// A scenario file (TOML); the built-in scenario when none is named.
    pub scenario: Option<PathBuf>,
    /// Print the difference as JSON (docs/json-output.md).
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn run(args: &DiffArgs) -> Result<ExitCode> {
    let paths: Vec<PathBuf> = args.scenario.iter().cloned().collect();
    let loaded = load(&paths, None)?;
    let diff = parley_report::diff::draft_diff(loaded.scenario.scenario(), &args.from, &args.to)
        .with_context(|| format!("cannot compare the drafts of '{}'", loaded.file_name))?;
    if args.json {
        let mut text =
            serde_json::to_string_pretty(&diff).context("cannot write the difference as JSON")?;
        text.push('\n');
        crate::print_exact(&text)?;
    } else {
        crate::print(&parley_report::diff::render_terminal(&diff))?;
    }
    Ok(ExitCode::SUCCESS)
}
