"""The package's results are the command line's: `Analysis.to_dict()` equals the JSON of
`parley analyze --json` on the same scenario with the same options, whole."""

from __future__ import annotations

import json

import pytest

import parley
from conftest import REPO, cli_json, genius, run_cli

GENIUS_SCENARIOS = ["y2010/ItexvsCypress", "y2011/Camera", "y2013/Animal", "y2012/EnglandvsZimbabweA"]


def test_builtin_equals_the_cli_json():
    expected = cli_json("analyze", "--json", "--samples", "50", "--seed", "7")
    analysis = parley.analyze(parley.builtin(), samples=50, seed=7)
    assert analysis.to_dict() == expected


def test_toml_file_equals_the_cli_json_in_full():
    path = REPO / "scenarios" / "talks-2025.toml"
    expected = cli_json("analyze", path, "--json", "--full", "--samples", "20")
    analysis = parley.analyze(parley.load(path), samples=20)
    assert analysis.to_dict(full=True) == expected


@pytest.mark.parametrize("relative", GENIUS_SCENARIOS)
def test_genius_scenarios_equal_the_cli_json(relative):
    folder = genius(relative)
    expected = cli_json("analyze", folder, "--json")
    analysis = parley.analyze(parley.load(folder))
    assert analysis.to_dict() == expected
    full = cli_json("analyze", folder, "--json", "--full")
    assert analysis.to_dict(full=True) == full


def test_genius_files_listed_one_by_one_equal_the_cli_json():
    folder = genius("y2011/Camera")
    files = sorted(folder.glob("*.xml"))
    expected = cli_json("analyze", *files, "--json", "--full")
    assert parley.analyze(parley.load(files)).to_dict(full=True) == expected


def test_frontier_arrays_are_the_reports_frontier():
    folder = genius("y2010/ItexvsCypress")
    analysis = parley.analyze(parley.load(folder))
    report = analysis.to_dict(full=True)
    frontier = analysis.frontier
    assert frontier is not None
    assert len(frontier) == report["pareto_frontier_size"]
    assert frontier.utilities.shape == (len(frontier), len(frontier.parties))
    assert frontier.indices.shape == (len(frontier), len(parley.load(folder).issues))
    # The report lists the same outcomes.
    listed = sorted(sorted(entry["outcome"].items()) for entry in report["pareto_frontier"])
    assert sorted(sorted(outcome.items()) for outcome in frontier.outcomes) == listed


def test_single_steps_equal_the_analysis():
    scenario = parley.load(genius("y2011/Camera"))
    analysis = parley.analyze(scenario, samples=0)
    zone_frontier = parley.frontier(scenario)
    assert zone_frontier.outcomes == analysis.frontier.outcomes
    assert (zone_frontier.utilities == analysis.frontier.utilities).all()
    assert parley.unrestricted_frontier(scenario).outcomes == analysis.unrestricted_frontier.outcomes
    for name in parley.SOLUTIONS:
        step = getattr(parley, name)
        from_analysis = analysis.solutions[name]
        assert step(scenario, zone_frontier).outcomes == from_analysis.outcomes, name
        assert step(scenario).outcomes == from_analysis.outcomes, name


def test_results_do_not_depend_on_the_thread_count():
    scenario = parley.load(genius("y2013/Animal"))
    one = parley.analyze(scenario, samples=0, threads=1).to_dict(full=True)
    two = parley.analyze(scenario, samples=0, threads=2).to_dict(full=True)
    assert one == two


def test_simulation_equals_the_cli_json():
    expected = cli_json("simulate", "--json", "--seed", "3", "--rounds", "40", "--strategies", "boulware,conceder")
    got = parley.simulate(parley.builtin(), seed=3, rounds=40, strategies=["boulware", "conceder"])
    expected.pop("elapsed_seconds")
    got.pop("elapsed_seconds")
    assert got == expected


def test_constraint_utilities_equal_the_cli_json_and_warnings():
    # ANAC 2014's non-linear profiles: the branch and bound search, bounded by steps (not
    # time) so that both sides stop at the same point.
    folder = genius("../genius-more/y2014/10issues")
    cli = run_cli("analyze", folder, "--json", "--budget", "none", "--max-steps", "200000")
    analysis = parley.analyze(parley.load(folder), budget=None, max_steps=200_000)
    assert analysis.to_dict() == json.loads(cli.stdout)
    assert analysis.cut_short
    warnings = [line[len("warning: "):] for line in cli.stderr.splitlines() if line.startswith("warning: ")]
    assert analysis.warnings == warnings
    assert analysis.frontier is None


def test_a_geniusweb_folder_equals_the_cli_json(tmp_path):
    toml = tmp_path / "itex.toml"
    toml.write_text(parley.load(genius("y2010/ItexvsCypress")).to_toml())
    folder = tmp_path / "geniusweb"
    run_cli("export", "geniusweb", toml, "--output", folder)
    expected = cli_json("analyze", folder, "--json", "--full")
    assert parley.analyze(parley.load(folder)).to_dict(full=True) == expected
