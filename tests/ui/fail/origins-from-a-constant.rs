use static_cors::cors;

#[cors(origins = config::ORIGINS, methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
