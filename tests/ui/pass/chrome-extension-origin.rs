//! A Chromium extension's origin, with credentials: served by the browser itself, never insecure.
use axum::http::{HeaderMap, HeaderValue};
use static_cors::cors;

#[cors(origins = ["chrome-extension://abcdefghijklmnop"], methods = [GET], credentials)]
async fn handler() -> &'static str {
    "ok"
}

fn allows(origin: &'static str) -> bool {
    let mut request = HeaderMap::new();
    request.insert("origin", HeaderValue::from_static(origin));
    handler::POLICY.allowed_origin(&request).is_some()
}

fn main() {
    assert!(allows("chrome-extension://abcdefghijklmnop"), "chrome-extension://abcdefghijklmnop");
    assert!(!allows("chrome-extension://abcdefghijklmnoq"), "chrome-extension://abcdefghijklmnoq");
    assert!(!allows("chrome-extension://abcdefghijklmnop/"), "chrome-extension://abcdefghijklmnop/");
    assert!(!allows("Chrome-Extension://abcdefghijklmnop"), "Chrome-Extension://abcdefghijklmnop");
    assert!(!allows("https://abcdefghijklmnop"), "https://abcdefghijklmnop");
    assert!(handler::POLICY.credentials());
}
