use static_cors::cors;

#[cors("https://app.example.com", origins = ["https://app.example.com"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
