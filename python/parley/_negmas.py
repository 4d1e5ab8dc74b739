"""Reading NegMAS utility functions into Parley's numbers (`parley.from_negmas`).

Only the functions given are read (their weights, value functions, reserved values and
outcome space): NegMAS itself is never imported here.
"""

from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Sequence

from ._errors import ScenarioError


def _issues(ufuns: Sequence[Any], outcome_space: Any) -> List[Any]:
    space = outcome_space if outcome_space is not None else getattr(ufuns[0], "outcome_space", None)
    if space is None:
        raise ScenarioError("the utility functions have no outcome space: pass outcome_space=")
    issues = list(getattr(space, "issues", []))
    if not issues:
        raise ScenarioError("the outcome space has no issues, expected a Cartesian outcome space")
    for issue in issues:
        is_discrete = getattr(issue, "is_discrete", None)
        if callable(is_discrete) and not is_discrete():
            raise ScenarioError(
                f"issue '{issue.name}' is continuous, expected listed options: discretize the outcome space first"
            )
    return issues


def _per_issue(container: Any, issues: Sequence[Any], what: str, ufun_name: str) -> List[Any]:
    """A ufun's weights or value functions in the order of the issues."""
    if isinstance(container, dict):
        missing = [issue.name for issue in issues if issue.name not in container]
        if missing:
            raise ScenarioError(f"utility function '{ufun_name}' has no {what} for issue '{missing[0]}'")
        return [container[issue.name] for issue in issues]
    items = list(container)
    if len(items) != len(issues):
        raise ScenarioError(
            f"utility function '{ufun_name}' has {len(items)} {what}, expected {len(issues)} (one per issue)"
        )
    return items


def negmas_space(ufuns: List[Any], outcome_space: Any) -> Dict[str, Any]:
    """The arguments of `parley.space` that hold the same preferences as `ufuns`.

    A function's utility is sum_i w_i v_i(x_i) + bias. Each issue's values are divided by
    their largest, and its weight multiplied by it, so that values lie in [0, 1]; Parley
    normalises the weights to sum to 1, so it holds (u - bias) / S for S = sum_i w_i max v_i,
    and the reserved value likewise: a positive scaling per party.
    """
    if len(ufuns) < 2:
        raise ScenarioError(f"{len(ufuns)} utility function(s) given, expected one per party (at least 2)")
    issues = _issues(ufuns, outcome_space)
    options = [list(issue.all) for issue in issues]
    weights: List[List[float]] = []
    values: List[List[List[float]]] = []
    reservations: List[Optional[float]] = []
    names: List[str] = []
    for ufun_idx, ufun in enumerate(ufuns):
        name = str(getattr(ufun, "name", None) or f"party{ufun_idx + 1}")
        if name in names:
            name = f"{name}#{ufun_idx + 1}"
        names.append(name)
        if not (hasattr(ufun, "weights") and hasattr(ufun, "values")):
            raise ScenarioError(
                f"utility function '{name}' is a {type(ufun).__name__}, expected a LinearAdditiveUtilityFunction"
            )
        ufun_weights = _per_issue(ufun.weights, issues, "weights", name)
        functions = _per_issue(ufun.values, issues, "value functions", name)
        party_weights: List[float] = []
        party_values: List[List[float]] = []
        scale = 0.0
        for issue, issue_options, weight, function in zip(issues, options, ufun_weights, functions):
            raw = [float(function(option)) for option in issue_options]
            low = min(raw)
            if low < 0:
                raise ScenarioError(
                    f"utility function '{name}' values option {issue_options[raw.index(low)]!r} of issue "
                    f"'{issue.name}' at {low}, expected values of at least 0"
                )
            weight = float(weight)
            if weight < 0:
                raise ScenarioError(
                    f"utility function '{name}' weighs issue '{issue.name}' {weight}, expected a weight of at least 0"
                )
            high = max(raw)
            if high > 0:
                party_values.append([value / high for value in raw])
                party_weights.append(weight * high)
            else:
                party_values.append([0.0 for _ in raw])
                party_weights.append(0.0)
            scale += party_weights[-1]
        if scale <= 0:
            raise ScenarioError(f"utility function '{name}' is 0 on every outcome, expected a preference")
        bias = float(getattr(ufun, "bias", 0.0) or getattr(ufun, "_bias", 0.0) or 0.0)
        reserved = getattr(ufun, "reserved_value", None)
        if reserved is None or not math.isfinite(float(reserved)):
            reservations.append(None)
        else:
            reservations.append((float(reserved) - bias) / scale)
        weights.append(party_weights)
        values.append(party_values)
    space_name = getattr(outcome_space if outcome_space is not None else ufuns[0].outcome_space, "name", None)
    return {
        "weights": weights,
        "values": values,
        "reservations": reservations,
        "parties": names,
        "issues": [str(issue.name) for issue in issues],
        "options": [[str(option) for option in issue_options] for issue_options in options],
        "name": str(space_name or "negmas"),
    }
