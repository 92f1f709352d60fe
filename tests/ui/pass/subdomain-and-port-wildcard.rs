use static_cors::runtime::origin::{HostPattern, PortPattern};
use static_cors::cors;
use static_cors::runtime::policy::AllowOrigin;

#[cors(origins = ["https://*.example.org:*"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    let AllowOrigin::List(origins) = handler::POLICY.origins() else {
        panic!("expected a list of origins");
    };
    let pattern = &origins[0];
    assert_eq!(
        pattern.host(),
        &HostPattern::Subdomains("example.org".into())
    );
    assert_eq!(pattern.port(), PortPattern::Any);
    assert!(pattern.matches(b"https://a.example.org"));
    assert!(pattern.matches(b"https://a.b.example.org:8443"));
    assert!(!pattern.matches(b"https://example.org:8443"));
}
