//! A label pattern with a fixed suffix.
use axum::http::{HeaderMap, HeaderValue};
use static_cors::cors;

#[cors(origins = ["https://*-staging.example.com"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn allows(origin: &'static str) -> bool {
    let mut request = HeaderMap::new();
    request.insert("origin", HeaderValue::from_static(origin));
    handler::POLICY.allowed_origin(&request).is_some()
}

fn main() {
    assert!(allows("https://eu-staging.example.com"), "https://eu-staging.example.com");
    assert!(!allows("https://-staging.example.com"), "https://-staging.example.com");
    assert!(!allows("https://staging.example.com"), "https://staging.example.com");
    assert!(!allows("https://a.eu-staging.example.com"), "https://a.eu-staging.example.com");
}
