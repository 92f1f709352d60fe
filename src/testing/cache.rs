//! The CORS-preflight cache, on a clock that only the test moves. Two shapes:
//!
//! - the standard's, which Firefox keeps: one entry per origin, URL,
//!   credentials mode and method or header name, each refreshed by the next
//!   preflight that lists it;
//! - Chromium's and WebKit's: one preflight result per origin and URL, which the
//!   next preflight to that URL replaces whole. A credentialed request cannot use
//!   a result of a preflight without credentials; a request without credentials
//!   can use one with. Where `*` counts, Chromium asks whether the stored result
//!   was credentialed, WebKit whether the request is.

use std::time::Duration;

use super::request::is_safelisted_method;

/// What a cache entry is keyed by, besides its method or header name.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Key<'a> {
    pub(crate) origin: &'a str,
    pub(crate) url: &'a str,
    pub(crate) credentials: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Name {
    Method(String),
    /// Lowercase.
    Header(String),
}

#[derive(Clone, Debug)]
struct Entry {
    origin: String,
    url: String,
    credentials: bool,
    name: Name,
    expires: Duration,
}

impl Entry {
    fn matches(&self, key: Key<'_>, now: Duration) -> bool {
        now < self.expires
            && self.origin == key.origin
            && self.url == key.url
            && self.credentials == key.credentials
    }

    /// A `*` entry is a wildcard only when it was stored without credentials.
    fn is_wildcard(&self) -> bool {
        !self.credentials && matches!(&self.name, Name::Method(m) | Name::Header(m) if m == "*")
    }
}

/// How a cached header name was covered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HeaderMatch {
    No,
    ByName,
    /// By a `*` entry: for `authorization`, only by the engines' deviation.
    ByWildcard,
}

/// One preflight's result, as Chromium and WebKit keep it.
#[derive(Clone, Debug)]
struct Result {
    origin: String,
    url: String,
    credentials: bool,
    methods: Vec<String>,
    /// Lowercase.
    headers: Vec<String>,
    expires: Duration,
}

/// Whose cache shape, and whose `*` rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// One entry per method and header name (the standard, Firefox).
    Entries,
    /// One result per URL; `*` counts when the stored result has no credentials.
    ChromiumResults,
    /// One result per URL; `*` counts when the request has no credentials.
    WebKitResults,
}

/// What the cache answers for a request that needs a preflight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// Send the preflight.
    Miss,
    /// Skip it; `authorization` may have been covered only by a `*`.
    Hit { authorization_by_wildcard: bool },
}

/// A browser's preflight cache.
#[derive(Clone, Debug)]
pub(crate) struct Cache {
    shape: Shape,
    entries: Vec<Entry>,
    results: Vec<Result>,
}

impl Cache {
    /// An empty cache of this shape.
    pub(crate) fn new(shape: Shape) -> Cache {
        Cache {
            shape,
            entries: Vec::new(),
            results: Vec::new(),
        }
    }

    /// Whether a request whose method or `unsafe_names` need a preflight can
    /// skip it.
    pub(crate) fn lookup(
        &self,
        key: Key<'_>,
        method: &str,
        unsafe_names: &[&str],
        now: Duration,
    ) -> Lookup {
        let mut authorization_by_wildcard = false;
        let hit = match self.shape {
            Shape::Entries => {
                let method_cached =
                    is_safelisted_method(method) || self.has_method(key, method, now);
                method_cached
                    && unsafe_names
                        .iter()
                        .all(|name| match self.has_header(key, name, now) {
                            HeaderMatch::No => false,
                            HeaderMatch::ByName => true,
                            HeaderMatch::ByWildcard => {
                                authorization_by_wildcard |= *name == "authorization";
                                true
                            }
                        })
            }
            Shape::ChromiumResults | Shape::WebKitResults => {
                let Some(result) = self.results.iter().find(|result| {
                    now < result.expires && result.origin == key.origin && result.url == key.url
                }) else {
                    return Lookup::Miss;
                };
                let wildcard = match self.shape {
                    Shape::ChromiumResults => !result.credentials,
                    _ => !key.credentials,
                };
                let method_allowed = is_safelisted_method(method)
                    || result.methods.iter().any(|m| m == method)
                    || (wildcard && result.methods.iter().any(|m| m == "*"));
                let any_header = wildcard && result.headers.iter().any(|h| h == "*");
                (!key.credentials || result.credentials)
                    && method_allowed
                    && unsafe_names.iter().all(|name| {
                        let listed = result.headers.iter().any(|h| h == name);
                        authorization_by_wildcard |=
                            !listed && any_header && *name == "authorization";
                        listed || any_header
                    })
            }
        };
        if hit {
            Lookup::Hit {
                authorization_by_wildcard,
            }
        } else {
            Lookup::Miss
        }
    }

    /// A method cache entry match: the method itself, or `*`.
    fn has_method(&self, key: Key<'_>, method: &str, now: Duration) -> bool {
        self.entries.iter().any(|entry| {
            entry.matches(key, now)
                && (entry.is_wildcard() || matches!(&entry.name, Name::Method(m) if m == method))
        })
    }

    /// A header-name cache entry match: the name (any case), or `*`.
    fn has_header(&self, key: Key<'_>, header: &str, now: Duration) -> HeaderMatch {
        let live = || {
            self.entries
                .iter()
                .filter(move |entry| entry.matches(key, now))
        };
        if live()
            .any(|entry| matches!(&entry.name, Name::Header(h) if h.eq_ignore_ascii_case(header)))
        {
            HeaderMatch::ByName
        } else if live().any(|entry| matches!(entry.name, Name::Header(_)) && entry.is_wildcard()) {
            HeaderMatch::ByWildcard
        } else {
            HeaderMatch::No
        }
    }

    /// Stores (or refreshes) one entry per method and header name of a
    /// successful preflight, for `max_age` seconds from `now`; `0` stores nothing.
    pub(crate) fn store(
        &mut self,
        key: Key<'_>,
        methods: &[String],
        headers: &[String],
        max_age: u64,
        now: Duration,
    ) {
        let expires = now.saturating_add(Duration::from_secs(max_age));
        if self.shape != Shape::Entries {
            // The new result replaces the URL's last one, even when it cannot be kept.
            self.results.retain(|result| {
                now < result.expires && (result.origin != key.origin || result.url != key.url)
            });
            if max_age > 0 {
                self.results.push(Result {
                    origin: key.origin.to_owned(),
                    url: key.url.to_owned(),
                    credentials: key.credentials,
                    methods: methods.to_vec(),
                    headers: headers.iter().map(|h| h.to_ascii_lowercase()).collect(),
                    expires,
                });
            }
            return;
        }
        self.entries.retain(|entry| now < entry.expires);
        if max_age == 0 {
            return;
        }
        let names = methods
            .iter()
            .map(|m| Name::Method(m.clone()))
            .chain(headers.iter().map(|h| Name::Header(h.to_ascii_lowercase())));
        for name in names {
            let existing = self.entries.iter_mut().find(|entry| {
                entry.origin == key.origin
                    && entry.url == key.url
                    && entry.credentials == key.credentials
                    && entry.name == name
            });
            match existing {
                Some(entry) => entry.expires = expires,
                None => self.entries.push(Entry {
                    origin: key.origin.to_owned(),
                    url: key.url.to_owned(),
                    credentials: key.credentials,
                    name,
                    expires,
                }),
            }
        }
    }

    /// Forgets every entry.
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.results.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: Key<'static> = Key {
        origin: "https://app.example.com",
        url: "https://api.example.com/items",
        credentials: false,
    };

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn an_entry_lives_max_age_seconds() {
        let mut cache = Cache::new(Shape::Entries);
        cache.store(
            KEY,
            &strings(&["PUT"]),
            &strings(&["X-A"]),
            600,
            Duration::ZERO,
        );
        let almost = Duration::from_secs(600) - Duration::from_millis(1);
        assert!(cache.has_method(KEY, "PUT", almost));
        assert_eq!(cache.has_header(KEY, "x-a", almost), HeaderMatch::ByName);
        assert!(!cache.has_method(KEY, "PUT", Duration::from_secs(600)));
        assert_eq!(
            cache.has_header(KEY, "x-a", Duration::from_secs(600)),
            HeaderMatch::No
        );
    }

    #[test]
    fn max_age_zero_caches_nothing() {
        let mut cache = Cache::new(Shape::Entries);
        cache.store(KEY, &strings(&["PUT"]), &[], 0, Duration::ZERO);
        assert!(!cache.has_method(KEY, "PUT", Duration::ZERO));
    }

    #[test]
    fn the_key_is_origin_url_and_credentials() {
        let mut cache = Cache::new(Shape::Entries);
        cache.store(KEY, &strings(&["PUT"]), &[], 600, Duration::ZERO);
        let other_origin = Key {
            origin: "https://b.test",
            ..KEY
        };
        let other_url = Key {
            url: "https://api.example.com/items/1",
            ..KEY
        };
        let credentialed = Key {
            credentials: true,
            ..KEY
        };
        for key in [other_origin, other_url, credentialed] {
            assert!(!cache.has_method(key, "PUT", Duration::ZERO), "{key:?}");
        }
        assert!(
            !cache.has_method(KEY, "put", Duration::ZERO),
            "methods are case-sensitive"
        );
    }

    #[test]
    fn a_wildcard_entry_covers_only_without_credentials() {
        let mut cache = Cache::new(Shape::Entries);
        cache.store(KEY, &strings(&["*"]), &strings(&["*"]), 600, Duration::ZERO);
        assert!(cache.has_method(KEY, "DELETE", Duration::ZERO));
        assert_eq!(
            cache.has_header(KEY, "x-b", Duration::ZERO),
            HeaderMatch::ByWildcard
        );
        let credentialed = Key {
            credentials: true,
            ..KEY
        };
        cache.store(
            credentialed,
            &strings(&["*"]),
            &strings(&["*"]),
            600,
            Duration::ZERO,
        );
        assert!(!cache.has_method(credentialed, "DELETE", Duration::ZERO));
        assert_eq!(
            cache.has_header(credentialed, "x-b", Duration::ZERO),
            HeaderMatch::No
        );
    }

    #[test]
    fn a_new_preflight_refreshes_an_entry() {
        let mut cache = Cache::new(Shape::Entries);
        cache.store(KEY, &strings(&["PUT"]), &[], 5, Duration::ZERO);
        cache.store(KEY, &strings(&["PUT"]), &[], 5, Duration::from_secs(4));
        assert!(cache.has_method(KEY, "PUT", Duration::from_secs(8)));
        assert_eq!(cache.entries.len(), 1);
    }
}
