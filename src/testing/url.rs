//! Origins and URLs, as far as `fetch()` needs them: which origin a URL has, how
//! it is serialized, and what goes on the request line and in `Host`.

/// An origin: opaque (serialized `null`), or a scheme, host and port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    Opaque,
    Tuple {
        scheme: String,
        host: String,
        port: u16,
    },
}

impl Origin {
    /// The serialization that `Origin` carries: `null`, or
    /// `scheme://host[:port]` with the default port left out.
    pub(crate) fn serialize(&self) -> String {
        match self {
            Origin::Opaque => "null".to_owned(),
            Origin::Tuple { scheme, host, port } => {
                if default_port(scheme) == *port {
                    format!("{scheme}://{host}")
                } else {
                    format!("{scheme}://{host}:{port}")
                }
            }
        }
    }

    /// `Sec-Fetch-Site` for a request from this origin to `target`.
    pub(crate) fn site(&self, target: &Origin) -> &'static str {
        match (self, target) {
            _ if self == target => "same-origin",
            (
                Origin::Tuple { scheme, host, .. },
                Origin::Tuple {
                    scheme: to_scheme,
                    host: to_host,
                    ..
                },
            ) if scheme == to_scheme && host == to_host => "same-site",
            _ => "cross-site",
        }
    }
}

/// An `http` or `https` URL, parsed.
#[derive(Clone, Debug)]
pub(crate) struct Url {
    pub(crate) origin: Origin,
    /// The URL without its fragment, host lowercase, default port left out.
    pub(crate) serialized: String,
    /// What `Host` carries.
    pub(crate) authority: String,
    /// The request target: path and query.
    pub(crate) target: http::uri::PathAndQuery,
}

fn default_port(scheme: &str) -> u16 {
    if scheme == "https" { 443 } else { 80 }
}

/// Parses an absolute `http`/`https` URL; an error is why `fetch()` throws.
pub(crate) fn parse_url(url: &str) -> Result<Url, String> {
    let invalid = |why: &str| format!("`{url}` is not a URL that `fetch()` accepts: {why}");
    let url_without_fragment = url.split('#').next().unwrap_or_default();
    let (scheme, rest) = url_without_fragment
        .split_once("://")
        .ok_or_else(|| invalid("it is not absolute"))?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(invalid("only `http` and `https` are modelled"));
    }
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    if authority.contains('@') {
        return Err(invalid("a URL with credentials is refused"));
    }
    let (host, port) =
        split_host_port(authority).ok_or_else(|| invalid("its host or port is invalid"))?;
    let port = port.unwrap_or_else(|| default_port(&scheme));
    let path = match path {
        "" => "/".to_owned(),
        p if p.starts_with('?') => format!("/{p}"),
        p => p.to_owned(),
    };
    let target = http::uri::PathAndQuery::try_from(path.as_str())
        .map_err(|_| invalid("its path is not valid on a request line"))?;
    let origin = Origin::Tuple {
        scheme: scheme.clone(),
        host: host.clone(),
        port,
    };
    let serialized_origin = origin.serialize();
    let authority = serialized_origin[scheme.len() + 3..].to_owned();
    Ok(Url {
        serialized: format!("{serialized_origin}{target}"),
        origin,
        authority,
        target,
    })
}

/// A page origin: `null`, an origin, or a page URL whose origin is taken.
pub(crate) fn parse_origin(origin: &str) -> Result<Origin, String> {
    if origin == "null" {
        return Ok(Origin::Opaque);
    }
    parse_url(origin).map(|url| url.origin).map_err(|_| {
        format!("`{origin}` is not a page origin: write `null` or `scheme://host[:port]`")
    })
}

/// A lowercase host, and the port if one is written.
fn split_host_port(authority: &str) -> Option<(String, Option<u16>)> {
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let close = bracketed.find(']')?;
        let after = &bracketed[close + 1..];
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (&authority[..close + 2], port)
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let valid_host = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._[]:".contains(&b));
    if !valid_host {
        return None;
    }
    let port = match port {
        None | Some("") => None,
        Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => Some(digits.parse().ok()?),
        Some(_) => return None,
    };
    Some((host.to_ascii_lowercase(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_serialize_without_default_ports() {
        for (page, serialized) in [
            ("https://app.example.com", "https://app.example.com"),
            ("HTTPS://App.Example.com:443", "https://app.example.com"),
            ("http://localhost:5173", "http://localhost:5173"),
            ("http://x.test:80/page?q#f", "http://x.test"),
            ("https://[::1]:8443", "https://[::1]:8443"),
            ("null", "null"),
        ] {
            assert_eq!(
                parse_origin(page).unwrap().serialize(),
                serialized,
                "{page}"
            );
        }
    }

    #[test]
    fn urls_keep_path_and_query_and_lose_their_fragment() {
        let url = parse_url("https://API.example.com:443/items/1?x=1#top").unwrap();
        assert_eq!(url.serialized, "https://api.example.com/items/1?x=1");
        assert_eq!(url.authority, "api.example.com");
        assert_eq!(url.target.as_str(), "/items/1?x=1");
        let url = parse_url("http://127.0.0.1:3000").unwrap();
        assert_eq!(url.target.as_str(), "/");
        assert_eq!(url.authority, "127.0.0.1:3000");
    }

    #[test]
    fn urls_that_fetch_refuses_are_errors() {
        for url in [
            "/items",
            "ftp://x.test/",
            "https://user:pw@x.test/",
            "https://x.test:99999/",
            "https://x.test:8a/",
            "https:///path",
            "https://x y.test/",
        ] {
            assert!(parse_url(url).is_err(), "{url}");
        }
    }

    #[test]
    fn sec_fetch_site_compares_origins_then_scheme_and_host() {
        let a = parse_origin("https://a.test").unwrap();
        let a_port = parse_origin("https://a.test:8443").unwrap();
        let b = parse_origin("https://b.test").unwrap();
        assert_eq!(a.site(&a), "same-origin");
        assert_eq!(a.site(&a_port), "same-site");
        assert_eq!(a.site(&b), "cross-site");
        assert_eq!(Origin::Opaque.site(&a), "cross-site");
    }
}
