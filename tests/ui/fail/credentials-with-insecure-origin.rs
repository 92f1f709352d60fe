use static_cors::cors;

#[cors(origins = ["http://app.example.com"], methods = [GET], credentials)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
