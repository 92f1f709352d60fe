use static_cors::cors;

#[cors(origins = ["null"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
