//! Origins at request time: the patterns a policy lists, and how the `Origin`
//! header that a request carries is matched against them. Their validation is in
//! [`crate::validate`].
//!
//! A policy lists *serialized origins* (`scheme://host[:port]`, exactly as a browser
//! sends them) and three kinds of patterns: `scheme://*.domain` (one or more whole
//! labels in front of `domain`), `scheme://prefix*suffix.domain` (one label in
//! front of `domain`, beginning with `prefix` and ending with `suffix`) and
//! `scheme://host:*` (any port, the default one included). Matching is byte-wise
//! against what browsers send: an `Origin` that is not in serialized form never
//! matches.
//!
//! Origins of other schemes than `http` and `https` (browser extensions such as
//! `chrome-extension://<id>`, app shells such as `capacitor://localhost`) are
//! matched byte for byte like any other, their host's case included (the URL
//! standard keeps it: Safari sends
//! `safari-web-extension://140BB581-A2C0-422A-9DD3-6982A5ABEE5E`). Their one
//! pattern is the whole scheme, `moz-extension://*`.
//!
//! A policy's list as a whole is an [`OriginSet`], which looks a request's
//! origin up in time that does not grow with the list.

mod set;

use std::borrow::Cow;
use std::fmt;

use http::HeaderValue;

pub(crate) use set::Index;
pub use set::OriginSet;
#[doc(hidden)]
pub use set::Slot;

/// The host part of an [`OriginPattern`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HostPattern {
    /// Exactly this host: a domain, a dotted IPv4 address, or a bracketed IPv6 address.
    Exact(Cow<'static, str>),
    /// One or more whole labels in front of this domain (written `*.domain`); never
    /// the domain itself.
    Subdomains(Cow<'static, str>),
    /// Exactly one label in front of `domain`, made of `prefix`, then one or more
    /// letters, digits or `-`, then `suffix` (written `prefix*suffix.domain`, as in
    /// `pr-*.preview.example.com`). The label as a whole is a valid label: at most
    /// 63 characters, and neither its first nor its last character is `-`.
    Label {
        /// The fixed start of the label; may be empty when `suffix` is not.
        prefix: Cow<'static, str>,
        /// The fixed end of the label; may be empty when `prefix` is not.
        suffix: Cow<'static, str>,
        /// The domain under which the label stands.
        domain: Cow<'static, str>,
    },
    /// Any host of a scheme other than `http` and `https` (written
    /// `moz-extension://*`): every origin of that scheme.
    Any,
}

/// The port part of an [`OriginPattern`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PortPattern {
    /// No port written: the scheme's default port.
    Default,
    /// Exactly this port, which is not the scheme's default port.
    Exact(u16),
    /// Any port, the default one included (written `:*`).
    Any,
}

/// One entry of a policy's origin list: a serialized origin or a pattern.
///
/// Built only by validation ([`parse_origin`](crate::validate::parse_origin)), so
/// every value is well formed.
///
/// ```
/// use static_cors_runtime::validate::parse_origin;
///
/// let pattern = parse_origin("https://*.example.org").unwrap();
/// assert!(pattern.matches(b"https://a.b.example.org"));
/// assert!(!pattern.matches(b"https://example.org"));
/// assert_eq!(pattern.to_string(), "https://*.example.org");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OriginPattern {
    pub(crate) text: Cow<'static, str>,
    pub(crate) scheme: Cow<'static, str>,
    pub(crate) host: HostPattern,
    pub(crate) port: PortPattern,
    /// An exact entry's text as a header value, for a policy built at compile
    /// time.
    pub(crate) value: StaticValue,
}

/// An exact entry's text as a static header value: the answer to a request
/// from that origin, which then carries the policy's bytes and not a count on
/// the request's. Only `#[cors]` and `cors_policy!` make one (an entry built
/// at run time has none, and answers with the request's own value, the same
/// bytes). It is not part of the entry's identity: it never changes equality
/// or a hash.
#[derive(Clone, Default)]
pub(crate) struct StaticValue(pub(crate) Option<HeaderValue>);

impl StaticValue {
    /// None: what an entry built at run time carries.
    pub(crate) const NONE: Self = Self(None);

    /// `text` as a static value. Only validated origins reach it, and the
    /// validator accepts visible ASCII only (a property test in
    /// `validate::origin` holds it to that), so `from_static` never fails; its
    /// own check is the only loop left for `const` evaluation to run.
    pub(crate) const fn of(text: &'static str) -> Self {
        Self(Some(HeaderValue::from_static(text)))
    }
}

impl PartialEq for StaticValue {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for StaticValue {}

impl std::hash::Hash for StaticValue {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl fmt::Debug for StaticValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() { "Static" } else { "None" })
    }
}

impl OriginPattern {
    /// The origin or pattern as written in the policy.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The scheme: `http`, `https`, or the scheme of a browser extension or an app
    /// shell (`chrome-extension`, `capacitor`, ...).
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The host part.
    pub fn host(&self) -> &HostPattern {
        &self.host
    }

    /// The port part.
    pub fn port(&self) -> PortPattern {
        self.port
    }

    /// Whether this entry is a single origin rather than a pattern.
    #[inline]
    pub fn is_exact(&self) -> bool {
        is_exact(&self.host, &self.port)
    }

    /// Whether the request origin `origin` (the bytes of an `Origin` header) is
    /// allowed by this entry. Runs in time linear in `origin.len()` and never
    /// allocates.
    #[inline]
    pub fn matches(&self, origin: &[u8]) -> bool {
        if self.is_exact() {
            return origin == self.text.as_bytes();
        }
        self.matches_pattern(origin)
    }

    /// [`OriginPattern::matches`] for an entry that is a pattern.
    fn matches_pattern(&self, origin: &[u8]) -> bool {
        let Some(rest) = origin
            .strip_prefix(self.scheme.as_bytes())
            .and_then(|rest| rest.strip_prefix(b"://"))
        else {
            return false;
        };
        let (host, port) = split_authority(rest);
        let port_ok = match (self.port, port) {
            (PortPattern::Default, None) | (PortPattern::Any, None) => true,
            (PortPattern::Exact(want), Some(port)) => parse_port(port) == Some(want),
            (PortPattern::Any, Some(port)) => {
                parse_port(port).is_some_and(|p| Some(p) != default_port(&self.scheme))
            }
            _ => false,
        };
        port_ok
            && match &self.host {
                HostPattern::Exact(want) => host == want.as_bytes(),
                HostPattern::Subdomains(domain) => is_subdomain_of(host, domain.as_bytes()),
                HostPattern::Label {
                    prefix,
                    suffix,
                    domain,
                } => is_label_of(
                    host,
                    prefix.as_bytes(),
                    suffix.as_bytes(),
                    domain.as_bytes(),
                ),
                HostPattern::Any => {
                    !host.is_empty() && host.iter().all(|&b| is_opaque_host_byte(b))
                }
            }
    }
}

impl fmt::Display for OriginPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Whether an entry of `host` and `port` is a single origin rather than a
/// pattern: [`OriginPattern::is_exact`], also for a pattern built in a `const`
/// context.
#[inline]
pub(crate) const fn is_exact(host: &HostPattern, port: &PortPattern) -> bool {
    matches!(host, HostPattern::Exact(_)) && !matches!(port, PortPattern::Any)
}

/// Splits `host[:port]` (the part after `://`) into host and port bytes.
pub(crate) fn split_authority(rest: &[u8]) -> (&[u8], Option<&[u8]>) {
    let host_end = if rest.first() == Some(&b'[') {
        match rest.iter().position(|&b| b == b']') {
            Some(close) => close + 1,
            None => rest.len(),
        }
    } else {
        rest.iter().position(|&b| b == b':').unwrap_or(rest.len())
    };
    let (host, tail) = rest.split_at(host_end);
    match tail.split_first() {
        None => (host, None),
        Some((b':', port)) => (host, Some(port)),
        // Anything else after the host (a path, a stray `]`...) is never a port;
        // keep it in the host so that no host comparison can succeed.
        Some(_) => (rest, None),
    }
}

/// Parses a port as written in a serialized origin: 1 to 5 digits, no leading
/// zero, 1..=65535.
pub(crate) fn parse_port(digits: &[u8]) -> Option<u16> {
    if digits.is_empty() || digits.len() > 5 || digits[0] == b'0' {
        return None;
    }
    let mut value: u32 = 0;
    for &digit in digits {
        if !digit.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(digit - b'0');
    }
    u16::try_from(value).ok()
}

pub(crate) fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}

/// `host` is one or more whole labels followed by `.domain`, and a host name:
/// at most 253 characters (RFC 1035).
pub(crate) fn is_subdomain_of(host: &[u8], domain: &[u8]) -> bool {
    if host.len() > MAX_HOST {
        return false;
    }
    let Some(prefix) = host
        .strip_suffix(domain)
        .and_then(|prefix| prefix.strip_suffix(b"."))
    else {
        return false;
    };
    !prefix.is_empty()
        && prefix
            .split(|&b| b == b'.')
            .all(|label| !label.is_empty() && label.iter().all(|&b| is_host_byte(b)))
}

/// The longest label of a domain name (RFC 1034).
pub(crate) const MAX_LABEL: usize = 63;

/// The longest host name (RFC 1035).
pub(crate) const MAX_HOST: usize = 253;

/// `host` is one label followed by `.domain`, where the label is `prefix`, one or
/// more letters, digits or `-`, then `suffix`, at most [`MAX_LABEL`] long, and
/// neither starts nor ends with `-`. One pass over `host`, no allocation.
pub(crate) fn is_label_of(host: &[u8], prefix: &[u8], suffix: &[u8], domain: &[u8]) -> bool {
    let Some(label) = host
        .strip_suffix(domain)
        .and_then(|rest| rest.strip_suffix(b"."))
    else {
        return false;
    };
    if label.len() > MAX_LABEL || label.len() <= prefix.len() + suffix.len() {
        return false;
    }
    let Some(middle) = label
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix(suffix))
    else {
        return false;
    };
    middle.iter().all(|&b| is_label_pattern_byte(b))
        && label.first() != Some(&b'-')
        && label.last() != Some(&b'-')
}

/// What the `*` of a label pattern stands for: lowercase letters, digits, `-`.
pub(crate) fn is_label_pattern_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'
}

/// What the host of an origin of another scheme than `http` and `https` is
/// made of, as browsers send them: letters of either case, digits, `-`, `_`, `.`.
pub(crate) fn is_opaque_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')
}

pub(crate) fn is_host_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
}

#[cfg(test)]
mod tests {
    use crate::validate::parse_origin;

    #[test]
    fn compile_time_exact_entries_carry_a_static_value_that_is_not_their_identity() {
        use crate::__private::{HostParts, OriginParts, PortParts};
        static EXACT: super::OriginPattern = OriginParts {
            text: "http://localhost:5173",
            scheme: "http",
            host: HostParts::Exact("localhost"),
            port: PortParts::Exact(5173),
        }
        .build();
        static ANY_PORT: super::OriginPattern = OriginParts {
            text: "http://localhost:*",
            scheme: "http",
            host: HostParts::Exact("localhost"),
            port: PortParts::Any,
        }
        .build();
        assert_eq!(
            EXACT.value.0.as_ref().map(|v| v.as_bytes()),
            Some(&b"http://localhost:5173"[..])
        );
        assert!(ANY_PORT.value.0.is_none(), "a pattern echoes the request");
        let parsed = parse_origin("http://localhost:5173").unwrap();
        assert!(parsed.value.0.is_none(), "built at run time");
        assert_eq!(parsed, EXACT);
    }

    #[test]
    fn exact_origins_match_byte_for_byte() {
        let p = parse_origin("https://app.example.com").unwrap();
        assert!(p.matches(b"https://app.example.com"));
        for no in [
            &b"https://APP.example.com"[..],
            b"https://app.example.com/",
            b"https://app.example.com:443",
            b"https://app.example.com.evil.net",
            b"http://app.example.com",
            b"",
            b"null",
        ] {
            assert!(!p.matches(no), "{}", String::from_utf8_lossy(no));
        }
    }

    #[test]
    fn subdomain_patterns_match_whole_labels_only() {
        let p = parse_origin("https://*.example.org").unwrap();
        for yes in [
            "https://a.example.org",
            "https://a.b.example.org",
            "https://x-1.example.org",
        ] {
            assert!(p.matches(yes.as_bytes()), "{yes}");
        }
        for no in [
            "https://example.org",
            "https://.example.org",
            "https://a..example.org",
            "https://aexample.org",
            "http://a.example.org",
            "https://a.example.org:443",
            "https://a.example.org:8443",
            "https://A.example.org",
            "https://a.example.org/",
            "https://a/b.example.org",
            "https://evil.net/.example.org",
        ] {
            assert!(!p.matches(no.as_bytes()), "{no}");
        }
    }

    #[test]
    fn port_wildcards_match_any_canonical_port() {
        let p = parse_origin("http://localhost:*").unwrap();
        for yes in [
            "http://localhost",
            "http://localhost:5173",
            "http://localhost:65535",
        ] {
            assert!(p.matches(yes.as_bytes()), "{yes}");
        }
        for no in [
            "http://localhost:80",
            "http://localhost:0",
            "http://localhost:05173",
            "http://localhost:65536",
            "http://localhost:",
            "http://localhost:5173/",
            "http://a.localhost:5173",
            "https://localhost:5173",
        ] {
            assert!(!p.matches(no.as_bytes()), "{no}");
        }
        let both = parse_origin("http://*.localhost:*").unwrap();
        assert!(both.matches(b"http://a.localhost:4000"));
        assert!(!both.matches(b"http://localhost:4000"));
        let v6 = parse_origin("http://[::1]:*").unwrap();
        assert!(v6.matches(b"http://[::1]:8080"));
        assert!(!v6.matches(b"http://[::2]:8080"));
        assert!(!v6.matches(b"http://[::1]x:8080"));
    }

    #[test]
    fn label_patterns_match_one_label_with_its_fixed_parts() {
        let p = parse_origin("https://pr-*.preview.example.com").unwrap();
        for yes in [
            "https://pr-1.preview.example.com",
            "https://pr-123.preview.example.com",
            "https://pr-a-b.preview.example.com",
            "https://pr--1.preview.example.com",
        ] {
            assert!(p.matches(yes.as_bytes()), "{yes}");
        }
        for no in [
            // The empty middle: the prefix alone.
            "https://pr-.preview.example.com",
            // A dot in the middle: two labels.
            "https://pr-1.x.preview.example.com",
            "https://pr-.1.preview.example.com",
            // Uppercase, anywhere.
            "https://pr-ABC.preview.example.com",
            "https://PR-1.preview.example.com",
            "https://pr-1.PREVIEW.example.com",
            // A trailing dot.
            "https://pr-1.preview.example.com.",
            // Not a label character.
            "https://pr-a_b.preview.example.com",
            "https://pr-%41.preview.example.com",
            // A label may not end with `-`.
            "https://pr-1-.preview.example.com",
            // Neither the bare domain, nor another one.
            "https://preview.example.com",
            "https://pr-1.preview.example.com.evil.net",
            "https://pr-1.evilpreview.example.com",
            "https://pr-1preview.example.com",
            "https://xpr-1.preview.example.com",
            "https://pr-1.preview.example.com:443",
            "https://pr-1.preview.example.com/",
            "http://pr-1.preview.example.com",
        ] {
            assert!(!p.matches(no.as_bytes()), "{no}");
        }
        let suffix = parse_origin("https://*-staging.example.com").unwrap();
        assert!(suffix.matches(b"https://eu-staging.example.com"));
        assert!(suffix.matches(b"https://a--staging.example.com"));
        for no in [
            // The suffix alone, with and without its `-`.
            "https://-staging.example.com",
            "https://staging.example.com",
            // A label may not start with `-`.
            "https://--staging.example.com",
            "https://x.eu-staging.example.com",
            "https://eu-stagingx.example.com",
        ] {
            assert!(!suffix.matches(no.as_bytes()), "{no}");
        }
        let both = parse_origin("https://app-*-acme.vercel.app").unwrap();
        assert!(both.matches(b"https://app-git-main-acme.vercel.app"));
        assert!(!both.matches(b"https://app--acme.vercel.app"));
        assert!(!both.matches(b"https://app-acme.vercel.app"));
        let port = parse_origin("https://pr-*.example.com:*").unwrap();
        assert!(port.matches(b"https://pr-7.example.com"));
        assert!(port.matches(b"https://pr-7.example.com:8443"));
        assert!(!port.matches(b"https://pr-7.example.com:443"));
        assert!(!port.matches(b"https://pr-.example.com:8443"));
    }

    #[test]
    fn label_patterns_bound_the_label_to_63_characters() {
        let p = parse_origin("https://pr-*.example.com").unwrap();
        let origin = |middle: usize| format!("https://pr-{}.example.com", "a".repeat(middle));
        assert!(p.matches(origin(60).as_bytes()), "a label of 63");
        assert!(!p.matches(origin(61).as_bytes()), "a label of 64");
        // A very long label is refused after one pass, without a panic.
        assert!(!p.matches(origin(1 << 20).as_bytes()));
        let dotted = format!("https://pr-{}.example.com", "a.".repeat(1 << 19));
        assert!(!p.matches(dotted.as_bytes()));
    }

    #[test]
    fn origins_of_other_schemes_match_byte_for_byte() {
        let p = parse_origin("chrome-extension://abcdefghijklmnop").unwrap();
        assert!(p.is_exact());
        assert_eq!(p.scheme(), "chrome-extension");
        assert!(p.matches(b"chrome-extension://abcdefghijklmnop"));
        for no in [
            &b"chrome-extension://abcdefghijklmnoq"[..],
            b"chrome-extension://abcdefghijklmnop/",
            b"chrome-extension://ABCDEFGHIJKLMNOP",
            b"Chrome-Extension://abcdefghijklmnop",
            b"moz-extension://abcdefghijklmnop",
            b"https://abcdefghijklmnop",
        ] {
            assert!(!p.matches(no), "{}", String::from_utf8_lossy(no));
        }
    }
}
