//! Instructions per request, for `valgrind --tool=callgrind`: counts that a
//! loaded machine does not move, to find where a layer spends its time. One
//! variant and one kind of request per run; only `answer` is counted.
//!
//! ```text
//! cargo bench --bench instructions --no-run
//! valgrind --tool=callgrind --toggle-collect='*instructions::answer*' \
//!     target/release/deps/instructions-<hash> <variant> <kind> 1000
//! ```
//!
//! Variants: `nothing`, `floor`, `tower-http`, `static-cors` (each through
//! `Router::layer`). Kinds: `actual`, `preflight`. The instruction count of
//! `answer` divided by the number of requests is the cost of one request; a
//! variant's own cost is that minus `nothing`'s.

use std::hint::black_box;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS,
    VARY,
};
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::response::Response;
use axum::routing::get;
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

static APP_POLICY: static_cors::Policy = static_cors::cors_policy!(
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

async fn plain() -> (StatusCode, &'static str) {
    (StatusCode::OK, "[]")
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

fn floor_headers(mut response: Response) -> Response {
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

type FloorFn = fn(Response) -> Response;

/// One request through `app`: the only code counted.
#[inline(never)]
fn answer(runtime: &tokio::runtime::Runtime, app: &Router, request: Request<Body>) -> StatusCode {
    runtime
        .block_on(app.clone().oneshot(request))
        .unwrap()
        .status()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench" || a.starts_with("--")) || args.len() < 4 {
        // Run by `cargo bench` or `cargo test`: nothing to count here.
        return;
    }
    let routes = || Router::new().route("/items", get(plain).post(plain));
    let app: Router = match args[1].as_str() {
        "nothing" => routes().layer(tower::layer::util::Identity::new()),
        "floor" => routes().layer(tower::util::MapResponseLayer::new(floor_headers as FloorFn)),
        "tower-http" => routes().layer(tower_http_layer()),
        "static-cors" => routes().layer(static_cors::CorsLayer::new(&APP_POLICY)),
        other => panic!("unknown variant `{other}`"),
    }
    .with_state(());
    let make = match args[2].as_str() {
        "actual" => || request(Method::GET, &[("origin", "http://localhost:5173")]),
        "preflight" => || {
            request(
                Method::OPTIONS,
                &[
                    ("origin", "http://localhost:5173"),
                    ("access-control-request-method", "POST"),
                    ("access-control-request-headers", "content-type,x-api-key"),
                ],
            )
        },
        other => panic!("unknown kind `{other}`"),
    };
    let count: u32 = args[3].parse().expect("a number of requests");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    for _ in 0..count {
        black_box(answer(&runtime, &app, make()));
    }
}
