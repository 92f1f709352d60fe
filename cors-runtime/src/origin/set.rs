//! The origins of one policy, as one set: what a request's `Origin` is looked
//! up in. Validation builds it ([`crate::validate`]); the policy holds it
//! ([`crate::policy::AllowOrigin::List`]).
//!
//! A short list is scanned, which is the fastest way through a handful of
//! entries. A longer one is indexed: every entry has a key (its kind, its
//! scheme, and the part of its host that a request must equal) in one
//! open-addressing hash table, and a request makes one probe per kind of entry
//! that the policy has, plus one per dot of its host for subdomain patterns. So
//! a lookup costs time in the length of the request's origin, whatever the
//! length of the list, and allocates nothing.
//!
//! The table is plain data (slots, and the entries' order grouped by key), so
//! the `#[cors]` attribute builds it at compile time and writes it out as
//! `static`s, and a run-time policy owns the same tables.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use super::{HostPattern, MAX_HOST, OriginPattern, PortPattern, split_authority};

/// Lists up to this long are scanned; longer ones are indexed.
pub(crate) const SCAN_LIMIT: usize = 8;

/// A lookup reads at most this many slots: construction re-seeds the hash
/// until every key is found within it.
const MAX_PROBE: u32 = 32;

/// The allowed origins and patterns of a policy, in the order written, with the
/// index that requests are looked up in.
///
/// It dereferences to the entries, as written:
///
/// ```
/// use static_cors_runtime::Policy;
/// use static_cors_runtime::policy::AllowOrigin;
///
/// let policy = Policy::builder()
///     .origins(["https://app.example.com", "https://*.example.org"])
///     .methods(["GET"])
///     .build()?;
/// let AllowOrigin::List(origins) = policy.origins() else { unreachable!() };
/// assert_eq!(origins.len(), 2);
/// assert_eq!(origins[1].as_str(), "https://*.example.org");
/// assert!(origins.allows(b"https://a.example.org"));
/// assert!(!origins.allows(b"https://example.org"));
/// # Ok::<(), static_cors_runtime::PolicyError>(())
/// ```
#[derive(Clone)]
pub struct OriginSet {
    pub(crate) patterns: Cow<'static, [OriginPattern]>,
    pub(crate) index: Option<Index>,
}

/// The hash index of a long list.
#[derive(Clone, Debug)]
pub(crate) struct Index {
    pub(crate) seed: u64,
    /// A power of two of slots, at most half of them full.
    pub(crate) slots: Cow<'static, [Slot]>,
    /// Indices into the patterns, those of one key next to each other.
    pub(crate) order: Cow<'static, [u32]>,
    /// The kinds present, one bit per [`Kind`].
    pub(crate) kinds: u8,
    /// The lengths of the domains of subdomain patterns, one bit per length.
    pub(crate) domain_lengths: [u64; 4],
}

/// One slot of the index: the hash of a key, and where its entries are in the
/// order. `end == 0` marks an empty slot.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Slot {
    /// The key's hash.
    pub hash: u64,
    /// The key's first entry in the order.
    pub start: u32,
    /// One past its last.
    pub end: u32,
}

/// What part of an origin an entry's key is, so that a request knows what to
/// look up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// A serialized origin; key: everything after `://`.
    Exact = 0,
    /// `host:*`; key: the host.
    AnyPort = 1,
    /// `*.domain`; key: the domain.
    Subdomains = 2,
    /// `prefix*suffix.domain`; key: the domain.
    Label = 3,
    /// `scheme://*`; key: nothing.
    Scheme = 4,
}

impl Kind {
    const fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// The key of an entry: what a request must equal to be one of its candidates.
fn key(pattern: &OriginPattern) -> (Kind, &str, &str) {
    let scheme = pattern.scheme.as_ref();
    match (&pattern.host, pattern.port) {
        (HostPattern::Exact(_), PortPattern::Default | PortPattern::Exact(_)) => {
            let authority = &pattern.text[scheme.len() + 3..];
            (Kind::Exact, scheme, authority)
        }
        (HostPattern::Exact(host), PortPattern::Any) => (Kind::AnyPort, scheme, host),
        (HostPattern::Subdomains(domain), _) => (Kind::Subdomains, scheme, domain),
        (HostPattern::Label { domain, .. }, _) => (Kind::Label, scheme, domain),
        (HostPattern::Any, _) => (Kind::Scheme, scheme, ""),
    }
}

const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

/// A fast keyed hash of bytes, eight at a time, the same on every platform (the
/// attribute computes it at compile time for the target).
fn hash_bytes(mut state: u64, bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        state = (state.rotate_left(5) ^ word).wrapping_mul(MULTIPLIER);
    }
    let mut tail = [0u8; 8];
    let rest = chunks.remainder();
    tail[..rest.len()].copy_from_slice(rest);
    let word = u64::from_le_bytes(tail) ^ ((bytes.len() as u64) << 56);
    state = (state.rotate_left(5) ^ word).wrapping_mul(MULTIPLIER);
    state ^ (state >> 31)
}

fn scheme_state(seed: u64, scheme: &[u8]) -> u64 {
    hash_bytes(seed, scheme)
}

fn key_hash(scheme_state: u64, kind: Kind, key: &[u8]) -> u64 {
    let hash = hash_bytes(scheme_state ^ (kind as u64 + 1), key);
    // Mix the high bits down: slots are chosen by the low ones.
    (hash ^ (hash >> 29)).wrapping_mul(MULTIPLIER) ^ (hash >> 32)
}

impl Index {
    /// Indexes `patterns`: a sort, then one insertion per key; O(n log n).
    fn build(patterns: &[OriginPattern]) -> Index {
        // Sorted by the key's hash under the first seed, then by the key, so
        // that the entries of one key lie together and most comparisons are
        // of two numbers.
        let hash = |pattern: &OriginPattern| {
            let (kind, scheme, key) = key(pattern);
            key_hash(
                scheme_state(MULTIPLIER, scheme.as_bytes()),
                kind,
                key.as_bytes(),
            )
        };
        let mut sorted: Vec<(u64, u32)> = (0..patterns.len())
            .map(|i| (hash(&patterns[i]), i as u32))
            .collect();
        sorted.sort_unstable_by(|(ha, a), (hb, b)| {
            ha.cmp(hb)
                .then_with(|| key(&patterns[*a as usize]).cmp(&key(&patterns[*b as usize])))
        });
        let order: Vec<u32> = sorted.into_iter().map(|(_, i)| i).collect();
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut start = 0;
        for end in 1..=order.len() {
            if end == order.len()
                || key(&patterns[order[end] as usize]) != key(&patterns[order[start] as usize])
            {
                groups.push((start, end));
                start = end;
            }
        }
        let mut kinds = 0;
        let mut domain_lengths = [0u64; 4];
        for pattern in patterns {
            let (kind, _, key) = key(pattern);
            kinds |= kind.bit();
            if kind == Kind::Subdomains && key.len() <= MAX_HOST {
                domain_lengths[key.len() / 64] |= 1 << (key.len() % 64);
            }
        }
        let mut capacity = (groups.len() * 2).next_power_of_two().max(8);
        let mut seed = MULTIPLIER;
        for attempt in 1.. {
            if let Some(slots) = Self::fill(patterns, &order, &groups, seed, capacity) {
                return Index {
                    seed,
                    slots: Cow::Owned(slots),
                    order: Cow::Owned(order),
                    kinds,
                    domain_lengths,
                };
            }
            // A cluster longer than a lookup may read: another seed, and
            // after every few, more room.
            seed = seed.rotate_left(17).wrapping_add(MULTIPLIER);
            if attempt % 4 == 0 {
                capacity *= 2;
            }
        }
        unreachable!("a table with room enough for every key in its own slot fits")
    }

    /// The slots of the groups under `seed`, or `None` when one key would lie
    /// further than [`MAX_PROBE`] from its home slot.
    fn fill(
        patterns: &[OriginPattern],
        order: &[u32],
        groups: &[(usize, usize)],
        seed: u64,
        capacity: usize,
    ) -> Option<Vec<Slot>> {
        let mut slots = vec![Slot::default(); capacity];
        let mask = capacity - 1;
        for &(start, end) in groups {
            let (kind, scheme, key) = key(&patterns[order[start] as usize]);
            let hash = key_hash(scheme_state(seed, scheme.as_bytes()), kind, key.as_bytes());
            let mut at = hash as usize & mask;
            let mut probes = 0;
            while slots[at].end != 0 {
                probes += 1;
                if probes >= MAX_PROBE {
                    return None;
                }
                at = (at + 1) & mask;
            }
            slots[at] = Slot {
                hash,
                start: start as u32,
                end: end as u32,
            };
        }
        Some(slots)
    }

    fn has(&self, kind: Kind) -> bool {
        self.kinds & kind.bit() != 0
    }

    /// Whether a subdomain pattern's domain is `length` bytes long.
    fn has_domain_length(&self, length: usize) -> bool {
        length <= MAX_HOST && self.domain_lengths[length / 64] & (1 << (length % 64)) != 0
    }

    /// The entries whose key is `(kind, scheme, key)`, as indices into the
    /// patterns; empty when there are none. At most [`MAX_PROBE`] slots read.
    fn group<'a>(
        &'a self,
        patterns: &[OriginPattern],
        scheme_state: u64,
        kind: Kind,
        scheme: &[u8],
        key: &[u8],
    ) -> &'a [u32] {
        let hash = key_hash(scheme_state, kind, key);
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        for _ in 0..MAX_PROBE {
            let slot = self.slots[at];
            if slot.end == 0 {
                break;
            }
            if slot.hash == hash {
                let group = &self.order[slot.start as usize..slot.end as usize];
                let (k, s, h) = self::key(&patterns[group[0] as usize]);
                if k == kind && s.as_bytes() == scheme && h.as_bytes() == key {
                    return group;
                }
            }
            at = (at + 1) & mask;
        }
        &[]
    }

    /// The first of `patterns`, in the index's order, that allows `origin`.
    fn matching<'p>(
        &self,
        patterns: &'p [OriginPattern],
        origin: &[u8],
    ) -> Option<&'p OriginPattern> {
        let any = |group: &[u32]| {
            group
                .iter()
                .map(|&i| &patterns[i as usize])
                .find(|p| p.matches(origin))
        };
        // A scheme never holds `:`; what follows must be `//`.
        let colon = origin.iter().position(|&b| b == b':')?;
        let (scheme, rest) = (&origin[..colon], &origin[colon + 1..]);
        let authority = rest.strip_prefix(b"//")?;
        let state = scheme_state(self.seed, scheme);
        let lookup = |kind, key: &[u8]| self.group(patterns, state, kind, scheme, key);
        if self.has(Kind::Exact)
            && let Some(found) = any(lookup(Kind::Exact, authority))
        {
            return Some(found);
        }
        if self.has(Kind::Scheme)
            && let Some(found) = any(lookup(Kind::Scheme, b""))
        {
            return Some(found);
        }
        let (host, _) = split_authority(authority);
        if self.has(Kind::AnyPort)
            && let Some(found) = any(lookup(Kind::AnyPort, host))
        {
            return Some(found);
        }
        if host.len() > MAX_HOST {
            return None;
        }
        if self.has(Kind::Label)
            && let Some(dot) = host.iter().position(|&b| b == b'.')
            && let Some(found) = any(lookup(Kind::Label, &host[dot + 1..]))
        {
            return Some(found);
        }
        if self.has(Kind::Subdomains) {
            for (at, _) in host.iter().enumerate().filter(|(_, b)| **b == b'.') {
                let domain = &host[at + 1..];
                if self.has_domain_length(domain.len())
                    && let Some(found) = any(lookup(Kind::Subdomains, domain))
                {
                    return Some(found);
                }
            }
        }
        None
    }
}

impl OriginSet {
    /// The set of `patterns` (validated, none repeated), indexed when the list
    /// is long.
    pub(crate) fn new(patterns: Vec<OriginPattern>) -> Self {
        let index = (patterns.len() > SCAN_LIMIT).then(|| Index::build(&patterns));
        Self {
            patterns: Cow::Owned(patterns),
            index,
        }
    }

    /// The entries, in the order written.
    pub fn patterns(&self) -> &[OriginPattern] {
        &self.patterns
    }

    /// Whether the request origin `origin` (the bytes of an `Origin` header)
    /// is allowed by one of the entries. Costs time in `origin.len()`, whatever
    /// the number of entries, and never allocates.
    #[inline]
    pub fn allows(&self, origin: &[u8]) -> bool {
        self.matching(origin).is_some()
    }

    /// The entry that allows the request origin `origin`, if one does: at the
    /// same cost as [`OriginSet::allows`].
    #[inline]
    pub fn matching(&self, origin: &[u8]) -> Option<&OriginPattern> {
        match &self.index {
            None => self.patterns.iter().find(|p| p.matches(origin)),
            Some(index) => index.matching(&self.patterns, origin),
        }
    }

    /// An entry other than `narrow` that allows every origin `narrow` allows,
    /// found among the few entries whose key `narrow` could fall under: no
    /// comparison with every other entry.
    pub(crate) fn covering<'a>(&'a self, narrow: &'a OriginPattern) -> Option<&'a OriginPattern> {
        let Some(index) = &self.index else {
            return self
                .patterns
                .iter()
                .find(|wide| wide.text != narrow.text && wide.covers(narrow));
        };
        let scheme = narrow.scheme.as_bytes();
        let state = scheme_state(index.seed, scheme);
        let patterns = &self.patterns;
        let find = |kind, key: &str| {
            if !index.has(kind) || (kind == Kind::Subdomains && !index.has_domain_length(key.len()))
            {
                return None;
            }
            index
                .group(patterns, state, kind, scheme, key.as_bytes())
                .iter()
                .map(|&i| &patterns[i as usize])
                .find(|wide| wide.text != narrow.text && wide.covers(narrow))
        };
        // The names that `name` is a subdomain of: what follows each of its dots.
        let parents = |name: &'a str| name.match_indices('.').map(move |(at, _)| &name[at + 1..]);
        let mut found = find(Kind::Scheme, "");
        match &narrow.host {
            HostPattern::Exact(host) => {
                found = found
                    .or_else(|| find(Kind::AnyPort, host))
                    .or_else(|| {
                        parents(host)
                            .next()
                            .and_then(|domain| find(Kind::Label, domain))
                    })
                    .or_else(|| parents(host).find_map(|domain| find(Kind::Subdomains, domain)));
            }
            HostPattern::Subdomains(domain) => {
                found = found
                    .or_else(|| find(Kind::Subdomains, domain))
                    .or_else(|| parents(domain).find_map(|parent| find(Kind::Subdomains, parent)));
            }
            HostPattern::Label { domain, .. } => {
                found = found
                    .or_else(|| find(Kind::Label, domain))
                    .or_else(|| find(Kind::Subdomains, domain))
                    .or_else(|| parents(domain).find_map(|parent| find(Kind::Subdomains, parent)));
            }
            HostPattern::Any => {}
        }
        found
    }
}

impl Deref for OriginSet {
    type Target = [OriginPattern];

    fn deref(&self) -> &[OriginPattern] {
        &self.patterns
    }
}

impl PartialEq for OriginSet {
    /// Two sets are equal when they list the same entries in the same order;
    /// the index follows from them.
    fn eq(&self, other: &Self) -> bool {
        self.patterns == other.patterns
    }
}

impl Eq for OriginSet {}

impl fmt::Debug for OriginSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.patterns.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::parse_origin;

    fn set(texts: &[&str]) -> OriginSet {
        OriginSet::new(texts.iter().map(|t| parse_origin(t).unwrap()).collect())
    }

    /// Enough exact origins to be indexed, beside the entries under test.
    fn indexed(extra: &[&str]) -> OriginSet {
        let mut texts: Vec<String> = (0..40)
            .map(|i| format!("https://tenant{i}.customer{i}.com"))
            .collect();
        texts.extend(extra.iter().map(|t| t.to_string()));
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let set = set(&refs);
        assert!(set.index.is_some());
        set
    }

    /// The index answers exactly what a scan of every entry answers.
    #[test]
    fn the_index_answers_as_the_scan() {
        let entries = [
            "https://app.example.com",
            "https://app.example.com:8443",
            "http://localhost:*",
            "http://[::1]:*",
            "https://*.example.org",
            "https://*.example.org:*",
            "https://*.deep.example.net:9000",
            "https://pr-*.preview.example.com",
            "https://*-staging.example.com:*",
            "chrome-extension://abcdefghijklmnop",
            "safari-web-extension://140BB581-A2C0-422A-9DD3-6982A5ABEE5E",
            "moz-extension://*",
            "capacitor://localhost",
        ];
        let set = indexed(&entries);
        let scan = |origin: &[u8]| set.patterns.iter().any(|p| p.matches(origin));
        let origins = [
            "https://tenant7.customer7.com",
            "https://tenant7.customer8.com",
            "https://app.example.com",
            "https://app.example.com:8443",
            "https://app.example.com:443",
            "https://APP.example.com",
            "http://localhost",
            "http://localhost:5173",
            "http://localhost:80",
            "http://a.localhost:5173",
            "http://[::1]:3000",
            "https://a.example.org",
            "https://a.b.example.org:8443",
            "https://example.org",
            "https://.example.org",
            "https://a..example.org",
            "https://x.deep.example.net:9000",
            "https://x.deep.example.net",
            "https://pr-1.preview.example.com",
            "https://pr-.preview.example.com",
            "https://a.pr-1.preview.example.com",
            "https://eu-staging.example.com:4000",
            "https://-staging.example.com",
            "chrome-extension://abcdefghijklmnop",
            "chrome-extension://ABCDEFGHIJKLMNOP",
            "safari-web-extension://140BB581-A2C0-422A-9DD3-6982A5ABEE5E",
            "safari-web-extension://140bb581-a2c0-422a-9dd3-6982a5abee5e",
            "moz-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10",
            "moz-extension://",
            "moz-extension://a/b",
            "capacitor://localhost",
            "capacitor://LOCALHOST",
            "",
            "null",
            "https:",
            "https:/",
            "https://",
            "://a.com",
            ":",
        ];
        for origin in origins {
            assert_eq!(
                set.allows(origin.as_bytes()),
                scan(origin.as_bytes()),
                "{origin}"
            );
        }
        // A host longer than a host name matches no pattern, scanned or indexed.
        let long = format!("https://{}.example.org", "a.".repeat(200));
        assert!(!set.allows(long.as_bytes()));
        assert!(!scan(long.as_bytes()));
    }

    #[test]
    fn covered_entries_are_found_through_the_index() {
        let set = indexed(&[
            "https://*.example.org:*",
            "https://a.b.example.org",
            "https://pr-*.example.org",
            "http://localhost:*",
            "http://localhost:3000",
            "moz-extension://*",
            "moz-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10",
            "https://pr-*.example.net",
            "https://pr-1*.example.net",
            "https://a.example.com",
        ]);
        let covering = |text: &str| {
            let pattern = parse_origin(text).unwrap();
            set.covering(&pattern).map(|p| p.as_str().to_owned())
        };
        assert_eq!(
            covering("https://a.b.example.org").as_deref(),
            Some("https://*.example.org:*")
        );
        assert_eq!(
            covering("https://pr-*.example.org").as_deref(),
            Some("https://*.example.org:*")
        );
        assert_eq!(
            covering("http://localhost:3000").as_deref(),
            Some("http://localhost:*")
        );
        assert_eq!(
            covering("moz-extension://4d3c6a0e-2a47-4d8b-9c52-6c1b1f2b7a10").as_deref(),
            Some("moz-extension://*")
        );
        assert_eq!(
            covering("https://pr-1*.example.net").as_deref(),
            Some("https://pr-*.example.net")
        );
        assert_eq!(covering("https://pr-*.example.net"), None);
        assert_eq!(covering("https://a.example.com"), None);
        assert_eq!(covering("https://*.example.org:*"), None);
    }

    #[test]
    fn a_table_of_many_keys_keeps_every_lookup_short() {
        let texts: Vec<String> = (0..20_000)
            .map(|i| format!("https://tenant{i}.customer-domain{i}.com"))
            .collect();
        let set = OriginSet::new(texts.iter().map(|t| parse_origin(t).unwrap()).collect());
        let index = set.index.as_ref().unwrap();
        assert!(index.slots.len() >= 2 * texts.len());
        for text in &texts {
            assert!(set.allows(text.as_bytes()), "{text}");
        }
        assert!(!set.allows(b"https://tenant1.customer-domain2.com"));
    }
}
