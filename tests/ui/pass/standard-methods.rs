use static_cors::cors;

#[cors(
    origins = ["https://app.example.com"],
    methods = [GET, HEAD, POST, PUT, DELETE, PATCH],
)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    assert_eq!(
        handler::POLICY.allow_methods(),
        "GET, HEAD, POST, PUT, DELETE, PATCH"
    );
    assert_eq!(
        handler::METHODS,
        ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]
    );
}
