"""The exceptions Parley raises; their messages are those the `parley` command prints."""

from __future__ import annotations


class ParleyError(Exception):
    """Everything Parley raises derives from this."""


class ScenarioError(ParleyError, ValueError):
    """A scenario that cannot be read: the message names the file, line, column or field."""


class OptionsError(ParleyError, ValueError):
    """An option that is not valid (a sample count, a strategy, a thread count)."""


class AnalysisError(ParleyError, RuntimeError):
    """An analysis, simulation or tournament that cannot run on the scenario given."""
