use static_cors::cors;

#[cors(origins = ["https://bücher.example"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
