use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], max_age = -1)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
