//! Policies of many origins, as a multi-tenant service keeps them: building a
//! policy of N exact origins (`https://tenant{i}.customer-domain{i}.com`),
//! replacing a `DynamicPolicy` with it, and `Policy::evaluate` on a `GET` that
//! carries the last origin of the list, or one that is not listed. Then the
//! whole layer, static-cors's `CorsLayer` beside tower-http's over the same
//! origins, in alternating rounds in this one process, as ratios.
//!
//! ```text
//! cargo bench --bench origins
//! ```
//!
//! The columns "before" are this benchmark's figures for the matcher that
//! scanned the whole list (commit 93322b2), measured on the same machine with
//! this same file and kept below as [`BEFORE`]: that code no longer exists to
//! run beside this one.

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, Response};
use static_cors::layer::CorsLayer;
use static_cors::runtime::{DynamicPolicy, Policy};
use tower::{Layer, Service, service_fn};
use tower_http::cors::{AllowOrigin, CorsLayer as TowerCorsLayer};

#[path = "../tests/support/hyper_like.rs"]
mod hyper_like;
use hyper_like::request;

const SIZES: [usize; 5] = [10, 100, 1_000, 5_000, 20_000];

/// The figures of the scanning matcher (commit 93322b2) from this benchmark,
/// release build, on the machine that measured the figures beside them: N,
/// build (ms), evaluate listed (ns), evaluate unlisted (ns), reconfigure (ms).
const BEFORE: [(usize, f64, f64, f64, f64); 5] = [
    (10, 0.01, 111.0, 144.0, 0.01),
    (100, 0.14, 640.0, 618.0, 0.15),
    (1_000, 18.82, 5_640.0, 5_095.0, 11.45),
    (5_000, 503.39, 61_795.0, 27_677.0, 558.06),
    (20_000, 6_503.87, 234_138.0, 130_590.0, 5_763.57),
];

fn origins(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("https://tenant{i}.customer-domain{i}.com"))
        .collect()
}

const UNLISTED: &str = "https://tenant0.customer-domain1.com";

fn builder(origins: &[String]) -> static_cors::runtime::PolicyBuilder {
    Policy::builder()
        .origins(origins.iter().cloned())
        .methods(["GET", "POST"])
}

/// The least of `runs` timings of `work`.
fn least(runs: usize, mut work: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Nanoseconds per call of `work`, the least over a few batches.
fn per_call(batches: usize, calls: u32, mut work: impl FnMut()) -> f64 {
    let batch = least(batches, || {
        for _ in 0..calls {
            work();
        }
    });
    batch.as_nanos() as f64 / f64::from(calls)
}

/// Polls a future that completes without waiting, as the layers' do over a
/// service that answers at once.
fn now<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the service answers at once"),
    }
}

fn get(origin: &str) -> Request<Body> {
    request(Method::GET, &[("origin", origin)])
}

struct Row {
    n: usize,
    build_ms: f64,
    listed_ns: f64,
    unlisted_ns: f64,
    reconfigure_ms: f64,
}

/// Build and reconfigure times of each size, then evaluate times measured in
/// rounds that visit every size in turn, so that a busy moment of a shared
/// machine does not fall on one size alone; the least of each.
fn measure(sizes: &[usize], quick: bool) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut cases = Vec::new();
    for &n in sizes {
        let list = origins(n);
        let runs = if quick { 1 } else { (20_000 / n).clamp(9, 50) };
        let build = least(runs, || {
            black_box(builder(&list).build().unwrap());
        });
        let dynamic = DynamicPolicy::new(builder(&origins(1)).build().unwrap());
        let reconfigure = least(runs, || {
            dynamic.reconfigure(builder(&list)).unwrap();
        });
        let policy = builder(&list).build().unwrap();
        let (listed, unlisted) = (get(list.last().unwrap()), get(UNLISTED));
        assert!(policy.evaluate(&listed).reason().is_none());
        assert!(policy.evaluate(&unlisted).reason().is_some());
        rows.push(Row {
            n,
            build_ms: build.as_secs_f64() * 1e3,
            listed_ns: f64::MAX,
            unlisted_ns: f64::MAX,
            reconfigure_ms: reconfigure.as_secs_f64() * 1e3,
        });
        cases.push((policy, listed, unlisted));
    }
    let (rounds, calls) = if quick { (1, 100) } else { (151, 2_000) };
    for _ in 0..rounds {
        for (row, (policy, listed, unlisted)) in rows.iter_mut().zip(&cases) {
            row.listed_ns = row.listed_ns.min(per_call(1, calls, || {
                black_box(policy.evaluate(black_box(listed)));
            }));
            row.unlisted_ns = row.unlisted_ns.min(per_call(1, calls, || {
                black_box(policy.evaluate(black_box(unlisted)));
            }));
        }
    }
    rows
}

/// One layer against the other on one origin: per round, each answers the
/// same number of requests (the first of them alternating); the medians of
/// static-cors's time, tower-http's time and their ratio within a round.
struct Versus {
    ours_ns: f64,
    peer_ns: f64,
    ratio: f64,
}

/// One request through each layer over a service that answers at once, for
/// the last origin of the list and for one not listed.
fn layers(n: usize, quick: bool) -> [Versus; 2] {
    let list = origins(n);
    let last = list.last().cloned().unwrap_or_default();
    let inner = service_fn(|_: Request<Body>| async { Ok::<_, ()>(Response::new(Body::empty())) });
    let ours = CorsLayer::new(Arc::new(builder(&list).build().unwrap())).layer(inner);
    let values: Vec<HeaderValue> = list.iter().map(|o| o.parse().unwrap()).collect();
    let peer = TowerCorsLayer::new()
        .allow_origin(AllowOrigin::list(values))
        .allow_methods([Method::GET, Method::POST])
        .layer(inner);
    // tower-http scans its list: fewer calls per round for long ones.
    let (rounds, calls) = if quick {
        (1, 10)
    } else {
        (15, (4_000_000 / n).clamp(200, 20_000) as u32)
    };
    [last.as_str(), UNLISTED].map(|origin| {
        let mut call_ours = || {
            let mut service = ours.clone();
            black_box(now(service.call(get(origin))).unwrap());
        };
        let mut call_peer = || {
            let mut service = peer.clone();
            black_box(now(service.call(get(origin))).unwrap());
        };
        let (mut ours_ns, mut peer_ns, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..rounds {
            let (a, b) = if round % 2 == 0 {
                let a = per_call(1, calls, &mut call_ours);
                (a, per_call(1, calls, &mut call_peer))
            } else {
                let b = per_call(1, calls, &mut call_peer);
                (per_call(1, calls, &mut call_ours), b)
            };
            ours_ns.push(a);
            peer_ns.push(b);
            ratios.push(a / b);
        }
        Versus {
            ours_ns: median(&mut ours_ns),
            peer_ns: median(&mut peer_ns),
            ratio: median(&mut ratios),
        }
    })
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn time(ns: f64) -> String {
    if ns >= 1_000.0 {
        format!("{:.1} us", ns / 1_000.0)
    } else {
        format!("{ns:.0} ns")
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and then
    // each size up to 1,000 runs once, as a test of the benchmark itself.
    let quick = !std::env::args().any(|a| a == "--bench");
    let sizes: Vec<usize> = SIZES
        .into_iter()
        .filter(|&n| !quick || n <= 1_000)
        .collect();
    let rows = measure(&sizes, quick);
    println!("\n`Policy::builder` with N exact origins, then `Policy::evaluate` on a GET");
    println!(
        "\n| N origins | build | evaluate, last origin | evaluate, not listed | reconfigure | build before | last origin before | not listed before | reconfigure before |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for row in &rows {
        let before = BEFORE.iter().find(|b| b.0 == row.n);
        let (bb, bl, bu, br) = before.map_or((0.0, 0.0, 0.0, 0.0), |b| (b.1, b.2, b.3, b.4));
        println!(
            "| {} | {:.2} ms | {} | {} | {:.2} ms | {:.2} ms | {} | {} | {:.2} ms |",
            row.n,
            row.build_ms,
            time(row.listed_ns),
            time(row.unlisted_ns),
            row.reconfigure_ms,
            bb,
            time(bl),
            time(bu),
            br,
        );
    }
    // The line that a run of this file on another version prints, to be
    // pasted into `BEFORE`.
    let line: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "({}, {:.2}, {:.0}, {:.0}, {:.2})",
                r.n, r.build_ms, r.listed_ns, r.unlisted_ns, r.reconfigure_ms
            )
        })
        .collect();
    println!(
        "\nthis version, as `BEFORE` takes it: [{}]",
        line.join(", ")
    );
    if let (Some(small), Some(large)) = (rows.first(), rows.iter().find(|r| r.n == 20_000)) {
        println!(
            "\nevaluate at 20,000 / at 10: last origin {:.2}x, not listed {:.2}x (target: at most 1.5x)",
            large.listed_ns / small.listed_ns,
            large.unlisted_ns / small.unlisted_ns,
        );
        println!(
            "build at 20,000: {:.1} ms, reconfigure: {:.1} ms (target: under 50 ms)",
            large.build_ms, large.reconfigure_ms
        );
    }
    println!(
        "\nThe whole layer over a service that answers at once, request built as hyper builds it:"
    );
    println!("static-cors `CorsLayer` / tower-http `CorsLayer`, median of alternating rounds\n");
    println!(
        "| N origins | last origin: static-cors | tower-http | ratio | not listed: static-cors | tower-http | ratio |"
    );
    println!("|---|---|---|---|---|---|---|");
    for &n in &sizes {
        let [listed, unlisted] = layers(n, quick);
        println!(
            "| {n} | {} | {} | {:.2}x | {} | {} | {:.2}x |",
            time(listed.ours_ns),
            time(listed.peer_ns),
            listed.ratio,
            time(unlisted.ours_ns),
            time(unlisted.peer_ns),
            unlisted.ratio,
        );
    }
}
