//! The application-wide layer on a real `axum::Router` (contract section 7):
//! every response that passes back through it carries the actual-request headers,
//! preflights are answered for every path, routed or not, and `cors_route!`
//! routes keep their own policies.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use http_body_util::BodyExt;
use static_cors::{CorsLayer, Policy, cors, cors_policy, cors_route};
use tower::ServiceExt;

static API: Policy = cors_policy!(
    origins = ["https://app.example.com"],
    methods = [GET, POST, DELETE],
    headers = ["content-type", "authorization"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600,
);

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example.net";
const ADMIN: &str = "https://admin.example.com";

#[cors(origins = ["https://admin.example.com"], methods = [GET, PUT], headers = ["x-admin"])]
async fn admin() -> &'static str {
    "admin"
}

async fn list() -> &'static str {
    "[]"
}

async fn create(body: String) -> String {
    body
}

async fn not_found() -> (StatusCode, &'static str) {
    (StatusCode::NOT_FOUND, "nothing here")
}

fn app() -> Router {
    Router::new()
        .route("/items", get(list).post(create))
        .layer(DefaultBodyLimit::max(16))
        .fallback(not_found)
        .layer(CorsLayer::new(&API))
        .route("/admin", cors_route!(admin))
}

async fn send(
    router: &Router,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (StatusCode, HeaderMap, String) {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::from(body.to_owned())).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    (parts.status, parts.headers, String::from_utf8_lossy(&body).into_owned())
}

fn acao(headers: &HeaderMap) -> Vec<&str> {
    headers
        .get_all("access-control-allow-origin")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect()
}

#[tokio::test]
async fn smoke() {
    let app = app();
    let (status, headers, body) = send(&app, Method::GET, "/nowhere", &[("origin", APP)], "").await;
    assert_eq!((status, body.as_str()), (StatusCode::NOT_FOUND, "nothing here"));
    assert_eq!(acao(&headers), [APP]);
    let (status, headers, _) = send(&app, Method::GET, "/admin", &[("origin", ADMIN)], "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(acao(&headers), [ADMIN]);
    let _ = (EVIL, Duration::ZERO, ().into_response());
    let _: Router = Router::new().route("/x", post(create));
}
