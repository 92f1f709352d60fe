use static_cors::cors;
use static_cors::runtime::policy::AllowHeaders;

#[cors(
    crate = ::static_cors,
    origins = ["https://app.example.com", "http://intranet.example.com", "https://*.github.io"],
    methods = [GET, POST, "PURGE"],
    headers = ["content-type", "authorization"],
    expose = ["x-request-id"],
    credentials = true,
    max_age = 600,
    private_network = true,
    csrf = true,
    dangerous_insecure_origins = true,
    dangerous_public_suffix_wildcards = true,
)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    let policy = &handler::POLICY;
    assert_eq!(policy.allow_methods(), "GET, POST, PURGE");
    assert!(matches!(policy.allow_headers(), AllowHeaders::List { .. }));
    assert_eq!(policy.expose_headers().unwrap(), "x-request-id");
    assert!(policy.credentials());
    assert_eq!(policy.max_age().unwrap(), "600");
    assert!(policy.private_network());
    assert!(policy.csrf());
}
