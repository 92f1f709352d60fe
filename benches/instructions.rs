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
//! `Router::layer`). Kinds: `actual`, `preflight`. The count of 1,200
//! requests minus that of 200, over 1,000, is the cost of one request (the
//! first requests warm the runtime up); a variant's own cost is that minus
//! `nothing`'s. Without arguments (`cargo test --bench instructions`), it
//! checks that each variant answers each kind as it should.

use std::hint::black_box;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::routing::get;
use tower::ServiceExt;

#[path = "../tests/support/hyper_like.rs"]
mod hyper_like;
use hyper_like::request;

#[path = "support/peers.rs"]
mod peers;
use peers::{APP_POLICY, floor_layer, plain, tower_http_layer};

/// One request through `app`: the only code counted.
#[inline(never)]
fn answer(runtime: &tokio::runtime::Runtime, app: &Router, request: Request<Body>) -> StatusCode {
    runtime
        .block_on(app.clone().oneshot(request))
        .unwrap()
        .status()
}

const VARIANTS: [&str; 4] = ["nothing", "floor", "tower-http", "static-cors"];
const KINDS: [&str; 2] = ["actual", "preflight"];

/// The application of a variant.
fn app(variant: &str) -> Router {
    let routes = || Router::new().route("/items", get(plain).post(plain));
    match variant {
        "nothing" => routes().layer(tower::layer::util::Identity::new()),
        "floor" => routes().layer(floor_layer()),
        "tower-http" => routes().layer(tower_http_layer()),
        "static-cors" => routes().layer(static_cors::CorsLayer::new(&APP_POLICY)),
        other => panic!("unknown variant `{other}`"),
    }
    .with_state(())
}

/// A request of one kind.
fn make(kind: &str) -> Request<Body> {
    match kind {
        "actual" => request(Method::GET, &[("origin", "http://localhost:5173")]),
        "preflight" => request(
            Method::OPTIONS,
            &[
                ("origin", "http://localhost:5173"),
                ("access-control-request-method", "POST"),
                ("access-control-request-headers", "content-type,x-api-key"),
            ],
        ),
        other => panic!("unknown kind `{other}`"),
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [variant, kind, count] = &args[..] {
        let app = app(variant);
        let count: u32 = count.parse().expect("a number of requests");
        for _ in 0..count {
            black_box(answer(&runtime, &app, make(kind)));
        }
        return;
    }
    // Run by `cargo bench` or `cargo test`, with no variant to count: check
    // that every variant answers every kind as it should.
    for variant in VARIANTS {
        let app = app(variant);
        for kind in KINDS {
            let status = answer(&runtime, &app, make(kind));
            let expected = match (variant, kind) {
                (_, "actual") => StatusCode::OK,
                // The layer that does nothing and the floor let the router
                // answer a preflight, which no route serves.
                ("nothing" | "floor", _) => StatusCode::METHOD_NOT_ALLOWED,
                ("tower-http", _) => StatusCode::OK,
                _ => StatusCode::NO_CONTENT,
            };
            assert_eq!(status, expected, "{variant}, {kind}");
        }
    }
}
