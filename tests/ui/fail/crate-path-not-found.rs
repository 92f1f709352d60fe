use static_cors::cors;

#[cors(crate = cors_lib, origins = ["https://app.example.com"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
