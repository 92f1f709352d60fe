use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], headers = ["access-control-allow-origin"])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
