#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# build-deb.sh [OUTDIR]
#
# Builds a binary .deb of ntt for the Wireshark on this machine (run it in
# a root of packaging/debian-root.sh for another release):
#   /usr/lib/<triplet>/wireshark/plugins/<major.minor>/epan/ntt.so
#   /usr/share/ntt/ntt-open-geo.mmdb and .txt   the open GeoIP database
#                                                and its provenance/licence
#   /usr/share/wireshark/profiles/ntt/           the ntt profile (global)
#   /usr/share/doc/ntt/                          README, docs, copyright
# Depends: the libwireshark<ABI> package of this release, bounded to its
# major.minor (a plugin is built for one), libmaxminddb0, libglib2.0-0,
# libsqlcipher0 (or libsqlite3-0 when built without SQLCipher; named here
# because the plugin opens it only to write an evidence database, so no
# NEEDED entry of ntt.so says it).
# Checks the package with lintian when it is installed (errors fail).
# The last line of output is the .deb's path (OUTDIR, default build/deb).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$repo/build/deb}" && cd "${1:-$repo/build/deb}" && pwd)
cd "$repo"
die() { echo "build-deb.sh: $*" >&2; exit 1; }

command -v dpkg-deb >/dev/null || die "dpkg-deb is needed (Debian's dpkg)"
triplet=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -dumpmachine)
arch=$(dpkg --print-architecture)
libws=$(readlink -f "/usr/lib/$triplet/libwireshark.so" 2>/dev/null) ||
    die "no libwireshark.so: install libwireshark-dev"
ws_pkg=$(dpkg-query -S "$libws" | head -1 | cut -d: -f1)
ws_version=$(dpkg-query -W -f='${Version}' "$ws_pkg")
ws_mm=$(echo "$ws_version" | sed -E 's/^([0-9]+:)?([0-9]+\.[0-9]+).*/\2/')
ws_next=$(echo "$ws_mm" | awk -F. '{print $1 "." $2 + 1}')
version=$(sed -nE 's/^project\(ntt VERSION ([0-9.]+).*/\1/p' CMakeLists.txt)
[ -n "$version" ] || die "no project version in CMakeLists.txt"
plugin_dir=/usr/lib/$triplet/wireshark/plugins/$ws_mm/epan

work=$out/work
rm -rf "$work"
mkdir -p "$work"
# Its own build folder: the plugin must look for the database where the
# package puts it, whatever the developer build was configured with.
cmake -S . -B "$out/cmake" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNTT_BUILD_TESTS=OFF \
    -DNTT_PLUGIN_INSTALL_DIR="$plugin_dir" \
    -DNTT_OPEN_GEO_INSTALL_DIR=/usr/share/ntt >/dev/null
cmake --build "$out/cmake" -j"$(nproc)" --target ntt ntt_open_geo >/dev/null
root=$work/root
DESTDIR=$root cmake --install "$out/cmake" >/dev/null
[ -f "$root$plugin_dir/ntt.so" ] || die "the plugin did not install into $plugin_dir"
[ -f "$root/usr/share/ntt/ntt-open-geo.mmdb" ] || die "the open GeoIP database did not install"
chmod 644 "$root$plugin_dir/ntt.so"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root$plugin_dir/ntt.so"

install -d "$root/usr/share/wireshark/profiles/ntt"
install -m 644 packaging/profile/ntt/* "$root/usr/share/wireshark/profiles/ntt/"

doc=$root/usr/share/doc/ntt
install -d "$doc/docs"
install -m 644 README.md "$doc/"
install -m 644 docs/*.md "$doc/docs/"
cat > "$doc/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: ntt
Source: https://example.invalid/ntt

Files: *
Copyright: 2026 ntt developers
License: GPL-2+
 On Debian systems the full text of the GNU General Public License
 version 2 is in /usr/share/common-licenses/GPL-2.

Files: usr/share/ntt/ntt-open-geo.mmdb usr/share/ntt/ntt-open-geo.txt
Copyright: 2022-2026 IPFire Development Team (IPFire Location data)
License: CC-BY-SA-4.0
 Built from Debian's tor-geoipdb and libloc-database; see
 /usr/share/ntt/ntt-open-geo.txt and
 https://creativecommons.org/licenses/by-sa/4.0/
EOF
# The HTML report's world outline, compiled into the plugin when the build
# had r-cran-maps (packaging/world-outline.cmake) and the report uses it.
if grep -q "Natural Earth 1:50m countries" "$root$plugin_dir/ntt.so"; then
    cat >> "$doc/copyright" <<EOF

Files: usr/lib/*/wireshark/plugins/*/epan/ntt.so
Copyright: 2026 ntt developers
 2001-2022 Richard A. Becker, Allan R. Wilks, Ray Brownrigg, Thomas P Minka,
 Alex Deckmyn (R package maps, whose world database is the world outline)
License: GPL-2+ and GPL-2
Comment: The plugin holds the world outline of its HTML report's map:
 Natural Earth's 1:50m countries (public domain,
 https://www.naturalearthdata.com/), as the 'world' database of Debian's
 r-cran-maps holds them (GPL-2), simplified by
 packaging/make-world-outline.py; see docs/world-outline.md.

License: GPL-2
 On Debian systems the full text of the GNU General Public License
 version 2 is in /usr/share/common-licenses/GPL-2.
EOF
fi
date_r=$(git log -1 --format=%aD 2>/dev/null || date -R -d @0)
printf 'ntt (%s) unstable; urgency=medium\n\n  * Binary package built by packaging/build-deb.sh.\n\n -- ntt developers <ntt@example.invalid>  %s\n' \
    "$version" "$date_r" | gzip -9n > "$doc/changelog.gz"

# The C library the plugin links: at least the newest symbol version it
# uses (what dpkg-shlibdeps would say, without a source package).
glibc=$(objdump -T "$root$plugin_dir/ntt.so" | grep -o 'GLIBC_[0-9.]*' |
        sed 's/GLIBC_//' | sort -V | tail -1)
[ -n "$glibc" ] || die "cannot tell which C library the plugin needs"
# The evidence database's library (SQLCipher when the build found it, else
# SQLite): the package that ships the soname the plugin opens, as the
# build read it (CMake's NTT_SQLITE_SONAME).
sqlite_so=$(sed -n 's/^NTT_SQLITE_SONAME:[A-Z]*=//p' "$out/cmake/CMakeCache.txt")
sqlite_pkg=
for dir in /usr/lib/$triplet /lib/$triplet; do
    sqlite_pkg=$(dpkg-query -S "$dir/$sqlite_so" 2>/dev/null | head -1 | cut -d: -f1 || true)
    [ -z "$sqlite_pkg" ] || break
done
[ -n "$sqlite_so" ] && [ -n "$sqlite_pkg" ] || die "cannot tell which SQLite library package the plugin needs"
# Opened only when used (plugin/epan/ntt-sqlite-lazy.c): a NEEDED entry
# would load it into every tshark again.
if objdump -p "$root$plugin_dir/ntt.so" | awk '$1 == "NEEDED" {print $2}' | grep -Fqx "$sqlite_so"; then
    die "ntt.so links $sqlite_so, which it should open only for an evidence database"
fi

install -d "$root/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<EOF
Package: ntt
Version: $version
Architecture: $arch
Maintainer: ntt developers <ntt@example.invalid>
Installed-Size: $size
Depends: libc6 (>= $glibc), $ws_pkg (>= $ws_mm), $ws_pkg (<< $ws_next~), libmaxminddb0, libglib2.0-0, $sqlite_pkg
Recommends: tshark | wireshark
Section: net
Priority: optional
Homepage: https://example.invalid/ntt
Description: Network Traffic Tracer plugin for Wireshark and tshark
 ntt follows every IP flow in a capture and shows Zeek-style states,
 attack detection (scans, sweeps, floods, DDoS, brute force, protocol
 misuse), GeoIP with an open database and blocklists as ntt.* fields,
 expert items and -z ntt,stats / ntt,json / ntt,tree reports. Built for
 Wireshark $ws_mm; includes the "ntt" configuration profile.
EOF
(cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z |
    xargs -0 md5sum) > "$root/DEBIAN/md5sums"
find "$root" -type d -exec chmod 755 {} +
deb=$out/ntt_${version}_wireshark${ws_mm}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
if command -v lintian >/dev/null; then
    # Errors fail the build; warnings are printed for a person to read.
    if lintian --fail-on error --suppress-tags no-manual-page "$deb" >&2; then
        echo "build-deb.sh: lintian: no errors" >&2
    else
        die "lintian found errors in $deb"
    fi
else
    echo "build-deb.sh: lintian not installed (apt-get install lintian): not checked" >&2
fi
echo "$deb"
