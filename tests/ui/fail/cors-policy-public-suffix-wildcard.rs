use static_cors::{Policy, cors_policy};

static API: Policy = cors_policy!(
    origins = ["https://*.github.io"],
    methods = [GET],
    credentials,
);

fn main() {
    let _ = &API;
}
