//! The `parley` command line's logic: loading scenarios, running commands, and printing.
//! Only this crate prints.

pub mod api;
pub mod args;
#[cfg(feature = "server")]
mod changes;
mod columns;
#[cfg(feature = "server")]
mod db;
mod diff;
mod export_check;
mod files;
mod history;
#[cfg(feature = "server")]
mod serve;
mod simulate;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use parley_model::builtin::TALKS_2025_TOML;
use parley_model::scenario_file::{read_scenario, write_scenario};
use parley_report::terminal::{RenderOptions, escape_controls};

use args::{AnalysisArgs, Args, ColorChoice, Command, ExportFormat, ImportFormat};
use files::{LoadedScenario, load, write_atomically};

/// Runs a command and returns the exit code: 0 on success, 1 when `check` finds errors, 3
/// when `analyze` was cut short by its budget (the report still shows what holds).
pub fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        Command::Check { files, domain } => check(&files, domain.as_deref()),
        Command::Analyze {
            scenario,
            domain,
            json,
            html,
            force,
            full,
            max_points,
            keep_agreed,
            analysis,
        } => {
            if let Some(html) = &html {
                files::refuse_existing(html, force)?;
            }
            let loaded = files::with_grid(load(&scenario, domain.as_deref())?, analysis.grid)?;
            if keep_agreed {
                let output = Output {
                    json,
                    html: html.as_deref().map(|path| (path, force)),
                    max_points: (!full).then_some(max_points),
                    color: args.color,
                };
                return columns::analyze_keeping_agreed(&loaded, &output, &analysis);
            }
            let output = Output {
                json,
                html: html.as_deref().map(|path| (path, force)),
                max_points: (!full).then_some(max_points),
                color: args.color,
            };
            analyze(&loaded, &output, &analysis)
        }
        Command::Columns { draft, scenario, json } => {
            columns::columns(&draft, scenario.as_deref(), json, args.color)
        }
        Command::Example => {
            print(TALKS_2025_TOML)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Simulate(sim_args) => {
            let loaded = load(sim_args.scenario.as_slice(), None)?;
            simulate::simulate(&sim_args, &loaded)
        }
        Command::Tournament(tournament_args) => simulate::tournament(&tournament_args),
        #[cfg(feature = "server")]
        Command::Db(db_args) => db::run(db_args),
        #[cfg(feature = "server")]
        Command::Serve(serve_args) => serve::run(serve_args),
        Command::Diff(diff_args) => diff::run(&diff_args),
        #[cfg(feature = "server")]
        Command::Changes(changes_args) => changes::run(&changes_args),
        Command::History(history_args) => history::run(&history_args),
        Command::Import { format: ImportFormat::Genius { paths, domain, output, force } } => {
            files::refuse_existing(&output, force)?;
            import_genius(&paths, domain.as_deref(), &output, force)
        }
        Command::Export { format: ExportFormat::Genius { file, output, force, lossy } } => {
            export_genius(file.as_deref(), &output, force, lossy)
        }
        Command::Import { format: ImportFormat::Geniusweb { dir, output, force } } => {
            files::refuse_existing(&output, force)?;
            write_imported(&files::read_geniusweb_folder(&dir)?, &output, force)
        }
        Command::Export { format: ExportFormat::Geniusweb { file, output, force, lossy } } => {
            export_geniusweb(file.as_deref(), &output, force, lossy)
        }
    }
}

/// Prints text that may hold scenario text (names, titles, messages quoting values) with its
/// control characters escaped, so that a scenario cannot send escape sequences to the
/// terminal; its own line breaks are kept.
pub(crate) fn print(text: &str) -> Result<()> {
    print_exact(&escape_controls(text, true))
}

/// The text of an error as it goes to the terminal: its cause chain, with control characters
/// escaped like [`print`]'s.
pub fn error_text(error: &anyhow::Error) -> String {
    escape_controls(&format!("{error:#}"), true).into_owned()
}

/// Prints text exactly: JSON (whose strings are data and must stay as they are) and the
/// terminal report (which escapes scenario text itself and adds its own colour styles).
pub(crate) fn print_exact(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        // A closed pipe (e.g. `parley analyze | head`) is not an error.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => result.context("cannot write to standard output"),
    }
}

/// Writes a value as pretty JSON to standard output as it is serialized, so that a large
/// report never waits whole in memory as text.
fn print_json(value: &parley_report::schema::Report) -> Result<()> {
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let res = serde_json::to_writer_pretty(&mut stdout, value)
        .map_err(std::io::Error::from)
        .and_then(|()| stdout.write_all(b"\n"))
        .and_then(|()| stdout.flush());
    match res {
        // A closed pipe (e.g. `parley analyze --json | head`) is not an error.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => result.context("cannot write the report as JSON to standard output"),
    }
}

fn check(files: &[std::path::PathBuf], domain: Option<&str>) -> Result<ExitCode> {
    // GENIUS files given together are one scenario: a domain and its profiles.
    let all_xml = files.iter().all(|path| {
        !path.is_dir()
            && path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("xml"))
    });
    let groups: Vec<Vec<PathBuf>> = if all_xml {
        vec![files.to_vec()]
    } else {
        files.iter().map(|path| vec![path.clone()]).collect()
    };
    let mut n_files_with_errors = 0;
    let mut output = String::new();
    for group in &groups {
        let path = &group[0];
        let is_genius = all_xml || path.is_dir();
        let names: Vec<String> = group.iter().map(|path| path.display().to_string()).collect();
        let file_name = names.join(" ");
        let (mut n_errors, diagnostics) = if is_genius {
            // GENIUS XML is read until the first problem, then the scenario it gives is
            // validated like a TOML one.
            match files::read_genius(group, domain) {
                Ok(read) => {
                    for note in &read.notes {
                        output.push_str(&escape_controls(note, false));
                        output.push('\n');
                    }
                    (0, parley_model::validate::validate(&read.scenario))
                }
                Err(error) => {
                    output.push_str(&format!("{file_name}: error: {error:#}\n"));
                    (1, Vec::new())
                }
            }
        } else {
            (0, files::read_scenario_file(path)?.diagnostics)
        };
        for diagnostic in &diagnostics {
            output.push_str(&files::render_diagnostic(diagnostic, &file_name));
            output.push('\n');
        }
        n_errors += diagnostics.iter().filter(|diagnostic| diagnostic.is_error()).count();
        let n_warnings = diagnostics.iter().filter(|diagnostic| !diagnostic.is_error()).count();
        if n_errors > 0 {
            n_files_with_errors += 1;
        }
        output.push_str(&format!("{file_name}: {n_errors} error(s), {n_warnings} warning(s)\n"));
    }
    print(&output)?;
    Ok(if n_files_with_errors > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn import_genius(
    paths: &[PathBuf],
    domain: Option<&str>,
    output: &Path,
    force: bool,
) -> Result<ExitCode> {
    let read = files::read_genius(paths, domain)?;
    for note in &read.notes {
        anstream::eprintln!("{}", escape_controls(note, false));
    }
    write_imported(&read.scenario, output, force)
}

/// Writes an imported scenario as TOML, once it is known to read back without errors.
fn write_imported(
    scenario: &parley_model::scenario::Scenario,
    output: &Path,
    force: bool,
) -> Result<ExitCode> {
    let text = write_scenario(scenario);
    // What is written must read back without errors: check before touching the output.
    let loaded = read_scenario(&text);
    if loaded.has_errors() {
        let rendered: Vec<String> = loaded
            .diagnostics
            .iter()
            .map(|d| files::render_diagnostic(d, &output.display().to_string()))
            .collect();
        bail!("the imported scenario is not valid:\n{}", rendered.join("\n"));
    }
    write_atomically(output, &text, force)?;
    let n_parties = scenario.parties.len();
    let n_issues = scenario.issues.len();
    anstream::eprintln!("wrote '{}': {n_parties} parties, {n_issues} issues", output.display());
    Ok(ExitCode::SUCCESS)
}

fn export_genius(file: Option<&Path>, output: &Path, force: bool, lossy: bool) -> Result<ExitCode> {
    let paths: Vec<PathBuf> = file.map(Path::to_path_buf).into_iter().collect();
    let loaded = load(&paths, None)?;
    write_genius(&loaded, output, force, lossy)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes a scenario as a GENIUS folder: refused, unless `lossy`, when the files would not
/// give the same answer.
pub(crate) fn write_genius(
    loaded: &LoadedScenario,
    output: &Path,
    force: bool,
    lossy: bool,
) -> Result<()> {
    let (domain, profiles) = parley_genius::from_model(&loaded.scenario)?;
    let mut outputs = vec![(
        format!("{}_domain.xml", loaded.scenario.scenario().id),
        parley_genius::write_domain(&domain),
    )];
    for (party, profile) in &profiles {
        outputs.push((format!("{party}.xml"), parley_genius::write_profile(&domain, profile)));
    }
    // Red lines and partial consents cannot be written: where the scenario has some, the
    // files are analysed as they will be read, before anything is written.
    let lost = export_check::genius_cannot_hold(&loaded.scenario);
    let note = if lost.is_empty() {
        None
    } else {
        let changes = export_check::genius_changes(&loaded.scenario, &outputs)?;
        kept_or_refused(&format!("GENIUS cannot hold {}", lost.join("; ")), changes, lossy)?
    };
    write_export(output, outputs, force, "GENIUS", files::is_genius_file, loaded, || {
        if let Some(note) = &note {
            anstream::eprintln!("{}", escape_controls(note, false));
        }
    })
}

/// What to say of an export that cannot hold everything (`what`), given what changes in the
/// analysis of its files (`None`: not checked in time): a note when the answer is kept, else a
/// refusal, or with `lossy` a warning.
fn kept_or_refused(
    what: &str,
    changes: Option<Vec<String>>,
    lossy: bool,
) -> Result<Option<String>> {
    Ok(Some(match changes {
        Some(changes) if changes.is_empty() => format!(
            "note: {what}; the analysis of the files gives the same zone, frontier and packages"
        ),
        Some(changes) if !lossy => bail!(
            "the export would change the answer: {}, because {what}; pass --lossy to write it anyway",
            changes.join(", ")
        ),
        None if !lossy => bail!(
            "{what}, and the analysis that would check that the export keeps the answer ran past 10 s; pass --lossy to write it anyway"
        ),
        Some(changes) => {
            format!("warning: written with --lossy: {}, because {what}", changes.join(", "))
        }
        None => format!(
            "warning: written with --lossy: {what}, and whether the answer is kept was not checked (the analysis ran past 10 s)"
        ),
    }))
}

fn export_geniusweb(
    file: Option<&Path>,
    output: &Path,
    force: bool,
    lossy: bool,
) -> Result<ExitCode> {
    use parley_genius::geniusweb;
    let paths: Vec<PathBuf> = file.map(Path::to_path_buf).into_iter().collect();
    let loaded = load(&paths, None)?;
    let export = geniusweb::from_model(&loaded.scenario)?;
    let mut outputs =
        vec![(format!("{}.json", export.domain.name), geniusweb::write_domain(&export.domain))];
    for profile in &export.profiles {
        outputs.push((format!("{}.json", profile.name), geniusweb::write_profile(profile)));
    }
    // What GeniusWeb cannot hold: where the scenario has some, the files are analysed as they
    // will be read, before anything is written.
    let mut lost = export_check::genius_cannot_hold(&loaded.scenario);
    lost.extend(export.left_out.iter().cloned());
    let note = if lost.is_empty() {
        None
    } else {
        let changes = export_check::geniusweb_changes(&loaded.scenario, &outputs)?;
        kept_or_refused(&format!("GeniusWeb cannot hold {}", lost.join("; ")), changes, lossy)?
    };
    write_export(output, outputs, force, "GeniusWeb", files::is_geniusweb_file, &loaded, || {
        if let Some(note) = &note {
            anstream::eprintln!("{}", escape_controls(note, false));
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Writes an exported scenario's files (the domain first) into a folder, whole or not at all.
/// A folder that holds files is refused without `--force`; with it, the folder's files of the
/// format (of whatever scenario) give way to the new ones, all at once, and its other files
/// are kept, so that the folder reads as one scenario before and after. `notes` prints what
/// the format could not hold, once the files are written.
fn write_export(
    output: &Path,
    mut outputs: Vec<(String, String)>,
    force: bool,
    format: &str,
    is_format_file: fn(&Path) -> bool,
    loaded: &LoadedScenario,
    notes: impl FnOnce(),
) -> Result<()> {
    if outputs[1..].iter().any(|(name, _)| name == &outputs[0].0) {
        outputs[0].0 = format!("_{}", outputs[0].0);
    }
    if output.is_dir() && !force {
        let entries: Vec<PathBuf> = std::fs::read_dir(output)
            .with_context(|| format!("cannot list '{}'", output.display()))?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .collect();
        let mut existing: Vec<String> = entries
            .iter()
            .filter(|path| is_format_file(path))
            .filter_map(|path| path.file_name().map(|name| format!("'{}'", name.to_string_lossy())))
            .collect();
        existing.sort();
        if !existing.is_empty() {
            bail!(
                "'{}' holds a {format} scenario already ({}); pass --force to replace its {format} files",
                output.display(),
                existing.join(", ")
            );
        }
        if !entries.is_empty() {
            bail!("'{}' is not empty; pass --force to write into it", output.display());
        }
    }
    files::replace_folder(output, &outputs, |path| !is_format_file(path))?;
    let exact = parley_model::utility::party_utilities(&loaded.scenario, None)
        .iter()
        .all(|party| party.is_exact());
    if !exact {
        anstream::eprintln!(
            "note: some values are point estimates (the middles of the scale's intervals) of ordinal or unknown stances"
        );
    }
    notes();
    anstream::eprintln!("wrote {} files to '{}'", outputs.len(), output.display());
    Ok(())
}

/// The thread count: the flag, else `PARLEY_MAX_THREADS`, else every core.
pub(crate) fn thread_count(flag: Option<usize>) -> Result<usize> {
    if let Some(n_threads) = flag {
        return Ok(n_threads);
    }
    match std::env::var("PARLEY_MAX_THREADS") {
        Ok(text) => text.trim().parse().with_context(|| {
            format!("PARLEY_MAX_THREADS is '{text}', expected a number of threads")
        }),
        Err(_) => Ok(std::thread::available_parallelism().map_or(1, usize::from)),
    }
}

pub(crate) fn run_analysis(
    loaded: &LoadedScenario,
    args: &AnalysisArgs,
    bar: &indicatif::ProgressBar,
) -> Result<parley_analysis::Analysis> {
    let as_of = match &args.as_of {
        Some(text) => Some(
            text.parse::<parley_model::Date>()
                .with_context(|| format!("--as-of '{text}' is not a date, expected YYYY-MM-DD"))?,
        ),
        None => loaded.scenario.scenario().as_of.map(|date| date.date),
    };
    let pool = parley_engine::control::build_thread_pool(thread_count(args.threads)?)?;
    let start = std::time::Instant::now();
    let clock = || start.elapsed();
    let allowed = args.budget.0.map(std::time::Duration::from_secs_f64);
    let out_of_time = || allowed.is_some_and(|allowed| start.elapsed() >= allowed);
    let spinner_style = bar.style();
    // Only the robustness sampling reports its progress in units a reader can follow (samples);
    // the other steps show their name and how long they have run.
    let sampling = std::sync::atomic::AtomicBool::new(false);
    let on_step = |step: &'static str| {
        sampling.store(step == "robustness", std::sync::atomic::Ordering::Relaxed);
        bar.set_style(spinner_style.clone());
        bar.unset_length();
        bar.set_message(step.replace('_', " "));
    };
    let options = parley_analysis::AnalysisOptions {
        as_of,
        robustness_samples: args.samples,
        seed: args.seed,
        max_concessions: args.max_concessions,
        clock: args.timings.then_some(&clock as &dyn Fn() -> std::time::Duration),
        timing_runs: args.timing_runs as usize,
        limits: parley_engine::control::Limits {
            max_steps: args.max_steps.0.map(|steps| steps as u64),
            max_bytes: args.max_memory.0.map(|bytes| bytes as u64),
            out_of_time: allowed.map(|_| &out_of_time as &(dyn Fn() -> bool + Sync)),
        },
        on_step: Some(&on_step),
        ..parley_analysis::AnalysisOptions::default()
    };
    let progress = |done: u64, total: u64| {
        if !sampling.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        if bar.length() != Some(total) {
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} {bar:40} {pos}/{len} samples ({eta} left)",
                )
                .expect("the template is valid"),
            );
            bar.set_length(total);
        }
        bar.set_position(done);
    };
    let control = parley_engine::control::Control {
        progress: Some(&progress),
        ..parley_engine::control::Control::none()
    };
    let analysis = parley_analysis::analyze(&loaded.scenario, &options, &pool, &control)
        .with_context(|| format!("cannot analyse '{}'", loaded.file_name))?;
    Ok(analysis)
}

/// Where and how `analyze` writes its report.
pub(crate) struct Output<'a> {
    /// JSON on standard output, instead of the terminal report.
    json: bool,
    /// The HTML page's path, and whether it may replace a file.
    html: Option<(&'a Path, bool)>,
    /// The most outcomes of a frontier the report lists; `None` lists them all.
    max_points: Option<usize>,
    color: ColorChoice,
}

fn analyze(loaded: &LoadedScenario, output: &Output<'_>, args: &AnalysisArgs) -> Result<ExitCode> {
    analyze_adjusted(loaded, output, args, &|_| {})
}

/// `analyze`, with the report adjusted before it is printed.
fn analyze_adjusted(
    loaded: &LoadedScenario,
    output: &Output<'_>,
    args: &AnalysisArgs,
    adjust: &dyn Fn(&mut parley_report::schema::Report),
) -> Result<ExitCode> {
    let is_constraints = !args.record_only
        && parley_analysis::constraints::has_constraint_utilities(&loaded.scenario);
    let progress = if is_constraints { constraints_spinner() } else { progress_bar() };
    let computed = api::compute_with(loaded, args, &progress)?;
    // A cut-short analysis still prints what holds; the exit code says it is partial.
    let cut_short = match &computed {
        api::Computed::Additive(analysis) => {
            let analysis = analysis.as_ref().filter(|analysis| !analysis.cut_short.is_empty());
            if let Some(analysis) = analysis {
                let steps: Vec<&str> = analysis.cut_short.iter().map(|cut| cut.step).collect();
                anstream::eprintln!(
                    "note: the analysis of '{}' was cut short by its budget ({}); the report gives every other result exactly (see --budget, --max-steps, --max-memory)",
                    loaded.file_name,
                    steps.join(", ")
                );
            }
            analysis.is_some()
        }
        api::Computed::Constraints { analysis, .. } => !analysis.cut_short.is_empty(),
    };
    progress.set_message("building the report");
    let (mut report, warnings) = api::report(loaded, &computed, args, output.max_points);
    // The analysis is no longer needed: its frontiers can be large.
    drop(computed);
    progress.finish_and_clear();
    for warning in &warnings {
        anstream::eprintln!("warning: {warning}");
    }
    if cut_short && is_constraints {
        anstream::eprintln!(
            "note: the frontier search of '{}' ran past its budget: the report gives the points found and bounds on what may be missing (see --budget, --max-steps)",
            loaded.file_name
        );
    }
    adjust(&mut report);
    print_report(&report, loaded.scenario.scenario(), output)?;
    Ok(if cut_short { ExitCode::from(3) } else { ExitCode::SUCCESS })
}

/// A bar on standard error, drawn only when it is a terminal, that names the step running,
/// with how long it has run, and shows the step's progress where the step reports any.
fn progress_bar() -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .expect("the template is valid"),
    );
    bar.set_message("analysing");
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Prints a report as JSON or for the terminal, and writes its HTML page when asked.
fn print_report(
    report: &parley_report::schema::Report,
    scenario: &parley_model::scenario::Scenario,
    output: &Output<'_>,
) -> Result<()> {
    if let Some((path, force)) = output.html {
        let history = parley_report::history::build(scenario, None, None)
            .context("cannot chart how stances moved")?;
        let page = parley_report::html::render_with_history(report, Some(&history));
        write_atomically(path, &page, force)?;
        anstream::eprintln!("wrote '{}'", path.display());
    }
    if output.json {
        return print_json(report);
    }
    let color = match output.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
        }
    };
    print_exact(&parley_report::terminal::render(report, RenderOptions { color }))
}

/// The spinner of the branch and bound search of a scenario with constraint utilities, drawn
/// only when standard error is a terminal.
fn constraints_spinner() -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_message("searching the Pareto frontier (branch and bound)");
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    spinner
}
