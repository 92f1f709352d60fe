use static_cors::cors;

#[cors(origins = , methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
