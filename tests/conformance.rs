//! The conformance vectors (`tests/conformance/vectors.json`, a copy of the
//! contract's shared vectors), run through a real `axum::Router` twice: with the
//! policies written as `#[cors]` attributes, and with the same policies built at
//! run time from the vectors' JSON by `Policy::builder`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use serde_json::Value;
use static_cors::{CorsRoute, Policy, cors, cors_route};
use tower::ServiceExt;

const VECTORS: &str = include_str!("conformance/vectors.json");

/// Whether the handler ran, per router.
type Called = Arc<AtomicBool>;

/// The test handler of the vectors: `200 ok` with `x-request-id: 42`, and
/// `Vary: V` when the request carries `x-test-vary: V`.
async fn respond(State(called): State<Called>, headers: HeaderMap) -> Response {
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

#[cors(
    origins = ["https://app.example.com", "https://*.example.org", "http://localhost:*"],
    methods = [GET, POST, PUT, PATCH],
    headers = ["content-type", "x-api-key", "authorization"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600,
)]
async fn credentialed(state: State<Called>, headers: HeaderMap) -> Response {
    respond(state, headers).await
}

#[cors(origins = "*", methods = [GET, DELETE], headers = "*", expose = "*")]
async fn public(state: State<Called>, headers: HeaderMap) -> Response {
    respond(state, headers).await
}

#[cors(origins = ["https://app.example.com"], methods = [GET], private_network)]
async fn private_network(state: State<Called>, headers: HeaderMap) -> Response {
    respond(state, headers).await
}

#[cors(origins = ["https://app.example.com"], methods = [POST])]
async fn json_without_headers(state: State<Called>, headers: HeaderMap) -> Response {
    respond(state, headers).await
}

#[cors(origins = ["https://read.example.com"], methods = [GET])]
async fn reader(state: State<Called>, headers: HeaderMap) -> Response {
    respond(state, headers).await
}

#[cors(origins = ["https://write.example.com"], methods = [POST], headers = ["content-type"])]
async fn writer(state: State<Called>, headers: HeaderMap) -> Response {
    respond(state, headers).await
}

#[cors(origins = ["https://app.example.com"], methods = ["patch", "PURGE"])]
async fn lowercase_method(state: State<Called>, headers: HeaderMap) -> Response {
    respond(state, headers).await
}

/// The attribute policies by their name in the vectors.
fn attribute_policy(name: &str) -> Option<&'static Policy> {
    Some(match name {
        "credentialed" => &credentialed::POLICY,
        "public" => &public::POLICY,
        "private-network" => &private_network::POLICY,
        "json-without-headers" => &json_without_headers::POLICY,
        "reader" => &reader::POLICY,
        "writer" => &writer::POLICY,
        "lowercase-method" => &lowercase_method::POLICY,
        _ => return None,
    })
}

/// Mounts the attribute handlers with `cors_route!`, as a user would.
fn attribute_router(mount: &[String], called: Called) -> Router {
    let names: Vec<&str> = mount.iter().map(String::as_str).collect();
    let route = match names.as_slice() {
        ["credentialed"] => cors_route!(credentialed),
        ["public"] => cors_route!(public),
        ["private-network"] => cors_route!(private_network),
        ["json-without-headers"] => cors_route!(json_without_headers),
        ["reader"] => cors_route!(reader),
        ["writer"] => cors_route!(writer),
        ["lowercase-method"] => cors_route!(lowercase_method),
        ["reader", "writer"] => cors_route!(reader, writer),
        ["writer", "reader"] => cors_route!(writer, reader),
        other => {
            panic!("no attribute mount for {other:?}: add its handlers to tests/conformance.rs")
        }
    };
    Router::new().route("/items", route).with_state(called)
}

/// Builds a vector policy at run time from its neutral JSON form.
fn runtime_policy(spec: &Value) -> Policy {
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

/// Mounts run-time policies with `CorsRoute`, one handler each.
fn runtime_router(policies: Vec<Policy>, called: Called) -> Router {
    let count = policies.len();
    let mut policies = policies.into_iter().map(Arc::new);
    let mut next = || policies.next().expect("a policy");
    let route = match count {
        1 => CorsRoute::new()
            .handler(next(), respond)
            .into_method_router(),
        2 => CorsRoute::new()
            .handler(next(), respond)
            .handler(next(), respond)
            .into_method_router(),
        3 => CorsRoute::new()
            .handler(next(), respond)
            .handler(next(), respond)
            .handler(next(), respond)
            .into_method_router(),
        n => panic!("mounts of {n} policies are not supported by this test"),
    };
    Router::new().route("/items", route).with_state(called)
}

fn vectors() -> Value {
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

async fn run_all(front_end: &str, router: impl Fn(&[String], Called) -> Router) {
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

#[tokio::test]
async fn vectors_pass_with_attribute_policies() {
    run_all("attribute", attribute_router).await;
}

#[tokio::test]
async fn vectors_pass_with_runtime_policies() {
    let vectors = vectors();
    let specs = vectors["policies"].as_object().unwrap().clone();
    run_all("runtime", move |mount, called| {
        runtime_router(
            mount
                .iter()
                .map(|name| runtime_policy(&specs[name]))
                .collect(),
            called,
        )
    })
    .await;
}

#[test]
fn attribute_policies_equal_the_vectors_policies() {
    let vectors = vectors();
    for (name, spec) in vectors["policies"].as_object().unwrap() {
        let attribute = attribute_policy(name)
            .unwrap_or_else(|| panic!("no attribute handler for policy `{name}`"));
        assert_eq!(attribute, &runtime_policy(spec), "policy `{name}`");
    }
}

#[test]
fn the_copy_matches_the_shared_vectors() {
    let shared =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/vectors.json");
    match std::fs::read_to_string(&shared) {
        Ok(text) => assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            vectors(),
            "tests/conformance/vectors.json differs from {}: copy it again",
            shared.display()
        ),
        Err(_) => println!(
            "{} is not here; the copy is the reference",
            shared.display()
        ),
    }
}
