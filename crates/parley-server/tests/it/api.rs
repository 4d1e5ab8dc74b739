//! The API's reads, writes and errors.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::{TestServer, Who};
use crate::samples;

#[tokio::test]
async fn a_delegate_records_a_position_and_the_mediator_reads_it() {
    for server in TestServer::all().await {
        let position = json!({
            "party": "ukraine", "issue": "donbas", "date": "2025-12-03",
            "importance": "critical",
            "stances": { "compromise": "workable", "cede-all": "red-line" },
            "visibility": "private",
        });
        let answer = server
            .call(Method::POST, "/api/v1/positions", Some(&server.ukraine), Some(&position))
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
        assert!(answer.json().get("event").is_none(), "a delegate is not told the log's length");
        let positions = server.get("/api/v1/positions", &server.mediator).await.json();
        let recorded = positions["items"].as_array().unwrap().iter().any(|item| {
            item["party"] == "ukraine"
                && item["issue"] == "donbas"
                && item["stances"]["compromise"] == "workable"
        });
        assert!(recorded, "{positions}");
        // Russia's delegate does not see it, and may not record for Ukraine.
        let seen_by_russia = server.get("/api/v1/positions", &server.russia).await.text;
        assert!(!seen_by_russia.contains("2025-12-03"), "{seen_by_russia}");
        let answer = server
            .call(Method::POST, "/api/v1/positions", Some(&server.russia), Some(&position))
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text);
    }
}

#[tokio::test]
async fn errors_are_json_and_name_the_field() {
    for server in TestServer::all().await {
        let answer = server.get("/api/v1/record?as_of=yesterday", &server.mediator).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert_eq!(answer.json()["error"]["field"], "as_of");
        let bad = json!({ "party": "ukraine", "issue": "no-such-issue", "stances": { "x": "preferred" } });
        let answer =
            server.call(Method::POST, "/api/v1/positions", Some(&server.ukraine), Some(&bad)).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text);
        assert_eq!(answer.json()["error"]["field"], "issue", "{}", answer.text);
        let answer = server.call(Method::GET, "/api/v1/record", None, None).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert!(answer.json()["error"]["message"].as_str().unwrap().contains("sign in"));
    }
}

/// A small change to an entity of each collection with ids: a field every one of them has.
fn edited(collection: &str, entity: &mut Value) -> (&'static str, Value) {
    let (field, value) = match collection {
        "sources" | "drafts" | "meetings" | "issues" => ("title", json!("Edited title")),
        "parties" | "tracks" => ("name", json!("Edited name")),
        "claims" => ("statement", json!("Edited statement")),
        other => panic!("no edit for '{other}'"),
    };
    entity[field] = value.clone();
    (field, value)
}

#[tokio::test]
async fn the_mediator_creates_reads_changes_and_removes_every_collection() {
    for server in TestServer::all().await {
        for collection in samples::COLLECTIONS.into_iter().filter(|name| *name != "positions") {
            let base = format!("/api/v1/{collection}");
            let sample = samples::new_entity(collection);
            let answer = server.call_as(Who::Mediator, Method::POST, &base, Some(&sample)).await;
            assert_eq!(answer.status, StatusCode::CREATED, "{collection}: {}", answer.text);
            let created = answer.json();
            let id = created["entity"]["id"].as_str().unwrap().to_owned();
            let singular = id.split_once('-').unwrap().0;
            assert!(collection.starts_with(&singular[..4]), "{collection}: the server's id {id}");
            assert!(created["event"].as_u64().unwrap() > 1, "a mediator is told the event");
            let path = format!("{base}/{id}");
            assert_eq!(answer.header("location"), Some(path.as_str()));
            for (field, value) in sample.as_object().unwrap() {
                assert_eq!(&created["entity"][field], value, "{collection}.{field}");
            }

            let mut entity = server.get(&path, &server.mediator).await.json();
            assert_eq!(entity, created["entity"], "{collection}: read back");
            let (field, value) = edited(collection, &mut entity);
            let answer = server.call_as(Who::Mediator, Method::PUT, &path, Some(&entity)).await;
            assert_eq!(answer.status, StatusCode::OK, "{collection}: {}", answer.text);
            assert_eq!(answer.json()["entity"][field], value);
            assert_eq!(server.get(&path, &server.mediator).await.json()[field], value);
            let list = server.get(&base, &server.observer).await.json();
            assert!(list["items"].as_array().unwrap().iter().any(|item| item["id"] == id));

            let answer = server.call_as(Who::Mediator, Method::DELETE, &path, None).await;
            assert_eq!(answer.status, StatusCode::OK, "{collection}: {}", answer.text);
            assert_eq!(answer.json()["removed"], true);
            let gone = server.get(&path, &server.mediator).await;
            assert_eq!(gone.status, StatusCode::NOT_FOUND, "{collection}");
            assert_eq!(gone.message(), format!("no {singular} '{id}'"));
            let list = server.get(&base, &server.mediator).await.json();
            assert!(!list["items"].as_array().unwrap().iter().any(|item| item["id"] == id));
            let again = server.call_as(Who::Mediator, Method::DELETE, &path, None).await;
            assert_eq!(again.status, StatusCode::NOT_FOUND, "{collection}");
        }
    }
}

#[tokio::test]
async fn positions_are_kept_by_party_issue_and_date() {
    for server in TestServer::all().await {
        let count = |list: Value| list["items"].as_array().unwrap().len();
        let before = count(server.get("/api/v1/positions", &server.mediator).await.json());
        let mut position = samples::new_entity("positions");
        let answer =
            server.call_as(Who::Ukraine, Method::POST, "/api/v1/positions", Some(&position)).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
        assert_eq!(answer.header("location"), None, "positions have no URL of their own");
        assert_eq!(answer.json()["entity"]["party"], "ukraine");
        // The same party, issue and date replace it; another date adds one.
        position["stances"] = json!({ "europe-finances": "objection" });
        server.create(Who::Ukraine, "positions", &position).await;
        let list = server.get("/api/v1/positions", &server.mediator).await.json();
        assert_eq!(count(list.clone()), before + 1);
        let recorded = list["items"].as_array().unwrap().iter().find(|item| {
            item["party"] == "ukraine"
                && item["issue"] == "financing"
                && item["date"] == "2025-12-02"
        });
        assert_eq!(recorded.unwrap()["stances"]["europe-finances"], "objection");
        position["date"] = json!("2025-12-01");
        server.create(Who::Ukraine, "positions", &position).await;
        assert_eq!(
            count(server.get("/api/v1/positions", &server.mediator).await.json()),
            before + 2
        );
    }
}

#[tokio::test]
async fn ids_are_the_servers_unless_a_mediator_gives_one() {
    for server in TestServer::all().await {
        let mut claim = samples::new_entity("claims");
        claim["id"] = json!("given-id");
        let answer =
            server.call_as(Who::Mediator, Method::POST, "/api/v1/claims", Some(&claim)).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
        assert_eq!(answer.json()["entity"]["id"], "given-id");
        let answer =
            server.call_as(Who::Mediator, Method::POST, "/api/v1/claims", Some(&claim)).await;
        assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.text);
        assert_eq!(answer.json()["error"]["field"], "id");
        claim["id"] = json!("delegate-id");
        let answer =
            server.call_as(Who::Ukraine, Method::POST, "/api/v1/claims", Some(&claim)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text);
        assert_eq!(answer.json()["error"]["field"], "id");
        claim["id"] = json!(" spaced ");
        let answer =
            server.call_as(Who::Mediator, Method::POST, "/api/v1/claims", Some(&claim)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text);
        assert_eq!(answer.json()["error"]["field"], "id");

        // PUT: the body's id must be the URL's; a mediator may record a new id so.
        claim["id"] = json!("other-id");
        let answer = server
            .call_as(Who::Mediator, Method::PUT, "/api/v1/claims/given-id", Some(&claim))
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text);
        assert_eq!(answer.json()["error"]["field"], "id");
        assert!(answer.message().contains("given-id"), "{}", answer.text);
        claim.as_object_mut().unwrap().remove("id");
        let answer =
            server.call_as(Who::Mediator, Method::PUT, "/api/v1/claims/put-id", Some(&claim)).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
        assert_eq!(answer.header("location"), Some("/api/v1/claims/put-id"));
        let answer = server
            .call_as(Who::Ukraine, Method::PUT, "/api/v1/claims/new-by-put", Some(&claim))
            .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{}", answer.text);
        let answer = server.get("/api/v1/claims/%20bad%20", &server.mediator).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text);
        assert_eq!(answer.json()["error"]["field"], "id");
    }
}

#[tokio::test]
async fn delegates_write_only_their_own_records() {
    for server in TestServer::all().await {
        let forbidden = [
            (Who::Russia, Method::POST, "/api/v1/claims", samples::new_entity("claims")),
            (Who::Russia, Method::POST, "/api/v1/positions", samples::new_entity("positions")),
            (Who::Russia, Method::POST, "/api/v1/drafts", samples::new_entity("drafts")),
            (Who::Russia, Method::POST, "/api/v1/meetings", samples::new_entity("meetings")),
            (
                Who::Ukraine,
                Method::POST,
                "/api/v1/meetings",
                json!({ "track": "us-russia", "status": "planned" }),
            ),
            (Who::Ukraine, Method::POST, "/api/v1/parties", samples::new_entity("parties")),
            (Who::Ukraine, Method::POST, "/api/v1/issues", samples::new_entity("issues")),
            (Who::Ukraine, Method::POST, "/api/v1/tracks", samples::new_entity("tracks")),
            (Who::Observer, Method::POST, "/api/v1/sources", samples::new_entity("sources")),
        ];
        for (who, method, path, body) in forbidden {
            let answer = server.call_as(who, method.clone(), path, Some(&body)).await;
            assert_eq!(
                answer.status,
                StatusCode::FORBIDDEN,
                "{who:?} {method} {path}: {}",
                answer.text
            );
        }
        // Changes: Ukraine's own claim, not Russia's, and not handed over to Russia.
        let mut own =
            server.get("/api/v1/claims/pokrovsk-still-contested", &server.ukraine).await.json();
        own["status"] = json!("confirmed");
        let path = "/api/v1/claims/pokrovsk-still-contested";
        let answer = server.call_as(Who::Ukraine, Method::PUT, path, Some(&own)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        own["claimant"] = json!("russia");
        let answer = server.call_as(Who::Ukraine, Method::PUT, path, Some(&own)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text);
        let theirs = server.get("/api/v1/claims/pokrovsk-captured", &server.ukraine).await.json();
        let answer = server
            .call_as(Who::Ukraine, Method::PUT, "/api/v1/claims/pokrovsk-captured", Some(&theirs))
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text);
        // Sources: new ones only.
        let id = server.create(Who::Russia, "sources", &samples::new_entity("sources")).await;
        let source = server.get(&format!("/api/v1/sources/{id}"), &server.russia).await.json();
        let answer = server
            .call_as(Who::Russia, Method::PUT, &format!("/api/v1/sources/{id}"), Some(&source))
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text);
        // Meetings of its own tracks; removals are the mediator's.
        let id = server.create(Who::Ukraine, "meetings", &samples::new_entity("meetings")).await;
        let answer = server
            .call_as(Who::Ukraine, Method::DELETE, &format!("/api/v1/meetings/{id}"), None)
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text);
        let answer = server
            .call_as(Who::Russia, Method::DELETE, &format!("/api/v1/meetings/{id}"), None)
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text);
        let draft = server.create(Who::Ukraine, "drafts", &samples::new_entity("drafts")).await;
        let mut body = server.get(&format!("/api/v1/drafts/{draft}"), &server.ukraine).await.json();
        body["author"] = json!("us");
        let answer = server
            .call_as(Who::Ukraine, Method::PUT, &format!("/api/v1/drafts/{draft}"), Some(&body))
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text);
    }
}

#[tokio::test]
async fn a_refused_change_names_every_field_at_fault() {
    for server in TestServer::all().await {
        let cases = [
            (
                "claims",
                json!({ "claimant": "ukraine", "statement": "S", "status": "maybe" }),
                "status",
            ),
            (
                "claims",
                json!({ "claimant": "nobody", "statement": "S", "status": "unverified" }),
                "claimant",
            ),
            (
                "drafts",
                json!({ "title": "T", "status": "proposed", "parents": ["no-such-draft"] }),
                "parents[0]",
            ),
            (
                "positions",
                json!({ "party": "ukraine", "issue": "nato", "stances": { "keep": 1.5 } }),
                "stances.keep",
            ),
            (
                "meetings",
                json!({ "track": "us-ukraine", "status": "held", "colour": "red" }),
                "colour",
            ),
            ("issues", json!({ "title": "T", "category": "other", "options": [] }), "options"),
        ];
        for (collection, body, field) in cases {
            let answer = server
                .call_as(Who::Mediator, Method::POST, &format!("/api/v1/{collection}"), Some(&body))
                .await;
            assert_eq!(
                answer.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{collection}: {}",
                answer.text
            );
            let error = &answer.json()["error"];
            assert_eq!(error["status"], 422);
            assert_eq!(error["field"], field, "{collection}: {}", answer.text);
            let problems = error["problems"].as_array().unwrap();
            assert!(problems.iter().any(|problem| problem["field"] == field), "{}", answer.text);
            assert!(problems.iter().all(|problem| problem["kind"].is_string()));
        }
        // Every problem at once.
        let body = json!({
            "claimant": "nobody", "statement": "S", "status": "contested", "disputes": "no-such-claim",
        });
        let answer =
            server.call_as(Who::Mediator, Method::POST, "/api/v1/claims", Some(&body)).await;
        let error = &answer.json()["error"];
        let fields: Vec<&str> = error["problems"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|problem| problem["field"].as_str())
            .collect();
        assert_eq!(fields, ["claimant", "disputes"], "{}", answer.text);
        assert!(error["message"].as_str().unwrap().contains("more problem"), "{}", answer.text);
        // Nulls and bodies that are no entity are refused before reading.
        let body = json!({ "claimant": "ukraine", "statement": null, "status": "unverified" });
        let answer =
            server.call_as(Who::Mediator, Method::POST, "/api/v1/claims", Some(&body)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text);
        assert_eq!(answer.json()["error"]["field"], "statement");
        let answer =
            server.call_as(Who::Mediator, Method::POST, "/api/v1/claims", Some(&json!([1]))).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text);
        assert_eq!(answer.json()["error"].get("field"), None, "{}", answer.text);
        // Nothing was written.
        let claims = server.get("/api/v1/claims", &server.mediator).await.text;
        assert!(!claims.contains("\"S\""), "{claims}");
        // A removal that would break references is refused.
        let answer =
            server.call_as(Who::Mediator, Method::DELETE, "/api/v1/parties/ukraine", None).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text);
        assert_eq!(
            server.get("/api/v1/parties/ukraine", &server.mediator).await.status,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn bodies_must_be_json() {
    for server in TestServer::all().await {
        let send = |body: &'static str, content_type: Option<&'static str>| {
            let mut request =
                TestServer::request(Method::POST, "/api/v1/claims", Some(&server.mediator), None);
            *request.body_mut() = axum::body::Body::from(body);
            if let Some(content_type) = content_type {
                request.headers_mut().insert("content-type", content_type.parse().unwrap());
            }
            server.send(request)
        };
        let answer =
            send("{\n  \"claimant\": \"ukraine\",\n  \"statement\": }", Some("application/json"))
                .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text);
        let message = answer.message();
        assert!(message.contains("line 3 column"), "{message}");
        assert!(message.starts_with("the body is not valid JSON"), "{message}");
        assert_eq!(answer.json()["error"].get("field"), None, "no one field is at fault");
        for content_type in [None, Some("text/plain"), Some("application/x-www-form-urlencoded")] {
            let answer = send("{}", content_type).await;
            assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type:?}");
            assert!(answer.message().contains("application/json"), "{}", answer.text);
        }
        let answer = send(
            "{\"claimant\": \"ukraine\", \"statement\": \"S\", \"status\": \"unverified\"}",
            Some("application/json; charset=utf-8"),
        )
        .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    }
}

#[tokio::test]
async fn as_of_gives_the_record_as_it_stood() {
    for server in TestServer::all().await {
        let seeded = server.get("/api/v1/events?limit=1", &server.mediator).await.json();
        let seeded_at = seeded["items"][0]["recorded_at"].as_str().unwrap().to_owned();
        let id = server.create(Who::Ukraine, "claims", &samples::new_entity("claims")).await;
        for who in [Who::Mediator, Who::Ukraine, Who::Observer] {
            let token = server.token(who).unwrap();
            let then = server.get(&format!("/api/v1/claims?as_of={seeded_at}"), token).await;
            assert_eq!(then.status, StatusCode::OK, "{}", then.text);
            assert!(!then.text.contains(&id), "{who:?}: {}", then.text);
            let now = server.get("/api/v1/claims", token).await;
            assert!(now.text.contains(&id), "{who:?}");
            assert_ne!(then.header("etag"), now.header("etag"));
            let one = server.get(&format!("/api/v1/claims/{id}?as_of={seeded_at}"), token).await;
            assert_eq!(one.status, StatusCode::NOT_FOUND, "{who:?}");
            let later = server.get(&format!("/api/v1/claims/{id}?as_of=2999-01-01"), token).await;
            assert_eq!(later.status, StatusCode::OK, "{who:?}");
        }
        let before_any = server.get("/api/v1/record?as_of=2000-01-01", &server.mediator).await;
        assert_eq!(before_any.status, StatusCode::NOT_FOUND, "{}", before_any.text);
        assert_eq!(before_any.json()["error"]["field"], "as_of");
        let bad = server.get("/api/v1/analysis?as_of=2025-13-01", &server.russia).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text);
        assert!(bad.message().contains("'2025-13-01'"), "{}", bad.text);
    }
}

#[tokio::test]
async fn etags_hold_until_what_the_caller_sees_changes() {
    for server in TestServer::all().await {
        let conditional = |path: &'static str, token: String, etag: String| {
            let mut request = TestServer::request(Method::GET, path, Some(&token), None);
            request.headers_mut().insert("if-none-match", etag.parse().unwrap());
            server.send(request)
        };
        let russia = server.get("/api/v1/claims", &server.russia).await;
        let russia_etag = russia.header("etag").unwrap().to_owned();
        let mediator = server.get("/api/v1/claims", &server.mediator).await;
        let mediator_etag = mediator.header("etag").unwrap().to_owned();
        assert_ne!(russia_etag, mediator_etag, "the views differ");
        let version = mediator.header("x-parley-log-version").unwrap().parse::<u64>().unwrap();
        let answer =
            conditional("/api/v1/claims", server.russia.clone(), russia_etag.clone()).await;
        assert_eq!(answer.status, StatusCode::NOT_MODIFIED);
        assert_eq!(answer.text, "");
        assert_eq!(answer.header("etag"), Some(russia_etag.as_str()));
        let listed = format!("\"other\", {russia_etag}");
        let answer = conditional("/api/v1/claims", server.russia.clone(), listed).await;
        assert_eq!(answer.status, StatusCode::NOT_MODIFIED);
        // Another collection's tag is not this one's.
        let answer =
            conditional("/api/v1/drafts", server.russia.clone(), russia_etag.clone()).await;
        assert_eq!(answer.status, StatusCode::OK);

        // A private claim of Ukraine changes the mediator's view only.
        let mut private = samples::new_entity("claims");
        private["visibility"] = json!("private");
        server.create(Who::Ukraine, "claims", &private).await;
        let answer =
            conditional("/api/v1/claims", server.russia.clone(), russia_etag.clone()).await;
        assert_eq!(answer.status, StatusCode::NOT_MODIFIED, "{}", answer.text);
        let answer =
            conditional("/api/v1/claims", server.mediator.clone(), mediator_etag.clone()).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_ne!(answer.header("etag"), Some(mediator_etag.as_str()));
        let next = answer.header("x-parley-log-version").unwrap().parse::<u64>().unwrap();
        assert_eq!(next, version + 1);

        // A public claim changes everyone's.
        server.create(Who::Ukraine, "claims", &samples::new_entity("claims")).await;
        let answer =
            conditional("/api/v1/claims", server.russia.clone(), russia_etag.clone()).await;
        assert_eq!(answer.status, StatusCode::OK);
        let new_etag = answer.header("etag").unwrap().to_owned();
        assert_ne!(new_etag, russia_etag);
        assert_eq!(
            conditional("/api/v1/claims", server.russia.clone(), new_etag).await.status,
            StatusCode::NOT_MODIFIED
        );
    }
}

#[tokio::test]
async fn the_diff_of_two_drafts_shows_their_points_side_by_side() {
    for server in TestServer::all().await {
        let first = json!({
            "id": "first", "title": "First", "status": "superseded",
            "points": [
                { "id": "p1", "text": "one", "issue": "donbas", "option": "cede-all" },
                { "id": "p2", "text": "two" },
                { "id": "p3", "text": "three" },
            ],
        });
        let second = json!({
            "id": "second", "title": "Second", "status": "under-discussion", "parents": ["first"],
            "points": [
                { "id": "q1", "text": "one", "issue": "donbas", "option": "compromise" },
                { "id": "p2", "text": "two" },
                { "id": "q4", "text": "four" },
            ],
            "lineage": [
                { "parent": "first", "points": ["p1"], "fate": "amended", "into": "q1" },
                { "parent": "first", "points": ["p3"], "fate": "dropped" },
                { "parent": "first", "points": ["p2"], "fate": "kept", "into": "p2" },
            ],
        });
        server.create(Who::Mediator, "drafts", &first).await;
        server.create(Who::Mediator, "drafts", &second).await;
        let answer = server.get("/api/v1/drafts/first/diff/second", &server.observer).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        let diff = answer.json();
        assert_eq!(diff["from"]["id"], "first");
        assert_eq!(diff["to"]["id"], "second");
        let fields: Vec<&str> = diff["fields"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|field| field["field"].as_str())
            .collect();
        assert_eq!(fields, ["title", "status", "parents"]);
        let points: Vec<(String, String)> = diff["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| {
                (
                    pair["status"].as_str().unwrap().to_owned(),
                    pair["fate"].as_str().unwrap_or("-").to_owned(),
                )
            })
            .collect();
        let points: Vec<(&str, &str)> =
            points.iter().map(|(status, fate)| (status.as_str(), fate.as_str())).collect();
        assert_eq!(
            points,
            [("changed", "amended"), ("same", "kept"), ("removed", "dropped"), ("added", "-")]
        );
        assert_eq!(diff["points"][0]["to"]["option"], "compromise");
        // A diff has its ETag, and a missing draft is named.
        let etag = answer.header("etag").unwrap().to_owned();
        let mut request = TestServer::request(
            Method::GET,
            "/api/v1/drafts/first/diff/second",
            Some(&server.observer),
            None,
        );
        request.headers_mut().insert("if-none-match", etag.parse().unwrap());
        assert_eq!(server.send(request).await.status, StatusCode::NOT_MODIFIED);
        let answer = server.get("/api/v1/drafts/first/diff/nope", &server.observer).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND);
        assert_eq!(answer.message(), "no draft 'nope'");
    }
}

#[tokio::test]
async fn a_bad_query_or_method_is_answered_in_json() {
    let server = TestServer::sqlite().await;
    for (path, field) in [
        ("/api/v1/events?after=x", "after"),
        ("/api/v1/events?limit=-1", "limit"),
        ("/api/v1/events?limit=0", "limit"),
        ("/api/v1/events?limit=1001", "limit"),
        ("/api/v1/issues/%20a", "id"),
        ("/api/v1/claims?as_of=2025-12-01&as_of=2025-12-02", "as_of"),
        ("/api/v1/analysis?as_of=yesterday", "as_of"),
    ] {
        let answer = server.get(path, &server.mediator).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{path}: {}", answer.text);
        assert_eq!(answer.json()["error"]["field"], field, "{path}: {}", answer.text);
        assert!(answer.message().contains(field), "{path}: {}", answer.text);
    }
    for (method, path, allowed) in [
        (Method::PATCH, "/api/v1/claims/pokrovsk-captured", "GET,HEAD,PUT,DELETE"),
        (Method::POST, "/api/v1/record", "GET,HEAD"),
        (Method::DELETE, "/api/v1/positions", "GET,HEAD,POST"),
    ] {
        let answer = server.call_as(Who::Mediator, method.clone(), path, None).await;
        assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert_eq!(answer.header("allow"), Some(allowed), "{method} {path}");
        assert_eq!(answer.json()["error"]["status"], 405, "{method} {path}");
        assert!(answer.message().contains(&format!("{method} {path}")), "{}", answer.text);
    }
}

#[tokio::test]
async fn a_blank_time_is_now_and_limits_and_ids_are_told_plainly() {
    let server = TestServer::sqlite().await;
    let now = server.get("/api/v1/claims", &server.observer).await;
    let blank = server.get("/api/v1/claims?as_of=", &server.observer).await;
    assert_eq!(blank.status, StatusCode::OK, "{}", blank.text);
    assert_eq!(blank.json(), now.json());
    for blank in ["%20", "%C2%85", "%09"] {
        let answer = server.get(&format!("/api/v1/claims?as_of={blank}"), &server.observer).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{blank}: {}", answer.text);
    }
    let answer = server.get("/api/v1/events?limit=1001", &server.mediator).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text);
    assert_eq!(answer.message(), "limit 1001 is out of range: expected 1 to 1000");
    let answer = server.get("/api/v1/issues/%20a", &server.mediator).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text);
    assert!(answer.message().starts_with("not an issue id: "), "{}", answer.text);
}
