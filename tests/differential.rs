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
#[path = "support/test_handler.rs"]
mod test_handler;
// The harness serves every front end; this file uses its vectors and checks.
#[allow(dead_code)]
#[path = "support/vectors.rs"]
mod vectors;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::routing::any;
use model::{Answer, Mount, Request, Spec, agree, answer, compared};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_json::Value;
use static_cors::runtime::Resource;
use static_cors::{CorsLayer, CorsRoute, Policy, Reason, cors, cors_route};
use strategies::{Generated, is_sendable, path_policies, policy, request};
use test_handler::{handler, handler_headers};
use tower::ServiceExt;

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
        .csrf(spec.csrf)
        .debug(spec.debug)
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
    *out.uri_mut() = match &request.authority {
        Some(authority) => format!("http://{authority}{path}").parse().ok()?,
        None => path.parse().unwrap(),
    };
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

/// A reason of the library in the model's terms.
fn neutral(reason: Reason<'_>) -> model::Reason {
    match reason {
        Reason::OriginAbsent => model::Reason::OriginAbsent,
        Reason::OriginNull => model::Reason::OriginNull,
        Reason::OriginMalformed => model::Reason::OriginMalformed,
        Reason::OriginRepeated => model::Reason::OriginRepeated,
        Reason::OriginNotAllowed => model::Reason::OriginNotAllowed,
        Reason::MethodNotServed(method) => model::Reason::MethodNotServed(method.to_owned()),
        Reason::HeaderNotAllowed(name) => model::Reason::HeaderNotAllowed(name.to_owned()),
        Reason::HeaderListTooLong => model::Reason::HeaderListTooLong,
        Reason::PrivateNetworkNotAllowed => model::Reason::PrivateNetworkNotAllowed,
        Reason::CrossOriginWriteRefused => model::Reason::CrossOriginWriteRefused,
        Reason::CrossOriginWebSocketRefused => model::Reason::CrossOriginWebSocketRefused,
        other => panic!("a reason outside the contract's closed set: {other:?}"),
    }
}

/// Compares the reason that `evaluate` gives for `request` with the model's.
fn same_reason(
    mount: Mount<'_>,
    request: &Request,
    evaluate: impl Fn(&axum::http::Request<Body>) -> Option<model::Reason>,
) -> Result<(), TestCaseError> {
    let Some(sent) = http_request("/r", request) else {
        return Ok(());
    };
    let got = evaluate(&sent);
    let want = model::reason(mount, request);
    prop_assert_eq!(
        &got,
        &want,
        "{} {:?} {:?}",
        request.method,
        request.authority,
        request
            .headers
            .iter()
            .map(|(n, v)| format!("{n}: {}", String::from_utf8_lossy(v)))
            .collect::<Vec<_>>()
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
        let resource = Resource::new(attribute_statics()[index].to_vec()).unwrap();
        for request in &requests {
            same_reason(Mount::Route(&specs), request, |sent| {
                resource.evaluate(sent).reason().map(neutral)
            })?;
        }
    }

    /// Section 8 on a path: `Resource::evaluate` names the model's reason.
    #[test]
    fn paths_name_the_models_reasons((generated, requests) in path_case()) {
        let specs: Vec<Spec> = generated.iter().map(|g| g.spec.clone()).collect();
        let resource = Resource::new(specs.iter().map(build).collect()).unwrap();
        for request in &requests {
            same_reason(Mount::Route(&specs), request, |sent| {
                resource.evaluate(sent).reason().map(neutral)
            })?;
        }
    }

    /// Section 8 for one policy, as the layer applies it: `Policy::evaluate`
    /// names the model's reason.
    #[test]
    fn policies_name_the_models_reasons((generated, requests) in layer_case()) {
        let spec = generated.spec;
        let policy = build(&spec);
        for (routed, request) in &requests {
            let mount = Mount::Layer { policy: &spec, routed: *routed };
            same_reason(mount, request, |sent| policy.evaluate(sent).reason().map(neutral))?;
        }
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

#[cors(
    origins = [
        "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
        "capacitor://localhost",
        "https://pr-*.preview.example.com",
        "https://*-staging.example.com:*",
        "https://app-*-acme.vercel.app",
    ],
    methods = [GET, POST],
    headers = ["content-type"],
    expose = ["x-request-id"],
    credentials,
    dangerous_public_suffix_wildcards,
)]
async fn previews() -> Response {
    handler().await
}

#[cors(
    origins = [
        "https://app.example.com",
        "https://*.example.org",
        "http://localhost:*",
        "moz-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10",
    ],
    methods = [GET, POST, PUT, DELETE, "PURGE"],
    headers = ["content-type"],
    credentials,
    csrf,
)]
async fn guarded() -> Response {
    handler().await
}

#[cors(
    origins = ["https://app.example.com", "https://pr-*.preview.example.com:*"],
    methods = [GET],
    headers = ["x-api-key"],
    credentials,
    private_network,
    debug,
)]
async fn inspect() -> Response {
    handler().await
}

#[cors(
    origins = ["https://admin.example.com", "tauri://localhost"],
    methods = [PATCH, "patch", DELETE],
    headers = "*",
    max_age = 60,
    csrf,
    debug,
)]
async fn amend() -> Response {
    handler().await
}

fn attribute_router() -> Router {
    Router::new()
        .route("/credentialed", cors_route!(credentialed))
        .route("/public", cors_route!(public))
        .route("/private", cors_route!(private))
        .route("/pair", cors_route!(reader, writer))
        .route("/suffix", cors_route!(suffix))
        .route("/previews", cors_route!(previews))
        .route("/guarded", cors_route!(guarded))
        .route("/debugged", cors_route!(inspect, amend))
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
        csrf: false,
        debug: false,
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
        (
            "/previews",
            vec![generated(Spec {
                credentials: true,
                dangerous_public_suffix_wildcards: true,
                ..spec(
                    &[
                        "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
                        "capacitor://localhost",
                        "https://pr-*.preview.example.com",
                        "https://*-staging.example.com:*",
                        "https://app-*-acme.vercel.app",
                    ],
                    &["GET", "POST"],
                    &["content-type"],
                    &["x-request-id"],
                )
            })],
        ),
        (
            "/guarded",
            vec![generated(Spec {
                credentials: true,
                csrf: true,
                ..spec(
                    &[
                        "https://app.example.com",
                        "https://*.example.org",
                        "http://localhost:*",
                        "moz-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10",
                    ],
                    &["GET", "POST", "PUT", "DELETE", "PURGE"],
                    &["content-type"],
                    &[],
                )
            })],
        ),
        (
            "/debugged",
            vec![
                generated(Spec {
                    credentials: true,
                    private_network: true,
                    debug: true,
                    ..spec(
                        &[
                            "https://app.example.com",
                            "https://pr-*.preview.example.com:*",
                        ],
                        &["GET"],
                        &["x-api-key"],
                        &[],
                    )
                }),
                generated(Spec {
                    max_age: Some(60),
                    csrf: true,
                    debug: true,
                    ..spec(
                        &["https://admin.example.com", "tauri://localhost"],
                        &["PATCH", "patch", "DELETE"],
                        &["*"],
                        &[],
                    )
                }),
            ],
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

/// The strategies reach what the properties are about: every reason of
/// section 8, refused and admitted writes, debug answers, and allowed origins
/// of every form (a property that never meets a case proves nothing).
#[test]
fn the_strategies_reach_every_reason_and_form() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let mut reasons: Vec<&'static str> = Vec::new();
    let (mut admitted_writes, mut debug_answers) = (0, 0);
    let mut allowed_forms: Vec<strategies::Form> = Vec::new();
    for _ in 0..2000 {
        let (generated, requests) = path_case().new_tree(&mut runner).unwrap().current();
        let specs: Vec<Spec> = generated.iter().map(|g| g.spec.clone()).collect();
        for request in &requests {
            let (answer, reason) = model::outcome(Mount::Route(&specs), request, &[]);
            if let Some(reason) = &reason {
                reasons.push(match reason {
                    model::Reason::OriginAbsent => "origin absent",
                    model::Reason::OriginNull => "origin null",
                    model::Reason::OriginMalformed => "origin malformed",
                    model::Reason::OriginRepeated => "origin repeated",
                    model::Reason::OriginNotAllowed => "origin not allowed",
                    model::Reason::MethodNotServed(_) => "method not served",
                    model::Reason::HeaderNotAllowed(_) => "header not allowed",
                    model::Reason::HeaderListTooLong => "header list too long",
                    model::Reason::PrivateNetworkNotAllowed => "private network not allowed",
                    model::Reason::CrossOriginWriteRefused => "cross-origin write refused",
                    model::Reason::CrossOriginWebSocketRefused => "cross-origin WebSocket refused",
                });
            }
            let csrf = specs.iter().any(|s| s.csrf);
            let write = !["GET", "HEAD", "OPTIONS"].contains(&request.method.as_str());
            let origin = model::lines_of(&request.headers, "origin");
            if csrf && write && answer.handler_ran && origin.len() == 1 {
                admitted_writes += 1;
            }
            if reason.is_some()
                && answer.status == 204
                && !answer.lines("access-control-allow-origin").is_empty()
            {
                debug_answers += 1;
            }
            if !answer.lines("access-control-allow-origin").is_empty() && origin.len() == 1 {
                let origin = String::from_utf8_lossy(origin[0]);
                for g in &generated {
                    for entry in &g.entries {
                        let single = Spec {
                            origins: vec![entry.text()],
                            ..g.spec.clone()
                        };
                        let probe = Request {
                            method: "GET".into(),
                            authority: None,
                            headers: vec![("origin".into(), origin.as_bytes().to_vec())],
                        };
                        if model::reason(Mount::Route(std::slice::from_ref(&single)), &probe)
                            .is_none()
                        {
                            allowed_forms.push(entry.form);
                        }
                    }
                }
            }
        }
    }
    for reason in [
        "origin absent",
        "origin null",
        "origin malformed",
        "origin repeated",
        "origin not allowed",
        "method not served",
        "header not allowed",
        "header list too long",
        "private network not allowed",
        "cross-origin write refused",
        "cross-origin WebSocket refused",
    ] {
        let count = reasons.iter().filter(|r| **r == reason).count();
        println!("{reason}: {count}");
        assert!(count >= 5, "`{reason}` reached {count} times");
    }
    assert!(
        admitted_writes >= 20,
        "{admitted_writes} protected writes admitted"
    );
    assert!(debug_answers >= 20, "{debug_answers} debug answers");
    for form in [
        strategies::Form::Exact,
        strategies::Form::Subdomains,
        strategies::Form::AnyPort,
        strategies::Form::SubdomainsAnyPort,
        strategies::Form::Label,
        strategies::Form::LabelAnyPort,
        strategies::Form::Opaque,
    ] {
        let count = allowed_forms.iter().filter(|f| **f == form).count();
        println!("origins allowed by {form:?} entries: {count}");
        assert!(count >= 5, "origins allowed by {form:?} entries: {count}");
    }
}

/// The policies that the attributes built, per path of `attribute_paths`.
fn attribute_statics() -> &'static [&'static [&'static Policy]] {
    static STATICS: [&[&Policy]; 8] = [
        &[&credentialed::POLICY],
        &[&public::POLICY],
        &[&private::POLICY],
        &[&reader::POLICY, &writer::POLICY],
        &[&suffix::POLICY],
        &[&previews::POLICY],
        &[&guarded::POLICY],
        &[&inspect::POLICY, &amend::POLICY],
    ];
    &STATICS
}

/// The neutral forms beside the attributes are the attributes' own: each
/// builds, at run time, the policy that the attribute built at compile time.
#[test]
fn attribute_specs_are_the_attributes() {
    let statics = attribute_statics();
    assert_eq!(statics.len(), attribute_paths().len());
    for ((path, generated), statics) in attribute_paths().iter().zip(statics.iter().copied()) {
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
        csrf: flag("csrf"),
        debug: flag("debug"),
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
        // The vectors' target is `/items` in origin form: its authority is its
        // `Host` line, when the case gives one.
        let request = Request {
            method: case["request"]["method"].as_str().unwrap().to_owned(),
            authority: None,
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
