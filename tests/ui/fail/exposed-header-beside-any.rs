use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], expose = ["*", "x-request-id"])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
