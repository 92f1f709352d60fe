use static_cors::cors;

// `0` tells browsers not to cache the preflight.
#[cors(origins = ["https://app.example.com"], methods = [GET], max_age = 0)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    assert_eq!(handler::POLICY.max_age().unwrap(), "0");
}
