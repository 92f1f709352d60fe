use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], expose = ["x-request-id", "X-Request-Id"])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
