//! Behaviour of `#[cors]` handlers mounted with `cors_route!`, through a real
//! `axum::Router`: what every response carries (the handler's own, its errors,
//! its extractors' rejections), how methods are dispatched, and that the
//! annotated function stays an ordinary handler.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use http_body_util::BodyExt;
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

fn app() -> (Router, Counter) {
    let counter = Counter::default();
    let router = Router::new()
        .route("/items", cors_route!(list, create))
        .route("/cache", cors_route!(purge))
        .route("/meddling", cors_route!(meddling))
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

/// Deterministic pseudo-random bytes, so that a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn bytes(&mut self, max: usize, alphabet: &[u8]) -> Vec<u8> {
        let len = (self.next() as usize) % (max + 1);
        (0..len)
            .map(|_| alphabet[(self.next() as usize) % alphabet.len()])
            .collect()
    }
}

#[tokio::test]
async fn arbitrary_request_headers_get_a_well_defined_answer() {
    let (router, counter) = app();
    let mut rng = Lcg(0x5eed);
    let alphabet: Vec<u8> = (0x20..0x7f)
        .chain([b'\t', 0x80, 0xff])
        .chain(*b",,,   :/.*-")
        .collect();
    for round in 0..3000u32 {
        let mut request = Request::builder()
            .uri("/items")
            .method(if round.is_multiple_of(2) {
                Method::OPTIONS
            } else {
                Method::GET
            });
        for name in [
            "origin",
            "access-control-request-method",
            "access-control-request-headers",
        ] {
            for _ in 0..(rng.next() % 3) {
                let mut value = rng.bytes(if name == "origin" { 40 } else { 2000 }, &alphabet);
                if rng.next().is_multiple_of(3) && name == "origin" {
                    value = APP.as_bytes().to_vec();
                }
                if let Ok(value) = axum::http::HeaderValue::from_bytes(&value) {
                    request = request.header(name, value);
                }
            }
        }
        let response = router
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        assert!(
            [
                StatusCode::OK,
                StatusCode::NO_CONTENT,
                StatusCode::FORBIDDEN
            ]
            .contains(&status),
            "round {round}: {status}"
        );
        let origins = response
            .headers()
            .get_all("access-control-allow-origin")
            .iter()
            .count();
        assert!(
            origins <= 1,
            "round {round}: {origins} Access-Control-Allow-Origin lines"
        );
        if origins == 1 {
            assert_eq!(
                response.headers()["access-control-allow-origin"],
                APP,
                "round {round}"
            );
        }
    }
    assert!(counter.0.load(Ordering::SeqCst) > 0);
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
