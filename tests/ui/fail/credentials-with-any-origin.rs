use static_cors::cors;

#[cors(origins = "*", methods = [GET], credentials)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
