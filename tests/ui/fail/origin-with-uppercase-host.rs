use static_cors::cors;

#[cors(origins = ["https://App.Example.com"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
