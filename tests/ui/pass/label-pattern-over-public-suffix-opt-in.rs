//! A label pattern over a public suffix with credentials, opted in.
use axum::http::{HeaderMap, HeaderValue};
use static_cors::cors;

#[cors(origins = ["https://app-*-acme.vercel.app"], methods = [GET], credentials, dangerous_public_suffix_wildcards)]
async fn handler() -> &'static str {
    "ok"
}

fn allows(origin: &'static str) -> bool {
    let mut request = HeaderMap::new();
    request.insert("origin", HeaderValue::from_static(origin));
    handler::POLICY.allowed_origin(&request).is_some()
}

fn main() {
    assert!(allows("https://app-pr-7-acme.vercel.app"), "https://app-pr-7-acme.vercel.app");
    assert!(!allows("https://evil.vercel.app"), "https://evil.vercel.app");
}
