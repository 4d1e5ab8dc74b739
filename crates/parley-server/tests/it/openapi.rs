//! The OpenAPI document: a valid OpenAPI 3.1 document (as the oas3 crate parses it) in which
//! every request and response body has a schema and every reference resolves; and every answer
//! of the server validates against the schema the document gives for it. The document is
//! checked in as docs/schema/openapi.json, for tools that read it without a server;
//! `UPDATE_SCHEMAS=1 cargo test -p parley-server --test it openapi` rewrites it.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::{TestServer, Who};
use crate::samples;

#[tokio::test]
async fn the_checked_in_document_is_the_served_one() {
    let server = TestServer::sqlite().await;
    let served = document(&server).await;
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema/openapi.json");
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    // Compared as JSON values: the order of an object's keys depends on the build's features
    // (serde_json's `preserve_order`), not on the document.
    let same =
        serde_json::from_str::<Value>(&checked_in).is_ok_and(|checked_in| checked_in == served);
    if !same && std::env::var_os("UPDATE_SCHEMAS").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&sorted(&served)).unwrap() + "\n")
            .unwrap();
        return;
    }
    assert!(
        same,
        "{} differs from the served document; regenerate it with \
         `UPDATE_SCHEMAS=1 cargo test -p parley-server --test it openapi`",
        path.display()
    );
}

/// The value with every object's keys in order, so that the file does not depend on the
/// build's features.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(fields) => {
            let mut keys: Vec<&String> = fields.keys().collect();
            keys.sort();
            Value::Object(keys.into_iter().map(|key| (key.clone(), sorted(&fields[key]))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

async fn document(server: &TestServer) -> Value {
    let answer = server.call(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.json()
}

fn references<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
    match value {
        Value::Object(fields) => {
            if let Some(Value::String(target)) = fields.get("$ref") {
                found.push(target);
            }
            fields.values().for_each(|value| references(value, found));
        }
        Value::Array(items) => items.iter().for_each(|value| references(value, found)),
        _ => {}
    }
}

/// Whether a body's schema says what the body is: a reference to a component, or an object
/// with its properties named (not the bare `{"type": "object"}` that no client can use).
fn is_typed(schema: &Value) -> bool {
    schema.get("$ref").is_some()
        || schema.get("properties").is_some_and(|properties| {
            properties.as_object().is_some_and(|properties| !properties.is_empty())
        })
}

#[tokio::test]
async fn the_document_is_openapi_3_1_with_every_body_typed() {
    let server = TestServer::sqlite().await;
    let document = document(&server).await;
    let spec = oas3::from_json(document.to_string()).expect("a valid OpenAPI 3.1 document");
    assert!(spec.openapi.starts_with("3.1"), "{}", spec.openapi);
    let mut targets = Vec::new();
    references(&document, &mut targets);
    assert!(targets.len() > 20, "{targets:?}");
    for target in targets {
        let pointer = target.strip_prefix('#').unwrap_or_else(|| panic!("{target} is not local"));
        assert!(document.pointer(pointer).is_some(), "{target} does not resolve");
    }
    let mut bodies = 0;
    let mut operation_ids = std::collections::HashSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap_or_default().to_owned();
            assert!(!id.is_empty() && operation_ids.insert(id), "{method} {path}: operationId");
            if let Some(body) = operation.get("requestBody") {
                let schema = &body["content"]["application/json"]["schema"];
                assert!(is_typed(schema), "{method} {path}: request {schema}");
                bodies += 1;
            }
            for (status, response) in operation["responses"].as_object().unwrap() {
                let response = match response.get("$ref").and_then(Value::as_str) {
                    Some(target) => document.pointer(&target[1..]).unwrap(),
                    None => response,
                };
                let has_body = matches!(status.as_str(), "200" | "201") && method != "delete";
                let Some(content) = response.get("content") else {
                    assert!(!has_body, "{method} {path} {status} has no body");
                    continue;
                };
                for (media, content) in content.as_object().unwrap() {
                    let schema = &content["schema"];
                    assert!(is_typed(schema), "{method} {path} {status} {media}: {schema}");
                    bodies += 1;
                }
            }
        }
    }
    assert!(bodies > 50, "{bodies} bodies");
}

/// Checks a body against the schema of a response of the document.
fn assert_documented(document: &Value, path: &str, method: &str, status: &str, body: &Value) {
    let schema = &document["paths"][path][method]["responses"][status]["content"]["application/json"]
        ["schema"];
    assert!(!schema.is_null(), "{method} {path} documents no {status} body");
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": document["components"],
        "allOf": [schema],
    });
    let validator = jsonschema::draft202012::new(&root).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(body)
        .take(10)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect();
    assert_eq!(errors, Vec::<String>::new(), "{method} {path} {status}");
}

#[tokio::test]
async fn every_answer_validates_against_the_documented_schema() {
    let server = TestServer::sqlite().await;
    let document = document(&server).await;
    for path in ["me", "record", "analysis", "stance-matrix", "timeline", "events"] {
        let path = format!("/api/v1/{path}");
        let answer = server.get(&path, &server.mediator).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.text);
        assert_documented(&document, &path, "get", "200", &answer.json());
    }
    // A delegate's `me` names its party.
    let me = server.get("/api/v1/me", &server.ukraine).await.json();
    assert_eq!(me["party"], "ukraine", "{me}");
    assert_documented(&document, "/api/v1/me", "get", "200", &me);
    let mut records = 0;
    for collection in samples::COLLECTIONS {
        let list_path = format!("/api/v1/{collection}");
        let list = server.get(&list_path, &server.mediator).await;
        assert_eq!(list.status, StatusCode::OK, "{list_path}: {}", list.text);
        let list = list.json();
        assert_documented(&document, &list_path, "get", "200", &list);
        if let Some(id) = list["items"][0]["id"].as_str() {
            let one = format!("{list_path}/{id}");
            let answer = server.get(&one, &server.mediator).await;
            assert_eq!(answer.status, StatusCode::OK, "{one}: {}", answer.text);
            assert_documented(
                &document,
                &format!("{list_path}/{{id}}"),
                "get",
                "200",
                &answer.json(),
            );
            records += 1;
        }
        let created = server
            .call_as(
                Who::Mediator,
                Method::POST,
                &list_path,
                Some(&samples::new_entity(collection)),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "POST {list_path}: {}", created.text);
        assert_documented(&document, &list_path, "post", "201", &created.json());
    }
    assert!(records >= 6, "only {records} collections had a record to read");
    let drafts = server.get("/api/v1/drafts", &server.mediator).await.json();
    let ids: Vec<&str> = drafts["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|draft| draft["id"].as_str())
        .collect();
    let diff = format!("/api/v1/drafts/{}/diff/{}", ids[0], ids[1]);
    let answer = server.get(&diff, &server.mediator).await;
    assert_eq!(answer.status, StatusCode::OK, "{diff}: {}", answer.text);
    assert_documented(&document, "/api/v1/drafts/{from}/diff/{to}", "get", "200", &answer.json());
}
