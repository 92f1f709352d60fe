//! The rules about one origin of a policy's list (contract section 3), and the
//! properties of a pattern that the rules between entries need.

use std::borrow::Cow;
use std::net::Ipv6Addr;

use super::Invalid;
use super::host::check_host;
use crate::origin::{HostPattern, OriginPattern, PortPattern, default_port, is_subdomain_of};

impl OriginPattern {
    /// Whether every origin that `other` allows is allowed by this entry too.
    pub fn covers(&self, other: &OriginPattern) -> bool {
        let port = self.port == PortPattern::Any || self.port == other.port;
        let host = match (&self.host, &other.host) {
            (HostPattern::Exact(a), HostPattern::Exact(b)) => a == b,
            (HostPattern::Subdomains(domain), HostPattern::Exact(host)) => {
                is_subdomain_of(host.as_bytes(), domain.as_bytes())
            }
            (HostPattern::Subdomains(wide), HostPattern::Subdomains(narrow)) => {
                wide == narrow || is_subdomain_of(narrow.as_bytes(), wide.as_bytes())
            }
            (HostPattern::Exact(_), HostPattern::Subdomains(_)) => false,
        };
        self.scheme == other.scheme && port && host
    }

    /// Whether every origin this entry allows is a loopback origin (`localhost`,
    /// `*.localhost`, `127.0.0.0/8` or `[::1]`).
    pub fn is_loopback(&self) -> bool {
        match &self.host {
            HostPattern::Exact(host) => is_loopback_host(host),
            HostPattern::Subdomains(domain) => is_localhost_name(domain),
        }
    }

    /// Whether this entry is a subdomain pattern over a public suffix
    /// (`https://*.com`, `https://*.github.io`, `https://*.co.uk`): anyone can
    /// register a name under it.
    pub fn is_public_suffix_wildcard(&self) -> bool {
        match &self.host {
            HostPattern::Subdomains(domain) => is_public_suffix(domain),
            HostPattern::Exact(_) => false,
        }
    }
}

fn is_localhost_name(host: &str) -> bool {
    host == "localhost" || host.ends_with(".localhost")
}

fn is_loopback_host(host: &str) -> bool {
    is_localhost_name(host)
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|address| address.is_loopback())
}

fn is_public_suffix(domain: &str) -> bool {
    !is_localhost_name(domain) && super::suffix::is_public_suffix(domain)
}

/// Validates one entry of a policy's origin list and returns it as a pattern.
///
/// `*` (any origin) is a list of its own and is not accepted here. Every rule of
/// the contract is checked: serialized form (lowercase scheme and host, no path,
/// query, fragment, userinfo or whitespace, a port in 1..=65535 without leading
/// zeros and not the default one, punycode for international names, canonical
/// IPv4 and IPv6), `null` and `file://` refused, and wildcards only as `*.domain`
/// or `:*`.
///
/// ```
/// use static_cors_runtime::validate::parse_origin;
///
/// assert!(parse_origin("https://app.example.com").is_ok());
/// let error = parse_origin("https://app.example.com/").unwrap_err();
/// assert_eq!(error.message, "invalid origin `https://app.example.com/`: an origin has no path");
/// assert_eq!(error.help.as_deref(), Some("write `https://app.example.com`"));
/// ```
pub fn parse_origin(text: &str) -> Result<OriginPattern, Invalid> {
    let invalid = |why: &str| Invalid::new(format!("invalid origin `{text}`: {why}"));
    if text.is_empty() {
        return Err(Invalid::new("empty origin")
            .help("write a serialized origin such as `https://app.example.com`"));
    }
    if text == "null" {
        return Err(Invalid::new(
            "the `null` origin is never allowed: any page can obtain it (sandboxed frames, `data:` documents)",
        )
        .help("list the origins of the pages that need access"));
    }
    if text.chars().any(char::is_whitespace) {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        return Err(invalid("an origin has no whitespace").help(format!("write `{compact}`")));
    }
    if text == "*" {
        return Err(invalid("`*` stands alone as the whole list")
            .help("write `origins = \"*\"` to allow any origin"));
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        let help = if text.contains(':') {
            "write `scheme://host`, for example `https://app.example.com`".to_owned()
        } else {
            format!("write `https://{}`", text.trim_start_matches('/'))
        };
        return Err(invalid("missing the scheme (`https://`)").help(help));
    };
    if scheme.bytes().any(|b| b.is_ascii_uppercase())
        || rest
            .split(['/', '?', '#'])
            .next()
            .is_some_and(|a| a.bytes().any(|b| b.is_ascii_uppercase()))
    {
        let (authority, tail) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
        return Err(
            invalid("scheme and host are lowercase in an origin").help(format!(
                "write `{}://{}{tail}`",
                scheme.to_ascii_lowercase(),
                authority.to_ascii_lowercase()
            )),
        );
    }
    if scheme == "file" {
        return Err(
            invalid("`file://` origins are never allowed: browsers send them as `null`")
                .help("serve the page over `http://localhost` during development"),
        );
    }
    if scheme != "http" && scheme != "https" {
        return Err(invalid(&format!(
            "unsupported scheme `{scheme}`: browsers send CORS requests from `http` and `https` origins"
        ))
        .help(format!("write `https://{rest}`")));
    }
    if rest.is_empty() || rest.starts_with(['/', '?', '#']) {
        return Err(invalid("missing the host"));
    }
    if let Some(cut) = rest.find(['/', '?', '#']) {
        let what = match rest.as_bytes()[cut] {
            b'/' => "an origin has no path",
            b'?' => "an origin has no query",
            _ => "an origin has no fragment",
        };
        return Err(invalid(what).help(format!("write `{scheme}://{}`", &rest[..cut])));
    }
    if let Some(at) = rest.rfind('@') {
        return Err(invalid("an origin has no userinfo")
            .help(format!("write `{scheme}://{}`", &rest[at + 1..])));
    }
    if !rest.starts_with('[') && rest.matches(':').count() > 1 {
        return Err(match rest.parse::<Ipv6Addr>() {
            Ok(address) => invalid("an IPv6 address is written in brackets").help(format!(
                "write `{scheme}://[{}]`",
                super::host::serialize_ipv6(address)
            )),
            Err(_) => invalid("a host is followed by one `:` and its port"),
        });
    }
    let (host, port) = split_host_port(rest);
    let port = match port {
        None => PortPattern::Default,
        Some("*") => PortPattern::Any,
        Some("") => {
            return Err(invalid("empty port").help(format!("write `{scheme}://{host}`")));
        }
        Some(digits) => check_port(text, scheme, host, digits)?,
    };
    let host = check_host(text, scheme, host, rest)?;
    Ok(OriginPattern {
        text: Cow::Owned(text.to_owned()),
        scheme: Cow::Owned(scheme.to_owned()),
        host,
        port,
    })
}

fn split_host_port(authority: &str) -> (&str, Option<&str>) {
    if authority.starts_with('[') {
        if let Some(close) = authority.find(']') {
            let (host, tail) = authority.split_at(close + 1);
            return (
                host,
                tail.strip_prefix(':')
                    .or(if tail.is_empty() { None } else { Some(tail) }),
            );
        }
        return (authority, None);
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    }
}

fn check_port(text: &str, scheme: &str, host: &str, digits: &str) -> Result<PortPattern, Invalid> {
    let invalid = |why: String| Invalid::new(format!("invalid origin `{text}`: {why}"));
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(format!(
            "invalid port `{digits}`: a port is a number, or `*` for any port"
        )));
    }
    let trimmed = digits.trim_start_matches('0');
    let value = if trimmed.len() > 5 {
        None
    } else {
        trimmed.parse::<u32>().ok()
    };
    let Some(value) = value.filter(|v| (1..=65535).contains(v)) else {
        return Err(invalid(format!(
            "port `{digits}` is out of range 1..=65535"
        )));
    };
    if trimmed.len() != digits.len() {
        return Err(invalid(format!("port `{digits}` has leading zeros"))
            .help(format!("write `{scheme}://{host}:{value}`")));
    }
    if Some(value as u16) == default_port(scheme) {
        return Err(invalid(format!(
            "`{value}` is the default port of `{scheme}`, which browsers never write"
        ))
        .help(format!("write `{scheme}://{host}`")));
    }
    Ok(PortPattern::Exact(value as u16))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> Invalid {
        parse_origin(text).expect_err(text)
    }

    #[test]
    fn accepts_every_serialized_form() {
        for ok in [
            "https://app.example.com",
            "http://localhost",
            "http://localhost:5173",
            "https://example.com:8443",
            "http://127.0.0.1:8080",
            "http://[::1]:3000",
            "https://[2001:db8::1]",
            "https://xn--bcher-kva.example",
            "https://a_b.example.com",
            "https://*.example.org",
            "https://*.a.example.org:*",
            "http://localhost:*",
            "http://*.localhost:*",
            "https://1.2.3.4",
        ] {
            let pattern = parse_origin(ok).unwrap_or_else(|e| panic!("{ok}: {}", e.message));
            assert_eq!(pattern.as_str(), ok);
        }
    }

    const WILDCARD_HELP: &str =
        "write `https://*.example.com`, `https://example.com:*`, or `*` for any origin";

    #[test]
    fn rejects_with_message_and_help() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            (
                "https://a.com/",
                "an origin has no path",
                Some("write `https://a.com`"),
            ),
            (
                "https://a.com/x?y",
                "an origin has no path",
                Some("write `https://a.com`"),
            ),
            (
                "https://a.com?q",
                "an origin has no query",
                Some("write `https://a.com`"),
            ),
            (
                "https://a.com#f",
                "an origin has no fragment",
                Some("write `https://a.com`"),
            ),
            (
                "https://u:p@a.com",
                "an origin has no userinfo",
                Some("write `https://a.com`"),
            ),
            (
                "https://A.com",
                "scheme and host are lowercase",
                Some("write `https://a.com`"),
            ),
            (
                "HTTPS://a.com",
                "scheme and host are lowercase",
                Some("write `https://a.com`"),
            ),
            (
                " https://a.com",
                "no whitespace",
                Some("write `https://a.com`"),
            ),
            (
                "https://a.com:443",
                "default port",
                Some("write `https://a.com`"),
            ),
            (
                "http://a.com:80",
                "default port",
                Some("write `http://a.com`"),
            ),
            ("https://a.com:0", "out of range", None),
            ("https://a.com:65536", "out of range", None),
            (
                "https://a.com:0080",
                "leading zeros",
                Some("write `https://a.com:80`"),
            ),
            (
                "https://a.com:",
                "empty port",
                Some("write `https://a.com`"),
            ),
            ("https://a.com:x", "invalid port", None),
            ("a.com", "missing the scheme", Some("write `https://a.com`")),
            ("https://", "missing the host", None),
            (
                "https://bücher.example",
                "punycode",
                Some("write `https://xn--bcher-kva.example`"),
            ),
            (
                "https://a.com.",
                "trailing dot",
                Some("write `https://a.com`"),
            ),
            ("https://a..com", "empty label", None),
            ("https://-a.com", "starts or ends with `-`", None),
            ("https://a!.com", "`!` is not allowed", None),
            (
                "https://01.2.3.4",
                "dotted decimal",
                Some("write `https://1.2.3.4`"),
            ),
            (
                "https://0x7f.1",
                "dotted decimal",
                Some("write `https://127.0.0.1`"),
            ),
            ("https://256.1.1.1", "invalid IPv4 address", None),
            (
                "https://[2001:DB8::1]",
                "scheme and host are lowercase",
                Some("write `https://[2001:db8::1]`"),
            ),
            (
                "https://[2001:db8:0:0:0:0:0:1]",
                "compressed and lowercase",
                Some("write `https://[2001:db8::1]`"),
            ),
            (
                "https://[::ffff:1.2.3.4]",
                "compressed and lowercase",
                Some("write `https://[::ffff:102:304]`"),
            ),
            ("https://[zz]", "invalid IPv6 address", None),
            (
                "https://a.*.com",
                "a wildcard stands only",
                Some(WILDCARD_HELP),
            ),
            (
                "https://*a.com",
                "a wildcard stands only",
                Some(WILDCARD_HELP),
            ),
            ("https://*", "a wildcard stands only", Some(WILDCARD_HELP)),
            (
                "https://*.*.a.com",
                "a wildcard stands only",
                Some(WILDCARD_HELP),
            ),
            ("https://*.1.2.3.4", "not an IP address", None),
            (
                "ftp://a.com",
                "unsupported scheme `ftp`",
                Some("write `https://a.com`"),
            ),
            ("http://localhost:8080:*", "one `:` and its port", None),
            (
                "//a.com",
                "missing the scheme",
                Some("write `https://a.com`"),
            ),
            ("https:///a.com", "missing the host", None),
            ("https://+1.2.3.4", "invalid IPv4 address", None),
            (
                "https://1.2.3.0x",
                "dotted decimal",
                Some("write `https://1.2.3.0`"),
            ),
            ("https://ＡＢ.com", "punycode", None),
            ("https://a\u{200b}b.com", "punycode", None),
            (
                "https://2001:db8::1",
                "written in brackets",
                Some("write `https://[2001:db8::1]`"),
            ),
            ("https://[::1]:80:1", "invalid port", None),
            (
                "*",
                "stands alone",
                Some("write `origins = \"*\"` to allow any origin"),
            ),
        ];
        for (text, message, help) in cases {
            let e = error(text);
            assert!(e.message.contains(message), "{text}: {}", e.message);
            assert_eq!(e.help.as_deref(), *help, "{text}: {}", e.message);
        }
        assert!(
            error("null")
                .message
                .contains("`null` origin is never allowed")
        );
        assert!(
            error("file:///tmp/a.html")
                .message
                .contains("`file://` origins are never allowed")
        );
        assert_eq!(error("").message, "empty origin");
    }

    #[test]
    fn loopback_and_public_suffixes() {
        for yes in [
            "http://localhost:*",
            "http://*.localhost",
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://[::1]",
        ] {
            assert!(parse_origin(yes).unwrap().is_loopback(), "{yes}");
        }
        for no in [
            "http://example.com",
            "http://128.0.0.1",
            "http://[::2]",
            "http://localhost.example.com",
            "http://127.0.0.1.example.com",
            "http://127.evil.com",
        ] {
            assert!(!parse_origin(no).unwrap().is_loopback(), "{no}");
        }
        for yes in [
            "https://*.com",
            "https://*.github.io",
            "https://*.co.uk",
            "https://*.unknowntld",
        ] {
            assert!(
                parse_origin(yes).unwrap().is_public_suffix_wildcard(),
                "{yes}"
            );
        }
        for no in [
            "https://*.example.com",
            "https://*.example.co.uk",
            "http://*.localhost",
            "https://a.com",
        ] {
            assert!(
                !parse_origin(no).unwrap().is_public_suffix_wildcard(),
                "{no}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 20_000,
            failure_persistence: Some(Box::new(
                proptest::test_runner::FileFailurePersistence::Direct(
                    "proptest-regressions/validate-origin.txt",
                ),
            )),
            ..proptest::test_runner::Config::default()
        })]

        /// Strings over the characters that matter to origins: validation and
        /// matching never panic, and an accepted exact origin matches its own
        /// text and nothing that differs from it by a trailing slash.
        #[test]
        fn arbitrary_text_never_panics(
            scheme in proptest::sample::select(vec!["https://", "http://", "", "HTTP://", "file://"]),
            rest in "[abcxyzAZ019\\-_.:/*\\[\\]@?#% \tü例0x]{0,23}",
        ) {
            let patterns = [
                "https://*.example.org",
                "http://localhost:*",
                "http://[::1]:*",
                "https://a.com",
            ]
            .map(|p| parse_origin(p).unwrap());
            let text = format!("{scheme}{rest}");
            if let Ok(pattern) = parse_origin(&text)
                && pattern.is_exact()
            {
                proptest::prop_assert!(pattern.matches(text.as_bytes()), "{}", text);
                proptest::prop_assert!(!pattern.matches(format!("{text}/").as_bytes()), "{}", text);
            }
            for pattern in &patterns {
                let _ = pattern.matches(text.as_bytes());
            }
        }
    }
}
