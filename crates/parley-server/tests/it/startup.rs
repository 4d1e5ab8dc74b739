//! What `parley serve` does before it serves: two servers starting on a new database at once
//! both start, and a tampered log is refused.

use std::net::SocketAddr;

use parley_server::{ServerOptions, Started, serve};
use parley_store::Store;

use crate::harness::TestDatabase;

/// How a server's start went: it serves (with the first mediator's token when this start
/// created it), or it stopped with this message and its causes.
enum Start {
    Serving { task: tokio::task::JoinHandle<()>, first_token: Option<String>, address: SocketAddr },
    Stopped(String),
}

async fn start(database: &str) -> Start {
    start_with(database, ServerOptions::default()).await
}

async fn start_with(database: &str, options: ServerOptions) -> Start {
    let (started, on_start) = tokio::sync::oneshot::channel::<(Option<String>, SocketAddr)>();
    let (stopped, on_stop) = tokio::sync::oneshot::channel::<String>();
    let database = database.to_owned();
    let task = tokio::spawn(async move {
        let address: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let announce = move |server: &Started| {
            let _ = started.send((server.first_sign_in_code.clone(), server.address));
        };
        if let Err(error) = serve(&database, address, options, announce).await {
            let mut message = error.to_string();
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                message.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            let _ = stopped.send(message);
        }
    });
    tokio::select! {
        Ok((first_token, address)) = on_start => Start::Serving { task, first_token, address },
        Ok(message) = on_stop => Start::Stopped(message),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_starting_on_a_new_database_at_once_both_serve() {
    for (database, _kept) in TestDatabase::fresh().await {
        let (first, second) = tokio::join!(start(&database), start(&database));
        let mut first_tokens = 0;
        for start in [first, second] {
            match start {
                Start::Serving { task, first_token, .. } => {
                    first_tokens += usize::from(first_token.is_some());
                    task.abort();
                }
                Start::Stopped(message) => panic!("{database}: a server stopped: {message}"),
            }
        }
        assert_eq!(first_tokens, 1, "{database}: one of them created the first mediator");
        let store = Store::open(&database).await.unwrap();
        assert_eq!(store.users().await.unwrap().len(), 1);
        assert_eq!(store.events(0, 10).await.unwrap().len(), 1, "the scenario was seeded once");
        store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_log_is_not_served() {
    for (database, _kept) in TestDatabase::fresh().await {
        let store = Store::open_or_seed(&database, &parley_server::builtin_scenario(), "test")
            .await
            .unwrap();
        let pool_url = database.clone();
        store.close().await;
        let edit = "UPDATE events SET author = 'mallory' WHERE seq = 1";
        if pool_url.starts_with("postgres") {
            use sqlx::Connection;
            let mut connection = sqlx::PgConnection::connect(&pool_url).await.unwrap();
            sqlx::query(edit).execute(&mut connection).await.unwrap();
        } else {
            use sqlx::Connection;
            let mut connection =
                sqlx::SqliteConnection::connect(&format!("sqlite:{pool_url}")).await.unwrap();
            sqlx::query(edit).execute(&mut connection).await.unwrap();
        }
        match start(&database).await {
            Start::Serving { task, .. } => {
                task.abort();
                panic!("{database}: a tampered log was served");
            }
            Start::Stopped(message) => {
                assert!(message.contains("is damaged"), "{message}");
                assert!(message.contains("event 1 (recorded at"), "{message}");
                assert!(message.contains("was edited"), "{message}");
            }
        }
        let store = Store::open(&database).await.unwrap();
        assert!(store.users().await.unwrap().is_empty(), "nothing was written: no first user");
        store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_sends_no_whole_request_head_in_time_is_disconnected() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("parley.db").display().to_string();
    let options = ServerOptions {
        header_timeout: std::time::Duration::from_millis(300),
        ..ServerOptions::default()
    };
    let Start::Serving { task, address, .. } = start_with(&database, options).await else {
        panic!("the server starts");
    };
    for first_bytes in [&b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\n"[..], &b""[..]] {
        let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
        socket.write_all(first_bytes).await.unwrap();
        let started = std::time::Instant::now();
        let mut buffer = Vec::new();
        // The server closes the socket (maybe after a 408): reading ends.
        let read = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            socket.read_to_end(&mut buffer),
        )
        .await;
        assert!(read.is_ok(), "a slow client is cut off");
        assert!(
            started.elapsed() >= std::time::Duration::from_millis(250),
            "{:?}",
            started.elapsed()
        );
    }
    // A whole request is answered.
    let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
    socket
        .write_all(b"GET /sign-in HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    socket.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    task.abort();
}
