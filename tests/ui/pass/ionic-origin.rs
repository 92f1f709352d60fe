//! The origin of an Ionic app on iOS.
use axum::http::{HeaderMap, HeaderValue};
use static_cors::cors;

#[cors(origins = ["ionic://localhost"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn allows(origin: &'static str) -> bool {
    let mut request = HeaderMap::new();
    request.insert("origin", HeaderValue::from_static(origin));
    handler::POLICY.allowed_origin(&request).is_some()
}

fn main() {
    assert!(allows("ionic://localhost"), "ionic://localhost");
    assert!(!allows("ionic://localhost/"), "ionic://localhost/");
    assert!(!allows("capacitor://localhost"), "capacitor://localhost");
}
