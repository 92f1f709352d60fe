use static_cors::cors;
use static_cors::runtime::policy::AllowHeaders;

// With credentials `*` is honoured by echoing the validated request headers.
#[cors(origins = ["https://app.example.com"], methods = [GET], headers = "*", credentials)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    assert!(handler::POLICY.credentials());
    assert!(matches!(
        handler::POLICY.allow_headers(),
        AllowHeaders::Any { .. }
    ));
}
