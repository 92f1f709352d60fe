use static_cors::cors;
use static_cors::runtime::policy::AllowHeaders;

#[cors(
    origins = ["https://app.example.com"],
    methods = [GET],
    headers = ["Content-Type", "x-api-key", "authorization"],
    expose = ["X-Request-Id", "x-total-count"],
)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    let AllowHeaders::List { names, value } = handler::POLICY.allow_headers() else {
        panic!("expected a list of headers");
    };
    assert_eq!(
        names.as_ref(),
        ["content-type", "x-api-key", "authorization"]
    );
    assert_eq!(value, "content-type, x-api-key, authorization");
    assert_eq!(
        handler::POLICY.expose_headers().unwrap(),
        "x-request-id, x-total-count"
    );
}
