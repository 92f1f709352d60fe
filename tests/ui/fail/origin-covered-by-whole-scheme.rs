use static_cors::cors;

#[cors(origins = ["moz-extension://*", "moz-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
