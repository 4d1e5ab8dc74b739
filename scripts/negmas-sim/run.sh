#!/usr/bin/env bash
# Compare Parley's simulations with NegMAS's on the GENIUS scenarios in ../shared/scenarios/genius.
# See docs/simulation.md ("Comparison with NegMAS").
#
#   scripts/negmas-sim/run.sh [--scenarios DIR...] [--seeds N] [--rounds R] [--out DIR]
#
# Creates scripts/negmas-sim/.venv (Python >= 3.10; $PYTHON picks the interpreter), installs
# requirements.txt (NegMAS from PyPI) into it, builds parley in release ($CARGO_TARGET_DIR,
# default target/; SKIP_BUILD=1 skips the build) and runs compare.py with the arguments given
# (compare.py --help lists them all).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../prepare-comparison.sh
source "$here/../prepare-comparison.sh"

exec "$venv/bin/python" "$here/compare.py" --parley "$parley" "$@"
