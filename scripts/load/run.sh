#!/usr/bin/env bash
# Load run of `parley serve` on loopback: reads of the stance matrix and the analysis, a write
# burst, and a SIGKILL in the middle of a write burst. See docs/server-load.md.
#
# Everything runs on 127.0.0.1, in a temporary folder that is removed at the end, and every
# wrk run is bounded in time. Settings (environment):
#   DURATION=15s         length of each measured wrk run
#   PACED_CONNECTIONS=80 connections of the reads at a set load
#   PAUSE_MS=10          pause of each of those connections between requests: 80 connections
#                        pausing 10 ms offer about 7,000 requests/s (the pause is timed to the
#                        millisecond and the answer takes some time too)
#   CONNECTIONS=32       connections of the reads at full speed
#   WRITE_CONNECTIONS=16 connections of the write runs
#   THREADS=2            wrk threads
#   SERVER_CPUS=         CPUs for the server (taskset -c list, e.g. 0 or 0,1); empty: any
#   WRK_CPUS=            CPUs for wrk; empty: any
#   SKIP_BUILD=1         use the release build as it is ($CARGO_TARGET_DIR, default target/)
#   PARLEY=PATH          measure this parley binary instead (another build, to compare)
#   KEEP_WORK=1          keep the temporary folder (database, server logs, wrk outputs)
set -euo pipefail

DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-32}
PACED_CONNECTIONS=${PACED_CONNECTIONS:-80}
PAUSE_MS=${PAUSE_MS:-10}
WRITE_CONNECTIONS=${WRITE_CONNECTIONS:-16}
THREADS=${THREADS:-2}
SERVER_CPUS=${SERVER_CPUS:-}
WRK_CPUS=${WRK_CPUS:-}

root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/scripts/load"
cd "$root"

if [[ -z "${SKIP_BUILD:-}" && -z "${PARLEY:-}" ]]; then
    cargo build --release -p parley-cli
fi
parley=${PARLEY:-${CARGO_TARGET_DIR:-$root/target}/release/parley}
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/parley-load.XXXXXX")
database="$work/parley.db"
server_pid=""

stop_server() {
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
}
cleanup() {
    stop_server
    if [[ -n "${KEEP_WORK:-}" ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

server_prefix=()
wrk_prefix=()
[[ -n "$SERVER_CPUS" ]] && server_prefix=(taskset -c "$SERVER_CPUS")
[[ -n "$WRK_CPUS" ]] && wrk_prefix=(taskset -c "$WRK_CPUS")

# Starts the server on a free port (--port 0) and sets $server_pid and $base.
start_server() {
    local log="$work/server.$RANDOM.log"
    "${server_prefix[@]}" "$parley" serve --database "$database" --port 0 "$@" >"$log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 200); do
        if grep -q '^Parley serves' "$log"; then
            base=$(sed -n 's/^Parley serves .* at \(http:\/\/[^/]*\)\/ .*/\1/p' "$log")
            return 0
        fi
        kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; exit 2; }
        sleep 0.1
    done
    echo "the server did not start" >&2
    cat "$log" >&2
    exit 2
}

token_for() {
    "$parley" db add-user "$1" --role "$2" --database "$database" | grep '^parley_'
}

# Runs wrk and prints its RESULT line; the whole output goes to $work/wrk.NAME.txt.
run_wrk() {
    local name=$1
    shift
    "${wrk_prefix[@]}" wrk "$@" >"$work/wrk.$name.txt" 2>&1 || true
    grep '^RESULT' "$work/wrk.$name.txt" || { cat "$work/wrk.$name.txt" >&2; exit 2; }
}

field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<" $2"; }

# CPU use during a run, in cores: the server's, and that of everything else on the machine
# but this script's own children (wrk, curl): other users' work, which the figures share the
# machine with.
clock_ticks=$(getconf CLK_TCK)
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
server_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
children_ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat"; }
measure_start() {
    start_ns=$(date +%s%N)
    start_busy=$(busy_ticks)
    start_server_ticks=$(server_ticks)
    start_children=$(children_ticks)
}
measure_end() {
    local seconds
    seconds=$(awk -v start="$start_ns" -v end="$(date +%s%N)" 'BEGIN { print (end - start) / 1e9 }')
    server_cores=$(awk -v a="$start_server_ticks" -v b="$(server_ticks)" -v s="$seconds" \
        -v hz="$clock_ticks" 'BEGIN { printf "%.2f", (b - a) / hz / s }')
    other_cores=$(awk -v busy0="$start_busy" -v busy1="$(busy_ticks)" \
        -v server0="$start_server_ticks" -v server1="$(server_ticks)" \
        -v children0="$start_children" -v children1="$(children_ticks)" \
        -v s="$seconds" -v hz="$clock_ticks" 'BEGIN {
            other = (busy1 - busy0) - (server1 - server0) - (children1 - children0)
            printf "%.2f", (other < 0 ? 0 : other) / hz / s }')
}

rows=()
add_row() {
    local name=$1 result=$2 count=${3:-}
    local requests duration p50 p99 non_2xx socket
    requests=$(field requests "$result")
    duration=$(field duration_us "$result")
    p50=$(field p50_us "$result")
    p99=$(field p99_us "$result")
    non_2xx=$(field non_2xx "$result")
    socket=$(field socket_errors "$result")
    count=${count:-$requests}
    rows+=("$(awk -v name="$name" -v count="$count" -v duration="$duration" -v p50="$p50" \
        -v p99="$p99" -v non="$non_2xx" -v socket="$socket" -v server="$server_cores" \
        -v other="$other_cores" 'BEGIN {
            printf "| %-30s | %7.0f | %6.2f | %6.2f | %7d | %6d | %6.2f | %6.2f |", name,
                count / (duration / 1e6), p50 / 1000, p99 / 1000, non, socket, server, other }')")
}

log_version() {
    curl -sf -o /dev/null -D - -H "Authorization: Bearer $mediator" "$base/api/v1/stance-matrix" |
        tr -d '\r' | sed -n 's/^x-parley-log-version: //Ip'
}

echo "== load run: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), server CPUs ${SERVER_CPUS:-any}, wrk CPUs ${WRK_CPUS:-any}"

# The request limit is per token (else per address), and wrk sends every request with one
# token: with the default limit (1000 requests/s per token) the run would measure the limiter.
start_server --rate-limit 0
mediator=$(token_for load-mediator mediator)
delegate=$(token_for load-ukraine delegate:ukraine)
auth=(-H "Authorization: Bearer $mediator")

echo "== warm-up (views and analyses computed once per view, then cached)"
for path in stance-matrix analysis; do
    curl -sf "${auth[@]}" -o /dev/null "$base/api/v1/$path"
    curl -sf -H "Authorization: Bearer $delegate" -o /dev/null "$base/api/v1/$path"
done
run_wrk warmup -t"$THREADS" -c"$CONNECTIONS" -d3s -s "$here/read.lua" "${auth[@]}" \
    "$base/api/v1/stance-matrix" >/dev/null

stance_size=$(curl -sf "${auth[@]}" "$base/api/v1/stance-matrix" | wc -c)
analysis_size=$(curl -sf "${auth[@]}" "$base/api/v1/analysis" | wc -c)
read_run() {
    local name=$1 label=$2 connections=$3 path=$4 token=$5 pause=${6:-}
    local result
    measure_start
    result=$(run_wrk "$name" -t"$THREADS" -c"$connections" -d"$DURATION" --latency \
        -s "$here/read.lua" -H "Authorization: Bearer $token" "$base/api/v1/$path" -- ${pause:+"$pause"})
    measure_end
    add_row "$label" "$result"
}

echo "== reads at a set load: $PACED_CONNECTIONS connections, each pausing $PAUSE_MS ms between requests, $DURATION each, as a mediator"
read_run paced-stance "GET stance-matrix, set load" "$PACED_CONNECTIONS" stance-matrix "$mediator" "$PAUSE_MS"
read_run paced-analysis "GET analysis, set load" "$PACED_CONNECTIONS" analysis "$mediator" "$PAUSE_MS"

echo "== reads at full speed: $THREADS threads, $CONNECTIONS connections, $DURATION each"
read_run stance "GET stance-matrix ($stance_size B)" "$CONNECTIONS" stance-matrix "$mediator"
read_run analysis "GET analysis ($analysis_size B)" "$CONNECTIONS" analysis "$mediator"
read_run stance-delegate "GET stance-matrix, delegate" "$CONNECTIONS" stance-matrix "$delegate"

echo "== writes: $THREADS threads, $WRITE_CONNECTIONS connections, $DURATION, as a delegate"
before=$(log_version)
measure_start
result=$(run_wrk write -t"$THREADS" -c"$WRITE_CONNECTIONS" -d"$DURATION" --latency \
    -s "$here/write.lua" -H "Authorization: Bearer $delegate" "$base/api/v1/positions" -- ukraine)
measure_end
created=$(field created "$result")
after=$(log_version)
add_row "POST positions (201s: events)" "$result" "$created"
echo "   201s: $created; events the log grew by: $((after - before))"

echo "== kill: SIGKILL in the middle of a write burst"
acknowledged="$work/acknowledged"
before_kill=$(log_version)
"${wrk_prefix[@]}" wrk -t"$THREADS" -c"$WRITE_CONNECTIONS" -d30s -s "$here/write.lua" "${auth[@]}" \
    "$base/api/v1/positions" -- ukraine "$acknowledged" >"$work/wrk.kill.txt" 2>&1 &
wrk_pid=$!
# Kill once the burst is well under way (1000 acknowledged writes, or 10 s at most).
for _ in $(seq 1 100); do
    [[ $(cat "$acknowledged".* 2>/dev/null | wc -l) -ge 1000 ]] && break
    sleep 0.1
done
kill -KILL "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""
# Answers that arrived before the kill are recorded at once (one write per line, flushed), so
# wrk can be stopped soon after.
sleep 0.5
kill "$wrk_pid" 2>/dev/null || true
wait "$wrk_pid" 2>/dev/null || true
cat "$acknowledged".* | sort -n >"$work/acknowledged.txt"
n_acknowledged=$(wc -l <"$work/acknowledged.txt")
start_server --rate-limit 0
"$parley" db verify --database "$database" | tee "$work/verify.txt"
verified=$(grep -q 'intact' "$work/verify.txt" && echo OK || echo FAILED)
# Every acknowledged event must be in the log, at its sequence number, with its note.
after=$((before_kill))
: >"$work/events.txt"
while true; do
    curl -sf "${auth[@]}" "$base/api/v1/events?after=$after&limit=1000" |
        jq -r '.items[] | "\(.seq) \(.payload | @json)"' >"$work/page.txt"
    [[ -s "$work/page.txt" ]] || break
    cat "$work/page.txt" >>"$work/events.txt"
    after=$(tail -n 1 "$work/page.txt" | cut -d' ' -f1)
done
n_present=$(awk 'NR == FNR { note[$1] = substr($0, length($1) + 2); next }
    ($1 in note) && index($0, note[$1] "\\\"") { n++ } END { print n + 0 }' \
    "$work/acknowledged.txt" "$work/events.txt")
after_kill=$(log_version)
echo "   acknowledged: $n_acknowledged, present after restart: $n_present, verify: $verified;" \
    "events written in the burst: $((after_kill - before_kill))" \
    "($((after_kill - before_kill - n_acknowledged)) committed but not acknowledged: in flight at the kill)"
stop_server

echo "== the default rate limit (1000 requests/s per token), one token, 5 s"
start_server
result=$(run_wrk limited -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$here/read.lua" "${auth[@]}" \
    "$base/api/v1/stance-matrix")
requests=$(field requests "$result")
limited=$(field non_2xx "$result")
echo "   $requests requests, $((requests - limited)) answered, $limited refused (429)"
stop_server

echo
echo "Summary ($(nproc) CPUs, load average after the run $(cut -d' ' -f1-3 /proc/loadavg)):"
echo
echo "| run                            |   req/s | p50 ms | p99 ms | non-2xx | socket | server | others |"
echo "| ------------------------------ | ------- | ------ | ------ | ------- | ------ | ------ | ------ |"
printf '%s\n' "${rows[@]}"
echo
echo "server, others: CPU cores the server used during the run, and everything else on the machine"
echo "but wrk (other users' work)."
echo
echo "Kill test: $n_acknowledged acknowledged, $n_present present after restart, verify $verified"
[[ "$verified" == OK && "$n_present" == "$n_acknowledged" ]]
