//! The annotated function as the attribute reads it: its visibility, its name
//! and the type of each argument. The body is kept as tokens and never parsed,
//! which keeps the attribute's own work independent of the handler's size.
//!
//! rustc hands an attribute only items that parse, so the reading here only has
//! to tell a function from other items and find its parts, not to check them.

use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};

use crate::ctxt::Ctxt;
use crate::tokens::{Angle, angle, angle_len, flat, is_punct, split_commas, starts_with_path_sep};

/// A handler function, without its body.
pub struct Handler {
    /// Its visibility as written: empty, `pub`, `pub(crate)`...
    pub vis: TokenStream,
    /// Its name.
    pub ident: Ident,
    /// Its arguments.
    pub inputs: Vec<Input>,
}

/// One argument of the handler.
pub struct Input {
    /// Its type's tokens: what follows the first `:` of the argument.
    pub ty: Vec<TokenTree>,
}

/// Why the item cannot carry `#[cors]`.
enum NotAHandler {
    /// It is no function.
    NotAFunction,
    /// It takes `self`, at this span.
    Receiver(Span),
}

impl Handler {
    /// Reads the item under `#[cors]`, or records why it cannot carry one.
    pub fn parse(item: TokenStream, cx: &mut Ctxt) -> Option<Self> {
        match read(&flat(item)) {
            Ok(handler) => Some(handler),
            Err(NotAHandler::NotAFunction) => {
                cx.error(
                    Span::call_site(),
                    "`#[cors]` applies to a handler function",
                    Some("put it on an `async fn` that axum can serve"),
                );
                None
            }
            Err(NotAHandler::Receiver(span)) => {
                cx.error(
                    span,
                    "`#[cors]` applies to free functions: a handler takes no `self`",
                    Some("move the handler out of the `impl` block"),
                );
                None
            }
        }
    }
}

/// Reads `#[attr]* vis qualifiers fn name<generics>(inputs) ... { body }`.
fn read(tokens: &[TokenTree]) -> Result<Handler, NotAHandler> {
    let mut rest = skip_attributes(tokens);
    let vis_len = match rest {
        [TokenTree::Ident(p), TokenTree::Group(g), ..]
            if p == "pub" && g.delimiter() == Delimiter::Parenthesis =>
        {
            2
        }
        [TokenTree::Ident(p), ..] if p == "pub" => 1,
        _ => 0,
    };
    let vis = rest[..vis_len].iter().cloned().collect();
    rest = &rest[vis_len..];
    // `const`, `async`, `unsafe`, `safe`, `extern "C"`, in rustc's order.
    loop {
        match rest {
            [TokenTree::Ident(q), ..]
                if q == "const" || q == "async" || q == "unsafe" || q == "safe" =>
            {
                rest = &rest[1..];
            }
            [TokenTree::Ident(q), TokenTree::Literal(_), ..] if q == "extern" => {
                rest = &rest[2..];
            }
            [TokenTree::Ident(q), ..] if q == "extern" => rest = &rest[1..],
            _ => break,
        }
    }
    let [
        TokenTree::Ident(fn_token),
        TokenTree::Ident(ident),
        after @ ..,
    ] = rest
    else {
        return Err(NotAHandler::NotAFunction);
    };
    if fn_token != "fn" {
        return Err(NotAHandler::NotAFunction);
    }
    rest = after;
    if is_punct(rest.first(), '<') {
        let generics = angle_len(rest).ok_or(NotAHandler::NotAFunction)?;
        rest = &rest[generics..];
    }
    let Some(TokenTree::Group(inputs)) = rest.first() else {
        return Err(NotAHandler::NotAFunction);
    };
    let body =
        matches!(rest.last(), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace);
    if inputs.delimiter() != Delimiter::Parenthesis || !body || rest.len() < 2 {
        return Err(NotAHandler::NotAFunction);
    }
    let inputs = flat(inputs.stream());
    let mut read = Vec::new();
    for (input, _) in split_commas(&inputs) {
        if let Some(first) = input.first()
            && is_receiver(skip_attributes(input))
        {
            return Err(NotAHandler::Receiver(first.span()));
        }
        read.push(Input {
            ty: type_of(input).to_vec(),
        });
    }
    Ok(Handler {
        vis,
        ident: ident.clone(),
        inputs: read,
    })
}

/// `tokens` after the outer attributes they start with, `#[...]`.
fn skip_attributes(mut tokens: &[TokenTree]) -> &[TokenTree] {
    while let [TokenTree::Punct(hash), TokenTree::Group(group), rest @ ..] = tokens {
        if hash.as_char() != '#' || group.delimiter() != Delimiter::Bracket {
            break;
        }
        tokens = rest;
    }
    tokens
}

/// Whether `input` is a receiver: `self`, `mut self`, `&self`, `&'a mut self`,
/// `self: Box<Self>`...
fn is_receiver(input: &[TokenTree]) -> bool {
    let mut rest = input;
    if is_punct(rest.first(), '&') {
        rest = &rest[1..];
        // A lifetime: `'` and its name.
        if is_punct(rest.first(), '\'') {
            rest = rest.get(2..).unwrap_or_default();
        }
    }
    if matches!(rest.first(), Some(TokenTree::Ident(m)) if m == "mut") {
        rest = &rest[1..];
    }
    match rest {
        [TokenTree::Ident(s)] => s == "self",
        [TokenTree::Ident(s), after @ ..] => {
            s == "self" && is_punct(after.first(), ':') && !starts_with_path_sep(after)
        }
        _ => false,
    }
}

/// The type of an argument: what follows its first `:` that is not half of a
/// `::`, outside any `<...>` of the pattern's paths.
fn type_of(input: &[TokenTree]) -> &[TokenTree] {
    let mut i = 0;
    let mut depth = 0usize;
    while i < input.len() {
        if starts_with_path_sep(&input[i..]) {
            i += 2;
            continue;
        }
        match angle(input, i) {
            Angle::Open => depth += 1,
            Angle::Close => depth = depth.saturating_sub(1),
            Angle::None if depth == 0 && is_punct(input.get(i), ':') => return &input[i + 1..],
            Angle::None => {}
        }
        i += 1;
    }
    &[]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::shown;

    /// The name and each argument's type of `item`, or why it is no handler.
    fn read_str(item: &str) -> Result<(String, Vec<String>), &'static str> {
        match read(&flat(item.parse().unwrap())) {
            Ok(handler) => {
                let types = handler
                    .inputs
                    .iter()
                    .map(|input| shown(&input.ty))
                    .collect();
                Ok((handler.ident.to_string(), types))
            }
            Err(NotAHandler::NotAFunction) => Err("not a function"),
            Err(NotAHandler::Receiver(_)) => Err("receiver"),
        }
    }

    fn types(texts: &[&str]) -> Vec<String> {
        texts
            .iter()
            .map(|t| shown(&flat(t.parse().unwrap())))
            .collect()
    }

    #[test]
    fn arguments_are_split_and_typed() {
        let item = "#[doc = \"x\"] pub(crate) async fn create<F: Fn(u8) -> u8, T>(\
                    State(state): State<AppState>, \
                    #[allow(unused)] axum::Json(body): axum::Json<Map<String, u8>>, \
                    mut n: u8, _: ::std::Option<T>, Point { x, y: _ }: Point) -> String { todo!() }";
        let want = types(&[
            "State<AppState>",
            "axum::Json<Map<String, u8>>",
            "u8",
            "::std::Option<T>",
            "Point",
        ]);
        assert_eq!(read_str(item), Ok(("create".to_owned(), want)));
        let item = "const unsafe extern \"C\" fn plain() {}";
        assert_eq!(read_str(item), Ok(("plain".to_owned(), Vec::new())));
    }

    #[test]
    fn receivers_and_other_items_are_refused() {
        for item in [
            "async fn h(self) {}",
            "async fn h(&self) {}",
            "async fn h(&'a mut self, x: u8) {}",
            "async fn h(mut self: Box<Self>) {}",
        ] {
            assert_eq!(read_str(item), Err("receiver"), "{item}");
        }
        assert!(read_str("async fn h(self::Wrapper(x): Wrapper) {}").is_ok());
        for item in [
            "struct Handler;",
            "const F: fn() = f;",
            "fn declared();",
            "mod m {}",
            "",
        ] {
            assert_eq!(read_str(item), Err("not a function"), "{item}");
        }
    }
}
