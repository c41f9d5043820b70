#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fetch-wireshark-headers.sh VERSION DESTDIR
#
# Downloads the development headers of Wireshark VERSION (4.4 or 4.6) from
# Debian's package registry and unpacks them under DESTDIR, WITHOUT
# installing anything into the system: apt runs with a private sources
# list, state and cache kept under DESTDIR/apt, and the .deb files are only
# unpacked with `dpkg-deb -x` into DESTDIR/root.
#
#   4.4 -> Debian 13 "trixie"
#   4.6 -> Debian "forky" (testing), falling back to "sid" (unstable)
#
# Besides libwireshark-dev, libwiretap-dev and libwsutil-dev it unpacks the
# GLib headers of the same suite (libglib2.0-dev / libgio-2.0-dev: GLib
# 2.84 in trixie, 2.90 in forky), which a build there would use. The
# Wireshark headers do not need more than Debian 12's GLib 2.74, but the
# newer GLib may deprecate what 2.74 did not; check-compat.sh puts them
# first on the include path for that version.
#
# The mirror is the one the machine's own apt sources use (/etc/apt/
# sources.list, sources.list.d/*.list and *.sources; NTT_APT_ETC names
# another folder to read them from); NTT_DEBIAN_MIRROR overrides it.
# Release files are checked against the system's debian-archive-keyring
# (signed-by=/usr/share/keyrings/debian-archive-keyring.gpg; Debian 12's
# keyring verifies trixie, forky and sid); nothing is trusted unsigned.
#
# On success prints one line on stdout: the include directory (the folder
# holding epan/packet.h and ws_version.h). Also writes DESTDIR/cflags, the
# -I flags (GLib first, then Wireshark) to compile against this set.
# Idempotent: does nothing but print when DESTDIR already holds the set.
#
# Exit codes: 0 done, 1 error, 2 usage, 77 the registry cannot be reached
# (tests treat 77 as "skipped").
set -euo pipefail

me=fetch-wireshark-headers.sh
usage() { echo "usage: $me VERSION DESTDIR   (VERSION: 4.4 or 4.6)" >&2; exit 2; }
die() { echo "$me: $*" >&2; exit 1; }
skip() { echo "$me: SKIP: $*" >&2; exit 77; }

[ $# -eq 2 ] || usage
version=$1
dest=$2

case "$version" in
    4.4) suites=(trixie) ;;
    4.6) suites=(forky sid) ;;
    *) usage ;;
esac

for tool in apt-get apt-cache dpkg-deb dpkg; do
    command -v "$tool" >/dev/null || die "needs $tool (a Debian system)"
done

mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
root="$dest/root"
stamp="$dest/.complete"
incdir="$root/usr/include/wireshark"

# ---------------------------------------------------------------- helpers

# Prints the -I flags for the set unpacked under $root: the suite's GLib
# first (glib.h, then glibconfig.h from its lib dir), then Wireshark.
write_cflags() {
    local flags=() d
    [ -f "$root/usr/include/glib-2.0/glib.h" ] &&
        flags+=("-I$root/usr/include/glib-2.0")
    for d in "$root"/usr/lib/*/glib-2.0/include; do
        [ -f "$d/glibconfig.h" ] && flags+=("-I$d")
    done
    flags+=("-I$incdir")
    printf '%s\n' "${flags[*]}" > "$dest/cflags"
}

# Reads WIRESHARK_VERSION_MAJOR.MINOR from a ws_version.h.
header_version() {
    awk '/#define[ \t]+WIRESHARK_VERSION_MAJOR/ { maj = $3 }
         /#define[ \t]+WIRESHARK_VERSION_MINOR/ { min = $3 }
         END { if (maj != "" && min != "") print maj "." min }' "$1"
}

# Already there?
if [ -f "$stamp" ] && [ -f "$incdir/epan/packet.h" ] &&
   [ -f "$incdir/ws_version.h" ] &&
   [ "$(header_version "$incdir/ws_version.h")" = "$version" ]; then
    write_cflags
    echo "$incdir"
    exit 0
fi

# The mirror the machine's apt already uses (debian-mirror.sh reads
# NTT_DEBIAN_MIRROR and NTT_APT_ETC).
mirror=$("$(dirname "$0")/debian-mirror.sh") || die "no Debian mirror to fetch from"
mirror=${mirror%/}
case "$mirror" in
    *snapshot.debian.org*)
        # A snapshot is frozen in time and may predate the release we want;
        # its live counterpart is the same host layout on deb.debian.org,
        # but we do not guess hosts: say so and let the caller override.
        echo "$me: note: the detected mirror is a snapshot ($mirror); set NTT_DEBIAN_MIRROR if it lacks Wireshark $version" >&2 ;;
esac

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] ||
    die "$keyring missing: apt-get install debian-archive-keyring"

arch=$(dpkg --print-architecture)

# ---------------------------------------------------------------- apt

aptdir="$dest/apt"
apt_opts() {
    local s=$1
    printf '%s\n' \
        -o "Dir::Etc::SourceList=$aptdir/$s/sources.list" \
        -o "Dir::Etc::SourceParts=/dev/null" \
        -o "Dir::Etc::Preferences=/dev/null" \
        -o "Dir::Etc::PreferencesParts=/dev/null" \
        -o "Dir::State=$aptdir/$s/state" \
        -o "Dir::State::Lists=$aptdir/$s/state/lists" \
        -o "Dir::State::status=$aptdir/$s/state/status" \
        -o "Dir::Cache=$aptdir/$s/cache" \
        -o "Dir::Cache::archives=$aptdir/$s/cache/archives" \
        -o "APT::Architecture=$arch" \
        -o "APT::Architectures=$arch" \
        -o "APT::Sandbox::User=$(id -un)" \
        -o "Acquire::Languages=none" \
        -o "Acquire::Retries=2" \
        -o "Acquire::http::Timeout=30" \
        -o "Acquire::https::Timeout=30" \
        -o "Debug::NoLocking=true"
}

# Sets up and updates the private apt of suite $1; prints the candidate
# version of libwireshark-dev there (empty if none).
update_suite() {
    local s=$1 log opts
    mkdir -p "$aptdir/$s/state/lists/partial" \
             "$aptdir/$s/cache/archives/partial"
    : > "$aptdir/$s/state/status"
    echo "deb [signed-by=$keyring] $mirror $s main" > "$aptdir/$s/sources.list"
    mapfile -t opts < <(apt_opts "$s")
    log="$aptdir/$s/update.log"
    echo "$me: apt-get update ($mirror $s)" >&2
    if ! apt-get -q "${opts[@]}" update > "$log" 2>&1; then
        :
    fi
    if grep -Eq 'NO_PUBKEY|EXPKEYSIG|not signed|BADSIG|signatures (were invalid|couldn.t be verified)|Signed-By' "$log"; then
        cat "$log" >&2
        die "the $s Release file could not be verified with $keyring (a newer debian-archive-keyring may be needed)"
    fi
    apt-cache "${opts[@]}" policy libwireshark-dev 2>/dev/null |
        awk '/Candidate:/ { if ($2 != "(none)") print $2 }'
}

suite='' candidate=''
unreachable=0
for s in "${suites[@]}"; do
    c=$(update_suite "$s")
    if [ -z "$c" ]; then
        if grep -Eq 'Failed to fetch|Could not resolve|Temporary failure|Connection failed|Unable to connect|timed out|Network is unreachable' \
                "$aptdir/$s/update.log"; then
            unreachable=1
        fi
        continue
    fi
    case "$c" in
        "$version".*|*:"$version".*) suite=$s candidate=$c; break ;;
        *) echo "$me: $s has libwireshark-dev $c, not $version.x" >&2 ;;
    esac
done
if [ -z "$suite" ]; then
    if [ "$unreachable" = 1 ]; then
        tail -n 5 "$aptdir/${suites[-1]}/update.log" >&2 || true
        skip "Debian's package registry ($mirror) is unreachable; cannot fetch Wireshark $version headers"
    fi
    die "no suite among ${suites[*]} at $mirror offers libwireshark-dev $version.x"
fi
echo "$me: Wireshark $version: $suite has libwireshark-dev $candidate" >&2

mapfile -t opts < <(apt_opts "$suite")
pkgs=(libwireshark-dev libwiretap-dev libwsutil-dev libglib2.0-dev)
# From GLib 2.80 on, Debian moved the GLib/GIO headers into libgio-2.0-dev.
if apt-cache "${opts[@]}" show libgio-2.0-dev >/dev/null 2>&1; then
    pkgs+=(libgio-2.0-dev)
fi

debs="$dest/debs"
rm -rf "$debs"
mkdir -p "$debs"
echo "$me: downloading ${pkgs[*]}" >&2
if ! (cd "$debs" && apt-get -q "${opts[@]}" download "${pkgs[@]}") >"$aptdir/download.log" 2>&1; then
    cat "$aptdir/download.log" >&2
    if grep -Eq 'Failed to fetch|Could not resolve|Temporary failure|Connection failed|Unable to connect|timed out' \
            "$aptdir/download.log"; then
        skip "download from $mirror failed"
    fi
    die "apt-get download failed"
fi

rm -rf "$root" "$stamp"
mkdir -p "$root"
for deb in "$debs"/*.deb; do
    dpkg-deb -x "$deb" "$root"
done

[ -f "$incdir/epan/packet.h" ] || die "no epan/packet.h in the unpacked packages"
[ -f "$incdir/ws_version.h" ] || die "no ws_version.h in the unpacked packages"
got=$(header_version "$incdir/ws_version.h")
[ "$got" = "$version" ] || die "unpacked headers are Wireshark $got, not $version"

write_cflags
{
    echo "version=$version"
    echo "suite=$suite"
    echo "mirror=$mirror"
    for deb in "$debs"/*.deb; do
        # shellcheck disable=SC2016 # dpkg-deb's own ${field} syntax
        dpkg-deb -W --showformat='package=${Package} ${Version}\n' "$deb"
    done
} > "$stamp"
# The package lists and .deb files are not needed any more (the stamp says
# the set is complete): keep only the sources lists and logs.
rm -rf "$debs" "$aptdir"/*/state "$aptdir"/*/cache
echo "$incdir"
