//! The response half: the CORS check, the preflight's lists, its lifetime, and
//! which headers a script may read.

use http::{HeaderMap, HeaderName};
use static_cors_runtime::validate::FORBIDDEN_RESPONSE_HEADERS;

use super::request::{is_token, trim_ows};

/// A header's value as the standard "gets" it: every line, joined by `, `.
pub(crate) fn get_combined(headers: &HeaderMap, name: &str) -> Option<String> {
    let mut lines = headers.get_all(name).iter().peekable();
    lines.peek()?;
    let mut combined = String::new();
    for (i, line) in lines.enumerate() {
        if i > 0 {
            combined.push_str(", ");
        }
        combined.extend(line.as_bytes().iter().map(|&b| char::from(b)));
    }
    Some(combined)
}

/// How the CORS check failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CorsCheck {
    /// `Access-Control-Allow-Origin` is absent, or not the request's origin.
    AllowOrigin(Option<String>),
    /// Credentials are included and `Access-Control-Allow-Credentials` is not `true`.
    AllowCredentials(Option<String>),
}

/// The CORS check: `Access-Control-Allow-Origin` byte-equal to the serialized
/// origin (or `*` without credentials), and with credentials
/// `Access-Control-Allow-Credentials: true`.
pub(crate) fn cors_check(
    headers: &HeaderMap,
    origin: &str,
    credentials: bool,
) -> Result<(), CorsCheck> {
    let allow_origin = get_combined(headers, "access-control-allow-origin");
    match allow_origin.as_deref() {
        Some("*") if !credentials => return Ok(()),
        Some(value) if value == origin => {}
        _ => return Err(CorsCheck::AllowOrigin(allow_origin)),
    }
    if !credentials {
        return Ok(());
    }
    match get_combined(headers, "access-control-allow-credentials") {
        Some(value) if value == "true" => Ok(()),
        value => Err(CorsCheck::AllowCredentials(value)),
    }
}

/// A comma-separated list of tokens (methods or header names): `Ok(None)` when
/// the header is absent, `Err(value)` when an element is not a token. Empty
/// elements and whitespace around elements are allowed, as in RFC 9110's `#rule`.
pub(crate) fn extract_list(headers: &HeaderMap, name: &str) -> Result<Option<Vec<String>>, String> {
    let Some(value) = get_combined(headers, name) else {
        return Ok(None);
    };
    let mut items = Vec::new();
    for item in value.as_bytes().split(|&b| b == b',') {
        let item = trim_ows(item);
        if item.is_empty() {
            continue;
        }
        if !is_token(item) {
            return Err(value);
        }
        items.push(String::from_utf8_lossy(item).into_owned());
    }
    Ok(Some(items))
}

/// `Access-Control-Max-Age` in seconds, 5 when absent or not a number, then
/// capped by the engine. A negative number is 0 (no caching) in Chromium,
/// Firefox and WebKit alike, where the standard falls back to 5.
pub(crate) fn max_age(headers: &HeaderMap, cap: u64) -> u64 {
    let is_number = |v: &str| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
    let seconds = match get_combined(headers, "access-control-max-age") {
        Some(v) if is_number(&v) => v.parse().unwrap_or(u64::MAX),
        Some(v) if v.strip_prefix('-').is_some_and(is_number) => 0,
        _ => 5,
    };
    seconds.min(cap)
}

/// A forbidden response-header name: never readable by a script.
pub(crate) fn is_forbidden_response_header(name: &str) -> bool {
    FORBIDDEN_RESPONSE_HEADERS
        .iter()
        .any(|forbidden| name.eq_ignore_ascii_case(forbidden))
}

/// A CORS-safelisted response-header name: readable without being exposed.
pub(crate) fn is_safelisted_response_header(name: &str) -> bool {
    [
        "cache-control",
        "content-language",
        "content-length",
        "content-type",
        "expires",
        "last-modified",
        "pragma",
    ]
    .iter()
    .any(|safe| name.eq_ignore_ascii_case(safe))
}

/// Which headers of a response a script can read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum Exposed {
    /// All but the forbidden ones: a same-origin response, or `*` without credentials.
    All,
    /// The safelisted ones and these names (lowercase).
    Names(Vec<String>),
    /// None: nothing was received.
    #[default]
    Nothing,
}

impl Exposed {
    /// What `Access-Control-Expose-Headers` exposes: `*` means every header only
    /// without credentials; an unparsable list exposes nothing more.
    pub(crate) fn from_response(headers: &HeaderMap, credentials: bool) -> Exposed {
        let names = extract_list(headers, "access-control-expose-headers")
            .ok()
            .flatten()
            .unwrap_or_default();
        if !credentials && names.iter().any(|name| name == "*") {
            return Exposed::All;
        }
        Exposed::Names(names.into_iter().map(|n| n.to_ascii_lowercase()).collect())
    }

    /// Whether a script can read the header `name`.
    pub(crate) fn readable(&self, name: &HeaderName) -> bool {
        let name = name.as_str();
        if is_forbidden_response_header(name) {
            return false;
        }
        match self {
            Exposed::All => true,
            Exposed::Names(names) => {
                is_safelisted_response_header(name) || names.iter().any(|exposed| exposed == name)
            }
            Exposed::Nothing => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(lines: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in lines {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    const ORIGIN: &str = "https://app.example.com";

    #[test]
    fn allow_origin_must_be_the_origin_byte_for_byte() {
        assert_eq!(
            cors_check(
                &headers(&[("access-control-allow-origin", ORIGIN)]),
                ORIGIN,
                false
            ),
            Ok(())
        );
        for seen in [
            "https://APP.example.com",
            "https://app.example.com/",
            "https://app.example.com:443",
            "null",
        ] {
            let response = headers(&[("access-control-allow-origin", seen)]);
            assert_eq!(
                cors_check(&response, ORIGIN, false),
                Err(CorsCheck::AllowOrigin(Some(seen.to_owned()))),
                "{seen}"
            );
        }
        assert_eq!(
            cors_check(&headers(&[]), ORIGIN, false),
            Err(CorsCheck::AllowOrigin(None))
        );
    }

    #[test]
    fn allow_origin_is_one_value() {
        let twice = headers(&[
            ("access-control-allow-origin", ORIGIN),
            ("access-control-allow-origin", ORIGIN),
        ]);
        assert!(
            matches!(cors_check(&twice, ORIGIN, false), Err(CorsCheck::AllowOrigin(Some(v))) if v.contains(", "))
        );
        let list = headers(&[(
            "access-control-allow-origin",
            "https://app.example.com, https://b.test",
        )]);
        assert!(cors_check(&list, ORIGIN, false).is_err());
    }

    #[test]
    fn a_wildcard_origin_passes_only_without_credentials() {
        let any = headers(&[
            ("access-control-allow-origin", "*"),
            ("access-control-allow-credentials", "true"),
        ]);
        assert_eq!(cors_check(&any, ORIGIN, false), Ok(()));
        assert_eq!(
            cors_check(&any, ORIGIN, true),
            Err(CorsCheck::AllowOrigin(Some("*".to_owned())))
        );
    }

    #[test]
    fn the_null_origin_passes_by_its_serialization() {
        let null = headers(&[("access-control-allow-origin", "null")]);
        assert_eq!(cors_check(&null, "null", false), Ok(()));
    }

    #[test]
    fn credentials_need_allow_credentials_exactly_true() {
        let ok = headers(&[
            ("access-control-allow-origin", ORIGIN),
            ("access-control-allow-credentials", "true"),
        ]);
        assert_eq!(cors_check(&ok, ORIGIN, true), Ok(()));
        for seen in ["True", "true ", "1"] {
            let response = headers(&[
                ("access-control-allow-origin", ORIGIN),
                ("access-control-allow-credentials", seen),
            ]);
            assert_eq!(
                cors_check(&response, ORIGIN, true),
                Err(CorsCheck::AllowCredentials(Some(seen.to_owned()))),
                "{seen:?}"
            );
        }
        let without = headers(&[("access-control-allow-origin", ORIGIN)]);
        assert_eq!(
            cors_check(&without, ORIGIN, true),
            Err(CorsCheck::AllowCredentials(None))
        );
    }

    #[test]
    fn lists_allow_spaces_and_empty_elements_but_not_non_tokens() {
        let response = headers(&[
            ("access-control-allow-methods", " GET,, PUT ,"),
            ("access-control-allow-methods", "patch"),
        ]);
        assert_eq!(
            extract_list(&response, "access-control-allow-methods"),
            Ok(Some(vec![
                "GET".to_owned(),
                "PUT".to_owned(),
                "patch".to_owned()
            ]))
        );
        assert_eq!(
            extract_list(&response, "access-control-allow-headers"),
            Ok(None)
        );
        let bad = headers(&[("access-control-allow-headers", "x-a, x b")]);
        assert_eq!(
            extract_list(&bad, "access-control-allow-headers"),
            Err("x-a, x b".to_owned())
        );
        let bad = headers(&[("access-control-allow-headers", "x-a; x-b")]);
        assert!(extract_list(&bad, "access-control-allow-headers").is_err());
    }

    #[test]
    fn a_negative_max_age_is_no_caching() {
        let negative = headers(&[("access-control-max-age", "-1")]);
        assert_eq!(max_age(&negative, 7200), 0);
        assert_eq!(max_age(&negative, 600), 0);
        assert_eq!(
            max_age(&headers(&[("access-control-max-age", "-x")]), 7200),
            5
        );
    }

    #[test]
    fn max_age_defaults_to_five_seconds_and_is_capped() {
        assert_eq!(max_age(&headers(&[]), 7200), 5);
        assert_eq!(
            max_age(&headers(&[("access-control-max-age", "ten")]), 7200),
            5
        );
        assert_eq!(
            max_age(&headers(&[("access-control-max-age", "600")]), 7200),
            600
        );
        assert_eq!(
            max_age(&headers(&[("access-control-max-age", "86400")]), 7200),
            7200
        );
        assert_eq!(
            max_age(
                &headers(&[("access-control-max-age", "99999999999999999999999")]),
                600
            ),
            600
        );
        assert_eq!(
            max_age(&headers(&[("access-control-max-age", "0")]), 600),
            0
        );
    }

    #[test]
    fn safelisted_response_headers_are_readable_and_others_only_when_exposed() {
        let response = headers(&[("access-control-expose-headers", "X-Request-Id")]);
        let exposed = Exposed::from_response(&response, true);
        for name in [
            "cache-control",
            "content-language",
            "content-length",
            "content-type",
            "expires",
            "last-modified",
            "pragma",
            "x-request-id",
        ] {
            assert!(exposed.readable(&HeaderName::from_static(name)), "{name}");
        }
        assert!(!exposed.readable(&HeaderName::from_static("x-total-count")));
        assert!(!exposed.readable(&HeaderName::from_static("etag")));
    }

    #[test]
    fn a_wildcard_exposes_everything_only_without_credentials() {
        let response = headers(&[("access-control-expose-headers", "*")]);
        assert_eq!(Exposed::from_response(&response, false), Exposed::All);
        let with_credentials = Exposed::from_response(&response, true);
        assert!(!with_credentials.readable(&HeaderName::from_static("x-request-id")));
        assert!(with_credentials.readable(&HeaderName::from_static("content-type")));
    }

    #[test]
    fn set_cookie_is_never_readable() {
        let response = headers(&[("access-control-expose-headers", "set-cookie, *")]);
        for exposed in [
            Exposed::All,
            Exposed::from_response(&response, true),
            Exposed::from_response(&response, false),
        ] {
            assert!(!exposed.readable(&HeaderName::from_static("set-cookie")));
            assert!(!exposed.readable(&HeaderName::from_static("set-cookie2")));
        }
    }

    #[test]
    fn an_unparsable_expose_list_exposes_nothing_more() {
        let response = headers(&[("access-control-expose-headers", "x-a x-b")]);
        let exposed = Exposed::from_response(&response, false);
        assert!(!exposed.readable(&HeaderName::from_static("x-a")));
        assert!(exposed.readable(&HeaderName::from_static("content-type")));
    }
}
