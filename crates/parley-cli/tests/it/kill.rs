//! `parley serve` killed with SIGKILL in the middle of a burst of writes: after a restart the
//! log verifies and holds every write the server acknowledged, at its sequence number.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStdout, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::helpers::parley;

/// An API token for a new mediator, from `parley db add-user`.
fn api_token(database: &Path) -> String {
    let output = parley()
        .args(["db", "add-user", "writer", "--role", "mediator", "--database"])
        .arg(database)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    stdout.lines().find(|line| line.starts_with("parley_")).expect("a token").to_owned()
}

/// A running `parley serve`.
struct Server {
    child: Child,
    address: String,
    /// The first mediator's one-time sign-in code, when this start created the mediator.
    first_sign_in_code: Option<String>,
    /// Kept open so that the server's writes to it never fail.
    _stdout: BufReader<ChildStdout>,
}

impl Server {
    fn start(database: &Path) -> Server {
        let mut child = parley()
            .args([
                "serve",
                "--port",
                "0",
                "--rate-limit",
                "0",
                "--writes-per-minute",
                "0",
                "--samples",
                "0",
                "--database",
            ])
            .arg(database)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (mut address, mut first_sign_in_code) = (None, None);
        loop {
            let mut line = String::new();
            assert!(
                stdout.read_line(&mut line).unwrap() > 0,
                "the server stopped before it served"
            );
            if let Some(rest) = line.split(" at http://").nth(1) {
                address = rest.split('/').next().map(str::to_owned);
            }
            if let Some(token) = line.split("?code=").nth(1) {
                first_sign_in_code = Some(token.trim().to_owned());
            }
            if line.starts_with("Press Ctrl-C") {
                break;
            }
        }
        Server {
            child,
            address: address.expect("the server says where"),
            first_sign_in_code,
            _stdout: stdout,
        }
    }

    /// Ends the server with SIGKILL (what `Child::kill` sends on Unix).
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

/// One HTTP/1.1 exchange on a new connection: the status and the JSON body, or `None` when
/// the answer did not arrive whole (the server died before or while answering).
fn exchange(
    address: &str,
    method: &str,
    path: &str,
    token: &str,
    body: &str,
) -> Option<(u16, Value)> {
    let mut stream = TcpStream::connect(address).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let response = String::from_utf8(response).ok()?;
    let (head, body) = response.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let length: usize = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("content-length").then(|| value.trim().parse().ok())?
    })?;
    (body.len() == length).then_some(())?;
    Some((status, serde_json::from_str(body).ok()?))
}

/// A write acknowledged by the server: its event and the note that makes it unique.
#[derive(Debug)]
struct Acknowledged {
    seq: u64,
    note: String,
}

#[test]
fn a_killed_server_keeps_every_acknowledged_write() {
    let temp = tempfile::tempdir().unwrap();
    let database = temp.path().join("parley.db");
    let server = Server::start(&database);
    assert!(server.first_sign_in_code.is_some(), "a new database gets a mediator");
    let token = api_token(&database);
    let address = server.address.clone();

    let acknowledged = Arc::new(Mutex::new(Vec::<Acknowledged>::new()));
    let killed = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..8)
        .map(|writer| {
            let (address, token) = (address.clone(), token.clone());
            let (acknowledged, killed) = (acknowledged.clone(), killed.clone());
            std::thread::spawn(move || {
                for n in 0.. {
                    let note = format!("kill w{writer} n{n}");
                    let body = serde_json::json!({
                        "party": "ukraine", "issue": "donbas", "date": "2025-12-03",
                        "importance": "critical", "stances": { "compromise": "workable" },
                        "visibility": "private", "note": note,
                    });
                    let answer =
                        exchange(&address, "POST", "/api/v1/positions", &token, &body.to_string());
                    match answer {
                        Some((201, body)) if body["entity"]["note"] == note.as_str() => {
                            let seq = body["event"].as_u64().expect("a mediator sees the event");
                            acknowledged.lock().unwrap().push(Acknowledged { seq, note });
                        }
                        None if killed.load(Ordering::SeqCst) => return,
                        other => panic!("unexpected answer before the kill: {other:?}"),
                    }
                }
            })
        })
        .collect();

    // Kill once the burst is well under way, while writers still have requests in flight.
    let started = Instant::now();
    while acknowledged.lock().unwrap().len() < 200 && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(5));
    }
    killed.store(true, Ordering::SeqCst);
    server.kill();
    for writer in writers {
        writer.join().unwrap();
    }
    let acknowledged = Arc::into_inner(acknowledged).unwrap().into_inner().unwrap();
    assert!(acknowledged.len() >= 50, "too few writes before the kill: {}", acknowledged.len());

    let server = Server::start(&database);
    assert_eq!(server.first_sign_in_code, None, "the restart reuses the database");
    let mut events = std::collections::HashMap::new();
    loop {
        let path = format!("/api/v1/events?after={}&limit=1000", events.len());
        let (status, body) = exchange(&server.address, "GET", &path, &token, "").unwrap();
        assert_eq!(status, 200, "{body}");
        let items = body["items"].as_array().unwrap();
        if items.is_empty() {
            break;
        }
        for item in items {
            events.insert(
                item["seq"].as_u64().unwrap(),
                item["payload"].as_str().unwrap().to_owned(),
            );
        }
    }
    let verify = parley().args(["db", "verify", "--database"]).arg(&database).output().unwrap();
    server.kill();
    let verified = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success() && verified.contains("intact"), "{verified}");

    let missing: Vec<&Acknowledged> = acknowledged
        .iter()
        .filter(|write| {
            events
                .get(&write.seq)
                .is_none_or(|payload| !payload.contains(&format!("\"{}\"", write.note)))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged writes are missing: {missing:?}",
        missing.len(),
        acknowledged.len()
    );
}
