use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = ["Post"])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
