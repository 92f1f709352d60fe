use static_cors::cors;
use static_cors::runtime::policy::AllowOrigin;

// `credentials = false` is the default, spelled out: `*` is then allowed.
#[cors(origins = "*", methods = [GET], credentials = false)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    assert!(!handler::POLICY.credentials());
    assert_eq!(handler::POLICY.origins(), &AllowOrigin::Any);
}
