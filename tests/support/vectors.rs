//! The conformance vectors' harness, shared by the run-time front end
//! (`tests/conformance.rs`) and the program that it generates for the attribute
//! front end: the test handler, the requests, and the checks of each `expect`
//! field (see `tests/conformance/README.md`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use serde_json::Value;
use static_cors::Policy;
use tower::ServiceExt;

const VECTORS: &str = include_str!("../conformance/vectors.json");

/// The `expect` fields that `check` knows; any other fails the case, so that
/// no check of a new vector file goes silently unmade.
const EXPECT_FIELDS: [&str; 11] = [
    "status",
    "handler_called",
    "headers",
    "absent",
    "vary_includes",
    "vary_excludes",
    "allows_method",
    "allows_headers",
    "exposes",
    "allow_lists",
    "body_empty",
];

/// Whether the handler ran, per router.
pub type Called = Arc<AtomicBool>;

/// The test handler of the vectors: `200 ok` with `x-request-id: 42`, and
/// `Vary: V` when the request carries `x-test-vary: V`.
pub async fn respond(State(called): State<Called>, headers: HeaderMap) -> Response {
    called.store(true, Ordering::SeqCst);
    let mut response = (StatusCode::OK, "ok").into_response();
    response
        .headers_mut()
        .insert("x-request-id", HeaderValue::from_static("42"));
    if let Some(vary) = headers.get("x-test-vary") {
        response.headers_mut().append("vary", vary.clone());
    }
    response
}

/// Builds a vector policy at run time from its neutral JSON form.
pub fn runtime_policy(spec: &Value) -> Policy {
    let list = |key: &str| -> Vec<String> {
        match spec.get(key) {
            None => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect(),
            Some(other) => panic!("`{key}` is {other}"),
        }
    };
    let flag = |key: &str| spec.get(key).and_then(Value::as_bool).unwrap_or(false);
    let mut builder = Policy::builder()
        .origins(list("origins"))
        .methods(list("methods"))
        .headers(list("headers"))
        .expose(list("expose"))
        .credentials(flag("credentials"))
        .private_network(flag("private_network"))
        .dangerous_insecure_origins(flag("dangerous_insecure_origins"))
        .dangerous_public_suffix_wildcards(flag("dangerous_public_suffix_wildcards"));
    if let Some(age) = spec.get("max_age").and_then(Value::as_u64) {
        builder = builder.max_age(age);
    }
    builder.build().unwrap_or_else(|e| panic!("{e}"))
}

pub fn vectors() -> Value {
    serde_json::from_str(VECTORS).expect("vectors.json is JSON")
}

fn request(case: &Value) -> Request<Body> {
    let spec = &case["request"];
    let mut builder = Request::builder()
        .method(spec["method"].as_str().unwrap())
        .uri("/items");
    for pair in spec["headers"].as_array().unwrap() {
        builder = builder.header(pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
    }
    builder.body(Body::empty()).unwrap()
}

fn list_of(headers: &HeaderMap, name: &str) -> Vec<String> {
    headers
        .get_all(name)
        .iter()
        .flat_map(|v| v.to_str().unwrap_or("").split(','))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Checks one response against a case's `expect`; returns every failure.
fn check(expect: &Value, response: &Response, body: &[u8], called: bool) -> Vec<String> {
    let mut failures = Vec::new();
    let mut fail = |what: String| failures.push(what);
    for key in expect.as_object().expect("`expect` is an object").keys() {
        if !EXPECT_FIELDS.contains(&key.as_str()) {
            fail(format!(
                "unknown `expect` field `{key}`: check it in tests/support/vectors.rs"
            ));
        }
    }
    let headers = response.headers();
    let credentials = headers.contains_key("access-control-allow-credentials");
    if let Some(status) = expect.get("status").and_then(Value::as_u64)
        && u64::from(response.status().as_u16()) != status
    {
        fail(format!("status {} instead of {status}", response.status()));
    }
    if let Some(want) = expect.get("handler_called").and_then(Value::as_bool)
        && want != called
    {
        fail(format!("handler called: {called}, expected {want}"));
    }
    for (name, value) in expect
        .get("headers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let lines: Vec<_> = headers.get_all(name.as_str()).iter().collect();
        if lines.len() != 1 || lines[0] != value.as_str().unwrap() {
            fail(format!("`{name}` is {lines:?}, expected exactly {value}"));
        }
    }
    for name in expect
        .get("absent")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = name.as_str().unwrap();
        if headers.contains_key(name) {
            fail(format!("`{name}` is present: {:?}", headers.get_all(name)));
        }
    }
    let vary: Vec<String> = list_of(headers, "vary")
        .into_iter()
        .map(|v| v.to_ascii_lowercase())
        .collect();
    for name in expect
        .get("vary_includes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if !vary.contains(&name.as_str().unwrap().to_owned()) {
            fail(format!("Vary {vary:?} lacks {name}"));
        }
    }
    for name in expect
        .get("vary_excludes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if vary.contains(&name.as_str().unwrap().to_owned()) {
            fail(format!("Vary {vary:?} has {name}"));
        }
    }
    if let Some(method) = expect.get("allows_method").and_then(Value::as_str) {
        let methods = list_of(headers, "access-control-allow-methods");
        let star = methods.iter().any(|m| m == "*") && !credentials;
        if !methods.iter().any(|m| m == method) && !star {
            fail(format!(
                "Access-Control-Allow-Methods {methods:?} does not allow {method}"
            ));
        }
    }
    let allowed = |list: &[String], name: &str, star_covers: bool| {
        list.iter().any(|h| h.eq_ignore_ascii_case(name))
            || (star_covers && !credentials && list.iter().any(|h| h == "*"))
    };
    for name in expect
        .get("allows_headers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = name.as_str().unwrap();
        let list = list_of(headers, "access-control-allow-headers");
        if !allowed(&list, name, !name.eq_ignore_ascii_case("authorization")) {
            fail(format!(
                "Access-Control-Allow-Headers {list:?} does not allow {name}"
            ));
        }
    }
    for name in expect
        .get("exposes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = name.as_str().unwrap();
        let list = list_of(headers, "access-control-expose-headers");
        if !allowed(&list, name, true) {
            fail(format!(
                "Access-Control-Expose-Headers {list:?} does not expose {name}"
            ));
        }
    }
    for method in expect
        .get("allow_lists")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let allow = list_of(headers, "allow");
        if !allow.iter().any(|m| m == method.as_str().unwrap()) {
            fail(format!("Allow {allow:?} does not list {method}"));
        }
    }
    if expect.get("body_empty").and_then(Value::as_bool) == Some(true) && !body.is_empty() {
        fail(format!("body is {:?}", String::from_utf8_lossy(body)));
    }
    failures
}

async fn run(case: &Value, router: Router, called: Called) -> Vec<String> {
    let response = router.oneshot(request(case)).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    let response = Response::from_parts(parts, Body::empty());
    check(
        &case["expect"],
        &response,
        &body,
        called.load(Ordering::SeqCst),
    )
}

fn mount(case: &Value) -> Vec<String> {
    case["mount"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_owned())
        .collect()
}

pub async fn run_all(front_end: &str, router: impl Fn(&[String], Called) -> Router) {
    let vectors = vectors();
    let cases = vectors["cases"].as_array().unwrap();
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in cases {
        let called = Called::default();
        for failure in run(case, router(&mount(case), called.clone()), called).await {
            failures.push(format!("{}: {failure}", case["id"].as_str().unwrap()));
        }
    }
    assert!(
        failures.is_empty(),
        "{front_end}: {} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("{front_end}: {} cases passed", cases.len());
}
