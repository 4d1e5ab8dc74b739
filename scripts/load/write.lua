-- Writes for `wrk -s`: every request POSTs a position with a note no other request uses, so
-- every request is one new event. Positions are keyed by party, issue and date: the key is
-- fixed, so each event replaces the position and the record keeps its size.
--
-- Arguments after `--`: the party (default ukraine), and optionally a file prefix: each
-- thread then appends one line per acknowledged write (201) to PREFIX.THREAD, holding the
-- note and, for a mediator's token, the event's sequence number.

local threads = {}
local next_thread = 1

function setup(thread)
   thread:set("thread_id", next_thread)
   next_thread = next_thread + 1
   table.insert(threads, thread)
end

function init(args)
   party = args[1] or "ukraine"
   created = 0
   rejected = 0
   counter = 0
   if args[2] then
      acknowledged = io.open(args[2] .. "." .. thread_id, "w")
   end
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
end

function request()
   counter = counter + 1
   local body = string.format(
      '{"party":"%s","issue":"donbas","date":"2025-12-03","importance":"critical",'
         .. '"stances":{"compromise":"workable"},"visibility":"private","note":"load t%d n%d"}',
      party, thread_id, counter)
   return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
   if status == 201 then
      created = created + 1
      if acknowledged then
         local note = body:match('"note":"(load t%d+ n%d+)"') or "?"
         local seq = body:match('"event":(%d+)') or "?"
         acknowledged:write(seq, " ", note, "\n")
         acknowledged:flush()
      end
   else
      rejected = rejected + 1
   end
end

function done(summary, latency, requests)
   local n_created, n_rejected = 0, 0
   for _, thread in ipairs(threads) do
      n_created = n_created + thread:get("created")
      n_rejected = n_rejected + thread:get("rejected")
   end
   local errors = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d non_2xx=%d socket_errors=%d created=%d rejected=%d\n",
      summary.requests, summary.duration,
      latency:percentile(50), latency:percentile(99), latency.max,
      errors.status, errors.connect + errors.read + errors.write + errors.timeout,
      n_created, n_rejected))
end
