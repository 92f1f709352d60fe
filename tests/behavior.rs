//! Behaviour of `#[cors]` handlers mounted with `cors_route!`, through a real
//! `axum::Router`: what every response carries (the handler's own, its errors,
//! its extractors' rejections), how methods are dispatched, and that the
//! annotated function stays an ordinary handler.

use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use http_body_util::BodyExt;
use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, TestRunner};
use serde::Deserialize;
use static_cors::{cors, cors_route};
use tower::ServiceExt;

const APP: &str = "https://app.example.com";

#[derive(Deserialize)]
struct Item {
    name: String,
}

#[derive(Clone, Default)]
pub struct Counter(Arc<AtomicUsize>);

/// Lists the items.
#[cors(origins = ["https://app.example.com"], methods = [GET], expose = ["x-total"], credentials)]
pub async fn list(State(counter): State<Counter>) -> impl IntoResponse {
    counter.0.fetch_add(1, Ordering::SeqCst);
    ([("x-total", "0")], "[]")
}

#[cors(origins = ["https://app.example.com"], methods = [POST], headers = ["content-type"], credentials)]
async fn create(
    State(counter): State<Counter>,
    Json(item): Json<Item>,
) -> Result<(StatusCode, String), StatusCode> {
    counter.0.fetch_add(1, Ordering::SeqCst);
    if item.name.is_empty() {
        return Err(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Ok((StatusCode::CREATED, item.name))
}

#[cors(origins = ["https://app.example.com"], methods = ["PURGE", "patch"])]
async fn purge() -> &'static str {
    "purged"
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn meddling() -> impl IntoResponse {
    (
        [
            ("access-control-allow-origin", "*"),
            ("access-control-allow-methods", "DELETE"),
            ("vary", "accept-encoding"),
        ],
        "mine",
    )
}

#[cors(origins = ["https://app.example.com"], methods = [GET], headers = "*", credentials)]
async fn echo() -> &'static str {
    "echo"
}

#[cors(origins = ["https://app.example.com"], methods = [GET], private_network)]
async fn private() -> &'static str {
    "private"
}

fn app() -> (Router, Counter) {
    let counter = Counter::default();
    let router = Router::new()
        .route("/items", cors_route!(list, create))
        .route("/cache", cors_route!(purge))
        .route("/meddling", cors_route!(meddling))
        .route("/echo", cors_route!(echo))
        .route("/private", cors_route!(private))
        .with_state(counter.clone());
    (router, counter)
}

async fn send(
    router: &Router,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (StatusCode, HeaderMap, String) {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response: Response = router
        .clone()
        .oneshot(request.body(Body::from(body.to_owned())).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let body = String::from_utf8(body.collect().await.unwrap().to_bytes().to_vec()).unwrap();
    (parts.status, parts.headers, body)
}

fn assert_cors(headers: &HeaderMap) {
    assert_eq!(headers["access-control-allow-origin"], APP);
    assert_eq!(headers["access-control-allow-credentials"], "true");
    assert!(headers.get_all("vary").iter().any(|v| v == "Origin"));
}

#[tokio::test]
async fn extractor_rejections_carry_the_cors_headers() {
    let (router, counter) = app();
    let origin = ("origin", APP);
    let json = ("content-type", "application/json");
    for (headers, body, status) in [
        (vec![origin, json], "{not json", StatusCode::BAD_REQUEST),
        (
            vec![origin, json],
            r#"{"nom": 1}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            vec![origin, ("content-type", "text/plain")],
            r#"{"name": "a"}"#,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
    ] {
        let (got, response_headers, text) =
            send(&router, Method::POST, "/items", &headers, body).await;
        assert_eq!(got, status, "{body}: {text}");
        assert!(!text.is_empty(), "the rejection explains itself");
        assert_cors(&response_headers);
    }
    assert_eq!(
        counter.0.load(Ordering::SeqCst),
        0,
        "rejected before the handler"
    );
}

#[tokio::test]
async fn handler_errors_and_successes_carry_the_cors_headers() {
    let (router, counter) = app();
    let headers = [("origin", APP), ("content-type", "application/json")];
    let (status, response_headers, _) =
        send(&router, Method::POST, "/items", &headers, r#"{"name": ""}"#).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_cors(&response_headers);
    let (status, response_headers, body) = send(
        &router,
        Method::POST,
        "/items",
        &headers,
        r#"{"name": "pen"}"#,
    )
    .await;
    assert_eq!((status, body.as_str()), (StatusCode::CREATED, "pen"));
    assert_cors(&response_headers);
    assert_eq!(counter.0.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn each_handler_serves_its_own_methods_with_its_own_headers() {
    let (router, counter) = app();
    let (status, headers, body) =
        send(&router, Method::GET, "/items", &[("origin", APP)], "").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "[]"));
    assert_eq!(headers["access-control-expose-headers"], "x-total");
    let (_, headers, _) = send(
        &router,
        Method::POST,
        "/items",
        &[("origin", APP), ("content-type", "application/json")],
        r#"{"name": "a"}"#,
    )
    .await;
    assert!(
        !headers.contains_key("access-control-expose-headers"),
        "POST's policy exposes nothing"
    );
    assert_eq!(counter.0.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn head_is_served_by_get_without_a_body() {
    let (router, _) = app();
    let (status, headers, body) =
        send(&router, Method::HEAD, "/items", &[("origin", APP)], "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.is_empty());
    assert_cors(&headers);
}

#[tokio::test]
async fn unserved_methods_get_405_with_allow_and_cors_headers() {
    let (router, counter) = app();
    let (status, headers, _) =
        send(&router, Method::DELETE, "/items", &[("origin", APP)], "").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(headers["allow"], "GET, HEAD, POST, OPTIONS");
    assert_cors(&headers);
    let (status, headers, _) = send(
        &router,
        Method::from_bytes(b"PURGE").unwrap(),
        "/items",
        &[],
        "",
    )
    .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(!headers.contains_key("access-control-allow-origin"));
    assert_eq!(counter.0.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn run_time_routes_list_the_same_methods_as_cors_route() {
    use std::sync::Arc;

    let runtime: Router = Router::new().route(
        "/cache",
        static_cors::CorsRoute::new()
            .handler(Arc::new(purge::POLICY.clone()), purge)
            .into_method_router(),
    );
    let (router, _) = app();
    for path_router in [&router, &runtime] {
        let (status, headers, _) = send(path_router, Method::GET, "/cache", &[], "").await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(headers["allow"], "PURGE, patch, OPTIONS");
    }
}

#[tokio::test]
async fn plain_options_lists_the_path_methods() {
    let (router, _) = app();
    let (status, headers, body) =
        send(&router, Method::OPTIONS, "/items", &[("origin", APP)], "").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(body.is_empty());
    assert_eq!(headers["allow"], "GET, HEAD, POST, OPTIONS");
    assert_cors(&headers);
    let (status, headers, _) = send(&router, Method::OPTIONS, "/items", &[], "").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(!headers.contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn extension_and_lowercase_methods_are_routed_and_preflighted() {
    let (router, _) = app();
    let (status, headers, body) = send(
        &router,
        Method::from_bytes(b"PURGE").unwrap(),
        "/cache",
        &[("origin", APP)],
        "",
    )
    .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "purged"));
    assert_eq!(headers["access-control-allow-origin"], APP);
    assert!(
        !headers.contains_key("allow"),
        "a served method gets no `Allow`"
    );
    for (asked, want) in [
        ("patch", StatusCode::NO_CONTENT),
        ("PURGE", StatusCode::NO_CONTENT),
        ("PATCH", StatusCode::FORBIDDEN),
    ] {
        let (status, headers, _) = send(
            &router,
            Method::OPTIONS,
            "/cache",
            &[("origin", APP), ("access-control-request-method", asked)],
            "",
        )
        .await;
        assert_eq!(status, want, "{asked}");
        if want == StatusCode::NO_CONTENT {
            assert_eq!(headers["access-control-allow-methods"], "PURGE, patch");
        }
    }
    let (status, _, _) = send(&router, Method::GET, "/cache", &[("origin", APP)], "").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn the_policy_owns_its_headers_and_keeps_the_handlers_vary() {
    let (router, _) = app();
    let (_, headers, body) = send(&router, Method::GET, "/meddling", &[("origin", APP)], "").await;
    assert_eq!(body, "mine");
    assert_eq!(
        headers
            .get_all("access-control-allow-origin")
            .iter()
            .collect::<Vec<_>>(),
        [APP]
    );
    assert!(!headers.contains_key("access-control-allow-methods"));
    assert_eq!(
        headers.get_all("vary").iter().collect::<Vec<_>>(),
        ["accept-encoding", "Origin"]
    );
    let (_, headers, _) = send(
        &router,
        Method::GET,
        "/meddling",
        &[("origin", "https://evil.example")],
        "",
    )
    .await;
    assert!(
        !headers.contains_key("access-control-allow-origin"),
        "the handler's `*` does not leak"
    );
}

#[tokio::test]
async fn the_function_stays_an_ordinary_handler() {
    let counter = Counter::default();
    // Called directly, as a test would.
    let response = list(State(counter.clone())).await.into_response();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        !response
            .headers()
            .contains_key("access-control-allow-origin")
    );
    // Mounted without CORS, as any axum handler.
    let router = Router::new()
        .route("/plain", get(list))
        .with_state(counter.clone());
    let (status, headers, _) = send(&router, Method::GET, "/plain", &[("origin", APP)], "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!headers.contains_key("access-control-allow-origin"));
    assert_eq!(counter.0.load(Ordering::SeqCst), 2);
    // Its policy is a `'static` value.
    let policy: &'static static_cors::Policy = &list::POLICY;
    assert!(policy.credentials());
}

#[tokio::test]
async fn preflight_headers_appear_only_when_asked_or_configured() {
    let (router, _) = app();
    let preflight = |path: &'static str, extra: &'static [(&'static str, &'static str)]| {
        let router = router.clone();
        async move {
            let mut headers = vec![("origin", APP), ("access-control-request-method", "GET")];
            headers.extend_from_slice(extra);
            send(&router, Method::OPTIONS, path, &headers, "").await
        }
    };
    let vary = |headers: &HeaderMap| {
        headers
            .get_all("vary")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    // No request headers asked, no max_age, no private network.
    let (status, headers, body) = preflight("/items", &[]).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(body.is_empty());
    for absent in [
        "access-control-allow-headers",
        "access-control-max-age",
        "access-control-allow-private-network",
        "access-control-expose-headers",
    ] {
        assert!(!headers.contains_key(absent), "{absent}");
    }
    assert_eq!(
        vary(&headers),
        ["Origin, Access-Control-Request-Method, Access-Control-Request-Headers"]
    );
    // Private network: granted only when asked with `true`.
    for (extra, granted) in [
        (&[][..], false),
        (
            &[("access-control-request-private-network", "false")][..],
            false,
        ),
        (
            &[("access-control-request-private-network", "true")][..],
            true,
        ),
    ] {
        let (status, headers, _) = preflight("/private", extra).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert_eq!(
            headers.contains_key("access-control-allow-private-network"),
            granted,
            "{extra:?}"
        );
        assert!(vary(&headers)[0].ends_with(", Access-Control-Request-Private-Network"));
    }
}

#[tokio::test]
async fn head_preflights_are_answered_by_the_get_handler() {
    let (router, counter) = app();
    let asks = [("origin", APP), ("access-control-request-method", "HEAD")];
    let (status, headers, _) = send(&router, Method::OPTIONS, "/items", &asks, "").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(headers["access-control-allow-methods"], "GET");
    assert_eq!(counter.0.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_body_too_large_is_a_readable_413() {
    let (router, counter) = app();
    let body = format!(r#"{{"name": "{}"}}"#, "x".repeat(3 * 1024 * 1024));
    let headers = [("origin", APP), ("content-type", "application/json")];
    let (status, response_headers, text) =
        send(&router, Method::POST, "/items", &headers, &body).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    assert_cors(&response_headers);
    assert_eq!(counter.0.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn any_header_with_credentials_echoes_the_request_list() {
    let (router, _) = app();
    let ask = |list: &'static str| {
        [
            ("origin", APP),
            ("access-control-request-method", "GET"),
            ("access-control-request-headers", list),
        ]
    };
    let (status, headers, _) = send(&router, Method::OPTIONS, "/echo", &ask("x-a,x-b"), "").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(headers["access-control-allow-headers"], "x-a,x-b");
    assert_eq!(headers["access-control-allow-credentials"], "true");
    for refused in ["authorization", "x-a,*"] {
        let (status, headers, _) = send(&router, Method::OPTIONS, "/echo", &ask(refused), "").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
        assert!(
            !headers.contains_key("access-control-allow-headers"),
            "{refused}"
        );
    }
}

/// Arbitrary bytes over the characters that matter to CORS headers, and
/// bytes no header may carry.
fn noise(max: usize) -> impl Strategy<Value = Vec<u8>> {
    let alphabet: Vec<u8> = (0x20..0x7f)
        .chain([b'\t', 0x80, 0xff])
        .chain(*b",,,   :/.*-")
        .collect();
    proptest::collection::vec(proptest::sample::select(alphabet), 0..=max)
}

/// One of `choices`, as bytes.
fn one_of(choices: &[&'static str]) -> impl Strategy<Value = Vec<u8>> + use<> {
    proptest::sample::select(choices.to_vec()).prop_map(|c| c.as_bytes().to_vec())
}

/// Lines of a header: mostly one, sometimes none or two.
fn lines(
    none: u32,
    value: impl Strategy<Value = Vec<u8>> + Clone,
) -> impl Strategy<Value = Vec<Vec<u8>>> {
    prop_oneof![none => Just(0usize), 3 => Just(1), 1 => Just(2)]
        .prop_flat_map(move |n| proptest::collection::vec(value.clone(), n))
}

/// An arbitrary request to one of the app's CORS paths: its path, whether it is
/// an `OPTIONS`, and its `Origin`, `Access-Control-Request-Method` and
/// `Access-Control-Request-Headers` lines.
type Arbitrary = (&'static str, bool, Vec<(&'static str, Vec<u8>)>);

fn arbitrary_request() -> impl Strategy<Value = Arbitrary> {
    // The app's own origin is weighted so that granted preflights are common
    // (about 1 in 70 cases), not a tail the run may or may not reach.
    let origin = prop_oneof![
        1 => noise(40),
        2 => one_of(&["https://evil.example", "null", "https://app.example.com/"]),
        3 => Just(APP.as_bytes().to_vec()),
    ];
    let method = prop_oneof![
        1 => noise(12),
        3 => one_of(&["GET", "POST", "HEAD", "get", "PUT", "*"]),
    ];
    let asked = prop_oneof![
        1 => noise(2000),
        3 => one_of(&["content-type", "x-a, X-B", "*", "authorization", "x-a,*", " , ,"]),
    ];
    (
        proptest::sample::select(vec!["/items", "/echo"]),
        any::<bool>(),
        lines(1, origin),
        lines(1, method),
        lines(2, asked),
    )
        .prop_map(|(path, options, origins, methods, asked)| {
            let mut lines = Vec::new();
            lines.extend(origins.into_iter().map(|v| ("origin", v)));
            lines.extend(
                methods
                    .into_iter()
                    .map(|v| ("access-control-request-method", v)),
            );
            lines.extend(
                asked
                    .into_iter()
                    .map(|v| ("access-control-request-headers", v)),
            );
            (path, options, lines)
        })
}

#[test]
fn arbitrary_requests_get_the_answer_the_contract_gives() {
    let (router, _) = app();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let (granted, echoed) = (Cell::new(0), Cell::new(0));
    let mut runner = TestRunner::new(ProptestConfig {
        cases: 4000,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/behavior.txt",
        ))),
        ..ProptestConfig::default()
    });
    let outcome = runner.run(&arbitrary_request(), |(path, options, lines)| {
        let method = if options {
            Method::OPTIONS
        } else {
            Method::GET
        };
        let mut request = Request::builder().uri(path).method(method.clone());
        let mut sent: Vec<(&str, Vec<u8>)> = Vec::new();
        for (name, value) in lines {
            if let Ok(header) = axum::http::HeaderValue::from_bytes(&value) {
                request = request.header(name, header);
                sent.push((name, value));
            }
        }
        let response =
            runtime.block_on(router.clone().oneshot(request.body(Body::empty()).unwrap()));
        let response = response.unwrap();
        let (status, headers) = (response.status(), response.headers());
        let origins: Vec<&Vec<u8>> = sent
            .iter()
            .filter(|(n, _)| *n == "origin")
            .map(|(_, v)| v)
            .collect();
        let origin_ok = origins.len() == 1 && origins[0] == APP.as_bytes();
        let preflight = method == Method::OPTIONS
            && !origins.is_empty()
            && sent
                .iter()
                .any(|(n, _)| *n == "access-control-request-method");
        let acao: Vec<_> = headers
            .get_all("access-control-allow-origin")
            .iter()
            .collect();
        let case = format!("{method} {path} {sent:?} -> {status} {headers:?}");
        prop_assert!(acao.len() <= 1, "{}", case);
        prop_assert!(acao.is_empty() || acao[0] == APP, "{}", case);
        granted.set(granted.get() + usize::from(preflight && status == StatusCode::NO_CONTENT));
        echoed.set(echoed.get() + usize::from(!preflight && !acao.is_empty()));
        if preflight {
            prop_assert!(
                [StatusCode::NO_CONTENT, StatusCode::FORBIDDEN].contains(&status),
                "{}",
                case
            );
            prop_assert_eq!(
                status == StatusCode::NO_CONTENT,
                !acao.is_empty(),
                "{}",
                case
            );
            if !origin_ok {
                prop_assert_eq!(status, StatusCode::FORBIDDEN, "{}", case);
            }
        } else {
            let expected = if method == Method::OPTIONS {
                StatusCode::NO_CONTENT
            } else {
                StatusCode::OK
            };
            prop_assert_eq!(status, expected, "{}", case);
            prop_assert_eq!(!acao.is_empty(), origin_ok, "{}", case);
        }
        if headers.contains_key("access-control-allow-credentials") {
            for name in [
                "access-control-allow-origin",
                "access-control-allow-methods",
                "access-control-allow-headers",
                "access-control-expose-headers",
            ] {
                let star = headers
                    .get_all(name)
                    .iter()
                    .flat_map(|v| v.as_bytes().split(|&b| b == b','))
                    .any(|element| element.trim_ascii() == b"*");
                prop_assert!(!star, "{}: `*` in {} with credentials", case, name);
            }
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    // The inputs reach the successful paths too, not only the refusals.
    let (granted, echoed) = (granted.get(), echoed.get());
    assert!(
        granted > 10 && echoed > 100,
        "{granted} preflights granted, {echoed} origins echoed"
    );
}

#[tokio::test]
async fn a_real_server_on_loopback() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let (router, _) = app();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let exchange = |raw: String| async move {
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        stream.write_all(raw.as_bytes()).await.unwrap();
        let mut answer = String::new();
        tokio::time::timeout(
            std::time::Duration::from_secs(10),
            stream.read_to_string(&mut answer),
        )
        .await
        .expect("the server answers within 10 s")
        .unwrap();
        answer.to_ascii_lowercase()
    };
    let preflight = exchange(format!(
        "OPTIONS /items HTTP/1.1\r\nhost: {address}\r\norigin: {APP}\r\naccess-control-request-method: POST\r\naccess-control-request-headers: content-type\r\nconnection: close\r\n\r\n"
    ))
    .await;
    assert!(preflight.starts_with("http/1.1 204"), "{preflight}");
    assert!(
        preflight.contains(&format!("access-control-allow-origin: {APP}")),
        "{preflight}"
    );
    assert!(
        preflight.contains("access-control-allow-headers: content-type"),
        "{preflight}"
    );
    let two_origins = exchange(format!(
        "GET /items HTTP/1.1\r\nhost: {address}\r\norigin: {APP}\r\norigin: https://evil.example\r\nconnection: close\r\n\r\n"
    ))
    .await;
    assert!(two_origins.starts_with("http/1.1 200"), "{two_origins}");
    assert!(
        !two_origins.contains("access-control-allow-origin"),
        "{two_origins}"
    );
    let long = format!("x,{}", " ".repeat(8000));
    let oversized = exchange(format!(
        "OPTIONS /items HTTP/1.1\r\nhost: {address}\r\norigin: {APP}\r\naccess-control-request-method: POST\r\naccess-control-request-headers: {long}\r\nconnection: close\r\n\r\n"
    ))
    .await;
    assert!(
        oversized.starts_with("http/1.1 403"),
        "{}",
        &oversized[..60]
    );
    server.abort();
}

#[path = "support/writes.rs"]
mod writes;

/// Moves money: a write that a form from another site must not reach.
#[cors(
    origins = ["https://app.example.com", "https://*.partner.example.org"],
    methods = [GET, POST, PUT, DELETE, "PURGE"],
    credentials,
    csrf,
)]
async fn transfer(State(calls): State<writes::Calls>) -> &'static str {
    calls.add();
    "done"
}

fn protected() -> (Router, writes::Calls) {
    let calls = writes::Calls::default();
    let items = Router::new()
        .route("/items", cors_route!(list, create))
        .with_state(Counter::default());
    let router = Router::new()
        .route("/transfer", cors_route!(transfer))
        .with_state(calls.clone())
        .merge(items);
    (router, calls)
}

#[tokio::test]
async fn write_protection_decides_each_branch_before_the_handler() {
    assert!(transfer::POLICY.csrf());
    assert!(!create::POLICY.csrf());
    let (router, calls) = protected();
    writes::check_every_branch("cors_route!", &router, &calls).await;
}

#[tokio::test]
async fn write_protection_belongs_to_the_policy_that_asks_for_it() {
    let (router, calls) = protected();
    let cross = [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ];
    // `create` has no `csrf`: CORS lets the form through (a 415 from its
    // extractor, without CORS headers), as it does for any simple request.
    let (status, headers, _) = send(&router, Method::POST, "/items", &cross, "a=1").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(!headers.contains_key("access-control-allow-origin"));
    // A method that no handler serves is the path's 405, refused or not.
    let (status, headers, _) = send(&router, Method::PATCH, "/transfer", &cross, "").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        headers["allow"],
        "GET, HEAD, POST, PUT, DELETE, PURGE, OPTIONS"
    );
    // Preflights are CORS's: the trusted origin's is answered, and a refused
    // write does not change the answer to a preflight from elsewhere.
    for (origin, status) in [
        (writes::TRUSTED, StatusCode::NO_CONTENT),
        ("https://evil.example", StatusCode::FORBIDDEN),
    ] {
        let preflight = [
            ("origin", origin),
            ("access-control-request-method", "PUT"),
            ("sec-fetch-site", "cross-site"),
        ];
        let (got, _, body) = send(&router, Method::OPTIONS, "/transfer", &preflight, "").await;
        assert_eq!(got, status, "{origin}");
        assert!(body.is_empty());
    }
    assert_eq!(calls.get(), 0);
}
