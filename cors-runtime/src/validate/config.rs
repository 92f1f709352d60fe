//! [`PolicyConfig`]: a policy as a configuration file or the environment gives
//! it (feature `serde`), checked by the one validator with every problem at its
//! key path.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{Invalid, Key, Location, PolicyError, PolicySpec, Problem, check, closest_key};
use crate::Policy;

/// A policy read from configuration, with the attribute's keys: `origins` (a
/// list, or `"*"`), `methods`, `headers`, `expose`, `credentials`, `max_age`,
/// `private_network`, `csrf`, `debug` and the `dangerous_*` opt-ins.
///
/// It deserializes from any serde format (TOML, YAML, JSON, environment
/// variables through a serde loader) and accepts whatever it is given:
/// [`Policy::try_from`] then reports **every** problem, each at its key path
/// (`origins[2]`), unknown keys with the closest known one, and values of the
/// wrong type, beside the policy's own rules. A value may also be a string, as
/// environment variables give it: a list as comma-separated items, a flag as
/// `true` or `false`, `max_age` as digits.
///
/// ```
/// use static_cors_runtime::{Policy, PolicyConfig};
///
/// let config: PolicyConfig = serde_json::from_str(r#"{
///     "origins": ["https://app.example.com", "https://a.com/"],
///     "methods": ["GET", "POST"],
///     "credentails": true
/// }"#)?;
/// let error = Policy::try_from(config).unwrap_err();
/// assert_eq!(error.to_string(), "invalid CORS policy
///   - credentails: unknown key `credentails`; help: did you mean `credentials`?
///   - origins[1]: invalid origin `https://a.com/`: an origin has no path; help: write `https://a.com`");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyConfig {
    entries: Vec<(String, Loose)>,
}

/// A value as a self-describing format gave it, before its type is checked.
#[derive(Clone, Debug, PartialEq)]
enum Loose {
    Str(String),
    Bool(bool),
    Int(i128),
    Float(f64),
    List(Vec<Loose>),
    Table,
    Null,
}

impl Loose {
    /// What the value is, for a message: "a string", "an integer", ...
    fn kind(&self) -> &'static str {
        match self {
            Loose::Str(_) => "a string",
            Loose::Bool(_) => "a boolean",
            Loose::Int(_) => "an integer",
            Loose::Float(_) => "a floating-point number",
            Loose::List(_) => "a list",
            Loose::Table => "a table",
            Loose::Null => "nothing",
        }
    }
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Loose, E> {
        Ok(Loose::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Loose, E> {
        Ok(Loose::Int(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Loose, E> {
        Ok(Loose::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Loose, E> {
        Ok(Loose::Int(v.into()))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Loose, E> {
        Ok(Loose::Int(i128::try_from(v).unwrap_or(i128::MAX)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Loose, E> {
        Ok(Loose::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Loose, E> {
        Ok(Loose::Str(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Loose, E> {
        Ok(Loose::Str(v))
    }

    fn visit_none<E>(self) -> Result<Loose, E> {
        Ok(Loose::Null)
    }

    fn visit_unit<E>(self) -> Result<Loose, E> {
        Ok(Loose::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Loose, D::Error> {
        Loose::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Loose::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Loose::Table)
    }
}

impl<'de> Deserialize<'de> for PolicyConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ConfigVisitor;

        impl<'de> Visitor<'de> for ConfigVisitor {
            type Value = PolicyConfig;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a CORS policy: a table of keys such as `origins` and `methods`")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PolicyConfig, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Loose>()? {
                    entries.push(entry);
                }
                Ok(PolicyConfig { entries })
            }
        }

        deserializer.deserialize_map(ConfigVisitor)
    }
}

/// The strings of one list key, each with its index as written, or the
/// problems of its elements.
fn list<'a>(key: Key, value: &'a Loose, problems: &mut Vec<Problem>) -> Vec<(usize, &'a str)> {
    match value {
        Loose::Str(text) if text.trim() == "*" => vec![(0, "*")],
        // A string, as environment variables give a list: comma-separated.
        Loose::Str(text) => text
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .enumerate()
            .collect(),
        Loose::List(items) => items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| match item {
                Loose::Str(text) => Some((index, text.as_str())),
                other => {
                    let message =
                        format!("`{key}[{index}]` must be a string, not {}", other.kind());
                    problems.push(Invalid::new(message).at(Location::Element(key, index)));
                    None
                }
            })
            .collect(),
        other => {
            let message = format!("`{key}` must be a list of strings, not {}", other.kind());
            problems.push(Invalid::new(message).at(Location::Value(key)));
            Vec::new()
        }
    }
}

/// Where each list's strings were written, to report the validator's
/// problems at the index the author sees.
#[derive(Default)]
struct Written(Vec<(Key, Vec<usize>)>);

impl Written {
    fn keep<'a>(&mut self, key: Key, items: Vec<(usize, &'a str)>) -> Vec<&'a str> {
        let (indices, texts) = items.into_iter().unzip();
        self.0.push((key, indices));
        texts
    }

    fn place(&self, location: Location) -> Location {
        match location {
            Location::Element(key, index) => {
                let written = self.0.iter().rev().find(|(k, _)| *k == key);
                let at = written.and_then(|(_, indices)| indices.get(index).copied());
                Location::Element(key, at.unwrap_or(index))
            }
            other => other,
        }
    }
}

/// A flag's value, or its problem.
fn flag(key: Key, value: &Loose, problems: &mut Vec<Problem>) -> bool {
    match value {
        Loose::Bool(on) => *on,
        Loose::Str(text) if text.trim() == "true" => true,
        Loose::Str(text) if text.trim() == "false" => false,
        other => {
            let message = format!("`{key}` must be `true` or `false`, not {}", other.kind());
            problems.push(Invalid::new(message).at(Location::Value(key)));
            false
        }
    }
}

/// `max_age`'s value, or its problem.
fn seconds(value: &Loose, problems: &mut Vec<Problem>) -> Option<u64> {
    let number = match value {
        Loose::Int(n) => Some(*n),
        Loose::Str(text) => text.trim().parse::<i128>().ok(),
        _ => None,
    };
    match number.map(u64::try_from) {
        Some(Ok(seconds)) => Some(seconds),
        Some(Err(_)) if number.is_some_and(|n| n > 0) => Some(u64::MAX),
        _ => {
            let message = format!(
                "`max_age` must be a whole number of seconds, not {}",
                match value {
                    Loose::Int(_) => "a negative number",
                    other => other.kind(),
                }
            );
            problems.push(
                Invalid::new(message)
                    .help("write `max_age = 600`")
                    .at(Location::Value(Key::MaxAge)),
            );
            None
        }
    }
}

impl PolicyConfig {
    /// Reads the entries into a spec; problems of type and unknown keys go to
    /// `problems`. A key given twice keeps its last value.
    fn spec(&self, problems: &mut Vec<Problem>, written: &mut Written) -> PolicySpec<'_> {
        let mut spec = PolicySpec::default();
        for (name, value) in &self.entries {
            let Some(key) = Key::ALL.into_iter().find(|k| k.name() == name) else {
                let mut problem = Invalid::new(format!("unknown key `{name}`"));
                if let Some(known) = closest_key(name, &[]) {
                    problem = problem.help(format!("did you mean `{known}`?"));
                }
                problems.push(problem.at(Location::Unknown(name.clone())));
                continue;
            };
            match key {
                Key::Origins => spec.origins = Some(written.keep(key, list(key, value, problems))),
                Key::Methods => spec.methods = Some(written.keep(key, list(key, value, problems))),
                Key::Headers => spec.headers = written.keep(key, list(key, value, problems)),
                Key::Expose => spec.expose = written.keep(key, list(key, value, problems)),
                Key::MaxAge => spec.max_age = seconds(value, problems),
                Key::Credentials => spec.credentials = flag(key, value, problems),
                Key::PrivateNetwork => spec.private_network = flag(key, value, problems),
                Key::DangerousInsecureOrigins => {
                    spec.dangerous_insecure_origins = flag(key, value, problems);
                }
                Key::DangerousPublicSuffixWildcards => {
                    spec.dangerous_public_suffix_wildcards = flag(key, value, problems);
                }
                Key::DangerousAnyExtensionOrigin => {
                    spec.dangerous_any_extension_origin = flag(key, value, problems);
                }
                Key::Debug => spec.debug = flag(key, value, problems),
                Key::Csrf => spec.csrf = flag(key, value, problems),
            }
        }
        spec
    }
}

impl TryFrom<&PolicyConfig> for Policy {
    type Error = PolicyError;

    /// Validates the configuration with the rules of the `#[cors]` attribute,
    /// and reports every problem, type errors and unknown keys included.
    fn try_from(config: &PolicyConfig) -> Result<Policy, PolicyError> {
        let mut problems = Vec::new();
        let mut written = Written::default();
        let spec = config.spec(&mut problems, &mut written);
        // A key whose value had the wrong type is not also reported missing.
        let wrong: Vec<Key> = problems.iter().filter_map(|p| p.location.key()).collect();
        match check(&spec) {
            Ok(policy) if problems.is_empty() => Ok(policy),
            Ok(_) => {
                problems.sort_by_key(|p| p.location.order());
                Err(PolicyError::new(problems))
            }
            Err(error) => {
                problems.extend(
                    error
                        .problems
                        .into_iter()
                        .filter(|p| {
                            !matches!(&p.location, Location::Missing(k) | Location::Value(k) if wrong.contains(k))
                        })
                        .map(|mut p| {
                            p.location = written.place(p.location);
                            p
                        }),
                );
                problems.sort_by_key(|p| p.location.order());
                Err(PolicyError::new(problems))
            }
        }
    }
}

impl TryFrom<PolicyConfig> for Policy {
    type Error = PolicyError;

    /// See `TryFrom<&PolicyConfig>`.
    fn try_from(config: PolicyConfig) -> Result<Policy, PolicyError> {
        Policy::try_from(&config)
    }
}
