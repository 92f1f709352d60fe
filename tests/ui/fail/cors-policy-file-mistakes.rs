use static_cors::{Policy, cors_policy};

// trybuild compiles this file in `target/tests/trybuild/static-cors/`: the
// path climbs back to the repository. Every mistake of the file is reported,
// each with the file's name and its key path, at the `file` argument.
static BROKEN: Policy = cors_policy!(file = "../../../../tests/ui/config/policies.toml", policy = "broken");

fn main() {
    let _ = &BROKEN;
}
