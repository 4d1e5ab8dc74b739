-- Reads for `wrk -s`: prints one machine-readable line at the end (times in microseconds),
-- which scripts/load/run.sh turns into its summary table.
--
-- Argument after `--`: a pause in milliseconds before each request of a connection. Without
-- it each connection sends its next request as soon as the answer arrives (the most the
-- server can answer); with it, N connections offer about N * 1000 / PAUSE requests per
-- second, and the latencies are those at that load.

function init(args)
   pause = tonumber(args[1])
end

function delay()
   return pause or 0
end

function done(summary, latency, requests)
   local errors = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d non_2xx=%d socket_errors=%d\n",
      summary.requests, summary.duration,
      latency:percentile(50), latency:percentile(99), latency.max,
      errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
