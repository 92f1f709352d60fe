use static_cors::cors;
use static_cors::runtime::policy::AllowHeaders;

#[cors(origins = "*", methods = [GET], headers = "*")]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    let AllowHeaders::Any { names, value } = handler::POLICY.allow_headers() else {
        panic!("expected any header");
    };
    assert!(names.is_empty());
    assert_eq!(value, "*");
}
