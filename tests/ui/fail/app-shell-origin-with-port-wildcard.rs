use static_cors::cors;

#[cors(origins = ["tauri://localhost:*"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
