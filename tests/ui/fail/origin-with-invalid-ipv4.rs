use static_cors::cors;

#[cors(origins = ["https://256.1.1.1"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
