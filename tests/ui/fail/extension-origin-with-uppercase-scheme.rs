use static_cors::cors;

#[cors(origins = ["Chrome-Extension://abcdefghijklmnop"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
