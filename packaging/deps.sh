#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Installs what ntt needs to build and test, from Debian's packages
# (Debian 12 bookworm or 13 trixie). Uses sudo when not root. Installs only
# what is missing, so it is cheap to run again.
#   --tests       the test tier's own packages as well (packaging/run-tests.sh
#                 passes it), Chromium for the render tier among them
#   --no-browser  with --tests: not Chromium (the Debian roots of
#                 packaging/test-wireshark-versions.sh leave the render tier out)
set -euo pipefail

packages=(
    build-essential cmake pkg-config
    libglib2.0-dev libwireshark-dev wireshark-dev tshark
    libcmocka-dev python3 python3-pytest
    libmaxminddb-dev libmaxmind-db-writer-perl
    libsqlcipher-dev sqlcipher
    tor-geoipdb libloc-database python3-location iso-codes mmdb-bin
)
# Optional, each installed on its own without its recommends: a release
# without one still builds and tests, only what it serves is left out.
#   r-cran-maps: its 'world' database (Natural Earth's countries) is the
#     HTML report's world map (packaging/world-outline.cmake); R comes along
#     (~45 MB) but is never run.
optional=(r-cran-maps)
# Test-only: scikit-learn, the reference the anomaly model's ranking is
# compared with (tests/unit/iforest_vs_sklearn.py skips without it).
test_packages=(python3-sklearn)
# Test-only, optional: Chromium renders the HTML report headless for the
# render tier (tests/render_html.py; its tests skip without it).
test_optional=(chromium)

tests=0 browser=1
for arg in "$@"; do
    case $arg in
        --tests) tests=1 ;;
        --no-browser) browser=0 ;;
        *) echo "deps.sh: unknown option $arg (--tests, --no-browser)" >&2; exit 2 ;;
    esac
done
if [ $tests = 1 ]; then
    packages+=("${test_packages[@]}")
    [ $browser = 1 ] && optional+=("${test_optional[@]}")
fi

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}
missing=() missing_optional=()
for p in "${packages[@]}"; do
    installed "$p" || missing+=("$p")
done
for p in "${optional[@]}"; do
    installed "$p" || missing_optional+=("$p")
done
[ ${#missing[@]} -eq 0 ] && [ ${#missing_optional[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "deps.sh: run as root or install sudo" >&2; exit 1; }
    sudo=(sudo)
fi
echo "deps.sh: installing ${missing[*]} ${missing_optional[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# tshark asks whether non-root users may capture; keep Debian's default (no).
if [ ${#missing[@]} -gt 0 ]; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
for p in "${missing_optional[@]}"; do
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "$p" ||
        echo "deps.sh: $p could not be installed; going on without it" >&2
done
