use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], private_network(true))]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
