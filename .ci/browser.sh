#!/usr/bin/env bash
# End-to-end CORS suite in headless Chromium (tests/browser/).
#
# Installs Chromium and chromedriver from Debian's packages when either binary is
# missing, then runs the suite. The suite fails (never skips) when the browser
# cannot start. CHROMIUM_BIN / CHROMEDRIVER_BIN override the binaries' paths.
set -euo pipefail

cd "$(dirname "$0")/.."

chromium="${CHROMIUM_BIN:-/usr/bin/chromium}"
chromedriver="${CHROMEDRIVER_BIN:-/usr/bin/chromedriver}"

if [[ ! -x "$chromium" || ! -x "$chromedriver" ]]; then
    echo "browser.sh: installing chromium and chromium-driver" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y chromium chromium-driver
fi

cargo test --features browser --test browser
