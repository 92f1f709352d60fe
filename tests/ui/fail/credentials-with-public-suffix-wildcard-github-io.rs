use static_cors::cors;

#[cors(origins = ["https://*.github.io"], methods = [GET], credentials)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
