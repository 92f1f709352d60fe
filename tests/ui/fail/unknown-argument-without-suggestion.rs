use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], allow_everything)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
