#!/usr/bin/env bash
# Generate a Python client from the server's OpenAPI document and exercise it against a running
# server (check.py says what it checks).
#
#   scripts/client/run.sh [PARLEY_BINARY]
#
# Creates scripts/client/.venv ($PYTHON picks the interpreter), installs requirements.txt
# (openapi-python-client from PyPI) into it and runs check.py with the parley binary given
# (default: $CARGO_TARGET_DIR/debug/parley, else target/debug/parley).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
parley="${1:-${CARGO_TARGET_DIR:-$here/../../target}/debug/parley}"
venv="$here/.venv"
if [ ! -x "$venv/bin/openapi-python-client" ]; then
  "${PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/pip" install --quiet -r "$here/requirements.txt"
fi
exec "$venv/bin/python" "$here/check.py" --parley "$parley" --generator "$venv/bin/openapi-python-client"
