use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], max_age = 86400)]
async fn handler() -> &'static str {
    "ok"
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn without_max_age() -> &'static str {
    "ok"
}

fn main() {
    assert_eq!(handler::POLICY.max_age().unwrap(), "86400");
    assert!(without_max_age::POLICY.max_age().is_none());
}
