//! Analyses are bounded and cancellable: a costly record is answered within the server's time
//! limit with what was cut short said, one analysis serves every request for a view, and an
//! analysis nobody waits for any more stops.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::harness::{TestServer, test_options};

/// Makes the record costly to analyse: `n_issues` new issues of six options each, on which
/// Ukraine and Russia take opposite stances (so no issue is one they are indifferent to).
async fn add_costly_issues(server: &TestServer, n_issues: usize) {
    let levels =
        ["preferred", "acceptable", "workable", "objection", "strong-objection", "objection"];
    for issue_idx in 0..n_issues {
        let options: Vec<_> = (0..6)
            .map(|option_idx| json!({ "id": format!("o{option_idx}"), "label": format!("Option {option_idx}") }))
            .collect();
        let id = format!("costly-{issue_idx}");
        let issue = json!({ "id": id, "title": format!("Costly {issue_idx}"), "category": "other", "options": options });
        let answer =
            server.call(Method::POST, "/api/v1/issues", Some(&server.mediator), Some(&issue)).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
        for (party, reversed) in [("ukraine", false), ("russia", true)] {
            let stances: serde_json::Map<String, serde_json::Value> = (0..6)
                .map(|option_idx| {
                    let level = if reversed { levels[5 - option_idx] } else { levels[option_idx] };
                    (format!("o{option_idx}"), json!(level))
                })
                .collect();
            let position = json!({
                "party": party, "issue": id, "date": "2025-12-02", "importance": "high",
                "stances": stances,
            });
            let answer = server
                .call(Method::POST, "/api/v1/positions", Some(&server.mediator), Some(&position))
                .await;
            assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
        }
    }
}

/// Waits, up to a minute, for a condition on the server's state.
async fn eventually(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..600 {
        if condition() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what} did not happen within a minute");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_costly_record_is_answered_within_the_time_limit_with_what_was_cut_short() {
    let options = parley_server::ServerOptions {
        analysis_time_limit: Duration::from_millis(50),
        ..test_options()
    };
    let server = TestServer::sqlite_with(options).await;
    add_costly_issues(&server, 9).await;
    let answer = server.get("/api/v1/analysis", &server.mediator).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    let analysis = &answer.json();
    let cut_short = analysis["cut_short"].as_array().unwrap();
    assert!(!cut_short.is_empty(), "{analysis}");
    for cut in cut_short {
        assert_eq!(cut["limit"], "time", "{cut}");
        assert!(cut["message"].as_str().unwrap().contains("the time allowed"), "{cut}");
    }
    // What was cut short is absent, not guessed: the frontier, if cut, is null.
    if cut_short.iter().any(|cut| cut["step"] == "frontier") {
        assert!(analysis["pareto_frontier"].is_null(), "{}", analysis["pareto_frontier"]);
    }
    // The page says so too.
    let page = server.get("/analysis", &server.mediator).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("<h2>Cut short</h2>"), "{}", page.text);
    assert!(page.text.contains("ran past the time allowed"), "{}", page.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_for_one_view_share_one_analysis_and_one_who_leaves_does_not_stop_it() {
    let server = std::sync::Arc::new(TestServer::sqlite().await);
    let runs = server.state.analyses_run();
    let leaving = {
        let server = server.clone();
        tokio::spawn(async move { server.get("/api/v1/analysis", &server.observer).await })
    };
    eventually("the analysis starting", || server.state.analyses_run() == runs + 1).await;
    let staying = {
        let server = server.clone();
        tokio::spawn(async move { server.get("/api/v1/analysis", &server.observer).await })
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    leaving.abort();
    let answer = staying.await.unwrap();
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert!(answer.json()["cut_short"].as_array().unwrap().is_empty());
    assert_eq!(server.state.analyses_run(), runs + 1, "one analysis served both");
    // The result is kept with the view: asking again runs nothing.
    let again = server.get("/api/v1/analysis", &server.observer).await;
    assert_eq!(again.json(), answer.json());
    assert_eq!(server.state.analyses_run(), runs + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analysis_nobody_waits_for_stops() {
    let options = parley_server::ServerOptions {
        analysis_time_limit: Duration::from_secs(3600),
        ..test_options()
    };
    let server = std::sync::Arc::new(TestServer::sqlite_with(options).await);
    add_costly_issues(&server, 8).await;
    let runs = server.state.analyses_run();
    let request = {
        let server = server.clone();
        tokio::spawn(async move { server.get("/api/v1/analysis", &server.mediator).await })
    };
    eventually("the analysis starting", || server.state.analyses_running() == 1).await;
    assert_eq!(server.state.analyses_run(), runs + 1);
    // The client gives up: its request is dropped, and with it the only wait.
    request.abort();
    eventually("the analysis being cancelled", || server.state.analyses_cancelled() == 1).await;
    eventually("the analysis stopping", || server.state.analyses_running() == 0).await;
    // Asked again, it starts anew rather than waiting on the cancelled one.
    let request = {
        let server = server.clone();
        tokio::spawn(async move { server.get("/api/v1/analysis", &server.mediator).await })
    };
    eventually("a new analysis starting", || server.state.analyses_run() == runs + 2).await;
    request.abort();
    eventually("the second analysis stopping", || server.state.analyses_running() == 0).await;
    assert_eq!(server.state.analyses_cancelled(), 2);
}
