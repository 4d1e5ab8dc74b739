//! Verification names the event that was edited, removed or reordered.

use parley_store::verify::ProblemKind;

use crate::helpers::{TestDb, claim, seeded};

/// A log of five events: the built-in scenario and four claims.
async fn five_events(db: &TestDb) {
    let store = seeded(db).await;
    for index in 1..=4 {
        store.append("alice", &claim(&format!("c{index}"))).await.unwrap();
    }
    let report = store.verify().await.unwrap();
    assert!(report.is_ok(), "{report}");
    assert_eq!(report.n_events, 5);
    store.close().await;
}

async fn problem_after(db: &TestDb, tampering: &str) -> parley_store::verify::Problem {
    db.raw(tampering).await;
    let report = db.open().await.verify().await.unwrap();
    report.problem.unwrap_or_else(|| panic!("'{tampering}' is detected"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_payload_is_named() {
    for db in TestDb::all().await {
        five_events(&db).await;
        let problem = problem_after(
            &db,
            "UPDATE events SET payload = replace(payload, 'Statement c2', 'Statement X') WHERE seq = 3",
        )
        .await;
        assert_eq!((problem.seq, problem.kind), (3, ProblemKind::Edited));
        assert!(problem.message.starts_with("event 3 (recorded at "), "{}", problem.message);
        assert!(problem.message.ends_with("was edited: its content does not match its hash"));
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_author_or_time_is_named() {
    for db in TestDb::all().await {
        five_events(&db).await;
        let problem =
            problem_after(&db, "UPDATE events SET author = 'mallory' WHERE seq = 2").await;
        assert_eq!((problem.seq, problem.kind), (2, ProblemKind::Edited));
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_event_is_named() {
    for db in TestDb::all().await {
        five_events(&db).await;
        let problem = problem_after(&db, "DELETE FROM events WHERE seq = 3").await;
        assert_eq!((problem.seq, problem.kind), (3, ProblemKind::Missing));
        assert!(problem.message.starts_with("event 3 is missing"), "{}", problem.message);
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_last_event_is_named() {
    for db in TestDb::all().await {
        five_events(&db).await;
        let problem = problem_after(&db, "DELETE FROM events WHERE seq = 5").await;
        assert_eq!((problem.seq, problem.kind), (5, ProblemKind::Missing));
        assert!(problem.message.contains("its head records event 5"), "{}", problem.message);
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn swapped_events_are_named() {
    for db in TestDb::all().await {
        five_events(&db).await;
        let problem = problem_after(
            &db,
            "UPDATE events SET seq = -1 WHERE seq = 3; \
             UPDATE events SET seq = 3 WHERE seq = 4; \
             UPDATE events SET seq = 4 WHERE seq = -1;",
        )
        .await;
        assert_eq!((problem.seq, problem.kind), (3, ProblemKind::Reordered));
        assert!(
            problem.message.contains("does not follow event 2: events were removed or reordered"),
            "{}",
            problem.message
        );
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rehashed_edit_is_still_caught_by_the_next_link() {
    for db in TestDb::all().await {
        five_events(&db).await;
        // Someone edits event 2 and writes a matching hash: event 3 no longer follows it.
        db.raw("UPDATE events SET author = 'mallory', hash = 'f00d' WHERE seq = 2").await;
        let report = db.open().await.verify().await.unwrap();
        let problem = report.problem.unwrap();
        assert_eq!(problem.seq, 2);
        assert_eq!(problem.kind, ProblemKind::Edited);
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_payload_is_named() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        store.append("alice", &claim("c1")).await.unwrap();
        // A payload that no longer parses, with its hash recomputed so that only the content
        // check can catch it.
        let event = store.events(1, 1).await.unwrap().remove(0);
        let payload = "[[claims]]\nid = 3\n";
        let hash = parley_store::chain::event_hash(
            &event.prev_hash,
            event.seq,
            &event.recorded_at,
            &event.author,
            &event.kind,
            payload,
        );
        db.raw(&format!(
            "UPDATE events SET payload = '{payload}', hash = '{hash}' WHERE seq = 2; \
             UPDATE log_head SET hash = '{hash}' WHERE id = 1;"
        ))
        .await;
        let report = db.open().await.verify().await.unwrap();
        let problem = report.problem.unwrap();
        assert_eq!((problem.seq, problem.kind), (2, ProblemKind::Unreadable), "{problem}");
        // Reading the state says which event to look at.
        let error = db.open().await.state(None).await.unwrap_err();
        assert!(error.to_string().starts_with("event 2 cannot be replayed"), "{error}");
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_that_breaks_the_record_is_named() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        store.append("alice", &claim("c1")).await.unwrap();
        store.append("alice", &claim("c2")).await.unwrap();
        // Event 2 rewritten, hashes and head included, into a removal that breaks references.
        let events = store.events(0, 10).await.unwrap();
        let (kind, payload) = ("remove", "collection = \"parties\"\nid = \"russia\"\n");
        let hash2 = parley_store::chain::event_hash(
            &events[1].prev_hash,
            2,
            &events[1].recorded_at,
            &events[1].author,
            kind,
            payload,
        );
        let hash3 = parley_store::chain::event_hash(
            &hash2,
            3,
            &events[2].recorded_at,
            &events[2].author,
            &events[2].kind,
            &events[2].payload,
        );
        db.raw(&format!(
            "UPDATE events SET kind = '{kind}', payload = '{payload}', hash = '{hash2}' WHERE seq = 2; \
             UPDATE events SET prev_hash = '{hash2}', hash = '{hash3}' WHERE seq = 3; \
             UPDATE log_head SET hash = '{hash3}' WHERE id = 1;"
        ))
        .await;
        let report = db.open().await.verify().await.unwrap();
        let problem = report.problem.unwrap();
        assert_eq!((problem.seq, problem.kind), (2, ProblemKind::Invalid), "{problem}");
        assert!(
            problem.message.contains("leaves the record invalid: unknown party 'russia'"),
            "{problem}"
        );
        db.finish().await;
    }
}

/// Deletes the last two events and rewrites the head row to match event 3: a chain that is
/// intact in itself.
const TRUNCATE_AND_REWRITE_HEAD: &str = "DELETE FROM events WHERE seq > 3; \
     UPDATE log_head SET seq = 3, hash = (SELECT hash FROM events WHERE seq = 3), \
     recorded_at = (SELECT recorded_at FROM events WHERE seq = 3) WHERE id = 1";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_truncated_tail_under_a_rewritten_head_is_named_by_the_witness() {
    for db in TestDb::all().await {
        five_events(&db).await;
        let problem = problem_after(&db, TRUNCATE_AND_REWRITE_HEAD).await;
        assert_eq!((problem.seq, problem.kind), (4, ProblemKind::Missing));
        assert!(problem.message.contains("witness"), "{}", problem.message);
        assert!(problem.message.contains("records event 5"), "{}", problem.message);
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rewritten_tail_is_named_by_the_witness() {
    for db in TestDb::all().await {
        five_events(&db).await;
        // Event 5 replaced by another, rehashed so the chain holds.
        let store = db.open().await;
        let events = store.events(4, 1).await.unwrap();
        let original = events[0].clone();
        let mut forged = original.clone();
        forged.author = "mallory".to_owned();
        forged.hash = forged.computed_hash();
        db.raw(&format!(
            "UPDATE events SET author = 'mallory', hash = '{}' WHERE seq = 5; UPDATE log_head SET hash = '{}' WHERE id = 1",
            forged.hash, forged.hash
        ))
        .await;
        let problem = db.open().await.verify().await.unwrap().problem.expect("detected");
        assert_eq!((problem.seq, problem.kind), (5, ProblemKind::Reordered), "{}", problem.message);
        assert!(problem.message.contains("witness"), "{}", problem.message);
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_written_on_a_log_whose_head_is_not_its_last_event() {
    for db in TestDb::all().await {
        five_events(&db).await;
        db.raw("DELETE FROM events WHERE seq = 5").await;
        let store = db.open().await;
        let error = store.append("alice", &claim("c9")).await.unwrap_err();
        assert!(matches!(error, parley_store::Error::Damaged { .. }), "{error}");
        assert!(
            error.to_string().contains("head records event 5 but its last event is event 4"),
            "{error}"
        );
        assert_eq!(store.events(0, 100).await.unwrap().len(), 4, "nothing was appended");
        let error = store.ensure_intact().await.unwrap_err();
        assert!(error.to_string().contains("event 5 is missing"), "{error}");
        db.finish().await;
    }
}
