use static_cors::cors;
use static_cors::runtime::policy::AllowHeaders;

// `*` never covers `authorization`: it is listed beside it.
#[cors(origins = "*", methods = [GET], headers = ["*", "authorization"])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    let AllowHeaders::Any { names, value } = handler::POLICY.allow_headers() else {
        panic!("expected any header");
    };
    assert_eq!(names.as_ref(), ["authorization"]);
    assert_eq!(value, "*, authorization");
}
