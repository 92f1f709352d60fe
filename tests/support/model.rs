//! A reference model of the CORS contract (`cors-contract.md`, sections 1 to 5,
//! 7, 8 and 9), written from the contract's text and nothing else: strings,
//! vectors and loops, no tables, no code shared with the library. It is slow on
//! purpose and simple enough to be checked by reading it beside the contract.
//!
//! Where the contract leaves a detail open, the choice is written where it is
//! made, with its reason.
//!
//! Section 8: every answer comes with the reason of its denial, if any
//! ([`outcome`]). When several reasons apply, the model names the first check
//! that fails in the order of sections 9 and 5: a write that section 9 refuses
//! is refused whatever else holds; then the origin, then the requested method,
//! then the requested headers (in the order they are read), then private
//! network access.

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
    /// Section 9: cross-origin writes refused.
    pub csrf: bool,
    /// Debug mode: a preflight refused for its method or a header, from an
    /// allowed origin, is answered `204` with the headers that did match.
    pub debug: bool,
}

/// One request: its method, the authority of its target when the target
/// names one, and its header lines in order (names lowercase).
#[derive(Clone, Debug)]
pub struct Request {
    /// The method, as sent.
    pub method: String,
    /// The authority of the request's target (HTTP/2's `:authority`, or an
    /// HTTP/1.1 target in absolute form), when it has one; else the `Host`
    /// lines among `headers` name it.
    pub authority: Option<String>,
    /// The header lines, in order.
    pub headers: Vec<(String, Vec<u8>)>,
}

/// Section 8: why a request was denied, from a closed set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// No `Origin`.
    OriginAbsent,
    /// `Origin: null`.
    OriginNull,
    /// An `Origin` that is not a serialized origin (section 1).
    OriginMalformed,
    /// More than one `Origin` line.
    OriginRepeated,
    /// A serialized origin that the policy does not allow.
    OriginNotAllowed,
    /// The requested method is not served: the method, as sent.
    MethodNotServed(String),
    /// The first requested header that is refused, as sent.
    HeaderNotAllowed(String),
    /// The requested header list is past the bounds.
    HeaderListTooLong,
    /// Private network access asked for and not granted.
    PrivateNetworkNotAllowed,
    /// Section 9.
    CrossOriginWriteRefused,
    /// Section 10.
    CrossOriginWebSocketRefused,
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
    outcome(mount, request, handler_headers).0
}

/// Section 8: why the contract denies `request` at `mount`, or `None` when it
/// does not.
pub fn reason(mount: Mount<'_>, request: &Request) -> Option<Reason> {
    outcome(mount, request, &[]).1
}

/// The answer and the reason of its denial, if any.
pub fn outcome(
    mount: Mount<'_>,
    request: &Request,
    handler_headers: &[(String, Vec<u8>)],
) -> (Answer, Option<Reason>) {
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
    // `moz-extension://*`, the whole scheme: any origin of it (section 3),
    // whose host is opaque: letters of either case, digits, `-`, `_`, `.`; no
    // port, nothing after.
    if rest == "*" {
        return origin
            .strip_prefix(scheme)
            .and_then(|r| r.strip_prefix("://"))
            .is_some_and(|host| {
                !host.is_empty()
                    && host
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            });
    }
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
        // A host name is at most 253 characters (RFC 1035).
        Some(_) if origin_host.len() > 253 => false,
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

// Section 8: why an origin is refused.

/// Whether `origin` is a serialized origin as section 1 describes it: a
/// lowercase scheme (a letter, then letters, digits, `+`, `-`, `.`), `://`, a
/// lowercase host (of either case for another scheme than `http` and `https`),
/// and a port only when it is not the scheme's default, in
/// decimal from 1 to 65535 without a leading zero; nothing else. The model does
/// not parse IPv6 addresses: lowercase hex digits, `:` and `.` in brackets
/// count as one. Labels are not checked one by one (the URL standard keeps an
/// empty label or a trailing dot).
fn is_serialized_origin(origin: &[u8]) -> bool {
    let Ok(origin) = std::str::from_utf8(origin) else {
        return false;
    };
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    let mut scheme_chars = scheme.chars();
    let scheme_ok = scheme_chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && scheme_chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+-.".contains(c));
    let (host, port) = split_host_port(rest);
    let host_ok = match host.strip_prefix('[') {
        Some(inner) => inner.strip_suffix(']').is_some_and(|address| {
            !address.is_empty()
                && address
                    .chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c) || ":.".contains(c))
        }),
        // The host of another scheme than `http` and `https` is opaque and
        // keeps its case (section 3).
        None if scheme != "http" && scheme != "https" => {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        }
        None => {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
        }
    };
    let port_ok = match port {
        None => true,
        Some(port) => {
            is_serialized_port(port)
                && !((scheme == "http" || scheme == "https") && port == default_port(scheme))
        }
    };
    scheme_ok && host_ok && port_ok
}

/// Section 8: why the request's origin is not allowed.
fn origin_reason(request: &Request) -> Reason {
    let lines = values(request, "origin");
    match lines.len() {
        0 => Reason::OriginAbsent,
        1 if lines[0] == b"null" => Reason::OriginNull,
        1 if is_serialized_origin(lines[0]) => Reason::OriginNotAllowed,
        1 => Reason::OriginMalformed,
        _ => Reason::OriginRepeated,
    }
}

/// How a method or a header name from the request reads in a reason: its
/// text, or U+FFFD when it is not UTF-8.
fn readable(name: &[u8]) -> String {
    String::from_utf8(name.to_vec()).unwrap_or_else(|_| "\u{FFFD}".to_owned())
}

// Section 9: cross-origin write protection.

/// Section 9: GET, HEAD and OPTIONS (byte for byte: methods are
/// case-sensitive) are never refused.
fn is_write(method: &str) -> bool {
    !["GET", "HEAD", "OPTIONS"].contains(&method)
}

/// The request's `Host` in section 9's sense: the authority of its target when
/// it names one (it is what the client addressed; HTTP/2 sends no `Host`),
/// else its one `Host` line. Two `Host` lines name no host (RFC 9112 makes
/// such a request invalid).
fn target_host(request: &Request) -> Option<Vec<u8>> {
    match &request.authority {
        Some(authority) => Some(authority.as_bytes().to_vec()),
        None => one(request, "host").map(<[u8]>::to_vec),
    }
}

/// Section 9: whether `spec` refuses the request as a cross-origin write.
///
/// Where the contract is silent, the model fails closed, as no browser sends
/// such a request: `Sec-Fetch-Site` passes only as one line, exactly
/// `same-origin` or `none` (an empty or repeated line is "any other"); in step
/// 3, the `Origin` must be one line and a serialized origin (so `null` and two
/// lines refuse), and its `host[:port]` is compared with the request's host
/// byte for byte, as written: no default port is added or removed.
fn refuses_write(spec: &Spec, request: &Request) -> bool {
    if !spec.csrf || !(is_write(&request.method) || is_handshake(request)) {
        return false;
    }
    // 1. An origin that the policy allows.
    if allows_origin(spec, request) {
        return false;
    }
    // 2. `Sec-Fetch-Site`.
    let sites = values(request, "sec-fetch-site");
    if !sites.is_empty() {
        let same = sites.len() == 1 && (sites[0] == b"same-origin" || sites[0] == b"none");
        return !same;
    }
    // 3. No `Sec-Fetch-Site`: no `Origin`, or one whose host and port are the
    // request's.
    let origins = values(request, "origin");
    if origins.is_empty() {
        return false;
    }
    if origins.len() > 1 || !is_serialized_origin(origins[0]) {
        return true;
    }
    let origin = std::str::from_utf8(origins[0]).unwrap();
    let (_, host_and_port) = origin.split_once("://").unwrap();
    target_host(request).is_none_or(|host| host != host_and_port.as_bytes())
}

/// The answer to a refused write: `403`, empty, no handler, and the
/// actual-request headers of a refused origin (`Vary: Origin`).
fn refused_write(spec: &Spec, request: &Request) -> (Answer, Option<Reason>) {
    let mut headers = Vec::new();
    add_actual_headers(spec, request, &mut headers);
    let answer = Answer {
        status: 403,
        handler_ran: false,
        headers,
    };
    let reason = if is_handshake(request) {
        Reason::CrossOriginWebSocketRefused
    } else {
        Reason::CrossOriginWriteRefused
    };
    (answer, Some(reason))
}

/// Section 10: whether the request is a WebSocket handshake, which section 9
/// judges whatever its method. The HTTP/1.1 form is a `GET` whose `Upgrade`
/// and `Connection` lines, split on commas and trimmed, hold `websocket` and
/// `upgrade` in any case. The HTTP/2 form is a `CONNECT` with `:protocol`
/// `websocket`, which a request of `http` cannot show: where the contract's
/// words cannot be followed, the model takes the library's documented stand-in,
/// a `CONNECT` that carries `Sec-WebSocket-Version`.
fn is_handshake(request: &Request) -> bool {
    let lists = |name: &str, token: &str| {
        values(request, name).iter().any(|line| {
            String::from_utf8_lossy(line).split(',').any(|element| {
                element
                    .trim_matches([' ', '\t'])
                    .eq_ignore_ascii_case(token)
            })
        })
    };
    match request.method.as_str() {
        "GET" => lists("upgrade", "websocket") && lists("connection", "upgrade"),
        "CONNECT" => !values(request, "sec-websocket-version").is_empty(),
        _ => false,
    }
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

/// Checks the request's `Access-Control-Request-Headers` with `allowed`: `Ok`
/// when every name passes, else why the list fails. Optional whitespace
/// (space and tab) around elements and empty elements are skipped.
///
/// Which reason, when several apply: the contract leaves it open. The list is
/// read in order, as a bounded parser reads it, and the first failure met
/// names the reason: a ninth line, or a line that takes the lines' total past
/// 1024 bytes, fails before any of its names is read; a 65th name fails; a
/// name that is not a token or is refused fails, named as sent.
fn check_requested_headers(
    request: &Request,
    allowed: impl Fn(&[u8]) -> bool,
) -> Result<(), Reason> {
    let mut total = 0;
    let mut count = 0;
    for (index, line) in values(request, "access-control-request-headers")
        .into_iter()
        .enumerate()
    {
        total += line.len();
        if index >= MAX_LIST_LINES || total > MAX_LIST_BYTES {
            return Err(Reason::HeaderListTooLong);
        }
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
            count += 1;
            if count > MAX_LIST_NAMES {
                return Err(Reason::HeaderListTooLong);
            }
            if !is_token(name) || !allowed(name) {
                return Err(Reason::HeaderNotAllowed(readable(name)));
            }
        }
    }
    Ok(())
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

/// The requested method as a reason names it: the one
/// `Access-Control-Request-Method` line, or U+FFFD when the line is repeated
/// (no one method is asked for) or not UTF-8.
fn asked_method_name(request: &Request) -> String {
    one(request, "access-control-request-method").map_or_else(|| "\u{FFFD}".to_owned(), readable)
}

/// The requested method, when the request asks for exactly one, readable.
fn asked_method(request: &Request) -> Option<&str> {
    one(request, "access-control-request-method").and_then(|m| std::str::from_utf8(m).ok())
}

/// Section 5: the preflight answer of `spec`; `serves` says whether its
/// handler serves the requested method. Checked in the order of section 5:
/// origin, method, headers; then private network access, which the browser
/// checks on a `2xx` answer (section 2), so a request for it that the policy
/// does not grant is answered in full without the grant, and named.
///
/// Debug mode (the contract is silent; the library documents it): a preflight
/// from an allowed origin that fails on its method, on a header or on the
/// list's bounds is answered `204` with ACAO (and ACAC with credentials), plus
/// ACAM when the method matched, and `Vary` as usual: the browser then names
/// what failed. A refused origin learns nothing.
fn preflight(spec: &Spec, request: &Request, serves: bool) -> (Answer, Option<Reason>) {
    let vary = ("vary".to_owned(), vary_of_preflight(spec.private_network));
    let refused = |reason: Reason, matched: Option<Vec<(String, Vec<u8>)>>| {
        let mut headers = vec![vary.clone()];
        let status = match matched {
            Some(matched) if spec.debug => {
                headers.extend(matched);
                204
            }
            _ => 403,
        };
        let answer = Answer {
            status,
            handler_ran: false,
            headers,
        };
        (answer, Some(reason))
    };
    if !allows_origin(spec, request) {
        return refused(origin_reason(request), None);
    }
    let mut matched = Vec::new();
    let origin = if is_any_origin(spec) {
        b"*".to_vec()
    } else {
        one(request, "origin").unwrap().to_vec()
    };
    matched.push(("access-control-allow-origin".to_owned(), origin));
    if spec.credentials {
        matched.push(("access-control-allow-credentials".into(), b"true".to_vec()));
    }
    if !serves {
        return refused(
            Reason::MethodNotServed(asked_method_name(request)),
            Some(matched),
        );
    }
    matched.push((
        "access-control-allow-methods".into(),
        spec.methods.join(", ").into_bytes(),
    ));
    if let Err(reason) = check_requested_headers(request, |name| header_allowed(spec, name)) {
        return refused(reason, Some(matched));
    }
    let mut headers = vec![vary];
    headers.extend(matched);
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
    let mut reason = None;
    if one(request, "access-control-request-private-network") == Some(b"true") {
        if spec.private_network {
            headers.push((
                "access-control-allow-private-network".into(),
                b"true".to_vec(),
            ));
        } else {
            reason = Some(Reason::PrivateNetworkNotAllowed);
        }
    }
    let answer = Answer {
        status: 204,
        handler_ran: false,
        headers,
    };
    (answer, reason)
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

/// The handler's response with the policy's headers, and why the origin is
/// refused if it is.
fn handled(
    spec: &Spec,
    request: &Request,
    handler_headers: &[(String, Vec<u8>)],
) -> (Answer, Option<Reason>) {
    let mut headers: Vec<(String, Vec<u8>)> = handler_headers
        .iter()
        .filter(|(name, _)| compared(name))
        .cloned()
        .collect();
    add_actual_headers(spec, request, &mut headers);
    let answer = Answer {
        status: 200,
        handler_ran: true,
        headers,
    };
    let reason = (!allows_origin(spec, request)).then(|| origin_reason(request));
    (answer, reason)
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

/// Sections 4, 5 and 9 at a generated route.
fn route(
    policies: &[Spec],
    request: &Request,
    handler_headers: &[(String, Vec<u8>)],
) -> (Answer, Option<Reason>) {
    if is_preflight(request) {
        // Section 5: the policy of the handler that serves the requested method.
        if let Some(index) = asked_method(request).and_then(|m| serving(policies, m)) {
            return preflight(&policies[index], request, true);
        }
        // No handler serves it. Debug mode: the first policy in debug mode that
        // allows the origin answers, so that the browser names the method.
        if let Some(spec) = policies
            .iter()
            .find(|p| p.debug && allows_origin(p, request))
        {
            return preflight(spec, request, false);
        }
        // Else `403` with the `Vary` of a preflight at this path, as wide as
        // any of its policies makes it. The reason: the origin when no policy
        // allows it (section 5 checks the origin first), else the method.
        let reason = if policies.iter().any(|p| allows_origin(p, request)) {
            Reason::MethodNotServed(asked_method_name(request))
        } else {
            origin_reason(request)
        };
        let answer = Answer {
            status: 403,
            handler_ran: false,
            headers: vec![(
                "vary".into(),
                vary_of_preflight(policies.iter().any(|p| p.private_network)),
            )],
        };
        return (answer, Some(reason));
    }
    if let Some(index) = serving(policies, &request.method) {
        // Section 9: the policy of the handler that would run decides.
        if refuses_write(&policies[index], request) {
            return refused_write(&policies[index], request);
        }
        return handled(&policies[index], request, handler_headers);
    }
    // No handler: `204` to an `OPTIONS` (section 5), `405` to anything else, with
    // `Allow` and the path's CORS headers. The contract does not say whose: those
    // of the first policy of the path that allows the origin, and `Vary: Origin`
    // alone when none does. No handler runs, so section 9 has nothing to
    // protect: the `405` is answered whatever the policies' `csrf`.
    let status = if request.method == "OPTIONS" {
        204
    } else {
        405
    };
    let mut headers = vec![("allow".to_owned(), allow(policies))];
    let reason = match policies.iter().find(|p| allows_origin(p, request)) {
        Some(spec) => {
            add_actual_headers(spec, request, &mut headers);
            None
        }
        None => {
            headers.push(("vary".into(), b"Origin".to_vec()));
            Some(origin_reason(request))
        }
    };
    let answer = Answer {
        status,
        handler_ran: false,
        headers,
    };
    (answer, reason)
}

/// Sections 7 and 9: one policy for a whole application. The layer refuses a
/// cross-origin write before the application sees it, for every path.
fn layer(
    spec: &Spec,
    routed: bool,
    request: &Request,
    handler_headers: &[(String, Vec<u8>)],
) -> (Answer, Option<Reason>) {
    if is_preflight(request) {
        let serves = asked_method(request)
            .and_then(|m| serving(std::slice::from_ref(spec), m))
            .is_some();
        return preflight(spec, request, serves);
    }
    if refuses_write(spec, request) {
        return refused_write(spec, request);
    }
    if routed {
        return handled(spec, request, handler_headers);
    }
    let mut headers = Vec::new();
    add_actual_headers(spec, request, &mut headers);
    let answer = Answer {
        status: 404,
        handler_ran: false,
        headers,
    };
    let reason = (!allows_origin(spec, request)).then(|| origin_reason(request));
    (answer, reason)
}
