use static_cors::cors;

#[cors(origins = ["chrome-extension://abcdefghijklmnop/popup.html"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
