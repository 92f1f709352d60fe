//! The rules that relate several values of a policy (`*` with credentials,
//! duplicates, covered patterns, opt-ins that nothing needs), and the assembly of
//! the validated [`Policy`] with every response header value joined once.

use std::borrow::Cow;

use http::HeaderValue;

use super::names::{validate_exposed_header, validate_method, validate_request_header};
use super::origin::parse_origin;
use super::{Invalid, Key, Location, MAX_AGE_LIMIT, PolicySpec, Problem, max_age_too_large};
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

fn duplicates<'a>(
    items: impl IntoIterator<Item = (usize, &'a str)>,
    same: impl Fn(&str, &str) -> bool,
) -> Vec<(usize, &'a str)> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for (index, item) in items {
        if seen.iter().any(|s| same(s, item)) {
            out.push((index, item));
        } else {
            seen.push(item);
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
            if spec.dangerous_insecure_origins {
                push(
                    Location::Value(Key::DangerousInsecureOrigins),
                    unused_opt_in("dangerous_insecure_origins"),
                );
            }
            if spec.dangerous_public_suffix_wildcards {
                push(
                    Location::Value(Key::DangerousPublicSuffixWildcards),
                    unused_opt_in("dangerous_public_suffix_wildcards"),
                );
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
    let (mut needs_insecure, mut needs_suffix) = (false, false);
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
                patterns.push((index, pattern));
            }
            Err(invalid) => {
                valid = false;
                push(Location::Element(Key::Origins, index), invalid);
            }
        }
    }
    // Among the valid entries only: an invalid one has its own error already.
    let texts = patterns.iter().map(|(index, p)| (*index, p.as_str()));
    let repeated = duplicates(texts, |a, b| a == b);
    for (index, text) in &repeated {
        valid = false;
        push(
            Location::Element(Key::Origins, *index),
            Invalid::new(format!("duplicate origin `{text}`")).help("remove it"),
        );
    }
    for (index, narrow) in patterns
        .iter()
        .filter(|(i, _)| !repeated.iter().any(|(r, _)| r == i))
    {
        if let Some((_, wider)) = patterns
            .iter()
            .find(|(_, p)| p.as_str() != narrow.as_str() && p.covers(narrow))
        {
            valid = false;
            push(
                Location::Element(Key::Origins, *index),
                Invalid::new(format!("origin `{narrow}` is already allowed by `{wider}`"))
                    .help("remove it"),
            );
        }
    }
    if spec.dangerous_insecure_origins && !needs_insecure {
        push(
            Location::Value(Key::DangerousInsecureOrigins),
            unused_opt_in("dangerous_insecure_origins"),
        );
    }
    if spec.dangerous_public_suffix_wildcards && !needs_suffix {
        push(
            Location::Value(Key::DangerousPublicSuffixWildcards),
            unused_opt_in("dangerous_public_suffix_wildcards"),
        );
    }
    valid.then(|| AllowOrigin::List(Cow::Owned(patterns.into_iter().map(|(_, p)| p).collect())))
}

fn unused_opt_in(name: &str) -> Invalid {
    let needs = match name {
        "dangerous_insecure_origins" => {
            "an `http://` origin that is not loopback, with `credentials`"
        }
        _ => "a subdomain or label pattern over a public suffix, with `credentials`",
    };
    Invalid::new(format!(
        "`{name}` has no effect: it only permits {needs}, and this policy has none"
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
    for (index, method) in duplicates(valid, |a, b| a == b) {
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
    for (index, name) in duplicates(valid, |a, b| a.eq_ignore_ascii_case(b)) {
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
