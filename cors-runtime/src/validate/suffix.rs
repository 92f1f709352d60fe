//! The Public Suffix List, as data: `data/public_suffix_list.dat` (Mozilla
//! Public License 2.0, as published at publicsuffix.org; both its ICANN and its
//! private sections), parsed once, when a policy first needs it.
//!
//! Only validation asks it (is `*.github.io` a wildcard over a public
//! suffix?), never a request. Kept as data rather than compiled into code: the
//! list compiled as a `match` costs seconds of every clean build and megabytes of
//! every debug binary, for a question that a policy asks once.
//!
//! `scripts/update-public-suffix-list.sh` replaces the file with the newest list.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::host::punycode_labels;

const LIST: &str = include_str!("../../data/public_suffix_list.dat");

/// The section of the list a rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Section {
    /// Between `===BEGIN ICANN DOMAINS===` and `===END ICANN DOMAINS===`: the
    /// top-level domains and the registries under them (`com`, `co.uk`).
    Icann,
    /// The names that companies open to their users (`github.io`, `vercel.app`).
    Private,
}

/// The rules of the list, every name in its ASCII (punycode) form, with the
/// section it comes from.
struct Rules {
    /// `name`: `name` is a public suffix.
    exact: HashMap<String, Section>,
    /// `*.name`: every label directly under `name` is a public suffix.
    wildcard: HashMap<String, Section>,
    /// `!name`: `name` is not one, whatever a wildcard says.
    exception: HashSet<String>,
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| parse(LIST))
}

fn parse(list: &str) -> Rules {
    let mut rules = Rules {
        exact: HashMap::new(),
        wildcard: HashMap::new(),
        exception: HashSet::new(),
    };
    let mut section = Section::Private;
    for line in list.lines() {
        if line.contains("===BEGIN ICANN DOMAINS===") {
            section = Section::Icann;
        } else if line.contains("===END ICANN DOMAINS===") {
            section = Section::Private;
        }
        // A rule is the first word of a line; comments start with `//`.
        let Some(rule) = line.split_whitespace().next() else {
            continue;
        };
        if rule.starts_with("//") {
            continue;
        }
        let name = rule.trim_start_matches('!').trim_start_matches("*.");
        let ascii = if name.is_ascii() {
            Some(name.to_ascii_lowercase())
        } else {
            punycode_labels(name)
        };
        // A name the encoder cannot write is one no ASCII origin can name.
        let Some(ascii) = ascii else { continue };
        if rule.starts_with('!') {
            rules.exception.insert(ascii);
        } else {
            let map = if rule.starts_with("*.") {
                &mut rules.wildcard
            } else {
                &mut rules.exact
            };
            // A name in both sections is the ICANN section's, which comes first.
            map.entry(ascii).or_insert(section);
        }
    }
    rules
}

/// Whether `domain` (lowercase ASCII, punycode for international names) is a
/// public suffix: the public suffix that the list's algorithm gives for it is
/// `domain` itself. A name of one label is one (the list's implicit `*` rule).
pub(crate) fn is_public_suffix(domain: &str) -> bool {
    public_suffix_section(domain).is_some()
}

/// The section of the rule that makes `domain` a public suffix, or `None` when
/// it is not one. A name of one label that the list does not name is a
/// top-level domain, as the list's implicit `*` rule says: ICANN's.
pub(crate) fn public_suffix_section(domain: &str) -> Option<Section> {
    let rules = rules();
    if rules.exception.contains(domain) {
        return None;
    }
    if let Some(section) = rules.exact.get(domain) {
        return Some(*section);
    }
    match domain.split_once('.') {
        None => Some(Section::Icann),
        Some((_, parent)) => rules.wildcard.get(parent).copied(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The copy ships with its licence notice and the version it is a copy of.
    #[test]
    fn the_notice_names_the_version_of_the_copy() {
        let notice = include_str!("../../data/NOTICE.md");
        let version = LIST
            .lines()
            .find_map(|line| line.strip_prefix("// VERSION: "))
            .expect("the list has a VERSION line");
        assert!(
            notice.contains(&format!("- Version of the copy: {version}\n")),
            "data/NOTICE.md does not name version {version}"
        );
        assert!(
            LIST.starts_with(
                "// This Source Code Form is subject to the terms of the Mozilla Public"
            )
        );
        assert!(notice.contains("Mozilla Public License, v. 2.0"));
    }

    #[test]
    fn the_list_is_parsed_whole() {
        let rules = rules();
        assert!(rules.exact.len() > 9_000, "{}", rules.exact.len());
        assert!(!rules.wildcard.is_empty() && !rules.exception.is_empty());
        assert!(rules.exact.keys().all(|name| name.is_ascii()));
        let icann = rules
            .exact
            .values()
            .filter(|s| **s == Section::Icann)
            .count();
        assert!(icann > 6_000 && icann < rules.exact.len(), "{icann}");
    }

    #[test]
    fn sections_are_told_apart() {
        for icann in ["com", "co.uk", "unknowntld", "anything.ck", "xn--55qx5d.cn"] {
            assert_eq!(
                public_suffix_section(icann),
                Some(Section::Icann),
                "{icann}"
            );
        }
        for private in ["github.io", "vercel.app", "netlify.app", "pages.dev"] {
            assert_eq!(
                public_suffix_section(private),
                Some(Section::Private),
                "{private}"
            );
        }
        assert_eq!(public_suffix_section("example.com"), None);
    }

    #[test]
    fn suffixes_of_every_kind() {
        for yes in [
            "com",
            "co.uk",
            "github.io",
            "pages.dev",
            "unknowntld",
            // `*.ck`: one label under `ck` is a public suffix...
            "anything.ck",
            // `公司.cn` and `இந்தியா` (combining marks), written as browsers send them.
            "xn--55qx5d.cn",
            "xn--xkc2dl3a5ee0h",
        ] {
            assert!(is_public_suffix(yes), "{yes}");
        }
        for no in [
            "example.com",
            "example.co.uk",
            "user.github.io",
            // ...but `!www.ck` makes an exception,
            "www.ck",
            // and two labels under `ck` are a registrable name.
            "a.b.ck",
            "example.xn--55qx5d.cn",
        ] {
            assert!(!is_public_suffix(no), "{no}");
        }
    }

    #[test]
    fn every_rule_answers_as_written() {
        let rules = rules();
        for name in rules.exact.keys() {
            if !rules.exception.contains(name) {
                assert!(is_public_suffix(name), "{name}");
            }
        }
        for name in &rules.exception {
            assert!(!is_public_suffix(name), "!{name}");
        }
        for parent in rules.wildcard.keys() {
            let child = format!("x-test.{parent}");
            if !rules.exception.contains(&child) {
                assert!(is_public_suffix(&child), "*.{parent}");
            }
        }
    }
}
