//! Policies from configuration: `PolicyConfig` from TOML, JSON and environment
//! variables, every problem reported with its key path, and a policy file read
//! at compile time by `cors_policy!(file = ...)`.

use http::{Method, Request};
use static_cors::runtime::PolicyConfig;
use static_cors::{Policy, PolicyError, cors_policy};

fn messages(error: &PolicyError) -> Vec<String> {
    error.problems().iter().map(ToString::to_string).collect()
}

#[test]
fn a_toml_file_reports_every_mistake_at_its_key_path() {
    let config: PolicyConfig =
        toml::from_str(include_str!("config/mistakes.toml")).expect("valid TOML");
    let error = Policy::try_from(config).unwrap_err();
    assert_eq!(
        messages(&error),
        [
            "private_netwrk: unknown key `private_netwrk`; help: did you mean `private_network`?",
            "origins[1]: invalid origin `https://a.com/`: an origin has no path; help: write `https://a.com`",
            "origins[2]: insecure origin `http://staging.example.com` with `credentials`: anyone on the network path can act as it; help: write `https://staging.example.com`, or add `dangerous_insecure_origins` to accept the risk",
            "methods[1]: method `get` is never sent: browsers upper-case it; help: write `GET`",
            "methods[2]: method `TRACE` is forbidden: browsers never send `CONNECT`, `TRACE` or `TRACK`",
            "headers[1]: `cookie` is a forbidden request header: browsers set it themselves and scripts cannot; help: remove it",
            "headers[2]: `headers[2]` must be a string, not an integer",
            "max_age: `max_age` of 100000 seconds is more than 86400: browsers cap it (Chromium at 7200, Firefox at 86400, WebKit at 600); help: write at most `max_age = 7200`, which every browser honours up to its cap",
        ]
    );
}

#[test]
fn a_json_file_reports_every_mistake_at_its_key_path() {
    let config: PolicyConfig =
        serde_json::from_str(include_str!("config/mistakes.json")).expect("valid JSON");
    let error = Policy::try_from(&config).unwrap_err();
    assert_eq!(
        messages(&error),
        [
            "allow_origins: unknown key `allow_origins`",
            "origins[1]: the `null` origin is never allowed: any page can obtain it (sandboxed frames, `data:` documents); help: list the origins of the pages that need access",
            "methods[1]: duplicate method `POST`; help: remove it",
            "expose[0]: `set-cookie` is never exposed: browsers hide it from scripts whatever the server says; help: remove it",
            "credentials: `credentials` must be `true` or `false`, not a string",
            "max_age: `max_age` must be a whole number of seconds, not a negative number; help: write `max_age = 600`",
        ]
    );
}

#[test]
fn an_element_of_the_wrong_type_keeps_the_indices_of_the_others() {
    let config: PolicyConfig = serde_json::from_str(
        r#"{"origins": ["https://a.com", 7, "https://b.com/"], "methods": [true]}"#,
    )
    .unwrap();
    assert_eq!(
        messages(&Policy::try_from(config).unwrap_err()),
        [
            "origins[1]: `origins[1]` must be a string, not an integer",
            "origins[2]: invalid origin `https://b.com/`: an origin has no path; help: write `https://b.com`",
            "methods[0]: `methods[0]` must be a string, not a boolean",
        ]
    );
}

#[test]
fn no_input_makes_it_panic() {
    for text in [
        "{}",
        "[]",
        "7",
        r#"{"origins": {"a": 1}}"#,
        r#"{"origins": null, "methods": [null, [], {}], "max_age": 1e300}"#,
        r#"{"max_age": 340282366920938463463374607431768211455}"#,
        r#"{"origins": "", "methods": ",,,", "headers": "*,*"}"#,
        r#"{"origins": ["\u0000"], "methods": ["G\u00e9T"], "expose": ["\ud83d\ude00"]}"#,
    ] {
        if let Ok(config) = serde_json::from_str::<PolicyConfig>(text) {
            let error = Policy::try_from(config).expect_err(text);
            assert!(!error.problems().is_empty(), "{text}");
        }
    }
}

#[test]
fn environment_variables_give_lists_as_comma_separated_strings() {
    let vars = [
        (
            "CORS_ORIGINS",
            "https://app.example.com, https://*.example.org",
        ),
        ("CORS_METHODS", "GET,POST"),
        ("CORS_HEADERS", "content-type"),
        ("CORS_CREDENTIALS", "true"),
        ("CORS_MAX_AGE", "600"),
        ("UNRELATED", "ignored"),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()));
    let config: PolicyConfig = envy::prefixed("CORS_").from_iter(vars).unwrap();
    let policy = Policy::try_from(config).unwrap();
    assert_eq!(policy, API_BY_HAND);

    let wrong = [
        ("CORS_ORIGINS", "https://a.com/"),
        ("CORS_METHODS", "GET"),
        ("CORS_MAX_AGE", "soon"),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()));
    let config: PolicyConfig = envy::prefixed("CORS_").from_iter(wrong).unwrap();
    assert_eq!(
        messages(&Policy::try_from(config).unwrap_err()),
        [
            "origins[0]: invalid origin `https://a.com/`: an origin has no path; help: write `https://a.com`",
            "max_age: `max_age` must be a whole number of seconds, not a string; help: write `max_age = 600`",
        ]
    );
}

/// The arguments of `tests/config/cors.toml`'s `api` policy, in the attribute.
static API_BY_HAND: Policy = cors_policy!(
    origins = ["https://app.example.com", "https://*.example.org"],
    methods = [GET, POST],
    headers = ["content-type"],
    credentials,
    max_age = 600,
);

static API_FILE: Policy = cors_policy!(file = "tests/config/cors.toml", policy = "api");
static API_ATTRIBUTE: Policy = cors_policy!(
    origins = ["https://app.example.com", "https://*.example.org"],
    methods = [GET, POST, DELETE],
    headers = ["content-type", "authorization"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600,
);
static PUBLIC_FILE: Policy = cors_policy!(file = "tests/config/cors.toml", policy = "public");

#[test]
fn a_policy_file_read_at_compile_time_is_the_attribute_policy() {
    assert_eq!(API_FILE, API_ATTRIBUTE);
    assert_eq!(PUBLIC_FILE.allow_methods(), "GET");
    assert!(
        PUBLIC_FILE
            .allowed_origin(&http::HeaderMap::new())
            .is_some()
    );
}

/// Requests of every kind, for comparing the answers of two policies.
fn requests() -> Vec<Request<()>> {
    let mut requests = Vec::new();
    for origin in [
        "https://app.example.com",
        "https://a.b.example.org",
        "https://evil.com",
        "null",
    ] {
        for method in ["GET", "POST", "DELETE", "PUT"] {
            requests.push(
                Request::builder()
                    .method(Method::from_bytes(method.as_bytes()).unwrap())
                    .header("origin", origin)
                    .body(())
                    .unwrap(),
            );
            for headers in ["", "content-type", "authorization, content-type", "x-other"] {
                let mut preflight = Request::options("/")
                    .header("origin", origin)
                    .header("access-control-request-method", method);
                if !headers.is_empty() {
                    preflight = preflight.header("access-control-request-headers", headers);
                }
                requests.push(preflight.body(()).unwrap());
            }
        }
    }
    requests
}

#[test]
fn a_config_round_trip_answers_as_the_attribute_does() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/config/cors.toml"),
    )
    .unwrap();
    let mut file: toml::Table = text.parse().unwrap();
    let api = file["policies"]
        .as_table_mut()
        .unwrap()
        .remove("api")
        .unwrap();
    let config: PolicyConfig = api.try_into().unwrap();
    let policy = Policy::try_from(config).unwrap();
    for request in requests() {
        let (ours, attribute) = (policy.evaluate(&request), API_ATTRIBUTE.evaluate(&request));
        assert_eq!(ours.status(), attribute.status(), "{request:?}");
        assert_eq!(ours.headers(), attribute.headers(), "{request:?}");
        assert_eq!(ours.reason(), attribute.reason(), "{request:?}");
    }
}
