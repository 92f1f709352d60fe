use static_cors::cors;

#[cors(origins = ["https://app.example.com:65536"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
