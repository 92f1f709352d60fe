use static_cors::{Policy, cors_policy};

// The path is relative to trybuild's build directory, `target/tests/trybuild/static-cors/`.
static ADMIN: Policy = cors_policy!(file = "../../../../tests/ui/config/policies.toml", policy = "admin");

fn main() {
    let _ = &ADMIN;
}
