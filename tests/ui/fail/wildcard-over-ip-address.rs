use static_cors::cors;

#[cors(origins = ["https://*.192.168.1.1"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
