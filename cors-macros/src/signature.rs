//! Mistakes that the handler's signature shows beside its policy, which no
//! run-time library can see: an extractor that needs a request header or
//! cookies that the policy does not let browsers send.
//!
//! The extractors are recognised by name, as a reader of the signature would:
//! the last segment of each argument's type path (`Json`, `axum::Json` and a
//! `use ... as Json` alike), looked through `Option<_>` and `Result<_, _>`. A type
//! of one's own with the same name is taken for the extractor; a type alias with
//! another name is not recognised.
//!
//! - `Json<T>`, when the handler serves a method other than `GET` and `HEAD` and
//!   `headers` allows neither `content-type` nor `*`: `Json` requires
//!   `Content-Type: application/json`, which is not a CORS-safelisted value, so
//!   every cross-origin call is preflighted with `content-type` and refused. An
//!   error.
//! - `TypedHeader<Authorization<_>>`, when `headers` does not list
//!   `authorization` (`*` never covers it): scripts that send it are preflighted
//!   and refused. An error.
//! - A cookie jar (`CookieJar`, `SignedCookieJar`, `PrivateCookieJar`), when the
//!   policy has no `credentials`: cross-origin calls arrive without cookies. The
//!   call may be meant to, so this is a warning, silenced by writing
//!   `credentials = false`.
//! - `WebSocketUpgrade`, when the policy has no `csrf`: browsers do not apply
//!   CORS to WebSockets, so `origins` guards nothing and any site can open the
//!   socket with the user's cookies. With `csrf`, the handshake's `Origin` is
//!   checked against `origins`. A socket may be meant to be public, so this is a
//!   warning, silenced by writing `csrf = false`. (A policy read from a `file`
//!   is not looked into: nothing is said.)

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use runtime::validate::Key;
use syn::{FnArg, GenericArgument, PathArguments, Signature, Type};

use crate::args::Args;
use crate::ctxt::Ctxt;
use crate::warning::FormattedWarning;

/// An extractor that the policy must make room for, with the span of its name.
enum Extractor {
    Json(Span),
    Authorization(Span),
    CookieJar(Span, String),
    WebSocketUpgrade(Span),
}

/// Checks each argument of `sig` against the policy's arguments: errors go to
/// `cx`, and the warnings are returned as items for the companion module.
pub fn check(sig: &Signature, args: &Args, cx: &mut Ctxt) -> TokenStream {
    let mut warnings = TokenStream::new();
    let mut count = 0;
    for extractor in sig.inputs.iter().filter_map(|input| match input {
        FnArg::Typed(typed) => extractor(&typed.ty),
        FnArg::Receiver(_) => None,
    }) {
        match extractor {
            Extractor::Json(span) if sends_json(args) && !allows(args, "content-type") => {
                cx.error(
                    span,
                    "`Json` needs `content-type` in `headers`: browsers preflight `Content-Type: application/json`, and the policy refuses it",
                    Some("add \"content-type\" to headers"),
                );
            }
            Extractor::Authorization(span) if !allows(args, "authorization") => {
                cx.error(
                    span,
                    "`Authorization` needs `authorization` in `headers`: browsers preflight it, and `*` never covers it",
                    Some("add \"authorization\" to headers"),
                );
            }
            Extractor::CookieJar(span, name) if args.credentials.is_none() => {
                let note = format!(
                    "`{name}` without `credentials`: cross-origin calls arrive without cookies; \
                     add `credentials` to receive them, or write `credentials = false` if they are not meant to"
                );
                // Unique in the companion module, however many jars there are.
                count += 1;
                let ident = match count {
                    1 => format!("{}_without_credentials", snake(&name)),
                    n => format!("{}_without_credentials_{n}", snake(&name)),
                };
                FormattedWarning::new_deprecated(ident, note, span).to_tokens(&mut warnings);
            }
            Extractor::WebSocketUpgrade(span) if args.csrf.is_none() && args.file.is_none() => {
                let note = "`WebSocketUpgrade` without `csrf`: CORS does not apply to WebSockets, \
                            so any site can open this socket with the user's cookies; \
                            add `csrf` to check the handshake's `Origin` against `origins`, \
                            or write `csrf = false` if the socket is meant to be open to every site";
                FormattedWarning::new_deprecated("websocket_without_csrf", note, span)
                    .to_tokens(&mut warnings);
            }
            _ => {}
        }
    }
    warnings
}

/// The extractor that the type `ty` is, by the last segment of its path, looked
/// through `Option<_>` and `Result<_, _>`.
fn extractor(ty: &Type) -> Option<Extractor> {
    let segment = match ty {
        Type::Group(group) => return extractor(&group.elem),
        Type::Paren(paren) => return extractor(&paren.elem),
        Type::Path(path) if path.qself.is_none() => path.path.segments.last()?,
        _ => return None,
    };
    let first_type = || match &segment.arguments {
        PathArguments::AngleBracketed(generics) => generics.args.iter().find_map(|arg| match arg {
            GenericArgument::Type(ty) => Some(ty),
            _ => None,
        }),
        _ => None,
    };
    let name = segment.ident.to_string();
    match name.as_str() {
        "Option" | "Result" => extractor(first_type()?),
        "Json" => Some(Extractor::Json(segment.ident.span())),
        "TypedHeader" => match extractor_name(first_type()?) {
            Some(header) if header == "Authorization" => {
                Some(Extractor::Authorization(last_ident_span(first_type()?)?))
            }
            _ => None,
        },
        "CookieJar" | "SignedCookieJar" | "PrivateCookieJar" => {
            Some(Extractor::CookieJar(segment.ident.span(), name))
        }
        "WebSocketUpgrade" => Some(Extractor::WebSocketUpgrade(segment.ident.span())),
        _ => None,
    }
}

fn extractor_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Group(group) => extractor_name(&group.elem),
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn last_ident_span(ty: &Type) -> Option<Span> {
    match ty {
        Type::Group(group) => last_ident_span(&group.elem),
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.span()),
        _ => None,
    }
}

/// Whether the policy serves a method whose requests carry a body that a
/// browser sends with its `Content-Type`: any but `GET` and `HEAD`. Unknown
/// when `methods` could not be read.
fn sends_json(args: &Args) -> bool {
    !args.unreadable.contains(&Key::Methods)
        && args.methods.as_ref().is_some_and(|methods| {
            methods
                .items
                .iter()
                .any(|m| m.value != "GET" && m.value != "HEAD")
        })
}

/// Whether `headers` lets a preflight ask for `name` (lowercase): listed by
/// name, or `*` for any name but `authorization`. A `headers` that could not be
/// read allows everything, so that its own error stands alone.
fn allows(args: &Args, name: &str) -> bool {
    if args.unreadable.contains(&Key::Headers) {
        return true;
    }
    args.headers.as_ref().is_some_and(|headers| {
        headers.items.iter().any(|h| {
            h.value.eq_ignore_ascii_case(name) || (h.value == "*" && name != "authorization")
        })
    })
}

/// `SignedCookieJar` as `signed_cookie_jar`.
fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(ty: &str) -> Option<String> {
        let ty: Type = syn::parse_str(ty).unwrap();
        extractor(&ty).map(|e| match e {
            Extractor::Json(_) => "json".to_owned(),
            Extractor::Authorization(_) => "authorization".to_owned(),
            Extractor::CookieJar(_, name) => name,
            Extractor::WebSocketUpgrade(_) => "websocket".to_owned(),
        })
    }

    #[test]
    fn extractors_are_known_by_the_last_segment_of_their_path() {
        for (ty, want) in [
            ("Json<Item>", Some("json")),
            ("axum::Json<Item>", Some("json")),
            ("::axum::extract::Json<Vec<u8>>", Some("json")),
            ("Option<Json<Item>>", Some("json")),
            ("Result<Json<Item>, JsonRejection>", Some("json")),
            ("TypedHeader<Authorization<Bearer>>", Some("authorization")),
            (
                "axum_extra::TypedHeader<headers::Authorization<headers::authorization::Basic>>",
                Some("authorization"),
            ),
            (
                "Option<TypedHeader<Authorization<Bearer>>>",
                Some("authorization"),
            ),
            ("CookieJar", Some("CookieJar")),
            ("axum_extra::extract::CookieJar", Some("CookieJar")),
            ("SignedCookieJar<Key>", Some("SignedCookieJar")),
            ("PrivateCookieJar", Some("PrivateCookieJar")),
            ("TypedHeader<ContentType>", None),
            ("Authorization<Bearer>", None),
            ("JsonValue", None),
            ("Json", Some("json")),
            ("State<Json<Item>>", None),
            ("&Json<Item>", None),
            ("<T as Trait>::Json", None),
            ("Vec<CookieJar>", None),
            ("WebSocketUpgrade", Some("websocket")),
            ("axum::extract::ws::WebSocketUpgrade", Some("websocket")),
            ("WebSocketUpgrade<MyFailedUpgrade>", Some("websocket")),
            ("Option<WebSocketUpgrade>", Some("websocket")),
            ("WebSocket", None),
        ] {
            assert_eq!(kind(ty).as_deref(), want, "{ty}");
        }
    }

    #[test]
    fn names_in_snake_case() {
        assert_eq!(snake("CookieJar"), "cookie_jar");
        assert_eq!(snake("PrivateCookieJar"), "private_cookie_jar");
    }
}
