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
    /// `scheme://prefix*suffix.domain[:port]`: a label pattern.
    Label,
    /// `scheme://prefix*suffix.domain:*`.
    LabelAnyPort,
    /// `scheme://host` of a browser extension or an app shell: another scheme
    /// than `http` and `https`, exact, no port.
    Opaque,
}

/// The schemes of browser extensions and app shells, with a host each may have.
pub const OPAQUE: [(&str, &str); 6] = [
    ("chrome-extension", "abcdefghijklmnopabcdefghijklmnop"),
    ("moz-extension", "4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10"),
    (
        "safari-web-extension",
        "0f3e6c1a-9b1e-4c55-8f8e-3f2e4b1d7a22",
    ),
    ("capacitor", "localhost"),
    ("ionic", "localhost"),
    ("tauri", "localhost"),
];

/// The longest label (RFC 1035).
pub const MAX_LABEL: usize = 63;

/// One entry of a policy's origin list.
#[derive(Clone, Debug)]
pub struct Entry {
    /// `http` or `https`, or the scheme of an extension or app shell.
    pub scheme: String,
    /// The host, or the domain under a subdomain or label pattern.
    pub host: Host,
    /// The fixed prefix and suffix of a label pattern's first label.
    pub label: (String, String),
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
        let (prefix, suffix) = &self.label;
        let host = match self.form {
            Form::Subdomains | Form::SubdomainsAnyPort => format!("*.{host}"),
            Form::Label | Form::LabelAnyPort => format!("{prefix}*{suffix}.{host}"),
            Form::Exact | Form::AnyPort | Form::Opaque => host,
        };
        let port = match (self.form, self.port) {
            (Form::AnyPort | Form::SubdomainsAnyPort | Form::LabelAnyPort, _) => ":*".to_owned(),
            (Form::Opaque, _) => String::new(),
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

    /// Whether the entry is a label pattern.
    pub fn is_label_pattern(&self) -> bool {
        matches!(self.form, Form::Label | Form::LabelAnyPort)
    }

    /// An origin that a browser at a page this entry allows would send.
    pub fn instance(&self) -> impl Strategy<Value = String> + use<> {
        let entry = self.clone();
        let default = if entry.scheme == "http" { 80 } else { 443 };
        let (prefix, suffix) = entry.label.clone();
        let room = MAX_LABEL - prefix.len() - suffix.len();
        (
            proptest::collection::vec(label(), 1..3),
            prop_oneof![Just(None), (1u16..=65535).prop_map(Some)],
            // What the `*` of a label pattern stands for: letters, digits and
            // inner `-`, sometimes as long as the label allows.
            prop_oneof![
                4 => "[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?",
                1 => Just("7".repeat(room)),
            ],
        )
            .prop_map(move |(labels, any_port, middle)| {
                let host = entry.host.text();
                let host = match entry.form {
                    Form::Subdomains | Form::SubdomainsAnyPort => {
                        format!("{}.{host}", labels.join("."))
                    }
                    Form::Label | Form::LabelAnyPort => format!("{prefix}{middle}{suffix}.{host}"),
                    Form::Exact | Form::AnyPort | Form::Opaque => host,
                };
                let port = match entry.form {
                    Form::AnyPort | Form::SubdomainsAnyPort | Form::LabelAnyPort => {
                        any_port.filter(|p| *p != default)
                    }
                    Form::Exact | Form::Subdomains | Form::Label => entry.port,
                    Form::Opaque => None,
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
            if scheme != "http" && scheme != "https" {
                return Entry {
                    scheme: scheme.to_owned(),
                    host: Host::Literal(rest.to_owned()),
                    label: Default::default(),
                    form: Form::Opaque,
                    port: None,
                    public_suffix: false,
                };
            }
            let split = if rest.starts_with('[') {
                rest.find(']').map(|i| i + 1).filter(|&i| i < rest.len())
            } else {
                rest.find(':')
            };
            let (host, port) = match split {
                Some(i) => (&rest[..i], Some(&rest[i + 1..])),
                None => (rest, None),
            };
            let any_port = port == Some("*");
            let (form, host, label) = match host.strip_prefix("*.") {
                Some(domain) => (Form::Subdomains, domain, Default::default()),
                None => match host.split_once('.') {
                    Some((first, domain)) if first.contains('*') => {
                        let (prefix, suffix) = first.split_once('*').unwrap();
                        (Form::Label, domain, (prefix.to_owned(), suffix.to_owned()))
                    }
                    _ => (Form::Exact, host, Default::default()),
                },
            };
            let form = match (form, any_port) {
                (Form::Exact, true) => Form::AnyPort,
                (Form::Subdomains, true) => Form::SubdomainsAnyPort,
                (Form::Label, true) => Form::LabelAnyPort,
                (form, _) => form,
            };
            Entry {
                scheme: scheme.to_owned(),
                host: Host::Literal(host.to_owned()),
                label,
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

/// The fixed parts of a label pattern's first label, beside its `*`: a prefix,
/// a suffix, or both, never `-` at the label's edge.
pub fn label_parts() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        2 => "[a-z][a-z0-9]{0,4}-?".prop_map(|p| (p, String::new())),
        2 => "-?[a-z0-9]{0,4}[a-z]".prop_map(|s| (String::new(), s)),
        1 => ("[a-z][a-z0-9]{0,3}-?", "-?[a-z0-9]{0,3}[a-z]"),
        1 => prop::sample::select(vec![("pr-", ""), ("", "-staging"), ("app-", "-acme")])
            .prop_map(|(p, s)| (p.to_owned(), s.to_owned())),
    ]
}

/// A valid entry of an origin list, of any form the contract allows.
pub fn entry() -> impl Strategy<Value = Entry> {
    let web = (
        prop::sample::select(vec!["http", "https"]),
        host(),
        0..6usize,
        prop_oneof![2 => Just(None), 1 => (1u16..=65535).prop_map(Some)],
        label_parts(),
    )
        .prop_map(|(scheme, host, form, port, label)| {
            let default = if scheme == "http" { 80 } else { 443 };
            // Subdomain and label patterns stand in front of domain names only.
            let domain = matches!(host, Host::Domain(_) | Host::Localhost);
            let form = match form {
                1 if domain => Form::Subdomains,
                2 => Form::AnyPort,
                3 if domain => Form::SubdomainsAnyPort,
                4 if domain => Form::Label,
                5 if domain => Form::LabelAnyPort,
                _ => Form::Exact,
            };
            Entry {
                scheme: scheme.to_owned(),
                host,
                label,
                form,
                port: port.filter(|p| *p != default),
                public_suffix: false,
            }
        });
    prop_oneof![
        6 => web,
        1 => prop::sample::select(OPAQUE.to_vec()).prop_map(opaque_entry),
    ]
}

/// The entry of an extension or app shell.
fn opaque_entry((scheme, host): (&str, &str)) -> Entry {
    Entry {
        scheme: scheme.to_owned(),
        host: Host::Literal(host.to_owned()),
        label: Default::default(),
        form: Form::Opaque,
        port: None,
        public_suffix: false,
    }
}

/// A wildcard over a public suffix, valid only with the opt-in when credentials
/// are on.
pub fn public_suffix_entry() -> impl Strategy<Value = Entry> {
    (
        prop::sample::select(vec!["com", "github.io", "co.uk", "vercel.app"]),
        proptest::option::of(label_parts()),
    )
        .prop_map(|(suffix, label)| Entry {
            scheme: "https".to_owned(),
            // A label pattern over an ICANN suffix (`https://pr-*.com`) is a
            // typo and always refused: label patterns take the private ones.
            host: Host::Domain(
                match (label.is_some(), suffix) {
                    (true, "com") => "github.io",
                    (true, "co.uk") => "vercel.app",
                    (_, suffix) => suffix,
                }
                .to_owned(),
            ),
            form: if label.is_some() {
                Form::Label
            } else {
                Form::Subdomains
            },
            label: label.unwrap_or_default(),
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
        (any::<bool>(), proptest::bool::weighted(0.3)),
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
                (csrf, debug),
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
                    // Section 9 trusts the policy's origins: never with any origin.
                    csrf: csrf && !any_origin,
                    debug,
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

/// Near misses of the forms that generic mutations rarely reach: for a label
/// pattern, a `*` that stands for a dot, for nothing, for uppercase, for a `-`
/// at the label's edge, or for a label of 64 characters; for an extension or
/// app shell, uppercase, a trailing slash, a port, another id or scheme.
/// Other entries get [`mutate`]d instances.
pub fn near_miss(entry: Entry) -> BoxedStrategy<Vec<u8>> {
    match entry.form {
        Form::Label | Form::LabelAnyPort => {
            let (prefix, suffix) = entry.label.clone();
            let domain = entry.host.text();
            let scheme = entry.scheme.clone();
            let port = match (entry.form, entry.port) {
                (Form::Label, Some(port)) => format!(":{port}"),
                _ => String::new(),
            };
            let room = MAX_LABEL - prefix.len() - suffix.len();
            let middles = vec![
                "a.b".to_owned(),
                String::new(),
                "AB".to_owned(),
                "Q7".to_owned(),
                "-x".to_owned(),
                "x-".to_owned(),
                "-".to_owned(),
                "7".repeat(room + 1),
                "7".repeat(room),
                "x_y".to_owned(),
            ];
            prop::sample::select(middles)
                .prop_map(move |middle| {
                    format!("{scheme}://{prefix}{middle}{suffix}.{domain}{port}").into_bytes()
                })
                .boxed()
        }
        Form::Opaque => {
            let text = entry.text();
            let (scheme, host) = (entry.scheme.clone(), entry.host.text());
            let misses = vec![
                text.to_ascii_uppercase(),
                format!("{}://{host}", scheme.to_ascii_uppercase()),
                format!("{scheme}://{}", host.to_ascii_uppercase()),
                format!("{text}/"),
                format!("{text}:8080"),
                format!("{text}."),
                format!("{}x", &text[..text.len() - 1]),
                format!("https://{host}"),
                format!("{scheme}://evil"),
            ];
            prop::sample::select(misses)
                .prop_map(String::into_bytes)
                .boxed()
        }
        _ => entry.instance().prop_flat_map(mutate).boxed(),
    }
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
    let chosen = prop::sample::select(entries);
    let matching = chosen.clone().prop_flat_map(|e| e.instance());
    prop_oneof![
        5 => matching.clone().prop_map(String::into_bytes),
        3 => matching.prop_flat_map(mutate),
        2 => chosen.prop_flat_map(near_miss),
        1 => other.prop_map(String::into_bytes),
        1 => junk,
    ]
    .boxed()
}

/// A method as a request or an `Access-Control-Request-Method` carries it.
pub fn method() -> impl Strategy<Value = String> {
    prop_oneof![
        10 => prop::sample::select(METHODS.to_vec()).prop_map(str::to_owned),
        6 => Just("OPTIONS".to_owned()),
        1 => prop::sample::select(vec!["get", "put", "TRACE", "Delete", "REPORT", "*"]).prop_map(str::to_owned),
    ]
}

/// An `Access-Control-Request-Method`: often one that the path serves, so
/// that preflights get past the method to the headers.
fn asked_method(served: Vec<String>) -> impl Strategy<Value = String> {
    prop_oneof![
        2 => prop::sample::select(served),
        3 => method(),
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
        prop_oneof![1 => 1..65usize, 2 => 65..100usize],
        prop::sample::select(vec![",", ", "]),
    )
        .prop_map(|(name, count, separator)| {
            let mut out = vec![name; count].join(separator);
            if count > 60 {
                out.push_str(&" ".repeat(900));
            }
            out.into_bytes()
        });
    prop_oneof![5 => list, 2 => oversize]
}

/// A number of lines: none, one, or from two to `most`.
fn lines(weights: [u32; 3], most: usize) -> impl Strategy<Value = usize> {
    prop_oneof![weights[0] => Just(0usize), weights[1] => Just(1), weights[2] => 2..=most]
}

/// The lines of a WebSocket handshake (section 10), and near misses of one:
/// `Upgrade` and `Connection` token lists, perhaps split over two lines, and
/// `Sec-WebSocket-Version`; and whether the request is made a `GET` (or a
/// `CONNECT`, the HTTP/2 form), so that handshakes are common enough to meet
/// every rule.
fn handshake() -> impl Strategy<Value = (Option<&'static str>, Vec<(String, Vec<u8>)>)> {
    (
        prop::sample::select(vec![
            "websocket",
            "WebSocket",
            "h2c, websocket",
            " websocket ,x",
            "websockets",
            "h2c",
            "",
        ]),
        prop::sample::select(vec![
            "Upgrade",
            "keep-alive, upgrade",
            "UPGRADE,",
            "keep-alive",
            "upgraded",
        ]),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.8),
        prop::sample::select(vec![Some("GET"), Some("GET"), Some("CONNECT"), None]),
    )
        .prop_map(|(upgrade, connection, split, version, method)| {
            let mut lines = Vec::new();
            let line = |name: &str, value: &str| (name.to_owned(), value.as_bytes().to_vec());
            match upgrade.split_once(',').filter(|_| split) {
                Some((first, second)) => {
                    lines.push(line("upgrade", first));
                    lines.push(line("upgrade", second));
                }
                None => lines.push(line("upgrade", upgrade)),
            }
            lines.push(line("connection", connection));
            if version {
                lines.push(line("sec-websocket-version", "13"));
            }
            (method, lines)
        })
}

/// A `Sec-Fetch-Site` value: what browsers send, and junk.
fn fetch_site() -> impl Strategy<Value = Vec<u8>> {
    prop::sample::select(vec![
        "same-origin",
        "none",
        "cross-site",
        "same-site",
        "Same-Origin",
        "same-origin ",
        "",
        "same-origin, none",
    ])
    .prop_map(|v| v.as_bytes().to_vec())
}

/// How the request names its target's host (section 9 compares it with the
/// `Origin`): the `Origin`'s own `host[:port]`, the same with the default
/// port written, in uppercase, another host, or an empty one.
#[derive(Clone, Copy, Debug)]
enum Target {
    Same,
    DefaultPort,
    Upper,
    Other,
    Empty,
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        4 => Just(Target::Same),
        1 => Just(Target::DefaultPort),
        1 => Just(Target::Upper),
        2 => Just(Target::Other),
        1 => Just(Target::Empty),
    ]
}

/// The `host[:port]` that `how` names, for a request whose `Origin` is `origin`.
fn target_text(how: Target, origin: Option<&[u8]>) -> String {
    let same = origin
        .and_then(|o| std::str::from_utf8(o).ok())
        .and_then(|o| o.split_once("://"))
        .map_or("api.example.net", |(_, rest)| rest)
        .to_owned();
    match how {
        Target::Same => same,
        Target::DefaultPort => format!("{same}:443"),
        Target::Upper => same.to_ascii_uppercase(),
        Target::Other => "api.example.net".to_owned(),
        Target::Empty => String::new(),
    }
}

/// A request for a path whose policies are `generated`: its method, `Origin`,
/// `Access-Control-Request-Method`, `Access-Control-Request-Headers`,
/// `Access-Control-Request-Private-Network`, `Sec-Fetch-Site` and `Host`
/// lines, each sometimes missing or repeated, and sometimes an authority in
/// its target.
pub fn request(generated: &[Generated]) -> impl Strategy<Value = Request> + use<> {
    let allowed: Vec<String> = generated
        .iter()
        .flat_map(|g| g.spec.headers.iter().filter(|h| *h != "*").cloned())
        .collect();
    let served: Vec<String> = generated
        .iter()
        .flat_map(|g| g.spec.methods.iter().cloned())
        .collect();
    let origin = origin_value(generated);
    (
        method(),
        lines([1, 8, 1], 2).prop_flat_map(move |n| proptest::collection::vec(origin.clone(), n)),
        lines([2, 8, 1], 2)
            .prop_flat_map(move |n| proptest::collection::vec(asked_method(served.clone()), n)),
        lines([3, 6, 1], 9)
            .prop_flat_map(move |n| proptest::collection::vec(requested_line(allowed.clone()), n)),
        lines([3, 3, 1], 2).prop_flat_map(|n| {
            proptest::collection::vec(
                prop::sample::select(vec!["true", "true", "false", "TRUE", ""]),
                n,
            )
        }),
        lines([4, 5, 1], 2).prop_flat_map(|n| proptest::collection::vec(fetch_site(), n)),
        lines([3, 6, 1], 2).prop_flat_map(|n| proptest::collection::vec(target(), n)),
        proptest::option::weighted(0.15, target()),
        proptest::option::weighted(0.3, handshake()),
    )
        .prop_map(
            |(method, origins, asked, headers, private, sites, hosts, authority, handshake)| {
                let (forced, handshake) = handshake.unwrap_or_default();
                let method = forced.map_or(method, str::to_owned);
                let first = origins.first().map(Vec::as_slice);
                let hosts: Vec<Vec<u8>> = hosts
                    .into_iter()
                    .map(|how| target_text(how, first).into_bytes())
                    .collect();
                // An authority must be one to be a target's: a `Host` line may
                // be anything, and is then simply another host.
                let authority = authority
                    .map(|how| target_text(how, first))
                    .filter(|a| !a.is_empty() && a.parse::<http::uri::Authority>().is_ok());
                let mut lines: Vec<(String, Vec<u8>)> = Vec::new();
                lines.extend(hosts.into_iter().map(|h| ("host".to_owned(), h)));
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
                lines.extend(sites.into_iter().map(|s| ("sec-fetch-site".to_owned(), s)));
                lines.extend(handshake);
                Request {
                    method,
                    authority,
                    headers: lines,
                }
            },
        )
}

/// Whether every header value of `request` can be carried by an HTTP/1.1
/// request (no control bytes but tab, no DEL): what a server ever sees.
pub fn is_sendable(request: &Request) -> bool {
    request
        .headers
        .iter()
        .all(|(_, v)| v.iter().all(|&b| b == b'\t' || (b >= 0x20 && b != 0x7f)))
}
