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

use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use quote::ToTokens;
use runtime::validate::Key;

use crate::args::Args;
use crate::ctxt::Ctxt;
use crate::handler::Input;
use crate::tokens::{
    angle_len, flat, is_punct, split_commas, starts_with_eq, starts_with_path_sep,
};
use crate::warning::FormattedWarning;

/// An extractor that the policy must make room for, with the span of its name.
enum Extractor {
    Json(Span),
    Authorization(Span),
    CookieJar(Span, String),
    WebSocketUpgrade(Span),
}

/// Checks each argument of the handler against the policy's arguments: errors
/// go to `cx`, and the warnings are returned as items for the companion module.
pub fn check(inputs: &[Input], args: &Args, cx: &mut Ctxt) -> TokenStream {
    let mut warnings = TokenStream::new();
    let mut count = 0;
    for extractor in inputs.iter().filter_map(|input| extractor(&input.ty)) {
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
fn extractor(ty: &[TokenTree]) -> Option<Extractor> {
    // `(T)` is `T`; a tuple, `(A, B)` or `(A,)`, is no extractor.
    if let [TokenTree::Group(group)] = ty
        && group.delimiter() == Delimiter::Parenthesis
    {
        let inner = flat(group.stream());
        let is_tuple = split_commas(&inner)
            .iter()
            .any(|(_, comma)| comma.is_some());
        return if is_tuple { None } else { extractor(&inner) };
    }
    let (segment, generics) = last_segment(ty)?;
    let span = segment.span();
    let first_type = || first_type(generics?);
    let name = segment.to_string();
    match name.as_str() {
        "Option" | "Result" => extractor(first_type()?),
        "Json" => Some(Extractor::Json(span)),
        "TypedHeader" => match last_segment(first_type()?) {
            Some((header, _)) if header == "Authorization" => {
                Some(Extractor::Authorization(header.span()))
            }
            _ => None,
        },
        "CookieJar" | "SignedCookieJar" | "PrivateCookieJar" => {
            Some(Extractor::CookieJar(span, name))
        }
        "WebSocketUpgrade" => Some(Extractor::WebSocketUpgrade(span)),
        _ => None,
    }
}

/// When all of `ty` is a path, `a::b::C<T>` (with no `<T as Trait>::` before
/// it), its last segment's name, with the tokens between the `<` and `>` of its
/// generic arguments, if it has any.
fn last_segment(ty: &[TokenTree]) -> Option<(&Ident, Option<&[TokenTree]>)> {
    let mut rest = if starts_with_path_sep(ty) {
        &ty[2..]
    } else {
        ty
    };
    loop {
        let [TokenTree::Ident(ident), after @ ..] = rest else {
            return None;
        };
        rest = after;
        // `Json::<T>` is `Json<T>`.
        if starts_with_path_sep(rest) && is_punct(rest.get(2), '<') {
            rest = &rest[2..];
        }
        let mut generics = None;
        if is_punct(rest.first(), '<') {
            let len = angle_len(rest)?;
            generics = Some(&rest[1..len - 1]);
            rest = &rest[len..];
        }
        if rest.is_empty() {
            return Some((ident, generics));
        }
        if !starts_with_path_sep(rest) {
            return None;
        }
        rest = &rest[2..];
    }
}

/// The first of the generic arguments `generics` that is a type: not a
/// lifetime (`'a`), a constant (`3`, `{ N }`), or a binding (`Item = T`,
/// `T: Bound`).
fn first_type(generics: &[TokenTree]) -> Option<&[TokenTree]> {
    split_commas(generics)
        .into_iter()
        .map(|(arg, _)| arg)
        .find(|arg| match arg {
            [] => false,
            [TokenTree::Punct(p), ..] if p.as_char() == '\'' || p.as_char() == '-' => false,
            [TokenTree::Literal(_), ..] => false,
            [TokenTree::Group(g), ..] if g.delimiter() == Delimiter::Brace => false,
            [TokenTree::Ident(_), after @ ..] => {
                !starts_with_eq(after)
                    && (!is_punct(after.first(), ':') || starts_with_path_sep(after))
            }
            _ => true,
        })
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
        let ty: TokenStream = ty.parse().unwrap();
        extractor(&flat(ty)).map(|e| match e {
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
            ("(Json<Item>)", Some("json")),
            ("(Json<Item>,)", None),
            ("(Json<Item>, CookieJar)", None),
            ("Json::<Item>", Some("json")),
            ("Option<&'static str>", None),
            (
                "Result<Json<HashMap<String, Vec<u8>>>, JsonRejection>",
                Some("json"),
            ),
            ("Box<dyn Fn(Json<Item>) -> CookieJar>", None),
            ("dyn CookieJar", None),
            ("impl CookieJar", None),
            ("[CookieJar; 2]", None),
            ("fn() -> CookieJar", None),
            ("CookieJar + Send", None),
            ("Option<'a, Json<Item>>", Some("json")),
            ("Option<N = Json<Item>>", None),
            ("", None),
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
