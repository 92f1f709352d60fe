use static_cors::cors;
use static_cors::runtime::policy::AllowOrigin;

#[cors(
    origins = ["https://*.github.io"],
    methods = [GET],
    credentials,
    dangerous_public_suffix_wildcards,
)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    assert!(handler::POLICY.credentials());
    let AllowOrigin::List(origins) = handler::POLICY.origins() else {
        panic!("expected a list of origins");
    };
    assert!(origins[0].is_public_suffix_wildcard());
    assert!(origins[0].matches(b"https://someone.github.io"));
}
