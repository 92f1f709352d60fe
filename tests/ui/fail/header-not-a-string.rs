use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], headers = [CONTENT_TYPE])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
