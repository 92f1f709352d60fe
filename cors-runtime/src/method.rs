//! Methods: validation of the methods a policy serves.

use crate::Invalid;
use crate::header::is_token;

/// The methods that browsers upper-case before sending them in
/// `Access-Control-Request-Method`; every other method is sent as written.
pub const NORMALIZED: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

/// The methods that no browser lets a script send.
pub const FORBIDDEN: [&str; 3] = ["CONNECT", "TRACE", "TRACK"];

/// The methods that a browser sends without a preflight.
pub const SAFELISTED: [&str; 3] = ["GET", "HEAD", "POST"];

/// Validates one method of a policy. The method is kept exactly as written:
/// `PATCH` and `patch` are two different methods, and browsers send each as is.
///
/// ```
/// use static_cors_runtime::method::validate_method;
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
    if FORBIDDEN.iter().any(|f| f.eq_ignore_ascii_case(method)) {
        return Err(Invalid::new(format!(
            "method `{method}` is forbidden: browsers never send `CONNECT`, `TRACE` or `TRACK`"
        )));
    }
    if method.eq_ignore_ascii_case("OPTIONS") {
        return Err(Invalid::new(
            "`OPTIONS` is answered by the route that `cors_route!` generates: preflights, and `204` with `Allow` otherwise",
        )
        .help("remove it"));
    }
    if let Some(upper) = NORMALIZED
        .iter()
        .find(|n| n.eq_ignore_ascii_case(method) && **n != method)
    {
        return Err(Invalid::new(format!(
            "method `{method}` is never sent: browsers upper-case it"
        ))
        .help(format!("write `{upper}`")));
    }
    Ok(())
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
}
