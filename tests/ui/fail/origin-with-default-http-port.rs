use static_cors::cors;

#[cors(origins = ["http://app.example.com:80"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
