//! proptest strategies for the contract's inputs: valid origins of every form a
//! policy may list, near misses made by mutating them, valid policies (in the
//! neutral form of [`Spec`], which `Policy::builder` must accept), and requests.
//!
//! New origin forms go in [`Form`] (how an entry is written) and in
//! [`Entry::instance`] (what a browser at a matching origin sends).

#![allow(dead_code)]

use proptest::prelude::*;
use proptest::sample::{Index, subsequence};

use super::model::{Request, Spec};

/// A host a policy may name.
#[derive(Clone, Debug)]
pub enum Host {
    /// A domain name: lowercase labels, international ones in punycode.
    Domain(String),
    /// `localhost`.
    Localhost,
    /// A canonical dotted IPv4 address.
    Ipv4([u8; 4]),
    /// An IPv6 address, written bracketed and compressed.
    Ipv6([u16; 8]),
    /// A host as written in a policy by hand.
    Literal(String),
}

impl Host {
    fn text(&self) -> String {
        match self {
            Host::Domain(name) => name.clone(),
            Host::Localhost => "localhost".into(),
            Host::Ipv4(octets) => {
                let parts: Vec<String> = octets.iter().map(u8::to_string).collect();
                parts.join(".")
            }
            Host::Ipv6(groups) => format!("[{}]", compressed_ipv6(groups)),
            Host::Literal(text) => text.clone(),
        }
    }

    fn is_loopback(&self) -> bool {
        match self {
            Host::Localhost => true,
            Host::Domain(name) => name.ends_with(".localhost"),
            Host::Ipv4(octets) => octets[0] == 127,
            Host::Ipv6(groups) => *groups == [0, 0, 0, 0, 0, 0, 0, 1],
            Host::Literal(text) => {
                text == "localhost"
                    || text.ends_with(".localhost")
                    || text.starts_with("127.")
                    || text == "[::1]"
            }
        }
    }
}

/// The compressed form of an IPv6 address (RFC 5952, as the URL standard
/// serializes it): lowercase hex without leading zeros, the first longest run of
/// two or more zero groups written `::`.
pub fn compressed_ipv6(groups: &[u16; 8]) -> String {
    let (mut best, mut best_len) = (None, 1);
    let mut i = 0;
    while i < 8 {
        if groups[i] == 0 {
            let start = i;
            while i < 8 && groups[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best = Some(start);
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    let hex = |range: &[u16]| -> String {
        range
            .iter()
            .map(|g| format!("{g:x}"))
            .collect::<Vec<_>>()
            .join(":")
    };
    match best {
        Some(start) => format!(
            "{}::{}",
            hex(&groups[..start]),
            hex(&groups[start + best_len..])
        ),
        None => hex(groups),
    }
}

/// How an entry of a policy's origin list is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `scheme://host[:port]`.
    Exact,
    /// `scheme://*.domain[:port]`.
    Subdomains,
    /// `scheme://host:*`.
    AnyPort,
    /// `scheme://*.domain:*`.
    SubdomainsAnyPort,
}

/// One entry of a policy's origin list.
#[derive(Clone, Debug)]
pub struct Entry {
    /// `http` or `https`.
    pub scheme: &'static str,
    /// The host, or the domain under a subdomain pattern.
    pub host: Host,
    /// How it is written.
    pub form: Form,
    /// An explicit port (never the scheme's default).
    pub port: Option<u16>,
    /// Whether it is a wildcard over a public suffix (`https://*.github.io`).
    pub public_suffix: bool,
}

impl Entry {
    /// The entry as a policy lists it.
    pub fn text(&self) -> String {
        let host = self.host.text();
        let host = match self.form {
            Form::Subdomains | Form::SubdomainsAnyPort => format!("*.{host}"),
            Form::Exact | Form::AnyPort => host,
        };
        let port = match (self.form, self.port) {
            (Form::AnyPort | Form::SubdomainsAnyPort, _) => ":*".to_owned(),
            (_, Some(port)) => format!(":{port}"),
            (_, None) => String::new(),
        };
        format!("{}://{host}{port}", self.scheme)
    }

    /// Whether credentials need `dangerous_insecure_origins` for this entry.
    pub fn is_insecure(&self) -> bool {
        self.scheme == "http" && !self.host.is_loopback()
    }

    /// Whether two entries name the same host or one a subdomain of the other's:
    /// such entries could cover one another, which validation refuses.
    fn overlaps(&self, other: &Entry) -> bool {
        let (a, b) = (self.host.text(), other.host.text());
        self.scheme == other.scheme
            && (a == b || a.ends_with(&format!(".{b}")) || b.ends_with(&format!(".{a}")))
    }

    /// An origin that a browser at a page this entry allows would send.
    pub fn instance(&self) -> impl Strategy<Value = String> + use<> {
        let entry = self.clone();
        let default = if entry.scheme == "http" { 80 } else { 443 };
        (
            proptest::collection::vec(label(), 1..3),
            prop_oneof![Just(None), (1u16..=65535).prop_map(Some)],
        )
            .prop_map(move |(labels, any_port)| {
                let host = entry.host.text();
                let host = match entry.form {
                    Form::Subdomains | Form::SubdomainsAnyPort => {
                        format!("{}.{host}", labels.join("."))
                    }
                    Form::Exact | Form::AnyPort => host,
                };
                let port = match entry.form {
                    Form::AnyPort | Form::SubdomainsAnyPort => any_port.filter(|p| *p != default),
                    Form::Exact | Form::Subdomains => entry.port,
                };
                match port {
                    Some(port) => format!("{}://{host}:{port}", entry.scheme),
                    None => format!("{}://{host}", entry.scheme),
                }
            })
    }
}

/// The entries of origins written by hand (`*` alone has none).
pub fn entries_of(origins: &[String]) -> Vec<Entry> {
    origins
        .iter()
        .filter(|o| *o != "*")
        .map(|text| {
            let (scheme, rest) = text.split_once("://").unwrap();
            let scheme = if scheme == "http" { "http" } else { "https" };
            let (subdomains, rest) = match rest.strip_prefix("*.") {
                Some(rest) => (true, rest),
                None => (false, rest),
            };
            let split = if rest.starts_with('[') {
                rest.find(']').map(|i| i + 1).filter(|&i| i < rest.len())
            } else {
                rest.find(':')
            };
            let (host, port) = match split {
                Some(i) => (&rest[..i], Some(&rest[i + 1..])),
                None => (rest, None),
            };
            let form = match (subdomains, port == Some("*")) {
                (false, false) => Form::Exact,
                (true, false) => Form::Subdomains,
                (false, true) => Form::AnyPort,
                (true, true) => Form::SubdomainsAnyPort,
            };
            Entry {
                scheme,
                host: Host::Literal(host.to_owned()),
                form,
                port: port.and_then(|p| p.parse().ok()),
                public_suffix: false,
            }
        })
        .collect()
}

/// A DNS label: lowercase letters, digits and inner hyphens, not all digits.
pub fn label() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?"
}

/// A registrable domain name (never a public suffix): a label or two in front
/// of a second-level label of a reserved top-level domain, or a punycode name.
pub fn domain() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (
            proptest::collection::vec(label(), 0..2),
            "[a-z][a-z0-9]{2,7}",
            prop::sample::select(vec!["example", "test", "example.com", "example.org"]),
        )
            .prop_map(|(front, second, tld)| {
                let mut labels = front;
                labels.push(second);
                labels.push(tld.to_owned());
                labels.join(".")
            }),
        1 => prop::sample::select(vec![
            "xn--bcher-kva.example",
            "xn--mnchen-3ya.test",
            "app.xn--fiqs8s.example",
            "xn--80ak6aa92e.example.com",
        ])
        .prop_map(str::to_owned),
    ]
}

/// An IPv6 address with runs of zeros, so that compression shows.
pub fn ipv6() -> impl Strategy<Value = [u16; 8]> {
    prop_oneof![
        1 => Just([0, 0, 0, 0, 0, 0, 0, 1]),
        3 => proptest::array::uniform8(prop_oneof![3 => Just(0u16), 1 => any::<u16>(), 1 => 1u16..16]),
    ]
}

/// A host: a domain, `localhost` (or a name under it), IPv4 or IPv6.
pub fn host() -> impl Strategy<Value = Host> {
    prop_oneof![
        6 => domain().prop_map(Host::Domain),
        1 => Just(Host::Localhost),
        1 => label().prop_map(|l| Host::Domain(format!("{l}.localhost"))),
        2 => proptest::array::uniform4(any::<u8>()).prop_map(Host::Ipv4),
        1 => (any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(a, b, c)| Host::Ipv4([127, a, b, c])),
        2 => ipv6().prop_map(Host::Ipv6),
    ]
}

/// A valid entry of an origin list, of any form the contract allows.
pub fn entry() -> impl Strategy<Value = Entry> {
    (
        prop::sample::select(vec!["http", "https"]),
        host(),
        0..4usize,
        prop_oneof![2 => Just(None), 1 => (1u16..=65535).prop_map(Some)],
    )
        .prop_map(|(scheme, host, form, port)| {
            let default = if scheme == "http" { 80 } else { 443 };
            // Subdomain patterns stand in front of domain names only.
            let domain = matches!(host, Host::Domain(_) | Host::Localhost);
            let form = match form {
                1 if domain => Form::Subdomains,
                2 => Form::AnyPort,
                3 if domain => Form::SubdomainsAnyPort,
                _ => Form::Exact,
            };
            Entry {
                scheme,
                host,
                form,
                port: port.filter(|p| *p != default),
                public_suffix: false,
            }
        })
}

/// A wildcard over a public suffix, valid only with the opt-in when credentials
/// are on.
pub fn public_suffix_entry() -> impl Strategy<Value = Entry> {
    prop::sample::select(vec!["com", "github.io", "co.uk"]).prop_map(|suffix| Entry {
        scheme: "https",
        host: Host::Domain(suffix.to_owned()),
        form: Form::Subdomains,
        port: None,
        public_suffix: true,
    })
}

/// A valid policy with the entries its origins came from (kept when the policy
/// allows any origin too, to make origins for its requests).
#[derive(Clone, Debug)]
pub struct Generated {
    /// The policy.
    pub spec: Spec,
    /// Its origin entries.
    pub entries: Vec<Entry>,
}

/// The methods policies are made of: normalised ones, `PATCH` and `patch` (two
/// methods), and an extension method.
pub const METHODS: [&str; 8] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "patch", "PURGE",
];

/// Request header names policies allow, in mixed case.
pub const HEADERS: [&str; 6] = [
    "content-type",
    "x-api-key",
    "X-Request-Id",
    "authorization",
    "accept",
    "x-a",
];

/// Response header names policies expose.
pub const EXPOSED: [&str; 4] = ["x-request-id", "x-total", "content-length", "X-Trace"];

/// Shuffles a vector by the indexes drawn for it.
fn shuffled<T>(mut items: Vec<T>, order: &[Index]) -> Vec<T> {
    for (i, index) in order.iter().enumerate().take(items.len()) {
        let j = index.index(items.len());
        items.swap(i, j);
    }
    items
}

/// A valid policy serving `methods`.
pub fn policy_with(methods: Vec<&'static str>) -> impl Strategy<Value = Generated> {
    (
        proptest::option::weighted(0.1, public_suffix_entry()),
        proptest::collection::vec(entry(), 1..5),
        any::<bool>(),
        0..8u8,
        prop_oneof![
            2 => Just(Vec::new()),
            4 => subsequence(HEADERS.to_vec(), 1..=HEADERS.len()),
            1 => Just(vec!["*"]),
            1 => Just(vec!["*", "authorization"]),
        ],
        prop_oneof![
            2 => Just(Vec::new()),
            2 => subsequence(EXPOSED.to_vec(), 1..=EXPOSED.len()),
            1 => Just(vec!["*"]),
        ],
        proptest::option::of(prop_oneof![Just(0u64), Just(86400), 0..=86400u64]),
        any::<bool>(),
        proptest::collection::vec(any::<Index>(), 8),
    )
        .prop_map(
            move |(
                suffix,
                mut entries,
                credentials,
                any_origin,
                headers,
                expose,
                max_age,
                private_network,
                order,
            )| {
                // The public-suffix wildcard first, so that it is kept.
                entries.splice(0..0, suffix);
                // One entry per site, so that none covers another.
                let mut kept: Vec<Entry> = Vec::new();
                for entry in entries {
                    if !kept.iter().any(|k| k.overlaps(&entry)) {
                        kept.push(entry);
                    }
                }
                let entries = kept;
                let any_origin = any_origin == 0 && !credentials;
                let expose = if credentials && expose == ["*"] {
                    Vec::new()
                } else {
                    expose
                };
                let origins = if any_origin {
                    vec!["*".to_owned()]
                } else {
                    entries.iter().map(Entry::text).collect()
                };
                let spec = Spec {
                    origins,
                    methods: shuffled(methods.clone(), &order)
                        .into_iter()
                        .map(str::to_owned)
                        .collect(),
                    headers: shuffled(headers, &order[1..])
                        .into_iter()
                        .map(str::to_owned)
                        .collect(),
                    expose: expose.into_iter().map(str::to_owned).collect(),
                    credentials,
                    max_age,
                    private_network,
                    dangerous_insecure_origins: credentials
                        && !any_origin
                        && entries.iter().any(Entry::is_insecure),
                    dangerous_public_suffix_wildcards: credentials
                        && !any_origin
                        && entries.iter().any(|e| e.public_suffix),
                };
                Generated { spec, entries }
            },
        )
}

/// A valid policy.
pub fn policy() -> impl Strategy<Value = Generated> {
    subsequence(METHODS.to_vec(), 1..=4).prop_flat_map(policy_with)
}

/// The policies of one path: one to three, each method served by one of them.
pub fn path_policies() -> impl Strategy<Value = Vec<Generated>> {
    (
        subsequence(METHODS.to_vec(), 1..=METHODS.len()),
        proptest::collection::vec(0..3usize, METHODS.len()),
        1..=3usize,
    )
        .prop_flat_map(|(methods, owners, count)| {
            let mut shares: Vec<Vec<&'static str>> = vec![Vec::new(); count];
            for (method, owner) in methods.into_iter().zip(owners) {
                shares[owner % count].push(method);
            }
            shares.retain(|share| !share.is_empty());
            shares.into_iter().map(policy_with).collect::<Vec<_>>()
        })
}

/// Turns a valid origin into a near miss, or sometimes leaves it alone: case,
/// dots, ports, userinfo, percent-escapes, non-ASCII and control bytes,
/// scheme, prefix and suffix attacks.
pub fn mutate(origin: String) -> impl Strategy<Value = Vec<u8>> {
    (0..16u8, any::<Index>(), any::<Index>()).prop_map(move |(how, at, pick)| {
        let text = origin.clone();
        let bytes = text.as_bytes();
        let host_start = text.find("://").map_or(0, |i| i + 3);
        let position = host_start + at.index(bytes.len() - host_start + 1);
        let insert = |piece: &[u8]| {
            let mut out = bytes[..position].to_vec();
            out.extend_from_slice(piece);
            out.extend_from_slice(&bytes[position..]);
            out
        };
        match how {
            0 => text.to_ascii_uppercase().into_bytes(),
            1 => {
                let mut out = bytes.to_vec();
                let letters: Vec<usize> = (host_start..out.len())
                    .filter(|&i| out[i].is_ascii_lowercase())
                    .collect();
                if !letters.is_empty() {
                    let i = letters[pick.index(letters.len())];
                    out[i] = out[i].to_ascii_uppercase();
                }
                out
            }
            2 => format!("{text}.").into_bytes(),
            3 => insert(b"."),
            4 => format!("{text}/").into_bytes(),
            5 => {
                let port =
                    [":80", ":443", ":0", ":08080", ":65536", ":", ":8080", ":*"][pick.index(8)];
                format!("{text}{port}").into_bytes()
            }
            6 => {
                let userinfo = ["user@", "user:pass@", "@"][pick.index(3)];
                format!("{}{userinfo}{}", &text[..host_start], &text[host_start..]).into_bytes()
            }
            7 => {
                // Percent-escape one byte of the host.
                if position < bytes.len() {
                    let mut out = bytes[..position].to_vec();
                    out.extend_from_slice(format!("%{:02X}", bytes[position]).as_bytes());
                    out.extend_from_slice(&bytes[position + 1..]);
                    out
                } else {
                    format!("{text}%2e").into_bytes()
                }
            }
            8 => insert("ü".as_bytes()),
            9 => insert(&[[b'\t', 0x01, 0x7f, 0x00, 0xff][pick.index(5)]]),
            10 => {
                if let Some(rest) = text.strip_prefix("https") {
                    format!("http{rest}").into_bytes()
                } else {
                    format!("https{}", &text[4..]).into_bytes()
                }
            }
            11 => format!("{text}.evil.net").into_bytes(),
            12 => format!("{}evil{}", &text[..host_start], &text[host_start..]).into_bytes(),
            13 => {
                let mut out = bytes.to_vec();
                if position < out.len() {
                    out.remove(position);
                }
                out
            }
            14 => format!(" {text} ").into_bytes(),
            _ => bytes.to_vec(),
        }
    })
}

/// An `Origin` value for a request to a path with these policies: a matching
/// origin, a near miss, another valid origin, or junk.
pub fn origin_value(generated: &[Generated]) -> BoxedStrategy<Vec<u8>> {
    let entries: Vec<Entry> = generated.iter().flat_map(|g| g.entries.clone()).collect();
    let junk = prop_oneof![
        Just(b"null".to_vec()),
        Just(Vec::new()),
        Just(b"https://".to_vec()),
        Just(b"*".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..40),
    ];
    let other = entry().prop_flat_map(|e| e.instance());
    if entries.is_empty() {
        return prop_oneof![other.prop_map(String::into_bytes), junk].boxed();
    }
    let matching = prop::sample::select(entries).prop_flat_map(|e| e.instance());
    prop_oneof![
        5 => matching.clone().prop_map(String::into_bytes),
        4 => matching.prop_flat_map(mutate),
        1 => other.prop_map(String::into_bytes),
        1 => junk,
    ]
    .boxed()
}

/// A method as a request or an `Access-Control-Request-Method` carries it.
pub fn method() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(METHODS.to_vec()).prop_map(str::to_owned),
        6 => Just("OPTIONS".to_owned()),
        1 => prop::sample::select(vec!["get", "put", "TRACE", "Delete", "REPORT", "*"]).prop_map(str::to_owned),
    ]
}

/// An element of an `Access-Control-Request-Headers` list.
fn requested_name(allowed: Vec<String>) -> impl Strategy<Value = String> {
    let allowed = if allowed.is_empty() {
        vec!["x-a".to_owned()]
    } else {
        allowed
    };
    prop_oneof![
        6 => (prop::sample::select(allowed), any::<bool>()).prop_map(|(name, upper)| {
            if upper { name.to_ascii_uppercase() } else { name }
        }),
        1 => Just("authorization".to_owned()),
        1 => Just("*".to_owned()),
        1 => prop::sample::select(vec!["x-other", "cookie", "content-type", "Accept"]).prop_map(str::to_owned),
        1 => Just(String::new()),
        1 => Just(" ".to_owned()),
        1 => prop::sample::select(vec!["a b", "x;y", "é", "x\ty"]).prop_map(str::to_owned),
    ]
}

/// One `Access-Control-Request-Headers` line: names with optional whitespace,
/// empty elements and duplicates, sometimes past the bounds.
fn requested_line(allowed: Vec<String>) -> impl Strategy<Value = Vec<u8>> {
    let list = (
        proptest::collection::vec(requested_name(allowed.clone()), 0..6),
        prop::sample::select(vec![",", ", ", " , ", ",\t", ",,"]),
    )
        .prop_map(|(names, separator)| names.join(separator).into_bytes());
    let oversize = (
        requested_name(allowed),
        1..80usize,
        prop::sample::select(vec![",", ", "]),
    )
        .prop_map(|(name, count, separator)| {
            let mut out = vec![name; count].join(separator);
            if count > 60 {
                out.push_str(&" ".repeat(900));
            }
            out.into_bytes()
        });
    prop_oneof![6 => list, 1 => oversize]
}

/// A number of lines: none, one, or from two to `most`.
fn lines(weights: [u32; 3], most: usize) -> impl Strategy<Value = usize> {
    prop_oneof![weights[0] => Just(0usize), weights[1] => Just(1), weights[2] => 2..=most]
}

/// A request for a path whose policies are `generated`: its method, `Origin`,
/// `Access-Control-Request-Method`, `Access-Control-Request-Headers` and
/// `Access-Control-Request-Private-Network` lines, each sometimes missing or
/// repeated.
pub fn request(generated: &[Generated]) -> impl Strategy<Value = Request> + use<> {
    let allowed: Vec<String> = generated
        .iter()
        .flat_map(|g| g.spec.headers.iter().filter(|h| *h != "*").cloned())
        .collect();
    let origin = origin_value(generated);
    (
        method(),
        lines([1, 8, 1], 2).prop_flat_map(move |n| proptest::collection::vec(origin.clone(), n)),
        lines([2, 8, 1], 2).prop_flat_map(|n| proptest::collection::vec(method(), n)),
        lines([3, 6, 1], 9)
            .prop_flat_map(move |n| proptest::collection::vec(requested_line(allowed.clone()), n)),
        proptest::collection::vec(
            prop::sample::select(vec!["true", "false", "TRUE", ""]),
            0..=2,
        ),
    )
        .prop_map(|(method, origins, asked, headers, private)| {
            let mut lines: Vec<(String, Vec<u8>)> = Vec::new();
            lines.extend(origins.into_iter().map(|o| ("origin".to_owned(), o)));
            lines.extend(
                asked
                    .into_iter()
                    .map(|m| ("access-control-request-method".to_owned(), m.into_bytes())),
            );
            lines.extend(
                headers
                    .into_iter()
                    .map(|h| ("access-control-request-headers".to_owned(), h)),
            );
            lines.extend(private.into_iter().map(|p| {
                (
                    "access-control-request-private-network".to_owned(),
                    p.as_bytes().to_vec(),
                )
            }));
            Request {
                method,
                headers: lines,
            }
        })
}

/// Whether every header value of `request` can be carried by an HTTP/1.1
/// request (no control bytes but tab, no DEL): what a server ever sees.
pub fn is_sendable(request: &Request) -> bool {
    request
        .headers
        .iter()
        .all(|(_, v)| v.iter().all(|&b| b == b'\t' || (b >= 0x20 && b != 0x7f)))
}
