//! The conformance vectors' harness, framework-free: the vectors, their policies
//! built at run time, and the checks of each `expect` field (see
//! `tests/conformance/README.md`). Every front end (`tests/conformance.rs`, the
//! program it generates for the attribute, `tests/runtime_only.rs`) serves the
//! cases its own way and hands the answers here.

use http::{HeaderMap, StatusCode};
use serde_json::Value;
use static_cors_runtime::Policy;

/// The copy of the contract's shared vectors, kept byte for byte.
const SHARED: &str = include_str!("../conformance/vectors.json");
/// The project's own vectors, for rules the shared file has no case for yet; same
/// format, and their policy names must not clash with the shared ones.
const PROJECT: &str = include_str!("../conformance/project.json");

/// The `expect` fields that `check` knows; any other fails the case, so that
/// no check of a new vector file goes silently unmade.
const EXPECT_FIELDS: [&str; 11] = [
    "status",
    "handler_called",
    "headers",
    "absent",
    "vary_includes",
    "vary_excludes",
    "allows_method",
    "allows_headers",
    "exposes",
    "allow_lists",
    "body_empty",
];

/// Builds a vector policy at run time from its neutral JSON form.
pub fn runtime_policy(spec: &Value) -> Policy {
    let list = |key: &str| -> Vec<String> {
        match spec.get(key) {
            None => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect(),
            Some(other) => panic!("`{key}` is {other}"),
        }
    };
    let flag = |key: &str| spec.get(key).and_then(Value::as_bool).unwrap_or(false);
    let mut builder = Policy::builder()
        .origins(list("origins"))
        .methods(list("methods"))
        .headers(list("headers"))
        .expose(list("expose"))
        .credentials(flag("credentials"))
        .private_network(flag("private_network"))
        .csrf(flag("csrf"))
        .debug(flag("debug"))
        .dangerous_insecure_origins(flag("dangerous_insecure_origins"))
        .dangerous_public_suffix_wildcards(flag("dangerous_public_suffix_wildcards"))
        .dangerous_any_extension_origin(flag("dangerous_any_extension_origin"));
    if let Some(age) = spec.get("max_age").and_then(Value::as_u64) {
        builder = builder.max_age(age);
    }
    builder.build().unwrap_or_else(|e| panic!("{e}"))
}

/// The copy of the shared vectors alone.
pub fn shared() -> Value {
    serde_json::from_str(SHARED).expect("vectors.json is JSON")
}

/// Every vector: the shared copy, then the project's own.
pub fn vectors() -> Value {
    let mut all = shared();
    let project: Value = serde_json::from_str(PROJECT).expect("project.json is JSON");
    let policies = all["policies"].as_object_mut().unwrap();
    for (name, policy) in project["policies"].as_object().unwrap() {
        let clash = policies.insert(name.clone(), policy.clone());
        assert!(clash.is_none(), "project.json redefines policy `{name}`");
    }
    let cases = all["cases"].as_array_mut().unwrap();
    for case in project["cases"].as_array().unwrap() {
        let id = &case["id"];
        assert!(
            cases.iter().all(|c| &c["id"] != id),
            "project.json repeats case {id}"
        );
        cases.push(case.clone());
    }
    all
}

fn list_of(headers: &HeaderMap, name: &str) -> Vec<String> {
    headers
        .get_all(name)
        .iter()
        .flat_map(|v| v.to_str().unwrap_or("").split(','))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// One response as the checks see it, whatever served it.
pub struct Observed {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub handler_called: bool,
}

/// Checks one response against a case's `expect`; returns every failure.
pub fn check(expect: &Value, observed: &Observed) -> Vec<String> {
    let Observed {
        status,
        headers,
        body,
        handler_called: called,
    } = observed;
    let (body, called) = (body.as_slice(), *called);
    let mut failures = Vec::new();
    let mut fail = |what: String| failures.push(what);
    for key in expect.as_object().expect("`expect` is an object").keys() {
        if !EXPECT_FIELDS.contains(&key.as_str()) {
            fail(format!(
                "unknown `expect` field `{key}`: check it in tests/support/vectors.rs"
            ));
        }
    }
    let credentials = headers.contains_key("access-control-allow-credentials");
    if let Some(want) = expect.get("status").and_then(Value::as_u64)
        && u64::from(status.as_u16()) != want
    {
        fail(format!("status {status} instead of {want}"));
    }
    if let Some(want) = expect.get("handler_called").and_then(Value::as_bool)
        && want != called
    {
        fail(format!("handler called: {called}, expected {want}"));
    }
    for (name, value) in expect
        .get("headers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let lines: Vec<_> = headers.get_all(name.as_str()).iter().collect();
        if lines.len() != 1 || lines[0] != value.as_str().unwrap() {
            fail(format!("`{name}` is {lines:?}, expected exactly {value}"));
        }
    }
    for name in expect
        .get("absent")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = name.as_str().unwrap();
        if headers.contains_key(name) {
            fail(format!("`{name}` is present: {:?}", headers.get_all(name)));
        }
    }
    let vary: Vec<String> = list_of(headers, "vary")
        .into_iter()
        .map(|v| v.to_ascii_lowercase())
        .collect();
    for name in expect
        .get("vary_includes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if !vary.contains(&name.as_str().unwrap().to_owned()) {
            fail(format!("Vary {vary:?} lacks {name}"));
        }
    }
    for name in expect
        .get("vary_excludes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if vary.contains(&name.as_str().unwrap().to_owned()) {
            fail(format!("Vary {vary:?} has {name}"));
        }
    }
    if let Some(method) = expect.get("allows_method").and_then(Value::as_str) {
        let methods = list_of(headers, "access-control-allow-methods");
        let star = methods.iter().any(|m| m == "*") && !credentials;
        if !methods.iter().any(|m| m == method) && !star {
            fail(format!(
                "Access-Control-Allow-Methods {methods:?} does not allow {method}"
            ));
        }
    }
    let allowed = |list: &[String], name: &str, star_covers: bool| {
        list.iter().any(|h| h.eq_ignore_ascii_case(name))
            || (star_covers && !credentials && list.iter().any(|h| h == "*"))
    };
    for name in expect
        .get("allows_headers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = name.as_str().unwrap();
        let list = list_of(headers, "access-control-allow-headers");
        if !allowed(&list, name, !name.eq_ignore_ascii_case("authorization")) {
            fail(format!(
                "Access-Control-Allow-Headers {list:?} does not allow {name}"
            ));
        }
    }
    for name in expect
        .get("exposes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = name.as_str().unwrap();
        let list = list_of(headers, "access-control-expose-headers");
        if !allowed(&list, name, true) {
            fail(format!(
                "Access-Control-Expose-Headers {list:?} does not expose {name}"
            ));
        }
    }
    for method in expect
        .get("allow_lists")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let allow = list_of(headers, "allow");
        if !allow.iter().any(|m| m == method.as_str().unwrap()) {
            fail(format!("Allow {allow:?} does not list {method}"));
        }
    }
    if expect.get("body_empty").and_then(Value::as_bool) == Some(true) && !body.is_empty() {
        fail(format!("body is {:?}", String::from_utf8_lossy(body)));
    }
    failures
}

/// The names of the policies that a case mounts on its path.
pub fn mount(case: &Value) -> Vec<String> {
    case["mount"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_owned())
        .collect()
}

/// Runs every case through `serve`, which answers the case's request however
/// it likes, and checks each answer.
pub async fn run_all_with(front_end: &str, serve: impl AsyncFn(&Value) -> Observed) {
    run_matching(front_end, |_| true, serve).await;
}

/// Whether a case applies to an application-wide layer (contract section 7):
/// every case whose mount holds one policy, except an `OPTIONS` that is not a
/// preflight, which section 5 answers `204` at a generated route and section 7
/// passes to the application (`tests/layer.rs` checks that rule).
pub fn applies_to_layer(case: &Value) -> bool {
    let request = &case["request"];
    let asks_method = request["headers"].as_array().unwrap().iter().any(|pair| {
        pair[0]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case("access-control-request-method")
    });
    mount(case).len() == 1 && (request["method"] != "OPTIONS" || asks_method)
}

/// Runs the cases for which `applies` holds through `serve`, and checks them.
pub async fn run_matching(
    front_end: &str,
    applies: impl Fn(&Value) -> bool,
    serve: impl AsyncFn(&Value) -> Observed,
) {
    let vectors = vectors();
    let cases: Vec<&Value> = vectors["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|case| applies(case))
        .collect();
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in &cases {
        let observed = serve(case).await;
        for failure in check(&case["expect"], &observed) {
            failures.push(format!("{}: {failure}", case["id"].as_str().unwrap()));
        }
    }
    assert!(
        failures.is_empty(),
        "{front_end}: {} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("{front_end}: {} cases passed", cases.len());
}
