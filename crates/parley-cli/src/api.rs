//! What another front end calls (the Python package): scenarios loaded from files as the
//! command line loads them, the analysis `parley analyze` runs with the same options, and
//! the report `parley analyze --json` prints, from the same code, so that both front ends
//! give the same results and the same error messages.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use parley_model::builtin::{TALKS_2025_FILE_NAME, TALKS_2025_TOML};
use parley_report::schema::Report;

use crate::args::AnalysisArgs;
pub use crate::files::LoadedScenario;

/// What goes wrong: the error `parley` prints, with its cause chain ([`crate::error_text`]).
pub type Error = anyhow::Error;

/// Loads a scenario as `parley analyze PATHS [--domain DOMAIN]` does: a TOML file, a GENIUS
/// folder or list of GENIUS files, or a GeniusWeb folder. Returns it with the notes the
/// command line prints on standard error (what the GENIUS reader read leniently or skipped).
pub fn load(paths: &[PathBuf], domain: Option<&str>) -> Result<(LoadedScenario, Vec<String>)> {
    crate::files::load_with_notes(paths, domain)
}

/// The built-in scenario, as `parley analyze` loads it when no file is named.
pub fn builtin() -> Result<LoadedScenario> {
    from_toml(TALKS_2025_TOML, TALKS_2025_FILE_NAME)
}

/// A scenario from TOML text, reported under `file_name`; its errors are rendered as the
/// command line renders a file's.
pub fn from_toml(text: &str, file_name: &str) -> Result<LoadedScenario> {
    crate::files::from_text(parley_model::scenario_file::read_scenario(text), file_name)
}

/// The scenario as TOML, in the scenario file's format.
pub fn to_toml(loaded: &LoadedScenario) -> String {
    parley_model::scenario_file::write_scenario(loaded.scenario.scenario())
}

/// Writes the scenario as a GENIUS folder, as `parley export genius` does; returns the notes
/// it prints on standard error.
pub fn to_genius(loaded: &LoadedScenario, output: &Path, force: bool, lossy: bool) -> Result<()> {
    crate::write_genius(loaded, output, force, lossy)
}

/// The analysis options `parley analyze` takes, parsed from its flags (`["--samples", "10"]`):
/// what is not given has the command line's default.
pub fn analysis_args<I, T>(flags: I) -> Result<AnalysisArgs>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    parse_flags::<AnalysisArgs, _, _>("analyze", flags)
}

/// What an analysis computed: the exact analysis of additive utilities (`None` with
/// `--record-only`), or the branch and bound search of constraint utilities with its time.
pub enum Computed {
    /// The additive analysis.
    Additive(Option<Box<parley_analysis::Analysis>>),
    /// The analysis of constraint (non-linear) utilities.
    Constraints {
        /// What the search found.
        analysis: Box<parley_analysis::constraints::ConstraintAnalysis>,
        /// How long it took, in seconds.
        seconds: f64,
    },
}

/// Runs the analysis `parley analyze` runs, with no progress shown.
pub fn compute(loaded: &LoadedScenario, args: &AnalysisArgs) -> Result<Computed> {
    compute_with(loaded, args, &indicatif::ProgressBar::hidden())
}

pub(crate) fn compute_with(
    loaded: &LoadedScenario,
    args: &AnalysisArgs,
    progress: &indicatif::ProgressBar,
) -> Result<Computed> {
    if args.record_only {
        return Ok(Computed::Additive(None));
    }
    if !parley_analysis::constraints::has_constraint_utilities(&loaded.scenario) {
        return Ok(Computed::Additive(Some(Box::new(crate::run_analysis(
            loaded, args, progress,
        )?))));
    }
    let start = std::time::Instant::now();
    let allowed = args.budget.0.map(std::time::Duration::from_secs_f64);
    let out_of_time = || allowed.is_some_and(|allowed| start.elapsed() >= allowed);
    let options = parley_analysis::AnalysisOptions {
        max_concessions: args.max_concessions,
        limits: parley_engine::control::Limits {
            max_steps: args.max_steps.0.map(|steps| steps as u64),
            max_bytes: args.max_memory.0.map(|bytes| bytes as u64),
            out_of_time: allowed.map(|_| &out_of_time as &(dyn Fn() -> bool + Sync)),
        },
        ..parley_analysis::AnalysisOptions::default()
    };
    let analysis = parley_analysis::constraints::analyze_constraints(
        &loaded.scenario,
        &options,
        &parley_engine::control::Control::none(),
    )
    .with_context(|| format!("cannot analyse '{}'", loaded.file_name))?;
    Ok(Computed::Constraints {
        analysis: Box::new(analysis),
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// The report `parley analyze --json` prints (listing at most `max_points` outcomes of each
/// frontier; all with `None`, as `--full`), with the warnings it prints on standard error.
pub fn report(
    loaded: &LoadedScenario,
    computed: &Computed,
    args: &AnalysisArgs,
    max_points: Option<usize>,
) -> (Report, Vec<String>) {
    let mut warnings = Vec::new();
    let report = match computed {
        Computed::Additive(analysis) => {
            let mut report = parley_report::schema::build_listing(
                &loaded.scenario,
                &loaded.warnings,
                &loaded.file_name,
                analysis.as_deref().map(|analysis| (analysis, args.max_concessions)),
                max_points,
            );
            if let (Some(analysis), Some(analysis_report), Some((file, points))) =
                (analysis, report.analysis.as_mut(), &loaded.reference)
            {
                let comparison =
                    parley_report::analysis::reference_frontier(analysis, file, points);
                if !comparison.undominated.is_empty() {
                    warnings.push(format!("{}: {}", file, comparison.message));
                }
                analysis_report.reference_frontier = Some(comparison);
            }
            report
        }
        Computed::Constraints { analysis, seconds } => {
            let mut report = parley_report::schema::build(
                &loaded.scenario,
                &loaded.warnings,
                &loaded.file_name,
                None,
            );
            let mut analysis_report = parley_report::analysis::build_constraints(
                loaded.scenario.scenario(),
                analysis,
                args.max_concessions,
            );
            if args.timings {
                analysis_report.timings.push(("frontier".to_owned(), *seconds));
            }
            if let Some((file, points)) = &loaded.reference {
                let parties: Vec<String> =
                    analysis.parties.iter().map(ToString::to_string).collect();
                let found: Vec<Vec<f64>> =
                    analysis.frontier.points.iter().map(|point| point.utilities.clone()).collect();
                let comparison = parley_report::analysis::compare_reference(
                    &parties,
                    Some(&found),
                    analysis.frontier.complete,
                    file,
                    points,
                );
                if !comparison.undominated.is_empty() {
                    warnings.push(format!("{}: {}", file, comparison.message));
                }
                analysis_report.reference_frontier = Some(comparison);
            }
            report.analysis = Some(analysis_report);
            report
        }
    };
    (report, warnings)
}

/// The report as the JSON text `parley analyze --json` prints.
pub fn report_json(report: &Report) -> Result<String> {
    serde_json::to_string(report).context("cannot write the report as JSON")
}

pub use crate::simulate::{SimulateArgs, TournamentArgs};

/// The options `parley simulate` takes, parsed from its flags (`["--rounds", "50"]`): what is
/// not given has the command line's default.
pub fn simulate_args<I, T>(flags: I) -> Result<SimulateArgs>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    parse_flags::<SimulateArgs, _, _>("simulate", flags)
}

/// The options `parley tournament` takes, parsed from its arguments: what is not given has
/// the command line's default.
pub fn tournament_args<I, T>(flags: I) -> Result<TournamentArgs>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    parse_flags::<TournamentArgs, _, _>("tournament", flags)
}

/// Flags parsed as the command line parses them; an error is clap's first line.
fn parse_flags<A, I, T>(name: &'static str, flags: I) -> Result<A>
where
    A: clap::Args,
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let command = A::augment_args(clap::Command::new(name).no_binary_name(true));
    let matches = command.try_get_matches_from(flags).map_err(clap_error)?;
    <A as clap::FromArgMatches>::from_arg_matches(&matches).map_err(clap_error)
}

fn clap_error(error: clap::Error) -> anyhow::Error {
    let text = error.render().to_string();
    let first = text.lines().next().unwrap_or_default();
    anyhow::anyhow!("{}", first.trim_start_matches("error: "))
}

/// Simulates one negotiation as `parley simulate --json` does, and returns what it prints.
pub fn simulate(loaded: &LoadedScenario, args: &SimulateArgs) -> Result<serde_json::Value> {
    crate::simulate::simulation_json(args, loaded)
}

/// Runs a tournament over loaded scenarios and returns what `parley tournament` writes to
/// `results.json`; `progress` is told the runs done and their total. `args.scenarios` and
/// `args.out` are not read: the scenarios are `loaded`, and nothing is written.
pub fn tournament(
    loaded: &[LoadedScenario],
    args: &TournamentArgs,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<serde_json::Value> {
    let run = crate::simulate::run_tournament_on(loaded, args, progress)?;
    crate::simulate::tournament_json(loaded, args, &run)
}

/// The thread count `parley` uses: `flag`, else `PARLEY_MAX_THREADS`, else every core.
pub fn thread_count(flag: Option<usize>) -> Result<usize> {
    crate::thread_count(flag)
}
