#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Installs the dependencies, builds in build/ and runs the test suite with
# CTest, one test per core: engine unit tests (cmocka), the sanitized fuzz
# driver, the end-to-end tests that run the real tshark with the plugin
# (pytest), and the compile check against the Wireshark 4.4 and 4.6 headers.
#
# Without arguments it leaves out the tests labelled "long" (the live
# capture test, the longest fuzz run) and "releases" (the whole tier again
# on Wireshark 4.4 and 4.6 in Debian roots), which .ci/run runs afterwards.
# Arguments replace that selection and go to ctest:
#   packaging/run-tests.sh -L long          the long tier only
#   packaging/run-tests.sh -L releases      Wireshark 4.4 and 4.6 at run time
#   packaging/run-tests.sh -R e2e.flows     one suite
#   packaging/run-tests.sh -L unit          one label
#   packaging/run-tests.sh -E '^$'          everything
# NTT_TEST_JOBS: how many tests at once (default: the number of cores).
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=${NTT_TEST_JOBS:-$(nproc)}
if [ $# -eq 0 ]; then
    set -- -LE 'long|releases'
fi

packaging/deps.sh --tests
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
cd build
exec ctest --output-on-failure -j"$jobs" "$@"
