//! A Safari web extension's origin.
use axum::http::{HeaderMap, HeaderValue};
use static_cors::cors;

#[cors(origins = ["safari-web-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn allows(origin: &'static str) -> bool {
    let mut request = HeaderMap::new();
    request.insert("origin", HeaderValue::from_static(origin));
    handler::POLICY.allowed_origin(&request).is_some()
}

fn main() {
    assert!(allows("safari-web-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10"), "safari-web-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10");
    assert!(!allows("safari-web-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10:443"), "safari-web-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10:443");
    assert!(!allows("moz-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10"), "moz-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10");
}
