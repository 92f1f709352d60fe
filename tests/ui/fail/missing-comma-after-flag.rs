use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], credentials csrf)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
