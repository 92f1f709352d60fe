//! Origins: validation of the origins a policy lists, and matching of the `Origin`
//! header that a request carries.
//!
//! A policy lists *serialized origins* (`scheme://host[:port]`, exactly as a browser
//! sends them) and two kinds of patterns: `scheme://*.domain` (one or more whole
//! labels in front of `domain`) and `scheme://host:*` (any port, the default one
//! included). Matching is byte-wise against what browsers send: an `Origin` that is
//! not in serialized form never matches.

use std::borrow::Cow;
use std::fmt;
use std::net::Ipv6Addr;

use crate::Invalid;

/// The host part of an [`OriginPattern`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum HostPattern {
    /// Exactly this host: a domain, a dotted IPv4 address, or a bracketed IPv6 address.
    Exact(Cow<'static, str>),
    /// One or more whole labels in front of this domain (written `*.domain`); never
    /// the domain itself.
    Subdomains(Cow<'static, str>),
}

/// The port part of an [`OriginPattern`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
/// Built only by validation ([`parse_origin`]), so every value is well formed.
///
/// ```
/// use static_cors_runtime::origin::parse_origin;
///
/// let pattern = parse_origin("https://*.example.org").unwrap();
/// assert!(pattern.matches(b"https://a.b.example.org"));
/// assert!(!pattern.matches(b"https://example.org"));
/// assert_eq!(pattern.to_string(), "https://*.example.org");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OriginPattern {
    text: Cow<'static, str>,
    scheme: Cow<'static, str>,
    host: HostPattern,
    port: PortPattern,
}

impl OriginPattern {
    #[doc(hidden)]
    /// Assembles a pattern from parts that [`parse_origin`] produced (generated code).
    pub const fn __from_parts(
        text: &'static str,
        scheme: &'static str,
        host: HostPattern,
        port: PortPattern,
    ) -> Self {
        Self {
            text: Cow::Borrowed(text),
            scheme: Cow::Borrowed(scheme),
            host,
            port,
        }
    }

    /// The origin or pattern as written in the policy.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The scheme, `http` or `https`.
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
    pub fn is_exact(&self) -> bool {
        matches!(self.host, HostPattern::Exact(_)) && self.port != PortPattern::Any
    }

    /// Whether the request origin `origin` (the bytes of an `Origin` header) is
    /// allowed by this entry. Runs in time linear in `origin.len()` and never
    /// allocates.
    pub fn matches(&self, origin: &[u8]) -> bool {
        if self.is_exact() {
            return origin == self.text.as_bytes();
        }
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
            }
    }

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

impl fmt::Display for OriginPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Splits `host[:port]` (the part after `://`) into host and port bytes.
fn split_authority(rest: &[u8]) -> (&[u8], Option<&[u8]>) {
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
fn parse_port(digits: &[u8]) -> Option<u16> {
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

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}

/// `host` is one or more whole labels followed by `.domain`.
fn is_subdomain_of(host: &[u8], domain: &[u8]) -> bool {
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

fn is_host_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
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
    if is_localhost_name(domain) {
        return false;
    }
    match psl::suffix(domain.as_bytes()) {
        Some(suffix) => suffix.as_bytes() == domain.as_bytes(),
        None => true,
    }
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
/// use static_cors_runtime::origin::parse_origin;
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
            Ok(address) => invalid("an IPv6 address is written in brackets")
                .help(format!("write `{scheme}://[{}]`", serialize_ipv6(address))),
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

fn check_host(
    text: &str,
    scheme: &str,
    host: &str,
    authority: &str,
) -> Result<HostPattern, Invalid> {
    let invalid = |why: String| Invalid::new(format!("invalid origin `{text}`: {why}"));
    let rewrite = |new_host: &str| {
        format!(
            "write `{scheme}://{}`",
            authority.replacen(host, new_host, 1)
        )
    };
    if host.is_empty() {
        return Err(invalid("missing the host".to_owned()));
    }
    if let Some(domain) = host.strip_prefix("*.") {
        if domain.contains('*') {
            return Err(wildcard_error(text));
        }
        if domain.starts_with('[') || parse_ipv4(domain).is_some() {
            return Err(invalid(
                "a subdomain pattern needs a domain name, not an IP address".to_owned(),
            ));
        }
        check_domain(text, domain, &|fixed| rewrite(&format!("*.{fixed}")))?;
        return Ok(HostPattern::Subdomains(Cow::Owned(domain.to_owned())));
    }
    if host.contains('*') {
        return Err(wildcard_error(text));
    }
    if let Some(inner) = host.strip_prefix('[') {
        let Some(address) = inner.strip_suffix(']') else {
            return Err(invalid("unclosed `[` in an IPv6 address".to_owned()));
        };
        let Ok(parsed) = address.parse::<Ipv6Addr>() else {
            return Err(invalid(format!("invalid IPv6 address `{address}`")));
        };
        let canonical = format!("[{}]", serialize_ipv6(parsed));
        if canonical != host {
            return Err(
                invalid("IPv6 addresses are written compressed and lowercase".to_owned())
                    .help(rewrite(&canonical)),
            );
        }
        return Ok(HostPattern::Exact(Cow::Owned(host.to_owned())));
    }
    if host.contains(':') || host.contains(']') {
        return Err(invalid("an IPv6 address is written in brackets".to_owned())
            .help(rewrite(&format!("[{}]", host.trim_end_matches(']')))));
    }
    if let Some(address) = parse_ipv4(host) {
        let Ok(address) = address else {
            return Err(invalid(format!("invalid IPv4 address `{host}`")));
        };
        let canonical = std::net::Ipv4Addr::from(address).to_string();
        if canonical != host {
            return Err(
                invalid("IPv4 addresses are written in dotted decimal".to_owned())
                    .help(rewrite(&canonical)),
            );
        }
        return Ok(HostPattern::Exact(Cow::Owned(host.to_owned())));
    }
    check_domain(text, host, &rewrite)?;
    Ok(HostPattern::Exact(Cow::Owned(host.to_owned())))
}

fn wildcard_error(text: &str) -> Invalid {
    Invalid::new(format!(
        "invalid origin `{text}`: a wildcard stands only for leading labels or the port"
    ))
    .help("write `https://*.example.com`, `https://example.com:*`, or `*` for any origin")
}

/// Checks a domain name: ASCII (international names in punycode), labels of 1 to
/// 63 letters, digits, `-` and `_`, no `-` at either end of a label, at most 253
/// characters, no trailing dot.
fn check_domain(text: &str, domain: &str, rewrite: &dyn Fn(&str) -> String) -> Result<(), Invalid> {
    let invalid = |why: String| Invalid::new(format!("invalid origin `{text}`: {why}"));
    if !domain.is_ascii() {
        let help = punycode_host(domain).map(|ascii| rewrite(&ascii));
        let error = invalid("international hosts are written in punycode (`xn--`)".to_owned());
        return Err(match help {
            Some(help) => error.help(help),
            None => error,
        });
    }
    if domain.len() > 253 {
        return Err(invalid("a host name is at most 253 characters".to_owned()));
    }
    if let Some(stripped) = domain.strip_suffix('.') {
        return Err(invalid("a host has no trailing dot".to_owned()).help(rewrite(stripped)));
    }
    for label in domain.split('.') {
        if label.is_empty() {
            return Err(invalid("empty label in the host".to_owned()));
        }
        if label.len() > 63 {
            return Err(invalid(format!(
                "label `{label}` is longer than 63 characters"
            )));
        }
        if let Some(bad) = label.chars().find(|&c| !is_host_byte(c as u8)) {
            return Err(invalid(format!("`{bad}` is not allowed in a host name")));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(invalid(format!("label `{label}` starts or ends with `-`")));
        }
    }
    Ok(())
}

/// Parses a host the way the URL standard does when its last label is a number.
/// Returns `None` when the host is a domain name, `Some(Err(()))` when it is an
/// invalid IPv4 address.
fn parse_ipv4(host: &str) -> Option<Result<u32, ()>> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let last = host.rsplit('.').next()?;
    let is_number = (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
        || (last.starts_with("0x") || last.starts_with("0X"))
            && last[2..].bytes().all(|b| b.is_ascii_hexdigit());
    if !is_number {
        return None;
    }
    let parts: Vec<&str> = host.split('.').collect();
    if parts.len() > 4 {
        return Some(Err(()));
    }
    let mut numbers = Vec::with_capacity(parts.len());
    for part in &parts {
        let (digits, radix) = if let Some(hex) = part.strip_prefix("0x").or(part.strip_prefix("0X"))
        {
            (hex, 16)
        } else if part.len() > 1 && part.starts_with('0') {
            (&part[1..], 8)
        } else {
            (*part, 10)
        };
        let digit = |b: u8| {
            if radix == 16 {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        };
        if part.is_empty() || !digits.bytes().all(digit) {
            return Some(Err(()));
        }
        let value = if digits.is_empty() {
            Ok(0)
        } else {
            u64::from_str_radix(digits, radix)
        };
        match value {
            Ok(value) if value <= u64::from(u32::MAX) => numbers.push(value),
            _ => return Some(Err(())),
        }
    }
    let (last, init) = numbers.split_last()?;
    if init.iter().any(|&n| n > 255) || *last >= 256u64.pow(5 - numbers.len() as u32) {
        return Some(Err(()));
    }
    let mut address = *last;
    for (i, &n) in init.iter().enumerate() {
        address += n << (8 * (3 - i));
    }
    Some(Ok(address as u32))
}

/// Serializes an IPv6 address as the URL standard does: lowercase hex pieces, the
/// first longest run of two or more zero pieces compressed to `::`.
fn serialize_ipv6(address: Ipv6Addr) -> String {
    let pieces = address.segments();
    let (mut best, mut best_len, mut run, mut run_len) = (None, 1, 0, 0);
    for (i, &piece) in pieces.iter().enumerate() {
        if piece == 0 {
            if run_len == 0 {
                run = i;
            }
            run_len += 1;
            if run_len > best_len {
                (best, best_len) = (Some(run), run_len);
            }
        } else {
            run_len = 0;
        }
    }
    let mut out = String::new();
    let mut i = 0;
    while i < 8 {
        if Some(i) == best {
            out.push_str(if i == 0 { "::" } else { ":" });
            i += best_len;
            continue;
        }
        out.push_str(&format!("{:x}", pieces[i]));
        if i < 7 {
            out.push(':');
        }
        i += 1;
    }
    out
}

/// The punycode (`xn--`) form of a host name, for the `help:` of an error.
fn punycode_host(host: &str) -> Option<String> {
    // Browsers map a name (UTS #46: width, case, ignored characters) before
    // encoding it; suggest an encoding only where that mapping is at most a
    // lowercasing, and say nothing rather than something wrong.
    let needs_mapping = |c: char| {
        !(c.is_alphanumeric() || c == '-' || c == '.') || ('\u{FF00}'..='\u{FFEF}').contains(&c)
    };
    if host.chars().any(needs_mapping) {
        return None;
    }
    let labels: Option<Vec<String>> = host
        .to_lowercase()
        .split('.')
        .map(|label| {
            if label.is_ascii() {
                Some(label.to_owned())
            } else {
                punycode_encode(label).map(|encoded| format!("xn--{encoded}"))
            }
        })
        .collect();
    labels.map(|labels| labels.join("."))
}

/// RFC 3492 encoding of one label.
fn punycode_encode(label: &str) -> Option<String> {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    fn adapt(mut delta: u32, points: u32, first: bool) -> u32 {
        delta /= if first { 700 } else { 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + 38)
    }
    fn digit(d: u32) -> char {
        (if d < 26 {
            b'a' + d as u8
        } else {
            b'0' + (d - 26) as u8
        }) as char
    }
    let input: Vec<u32> = label.chars().map(u32::from).collect();
    let mut output: String = label.chars().filter(char::is_ascii).collect();
    let basic = output.len() as u32;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (128u32, 0u32, 72u32, basic);
    while (handled as usize) < input.len() {
        let m = input.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &input {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    Some(output)
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

    /// Deterministic pseudo-random strings over the characters that matter to
    /// origins: validation and matching never panic, and an accepted exact
    /// origin matches its own text and nothing that differs from it.
    #[test]
    fn arbitrary_text_never_panics() {
        let alphabet: Vec<char> = "abcxyzAZ019-_.:/*[]@?#% \tü例0x".chars().collect();
        let mut state: u64 = 0x0123_4567_89ab_cdef;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        let patterns = [
            "https://*.example.org",
            "http://localhost:*",
            "http://[::1]:*",
            "https://a.com",
        ]
        .map(|p| parse_origin(p).unwrap());
        for _ in 0..20_000 {
            let scheme = ["https://", "http://", "", "HTTP://", "file://"][next() % 5];
            let len = next() % 24;
            let rest: String = (0..len)
                .map(|_| alphabet[next() % alphabet.len()])
                .collect();
            let text = format!("{scheme}{rest}");
            if let Ok(pattern) = parse_origin(&text)
                && pattern.is_exact()
            {
                assert!(pattern.matches(text.as_bytes()), "{text}");
                assert!(!pattern.matches(format!("{text}/").as_bytes()), "{text}");
            }
            for pattern in &patterns {
                let _ = pattern.matches(text.as_bytes());
            }
        }
    }

    #[test]
    fn punycode_matches_rfc_3492() {
        assert_eq!(punycode_encode("bücher").as_deref(), Some("bcher-kva"));
        assert_eq!(punycode_encode("münchen").as_deref(), Some("mnchen-3ya"));
        assert_eq!(punycode_host("例え.jp").as_deref(), Some("xn--r8jz45g.jp"));
    }

    #[test]
    fn ipv6_serialization_compresses_the_first_longest_run() {
        let s = |a: &str| serialize_ipv6(a.parse().unwrap());
        assert_eq!(s("::1"), "::1");
        assert_eq!(s("::"), "::");
        assert_eq!(s("1:0:0:2:0:0:0:3"), "1:0:0:2::3");
        assert_eq!(s("1:0:0:2:0:0:3:4"), "1::2:0:0:3:4");
        assert_eq!(s("1:2:3:4:5:6:7:0"), "1:2:3:4:5:6:7:0");
    }
}
