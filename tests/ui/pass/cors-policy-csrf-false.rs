//! `csrf = false` is accepted by `cors_policy!` as by `#[cors]`: the choice
//! written out.
#![deny(warnings)]

use static_cors::{Policy, cors_policy};

static OPEN: Policy = cors_policy!(
    origins = ["https://app.example.com"],
    methods = [GET],
    csrf = false,
);

static GUARDED: Policy = cors_policy!(
    origins = ["https://app.example.com"],
    methods = [GET],
    csrf = true,
);

fn main() {
    assert!(!OPEN.csrf());
    assert!(GUARDED.csrf());
}
