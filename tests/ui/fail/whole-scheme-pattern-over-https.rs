use static_cors::cors;

#[cors(origins = ["https://*"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
