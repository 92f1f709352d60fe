use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], headers = ["access-control-max-age"])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
