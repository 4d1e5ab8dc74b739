#!/usr/bin/env python3
"""Compare Parley's simulations with NegMAS's on GENIUS scenarios, like with like.

For every scenario folder this runs `parley analyze DIR --json` once to read the exact
normalised utilities Parley uses (`utility_model`), builds NegMAS linear-additive ufuns from
those numbers (so both sides negotiate over identical utilities, reservations included), and
then runs the same protocol family on both sides:

  Parley (parley tournament)                   NegMAS
  -------------------------------------------  -----------------------------------------------
  alternating-offers, boulware/linear/conceder SAOMechanism + Boulware/Linear/ConcederTBNegotiator
  single-text-veto (random texts, veto)        VetoSTMechanism + BinaryComparatorNegotiator
  single-text-hill-climbing (neighbours)       HillClimbingSTMechanism + BinaryComparatorNegotiator

Both sides get the same deadline in rounds (NegMAS n_steps = --rounds). Parley's `boulware`
and `conceder` follow the curves of NegMAS's (1 - t^4 and 1 - t^0.25). For each scenario,
protocol and strategy it reports agreement rates, the mean and quartiles of each party's
utility, and negotiations per second on one core (Parley: `negotiations_per_second_per_core`
from its tournament JSON, run with --threads 1; NegMAS: runs / wall time of the loop).

Exit status: 0 when the comparison ran, 2 when it could not run.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

warnings.filterwarnings("ignore")

try:
    from negmas.outcomes import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun
    from negmas.sao import (
        BoulwareTBNegotiator,
        ConcederTBNegotiator,
        LinearTBNegotiator,
        SAOMechanism,
    )
    from negmas.negotiators import BinaryComparatorNegotiator
    from negmas.st import HillClimbingSTMechanism, VetoSTMechanism
except ImportError as e:  # pragma: no cover
    sys.exit(f"compare.py: NegMAS is missing ({e}); run scripts/negmas-sim/run.sh")

DEFAULT_SCENARIOS = [
    "y2010/Travel",
    "y2011/Amsterdam",
    "y2011/Camera",
    "y2013/Coffee",
    "y2015/group2-dinner",
    "y2015/group9-vacation",
]
TB = {"boulware": BoulwareTBNegotiator, "linear": LinearTBNegotiator, "conceder": ConcederTBNegotiator}


def parley_model(parley: Path, folder: Path) -> dict:
    proc = subprocess.run([str(parley), "analyze", str(folder), "--json", "--samples", "0"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"parley analyze failed: {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout)


def negmas_ufuns(report: dict) -> tuple[Any, list[Any], list[str]]:
    parties = list(report["parties"])
    issue_ids = [iss["id"] for iss in report["issues"]]
    option_ids = [[opt["id"] for opt in iss["options"]] for iss in report["issues"]]
    issues = [make_issue(values=list(opts), name=iid) for iid, opts in zip(issue_ids, option_ids)]
    os_ = make_os(issues)
    model = report["utility_model"]["parties"]
    ufuns = []
    for party in parties:
        m = model[party]
        weights, values = [], []
        for iid, opts in zip(issue_ids, option_ids):
            table = m["values"].get(iid)
            weights.append(float(m["weights"].get(iid, 0.0)) if table is not None else 0.0)
            values.append(TableFun({o: float(table[o]) if table is not None else 0.0 for o in opts}))
        r = m.get("reservation")
        ufuns.append(LinearAdditiveUtilityFunction(
            values=values, weights=weights, outcome_space=os_,
            reserved_value=float(r) if r is not None else 0.0, name=party))
    return os_, ufuns, parties


def run_negmas(os_: Any, ufuns: list[Any], protocol: str, strategy: str, rounds: int,
               seeds: int, budget: float) -> dict:
    utilities: list[list[float]] = [[] for _ in ufuns]
    agreements = 0
    runs = 0
    start = time.perf_counter()
    for seed in range(seeds):
        import random
        random.seed(seed)
        if protocol == "alternating-offers":
            mech = SAOMechanism(outcome_space=os_, n_steps=rounds)
            for u in ufuns:
                mech.add(TB[strategy](), preferences=u)
        else:
            cls = VetoSTMechanism if protocol == "single-text-veto" else HillClimbingSTMechanism
            mech = cls(outcome_space=os_, n_steps=rounds)
            for u in ufuns:
                mech.add(BinaryComparatorNegotiator(), preferences=u)
        state = mech.run()
        agreement = state.agreement
        if isinstance(agreement, tuple) and len(agreement) == 1 and isinstance(agreement[0], tuple):
            agreement = agreement[0]  # HillClimbingSTMechanism wraps its local optimum
        runs += 1
        for p, u in enumerate(ufuns):
            if agreement is not None:
                utilities[p].append(float(u(agreement)))
            else:
                utilities[p].append(float(u.reserved_value))
        agreements += agreement is not None
        if time.perf_counter() - start > budget:
            break
    elapsed = time.perf_counter() - start
    return {"runs": runs, "agreement_rate": agreements / runs, "utilities": utilities,
            "negotiations_per_second": runs / elapsed if elapsed > 0 else None}


def run_parley(parley: Path, folders: list[Path], protocols: list[str], rounds: int,
               seeds: int) -> dict:
    with tempfile.TemporaryDirectory() as out:
        cmd = [str(parley), "tournament", *map(str, folders), "--seeds", str(seeds),
               "--strategies", "boulware,linear,conceder", "--protocols", ",".join(protocols),
               "--rounds", str(rounds), "--threads", "1", "--out", out]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"parley tournament failed: {proc.stderr.strip()[-2000:]}")
        return json.loads((Path(out) / "results.json").read_text())


def quartiles(values: list[float]) -> list[float]:
    s = sorted(values)
    return [s[round((len(s) - 1) * q)] for q in (0.25, 0.5, 0.75)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = Path(__file__).resolve().parent
    ap.add_argument("--parley", type=Path, required=True, help="the parley binary")
    ap.add_argument("--root", type=Path, default=here.parent.parent.parent / "shared/scenarios/genius",
                    help="the GENIUS scenarios folder")
    ap.add_argument("--scenarios", nargs="*", default=DEFAULT_SCENARIOS,
                    help="scenario folders under --root")
    ap.add_argument("--seeds", type=int, default=20, help="runs per scenario, protocol and strategy")
    ap.add_argument("--rounds", type=int, default=100, help="the deadline in rounds (NegMAS n_steps)")
    ap.add_argument("--negmas-budget", type=float, default=30.0,
                    help="seconds NegMAS may spend per scenario, protocol and strategy")
    ap.add_argument("--out", type=Path, default=here / "results", help="where to write results")
    args = ap.parse_args()

    folders = [args.root / s for s in args.scenarios if (args.root / s).is_dir()]
    if not folders:
        print(f"compare.py: no scenario under {args.root}", file=sys.stderr)
        return 2
    protocols = ["alternating-offers", "single-text-veto", "single-text-hill-climbing"]
    parley = run_parley(args.parley, folders, protocols, args.rounds, args.seeds)
    if parley.get("format") != "parley-tournament/2":
        print(f"compare.py: results.json has format {parley.get('format')!r}, "
              "expected 'parley-tournament/2'", file=sys.stderr)
        return 2
    profile_idx = {p["label"]: i for i, p in enumerate(parley["profiles"])}
    rows = []
    for scenario_idx, folder in enumerate(folders):
        report = parley_model(args.parley, folder)
        os_, ufuns, parties = negmas_ufuns(report)
        for protocol in protocols:
            strategies = ["boulware", "linear", "conceder"] if protocol == "alternating-offers" else ["linear"]
            for strategy in strategies:
                label = f"{protocol} {strategy}"
                pidx = profile_idx[label]
                prow = [r for r in parley["rows"] if r["scenario"] == scenario_idx and r["profile"] == pidx]
                # Utilities are keyed by party id (results.json `parley-tournament/2`).
                p_util = [[r["utilities"][p] for r in prow] for p in parties]
                p_busy = sum(r["elapsed_seconds"] or 0.0 for r in prow)
                # NegMAS's single-text negotiators only compare texts: the strategy is moot there.
                nm = run_negmas(os_, ufuns, protocol, strategy, args.rounds, args.seeds, args.negmas_budget)
                p_rate = len(prow) / p_busy if p_busy > 0 else None
                row = {
                    "scenario": folder.name, "parties": parties, "protocol": protocol, "strategy": strategy,
                    "parley": {"runs": len(prow),
                               "agreement_rate": sum(r["agreement"] is not None for r in prow) / len(prow),
                               "mean_utilities": [statistics.fmean(u) for u in p_util],
                               "quartiles": [quartiles(u) for u in p_util],
                               "negotiations_per_second": p_rate},
                    "negmas": {"runs": nm["runs"], "agreement_rate": nm["agreement_rate"],
                               "mean_utilities": [statistics.fmean(u) for u in nm["utilities"]],
                               "quartiles": [quartiles(u) for u in nm["utilities"]],
                               "negotiations_per_second": nm["negotiations_per_second"]},
                }
                nps = row["negmas"]["negotiations_per_second"]
                row["speedup"] = p_rate / nps if p_rate and nps else None
                rows.append(row)
                fmt = lambda xs: " ".join(f"{x:.3f}" for x in xs)
                print(f"{folder.name:<22} {protocol:<26} {strategy:<9} "
                      f"agree {row['parley']['agreement_rate']:.2f}/{row['negmas']['agreement_rate']:.2f}  "
                      f"utility [{fmt(row['parley']['mean_utilities'])}]/[{fmt(row['negmas']['mean_utilities'])}]  "
                      f"neg/s {p_rate or 0:,.0f}/{nps or 0:,.1f}  x{row['speedup'] or 0:,.0f}", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    speedups = [r["speedup"] for r in rows if r["speedup"]]
    summary = {
        "rounds": args.rounds, "seeds": args.seeds,
        "parley_offer_evaluations_per_second_per_core": parley.get("offer_evaluations_per_second_per_core"),
        "min_speedup": min(speedups) if speedups else None,
        "geometric_mean_speedup": math.exp(statistics.fmean(map(math.log, speedups))) if speedups else None,
        "rows": rows,
    }
    (args.out / "comparison.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"speedup: min x{summary['min_speedup'] or 0:,.0f}, geometric mean x{summary['geometric_mean_speedup'] or 0:,.0f}; "
          f"parley offer evaluations/s/core {summary['parley_offer_evaluations_per_second_per_core'] or 0:,.0f}; "
          f"wrote {args.out / 'comparison.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
