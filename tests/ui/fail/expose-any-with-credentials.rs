use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], expose = "*", credentials)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
