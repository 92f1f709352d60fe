use static_cors::cors;
use static_cors::runtime::policy::AllowOrigin;

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    let AllowOrigin::List(origins) = handler::POLICY.origins() else {
        panic!("expected a list of origins");
    };
    assert_eq!(origins.len(), 1);
    assert_eq!(origins[0].as_str(), "https://app.example.com");
    assert!(origins[0].is_exact());
    assert!(origins[0].matches(b"https://app.example.com"));
    assert!(!origins[0].matches(b"https://app.example.com:443"));
    assert_eq!(handler::POLICY.allow_methods(), "GET");
    assert!(!handler::POLICY.credentials());
    let _ = handler;
}
