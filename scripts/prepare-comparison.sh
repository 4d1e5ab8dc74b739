#!/usr/bin/env bash
# Shared set-up of the NegMAS comparison scripts, sourced by scripts/negmas/run.sh and
# scripts/negmas-sim/run.sh with $here set to the sourcing script's folder. It creates
# $here/.venv (Python >= 3.10; $PYTHON picks the interpreter), installs $here/requirements.txt
# into it when that file changed since the last install, and builds parley in release
# ($CARGO_TARGET_DIR, default target/; SKIP_BUILD=1 skips the build). It sets $venv and
# $parley for the caller.

repo="$(cd "$here/../.." && pwd)"
venv="$here/.venv"

python="${PYTHON:-}"
if [[ -z "$python" ]]; then
    for candidate in python3.11 python3.12 python3.13 python3.10 python3; do
        if command -v "$candidate" >/dev/null 2>&1; then python="$candidate"; break; fi
    done
fi
[[ -n "$python" ]] || { echo "run.sh: no python3 found (set PYTHON)" >&2; exit 2; }

if [[ ! -x "$venv/bin/python" ]]; then
    echo "run.sh: creating $venv with $python" >&2
    "$python" -m venv "$venv"
fi
stamp="$venv/.requirements.installed"
if [[ ! -f "$stamp" ]] || ! cmp -s "$here/requirements.txt" "$stamp"; then
    echo "run.sh: installing $(grep -v '^#' "$here/requirements.txt" | xargs) into $venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$stamp"
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
    echo "run.sh: building parley (release, $CARGO_TARGET_DIR)" >&2
    (cd "$repo" && cargo build --release --quiet -p parley-cli)
fi
parley="$CARGO_TARGET_DIR/release/parley"
