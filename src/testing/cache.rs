//! The CORS-preflight cache: one entry per origin, URL, credentials mode and
//! method or header name, each living `Access-Control-Max-Age` seconds of a
//! clock that only the test moves.

use std::time::Duration;

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
pub(crate) enum HeaderMatch {
    No,
    ByName,
    /// By a `*` entry: for `authorization`, only by the engines' deviation.
    ByWildcard,
}

/// A browser's preflight cache.
#[derive(Clone, Debug, Default)]
pub(crate) struct Cache {
    entries: Vec<Entry>,
}

impl Cache {
    /// A method cache entry match: the method itself, or `*`.
    pub(crate) fn has_method(&self, key: Key<'_>, method: &str, now: Duration) -> bool {
        self.entries.iter().any(|entry| {
            entry.matches(key, now)
                && (entry.is_wildcard() || matches!(&entry.name, Name::Method(m) if m == method))
        })
    }

    /// A header-name cache entry match: the name (any case), or `*`.
    pub(crate) fn has_header(&self, key: Key<'_>, header: &str, now: Duration) -> HeaderMatch {
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
        self.entries.retain(|entry| now < entry.expires);
        if max_age == 0 {
            return;
        }
        let expires = now.saturating_add(Duration::from_secs(max_age));
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
        let mut cache = Cache::default();
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
        let mut cache = Cache::default();
        cache.store(KEY, &strings(&["PUT"]), &[], 0, Duration::ZERO);
        assert!(!cache.has_method(KEY, "PUT", Duration::ZERO));
    }

    #[test]
    fn the_key_is_origin_url_and_credentials() {
        let mut cache = Cache::default();
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
        let mut cache = Cache::default();
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
        let mut cache = Cache::default();
        cache.store(KEY, &strings(&["PUT"]), &[], 5, Duration::ZERO);
        cache.store(KEY, &strings(&["PUT"]), &[], 5, Duration::from_secs(4));
        assert!(cache.has_method(KEY, "PUT", Duration::from_secs(8)));
        assert_eq!(cache.entries.len(), 1);
    }
}
