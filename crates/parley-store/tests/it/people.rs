//! People and access: invitations, revocations, changes of role, sessions; each change of
//! access is an event of the log, which still verifies and replays to the same record.

use std::time::Duration;

use parley_store::Error;
use parley_store::access::{ACCESS_KIND, AccessAction, AccessEvent};
use parley_store::users::{Role, TokenKind};

use crate::helpers::{TestDb, seeded};

const HOUR: Duration = Duration::from_secs(3600);

fn delegate(party: &str) -> Role {
    Role::parse(&format!("delegate:{party}")).unwrap()
}

async fn access_events(store: &parley_store::Store) -> Vec<AccessEvent> {
    store
        .events(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|event| event.kind == ACCESS_KIND)
        .map(|event| AccessEvent::from_payload(&event.payload).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_makes_one_user_once_and_is_logged() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        let before = store.state(None).await.unwrap();
        let (invitation, code) = store.invite("mia", &delegate("ukraine"), HOUR).await.unwrap();
        assert!(code.starts_with("parley_invite_") && code.len() == 14 + 64, "{code}");
        assert_eq!(
            store.open_invitation(&code).await.unwrap().map(|found| found.id),
            Some(invitation.id)
        );
        // A code that is not one, or one changed by a character, opens nothing.
        assert_eq!(store.open_invitation("parley_invite_00").await.unwrap(), None);
        let mut altered = code.clone();
        altered.replace_range(code.len() - 1.., if code.ends_with('0') { "1" } else { "0" });
        assert_eq!(store.accept_invitation(&altered, "olena").await.unwrap(), None);

        let user = store.accept_invitation(&code, "olena").await.unwrap().unwrap();
        assert_eq!((user.name.as_str(), &user.role), ("olena", &delegate("ukraine")));
        assert_eq!(store.accept_invitation(&code, "olena2").await.unwrap(), None, "spent");
        assert_eq!(store.open_invitation(&code).await.unwrap(), None);
        let session = store.issue(user.id, TokenKind::Session, Some(HOUR)).await.unwrap();
        assert_eq!(
            store.authenticate(&session).await.unwrap().map(|found| found.id),
            Some(user.id)
        );

        // Two acceptances at once: one wins.
        let (_, code) = store.invite("mia", &Role::Observer, HOUR).await.unwrap();
        let (first, second) = tokio::join!(
            store.accept_invitation(&code, "one"),
            store.accept_invitation(&code, "two")
        );
        let n_made = [first, second].into_iter().filter(|made| matches!(made, Ok(Some(_)))).count();
        assert_eq!(n_made, 1);

        // The code is nowhere in the database: a backup holds every table.
        let backup = db.dir.path().join("check.db");
        store.backup(&backup).await.unwrap();
        let bytes = std::fs::read(&backup).unwrap();
        let secret = &code.as_bytes()[14..];
        assert!(!bytes.windows(secret.len()).any(|window| window == secret));

        // Each change is an event; the record is the same and the log verifies.
        let actions: Vec<AccessAction> =
            access_events(&store).await.iter().map(|event| event.action).collect();
        assert_eq!(
            actions,
            [
                AccessAction::Invite,
                AccessAction::Accept,
                AccessAction::Invite,
                AccessAction::Accept
            ]
        );
        let events = store.events(0, 10).await.unwrap();
        let kinds: Vec<bool> = events.iter().map(parley_store::log::Event::is_access).collect();
        assert_eq!(kinds, [false, true, true, true, true], "the import, then four of access");
        assert!(events[1].change().is_err(), "an access event holds no change to the record");
        let after = store.state(None).await.unwrap();
        assert_eq!(after.scenario.scenario(), before.scenario.scenario());
        assert_eq!(after.version, before.version + 4);
        assert!(store.verify().await.unwrap().is_ok());
        // A fresh store replays the log from the start to the same record.
        let reopened = db.open().await;
        assert_eq!(
            reopened.state(None).await.unwrap().scenario.scenario(),
            before.scenario.scenario()
        );
        // And a change to the record still appends on top of the access events.
        store.append("mediator", &crate::helpers::claim("after-access")).await.unwrap();
        assert!(store.verify().await.unwrap().is_ok());
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_withdrawn_and_misnamed_invitations_make_no_user() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        let (_, expired) = store.invite("mia", &Role::Observer, Duration::ZERO).await.unwrap();
        assert_eq!(store.open_invitation(&expired).await.unwrap(), None);
        assert_eq!(store.accept_invitation(&expired, "late").await.unwrap(), None);

        let (invitation, withdrawn) = store.invite("mia", &Role::Observer, HOUR).await.unwrap();
        assert!(store.withdraw_invitation(invitation.id, "mia").await.unwrap());
        assert!(!store.withdraw_invitation(invitation.id, "mia").await.unwrap(), "once");
        assert_eq!(store.accept_invitation(&withdrawn, "withdrawn").await.unwrap(), None);

        // A taken or bad name is refused and leaves the invitation open.
        store.create_user("taken", &Role::Observer).await.unwrap();
        let (_, code) = store.invite("mia", &Role::Mediator, HOUR).await.unwrap();
        assert!(matches!(store.accept_invitation(&code, "taken").await, Err(Error::UserExists(_))));
        assert!(matches!(
            store.accept_invitation(&code, "two words").await,
            Err(Error::InvalidUserName(_))
        ));
        assert!(store.open_invitation(&code).await.unwrap().is_some());
        assert!(store.accept_invitation(&code, "fresh").await.unwrap().is_some());

        // A delegate of a party the record does not hold cannot be invited.
        assert!(matches!(
            store.invite("mia", &delegate("atlantis"), HOUR).await,
            Err(Error::UnknownParty { .. })
        ));
        let users: Vec<String> =
            store.users().await.unwrap().into_iter().map(|user| user.name).collect();
        assert_eq!(users, ["taken", "fresh"]);
        assert!(store.verify().await.unwrap().is_ok());
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_user_is_refused_at_once_everywhere() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        let user = store.create_user("ivan", &delegate("russia")).await.unwrap();
        let api = store.issue_token(user.id).await.unwrap();
        let session = store.issue(user.id, TokenKind::Session, Some(HOUR)).await.unwrap();
        let link = store.issue(user.id, TokenKind::SignInLink, Some(HOUR)).await.unwrap();
        // Checked once, so that a check within the interval would not ask the database.
        let long = Duration::from_secs(600);
        assert!(store.authenticate_within(&session, long).await.unwrap().is_some());
        assert!(store.authenticate_within(&api, long).await.unwrap().is_some());

        assert!(store.revoke_user(user.id, "mia").await.unwrap());
        assert!(!store.revoke_user(user.id, "mia").await.unwrap(), "once");
        assert_eq!(store.authenticate_within(&session, long).await.unwrap(), None);
        assert_eq!(store.authenticate_within(&api, long).await.unwrap(), None);
        assert_eq!(store.redeem_sign_in_link(&link).await.unwrap(), None);
        // A token issued after the revocation does not work either.
        let later = store.issue_token(user.id).await.unwrap();
        assert_eq!(store.authenticate(&later).await.unwrap(), None);
        // Nor does a change of role bring it back.
        assert!(!store.set_role(user.id, &Role::Observer, "mia").await.unwrap());

        let people = store.people().await.unwrap();
        assert!(people[0].revoked_at.is_some());
        assert_eq!(people[0].n_sessions, 0);
        // The operator's addition, then the revocation.
        let events = access_events(&store).await;
        assert_eq!(events.len(), 2);
        assert_eq!(
            (events[0].action, events[0].user, events[0].role.as_deref()),
            (AccessAction::Add, Some(user.id), Some("delegate:russia"))
        );
        assert_eq!(
            (events[1].action, events[1].user, events[1].role.as_deref()),
            (AccessAction::Revoke, Some(user.id), Some("delegate:russia"))
        );
        assert!(store.verify().await.unwrap().is_ok());
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_of_role_holds_at_once_and_is_logged() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        let user = store.create_user("olena", &Role::Observer).await.unwrap();
        let session = store.issue(user.id, TokenKind::Session, Some(HOUR)).await.unwrap();
        let long = Duration::from_secs(600);
        assert_eq!(
            store.authenticate_within(&session, long).await.unwrap().unwrap().role,
            Role::Observer
        );
        assert!(store.set_role(user.id, &delegate("ukraine"), "mia").await.unwrap());
        assert!(!store.set_role(user.id, &delegate("ukraine"), "mia").await.unwrap(), "same");
        assert_eq!(
            store.authenticate_within(&session, long).await.unwrap().unwrap().role,
            delegate("ukraine")
        );
        assert!(matches!(
            store.set_role(user.id, &delegate("atlantis"), "mia").await,
            Err(Error::UnknownParty { .. })
        ));
        let events = access_events(&store).await;
        let actions: Vec<AccessAction> = events.iter().map(|event| event.action).collect();
        assert_eq!(actions, [AccessAction::Add, AccessAction::Role]);
        assert_eq!(
            (events[1].role.as_deref(), events[1].previous_role.as_deref()),
            (Some("delegate:ukraine"), Some("observer"))
        );
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_sees_and_ends_its_own_sessions() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        let olena = store.create_user("olena", &delegate("ukraine")).await.unwrap();
        let ivan = store.create_user("ivan", &delegate("russia")).await.unwrap();
        let first = store.issue(olena.id, TokenKind::Session, Some(HOUR)).await.unwrap();
        let second = store.issue(olena.id, TokenKind::Session, Some(HOUR)).await.unwrap();
        let api = store.issue_token(olena.id).await.unwrap();
        let other = store.issue(ivan.id, TokenKind::Session, Some(HOUR)).await.unwrap();
        assert!(store.authenticate(&second).await.unwrap().is_some());

        let sessions = store.sessions(olena.id, Some(&second)).await.unwrap();
        assert_eq!(sessions.len(), 2);
        assert_eq!(
            sessions.iter().map(|session| session.current).collect::<Vec<_>>(),
            [false, true]
        );
        assert!(sessions[1].last_used_at.is_some() && sessions[0].last_used_at.is_none());
        let people = store.people().await.unwrap();
        assert_eq!((people[0].n_sessions, people[0].last_used_at.is_some()), (2, true));
        assert!(people[1].last_used_at.is_none());

        assert_eq!(store.end_sessions(olena.id).await.unwrap(), 2);
        assert_eq!(store.authenticate(&first).await.unwrap(), None);
        assert_eq!(store.authenticate(&second).await.unwrap(), None);
        assert!(store.authenticate(&api).await.unwrap().is_some(), "API tokens stay");
        assert!(store.authenticate(&other).await.unwrap().is_some(), "others' sessions stay");
        assert!(store.sessions(olena.id, None).await.unwrap().is_empty());
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_access_event_breaks_the_chain() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        let (_, _code) = store.invite("mia", &Role::Mediator, HOUR).await.unwrap();
        assert!(store.verify().await.unwrap().is_ok());
        db.raw("UPDATE events SET payload = replace(payload, 'mediator', 'observer') WHERE kind = 'access'")
            .await;
        let report = db.open().await.verify().await.unwrap();
        let problem = report.problem.unwrap();
        assert_eq!((problem.seq, problem.kind), (2, parley_store::verify::ProblemKind::Edited));
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_the_operator_adds_is_logged_and_a_refused_one_is_not() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        let user = store.create_user("mia2", &Role::Mediator).await.unwrap();
        // A name taken, or a party the record does not have: nothing made, nothing logged.
        assert!(matches!(
            store.create_user("mia2", &Role::Observer).await,
            Err(Error::UserExists(_))
        ));
        assert!(matches!(
            store.create_user("nobody", &delegate("atlantis")).await,
            Err(Error::UnknownParty { .. })
        ));
        let events = store.events(0, 1000).await.unwrap();
        let access: Vec<_> = events.iter().filter(|event| event.kind == ACCESS_KIND).collect();
        assert_eq!(access.len(), 1);
        assert_eq!(access[0].author, parley_store::access::OPERATOR);
        let event = AccessEvent::from_payload(&access[0].payload).unwrap();
        assert_eq!(
            (event.action, event.user, event.name.as_deref(), event.role.as_deref()),
            (AccessAction::Add, Some(user.id), Some("mia2"), Some("mediator"))
        );
        assert!(store.verify().await.unwrap().is_ok());
        db.finish().await;
    }
}
