//! `file = "cors.toml"`: a policy read from a TOML file while the crate
//! compiles, checked by the same validator as the attribute's own arguments.
//! A mistake in the file is a compile error that names the file and the key
//! path; the expansion includes the file's bytes, so that editing it rebuilds
//! the crate.
//!
//! The file holds one policy at its top level, or several named ones under
//! `[policies.<name>]`, chosen with `policy = "<name>"`.

use proc_macro2::TokenStream;
use runtime::Policy;

use crate::args::{Args, Text};
use crate::ctxt::Ctxt;

/// The policy of `args.file`, or `None` with every problem recorded in `cx`.
pub fn policy(file: &Text, args: &Args, cx: &mut Ctxt) -> Option<Policy> {
    for (key, span) in &args.written {
        cx.error(
            *span,
            format!("`{key}` cannot be written beside `file`: the file holds the whole policy"),
            Some(&format!("move `{key}` into `{}`", file.value)),
        );
    }
    let policy = read(file, args.policy.as_ref(), cx);
    if args.written.is_empty() {
        policy
    } else {
        None
    }
}

/// `const _: &[u8] = include_bytes!("<the file>");`, so that Cargo rebuilds the
/// crate when the file changes.
pub fn track(args: &Args) -> TokenStream {
    match args.file.as_ref().and_then(|file| resolve(&file.value)) {
        Some(path) if path.is_file() => {
            let path = path.to_string_lossy().into_owned();
            quote::quote!(
                const _: &[u8] = ::core::include_bytes!(#path);
            )
        }
        _ => TokenStream::new(),
    }
}

/// The file's path: relative to the directory of the crate being compiled.
fn resolve(file: &str) -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")?;
    Some(std::path::Path::new(&dir).join(file))
}

#[cfg(not(feature = "file"))]
fn read(file: &Text, _: Option<&Text>, cx: &mut Ctxt) -> Option<Policy> {
    cx.error(
        file.span,
        "reading a policy from a file needs the `serde` feature of `static-cors`",
        Some("enable it: `static-cors = { version = \"0.1\", features = [\"serde\"] }`"),
    );
    None
}

#[cfg(feature = "file")]
fn read(file: &Text, name: Option<&Text>, cx: &mut Ctxt) -> Option<Policy> {
    use runtime::PolicyConfig;

    let shown = &file.value;
    let text = match resolve(shown).map(std::fs::read_to_string) {
        Some(Ok(text)) => text,
        Some(Err(e)) => {
            cx.error(
                file.span,
                format!("cannot read `{shown}`: {e}"),
                Some("the path is relative to the crate's directory, where its `Cargo.toml` is"),
            );
            return None;
        }
        None => {
            cx.error(
                file.span,
                "`CARGO_MANIFEST_DIR` is not set: build with Cargo",
                None,
            );
            return None;
        }
    };
    let mut table: toml::Table = match text.parse() {
        Ok(table) => table,
        Err(e) => {
            let message = e.to_string();
            cx.error(
                file.span,
                format!("`{shown}` is not valid TOML: {}", message.trim_end()),
                None,
            );
            return None;
        }
    };
    let policies = table.remove("policies");
    let (prefix, value) = match (name, policies) {
        (Some(name), Some(toml::Value::Table(mut named))) => match named.remove(&name.value) {
            Some(value) => (format!("policies.{}.", name.value), value),
            None => {
                let known: Vec<String> = named.keys().map(|k| format!("`{k}`")).collect();
                cx.error(
                    name.span,
                    format!("`{shown}` has no policy `{}`", name.value),
                    Some(&format!("its policies are {}", known.join(", "))),
                );
                return None;
            }
        },
        (Some(name), _) => {
            cx.error(
                name.span,
                format!("`{shown}` has no `[policies.{}]` table", name.value),
                Some("write the policy under `[policies.<name>]`, or remove `policy`"),
            );
            return None;
        }
        (None, Some(toml::Value::Table(named))) => {
            let known: Vec<String> = named.keys().map(|k| format!("`{k}`")).collect();
            cx.error(
                file.span,
                format!("`{shown}` holds several policies: choose one"),
                Some(&format!(
                    "add `policy = \"...\"`, one of {}",
                    known.join(", ")
                )),
            );
            return None;
        }
        (None, _) => (String::new(), toml::Value::Table(table)),
    };
    let config: PolicyConfig = match value.try_into() {
        Ok(config) => config,
        Err(e) => {
            cx.error(
                file.span,
                format!("`{shown}`: {prefix}{}", e.to_string().trim_end()),
                None,
            );
            return None;
        }
    };
    match Policy::try_from(&config) {
        Ok(policy) => Some(policy),
        Err(error) => {
            for problem in error.problems() {
                cx.error(
                    file.span,
                    format!(
                        "`{shown}`: {prefix}{}: {}",
                        problem.location, problem.message
                    ),
                    problem.help.as_deref(),
                );
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(file: &str) -> Args {
        Args {
            file: Some(Text {
                value: file.to_owned(),
                span: proc_macro2::Span::call_site(),
            }),
            ..Args::default()
        }
    }

    /// Cargo rebuilds a crate when a file that `include_bytes!` reads changes:
    /// the expansion of `file` reads the policy file so.
    #[test]
    fn the_policy_file_is_tracked_for_rebuilds() {
        let tracked = track(&args("Cargo.toml")).to_string();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        let path = path.to_string_lossy();
        let expected = quote::quote!(
            const _: &[u8] = ::core::include_bytes!(#path);
        );
        assert_eq!(tracked, expected.to_string());
        // A missing file is reported by `policy`; there is nothing to track.
        assert!(track(&args("missing.toml")).is_empty());
        assert!(track(&Args::default()).is_empty());
    }
}
