use static_cors::{Policy, cors_policy};

static API: Policy = cors_policy!(origins = "*", methods = [POST], csrf = true);

fn main() {}
