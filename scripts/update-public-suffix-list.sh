#!/usr/bin/env bash
# Replaces cors-runtime/data/public_suffix_list.dat with the newest Public Suffix
# List: from publicsuffix.org, or, where only package registries are reachable,
# from the `publicsuffixlist` Python package, which ships the same file. Then run
# `cargo test -p static-cors-runtime`: its tests check the list's rules. The
# version and the date of the copy go into cors-runtime/data/NOTICE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=cors-runtime/data/public_suffix_list.dat
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! curl -fsSL --max-time 30 -o "$tmp/list.dat" https://publicsuffix.org/list/public_suffix_list.dat; then
    python3 -m pip download --no-deps --quiet --dest "$tmp" publicsuffixlist
    python3 - "$tmp" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(f"{sys.argv[1]}/publicsuffixlist-*.whl")[0]
with zipfile.ZipFile(wheel) as archive:
    data = archive.read("publicsuffixlist/public_suffix_list.dat")
open(f"{sys.argv[1]}/list.dat", "wb").write(data)
PY
fi
grep -q "===BEGIN ICANN DOMAINS===" "$tmp/list.dat"
grep -q "===BEGIN PRIVATE DOMAINS===" "$tmp/list.dat"
mv "$tmp/list.dat" "$dest"
version=$(grep -m1 -o "VERSION: .*" "$dest" | cut -d' ' -f2)
notice=cors-runtime/data/NOTICE.md
sed -i -e "s/^- Version of the copy: .*/- Version of the copy: $version/" \
    -e "s/^- Copied on: .*/- Copied on: $(date -u +%F)/" "$notice"
grep -m1 "VERSION" "$dest"
