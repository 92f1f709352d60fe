//! The host of an extension origin is opaque: Safari sends its UUID in
//! uppercase, and the origin is listed and matched exactly as sent.
use axum::http::{HeaderMap, HeaderValue};
use static_cors::cors;

#[cors(
    origins = ["safari-web-extension://140BB581-A2C0-422A-9DD3-6982A5ABEE5E"],
    methods = [GET],
    credentials,
)]
async fn handler() -> &'static str {
    "ok"
}

fn allows(origin: &'static str) -> bool {
    let mut request = HeaderMap::new();
    request.insert("origin", HeaderValue::from_static(origin));
    handler::POLICY.allowed_origin(&request).is_some()
}

fn main() {
    assert!(allows("safari-web-extension://140BB581-A2C0-422A-9DD3-6982A5ABEE5E"));
    assert!(!allows("safari-web-extension://140bb581-a2c0-422a-9dd3-6982a5abee5e"));
}
