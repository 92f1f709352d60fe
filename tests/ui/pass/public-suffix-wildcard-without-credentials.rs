use static_cors::cors;

// Without credentials a wildcard over a public suffix needs no opt-in.
#[cors(origins = ["https://*.github.io"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    assert!(!handler::POLICY.credentials());
}
