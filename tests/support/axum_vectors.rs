//! The conformance vectors through a real `axum::Router`: the test handler, the
//! requests, and a runner over routers made for each case's mount.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use crate::vectors::{Observed, applies_to_layer, mount, run_all_with, run_matching};

/// Whether the handler ran, per router.
pub type Called = Arc<AtomicBool>;

/// The test handler of the vectors: `200 ok` with `x-request-id: 42`, and
/// `Vary: V` when the request carries `x-test-vary: V`.
pub async fn respond(State(called): State<Called>, headers: HeaderMap) -> Response {
    called.store(true, Ordering::SeqCst);
    let mut response = (StatusCode::OK, "ok").into_response();
    response
        .headers_mut()
        .insert("x-request-id", HeaderValue::from_static("42"));
    if let Some(vary) = headers.get("x-test-vary") {
        response.headers_mut().append("vary", vary.clone());
    }
    response
}

fn request(case: &Value) -> Request<Body> {
    let spec = &case["request"];
    let mut builder = Request::builder()
        .method(spec["method"].as_str().unwrap())
        .uri("/items");
    for pair in spec["headers"].as_array().unwrap() {
        builder = builder.header(pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
    }
    builder.body(Body::empty()).unwrap()
}

async fn run(case: &Value, router: Router, called: Called) -> Observed {
    let response = router.oneshot(request(case)).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    Observed {
        status: parts.status,
        headers: parts.headers,
        body: body.to_vec(),
        handler_called: called.load(Ordering::SeqCst),
    }
}

/// Runs every case through an axum router made for its mount.
pub async fn run_all(front_end: &str, router: impl Fn(&[String], Called) -> Router) {
    run_all_with(front_end, async |case| {
        let called = Called::default();
        run(case, router(&mount(case), called.clone()), called).await
    })
    .await;
}

/// Runs every case that applies to a layer through an application whose
/// `/items` route is the test handler on every method, behind `layer`.
pub async fn run_layer<L>(front_end: &str, layer: impl Fn(&str) -> L)
where
    L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
    L::Service: tower::Service<Request<Body>> + Clone + Send + Sync + 'static,
    <L::Service as tower::Service<Request<Body>>>::Response: IntoResponse + 'static,
    <L::Service as tower::Service<Request<Body>>>::Error: Into<std::convert::Infallible> + 'static,
    <L::Service as tower::Service<Request<Body>>>::Future: Send + 'static,
{
    run_matching(front_end, applies_to_layer, async |case| {
        let called = Called::default();
        let router = Router::new()
            .route("/items", axum::routing::any(respond))
            .layer(layer(&mount(case)[0]))
            .with_state(called.clone());
        run(case, router, called).await
    })
    .await;
}
