#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test-deb.sh [--suite SUITE] [DEB]
#
# Installs ntt's .deb (DEB, or one packaging/build-deb.sh builds now) into
# a clean Debian root of this machine's release, or of SUITE (trixie, forky
# ...: then DEB must be the package built for it, in that release's build
# root, as packaging/test-wireshark-versions.sh does), with apt, so that
# its Depends must resolve from Debian alone (packaging/debian-root.sh; a
# root of its own, SUITE+deb, beside the release tier's build root); then,
# as root there (the system plugin folder
# is the only one root's tshark reads):
#   - `tshark -G plugins` lists ntt.so from Wireshark's system folder;
#   - `-z ntt,stats` on a shipped capture reports its flows, the open GeoIP
#     database from /usr/share/ntt answering, and the port scan;
#   - `tshark -C ntt` finds the global profile;
#   - `-z ntt,evidence` writes a database: the SQLite library the plugin
#     opens only then (no NEEDED entry) came with the package's Depends;
# and removes it again (apt purge --autoremove: with the dependencies it
# pulled in, libsqlcipher0): no file of the package may be left and
# the root's file list must be what it was before the install.
# Prints one line per check; exits non-zero at the first failure.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
die() { echo "test-deb.sh: FAIL: $*" >&2; exit 1; }
ok() { echo "test-deb.sh: ok: $*"; }

if [ "$(id -u)" -ne 0 ]; then
    echo "test-deb.sh: skipped: needs root (a chroot)" >&2
    exit 77
fi
suite=
if [ "${1:-}" = --suite ]; then
    suite=${2:?--suite needs a suite name}
    shift 2
fi
deb=${1:-}
if [ -z "$suite" ]; then
    . /etc/os-release
    suite=${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}
    if [ -z "$deb" ]; then
        deb=$(bash packaging/build-deb.sh | tail -1)
    fi
fi
[ -n "$deb" ] || die "--suite $suite: give the .deb built for that release"
deb=$(readlink -f "$deb")
[ -f "$deb" ] || die "no package $deb"
# A root of its own, so that the release tier's root keeps its ntt-free state.
export NTT_ROOTS_DIR=${NTT_ROOTS_DIR:-$repo/build/roots}
root_name=$suite+deb
NTT_ROOT_INCLUDE=tshark bash packaging/debian-root.sh "$root_name" ensure >/dev/null
run() { bash packaging/debian-root.sh "$root_name" run --bind "$(dirname "$deb"):/deb:ro" \
            --bind "$repo/captures:/captures:ro" -- "$@"; }

name=$(basename "$deb")
run sh -c 'apt-get update -qq && apt-get install -y -qq tshark >/dev/null' ||
    die "tshark does not install in the $suite root"
run sh -c 'find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /deb -o -path /captures -o -path /var/cache -o -path /var/lib/apt -o -path /var/log -o -path /tmp \) -prune -o -print | sort' \
    > "$NTT_ROOTS_DIR/.before-$suite"
run apt-get install -y -qq "/deb/$name" >/dev/null || die "apt cannot install $name"
ok "apt install ./$name in a clean $suite root"

plugins=$(run tshark -G plugins)
echo "$plugins" | grep -E 'ntt\.so.*/usr/lib/.*/wireshark/plugins/[0-9.]+/epan/ntt\.so' >/dev/null ||
    die "tshark -G plugins does not list ntt.so from the system folder: $plugins"
ok "tshark -G plugins: $(echo "$plugins" | grep ntt.so | tr -s '\t ' ' ')"

stats=$(run tshark -r /captures/nmap-syn-scan.pcap -q -z ntt,stats 2>&1)
echo "$stats" | grep -q '^Alerts: 1 episode (portscan 1)' || die "no port scan in: $stats"
echo "$stats" | grep -q 'ntt-open-geo.mmdb' || die "the open GeoIP database did not answer: $stats"
ok "-z ntt,stats as root: the port scan, the open GeoIP database from /usr/share/ntt"

# Wireshark copies a global profile into the user's folder when it is
# used: a throw-away HOME keeps that copy out of the comparison below.
run env HOME=/tmp/ntt-deb-home tshark -C ntt -r /captures/nmap-syn-scan.pcap -c 1 >/dev/null 2>"$NTT_ROOTS_DIR/.profile-err-$suite" ||
    die "tshark -C ntt failed: $(cat "$NTT_ROOTS_DIR/.profile-err-$suite")"
ok "tshark -C ntt finds the global profile"

evidence=$(run sh -c 'rm -f /tmp/ntt-deb-evidence.db &&
    tshark -r /captures/nmap-syn-scan.pcap -q -z ntt,evidence,/tmp/ntt-deb-evidence.db 2>&1 &&
    rm -f /tmp/ntt-deb-evidence.db')
echo "$evidence" | grep -q 'ntt: evidence: capture 1 recorded in' ||
    die "-z ntt,evidence wrote no database: $evidence"
ok "-z ntt,evidence: the SQLite library the plugin opens came with the Depends"

run apt-get purge -y -qq --autoremove ntt >/dev/null || die "apt purge ntt failed"
run sh -c 'find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /deb -o -path /captures -o -path /var/cache -o -path /var/lib/apt -o -path /var/log -o -path /tmp \) -prune -o -print | sort' \
    > "$NTT_ROOTS_DIR/.after-$suite"
left=$(comm -13 "$NTT_ROOTS_DIR/.before-$suite" "$NTT_ROOTS_DIR/.after-$suite" |
       grep -v '^/var/lib/dpkg/' || true)
[ -z "$left" ] || die "files left after purge: $left"
ok "apt purge ntt: nothing left behind"
