//! The command-line arguments, as clap parses them.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Parley: the record and analysis of mediated, multi-party, multi-issue negotiations.
#[derive(Parser, Debug)]
#[command(name = "parley", version, about, long_about = None)]
pub struct Args {
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// How many outcomes of each Pareto frontier a report lists without `--full`.
pub const DEFAULT_MAX_POINTS: usize = 1000;

/// Options of the analysis.
#[derive(clap::Args, Debug, Clone)]
pub struct AnalysisArgs {
    /// Robustness samples to draw from the intervals (0 skips the robustness analysis).
    #[arg(long, default_value_t = 1000)]
    pub samples: usize,
    /// The seed of the robustness samples.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Threads to use (default: PARLEY_MAX_THREADS, else every core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Use each party's latest positions as of this date (YYYY-MM-DD).
    #[arg(long)]
    pub as_of: Option<String>,
    /// The largest set of concessions the no-deal analysis looks for.
    #[arg(long, default_value_t = 3)]
    pub max_concessions: usize,
    /// Report how long each step took (in the JSON, `timings`).
    #[arg(long)]
    pub timings: bool,
    /// With --timings: run each exact step this many times and report the fastest run (the
    /// robustness sampling runs once).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000), requires = "timings")]
    pub timing_runs: u32,
    /// Skip the numeric analysis: report the record only.
    #[arg(long)]
    pub record_only: bool,
    /// How many evenly spaced numbers of each continuous issue's range the analysis takes
    /// (the scenario's own grid, else 11, when not given); the report says what the grid
    /// can miss.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(2..=10_001))]
    pub grid: Option<u32>,
    /// The time the whole analysis may take, as `10s`, `500ms`, `2m` or a number of seconds;
    /// `none` for no time limit. Steps still running then are cut short (exit code 3).
    #[arg(long, value_name = "TIME", default_value = "10s", value_parser = parse_budget)]
    pub budget: Limit,
    /// The engine steps (outcomes and partial outcomes examined) each step of the analysis
    /// may take; `none` for no limit.
    #[arg(long, value_name = "N", default_value = "2000000000", value_parser = parse_count)]
    pub max_steps: Limit,
    /// The memory the sets of each step may need, as `256M`, `1G` or a number of bytes;
    /// `none` for no limit.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub max_memory: Limit,
}

/// A limit given on the command line: a number (seconds, steps or bytes), or none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit(pub Option<f64>);

/// `10s`, `500ms`, `2m`, `1h`, `2.5` (seconds) or `none`.
pub(crate) fn parse_budget(text: &str) -> Result<Limit, String> {
    if text == "none" {
        return Ok(Limit(None));
    }
    let (number, unit) = split_unit(text);
    let scale = match unit {
        "" | "s" => 1.0,
        "ms" => 1e-3,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        _ => return Err(format!("'{text}' is not a time, expected e.g. 10s, 500ms, 2m or none")),
    };
    positive(number, text, "a time, e.g. 10s, 500ms, 2m or none")
        .map(|value| Limit(Some(value * scale)))
}

/// A whole number of steps, or `none`.
fn parse_count(text: &str) -> Result<Limit, String> {
    if text == "none" {
        return Ok(Limit(None));
    }
    match text.parse::<u64>() {
        Ok(count) if count > 0 => Ok(Limit(Some(count as f64))),
        _ => Err(format!(
            "'{text}' is not a number of steps, expected a positive whole number or none"
        )),
    }
}

/// `256M`, `1G`, `512K` (binary multiples), a number of bytes, or `none`.
fn parse_size(text: &str) -> Result<Limit, String> {
    if text == "none" {
        return Ok(Limit(None));
    }
    let (number, unit) = split_unit(text);
    let scale = match unit.to_ascii_uppercase().trim_end_matches("IB").trim_end_matches('B') {
        "" => 1.0,
        "K" => 1024.0,
        "M" => 1024.0 * 1024.0,
        "G" => 1024.0 * 1024.0 * 1024.0,
        _ => return Err(format!("'{text}' is not a size, expected e.g. 256M, 1G or none")),
    };
    positive(number, text, "a size, e.g. 256M, 1G or none").map(|value| Limit(Some(value * scale)))
}

fn split_unit(text: &str) -> (&str, &str) {
    let at = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    text.split_at(at)
}

fn positive(number: &str, text: &str, expected: &str) -> Result<f64, String> {
    match number.parse::<f64>() {
        Ok(value) if value > 0.0 && value.is_finite() => Ok(value),
        _ => Err(format!("'{text}' is not {expected}")),
    }
}

/// When to colour the output.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    /// When the output is a terminal and NO_COLOR is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check scenario files and report every problem, with its line and column.
    Check {
        /// The scenario files (TOML) or GENIUS or GeniusWeb scenario folders; GENIUS `.xml` files given
        /// together (a domain and its profiles) are checked as one scenario.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Of a GENIUS folder with several domains, the one to check (its file name), or a
        /// domain file from elsewhere.
        #[arg(long, value_name = "NAME|PATH")]
        domain: Option<String>,
    },
    /// Analyse a scenario: the built-in one when none is named.
    Analyze {
        /// A scenario file (TOML), a GENIUS or GeniusWeb scenario folder (a domain and one profile per
        /// party), or GENIUS files: a domain file and its profile files.
        scenario: Vec<PathBuf>,
        /// Of a GENIUS folder with several domains, the one to analyse (its file name), or a
        /// domain file from elsewhere for profiles whose domain lies in another folder.
        #[arg(long, value_name = "NAME|PATH")]
        domain: Option<String>,
        /// Print the report as JSON (schema: docs/json-output.md).
        #[arg(long)]
        json: bool,
        /// Also write the report as one self-contained HTML page with plots.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// Overwrite the HTML file if it exists.
        #[arg(long)]
        force: bool,
        /// List every outcome of each Pareto frontier, however many (by default a frontier of
        /// more than --max-points outcomes is listed by a sample, and the report says how
        /// many it leaves out).
        #[arg(long, conflicts_with = "max_points")]
        full: bool,
        /// The most outcomes of each Pareto frontier the report lists; a larger frontier is
        /// listed by this many, evenly spaced by the first party's utility.
        #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_POINTS)]
        max_points: usize,
        /// Take the points agreed (ad referendum or final) by every party they need as
        /// fixed: their issues keep the agreed option only, and the report shows what
        /// remains to negotiate.
        #[arg(long)]
        keep_agreed: bool,
        /// How the analysis runs.
        #[command(flatten)]
        analysis: AnalysisArgs,
    },
    /// Show a draft round: each party's column beside the compromise text, point by point,
    /// with the differences marked.
    Columns {
        /// The compromise draft, or a party's column of it.
        draft: String,
        /// A scenario file (TOML); the built-in scenario when none is named.
        scenario: Option<PathBuf>,
        /// Print the round as JSON (schema: docs/json-output.md).
        #[arg(long)]
        json: bool,
    },
    /// Print the built-in scenario's TOML, to start a scenario of your own from it.
    Example,
    /// Simulate a negotiation of a scenario: the built-in one when none is named.
    Simulate(crate::simulate::SimulateArgs),
    /// Run a tournament over scenarios x strategies x seeds; writes results.csv, results.json and report.html.
    Tournament(crate::simulate::TournamentArgs),
    /// Work on the record's database: verify, import, export, backup, add-user.
    #[cfg(feature = "server")]
    Db(crate::db::DbArgs),
    /// Serve the record: the web pages, the JSON API and live updates.
    #[cfg(feature = "server")]
    Serve(crate::serve::ServeArgs),
    /// What changed between two dates: records added, changed or removed, with their sources
    /// (and, from a database, who recorded each change).
    #[cfg(feature = "server")]
    Changes(crate::changes::ChangesArgs),
    /// Compare two drafts: the fields that differ and the points side by side.
    Diff(crate::diff::DiffArgs),
    /// How stances moved: each dated position of a party on an issue, in order.
    History(crate::history::HistoryArgs),
    /// Import a scenario from another format.
    Import {
        /// The format.
        #[command(subcommand)]
        format: ImportFormat,
    },
    /// Export a scenario to another format.
    Export {
        /// The format.
        #[command(subcommand)]
        format: ExportFormat,
    },
}

/// Formats `parley import` reads.
#[derive(Subcommand, Debug)]
pub enum ImportFormat {
    /// A GENIUS scenario folder (a domain file and one profile per party), or GENIUS files:
    /// a domain file and its profile files.
    Genius {
        /// The folder, or the files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Of a folder with several domains, the one to import (its file name), or a domain
        /// file from elsewhere.
        #[arg(long, value_name = "NAME|PATH")]
        domain: Option<String>,
        /// The scenario file to write (TOML).
        #[arg(short, long)]
        output: PathBuf,
        /// Overwrite the output file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// A GeniusWeb scenario folder (JSON, ANAC 2020 onwards): one domain file and one
    /// LinearAdditiveUtilitySpace profile per party.
    Geniusweb {
        /// The folder.
        dir: PathBuf,
        /// The scenario file to write (TOML).
        #[arg(short, long)]
        output: PathBuf,
        /// Overwrite the output file if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// Formats `parley export` writes.
#[derive(Subcommand, Debug)]
pub enum ExportFormat {
    /// A GENIUS scenario folder: a domain file and one profile per negotiating party.
    Genius {
        /// The scenario file (TOML); the built-in scenario when none is named.
        file: Option<PathBuf>,
        /// The folder to write; created if missing.
        #[arg(short, long)]
        output: PathBuf,
        /// Write into a folder that already holds files: its GENIUS files (of this or another
        /// scenario) are replaced, all at once; its other files are kept.
        #[arg(long)]
        force: bool,
        /// Write the files even when the analysis of them would not give the scenario's
        /// answer (GENIUS cannot hold red lines, nor a consent needed on some issues only).
        #[arg(long)]
        lossy: bool,
    },
    /// A GeniusWeb scenario folder (JSON): a domain file and one LinearAdditiveUtilitySpace
    /// profile per negotiating party.
    Geniusweb {
        /// The scenario file (TOML); the built-in scenario when none is named.
        file: Option<PathBuf>,
        /// The folder to write; created if missing.
        #[arg(short, long)]
        output: PathBuf,
        /// Write into a folder that already holds files: its GeniusWeb files (of this or
        /// another scenario) are replaced, all at once; its other files are kept.
        #[arg(long)]
        force: bool,
        /// Write the files even when the analysis of them would not give the scenario's
        /// answer (GeniusWeb cannot hold red lines, nor a consent needed on some issues only).
        #[arg(long)]
        lossy: bool,
    },
}
