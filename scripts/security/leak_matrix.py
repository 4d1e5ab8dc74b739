#!/usr/bin/env python3
"""The leak matrix, from outside: a real `parley serve` on a new database, Ukraine's delegate
records private things carrying canary texts, then every read Russia's delegate, an observer
and an anonymous client can make is checked for them.

Reads: every GET of the OpenAPI document with each entity id the mediator sees (hidden ones
included, which must answer like ids that do not exist), every pair of drafts for the diffs,
every page and draft page, each at four times (now, two dates in the talks, far ahead).
A leak is a canary in a body or a header; a hidden id must get the answer a made-up id gets.
The mediator must see every canary, so the check can fail.

    python3 scripts/security/leak_matrix.py [--parley target/release/parley]

Prints the figures; exits 1 on a leak or a server error.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

CANARY = {
    "meeting_title": "canary-meeting-title-61b2",
    "meeting_place": "canary-meeting-place-0d9c",
    "meeting_region": "canary-meeting-region-a4e7",
    "meeting_summary": "canary-meeting-summary-7f3a",
    "position_note": "canary-position-note-5b1e",
    "draft_title": "canary-draft-title-c41d",
    "draft_summary": "canary-draft-summary-90aa",
    "draft_point": "canary-draft-point-e2f8",
    "claim": "canary-claim-statement-3c6b",
    "track_claim": "canary-track-claim-statement-d7e0",
}
TIMES = [None, "2025-11-30", "2025-12-02T12:00:00Z", "2100-01-01"]
PAGES = ["/", "/timeline", "/drafts", "/stances", "/analysis", "/claims"]


def call(base, method, path, token=None, body=None):
    request = urllib.request.Request(base + path, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, data=data, timeout=120) as answer:
            return answer.status, dict(answer.headers), answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


def start(parley, directory):
    database = os.path.join(directory, "parley.db")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    scenario = os.path.join(root, "scenarios", "talks-2025.toml")
    subprocess.run([parley, "db", "import", scenario, "--database", database], check=True,
                   capture_output=True)
    tokens = {}
    for name, role in [("mediator", "mediator"), ("ukraine", "delegate:ukraine"),
                       ("russia", "delegate:russia"), ("observer", "observer")]:
        out = subprocess.run([parley, "db", "add-user", name, "--role", role, "--database",
                              database], check=True, capture_output=True, text=True).stdout
        tokens[name] = next(line for line in out.splitlines() if line.startswith("parley_"))
    server = subprocess.Popen([parley, "serve", "--database", database, "--port", "0",
                               "--rate-limit", "0", "--writes-per-minute", "0"],
                              stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    address = re.search(r"at (http://[0-9.:]+)/", line).group(1)
    return server, address, tokens


def same(body):
    """A body without what differs on every answer: the sign-in form's one-time check."""
    return re.sub(r'name="check" value="[0-9a-f]+"', 'name="check" value=""', body)


def record_private(base, ukraine):
    """Ukraine's private records; the texts and ids that must reach nobody else."""
    hidden = list(CANARY.values())
    def create(collection, body):
        status, _, text = call(base, "POST", f"/api/v1/{collection}", ukraine, body)
        assert status == 201, (collection, status, text)
        return json.loads(text)["entity"].get("id", "")
    hidden.append(create("meetings", {
        "track": "us-ukraine", "status": "held", "date": "2025-12-01",
        "title": CANARY["meeting_title"], "attendees": ["zelenskyy", "witkoff"],
        "place": {"name": CANARY["meeting_place"], "region": CANARY["meeting_region"]},
        "duration_minutes": 4817, "cites": ["report#Opening"],
        "left_open": ["security-guarantees"], "summary": CANARY["meeting_summary"],
        "visibility": {"track": "us-ukraine"}}))
    create("positions", {  # a position has no id of its own
        "party": "ukraine", "issue": "europe-seat", "date": "2025-12-03", "importance": "critical",
        "stances": {"sidelined": "red-line", "major-role": "preferred"},
        "note": CANARY["position_note"], "visibility": "private"})
    hidden.append(create("drafts", {
        "title": CANARY["draft_title"], "status": "proposed", "author": "ukraine",
        "summary": CANARY["draft_summary"], "visibility": "private", "parents": ["florida-20"],
        "points": [{"id": "guarantees", "text": CANARY["draft_point"],
                    "issue": "security-guarantees", "option": "matching"}],
        "lineage": [{"parent": "florida-20", "points": "rest", "fate": "unknown"}]}))
    hidden.append(create("claims", {
        "claimant": "ukraine", "statement": CANARY["claim"], "status": "contested",
        "date": "2025-12-02", "disputes": "pokrovsk-captured", "visibility": "private"}))
    hidden.append(create("claims", {
        "claimant": "ukraine", "statement": CANARY["track_claim"], "status": "unverified",
        "visibility": {"track": "ukraine-europe"}}))
    return hidden


def reads(base, mediator):
    """Every read path, from the OpenAPI document and the mediator's ids."""
    _, _, text = call(base, "GET", "/api/openapi.json")
    document = json.loads(text)
    ids = {}
    for path in document["paths"]:
        match = re.fullmatch(r"/api/v1/([a-z-]+)", path)
        if match and "get" in document["paths"][path] and not path.endswith("/live"):
            status, _, listed = call(base, "GET", path, mediator)
            if status == 200 and "items" in json.loads(listed):
                ids[match.group(1)] = [item["id"] for item in json.loads(listed)["items"]
                                       if "id" in item]
    paths = []
    for path, item in document["paths"].items():
        if "get" not in item or path.endswith("/live"):
            continue
        if "{from}" in path and "{to}" in path:
            drafts = ids.get("drafts", [])
            paths += [path.replace("{from}", a).replace("{to}", b)
                      for a in drafts for b in drafts if a != b]
        elif "{id}" in path:
            collection = path.split("/")[3]
            paths += [path.replace("{id}", urllib.parse.quote(i)) for i in ids.get(collection, [])]
            paths.append(path.replace("{id}", "no-such-record"))
        else:
            paths.append(path)
    paths += PAGES + [f"/drafts/{urllib.parse.quote(i)}" for i in ids.get("drafts", [])]
    drafts = ids.get("drafts", [])
    paths += [f"/drafts/diff?from={a}&to={b}" for a in drafts[:4] for b in drafts if a != b]
    timed = []
    for path in paths:
        for moment in TIMES:
            if moment is None:
                timed.append(path)
            else:
                joiner = "&" if "?" in path else "?"
                timed.append(f"{path}{joiner}as_of={urllib.parse.quote(moment)}")
    return timed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--parley", default="target/release/parley")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        server, base, tokens = start(args.parley, directory)
        try:
            hidden = record_private(base, tokens["ukraine"])
            paths = reads(base, tokens["mediator"])
            started = time.time()
            requests, leaks, errors, unlike = 0, [], [], []
            for who in ["russia", "observer", "anonymous"]:
                token = tokens.get(who)
                for path in paths:
                    status, headers, body = call(base, "GET", path, token)
                    requests += 1
                    if status >= 500:
                        errors.append((who, path, status))
                    whole = "\n".join(f"{k}: {v}" for k, v in headers.items()) + "\n" + body
                    shown = [c for c in hidden if c in whole and c not in urllib.parse.unquote(path)]
                    if shown:
                        leaks.append((who, path, shown))
                    # A hidden id answers as a made-up one does.
                    for secret in hidden[len(CANARY):]:
                        if secret in urllib.parse.unquote(path) and "/diff" not in path:
                            fake_path = path.replace(secret, "no-such-record")
                            fake = call(base, "GET", fake_path, token)
                            requests += 1
                            if fake[0] != status or same(fake[2]).replace("no-such-record", secret) != same(body):
                                unlike.append((who, path, status, fake[0]))
            seen_by_mediator = set()
            for path in paths:
                _, headers, body = call(base, "GET", path, tokens["mediator"])
                requests += 1
                seen_by_mediator |= {c for c in hidden if c in body}
            elapsed = time.time() - started
        finally:
            server.terminate()
            server.wait()
    print(f"leak matrix: {len(paths)} read paths x 3 viewers (Russia's delegate, an observer, "
          f"anonymous) plus the mediator's control reads: {requests} requests in {elapsed:.1f} s")
    print(f"  canaries and hidden ids: {len(hidden)}; shown to the mediator: "
          f"{len(seen_by_mediator)} of {len(hidden)}")
    print(f"  leaks: {len(leaks)}; hidden ids answered unlike made-up ids: {len(unlike)}; "
          f"server errors: {len(errors)}")
    for leak in (leaks + unlike + errors)[:20]:
        print("   ", leak)
    missing = set(hidden) - seen_by_mediator
    if missing:
        print(f"  the mediator does not see {sorted(missing)}: the check cannot fail for them")
    return 1 if leaks or unlike or errors or missing else 0


if __name__ == "__main__":
    sys.exit(main())
