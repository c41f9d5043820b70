#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Installs what ntt needs to build and test, from Debian's packages
# (Debian 12 bookworm or 13 trixie). Uses sudo when not root. Installs only
# what is missing, so it is cheap to run again. --tests: the test tier's
# own packages as well (packaging/run-tests.sh passes it).
set -euo pipefail

packages=(
    build-essential cmake pkg-config
    libglib2.0-dev libwireshark-dev wireshark-dev tshark
    libcmocka-dev python3 python3-pytest
    libmaxminddb-dev libmaxmind-db-writer-perl
    libsqlcipher-dev sqlcipher
    tor-geoipdb libloc-database python3-location iso-codes mmdb-bin
)
# Test-only: scikit-learn, the reference the anomaly model's ranking is
# compared with (tests/unit/iforest_vs_sklearn.py skips without it).
test_packages=(python3-sklearn)
if [ "${1:-}" = --tests ]; then
    packages+=("${test_packages[@]}")
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "deps.sh: run as root or install sudo" >&2; exit 1; }
    sudo=(sudo)
fi
echo "deps.sh: installing ${missing[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# tshark asks whether non-root users may capture; keep Debian's default (no).
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
