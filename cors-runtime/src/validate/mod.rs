//! Validation: every rule of contract section 3, in one validator that both
//! front ends call, the `#[cors]` attribute at compile time and
//! [`PolicyBuilder`] at run time.
//!
//! Rules about one value (is this an origin? a method?) are in `origin`, `host`
//! and `names`; `lists` holds the rules that relate several values (`*` with
//! credentials, duplicates, covered patterns, opt-ins) and assembles the
//! validated [`Policy`]. Every problem names its [`Location`], which the
//! attribute turns into a span and the builder into a key path.

mod builder;
#[cfg(feature = "serde")]
mod config;
mod host;
mod lists;
mod names;
mod origin;
mod suffix;
#[cfg(test)]
mod tests;

use std::fmt;

pub use builder::PolicyBuilder;
#[cfg(feature = "serde")]
pub use config::PolicyConfig;
pub use names::{
    FORBIDDEN_REQUEST_HEADERS, FORBIDDEN_REQUEST_PREFIXES, FORBIDDEN_RESPONSE_HEADERS,
    validate_exposed_header, validate_method, validate_request_header,
};
pub use origin::parse_origin;

use crate::Policy;

/// The largest `max_age` a policy accepts, in seconds (Firefox's cap).
pub const MAX_AGE_LIMIT: u64 = 86_400;

/// One argument of a policy, named as the attribute, the builder's setter and a
/// configuration file name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Key {
    /// `origins`
    Origins,
    /// `methods`
    Methods,
    /// `headers`
    Headers,
    /// `expose`
    Expose,
    /// `credentials`
    Credentials,
    /// `max_age`
    MaxAge,
    /// `private_network`
    PrivateNetwork,
    /// `csrf`
    Csrf,
    /// `dangerous_insecure_origins`
    DangerousInsecureOrigins,
    /// `dangerous_public_suffix_wildcards`
    DangerousPublicSuffixWildcards,
    /// `dangerous_any_extension_origin`
    DangerousAnyExtensionOrigin,
    /// `debug`
    Debug,
}

impl Key {
    /// Every key, in the order in which problems are reported.
    pub const ALL: [Key; 12] = [
        Key::Origins,
        Key::Methods,
        Key::Headers,
        Key::Expose,
        Key::Credentials,
        Key::MaxAge,
        Key::PrivateNetwork,
        Key::Csrf,
        Key::DangerousInsecureOrigins,
        Key::DangerousPublicSuffixWildcards,
        Key::DangerousAnyExtensionOrigin,
        Key::Debug,
    ];

    /// The key as written: `origins`, `max_age`, ...
    pub const fn name(self) -> &'static str {
        match self {
            Key::Origins => "origins",
            Key::Methods => "methods",
            Key::Headers => "headers",
            Key::Expose => "expose",
            Key::Credentials => "credentials",
            Key::MaxAge => "max_age",
            Key::PrivateNetwork => "private_network",
            Key::Csrf => "csrf",
            Key::DangerousInsecureOrigins => "dangerous_insecure_origins",
            Key::DangerousPublicSuffixWildcards => "dangerous_public_suffix_wildcards",
            Key::DangerousAnyExtensionOrigin => "dangerous_any_extension_origin",
            Key::Debug => "debug",
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where in a policy a [`Problem`] lies; the attribute turns it into a span, the
/// builder's message into a key path (`origins[2]`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Location {
    /// A required argument that is not there.
    Missing(Key),
    /// An argument's value as a whole (an empty list, a flag, `max_age`).
    Value(Key),
    /// One element of a list argument.
    Element(Key, usize),
    /// A key that is not an argument of a policy, as written in a
    /// configuration.
    Unknown(String),
}

impl Location {
    /// The argument this location is about, unless it is an unknown key.
    pub fn key(&self) -> Option<Key> {
        match self {
            Location::Missing(key) | Location::Value(key) | Location::Element(key, _) => Some(*key),
            Location::Unknown(_) => None,
        }
    }

    /// Problems are reported unknown keys first, then missing arguments, then
    /// in the order of [`Key::ALL`], a list before its elements.
    fn order(&self) -> (u8, Option<Key>, usize) {
        match self {
            Location::Unknown(_) => (0, None, 0),
            Location::Missing(key) => (1, Some(*key), 0),
            Location::Value(key) => (2, Some(*key), 0),
            Location::Element(key, index) => (2, Some(*key), index + 1),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Missing(key) | Location::Value(key) => write!(f, "{key}"),
            Location::Element(key, index) => write!(f, "{key}[{index}]"),
            Location::Unknown(key) => f.write_str(key),
        }
    }
}

/// Why one value is invalid, before it is placed in a policy: a message in
/// rustc's style (lowercase, no trailing period, code in backticks) and, where
/// one fix exists, a `help`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Invalid {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Invalid {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            help: None,
        }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn at(self, location: Location) -> Problem {
        Problem {
            location,
            message: self.message,
            help: self.help,
        }
    }
}

/// One reason why a policy is invalid.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Problem {
    /// What the problem is about.
    pub location: Location,
    /// The message, in rustc's style: lowercase, no trailing period.
    pub message: String,
    /// How to fix it, when there is one fix to suggest.
    pub help: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)?;
        if let Some(help) = &self.help {
            write!(f, "; help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem of a policy: what [`PolicyBuilder::build`] returns, and what the
/// attribute reports as compile errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    problems: Vec<Problem>,
}

impl PolicyError {
    pub(crate) fn new(problems: Vec<Problem>) -> Self {
        debug_assert!(!problems.is_empty());
        Self { problems }
    }

    /// The problems, in the order of the arguments (see [`Location`]).
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid CORS policy")?;
        for problem in &self.problems {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyError {}

/// A policy as its author wrote it, before validation: the neutral form of the
/// attribute's arguments, with `*` written as an element (`["*"]`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PolicySpec<'a> {
    /// Origins and patterns, or `["*"]`; `None` when not given.
    pub origins: Option<Vec<&'a str>>,
    /// Methods served by the handler; `None` when not given.
    pub methods: Option<Vec<&'a str>>,
    /// Allowed request headers, `"*"` among them for any.
    pub headers: Vec<&'a str>,
    /// Exposed response headers, or `["*"]`.
    pub expose: Vec<&'a str>,
    /// Whether credentialed requests are allowed.
    pub credentials: bool,
    /// Seconds a preflight may be cached.
    pub max_age: Option<u64>,
    /// Whether private network access is granted.
    pub private_network: bool,
    /// Whether cross-origin writes from origins the policy does not allow are
    /// refused: see [`PolicyBuilder::csrf`].
    pub csrf: bool,
    /// Opt-in: `http://` origins that are not loopback, with credentials.
    pub dangerous_insecure_origins: bool,
    /// Opt-in: subdomain and label patterns over a public suffix, with credentials.
    pub dangerous_public_suffix_wildcards: bool,
    /// Opt-in: a whole-scheme pattern (`moz-extension://*`), with credentials.
    pub dangerous_any_extension_origin: bool,
    /// Debug mode, for development only: see [`PolicyBuilder::debug`].
    pub debug: bool,
}

/// Checks every rule of the contract on `spec` and builds the policy, or returns
/// every problem found (not only the first), in the order of the arguments.
pub fn check(spec: &PolicySpec<'_>) -> Result<Policy, PolicyError> {
    let mut problems = Vec::new();
    let policy = lists::check(spec, &mut problems);
    problems.sort_by_key(|p| p.location.order());
    match policy {
        Some(policy) if problems.is_empty() => Ok(policy),
        _ => {
            debug_assert!(!problems.is_empty(), "no policy comes with a problem");
            Err(PolicyError { problems })
        }
    }
}

/// The key closest to `key` among the policy's keys and `extra`, when it is
/// close enough to be a typo: for the "did you mean" of an unknown key.
pub fn closest_key(key: &str, extra: &[&'static str]) -> Option<&'static str> {
    Key::ALL
        .iter()
        .map(|k| k.name())
        .chain(extra.iter().copied())
        .map(|k| (edit_distance(key, k), k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(2))
        .min()
        .map(|(_, k)| k)
}

/// The Levenshtein distance between `a` and `b`, in characters: the fewest
/// insertions, deletions and substitutions that turn one into the other. Its
/// cost is `a`'s length times `b`'s, and `b` is always a key name here, so a
/// long unknown key costs time linear in its length.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    // The distances from the prefix of `a` read so far to each prefix of `b`.
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The rule of `max_age`, worded once for the validator and for the attribute's
/// parser (which meets numbers too large for a `u64`).
pub fn max_age_too_large(seconds: impl fmt::Display) -> Invalid {
    Invalid::new(format!(
        "`max_age` of {seconds} seconds is more than 86400: browsers cap it (Chromium at 7200, Firefox at 86400, WebKit at 600)"
    ))
    .help("write at most `max_age = 7200`, which every browser honours up to its cap")
}
