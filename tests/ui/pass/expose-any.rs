use static_cors::cors;

#[cors(origins = "*", methods = [GET], expose = "*")]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    assert_eq!(handler::POLICY.expose_headers().unwrap(), "*");
}
