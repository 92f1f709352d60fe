use static_cors::cors;

#[cors(orgins = ["https://app.example.com"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
