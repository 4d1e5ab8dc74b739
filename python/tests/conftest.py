"""Shared fixtures: the repository, the shared GENIUS scenarios and the `parley` binary.

A test that needs something missing (the shared scenarios, the `parley` binary, NegMAS)
skips with a note saying what and why; with `PARLEY_REQUIRE_PREREQUISITES` set (as
`.ci/run` sets it) it fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, List

import pytest

REPO = Path(__file__).resolve().parents[2]
GENIUS = REPO.parent / "shared" / "scenarios" / "genius"


def missing(what: str, why: str) -> None:
    """Skips the test (or fails it, when prerequisites are required) for lack of `what`."""
    note = f"skipped: {what} is missing ({why})"
    print(note, file=sys.stderr)
    if os.environ.get("PARLEY_REQUIRE_PREREQUISITES"):
        pytest.fail(note)
    pytest.skip(note)


def genius(relative: str) -> Path:
    folder = GENIUS / relative
    if not folder.is_dir():
        missing(f"'{folder}'", "the public GENIUS scenarios are read from ../shared")
    return folder


def parley_bin() -> Path:
    candidates = [os.environ.get("PARLEY_BIN")] if os.environ.get("PARLEY_BIN") else []
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    candidates += [target / "debug" / "parley", target / "release" / "parley", shutil.which("parley")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    missing("the parley binary", "build it with `cargo build -p parley-cli` or set PARLEY_BIN")
    raise AssertionError("unreachable")


def run_cli(*args: Any, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [str(parley_bin()), *[str(arg) for arg in args]], capture_output=True, text=True, cwd=REPO
    )
    if check and proc.returncode not in (0, 3):
        raise AssertionError(f"parley {' '.join(map(str, args))} exited {proc.returncode}: {proc.stderr}")
    return proc


def cli_json(*args: Any) -> Any:
    return json.loads(run_cli(*args).stdout)


@pytest.fixture
def negmas() -> Any:
    try:
        import negmas as module
    except ImportError:
        missing("negmas", "pip install negmas==0.16.0 (scripts/negmas/requirements.txt)")
    return module


def error_line(stderr: str) -> List[str]:
    """The CLI's error message, without its `error: ` prefix."""
    text = stderr.strip()
    return text[len("error: "):] if text.startswith("error: ") else text
