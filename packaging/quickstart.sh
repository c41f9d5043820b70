#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# From a fresh Debian machine to an ntt report: installs the dependencies,
# builds, installs the plugin where this user's tshark loads it (root:
# Wireshark's plugin folder, since root's tshark ignores personal ones;
# anyone else: ~/.local/lib/wireshark/plugins/<ver>/epan), installs the
# "ntt" configuration profile (docs/profile.md) into the personal profiles
# folder of this user and, under sudo, of the user who invoked it
# (~/.config/wireshark/profiles/ntt: Wireshark's and `tshark -C ntt`'s), then runs
#   tshark -r captures/hping3-syn-flood-spoofed.pcap -q -z ntt,stats
# (what ntt is for in one report: a client browsing while a SYN flood
# from spoofed, routable sources hits its server, so the open GeoIP
# database places the flood's sources by country and network; e2e
# test_the_quickstart_report_has_no_empty_section). Any tshark arguments given replace that last command's, e.g.
#   packaging/quickstart.sh -r captures/nmap-syn-scan.pcap -q -z ntt,json
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
cmake --install build >/dev/null
echo "ntt: plugin installed in $(sed -n 's/^NTT_PLUGIN_INSTALL_DIR:PATH=//p' build/CMakeCache.txt)"
if [ -f build/geo/ntt-open-geo.mmdb ]; then
    echo "ntt: open GeoIP database installed in $(sed -n 's/^NTT_OPEN_GEO_INSTALL_DIR:PATH=//p' build/CMakeCache.txt)"
fi

# The profile: this user's (root's too: root's tshark and Wireshark read
# root's personal profiles), and the sudo caller's, owned by them.
packaging/install-profile.sh
if [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
    user_home=$(getent passwd "$SUDO_USER" | cut -d: -f6)
    if [ -n "$user_home" ] && [ -d "$user_home" ]; then
        packaging/install-profile.sh "$user_home/.config/wireshark"
        chown -R "$SUDO_USER": "$user_home/.config/wireshark"
    fi
fi

if [ $# -eq 0 ]; then
    set -- -r captures/hping3-syn-flood-spoofed.pcap -q -z ntt,stats
fi
echo "+ tshark $*"
exec tshark "$@"
