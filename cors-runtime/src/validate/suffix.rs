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

use std::collections::HashSet;
use std::sync::OnceLock;

use super::host::punycode_labels;

const LIST: &str = include_str!("../../data/public_suffix_list.dat");

/// The rules of the list, every name in its ASCII (punycode) form.
struct Rules {
    /// `name`: `name` is a public suffix.
    exact: HashSet<String>,
    /// `*.name`: every label directly under `name` is a public suffix.
    wildcard: HashSet<String>,
    /// `!name`: `name` is not one, whatever a wildcard says.
    exception: HashSet<String>,
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| parse(LIST))
}

fn parse(list: &str) -> Rules {
    let mut rules = Rules {
        exact: HashSet::new(),
        wildcard: HashSet::new(),
        exception: HashSet::new(),
    };
    for line in list.lines() {
        // A rule is the first word of a line; comments start with `//`.
        let Some(rule) = line.split_whitespace().next() else {
            continue;
        };
        if rule.starts_with("//") {
            continue;
        }
        let (set, name) = if let Some(name) = rule.strip_prefix('!') {
            (&mut rules.exception, name)
        } else if let Some(name) = rule.strip_prefix("*.") {
            (&mut rules.wildcard, name)
        } else {
            (&mut rules.exact, rule)
        };
        let ascii = if name.is_ascii() {
            Some(name.to_ascii_lowercase())
        } else {
            punycode_labels(name)
        };
        // A name the encoder cannot write is one no ASCII origin can name.
        set.extend(ascii);
    }
    rules
}

/// Whether `domain` (lowercase ASCII, punycode for international names) is a
/// public suffix: the public suffix that the list's algorithm gives for it is
/// `domain` itself. A name of one label is one (the list's implicit `*` rule).
pub(crate) fn is_public_suffix(domain: &str) -> bool {
    let rules = rules();
    if rules.exception.contains(domain) {
        return false;
    }
    if rules.exact.contains(domain) {
        return true;
    }
    match domain.split_once('.') {
        None => true,
        Some((_, parent)) => rules.wildcard.contains(parent),
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
        assert!(rules.exact.iter().all(|name| name.is_ascii()));
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
        for name in &rules.exact {
            if !rules.exception.contains(name) {
                assert!(is_public_suffix(name), "{name}");
            }
        }
        for name in &rules.exception {
            assert!(!is_public_suffix(name), "!{name}");
        }
        for parent in &rules.wildcard {
            let child = format!("x-test.{parent}");
            if !rules.exception.contains(&child) {
                assert!(is_public_suffix(&child), "*.{parent}");
            }
        }
    }
}
