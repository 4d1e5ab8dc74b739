//! Appending, validating and rejecting changes; replay as of a time; export then import.

use parley_model::Id;
use parley_model::change::{Change, Collection};
use parley_model::scenario_file::{read_scenario, write_scenario};
use parley_store::Error;

use crate::helpers::{TestDb, claim, seeded, talks};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appends_are_chained_and_replayed() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        let appended = store.append("alice", &claim("c1")).await.unwrap();
        assert_eq!((appended.seq, appended.state_version), (2, 2));
        let events = store.events(0, 10).await.unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].kind, "import");
        assert_eq!(events[1].prev_hash, events[0].hash);
        assert_eq!(events[1].author, "alice");
        assert_eq!(store.head().await.unwrap().unwrap().hash, appended.hash);
        // A second store on the same database replays the log to the same state.
        let other = db.open().await;
        let state = other.state(None).await.unwrap();
        assert_eq!(state.version, 2);
        assert!(state.scenario.scenario().claims.iter().any(|claim| claim.id.as_str() == "c1"));
        // Seeding again does nothing once the log has events.
        let again =
            parley_store::Store::open_or_seed(&db.database, &talks(), "test").await.unwrap();
        assert_eq!(again.head().await.unwrap().unwrap().seq, 2);
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_change_is_refused_and_leaves_the_log_unchanged() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        let before = store.head().await.unwrap().unwrap();
        let remove_russia =
            Change::Remove { collection: Collection::Parties, id: Id::parse("russia").unwrap() };
        let Err(Error::Invalid(diagnostics)) = store.append("alice", &remove_russia).await else {
            panic!("removing a party that positions refer to is refused");
        };
        assert!(
            diagnostics.iter().any(|diagnostic| diagnostic.message == "unknown party 'russia'"),
            "{diagnostics:?}"
        );
        assert_eq!(store.head().await.unwrap().unwrap(), before);
        assert_eq!(store.events(0, 10).await.unwrap().len(), 1);
        assert!(matches!(store.append(" ", &claim("c1")).await, Err(Error::EmptyAuthor)));
        // The store still appends after a refusal.
        assert_eq!(store.append("alice", &claim("c1")).await.unwrap().seq, 2);
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_log_says_so() {
    for db in TestDb::all().await {
        let store = db.open().await;
        assert!(matches!(store.state(None).await, Err(Error::Empty)));
        assert_eq!(store.head().await.unwrap(), None);
        let report = store.verify().await.unwrap();
        assert!(report.is_ok(), "{report}");
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_state_as_of_a_time_replays_the_log_up_to_it() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        let pause = || tokio::time::sleep(std::time::Duration::from_millis(5));
        pause().await;
        let after_seed = jiff::Timestamp::now();
        pause().await;
        store.append("alice", &claim("c1")).await.unwrap();
        pause().await;
        let after_one = jiff::Timestamp::now();
        pause().await;
        store.append("alice", &claim("c2")).await.unwrap();

        let ids = |snapshot: &parley_store::log::Snapshot| -> Vec<String> {
            snapshot.scenario.scenario().claims.iter().map(|claim| claim.id.to_string()).collect()
        };
        let n_seed_claims = talks().claims.len();
        let at_seed = store.state(Some(after_seed)).await.unwrap();
        assert_eq!((at_seed.version, ids(&at_seed).len()), (1, n_seed_claims));
        let at_one = store.state(Some(after_one)).await.unwrap();
        assert_eq!(at_one.version, 2);
        assert!(
            ids(&at_one).contains(&"c1".to_owned()) && !ids(&at_one).contains(&"c2".to_owned())
        );
        let latest = store.state(None).await.unwrap();
        assert_eq!((latest.version, ids(&latest).len()), (3, n_seed_claims + 2));
        // A fresh store (no cache) gives the same answers.
        let fresh = db.open().await;
        assert_eq!(fresh.state(Some(after_one)).await.unwrap().version, 2);
        let before_all = "2000-01-01T00:00:00Z".parse().unwrap();
        assert!(matches!(fresh.state(Some(before_all)).await, Err(Error::NothingAsOf { .. })));
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_then_import_gives_the_same_state() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        store.append("alice", &claim("c1")).await.unwrap();
        let exported = store.export(None).await.unwrap();
        let before = store.state(None).await.unwrap().scenario.into_scenario();

        let other = db.another().await;
        let target = other.open().await;
        let loaded = read_scenario(&exported);
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        target.import("bob", loaded.scenario.unwrap().into_scenario()).await.unwrap();
        let after = target.state(None).await.unwrap().scenario.into_scenario();
        assert_eq!(after, before);
        assert_eq!(write_scenario(&after), exported);
        other.finish().await;
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_recent_head_shows_own_appends_at_once_and_others_within_the_interval() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        let other = db.open().await;
        let long = std::time::Duration::from_secs(3600);
        assert_eq!(store.recent_head(long).await.unwrap().unwrap().seq, 1);
        let appended = store.append("alice", &claim("c1")).await.unwrap();
        assert_eq!(store.recent_head(long).await.unwrap().unwrap().hash, appended.hash);
        // Another store's append is seen once the last look is older than asked.
        other.append("bob", &claim("c2")).await.unwrap();
        assert_eq!(store.recent_head(long).await.unwrap().unwrap().seq, 2);
        let zero = std::time::Duration::ZERO;
        assert_eq!(store.recent_head(zero).await.unwrap().unwrap().seq, 3);
        assert_eq!(store.recent_head(long).await.unwrap().unwrap().seq, 3);
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_readers_of_a_fresh_store_get_the_same_state() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        for idx in 0..50 {
            store.append("alice", &claim(&format!("c{idx}"))).await.unwrap();
        }
        // A new store has no state kept: its first readers replay the log together.
        let fresh = db.open().await;
        let readers: Vec<_> = (0..8)
            .map(|_| {
                let fresh = fresh.clone();
                tokio::spawn(async move { fresh.state(None).await.unwrap().version })
            })
            .collect();
        for reader in readers {
            assert_eq!(reader.await.unwrap(), 51);
        }
        db.finish().await;
    }
}
