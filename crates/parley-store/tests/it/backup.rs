//! Backups are SQLite files that open and verify, taken while writers go on.

use parley_store::{Error, Store};

use crate::helpers::{TestDb, claim, seeded};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_during_appends_verifies() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        let user = store.create_user("alice", &parley_store::users::Role::Mediator).await.unwrap();
        let token = store.issue_token(user.id).await.unwrap();
        let writer = {
            let store = store.clone();
            tokio::spawn(async move {
                for index in 0..100 {
                    store.append("writer", &claim(&format!("c{index}"))).await.unwrap();
                }
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let path = db.dir.path().join("backup.db");
        store.backup(&path).await.unwrap();
        writer.await.unwrap();

        let backup = Store::open(&path.display().to_string()).await.unwrap();
        assert_eq!(backup.backend_name(), "sqlite");
        let report = backup.verify().await.unwrap();
        assert!(report.is_ok(), "{report}");
        assert!(report.n_events >= 1);
        // The backup is a prefix of the log.
        let original = store.events(0, 1000).await.unwrap();
        let copied = backup.events(0, 1000).await.unwrap();
        assert_eq!(copied[..], original[..copied.len()]);
        assert_eq!(backup.authenticate(&token).await.unwrap().unwrap().name, "alice");
        // Never over an existing file.
        assert!(matches!(store.backup(&path).await, Err(Error::BackupExists(_))));
        let leftovers: Vec<_> = std::fs::read_dir(db.dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.contains("partial"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_keeps_who_has_access_as_it_was() {
    use parley_store::users::{Role, TokenKind};
    use std::time::Duration;
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        let hour = Duration::from_secs(3600);
        let kept = store.create_user("kept", &Role::Observer).await.unwrap();
        let gone = store.create_user("gone", &Role::Observer).await.unwrap();
        let session = store.issue(kept.id, TokenKind::Session, Some(hour)).await.unwrap();
        let expired = store.issue(kept.id, TokenKind::Session, Some(Duration::ZERO)).await.unwrap();
        let gone_token = store.issue_token(gone.id).await.unwrap();
        store.revoke_user(gone.id, "mediator").await.unwrap();
        let (_, code) = store.invite("mediator", &Role::Mediator, hour).await.unwrap();
        assert!(store.authenticate(&session).await.unwrap().is_some());
        let path = db.dir.path().join("access.db");
        store.backup(&path).await.unwrap();

        let backup = Store::open(&path.display().to_string()).await.unwrap();
        assert!(backup.verify().await.unwrap().is_ok());
        // The revoked user stays revoked, an expired session expired, the session a session.
        assert_eq!(backup.authenticate(&gone_token).await.unwrap(), None);
        assert_eq!(backup.authenticate(&expired).await.unwrap(), None);
        assert_eq!(backup.sessions(kept.id, Some(&session)).await.unwrap().len(), 1);
        assert_eq!(backup.people().await.unwrap(), store.people().await.unwrap());
        assert_eq!(backup.invitations().await.unwrap(), store.invitations().await.unwrap());
        assert!(backup.open_invitation(&code).await.unwrap().is_some());
        db.finish().await;
    }
}
