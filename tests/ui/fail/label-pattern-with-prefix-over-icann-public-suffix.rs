use static_cors::cors;

#[cors(origins = ["https://app-*.co.uk"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
