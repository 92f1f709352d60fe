use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], private_network)]
async fn handler() -> &'static str {
    "ok"
}

#[cors(origins = ["https://app.example.com"], methods = [GET], private_network = false)]
async fn public_network() -> &'static str {
    "ok"
}

fn main() {
    assert!(handler::POLICY.private_network());
    assert!(!public_network::POLICY.private_network());
}
