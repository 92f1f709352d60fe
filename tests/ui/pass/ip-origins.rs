use static_cors::runtime::origin::{HostPattern, PortPattern};
use static_cors::cors;
use static_cors::runtime::policy::AllowOrigin;

#[cors(
    origins = ["https://[2001:db8::1]", "https://[2001:db8::2]:8443", "https://192.0.2.1"],
    methods = [GET],
)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    let AllowOrigin::List(origins) = handler::POLICY.origins() else {
        panic!("expected a list of origins");
    };
    assert_eq!(
        origins[0].host(),
        &HostPattern::Exact("[2001:db8::1]".into())
    );
    assert!(origins[0].matches(b"https://[2001:db8::1]"));
    assert_eq!(origins[1].port(), PortPattern::Exact(8443));
    assert!(origins[1].matches(b"https://[2001:db8::2]:8443"));
    assert!(origins[2].matches(b"https://192.0.2.1"));
}
