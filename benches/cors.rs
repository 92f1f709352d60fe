//! One request through an axum router, side by side in one process: no CORS at
//! all, CORS headers written by hand in the handler, `#[cors]`, and, in the two
//! places a layer goes (through `Router::layer`, and around the finished
//! router), a layer that does nothing, a hand-written floor layer, tower-http's
//! `CorsLayer` and static-cors's `CorsLayer`. All answer the same policy;
//! requests are built as hyper builds them.
//!
//! ```text
//! cargo bench --bench cors
//! ```
//!
//! Two measurements:
//!
//! - criterion's groups, for each variant's whole time per request;
//! - alternating rounds, for each variant's own cost: its time minus the time of
//!   its base, the variant that does everything but the CORS work in the same
//!   place. Through `Router::layer` the base is the layer that does nothing
//!   (`tower::layer::util::Identity`), since axum boxes every layer's service
//!   and future there, whatever the layer; around the router and in the
//!   handler it is the router without CORS. The floor layer is one
//!   `MapResponseLayer` that inserts the four static headers of an allowed
//!   actual request and checks nothing: the least any layer does for one.
//!   In each round the variants take turns batch by batch, in an order that
//!   rotates from round to round; each variant's time in the round is its
//!   fastest batch (the others include moments when a shared machine served
//!   something else), and each ratio is taken *within the round*.

use std::hint::black_box;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ORIGIN,
    VARY,
};
use axum::http::{HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use criterion::{BatchSize, Criterion};
use static_cors::{cors, cors_route};
use tower::ServiceExt;

#[path = "../tests/support/hyper_like.rs"]
mod hyper_like;
use hyper_like::request;

#[path = "support/peers.rs"]
mod peers;
use peers::{APP_POLICY, FloorFn, ORIGINS, floor_layer, plain, tower_http_layer};

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

/// Builds a fresh request of one kind.
type MakeRequest = fn() -> Request<Body>;

/// One variant: a router, or a layer put around a whole router (as
/// `ServiceBuilder` puts it), where axum boxes nothing more per request.
#[derive(Clone)]
// Built once per variant; its size does not matter.
#[allow(clippy::large_enum_variant)]
enum App {
    Router(Router),
    Ours(static_cors::layer::Cors<Router>),
    Theirs(tower_http::cors::Cors<Router>),
    Floor(tower::util::MapResponse<Router, FloorFn>),
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
            App::Floor(app) => runtime
                .block_on(app.clone().oneshot(request))
                .unwrap()
                .status(),
        }
    }
}

/// A variant, and what its cost is measured against: its own cost is its time
/// minus `base`'s (the variant that does everything but its CORS work, in the
/// same place), compared with `floor`'s and `peer`'s own costs over the same
/// base.
struct Variant {
    name: &'static str,
    app: App,
    base: usize,
    floor: Option<usize>,
    peer: Option<usize>,
}

const BARE: usize = 0;
const BY_HAND: usize = 1;
const IDENTITY: usize = 3;
const TOWER_HTTP: usize = 4;
const FLOOR_LAYER: usize = 5;
const TOWER_HTTP_AROUND: usize = 7;
const FLOOR_AROUND: usize = 8;

fn variants() -> Vec<Variant> {
    use tower::Layer;
    let routes = || Router::new().route("/items", get(plain).post(plain));
    // Finished with its state, as `axum::serve` finishes a router before serving.
    let app = |router: Router| App::Router(router.with_state(()));
    let variant = |name, app, base, floor, peer| Variant {
        name,
        app,
        base,
        floor,
        peer,
    };
    let variants = vec![
        variant("no CORS", app(routes()), BARE, None, None),
        // In the handler: the floor of `#[cors]`.
        variant(
            "by hand, in the handler",
            app(Router::new().route(
                "/items",
                get(by_hand).post(by_hand).options(preflight_by_hand),
            )),
            BARE,
            None,
            None,
        ),
        variant(
            "static-cors #[cors]",
            app(Router::new().route("/items", cors_route!(attribute))),
            BARE,
            Some(BY_HAND),
            Some(TOWER_HTTP),
        ),
        // What `Router::layer` costs whatever the layer: the base of the layers
        // mounted there.
        variant(
            "a layer that does nothing, via Router::layer",
            app(routes().layer(tower::layer::util::Identity::new())),
            BARE,
            None,
            None,
        ),
        variant(
            "tower-http CorsLayer, via Router::layer",
            app(routes().layer(tower_http_layer())),
            IDENTITY,
            None,
            None,
        ),
        variant(
            "floor layer, via Router::layer",
            app(routes().layer(floor_layer())),
            IDENTITY,
            None,
            None,
        ),
        variant(
            "static-cors CorsLayer, via Router::layer",
            app(routes().layer(static_cors::CorsLayer::new(&APP_POLICY))),
            IDENTITY,
            Some(FLOOR_LAYER),
            Some(TOWER_HTTP),
        ),
        // Around the finished router, nothing more is boxed: the base is the
        // bare router.
        variant(
            "tower-http CorsLayer, around the router",
            App::Theirs(tower_http_layer().layer(routes().with_state(()))),
            BARE,
            None,
            None,
        ),
        variant(
            "floor layer, around the router",
            App::Floor(floor_layer().layer(routes().with_state(()))),
            BARE,
            None,
            None,
        ),
        variant(
            "static-cors CorsLayer, around the router",
            App::Ours(static_cors::CorsLayer::new(&APP_POLICY).layer(routes().with_state(()))),
            BARE,
            Some(FLOOR_AROUND),
            Some(TOWER_HTTP_AROUND),
        ),
    ];
    for (index, name) in [
        (BY_HAND, "by hand"),
        (IDENTITY, "nothing"),
        (TOWER_HTTP, "tower-http"),
        (FLOOR_LAYER, "floor"),
        (TOWER_HTTP_AROUND, "tower-http"),
        (FLOOR_AROUND, "floor"),
    ] {
        assert!(variants[index].name.contains(name), "{index}");
    }
    variants
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
    let variants = variants();
    for (kind, make) in kinds() {
        let mut group = c.benchmark_group(kind);
        for variant in &variants {
            group.bench_function(variant.name, |b| {
                b.iter_batched(
                    make,
                    |request| black_box(variant.app.answer(runtime, request)),
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

/// Alternating rounds: per kind, each variant's own cost (its time minus its
/// base's), and that cost as a multiple of its floor's and as a fraction of
/// tower-http's, median and quartiles across rounds. Within a round the
/// variants take turns batch by batch, so that each ratio compares times taken
/// in the same moments.
fn alternating(runtime: &tokio::runtime::Runtime, rounds: usize, batches: usize, batch: u32) {
    let variants = variants();
    println!(
        "\nOwn cost (time minus the base's, in the same place): {rounds} rounds, each of \
         {batches} turns of {batch} requests per variant, the fastest batch of each; \
         median (quartiles) across rounds.\n"
    );
    println!("| request | variant | base | own cost | / floor's | / tower-http's |");
    println!("|---|---|---|---|---|---|");
    let quartiles = |values: &mut Vec<f64>| {
        let middle = median(values);
        (
            middle,
            values[values.len() / 4],
            values[values.len() * 3 / 4],
        )
    };
    let ratio = |values: &mut Vec<f64>, suffix: &str| {
        if values.is_empty() {
            return "-".to_owned();
        }
        let (middle, low, high) = quartiles(values);
        format!("{middle:.2}{suffix} ({low:.2}-{high:.2})")
    };
    for (kind, make) in kinds() {
        let mut own: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
        let mut floors: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
        let mut peers: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
        for round in 0..rounds {
            // Each variant's fastest batch of the round: the time of its own
            // work, without the moments when the machine served others.
            let mut times = vec![Duration::MAX; variants.len()];
            for turn in 0..batches {
                for step in 0..variants.len() {
                    let index = (round + turn + step) % variants.len();
                    let took = time(runtime, &variants[index].app, make, batch);
                    times[index] = times[index].min(took);
                }
            }
            let per_request = f64::from(batch);
            let time = |index: usize| times[index].as_secs_f64() / per_request;
            for (index, variant) in variants.iter().enumerate() {
                let cost = |of: usize| time(of) - time(variant.base);
                own[index].push(cost(index) * 1e9);
                if let Some(floor) = variant.floor {
                    floors[index].push(cost(index) / cost(floor));
                }
                if let Some(peer) = variant.peer {
                    peers[index].push(cost(index) / cost(peer));
                }
            }
        }
        for (index, variant) in variants.iter().enumerate().skip(1) {
            let (ns, _, _) = quartiles(&mut own[index]);
            let base = variants[variant.base].name;
            let floor = ratio(&mut floors[index], "x");
            let peer = ratio(&mut peers[index], "");
            println!(
                "| {kind} | {} | {base} | {ns:.0} ns | {floor} | {peer} |",
                variant.name
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
        alternating(&runtime, 15, 200, 50);
    } else {
        alternating(&runtime, 3, 2, 50);
    }
}
