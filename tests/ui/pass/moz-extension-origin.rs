//! A Firefox extension's origin (its per-install UUID), with credentials.
use axum::http::{HeaderMap, HeaderValue};
use static_cors::cors;

#[cors(origins = ["moz-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10"], methods = [GET], credentials)]
async fn handler() -> &'static str {
    "ok"
}

fn allows(origin: &'static str) -> bool {
    let mut request = HeaderMap::new();
    request.insert("origin", HeaderValue::from_static(origin));
    handler::POLICY.allowed_origin(&request).is_some()
}

fn main() {
    assert!(allows("moz-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10"), "moz-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10");
    assert!(!allows("moz-extension://4D3C6A0E-2A47-4D8B-9C52-6C1B1F2B7A10"), "moz-extension://4D3C6A0E-2A47-4D8B-9C52-6C1B1F2B7A10");
    assert!(!allows("moz-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a1"), "moz-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a1");
    assert!(!allows("chrome-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10"), "chrome-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10");
}
