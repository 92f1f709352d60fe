use static_cors::cors;

#[cors(origins = ["https://[2001:db8::g]"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
