//! What the user wrote in `#[cors(...)]`, with spans. Only syntax is checked here:
//! the shape of each argument's value. The rules of the policy are checked in
//! `check.rs`, by the runtime crate's validator.

mod value;

use proc_macro2::{Span, TokenStream, TokenTree};
use runtime::validate::Key;

use crate::ctxt::Ctxt;
use crate::tokens::{self, flat, shown, split_commas, starts_with_eq};
pub use value::{CratePath, Flag, MaxAge, StrList, Text};
use value::{ListKind, method_element, string_element};

/// One argument as written: its key and what follows the key.
pub struct Meta {
    /// The key as written, such as `origins` (or `a::b`, which is no key).
    pub path: String,
    /// The span of the key's first token, where errors about the whole
    /// argument go.
    pub span: Span,
    /// What follows the key.
    pub form: Form,
}

/// What follows an argument's key.
pub enum Form {
    /// Nothing: `credentials`.
    Bare,
    /// `= value`, with the value's tokens, never empty.
    Value(Vec<TokenTree>),
    /// `=` with no value after it, at the span of the `=`.
    Empty(Span),
    /// Anything but `=`, such as `private_network(true)`.
    NotAssigned,
}

/// Every argument of the attribute.
#[derive(Default)]
pub struct Args {
    pub origins: Option<StrList>,
    pub methods: Option<StrList>,
    pub headers: Option<StrList>,
    pub expose: Option<StrList>,
    pub credentials: Option<Flag>,
    pub max_age: Option<MaxAge>,
    pub private_network: Option<Flag>,
    pub csrf: Option<Flag>,
    pub dangerous_insecure_origins: Option<Flag>,
    pub dangerous_public_suffix_wildcards: Option<Flag>,
    pub dangerous_any_extension_origin: Option<Flag>,
    pub debug: Option<Flag>,
    pub krate: Option<CratePath>,
    /// `file = "cors.toml"`: the policy is read from this file.
    pub file: Option<Text>,
    /// `policy = "api"`: the named policy of `file`.
    pub policy: Option<Text>,
    /// The span of each policy key written, for the errors of `file`.
    pub written: Vec<(Key, proc_macro2::Span)>,
    /// Arguments that were given but could not be read; the checks that would
    /// report them missing or empty stay quiet.
    pub unreadable: Vec<Key>,
    /// `file` was given, but its value could not be read.
    pub file_unreadable: bool,
}

/// The arguments that are not keys of the policy.
const CRATE: &str = "crate";
const FILE: &str = "file";
const POLICY: &str = "policy";

const ORIGINS: ListKind = ListKind {
    key: "origins",
    noun: "origin string",
    star: true,
};
const METHODS: ListKind = ListKind {
    key: "methods",
    noun: "method",
    star: false,
};
const HEADERS: ListKind = ListKind {
    key: "headers",
    noun: "header name",
    star: true,
};
const EXPOSE: ListKind = ListKind {
    key: "expose",
    noun: "header name",
    star: true,
};

impl Args {
    /// Reads the attribute's arguments. Syntax errors go to `cx`, beside what
    /// could be read, so that the policy's rules are still checked on the rest.
    pub fn parse(tokens: TokenStream, cx: &mut Ctxt) -> Self {
        let mut args = Args::default();
        let mut seen: Vec<String> = Vec::new();
        let tokens = flat(tokens);
        let mut rest = &tokens[..];
        while let Some(&(piece, comma)) = split_commas(rest).first() {
            let after = piece.len() + usize::from(comma.is_some());
            if piece.is_empty() {
                let span = comma.unwrap_or_else(Span::call_site);
                cx.error(span, "expected an argument, found `,`", Some("remove it"));
                rest = &rest[after..];
                continue;
            }
            let (meta, used) = read_meta(piece, cx);
            match piece.get(used) {
                // The next argument starts before any comma: the missing comma
                // is reported, and the next argument read all the same.
                Some(next) => {
                    cx.error(
                        next.span(),
                        format!("expected `,`, found `{next}`"),
                        Some(&format!("add `,` before `{next}`")),
                    );
                    rest = &rest[used..];
                }
                None => rest = &rest[after..],
            }
            let Some(meta) = meta else { continue };
            let key = meta.path.clone();
            let key = key.strip_prefix("r#").unwrap_or(&key).to_owned();
            if seen.contains(&key) {
                cx.error(
                    meta.span,
                    format!("duplicate argument `{key}`"),
                    Some("remove it"),
                );
                continue;
            }
            seen.push(key.clone());
            match key.as_str() {
                CRATE => {
                    args.krate = cx.ok(CratePath::from_meta(&meta));
                    continue;
                }
                FILE => {
                    args.file = cx.ok(Text::from_meta(&meta, "file = \"cors.toml\""));
                    if args.file.is_none() {
                        // The policy was meant to come from a file: what the
                        // arguments lack is not missing, and `policy` has its file.
                        args.file_unreadable = true;
                        args.unreadable.extend(Key::ALL);
                    }
                    continue;
                }
                POLICY => {
                    args.policy = cx.ok(Text::from_meta(&meta, "policy = \"api\""));
                    continue;
                }
                _ => {}
            }
            let Some(name) = Key::ALL.into_iter().find(|k| k.name() == key) else {
                let suggestion = closest(&key);
                // The user meant that argument: do not also report it missing.
                args.unreadable
                    .extend(Key::ALL.into_iter().find(|k| Some(k.name()) == suggestion));
                let help = suggestion.map(|k| format!("did you mean `{k}`?"));
                cx.error(
                    meta.span,
                    format!("unknown argument `{key}`"),
                    help.as_deref(),
                );
                continue;
            };
            args.written.push((name, meta.span));
            let before = cx.len();
            let strings = |noun, example| string_element(noun, example);
            match name {
                Key::Origins => {
                    let element = strings("an origin", "\"https://app.example.com\"");
                    args.origins = StrList::parse(&meta, &ORIGINS, element, cx);
                }
                Key::Methods => args.methods = StrList::parse(&meta, &METHODS, method_element, cx),
                Key::Headers => {
                    let element = strings("a header name", "\"content-type\"");
                    args.headers = StrList::parse(&meta, &HEADERS, element, cx);
                }
                Key::Expose => {
                    let element = strings("a header name", "\"x-request-id\"");
                    args.expose = StrList::parse(&meta, &EXPOSE, element, cx);
                }
                Key::MaxAge => args.max_age = cx.ok(MaxAge::from_meta(&meta)),
                flag => {
                    let value = cx.ok(Flag::from_meta(&meta));
                    *args.flag(flag) = value;
                }
            }
            if cx.len() > before {
                args.unreadable.push(name);
            }
        }
        args
    }

    /// The field of a flag argument.
    fn flag(&mut self, key: Key) -> &mut Option<Flag> {
        match key {
            Key::Credentials => &mut self.credentials,
            Key::PrivateNetwork => &mut self.private_network,
            Key::Csrf => &mut self.csrf,
            Key::DangerousInsecureOrigins => &mut self.dangerous_insecure_origins,
            Key::DangerousAnyExtensionOrigin => &mut self.dangerous_any_extension_origin,
            Key::Debug => &mut self.debug,
            _ => &mut self.dangerous_public_suffix_wildcards,
        }
    }
}

/// Reads the argument that `piece` (the tokens up to a comma) starts with, or
/// records why it is not one. Also returns how many tokens the argument takes:
/// fewer than all when the next argument follows without a comma.
fn read_meta(piece: &[TokenTree], cx: &mut Ctxt) -> (Option<Meta>, usize) {
    // The key: a path, `origins` or `a::b`.
    let key = tokens::path_len(piece);
    let is_bool = matches!(piece.first(), Some(TokenTree::Ident(i)) if i == "true" || i == "false")
        && !starts_with_eq(&piece[1..]);
    if key == 0 || is_bool {
        // A literal, or anything else that cannot start `key = value`.
        cx.error(
            tokens::first_span(piece, Span::call_site()),
            format!("expected `key = value`, found `{}`", shown(piece)),
            Some("write `origins = [...]`"),
        );
        return (None, piece.len());
    }
    let rest = &piece[key..];
    let (form, used) = match rest.first() {
        None => (Form::Bare, piece.len()),
        Some(eq) if starts_with_eq(rest) => {
            let value = &rest[1..];
            if value.is_empty() {
                (Form::Empty(eq.span()), piece.len())
            } else {
                let len = value_len(value);
                (Form::Value(value[..len].to_vec()), key + 1 + len)
            }
        }
        // `credentials csrf`: a comma is missing.
        Some(TokenTree::Ident(_)) => (Form::Bare, key),
        Some(_) => (Form::NotAssigned, piece.len()),
    };
    let meta = Meta {
        path: shown(&piece[..key]),
        span: piece[0].span(),
        form,
    };
    (Some(meta), used)
}

/// How many tokens of `value` belong to it: all, unless another argument
/// starts after the first token without a comma before it: `key = ...`, or
/// the name of an argument, such as a flag.
fn value_len(value: &[TokenTree]) -> usize {
    (1..value.len())
        .find(|&i| {
            let TokenTree::Ident(ident) = &value[i] else {
                return false;
            };
            let name = ident.to_string();
            let known = Key::ALL.iter().any(|k| k.name() == name)
                || [CRATE, FILE, POLICY].contains(&name.as_str());
            !tokens::is_punct(value.get(i - 1), ':')
                && !tokens::is_punct(value.get(i - 1), '.')
                && (known || starts_with_eq(&value[i + 1..]))
        })
        .unwrap_or(value.len())
}

/// The known argument closest to `key`, when it is close enough to be a typo.
fn closest(key: &str) -> Option<&'static str> {
    runtime::validate::closest_key(key, &[CRATE, FILE, POLICY])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The arguments read from `text`, and how many errors it has.
    fn parse(text: &str) -> (Args, usize) {
        let mut cx = Ctxt::default();
        let args = Args::parse(text.parse().unwrap(), &mut cx);
        (args, cx.len())
    }

    fn values(list: &Option<StrList>) -> Vec<&str> {
        list.iter()
            .flat_map(|l| l.items.iter().map(|t| t.value.as_str()))
            .collect()
    }

    #[test]
    fn every_form_of_argument_is_read() {
        let (args, errors) = parse(
            r#"origins = ["https://a.com", r"https://b.com",], methods = [GET, "PURGE"],
               headers = "*", credentials, csrf = false, max_age = 600, crate = ::x::y,
               file = "cors.toml", policy = "api""#,
        );
        assert_eq!(errors, 0);
        assert_eq!(values(&args.origins), ["https://a.com", "https://b.com"]);
        assert_eq!(values(&args.methods), ["GET", "PURGE"]);
        assert_eq!(values(&args.headers), ["*"]);
        assert!(args.credentials.is_some_and(|f| f.on));
        assert!(args.csrf.is_some_and(|f| !f.on));
        assert_eq!(args.max_age.map(|m| m.seconds), Some(600));
        let krate = args.krate.unwrap();
        assert!(krate.leading_colon);
        assert_eq!(krate.segments.len(), 2);
        assert_eq!(args.file.unwrap().value, "cors.toml");
        assert_eq!(args.policy.unwrap().value, "api");
    }

    #[test]
    fn each_missing_comma_is_one_error_and_the_next_argument_is_read() {
        let (args, errors) =
            parse(r#"origins = ["https://a.com"] methods = [GET] credentials debug"#);
        assert_eq!(errors, 3);
        assert_eq!(values(&args.origins), ["https://a.com"]);
        assert_eq!(values(&args.methods), ["GET"]);
        assert!(args.credentials.is_some() && args.debug.is_some());
        assert!(args.unreadable.is_empty());
    }

    #[test]
    fn groups_without_delimiters_are_read_through() {
        use proc_macro2::{Delimiter, Group};
        // As `macro_rules!` passes `$origins:expr` and `$age:expr` on.
        let none =
            |text: &str| TokenTree::Group(Group::new(Delimiter::None, text.parse().unwrap()));
        let mut tokens: TokenStream = "origins =".parse().unwrap();
        tokens.extend([none(r#"["https://a.com"]"#)]);
        tokens.extend(", max_age =".parse::<TokenStream>());
        tokens.extend([none("600")]);
        let mut cx = Ctxt::default();
        let args = Args::parse(tokens, &mut cx);
        assert_eq!(cx.len(), 0);
        assert_eq!(values(&args.origins), ["https://a.com"]);
        assert_eq!(args.max_age.map(|m| m.seconds), Some(600));
    }

    #[test]
    fn malformed_arguments_are_errors_never_panics() {
        for text in [
            "",
            ",",
            ",,",
            "=",
            "= 3",
            "origins",
            "origins =",
            "origins = ,",
            "origins ==  [\"a\"]",
            "origins => [\"a\"]",
            "origins: [\"a\"]",
            "origins(\"a\")",
            "::",
            "a::",
            "::a::b",
            "-1",
            "'a",
            "true",
            "false = 1",
            "origins = ['a']",
            "origins = [\"a\" \"b\"]",
            "methods = [GET,, POST]",
            "methods = [get, Fetch, 1]",
            "max_age = -1",
            "max_age = 1.5",
            "max_age = 99999999999999999999999999999",
            "credentials = 1",
            "credentials()",
            "crate = 1",
            "crate = a::<T>",
            "file = 3",
            "origins = [] origins = []",
        ] {
            let _ = parse(text);
        }
        assert_eq!(parse("origins = ,").1, 1);
        assert_eq!(parse(",").1, 1);
        assert_eq!(parse("origins: [\"a\"]").1, 1);
    }
}
