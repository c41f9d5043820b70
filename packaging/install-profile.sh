#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Installs the "ntt" configuration profile (packaging/profile/ntt: columns,
# colouring rules, display filter buttons, I/O graphs; docs/profile.md)
# into a personal Wireshark configuration folder, so that Wireshark's
# Edit › Configuration Profiles lists it and `tshark -C ntt` finds it.
#
# Usage: install-profile.sh [CONFIG_DIR]
#   CONFIG_DIR  the personal configuration folder (default: the one this
#               user's tshark reports, ~/.config/wireshark); the profile goes
#               to CONFIG_DIR/profiles/ntt, replacing an earlier copy (the
#               earlier one is kept as profiles/ntt.bak when it differs).
# The colouring rules get the installed Wireshark's own default rules
# appended, so packets that are neither alerts nor failed connections keep
# their usual colours. NTT_TSHARK: the tshark to ask (default: tshark).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src="$here/profile/ntt"
tshark=${NTT_TSHARK:-tshark}

folder() {
    # "Personal configuration:	/root/.config/wireshark" and the like.
    "$tshark" -G folders 2>/dev/null | sed -n "s/^$1:[[:space:]]*//p" | head -1
}

config=${1:-$(folder "Personal configuration")}
config=${config:-${XDG_CONFIG_HOME:-$HOME/.config}/wireshark}
global=$(folder "Global configuration")
dest="$config/profiles/ntt"

new=$(mktemp -d "${TMPDIR:-/tmp}/ntt-profile.XXXXXX")
trap 'rm -rf "$new"' EXIT
cp "$src"/* "$new/"
if [ -n "$global" ] && [ -r "$global/colorfilters" ]; then
    {
        echo "# Wireshark's default colouring rules ($global/colorfilters):"
        grep -v '^#' "$global/colorfilters"
    } >> "$new/colorfilters"
fi

mkdir -p "$config/profiles"
if [ -d "$dest" ] && ! diff -rq "$dest" "$new" >/dev/null 2>&1; then
    rm -rf "$dest.bak"
    mv "$dest" "$dest.bak"
    echo "ntt: the earlier profile is kept in $dest.bak"
fi
rm -rf "$dest"
mkdir -p "$dest"
cp "$new"/* "$dest/"
chmod 755 "$dest" && chmod 644 "$dest"/*
echo "ntt: configuration profile installed in $dest (tshark -C ntt, or Edit › Configuration Profiles in Wireshark)"
