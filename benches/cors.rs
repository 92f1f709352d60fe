//! One request through an axum router, side by side in one process: no CORS at
//! all, CORS headers written by hand (the floor), tower-http's `CorsLayer`,
//! `#[cors]`, and static-cors's `CorsLayer` on the same router as tower-http's.
//! All answer the same policy; requests are built as hyper builds them.
//!
//! ```text
//! cargo bench --bench cors
//! ```
//!
//! Two measurements:
//!
//! - criterion's groups, for each variant's time per request;
//! - alternating rounds, for the overheads: in each round every variant answers
//!   the same number of requests, in an order that rotates from round to round,
//!   and each variant's overhead (its time minus the bare router's) is divided by
//!   the floor's overhead *within the round*. A slow moment of a shared machine
//!   then slows all variants of a round alike, and the ratios hold where
//!   criterion's groups, run one after another, drift apart.

use std::hint::black_box;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ORIGIN,
    VARY,
};
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use criterion::{BatchSize, Criterion};
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

fn allowed(origin: Option<&HeaderValue>) -> Option<&HeaderValue> {
    origin.filter(|o| ORIGINS.iter().any(|a| o.as_bytes() == a.as_bytes()))
}

/// CORS written by hand in the handler: the least a handler can do for the
/// actual response (no `*`, no check of repeated lines).
async fn by_hand(request: Request<Body>) -> Response {
    let origin = allowed(request.headers().get(ORIGIN)).cloned();
    let mut response = (StatusCode::OK, "[]").into_response();
    let out = response.headers_mut();
    if let Some(origin) = origin {
        out.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
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

/// A preflight answered by hand with static values: the origin checked, the
/// rest not (the requested method and headers are taken on trust).
async fn preflight_by_hand(request: Request<Body>) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    if let Some(origin) = allowed(request.headers().get(ORIGIN)) {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        for (name, value) in [
            (ACCESS_CONTROL_ALLOW_CREDENTIALS, "true"),
            (ACCESS_CONTROL_ALLOW_METHODS, "GET, POST"),
            (ACCESS_CONTROL_ALLOW_HEADERS, "content-type, x-api-key"),
            (ACCESS_CONTROL_MAX_AGE, "600"),
        ] {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    headers.insert(
        VARY,
        HeaderValue::from_static(
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
        ),
    );
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

const BARE: &str = "no CORS";
const FLOOR: &str = "by hand";

/// One variant: a router, or a layer put around a whole router (as
/// `ServiceBuilder` puts it), where axum boxes nothing more per request.
#[derive(Clone)]
// Built once per variant; its size does not matter.
#[allow(clippy::large_enum_variant)]
enum App {
    Router(Router),
    Ours(static_cors::layer::Cors<Router>),
    Theirs(tower_http::cors::Cors<Router>),
}

impl App {
    fn answer(&self, runtime: &tokio::runtime::Runtime, request: Request<Body>) -> StatusCode {
        match self {
            App::Router(app) => runtime
                .block_on(app.clone().oneshot(request))
                .unwrap()
                .status(),
            App::Ours(app) => runtime
                .block_on(app.clone().oneshot(request))
                .unwrap()
                .status(),
            App::Theirs(app) => runtime
                .block_on(app.clone().oneshot(request))
                .unwrap()
                .status(),
        }
    }
}

fn routers() -> Vec<(&'static str, App)> {
    use tower::Layer;
    let bare = || {
        Router::new()
            .route("/items", get(plain).post(plain))
            .with_state(())
    };
    let mut variants = vec![
        (BARE, Router::new().route("/items", get(plain).post(plain))),
        (
            FLOOR,
            Router::new().route(
                "/items",
                get(by_hand).post(by_hand).options(preflight_by_hand),
            ),
        ),
        (
            "tower-http CorsLayer",
            Router::new()
                .route("/items", get(plain).post(plain))
                .layer(tower_http_layer()),
        ),
        (
            "static-cors #[cors]",
            Router::new().route("/items", cors_route!(attribute)),
        ),
        (
            "static-cors CorsLayer",
            Router::new()
                .route("/items", get(plain).post(plain))
                .layer(static_cors::CorsLayer::new(&APP_POLICY)),
        ),
        // What `Router::layer` costs whatever the layer: axum's share of every
        // layer's overhead in that place.
        (
            "a layer that does nothing",
            Router::new()
                .route("/items", get(plain).post(plain))
                .layer(tower::layer::util::Identity::new()),
        ),
    ]
    .into_iter()
    // Finished with its state, as `axum::serve` finishes a router before serving.
    .map(|(name, router)| (name, App::Router(router.with_state(()))))
    .collect::<Vec<_>>();
    variants.push((
        concat!("tower-http CorsLayer", ", around the router"),
        App::Theirs(tower_http_layer().layer(bare())),
    ));
    variants.push((
        concat!("static-cors CorsLayer", ", around the router"),
        App::Ours(static_cors::CorsLayer::new(&APP_POLICY).layer(bare())),
    ));
    variants
}

/// The same policy as `attribute`'s, for the whole router.
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

const TOWER_HTTP: usize = 2;
const AROUND: &str = ", around the router";

/// The tower-http variant that `index` compares with: the one in the same place.
fn peer(routers: &[(&str, App)], index: usize) -> usize {
    if routers[index].0.ends_with(AROUND) {
        routers
            .iter()
            .position(|(name, _)| name.starts_with("tower-http") && name.ends_with(AROUND))
            .expect("tower-http around the router")
    } else {
        TOWER_HTTP
    }
}

fn kinds() -> [(&'static str, MakeRequest); 4] {
    [
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
    ]
}

fn criterion_groups(c: &mut Criterion, runtime: &tokio::runtime::Runtime) {
    let routers = routers();
    for (kind, make) in kinds() {
        let mut group = c.benchmark_group(kind);
        for (name, router) in &routers {
            group.bench_function(*name, |b| {
                b.iter_batched(
                    make,
                    |request| black_box(router.answer(runtime, request)),
                    BatchSize::SmallInput,
                )
            });
        }
        group.finish();
    }
}

/// The time `router` takes for `count` fresh requests of one kind.
fn time(
    runtime: &tokio::runtime::Runtime,
    router: &App,
    make: MakeRequest,
    count: u32,
) -> Duration {
    let requests: Vec<_> = (0..count).map(|_| make()).collect();
    let start = Instant::now();
    for request in requests {
        black_box(router.answer(runtime, request));
    }
    start.elapsed()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Alternating rounds: per kind, each variant's overhead (its time minus the
/// bare router's), as a multiple of the floor's overhead and as a fraction of
/// tower-http's, median and quartiles across rounds. Within a round the variants
/// take turns batch by batch, so that each ratio compares times taken in the
/// same moments.
fn alternating(runtime: &tokio::runtime::Runtime, rounds: usize, batches: usize, batch: u32) {
    let routers = routers();
    println!(
        "\nOverhead over the bare router: {rounds} rounds, each of {batches} turns of \
         {batch} requests per variant; median (quartiles) across rounds.\n"
    );
    println!(
        "| request | variant | overhead | / floor's (\"{FLOOR}\") | / tower-http's, in the same place |"
    );
    println!("|---|---|---|---|---|");
    let quartiles = |values: &mut Vec<f64>| {
        let middle = median(values);
        (
            middle,
            values[values.len() / 4],
            values[values.len() * 3 / 4],
        )
    };
    for (kind, make) in kinds() {
        let mut overheads: Vec<Vec<f64>> = vec![Vec::new(); routers.len()];
        let mut floors: Vec<Vec<f64>> = vec![Vec::new(); routers.len()];
        let mut towers: Vec<Vec<f64>> = vec![Vec::new(); routers.len()];
        for round in 0..rounds {
            let mut times = vec![Duration::ZERO; routers.len()];
            for turn in 0..batches {
                for step in 0..routers.len() {
                    let index = (round + turn + step) % routers.len();
                    times[index] += time(runtime, &routers[index].1, make, batch);
                }
            }
            let per_request = f64::from(batch) * batches as f64;
            let over: Vec<f64> = times
                .iter()
                .map(|t| (t.as_secs_f64() - times[0].as_secs_f64()) / per_request)
                .collect();
            for index in 0..routers.len() {
                overheads[index].push(over[index] * 1e9);
                floors[index].push(over[index] / over[1]);
                towers[index].push(over[index] / over[peer(&routers, index)]);
            }
        }
        for (index, (name, _)) in routers.iter().enumerate().skip(1) {
            let (ns, _, _) = quartiles(&mut overheads[index]);
            let (f, f_low, f_high) = quartiles(&mut floors[index]);
            let (t, t_low, t_high) = quartiles(&mut towers[index]);
            println!(
                "| {kind} | {name} | {ns:.0} ns | {f:.2}x ({f_low:.2}-{f_high:.2}) | {t:.2} ({t_low:.2}-{t_high:.2}) |"
            );
        }
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    // `cargo bench` passes `--bench`; `cargo test --bench cors` does not, and
    // then every part runs once, briefly, as a test.
    let measuring = std::env::args().any(|a| a == "--bench");
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    criterion_groups(&mut criterion, &runtime);
    criterion.final_summary();
    if measuring {
        alternating(&runtime, 21, 100, 200);
    } else {
        alternating(&runtime, 3, 2, 50);
    }
}
