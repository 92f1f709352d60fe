use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], max_age = 100000000000000000000)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
