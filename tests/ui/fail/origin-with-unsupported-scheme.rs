use static_cors::cors;

#[cors(origins = ["ftp://app.example.com"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
