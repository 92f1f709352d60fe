use static_cors::{Policy, cors_policy};

static API: Policy = cors_policy!(file = "cors.toml");

fn main() {
    let _ = &API;
}
