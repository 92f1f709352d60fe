//! What the unit tests of several modules share.

use http::{HeaderMap, HeaderValue};

/// A header map with these lines, in order; a name may repeat.
pub(crate) fn request(lines: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in lines {
        map.append(*name, HeaderValue::from_static(value));
    }
    map
}
