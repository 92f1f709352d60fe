//! A label pattern with a prefix and a suffix, over a public suffix: accepted without credentials.
use axum::http::{HeaderMap, HeaderValue};
use static_cors::cors;

#[cors(origins = ["https://app-*-acme.vercel.app"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn allows(origin: &'static str) -> bool {
    let mut request = HeaderMap::new();
    request.insert("origin", HeaderValue::from_static(origin));
    handler::POLICY.allowed_origin(&request).is_some()
}

fn main() {
    assert!(allows("https://app-git-main-acme.vercel.app"), "https://app-git-main-acme.vercel.app");
    assert!(!allows("https://app--acme.vercel.app"), "https://app--acme.vercel.app");
    assert!(!allows("https://app-acme.vercel.app"), "https://app-acme.vercel.app");
    assert!(!allows("https://app-x-acme.vercel.app.evil.net"), "https://app-x-acme.vercel.app.evil.net");
}
