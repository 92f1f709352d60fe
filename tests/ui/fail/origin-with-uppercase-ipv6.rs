use static_cors::cors;

#[cors(origins = ["https://[2001:DB8::1]"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
