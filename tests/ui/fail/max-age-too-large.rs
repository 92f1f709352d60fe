use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], max_age = 86401)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
