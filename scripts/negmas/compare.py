#!/usr/bin/env python3
"""Compare Parley's analysis with NegMAS on GENIUS scenarios.

For every GENIUS scenario folder (and for seeded random scenarios written as GENIUS
folders) this runs `parley analyze DIR --json --full --timings`, rebuilds the very same
utility functions in NegMAS from the numbers Parley reports (`utility_model`), and
compares, like with like:

  Parley step              NegMAS function (negmas.preferences.ops)
  -----------------------  ---------------------------------------------------------
  frontier                 pareto_frontier(ufuns)            reserved value = reservation
  unrestricted_frontier    pareto_frontier(ufuns)            reserved value = -inf
  nash                     nash_points on the zone frontier
  kalai (Kalai-Smorod.)    ks_points on the zone frontier
  egalitarian              kalai_points on the zone frontier (NegMAS's "Kalai" is Kalai 1977)
  utilitarian              max_welfare_points on the zone frontier

Each solution is timed on both sides at its own cost, given the zone frontier, which each
side builds once per analysis and which is timed in `frontier`.

The whole process: NegMAS's compute time for the zone frontier and the four solutions
(the sum of those five timings) against the wall time of one `parley analyze DIR --json`
process (best of --repeat), which reads the files, analyses everything (both frontiers,
the zone, the packages, the drafts, robustness) and writes the JSON.  The summary gives the
ratio of the sums over all scenarios compared.

Frontiers and solutions are compared as sets of utility vectors (tolerance --tol);
every outcome NegMAS returns must also be one Parley lists, unless an outcome Parley
lists dominates it exactly (rational arithmetic on Parley's numbers) or beyond Parley's
1e-12 tie margin: differences in the last bits of the sums are not mismatches.
Each NegMAS step is timed in-process (time.perf_counter, best of --repeat runs,
caches cleared before each run) and divided by Parley's own in-process timing
(best of --repeat runs in one process: `--timings --timing-runs REPEAT`).  See docs/negmas-comparison.md.

Exit status: 0 when everything matches, 1 when anything mismatches or fails,
2 when the comparison could not run at all.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

warnings.filterwarnings("ignore")

try:
    import negmas
    from negmas.outcomes import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.ops import (
        kalai_points,
        ks_points,
        max_welfare_points,
        nash_points,
        pareto_frontier,
    )
    from negmas.preferences.value_fun import TableFun
except ImportError as e:  # pragma: no cover - a hint for running outside run.sh
    sys.exit(f"cannot import negmas ({e}); run scripts/negmas/run.sh, which installs it")

REPO = Path(__file__).resolve().parents[2]
STEPS = ["frontier", "unrestricted_frontier", "nash", "kalai", "egalitarian", "utilitarian"]
SHORT = {
    "frontier": "front",
    "unrestricted_frontier": "ufront",
    "nash": "nash",
    "kalai": "ks",
    "egalitarian": "egal",
    "utilitarian": "welf",
    "inputs": "d/M/u",
    "outcomes": "outc",
}
# Parley solution -> NegMAS function with the same definition.
NEGMAS_SOLUTION = {
    "nash": nash_points,
    "kalai": ks_points,
    "egalitarian": kalai_points,
    "utilitarian": max_welfare_points,
}
NEGMAS_EPS = 1e-12  # the default eps of the NegMAS functions used
TIE_MARGIN = 1e-12  # Parley's tie tolerance (relative above 1)


# --------------------------------------------------------------------------- scenarios


def find_genius_folders(root: Path) -> list[Path]:
    """Every folder under `root` (itself included) that holds XML files, sorted."""
    found = set()
    for path in root.rglob("*.xml"):
        found.add(path.parent)
    return sorted(found)


def _xml_attr(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


RANDOM_VARIANTS = {
    "plain": "no reservation values",
    "reservations": "a reservation value in [0, 0.75] for every party",
    "tight": "reservation values in [0.6, 0.95]: the zone is often empty",
    "best-only": "party 1's reservation is 1.0, its best utility (M_p = d_p)",
    "constant": "the last party values every option alike (constant utility), reservations as above",
}


def random_variant(i: int) -> str:
    """The kind of the i-th (0-based) random scenario."""
    if i % 10 == 4:
        return "best-only"
    if i % 10 == 7:
        return "constant"
    if i % 10 == 9:
        return "tight"
    return "plain" if i % 3 == 0 else "reservations"


def write_random_scenario(folder: Path, rng: random.Random, name: str, variant: str) -> None:
    """Write one random GENIUS scenario (a domain and one profile per party) into `folder`.

    2-3 parties, 3-6 issues of 3-6 options; most issues are discrete with integer
    evaluations (so normalisation by the issue's largest evaluation matters), some are
    GENIUS integer issues with a linear evaluator.  Weights are rounded raw numbers that
    need not sum to 1.  `variant` (see RANDOM_VARIANTS) sets the reservation values, so
    that the agreement zone is all outcomes, a proper subset or empty, and makes some
    ranges degenerate on purpose.
    """
    folder.mkdir(parents=True, exist_ok=True)
    n_parties = rng.choice([2, 3])
    n_issues = rng.randint(3, 6)
    # Small evaluation ranges make exact ties (and so tie handling) likely.
    eval_hi = rng.choice([3, 5, 10, 100])
    issues = []
    for i in range(n_issues):
        k = rng.randint(3, 6)
        if rng.random() < 0.2:
            lower = rng.randint(0, 5)
            issues.append({"name": f"Issue {i + 1}", "kind": "integer", "lower": lower, "upper": lower + k - 1})
        else:
            issues.append({"name": f"Issue {i + 1}", "kind": "discrete", "values": [f"v{j + 1}" for j in range(k)]})

    dom = ['<negotiation_template>', f'<utility_space number_of_issues="{n_issues}">',
           f'<objective index="0" etype="objective" type="objective" description="" name="{_xml_attr(name)}">']
    for i, iss in enumerate(issues):
        if iss["kind"] == "integer":
            dom.append(
                f'<issue index="{i + 1}" name="{iss["name"]}" etype="integer" type="integer" vtype="integer" '
                f'lowerbound="{iss["lower"]}" upperbound="{iss["upper"]}">'
            )
        else:
            dom.append(f'<issue index="{i + 1}" name="{iss["name"]}" etype="discrete" type="discrete" vtype="discrete">')
            for j, v in enumerate(iss["values"]):
                dom.append(f'<item index="{j + 1}" value="{v}" cost="0" description="{v}"></item>')
        dom.append("</issue>")
    dom += ["</objective>", "</utility_space>", "</negotiation_template>"]
    (folder / f"{name}_domain.xml").write_text("\n".join(dom) + "\n")

    for p in range(n_parties):
        prof = ["<utility_space>",
                f'<objective index="0" etype="objective" type="objective" description="" name="{_xml_attr(name)}">']
        for i, iss in enumerate(issues):
            if iss["kind"] == "integer":
                n = iss["upper"] - iss["lower"]
                if variant == "constant" and p == n_parties - 1:
                    offset, slope = 1.0, 0.0
                elif rng.random() < 0.5:  # increasing from `a` to 1
                    a = round(rng.uniform(0.0, 0.5), 2)
                    offset, slope = a, (1.0 - a) / n
                else:  # decreasing from 1 to `b`
                    b = round(rng.uniform(0.0, 0.5), 2)
                    offset, slope = 1.0, -(1.0 - b) / n
                prof.append(
                    f'<issue index="{i + 1}" name="{iss["name"]}" etype="integer" type="integer" vtype="integer" '
                    f'lowerbound="{iss["lower"]}" upperbound="{iss["upper"]}">'
                )
                prof.append(f'<evaluator ftype="linear" offset="{offset!r}" slope="{slope!r}"></evaluator>')
            else:
                prof.append(f'<issue index="{i + 1}" name="{iss["name"]}" etype="discrete" type="discrete" vtype="discrete">')
                evals = [rng.randint(1, eval_hi) for _ in iss["values"]]
                if variant == "constant" and p == n_parties - 1:
                    evals = [7 for _ in iss["values"]]
                for j, (v, e) in enumerate(zip(iss["values"], evals)):
                    prof.append(f'<item index="{j + 1}" value="{v}" evaluation="{e}"></item>')
            prof.append("</issue>")
        for i in range(n_issues):
            prof.append(f'<weight index="{i + 1}" value="{round(rng.uniform(0.05, 1.0), 3)!r}"></weight>')
        prof.append("</objective>")
        reservation = None
        if variant in ("reservations", "constant") or (variant == "best-only" and p > 0):
            reservation = round(rng.uniform(0.0, 0.75), 3)
        elif variant == "tight":
            reservation = round(rng.uniform(0.6, 0.95), 3)
        elif variant == "best-only":
            reservation = 1.0
        if reservation is not None:
            prof.append(f'<reservation value="{reservation!r}"></reservation>')
        prof.append('<discount_factor value="1.0"></discount_factor>')
        prof.append("</utility_space>")
        (folder / f"{name}_party{p + 1}.xml").write_text("\n".join(prof) + "\n")


# --------------------------------------------------------------------------- parley


def fmt_count(n) -> str:
    """An outcome count: digits up to 1e15, then a power of ten (a float's digits beyond its
    precision say nothing)."""
    if not isinstance(n, (int, float)):
        return str(n)
    return f"{n:,}" if n < 1e15 else f"{float(n):.3g}"


def run_parley(parley: Path, folder: Path, repeat: int) -> tuple[dict, dict[str, float]]:
    """Run `parley analyze FOLDER --json --full --timings --timing-runs REPEAT`: the report
    (every frontier outcome listed), and
    the best (smallest) timing of every step over `repeat` runs in one process, as NegMAS's
    steps are timed."""
    proc = subprocess.run(
        [str(parley), "analyze", str(folder), "--json", "--full", "--timings",
         "--timing-runs", str(max(1, repeat))],
        capture_output=True,
        text=True,
    )
    report = None
    if proc.returncode in (0, 3):
        try:
            report = json.loads(proc.stdout)
        except json.JSONDecodeError:
            report = None
    # Exit 3 is a search cut short by its budget: only a constraint (non-linear) scenario,
    # which is not compared with NegMAS, may report that and still be read.
    if report is None or (proc.returncode == 3 and report.get("constraint_search") is None):
        raise RuntimeError(f"parley exited with {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    best = {k: float(v) for k, v in (report.get("timings") or {}).items()
            if isinstance(v, (int, float))}
    missing = [k for k in ("parties", "issues", "utility_model", "pareto_frontier",
                           "unrestricted_pareto_frontier", "solutions", "disagreement", "best")
               if k not in report]
    if missing:
        raise RuntimeError(f"parley's JSON lacks {', '.join(missing)}")
    return report, best


# --------------------------------------------------------------------------- negmas side


@dataclass
class NegmasSide:
    parties: list[str]
    issue_ids: list[str]
    option_ids: list[list[str]]
    os: Any
    issues: list[Any]
    ufuns: list[Any]  # reserved value = Parley's reservation (or -inf)
    ufuns_unrestricted: list[Any]  # reserved value = -inf
    ranges: list[tuple[float, float]] = field(default_factory=list)  # NegMAS minmax over all outcomes
    disagreement: list[float] = field(default_factory=list)  # as NegMAS resolves it
    notes: list[str] = field(default_factory=list)
    # Parties each solution's NegMAS call uses (like-for-like for degenerate ranges).
    active: dict[str, list[int]] = field(default_factory=dict)

    def utility(self, party: int, outcome: tuple) -> float:
        return float(self.ufuns[party](outcome))

    def decode(self, index: int) -> tuple:
        """The outcome at `index` of NegMAS's enumeration (itertools.product order)."""
        out = []
        for opts in reversed(self.option_ids):
            index, r = divmod(int(index), len(opts))
            out.append(opts[r])
        return tuple(reversed(out))


def build_negmas(report: dict) -> NegmasSide:
    """NegMAS linear-additive ufuns with exactly Parley's weights and values."""
    parties = list(report["parties"])
    issue_ids = [iss["id"] for iss in report["issues"]]
    option_ids = [[opt["id"] for opt in iss["options"]] for iss in report["issues"]]
    issues = [make_issue(values=list(opts), name=iid) for iid, opts in zip(issue_ids, option_ids)]
    os_ = make_os(issues, name=report.get("scenario", {}).get("id", "scenario"))
    model = report["utility_model"]["parties"]

    def make(party: str, reserved: float) -> Any:
        m = model[party]
        weights, values = [], []
        for iid, opts in zip(issue_ids, option_ids):
            table = m["values"].get(iid)
            if table is None:  # an issue the party does not value: contributes nothing
                weights.append(0.0)
                values.append(TableFun({o: 0.0 for o in opts}))
                continue
            weights.append(float(m["weights"].get(iid, 0.0)))
            values.append(TableFun({o: float(table[o]) for o in opts}))
        return LinearAdditiveUtilityFunction(
            values=values, weights=weights, outcome_space=os_, reserved_value=reserved, name=party
        )

    ufuns, ufuns_u = [], []
    for party in parties:
        r = model[party].get("reservation")
        ufuns.append(make(party, float(r) if r is not None else float("-inf")))
        ufuns_u.append(make(party, float("-inf")))
    side = NegmasSide(parties, issue_ids, option_ids, os_, issues, ufuns, ufuns_u)

    # The ranges and disagreement point exactly as nash_points/kalai_points/ks_points
    # resolve them: minmax over all outcomes; d = reserved value when finite and not
    # below the minimum, else the minimum.
    for u in ufuns:
        u.clear_caches()
        lo, hi = u.minmax(os_, above_reserve=False)
        side.ranges.append((float(lo), float(hi)))
        r = u.reserved_value
        d = float(lo) if (r is None or not math.isfinite(r) or r < lo) else float(r)
        side.disagreement.append(d)

    n = len(parties)
    all_parties = list(range(n))
    side.active = {k: all_parties for k in NEGMAS_SOLUTION}
    # NegMAS returns the WHOLE frontier as the solution as soon as one party's range is
    # (almost) empty; Parley leaves such a party out (Kalai-Smorodinsky: out of the
    # spread; utilitarian: its constant utility does not change the argmax).  Compare
    # like with like by handing NegMAS only the other parties (same frontier points).
    ks_deg = [i for i in all_parties if side.ranges[i][1] - side.disagreement[i] <= NEGMAS_EPS]
    if ks_deg and len(ks_deg) < n:
        side.active["kalai"] = [i for i in all_parties if i not in ks_deg]
        side.notes.append(
            "ks_points called without " + ", ".join(parties[i] for i in ks_deg)
            + " (M_p - d_p = 0: NegMAS would return the whole frontier, Parley leaves the party out of the spread)"
        )
    w_deg = [i for i in all_parties if side.ranges[i][1] - side.ranges[i][0] <= NEGMAS_EPS]
    if w_deg and len(w_deg) < n:
        side.active["utilitarian"] = [i for i in all_parties if i not in w_deg]
        side.notes.append(
            "max_welfare_points called without " + ", ".join(parties[i] for i in w_deg)
            + " (constant utility: NegMAS would return the whole frontier)"
        )
    return side


def parley_process_time(parley: Path, folder: Path, repeat: int) -> float:
    """Best-of-`repeat` wall time of one `parley analyze FOLDER --json` process (what a user
    runs: every step computed in full, frontiers over --max-points listed by a sample), its
    JSON written to a pipe and read, as a caller would."""
    best = math.inf
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        proc = subprocess.run([str(parley), "analyze", str(folder), "--json"],
                              capture_output=True)
        best = min(best, time.perf_counter() - t0)
        if proc.returncode not in (0, 3):
            raise RuntimeError(f"parley exited with {proc.returncode}: {proc.stderr.decode()[-2000:]}")
    return best


def negmas_frontier(side: NegmasSide, unrestricted: bool = False):
    ufuns = side.ufuns_unrestricted if unrestricted else side.ufuns
    return pareto_frontier(ufuns, issues=side.issues, sort_by_welfare=True)


def negmas_solution(side: NegmasSide, kind: str, frontier):
    """One NegMAS solution on the zone frontier already computed (its own cost)."""
    utils, indices = frontier
    fn = NEGMAS_SOLUTION[kind]
    active = side.active[kind]
    if len(active) == len(side.ufuns):
        points = fn(side.ufuns, utils, outcome_space=side.os)
    else:
        sub = [side.ufuns[i] for i in active]
        projected = [tuple(u[i] for i in active) for u in utils]
        points = fn(sub, projected, outcome_space=side.os)
    return utils, indices, points


def timed(fn: Callable[[], Any], side: NegmasSide, repeat: int, budget: float) -> tuple[Any, float, int]:
    """Best-of-`repeat` wall time of fn(); caches of every ufun are cleared before each
    run (NegMAS caches minmax/extreme outcomes).  Stops repeating once `budget`
    seconds are spent on this step (at least one run is always made)."""
    best, result, spent, runs = math.inf, None, 0.0, 0
    while runs < max(1, repeat):
        for u in side.ufuns + side.ufuns_unrestricted:
            u.clear_caches()
        t0 = time.perf_counter()
        result = fn()
        dt = time.perf_counter() - t0
        best, spent, runs = min(best, dt), spent + dt, runs + 1
        if spent + dt > budget:
            break
    return result, best, runs


# --------------------------------------------------------------------------- comparison


def vectors(entries: list[dict], parties: list[str]) -> list[tuple[float, ...]]:
    return [tuple(float(e["utilities"][p]) for p in parties) for e in entries]


def set_diff(a: list[tuple[float, ...]], b: list[tuple[float, ...]], tol: float) -> list[tuple[float, ...]]:
    """The distinct vectors of `a` that have no vector of `b` within `tol` (max-norm)."""
    if not a:
        return []
    if not b:
        return dedup(a, tol)
    import numpy as np

    bb = np.asarray(b, dtype=float)
    # Sort b by its first coordinate to restrict the search window.
    order = np.argsort(bb[:, 0], kind="stable")
    bb = bb[order]
    first = bb[:, 0]
    missing = []
    for v in a:
        lo = np.searchsorted(first, v[0] - tol, side="left")
        hi = np.searchsorted(first, v[0] + tol, side="right")
        cand = bb[lo:hi]
        if cand.size == 0 or not np.any(np.all(np.abs(cand - np.asarray(v)) <= tol, axis=1)):
            missing.append(v)
    return dedup(missing, tol)


def dedup(vs: list[tuple[float, ...]], tol: float) -> list[tuple[float, ...]]:
    out: list[tuple[float, ...]] = []
    for v in sorted(vs):
        if not any(max(abs(x - y) for x, y in zip(v, w)) <= tol for w in out[-50:]):
            out.append(v)
    return out


def fmt_vec(v: tuple[float, ...]) -> str:
    return "(" + ", ".join(f"{x:.15g}" for x in v) + ")"


def compare_sets(name: str, parley_v, negmas_v, tol: float, problems: list[str],
                 artefact: Callable[[tuple[float, ...]], bool] | None = None, notes: list[str] | None = None) -> bool:
    only_p = set_diff(parley_v, negmas_v, tol)
    only_n = set_diff(negmas_v, parley_v, tol)
    if artefact is not None and only_n:
        # A point only NegMAS keeps may be one that floating-point rounding saved from a
        # dominator (dominated in exact arithmetic): a NegMAS artefact, not a mismatch.
        kept = [v for v in only_n if not artefact(v)]
        if notes is not None and len(kept) < len(only_n):
            notes.append(f"{name}: {len(only_n) - len(kept)} point(s) only NegMAS keeps are dominated by a point "
                         "Parley lists (exactly or beyond the 1e-12 tie margin) or outside the zone: rounding, not a mismatch")
        only_n = kept
    if not only_p and not only_n:
        return True
    msg = [f"{name}: Parley has {len(dedup(parley_v, tol))} distinct point(s), NegMAS {len(dedup(negmas_v, tol))}"]
    for label, vs in (("only in Parley", only_p), ("only in NegMAS", only_n)):
        if vs:
            shown = ", ".join(fmt_vec(v) for v in vs[:5])
            more = f" (+{len(vs) - 5} more)" if len(vs) > 5 else ""
            msg.append(f"    {label}: {shown}{more}")
    problems.append("\n".join(msg))
    return False


class Exact:
    """Utilities in exact rational arithmetic on Parley's own numbers (each f64 weight
    and value taken as the rational it is): decides ties and dominance that floating
    point sums, summed in different orders, leave to rounding."""

    def __init__(self, report: dict, side: NegmasSide):
        model = report["utility_model"]["parties"]
        self.side = side
        self.tables = []
        self.reservations = []
        for p in side.parties:
            m = model[p]
            rows = []
            for iid, opts in zip(side.issue_ids, side.option_ids):
                w = Fraction(float(m["weights"].get(iid, 0.0)))
                vals = m["values"].get(iid, {})
                rows.append({o: w * Fraction(float(vals.get(o, 0.0))) for o in opts})
            self.tables.append(rows)
            r = m.get("reservation")
            self.reservations.append(Fraction(float(r)) if r is not None else None)

    def utils(self, outcome: tuple) -> tuple[Fraction, ...]:
        return tuple(sum(t[o] for t, o in zip(rows, outcome)) for rows in self.tables)

    def in_zone(self, u: tuple[Fraction, ...]) -> bool:
        return all(r is None or x >= r for x, r in zip(u, self.reservations))


def _dominates(a: tuple, b: tuple) -> bool:
    return all(x >= y for x, y in zip(a, b)) and any(x > y for x, y in zip(a, b))


class ExactFilter:
    """Decides whether an outcome Parley does not list is rightly left out: outside the
    zone, or dominated by an outcome Parley lists, in exact arithmetic."""

    def __init__(self, exact: Exact, zone: bool, frontier_entries: list[dict]):
        import numpy as np

        self.exact, self.zone = exact, zone
        ids, parties = exact.side.issue_ids, exact.side.parties
        self.f_out = [tuple(e["outcome"][i] for i in ids) for e in frontier_entries]
        self.f_vec = np.asarray(vectors(frontier_entries, parties), dtype=float).reshape(-1, len(parties))
        self._cache: dict[tuple, tuple] = {}

    def utils(self, o: tuple) -> tuple:
        if o not in self._cache:
            self._cache[o] = self.exact.utils(o)
        return self._cache[o]

    def excluded(self, o: tuple) -> bool:
        """Outside the zone in exact arithmetic, or dominated by a listed outcome either
        exactly or with Parley's tie margin (better by more than 1e-12, relative above 1,
        for one party, and worse by no more than that for any): differences below the
        tie margin or in the last bits of the sums are not taken for mismatches."""
        import numpy as np

        e = self.utils(o)
        if self.zone and not self.exact.in_zone(e):
            return True
        if not len(self.f_vec):
            return False
        fo = np.asarray([float(x) for x in e])
        margin = TIE_MARGIN * np.maximum(1.0, np.abs(fo))
        cand = np.nonzero(np.all(self.f_vec >= fo - margin - 1e-15, axis=1))[0]
        for c in cand:
            if np.any(self.f_vec[c] > fo + margin):
                return True  # dominated with the tie margin
            if _dominates(self.utils(self.f_out[c]), e):
                return True  # dominated in exact arithmetic
        return False


def outcome_level(step: str, listed_entries: list[dict], negmas_outcomes: list[tuple], filt: ExactFilter,
                  problems: list[str], notes: list[str]) -> None:
    """Every outcome NegMAS returns must be one Parley lists.  NegMAS keeps one outcome
    per distinct (floating-point) utility vector and Parley lists every outcome, so a
    NegMAS outcome Parley leaves out is either (a) dominated or outside the zone in
    exact arithmetic (a rounding artefact of NegMAS's float sums: fine, noted) or
    (b) a genuine omission by Parley (an outcome exactly tied with, or not dominated
    by, what Parley lists: a mismatch)."""
    ids = filt.exact.side.issue_ids
    listed = {tuple(e["outcome"][i] for i in ids) for e in listed_entries}
    missing = [o for o in dict.fromkeys(negmas_outcomes) if o not in listed]
    if not missing:
        return
    l_out = list(listed)
    artefacts, genuine = 0, []
    for o in missing:
        if filt.excluded(o):
            artefacts += 1
            continue
        e = filt.utils(o)
        twins = [q for q in l_out if filt.utils(q) == e]
        genuine.append((o, e, twins[:1]))
    if artefacts:
        notes.append(f"{step}: {artefacts} NegMAS outcome(s) Parley does not list are dominated by an outcome Parley "
                     "lists (exactly or beyond the 1e-12 tie margin) or outside the zone: rounding, not a mismatch")
    if genuine:
        lines = [f"{step} (outcome level): {len(genuine)} outcome(s) NegMAS returns are missing from Parley's list, "
                 "though no outcome Parley lists dominates them, exactly or beyond the 1e-12 tie margin"]
        for o, e, twins in genuine[:3]:
            t = f"; exactly tied with listed {twins[0]}" if twins else ""
            lines.append(f"    {o}: exact utilities {fmt_vec(tuple(float(x) for x in e))}{t}")
        problems.append("\n".join(lines))


def compare_scenario(label: str, folder: Path, parley: Path, args) -> dict:
    row: dict[str, Any] = {"scenario": label, "folder": str(folder), "ok": False, "problems": [], "notes": []}
    try:
        report, ptimes = run_parley(parley, folder, args.repeat)
    except Exception as e:  # noqa: BLE001 - reported per scenario
        row["problems"].append(f"parley failed: {e}")
        return row
    parties = list(report["parties"])
    row["parties"] = len(parties)
    row["outcomes"] = int(report.get("outcomes") or 0)
    if report.get("constraint_search") is not None:
        # GENIUS non-linear (hyper-rectangle) profiles: NegMAS reads them, but its frontier and
        # solutions enumerate the outcomes (1e10 and more here), so there is nothing to compare
        # like with like; Parley checks these against GENIUS's own pareto.xml instead.
        complete = report["constraint_search"].get("complete")
        state = "complete" if complete else "incomplete within the budget"
        row["notes"].append(f"skipped NegMAS: non-linear (constraint) utilities ({state} search); compared with GENIUS's pareto.xml instead")
        row["skipped"] = True
        return row
    if report.get("grid_approximation") is not None:
        # Continuous issues: Parley analyses a grid and NegMAS would discretise its own way.
        row["notes"].append("skipped NegMAS: continuous issues, analysed on a grid")
        row["skipped"] = True
        return row
    row["parley_times"] = {s: ptimes.get(s) for s in STEPS}
    if args.max_outcomes and row["outcomes"] > args.max_outcomes:
        row["notes"].append(f"skipped NegMAS: {row['outcomes']} outcomes > --max-outcomes {args.max_outcomes}")
        row["skipped"] = True
        return row
    try:
        side = build_negmas(report)
    except Exception as e:  # noqa: BLE001
        row["problems"].append(f"could not build NegMAS ufuns: {type(e).__name__}: {e}")
        return row
    row["notes"] += side.notes
    problems: list[str] = row["problems"]
    tol = args.tol
    match: dict[str, bool] = {}

    # 0. Both sides see the same numbers: d_p, M_p, and the utilities of Parley's outcomes.
    dm_ok = True
    for i, p in enumerate(parties):
        pd, pm = float(report["disagreement"][p]), float(report["best"][p])
        nd, nm = side.disagreement[i], side.ranges[i][1]
        if abs(pd - nd) > tol or abs(pm - nm) > tol:
            dm_ok = False
            problems.append(f"{p}: Parley d={pd!r} M={pm!r}, NegMAS d={nd!r} M={nm!r}")
    worst = 0.0
    for entry in report["unrestricted_pareto_frontier"] + report["pareto_frontier"]:
        o = tuple(entry["outcome"][iid] for iid in side.issue_ids)
        for i, p in enumerate(parties):
            worst = max(worst, abs(side.utility(i, o) - float(entry["utilities"][p])))
    if worst > tol:
        dm_ok = False
        problems.append(f"utilities of Parley's frontier outcomes differ in NegMAS by up to {worst:.3g}")
    match["inputs"] = dm_ok
    row["max_utility_diff"] = worst

    ntimes: dict[str, float] = {}
    runs: dict[str, int] = {}
    exact = Exact(report, side)
    out_problems: list[str] = []
    out_notes: list[str] = []
    budget = args.time_budget

    # 1. Frontiers.
    for step, key, unres in (("frontier", "pareto_frontier", False),
                             ("unrestricted_frontier", "unrestricted_pareto_frontier", True)):
        (utils, indices), ntimes[step], runs[step] = timed(lambda: negmas_frontier(side, unres), side, args.repeat, budget)
        filt = ExactFilter(exact, not unres, report[key])
        outcome_of = {tuple(map(float, u)): side.decode(ix) for u, ix in zip(utils, indices)}
        match[step] = compare_sets(step, vectors(report[key], parties), list(outcome_of), tol, problems,
                                   artefact=lambda v: filt.excluded(outcome_of[v]), notes=out_notes)
        # Self-check of the index decoding (used for the outcome-level check below).
        for u, ix in list(zip(utils, indices))[:20]:
            o = side.decode(ix)
            if any(abs(side.utility(i, o) - float(u[i])) > 1e-12 for i in range(len(parties))):
                problems.append(f"internal: NegMAS outcome index {ix} does not decode to its utilities")
                match[step] = False
                break
        row[f"{step}_size"] = {"parley": len(report[key]), "negmas": len(utils)}
        outcome_level(step, report[key], list(outcome_of.values()), filt, out_problems, out_notes)

    # 2. Solutions, each timed at its own cost on the zone frontier, as Parley times them.
    zone_filter = ExactFilter(exact, True, report["pareto_frontier"])
    zone_frontier = negmas_frontier(side)
    for kind in NEGMAS_SOLUTION:
        (utils, indices, points), ntimes[kind], runs[kind] = timed(lambda: negmas_solution(side, kind, zone_frontier), side, args.repeat, budget)
        nvec = [tuple(float(x) for x in utils[ix]) for _, ix in points]
        pvec = vectors(report["solutions"].get(kind, []), parties)
        match[kind] = compare_sets(kind, pvec, nvec, tol, problems)
        outcome_level(kind, report["solutions"].get(kind, []), [side.decode(indices[ix]) for _, ix in points],
                      zone_filter, out_problems, out_notes)

    match["outcomes"] = not out_problems
    problems += out_problems
    row["notes"] += out_notes
    row["match"] = match
    row["negmas_times"] = ntimes
    row["negmas_runs"] = runs
    row["ratio"] = {
        s: (ntimes[s] / ptimes[s]) if ptimes.get(s) else None for s in STEPS
    }
    # 3. The whole process against NegMAS's frontier and four solutions.
    row["negmas_compute_s"] = ntimes["frontier"] + sum(ntimes[kind] for kind in NEGMAS_SOLUTION)
    row["parley_process_s"] = parley_process_time(parley, folder, args.repeat)
    row["process_ratio"] = row["negmas_compute_s"] / row["parley_process_s"]
    row["ok"] = all(match.values()) and not problems
    return row


# --------------------------------------------------------------------------- output


def fmt_ratio(r: float | None) -> str:
    if r is None:
        return "-"
    if r >= 1000:
        return f"{r:,.0f}"
    return f"{r:.3g}"


def print_header() -> None:
    cols = ["scenario".ljust(34), "n", "outcomes".rjust(9)]
    cols += [SHORT[s].rjust(6) for s in ["inputs"] + STEPS + ["outcomes"]]
    cols += [("x" + SHORT[s]).rjust(10) for s in STEPS]
    cols += ["xprocess".rjust(10)]
    print(" ".join(cols))


def print_row(row: dict) -> None:
    m = row.get("match", {})

    def yn(k: str) -> str:
        if k not in m:
            return "-"
        return "ok" if m[k] else "FAIL"

    cols = [row["scenario"][:34].ljust(34), str(row.get("parties", "?")), fmt_count(row.get("outcomes", "?")).rjust(9)]
    cols += [yn(k).rjust(6) for k in ["inputs"] + STEPS + ["outcomes"]]
    ratio = row.get("ratio", {})
    cols += [fmt_ratio(ratio.get(s)).rjust(10) for s in STEPS]
    cols += [fmt_ratio(row.get("process_ratio")).rjust(10)]
    print(" ".join(cols), flush=True)
    for n in row.get("notes", []):
        print(f"    note: {n}")
    for p in row.get("problems", []):
        print("    MISMATCH " + p.replace("\n", "\n    "))
    sys.stdout.flush()


def summary(rows: list[dict]) -> dict:
    compared = [r for r in rows if "match" in r]
    s: dict[str, Any] = {
        "scenarios": len(rows),
        "compared": len(compared),
        "skipped": sum(1 for r in rows if r.get("skipped")),
        "failed": [r["scenario"] for r in rows if not r.get("skipped") and not r["ok"]],
        "min_ratio": {},
        "median_ratio": {},
        "min_ratio_scenario": {},
        "below_100x": {},
    }
    for step in STEPS:
        rs = [(r["ratio"][step], r["scenario"]) for r in compared if r.get("ratio", {}).get(step)]
        if rs:
            lo = min(rs)
            s["min_ratio"][step] = lo[0]
            s["min_ratio_scenario"][step] = lo[1]
            vals = sorted(x for x, _ in rs)
            s["median_ratio"][step] = vals[len(vals) // 2]
            s["below_100x"][step] = [name for x, name in rs if x < 100]
    timed_rows = [r for r in compared if r.get("parley_process_s")]
    s["negmas_compute_sum_s"] = sum(r["negmas_compute_s"] for r in timed_rows)
    s["parley_process_sum_s"] = sum(r["parley_process_s"] for r in timed_rows)
    s["process_sum_ratio"] = (s["negmas_compute_sum_s"] / s["parley_process_sum_s"]
                              if s["parley_process_sum_s"] else None)
    s["all_match"] = not s["failed"] and s["compared"] > 0
    return s


def markdown(rows: list[dict], summ: dict) -> str:
    """The results as Markdown tables (for docs/negmas-comparison.md)."""
    cols = ["inputs"] + STEPS + ["outcomes"]
    head = (["scenario", "parties", "outcomes"] + [SHORT[c] for c in cols]
            + [f"x{SHORT[s]}" for s in STEPS])
    out = ["| " + " | ".join(head) + " |", "| " + " | ".join(["---"] * 3 + [":-:"] * len(cols) + ["--:"] * len(STEPS)) + " |"]
    for r in rows:
        m = r.get("match", {})
        cells = [r["scenario"], str(r.get("parties", "?")), fmt_count(r.get("outcomes", 0))]
        cells += [("ok" if m[c] else "**FAIL**") if c in m else "-" for c in cols]
        cells += [fmt_ratio((r.get("ratio") or {}).get(s)) for s in STEPS]
        out.append("| " + " | ".join(cells) + " |")
    out += ["", "| step | min ratio | at | median ratio | scenarios below 100x |", "| --- | --: | --- | --: | --: |"]
    for step in STEPS:
        if step in summ["min_ratio"]:
            out.append(f"| {step} | {fmt_ratio(summ['min_ratio'][step])} | {summ['min_ratio_scenario'][step]} | "
                       f"{fmt_ratio(summ['median_ratio'][step])} | {len(summ['below_100x'][step])} of {summ['compared']} |")
    out += ["", "| scenario | parties | outcomes | NegMAS frontier + 4 solutions (s) | `parley analyze --json` process (s) | ratio |",
            "| --- | --: | --: | --: | --: | --: |"]
    for r in rows:
        if r.get("parley_process_s"):
            out.append(f"| {r['scenario']} | {r.get('parties', '?')} | {fmt_count(r.get('outcomes', 0))} | "
                       f"{r['negmas_compute_s']:.4f} | {r['parley_process_s']:.4f} | {fmt_ratio(r['process_ratio'])} |")
    if summ.get("process_sum_ratio"):
        out.append(f"| **sum** | | | {summ['negmas_compute_sum_s']:.3f} | {summ['parley_process_sum_s']:.3f} | "
                   f"**{fmt_ratio(summ['process_sum_ratio'])}** |")
    return "\n".join(out) + "\n"


def write_out(path: Path, rows: list[dict], summ: dict, meta: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".md":
        path.write_text(markdown(rows, summ))
    elif path.suffix.lower() == ".csv":
        with path.open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["scenario", "parties", "outcomes", "ok"]
                       + [f"match_{s}" for s in ["inputs"] + STEPS + ["outcomes"]]
                       + [f"parley_s_{s}" for s in STEPS]
                       + [f"negmas_s_{s}" for s in STEPS]
                       + [f"ratio_{s}" for s in STEPS]
                       + ["negmas_compute_s", "parley_process_s", "process_ratio", "problems", "notes"])
            for r in rows:
                m = r.get("match", {})
                w.writerow([r["scenario"], r.get("parties"), r.get("outcomes"), r["ok"]]
                           + [m.get(s, "") for s in ["inputs"] + STEPS + ["outcomes"]]
                           + [(r.get("parley_times") or {}).get(s, "") for s in STEPS]
                           + [(r.get("negmas_times") or {}).get(s, "") for s in STEPS]
                           + [(r.get("ratio") or {}).get(s, "") for s in STEPS]
                           + [r.get("negmas_compute_s", ""), r.get("parley_process_s", ""), r.get("process_ratio", "")]
                           + [" | ".join(r.get("problems", [])), " | ".join(r.get("notes", []))])
    else:
        path.write_text(json.dumps({"meta": meta, "summary": summ, "scenarios": rows}, indent=2, default=str) + "\n")


# --------------------------------------------------------------------------- main


def default_parley() -> Path:
    target = os.environ.get("CARGO_TARGET_DIR") or str(REPO / "target")
    return Path(target) / "release" / "parley"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenarios", type=Path, default=REPO.parent / "shared" / "scenarios" / "genius",
                    help="folder searched recursively for GENIUS scenario folders (default: ../shared/scenarios/genius)")
    ap.add_argument("--random", type=int, default=20, metavar="N", help="number of seeded random scenarios (default 20)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the random scenarios (default 1)")
    ap.add_argument("--repeat", type=int, default=3, metavar="K", help="time each step as the best of K runs (default 3)")
    ap.add_argument("--time-budget", type=float, default=60.0, metavar="SECONDS",
                    help="stop repeating a NegMAS step once it has taken this long in all (default 60)")
    ap.add_argument("--tol", type=float, default=1e-9, help="tolerance for comparing utilities (default 1e-9)")
    ap.add_argument("--max-outcomes", type=int, default=0, metavar="N",
                    help="skip NegMAS on scenarios with more outcomes (default 0: no limit)")
    ap.add_argument("--only", action="append", default=[], metavar="TEXT",
                    help="only scenarios whose name contains TEXT (repeatable)")
    ap.add_argument("--parley", type=Path, default=None, help="the parley binary (default $CARGO_TARGET_DIR/release/parley)")
    ap.add_argument("--out", type=Path, action="append", default=[],
                    help="also write the results to this file: .csv for CSV, .md for Markdown tables, else JSON (repeatable)")
    ap.add_argument("--keep-random", type=Path, default=None, metavar="DIR",
                    help="write the random scenarios into DIR and keep them (default: a temporary folder)")
    args = ap.parse_args(argv)

    parley = args.parley or default_parley()
    if not parley.exists():
        print(f"error: no parley binary at {parley} (build it with cargo build --release -p parley-cli)", file=sys.stderr)
        return 2

    jobs: list[tuple[str, Path]] = []
    if args.scenarios.is_dir():
        root = args.scenarios.resolve()
        for folder in find_genius_folders(root):
            jobs.append((str(folder.relative_to(root)) if folder != root else folder.name, folder))
    else:
        print(f"note: no scenario folder at {args.scenarios}: GENIUS scenarios skipped")

    tmp = None
    if args.random > 0:
        if args.keep_random:
            rdir = args.keep_random
            rdir.mkdir(parents=True, exist_ok=True)
        else:
            tmp = tempfile.mkdtemp(prefix="parley-negmas-")
            rdir = Path(tmp)
        rng = random.Random(args.seed)
        for i in range(args.random):
            name = f"random-s{args.seed}-{i + 1:03d}-{random_variant(i)}"
            write_random_scenario(rdir / name, rng, name, random_variant(i))
            jobs.append((name, rdir / name))
    if args.only:
        jobs = [(n, f) for n, f in jobs if any(t in n for t in args.only)]
    if not jobs:
        print("error: no scenario to compare", file=sys.stderr)
        return 2

    meta = {
        "negmas_version": negmas.__version__,
        "python": sys.version.split()[0],
        "parley": str(parley),
        "repeat": args.repeat,
        "seed": args.seed,
        "random": args.random,
        "tol": args.tol,
        "time_budget": args.time_budget,
    }
    print(f"NegMAS {negmas.__version__} vs {parley}; {len(jobs)} scenario(s); best of {args.repeat}; tolerance {args.tol:g}")
    print("columns: match of d_p/M_p/utilities, zone frontier, unrestricted frontier, Nash, Kalai-Smorodinsky "
          "(NegMAS ks_points), egalitarian (NegMAS kalai_points), utilitarian (NegMAS max_welfare_points); "
          "then time ratio NegMAS/Parley per step")
    print_header()
    rows = []
    try:
        for label, folder in jobs:
            row = compare_scenario(label, folder, parley, args)
            rows.append(row)
            print_row(row)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    summ = summary(rows)
    print()
    print(f"summary: {summ['compared']} compared, {summ['skipped']} skipped, "
          f"{len(summ['failed'])} with mismatches or failures")
    if summ["failed"]:
        print("  mismatching: " + ", ".join(summ["failed"]))
    print("  ratio NegMAS/Parley per step (min over scenarios [scenario], median):")
    for step in STEPS:
        if step in summ["min_ratio"]:
            below = summ["below_100x"][step]
            print(f"    {step:22} min {fmt_ratio(summ['min_ratio'][step]):>10} [{summ['min_ratio_scenario'][step]}]"
                  f"  median {fmt_ratio(summ['median_ratio'][step]):>10}"
                  + (f"  below 100x: {len(below)} ({', '.join(below[:6])}{', ...' if len(below) > 6 else ''})" if below else ""))
    if summ.get("process_sum_ratio"):
        print(f"  whole process: NegMAS frontier + 4 solutions {summ['negmas_compute_sum_s']:.3f} s, "
              f"parley analyze --json processes {summ['parley_process_sum_s']:.3f} s: "
              f"sum ratio {fmt_ratio(summ['process_sum_ratio'])}")
    print("  ALL MATCH" if summ["all_match"] else "  NOT ALL MATCH")
    for out in args.out:
        write_out(out, rows, summ, meta)
        print(f"  results written to {out}")
    return 0 if summ["all_match"] else 1


if __name__ == "__main__":
    sys.exit(main())
