#!/usr/bin/env bash
# The three crates as they would be published: each is packaged and built from
# its packaged form (the facade against the packaged runtime and macros, through
# cargo's local overlay of the registry), and each package carries the files a
# user needs and no test fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."

# The published crates by name: a `publish = false` member (a test suite) is
# not packaged.
cargo package --allow-dirty -p static-cors-runtime -p static-cors-macros -p static-cors

fail=0
check() {
    local crate=$1
    shift
    local list
    list=$(cargo package -p "$crate" --list --allow-dirty 2>/dev/null)
    for file in "$@"; do
        if ! grep -qxF "$file" <<<"$list"; then
            echo "error: the package of \`$crate\` leaves out \`$file\`"
            fail=1
        fi
    done
    if grep -E '^(tests|benches|scripts|\.ci|proptest-regressions)/' <<<"$list"; then
        echo "error: the package of \`$crate\` carries the files above, which only the repository's tests use"
        fail=1
    fi
}
licences=(LICENSE-MIT LICENSE-APACHE README.md)
check static-cors-runtime "${licences[@]}" src/lib.rs \
    data/public_suffix_list.dat data/NOTICE.md
check static-cors-macros "${licences[@]}" src/lib.rs
check static-cors "${licences[@]}" src/lib.rs \
    examples/from_config.rs examples/config/cors.toml

# The licence files of the member crates are links to the root's: the packages
# must carry their text.
for crate in static-cors-runtime static-cors-macros; do
    for licence in LICENSE-MIT LICENSE-APACHE; do
        text=$(tar -xzOf "target/package/$crate-0.1.0.crate" "$crate-0.1.0/$licence")
        if [ "$text" != "$(cat "$licence")" ]; then
            echo "error: \`$licence\` in the package of \`$crate\` is not the root's licence text"
            fail=1
        fi
    done
done
exit $fail
