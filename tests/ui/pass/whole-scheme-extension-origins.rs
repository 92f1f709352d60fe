//! Whole-scheme patterns: every installation of a Firefox or Safari extension
//! has its own UUID, so no list can name an extension's users.
use axum::http::{HeaderMap, HeaderValue};
use static_cors::cors;
use static_cors::runtime::origin::HostPattern;
use static_cors::runtime::policy::AllowOrigin;

#[cors(
    origins = ["moz-extension://*", "safari-web-extension://*", "chrome-extension://*"],
    methods = [GET],
    credentials,
    dangerous_any_extension_origin,
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
    assert!(allows("moz-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10"));
    assert!(allows("safari-web-extension://140BB581-A2C0-422A-9DD3-6982A5ABEE5E"));
    assert!(allows("chrome-extension://abcdefghijklmnop"));
    assert!(!allows("moz-extension://"));
    assert!(!allows("moz-extension://4d3c6a0e/path"));
    assert!(!allows("moz-extension://4d3c6a0e:8080"));
    assert!(!allows("https://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10"));
    let AllowOrigin::List(origins) = handler::POLICY.origins() else {
        panic!("expected a list of origins");
    };
    assert_eq!(origins[0].host(), &HostPattern::Any);
    assert!(origins[0].is_whole_scheme());
}
