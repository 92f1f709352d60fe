use static_cors::cors;

struct Api;

impl Api {
    #[cors(origins = ["https://app.example.com"], methods = [GET])]
    async fn handler(&self) -> &'static str {
        "ok"
    }
}

fn main() {
    let _ = Api::handler;
}
