use static_cors::{Policy, cors_policy};

static NO_FILE: Policy = cors_policy!(file);
static FILE_NOT_TEXT: Policy = cors_policy!(file = cors_toml, policy = "api");
static NO_POLICY: Policy = cors_policy!(file = "cors.toml", policy =);

fn main() {
    let _ = (&NO_FILE, &FILE_NOT_TEXT, &NO_POLICY);
}
