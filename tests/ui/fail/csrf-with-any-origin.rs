use static_cors::cors;

#[cors(origins = "*", methods = [POST], csrf)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
