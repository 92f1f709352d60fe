use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], credentials, dangerous_insecure_origins)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
