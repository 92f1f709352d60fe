//! The rules between the values of a policy, through [`check`] and the builder.

use std::borrow::Cow;

use http::HeaderValue;

use crate::policy::{AllowHeaders, AllowOrigin};
use crate::validate::{Key, Location, PolicySpec, check};

fn spec<'a>(origins: &[&'a str], methods: &[&'a str]) -> PolicySpec<'a> {
    PolicySpec {
        origins: Some(origins.to_vec()),
        methods: Some(methods.to_vec()),
        ..PolicySpec::default()
    }
}

fn problems(spec: &PolicySpec<'_>) -> Vec<(Location, String)> {
    check(spec)
        .expect_err("invalid")
        .problems()
        .iter()
        .map(|p| (p.location.clone(), p.message.clone()))
        .collect()
}

#[test]
fn builds_joined_values_once() {
    let mut s = spec(
        &["https://a.com", "https://*.b.org"],
        &["GET", "POST", "PURGE"],
    );
    s.headers = vec!["Content-Type", "x-api-key"];
    s.expose = vec!["X-Request-Id"];
    s.max_age = Some(600);
    s.credentials = true;
    let policy = check(&s).unwrap();
    assert_eq!(policy.allow_methods(), "GET, POST, PURGE");
    assert_eq!(
        policy.allow_headers(),
        &AllowHeaders::List {
            names: Cow::Owned(vec![
                Cow::Borrowed("content-type"),
                Cow::Borrowed("x-api-key")
            ]),
            value: HeaderValue::from_static("content-type, x-api-key"),
        }
    );
    assert_eq!(policy.expose_headers().unwrap(), "x-request-id");
    assert_eq!(policy.max_age().unwrap(), "600");
    assert!(policy.serves("HEAD") && policy.serves("PURGE") && !policy.serves("get"));
}

#[test]
fn star_lists() {
    let mut s = spec(&["*"], &["GET"]);
    s.headers = vec!["*", "Authorization"];
    s.expose = vec!["*"];
    let policy = check(&s).unwrap();
    assert_eq!(policy.origins(), &AllowOrigin::Any);
    match policy.allow_headers() {
        AllowHeaders::Any { value, .. } => assert_eq!(value, "*, authorization"),
        other => panic!("{other:?}"),
    }
    assert_eq!(policy.expose_headers().unwrap(), "*");
    s.headers = vec!["*", "x-other"];
    assert_eq!(
        problems(&s),
        [(
            Location::Element(Key::Headers, 1),
            "`x-other` is already covered by `*`".to_owned()
        )]
    );
}

#[test]
fn relations_between_arguments() {
    let mut s = spec(&["*", "https://a.com"], &["GET"]);
    assert_eq!(problems(&s)[0].0, Location::Element(Key::Origins, 0));
    s = spec(&["*"], &["GET"]);
    s.credentials = true;
    assert!(
        problems(&s)[0]
            .1
            .starts_with("`credentials` cannot be combined with any origin")
    );
    s = spec(
        &[
            "http://a.com",
            "http://localhost:*",
            "http://127.0.0.1:3000",
            "http://[::1]",
        ],
        &["GET"],
    );
    s.credentials = true;
    assert_eq!(problems(&s), [(Location::Element(Key::Origins, 0), "insecure origin `http://a.com` with `credentials`: anyone on the network path can act as it".to_owned())]);
    let mut lookalike = spec(
        &[
            "http://127.0.0.1.example.com",
            "http://localhost.example.com",
        ],
        &["GET"],
    );
    lookalike.credentials = true;
    assert_eq!(
        problems(&lookalike).len(),
        2,
        "names that merely start like loopback are not loopback"
    );
    s.dangerous_insecure_origins = true;
    assert!(check(&s).is_ok());
    s.credentials = false;
    assert_eq!(
        problems(&s)[0].0,
        Location::Value(Key::DangerousInsecureOrigins)
    );
    s = spec(
        &[
            "https://*.github.io",
            "https://*.co.uk:*",
            "http://*.localhost:*",
        ],
        &["GET"],
    );
    s.credentials = true;
    let found = problems(&s);
    assert_eq!(found.len(), 2);
    assert!(found[0].1.contains("public suffix `github.io`"));
    assert!(found[1].1.contains("public suffix `co.uk`"));
    s.dangerous_public_suffix_wildcards = true;
    assert!(check(&s).is_ok());
    s = spec(&["https://a.com"], &["GET"]);
    s.credentials = true;
    s.expose = vec!["*"];
    assert_eq!(problems(&s)[0].0, Location::Element(Key::Expose, 0));
}

#[test]
fn write_protection_needs_a_list_of_origins() {
    let mut s = spec(&["*"], &["POST"]);
    s.csrf = true;
    let found = check(&s).expect_err("any origin with `csrf`");
    let [problem] = found.problems() else {
        panic!("one problem: {found}");
    };
    assert_eq!(problem.location, Location::Value(Key::Csrf));
    assert!(
        problem
            .message
            .starts_with("`csrf` has no effect with any origin (`*`)"),
        "{problem}"
    );
    assert!(problem.help.is_some());
    s = spec(&["https://a.com", "http://localhost:*"], &["POST"]);
    s.csrf = true;
    assert!(check(&s).unwrap().csrf());
    s.csrf = false;
    assert!(!check(&s).unwrap().csrf());
}

#[test]
fn duplicates_and_redundancy() {
    let mut s = spec(
        &[
            "https://a.com",
            "https://a.com",
            "https://x.b.com",
            "https://*.b.com",
        ],
        &["GET", "GET"],
    );
    s.headers = vec!["X-A", "x-a"];
    s.expose = vec!["x-b", "X-B"];
    assert_eq!(
        problems(&s),
        [
            (
                Location::Element(Key::Origins, 1),
                "duplicate origin `https://a.com`".to_owned()
            ),
            (
                Location::Element(Key::Origins, 2),
                "origin `https://x.b.com` is already allowed by `https://*.b.com`".to_owned()
            ),
            (
                Location::Element(Key::Methods, 1),
                "duplicate method `GET`".to_owned()
            ),
            (
                Location::Element(Key::Headers, 1),
                "duplicate header `x-a`".to_owned()
            ),
            (
                Location::Element(Key::Expose, 1),
                "duplicate header `X-B`".to_owned()
            ),
        ]
    );
}

#[test]
fn one_error_per_mistake() {
    let count = |origins: &[&str], methods: &[&str]| problems(&spec(origins, methods)).len();
    assert_eq!(count(&["*", "*"], &["GET"]), 1);
    assert_eq!(count(&["https://a.com/", "https://a.com/"], &["GET"]), 2);
    assert_eq!(count(&["https://a.com"], &["get", "get"]), 2);
    let mut s = spec(&["https://a.com"], &["GET"]);
    s.headers = vec!["cookie", "Cookie"];
    assert_eq!(problems(&s).len(), 2);
}

#[test]
fn patterns_covered_by_wider_patterns() {
    for (origins, narrow, wide) in [
        (
            &["https://*.a.b.com", "https://*.b.com"][..],
            "https://*.a.b.com",
            "https://*.b.com",
        ),
        (
            &["https://*.b.com", "https://*.b.com:*"],
            "https://*.b.com",
            "https://*.b.com:*",
        ),
        (
            &["http://localhost:*", "http://localhost"],
            "http://localhost",
            "http://localhost:*",
        ),
        (
            &["https://*.b.com:8443", "https://*.b.com:*"],
            "https://*.b.com:8443",
            "https://*.b.com:*",
        ),
    ] {
        let found = problems(&spec(origins, &["GET"]));
        assert_eq!(found.len(), 1, "{origins:?}");
        assert_eq!(
            found[0].1,
            format!("origin `{narrow}` is already allowed by `{wide}`")
        );
    }
    for distinct in [
        &["https://*.b.com", "http://*.b.com"][..],
        &["https://*.b.com", "https://b.com"],
        &["https://*.b.com:8443", "https://*.b.com"],
        &["https://*.ab.com", "https://*.b.com"],
        &["https://pr-*.b.com", "https://b.com"],
        &["https://pr-*.b.com", "https://x.pr-1.b.com"],
        &["https://pr-*.b.com", "https://*.pr-1.b.com"],
        &["https://pr-*.b.com", "https://pq*.b.com:*"],
        &["https://pr-*.b.com", "https://pr-*.a.b.com"],
        &["https://pr-*.b.com", "https://*-pr.b.com"],
        &["https://a*.b.com", "https://a_*.b.com"],
        &["https://pr-*.b.com", "https://pr-*.b.com:8443"],
        &["chrome-extension://abc", "https://abc"],
        &["chrome-extension://abc", "moz-extension://abc"],
    ] {
        assert!(check(&spec(distinct, &["GET"])).is_ok(), "{distinct:?}");
    }
}

#[test]
fn label_patterns_covered_by_wider_patterns() {
    for (origins, narrow, wide) in [
        (
            &["https://pr-*.example.com", "https://*.example.com"][..],
            "https://pr-*.example.com",
            "https://*.example.com",
        ),
        (
            &["https://*.example.com", "https://pr-*.preview.example.com"],
            "https://pr-*.preview.example.com",
            "https://*.example.com",
        ),
        (
            &["https://pr-*.b.com", "https://pr-1.b.com"],
            "https://pr-1.b.com",
            "https://pr-*.b.com",
        ),
        (
            &["https://p*.b.com", "https://pr-*-x.b.com"],
            "https://pr-*-x.b.com",
            "https://p*.b.com",
        ),
        (
            &["https://app-*-acme.b.com", "https://*-acme.b.com"],
            "https://app-*-acme.b.com",
            "https://*-acme.b.com",
        ),
        (
            &["https://pr-*.b.com:8443", "https://pr-*.b.com:*"],
            "https://pr-*.b.com:8443",
            "https://pr-*.b.com:*",
        ),
    ] {
        let found = problems(&spec(origins, &["GET"]));
        assert_eq!(found.len(), 1, "{origins:?}");
        assert_eq!(
            found[0].1,
            format!("origin `{narrow}` is already allowed by `{wide}`")
        );
    }
}

#[test]
fn label_patterns_and_other_schemes_with_credentials() {
    let mut s = spec(
        &[
            "https://app-*-acme.vercel.app",
            "https://pr-*.github.io:*",
            "https://pr-*.preview.example.com",
            "http://dev-*.localhost:*",
        ],
        &["GET"],
    );
    s.credentials = true;
    let found = problems(&s);
    assert_eq!(
        found,
        [
            (
                Location::Element(Key::Origins, 0),
                "`https://app-*-acme.vercel.app` with `credentials` allows every site under the public suffix `vercel.app`, whoever owns it".to_owned()
            ),
            (
                Location::Element(Key::Origins, 1),
                "`https://pr-*.github.io:*` with `credentials` allows every site under the public suffix `github.io`, whoever owns it".to_owned()
            ),
        ]
    );
    s.dangerous_public_suffix_wildcards = true;
    assert!(check(&s).is_ok());
    // Served by the browser or the app itself: not insecure, and nothing to opt in to.
    let mut s = spec(
        &[
            "chrome-extension://abcdefghijklmnop",
            "moz-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10",
            "capacitor://localhost",
            "tauri://localhost",
        ],
        &["GET"],
    );
    s.credentials = true;
    assert!(check(&s).is_ok());
    s.dangerous_insecure_origins = true;
    assert_eq!(
        problems(&s)[0].0,
        Location::Value(Key::DangerousInsecureOrigins)
    );
}

#[test]
fn label_patterns_over_an_icann_suffix_are_always_refused() {
    for credentials in [false, true] {
        let mut s = spec(
            &[
                "https://*example.com",
                "https://app-*.co.uk:*",
                "https://*-preview.vercel.app",
            ],
            &["GET"],
        );
        s.credentials = credentials;
        s.dangerous_public_suffix_wildcards = true;
        let error = check(&s).expect_err("a typo");
        let found: Vec<_> = error
            .problems()
            .iter()
            .map(|p| (p.location.clone(), p.help.clone().unwrap_or_default()))
            .collect();
        let mut expected = vec![
            (
                Location::Element(Key::Origins, 0),
                "did you mean `https://*.example.com`?".to_owned(),
            ),
            (
                Location::Element(Key::Origins, 1),
                "put the pattern under a domain of yours, such as `https://app-*.example.co.uk:*`"
                    .to_owned(),
            ),
        ];
        if !credentials {
            // Without credentials, the private suffix needs no opt-in.
            expected.push((
                Location::Value(Key::DangerousPublicSuffixWildcards),
                "remove it".to_owned(),
            ));
        }
        assert_eq!(found, expected, "credentials: {credentials}");
    }
}

#[test]
fn whole_scheme_patterns_need_an_opt_in_with_credentials() {
    let origins = [
        "moz-extension://*",
        "safari-web-extension://*",
        "chrome-extension://*",
    ];
    let mut s = spec(&origins, &["GET"]);
    assert!(check(&s).is_ok());
    s.credentials = true;
    let error = check(&s).expect_err("any extension with cookies");
    assert_eq!(error.problems().len(), 3);
    for (index, problem) in error.problems().iter().enumerate() {
        assert_eq!(problem.location, Location::Element(Key::Origins, index));
        assert!(
            problem
                .message
                .contains("any extension of any publisher that the user installs could call the API with the user's cookies"),
            "{}",
            problem.message
        );
        assert!(
            problem
                .help
                .as_deref()
                .unwrap()
                .ends_with("or add `dangerous_any_extension_origin` to accept the risk"),
            "{problem}"
        );
    }
    assert!(
        error.problems()[2]
            .help
            .as_deref()
            .unwrap()
            .starts_with("list the extension's id (`chrome-extension://<id>`")
    );
    s.dangerous_any_extension_origin = true;
    assert!(check(&s).is_ok());
    // The opt-in with nothing to permit is a mistake of its own.
    let mut s = spec(&["moz-extension://*"], &["GET"]);
    s.dangerous_any_extension_origin = true;
    assert_eq!(
        problems(&s),
        [(
            Location::Value(Key::DangerousAnyExtensionOrigin),
            "`dangerous_any_extension_origin` has no effect: it only permits a whole-scheme pattern such as `moz-extension://*`, with `credentials`, and this policy has none".to_owned()
        )]
    );
    // An exact origin of the scheme beside it is covered.
    let s = spec(
        &[
            "moz-extension://*",
            "moz-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10",
        ],
        &["GET"],
    );
    assert_eq!(
        problems(&s),
        [(
            Location::Element(Key::Origins, 1),
            "origin `moz-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10` is already allowed by `moz-extension://*`".to_owned()
        )]
    );
}

#[test]
fn missing_empty_and_out_of_range() {
    let found = problems(&PolicySpec::default());
    assert_eq!(
        found.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
        [
            Location::Missing(Key::Origins),
            Location::Missing(Key::Methods)
        ]
    );
    let mut s = spec(&[], &[]);
    s.max_age = Some(86_401);
    let found = problems(&s);
    assert_eq!(
        found.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
        [
            Location::Value(Key::Origins),
            Location::Value(Key::Methods),
            Location::Value(Key::MaxAge)
        ]
    );
    assert!(found[2].1.contains("Chromium at 7200"));
    s = spec(&["https://a.com"], &["GET"]);
    s.max_age = Some(86_400);
    assert!(check(&s).is_ok());
}

#[test]
fn every_problem_is_reported_together() {
    let mut s = spec(&["https://a.com/", "null"], &["get", "CONNECT"]);
    s.headers = vec!["cookie"];
    s.expose = vec!["set-cookie"];
    s.max_age = Some(100_000);
    assert_eq!(problems(&s).len(), 7);
}

#[test]
fn builder_applies_the_same_rules() {
    let error = crate::Policy::builder()
        .origins(["https://a.com/"])
        .methods(["GET"])
        .build()
        .unwrap_err();
    assert_eq!(
        error.problems()[0].help.as_deref(),
        Some("write `https://a.com`")
    );
    assert!(
        error
            .to_string()
            .contains("\n  - origins[0]: invalid origin `https://a.com/`: an origin has no path; help: write `https://a.com`")
    );
}

#[test]
fn edit_distance_counts_characters_inserted_deleted_and_replaced() {
    use super::edit_distance;
    for (a, b, want) in [
        ("", "", 0),
        ("origins", "origins", 0),
        ("origin", "origins", 1),
        ("orgins", "origins", 1),
        ("orijins", "origins", 1),
        ("max-age", "max_age", 1),
        ("", "csrf", 4),
        ("kitten", "sitting", 3),
        ("héaders", "headers", 1),
        ("credentails", "credentials", 2),
    ] {
        assert_eq!(edit_distance(a, b), want, "{a} -> {b}");
        assert_eq!(edit_distance(b, a), want, "{b} -> {a}");
    }
}
