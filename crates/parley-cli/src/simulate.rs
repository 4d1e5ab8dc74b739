//! `parley simulate` and `parley tournament`: the command-line side of parley-sim.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use parley_report::terminal::escape_controls;
use parley_report::tournament::{
    TournamentAggregate, TournamentReport, TournamentRun, TournamentScenario,
};
use parley_sim::protocol::{Deadline, Protocol, SimOptions};
use parley_sim::scenario::SimScenario;
use parley_sim::strategy::{MediatorStrategy, Profile, Strategy, StrategyName};
use parley_sim::tournament::{StrategyAggregate, Tournament, cross_profiles, run_tournament};
use parley_sim::transcript::Speaker;

use crate::files::{LoadedScenario, load, write_atomically};

/// Options of `parley simulate`.
#[derive(clap::Args, Debug, Clone)]
pub struct SimulateArgs {
    /// A scenario file (TOML) or a GENIUS scenario folder; the built-in scenario when none is named.
    pub scenario: Option<PathBuf>,
    /// The protocol: alternating-offers, single-text-hill-climbing, single-text-veto or shuttle.
    #[arg(long, default_value = "alternating-offers")]
    pub protocol: String,
    /// Strategies, comma-separated, in party order (the last applies to the remaining parties):
    /// boulware[:E], linear, conceder[:E], tit-for-tat, random[:P], recorded; nash-mediator for
    /// the mediator of a mediated protocol. Default: linear for everyone.
    #[arg(long)]
    pub strategies: Option<String>,
    /// The seed of every random choice.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The deadline, in rounds.
    #[arg(long, default_value_t = 100)]
    pub rounds: usize,
    /// Print the transcript and summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Options of `parley tournament`.
#[derive(clap::Args, Debug, Clone)]
pub struct TournamentArgs {
    /// Scenario files (TOML) or GENIUS scenario folders.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Seeds per scenario and profile (seeds 0 to N-1).
    #[arg(long, default_value_t = 10)]
    pub seeds: usize,
    /// Strategies, comma-separated; every ordered pair (a, b) plays, party 0 playing a and the
    /// others b. nash-mediator adds Nash-seeking mediators to mediated protocols.
    #[arg(long, default_value = "boulware,linear,conceder")]
    pub strategies: Option<String>,
    /// Protocols, comma-separated.
    #[arg(long, default_value = "alternating-offers")]
    pub protocols: String,
    /// The folder to write results.csv, results.json and report.html into; created if missing.
    #[arg(long, default_value = "tournament")]
    pub out: PathBuf,
    /// Overwrite results.csv, results.json and report.html if the folder has them.
    #[arg(long)]
    pub force: bool,
    /// The deadline, in rounds.
    #[arg(long, default_value_t = 100)]
    pub rounds: usize,
    /// Threads to use (default: PARLEY_MAX_THREADS, else every core).
    #[arg(long)]
    pub threads: Option<usize>,
}

/// The transcript and summary of one simulation, as `parley simulate --json` prints them.
pub(crate) fn simulation_json(
    args: &SimulateArgs,
    loaded: &LoadedScenario,
) -> Result<serde_json::Value> {
    let (scenario, profile, options) = simulation_setup(args, loaded)?;
    let start = Instant::now();
    let run = parley_sim::simulate::simulate(&scenario, &profile, &options)?;
    let elapsed = start.elapsed();
    let transcript = run.transcript.unwrap_or_default();
    let setup = parley_report::simulation::SimulationSetup {
        file: &loaded.file_name,
        record: loaded.scenario.scenario(),
        scenario: &scenario,
        profile: &profile,
        seed: args.seed,
        deadline_rounds: args.rounds,
    };
    let report =
        parley_report::simulation::simulation_report(setup, &transcript, &run.summary, elapsed);
    serde_json::to_value(&report).context("cannot serialize the simulation")
}

/// The scenario, profile and options of one simulation.
fn simulation_setup(
    args: &SimulateArgs,
    loaded: &LoadedScenario,
) -> Result<(SimScenario, Profile, SimOptions)> {
    let scenario = SimScenario::from_scenario(&loaded.scenario)
        .with_context(|| format!("cannot simulate '{}'", loaded.file_name))?;
    let protocol = Protocol::parse(&args.protocol)?;
    let profile = Profile::parse(
        protocol,
        args.strategies.as_deref().unwrap_or(""),
        scenario.space().n_parties(),
    )?;
    let options = SimOptions {
        deadline: Deadline::Rounds(args.rounds),
        seed: args.seed,
        record_transcript: true,
    };
    Ok((scenario, profile, options))
}

/// Runs `parley simulate`.
pub(crate) fn simulate(args: &SimulateArgs, loaded: &LoadedScenario) -> Result<ExitCode> {
    if args.json {
        let mut text = serde_json::to_string_pretty(&simulation_json(args, loaded)?)
            .context("cannot serialize the simulation")?;
        text.push('\n');
        crate::print_exact(&text)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (scenario, profile, options) = simulation_setup(args, loaded)?;
    let protocol = profile.protocol;
    let run = parley_sim::simulate::simulate(&scenario, &profile, &options)?;
    let transcript = run.transcript.unwrap_or_default();
    let record = loaded.scenario.scenario();
    let option_id = |issue_idx: usize, option_idx: u16| {
        record.issues[issue_idx].options[usize::from(option_idx)].id.as_str().to_owned()
    };
    let outcome_ids = |outcome: &[u16]| -> Vec<String> {
        outcome
            .iter()
            .enumerate()
            .map(|(issue_idx, &option)| option_id(issue_idx, option))
            .collect()
    };
    let names = scenario.party_names();
    let speaker_name = |speaker: Speaker| match speaker {
        Speaker::Party(party_idx) => names[party_idx].clone(),
        Speaker::Mediator => "mediator".to_owned(),
    };
    let strategies: Vec<String> =
        (0..names.len()).map(|party_idx| profile.strategy_of(party_idx).name()).collect();
    let mut out = String::new();
    let mediator = if protocol.has_mediator() {
        format!(", mediator {}", profile.mediator.name())
    } else {
        String::new()
    };
    // Names and titles on one line each: print() escapes other control characters.
    let one_line = |text: &str| escape_controls(text, false).into_owned();
    let _ = writeln!(
        out,
        "{} ({}): {}{mediator}, seed {}, deadline {} rounds",
        one_line(&record.title),
        loaded.file_name,
        protocol.name(),
        args.seed,
        args.rounds
    );
    for (name, strategy) in names.iter().zip(&strategies) {
        let _ = writeln!(out, "  {}: {strategy}", one_line(name));
    }
    out.push('\n');
    // Each outcome as issue=option pairs and each utility with its party; an answer to the
    // outcome just put forward says so instead of repeating it.
    let issue_ids: Vec<String> =
        record.issues.iter().map(|issue| one_line(issue.id.as_str())).collect();
    let pairs = |outcome: &[u16]| -> String {
        issue_ids
            .iter()
            .zip(outcome_ids(outcome))
            .map(|(issue, option)| format!("{issue}={option}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let keyed_utilities = |utilities: &[f64]| -> String {
        names
            .iter()
            .zip(utilities)
            .map(|(name, utility)| format!("{} {utility:.3}", one_line(name)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let speaker_width = names
        .iter()
        .map(|name| one_line(name).chars().count())
        .max()
        .unwrap_or(0)
        .max("mediator".len());
    let mut last_outcome: Option<&[u16]> = None;
    for event in &transcript.events {
        let speaker = one_line(&speaker_name(event.speaker));
        let lead =
            format!("{:>4} {speaker:<speaker_width$} {:<7}", event.round, event.action.name());
        if last_outcome == Some(event.outcome.as_slice()) {
            let _ = writeln!(out, "{lead} the same outcome");
        } else {
            let _ = writeln!(out, "{lead} {}", pairs(&event.outcome));
            let _ = writeln!(
                out,
                "{:indent$} utilities: {}",
                "",
                keyed_utilities(&event.utilities),
                indent = lead.chars().count()
            );
        }
        last_outcome = Some(event.outcome.as_slice());
    }
    out.push('\n');
    let summary = &run.summary;
    match &summary.agreement {
        Some(outcome) => {
            let _ = writeln!(out, "agreement after {} rounds: {}", summary.rounds, pairs(outcome));
        }
        None => {
            let _ = writeln!(out, "no agreement after {} rounds", summary.rounds);
        }
    }
    for (name, utility) in names.iter().zip(&summary.utilities) {
        let _ = writeln!(out, "  {}: utility {utility:.3}", one_line(name));
    }
    let distance = |distance: Option<f64>| {
        distance.map_or("-".to_owned(), |distance| format!("{distance:.3}"))
    };
    let _ = writeln!(out, "distance to the Nash package: {}", distance(summary.distance_to_nash));
    let _ = writeln!(
        out,
        "distance to the Pareto frontier: {}",
        distance(summary.distance_to_frontier)
    );
    let _ = writeln!(out, "offer evaluations: {}", summary.n_offer_evaluations);
    crate::print(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// The files a tournament writes into its folder.
const TOURNAMENT_FILES: [&str; 3] = ["results.csv", "results.json", "report.html"];

/// A tournament's results and what they were run with.
pub(crate) struct FinishedTournament {
    results: Tournament,
    profiles: Vec<Profile>,
    scenarios: Vec<SimScenario>,
    n_threads: usize,
    wall: Duration,
}

/// Runs a tournament over loaded scenarios; `progress` is told the runs done and their total.
pub(crate) fn run_tournament_on(
    loaded: &[LoadedScenario],
    args: &TournamentArgs,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<FinishedTournament> {
    if args.seeds == 0 {
        bail!("--seeds must be at least 1");
    }
    let mut scenarios = Vec::new();
    for scenario in loaded {
        scenarios.push(
            SimScenario::from_scenario(&scenario.scenario)
                .with_context(|| format!("cannot simulate '{}'", scenario.file_name))?,
        );
    }
    let protocols = args
        .protocols
        .split(',')
        .filter(|name| !name.trim().is_empty())
        .map(Protocol::parse)
        .collect::<parley_sim::Result<Vec<Protocol>>>()?;
    let mut strategies: Vec<Strategy> = Vec::new();
    let mut mediators: Vec<MediatorStrategy> = Vec::new();
    for name in args.strategies.as_deref().unwrap_or("boulware,linear,conceder").split(',') {
        if name.trim().is_empty() {
            continue;
        }
        match StrategyName::parse(name)? {
            StrategyName::Party(strategy) => strategies.push(strategy),
            StrategyName::Mediator(mediator) => mediators.push(mediator),
        }
    }
    if strategies.is_empty() {
        strategies.push(Strategy::TimeBased { exponent: 1.0 });
    }
    let profiles = cross_profiles(&protocols, &mediators, &strategies);
    let seeds: Vec<u64> = (0..args.seeds as u64).collect();
    let n_threads = crate::thread_count(args.threads)?;
    let pool = parley_engine::control::build_thread_pool(n_threads)?;
    let origin = Instant::now();
    let clock = move || origin.elapsed();
    let start = Instant::now();
    let results = run_tournament(
        &scenarios,
        &profiles,
        &seeds,
        Deadline::Rounds(args.rounds),
        &pool,
        progress,
        Some(&clock),
    )?;
    let wall = start.elapsed();
    Ok(FinishedTournament { results, profiles, scenarios, n_threads, wall })
}

/// A tournament's results as `results.json` holds them.
pub(crate) fn tournament_json(
    loaded: &[LoadedScenario],
    args: &TournamentArgs,
    run: &FinishedTournament,
) -> Result<serde_json::Value> {
    let described: Vec<_> = loaded
        .iter()
        .zip(&run.scenarios)
        .map(|(loaded, scenario)| (loaded.file_name.as_str(), loaded.scenario.scenario(), scenario))
        .collect();
    let setup = parley_report::simulation::TournamentSetup {
        scenarios: &described,
        profiles: &run.profiles,
        seeds: args.seeds,
        deadline_rounds: args.rounds,
        threads: run.n_threads,
    };
    let report = parley_report::simulation::tournament_report(setup, &run.results, run.wall);
    serde_json::to_value(&report).context("cannot serialize the results")
}

/// Runs `parley tournament`.
pub(crate) fn tournament(args: &TournamentArgs) -> Result<ExitCode> {
    if args.seeds == 0 {
        bail!("--seeds must be at least 1");
    }
    // Refused before the runs, not after them: nothing is overwritten without --force.
    let outputs = TOURNAMENT_FILES.map(|name| args.out.join(name));
    if !args.force
        && let Some(existing) = outputs.iter().find(|path| path.exists())
    {
        bail!("'{}' exists; pass --force to overwrite it", existing.display());
    }
    let mut loaded = Vec::new();
    for path in &args.scenarios {
        loaded.push(load(std::slice::from_ref(path), None)?);
    }
    let new_bar = |total: usize| {
        let bar = indicatif::ProgressBar::new(total as u64);
        if std::io::stderr().is_terminal() {
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "tournament {bar:40} {pos}/{len} runs ({eta} left)",
                )
                .expect("the template is valid"),
            );
        } else {
            bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        }
        bar
    };
    let bar = std::sync::OnceLock::new();
    let progress = |done: usize, total: usize| {
        bar.get_or_init(|| new_bar(total)).set_position(done as u64);
    };
    let run = run_tournament_on(&loaded, args, &progress)?;
    if let Some(bar) = bar.get() {
        bar.finish_and_clear();
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create '{}'", args.out.display()))?;
    let FinishedTournament { results, profiles, scenarios, n_threads, wall } = &run;
    let report = tournament_report(results, profiles, &loaded, scenarios, args, *n_threads, *wall);
    write_atomically(
        &args.out.join("results.csv"),
        &parley_report::tournament::csv(&report),
        true,
    )?;
    let json = tournament_json(&loaded, args, &run)?;
    let mut text = serde_json::to_string_pretty(&json).context("cannot serialize the results")?;
    text.push('\n');
    write_atomically(&args.out.join("results.json"), &text, true)?;
    write_atomically(
        &args.out.join("report.html"),
        &parley_report::html::tournament::render(&report),
        true,
    )?;
    let n_runs = results.rows.len();
    anstream::eprintln!(
        "{n_runs} runs in {:.3} s on {n_threads} thread(s) ({:.0} negotiations/s); wrote results.csv, results.json and report.html to '{}'",
        wall.as_secs_f64(),
        n_runs as f64 / wall.as_secs_f64().max(1e-9),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The tournament's runs by name: scenarios, parties, strategies, issues and options.
fn tournament_report(
    results: &Tournament,
    profiles: &[Profile],
    loaded: &[LoadedScenario],
    scenarios: &[SimScenario],
    args: &TournamentArgs,
    n_threads: usize,
    wall: Duration,
) -> TournamentReport {
    let aggregate = |aggregate: &StrategyAggregate| TournamentAggregate {
        name: aggregate.strategy.clone(),
        runs: aggregate.n_runs,
        agreement_rate: aggregate.agreement_rate,
        mean_utility: aggregate.mean_utility,
        mean_distance_to_nash: aggregate.mean_distance_to_nash,
        negotiations_per_second: aggregate.negotiations_per_second,
    };
    let runs = results
        .rows
        .iter()
        .map(|row| {
            let profile = &profiles[row.profile_idx];
            let record = loaded[row.scenario_idx].scenario.scenario();
            let n_parties = row.summary.utilities.len();
            TournamentRun {
                scenario_idx: row.scenario_idx,
                protocol: profile.protocol.name().to_owned(),
                mediator: profile
                    .protocol
                    .has_mediator()
                    .then(|| profile.mediator.name().to_owned()),
                profile: profile.label(),
                strategies: (0..n_parties)
                    .map(|party_idx| profile.strategy_of(party_idx).name())
                    .collect(),
                seed: row.seed,
                agreement: row.summary.agreement.as_ref().map(|outcome| {
                    outcome
                        .iter()
                        .zip(&record.issues)
                        .map(|(&option, issue)| {
                            issue.options[usize::from(option)].id.as_str().to_owned()
                        })
                        .collect()
                }),
                rounds: row.summary.rounds,
                utilities: row.summary.utilities.clone(),
                distance_to_nash: row.summary.distance_to_nash,
                distance_to_frontier: row.summary.distance_to_frontier,
                offer_evaluations: row.summary.n_offer_evaluations,
                elapsed_seconds: row.elapsed.map(|elapsed| elapsed.as_secs_f64()),
            }
        })
        .collect();
    TournamentReport {
        scenarios: loaded
            .iter()
            .zip(scenarios)
            .map(|(loaded, scenario)| TournamentScenario {
                file: loaded.file_name.clone(),
                id: loaded.scenario.scenario().id.as_str().to_owned(),
                parties: scenario.party_names().to_vec(),
                issues: loaded
                    .scenario
                    .scenario()
                    .issues
                    .iter()
                    .map(|issue| issue.id.as_str().to_owned())
                    .collect(),
            })
            .collect(),
        seeds: args.seeds,
        deadline_rounds: args.rounds,
        elapsed_seconds: wall.as_secs_f64(),
        threads: n_threads,
        runs,
        by_strategy: results.by_strategy.iter().map(aggregate).collect(),
        by_profile: results.by_profile.iter().map(aggregate).collect(),
    }
}
