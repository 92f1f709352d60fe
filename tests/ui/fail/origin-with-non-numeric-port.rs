use static_cors::cors;

#[cors(origins = ["https://app.example.com:https"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
