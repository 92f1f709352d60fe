use static_cors::cors;

#[cors(origins = ["https://*.co.uk"], methods = [GET], credentials)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
