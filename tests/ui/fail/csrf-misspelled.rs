use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [POST], crsf)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
