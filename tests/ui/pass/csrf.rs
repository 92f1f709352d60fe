use static_cors::{Policy, cors, cors_policy};

#[cors(origins = ["https://app.example.com"], methods = [POST], csrf)]
async fn handler() -> &'static str {
    "ok"
}

#[cors(origins = ["https://app.example.com"], methods = [POST], csrf = false)]
async fn unprotected() -> &'static str {
    "ok"
}

static API: Policy = cors_policy!(
    origins = ["https://app.example.com", "https://*.example.org"],
    methods = [GET, POST],
    credentials,
    csrf,
);

fn main() {
    assert!(handler::POLICY.csrf());
    assert!(!unprotected::POLICY.csrf());
    let built = Policy::builder()
        .origins(["https://app.example.com", "https://*.example.org"])
        .methods(["GET", "POST"])
        .credentials(true)
        .csrf(true)
        .build()
        .unwrap();
    assert_eq!(API, built, "cors_policy! and the builder build the same policy");
}
