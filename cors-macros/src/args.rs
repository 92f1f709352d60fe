//! What the user wrote in `#[cors(...)]`, with spans. Only syntax is checked here:
//! the shape of each argument's value. The rules of the policy are checked in
//! `policy.rs`, by the runtime crate's validator.

use darling::ast::NestedMeta;
use darling::{Error, FromMeta, Result};
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Expr, Lit, Meta};

/// Builds an error in rustc's style, with an optional `help:` line.
pub fn error(span: Span, message: impl AsRef<str>, help: Option<&str>) -> Error {
    let text = match help {
        Some(help) => format!("{}\n\n= help: {help}", message.as_ref()),
        None => message.as_ref().to_owned(),
    };
    Error::custom(text).with_span(&span)
}

/// A string as written, with the span of its literal (or identifier).
#[derive(Clone, Debug)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

/// A list of strings: `["a", "b"]`, or `"*"` alone. Elements that are not strings
/// are reported and left out.
#[derive(Clone, Debug)]
pub struct StrList {
    pub items: Vec<Text>,
    pub span: Span,
}

/// What one list argument holds, for its messages.
pub struct ListKind {
    /// The argument's name.
    pub key: &'static str,
    /// What one element is, as in "expected an array of {noun}s".
    pub noun: &'static str,
    /// Whether `key = "*"` (a lone star, not in brackets) is accepted.
    pub star: bool,
}

fn shown(tokens: &impl ToTokens) -> String {
    let text = tokens.to_token_stream().to_string();
    let text = text.replace(" :: ", "::").replace(":: ", "::");
    let text = match text.strip_prefix("- ") {
        Some(number) => format!("-{number}"),
        None => text,
    };
    match text.char_indices().nth(57) {
        Some((cut, _)) if text.chars().count() > 60 => format!("{}...", &text[..cut]),
        _ => text,
    }
}

fn unwrap_group(expr: &Expr) -> &Expr {
    match expr {
        Expr::Group(group) => unwrap_group(&group.expr),
        other => other,
    }
}

impl StrList {
    /// Reads a list argument. Errors go to `errors`; a list with a bad element is
    /// still returned with its good elements, so that they are checked too.
    pub fn parse(
        meta: &Meta,
        kind: &ListKind,
        element: impl Fn(&Expr) -> Result<Text>,
        errors: &mut Vec<Error>,
    ) -> Option<Self> {
        let value = match name_value(meta, &format!("`{} = [...]`", kind.key)) {
            Ok(value) => value,
            Err(e) => {
                errors.push(e);
                return None;
            }
        };
        let expr = unwrap_group(value);
        let wrong = match expr {
            Expr::Array(array) => {
                let mut items = Vec::new();
                for elem in &array.elems {
                    match element(elem) {
                        Ok(item) => items.push(item),
                        Err(e) => errors.push(e),
                    }
                }
                return Some(Self {
                    items,
                    span: expr.span(),
                });
            }
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) if kind.star && s.value() == "*" => {
                let star = Text {
                    value: "*".to_owned(),
                    span: s.span(),
                };
                return Some(Self {
                    items: vec![star],
                    span: s.span(),
                });
            }
            Expr::Path(path) if path.path.get_ident().is_none() || kind.key != "methods" => error(
                expr.span(),
                format!(
                    "expected an array of {}s, found `{}`: the attribute reads literals, not constants",
                    kind.noun,
                    shown(expr)
                ),
                Some(&format!(
                    "write the values in the attribute: `{} = [...]`",
                    kind.key
                )),
            ),
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(_), ..
            })
            | Expr::Path(_) => error(
                expr.span(),
                format!(
                    "expected an array of {}s, found `{}`",
                    kind.noun,
                    shown(expr)
                ),
                Some(&format!("write `{} = [{}]`", kind.key, shown(expr))),
            ),
            _ => expected_array(expr, kind),
        };
        errors.push(wrong);
        None
    }
}

fn expected_array(expr: &Expr, kind: &ListKind) -> Error {
    let help = if kind.star {
        format!("write `{} = [...]`, or `{} = \"*\"`", kind.key, kind.key)
    } else {
        format!("write `{} = [...]`", kind.key)
    };
    error(
        expr.span(),
        format!(
            "expected an array of {}s, found `{}`",
            kind.noun,
            shown(expr)
        ),
        Some(&help),
    )
}

/// One string element of a list; `example` is a literal to show in the help.
pub fn string_element(noun: &'static str, example: &'static str) -> impl Fn(&Expr) -> Result<Text> {
    move |expr| match unwrap_group(expr) {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok(Text {
            value: s.value(),
            span: s.span(),
        }),
        other => {
            let constant = if matches!(other, Expr::Path(_)) {
                ": the attribute reads literals, not constants"
            } else {
                ""
            };
            Err(error(
                other.span(),
                format!("expected {noun} string, found `{}`{constant}", shown(other)),
                Some(&format!("write a string literal, such as `{example}`")),
            ))
        }
    }
}

/// The method names that may be written as identifiers.
const METHOD_IDENTS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE",
];

/// One element of `methods`: an identifier naming a standard method, or a string.
pub fn method_element(expr: &Expr) -> Result<Text> {
    let expr = unwrap_group(expr);
    if let Expr::Path(path) = expr
        && let Some(ident) = path.path.get_ident()
    {
        let name = ident.to_string();
        let span = ident.span();
        let upper = name.to_ascii_uppercase();
        // Standard names, and the spellings the validator explains better:
        // `get` (browsers upper-case it) and `TRACK`/`trace` (forbidden).
        if METHOD_IDENTS.contains(&name.as_str())
            || runtime::method::NORMALIZED.contains(&upper.as_str())
            || runtime::method::FORBIDDEN.contains(&upper.as_str())
        {
            return Ok(Text { value: name, span });
        }
        if METHOD_IDENTS.contains(&upper.as_str()) {
            return Err(error(
                span,
                format!("unknown method `{name}`"),
                Some(&format!(
                    "write `{upper}`, or the string `\"{name}\"` for a method spelled `{name}`"
                )),
            ));
        }
        return Err(error(
            span,
            format!("unknown method `{name}`"),
            Some(&format!(
                "write an extension method as a string: `\"{name}\"`"
            )),
        ));
    }
    string_element("a method", "\"PURGE\"")(expr)
}

fn name_value<'a>(meta: &'a Meta, form: &str) -> Result<&'a Expr> {
    match meta {
        Meta::NameValue(nv) => Ok(&nv.value),
        Meta::Path(path) => Err(error(
            path.span(),
            format!("`{}` needs a value", shown(path)),
            Some(&format!("write {form}")),
        )),
        Meta::List(list) => Err(error(
            list.span(),
            format!("expected `=` after `{}`", shown(&list.path)),
            Some(&format!("write {form}")),
        )),
    }
}

/// A flag: `credentials` or `credentials = true|false`.
#[derive(Clone, Copy, Debug)]
pub struct Flag {
    pub on: bool,
    pub span: Span,
}

impl FromMeta for Flag {
    fn from_meta(meta: &Meta) -> Result<Self> {
        match meta {
            Meta::Path(path) => Ok(Self {
                on: true,
                span: path.span(),
            }),
            Meta::NameValue(nv) => match unwrap_group(&nv.value) {
                Expr::Lit(syn::ExprLit {
                    lit: Lit::Bool(b), ..
                }) => Ok(Self {
                    on: b.value,
                    span: meta.span(),
                }),
                other => Err(error(
                    other.span(),
                    format!("expected `true` or `false`, found `{}`", shown(other)),
                    Some(&format!("write `{}` alone to turn it on", shown(&nv.path))),
                )),
            },
            Meta::List(list) => Err(error(
                list.span(),
                format!("expected `=` after `{}`", shown(&list.path)),
                Some(&format!(
                    "write `{}` alone to turn it on",
                    shown(&list.path)
                )),
            )),
        }
    }
}

/// `max_age = <seconds>`.
#[derive(Clone, Copy, Debug)]
pub struct MaxAge {
    pub seconds: u64,
    pub span: Span,
}

impl FromMeta for MaxAge {
    fn from_meta(meta: &Meta) -> Result<Self> {
        let expr = unwrap_group(name_value(meta, "`max_age = 600`")?);
        match expr {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Int(int), ..
            }) if !int.base10_digits().starts_with('-') => match int.base10_parse::<u64>() {
                Ok(seconds) => Ok(Self {
                    seconds,
                    span: int.span(),
                }),
                Err(_) => Err(error(
                    int.span(),
                    format!(
                        "`max_age` of {} seconds is more than 86400: browsers cap it (Chromium at 7200, Firefox at 86400, WebKit at 600)",
                        shown(int)
                    ),
                    Some(
                        "write at most `max_age = 7200`, which every browser honours up to its cap",
                    ),
                )),
            },
            other => Err(error(
                other.span(),
                format!(
                    "expected a whole number of seconds, found `{}`",
                    shown(other)
                ),
                Some("write `max_age = 600`"),
            )),
        }
    }
}

/// `crate = path::to::static_cors`.
#[derive(Clone, Debug)]
pub struct CratePath(pub syn::Path);

impl FromMeta for CratePath {
    fn from_meta(meta: &Meta) -> Result<Self> {
        match unwrap_group(name_value(meta, "`crate = ::static_cors`")?) {
            Expr::Path(path) if path.qself.is_none() => Ok(Self(path.path.clone())),
            other => Err(error(
                other.span(),
                format!(
                    "expected a path to the `static_cors` crate, found `{}`",
                    shown(other)
                ),
                Some("write `crate = ::static_cors`"),
            )),
        }
    }
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
    pub dangerous_insecure_origins: Option<Flag>,
    pub dangerous_public_suffix_wildcards: Option<Flag>,
    pub krate: Option<CratePath>,
    /// Arguments that were given but could not be read; the checks that would
    /// report them missing or empty stay quiet.
    pub unreadable: Vec<&'static str>,
    /// Every syntax error, in source order.
    pub errors: Vec<Error>,
}

/// The argument names, for "did you mean" suggestions.
pub const KEYS: [&str; 10] = [
    "origins",
    "methods",
    "headers",
    "expose",
    "credentials",
    "max_age",
    "private_network",
    "dangerous_insecure_origins",
    "dangerous_public_suffix_wildcards",
    "crate",
];

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
    /// Reads the attribute's arguments. Syntax errors are kept in `errors`
    /// beside what could be read, so that the policy's rules are still checked on
    /// the rest.
    pub fn parse(tokens: TokenStream) -> Self {
        let mut args = Args::default();
        let items = match NestedMeta::parse_meta_list(tokens) {
            Ok(items) => items,
            Err(e) => {
                args.errors.push(e.into());
                args.unreadable.extend(KEYS);
                return args;
            }
        };
        let mut seen: Vec<String> = Vec::new();
        for item in &items {
            let errors = &mut args.errors;
            let meta = match item {
                NestedMeta::Meta(meta) => meta,
                NestedMeta::Lit(lit) => {
                    errors.push(error(
                        lit.span(),
                        format!("expected `key = value`, found `{}`", shown(lit)),
                        Some("write `origins = [...]`"),
                    ));
                    continue;
                }
                NestedMeta::NameValueInvalidExpr(invalid) => {
                    errors.push(error(
                        invalid.value.span(),
                        "expected a value after `=`",
                        None,
                    ));
                    continue;
                }
            };
            let path = meta.path();
            let key = path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect::<Vec<_>>()
                .join("::");
            let key = key.strip_prefix("r#").unwrap_or(&key).to_owned();
            if seen.contains(&key) {
                errors.push(error(
                    path.span(),
                    format!("duplicate argument `{key}`"),
                    Some("remove it"),
                ));
                continue;
            }
            seen.push(key.clone());
            let Some(&name) = KEYS.iter().find(|k| **k == key) else {
                let suggestion = closest(&key);
                // The user meant that argument: do not also report it missing.
                args.unreadable.extend(suggestion);
                let help = suggestion.map(|k| format!("did you mean `{k}`?"));
                errors.push(error(
                    path.span(),
                    format!("unknown argument `{key}`"),
                    help.as_deref(),
                ));
                continue;
            };
            let before = errors.len();
            let list = |kind: &ListKind,
                        element: &dyn Fn(&Expr) -> Result<Text>,
                        errors: &mut Vec<Error>| {
                StrList::parse(meta, kind, element, errors)
            };
            let flag = |errors: &mut Vec<Error>| errors_into(Flag::from_meta(meta), errors);
            match name {
                "origins" => {
                    args.origins = list(
                        &ORIGINS,
                        &string_element("an origin", "\"https://app.example.com\""),
                        errors,
                    )
                }
                "methods" => args.methods = list(&METHODS, &method_element, errors),
                "headers" => {
                    args.headers = list(
                        &HEADERS,
                        &string_element("a header name", "\"content-type\""),
                        errors,
                    )
                }
                "expose" => {
                    args.expose = list(
                        &EXPOSE,
                        &string_element("a header name", "\"x-request-id\""),
                        errors,
                    )
                }
                "credentials" => args.credentials = flag(errors),
                "max_age" => args.max_age = errors_into(MaxAge::from_meta(meta), errors),
                "private_network" => args.private_network = flag(errors),
                "dangerous_insecure_origins" => args.dangerous_insecure_origins = flag(errors),
                "dangerous_public_suffix_wildcards" => {
                    args.dangerous_public_suffix_wildcards = flag(errors)
                }
                _ => args.krate = errors_into(CratePath::from_meta(meta), errors),
            }
            if errors.len() > before {
                args.unreadable.push(name);
            }
        }
        args
    }
}

fn errors_into<T>(result: Result<T>, errors: &mut Vec<Error>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

/// The known argument closest to `key`, when it is close enough to be a typo.
fn closest(key: &str) -> Option<&'static str> {
    KEYS.iter()
        .map(|k| (levenshtein(key, k), *k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(2))
        .min()
        .map(|(_, k)| k)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}
