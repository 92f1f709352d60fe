use static_cors::cors;

#[cors(origins = ["file:///home/me/index.html"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
