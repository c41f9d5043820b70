#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test-wireshark-versions.sh [RELEASE...]
#
# Builds ntt against, and runs its tests on, the real tshark of each other
# Wireshark release it supports, each in a Debian root of its own
# (packaging/debian-root.sh, cached in build/roots/<suite>):
#   4.4  Debian 13 trixie
#   4.6  Debian forky (testing); NTT_RELEASES="4.6:sid" for unstable
# For each: installs the build dependencies there (packaging/deps.sh),
# copies the working tree (git's tracked and untracked, not ignored,
# files) to /src/ntt in the root, binds ../shared (the reference captures,
# when present) read-only beside it, builds with CMake in /src/build, and
# runs the engine unit tests, the fuzz smoke runs and every end-to-end
# suite against that release's tshark (as an unprivileged user, through
# tests/tshark-as-user.sh): ctest's default tier less the labels
#   long      (live capture needs network namespaces; the longest fuzz run)
#   compat    (the header compile check: the host's job, it fetches the
#              same headers this root already has)
#   releases  (this test itself)
#   render    (the HTML report in headless Chromium: the page is the same
#              whatever the Wireshark release, so the host's run is enough,
#              and the root is spared the browser)
# Then it builds that release's .deb there (packaging/build-deb.sh: lintian
# errors fail) and, from the host, installs it with apt into a clean root
# of the same release, uses it as root and purges it
# (packaging/test-deb.sh --suite).
# Prints one line per release with the ctest and pytest counts, e.g.
#   wireshark 4.4.19 (trixie): 14/14 ctest tests passed; pytest 700 passed, 0 failed, 2 skipped; ntt_0.1.0_wireshark4.4_amd64.deb installs, runs as root and purges cleanly, 700s
# and a closing "N passed, N failed" line (releases). Logs are in
# build/releases/<version>.log. Exit: 0 all passed, 1 some release failed,
# 2 usage, 77 not root (skipped).
#
# Env: NTT_RELEASES   "VERSION:SUITE ..." (default "4.4:trixie 4.6:forky")
#      NTT_ROOTS_DIR  where the roots are cached (default build/roots)
#      NTT_TEST_JOBS  tests at once inside a root (default: nproc)
#      NTT_RELEASE_CTEST_ARGS  replaces the ctest selection inside a root
#                     (default: -LE 'long|compat|releases|render')
set -euo pipefail

me=test-wireshark-versions.sh

# ------------------------------------------------- inside a root (chroot)
if [ "${1:-}" = --inside ]; then
    want=${2:?}
    cd /src/ntt
    packaging/deps.sh --tests --no-browser
    got=$(dpkg-query -W -f='${Version}' tshark)
    got_mm=$(echo "$got" | sed -n 's/^\([0-9]*:\)\{0,1\}\([0-9]*\.[0-9]*\).*/\2/p')
    if [ "$got_mm" != "$want" ]; then
        echo "$me: this root's tshark is $got, not Wireshark $want" >&2
        exit 3
    fi
    # A plugin installed into the root's Wireshark (quickstart.sh run
    # there as root) would load beside the one under test.
    for f in /usr/lib/*/wireshark/plugins/*/epan/ntt.so; do
        [ -e "$f" ] && { echo "$me: removing $f (an installed ntt would load beside the one tested)"; rm -f "$f"; }
    done
    echo "NTT-RELEASE-TSHARK $(tshark --version | sed -n '1s/.*(Wireshark) \([0-9][0-9.]*[0-9]\).*/\1/p')"
    cmake -S . -B /src/build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build /src/build -j"$(nproc)"
    rm -f /src/build/tests/e2e-junit-*.xml
    cd /src/build
    read -r -a sel <<< "${NTT_RELEASE_CTEST_ARGS:--LE long|compat|releases|render}"
    rc=0
    ctest --output-on-failure -j"${NTT_TEST_JOBS:-$(nproc)}" "${sel[@]}" || rc=$?
    # pytest's own counts, from each suite's JUnit report.
    python3 - <<'EOF' || true
import glob, xml.etree.ElementTree as ET
t = f = e = s = 0
for path in glob.glob("/src/build/tests/e2e-junit-*.xml"):
    for suite in ET.parse(path).getroot().iter("testsuite"):
        t += int(suite.get("tests", 0)); f += int(suite.get("failures", 0))
        e += int(suite.get("errors", 0)); s += int(suite.get("skipped", 0))
print(f"NTT-RELEASE-PYTEST {t - f - e - s} passed, {f + e} failed, {s} skipped")
EOF
    # This release's package (build-deb.sh, checked with lintian), which
    # the host installs into a clean root of the release (test-deb.sh).
    for p in dpkg-dev lintian; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            apt-get install -y -qq "$p" >/dev/null
    done
    rm -rf /src/deb
    cd /src/ntt
    if deb=$(bash packaging/build-deb.sh /src/deb | tail -n1) && [ -f "$deb" ]; then
        echo "NTT-RELEASE-DEB $deb"
    else
        echo "$me: build-deb.sh failed in this root" >&2
        rc=1
    fi
    exit "$rc"
fi

# ------------------------------------------------------------ the host
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
if [ "$(id -u)" -ne 0 ]; then
    echo "$me: SKIP: needs root (mmdebstrap, mount, chroot)"
    exit 77
fi
if [ $# -gt 0 ]; then
    releases=("$@")
else
    read -r -a releases <<< "${NTT_RELEASES:-4.4:trixie 4.6:forky}"
fi
roots=${NTT_ROOTS_DIR:-$repo/build/roots}
export NTT_ROOTS_DIR=$roots
logs="$repo/build/releases"
mkdir -p "$logs"
shared=$(cd "$repo/.." && pwd)/shared

# Copies the working tree (tracked and untracked files git does not
# ignore; everything but build/ outside a git checkout) to $1.
copy_tree() {
    local dest=$1
    rm -rf --one-file-system "$dest"
    mkdir -p "$dest"
    if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git -C "$repo" ls-files -z --cached --others --exclude-standard |
            while IFS= read -r -d '' f; do
                [ -e "$f" ] && printf '%s\0' "$f"
            done | tar -C "$repo" --null -T - -cf - | tar -C "$dest" -xf -
    else
        tar -C "$repo" --exclude=./build --exclude=./.git -cf - . | tar -C "$dest" -xf -
    fi
}

summary=()
passed=0 failed=0
for rel in "${releases[@]}"; do
    version=${rel%%:*}
    suite=${rel#*:}
    case "$rel" in *:*) ;; *) echo "$me: give releases as VERSION:SUITE (e.g. 4.4:trixie)" >&2; exit 2 ;; esac
    log="$logs/$version.log"
    start=$(date +%s)
    echo "$me: Wireshark $version on Debian $suite (log: $log)"
    rc=0
    {
        root=$(packaging/debian-root.sh "$suite" ensure) &&
            copy_tree "$root/src/ntt" &&
            binds=() &&
            { [ ! -d "$shared" ] || binds=(--bind "$shared:/src/shared:ro"); } &&
            packaging/debian-root.sh "$suite" run "${binds[@]}" -- \
                bash /src/ntt/packaging/test-wireshark-versions.sh --inside "$version"
    } > "$log" 2>&1 || rc=$?
    # The package built there, installed into a clean root of the release.
    deb=$(sed -n 's/^NTT-RELEASE-DEB //p' "$log" | tail -n1)
    deb_note=
    if [ "$rc" -eq 0 ] && [ -n "$deb" ]; then
        if bash packaging/test-deb.sh --suite "$suite" "$root$deb" >> "$log" 2>&1; then
            deb_note="; $(basename "$deb") installs, runs as root and purges cleanly"
        else
            rc=1
            deb_note="; $(basename "$deb"): test-deb.sh failed"
        fi
    fi
    secs=$(( $(date +%s) - start ))
    tshark_v=$(sed -n 's/^NTT-RELEASE-TSHARK //p' "$log" | tail -n1)
    pytest_c=$(sed -n 's/^NTT-RELEASE-PYTEST //p' "$log" | tail -n1)
    ctest_c=$(sed -n 's/^[0-9]*% tests passed, \([0-9]*\) tests\{0,1\} failed out of \([0-9]*\)$/\1 \2/p' "$log" | tail -n1)
    counts="no tests ran"
    if [ -n "$ctest_c" ]; then
        read -r nfail ntotal <<< "$ctest_c"
        counts="$((ntotal - nfail))/$ntotal ctest tests passed"
        nskip=$(grep -c '\*\*\*Skipped\|(Not Run)\|Disabled' "$log" || true)
        [ "$nskip" -eq 0 ] || counts+=" ($nskip skipped)"
    fi
    [ -z "$pytest_c" ] || counts+="; pytest $pytest_c"
    line="wireshark ${tshark_v:-$version} ($suite): $counts$deb_note, ${secs}s"
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        line+=" — FAILED (exit $rc)"
        echo "---- last lines of $log:"
        tail -n 40 "$log"
        echo "----"
    fi
    echo "$line"
    summary+=("$line")
done

echo "$me: results"
printf '  %s\n' "${summary[@]}"
echo "releases: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
