use static_cors::cors;
use static_cors::runtime::policy::AllowOrigin;

#[cors(origins = "*", methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    assert_eq!(handler::POLICY.origins(), &AllowOrigin::Any);
    assert!(!handler::POLICY.credentials());
}
