//! What `static_cors::testing` costs a test suite: one allowed, preflighted
//! fetch through an axum `Router` (`Browser::fetch`, a fresh browser each time so
//! that the preflight is sent), against the same two requests, with the same
//! headers, sent by hand with `tower::ServiceExt::oneshot`.
//!
//! ```text
//! cargo bench --bench testing --features testing
//! ```
//!
//! Criterion's groups give each variant's time; alternating rounds give the
//! ratio, both variants taking turns batch by batch within each round, so that a
//! slow moment of a shared machine slows both alike.

use std::hint::black_box;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, StatusCode};
use criterion::Criterion;
use static_cors::testing::{Browser, Credentials, Engine, Fetch};
use static_cors::{cors, cors_route};
use tower::ServiceExt;

#[cors(
    origins = ["https://app.example.com"],
    methods = [PUT],
    headers = ["content-type"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600,
)]
async fn update() -> ([(&'static str, &'static str); 1], &'static str) {
    ([("x-request-id", "42")], "{}")
}

fn router() -> Router {
    Router::new().route("/items/1", cors_route!(update))
}

fn fetch() -> Fetch {
    Fetch::new(
        "https://app.example.com",
        "PUT",
        "https://api.example.com/items/1",
    )
    .header("content-type", "application/json")
    .credentials(Credentials::Include)
    .body("{}")
}

async fn through_testing(router: &Router) -> bool {
    let outcome = Browser::new(Engine::Chromium).fetch(router, fetch()).await;
    outcome.is_allowed()
}

fn request(
    method: Method,
    lines: &[(&'static str, &'static str)],
    body: &'static str,
) -> Request<Body> {
    let mut request = Request::new(Body::from(body));
    *request.method_mut() = method;
    *request.uri_mut() = "/items/1".parse().unwrap();
    for (name, value) in lines {
        request
            .headers_mut()
            .append(*name, HeaderValue::from_static(value));
    }
    request
}

/// The same two requests as `Browser::fetch` sends, by hand.
async fn by_hand(router: &Router) -> bool {
    let preflight = request(
        Method::OPTIONS,
        &[
            ("host", "api.example.com"),
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-mode", "cors"),
            ("sec-fetch-dest", "empty"),
            ("accept", "*/*"),
            ("origin", "https://app.example.com"),
            ("access-control-request-method", "PUT"),
            ("access-control-request-headers", "content-type"),
        ],
        "",
    );
    let answer = router.clone().oneshot(preflight).await.unwrap();
    let actual = request(
        Method::PUT,
        &[
            ("host", "api.example.com"),
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-mode", "cors"),
            ("sec-fetch-dest", "empty"),
            ("content-type", "application/json"),
            ("accept", "*/*"),
            ("origin", "https://app.example.com"),
            ("content-length", "2"),
        ],
        "{}",
    );
    let response = router.clone().oneshot(actual).await.unwrap();
    answer.status() == StatusCode::NO_CONTENT && response.status() == StatusCode::OK
}

type Variant = for<'a> fn(&'a Router) -> std::pin::Pin<Box<dyn Future<Output = bool> + 'a>>;

const VARIANTS: [(&str, Variant); 2] = [
    ("oneshot by hand", |router| Box::pin(by_hand(router))),
    ("Browser::fetch", |router| Box::pin(through_testing(router))),
];

fn time(
    runtime: &tokio::runtime::Runtime,
    router: &Router,
    variant: Variant,
    count: u32,
) -> Duration {
    let start = Instant::now();
    for _ in 0..count {
        black_box(runtime.block_on(variant(router)));
    }
    start.elapsed()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let router = router();
    for (name, variant) in VARIANTS {
        assert!(
            runtime.block_on(variant(&router)),
            "{name}: the fetch must be allowed"
        );
    }
    // `cargo bench` passes `--bench`; `cargo test --bench testing` does not, and
    // then every part runs once, briefly, as a test.
    let measuring = std::env::args().any(|a| a == "--bench");
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut group = criterion.benchmark_group("one preflighted fetch");
    for (name, variant) in VARIANTS {
        group.bench_function(name, |b| {
            b.iter(|| black_box(runtime.block_on(variant(&router))))
        });
    }
    group.finish();
    criterion.final_summary();

    let (rounds, turns, batch) = if measuring { (21, 50, 100) } else { (3, 2, 10) };
    let mut ratios = Vec::with_capacity(rounds);
    let mut per_fetch = [Vec::with_capacity(rounds), Vec::with_capacity(rounds)];
    for round in 0..rounds {
        let mut times = [Duration::ZERO; 2];
        for turn in 0..turns {
            for step in 0..2 {
                let index = (round + turn + step) % 2;
                times[index] += time(&runtime, &router, VARIANTS[index].1, batch);
            }
        }
        let count = f64::from(batch) * turns as f64;
        for (index, total) in times.iter().enumerate() {
            per_fetch[index].push(total.as_secs_f64() / count * 1e6);
        }
        ratios.push(times[1].as_secs_f64() / times[0].as_secs_f64());
    }
    let median = |values: &mut Vec<f64>| {
        values.sort_by(f64::total_cmp);
        (
            values[values.len() / 2],
            values[values.len() / 4],
            values[values.len() * 3 / 4],
        )
    };
    println!(
        "\n{rounds} rounds of {turns} turns of {batch} fetches per variant; median (quartiles):\n"
    );
    for (index, (name, _)) in VARIANTS.iter().enumerate() {
        let (m, low, high) = median(&mut per_fetch[index]);
        println!("| {name} | {m:.2} µs ({low:.2}-{high:.2}) |");
    }
    let (m, low, high) = median(&mut ratios);
    println!("| Browser::fetch / oneshot by hand | {m:.2}x ({low:.2}-{high:.2}) |");
}
