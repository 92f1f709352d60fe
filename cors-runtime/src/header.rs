//! Header names: validation of the request headers a policy allows and of the
//! response headers it exposes, and the bounded parser of
//! `Access-Control-Request-Headers`.

use http::HeaderValue;

use crate::Invalid;

/// Request headers that only the browser sets; a script can never send them, so a
/// policy that lists one is mistaken.
pub const FORBIDDEN_REQUEST_HEADERS: [&str; 21] = [
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

/// Prefixes of forbidden request header names.
pub const FORBIDDEN_REQUEST_PREFIXES: [&str; 2] = ["proxy-", "sec-"];

/// The most bytes of `Access-Control-Request-Headers` (all lines together) that a
/// preflight may carry; a longer list fails the preflight without being read.
pub const MAX_REQUEST_HEADERS_LEN: usize = 1024;

/// The most names that `Access-Control-Request-Headers` may list.
pub const MAX_REQUEST_HEADERS: usize = 64;

/// The most `Access-Control-Request-Headers` lines a preflight may carry.
pub const MAX_REQUEST_HEADER_LINES: usize = 8;

/// Whether `bytes` is an HTTP token (RFC 9110 `tchar`s, at least one).
pub fn is_token(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn check_token(name: &str, what: &str) -> Result<String, Invalid> {
    if name.is_empty() {
        return Err(Invalid::new(format!("empty {what} name")));
    }
    if !is_token(name.as_bytes()) {
        return Err(Invalid::new(format!(
            "invalid {what} name `{name}`: a header name is a token (letters, digits and ``!#$%&'*+-.^_`|~``)"
        )));
    }
    Ok(name.to_ascii_lowercase())
}

/// Validates one request header name that a policy allows, and returns it in
/// lowercase (names compare case-insensitively).
///
/// ```
/// use static_cors_runtime::header::validate_request_header;
///
/// assert_eq!(validate_request_header("Content-Type").unwrap(), "content-type");
/// let error = validate_request_header("cookie").unwrap_err();
/// assert!(error.message.starts_with("`cookie` is a forbidden request header"));
/// ```
pub fn validate_request_header(name: &str) -> Result<String, Invalid> {
    let lower = check_token(name, "header")?;
    if FORBIDDEN_REQUEST_HEADERS.contains(&lower.as_str()) {
        return Err(Invalid::new(format!(
            "`{name}` is a forbidden request header: browsers set it themselves and scripts cannot"
        ))
        .help("remove it"));
    }
    if let Some(prefix) = FORBIDDEN_REQUEST_PREFIXES
        .iter()
        .find(|p| lower.starts_with(*p))
    {
        return Err(Invalid::new(format!(
            "`{name}` is a forbidden request header: browsers reserve every name starting with `{prefix}`"
        ))
        .help("remove it"));
    }
    if lower.starts_with("access-control-allow-")
        || lower == "access-control-max-age"
        || lower == "access-control-expose-headers"
    {
        return Err(Invalid::new(format!(
            "`{name}` is a response header: a request never carries it"
        ))
        .help("remove it; the policy itself sends the `Access-Control-*` response headers"));
    }
    Ok(lower)
}

/// Validates one response header name that a policy exposes to scripts, and
/// returns it in lowercase.
///
/// ```
/// use static_cors_runtime::header::validate_exposed_header;
///
/// assert_eq!(validate_exposed_header("X-Request-Id").unwrap(), "x-request-id");
/// assert!(validate_exposed_header("set-cookie").is_err());
/// ```
pub fn validate_exposed_header(name: &str) -> Result<String, Invalid> {
    let lower = check_token(name, "header")?;
    if lower == "set-cookie" || lower == "set-cookie2" {
        return Err(Invalid::new(format!(
            "`{name}` is never exposed: browsers hide it from scripts whatever the server says"
        ))
        .help("remove it"));
    }
    Ok(lower)
}

/// Reads the names of `Access-Control-Request-Headers` and calls `allowed` on each
/// until one is refused.
///
/// Returns `true` when every name passed. Returns `false` when a name was refused,
/// when an element is not a token, or when the header exceeds the bounds
/// ([`MAX_REQUEST_HEADERS_LEN`] bytes, [`MAX_REQUEST_HEADERS`] names,
/// [`MAX_REQUEST_HEADER_LINES`] lines). Optional whitespace and empty elements are
/// skipped; order and duplicates do not matter. The work is linear in the
/// header's length and nothing is allocated.
///
/// ```
/// use http::HeaderValue;
/// use static_cors_runtime::header::for_each_requested_header;
///
/// let line = HeaderValue::from_static(" X-Api-Key , content-type,,");
/// let mut seen = Vec::new();
/// assert!(for_each_requested_header([&line], |name| {
///     seen.push(String::from_utf8_lossy(name).into_owned());
///     true
/// }));
/// assert_eq!(seen, ["X-Api-Key", "content-type"]);
/// ```
pub fn for_each_requested_header<'a>(
    lines: impl IntoIterator<Item = &'a HeaderValue>,
    mut allowed: impl FnMut(&[u8]) -> bool,
) -> bool {
    let mut total = 0;
    let mut names = 0;
    for (index, line) in lines.into_iter().enumerate() {
        let bytes = line.as_bytes();
        total += bytes.len();
        if index >= MAX_REQUEST_HEADER_LINES || total > MAX_REQUEST_HEADERS_LEN {
            return false;
        }
        for element in bytes.split(|&b| b == b',') {
            let name = element.trim_ascii();
            if name.is_empty() {
                continue;
            }
            names += 1;
            if names > MAX_REQUEST_HEADERS || !is_token(name) || !allowed(name) {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(lines: &[&'static str]) -> Option<Vec<String>> {
        let values: Vec<HeaderValue> = lines.iter().map(|l| HeaderValue::from_static(l)).collect();
        let mut seen = Vec::new();
        for_each_requested_header(&values, |name| {
            seen.push(String::from_utf8(name.to_vec()).unwrap());
            true
        })
        .then_some(seen)
    }

    #[test]
    fn request_header_rules() {
        for ok in [
            "content-type",
            "X-Api-Key",
            "authorization",
            "x-custom_1",
            "accept",
        ] {
            assert_eq!(
                validate_request_header(ok).unwrap(),
                ok.to_ascii_lowercase()
            );
        }
        for (bad, message) in [
            ("cookie", "forbidden request header"),
            ("Host", "forbidden request header"),
            ("proxy-authorization", "starting with `proxy-`"),
            ("Sec-Fetch-Mode", "starting with `sec-`"),
            ("access-control-allow-origin", "is a response header"),
            ("access-control-max-age", "is a response header"),
            ("access-control-expose-headers", "is a response header"),
            ("access-control-request-method", "forbidden request header"),
            ("content type", "a header name is a token"),
            ("", "empty header name"),
        ] {
            let error = validate_request_header(bad).expect_err(bad);
            assert!(error.message.contains(message), "{bad}: {}", error.message);
        }
        for name in FORBIDDEN_REQUEST_HEADERS {
            assert!(validate_request_header(name).is_err(), "{name}");
            assert!(
                validate_request_header(&name.to_ascii_uppercase()).is_err(),
                "{name}"
            );
        }
    }

    #[test]
    fn exposed_header_rules() {
        assert_eq!(
            validate_exposed_header("X-Request-Id").unwrap(),
            "x-request-id"
        );
        assert!(validate_exposed_header("Set-Cookie").is_err());
        assert!(validate_exposed_header("set-cookie2").is_err());
        assert!(validate_exposed_header("a b").is_err());
    }

    #[test]
    fn parser_tolerates_whitespace_empty_elements_and_lines() {
        assert_eq!(
            names(&["content-type,x-api-key"]).unwrap(),
            ["content-type", "x-api-key"]
        );
        assert_eq!(names(&[" a ,\tb,, ,c,"]).unwrap(), ["a", "b", "c"]);
        assert_eq!(names(&["a", "b"]).unwrap(), ["a", "b"]);
        assert_eq!(names(&["", ","]).unwrap(), Vec::<String>::new());
        assert_eq!(names(&["a,a,A"]).unwrap(), ["a", "a", "A"]);
    }

    #[test]
    fn parser_is_bounded() {
        let long: &'static str =
            Box::leak(format!("x-a,{}", " ".repeat(MAX_REQUEST_HEADERS_LEN)).into_boxed_str());
        assert!(names(&[long]).is_none());
        let many: &'static str = Box::leak(
            vec!["x"; MAX_REQUEST_HEADERS + 1]
                .join(",")
                .into_boxed_str(),
        );
        assert!(names(&[many]).is_none());
        let enough: &'static str =
            Box::leak(vec!["x"; MAX_REQUEST_HEADERS].join(",").into_boxed_str());
        assert!(names(&[enough]).is_some());
        assert!(names(&["a"; MAX_REQUEST_HEADER_LINES + 1]).is_none());
        assert!(names(&["a b"]).is_none());
        assert!(names(&["a;b"]).is_none());
    }

    #[test]
    fn parser_stops_at_the_first_refusal() {
        let line = HeaderValue::from_static("a,b,c");
        let mut calls = 0;
        assert!(!for_each_requested_header([&line], |name| {
            calls += 1;
            name != b"b"
        }));
        assert_eq!(calls, 2);
    }
}
