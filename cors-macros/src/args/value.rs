//! The values of the arguments: lists of strings, methods, flags, `max_age` and
//! the crate path, each read with its span.

use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use quote::ToTokens;
use runtime::method::Treatment;
use runtime::validate::max_age_too_large;

use super::{Form, Meta};
use crate::ctxt::{Ctxt, Error, Result, error};
use crate::tokens::{self, Integer, first_span, flat, shown, simple_path, split_commas};

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

impl StrList {
    /// Reads a list argument. Errors go to `cx`; a list with a bad element is
    /// still returned with its good elements, so that they are checked too.
    pub fn parse(
        meta: &Meta,
        kind: &ListKind,
        element: impl Fn(&[TokenTree]) -> Result<Text>,
        cx: &mut Ctxt,
    ) -> Option<Self> {
        let value = cx.ok(name_value(meta, &format!("`{} = [...]`", kind.key)))?;
        let span = first_span(value, meta.span);
        if let [TokenTree::Group(array)] = value
            && array.delimiter() == Delimiter::Bracket
        {
            let elements = flat(array.stream());
            let mut items = Vec::new();
            for (elem, comma) in split_commas(&elements) {
                match (elem, comma) {
                    ([], Some(comma)) => {
                        cx.error(comma, "expected a value, found `,`", Some("remove it"))
                    }
                    ([], None) => {}
                    (elem, _) => items.extend(cx.ok(element(elem))),
                }
            }
            return Some(Self { items, span });
        }
        let string = tokens::string(value);
        if kind.star && string.as_deref() == Some("*") {
            let star = Text {
                value: "*".to_owned(),
                span,
            };
            return Some(Self {
                items: vec![star],
                span,
            });
        }
        let path = simple_path(value);
        let lone_ident = matches!(&path, Some((false, segments)) if segments.len() == 1);
        let wrong = if path.is_some() && (!lone_ident || kind.key != "methods") {
            error(
                span,
                format!(
                    "expected an array of {}s, found `{}`: the attribute reads literals, not constants",
                    kind.noun,
                    shown(value)
                ),
                Some(&format!(
                    "write the values in the attribute: `{} = [...]`",
                    kind.key
                )),
            )
        } else if string.is_some() || path.is_some() {
            error(
                span,
                format!(
                    "expected an array of {}s, found `{}`",
                    kind.noun,
                    shown(value)
                ),
                Some(&format!("write `{} = [{}]`", kind.key, shown(value))),
            )
        } else {
            expected_array(value, kind)
        };
        cx.push(wrong);
        None
    }
}

fn expected_array(value: &[TokenTree], kind: &ListKind) -> Error {
    let help = if kind.star {
        format!("write `{} = [...]`, or `{} = \"*\"`", kind.key, kind.key)
    } else {
        format!("write `{} = [...]`", kind.key)
    };
    error(
        first_span(value, Span::call_site()),
        format!(
            "expected an array of {}s, found `{}`",
            kind.noun,
            shown(value)
        ),
        Some(&help),
    )
}

/// One string element of a list; `example` is a literal to show in the help.
pub fn string_element(
    noun: &'static str,
    example: &'static str,
) -> impl Fn(&[TokenTree]) -> Result<Text> {
    move |elem| match tokens::string(elem) {
        Some(value) => Ok(Text {
            value,
            span: first_span(elem, Span::call_site()),
        }),
        None => {
            let constant = if simple_path(elem).is_some() {
                ": the attribute reads literals, not constants"
            } else {
                ""
            };
            Err(error(
                first_span(elem, Span::call_site()),
                format!("expected {noun} string, found `{}`{constant}", shown(elem)),
                Some(&format!("write a string literal, such as `{example}`")),
            ))
        }
    }
}

/// One element of `methods`: an identifier naming a standard method, or a string.
pub fn method_element(elem: &[TokenTree]) -> Result<Text> {
    if let [TokenTree::Ident(ident)] = elem {
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
    string_element("a method", "\"PURGE\"")(elem)
}

/// The value of `key = value`, or the error of any other form; `form` shows the
/// argument written right, for the help.
fn name_value<'a>(meta: &'a Meta, form: &str) -> Result<&'a [TokenTree]> {
    match &meta.form {
        Form::Value(value) => Ok(value),
        Form::Bare => Err(error(
            meta.span,
            format!("`{}` needs a value", meta.path),
            Some(&format!("write {form}")),
        )),
        Form::Empty(eq) => Err(error(
            *eq,
            "expected a value after `=`",
            Some(&format!("write {form}")),
        )),
        Form::NotAssigned => Err(error(
            meta.span,
            format!("expected `=` after `{}`", meta.path),
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

impl Flag {
    /// Reads a flag argument.
    pub fn from_meta(meta: &Meta) -> Result<Self> {
        let alone = format!("write `{}` alone to turn it on", meta.path);
        match &meta.form {
            Form::Bare => Ok(Self {
                on: true,
                span: meta.span,
            }),
            Form::Value(value) => match value.as_slice() {
                [TokenTree::Ident(b)] if b == "true" || b == "false" => Ok(Self {
                    on: b == "true",
                    span: meta.span,
                }),
                other => Err(error(
                    first_span(other, meta.span),
                    format!("expected `true` or `false`, found `{}`", shown(other)),
                    Some(&alone),
                )),
            },
            Form::Empty(eq) => Err(error(*eq, "expected a value after `=`", Some(&alone))),
            Form::NotAssigned => Err(error(
                meta.span,
                format!("expected `=` after `{}`", meta.path),
                Some(&alone),
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

impl MaxAge {
    /// Reads `max_age`.
    pub fn from_meta(meta: &Meta) -> Result<Self> {
        let value = name_value(meta, "`max_age = 600`")?;
        let span = first_span(value, meta.span);
        match tokens::integer(value) {
            Some(Integer::Value(seconds)) => Ok(Self { seconds, span }),
            Some(Integer::TooLarge) => {
                let rule = max_age_too_large(shown(value));
                Err(error(span, rule.message, rule.help.as_deref()))
            }
            None => Err(error(
                span,
                format!(
                    "expected a whole number of seconds, found `{}`",
                    shown(value)
                ),
                Some("write `max_age = 600`"),
            )),
        }
    }
}

/// `crate = path::to::static_cors`: a path without generic arguments.
#[derive(Clone, Debug)]
pub struct CratePath {
    /// The path's tokens as written, with their spans.
    pub tokens: Vec<TokenTree>,
    /// Whether the path starts with `::`.
    pub leading_colon: bool,
    /// Its segments, never empty.
    pub segments: Vec<Ident>,
}

impl CratePath {
    /// Reads `crate`.
    pub fn from_meta(meta: &Meta) -> Result<Self> {
        let value = name_value(meta, "`crate = ::static_cors`")?;
        Self::from_tokens(value).ok_or_else(|| {
            error(
                first_span(value, meta.span),
                format!(
                    "expected a path to the `static_cors` crate, found `{}`",
                    shown(value)
                ),
                Some("write `crate = ::static_cors`"),
            )
        })
    }

    /// The path that `tokens` are, if they are one.
    fn from_tokens(tokens: &[TokenTree]) -> Option<Self> {
        let (leading_colon, segments) = simple_path(tokens)?;
        Some(Self {
            tokens: tokens.to_vec(),
            leading_colon,
            segments,
        })
    }

    /// `::static_cors`, the crate's own name, when `crate` is not given.
    pub fn default_path() -> Self {
        let name = Ident::new("static_cors", Span::call_site());
        Self {
            tokens: quote::quote!(::#name).into_iter().collect(),
            leading_colon: true,
            segments: vec![name],
        }
    }
}

impl ToTokens for CratePath {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(self.tokens.iter().cloned());
    }
}

impl Text {
    /// Reads an argument that is not part of the policy: `key = "text"`
    /// (`file`, `policy`).
    pub fn from_meta(meta: &Meta, form: &str) -> Result<Self> {
        let form = format!("`{form}`");
        let value = name_value(meta, &form)?;
        let span = first_span(value, meta.span);
        match tokens::string(value) {
            Some(value) => Ok(Self { value, span }),
            None => Err(error(
                span,
                format!("expected a string, found `{}`", shown(value)),
                Some(&format!("write {form}")),
            )),
        }
    }
}
