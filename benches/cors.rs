//! One request through an axum router, side by side: no CORS at all, CORS headers
//! inserted by hand in the handler, tower-http's `CorsLayer`, and `#[cors]`.
//! All four answer the same policy; requests are built as hyper builds them.
//!
//! ```text
//! cargo bench --bench cors
//! ```

use std::hint::black_box;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS,
    ORIGIN, VARY,
};
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use static_cors::{cors, cors_route};
use tower::ServiceExt;
use tower_http::cors::{AllowOrigin, CorsLayer};

#[path = "../tests/support/hyper_like.rs"]
mod hyper_like;
use hyper_like::request;

const ORIGINS: [&str; 3] = [
    "https://app.example.com",
    "https://admin.example.com",
    "http://localhost:5173",
];

async fn plain() -> (StatusCode, &'static str) {
    (StatusCode::OK, "[]")
}

#[cors(
    origins = ["https://app.example.com", "https://admin.example.com", "http://localhost:5173"],
    methods = [GET, POST],
    headers = ["content-type", "x-api-key"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600,
)]
async fn attribute() -> (StatusCode, &'static str) {
    (StatusCode::OK, "[]")
}

/// CORS written by hand in the handler: the least a handler can do for the
/// actual response (no preflight route, no `*`, no check of repeated lines).
async fn by_hand(request: Request<Body>) -> Response {
    let origin = request.headers().get(ORIGIN).cloned();
    let mut response = (StatusCode::OK, "[]").into_response();
    let out = response.headers_mut();
    if let Some(origin) = origin.filter(|o| ORIGINS.iter().any(|a| o.as_bytes() == a.as_bytes())) {
        out.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        out.insert(
            ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
        out.insert(
            ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("x-request-id"),
        );
    }
    out.append(VARY, HeaderValue::from_static("origin"));
    response
}

fn tower_http_layer() -> CorsLayer {
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

/// Builds a fresh request of one kind.
type MakeRequest = fn() -> Request<Body>;

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let routers: [(&str, Router); 4] = [
        (
            "no CORS",
            Router::new()
                .route("/items", get(plain).post(plain))
                .with_state(()),
        ),
        (
            "by hand",
            Router::new()
                .route("/items", get(by_hand).post(by_hand))
                .with_state(()),
        ),
        (
            "tower-http CorsLayer",
            Router::new()
                .route("/items", get(plain).post(plain))
                .layer(tower_http_layer())
                .with_state(()),
        ),
        (
            "static-cors #[cors]",
            Router::new()
                .route("/items", cors_route!(attribute))
                .with_state(()),
        ),
    ];
    let kinds: [(&str, MakeRequest); 4] = [
        ("allowed actual", || {
            request(Method::GET, &[("origin", "http://localhost:5173")])
        }),
        ("denied actual", || {
            request(Method::GET, &[("origin", "https://evil.example.net")])
        }),
        ("no Origin", || request(Method::GET, &[])),
        ("preflight", || {
            request(
                Method::OPTIONS,
                &[
                    ("origin", "http://localhost:5173"),
                    ("access-control-request-method", "POST"),
                    ("access-control-request-headers", "content-type,x-api-key"),
                ],
            )
        }),
    ];
    for (kind, make) in kinds {
        let mut group = c.benchmark_group(kind);
        for (name, router) in &routers {
            if kind == "preflight" && (*name == "no CORS" || *name == "by hand") {
                continue;
            }
            group.bench_function(*name, |b| {
                b.iter_batched(
                    make,
                    |request| black_box(runtime.block_on(router.clone().oneshot(request)).unwrap()),
                    BatchSize::SmallInput,
                )
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
