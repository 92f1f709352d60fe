use static_cors::{CorsLayer, Policy, cors_policy};

// Every mistake is reported in one build, and nothing else fails: `API` is
// still a `Policy` that the rest of the crate can use.
static API: Policy = cors_policy!(
    origins = ["https://app.example.com/", "http://partner.example.com"],
    methods = [GET, get, TRACE],
    headers = ["cookie"],
    expose = ["set-cookie"],
    credentials,
    max_age = 100000,
);

fn main() {
    let _layer = CorsLayer::new(&API);
}
