//! `parley simulate` and `parley tournament`: the command-line side of parley-sim.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use parley_report::terminal::escape_controls;
use parley_sim::protocol::{Deadline, Protocol, SimOptions};
use parley_sim::scenario::SimScenario;
use parley_sim::strategy::{MediatorStrategy, Profile, Strategy, StrategyName};
use parley_sim::tournament::{StrategyAggregate, Tournament, cross_profiles, run_tournament};
use parley_sim::transcript::{Speaker, Summary};
use serde_json::{Value, json};

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
pub(crate) fn simulation_json(args: &SimulateArgs, loaded: &LoadedScenario) -> Result<Value> {
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
    let start = Instant::now();
    let run = parley_sim::simulate::simulate(&scenario, &profile, &options)?;
    let elapsed = start.elapsed();
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
    let events: Vec<Value> = transcript
        .events
        .iter()
        .map(|event| {
            json!({
                "round": event.round,
                "time": event.time,
                "speaker": speaker_name(event.speaker),
                "action": event.action.name(),
                "outcome": event.outcome,
                "options": outcome_ids(&event.outcome),
                "utilities": event.utilities,
            })
        })
        .collect();
    let value = json!({
        "format": "parley-simulation-1",
        "scenario": { "file": loaded.file_name, "id": record.id.as_str() },
        "protocol": protocol.name(),
        "mediator": profile.protocol.has_mediator().then(|| profile.mediator.name()),
        "parties": names,
        "issues": record.issues.iter().map(|issue| issue.id.as_str()).collect::<Vec<_>>(),
        "strategies": strategies,
        "seed": args.seed,
        "deadline_rounds": args.rounds,
        "transcript": events,
        "summary": summary_json(&run.summary, &outcome_ids),
        "elapsed_seconds": elapsed.as_secs_f64(),
    });
    Ok(value)
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

fn summary_json(summary: &Summary, outcome_ids: &dyn Fn(&[u16]) -> Vec<String>) -> Value {
    json!({
        "agreement": summary.agreement,
        "agreement_options": summary.agreement.as_deref().map(outcome_ids),
        "rounds": summary.rounds,
        "time": summary.time,
        "utilities": summary.utilities,
        "distance_to_nash": summary.distance_to_nash,
        "distance_to_frontier": summary.distance_to_frontier,
        "offer_evaluations": summary.n_offer_evaluations,
    })
}

/// A tournament's results and what they were run with.
pub(crate) struct TournamentRun {
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
) -> Result<TournamentRun> {
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
    Ok(TournamentRun { results, profiles, scenarios, n_threads, wall })
}

/// A tournament's results as `results.json` holds them.
pub(crate) fn tournament_json(
    loaded: &[LoadedScenario],
    args: &TournamentArgs,
    run: &TournamentRun,
) -> Value {
    results_json(&run.results, &run.profiles, loaded, &run.scenarios, args, run.n_threads, run.wall)
}

/// The files a tournament writes into its folder.
const TOURNAMENT_FILES: [&str; 3] = ["results.csv", "results.json", "report.html"];

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
    let TournamentRun { results, profiles, scenarios, n_threads, wall } = run;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create '{}'", args.out.display()))?;
    let names: Vec<String> = loaded.iter().map(|scenario| scenario.file_name.clone()).collect();
    write_atomically(
        &args.out.join("results.csv"),
        &results_csv(&results, &profiles, &names),
        true,
    )?;
    let json = results_json(&results, &profiles, &loaded, &scenarios, args, n_threads, wall);
    let mut text = serde_json::to_string_pretty(&json).context("cannot serialize the results")?;
    text.push('\n');
    write_atomically(&args.out.join("results.json"), &text, true)?;
    write_atomically(
        &args.out.join("report.html"),
        &report_html(&results, &names, args, wall),
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

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn optional(value: Option<f64>) -> String {
    value.map_or(String::new(), |value| format!("{value}"))
}

fn results_csv(results: &Tournament, profiles: &[Profile], names: &[String]) -> String {
    let mut out = String::from(
        "scenario,protocol,profile,seed,agreement,rounds,utilities,distance_to_nash,distance_to_frontier,offer_evaluations,elapsed_seconds\n",
    );
    for row in &results.rows {
        let profile = &profiles[row.profile_idx];
        let utilities: Vec<String> =
            row.summary.utilities.iter().map(|utility| format!("{utility}")).collect();
        let agreement = row.summary.agreement.as_ref().map_or(String::new(), |outcome| {
            outcome.iter().map(u16::to_string).collect::<Vec<_>>().join(" ")
        });
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}",
            csv_field(&names[row.scenario_idx]),
            profile.protocol.name(),
            csv_field(&profile.label()),
            row.seed,
            agreement,
            row.summary.rounds,
            utilities.join(" "),
            optional(row.summary.distance_to_nash),
            optional(row.summary.distance_to_frontier),
            row.summary.n_offer_evaluations,
            optional(row.elapsed.map(|elapsed| elapsed.as_secs_f64())),
        );
    }
    out
}

fn aggregate_json(aggregate: &StrategyAggregate) -> Value {
    json!({
        "name": aggregate.strategy,
        "runs": aggregate.n_runs,
        "agreement_rate": aggregate.agreement_rate,
        "mean_utility": aggregate.mean_utility,
        "mean_distance_to_nash": aggregate.mean_distance_to_nash,
        "negotiations_per_second": aggregate.negotiations_per_second,
    })
}

fn results_json(
    results: &Tournament,
    profiles: &[Profile],
    loaded: &[LoadedScenario],
    scenarios: &[SimScenario],
    args: &TournamentArgs,
    n_threads: usize,
    wall: Duration,
) -> Value {
    let busy: f64 = results
        .rows
        .iter()
        .filter_map(|row| row.elapsed)
        .map(|elapsed| elapsed.as_secs_f64())
        .sum();
    let n_runs = results.rows.len();
    json!({
        "format": "parley-tournament-1",
        "scenarios": loaded.iter().zip(scenarios).map(|(loaded, scenario)| json!({
            "file": loaded.file_name,
            "id": loaded.scenario.scenario().id.as_str(),
            "parties": scenario.party_names(),
        })).collect::<Vec<_>>(),
        "profiles": profiles.iter().map(|profile| json!({
            "label": profile.label(),
            "protocol": profile.protocol.name(),
            "mediator": profile.mediator.name(),
            "strategies": profile.parties.iter().map(Strategy::name).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "seeds": args.seeds,
        "deadline_rounds": args.rounds,
        "threads": n_threads,
        "runs": n_runs,
        "elapsed_seconds": wall.as_secs_f64(),
        "negotiations_per_second": n_runs as f64 / wall.as_secs_f64().max(1e-9),
        "negotiations_per_second_per_core": if busy > 0.0 { Some(n_runs as f64 / busy) } else { None },
        "offer_evaluations": results.n_offer_evaluations,
        "offer_evaluations_per_second_per_core": if busy > 0.0 { Some(results.n_offer_evaluations as f64 / busy) } else { None },
        "by_strategy": results.by_strategy.iter().map(aggregate_json).collect::<Vec<_>>(),
        "by_profile": results.by_profile.iter().map(aggregate_json).collect::<Vec<_>>(),
        "rows": results.rows.iter().map(|row| json!({
            "scenario": row.scenario_idx,
            "profile": row.profile_idx,
            "seed": row.seed,
            "agreement": row.summary.agreement,
            "rounds": row.summary.rounds,
            "utilities": row.summary.utilities,
            "distance_to_nash": row.summary.distance_to_nash,
            "distance_to_frontier": row.summary.distance_to_frontier,
            "offer_evaluations": row.summary.n_offer_evaluations,
            "elapsed_seconds": row.elapsed.map(|elapsed| elapsed.as_secs_f64()),
        })).collect::<Vec<_>>(),
    })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The width that labels of 12-pixel text need, estimated from their longest one.
fn label_width<'a>(labels: impl Iterator<Item = &'a String>) -> f64 {
    let longest = labels.map(|label| label.chars().count()).max().unwrap_or(0);
    (longest as f64 * 7.0 + 12.0).max(120.0)
}

/// A horizontal bar chart of values in [0, 1], one bar per label.
fn bar_chart(title: &str, bars: &[(String, f64)]) -> String {
    let (label_width, bar_width, row_height) =
        (label_width(bars.iter().map(|(label, _)| label)), 360.0, 22.0);
    let height = 30.0 + row_height * bars.len() as f64;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\"><title>{}</title>",
        label_width + bar_width + 60.0,
        escape(title)
    );
    for (bar_idx, (label, value)) in bars.iter().enumerate() {
        let y = 10.0 + row_height * bar_idx as f64;
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}</text><rect x=\"{label_width}\" y=\"{}\" width=\"{:.1}\" height=\"{}\" fill=\"#4c78a8\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"12\">{:.0}%</text>",
            label_width - 6.0,
            y + 14.0,
            escape(label),
            y + 3.0,
            bar_width * value.clamp(0.0, 1.0),
            row_height - 6.0,
            label_width + bar_width * value.clamp(0.0, 1.0) + 4.0,
            y + 14.0,
            value * 100.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A box plot (quartiles, whiskers at the extremes) of each label's values, on [lo, hi].
fn box_plot(title: &str, groups: &[(String, Vec<f64>)]) -> String {
    let (label_width, plot_width, row_height) =
        (label_width(groups.iter().map(|(label, _)| label)), 360.0, 26.0);
    let lo = groups
        .iter()
        .flat_map(|(_, values)| values.iter().copied())
        .fold(f64::INFINITY, f64::min)
        .min(0.0);
    let hi = groups
        .iter()
        .flat_map(|(_, values)| values.iter().copied())
        .fold(f64::NEG_INFINITY, f64::max)
        .max(1.0);
    let x = |value: f64| label_width + plot_width * (value - lo) / (hi - lo);
    let height = 40.0 + row_height * groups.len() as f64;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\"><title>{}</title>",
        label_width + plot_width + 40.0,
        escape(title)
    );
    for (group_idx, (label, values)) in groups.iter().enumerate() {
        let y = 10.0 + row_height * group_idx as f64;
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}</text>",
            label_width - 6.0,
            y + 15.0,
            escape(label)
        );
        if values.is_empty() {
            continue;
        }
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let quantile = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
        let (min, q1, median, q3, max) =
            (sorted[0], quantile(0.25), quantile(0.5), quantile(0.75), sorted[sorted.len() - 1]);
        let middle = y + 10.0;
        let _ = write!(
            svg,
            "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{middle}\" y2=\"{middle}\" stroke=\"#555\"/><rect x=\"{:.1}\" y=\"{}\" width=\"{:.1}\" height=\"16\" fill=\"#9ecae9\" stroke=\"#555\"/><line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{}\" y2=\"{}\" stroke=\"#000\" stroke-width=\"2\"/>",
            x(min),
            x(max),
            x(q1),
            y + 2.0,
            (x(q3) - x(q1)).max(1.0),
            x(median),
            x(median),
            y + 2.0,
            y + 18.0
        );
    }
    let axis_y = 14.0 + row_height * groups.len() as f64;
    for tick in 0..=4 {
        let value = lo + (hi - lo) * f64::from(tick) / 4.0;
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\">{value:.2}</text>",
            x(value),
            axis_y + 12.0
        );
    }
    svg.push_str("</svg>");
    svg
}

fn report_html(
    results: &Tournament,
    names: &[String],
    args: &TournamentArgs,
    wall: Duration,
) -> String {
    let agreement: Vec<(String, f64)> = results
        .by_strategy
        .iter()
        .map(|aggregate| (aggregate.strategy.clone(), aggregate.agreement_rate))
        .collect();
    let profile_agreement: Vec<(String, f64)> = results
        .by_profile
        .iter()
        .map(|aggregate| (aggregate.strategy.clone(), aggregate.agreement_rate))
        .collect();
    let mut html = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Parley tournament</title><style>body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}td:first-child,th:first-child{text-align:left}</style></head><body>\n<h1>Parley tournament</h1>\n",
    );
    let _ = writeln!(
        html,
        "<p>{} scenario(s): {}. {} seeds, deadline {} rounds, {} runs in {:.3} s.</p>",
        names.len(),
        escape(
            &names
                .iter()
                .map(|name| name.trim_end_matches('/').rsplit('/').next().unwrap_or(name))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        args.seeds,
        args.rounds,
        results.rows.len(),
        wall.as_secs_f64()
    );
    html.push_str("<h2>Agreement rate per strategy</h2>\n");
    html.push_str(&bar_chart("Agreement rate per strategy", &agreement));
    html.push_str("\n<h2>Utility of the parties playing each strategy</h2>\n<p>Box: quartiles and median; whiskers: lowest and highest. Without agreement a party gets its disagreement point.</p>\n");
    // The utilities per strategy, from the per-profile strategy assignment.
    let groups: Vec<(String, Vec<f64>)> = results
        .by_strategy
        .iter()
        .map(|aggregate| (aggregate.strategy.clone(), Vec::new()))
        .collect();
    let mut groups = groups;
    for row in &results.rows {
        let label = &results.by_profile[row.profile_idx].strategy;
        let strategy_names = profile_strategy_names(label, row.summary.utilities.len());
        for (party_idx, utility) in row.summary.utilities.iter().enumerate() {
            if let Some(group) =
                groups.iter_mut().find(|(name, _)| *name == strategy_names[party_idx])
            {
                group.1.push(*utility);
            }
        }
    }
    html.push_str(&box_plot("Utility per strategy", &groups));
    html.push_str("\n<h2>Agreement rate per profile</h2>\n");
    html.push_str(&bar_chart("Agreement rate per profile", &profile_agreement));
    html.push_str("\n<h2>Per strategy</h2>\n<table><tr><th>strategy</th><th>runs</th><th>agreement rate</th><th>mean utility</th><th>mean distance to Nash</th><th>negotiations/s per core</th></tr>\n");
    for aggregate in &results.by_strategy {
        html.push_str(&aggregate_row(aggregate));
    }
    html.push_str("</table>\n<h2>Per profile</h2>\n<table><tr><th>profile</th><th>runs</th><th>agreement rate</th><th>mean utility</th><th>mean distance to Nash</th><th>negotiations/s per core</th></tr>\n");
    for aggregate in &results.by_profile {
        html.push_str(&aggregate_row(aggregate));
    }
    html.push_str("</table>\n</body></html>\n");
    html
}

/// The party strategies of a profile label (`protocol [mediator] a,b`), one per party.
fn profile_strategy_names(label: &str, n_parties: usize) -> Vec<String> {
    let list = label.rsplit(' ').next().unwrap_or("");
    let names: Vec<&str> = list.split(',').collect();
    (0..n_parties).map(|party_idx| names[party_idx.min(names.len() - 1)].to_owned()).collect()
}

fn aggregate_row(aggregate: &StrategyAggregate) -> String {
    format!(
        "<tr><td>{}</td><td>{}</td><td>{:.1}%</td><td>{:.3}</td><td>{}</td><td>{}</td></tr>\n",
        escape(&aggregate.strategy),
        aggregate.n_runs,
        aggregate.agreement_rate * 100.0,
        aggregate.mean_utility,
        aggregate.mean_distance_to_nash.map_or("-".to_owned(), |distance| format!("{distance:.3}")),
        aggregate.negotiations_per_second.map_or("-".to_owned(), |rate| format!("{rate:.0}")),
    )
}
