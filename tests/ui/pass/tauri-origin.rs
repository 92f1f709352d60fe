//! The origin of a Tauri app on macOS and Linux, beside a web origin.
use axum::http::{HeaderMap, HeaderValue};
use static_cors::cors;

#[cors(origins = ["tauri://localhost", "https://app.example.com"], methods = [GET], credentials)]
async fn handler() -> &'static str {
    "ok"
}

fn allows(origin: &'static str) -> bool {
    let mut request = HeaderMap::new();
    request.insert("origin", HeaderValue::from_static(origin));
    handler::POLICY.allowed_origin(&request).is_some()
}

fn main() {
    assert!(allows("tauri://localhost"), "tauri://localhost");
    assert!(allows("https://app.example.com"), "https://app.example.com");
    assert!(!allows("tauri://localhost."), "tauri://localhost.");
    assert!(!allows("https://tauri.localhost"), "https://tauri.localhost");
}
