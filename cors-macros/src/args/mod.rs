//! What the user wrote in `#[cors(...)]`, with spans. Only syntax is checked here:
//! the shape of each argument's value. The rules of the policy are checked in
//! `check.rs`, by the runtime crate's validator.

mod value;

use darling::FromMeta;
use darling::ast::NestedMeta;
use proc_macro2::TokenStream;
use runtime::validate::Key;
use syn::spanned::Spanned;

use crate::ctxt::Ctxt;
pub use value::{CratePath, Flag, MaxAge, StrList, Text};
use value::{ListKind, method_element, shown, string_element};

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
        let items = match NestedMeta::parse_meta_list(tokens) {
            Ok(items) => items,
            Err(e) => {
                cx.push(e);
                args.unreadable.extend(Key::ALL);
                return args;
            }
        };
        let mut seen: Vec<String> = Vec::new();
        for item in &items {
            let meta = match item {
                NestedMeta::Meta(meta) => meta,
                NestedMeta::Lit(lit) => {
                    cx.error(
                        lit.span(),
                        format!("expected `key = value`, found `{}`", shown(lit)),
                        Some("write `origins = [...]`"),
                    );
                    continue;
                }
                NestedMeta::NameValueInvalidExpr(invalid) => {
                    cx.error(invalid.value.span(), "expected a value after `=`", None);
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
                cx.error(
                    path.span(),
                    format!("duplicate argument `{key}`"),
                    Some("remove it"),
                );
                continue;
            }
            seen.push(key.clone());
            match key.as_str() {
                CRATE => {
                    args.krate = cx.ok(CratePath::from_meta(meta));
                    continue;
                }
                FILE => {
                    args.file = cx.ok(Text::from_meta(meta, "file = \"cors.toml\""));
                    continue;
                }
                POLICY => {
                    args.policy = cx.ok(Text::from_meta(meta, "policy = \"api\""));
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
                    path.span(),
                    format!("unknown argument `{key}`"),
                    help.as_deref(),
                );
                continue;
            };
            args.written.push((name, path.span()));
            let before = cx.len();
            let strings = |noun, example| string_element(noun, example);
            match name {
                Key::Origins => {
                    let element = strings("an origin", "\"https://app.example.com\"");
                    args.origins = StrList::parse(meta, &ORIGINS, element, cx);
                }
                Key::Methods => args.methods = StrList::parse(meta, &METHODS, method_element, cx),
                Key::Headers => {
                    let element = strings("a header name", "\"content-type\"");
                    args.headers = StrList::parse(meta, &HEADERS, element, cx);
                }
                Key::Expose => {
                    let element = strings("a header name", "\"x-request-id\"");
                    args.expose = StrList::parse(meta, &EXPOSE, element, cx);
                }
                Key::MaxAge => args.max_age = cx.ok(MaxAge::from_meta(meta)),
                flag => {
                    let value = cx.ok(Flag::from_meta(meta));
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

/// The known argument closest to `key`, when it is close enough to be a typo.
fn closest(key: &str) -> Option<&'static str> {
    runtime::validate::closest_key(key, &[CRATE, FILE, POLICY])
}
