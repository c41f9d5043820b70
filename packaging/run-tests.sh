#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Installs the dependencies, builds in build/ and runs the whole test suite
# with CTest: engine unit tests (cmocka), the sanitized fuzz driver, the
# end-to-end tests that run the real tshark with the plugin (pytest), and
# the compile check against the Wireshark 4.4 and 4.6 headers.
# Arguments go to ctest (e.g. -L unit, -R e2e.flows).
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
cd build
exec ctest --output-on-failure "$@"
