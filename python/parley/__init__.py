"""Parley from Python: exact analysis, simulation and tournaments of multi-party, multi-issue
negotiations, computed by Parley's Rust crates.

    import parley
    scenario = parley.load("scenarios/genius/y2011/Camera")
    analysis = parley.analyze(scenario)
    analysis.nash.outcomes        # the Nash package (with its ties), as dicts
    analysis.frontier.utilities   # the agreement zone's Pareto frontier, a numpy array

Results equal those of the `parley` command: `Analysis.to_dict()` is the JSON that
`parley analyze --json` prints. Errors are exceptions with the command's messages (file,
line, column, field). The interpreter's lock is released while Parley computes.
"""

from __future__ import annotations

import json
import math
import os
import re
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Union

from . import _parley
from ._errors import AnalysisError, OptionsError, ParleyError, ScenarioError
from ._parley import Frontier, Scenario

__all__ = [
    "Analysis",
    "AnalysisError",
    "Frontier",
    "OptionsError",
    "ParleyError",
    "Scenario",
    "ScenarioError",
    "analyze",
    "builtin",
    "egalitarian",
    "from_negmas",
    "from_toml",
    "frontier",
    "kalai",
    "load",
    "nash",
    "simulate",
    "space",
    "tournament",
    "unrestricted_frontier",
    "utilitarian",
]

PathLike = Union[str, "os.PathLike[str]"]

#: The solutions an analysis finds, by the names `Analysis.solutions` uses.
SOLUTIONS = ("nash", "kalai", "egalitarian", "utilitarian")


def load(path: Union[PathLike, Sequence[PathLike]], domain: Optional[str] = None) -> Scenario:
    """Loads a scenario as `parley analyze PATH` does: a TOML scenario file, a GENIUS folder
    (or a list of GENIUS files: a domain and its profiles) or a GeniusWeb folder.

    `domain` chooses among a GENIUS folder's domains, or names a domain file from elsewhere.
    Raises `ScenarioError` with the command's message (file, line, column, field).
    """
    if isinstance(path, (str, os.PathLike)):
        paths = [os.fspath(path)]
    else:
        paths = [os.fspath(item) for item in path]
    if not paths:
        raise ScenarioError("no path given, expected a scenario file or a GENIUS folder")
    return _parley.load(paths, domain)


def builtin() -> Scenario:
    """The built-in scenario (the 2025 talks), as `parley analyze` with no file analyses."""
    return _parley.builtin()


def from_toml(text: str, file_name: str = "<text>") -> Scenario:
    """A scenario from TOML text in the scenario file's format, reported under `file_name`."""
    return _parley.from_toml(text, file_name)


def _as_list(value: Any) -> Any:
    """Nested lists from numpy arrays, tuples or lists."""
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return tolist()
    if isinstance(value, (list, tuple)):
        return [_as_list(item) for item in value]
    return value


def _number(value: Any, where: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ScenarioError(f"{where} is {value!r}, expected a number") from None
    if not math.isfinite(number):
        raise ScenarioError(f"{where} is {number}, expected a finite number")
    return number


def space(
    weights: Any,
    values: Any,
    reservations: Optional[Sequence[Optional[float]]] = None,
    *,
    parties: Optional[Sequence[str]] = None,
    issues: Optional[Sequence[str]] = None,
    options: Optional[Sequence[Sequence[str]]] = None,
    name: str = "space",
) -> Scenario:
    """A scenario from numbers: `weights[p][i]` is party p's weight of issue i,
    `values[p][i][k]` its value (in [0, 1]) of option k of issue i, and `reservations[p]`
    what no deal is worth to it (`None`: nothing). Lists or numpy arrays; the options of an
    issue may differ in number.

    A party's utility of an outcome is the weighted sum of its values, with the weights
    normalised to sum to 1. Names default to `party1..`, `issue1..` and `option1..`.
    Raises `ScenarioError` naming the field at fault.
    """
    weights = _as_list(weights)
    values = _as_list(values)
    n_parties = len(weights)
    if n_parties < 2:
        raise ScenarioError(f"weights has {n_parties} row(s), expected one per party (at least 2)")
    if len(values) != n_parties:
        raise ScenarioError(f"values has {len(values)} row(s), expected one per party ({n_parties})")
    n_issues = len(weights[0])
    if n_issues == 0:
        raise ScenarioError("weights[0] is empty, expected one weight per issue")
    n_options: List[int] = []
    for party_idx in range(n_parties):
        if len(weights[party_idx]) != n_issues:
            raise ScenarioError(
                f"weights[{party_idx}] has {len(weights[party_idx])} weight(s), expected {n_issues} (one per issue)"
            )
        if len(values[party_idx]) != n_issues:
            raise ScenarioError(
                f"values[{party_idx}] has {len(values[party_idx])} issue(s), expected {n_issues}"
            )
    for issue_idx in range(n_issues):
        n_options.append(len(values[0][issue_idx]))
        for party_idx in range(n_parties):
            found = len(values[party_idx][issue_idx])
            if found != n_options[issue_idx]:
                raise ScenarioError(
                    f"values[{party_idx}][{issue_idx}] has {found} value(s), expected {n_options[issue_idx]} (one per option)"
                )
    party_ids = list(parties) if parties is not None else [f"party{p + 1}" for p in range(n_parties)]
    issue_ids = list(issues) if issues is not None else [f"issue{i + 1}" for i in range(n_issues)]
    if options is not None:
        option_ids = [[str(option) for option in issue_options] for issue_options in options]
    else:
        option_ids = [[f"option{k + 1}" for k in range(n)] for n in n_options]
    if len(party_ids) != n_parties:
        raise ScenarioError(f"parties has {len(party_ids)} name(s), expected {n_parties}")
    if len(issue_ids) != n_issues:
        raise ScenarioError(f"issues has {len(issue_ids)} name(s), expected {n_issues}")
    if len(option_ids) != n_issues or any(len(o) != n for o, n in zip(option_ids, n_options)):
        raise ScenarioError("options must name every option of every issue, in the order of values")
    if reservations is None:
        reservation_list: List[Optional[float]] = [None] * n_parties
    else:
        reservation_list = list(_as_list(reservations))
        if len(reservation_list) != n_parties:
            raise ScenarioError(
                f"reservations has {len(reservation_list)} value(s), expected {n_parties} (one per party)"
            )
    reservation_numbers = [
        None if r is None or (isinstance(r, float) and r == float("-inf")) else _number(r, f"reservations[{p}]")
        for p, r in enumerate(reservation_list)
    ]
    weight_numbers = [
        [_number(w, f"weights[{p}][{i}]") for i, w in enumerate(row)] for p, row in enumerate(weights)
    ]
    value_numbers = [
        [[_number(v, f"values[{p}][{i}][{k}]") for k, v in enumerate(issue)] for i, issue in enumerate(row)]
        for p, row in enumerate(values)
    ]
    text = _parley.space_toml(
        str(name),
        [str(party) for party in party_ids],
        [(str(issue), opts) for issue, opts in zip(issue_ids, option_ids)],
        weight_numbers,
        value_numbers,
        reservation_numbers,
    )
    try:
        return _parley.from_toml(text, f"<{name}>")
    except ScenarioError as error:
        raise ScenarioError(_name_arguments(str(error), n_issues, option_ids)) from None


def _name_arguments(message: str, n_issues: int, option_ids: List[List[str]]) -> str:
    """A message about the scenario `space` builds, with each field it names followed by the
    argument it comes from: `positions[3].weight` is `weights[1][1]` with two issues."""
    def argument(match: "re.Match[str]") -> str:
        position_idx = int(match.group(1))
        party_idx, issue_idx = divmod(position_idx, n_issues)
        option = match.group(3)
        if option is None:
            return f"{match.group(0)}, weights[{party_idx}][{issue_idx}]"
        options = option_ids[issue_idx]
        if option in options:
            return f"{match.group(0)}, values[{party_idx}][{issue_idx}][{options.index(option)}]"
        return match.group(0)

    return re.sub(r"positions\[(\d+)\]\.(weight|stances\.(\S+?))(?=\)|$|\s)", argument, message, flags=re.M)


def from_negmas(ufuns: Sequence[Any], outcome_space: Any = None, name: Optional[str] = None) -> Scenario:
    """A scenario from NegMAS utility functions (`LinearAdditiveUtilityFunction`s over
    discrete issues), one party per function, named by the functions' names.

    Parley's values lie in [0, 1] with weights normalised to sum to 1: each issue's values are
    divided by their largest and its weight multiplied by it, so Parley holds each function's
    utility divided by a positive constant (its reserved value too). The frontier and the Nash
    and Kalai-Smorodinsky outcomes are NegMAS's; the egalitarian and utilitarian ones are
    those of the normalised utilities, NegMAS's when the functions' values lie in [0, 1] with
    weights summing to 1 (GENIUS's reading of a file). Raises `ScenarioError` for what Parley
    cannot hold (continuous issues, negative values, other kinds of function). NegMAS is not
    imported by `import parley`; only the functions given are read.
    """
    from ._negmas import negmas_space

    arguments = negmas_space(list(ufuns), outcome_space)
    default_name = arguments.pop("name")
    return space(**arguments, name=name or default_name)


class Analysis:
    """An analysis of a scenario, as `parley analyze` runs it."""

    def __init__(self, native: Any) -> None:
        self._native = native
        self._report: Optional[Dict[str, Any]] = None

    def to_dict(self, full: bool = False) -> Dict[str, Any]:
        """The JSON report `parley analyze --json` prints (with `--full` when `full`: every
        outcome of each frontier listed), as Python objects."""
        return json.loads(self._native.to_json(full))

    def to_json(self, full: bool = False) -> str:
        """The JSON report `parley analyze --json` prints, as text."""
        return self._native.to_json(full)

    def _section(self, key: str) -> Any:
        if self._report is None:
            self._report = self.to_dict()
        return self._report.get(key)

    @property
    def frontier(self) -> Optional[Frontier]:
        """The Pareto frontier of the agreement zone (`None` when cut short)."""
        return self._native.frontier

    @property
    def unrestricted_frontier(self) -> Optional[Frontier]:
        """The Pareto frontier of every outcome, ignoring red lines and reservations."""
        return self._native.unrestricted_frontier

    @property
    def solutions(self) -> Dict[str, Optional[Frontier]]:
        """The four packages with their ties: nash, kalai (Kalai-Smorodinsky), egalitarian and
        utilitarian."""
        return {name: self._native.solution(name) for name in SOLUTIONS}

    @property
    def nash(self) -> Optional[Frontier]:
        """The Nash package: frontier outcomes maximising the product of gains."""
        return self._native.solution("nash")

    @property
    def kalai(self) -> Optional[Frontier]:
        """The Kalai-Smorodinsky package: the most even normalised gains."""
        return self._native.solution("kalai")

    @property
    def egalitarian(self) -> Optional[Frontier]:
        """The egalitarian package: the largest smallest gain."""
        return self._native.solution("egalitarian")

    @property
    def utilitarian(self) -> Optional[Frontier]:
        """The utilitarian package: the largest sum of utilities."""
        return self._native.solution("utilitarian")

    @property
    def zone(self) -> Any:
        """The agreement zone, as the JSON report gives it."""
        return self._section("agreement_zone")

    @property
    def concessions(self) -> Any:
        """Why there is no deal and the smallest sets of concessions that make one, as the
        JSON report gives them."""
        return self._section("no_deal")

    @property
    def draft_evaluations(self) -> Any:
        """Each draft's evaluation over its completions, as the JSON report gives them."""
        return self._section("draft_evaluations")

    @property
    def robustness(self) -> Any:
        """How robust the results are to the intervals, as the JSON report gives it."""
        return self._section("robustness")

    @property
    def cut_short(self) -> List[str]:
        """The steps cut short by their budget (see `budget`, `max_steps`)."""
        return list(self._native.cut_short)

    @property
    def warnings(self) -> List[str]:
        """What `parley analyze` warns about (a reference frontier that does not match)."""
        return list(self._native.warnings)

    def __repr__(self) -> str:
        frontier = self.frontier
        size = "cut short" if frontier is None else f"{len(frontier)} outcomes on the frontier"
        return f"<parley.Analysis: {size}>"


def _flag(name: str, value: Any) -> List[str]:
    if value is None or value is False:
        return []
    if value is True:
        return [f"--{name}"]
    if isinstance(value, (list, tuple)):
        value = ",".join(str(item) for item in value)
    return [f"--{name}", str(value)]


def analyze(
    scenario: Scenario,
    samples: int = 1000,
    seed: int = 1,
    threads: Optional[int] = None,
    *,
    as_of: Optional[str] = None,
    max_concessions: int = 3,
    budget: Optional[float] = 10.0,
    max_steps: Optional[float] = 2_000_000_000,
    max_memory: Optional[float] = 256 * 2**20,
    record_only: bool = False,
) -> Analysis:
    """Analyses a scenario as `parley analyze` does, with the same options and defaults:
    `samples` robustness samples with `seed`, on `threads` threads (default:
    PARLEY_MAX_THREADS, else every core); `budget` seconds, `max_steps` engine steps and
    `max_memory` bytes per step (`None` for no limit). Raises `OptionsError` or
    `AnalysisError` with the command's messages.
    """
    flags = (
        _flag("samples", samples)
        + _flag("seed", seed)
        + _flag("threads", threads)
        + _flag("as-of", as_of)
        + _flag("max-concessions", max_concessions)
        + ["--budget", "none" if budget is None else f"{budget}"]
        + ["--max-steps", "none" if max_steps is None else f"{int(max_steps)}"]
        + ["--max-memory", "none" if max_memory is None else f"{int(max_memory)}"]
        + _flag("record-only", record_only)
    )
    return Analysis(_parley.analyze(scenario, flags))


def frontier(scenario: Scenario, threads: Optional[int] = None) -> Frontier:
    """The Pareto frontier of the agreement zone, alone (no budget)."""
    return _parley.single_step(scenario, "frontier", None, threads)


def unrestricted_frontier(scenario: Scenario, threads: Optional[int] = None) -> Frontier:
    """The Pareto frontier of every outcome, ignoring red lines and reservations, alone."""
    return _parley.single_step(scenario, "unrestricted_frontier", None, threads)


def nash(scenario: Scenario, frontier: Optional[Frontier] = None, threads: Optional[int] = None) -> Frontier:
    """The Nash package with its ties: a pass over `frontier` (the zone's, from
    `parley.frontier(scenario)`) when given, else Parley's own search."""
    return _parley.single_step(scenario, "nash", frontier, threads)


def kalai(
    scenario: Scenario, frontier: Optional[Frontier] = None, threads: Optional[int] = None
) -> Frontier:
    """The Kalai-Smorodinsky package with its ties (see `nash` for `frontier`)."""
    return _parley.single_step(scenario, "kalai", frontier, threads)


def egalitarian(scenario: Scenario, frontier: Optional[Frontier] = None, threads: Optional[int] = None) -> Frontier:
    """The egalitarian package with its ties (see `nash` for `frontier`)."""
    return _parley.single_step(scenario, "egalitarian", frontier, threads)


def utilitarian(scenario: Scenario, frontier: Optional[Frontier] = None, threads: Optional[int] = None) -> Frontier:
    """The utilitarian package with its ties (see `nash` for `frontier`)."""
    return _parley.single_step(scenario, "utilitarian", frontier, threads)


def simulate(
    scenario: Scenario,
    protocol: str = "alternating-offers",
    strategies: Union[str, Sequence[str], None] = None,
    seed: int = 1,
    rounds: int = 100,
) -> Dict[str, Any]:
    """Simulates one negotiation as `parley simulate --json` does and returns what it prints:
    the transcript (one dict per event) and its summary."""
    flags = ["--protocol", protocol] + _flag("strategies", strategies) + _flag("seed", seed) + _flag("rounds", rounds)
    return json.loads(_parley.simulate(scenario, flags))


def _progress_bar(total_hint: str) -> Optional[Callable[[int, int], None]]:
    """A tqdm bar fed by (done, total) calls, when tqdm is installed; `None` otherwise."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    import threading

    state: Dict[str, Any] = {}
    # Runs finish on Parley's threads, each calling in with the interpreter's lock.
    lock = threading.Lock()

    def update(done: int, total: int) -> None:
        with lock:
            bar = state.get("bar")
            if bar is None:
                bar = state["bar"] = tqdm(total=total, desc=total_hint, unit="run")
            if done > bar.n:
                bar.update(done - bar.n)
            if done >= total and not state.get("closed"):
                state["closed"] = True
                bar.close()

    return update


def tournament(
    scenarios: Iterable[Scenario],
    strategies: Union[str, Sequence[str]] = ("boulware", "linear", "conceder"),
    protocols: Union[str, Sequence[str]] = "alternating-offers",
    seeds: int = 10,
    rounds: int = 100,
    threads: Optional[int] = None,
    progress: Union[bool, Callable[[int, int], None]] = True,
) -> List[Dict[str, Any]]:
    """Runs a tournament as `parley tournament` does (every ordered pair of strategies, each
    protocol, seeds 0 to seeds-1) and returns one dict per run, ready for
    `pandas.DataFrame`: scenario, protocol, profile, strategies, seed, agreement (options by
    issue, or None), rounds, each party's utility (`utility_<party>`), the distances to the
    Nash package and to the frontier, and the offers evaluated.

    `progress`: a tqdm bar when tqdm is installed (silent otherwise), or a callable given
    (done, total).
    """
    scenarios = list(scenarios)
    flags = (
        _flag("strategies", strategies)
        + _flag("protocols", protocols)
        + _flag("seeds", seeds)
        + _flag("rounds", rounds)
        + _flag("threads", threads)
    )
    callback = _progress_bar("tournament") if progress is True else (progress or None)
    results = json.loads(_parley.tournament(scenarios, flags, callback))
    rows = []
    for row in results["rows"]:
        scenario = results["scenarios"][row["scenario"]]
        profile = results["profiles"][row["profile"]]
        # Keyed by issue (option ids) and by party in results.json (parley-tournament/2).
        agreement = row["agreement"]
        flat = {
            "scenario": scenario["file"],
            "protocol": profile["protocol"],
            "profile": profile["label"],
            "strategies": profile["strategies"],
            "seed": row["seed"],
            "agreement": agreement,
            "rounds": row["rounds"],
        }
        for party, utility in row["utilities"].items():
            flat[f"utility_{party}"] = utility
        flat["distance_to_nash"] = row["distance_to_nash"]
        flat["distance_to_frontier"] = row["distance_to_frontier"]
        flat["offer_evaluations"] = row["offer_evaluations"]
        rows.append(flat)
    return rows
