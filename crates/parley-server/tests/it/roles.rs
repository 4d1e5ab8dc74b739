//! Every role against every operation of the OpenAPI document and every page: the status
//! each gets, and that the document lists it. The operations come from the document the
//! server serves, so a new endpoint is checked as soon as it is described.

use axum::http::{Method, StatusCode};
use serde_json::Value;

use crate::harness::{Answer, TestServer, Who};
use crate::samples::{self, PUBLIC_UKRAINE_DRAFT};

/// One operation of the OpenAPI document.
pub(crate) struct Operation {
    pub(crate) method: Method,
    /// The path as the document writes it, with `{id}`, `{from}`, `{to}`.
    pub(crate) path: String,
    /// The statuses the document lists for it.
    pub(crate) documented: Vec<String>,
}

/// Every operation the server's own document describes.
pub(crate) async fn operations(server: &TestServer) -> Vec<Operation> {
    let answer = server.call(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    let document = answer.json();
    let paths = document["paths"].as_object().expect("paths");
    let mut res = Vec::new();
    for (path, item) in paths {
        for (name, operation) in item.as_object().expect("a path item") {
            let method = match name.as_str() {
                "get" => Method::GET,
                "post" => Method::POST,
                "put" => Method::PUT,
                "delete" => Method::DELETE,
                "patch" => Method::PATCH,
                other => panic!("{path}: unexpected key '{other}'"),
            };
            let documented = operation["responses"]
                .as_object()
                .unwrap_or_else(|| panic!("{name} {path} lists no responses"))
                .keys()
                .cloned()
                .collect();
            res.push(Operation { method, path: path.clone(), documented });
        }
    }
    assert!(res.len() >= 40, "the document describes only {} operations", res.len());
    res
}

/// The operation's path with its parameters filled in: public entities that every role sees.
pub(crate) fn public_path(template: &str) -> String {
    let collection = samples::collection_of(template);
    let mut path = template.to_owned();
    if path.contains("{id}") {
        path = path.replace("{id}", samples::public_id(collection));
    }
    path = path.replace("{from}", "us-plan-early").replace("{to}", PUBLIC_UKRAINE_DRAFT);
    assert!(!path.contains('{'), "the tests do not know how to fill in {template}");
    path
}

/// Records what the matrix reads and changes: a public draft by Ukraine.
pub(crate) async fn prepare(server: &TestServer) {
    server.create(Who::Mediator, "drafts", &samples::public_ukraine_draft()).await;
}

/// The status a role should get for an operation on a public entity.
fn expected(who: Who, method: &Method, template: &str) -> StatusCode {
    if !who.is_signed_in() {
        return StatusCode::UNAUTHORIZED;
    }
    let collection = samples::collection_of(template);
    let own = matches!(collection, "positions" | "claims" | "drafts" | "meetings");
    match *method {
        Method::GET if template == "/api/v1/events" && who != Who::Mediator => {
            StatusCode::FORBIDDEN
        }
        Method::GET => StatusCode::OK,
        Method::POST => match who {
            Who::Mediator => StatusCode::CREATED,
            Who::Ukraine if own || collection == "sources" => StatusCode::CREATED,
            Who::Russia if collection == "sources" => StatusCode::CREATED,
            _ => StatusCode::FORBIDDEN,
        },
        Method::PUT => match who {
            Who::Mediator => StatusCode::OK,
            Who::Ukraine if own => StatusCode::OK,
            _ => StatusCode::FORBIDDEN,
        },
        Method::DELETE if who == Who::Mediator => StatusCode::OK,
        Method::DELETE => StatusCode::FORBIDDEN,
        _ => panic!("the tests expect nothing of {method} {template}"),
    }
}

/// What an operation's answer must be like beyond its status.
fn check_answer(who: Who, operation: &Operation, answer: &Answer, problems: &mut Vec<String>) {
    let what = format!("{who:?} {} {}", operation.method, operation.path);
    let status = answer.status;
    if !operation.documented.iter().any(|listed| listed == status.as_str()) {
        problems.push(format!(
            "{what}: {status} is not among the documented {:?}",
            operation.documented
        ));
    }
    let content_type = answer.header("content-type").unwrap_or_default();
    if status.is_client_error() {
        let error = serde_json::from_str::<Value>(&answer.text).unwrap_or_default();
        if error["error"]["status"] != status.as_u16() || !error["error"]["message"].is_string() {
            problems
                .push(format!("{what}: the error is not JSON with its status: {}", answer.text));
        }
        let message = error["error"]["message"].as_str().unwrap_or_default();
        let hint = match who {
            Who::Anonymous => "sign in",
            Who::Revoked => "revoked",
            _ => "",
        };
        if !message.contains(hint) {
            problems.push(format!("{what}: the message should say '{hint}': {message}"));
        }
    } else if operation.path == "/api/v1/live" {
        if !content_type.starts_with("text/event-stream")
            || !answer.text.starts_with("event: ready")
        {
            problems.push(format!("{what}: not an event stream that starts with ready"));
        }
    } else if !content_type.starts_with("application/json") {
        problems.push(format!("{what}: content type '{content_type}'"));
    }
    let log_version = answer.header("x-parley-log-version").is_some();
    if log_version && who != Who::Mediator {
        problems.push(format!("{what}: only mediators are told the log's version"));
    }
}

#[tokio::test]
async fn every_role_gets_the_right_status_from_every_operation() {
    for server in TestServer::all().await {
        prepare(&server).await;
        let operations = operations(&server).await;
        let mut problems = Vec::new();
        let mut n_checked = 0;
        for operation in &operations {
            let collection = samples::collection_of(&operation.path);
            for who in Who::ALL {
                let (path, body) = match operation.method {
                    Method::POST => (operation.path.clone(), Some(samples::new_entity(collection))),
                    Method::PUT => {
                        let path = public_path(&operation.path);
                        (path.clone(), Some(server.get(&path, &server.mediator).await.json()))
                    }
                    Method::DELETE => {
                        // Each removal takes a record made for it.
                        let id = server
                            .create(Who::Mediator, collection, &samples::new_entity(collection))
                            .await;
                        (operation.path.replace("{id}", &id), None)
                    }
                    _ => (public_path(&operation.path), None),
                };
                let answer =
                    server.call_as(who, operation.method.clone(), &path, body.as_ref()).await;
                let want = expected(who, &operation.method, &operation.path);
                if answer.status != want {
                    problems.push(format!(
                        "{who:?} {} {path}: {} instead of {want}: {}",
                        operation.method, answer.status, answer.text
                    ));
                }
                check_answer(who, operation, &answer, &mut problems);
                n_checked += 1;
            }
        }
        assert_eq!(n_checked, operations.len() * Who::ALL.len());
        // And on ids that name nothing: 404 to every signed-in role, but a mediator's PUT
        // records a new entity under that id.
        for operation in operations.iter().filter(|operation| operation.path.contains("{id}")) {
            let collection = samples::collection_of(&operation.path);
            for who in Who::ALL {
                let path = operation.path.replace("{id}", &format!("missing-{n_checked}"));
                n_checked += 1;
                let body =
                    (operation.method == Method::PUT).then(|| samples::new_entity(collection));
                let answer =
                    server.call_as(who, operation.method.clone(), &path, body.as_ref()).await;
                let want = match (who, &operation.method) {
                    _ if !who.is_signed_in() => StatusCode::UNAUTHORIZED,
                    (Who::Mediator, &Method::PUT) => StatusCode::CREATED,
                    _ => StatusCode::NOT_FOUND,
                };
                if answer.status != want {
                    problems.push(format!(
                        "{who:?} {} {path}: {} instead of {want}: {}",
                        operation.method, answer.status, answer.text
                    ));
                }
                check_answer(who, operation, &answer, &mut problems);
            }
        }
        assert!(problems.is_empty(), "{}: {}", server.backend, problems.join("\n"));
    }
}

/// The pages; another branch builds those past the overview.
pub(crate) const PAGES: [&str; 6] =
    ["/", "/timeline", "/drafts", "/stances", "/analysis", "/claims"];

/// Whether the server has the page: one that is not yet built answers the fallback's 404.
pub(crate) async fn has_page(server: &TestServer, path: &str) -> bool {
    let answer = server.get(path, &server.mediator).await;
    let built = !(answer.status == StatusCode::NOT_FOUND && answer.text.contains("nothing at"));
    if !built {
        #[allow(clippy::print_stderr, reason = "a test says what it could not check")]
        {
            eprintln!("note: the page {path} is not built yet; it was not checked");
        }
    }
    built
}

#[tokio::test]
async fn pages_send_strangers_to_sign_in_and_show_users_their_view() {
    for server in TestServer::all().await {
        assert!(has_page(&server, "/").await, "the overview is a page");
        for page in PAGES {
            if !has_page(&server, page).await {
                continue;
            }
            for who in Who::ALL {
                let answer = server.call_as(who, Method::GET, page, None).await;
                if who.is_signed_in() {
                    assert_eq!(answer.status, StatusCode::OK, "{who:?} {page}: {}", answer.text);
                    let content_type = answer.header("content-type").unwrap_or_default();
                    assert!(
                        content_type.starts_with("text/html"),
                        "{who:?} {page}: {content_type}"
                    );
                } else {
                    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{who:?} {page}");
                    let location = answer.header("location").unwrap_or_default();
                    assert_eq!(location, format!("/sign-in?next={page}"), "{who:?} {page}");
                }
            }
        }
        let sign_in = server.call(Method::GET, "/sign-in", None, None).await;
        assert_eq!(sign_in.status, StatusCode::OK);
        assert!(sign_in.text.contains("name=\"token\""), "{}", sign_in.text);
    }
}

#[tokio::test]
async fn the_document_describes_every_collection_and_resolves_its_references() {
    let server = TestServer::sqlite().await;
    let answer = server.call(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.header("content-type").unwrap_or_default().starts_with("application/json"));
    let document = answer.json();
    assert!(document["openapi"].as_str().unwrap_or_default().starts_with("3."), "{document}");
    assert!(document["info"]["title"].is_string() && document["info"]["version"].is_string());
    let paths = document["paths"].as_object().unwrap();
    for collection in samples::COLLECTIONS {
        let list = &paths[&format!("/api/v1/{collection}")];
        assert!(list["get"].is_object() && list["post"].is_object(), "{collection}");
        if collection != "positions" {
            let one = &paths[&format!("/api/v1/{collection}/{{id}}")];
            for method in ["get", "put", "delete"] {
                assert!(one[method].is_object(), "{method} {collection}/{{id}}");
            }
        }
    }
    for path in ["me", "record", "analysis", "stance-matrix", "timeline", "events", "live"] {
        assert!(paths[&format!("/api/v1/{path}")]["get"].is_object(), "{path}");
    }
    // Keywords, ids and dates are stated as the reader takes them.
    let issue =
        &paths["/api/v1/issues"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    let categories = issue["properties"]["category"]["enum"].as_array().unwrap();
    assert!(categories.iter().any(|category| category == "territory"), "{issue}");
    assert!(issue["properties"]["id"]["pattern"].as_str().unwrap().starts_with('^'), "{issue}");
    let document_text = document.to_string();
    assert!(
        document_text.contains(r#""enum":["stated","reported","inferred","assumed"]"#),
        "basis"
    );
    assert!(document_text.contains(r#""enum":["public","private"]"#), "visibility");
    assert!(document_text.contains(r#""enum":["required","none"]"#), "consent");
    assert!(document_text.contains(r#""enum":["rest"]"#), "lineage points");
    assert!(document_text.contains(r#""pattern":"^[0-9]{4}(-(0[1-9]|1[0-2])"#), "dates");
    // The event log's `after` is as large as the server reads it, no larger.
    let after = &paths["/api/v1/events"]["get"]["parameters"][0];
    assert_eq!(after["name"], "after");
    assert_eq!(after["schema"]["maximum"], u64::MAX, "{after}");
    // Each write's body is described: the fields it must have, and no others. A new record
    // may leave its id to the server; a change takes it from the URL.
    for (collection, required) in
        [("issues", "title"), ("claims", "statement"), ("drafts", "title")]
    {
        let body = |path: &str, method: &str| {
            let schema =
                &paths[path][method]["requestBody"]["content"]["application/json"]["schema"];
            let required: Vec<String> = schema["required"]
                .as_array()
                .unwrap_or_else(|| panic!("{method} {path}: {schema}"))
                .iter()
                .map(|field| field.as_str().unwrap().to_owned())
                .collect();
            assert_eq!(schema["additionalProperties"], false, "{method} {path}: {schema}");
            assert!(schema["properties"][&required[0]].is_object(), "{method} {path}");
            required
        };
        let new = body(&format!("/api/v1/{collection}"), "post");
        let changed = body(&format!("/api/v1/{collection}/{{id}}"), "put");
        assert!(new.iter().any(|field| field == required), "{collection}: {new:?}");
        assert!(!new.iter().any(|field| field == "id"), "{collection}: {new:?}");
        assert!(!changed.iter().any(|field| field == "id"), "{collection}: {changed:?}");
    }
    // Every reference names a component that exists, and every path parameter is declared.
    let mut references = Vec::new();
    collect_references(&document, &mut references);
    assert!(!references.is_empty());
    for reference in references {
        let pointer = reference.strip_prefix('#').unwrap_or_else(|| panic!("{reference}"));
        assert!(document.pointer(pointer).is_some(), "{reference} resolves to nothing");
    }
    for (path, item) in paths {
        assert!(path.starts_with("/api/v1/"), "{path}");
        for (method, operation) in item.as_object().unwrap() {
            assert!(operation["summary"].is_string(), "{method} {path}");
            let declared: Vec<&str> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|parameter| parameter["name"].as_str())
                .collect();
            for name in path.split('{').skip(1).filter_map(|rest| rest.split_once('}')) {
                assert!(declared.contains(&name.0), "{method} {path} does not declare {}", name.0);
            }
        }
    }
    // Every described path answers (no fallback 404), and undescribed ones do not.
    for path in paths.keys() {
        let answer = server.get(&public_path(path), &server.mediator).await;
        assert!(!answer.text.contains("nothing at"), "{path}: {}", answer.text);
    }
    let answer = server.get("/api/v1/no-such-thing", &server.mediator).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert!(answer.message().contains("/api/openapi.json"), "{}", answer.text);
}

fn collect_references(value: &Value, references: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match (key.as_str(), item) {
                    ("$ref", Value::String(reference)) => references.push(reference.clone()),
                    _ => collect_references(item, references),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_references(item, references)),
        _ => {}
    }
}
