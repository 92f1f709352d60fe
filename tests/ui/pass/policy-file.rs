use static_cors::{cors, cors_policy, Policy};

// trybuild compiles this file in `target/tests/trybuild/static-cors/`: the
// path climbs back to the repository.
#[cors(file = "../../../../tests/ui/config/policies.toml", policy = "api")]
async fn items() -> &'static str {
    "[]"
}

static API: Policy = cors_policy!(file = "../../../../tests/ui/config/policies.toml", policy = "api");

fn main() {
    assert_eq!(items::POLICY, API);
    assert_eq!(API.allow_methods(), "GET, POST");
    assert!(API.credentials());
}
