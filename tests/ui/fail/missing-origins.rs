use static_cors::cors;

#[cors(methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
