use static_cors::cors;

#[cors(origins = ["https://*.com"], methods = [GET], credentials)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
