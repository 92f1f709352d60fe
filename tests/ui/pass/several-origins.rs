use static_cors::cors;
use static_cors::runtime::policy::AllowOrigin;

#[cors(
    origins = [
        "https://app.example.com",
        "https://*.example.org",
        "http://localhost:*",
        "https://example.net:8443",
    ],
    methods = [GET],
)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    let AllowOrigin::List(origins) = handler::POLICY.origins() else {
        panic!("expected a list of origins");
    };
    let written: Vec<&str> = origins.iter().map(|o| o.as_str()).collect();
    assert_eq!(
        written,
        [
            "https://app.example.com",
            "https://*.example.org",
            "http://localhost:*",
            "https://example.net:8443",
        ]
    );
}
