//! Concurrent writers, in one store and across stores, never fork the chain.

use crate::helpers::{TestDb, claim, seeded};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appends_from_several_stores_keep_one_chain() {
    for db in TestDb::all().await {
        let first = seeded(&db).await;
        // Three stores on one database: like three servers, each with its own cache.
        let stores = [first.clone(), first, db.open().await, db.open().await];
        let mut tasks = Vec::new();
        for (store_index, store) in stores.iter().enumerate() {
            for task_index in 0..2 {
                let store = store.clone();
                tasks.push(tokio::spawn(async move {
                    for event_index in 0..10 {
                        let id = format!("s{store_index}-t{task_index}-e{event_index}");
                        store.append(&format!("writer-{store_index}"), &claim(&id)).await.unwrap();
                    }
                }));
            }
        }
        for task in tasks {
            task.await.unwrap();
        }
        let report = stores[2].verify().await.unwrap();
        assert!(report.is_ok(), "{report}");
        assert_eq!(report.n_events, 1 + 8 * 10);
        // Every store sees every claim, whichever wrote it.
        for store in &stores {
            let state = store.state(None).await.unwrap();
            assert_eq!(state.version, 81);
            let n_new = state
                .scenario
                .scenario()
                .claims
                .iter()
                .filter(|claim| claim.id.as_str().starts_with('s'))
                .count();
            assert_eq!(n_new, 80);
        }
        db.finish().await;
    }
}
