use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], credentials = true)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    assert!(handler::POLICY.credentials());
}
