//! The rules about one origin of a policy's list (contract section 3), and the
//! properties of a pattern that the rules between entries need.

use std::borrow::Cow;
use std::net::Ipv6Addr;

use super::Invalid;
use super::host::check_host;
use super::suffix::Section;
use crate::origin::{
    HostPattern, OriginPattern, PortPattern, StaticValue, default_port, is_label_of,
    is_label_pattern_byte, is_subdomain_of,
};

impl OriginPattern {
    /// Whether every origin that `other` allows is allowed by this entry too.
    pub fn covers(&self, other: &OriginPattern) -> bool {
        let port = self.port == PortPattern::Any || self.port == other.port;
        let host = match (&self.host, &other.host) {
            (HostPattern::Exact(a), HostPattern::Exact(b)) => a == b,
            (HostPattern::Subdomains(domain), HostPattern::Exact(host)) => {
                is_subdomain_of(host.as_bytes(), domain.as_bytes())
            }
            (HostPattern::Subdomains(wide), HostPattern::Subdomains(narrow))
            | (HostPattern::Subdomains(wide), HostPattern::Label { domain: narrow, .. }) => {
                wide == narrow || is_subdomain_of(narrow.as_bytes(), wide.as_bytes())
            }
            (
                HostPattern::Label {
                    prefix,
                    suffix,
                    domain,
                },
                HostPattern::Exact(host),
            ) => is_label_of(
                host.as_bytes(),
                prefix.as_bytes(),
                suffix.as_bytes(),
                domain.as_bytes(),
            ),
            (
                HostPattern::Label {
                    prefix: wide_prefix,
                    suffix: wide_suffix,
                    domain: wide_domain,
                },
                HostPattern::Label {
                    prefix,
                    suffix,
                    domain,
                },
            ) => {
                // The narrow label's fixed parts extend the wide one's with
                // characters that the wide `*` stands for; anything else leaves
                // a label that only the narrow pattern allows.
                let extends = |rest: Option<&str>| {
                    rest.is_some_and(|rest| rest.bytes().all(is_label_pattern_byte))
                };
                wide_domain == domain
                    && extends(prefix.strip_prefix(wide_prefix.as_ref()))
                    && extends(suffix.strip_suffix(wide_suffix.as_ref()))
            }
            (HostPattern::Any, _) => true,
            (_, HostPattern::Any)
            | (HostPattern::Exact(_), HostPattern::Subdomains(_) | HostPattern::Label { .. })
            | (HostPattern::Label { .. }, HostPattern::Subdomains(_)) => false,
        };
        self.scheme == other.scheme && port && host
    }

    /// Whether every origin this entry allows is a loopback origin (`localhost`,
    /// `*.localhost`, `127.0.0.0/8` or `[::1]`).
    pub fn is_loopback(&self) -> bool {
        match &self.host {
            HostPattern::Exact(host) => is_loopback_host(host),
            HostPattern::Subdomains(domain) | HostPattern::Label { domain, .. } => {
                is_localhost_name(domain)
            }
            HostPattern::Any => false,
        }
    }

    /// Whether this entry is a wildcard over a public suffix: a subdomain
    /// pattern (`https://*.com`, `https://*.github.io`, `https://*.co.uk`) or a
    /// label pattern (`https://app-*.vercel.app`) whose domain is one. Anyone can
    /// register a name under it.
    pub fn is_public_suffix_wildcard(&self) -> bool {
        self.wildcard_domain().is_some_and(is_public_suffix)
    }

    /// The domain under the wildcard of a subdomain or label pattern.
    pub(crate) fn wildcard_domain(&self) -> Option<&str> {
        match &self.host {
            HostPattern::Subdomains(domain) | HostPattern::Label { domain, .. } => Some(domain),
            HostPattern::Exact(_) | HostPattern::Any => None,
        }
    }

    /// Whether this entry is a whole-scheme pattern (`moz-extension://*`).
    pub fn is_whole_scheme(&self) -> bool {
        self.host == HostPattern::Any
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
/// IPv4 and IPv6), `null` and `file://` refused, and wildcards only as `*.domain`,
/// `prefix*suffix.domain` (one `*` in the first label) or `:*`.
///
/// Schemes other than `http` and `https` are accepted as browser extensions and
/// app shells send them (`chrome-extension://<id>`, `capacitor://localhost`): a
/// host name whose case is kept, no port, and as the one wildcard the whole
/// scheme (`moz-extension://*`). A label pattern over a public suffix of the
/// list's ICANN section (`https://*example.com`) is refused as the typo it is. `ftp`, `ws`, `wss` and the schemes of
/// documents without an origin of their own (`data`, `blob`, `javascript`,
/// `about`) are refused: no browser sends an `Origin` of theirs.
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
    // The host of `http` and `https` is lowercase; that of another scheme is
    // opaque, and keeps the case it is written in.
    let special = matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https");
    let (authority, tail) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    let upper_host = special && authority.bytes().any(|b| b.is_ascii_uppercase());
    if scheme.bytes().any(|b| b.is_ascii_uppercase()) || upper_host {
        let authority = if special {
            authority.to_ascii_lowercase()
        } else {
            authority.to_owned()
        };
        let why = if special {
            "scheme and host are lowercase in an origin"
        } else {
            "the scheme is lowercase in an origin"
        };
        return Err(invalid(why).help(format!(
            "write `{}://{authority}{tail}`",
            scheme.to_ascii_lowercase(),
        )));
    }
    if scheme == "file" {
        return Err(
            invalid("`file://` origins are never allowed: browsers send them as `null`")
                .help("serve the page over `http://localhost` during development"),
        );
    }
    if !is_scheme(scheme) {
        return Err(invalid(&format!(
            "invalid scheme `{scheme}`: a scheme is a letter followed by letters, digits, `+`, `-` or `.`"
        )));
    }
    if NEVER_AN_ORIGIN.contains(&scheme) {
        return Err(invalid(&format!(
            "unsupported scheme `{scheme}`: no page that browsers serve has an origin of this scheme"
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
    if scheme != "http" && scheme != "https" {
        return check_opaque_origin(text, scheme, rest);
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
    if let HostPattern::Label {
        prefix,
        suffix,
        domain,
    } = &host
        && !is_localhost_name(domain)
        && super::suffix::public_suffix_section(domain) == Some(Section::Icann)
    {
        return Err(label_over_icann_suffix(
            text, scheme, prefix, suffix, domain,
        ));
    }
    Ok(OriginPattern {
        text: Cow::Owned(text.to_owned()),
        // The two schemes of nearly every entry, without an allocation each.
        scheme: Cow::Borrowed(if scheme == "https" { "https" } else { "http" }),
        host,
        port,
        value: StaticValue::NONE,
    })
}

/// A label pattern whose domain is a public suffix of the ICANN section
/// (`https://*example.com`, over `com`): a typo for a subdomain pattern, which
/// allows names anyone can register.
fn label_over_icann_suffix(
    text: &str,
    scheme: &str,
    prefix: &str,
    suffix: &str,
    domain: &str,
) -> Invalid {
    let port = text.rsplit_once(domain).map_or("", |(_, port)| port);
    let message = format!(
        "invalid origin `{text}`: a label pattern over the public suffix `{domain}` allows names that anyone can register, such as `{scheme}://{prefix}evil{suffix}.{domain}{port}`"
    );
    let help = if prefix.is_empty() && !suffix.starts_with('-') {
        format!("did you mean `{scheme}://*.{suffix}.{domain}{port}`?")
    } else {
        format!(
            "put the pattern under a domain of yours, such as `{scheme}://{prefix}*{suffix}.example.{domain}{port}`"
        )
    };
    Invalid::new(message).help(help)
}

/// Special schemes of the URL standard other than `http`, `https` and `file`,
/// and schemes of documents without an origin of their own: browsers never send
/// an `Origin` in `scheme://host` form for them.
const NEVER_AN_ORIGIN: [&str; 7] = ["ftp", "ws", "wss", "data", "blob", "javascript", "about"];

/// RFC 3986: `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`, lowercase as browsers
/// serialize it (uppercase was refused before).
fn is_scheme(scheme: &str) -> bool {
    let mut bytes = scheme.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// An origin of another scheme than `http` or `https`: a browser extension
/// (`chrome-extension://<id>`) or an app shell (`capacitor://localhost`). Such an
/// origin is served by the browser or the app itself, never over a network, and
/// is written exactly as sent: a host name in the case it is sent in, no port,
/// nothing after (path, query, fragment and userinfo were refused before). Its
/// one wildcard is the whole scheme, `moz-extension://*`.
fn check_opaque_origin(text: &str, scheme: &str, host: &str) -> Result<OriginPattern, Invalid> {
    let invalid = |why: String| Invalid::new(format!("invalid origin `{text}`: {why}"));
    if host == "*" {
        return Ok(OriginPattern {
            text: Cow::Owned(text.to_owned()),
            scheme: Cow::Owned(scheme.to_owned()),
            host: HostPattern::Any,
            port: PortPattern::Default,
            value: StaticValue::NONE,
        });
    }
    if host.contains('*') {
        return Err(invalid(format!(
            "`{scheme}` origins have no wildcard but the whole scheme: each names one extension or app"
        ))
        .help(format!(
            "list each origin that needs access, or write `{scheme}://*` for every origin of the scheme"
        )));
    }
    if host.starts_with('[') || super::host::parse_ipv4(host).is_some() {
        return Err(invalid(format!(
            "`{scheme}` origins have a host name, not an IP address"
        )));
    }
    if let Some((name, _)) = host.split_once(':') {
        return Err(invalid(format!("`{scheme}` origins have no port"))
            .help(format!("write `{scheme}://{name}`")));
    }
    // The host is opaque: its shape is that of a host name, in either case,
    // and it is kept as written.
    let lower = host.to_ascii_lowercase();
    check_host(text, scheme, &lower, &lower)?;
    Ok(OriginPattern {
        text: Cow::Owned(text.to_owned()),
        scheme: Cow::Owned(scheme.to_owned()),
        host: HostPattern::Exact(Cow::Owned(host.to_owned())),
        port: PortPattern::Default,
        value: StaticValue::NONE,
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
            "chrome-extension://abcdefghijklmnop",
            "moz-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10",
            "safari-web-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10",
            "capacitor://localhost",
            "ionic://localhost",
            "tauri://localhost",
            "web+app.v2://localhost",
            "https://pr-*.preview.example.com",
            "https://*-staging.example.com",
            "https://app-*-acme.vercel.app",
            "https://*a.example.com",
            "https://pr-*.example.com:*",
            "https://pr-*.github.io",
            "safari-web-extension://140BB581-A2C0-422A-9DD3-6982A5ABEE5E",
            "moz-extension://*",
            "safari-web-extension://*",
            "chrome-extension://*",
            "capacitor://*",
            "http://dev-*.localhost:*",
        ] {
            let pattern = parse_origin(ok).unwrap_or_else(|e| panic!("{ok}: {}", e.message));
            assert_eq!(pattern.as_str(), ok);
        }
    }

    const WILDCARD_HELP: &str = "write `https://*.example.com`, `https://pr-*.example.com`, `https://example.com:*`, or `*` for any origin";

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
                "https://*a*.com",
                "a wildcard stands only",
                Some(WILDCARD_HELP),
            ),
            (
                "https://pr-*.*.a.com",
                "a wildcard stands only",
                Some(WILDCARD_HELP),
            ),
            (
                "https://a.pr-*.com",
                "a wildcard stands only",
                Some(WILDCARD_HELP),
            ),
            (
                "https://pr-*",
                "a wildcard stands only",
                Some(WILDCARD_HELP),
            ),
            (
                "https://-*.a.com",
                "label `-*` starts or ends with `-`",
                None,
            ),
            (
                "https://*-.a.com",
                "label `*-` starts or ends with `-`",
                None,
            ),
            ("https://pr!*.a.com", "`!` is not allowed", None),
            ("https://pr-*.1.2.3.4", "not an IP address", None),
            (
                "https://abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789x*.a.com",
                "leaves no room for its `*`",
                None,
            ),
            ("https://pr-*.a..com", "empty label", None),
            (
                "https://pr-*.a.com.",
                "trailing dot",
                Some("write `https://pr-*.a.com`"),
            ),
            (
                "chrome-extension://abc/",
                "an origin has no path",
                Some("write `chrome-extension://abc`"),
            ),
            (
                "Chrome-Extension://abc",
                "the scheme is lowercase",
                Some("write `chrome-extension://abc`"),
            ),
            (
                "Safari-Web-Extension://140BB581-A2C0",
                "the scheme is lowercase",
                Some("write `safari-web-extension://140BB581-A2C0`"),
            ),
            (
                "https://*example.com",
                "a label pattern over the public suffix `com` allows names that anyone can register, such as `https://evilexample.com`",
                Some("did you mean `https://*.example.com`?"),
            ),
            (
                "https://*example.co.uk:*",
                "over the public suffix `co.uk`",
                Some("did you mean `https://*.example.co.uk:*`?"),
            ),
            (
                "https://app-*.co.uk",
                "over the public suffix `co.uk`",
                Some(
                    "put the pattern under a domain of yours, such as `https://app-*.example.co.uk`",
                ),
            ),
            (
                "https://*-app.com",
                "over the public suffix `com`",
                Some(
                    "put the pattern under a domain of yours, such as `https://*-app.example.com`",
                ),
            ),
            (
                "https://pr-*.unknowntld",
                "over the public suffix `unknowntld`",
                Some(
                    "put the pattern under a domain of yours, such as `https://pr-*.example.unknowntld`",
                ),
            ),
            (
                "capacitor://localhost:8080",
                "`capacitor` origins have no port",
                Some("write `capacitor://localhost`"),
            ),
            (
                "chrome-extension://*abc",
                "`chrome-extension` origins have no wildcard but the whole scheme",
                Some(
                    "list each origin that needs access, or write `chrome-extension://*` for every origin of the scheme",
                ),
            ),
            (
                "moz-extension://*.abc",
                "`moz-extension` origins have no wildcard but the whole scheme",
                Some(
                    "list each origin that needs access, or write `moz-extension://*` for every origin of the scheme",
                ),
            ),
            (
                "moz-extension://*:*",
                "`moz-extension` origins have no wildcard but the whole scheme",
                Some(
                    "list each origin that needs access, or write `moz-extension://*` for every origin of the scheme",
                ),
            ),
            (
                "tauri://localhost:*",
                "`tauri` origins have no wildcard but the whole scheme",
                Some(
                    "list each origin that needs access, or write `tauri://*` for every origin of the scheme",
                ),
            ),
            (
                "capacitor://app-*.example.com",
                "`capacitor` origins have no wildcard but the whole scheme",
                Some(
                    "list each origin that needs access, or write `capacitor://*` for every origin of the scheme",
                ),
            ),
            (
                "https://A*.example.com",
                "scheme and host are lowercase",
                Some("write `https://a*.example.com`"),
            ),
            ("tauri://127.0.0.1", "host name, not an IP address", None),
            ("tauri://[::1]", "host name, not an IP address", None),
            ("capacitor://", "missing the host", None),
            ("capacitor://-app", "starts or ends with `-`", None),
            ("1app://localhost", "invalid scheme `1app`", None),
            ("my_app://localhost", "invalid scheme `my_app`", None),
            (
                "ws://a.com",
                "unsupported scheme `ws`",
                Some("write `https://a.com`"),
            ),
            (
                "https://*",
                "a whole-scheme pattern is only for schemes other than `http` and `https`",
                Some("write `origins = \"*\"` to allow any origin"),
            ),
            (
                "http://*:*",
                "`http://*` would be every site",
                Some("write `origins = \"*\"` to allow any origin"),
            ),
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
            "http://dev-*.localhost:*",
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
            "https://app-*-acme.vercel.app",
            "https://pr-*.github.io",
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
            "https://pr-*.preview.example.com",
            "chrome-extension://abcdefghijklmnop",
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
        /// matching never panic, an accepted entry is visible ASCII (what lets
        /// a compile-time policy build its header value without a check), and
        /// an accepted exact origin matches its own text and nothing that
        /// differs from it by a trailing slash.
        #[test]
        fn arbitrary_text_never_panics(
            scheme in proptest::sample::select(vec!["https://", "http://", "", "HTTP://", "file://", "chrome-extension://"]),
            rest in "[abcxyzAZ019\\-_.:/*\\[\\]@?#% \tü例0x]{0,23}",
        ) {
            let patterns = [
                "https://*.example.org",
                "http://localhost:*",
                "http://[::1]:*",
                "https://a.com",
                "https://a*-b.example.org",
                "chrome-extension://abc",
            ]
            .map(|p| parse_origin(p).unwrap());
            let text = format!("{scheme}{rest}");
            if let Ok(pattern) = parse_origin(&text) {
                let written = pattern.as_str();
                proptest::prop_assert!(written.bytes().all(|b| (b'!'..=b'~').contains(&b)), "{}", written);
                if pattern.is_exact() {
                    proptest::prop_assert!(pattern.matches(text.as_bytes()), "{}", text);
                    proptest::prop_assert!(!pattern.matches(format!("{text}/").as_bytes()), "{}", text);
                }
            }
            for pattern in &patterns {
                let _ = pattern.matches(text.as_bytes());
            }
        }
    }
}
