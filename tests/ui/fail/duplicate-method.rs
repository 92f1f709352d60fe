use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET, POST, "GET"])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
