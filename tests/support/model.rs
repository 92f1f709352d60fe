//! A reference model of the CORS contract (`cors-contract.md`, sections 1 to 5
//! and 7), written from the contract's text and nothing else: strings, vectors
//! and loops, no tables, no code shared with the library. It is slow on purpose
//! and simple enough to be checked by reading it beside the contract.
//!
//! Where the contract leaves a detail open, the choice is written where it is
//! made, with its reason.

/// A policy in the neutral form of the conformance vectors: what a user writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    /// Origins and patterns, or `["*"]` for any origin.
    pub origins: Vec<String>,
    /// Methods as written.
    pub methods: Vec<String>,
    /// Allowed request headers; `*` for any.
    pub headers: Vec<String>,
    /// Exposed response headers; `*` for all.
    pub expose: Vec<String>,
    /// Credentials allowed.
    pub credentials: bool,
    /// `Access-Control-Max-Age`, when configured.
    pub max_age: Option<u64>,
    /// Private network access granted.
    pub private_network: bool,
    /// Opt-in: `http://` origins that are not loopback, with credentials.
    pub dangerous_insecure_origins: bool,
    /// Opt-in: wildcards over a public suffix, with credentials.
    pub dangerous_public_suffix_wildcards: bool,
}

/// One request: its method and its header lines in order (names lowercase).
#[derive(Clone, Debug)]
pub struct Request {
    /// The method, as sent.
    pub method: String,
    /// The header lines, in order.
    pub headers: Vec<(String, Vec<u8>)>,
}

/// Where the request goes.
#[derive(Clone, Copy, Debug)]
pub enum Mount<'a> {
    /// A path whose handlers are mounted each with its own policy (sections 4
    /// and 5), in mount order.
    Route(&'a [Spec]),
    /// An application behind one layer (section 7). `routed` says whether the
    /// application has a route at the request's path (one handler serving every
    /// method); when it has none, the application answers `404` itself.
    Layer { policy: &'a Spec, routed: bool },
}

/// The answer the contract gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// Whether the handler ran.
    pub handler_ran: bool,
    /// The response's header lines that the comparison looks at: every
    /// `access-control-*` line, every `vary` line and every `allow` line, in
    /// order of appearance per name.
    pub headers: Vec<(String, Vec<u8>)>,
}

impl Answer {
    /// The lines of `name`, in order.
    pub fn lines(&self, name: &str) -> Vec<&[u8]> {
        lines_of(&self.headers, name)
    }
}

/// Whether two answers agree: same status, same handler call, and for every
/// compared name the same lines in the same order (the order between names is
/// free: a header map groups lines by name).
pub fn agree(model: &Answer, got: &Answer) -> bool {
    let mut names: Vec<&str> = model
        .headers
        .iter()
        .chain(&got.headers)
        .map(|(n, _)| n.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    model.status == got.status
        && model.handler_ran == got.handler_ran
        && names.iter().all(|n| model.lines(n) == got.lines(n))
}

/// The lines of `name` among `headers`.
pub fn lines_of<'a>(headers: &'a [(String, Vec<u8>)], name: &str) -> Vec<&'a [u8]> {
    headers
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.as_slice())
        .collect()
}

/// Whether the model compares header `name`.
pub fn compared(name: &str) -> bool {
    name.starts_with("access-control-") || name == "vary" || name == "allow"
}

/// What the contract answers to `request` at `mount`, where the handler, when it
/// runs, answers `200` with the header lines `handler_headers`.
pub fn answer(
    mount: Mount<'_>,
    request: &Request,
    handler_headers: &[(String, Vec<u8>)],
) -> Answer {
    match mount {
        Mount::Route(policies) => route(policies, request, handler_headers),
        Mount::Layer { policy, routed } => layer(policy, routed, request, handler_headers),
    }
}

// Section 1: words.

/// Every value of header `name` in the request.
fn values<'a>(request: &'a Request, name: &str) -> Vec<&'a [u8]> {
    lines_of(&request.headers, name)
}

/// The request's header `name` when it carries exactly one line of it. A
/// repeated header reads as its lines joined by `, `, which is never a single
/// origin, method or `true`: so a repeated header is as good as a wrong one.
fn one<'a>(request: &'a Request, name: &str) -> Option<&'a [u8]> {
    let all = values(request, name);
    if all.len() == 1 { Some(all[0]) } else { None }
}

/// Section 1: a preflight is `OPTIONS` (exact bytes) with an `Origin` and an
/// `Access-Control-Request-Method` header.
fn is_preflight(request: &Request) -> bool {
    request.method == "OPTIONS"
        && !values(request, "origin").is_empty()
        && !values(request, "access-control-request-method").is_empty()
}

// Sections 1 and 3: which origins a policy allows.

fn is_any_origin(spec: &Spec) -> bool {
    spec.origins.len() == 1 && spec.origins[0] == "*"
}

/// Whether the policy allows the request's origin (section 4: absent, `null`,
/// empty, malformed, listed twice, or not allowed is not allowed). An
/// any-origin policy allows every request, whatever its `Origin` lines: section 4
/// says it sends `*` on every response.
fn allows_origin(spec: &Spec, request: &Request) -> bool {
    if is_any_origin(spec) {
        return true;
    }
    let Some(origin) = one(request, "origin") else {
        return false;
    };
    let Ok(origin) = std::str::from_utf8(origin) else {
        return false;
    };
    spec.origins
        .iter()
        .any(|entry| entry_matches(entry, origin))
}

/// The default port of a scheme: 80 for http, 443 for https.
fn default_port(scheme: &str) -> &'static str {
    if scheme == "http" { "80" } else { "443" }
}

/// Whether `entry`, a valid origin or pattern of a policy, allows the request
/// origin `origin`.
fn entry_matches(entry: &str, origin: &str) -> bool {
    // An entry without `*` is a serialized origin, which the browser sends
    // byte for byte (section 2: ACAO must be byte-equal to the Origin).
    if !entry.contains('*') {
        return entry == origin;
    }
    let (scheme, rest) = entry.split_once("://").unwrap();
    let (host_part, port_part) = split_host_port(rest);
    let Some(origin_rest) = origin
        .strip_prefix(scheme)
        .and_then(|r| r.strip_prefix("://"))
    else {
        return false;
    };
    let (origin_host, origin_port) = split_host_port(origin_rest);
    let port_ok = match (port_part, origin_port) {
        // `host:*`: any port, the default one included. A browser leaves the
        // default port out, so a written default port is not serialized form.
        (Some("*"), None) => true,
        (Some("*"), Some(port)) => is_serialized_port(port) && port != default_port(scheme),
        (Some(want), Some(port)) => want == port,
        (None, None) => true,
        _ => false,
    };
    if !port_ok {
        return false;
    }
    match host_part.strip_prefix("*.") {
        // `*.domain`: one or more whole labels in front of `.domain`, never the
        // bare domain.
        Some(domain) => match origin_host.strip_suffix(domain) {
            Some(front) => match front.strip_suffix('.') {
                Some(labels) => !labels.is_empty() && labels.split('.').all(is_serialized_label),
                None => false,
            },
            None => false,
        },
        // A label pattern (`pr-*.preview.example.com`): one `*` inside the
        // first label, for one or more letters, digits or `-` of one label,
        // never a dot; the label as a whole is still a valid label (at most 63
        // characters, no `-` at either end).
        None if host_part.contains('*') => {
            let (label, domain) = host_part.split_once('.').unwrap();
            let (prefix, suffix) = label.split_once('*').unwrap();
            let Some((origin_label, origin_domain)) = origin_host.split_once('.') else {
                return false;
            };
            let long_enough = origin_label.len() > prefix.len() + suffix.len();
            origin_domain == domain
                && long_enough
                && origin_label.len() <= 63
                && origin_label.starts_with(prefix)
                && origin_label.ends_with(suffix)
                && !origin_label.starts_with('-')
                && !origin_label.ends_with('-')
                && origin_label[prefix.len()..origin_label.len() - suffix.len()]
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        }
        None => origin_host == host_part,
    }
}

/// Splits `host[:port]`; an IPv6 host keeps its brackets. The contract's
/// origins have no path, so anything after the host that is not `:port` makes
/// the whole text the host, which then matches nothing.
fn split_host_port(text: &str) -> (&str, Option<&str>) {
    if text.starts_with('[') {
        match text.find(']') {
            Some(close) => {
                let (host, tail) = text.split_at(close + 1);
                if tail.is_empty() {
                    (host, None)
                } else if let Some(port) = tail.strip_prefix(':') {
                    (host, Some(port))
                } else {
                    (text, None)
                }
            }
            None => (text, None),
        }
    } else {
        match text.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        }
    }
}

/// A port as a browser serializes it: 1 to 65535 in decimal, no leading zero.
fn is_serialized_port(port: &str) -> bool {
    !port.is_empty()
        && port.len() <= 5
        && port.chars().all(|c| c.is_ascii_digit())
        && !port.starts_with('0')
        && port.parse::<u32>().unwrap() <= 65535
}

/// A label of a serialized host: lowercase ASCII letters, digits, `-` and `_`
/// (section 1: hosts are lowercase ASCII, international names in punycode; `_`
/// occurs in real host names and browsers keep it).
fn is_serialized_label(label: &str) -> bool {
    !label.is_empty()
        && label
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

// Section 2 and 3: names and lists.

/// An HTTP token (RFC 9110): one or more `tchar`s.
fn is_token(text: &[u8]) -> bool {
    let tchar = |b: u8| b.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".as_bytes().contains(&b);
    !text.is_empty() && text.iter().all(|&b| tchar(b))
}

fn has_star(list: &[String]) -> bool {
    list.iter().any(|n| n == "*")
}

/// Section 3: names are stored lowercase. The contract leaves the joining
/// open; lists are joined with `, ` in the order written, `*` first.
fn joined_lowercase(list: &[String]) -> Vec<u8> {
    let mut out = String::new();
    for name in list {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(&name.to_ascii_lowercase());
    }
    out.into_bytes()
}

// Section 5: preflights.

/// The bounds of the request header list: the contract gives "for example 1 KiB
/// or 64 elements"; the library documents 1024 bytes over all lines, 64 names
/// and 8 lines.
const MAX_LIST_BYTES: usize = 1024;
const MAX_LIST_NAMES: usize = 64;
const MAX_LIST_LINES: usize = 8;

/// The names of the request's `Access-Control-Request-Headers`, or `None` when
/// the list is out of bounds or holds something that is not a token. Optional
/// whitespace (space and tab) around elements and empty elements are skipped.
fn requested_headers(request: &Request) -> Option<Vec<Vec<u8>>> {
    let lines = values(request, "access-control-request-headers");
    if lines.len() > MAX_LIST_LINES {
        return None;
    }
    let total: usize = lines.iter().map(|l| l.len()).sum();
    if total > MAX_LIST_BYTES {
        return None;
    }
    let mut names = Vec::new();
    for line in lines {
        for element in line.split(|&b| b == b',') {
            let mut start = 0;
            let mut end = element.len();
            while start < end && (element[start] == b' ' || element[start] == b'\t') {
                start += 1;
            }
            while end > start && (element[end - 1] == b' ' || element[end - 1] == b'\t') {
                end -= 1;
            }
            let name = &element[start..end];
            if name.is_empty() {
                continue;
            }
            if !is_token(name) {
                return None;
            }
            names.push(name.to_vec());
        }
    }
    if names.len() > MAX_LIST_NAMES {
        return None;
    }
    Some(names)
}

/// Whether a preflight may ask for `name` (section 2 and 3: case-insensitive;
/// `*` covers any name but `authorization`; with credentials `*` is honoured by
/// echoing the request's list, and section 6 forbids `*` in ACAH then, so a
/// requested name `*` is refused).
fn header_allowed(spec: &Spec, name: &[u8]) -> bool {
    let lower = String::from_utf8_lossy(name).to_ascii_lowercase();
    let listed = spec
        .headers
        .iter()
        .any(|h| h != "*" && h.to_ascii_lowercase() == lower);
    if listed {
        return true;
    }
    if !has_star(&spec.headers) {
        return false;
    }
    if lower == "authorization" {
        return false;
    }
    !(lower == "*" && spec.credentials)
}

/// Whether a policy lists `method` byte for byte.
fn lists(spec: &Spec, method: &str) -> bool {
    spec.methods.iter().any(|m| m == method)
}

/// The handler of a path that serves `method`: the one that lists it, else, for
/// `HEAD`, the one that lists `GET` (a route that serves `GET` serves `HEAD`).
fn serving(policies: &[Spec], method: &str) -> Option<usize> {
    if let Some(index) = policies.iter().position(|p| lists(p, method)) {
        return Some(index);
    }
    if method == "HEAD" {
        return policies.iter().position(|p| lists(p, "GET"));
    }
    None
}

fn vary_of_preflight(private_network: bool) -> Vec<u8> {
    let mut vary =
        String::from("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    if private_network {
        vary.push_str(", Access-Control-Request-Private-Network");
    }
    vary.into_bytes()
}

/// Section 5: the preflight answer of `spec`, whose handler serves the
/// requested method.
fn preflight(spec: &Spec, request: &Request) -> Answer {
    let vary = ("vary".to_owned(), vary_of_preflight(spec.private_network));
    let refused = Answer {
        status: 403,
        handler_ran: false,
        headers: vec![vary.clone()],
    };
    if !allows_origin(spec, request) {
        return refused;
    }
    let Some(asked) = requested_headers(request) else {
        return refused;
    };
    if !asked.iter().all(|name| header_allowed(spec, name)) {
        return refused;
    }
    let mut headers = vec![vary];
    let origin = if is_any_origin(spec) {
        b"*".to_vec()
    } else {
        one(request, "origin").unwrap().to_vec()
    };
    headers.push(("access-control-allow-origin".into(), origin));
    if spec.credentials {
        headers.push(("access-control-allow-credentials".into(), b"true".to_vec()));
    }
    headers.push((
        "access-control-allow-methods".into(),
        spec.methods.join(", ").into_bytes(),
    ));
    let asked_lines = values(request, "access-control-request-headers");
    if !asked_lines.is_empty() && !spec.headers.is_empty() {
        if has_star(&spec.headers) && spec.credentials {
            // Echo the validated request list, line by line.
            for line in asked_lines {
                headers.push(("access-control-allow-headers".into(), line.to_vec()));
            }
        } else {
            let mut list: Vec<String> = spec.headers.clone();
            // `*` first, then the names listed beside it.
            list.sort_by_key(|h| h != "*");
            headers.push((
                "access-control-allow-headers".into(),
                joined_lowercase(&list),
            ));
        }
    }
    if let Some(age) = spec.max_age {
        headers.push((
            "access-control-max-age".into(),
            age.to_string().into_bytes(),
        ));
    }
    if spec.private_network
        && one(request, "access-control-request-private-network") == Some(b"true")
    {
        headers.push((
            "access-control-allow-private-network".into(),
            b"true".to_vec(),
        ));
    }
    Answer {
        status: 204,
        handler_ran: false,
        headers,
    }
}

// Section 4: actual requests.

/// The response headers a policy owns (section 4: they overwrite any the
/// handler set).
fn owned_by_policy(name: &str) -> bool {
    [
        "access-control-allow-origin",
        "access-control-allow-credentials",
        "access-control-expose-headers",
        "access-control-allow-methods",
        "access-control-allow-headers",
        "access-control-max-age",
        "access-control-allow-private-network",
    ]
    .contains(&name)
}

/// Puts the actual-request headers of `spec` onto `response` (section 4).
fn add_actual_headers(spec: &Spec, request: &Request, response: &mut Vec<(String, Vec<u8>)>) {
    response.retain(|(name, _)| !owned_by_policy(name));
    if allows_origin(spec, request) {
        let origin = if is_any_origin(spec) {
            b"*".to_vec()
        } else {
            one(request, "origin").unwrap().to_vec()
        };
        response.push(("access-control-allow-origin".into(), origin));
        if spec.credentials {
            response.push(("access-control-allow-credentials".into(), b"true".to_vec()));
        }
        if !spec.expose.is_empty() {
            response.push((
                "access-control-expose-headers".into(),
                joined_lowercase(&spec.expose),
            ));
        }
    }
    // Appended after the handler's own `Vary`; an any-origin policy's answer
    // does not depend on the origin.
    if !is_any_origin(spec) {
        response.push(("vary".into(), b"Origin".to_vec()));
    }
}

/// The handler's response with the policy's headers.
fn handled(spec: &Spec, request: &Request, handler_headers: &[(String, Vec<u8>)]) -> Answer {
    let mut headers: Vec<(String, Vec<u8>)> = handler_headers
        .iter()
        .filter(|(name, _)| compared(name))
        .cloned()
        .collect();
    add_actual_headers(spec, request, &mut headers);
    Answer {
        status: 200,
        handler_ran: true,
        headers,
    }
}

/// The `Allow` value of a path (section 5 names it; the form is ours): every
/// method in mount order, `HEAD` after `GET` unless a handler lists `HEAD`,
/// then `OPTIONS`.
fn allow(policies: &[Spec]) -> Vec<u8> {
    let head_listed = policies.iter().any(|p| lists(p, "HEAD"));
    let mut methods: Vec<&str> = Vec::new();
    for policy in policies {
        for method in &policy.methods {
            methods.push(method);
            if method == "GET" && !head_listed {
                methods.push("HEAD");
            }
        }
    }
    methods.push("OPTIONS");
    methods.join(", ").into_bytes()
}

/// Sections 4 and 5 at a generated route.
fn route(policies: &[Spec], request: &Request, handler_headers: &[(String, Vec<u8>)]) -> Answer {
    if is_preflight(request) {
        // Section 5: the policy of the handler that serves the requested method.
        let asked =
            one(request, "access-control-request-method").and_then(|m| std::str::from_utf8(m).ok());
        return match asked.and_then(|m| serving(policies, m)) {
            Some(index) => preflight(&policies[index], request),
            None => Answer {
                status: 403,
                handler_ran: false,
                // No handler serves it: the `Vary` of a preflight at this path,
                // as wide as any of its policies makes it.
                headers: vec![(
                    "vary".into(),
                    vary_of_preflight(policies.iter().any(|p| p.private_network)),
                )],
            },
        };
    }
    if let Some(index) = serving(policies, &request.method) {
        return handled(&policies[index], request, handler_headers);
    }
    // No handler: `204` to an `OPTIONS` (section 5), `405` to anything else, with
    // `Allow` and the path's CORS headers. The contract does not say whose: those
    // of the first policy of the path that allows the origin, and `Vary: Origin`
    // alone when none does.
    let status = if request.method == "OPTIONS" {
        204
    } else {
        405
    };
    let mut headers = vec![("allow".to_owned(), allow(policies))];
    match policies.iter().find(|p| allows_origin(p, request)) {
        Some(spec) => add_actual_headers(spec, request, &mut headers),
        None => headers.push(("vary".into(), b"Origin".to_vec())),
    }
    Answer {
        status,
        handler_ran: false,
        headers,
    }
}

/// Section 7: one policy for a whole application.
fn layer(
    spec: &Spec,
    routed: bool,
    request: &Request,
    handler_headers: &[(String, Vec<u8>)],
) -> Answer {
    if is_preflight(request) {
        let asked =
            one(request, "access-control-request-method").and_then(|m| std::str::from_utf8(m).ok());
        return match asked.and_then(|m| serving(std::slice::from_ref(spec), m)) {
            Some(_) => preflight(spec, request),
            None => Answer {
                status: 403,
                handler_ran: false,
                headers: vec![("vary".into(), vary_of_preflight(spec.private_network))],
            },
        };
    }
    if routed {
        return handled(spec, request, handler_headers);
    }
    let mut headers = Vec::new();
    add_actual_headers(spec, request, &mut headers);
    Answer {
        status: 404,
        handler_ran: false,
        headers,
    }
}
