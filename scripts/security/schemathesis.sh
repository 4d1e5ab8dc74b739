#!/usr/bin/env bash
# The API against its own OpenAPI document, by schemathesis (pip install schemathesis): a
# release `parley serve` on a new database, every operation tried as the mediator and as
# Russia's delegate with generated and mutated requests, every check on.
#
#   scripts/security/schemathesis.sh [MAX_EXAMPLES]   (default 100 per operation)
set -euo pipefail
cd "$(dirname "$0")/../.."
parley=$(realpath "${PARLEY:-target/release/parley}")
examples=${1:-100}
dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT
"$parley" db import scenarios/talks-2025.toml --database "$dir/parley.db" >/dev/null
token() { "$parley" db add-user "$1" --role "$2" --database "$dir/parley.db" | grep '^parley_'; }
mediator=$(token mediator mediator)
russia=$(token russia delegate:russia)
"$parley" serve --database "$dir/parley.db" --port 0 --rate-limit 0 --writes-per-minute 0 >"$dir/serve.log" &
server=$!
for _ in $(seq 100); do grep -q "serves" "$dir/serve.log" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$dir/serve.log" | head -n 1)
status=0
# schemathesis keeps its cache in the folder it runs in: the temporary one.
cd "$dir"
for who in mediator russia; do
  echo "== as $who"
  st run "$url/api/openapi.json" -H "Authorization: Bearer ${!who}" --checks all \
    --max-examples "$examples" --seed 1 --report junit --report-junit-path "$dir/$who.xml" || status=$?
done
exit "$status"
