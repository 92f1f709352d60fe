//! A label pattern with a fixed prefix: one label, never a dot, at most 63 characters.
use axum::http::{HeaderMap, HeaderValue};
use static_cors::cors;
use static_cors::runtime::origin::{HostPattern, PortPattern};
use static_cors::runtime::policy::AllowOrigin;

#[cors(origins = ["https://pr-*.preview.example.com"], methods = [GET], credentials)]
async fn handler() -> &'static str {
    "ok"
}

fn allows(origin: &'static str) -> bool {
    let mut request = HeaderMap::new();
    request.insert("origin", HeaderValue::from_static(origin));
    handler::POLICY.allowed_origin(&request).is_some()
}

fn main() {
    assert!(allows("https://pr-1.preview.example.com"), "https://pr-1.preview.example.com");
    assert!(allows("https://pr-feature-x.preview.example.com"), "https://pr-feature-x.preview.example.com");
    assert!(!allows("https://pr-.preview.example.com"), "https://pr-.preview.example.com");
    assert!(!allows("https://pr-1.x.preview.example.com"), "https://pr-1.x.preview.example.com");
    assert!(!allows("https://pr-A.preview.example.com"), "https://pr-A.preview.example.com");
    assert!(!allows("https://pr-1.preview.example.com."), "https://pr-1.preview.example.com.");
    assert!(!allows("https://preview.example.com"), "https://preview.example.com");
    assert!(!allows("https://pr-1-.preview.example.com"), "https://pr-1-.preview.example.com");
    let AllowOrigin::List(origins) = handler::POLICY.origins() else {
        panic!("expected a list of origins");
    };
    assert_eq!(
        origins[0].host(),
        &HostPattern::Label {
            prefix: "pr-".into(),
            suffix: "".into(),
            domain: "preview.example.com".into(),
        }
    );
    assert_eq!(origins[0].port(), PortPattern::Default);
    assert!(!origins[0].is_exact());
}
