//! The request half of the Fetch standard: what `fetch()` accepts, what it drops,
//! and which methods and headers make it ask the server first.

pub(crate) use static_cors_runtime::header::is_token;
use static_cors_runtime::validate::{FORBIDDEN_REQUEST_HEADERS, FORBIDDEN_REQUEST_PREFIXES};

/// `fetch()`'s method normalization: `DELETE GET HEAD OPTIONS POST PUT` are
/// upper-cased whatever their case, every other method is kept as written.
/// A method that is not a token, or is forbidden, makes `fetch()` throw.
pub(crate) fn normalize_method(method: &str) -> Result<String, String> {
    if !is_token(method.as_bytes()) {
        return Err(format!("`{method}` is not a valid HTTP method"));
    }
    if ["CONNECT", "TRACE", "TRACK"]
        .iter()
        .any(|forbidden| method.eq_ignore_ascii_case(forbidden))
    {
        return Err(format!("`{method}` is a forbidden method"));
    }
    let normalized = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]
        .iter()
        .find(|known| method.eq_ignore_ascii_case(known));
    Ok(normalized.map_or_else(|| method.to_owned(), |known| (*known).to_owned()))
}

/// A CORS-safelisted method: one that never needs a preflight.
pub(crate) fn is_safelisted_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "POST")
}

/// A header value as `Headers` stores it: leading and trailing HTTP whitespace
/// removed. `None` when it holds a byte that makes `fetch()` throw.
pub(crate) fn normalize_value(value: &[u8]) -> Option<&[u8]> {
    let is_space = |b: &u8| matches!(b, b'\t' | b'\n' | b'\r' | b' ');
    let start = value
        .iter()
        .position(|b| !is_space(b))
        .unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |i| i + 1);
    let value = &value[start..end];
    (!value.iter().any(|b| matches!(b, b'\0' | b'\n' | b'\r'))).then_some(value)
}

/// A forbidden request-header: one that a script cannot set; `fetch()` drops it
/// silently. `name` is lowercase.
pub(crate) fn is_forbidden_header(name: &str, value: &[u8]) -> bool {
    // The standard's one list, which the policy validator refuses too.
    if FORBIDDEN_REQUEST_HEADERS.contains(&name)
        || FORBIDDEN_REQUEST_PREFIXES
            .iter()
            .any(|prefix| name.starts_with(prefix))
    {
        return true;
    }
    // A method override that names a forbidden method.
    matches!(
        name,
        "x-http-method" | "x-http-method-override" | "x-method-override"
    ) && value.split(|&b| b == b',').map(trim_ows).any(|method| {
        [&b"CONNECT"[..], b"TRACE", b"TRACK"]
            .iter()
            .any(|forbidden| method.eq_ignore_ascii_case(forbidden))
    })
}

/// Removes leading and trailing spaces and tabs.
pub(crate) fn trim_ows(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t'))
        .map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// A CORS-unsafe request-header byte: one that keeps `accept` and
/// `content-type` values from being safelisted.
fn is_unsafe_byte(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f || b"\"():<>?@[\\]{}".contains(&b)
}

/// A CORS-safelisted request-header: one that needs no preflight by itself.
/// `name` is lowercase, `value` normalized.
pub(crate) fn is_safelisted_header(name: &str, value: &[u8]) -> bool {
    if value.len() > 128 {
        return false;
    }
    match name {
        "accept" => !value.iter().any(|&b| is_unsafe_byte(b)),
        "accept-language" | "content-language" => value
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b" *,-.;=".contains(&b)),
        "content-type" => {
            !value.iter().any(|&b| is_unsafe_byte(b))
                && mime_essence(value).is_some_and(|essence| {
                    matches!(
                        essence.as_str(),
                        "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain"
                    )
                })
        }
        "range" => single_byte_range(value).is_some_and(|(start, _)| start.is_some()),
        _ => false,
    }
}

/// The essence (`type/subtype`, lowercase) of a MIME type, as the standard's
/// MIME type parser finds it; parameters never make it fail.
pub(crate) fn mime_essence(value: &[u8]) -> Option<String> {
    let value = trim_http_whitespace(value);
    let slash = value.iter().position(|&b| b == b'/')?;
    let kind = &value[..slash];
    let rest = &value[slash + 1..];
    let end = rest.iter().position(|&b| b == b';').unwrap_or(rest.len());
    let subtype = trim_http_whitespace(&rest[..end]);
    if !is_token(kind) || !is_token(subtype) {
        return None;
    }
    let mut essence = String::with_capacity(kind.len() + 1 + subtype.len());
    essence.extend(kind.iter().map(|&b| char::from(b.to_ascii_lowercase())));
    essence.push('/');
    essence.extend(subtype.iter().map(|&b| char::from(b.to_ascii_lowercase())));
    Some(essence)
}

fn trim_http_whitespace(bytes: &[u8]) -> &[u8] {
    let is_space = |b: &u8| matches!(b, b'\t' | b'\n' | b'\r' | b' ');
    let start = bytes
        .iter()
        .position(|b| !is_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// A range's bounds, as their digits; either may be absent.
type Bounds<'a> = (Option<&'a [u8]>, Option<&'a [u8]>);

/// The standard's "parse a single range header value" without whitespace:
/// `bytes=start-end`, either bound optional but not both, start not above end.
/// The bounds are returned as their digits.
fn single_byte_range(value: &[u8]) -> Option<Bounds<'_>> {
    let equals = value.iter().position(|&b| b == b'=')?;
    if !value[..equals].eq_ignore_ascii_case(b"bytes") {
        return None;
    }
    let rest = &value[equals + 1..];
    let dash = rest.iter().position(|&b| b == b'-')?;
    let (start, end) = (&rest[..dash], &rest[dash + 1..]);
    if !start.iter().chain(end).all(u8::is_ascii_digit) {
        return None;
    }
    let start = (!start.is_empty()).then_some(start);
    let end = (!end.is_empty()).then_some(end);
    match (start, end) {
        (None, None) => None,
        (Some(s), Some(e)) if decimal_greater(s, e) => None,
        bounds => Some(bounds),
    }
}

/// Whether decimal digits `a` are a greater number than `b`, at any length.
fn decimal_greater(a: &[u8], b: &[u8]) -> bool {
    let strip = |d: &[u8]| -> usize { d.iter().position(|&x| x != b'0').unwrap_or(d.len()) };
    let (a, b) = (&a[strip(a)..], &b[strip(b)..]);
    a.len() > b.len() || (a.len() == b.len() && a > b)
}

/// How an engine applies the safelist to a header list whose name repeats
/// (`fetch()`'s sequence form, or `Headers.append`). The standard checks each
/// entry on its own, and all the safelisted values together against 1024
/// bytes; no engine does both, as the browser suite shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Repeats {
    /// Chromium and WebKit: the entries of one name are joined with `, `
    /// first, and the joined value is checked, so its 128-byte limit counts
    /// them together (two `accept` entries of 100 bytes are preflighted). The
    /// 1024-byte total stays, though four names of 128 bytes never reach it.
    Joined,
    /// Firefox: each entry is checked on its own, and no limit applies to the
    /// safelisted values together (nine `accept` entries of 120 bytes are not
    /// preflighted).
    Separate,
}

/// The CORS-unsafe request-header names of a header list (lowercase names,
/// normalized values): the names that are not safelisted, and all the
/// safelisted ones too when their values together exceed 1024 bytes (not in
/// Firefox: see [`Repeats`]). Sorted, without duplicates, as
/// `Access-Control-Request-Headers` carries them.
pub(crate) fn unsafe_names<'a>(headers: &[(&'a str, &[u8])], repeats: Repeats) -> Vec<&'a str> {
    let repeated = headers
        .iter()
        .enumerate()
        .any(|(i, (name, _))| headers[..i].iter().any(|(seen, _)| seen == name));
    if repeats == Repeats::Separate || !repeated {
        return classify(headers, repeats == Repeats::Joined);
    }
    let mut joined: Vec<(&'a str, Vec<u8>)> = Vec::new();
    for (name, value) in headers {
        match joined.iter_mut().find(|(seen, _)| seen == name) {
            Some((_, combined)) => {
                combined.extend_from_slice(b", ");
                combined.extend_from_slice(value);
            }
            None => joined.push((name, value.to_vec())),
        }
    }
    let joined: Vec<(&'a str, &[u8])> = joined
        .iter()
        .map(|(name, value)| (*name, value.as_slice()))
        .collect();
    classify(&joined, true)
}

/// The unsafe names of a header list whose entries are checked one by one;
/// with `total_limit`, the safelisted ones too when their values together
/// exceed 1024 bytes.
fn classify<'a>(headers: &[(&'a str, &[u8])], total_limit: bool) -> Vec<&'a str> {
    let mut unsafe_names = Vec::new();
    let mut potentially_unsafe = Vec::new();
    let mut safelisted_size = 0;
    for (name, value) in headers {
        if is_safelisted_header(name, value) {
            potentially_unsafe.push(*name);
            safelisted_size += value.len();
        } else {
            unsafe_names.push(*name);
        }
    }
    if total_limit && safelisted_size > 1024 {
        unsafe_names.extend(potentially_unsafe);
    }
    unsafe_names.sort_unstable();
    unsafe_names.dedup();
    unsafe_names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_named_by_the_standard_are_upper_cased_and_patch_is_not() {
        for (written, sent) in [
            ("get", "GET"),
            ("Head", "HEAD"),
            ("post", "POST"),
            ("put", "PUT"),
            ("delete", "DELETE"),
            ("options", "OPTIONS"),
            ("patch", "patch"),
            ("PATCH", "PATCH"),
            ("Purge", "Purge"),
        ] {
            assert_eq!(normalize_method(written).unwrap(), sent, "{written}");
        }
    }

    #[test]
    fn forbidden_and_invalid_methods_throw() {
        for method in ["CONNECT", "trace", "Track", "", "GET POST", "caf\u{e9}"] {
            assert!(normalize_method(method).is_err(), "{method:?}");
        }
    }

    #[test]
    fn only_get_head_and_post_are_safelisted_methods() {
        for method in ["GET", "HEAD", "POST"] {
            assert!(is_safelisted_method(method));
        }
        for method in ["PUT", "DELETE", "OPTIONS", "PATCH", "get", "post"] {
            assert!(!is_safelisted_method(method), "{method}");
        }
    }

    #[test]
    fn values_lose_surrounding_whitespace_and_nul_cr_lf_throw() {
        assert_eq!(
            normalize_value(b" \t text/plain \r\n"),
            Some(&b"text/plain"[..])
        );
        assert_eq!(normalize_value(b"   "), Some(&b""[..]));
        assert_eq!(normalize_value(b"a\0b"), None);
        assert_eq!(normalize_value(b"a\nb"), None);
        assert_eq!(normalize_value(b"a\rb"), None);
    }

    #[test]
    fn forbidden_request_headers_are_the_standards_list_and_prefixes() {
        for name in [
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
            "proxy-authorization",
            "sec-fetch-site",
        ] {
            assert!(is_forbidden_header(name, b"x"), "{name}");
        }
        for name in [
            "authorization",
            "x-api-key",
            "accept",
            "user-agent",
            "proxy",
        ] {
            assert!(!is_forbidden_header(name, b"x"), "{name}");
        }
    }

    #[test]
    fn a_method_override_is_forbidden_only_when_it_names_a_forbidden_method() {
        assert!(is_forbidden_header("x-http-method-override", b"TRACE"));
        assert!(is_forbidden_header("x-http-method", b"PUT, connect"));
        assert!(is_forbidden_header("x-method-override", b" track "));
        assert!(!is_forbidden_header("x-http-method-override", b"PUT"));
    }

    #[test]
    fn accept_is_safelisted_without_unsafe_bytes() {
        assert!(is_safelisted_header(
            "accept",
            b"application/json, text/*;q=0.8"
        ));
        for value in [
            &b"a\"b"[..],
            b"(x)",
            b"a:b",
            b"<",
            b"?",
            b"@",
            b"[",
            b"\\",
            b"{",
            b"\x7f",
            b"\x01",
        ] {
            assert!(!is_safelisted_header("accept", value), "{value:?}");
        }
        assert!(is_safelisted_header("accept", b"a\tb"));
    }

    #[test]
    fn languages_are_safelisted_only_with_their_bytes() {
        for name in ["accept-language", "content-language"] {
            assert!(is_safelisted_header(name, b"en-GB, fr;q=0.5, *"));
            assert!(!is_safelisted_header(name, b"en_GB"));
            assert!(!is_safelisted_header(name, b"en/GB"));
        }
    }

    #[test]
    fn a_value_over_128_bytes_is_not_safelisted() {
        let at_limit = vec![b'a'; 128];
        let over = vec![b'a'; 129];
        assert!(is_safelisted_header("accept", &at_limit));
        assert!(!is_safelisted_header("accept", &over));
    }

    #[test]
    fn content_type_is_safelisted_for_three_essences_with_parameters() {
        for value in [
            &b"text/plain"[..],
            b"text/plain;charset=UTF-8",
            b"Text/Plain ; charset=utf-8",
            b"application/x-www-form-urlencoded",
            b"multipart/form-data; boundary=x",
            b"text/plain;;;",
        ] {
            assert!(is_safelisted_header("content-type", value), "{value:?}");
        }
        for value in [
            &b"application/json"[..],
            b"text/html",
            b"text/plain; charset=\"utf-8\"",
            b"text",
            b"text/",
            b"/plain",
        ] {
            assert!(!is_safelisted_header("content-type", value), "{value:?}");
        }
    }

    #[test]
    fn range_is_safelisted_only_for_one_simple_byte_range() {
        for value in [
            &b"bytes=0-"[..],
            b"bytes=0-499",
            b"BYTES=5-5",
            b"bytes=007-7",
        ] {
            assert!(is_safelisted_header("range", value), "{value:?}");
        }
        for value in [
            &b"bytes=-500"[..],
            b"bytes=0-1,4-5",
            b"bytes = 0-1",
            b"bytes=5-4",
            b"bytes=-",
            b"items=0-1",
            b"bytes=0x-1",
            b"bytes=99999999999999999999999-1",
        ] {
            assert!(!is_safelisted_header("range", value), "{value:?}");
        }
    }

    #[test]
    fn other_names_are_never_safelisted() {
        for name in ["authorization", "x-api-key", "cache-control", "user-agent"] {
            assert!(!is_safelisted_header(name, b"x"), "{name}");
        }
    }

    #[test]
    fn unsafe_names_are_sorted_lowercase_and_unique() {
        let headers = [
            ("x-b", &b"1"[..]),
            ("content-type", b"application/json"),
            ("accept", b"*/*"),
            ("x-a", b"1"),
            ("x-b", b"2"),
        ];
        for repeats in [Repeats::Joined, Repeats::Separate] {
            assert_eq!(
                unsafe_names(&headers, repeats),
                ["content-type", "x-a", "x-b"]
            );
        }
    }

    #[test]
    fn repeated_names_are_joined_before_the_check_but_not_in_firefox() {
        let hundred = [b'a'; 100];
        let twice = [("accept", &hundred[..]), ("accept", &hundred[..])];
        assert_eq!(
            unsafe_names(&twice, Repeats::Joined),
            ["accept"],
            "202 bytes"
        );
        assert!(unsafe_names(&twice, Repeats::Separate).is_empty());
    }

    #[test]
    fn safelisted_values_over_1024_bytes_together_are_all_unsafe_but_not_in_firefox() {
        let long = [b'a'; 128];
        let names = [
            "accept",
            "accept-language",
            "content-language",
            "content-type",
        ];
        let values = [&long[..], &long[..], &long[..], b"text/plain"];
        let distinct: Vec<(&str, &[u8])> = names.into_iter().zip(values).collect();
        assert!(
            unsafe_names(&distinct, Repeats::Joined).is_empty(),
            "394 bytes pass"
        );
        let nine: Vec<(&str, &[u8])> = (0..9).map(|_| ("accept", &long[..120])).collect();
        assert_eq!(unsafe_names(&nine, Repeats::Joined), ["accept"]);
        assert!(
            unsafe_names(&nine, Repeats::Separate).is_empty(),
            "1080 bytes in nine entries of 120"
        );
    }
}
