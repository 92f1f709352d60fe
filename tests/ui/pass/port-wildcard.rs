use static_cors::runtime::origin::{HostPattern, PortPattern};
use static_cors::cors;
use static_cors::runtime::policy::AllowOrigin;

#[cors(origins = ["http://localhost:*"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    let AllowOrigin::List(origins) = handler::POLICY.origins() else {
        panic!("expected a list of origins");
    };
    let pattern = &origins[0];
    assert_eq!(pattern.host(), &HostPattern::Exact("localhost".into()));
    assert_eq!(pattern.port(), PortPattern::Any);
    assert!(pattern.matches(b"http://localhost"));
    assert!(pattern.matches(b"http://localhost:5173"));
    assert!(!pattern.matches(b"http://localhost:80"));
    assert!(!pattern.matches(b"http://a.localhost:5173"));
}
