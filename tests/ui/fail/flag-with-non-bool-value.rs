use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], credentials = "yes")]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
