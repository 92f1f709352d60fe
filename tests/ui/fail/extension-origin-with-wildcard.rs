use static_cors::cors;

#[cors(origins = ["chrome-extension://abc*"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
