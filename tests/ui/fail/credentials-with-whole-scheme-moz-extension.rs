use static_cors::cors;

#[cors(origins = ["moz-extension://*"], methods = [GET], credentials)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
