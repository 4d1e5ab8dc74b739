"""The package's own API: scenarios from numbers, bad input, writing and reading back,
tournaments, and the docs' example."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import parley
from conftest import REPO, error_line, genius, run_cli


def brute_force_frontier(weights, values):
    """Every outcome's utilities (weights normalised), and the non-dominated ones."""
    weights = np.asarray(weights, dtype=float)
    weights = weights / weights.sum(axis=1, keepdims=True)
    outcomes = list(itertools.product(*[range(len(issue)) for issue in values[0]]))
    utilities = np.array(
        [[sum(weights[p][i] * values[p][i][o] for i, o in enumerate(outcome)) for p in range(len(weights))]
         for outcome in outcomes]
    )
    frontier = set()
    for a, ua in zip(outcomes, utilities):
        dominated = any((ub >= ua).all() and (ub > ua).any() for ub in utilities)
        if not dominated:
            frontier.add(a)
    return frontier


def test_a_space_from_numpy_arrays_has_the_brute_force_frontier():
    rng = np.random.default_rng(5)
    weights = rng.random((3, 4))
    values = [[list(rng.random(n)) for n in (3, 2, 4, 3)] for _ in range(3)]
    scenario = parley.space(weights, values)
    frontier = parley.unrestricted_frontier(scenario)
    found = {tuple(int(index) for index in row) for row in frontier.indices}
    assert found == brute_force_frontier(weights, values)
    assert frontier.parties == ["party1", "party2", "party3"]
    assert scenario.issues["issue2"] == ["option1", "option2"]


def test_reservations_restrict_the_zone():
    weights = [[1, 1], [1, 1]]
    values = [[[0.0, 0.5, 1.0], [0.0, 1.0]], [[1.0, 0.5, 0.0], [1.0, 0.0]]]
    open_zone = parley.frontier(parley.space(weights, values))
    narrow = parley.frontier(parley.space(weights, values, reservations=[0.5, 0.5]))
    assert len(narrow) < len(open_zone)
    assert (narrow.utilities >= 0.5).all()


@pytest.mark.parametrize(
    "weights, values, message",
    [
        ([[1, 1]], [[[0, 1], [0, 1]]], "weights has 1 row(s), expected one per party (at least 2)"),
        ([[1, 1], [1]], [[[0, 1], [0, 1]]] * 2, "weights[1] has 1 weight(s), expected 2 (one per issue)"),
        ([[1, 1], [1, 1]], [[[0, 1], [0, 1]], [[0, 1], [0, 1, 1]]], "values[1][1] has 3 value(s), expected 2 (one per option)"),
        ([[1, 1], [1, float("nan")]], [[[0, 1], [0, 1]]] * 2, "weights[1][1] is nan, expected a finite number"),
    ],
)
def test_a_space_of_the_wrong_shape_is_refused(weights, values, message):
    with pytest.raises(parley.ScenarioError) as raised:
        parley.space(weights, values)
    assert str(raised.value) == message
    assert isinstance(raised.value, ValueError)


def test_a_value_out_of_range_is_refused_naming_the_field():
    with pytest.raises(parley.ScenarioError) as raised:
        parley.space([[1, 1], [1, 1]], [[[0, 1.5], [0, 1]], [[0, 1], [0, 1]]])
    message = str(raised.value)
    assert "1.5" in message and "values[0][0][1]" in message, message


def test_a_bad_file_raises_the_clis_message(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[scenario]\nid = "x"\ntitle = 3\n')
    cli = run_cli("analyze", path, check=False)
    assert cli.returncode == 2
    with pytest.raises(parley.ScenarioError) as raised:
        parley.load(path)
    assert str(raised.value) == error_line(cli.stderr)
    assert re.search(r"bad\.toml:\d+:\d+", str(raised.value)), str(raised.value)


def test_a_missing_folder_raises_the_clis_message(tmp_path):
    path = tmp_path / "nowhere.toml"
    cli = run_cli("analyze", path, check=False)
    with pytest.raises(parley.ScenarioError) as raised:
        parley.load(path)
    assert str(raised.value) == error_line(cli.stderr)


def test_a_broken_genius_profile_names_file_line_and_column(tmp_path):
    source = genius("y2011/Camera")
    for file in source.iterdir():
        (tmp_path / file.name).write_bytes(file.read_bytes())
    profile = tmp_path / "camera_buyer_utility.xml"
    profile.write_text(profile.read_text().replace("</objective>", "</objectiv>", 1))
    cli = run_cli("analyze", tmp_path, check=False)
    with pytest.raises(parley.ScenarioError) as raised:
        parley.load(tmp_path)
    assert str(raised.value) == error_line(cli.stderr)
    assert "camera_buyer_utility.xml" in str(raised.value)


def test_bad_options_raise_the_clis_message():
    with pytest.raises(parley.OptionsError) as raised:
        parley.analyze(parley.builtin(), samples=-1)
    assert "-1" in str(raised.value)
    with pytest.raises(parley.OptionsError):
        parley.analyze(parley.builtin(), threads=0)
    with pytest.raises(parley.ParleyError):
        parley.simulate(parley.builtin(), protocol="shouting")


def test_toml_and_genius_round_trips_keep_the_analysis(tmp_path):
    scenario = parley.load(genius("y2010/ItexvsCypress"))
    analysis = parley.analyze(scenario, samples=0)
    again = parley.from_toml(scenario.to_toml())
    assert parley.analyze(again, samples=0).frontier.outcomes == analysis.frontier.outcomes
    scenario.to_genius(tmp_path / "out")
    back = parley.load(tmp_path / "out")
    assert np.allclose(parley.frontier(back).utilities, analysis.frontier.utilities)
    with pytest.raises(parley.ParleyError):
        scenario.to_genius(tmp_path / "out")


def test_a_tournament_gives_one_row_per_run_and_reports_progress():
    scenario = parley.load(genius("y2010/ItexvsCypress"))
    calls = []
    rows = parley.tournament([scenario], strategies=["boulware", "linear"], seeds=3, rounds=30,
                             progress=lambda done, total: calls.append((done, total)))
    assert len(rows) == 2 * 2 * 3
    assert calls[-1] == (12, 12)
    parties = scenario.negotiating_parties
    for row in rows:
        assert {f"utility_{party}" for party in parties} <= set(row)
        if row["agreement"] is not None:
            assert set(row["agreement"]) == set(scenario.issues)


def test_import_parley_does_not_import_negmas():
    code = "import sys, parley; print('negmas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_docs_example_runs_as_written(capsys):
    text = (REPO / "docs" / "python.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "docs/python.md has no python example"
    import os

    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        exec(compile(blocks[0], "docs/python.md", "exec"), {})
    finally:
        os.chdir(cwd)
    assert capsys.readouterr().out.strip()


def test_the_progress_bar_is_one_bar_fed_from_every_thread(capsys):
    tqdm = pytest.importorskip("tqdm")
    assert tqdm
    scenario = parley.load(genius("y2010/ItexvsCypress"))
    rows = parley.tournament([scenario], seeds=4, rounds=20, threads=2)
    silent = parley.tournament([scenario], seeds=4, rounds=20, threads=2, progress=False)
    assert [row["agreement"] for row in rows] == [row["agreement"] for row in silent]
    err = capsys.readouterr().err
    assert err.count("0/36 ") == 1 and "36/36" in err, err
