//! The `parley` command line's logic: loading scenarios, running commands, and printing.
//! Only this crate prints.

pub mod args;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use parley_model::builtin::{TALKS_2025_FILE_NAME, TALKS_2025_TOML};
use parley_model::diagnostic::Diagnostic;
use parley_model::scenario_file::read_scenario;
use parley_model::validate::ValidScenario;
use parley_report::terminal::RenderOptions;

use args::{Args, ColorChoice, Command};

/// A scenario loaded without errors, with its warnings and the name it is reported under.
struct LoadedScenario {
    scenario: ValidScenario,
    warnings: Vec<Diagnostic>,
    file_name: String,
}

/// Runs a command and returns the exit code: 0 on success, 1 when the input has problems.
pub fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        Command::Check { files } => check(&files),
        Command::Analyze { file, json } => {
            let loaded = load(file.as_deref())?;
            analyze(&loaded, json, args.color)
        }
        Command::Example => {
            print(TALKS_2025_TOML)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        // A closed pipe (e.g. `parley analyze | head`) is not an error.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => result.context("cannot write to standard output"),
    }
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read '{}'", path.display()))
}

/// Loads a scenario file, or the built-in scenario when none is named.
fn load(path: Option<&Path>) -> Result<LoadedScenario> {
    let (text, file_name) = match path {
        Some(path) => (read_text(path)?, path.display().to_string()),
        None => (TALKS_2025_TOML.to_owned(), TALKS_2025_FILE_NAME.to_owned()),
    };
    let loaded = read_scenario(&text);
    let Some(scenario) = loaded.scenario else {
        let rendered: Vec<String> =
            loaded.diagnostics.iter().map(|diagnostic| diagnostic.render(&file_name)).collect();
        let n_errors = loaded.diagnostics.iter().filter(|diagnostic| diagnostic.is_error()).count();
        anyhow::bail!("{file_name} has {n_errors} error(s):\n{}", rendered.join("\n"));
    };
    Ok(LoadedScenario { scenario, warnings: loaded.diagnostics, file_name })
}

fn check(files: &[std::path::PathBuf]) -> Result<ExitCode> {
    let mut n_files_with_errors = 0;
    let mut output = String::new();
    for path in files {
        let file_name = path.display().to_string();
        let text = read_text(path)?;
        let loaded = read_scenario(&text);
        for diagnostic in &loaded.diagnostics {
            output.push_str(&diagnostic.render(&file_name));
            output.push('\n');
        }
        let n_errors = loaded.diagnostics.iter().filter(|diagnostic| diagnostic.is_error()).count();
        let n_warnings = loaded.diagnostics.len() - n_errors;
        if n_errors > 0 {
            n_files_with_errors += 1;
        }
        output.push_str(&format!("{file_name}: {n_errors} error(s), {n_warnings} warning(s)\n"));
    }
    print(&output)?;
    Ok(if n_files_with_errors > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn analyze(loaded: &LoadedScenario, json: bool, color: ColorChoice) -> Result<ExitCode> {
    let report =
        parley_report::schema::build(&loaded.scenario, &loaded.warnings, &loaded.file_name);
    if json {
        let mut text =
            serde_json::to_string_pretty(&report).context("cannot serialize the report")?;
        text.push('\n');
        print(&text)?;
        return Ok(ExitCode::SUCCESS);
    }
    let color = match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
        }
    };
    print(&parley_report::terminal::render(&report, RenderOptions { color }))?;
    Ok(ExitCode::SUCCESS)
}
