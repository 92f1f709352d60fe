use static_cors::{Policy, cors_policy};

static API: Policy = cors_policy!(
    origins = ["safari-web-extension://*"],
    methods = [GET],
    credentials,
);

fn main() {
    let _ = &API;
}
