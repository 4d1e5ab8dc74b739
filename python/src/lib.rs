//! The `parley._parley` native module: scenarios, analyses, single steps, simulations and
//! tournaments, computed by Parley's crates with the interpreter's lock released. The
//! `parley` package (`parley/__init__.py`) wraps it in the documented API.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray2};
use parley_cli::api::{self, Computed, LoadedScenario};
use parley_engine::outcome_set::OutcomeSet;
use parley_engine::solutions::Package;
use parley_engine::space::{Scope, UtilitySpace};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// The exception of `parley._errors` named `kind`, with `message`.
fn error(py: Python<'_>, kind: &str, message: String) -> PyErr {
    let class = py.import("parley._errors").and_then(|module| module.getattr(kind));
    match class.and_then(|class| class.call1((message,))) {
        Ok(value) => PyErr::from_value(value),
        Err(err) => err,
    }
}

/// An error of the command line's library, with the message `parley` prints for it.
fn cli_error(py: Python<'_>, kind: &str, err: &parley_cli::api::Error) -> PyErr {
    error(py, kind, parley_cli::error_text(err))
}

/// A scenario, loaded and validated.
#[pyclass(frozen, module = "parley._parley")]
struct Scenario {
    loaded: Arc<LoadedScenario>,
    notes: Vec<String>,
    /// The point-estimate space the single steps run on, compiled at the first one: the
    /// scenario does not change.
    compiled: OnceLock<Arc<CompiledSpace>>,
}

/// A scenario's point-estimate space, with its indifferent issues narrowed, and the labels
/// its outcomes are reported with.
struct CompiledSpace {
    space: UtilitySpace,
    issues: Arc<Vec<IssueLabel>>,
    party_ids: Arc<Vec<String>>,
}

impl Scenario {
    fn new(loaded: LoadedScenario, notes: Vec<String>) -> Scenario {
        Scenario { loaded: Arc::new(loaded), notes, compiled: OnceLock::new() }
    }

    /// The point-estimate space of an additive scenario, compiled once.
    fn compiled(&self, py: Python<'_>) -> PyResult<Arc<CompiledSpace>> {
        if let Some(compiled) = self.compiled.get() {
            return Ok(Arc::clone(compiled));
        }
        let loaded = &self.loaded;
        if parley_analysis::constraints::has_constraint_utilities(&loaded.scenario) {
            return Err(error(
                py,
                "AnalysisError",
                "the scenario has constraint (non-linear) utilities, which the single steps cannot hold; use analyze()".to_owned(),
            ));
        }
        let parties = parley_model::utility::party_utilities(&loaded.scenario, None);
        let space = parley_analysis::compile_space(&loaded.scenario, &parties)
            .map_err(|err| error(py, "AnalysisError", err.to_string()))?;
        let (space, indifferent) = space.without_indifference();
        let party_ids = parties.iter().map(|party| party.party.as_str().to_owned()).collect();
        let (issues, party_ids) = labels(loaded, party_ids, &indifferent);
        let compiled = Arc::new(CompiledSpace { space, issues, party_ids });
        Ok(Arc::clone(self.compiled.get_or_init(|| compiled)))
    }
}

#[pymethods]
impl Scenario {
    /// The scenario's id.
    #[getter]
    fn id(&self) -> String {
        self.loaded.scenario.scenario().id.as_str().to_owned()
    }

    /// The scenario's title.
    #[getter]
    fn title(&self) -> String {
        self.loaded.scenario.scenario().title.clone()
    }

    /// The name the scenario is reported under: the file or folder as given.
    #[getter]
    fn file_name(&self) -> String {
        self.loaded.file_name.clone()
    }

    /// The ids of every party, in the scenario's order.
    #[getter]
    fn parties(&self) -> Vec<String> {
        let record = self.loaded.scenario.scenario();
        record.parties.iter().map(|party| party.id.as_str().to_owned()).collect()
    }

    /// The ids of the parties whose utilities are analysed (those whose consent is needed).
    #[getter]
    fn negotiating_parties(&self) -> Vec<String> {
        let record = self.loaded.scenario.scenario();
        parley_model::utility::negotiating_parties(&self.loaded.scenario)
            .into_iter()
            .map(|party_idx| record.parties[party_idx].id.as_str().to_owned())
            .collect()
    }

    /// Each issue's id with its options' ids, in the scenario's order.
    #[getter]
    fn issues<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let issues = PyDict::new(py);
        for issue in &self.loaded.scenario.scenario().issues {
            let options: Vec<&str> =
                issue.options.iter().map(|option| option.id.as_str()).collect();
            issues.set_item(issue.id.as_str(), options)?;
        }
        Ok(issues)
    }

    /// What validation warned about, one rendered line each.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.loaded
            .warnings
            .iter()
            .map(|diagnostic| diagnostic.render(&self.loaded.file_name))
            .collect()
    }

    /// What the GENIUS reader read leniently or skipped, one line each.
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.notes.clone()
    }

    /// The scenario as TOML, in the scenario file's format.
    fn to_toml(&self) -> String {
        api::to_toml(&self.loaded)
    }

    /// Writes the scenario as a GENIUS folder, as `parley export genius` does.
    #[pyo3(signature = (output, force = false, lossy = false))]
    fn to_genius(&self, py: Python<'_>, output: PathBuf, force: bool, lossy: bool) -> PyResult<()> {
        let loaded = Arc::clone(&self.loaded);
        py.detach(|| api::to_genius(&loaded, &output, force, lossy))
            .map_err(|err| cli_error(py, "ParleyError", &err))
    }

    fn __repr__(&self) -> String {
        let record = self.loaded.scenario.scenario();
        format!(
            "<parley.Scenario '{}': {} parties, {} issues>",
            record.id.as_str(),
            record.parties.len(),
            record.issues.len()
        )
    }
}

/// Loads a scenario from files, as `parley analyze PATHS [--domain DOMAIN]` does.
#[pyfunction]
#[pyo3(signature = (paths, domain = None))]
fn load(py: Python<'_>, paths: Vec<PathBuf>, domain: Option<String>) -> PyResult<Scenario> {
    let (loaded, notes) = py
        .detach(|| api::load(&paths, domain.as_deref()))
        .map_err(|err| cli_error(py, "ScenarioError", &err))?;
    Ok(Scenario::new(loaded, notes))
}

/// The built-in scenario.
#[pyfunction]
fn builtin(py: Python<'_>) -> PyResult<Scenario> {
    let loaded = api::builtin().map_err(|err| cli_error(py, "ScenarioError", &err))?;
    Ok(Scenario::new(loaded, Vec::new()))
}

/// A scenario from TOML text, reported under `file_name`.
#[pyfunction]
#[pyo3(signature = (text, file_name = "<text>"))]
fn from_toml(py: Python<'_>, text: &str, file_name: &str) -> PyResult<Scenario> {
    let loaded =
        api::from_toml(text, file_name).map_err(|err| cli_error(py, "ScenarioError", &err))?;
    Ok(Scenario::new(loaded, Vec::new()))
}

/// The scenario file (TOML) of a utility space: each party's weight of each issue, value of
/// each option and reservation, as numbers the analysis reads as stated.
#[pyfunction]
#[pyo3(signature = (name, parties, issues, weights, values, reservations))]
fn space_toml(
    name: &str,
    parties: Vec<String>,
    issues: Vec<(String, Vec<String>)>,
    weights: Vec<Vec<f64>>,
    values: Vec<Vec<Vec<f64>>>,
    reservations: Vec<Option<f64>>,
) -> String {
    use toml::{Table, Value};
    let table = |pairs: Vec<(&str, Value)>| -> Value {
        Value::Table(pairs.into_iter().map(|(key, value)| (key.to_owned(), value)).collect())
    };
    let text = |text: &str| Value::String(text.to_owned());
    let mut document = Table::new();
    document.insert("scenario".to_owned(), table(vec![("id", text(name)), ("title", text(name))]));
    let party_tables = parties
        .iter()
        .zip(&reservations)
        .map(|(party, reservation)| {
            let mut fields =
                vec![("id", text(party)), ("name", text(party)), ("role", text("principal"))];
            if let Some(reservation) = reservation {
                fields.push((
                    "reservation",
                    table(vec![("value", Value::Float(*reservation)), ("basis", text("stated"))]),
                ));
            }
            table(fields)
        })
        .collect();
    document.insert("parties".to_owned(), Value::Array(party_tables));
    let issue_tables = issues
        .iter()
        .map(|(issue, options)| {
            let options = options.iter().map(|option| table(vec![("id", text(option))])).collect();
            table(vec![
                ("id", text(issue)),
                ("title", text(issue)),
                ("category", text("other")),
                ("options", Value::Array(options)),
            ])
        })
        .collect();
    document.insert("issues".to_owned(), Value::Array(issue_tables));
    let mut positions = Vec::new();
    for (party_idx, party) in parties.iter().enumerate() {
        for (issue_idx, (issue, options)) in issues.iter().enumerate() {
            let stances: Table = options
                .iter()
                .zip(&values[party_idx][issue_idx])
                .map(|(option, value)| (option.clone(), Value::Float(*value)))
                .collect();
            positions.push(table(vec![
                ("party", text(party)),
                ("issue", text(issue)),
                ("weight", Value::Float(weights[party_idx][issue_idx])),
                ("confidence", text("stated")),
                ("stances", Value::Table(stances)),
            ]));
        }
    }
    document.insert("positions".to_owned(), Value::Array(positions));
    document.to_string()
}

/// Outcomes of a space with their utilities: a frontier, or a package with its ties.
#[pyclass(frozen, module = "parley._parley")]
struct Frontier {
    set: OutcomeSet,
    issues: Arc<Vec<IssueLabel>>,
    party_ids: Arc<Vec<String>>,
    complete: bool,
}

#[pymethods]
impl Frontier {
    /// The parties, in the order of the utilities' columns.
    #[getter]
    fn parties(&self) -> Vec<String> {
        self.party_ids.to_vec()
    }

    /// Each outcome as a dict from issue id to option id; `None` on an issue whose options
    /// no party tells apart.
    #[getter]
    fn outcomes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let outcomes = PyList::empty(py);
        for (outcome, _) in self.set.iter() {
            let dict = PyDict::new(py);
            for (issue, &option_idx) in self.issues.iter().zip(outcome) {
                if issue.indifferent {
                    dict.set_item(&issue.id, py.None())?;
                } else {
                    dict.set_item(&issue.id, &issue.options[usize::from(option_idx)])?;
                }
            }
            outcomes.append(dict)?;
        }
        Ok(outcomes)
    }

    /// The option index of each issue of each outcome, as an array (outcomes x issues).
    #[getter]
    fn indices<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<i64>> {
        let flat: Vec<i64> = self
            .set
            .iter()
            .flat_map(|(outcome, _)| outcome.iter().map(|&o| i64::from(o)))
            .collect();
        Array2::from_shape_vec((self.set.len(), self.set.n_issues()), flat)
            .expect("one index per issue of each outcome")
            .into_pyarray(py)
    }

    /// The utilities of each party for each outcome, as an array (outcomes x parties).
    #[getter]
    fn utilities<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f64>> {
        let flat: Vec<f64> =
            self.set.iter().flat_map(|(_, utilities)| utilities.iter().copied()).collect();
        Array2::from_shape_vec((self.set.len(), self.party_ids.len()), flat)
            .expect("one utility per party of each outcome")
            .into_pyarray(py)
    }

    /// Whether every outcome is listed (a step cut short by its budget lists what it found).
    #[getter]
    fn complete(&self) -> bool {
        self.complete
    }

    fn __len__(&self) -> usize {
        self.set.len()
    }

    fn __repr__(&self) -> String {
        format!("<parley.Frontier: {} outcomes, parties {:?}>", self.set.len(), self.party_ids)
    }
}

/// An issue as a frontier's outcomes name it.
struct IssueLabel {
    id: String,
    options: Vec<String>,
    /// Whether no party tells its options apart: the outcomes then say `None` (any option).
    indifferent: bool,
}

/// What frontiers are reported in: the issues and the negotiating parties.
fn labels(
    loaded: &LoadedScenario,
    party_ids: Vec<String>,
    indifferent: &[usize],
) -> (Arc<Vec<IssueLabel>>, Arc<Vec<String>>) {
    let issues = loaded
        .scenario
        .scenario()
        .issues
        .iter()
        .enumerate()
        .map(|(issue_idx, issue)| {
            let options = issue.options.iter().map(|option| option.id.as_str().to_owned());
            IssueLabel {
                id: issue.id.as_str().to_owned(),
                options: options.collect(),
                indifferent: indifferent.contains(&issue_idx),
            }
        })
        .collect();
    (Arc::new(issues), Arc::new(party_ids))
}

/// An analysis, as `parley analyze` runs it.
#[pyclass(frozen, module = "parley._parley")]
struct Analysis {
    loaded: Arc<LoadedScenario>,
    computed: Computed,
    args: parley_cli::args::AnalysisArgs,
    warnings: Vec<String>,
}

impl Analysis {
    fn pick_set(
        &self,
        pick: impl Fn(&parley_analysis::Analysis) -> Option<&OutcomeSet>,
    ) -> Option<Frontier> {
        match &self.computed {
            Computed::Additive(Some(analysis)) => {
                let set = pick(analysis)?.clone();
                let parties =
                    analysis.parties.iter().map(|party| party.party.as_str().to_owned()).collect();
                let (issues, party_ids) =
                    labels(&self.loaded, parties, &analysis.indifferent_issues);
                Some(Frontier { set, issues, party_ids, complete: true })
            }
            _ => None,
        }
    }
}

#[pymethods]
impl Analysis {
    /// The report `parley analyze --json` prints (`--full` when `full`), as JSON text.
    #[pyo3(signature = (full = false))]
    fn to_json(&self, py: Python<'_>, full: bool) -> PyResult<String> {
        let max_points = (!full).then_some(parley_cli::args::DEFAULT_MAX_POINTS);
        py.detach(|| {
            let (report, _) = api::report(&self.loaded, &self.computed, &self.args, max_points);
            api::report_json(&report)
        })
        .map_err(|err| cli_error(py, "ParleyError", &err))
    }

    /// The Pareto frontier of the agreement zone; `None` when cut short or not additive.
    #[getter]
    fn frontier(&self) -> Option<Frontier> {
        self.pick_set(|analysis| analysis.frontier.as_ref())
    }

    /// The Pareto frontier of every outcome, ignoring red lines and reservations.
    #[getter]
    fn unrestricted_frontier(&self) -> Option<Frontier> {
        self.pick_set(|analysis| analysis.unrestricted_frontier.as_ref())
    }

    /// The package `name` (`nash`, `kalai`, `egalitarian`, `utilitarian`) with
    /// its ties; `None` when cut short or not additive.
    fn solution(&self, py: Python<'_>, name: &str) -> PyResult<Option<Frontier>> {
        let pick: fn(&parley_analysis::Analysis) -> Option<&OutcomeSet> = match name {
            "nash" => |a: &parley_analysis::Analysis| a.solutions.nash.as_ref(),
            "kalai" => |a: &parley_analysis::Analysis| a.solutions.kalai_smorodinsky.as_ref(),
            "egalitarian" => |a: &parley_analysis::Analysis| a.solutions.egalitarian.as_ref(),
            "utilitarian" => |a: &parley_analysis::Analysis| a.solutions.utilitarian.as_ref(),
            _ => {
                return Err(error(
                    py,
                    "OptionsError",
                    format!(
                        "unknown solution '{name}', expected nash, kalai, egalitarian or utilitarian"
                    ),
                ));
            }
        };
        Ok(self.pick_set(pick))
    }

    /// The steps cut short by their budget.
    #[getter]
    fn cut_short(&self) -> Vec<String> {
        match &self.computed {
            Computed::Additive(Some(analysis)) => {
                analysis.cut_short.iter().map(|cut| cut.step.to_owned()).collect()
            }
            Computed::Additive(None) => Vec::new(),
            Computed::Constraints { analysis, .. } => {
                analysis.cut_short.iter().map(|cut| cut.step.to_owned()).collect()
            }
        }
    }

    /// What `parley analyze` warns about on standard error (a reference frontier that does
    /// not match).
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }
}

/// Runs `parley analyze`'s analysis with its flags (`["--samples", "10"]`).
#[pyfunction]
fn analyze(py: Python<'_>, scenario: &Scenario, flags: Vec<String>) -> PyResult<Analysis> {
    let args = api::analysis_args(&flags).map_err(|err| cli_error(py, "OptionsError", &err))?;
    // A thread count the pool refuses is a bad option, found before the analysis starts.
    pool(py, args.threads)?;
    let loaded = Arc::clone(&scenario.loaded);
    let computed = py
        .detach(|| api::compute(&loaded, &args))
        .map_err(|err| cli_error(py, "AnalysisError", &err))?;
    let (_, warnings) = api::report(&loaded, &computed, &args, Some(0));
    Ok(Analysis { loaded, computed, args, warnings })
}

/// The thread pool of `threads` threads (default: `PARLEY_MAX_THREADS`, else every core),
/// built once per count: starting threads costs more than a step on a small space.
fn pool(py: Python<'_>, threads: Option<usize>) -> PyResult<Arc<rayon::ThreadPool>> {
    static POOLS: Mutex<Vec<(usize, Arc<rayon::ThreadPool>)>> = Mutex::new(Vec::new());
    let n_threads =
        api::thread_count(threads).map_err(|err| cli_error(py, "OptionsError", &err))?;
    let mut pools = POOLS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, pool)) = pools.iter().find(|(count, _)| *count == n_threads) {
        return Ok(Arc::clone(pool));
    }
    let pool = parley_engine::control::build_thread_pool(n_threads)
        .map_err(|err| error(py, "OptionsError", err.to_string()))?;
    let pool = Arc::new(pool);
    pools.push((n_threads, Arc::clone(&pool)));
    Ok(pool)
}

/// One exact step on a scenario's point-estimate space: `frontier`, `unrestricted_frontier`,
/// `nash`, `kalai`, `egalitarian` or `utilitarian`. A package is found on the
/// zone's frontier when one is given (from the same scenario), else by its own search.
#[pyfunction]
#[pyo3(signature = (scenario, step, frontier = None, threads = None))]
fn single_step(
    py: Python<'_>,
    scenario: &Scenario,
    step: &str,
    frontier: Option<&Frontier>,
    threads: Option<usize>,
) -> PyResult<Frontier> {
    let package = match step {
        "frontier" | "unrestricted_frontier" => None,
        "nash" => Some(Package::Nash),
        "kalai" => Some(Package::KalaiSmorodinsky),
        "egalitarian" => Some(Package::Egalitarian),
        "utilitarian" => Some(Package::Utilitarian),
        _ => {
            return Err(error(
                py,
                "OptionsError",
                format!(
                    "unknown step '{step}', expected frontier, unrestricted_frontier, nash, kalai, egalitarian or utilitarian"
                ),
            ));
        }
    };
    let compiled = scenario.compiled(py)?;
    let space = &compiled.space;
    if let Some(frontier) = frontier
        && (frontier.set.n_issues() != space.n_issues() || frontier.party_ids != compiled.party_ids)
    {
        return Err(error(
            py,
            "OptionsError",
            "the frontier given is not one of this scenario".to_owned(),
        ));
    }
    let pool = pool(py, threads)?;
    let control = parley_engine::control::Control::none();
    let set = py
        .detach(|| match package {
            None => {
                let scope = if step == "frontier" { Scope::Zone } else { Scope::Unrestricted };
                parley_engine::frontier::pareto_frontier(space, scope, &pool, &control)
            }
            Some(package) => parley_engine::solutions::package(
                space,
                package,
                frontier.map(|frontier| &frontier.set),
                &pool,
                &control,
            ),
        })
        .map_err(|err| error(py, "AnalysisError", err.to_string()))?;
    Ok(Frontier {
        set,
        issues: Arc::clone(&compiled.issues),
        party_ids: Arc::clone(&compiled.party_ids),
        complete: true,
    })
}

/// Simulates one negotiation as `parley simulate --json` does, with its flags; returns the
/// JSON text it prints.
#[pyfunction]
fn simulate(py: Python<'_>, scenario: &Scenario, flags: Vec<String>) -> PyResult<String> {
    let args = api::simulate_args(&flags).map_err(|err| cli_error(py, "OptionsError", &err))?;
    let loaded = Arc::clone(&scenario.loaded);
    let value = py
        .detach(|| api::simulate(&loaded, &args))
        .map_err(|err| cli_error(py, "AnalysisError", &err))?;
    Ok(value.to_string())
}

/// Runs a tournament as `parley tournament` does, with its flags, over loaded scenarios;
/// `progress(done, total)` is called as runs finish. Returns the JSON text of
/// `results.json`.
#[pyfunction]
#[pyo3(signature = (scenarios, flags, progress = None))]
fn tournament(
    py: Python<'_>,
    scenarios: Vec<PyRef<'_, Scenario>>,
    flags: Vec<String>,
    progress: Option<Py<PyAny>>,
) -> PyResult<String> {
    // The scenarios are given loaded; `parley tournament` requires at least one path.
    let mut all_flags = vec!["-".to_owned()];
    all_flags.extend(flags);
    let args =
        api::tournament_args(&all_flags).map_err(|err| cli_error(py, "OptionsError", &err))?;
    let loaded: Vec<LoadedScenario> = scenarios
        .iter()
        .map(|scenario| LoadedScenario {
            scenario: scenario.loaded.scenario.clone(),
            warnings: scenario.loaded.warnings.clone(),
            file_name: scenario.loaded.file_name.clone(),
            reference: scenario.loaded.reference.clone(),
        })
        .collect();
    let report = |done: usize, total: usize| {
        if let Some(progress) = &progress {
            Python::attach(|py| {
                // A failing progress callback does not stop the tournament.
                let _ = progress.call1(py, (done, total));
            });
        }
    };
    let value = py
        .detach(|| api::tournament(&loaded, &args, &report))
        .map_err(|err| cli_error(py, "AnalysisError", &err))?;
    Ok(value.to_string())
}

/// The native module.
#[pymodule]
fn _parley(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Scenario>()?;
    module.add_class::<Frontier>()?;
    module.add_class::<Analysis>()?;
    module.add_function(wrap_pyfunction!(load, module)?)?;
    module.add_function(wrap_pyfunction!(builtin, module)?)?;
    module.add_function(wrap_pyfunction!(from_toml, module)?)?;
    module.add_function(wrap_pyfunction!(space_toml, module)?)?;
    module.add_function(wrap_pyfunction!(analyze, module)?)?;
    module.add_function(wrap_pyfunction!(single_step, module)?)?;
    module.add_function(wrap_pyfunction!(simulate, module)?)?;
    module.add_function(wrap_pyfunction!(tournament, module)?)?;
    module.add("DEFAULT_MAX_POINTS", parley_cli::args::DEFAULT_MAX_POINTS)?;
    Ok(())
}
