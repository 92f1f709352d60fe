//! The values of the arguments: lists of strings, methods, flags, `max_age` and
//! the crate path, each read with its span.

use darling::{Error, FromMeta, Result};
use proc_macro2::Span;
use quote::ToTokens;
use runtime::method::Treatment;
use runtime::validate::max_age_too_large;
use syn::spanned::Spanned;
use syn::{Expr, Lit, Meta};

use crate::ctxt::{Ctxt, error};

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

pub(super) fn shown(tokens: &impl ToTokens) -> String {
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
    /// Reads a list argument. Errors go to `cx`; a list with a bad element is
    /// still returned with its good elements, so that they are checked too.
    pub fn parse(
        meta: &Meta,
        kind: &ListKind,
        element: impl Fn(&Expr) -> Result<Text>,
        cx: &mut Ctxt,
    ) -> Option<Self> {
        let value = cx.ok(name_value(meta, &format!("`{} = [...]`", kind.key)))?;
        let expr = unwrap_group(value);
        let wrong = match expr {
            Expr::Array(array) => {
                let mut items = Vec::new();
                for elem in &array.elems {
                    items.extend(cx.ok(element(elem)));
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
        cx.push(wrong);
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

/// One element of `methods`: an identifier naming a standard method, or a string.
pub fn method_element(expr: &Expr) -> Result<Text> {
    let expr = unwrap_group(expr);
    if let Expr::Path(path) = expr
        && let Some(ident) = path.path.get_ident()
    {
        let name = ident.to_string();
        let span = ident.span();
        let upper = name.to_ascii_uppercase();
        let known = runtime::method::lookup(&name);
        // Standard names, and the spellings the validator explains better:
        // `get` (browsers upper-case it) and `TRACK`/`trace` (forbidden).
        if known
            .is_some_and(|k| (k.standard && k.name == name) || k.treatment != Treatment::AsWritten)
        {
            return Ok(Text { value: name, span });
        }
        if known.is_some_and(|k| k.standard) {
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
                Err(_) => {
                    let rule = max_age_too_large(shown(int));
                    Err(error(int.span(), rule.message, rule.help.as_deref()))
                }
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

impl Text {
    /// Reads an argument that is not part of the policy: `key = "text"`
    /// (`file`, `policy`).
    pub fn from_meta(meta: &Meta, form: &str) -> Result<Self> {
        match unwrap_group(name_value(meta, form)?) {
            Expr::Lit(lit) => match &lit.lit {
                Lit::Str(s) => Ok(Self {
                    value: s.value(),
                    span: s.span(),
                }),
                other => Err(error(
                    other.span(),
                    format!("expected a string, found `{}`", shown(other)),
                    Some(&format!("write `{form}`")),
                )),
            },
            other => Err(error(
                other.span(),
                format!("expected a string, found `{}`", shown(other)),
                Some(&format!("write `{form}`")),
            )),
        }
    }
}
