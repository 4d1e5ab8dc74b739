#!/usr/bin/env bash
# Compare Parley with NegMAS on every GENIUS scenario in ../shared/scenarios/genius
# and on seeded random scenarios.  See docs/negmas-comparison.md.
#
#   scripts/negmas/run.sh [--scenarios DIR] [--random N] [--seed S] [--repeat K] [--out FILE] ...
#
# Creates scripts/negmas/.venv (Python >= 3.10; $PYTHON picks the interpreter),
# installs requirements.txt (NegMAS from PyPI) into it, builds parley in release
# ($CARGO_TARGET_DIR, default target/; SKIP_BUILD=1 skips the build) and runs
# compare.py with the arguments given (compare.py --help lists them all).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../prepare-comparison.sh
source "$here/../prepare-comparison.sh"

exec "$venv/bin/python" "$here/compare.py" --parley "$parley" "$@"
