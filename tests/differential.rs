//! The library against the reference model (`tests/support/model.rs`): for
//! random valid policies and random requests, every front end gives the model's
//! answer (status, every CORS header, `Vary`, `Allow`, whether the handler ran).
//!
//! - run-time policies mounted with `CorsRoute` (one to three handlers a path);
//! - the application-wide `CorsLayer`, on a routed path and an unrouted one;
//! - `#[cors]` handlers mounted with `cors_route!`: a fixed set of policies
//!   written as attributes, each with its neutral form beside it.
//!
//! The model itself is checked first against every conformance vector. The
//! number of cases comes from `PROPTEST_CASES` (proptest's default, 256, when
//! unset; CI runs 10,000); failures are kept in `proptest-regressions/`.

#[path = "support/model.rs"]
mod model;
#[path = "support/strategies.rs"]
mod strategies;
// The harness serves every front end; this file uses its vectors and checks.
#[allow(dead_code)]
#[path = "support/vectors.rs"]
mod vectors;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use model::{Answer, Mount, Request, Spec, agree, answer, compared};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_json::Value;
use static_cors::{CorsLayer, CorsRoute, Policy, cors, cors_route};
use strategies::{Generated, is_sendable, path_policies, policy, request};
use tower::ServiceExt;

/// The header lines of the test handler's response: a marker, its own `Vary`,
/// and CORS headers of its own, which the policy's must replace.
fn handler_headers() -> Vec<(String, Vec<u8>)> {
    [
        ("x-handler", "ran"),
        ("vary", "accept-encoding"),
        ("access-control-allow-origin", "https://handler.invalid"),
        ("access-control-max-age", "1"),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_owned(), v.as_bytes().to_vec()))
    .collect()
}

async fn handler() -> Response {
    let mut response = (StatusCode::OK, "ok").into_response();
    for (name, value) in handler_headers() {
        response.headers_mut().append(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_bytes(&value).unwrap(),
        );
    }
    response
}

fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/differential.txt",
        ))),
        ..ProptestConfig::default()
    }
}

/// Builds a policy with the builder, which must accept every generated spec.
fn build(spec: &Spec) -> Arc<Policy> {
    let mut builder = Policy::builder()
        .origins(spec.origins.clone())
        .methods(spec.methods.clone())
        .headers(spec.headers.clone())
        .expose(spec.expose.clone())
        .credentials(spec.credentials)
        .private_network(spec.private_network)
        .dangerous_insecure_origins(spec.dangerous_insecure_origins)
        .dangerous_public_suffix_wildcards(spec.dangerous_public_suffix_wildcards);
    if let Some(age) = spec.max_age {
        builder = builder.max_age(age);
    }
    Arc::new(
        builder
            .build()
            .unwrap_or_else(|e| panic!("a valid policy was refused: {spec:?}\n{e}")),
    )
}

/// The request as axum takes it, or `None` when a header value could not be
/// carried by HTTP at all.
fn http_request(path: &str, request: &Request) -> Option<axum::http::Request<Body>> {
    if !is_sendable(request) {
        return None;
    }
    let mut out = axum::http::Request::new(Body::empty());
    *out.method_mut() = Method::from_bytes(request.method.as_bytes()).ok()?;
    *out.uri_mut() = path.parse().unwrap();
    for (name, value) in &request.headers {
        out.headers_mut().append(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_bytes(value).ok()?,
        );
    }
    Some(out)
}

/// The compared lines of a response, in the order the model gives them per name.
fn observed(status: StatusCode, headers: &HeaderMap) -> Answer {
    Answer {
        status: status.as_u16(),
        handler_ran: headers.contains_key("x-handler"),
        headers: headers
            .iter()
            .filter(|(name, _)| compared(name.as_str()))
            .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
            .collect(),
    }
}

fn show(answer: &Answer) -> String {
    let lines: Vec<String> = answer
        .headers
        .iter()
        .map(|(n, v)| format!("{n}: {}", String::from_utf8_lossy(v)))
        .collect();
    format!(
        "{} (handler ran: {}) {lines:?}",
        answer.status, answer.handler_ran
    )
}

/// Sends `request` to `router` at `path` and compares with the model.
async fn differ(
    router: &Router,
    path: &str,
    mount: Mount<'_>,
    request: &Request,
) -> Result<(), TestCaseError> {
    let Some(sent) = http_request(path, request) else {
        return Ok(());
    };
    let response = router.clone().oneshot(sent).await.unwrap();
    let got = observed(response.status(), response.headers());
    let want = answer(mount, request, &handler_headers());
    prop_assert!(
        agree(&want, &got),
        "{} {path} {:?}\n model: {}\nserved: {}",
        request.method,
        request
            .headers
            .iter()
            .map(|(n, v)| format!("{n}: {}", String::from_utf8_lossy(v)))
            .collect::<Vec<_>>(),
        show(&want),
        show(&got)
    );
    Ok(())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

/// A path's policies and requests for it.
fn path_case() -> impl Strategy<Value = (Vec<Generated>, Vec<Request>)> {
    path_policies().prop_flat_map(|generated| {
        let requests = proptest::collection::vec(request(&generated), 1..6);
        (Just(generated), requests)
    })
}

/// A layer's policy and requests, each to the routed path or not.
fn layer_case() -> impl Strategy<Value = (Generated, Vec<(bool, Request)>)> {
    policy().prop_flat_map(|generated| {
        let requests = proptest::collection::vec(
            (
                proptest::bool::weighted(0.8),
                request(std::slice::from_ref(&generated)),
            ),
            1..6,
        );
        (Just(generated), requests)
    })
}

fn runtime_router(policies: &[Arc<Policy>]) -> Router {
    let route = match policies {
        [a] => CorsRoute::new()
            .handler(a.clone(), handler)
            .into_method_router(),
        [a, b] => CorsRoute::new()
            .handler(a.clone(), handler)
            .handler(b.clone(), handler)
            .into_method_router(),
        [a, b, c] => CorsRoute::new()
            .handler(a.clone(), handler)
            .handler(b.clone(), handler)
            .handler(c.clone(), handler)
            .into_method_router(),
        _ => unreachable!("paths have one to three handlers"),
    };
    Router::new().route("/r", route)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn runtime_routes_answer_as_the_model((generated, requests) in path_case()) {
        let specs: Vec<Spec> = generated.iter().map(|g| g.spec.clone()).collect();
        let policies: Vec<Arc<Policy>> = specs.iter().map(build).collect();
        let router = runtime_router(&policies);
        runtime().block_on(async {
            for request in &requests {
                differ(&router, "/r", Mount::Route(&specs), request).await?;
            }
            Ok::<(), TestCaseError>(())
        })?;
    }

    #[test]
    fn the_layer_answers_as_the_model((generated, requests) in layer_case()) {
        let spec = generated.spec;
        let router = Router::new()
            .route("/r", any(handler))
            .layer(CorsLayer::new(build(&spec)));
        runtime().block_on(async {
            for (routed, request) in &requests {
                let path = if *routed { "/r" } else { "/missing" };
                let mount = Mount::Layer { policy: &spec, routed: *routed };
                differ(&router, path, mount, request).await?;
            }
            Ok::<(), TestCaseError>(())
        })?;
    }

    #[test]
    fn attribute_routes_answer_as_the_model((index, requests) in attribute_case()) {
        let paths = attribute_paths();
        let (path, generated) = &paths[index];
        let specs: Vec<Spec> = generated.iter().map(|g| g.spec.clone()).collect();
        let router = attribute_router();
        runtime().block_on(async {
            for request in &requests {
                differ(&router, path, Mount::Route(&specs), request).await?;
            }
            Ok::<(), TestCaseError>(())
        })?;
    }
}

// The compile-time front end: policies written as attributes, each with its
// neutral form beside it in `attribute_paths`.

#[cors(
    origins = ["https://app.example.com", "https://*.example.org", "http://localhost:*"],
    methods = [GET, POST, PUT, PATCH],
    headers = ["content-type", "x-api-key", "authorization"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600,
)]
async fn credentialed() -> Response {
    handler().await
}

#[cors(
    origins = "*",
    methods = [GET, DELETE],
    headers = "*",
    expose = "*",
    max_age = 0
)]
async fn public() -> Response {
    handler().await
}

#[cors(
    origins = ["https://xn--bcher-kva.example", "http://127.0.0.1:8080", "http://[::1]:*", "http://*.localhost:*"],
    methods = [GET, "PURGE"],
    headers = ["*", "authorization"],
    credentials,
    private_network,
)]
async fn private() -> Response {
    handler().await
}

#[cors(
    origins = ["https://read.example.com", "https://[2001:db8::1]"],
    methods = [GET],
    expose = ["x-total", "x-request-id"],
)]
async fn reader() -> Response {
    handler().await
}

#[cors(
    origins = ["https://*.write.example.com:*", "http://write.example.com"],
    methods = [POST, PUT, "patch"],
    headers = ["content-type", "X-Api-Key"],
    max_age = 86400,
    private_network,
)]
async fn writer() -> Response {
    handler().await
}

#[cors(
    origins = ["https://*.github.io", "https://app.example.com:8443", "http://192.168.1.20"],
    methods = [GET, HEAD, DELETE],
    headers = "*",
    credentials,
    dangerous_public_suffix_wildcards,
    dangerous_insecure_origins,
)]
async fn suffix() -> Response {
    handler().await
}

fn attribute_router() -> Router {
    Router::new()
        .route("/credentialed", cors_route!(credentialed))
        .route("/public", cors_route!(public))
        .route("/private", cors_route!(private))
        .route("/pair", cors_route!(reader, writer))
        .route("/suffix", cors_route!(suffix))
}

fn spec(origins: &[&str], methods: &[&str], headers: &[&str], expose: &[&str]) -> Spec {
    let owned = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect();
    Spec {
        origins: owned(origins),
        methods: owned(methods),
        headers: owned(headers),
        expose: owned(expose),
        credentials: false,
        max_age: None,
        private_network: false,
        dangerous_insecure_origins: false,
        dangerous_public_suffix_wildcards: false,
    }
}

/// Each attribute route's path and the neutral forms of its policies, in mount order.
fn attribute_paths() -> Vec<(&'static str, Vec<Generated>)> {
    let generated = |spec: Spec| Generated {
        entries: strategies::entries_of(&spec.origins),
        spec,
    };
    vec![
        (
            "/credentialed",
            vec![generated(Spec {
                credentials: true,
                max_age: Some(600),
                ..spec(
                    &[
                        "https://app.example.com",
                        "https://*.example.org",
                        "http://localhost:*",
                    ],
                    &["GET", "POST", "PUT", "PATCH"],
                    &["content-type", "x-api-key", "authorization"],
                    &["x-request-id"],
                )
            })],
        ),
        (
            "/public",
            vec![generated(Spec {
                max_age: Some(0),
                ..spec(&["*"], &["GET", "DELETE"], &["*"], &["*"])
            })],
        ),
        (
            "/private",
            vec![generated(Spec {
                credentials: true,
                private_network: true,
                ..spec(
                    &[
                        "https://xn--bcher-kva.example",
                        "http://127.0.0.1:8080",
                        "http://[::1]:*",
                        "http://*.localhost:*",
                    ],
                    &["GET", "PURGE"],
                    &["*", "authorization"],
                    &[],
                )
            })],
        ),
        (
            "/pair",
            vec![
                generated(spec(
                    &["https://read.example.com", "https://[2001:db8::1]"],
                    &["GET"],
                    &[],
                    &["x-total", "x-request-id"],
                )),
                generated(Spec {
                    max_age: Some(86400),
                    private_network: true,
                    ..spec(
                        &["https://*.write.example.com:*", "http://write.example.com"],
                        &["POST", "PUT", "patch"],
                        &["content-type", "X-Api-Key"],
                        &[],
                    )
                }),
            ],
        ),
        (
            "/suffix",
            vec![generated(Spec {
                credentials: true,
                dangerous_public_suffix_wildcards: true,
                dangerous_insecure_origins: true,
                ..spec(
                    &[
                        "https://*.github.io",
                        "https://app.example.com:8443",
                        "http://192.168.1.20",
                    ],
                    &["GET", "HEAD", "DELETE"],
                    &["*"],
                    &[],
                )
            })],
        ),
    ]
}

fn attribute_case() -> impl Strategy<Value = (usize, Vec<Request>)> {
    (0..attribute_paths().len()).prop_flat_map(|index| {
        let (_, generated) = &attribute_paths()[index];
        (
            Just(index),
            proptest::collection::vec(request(generated), 1..6),
        )
    })
}

/// The neutral forms beside the attributes are the attributes' own: each
/// builds, at run time, the policy that the attribute built at compile time.
#[test]
fn attribute_specs_are_the_attributes() {
    let statics: [&[&Policy]; 5] = [
        &[&credentialed::POLICY],
        &[&public::POLICY],
        &[&private::POLICY],
        &[&reader::POLICY, &writer::POLICY],
        &[&suffix::POLICY],
    ];
    for ((path, generated), statics) in attribute_paths().iter().zip(statics) {
        assert_eq!(generated.len(), statics.len(), "{path}");
        for (generated, compiled) in generated.iter().zip(statics) {
            assert_eq!(&*build(&generated.spec), *compiled, "{path}");
        }
    }
}

// The model against the conformance vectors, which checks the model itself.

fn spec_of(json: &Value) -> Spec {
    let list = |key: &str| -> Vec<String> {
        match json.get(key) {
            None => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect(),
            Some(other) => panic!("`{key}` is {other}"),
        }
    };
    let flag = |key: &str| json.get(key).and_then(Value::as_bool).unwrap_or(false);
    Spec {
        origins: list("origins"),
        methods: list("methods"),
        headers: list("headers"),
        expose: list("expose"),
        credentials: flag("credentials"),
        max_age: json.get("max_age").and_then(Value::as_u64),
        private_network: flag("private_network"),
        dangerous_insecure_origins: flag("dangerous_insecure_origins"),
        dangerous_public_suffix_wildcards: flag("dangerous_public_suffix_wildcards"),
    }
}

#[test]
fn the_model_passes_every_conformance_vector() {
    let all = vectors::vectors();
    let policies = &all["policies"];
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in all["cases"].as_array().unwrap() {
        let specs: Vec<Spec> = vectors::mount(case)
            .iter()
            .map(|name| spec_of(&policies[name]))
            .collect();
        let request = Request {
            method: case["request"]["method"].as_str().unwrap().to_owned(),
            headers: case["request"]["headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|pair| {
                    (
                        pair[0].as_str().unwrap().to_ascii_lowercase(),
                        pair[1].as_str().unwrap().as_bytes().to_vec(),
                    )
                })
                .collect(),
        };
        // The vectors' handler: `Vary: V` when the request carries `x-test-vary: V`.
        let handler: Vec<(String, Vec<u8>)> = model::lines_of(&request.headers, "x-test-vary")
            .into_iter()
            .map(|v| ("vary".to_owned(), v.to_vec()))
            .collect();
        let mut mounts = vec![("route", Mount::Route(&specs))];
        if vectors::applies_to_layer(case) {
            mounts.push((
                "layer",
                Mount::Layer {
                    policy: &specs[0],
                    routed: true,
                },
            ));
        }
        for (front_end, mount) in mounts {
            let answer = answer(mount, &request, &handler);
            let mut headers = HeaderMap::new();
            for (name, value) in &answer.headers {
                headers.append(
                    HeaderName::from_bytes(name.as_bytes()).unwrap(),
                    HeaderValue::from_bytes(value).unwrap(),
                );
            }
            let observed = vectors::Observed {
                status: StatusCode::from_u16(answer.status).unwrap(),
                headers,
                body: if answer.handler_ran {
                    b"ok".to_vec()
                } else {
                    Vec::new()
                },
                handler_called: answer.handler_ran,
            };
            checked += 1;
            for failure in vectors::check(&case["expect"], &observed) {
                failures.push(format!("{front_end} {}: {failure}", case["id"]));
            }
        }
    }
    assert!(checked > 50, "{checked} answers checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
