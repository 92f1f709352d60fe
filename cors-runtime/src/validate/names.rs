//! The rules about one name: a method a policy serves, a request header it
//! allows, a response header it exposes.

use super::Invalid;
use crate::header::is_token;
use crate::method::{self, Treatment};

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

/// Response headers that browsers never let a script read, whatever the server
/// exposes.
pub const FORBIDDEN_RESPONSE_HEADERS: [&str; 2] = ["set-cookie", "set-cookie2"];

/// Validates one method of a policy. The method is kept exactly as written:
/// `PATCH` and `patch` are two different methods, and browsers send each as is.
///
/// ```
/// use static_cors_runtime::validate::validate_method;
///
/// assert!(validate_method("PURGE").is_ok());
/// assert!(validate_method("patch").is_ok());
/// let error = validate_method("get").unwrap_err();
/// assert_eq!(error.message, "method `get` is never sent: browsers upper-case it");
/// assert_eq!(error.help.as_deref(), Some("write `GET`"));
/// ```
pub fn validate_method(method: &str) -> Result<(), Invalid> {
    if method.is_empty() {
        return Err(Invalid::new("empty method"));
    }
    if method == "*" {
        return Err(Invalid::new(
            "`*` is not a method: `Access-Control-Allow-Methods: *` would let browsers send every method",
        )
        .help("list the methods the handler serves"));
    }
    if !is_token(method.as_bytes()) {
        return Err(Invalid::new(format!(
            "invalid method `{method}`: a method is a token (letters, digits and ``!#$%&'*+-.^_`|~``)"
        )));
    }
    let Some(known) = method::lookup(method) else {
        return Ok(());
    };
    match known.treatment {
        Treatment::Forbidden => Err(Invalid::new(format!(
            "method `{method}` is forbidden: browsers never send `CONNECT`, `TRACE` or `TRACK`"
        ))),
        _ if known.name == "OPTIONS" => Err(Invalid::new(
            "`OPTIONS` is answered by the route that `cors_route!` generates: preflights, and `204` with `Allow` otherwise",
        )
        .help("remove it")),
        Treatment::Normalized if known.name != method => Err(Invalid::new(format!(
            "method `{method}` is never sent: browsers upper-case it"
        ))
        .help(format!("write `{}`", known.name))),
        _ => Ok(()),
    }
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
/// use static_cors_runtime::validate::validate_request_header;
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
/// use static_cors_runtime::validate::validate_exposed_header;
///
/// assert_eq!(validate_exposed_header("X-Request-Id").unwrap(), "x-request-id");
/// assert!(validate_exposed_header("set-cookie").is_err());
/// ```
pub fn validate_exposed_header(name: &str) -> Result<String, Invalid> {
    let lower = check_token(name, "header")?;
    if FORBIDDEN_RESPONSE_HEADERS.contains(&lower.as_str()) {
        return Err(Invalid::new(format!(
            "`{name}` is never exposed: browsers hide it from scripts whatever the server says"
        ))
        .help("remove it"));
    }
    Ok(lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_extension_and_unnormalized_methods() {
        for ok in [
            "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "PURGE", "patch", "x-custom",
        ] {
            assert!(validate_method(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_forbidden_lowercase_and_non_tokens() {
        for (bad, message) in [
            ("CONNECT", "forbidden"),
            ("trace", "forbidden"),
            ("Track", "forbidden"),
            ("get", "upper-case"),
            ("Post", "upper-case"),
            ("GE T", "a method is a token"),
            ("GET,POST", "a method is a token"),
            ("*", "`*` is not a method"),
            ("OPTIONS", "answered by the route"),
            ("options", "answered by the route"),
            ("", "empty method"),
        ] {
            let error = validate_method(bad).expect_err(bad);
            assert!(error.message.contains(message), "{bad}: {}", error.message);
        }
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
}
