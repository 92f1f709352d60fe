//! The rules of the policy, checked by the runtime crate's validator (the same one
//! that `Policy::builder` uses) and reported at the spans of what the user wrote.

use darling::Error;
use proc_macro2::Span;
use runtime::Policy;
use runtime::policy::{Location, PolicySpec, check};

use crate::args::{Args, StrList, error};

/// Validates the attribute's arguments: the policy, or every error found.
pub fn validate(args: &Args) -> Result<Policy, Vec<Error>> {
    fn texts(list: &Option<StrList>) -> Vec<&str> {
        list.iter()
            .flat_map(|l| l.items.iter().map(|t| t.value.as_str()))
            .collect()
    }
    let spec = PolicySpec {
        origins: args.origins.as_ref().map(|_| texts(&args.origins)),
        methods: args.methods.as_ref().map(|_| texts(&args.methods)),
        headers: texts(&args.headers),
        expose: texts(&args.expose),
        credentials: args.credentials.is_some_and(|f| f.on),
        max_age: args.max_age.map(|m| m.seconds),
        private_network: args.private_network.is_some_and(|f| f.on),
        dangerous_insecure_origins: args.dangerous_insecure_origins.is_some_and(|f| f.on),
        dangerous_public_suffix_wildcards: args
            .dangerous_public_suffix_wildcards
            .is_some_and(|f| f.on),
    };
    let problems = match check(&spec) {
        Ok(policy) if args.errors.is_empty() => return Ok(policy),
        Ok(_) => Vec::new(),
        Err(problems) => problems,
    };
    let mut errors: Vec<Error> = args.errors.clone();
    for problem in problems {
        if is_echo_of_unreadable(args, problem.location, &problem.message) {
            continue;
        }
        let span = span_of(args, problem.location);
        errors.push(error(span, &problem.message, problem.help.as_deref()));
    }
    Err(errors)
}

/// A "missing" or "empty" problem about an argument whose value could not be
/// read repeats an error already reported: leave it out.
fn is_echo_of_unreadable(args: &Args, location: Location, message: &str) -> bool {
    let unreadable = |key| args.unreadable.contains(&key);
    match location {
        Location::Policy => ["origins", "methods"]
            .into_iter()
            .any(|key| unreadable(key) && message == format!("missing `{key}`")),
        Location::Origins => unreadable("origins"),
        Location::Methods => unreadable("methods"),
        _ => false,
    }
}

fn span_of(args: &Args, location: Location) -> Span {
    let item = |list: &Option<StrList>, index: usize| {
        list.as_ref()
            .and_then(|l| l.items.get(index))
            .map(|t| t.span)
    };
    let whole = |list: &Option<StrList>| list.as_ref().map(|l| l.span);
    let flag = |flag: Option<crate::args::Flag>| flag.map(|f| f.span);
    match location {
        Location::Policy => None,
        Location::Origins => whole(&args.origins),
        Location::Origin(i) => item(&args.origins, i),
        Location::Methods => whole(&args.methods),
        Location::Method(i) => item(&args.methods, i),
        Location::Header(i) => item(&args.headers, i),
        Location::Expose(i) => item(&args.expose, i),
        Location::Credentials => flag(args.credentials),
        Location::MaxAge => args.max_age.map(|m| m.span),
        Location::DangerousInsecureOrigins => flag(args.dangerous_insecure_origins),
        Location::DangerousPublicSuffixWildcards => flag(args.dangerous_public_suffix_wildcards),
    }
    .unwrap_or_else(Span::call_site)
}
