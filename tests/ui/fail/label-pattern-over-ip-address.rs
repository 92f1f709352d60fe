use static_cors::cors;

#[cors(origins = ["https://pr-*.10.0.0.1"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
