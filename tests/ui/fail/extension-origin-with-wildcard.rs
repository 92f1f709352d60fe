use static_cors::cors;

#[cors(origins = ["chrome-extension://*"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
