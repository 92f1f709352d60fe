use static_cors::{Policy, cors_policy};

static API: Policy = cors_policy!(origins = ["https://app.example.com"]);

fn main() {
    let _ = &API;
}
