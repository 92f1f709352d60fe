use static_cors::cors;

// Methods are kept as written: `patch` and `PATCH` are two methods, and browsers
// send `patch` as is.
#[cors(origins = ["https://app.example.com"], methods = [GET, "PURGE", "patch", "x-sync"])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    assert_eq!(handler::POLICY.allow_methods(), "GET, PURGE, patch, x-sync");
    assert!(handler::POLICY.serves("patch"));
    assert!(!handler::POLICY.serves("PATCH"));
    assert!(handler::POLICY.serves("PURGE"));
}
