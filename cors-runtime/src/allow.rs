//! A path's `Allow` value, joined by one rule in a `const` context (for
//! `cors_route!`, at compile time) or at run time (for [`crate::Resource::new`]).

/// The most bytes of a path's `Allow` value.
pub const ALLOW_CAPACITY: usize = 1024;

/// A path's `Allow` value joined in a `const` context: the bytes and their length.
pub type AllowBytes = ([u8; ALLOW_CAPACITY], usize);

/// Joins a path's methods into its `Allow` value, in a `const` context or at run
/// time alike: in mount order, `HEAD` after `GET` unless a handler lists `HEAD`,
/// then `OPTIONS`.
///
/// # Panics
///
/// When the value would exceed [`ALLOW_CAPACITY`] bytes (at compile time, for
/// `cors_route!`).
pub const fn allow_bytes(lists: &[&[&str]]) -> AllowBytes {
    let mut out = ([0u8; ALLOW_CAPACITY], 0);
    let head = contains(lists, "HEAD");
    let mut l = 0;
    while l < lists.len() {
        let mut m = 0;
        while m < lists[l].len() {
            push(&mut out, lists[l][m]);
            if eq(lists[l][m], "GET") && !head {
                push(&mut out, "HEAD");
            }
            m += 1;
        }
        l += 1;
    }
    push(&mut out, "OPTIONS");
    out
}

/// The text of an `Allow` value joined by [`allow_bytes`].
pub const fn allow_str(joined: &'static AllowBytes) -> &'static str {
    match core::str::from_utf8(joined.0.split_at(joined.1).0) {
        Ok(text) => text,
        Err(_) => panic!("methods are ASCII tokens"),
    }
}

/// Whether two handlers' method lists have no method in common (byte for byte).
pub const fn disjoint(a: &[&str], b: &[&str]) -> bool {
    let mut i = 0;
    while i < a.len() {
        if contains(&[b], a[i]) {
            return false;
        }
        i += 1;
    }
    true
}

const fn contains(lists: &[&[&str]], method: &str) -> bool {
    let mut l = 0;
    while l < lists.len() {
        let mut m = 0;
        while m < lists[l].len() {
            if eq(lists[l][m], method) {
                return true;
            }
            m += 1;
        }
        l += 1;
    }
    false
}

const fn push(out: &mut AllowBytes, method: &str) {
    let bytes = method.as_bytes();
    let separator = if out.1 == 0 { 0 } else { 2 };
    if out.1 + separator + bytes.len() > ALLOW_CAPACITY {
        panic!("the methods of one path are too many for its `Allow` header");
    }
    if separator == 2 {
        out.0[out.1] = b',';
        out.0[out.1 + 1] = b' ';
        out.1 += 2;
    }
    let mut i = 0;
    while i < bytes.len() {
        out.0[out.1] = bytes[i];
        out.1 += 1;
        i += 1;
    }
}

const fn eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_values_are_joined_at_compile_time() {
        static PLAIN: AllowBytes = allow_bytes(&[&["GET"], &["POST", "PURGE"]]);
        assert_eq!(allow_str(&PLAIN), "GET, HEAD, POST, PURGE, OPTIONS");
        static EXPLICIT_HEAD: AllowBytes = allow_bytes(&[&["HEAD"], &["GET", "patch"]]);
        assert_eq!(allow_str(&EXPLICIT_HEAD), "HEAD, GET, patch, OPTIONS");
    }

    #[test]
    fn method_lists_overlap_byte_for_byte() {
        assert!(disjoint(&["GET", "patch"], &["POST", "PATCH"]));
        assert!(!disjoint(&["GET", "PUT"], &["PUT"]));
    }
}
