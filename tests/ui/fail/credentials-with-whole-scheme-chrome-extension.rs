use static_cors::cors;

#[cors(origins = ["chrome-extension://*"], methods = [GET], credentials)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
