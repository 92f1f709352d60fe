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

/// rustc names the types of generated code by paths that a user can write: no
/// expected output goes through the crate's hidden module.
#[test]
fn diagnostics_never_name_the_hidden_module() {
    for dir in ["tests/ui/fail", "tests/ui/pass"] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "stderr") {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(!text.contains("__private"), "{}", path.display());
            }
        }
    }
}
