use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], headers = ["Content-Type", "content-type"])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
