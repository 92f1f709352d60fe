use static_cors::cors;

#[cors(origins = ["https://app.example.com"], , methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
