//! The bounded parser of `Access-Control-Request-Headers`, and what a header
//! name is.

use http::HeaderValue;

/// The most bytes of `Access-Control-Request-Headers` (all lines together) that a
/// preflight may carry; a longer list fails the preflight without being read.
pub const MAX_REQUEST_HEADERS_LEN: usize = 1024;

/// The most names that `Access-Control-Request-Headers` may list.
pub const MAX_REQUEST_HEADERS: usize = 64;

/// The most `Access-Control-Request-Headers` lines a preflight may carry.
pub const MAX_REQUEST_HEADER_LINES: usize = 8;

/// Whether `bytes` is an HTTP token (RFC 9110 `tchar`s, at least one).
#[inline]
pub fn is_token(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(|&b| TCHAR[usize::from(b)])
}

/// Which bytes are `tchar`s: one load per byte of a name.
static TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            );
        byte += 1;
    }
    table
};

/// Why [`for_each_requested_header`] stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused<'a> {
    /// The header exceeds the bounds ([`MAX_REQUEST_HEADERS_LEN`] bytes,
    /// [`MAX_REQUEST_HEADERS`] names, [`MAX_REQUEST_HEADER_LINES`] lines).
    TooLong,
    /// This element was refused, or is not a token.
    Name(&'a [u8]),
}

/// Reads the names of `Access-Control-Request-Headers` and calls `allowed` on each
/// until one is refused.
///
/// Returns `Ok` when every name passed, and otherwise why it stopped: the first
/// name refused or that is not a token, or the bounds exceeded
/// ([`MAX_REQUEST_HEADERS_LEN`] bytes, [`MAX_REQUEST_HEADERS`] names,
/// [`MAX_REQUEST_HEADER_LINES`] lines). Optional whitespace and empty elements are
/// skipped; order and duplicates do not matter. The work is linear in the
/// header's length and nothing is allocated.
///
/// ```
/// use http::HeaderValue;
/// use static_cors_runtime::header::{Refused, for_each_requested_header};
///
/// let line = HeaderValue::from_static(" X-Api-Key , content-type,,");
/// let mut seen = Vec::new();
/// let outcome = for_each_requested_header([&line], |name| {
///     seen.push(String::from_utf8_lossy(name).into_owned());
///     name != b"content-type"
/// });
/// assert_eq!(outcome, Err(Refused::Name(b"content-type")));
/// assert_eq!(seen, ["X-Api-Key", "content-type"]);
/// ```
pub fn for_each_requested_header<'a>(
    lines: impl IntoIterator<Item = &'a HeaderValue>,
    allowed: impl FnMut(&[u8]) -> bool,
) -> Result<(), Refused<'a>> {
    scan_requested_headers(lines, allowed).outcome
}

/// What [`scan_requested_headers`] found, and how much it read.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scan<'a> {
    /// What [`for_each_requested_header`] returns.
    pub outcome: Result<(), Refused<'a>>,
    /// How many bytes of the lines were read: the measure of the parser's work,
    /// which the cost tests hold to the bounds.
    pub scanned: usize,
}

impl Scan<'_> {
    /// Whether every name passed, within the bounds.
    pub fn passed(&self) -> bool {
        self.outcome.is_ok()
    }
}

/// [`for_each_requested_header`], counting the bytes it reads. Not public API:
/// it exists so that tests can measure the parser's work.
#[doc(hidden)]
#[inline]
pub fn scan_requested_headers<'a>(
    lines: impl IntoIterator<Item = &'a HeaderValue>,
    mut allowed: impl FnMut(&[u8]) -> bool,
) -> Scan<'a> {
    let mut total = 0;
    let mut names = 0;
    // Bytes read, counted where the scan stops: those of the lines before, and
    // of this line up to the end of the element that stopped it.
    let refused = |refused, scanned| Scan {
        outcome: Err(refused),
        scanned,
    };
    for (index, line) in lines.into_iter().enumerate() {
        let bytes = line.as_bytes();
        let before = total;
        total += bytes.len();
        if index >= MAX_REQUEST_HEADER_LINES || total > MAX_REQUEST_HEADERS_LEN {
            return refused(Refused::TooLong, before);
        }
        let read = |element: &[u8]| {
            before + (element.as_ptr() as usize - bytes.as_ptr() as usize) + element.len()
        };
        for element in bytes.split(|&b| b == b',') {
            let name = element.trim_ascii();
            if name.is_empty() {
                continue;
            }
            names += 1;
            if names > MAX_REQUEST_HEADERS {
                return refused(Refused::TooLong, read(element));
            }
            if !is_token(name) || !allowed(name) {
                return refused(Refused::Name(name), read(element));
            }
        }
    }
    Scan {
        outcome: Ok(()),
        scanned: total,
    }
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
        .ok()
        .map(|()| seen)
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
        let values = [HeaderValue::from_static(long)];
        assert_eq!(
            for_each_requested_header(&values, |_| true),
            Err(Refused::TooLong)
        );
        assert!(names(&["a b"]).is_none());
        assert!(names(&["a;b"]).is_none());
    }

    #[test]
    fn a_token_is_made_of_the_tchars_of_rfc_9110() {
        for byte in 0..=u8::MAX {
            let tchar = byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte);
            assert_eq!(is_token(&[byte]), tchar, "{byte:#04x}");
            assert_eq!(is_token(&[b'a', byte, b'z']), tchar, "{byte:#04x}");
        }
        assert!(!is_token(b""));
    }

    #[test]
    fn parser_stops_at_the_first_refusal() {
        let line = HeaderValue::from_static("a,b,c");
        let mut calls = 0;
        let outcome = for_each_requested_header([&line], |name| {
            calls += 1;
            name != b"b"
        });
        assert_eq!(outcome, Err(Refused::Name(b"b")));
        assert_eq!(calls, 2);
    }
}
