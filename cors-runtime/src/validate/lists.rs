//! The rules that relate several values of a policy (`*` with credentials,
//! duplicates, covered patterns, opt-ins that nothing needs), and the assembly of
//! the validated [`Policy`] with every response header value joined once.

use std::borrow::Cow;
use std::collections::HashSet;

use http::HeaderValue;

use super::names::{validate_exposed_header, validate_method, validate_request_header};
use super::origin::parse_origin;
use super::{Invalid, Key, Location, MAX_AGE_LIMIT, PolicySpec, Problem, max_age_too_large};
use crate::origin::OriginSet;
use crate::policy::{AllowHeaders, AllowOrigin, Policy};

/// Checks `spec`, pushing every problem; the policy when its parts are valid.
pub(super) fn check(spec: &PolicySpec<'_>, problems: &mut Vec<Problem>) -> Option<Policy> {
    let origins = check_origins(spec, problems);
    let methods = check_methods(spec, problems);
    let headers = check_headers(spec, problems);
    let expose = check_expose(spec, problems);
    if let Some(age) = spec.max_age.filter(|&age| age > MAX_AGE_LIMIT) {
        problems.push(max_age_too_large(age).at(Location::Value(Key::MaxAge)));
    }
    let methods = methods?;
    Some(Policy {
        origins: origins?,
        allow_methods: header_value(&joined(&methods)),
        methods: Cow::Owned(methods),
        headers: headers?,
        expose: expose?,
        credentials: spec.credentials,
        max_age: spec.max_age.map(|age| HeaderValue::from(age as u32)),
        private_network: spec.private_network,
        csrf: spec.csrf,
        debug: spec.debug,
    })
}

/// The items equal to an earlier one under `key`, in one pass.
fn duplicates<'a>(
    items: impl IntoIterator<Item = (usize, &'a str)>,
    key: fn(&str) -> String,
) -> Vec<(usize, &'a str)> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (index, item) in items {
        if !seen.insert(key(item)) {
            out.push((index, item));
        }
    }
    out
}

fn joined(names: &[Cow<'static, str>]) -> String {
    names
        .iter()
        .map(|n| n.as_ref())
        .collect::<Vec<_>>()
        .join(", ")
}

fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).expect("validated tokens joined by `, ` form a header value")
}

fn check_origins(spec: &PolicySpec<'_>, problems: &mut Vec<Problem>) -> Option<AllowOrigin> {
    let mut push = |location, invalid: Invalid| problems.push(invalid.at(location));
    let Some(list) = &spec.origins else {
        push(
            Location::Missing(Key::Origins),
            Invalid::new("missing `origins`")
                .help("add `origins = [\"https://app.example.com\"]`, or `origins = \"*\"` for any origin"),
        );
        return None;
    };
    if list.is_empty() {
        push(
            Location::Value(Key::Origins),
            Invalid::new("`origins` is empty: the policy would allow no origin")
                .help("list at least one origin, such as `\"https://app.example.com\"`"),
        );
        return None;
    }
    let star = list.iter().position(|o| *o == "*");
    if let Some(star) = star {
        if list.len() == 1 {
            if spec.credentials {
                push(
                    Location::Element(Key::Origins, star),
                    Invalid::new("`credentials` cannot be combined with any origin (`*`): browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests")
                        .help("list the origins that may send credentials"),
                );
            }
            if spec.csrf {
                push(
                    Location::Value(Key::Csrf),
                    Invalid::new("`csrf` has no effect with any origin (`*`): it trusts every origin the policy allows, so it would refuse no write")
                        .help("list the origins that may write, or remove `csrf`"),
                );
            }
            for (given, key) in [
                (
                    spec.dangerous_insecure_origins,
                    Key::DangerousInsecureOrigins,
                ),
                (
                    spec.dangerous_public_suffix_wildcards,
                    Key::DangerousPublicSuffixWildcards,
                ),
                (
                    spec.dangerous_any_extension_origin,
                    Key::DangerousAnyExtensionOrigin,
                ),
            ] {
                if given {
                    push(Location::Value(key), unused_opt_in(key));
                }
            }
            return Some(AllowOrigin::Any);
        }
        push(
            Location::Element(Key::Origins, star),
            Invalid::new(
                "`*` cannot be combined with other origins: it already allows every origin",
            )
            .help("write `origins = \"*\"` alone, or remove `*`"),
        );
    }
    let mut patterns = Vec::with_capacity(list.len());
    let mut valid = star.is_none();
    let (mut needs_insecure, mut needs_suffix, mut needs_extension) = (false, false, false);
    // Every `*` was reported above, once.
    for (index, text) in list.iter().enumerate().filter(|(_, text)| **text != "*") {
        match parse_origin(text) {
            Ok(pattern) => {
                if spec.credentials && pattern.scheme() == "http" && !pattern.is_loopback() {
                    needs_insecure = true;
                    if !spec.dangerous_insecure_origins {
                        let secure = format!("https{}", &text[4..]);
                        push(
                            Location::Element(Key::Origins, index),
                            Invalid::new(format!(
                                "insecure origin `{text}` with `credentials`: anyone on the network path can act as it"
                            ))
                            .help(format!(
                                "write `{secure}`, or add `dangerous_insecure_origins` to accept the risk"
                            )),
                        );
                    }
                }
                if spec.credentials && pattern.is_public_suffix_wildcard() {
                    needs_suffix = true;
                    if !spec.dangerous_public_suffix_wildcards {
                        let suffix = pattern.wildcard_domain().unwrap_or_default();
                        push(
                            Location::Element(Key::Origins, index),
                            Invalid::new(format!(
                                "`{text}` with `credentials` allows every site under the public suffix `{suffix}`, whoever owns it"
                            ))
                            .help("list the sites, or add `dangerous_public_suffix_wildcards` to accept the risk"),
                        );
                    }
                }
                if spec.credentials && pattern.is_whole_scheme() {
                    needs_extension = true;
                    if !spec.dangerous_any_extension_origin {
                        push(
                            Location::Element(Key::Origins, index),
                            any_extension_with_credentials(text, pattern.scheme()),
                        );
                    }
                }
                patterns.push((index, pattern));
            }
            Err(invalid) => {
                valid = false;
                push(Location::Element(Key::Origins, index), invalid);
            }
        }
    }
    // Among the valid entries only: an invalid one has its own error already.
    let mut seen = HashSet::with_capacity(patterns.len());
    let mut repeated = HashSet::new();
    for (index, pattern) in &patterns {
        if !seen.insert(pattern.as_str()) {
            valid = false;
            repeated.insert(*index);
            push(
                Location::Element(Key::Origins, *index),
                Invalid::new(format!("duplicate origin `{pattern}`")).help("remove it"),
            );
        }
    }
    let indices: Vec<usize> = patterns.iter().map(|(index, _)| *index).collect();
    let set = OriginSet::new(patterns.into_iter().map(|(_, p)| p).collect());
    for (index, narrow) in indices.iter().zip(set.iter()) {
        if repeated.contains(index) {
            continue;
        }
        if let Some(wider) = set.covering(narrow) {
            valid = false;
            push(
                Location::Element(Key::Origins, *index),
                Invalid::new(format!("origin `{narrow}` is already allowed by `{wider}`"))
                    .help("remove it"),
            );
        }
    }
    for (needed, given, key) in [
        (
            needs_insecure,
            spec.dangerous_insecure_origins,
            Key::DangerousInsecureOrigins,
        ),
        (
            needs_suffix,
            spec.dangerous_public_suffix_wildcards,
            Key::DangerousPublicSuffixWildcards,
        ),
        (
            needs_extension,
            spec.dangerous_any_extension_origin,
            Key::DangerousAnyExtensionOrigin,
        ),
    ] {
        if given && !needed {
            push(Location::Value(key), unused_opt_in(key));
        }
    }
    valid.then_some(AllowOrigin::List(set))
}

/// A whole-scheme pattern with credentials, without its opt-in.
fn any_extension_with_credentials(text: &str, scheme: &str) -> Invalid {
    let message = format!(
        "`{text}` with `credentials` allows every origin of `{scheme}`: any extension of any publisher that the user installs could call the API with the user's cookies"
    );
    let list = if scheme == "chrome-extension" {
        "list the extension's id (`chrome-extension://<id>`, the same for every user)"
    } else {
        "list the origins that need access"
    };
    Invalid::new(message).help(format!(
        "{list}, or add `dangerous_any_extension_origin` to accept the risk"
    ))
}

fn unused_opt_in(key: Key) -> Invalid {
    let needs = match key {
        Key::DangerousInsecureOrigins => {
            "an `http://` origin that is not loopback, with `credentials`"
        }
        Key::DangerousAnyExtensionOrigin => {
            "a whole-scheme pattern such as `moz-extension://*`, with `credentials`"
        }
        _ => "a subdomain or label pattern over a public suffix, with `credentials`",
    };
    Invalid::new(format!(
        "`{key}` has no effect: it only permits {needs}, and this policy has none"
    ))
    .help("remove it")
}

fn check_methods(
    spec: &PolicySpec<'_>,
    problems: &mut Vec<Problem>,
) -> Option<Vec<Cow<'static, str>>> {
    let Some(list) = &spec.methods else {
        problems.push(
            Invalid::new("missing `methods`")
                .help("add the methods the handler serves, such as `methods = [GET, POST]`")
                .at(Location::Missing(Key::Methods)),
        );
        return None;
    };
    if list.is_empty() {
        problems.push(
            Invalid::new("`methods` is empty: the handler would serve nothing")
                .help("list the methods the handler serves, such as `methods = [GET]`")
                .at(Location::Value(Key::Methods)),
        );
        return None;
    }
    let before = problems.len();
    let mut valid = Vec::new();
    for (index, method) in list.iter().enumerate() {
        match validate_method(method) {
            Ok(()) => valid.push((index, *method)),
            Err(invalid) => problems.push(invalid.at(Location::Element(Key::Methods, index))),
        }
    }
    for (index, method) in duplicates(valid, str::to_owned) {
        problems.push(
            Invalid::new(format!("duplicate method `{method}`"))
                .help("remove it")
                .at(Location::Element(Key::Methods, index)),
        );
    }
    (problems.len() == before).then(|| list.iter().map(|m| Cow::Owned(m.to_string())).collect())
}

/// Validates a list of header names in which `*` may stand; returns the names
/// (lowercase, without `*`) and whether `*` was there.
fn check_names(
    list: &[&str],
    key: Key,
    validate: fn(&str) -> Result<String, Invalid>,
    star_may_join: fn(&str) -> bool,
    problems: &mut Vec<Problem>,
) -> Option<(Vec<Cow<'static, str>>, Option<usize>)> {
    let before = problems.len();
    let star = list.iter().position(|n| *n == "*");
    let mut names = Vec::new();
    let mut valid = Vec::new();
    for (index, name) in list.iter().enumerate() {
        if *name == "*" {
            valid.push((index, *name));
            continue;
        }
        match validate(name) {
            Ok(lower) if star.is_some() && !star_may_join(&lower) => problems.push(
                Invalid::new(format!("`{name}` is already covered by `*`"))
                    .help("remove it")
                    .at(Location::Element(key, index)),
            ),
            Ok(lower) => {
                valid.push((index, *name));
                names.push(Cow::Owned(lower));
            }
            Err(invalid) => problems.push(invalid.at(Location::Element(key, index))),
        }
    }
    for (index, name) in duplicates(valid, str::to_ascii_lowercase) {
        problems.push(
            Invalid::new(format!("duplicate header `{name}`"))
                .help("remove it")
                .at(Location::Element(key, index)),
        );
    }
    (problems.len() == before).then_some((names, star))
}

fn check_headers(spec: &PolicySpec<'_>, problems: &mut Vec<Problem>) -> Option<AllowHeaders> {
    let (names, star) = check_names(
        &spec.headers,
        Key::Headers,
        validate_request_header,
        |name| name == "authorization",
        problems,
    )?;
    Some(match star {
        Some(_) => {
            let mut value = String::from("*");
            for name in &names {
                value.push_str(", ");
                value.push_str(name);
            }
            AllowHeaders::Any {
                value: header_value(&value),
                names: Cow::Owned(names),
            }
        }
        None if names.is_empty() => AllowHeaders::None,
        None => AllowHeaders::List {
            value: header_value(&joined(&names)),
            names: Cow::Owned(names),
        },
    })
}

fn check_expose(spec: &PolicySpec<'_>, problems: &mut Vec<Problem>) -> Option<Option<HeaderValue>> {
    let (names, star) = check_names(
        &spec.expose,
        Key::Expose,
        validate_exposed_header,
        |_| false,
        problems,
    )?;
    Some(match star {
        Some(index) if spec.credentials => {
            problems.push(
                Invalid::new(
                    "`expose = \"*\"` with `credentials` exposes only a header literally named `*`",
                )
                .help("list the headers to expose")
                .at(Location::Element(Key::Expose, index)),
            );
            return None;
        }
        Some(_) => Some(HeaderValue::from_static("*")),
        None if names.is_empty() => None,
        None => Some(header_value(&joined(&names))),
    })
}
