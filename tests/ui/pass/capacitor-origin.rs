//! The origin of a Capacitor app on iOS, with credentials.
use axum::http::{HeaderMap, HeaderValue};
use static_cors::cors;

#[cors(origins = ["capacitor://localhost"], methods = [GET], credentials)]
async fn handler() -> &'static str {
    "ok"
}

fn allows(origin: &'static str) -> bool {
    let mut request = HeaderMap::new();
    request.insert("origin", HeaderValue::from_static(origin));
    handler::POLICY.allowed_origin(&request).is_some()
}

fn main() {
    assert!(allows("capacitor://localhost"), "capacitor://localhost");
    assert!(!allows("capacitor://localhost:8080"), "capacitor://localhost:8080");
    assert!(!allows("http://localhost"), "http://localhost");
    assert!(!allows("ionic://localhost"), "ionic://localhost");
}
