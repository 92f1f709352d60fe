use static_cors::cors;
use static_cors::runtime::policy::AllowOrigin;

// Plain `http://` is fine with credentials on loopback: nobody else is on the path.
#[cors(
    origins = [
        "http://localhost:5173",
        "http://127.0.0.1:8080",
        "http://[::1]:3000",
        "http://*.localhost:*",
    ],
    methods = [GET],
    credentials,
)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    assert!(handler::POLICY.credentials());
    let AllowOrigin::List(origins) = handler::POLICY.origins() else {
        panic!("expected a list of origins");
    };
    assert_eq!(origins.len(), 4);
    assert!(origins.iter().all(|o| o.is_loopback()));
    assert!(origins[3].matches(b"http://app.localhost:4000"));
}
