//! The rules of the policy, checked by the runtime crate's validator (the same one
//! that `Policy::builder` uses) and reported at the spans of what the user wrote.
//!
//! Syntax belongs to `args`; everything that relates one value to the contract,
//! or several values to each other, is the validator's, so that a policy written
//! in the attribute and one built at run time obey exactly the same rules.

use proc_macro2::Span;
use runtime::Policy;
use runtime::validate::{Key, Location, PolicySpec, check};

use crate::args::{Args, Flag, StrList};
use crate::ctxt::Ctxt;

/// Validates the attribute's arguments: the policy, or `None` with every problem
/// recorded in `cx`.
pub fn policy(args: &Args, cx: &mut Ctxt) -> Option<Policy> {
    if let Some(file) = &args.file {
        return crate::file::policy(file, args, cx);
    }
    if let Some(name) = &args.policy
        && !args.file_unreadable
    {
        cx.error(
            name.span,
            "`policy` chooses a policy of a `file`",
            Some("add `file = \"cors.toml\"`, or remove `policy`"),
        );
    }
    let on = |flag: Option<Flag>| flag.is_some_and(|f| f.on);
    let mut spec = PolicySpec::default();
    spec.origins = args.origins.as_ref().map(|_| texts(&args.origins));
    spec.methods = args.methods.as_ref().map(|_| texts(&args.methods));
    spec.headers = texts(&args.headers);
    spec.expose = texts(&args.expose);
    spec.credentials = on(args.credentials);
    spec.max_age = args.max_age.map(|m| m.seconds);
    spec.private_network = on(args.private_network);
    spec.csrf = on(args.csrf);
    spec.dangerous_insecure_origins = on(args.dangerous_insecure_origins);
    spec.dangerous_public_suffix_wildcards = on(args.dangerous_public_suffix_wildcards);
    spec.dangerous_any_extension_origin = on(args.dangerous_any_extension_origin);
    spec.debug = on(args.debug);
    let error = match check(&spec) {
        Ok(policy) => return Some(policy),
        Err(error) => error,
    };
    for problem in error.problems() {
        if is_echo_of_unreadable(args, &problem.location) {
            continue;
        }
        let span = span_of(args, &problem.location);
        cx.error(span, &problem.message, problem.help.as_deref());
    }
    None
}

fn texts(list: &Option<StrList>) -> Vec<&str> {
    list.iter()
        .flat_map(|l| l.items.iter().map(|t| t.value.as_str()))
        .collect()
}

/// A "missing" or "empty" problem about an argument whose value could not be
/// read repeats an error already reported: leave it out.
fn is_echo_of_unreadable(args: &Args, location: &Location) -> bool {
    match location {
        Location::Missing(key) | Location::Value(key) => args.unreadable.contains(key),
        _ => false,
    }
}

fn span_of(args: &Args, location: &Location) -> Span {
    let list = |key| match key {
        Key::Origins => args.origins.as_ref(),
        Key::Methods => args.methods.as_ref(),
        Key::Headers => args.headers.as_ref(),
        Key::Expose => args.expose.as_ref(),
        _ => None,
    };
    let flag = |flag: Option<Flag>| flag.map(|f| f.span);
    match location {
        Location::Element(key, index) => {
            list(*key).and_then(|l| l.items.get(*index)).map(|t| t.span)
        }
        Location::Value(Key::Credentials) => flag(args.credentials),
        Location::Value(Key::PrivateNetwork) => flag(args.private_network),
        Location::Value(Key::Csrf) => flag(args.csrf),
        Location::Value(Key::DangerousInsecureOrigins) => flag(args.dangerous_insecure_origins),
        Location::Value(Key::DangerousPublicSuffixWildcards) => {
            flag(args.dangerous_public_suffix_wildcards)
        }
        Location::Value(Key::DangerousAnyExtensionOrigin) => {
            flag(args.dangerous_any_extension_origin)
        }
        Location::Value(Key::Debug) => flag(args.debug),
        Location::Value(Key::MaxAge) => args.max_age.map(|m| m.span),
        Location::Value(key) => list(*key).map(|l| l.span),
        _ => None,
    }
    .unwrap_or_else(Span::call_site)
}
