//! What the request-time benchmarks share: the policy, the handler, tower-http's
//! layer with the same policy, and the floor layer.

use std::time::Duration;

use axum::http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS,
    VARY,
};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The policy's origins.
pub const ORIGINS: [&str; 3] = [
    "https://app.example.com",
    "https://admin.example.com",
    "http://localhost:5173",
];

/// The handler behind every variant.
pub async fn plain() -> (StatusCode, &'static str) {
    (StatusCode::OK, "[]")
}

/// The benchmarks' policy, for a whole router.
pub static APP_POLICY: static_cors::Policy = static_cors::cors_policy!(
    origins = [
        "https://app.example.com",
        "https://admin.example.com",
        "http://localhost:5173"
    ],
    methods = [GET, POST],
    headers = ["content-type", "x-api-key"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600,
);

/// tower-http's `CorsLayer` with the same policy.
pub fn tower_http_layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(ORIGINS.map(HeaderValue::from_static)))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            HeaderName::from_static("content-type"),
            HeaderName::from_static("x-api-key"),
        ])
        .expose_headers([HeaderName::from_static("x-request-id")])
        .allow_credentials(true)
        .max_age(Duration::from_secs(600))
}

/// The floor of a layer's work on an allowed actual request: the four headers
/// of the answer, inserted as static values, with no check of anything.
pub fn floor_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("http://localhost:5173"),
    );
    headers.insert(
        ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
    headers.insert(
        ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("x-request-id"),
    );
    headers.append(VARY, HeaderValue::from_static("origin"));
    response
}

/// The type of [`floor_headers`], which names the floor layer's type.
pub type FloorFn = fn(Response) -> Response;

/// The floor layer: one `MapResponseLayer` that writes [`floor_headers`].
pub fn floor_layer() -> tower::util::MapResponseLayer<FloorFn> {
    tower::util::MapResponseLayer::new(floor_headers as FloorFn)
}
