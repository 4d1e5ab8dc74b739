"""`from_negmas` against NegMAS's own functions on the same utility functions: the Pareto
frontier (`pareto_frontier`), the Nash points (`nash_points`) and the Kalai-Smorodinsky
points (`ks_points`), compared by NegMAS's utilities of the outcomes each side returns."""

from __future__ import annotations

import pytest

import parley
from conftest import genius

SCENARIOS = ["y2010/ItexvsCypress", "y2011/Camera", "y2013/Animal", "y2012/EnglandvsZimbabweA"]


def negmas_ufuns(negmas, relative):
    scenario = negmas.inout.Scenario.load(genius(relative))
    return list(scenario.ufuns), scenario.outcome_space


def rounded(vectors):
    return {tuple(round(float(u), 9) for u in vector) for vector in vectors}


def negmas_utilities(ufuns, outcomes, issues):
    """NegMAS's utilities of Parley's outcomes (dicts of option ids)."""
    vectors = []
    for outcome in outcomes:
        values = []
        for issue in issues:
            by_text = {str(value): value for value in issue.all}
            values.append(by_text[outcome[issue.name]])
        vectors.append([ufun(tuple(values)) for ufun in ufuns])
    return vectors


@pytest.mark.parametrize("relative", SCENARIOS)
def test_from_negmas_gives_negmas_frontier_nash_and_kalai(negmas, relative):
    from negmas.preferences.ops import ks_points, nash_points, pareto_frontier

    ufuns, outcome_space = negmas_ufuns(negmas, relative)
    scenario = parley.from_negmas(ufuns)
    assert scenario.negotiating_parties == [ufun.name for ufun in ufuns]
    issues = list(outcome_space.issues)

    frontier_utils, _ = pareto_frontier(ufuns, issues=issues, sort_by_welfare=True)
    zone = parley.frontier(scenario)
    assert rounded(negmas_utilities(ufuns, zone.outcomes, issues)) == rounded(frontier_utils)

    for parley_step, negmas_step in [(parley.nash, nash_points), (parley.kalai, ks_points)]:
        expected = negmas_step(ufuns, frontier_utils, outcome_space=outcome_space)
        found = parley_step(scenario, zone)
        assert rounded(negmas_utilities(ufuns, found.outcomes, issues)) == rounded(u for u, _ in expected)


def genius_reading(ufun):
    """The utility function GENIUS reads from the same file: each issue's evaluations divided
    by their largest, the weights by their sum (NegMAS keeps the raw evaluations)."""
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun

    issues = list(ufun.outcome_space.issues)
    total = sum(ufun.weights)
    values = []
    for issue, function in zip(issues, ufun.values):
        table = {option: float(function(option)) for option in issue.all}
        high = max(table.values())
        values.append(TableFun({option: value / high for option, value in table.items()}))
    return LinearAdditiveUtilityFunction(
        values=values, weights=[w / total for w in ufun.weights], outcome_space=ufun.outcome_space,
        reserved_value=ufun.reserved_value, name=ufun.name,
    )


@pytest.mark.parametrize("relative", ["y2011/Camera", "y2010/ItexvsCypress"])
def test_from_negmas_with_genius_reading_equals_the_genius_files(negmas, relative):
    folder = genius(relative)
    raw, _ = negmas_ufuns(negmas, relative)
    ufuns = [genius_reading(ufun) for ufun in raw]
    from_negmas = parley.analyze(parley.from_negmas(ufuns), samples=0)
    from_files = parley.analyze(parley.load(folder), samples=0)
    assert from_negmas.frontier.outcomes == from_files.frontier.outcomes
    for name in parley.SOLUTIONS:
        assert from_negmas.solutions[name].outcomes == from_files.solutions[name].outcomes, name


def test_from_negmas_refuses_what_it_cannot_hold(negmas):
    from negmas.outcomes import make_issue, make_os
    from negmas.preferences import LinearUtilityFunction

    space = make_os([make_issue((0.0, 1.0), name="price"), make_issue(3, name="amount")])
    ufuns = [LinearUtilityFunction(weights=[1.0, 1.0], outcome_space=space) for _ in range(2)]
    with pytest.raises(parley.ScenarioError) as raised:
        parley.from_negmas(ufuns)
    assert "price" in str(raised.value) and "continuous" in str(raised.value)
