use static_cors::{AllowOrigin, cors};

#[cors(origins = "*", methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    assert_eq!(handler::POLICY.origins(), &AllowOrigin::Any);
    assert!(!handler::POLICY.credentials());
}
