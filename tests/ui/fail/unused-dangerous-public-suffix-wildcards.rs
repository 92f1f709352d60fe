use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], credentials, dangerous_public_suffix_wildcards)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
