use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [get])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
