//! Reading token trees: the few shapes that the attribute and the handler's
//! signature are made of (lists split at commas, paths, string and integer
//! literals), read directly from `proc-macro2` tokens.
//!
//! Groups without delimiters, which `macro_rules!` puts around the fragments it
//! passes on (`$e:expr`, `$t:ty`), are looked through everywhere, so that an
//! argument reads the same whether it was written by hand or by a macro.

use proc_macro2::{Delimiter, Spacing, Span, TokenStream, TokenTree};

/// The tokens of `stream`, with every group without delimiters replaced by its
/// contents.
pub fn flat(stream: TokenStream) -> Vec<TokenTree> {
    let mut out = Vec::new();
    for tree in stream {
        match tree {
            TokenTree::Group(group) if group.delimiter() == Delimiter::None => {
                out.extend(flat(group.stream()));
            }
            other => out.push(other),
        }
    }
    out
}

/// Whether `tree` is the punctuation character `ch`.
pub fn is_punct(tree: Option<&TokenTree>, ch: char) -> bool {
    matches!(tree, Some(TokenTree::Punct(p)) if p.as_char() == ch)
}

/// Whether `tokens` starts with `::` (two `:` written together).
pub fn starts_with_path_sep(tokens: &[TokenTree]) -> bool {
    matches!(tokens.first(), Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
        && is_punct(tokens.get(1), ':')
}

/// Whether `tokens` starts with a lone `=`, not `==` or `=>`.
pub fn starts_with_eq(tokens: &[TokenTree]) -> bool {
    match tokens.first() {
        Some(TokenTree::Punct(p)) if p.as_char() == '=' => {
            p.spacing() == Spacing::Alone
                || !(is_punct(tokens.get(1), '=') || is_punct(tokens.get(1), '>'))
        }
        _ => false,
    }
}

/// `tokens` split at their top-level commas: commas inside a group are in no
/// piece's way, and neither are those between `<` and `>`, which delimit no
/// group (`Result<A, B>`). A trailing comma makes no empty last piece; each
/// other piece comes with the comma that ends it, if any, for errors about
/// empty pieces.
pub fn split_commas(tokens: &[TokenTree]) -> Vec<(&[TokenTree], Option<Span>)> {
    let mut pieces = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, tree) in tokens.iter().enumerate() {
        match angle(tokens, i) {
            Angle::Open => depth += 1,
            Angle::Close => depth = depth.saturating_sub(1),
            Angle::None => {
                if let TokenTree::Punct(p) = tree
                    && p.as_char() == ','
                    && depth == 0
                {
                    pieces.push((&tokens[start..i], Some(p.span())));
                    start = i + 1;
                }
            }
        }
    }
    if start < tokens.len() {
        pieces.push((&tokens[start..], None));
    }
    pieces
}

/// What the token at `i` does to the depth of angle brackets.
pub enum Angle {
    /// A `<`.
    Open,
    /// A `>` that closes one.
    Close,
    /// Anything else.
    None,
}

/// Whether the token at `i` opens or closes angle brackets: a `<`, or a `>`
/// that is not the head of a `->` (`Fn() -> T` closes nothing).
pub fn angle(tokens: &[TokenTree], i: usize) -> Angle {
    let is_arrow_head = |tree: &TokenTree| matches!(tree, TokenTree::Punct(p) if p.as_char() == '-' && p.spacing() == Spacing::Joint);
    match &tokens[i] {
        TokenTree::Punct(p) if p.as_char() == '<' => Angle::Open,
        TokenTree::Punct(p) if p.as_char() == '>' && !(i > 0 && is_arrow_head(&tokens[i - 1])) => {
            Angle::Close
        }
        _ => Angle::None,
    }
}

/// The length of the `<...>` that `tokens` starts with, angle brackets
/// included, or `None` when they are not closed.
pub fn angle_len(tokens: &[TokenTree]) -> Option<usize> {
    let mut depth = 0usize;
    for i in 0..tokens.len() {
        match angle(tokens, i) {
            Angle::Open => depth += 1,
            Angle::Close => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            Angle::None => {}
        }
    }
    None
}

/// The span of the first token, where an error about all of `tokens` goes (as
/// rustc shows a span over several tokens on stable), or `fallback` when there
/// is none.
pub fn first_span(tokens: &[TokenTree], fallback: Span) -> Span {
    tokens.first().map_or(fallback, TokenTree::span)
}

/// How many tokens the path that `tokens` starts with takes, `a::b` or
/// `::a::b` (with no generic arguments); 0 when they start with no path.
pub fn path_len(tokens: &[TokenTree]) -> usize {
    let mut len = if starts_with_path_sep(tokens) { 2 } else { 0 };
    loop {
        if !matches!(tokens.get(len), Some(TokenTree::Ident(_))) {
            return 0;
        }
        len += 1;
        if !starts_with_path_sep(&tokens[len..]) {
            return len;
        }
        len += 2;
    }
}

/// A path with no generic arguments, `a::b` or `::a::b`, making up all of
/// `tokens`: its segments, and whether it has a leading `::`.
pub fn simple_path(tokens: &[TokenTree]) -> Option<(bool, Vec<proc_macro2::Ident>)> {
    let len = path_len(tokens);
    if len == 0 || len != tokens.len() {
        return None;
    }
    let segments = tokens
        .iter()
        .filter_map(|tree| match tree {
            TokenTree::Ident(ident) => Some(ident.clone()),
            _ => None,
        })
        .collect();
    Some((starts_with_path_sep(tokens), segments))
}

/// Tokens as the user wrote them, for a message: `config::ORIGINS`, `-1`, cut
/// short after 60 characters.
pub fn shown(tokens: &[TokenTree]) -> String {
    let text = tokens.iter().cloned().collect::<TokenStream>().to_string();
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

/// The value of a string literal, `"..."` or `r#"..."#`, when `tokens` is one;
/// byte strings, C strings and literals with a suffix are not strings.
pub fn string(tokens: &[TokenTree]) -> Option<String> {
    let [TokenTree::Literal(literal)] = tokens else {
        return None;
    };
    let text = literal.to_string();
    if let Some(raw) = text.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let body = raw[hashes..].strip_prefix('"')?;
        let body = body.strip_suffix(&"#".repeat(hashes))?;
        return body.strip_suffix('"').map(str::to_owned);
    }
    unescape(text.strip_prefix('"')?.strip_suffix('"')?)
}

/// The contents of a (non-raw) string literal, with its escapes resolved.
fn unescape(body: &str) -> Option<String> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '\\' => out.push('\\'),
            '0' => out.push('\0'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'x' => {
                let digits: String = [chars.next()?, chars.next()?].iter().collect();
                let byte = u8::from_str_radix(&digits, 16).ok().filter(u8::is_ascii)?;
                out.push(char::from(byte));
            }
            'u' => {
                if chars.next()? != '{' {
                    return None;
                }
                let mut digits = String::new();
                loop {
                    match chars.next()? {
                        '}' => break,
                        '_' => {}
                        d => digits.push(d),
                    }
                }
                out.push(char::from_u32(u32::from_str_radix(&digits, 16).ok()?)?);
            }
            // A line continuation: the newline and the whitespace after it.
            '\n' | '\r' => while chars.next_if(|c| c.is_ascii_whitespace()).is_some() {},
            _ => return None,
        }
    }
    Some(out)
}

/// What an integer literal holds.
pub enum Integer {
    /// Its value.
    Value(u64),
    /// More than `u64::MAX`.
    TooLarge,
}

/// The value of an unsigned integer literal (`600`, `0x258`, `600u32`), when
/// `tokens` is one.
pub fn integer(tokens: &[TokenTree]) -> Option<Integer> {
    let [TokenTree::Literal(literal)] = tokens else {
        return None;
    };
    let text = literal.to_string();
    let (radix, digits) = match text.get(..2) {
        Some("0x") => (16, &text[2..]),
        Some("0o") => (8, &text[2..]),
        Some("0b") => (2, &text[2..]),
        _ => (10, text.as_str()),
    };
    if !digits.starts_with(|c: char| c.is_digit(radix)) {
        return None;
    }
    let end = digits
        .find(|c: char| !(c.is_digit(radix) || c == '_'))
        .unwrap_or(digits.len());
    let suffix = &digits[end..];
    const SUFFIXES: [&str; 13] = [
        "", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
    ];
    if !SUFFIXES.contains(&suffix) {
        return None;
    }
    let mut value: u64 = 0;
    for digit in digits[..end].chars().filter_map(|c| c.to_digit(radix)) {
        let next = value
            .checked_mul(u64::from(radix))
            .and_then(|v| v.checked_add(u64::from(digit)));
        match next {
            Some(next) => value = next,
            None => return Some(Integer::TooLarge),
        }
    }
    Some(Integer::Value(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<TokenTree> {
        flat(text.parse().unwrap())
    }

    #[test]
    fn strings_are_read_with_their_escapes() {
        let cases = [
            (r#""content-type""#, Some("content-type")),
            (r#""a\"b\\c\n\x41\u{1F600}""#, Some("a\"b\\c\nA\u{1F600}")),
            (r##"r#"say "hi""#"##, Some("say \"hi\"")),
            (r#"r"plain""#, Some("plain")),
            ("\"one \\\n    two\"", Some("one two")),
            (r#"b"bytes""#, None),
            (r#"c"text""#, None),
            ("'c'", None),
            ("600", None),
            ("GET", None),
            (r#""a" "b""#, None),
        ];
        for (text, want) in cases {
            assert_eq!(string(&tokens(text)).as_deref(), want, "{text}");
        }
    }

    #[test]
    fn integers_are_read_in_every_base() {
        let value = |text: &str| match integer(&tokens(text)) {
            Some(Integer::Value(v)) => Some(Some(v)),
            Some(Integer::TooLarge) => Some(None),
            None => None,
        };
        assert_eq!(value("600"), Some(Some(600)));
        assert_eq!(value("86_400"), Some(Some(86_400)));
        assert_eq!(value("0x258"), Some(Some(600)));
        assert_eq!(value("0o1130"), Some(Some(600)));
        assert_eq!(value("0b1001011000"), Some(Some(600)));
        assert_eq!(value("600u32"), Some(Some(600)));
        assert_eq!(value("18446744073709551615"), Some(Some(u64::MAX)));
        assert_eq!(value("100000000000000000000"), Some(None));
        assert_eq!(value("600.0"), None);
        assert_eq!(value("6e2"), None);
        assert_eq!(value("600f32"), None);
        assert_eq!(value("\"600\""), None);
        assert_eq!(value("-1"), None);
    }

    #[test]
    fn commas_split_outside_groups_and_angle_brackets() {
        let input = tokens("a: Result<A, B>, (b, c): (u8, u8), f: F<fn() -> u8, X>,");
        let pieces: Vec<String> = split_commas(&input)
            .into_iter()
            .map(|(piece, _)| shown(piece))
            .collect();
        let want = ["a: Result<A, B>", "(b, c): (u8, u8)", "f: F<fn() -> u8, X>"]
            .map(|piece| shown(&tokens(piece)));
        assert_eq!(pieces, want);
    }

    #[test]
    fn paths_without_generics() {
        let path = |text: &str| {
            simple_path(&tokens(text)).map(|(leading, segments)| {
                let names: Vec<String> = segments.iter().map(ToString::to_string).collect();
                (leading, names.join("/"))
            })
        };
        assert_eq!(path("static_cors"), Some((false, "static_cors".into())));
        assert_eq!(path("::static_cors"), Some((true, "static_cors".into())));
        assert_eq!(path("renamed::cors"), Some((false, "renamed/cors".into())));
        assert_eq!(path("a::"), None);
        assert_eq!(path("a::<T>"), None);
        assert_eq!(path("\"a\""), None);
        assert_eq!(path(""), None);
    }
}
