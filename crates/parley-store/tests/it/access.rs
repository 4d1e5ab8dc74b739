//! Users, tokens and roles; what each viewer sees; the sign-in rate limiter.

use std::time::{Duration, Instant};

use parley_model::Id;
use parley_model::access::Viewer;
use parley_store::Error;
use parley_store::users::{RateLimiter, Role};

use crate::helpers::{TestDb, seeded, upsert};

/// A private position of Ukraine on NATO, recorded after the built-in scenario.
const PRIVATE_POSITION: &str = "[[positions]]\nparty = \"ukraine\"\nissue = \"nato\"\ndate = 2025-12-01\nstances = { renounce = \"workable\", keep = \"preferred\" }\nvisibility = \"private\"\nnote = \"PRIVATE-MARKER\"\n";

fn has_private_position(snapshot: &parley_store::log::Snapshot) -> bool {
    snapshot.scenario.scenario().positions.iter().any(|position| {
        position.note.as_deref().is_some_and(|note| note.contains("PRIVATE-MARKER"))
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_viewer_sees_only_what_the_rules_allow() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        store.append("mediator", &upsert(PRIVATE_POSITION)).await.unwrap();
        let party = |id: &str| Viewer::Party(Id::parse(id).unwrap());
        let sees = |viewer: Viewer| {
            let store = store.clone();
            async move { has_private_position(&store.state_for(&viewer, None).await.unwrap()) }
        };
        assert!(sees(Viewer::Mediator).await);
        assert!(sees(party("ukraine")).await);
        assert!(!sees(party("russia")).await);
        assert!(!sees(Viewer::Observer).await);
        // The same through users' roles, and as of a time.
        let russia =
            store.create_user("ivan", &Role::parse("delegate:russia").unwrap()).await.unwrap();
        let snapshot =
            store.state_for(&russia.role.viewer(), Some(jiff::Timestamp::now())).await.unwrap();
        assert!(!has_private_position(&snapshot));
        let all = store.state(None).await.unwrap();
        assert!(has_private_position(&all));
        // Reservations are private to their party.
        let observer = store.state_for(&Viewer::Observer, None).await.unwrap();
        assert!(
            observer.scenario.scenario().parties.iter().all(|party| party.reservation.is_none())
        );
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_are_stored_hashed_and_authenticate_their_user() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        let user =
            store.create_user("olena", &Role::parse("delegate:ukraine").unwrap()).await.unwrap();
        let token = store.issue_token(user.id).await.unwrap();
        assert!(token.starts_with("parley_") && token.len() == 7 + 64, "{token}");
        let found = store.authenticate(&token).await.unwrap().unwrap();
        assert_eq!(
            (found.id, found.role.viewer()),
            (user.id, Viewer::Party(Id::parse("ukraine").unwrap()))
        );
        assert_eq!(store.authenticate("parley_0000").await.unwrap(), None);
        assert_eq!(store.authenticate("").await.unwrap(), None);

        // The token itself is nowhere in the database: a backup holds every table, tokens too.
        let backup = db.dir.path().join("check.db");
        store.backup(&backup).await.unwrap();
        let bytes = std::fs::read(&backup).unwrap();
        assert!(!bytes.windows(token.len() - 7).any(|window| window == &token.as_bytes()[7..]));
        let checked = parley_store::Store::open(&backup.display().to_string()).await.unwrap();
        assert_eq!(checked.users().await.unwrap().len(), 1);

        assert_eq!(store.revoke_tokens(user.id).await.unwrap(), 1);
        assert_eq!(store.authenticate(&token).await.unwrap(), None);
        assert!(matches!(store.issue_token(999).await, Err(Error::UnknownUser(999))));
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_link_works_once_and_each_kind_of_token_stays_in_its_place() {
    use parley_store::users::TokenKind;
    use std::time::Duration;
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        let user = store.create_user("mediator", &Role::Mediator).await.unwrap();
        let link = store
            .issue(user.id, TokenKind::SignInLink, Some(Duration::from_secs(600)))
            .await
            .unwrap();
        assert_eq!(TokenKind::of(&link), Some(TokenKind::SignInLink));
        // A link is not a token: it signs in, once.
        assert_eq!(store.authenticate(&link).await.unwrap(), None);
        assert_eq!(
            store.redeem_sign_in_link(&link).await.unwrap().map(|found| found.id),
            Some(user.id)
        );
        assert_eq!(store.redeem_sign_in_link(&link).await.unwrap(), None, "spent");
        // Two requests that spend one link at once: one wins.
        let link = store
            .issue(user.id, TokenKind::SignInLink, Some(Duration::from_secs(600)))
            .await
            .unwrap();
        let (first, second) =
            tokio::join!(store.redeem_sign_in_link(&link), store.redeem_sign_in_link(&link));
        assert_eq!(
            usize::from(first.unwrap().is_some()) + usize::from(second.unwrap().is_some()),
            1
        );
        // An expired link and an expired session are refused.
        let expired =
            store.issue(user.id, TokenKind::SignInLink, Some(Duration::ZERO)).await.unwrap();
        assert_eq!(store.redeem_sign_in_link(&expired).await.unwrap(), None);
        let expired = store.issue(user.id, TokenKind::Session, Some(Duration::ZERO)).await.unwrap();
        assert_eq!(store.authenticate(&expired).await.unwrap(), None);
        // An API token is not a link; a session ends when revoked, the API token does not.
        let api = store.issue_token(user.id).await.unwrap();
        assert_eq!(store.redeem_sign_in_link(&api).await.unwrap(), None);
        let session =
            store.issue(user.id, TokenKind::Session, Some(Duration::from_secs(600))).await.unwrap();
        assert_eq!(TokenKind::of(&session), Some(TokenKind::Session));
        assert!(store.authenticate(&session).await.unwrap().is_some());
        assert!(store.revoke_token(&session).await.unwrap());
        assert_eq!(store.authenticate(&session).await.unwrap(), None);
        assert!(store.authenticate(&api).await.unwrap().is_some());
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_are_checked_when_created() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        store.create_user("alice", &Role::Mediator).await.unwrap();
        assert!(matches!(
            store.create_user("alice", &Role::Observer).await,
            Err(Error::UserExists(_))
        ));
        assert!(matches!(
            store.create_user("a b", &Role::Observer).await,
            Err(Error::InvalidUserName(_))
        ));
        let error =
            store.create_user("bob", &Role::parse("delegate:narnia").unwrap()).await.unwrap_err();
        assert!(
            error.to_string().starts_with("unknown party 'narnia', expected one of: us, russia"),
            "{error}"
        );
        assert_eq!(store.users().await.unwrap().len(), 1);
        db.finish().await;
    }
}

#[test]
fn the_rate_limiter_allows_a_burst_then_one_per_interval() {
    let limiter = RateLimiter::new(3, Duration::from_secs(10));
    let start = Instant::now();
    let results: Vec<bool> = (0..4).map(|_| limiter.check("1.2.3.4", start)).collect();
    assert_eq!(results, [true, true, true, false]);
    // Other keys have their own bucket.
    assert!(limiter.check("5.6.7.8", start));
    assert!(!limiter.check("1.2.3.4", start + Duration::from_secs(9)));
    assert!(limiter.check("1.2.3.4", start + Duration::from_secs(11)));
    assert!(!limiter.check("1.2.3.4", start + Duration::from_secs(12)));
    // A long pause refills the bucket to its burst, no more.
    let later = start + Duration::from_secs(3600);
    let results: Vec<bool> = (0..4).map(|_| limiter.check("1.2.3.4", later)).collect();
    assert_eq!(results, [true, true, true, false]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checked_tokens_are_trusted_for_a_while_and_forgotten_on_revocation() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        let other = db.open().await;
        let long = Duration::from_secs(3600);
        let user = store.create_user("olena", &Role::Mediator).await.unwrap();
        // A token issued elsewhere works at once: unknown tokens are always looked up.
        let token = other.issue_token(user.id).await.unwrap();
        assert_eq!(store.authenticate_within(&token, long).await.unwrap().unwrap().id, user.id);
        assert_eq!(store.authenticate_within("parley_0000", long).await.unwrap(), None);
        // Revoked by another store: still trusted within the interval, refused when it is over.
        assert_eq!(other.revoke_tokens(user.id).await.unwrap(), 1);
        assert!(store.authenticate_within(&token, long).await.unwrap().is_some());
        assert_eq!(store.authenticate_within(&token, Duration::ZERO).await.unwrap(), None);
        assert_eq!(store.authenticate(&token).await.unwrap(), None);
        // Revoked through this store: refused at once.
        let token = store.issue_token(user.id).await.unwrap();
        assert!(store.authenticate_within(&token, long).await.unwrap().is_some());
        assert_eq!(store.revoke_tokens(user.id).await.unwrap(), 1);
        assert_eq!(store.authenticate_within(&token, long).await.unwrap(), None);
        db.finish().await;
    }
}

/// The record as written, to compare what two views hold.
fn written(scenario: &parley_model::validate::ValidScenario) -> String {
    parley_model::scenario_file::write_scenario(scenario.scenario())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_window_of_the_log_shows_each_viewer_only_what_it_may_see_change() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        tokio::time::sleep(Duration::from_millis(5)).await;
        let since = jiff::Timestamp::now();
        tokio::time::sleep(Duration::from_millis(5)).await;
        store.append("kyiv-delegate", &upsert(PRIVATE_POSITION)).await.unwrap();
        store.append("mediator", &crate::helpers::claim("window-claim")).await.unwrap();
        let party = |id: &str| Viewer::Party(Id::parse(id).unwrap());

        let russia = store.window_for(&party("russia"), since, None).await.unwrap();
        let start = russia.start.as_ref().expect("the import came before the window");
        assert_eq!(russia.steps.len(), 2);
        assert_eq!(written(&russia.steps[0].scenario), written(start), "Russia sees no change");
        assert_ne!(written(&russia.steps[1].scenario), written(start), "the public claim");
        assert!(
            russia.steps.iter().all(|step| !written(&step.scenario).contains("PRIVATE-MARKER"))
        );

        let ukraine = store.window_for(&party("ukraine"), since, None).await.unwrap();
        assert!(
            written(&ukraine.steps[0].scenario).contains("PRIVATE-MARKER"),
            "the check can fail"
        );
        assert_eq!(ukraine.steps[0].author, "kyiv-delegate");

        // A window that ends before the changes holds none; one from the start, the import.
        let none = store.window_for(&Viewer::Mediator, since, Some(since)).await.unwrap();
        assert!(none.steps.is_empty());
        let past = jiff::Timestamp::from_second(0).unwrap();
        let all = store.window_for(&Viewer::Mediator, past, None).await.unwrap();
        assert!(all.start.is_none());
        assert_eq!(all.steps.len(), 3);
    }
}
