use static_cors::cors;

#[cors(origins = ["1app://localhost"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
