#!/usr/bin/env python3
"""Times Parley against NegMAS from Python, in one process, on the same utility functions.

For each GENIUS scenario folder given, NegMAS loads the files (`negmas.inout.Scenario.load`),
each utility function is given GENIUS's reading of them (each issue's evaluations divided by
their largest, weights by their sum), and `parley.from_negmas` hands the very same functions
to Parley. Then each step runs on both sides, best of --repeat runs (NegMAS's caches cleared
before each run), and the results are compared by NegMAS's own utilities of the outcomes
each side returns (rounded to 1e-9):

  step         Parley                              NegMAS (negmas.preferences.ops)
  frontier     parley.frontier(scenario)           pareto_frontier(ufuns, issues)
  nash         parley.nash(scenario, frontier)     nash_points(ufuns, frontier)
  kalai        parley.kalai(scenario, frontier)    ks_points(ufuns, frontier)
  egalitarian  parley.egalitarian(...)             kalai_points(ufuns, frontier) (Kalai 1977)
  utilitarian  parley.utilitarian(...)             max_welfare_points(ufuns, frontier)

Each solution is given the zone's frontier its side computed, so its time is its own cost.
Parley runs on one thread (--threads) unless told otherwise.

    python python/benchmarks/compare_negmas.py ../shared/scenarios/genius/y2011/Camera ...

Prints a Markdown table (docs/python.md has the one from the last run); exits 1 when any
result differs.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import warnings
from pathlib import Path
from typing import Any, Callable, List, Tuple

warnings.filterwarnings("ignore")

import parley  # noqa: E402

try:
    from negmas.inout import Scenario
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.ops import kalai_points, ks_points, max_welfare_points, nash_points, pareto_frontier
    from negmas.preferences.value_fun import TableFun
except ImportError as error:  # pragma: no cover - a hint
    sys.exit(f"cannot import negmas ({error}); pip install negmas==0.16.0")

REPO = Path(__file__).resolve().parents[2]
DEFAULT = [
    "y2010/ItexvsCypress",
    "y2011/Camera",
    "y2013/Animal",
    "y2012/EnglandvsZimbabweA",
    "y2011/Grocery",
]
SOLUTIONS = [
    ("nash", parley.nash, nash_points),
    ("kalai", parley.kalai, ks_points),
    ("egalitarian", parley.egalitarian, kalai_points),
    ("utilitarian", parley.utilitarian, max_welfare_points),
]


def genius_reading(ufun: Any) -> Any:
    """The utility function GENIUS reads from the same file."""
    issues = list(ufun.outcome_space.issues)
    total = sum(ufun.weights)
    values = []
    for issue, function in zip(issues, ufun.values):
        table = {option: float(function(option)) for option in issue.all}
        high = max(table.values()) or 1.0
        values.append(TableFun({option: value / high for option, value in table.items()}))
    return LinearAdditiveUtilityFunction(
        values=values,
        weights=[w / total for w in ufun.weights],
        outcome_space=ufun.outcome_space,
        reserved_value=ufun.reserved_value,
        name=ufun.name,
    )


def best_of(repeat: int, run: Callable[[], Any], before: Callable[[], None] = lambda: None) -> Tuple[Any, float]:
    best, result = math.inf, None
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return result, best


def vectors(ufuns: List[Any], issues: List[Any], outcomes: List[dict]) -> set:
    """NegMAS's utilities of Parley's outcomes."""
    by_text = [{str(value): value for value in issue.all} for issue in issues]
    found = set()
    for outcome in outcomes:
        values = tuple(by_text[i][outcome[issue.name]] for i, issue in enumerate(issues))
        found.add(tuple(round(float(ufun(values)), 9) for ufun in ufuns))
    return found


def rounded(points: Any) -> set:
    return {tuple(round(float(u), 9) for u in point) for point in points}


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def compare(folder: Path, repeat: int, threads: int) -> List[dict]:
    loaded = Scenario.load(folder)
    ufuns = [genius_reading(ufun) for ufun in loaded.ufuns]
    issues = list(loaded.outcome_space.issues)
    outcome_space = loaded.outcome_space
    clear = lambda: [ufun.clear_caches() for ufun in ufuns]  # noqa: E731
    scenario = parley.from_negmas(ufuns)
    n_outcomes = math.prod(len(list(issue.all)) for issue in issues)
    rows = []

    (negmas_utils, _), negmas_time = best_of(
        repeat, lambda: pareto_frontier(ufuns, issues=issues, sort_by_welfare=True), clear
    )
    zone, parley_time = best_of(repeat, lambda: parley.frontier(scenario, threads=threads))
    same = vectors(ufuns, issues, zone.outcomes) == rounded(negmas_utils)
    rows.append(dict(scenario=folder.name, outcomes=n_outcomes, step="frontier", size=len(zone),
                     negmas=negmas_time, parley=parley_time, same=same))
    for name, parley_step, negmas_step in SOLUTIONS:
        expected, negmas_time = best_of(
            repeat, lambda: negmas_step(ufuns, negmas_utils, outcome_space=outcome_space), clear
        )
        found, parley_time = best_of(repeat, lambda: parley_step(scenario, zone, threads=threads))
        same = vectors(ufuns, issues, found.outcomes) == rounded(u for u, _ in expected)
        rows.append(dict(scenario=folder.name, outcomes=n_outcomes, step=name, size=len(found),
                         negmas=negmas_time, parley=parley_time, same=same))
    return rows


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="GENIUS scenario folders")
    parser.add_argument("--repeat", type=int, default=5, help="runs per step; the best is kept")
    parser.add_argument("--threads", type=int, default=1, help="Parley's threads")
    args = parser.parse_args(argv)
    folders = args.folders or [REPO.parent / "shared" / "scenarios" / "genius" / name for name in DEFAULT]
    rows = []
    for folder in folders:
        rows.extend(compare(folder, args.repeat, args.threads))
    print("| scenario | outcomes | step | points | NegMAS | Parley | speed-up | same result |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | --- |")
    for row in rows:
        speedup = row["negmas"] / max(row["parley"], 1e-12)
        print(
            f"| {row['scenario']} | {row['outcomes']} | {row['step']} | {row['size']} | {fmt_time(row['negmas'])} "
            f"| {fmt_time(row['parley'])} | {speedup:,.0f}x | {'yes' if row['same'] else 'NO'} |"
        )
    return 0 if all(row["same"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
