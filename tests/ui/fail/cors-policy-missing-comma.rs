use static_cors::{Policy, cors_policy};

static API: Policy = cors_policy!(
    origins = ["https://app.example.com"],
    methods = [GET]
    max_age = 600,
);

fn main() {
    let _ = &API;
}
