"""Generate a Python client from the server's OpenAPI document and exercise it.

Starts `parley serve` on a fresh database (loaded with the built-in scenario), adds a mediator
and a delegate of Ukraine, fetches /api/openapi.json, generates a client package from it with
openapi-python-client (no Java), and calls a few endpoints through the generated client,
checking the typed answers (the generated model classes, their fields and values).

    python3 scripts/client/check.py --parley target/debug/parley

Prints one closing line, `N passed, N failed`; exits 1 when a check failed.
"""

import argparse
import importlib
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PACKAGE = "parley_client"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def add_user(parley: str, database: Path, name: str, role: str) -> str:
    proc = subprocess.run([parley, "db", "add-user", name, "--role", role, "--database", str(database)],
                          capture_output=True, text=True, check=True)
    lines = proc.stdout.splitlines()
    # The token is the line after "API token (shown once ...):".
    return next(lines[i + 1].strip() for i, line in enumerate(lines) if line.startswith("API token"))


def wait_for(url: str, seconds: float) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                return json.load(answer)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parley", required=True, help="the parley binary")
    ap.add_argument("--generator", default="openapi-python-client", help="the generator's command")
    args = ap.parse_args()

    passed, failed = 0, 0

    def check(what: str, ok: bool, detail: object = "") -> None:
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAILED: {what}: {detail}", file=sys.stderr)

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        database = tmp_path / "parley.db"
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([args.parley, "serve", "--database", str(database), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            document = wait_for(f"{base}/api/openapi.json", 60)
            (tmp_path / "openapi.json").write_text(json.dumps(document))
            mediator = add_user(args.parley, database, "analyst", "mediator")
            delegate = add_user(args.parley, database, "kyiv", "delegate:ukraine")
            generated = subprocess.run(
                [args.generator, "generate", "--path", str(tmp_path / "openapi.json"),
                 "--output-path", str(tmp_path / PACKAGE), "--meta", "none"],
                capture_output=True, text=True)
            check("the client is generated", generated.returncode == 0, generated.stdout + generated.stderr)
            if generated.returncode != 0:
                print(f"{passed} passed, {failed} failed")
                return 1
            sys.path.insert(0, tmp)
            client_module = importlib.import_module(PACKAGE)
            models = importlib.import_module(f"{PACKAGE}.models")

            def operation(tag: str, name: str):
                return importlib.import_module(f"{PACKAGE}.api.{tag}.{name}")

            client = client_module.AuthenticatedClient(base_url=base, token=mediator)
            me = operation("session", "get_me").sync(client=client)
            check("me is typed", isinstance(me, models.Me), type(me))
            check("me names the mediator", me.name == "analyst" and me.role == "mediator", me)

            record = operation("record", "get_record").sync(client=client)
            check("the record is a Report", isinstance(record, models.Report), type(record))
            record_format = getattr(record, "format_", getattr(record, "format", None))
            check("the record's format", record_format == "parley-report/1", record_format)
            check("the record's parties", list(record.parties) == ["russia", "ukraine", "europe"], record.parties)
            check("the record's issues are typed",
                  all(isinstance(issue, models.IssueReport) for issue in record.issues)
                  and "donbas" in [issue.id for issue in record.issues], record.issues)

            analysis = operation("analysis", "get_analysis").sync(client=client)
            check("the analysis is a Report", isinstance(analysis, models.Report), type(analysis))
            outcomes = analysis.additional_properties.get("outcomes", getattr(analysis, "outcomes", None))
            check("the analysis counts its outcomes as an integer", outcomes == 216 and isinstance(outcomes, int), outcomes)

            issues = operation("issues", "get_issues").sync(client=client)
            ids = [item.id for item in issues.items]
            check("the issues list is typed", "donbas" in ids, ids)
            one = operation("issues", "get_issues_id").sync("donbas", client=client)
            check("one issue is typed", one is not None and one.id == "donbas", one)

            events = operation("log", "get_events").sync(client=client)
            check("the event log is typed", isinstance(events, models.Events) and events.items[0].seq == 1, events)

            as_delegate = client_module.AuthenticatedClient(base_url=base, token=delegate)
            me = operation("session", "get_me").sync(client=as_delegate)
            check("a delegate's me names its party", me.party == "ukraine", me)
            forbidden = operation("log", "get_events").sync_detailed(client=as_delegate)
            check("the event log is refused to a delegate", forbidden.status_code == 403, forbidden.status_code)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
