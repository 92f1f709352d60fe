//! The rules about the host of an origin: domain names, IPv4 and IPv6 addresses,
//! subdomain patterns, and the fixes that their errors suggest.

use std::borrow::Cow;
use std::net::Ipv6Addr;

use super::Invalid;
use crate::origin::{HostPattern, MAX_LABEL, is_host_byte};

pub(crate) fn check_host(
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
    if host == "*" {
        return Err(invalid(format!(
            "a whole-scheme pattern is only for schemes other than `http` and `https`: `{scheme}://*` would be every site"
        ))
        .help("write `origins = \"*\"` to allow any origin"));
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
        return check_label_pattern(text, host, &rewrite);
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
        "invalid origin `{text}`: a wildcard stands only for leading labels, for part of the first label, or for the port"
    ))
    .help("write `https://*.example.com`, `https://pr-*.example.com`, `https://example.com:*`, or `*` for any origin")
}

/// A label pattern, `prefix*suffix.domain`: one `*` in the first label, beside a
/// fixed prefix and/or suffix, and a domain name after it. The fixed parts obey
/// the rules of a label, and leave room for the `*` to stand for at least one
/// character within the 63 of a label; since the `*` stands for letters, digits
/// and `-` only, every label it allows is valid when the label begins and ends
/// with a fixed character other than `-` or with the `*`, which never matches a
/// `-` at the label's edge.
fn check_label_pattern(
    text: &str,
    host: &str,
    rewrite: &dyn Fn(&str) -> String,
) -> Result<HostPattern, Invalid> {
    let invalid = |why: String| Invalid::new(format!("invalid origin `{text}`: {why}"));
    let Some((label, domain)) = host.split_once('.') else {
        return Err(wildcard_error(text));
    };
    let Some((prefix, suffix)) = label.split_once('*') else {
        return Err(wildcard_error(text));
    };
    if suffix.contains('*') || domain.contains('*') {
        return Err(wildcard_error(text));
    }
    if domain.starts_with('[') || parse_ipv4(domain).is_some() {
        return Err(invalid(
            "a label pattern needs a domain name, not an IP address".to_owned(),
        ));
    }
    if !label.is_ascii() {
        return Err(invalid(
            "international hosts are written in punycode (`xn--`)".to_owned(),
        ));
    }
    if let Some(bad) = (prefix.chars().chain(suffix.chars())).find(|&c| !is_host_byte(c as u8)) {
        return Err(invalid(format!("`{bad}` is not allowed in a host name")));
    }
    if prefix.starts_with('-') || suffix.ends_with('-') {
        return Err(invalid(format!("label `{label}` starts or ends with `-`")));
    }
    if prefix.len() + suffix.len() >= MAX_LABEL {
        return Err(invalid(format!(
            "label `{label}` leaves no room for its `*`: a label is at most 63 characters"
        )));
    }
    check_domain(text, domain, &|fixed| rewrite(&format!("{label}.{fixed}")))?;
    Ok(HostPattern::Label {
        prefix: Cow::Owned(prefix.to_owned()),
        suffix: Cow::Owned(suffix.to_owned()),
        domain: Cow::Owned(domain.to_owned()),
    })
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
pub(crate) fn parse_ipv4(host: &str) -> Option<Result<u32, ()>> {
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

/// Serializes an IPv6 address as the URL standard does: std's `Display`
/// (RFC 5952: lowercase, the first longest run of two or more zero pieces
/// compressed), except that the URL standard writes an IPv4-mapped address in
/// hex pieces too (`::ffff:102:304`, where std writes `::ffff:1.2.3.4`).
pub(crate) fn serialize_ipv6(address: Ipv6Addr) -> String {
    match address.to_ipv4_mapped() {
        Some(_) => {
            let [.., high, low] = address.segments();
            format!("::ffff:{high:x}:{low:x}")
        }
        None => address.to_string(),
    }
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
    punycode_labels(&host.to_lowercase())
}

/// The `xn--` form of a name that is already mapped (lowercase, normalized), as
/// the Public Suffix List's names are: each non-ASCII label encoded.
pub(super) fn punycode_labels(host: &str) -> Option<String> {
    let labels: Option<Vec<String>> = host
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

    /// The sample strings of RFC 3492, section 7.1, as code points.
    const RFC_3492_SAMPLES: &[(&[u32], &str)] = &[
        // (A) Arabic (Egyptian)
        (
            &[
                0x644, 0x64A, 0x647, 0x645, 0x627, 0x628, 0x62A, 0x643, 0x644, 0x645, 0x648, 0x634,
                0x639, 0x631, 0x628, 0x64A, 0x61F,
            ],
            "egbpdaj6bu4bxfgehfvwxn",
        ),
        // (B) Chinese (simplified)
        (
            &[
                0x4ED6, 0x4EEC, 0x4E3A, 0x4EC0, 0x4E48, 0x4E0D, 0x8BF4, 0x4E2D, 0x6587,
            ],
            "ihqwcrb4cv8a8dqg056pqjye",
        ),
        // (C) Chinese (traditional)
        (
            &[
                0x4ED6, 0x5011, 0x7232, 0x4EC0, 0x9EBD, 0x4E0D, 0x8AAA, 0x4E2D, 0x6587,
            ],
            "ihqwctvzc91f659drss3x8bo0yb",
        ),
        // (D) Czech
        (
            &[
                0x50, 0x72, 0x6F, 0x10D, 0x70, 0x72, 0x6F, 0x73, 0x74, 0x11B, 0x6E, 0x65, 0x6D,
                0x6C, 0x75, 0x76, 0xED, 0x10D, 0x65, 0x73, 0x6B, 0x79,
            ],
            "Proprostnemluvesky-uyb24dma41a",
        ),
        // (E) Hebrew
        (
            &[
                0x5DC, 0x5DE, 0x5D4, 0x5D4, 0x5DD, 0x5E4, 0x5E9, 0x5D5, 0x5D8, 0x5DC, 0x5D0, 0x5DE,
                0x5D3, 0x5D1, 0x5E8, 0x5D9, 0x5DD, 0x5E2, 0x5D1, 0x5E8, 0x5D9, 0x5EA,
            ],
            "4dbcagdahymbxekheh6e0a7fei0b",
        ),
        // (L) 3<nen>B<gumi><kinpachi><sensei>
        (
            &[0x33, 0x5E74, 0x42, 0x7D44, 0x91D1, 0x516B, 0x5148, 0x751F],
            "3B-ww4c5e180e575a65lsy2b",
        ),
        // (M) <amuro><namie>-with-SUPER-MONKEYS
        (
            &[
                0x5B89, 0x5BA4, 0x5948, 0x7F8E, 0x6075, 0x2D, 0x77, 0x69, 0x74, 0x68, 0x2D, 0x53,
                0x55, 0x50, 0x45, 0x52, 0x2D, 0x4D, 0x4F, 0x4E, 0x4B, 0x45, 0x59, 0x53,
            ],
            "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n",
        ),
        // (O) <hitotsu><yane><no><shita>2
        (
            &[0x3072, 0x3068, 0x3064, 0x5C4B, 0x6839, 0x306E, 0x4E0B, 0x32],
            "2-u9tlzr9756bt3uc0v",
        ),
        // (S) -> $1.00 <-
        (
            &[
                0x2D, 0x3E, 0x20, 0x24, 0x31, 0x2E, 0x30, 0x30, 0x20, 0x3C, 0x2D,
            ],
            "-> $1.00 <--",
        ),
    ];

    #[test]
    fn punycode_matches_rfc_3492() {
        for (points, encoded) in RFC_3492_SAMPLES {
            let label: String = points.iter().map(|&p| char::from_u32(p).unwrap()).collect();
            assert_eq!(
                punycode_encode(&label).as_deref(),
                Some(*encoded),
                "{label}"
            );
        }
        assert_eq!(punycode_encode("bücher").as_deref(), Some("bcher-kva"));
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
