use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = ["*"])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
