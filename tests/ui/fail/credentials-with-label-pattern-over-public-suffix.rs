use static_cors::cors;

#[cors(origins = ["https://app-*-acme.vercel.app"], methods = [GET], credentials)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
