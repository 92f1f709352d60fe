#!/usr/bin/env bash
# End-to-end CORS suite (tests/browser/) in Chromium, Firefox and WebKit.
#
# Installs whatever is missing: Chromium, chromedriver, Firefox ESR, the WebKitGTK
# driver and MiniBrowser, Xvfb and xauth from Debian's packages, and geckodriver
# with `cargo install` (about two minutes, so only when it is missing; it stays in
# ~/.cargo/bin). Builds the suite once, then runs it in each engine, WebKit under
# one `xvfb-run -a` (it needs a display), and prints the time each engine took. Any engine that fails or cannot start fails the script
# (the suite never skips). The harness's variables (CHROMIUM_BIN, FIREFOX_BIN,
# GECKODRIVER_BIN, MINIBROWSER_BIN, ...) override the binaries.
set -euo pipefail

cd "$(dirname "$0")/.."

geckodriver_version=0.37.1
multiarch="$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo "$(uname -m)-linux-gnu")"
export MINIBROWSER_BIN="${MINIBROWSER_BIN:-/usr/lib/$multiarch/webkit2gtk-4.1/MiniBrowser}"

missing=()
for binary in /usr/bin/chromium /usr/bin/chromedriver /usr/bin/firefox-esr \
    /usr/bin/WebKitWebDriver "$MINIBROWSER_BIN" /usr/bin/xvfb-run /usr/bin/xauth; do
    [[ -x "$binary" ]] || missing+=("$binary")
done
if ((${#missing[@]})); then
    echo "browser.sh: installing the browsers (missing: ${missing[*]})" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y chromium chromium-driver firefox-esr webkit2gtk-driver xvfb xauth
fi

if ! command -v geckodriver >/dev/null && [[ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/geckodriver" ]]; then
    echo "browser.sh: installing geckodriver $geckodriver_version" >&2
    cargo install geckodriver --version "$geckodriver_version" --locked
fi

# One build for the three engines.
cargo test -p static-cors-browser-tests --test browser --no-run 2>&1 | tee target/browser-build.log
suite="$(sed -n 's/.*Executable .* (\(.*\))$/\1/p' target/browser-build.log | tail -n 1)"
[[ -x "$suite" ]] || { echo "browser.sh: no test binary in the build's output" >&2; exit 1; }

# One engine after the other: each run already starts two browsers at a time. On
# two cores the three engines at once were no faster (270 s, against 279 s one
# after the other) and made browser start-ups time out.
failed=0
for engine in chromium firefox webkit; do
    wrapper=(env)
    [[ "$engine" == webkit ]] && wrapper=(xvfb-run -a)
    start=$SECONDS
    status=0
    BROWSER_ENGINE="$engine" "${wrapper[@]}" "$suite" >"target/browser-$engine.log" 2>&1 || status=$?
    seconds=$((SECONDS - start))
    summary="$(grep -E '^test result:' "target/browser-$engine.log" | tail -n 1 || true)"
    echo "browser.sh: $engine: ${seconds}s, exit $status: ${summary:-no test summary}"
    if [[ "$status" != 0 ]]; then
        failed=1
        echo "---- $engine log (tail) ----"
        tail -n 80 "target/browser-$engine.log"
    fi
done
exit "$failed"
