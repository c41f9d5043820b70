#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# debian-mirror.sh
#
# Prints the Debian archive URI this machine's apt already uses (no
# trailing slash): the first enabled "deb" entry of a Debian suite (not
# -security) with component main, read from /etc/apt/sources.list,
# sources.list.d/*.list and sources.list.d/*.sources (deb822).
#
# Env: NTT_DEBIAN_MIRROR  printed as it is, nothing read
#      NTT_APT_ETC        folder to read instead of /etc/apt
# Exit: 0 printed, 1 none found.
set -euo pipefail

if [ -n "${NTT_DEBIAN_MIRROR:-}" ]; then
    echo "${NTT_DEBIAN_MIRROR%/}"
    exit 0
fi
apt_etc=${NTT_APT_ETC:-/etc/apt}

mirror=$({
    # One-line format: deb [opts] URI SUITE COMPONENTS...
    for f in "$apt_etc/sources.list" "$apt_etc"/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
            awk '$1 == "deb" && NF >= 4 { print $2, $3, $0 }'
    done
    # deb822 format: stanzas of Types/URIs/Suites/Components/Enabled.
    for f in "$apt_etc"/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk '
            function flush() {
                if (types ~ /(^| )deb( |$)/ && enabled !~ /^(no|false)$/ &&
                    comps ~ /(^| )main( |$)/) {
                    n = split(uris, u, " "); m = split(suites, s, " ")
                    for (i = 1; i <= n; i++)
                        for (j = 1; j <= m; j++)
                            print u[i], s[j], comps
                }
                types = uris = suites = comps = enabled = ""
            }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            {
                key = tolower($1); sub(/:$/, "", key)
                val = $0; sub(/^[^:]*:[ \t]*/, "", val)
                if (key == "types") types = val
                else if (key == "uris") uris = val
                else if (key == "suites") suites = val
                else if (key == "components") comps = val
                else if (key == "enabled") enabled = tolower(val)
            }
            END { flush() }' "$f"
    done
} | awk '
    $1 ~ /^https?:\/\// && $1 !~ /security/ &&
    $2 ~ /^(buster|bullseye|bookworm|trixie|forky|duke|sid|oldstable|stable|testing|unstable)(-updates|-backports)?$/ &&
    / main( |$)/ { sub(/\/+$/, "", $1); print $1; exit }')

if [ -z "$mirror" ]; then
    echo "debian-mirror.sh: found no Debian archive in $apt_etc/sources.list{,.d/} (set NTT_DEBIAN_MIRROR=http://HOST/debian)" >&2
    exit 1
fi
echo "$mirror"
