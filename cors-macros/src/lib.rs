//! The `#[cors]` attribute of [static-cors](https://docs.rs/static-cors). Use it
//! through the `static-cors` crate, which documents it in full.
//!
//! The pipeline is parse (`args`), check (`check.rs`, which calls the runtime
//! crate's validator, and `signature.rs`, which holds the handler's extractors
//! to the policy) and expand (`expand.rs`), with every error in one context
//! (`ctxt.rs`).
#![forbid(unsafe_code)]

mod args;
mod check;
mod ctxt;
mod expand;
mod file;
mod handler;
mod signature;
mod tokens;
mod warning;

use args::CratePath;
use proc_macro::TokenStream;
use proc_macro2::{Ident, Punct, Spacing, Span, TokenTree};
use quote::quote;

extern crate static_cors_runtime as runtime;

/// Checks a handler's CORS policy at compile time.
///
/// ```text
/// #[cors(
///     origins = ["https://app.example.com", "https://*.example.org", "http://localhost:*",
///                "https://pr-*.preview.example.com", "chrome-extension://abcdefghijklmnop"], // or "*"
///     methods = [GET, POST, "PURGE"],          // identifiers or strings: the methods the handler serves
///     headers = ["content-type"],              // request headers a preflight may ask for, or "*"
///     expose = ["x-request-id"],               // response headers scripts may read, or "*"
///     credentials,                             // or `credentials = true`
///     max_age = 600,                           // seconds, 0..=86400
///     private_network,                         // grant Access-Control-Request-Private-Network
///     csrf,                                    // refuse cross-origin writes and WebSocket handshakes (403)
///     dangerous_insecure_origins,              // opt-in: non-loopback http:// origins with credentials
///     dangerous_public_suffix_wildcards,       // opt-in: https://*.github.io with credentials
///     dangerous_any_extension_origin,          // opt-in: moz-extension://* with credentials
///     crate = ::static_cors,                   // path to the static-cors crate
/// )]
/// ```
///
/// `origins` and `methods` are required. Every rule of the policy is checked
/// while the crate compiles; each mistake is an error on the offending literal
/// or identifier, with a `help:` that shows the fix, and all of an attribute's
/// mistakes are reported together.
///
/// The handler's signature is held to the policy too, by the name of each
/// argument's type (the last segment of its path, looked through `Option<_>` and
/// `Result<_, _>`): `Json<T>` on a policy that serves a method other than `GET`
/// and `HEAD` needs `content-type` (or `"*"`) in `headers`, and
/// `TypedHeader<Authorization<_>>` needs `authorization` listed by name; each is
/// an error on the type. A cookie jar (`CookieJar`, `SignedCookieJar`,
/// `PrivateCookieJar`) without `credentials` is a warning, since cross-origin
/// calls then arrive without cookies; `credentials = false`, written out, says
/// that this is meant and silences it. So is `WebSocketUpgrade` without `csrf`:
/// browsers do not apply CORS to WebSockets, so `origins` would guard nothing
/// and any site could open the socket; `csrf` checks the handshake's `Origin`,
/// and `csrf = false`, written out, silences the warning.
///
/// The function is emitted unchanged: it stays an ordinary axum handler. Beside
/// it, a module of the same name holds the validated policy, `handler::POLICY`,
/// a `static` whose header values are all `HeaderValue::from_static`. Mount the
/// handler with its preflight route with `static_cors::cors_route!(handler)`.
#[proc_macro_attribute]
pub fn cors(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand(attr.into(), item.into()).into()
}

/// A policy for a whole application, checked at compile time: the attribute's
/// arguments, the same rules and the same errors, evaluating to a `Policy` built
/// entirely at compile time, for a `static` and `CorsLayer::new`.
///
/// ```text
/// static API: Policy = cors_policy!(
///     origins = ["https://app.example.com"],
///     methods = [GET, POST],
///     headers = ["content-type"],
/// );
/// ```
///
/// `crate = path` names a renamed `static-cors` dependency, as in `#[cors]`.
#[proc_macro]
pub fn cors_policy(input: TokenStream) -> TokenStream {
    policy_expression(input.into()).into()
}

/// `cors_policy!`'s expansion.
fn policy_expression(input: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    let mut cx = ctxt::Ctxt::default();
    let args = args::Args::parse(input, &mut cx);
    let krate = args.krate.clone().unwrap_or_else(CratePath::default_path);
    let policy = check::policy(&args, &mut cx);
    let expression = expand::expression(&krate, policy.as_ref());
    let track = file::track(&args);
    // In expression position the errors go inside the block, beside the
    // stand-in that keeps the rest of the crate type-checking.
    match cx.finish() {
        Ok(()) => quote!({ #track #expression }),
        Err(errors) => quote!({ #track #errors #expression }),
    }
}

fn expand(
    attr: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let mut cx = ctxt::Ctxt::default();
    let Some(function) = handler::Handler::parse(item.clone(), &mut cx) else {
        return with_errors(cx, item);
    };
    let args = args::Args::parse(attr, &mut cx);
    let krate = args
        .krate
        .as_ref()
        .map_or_else(CratePath::default_path, nested);
    let policy = check::policy(&args, &mut cx);
    let warnings = signature::check(&function.inputs, &args, &mut cx);
    let target = expand::Target {
        ident: &function.ident,
        vis: &function.vis,
        warnings: &warnings,
    };
    let companion = expand::companion(&target, &krate, policy.as_ref());
    let track = file::track(&args);
    with_errors(cx, quote!(#item #companion #track))
}

/// The expansion, followed by every error recorded.
fn with_errors(cx: ctxt::Ctxt, tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    match cx.finish() {
        Ok(()) => tokens,
        Err(errors) => quote!(#tokens #errors),
    }
}

/// The crate path as seen from inside the companion module, one level down.
fn nested(path: &CratePath) -> CratePath {
    let first = path.segments.first().map(|s| s.to_string());
    match first.as_deref() {
        _ if path.leading_colon => path.clone(),
        Some("crate") | Some("$crate") => path.clone(),
        _ => {
            // `super` takes the span of the user's path, where an error belongs.
            let span = path
                .segments
                .first()
                .map_or_else(Span::call_site, Ident::span);
            let sup = Ident::new("super", span);
            let mut tokens = vec![
                TokenTree::Ident(sup.clone()),
                TokenTree::Punct(Punct::new(':', Spacing::Joint)),
                TokenTree::Punct(Punct::new(':', Spacing::Alone)),
            ];
            tokens.extend(path.tokens.iter().cloned());
            let mut segments = vec![sup];
            segments.extend(path.segments.iter().cloned());
            CratePath {
                tokens,
                leading_colon: false,
                segments,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// What random inputs are made of: every kind of token that the parsers
    /// branch on, and balanced groups (an input that does not lex never
    /// reaches a macro).
    const PIECES: &[&str] = &[
        "origins",
        "methods",
        "headers",
        "expose",
        "credentials",
        "max_age",
        "csrf",
        "debug",
        "private_network",
        "crate",
        "file",
        "policy",
        "dangerous_any_extension_origin",
        "dangerous_insecure_origins",
        "GET",
        "POST",
        "\"PURGE\"",
        "\"https://a.com\"",
        "\"https://*.a.com\"",
        "\"moz-extension://*\"",
        "\"*\"",
        "\"content-type\"",
        "600",
        "0x10",
        "-1",
        "1.5",
        "99999999999999999999999",
        "'a'",
        "b\"x\"",
        "r#\"y\"#",
        "=",
        ",",
        ":",
        "::",
        "<",
        ">",
        "->",
        "=>",
        "&",
        "#",
        "!",
        "?",
        ";",
        "_",
        "fn",
        "async",
        "pub",
        "self",
        "mut",
        "impl",
        "const",
        "unsafe",
        "extern",
        "r#type",
        "true",
        "false",
        "super",
        "Json",
        "WebSocketUpgrade",
        "Option",
        "Result",
        "CookieJar",
        "TypedHeader",
        "Authorization",
        "[\"https://a.com\", \"http://localhost:3000\"]",
        "[GET, POST]",
        "[]",
        "()",
        "{}",
        "{ 1 }",
        "(body: String)",
        "(self)",
        "(x: Json<T>, y: &'a str)",
        "<T: Fn(u8) -> u8>",
        "[#[doc = \"d\"]]",
        "(crate)",
        "(in super)",
    ];

    fn tokens() -> impl Strategy<Value = proc_macro2::TokenStream> {
        prop::collection::vec(prop::sample::select(PIECES), 0..24).prop_map(|pieces| {
            pieces
                .join(" ")
                .parse()
                .expect("the pieces are balanced, and lex in any order")
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Whatever the attribute and the item under it, the attribute expands:
        /// errors are tokens, never a panic.
        #[test]
        fn any_attribute_on_any_item_expands(attr in tokens(), item in tokens()) {
            let _ = super::expand(attr, item);
        }

        /// The same for any arguments on a real handler, whose signature is read.
        #[test]
        fn any_arguments_on_a_handler_expand(attr in tokens(), args in tokens()) {
            let item = format!("pub async fn handler({args}) -> &'static str {{ \"\" }}");
            if let Ok(item) = item.parse() {
                let _ = super::expand(attr, item);
            }
        }

        /// And for `cors_policy!`.
        #[test]
        fn any_policy_arguments_expand(input in tokens()) {
            let _ = super::policy_expression(input);
        }
    }
}
