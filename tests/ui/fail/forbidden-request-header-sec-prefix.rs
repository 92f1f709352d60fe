use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], headers = ["sec-fetch-mode"])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
