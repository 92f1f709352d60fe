use static_cors::cors;

#[cors(
    origins = ["http://intranet.example.com"],
    methods = [GET],
    credentials,
    dangerous_insecure_origins,
)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    assert!(handler::POLICY.credentials());
}
