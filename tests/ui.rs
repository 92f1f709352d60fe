//! Compile-time tests of the `#[cors]` attribute and of `cors_route!`, run with
//! trybuild.
//!
//! - `ui/fail/`: one mistake per file, named after the mistake, each beside the
//!   `.stderr` that rustc must print for it: the message in rustc's style, at the
//!   offending literal or identifier, with a `help:` where a fix exists.
//!   `several-mistakes.rs` proves that every error of one attribute is reported in
//!   one build; `no-secondary-errors.rs` proves that an invalid attribute leaves
//!   the rest of the crate type-checking, so that its errors are the only ones.
//! - `ui/pass/`: one file per accepted form; each compiles and its `main` runs,
//!   asserting what the generated policy holds.
//!
//! After a deliberate change of a message, regenerate the snapshots with
//! `TRYBUILD=overwrite cargo test --test ui` and review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
