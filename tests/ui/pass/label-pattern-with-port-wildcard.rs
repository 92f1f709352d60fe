//! A label pattern beside a port wildcard.
use axum::http::{HeaderMap, HeaderValue};
use static_cors::cors;

#[cors(origins = ["https://pr-*.example.com:*"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn allows(origin: &'static str) -> bool {
    let mut request = HeaderMap::new();
    request.insert("origin", HeaderValue::from_static(origin));
    handler::POLICY.allowed_origin(&request).is_some()
}

fn main() {
    assert!(allows("https://pr-7.example.com"), "https://pr-7.example.com");
    assert!(allows("https://pr-7.example.com:8443"), "https://pr-7.example.com:8443");
    assert!(!allows("https://pr-7.example.com:443"), "https://pr-7.example.com:443");
    assert!(!allows("https://pr-.example.com:8443"), "https://pr-.example.com:8443");
}
