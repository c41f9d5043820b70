#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run tshark (or wireshark: NTT_TSHARK=wireshark) with a freshly built ntt
# plugin, without installing anything into system folders.
#
# tshark ignores the personal plugin folder (and WIRESHARK_PLUGIN_DIR) when
# it runs as root, so as root we drop to an unprivileged user; the plugin is
# copied into a throw-away $HOME/.local/lib/wireshark/plugins/<ver>/epan/.
#
# Usage: tshark-as-user.sh PLUGIN.so|none [tshark arguments...]
#   "none" runs the same way without the plugin (a baseline for bench/).
#   NTT_TSHARK    tshark binary (default: tshark)
#   NTT_HOME      reuse this home folder instead of a temporary one (kept)
#   NTT_RUN_USER  uid:gid to drop to when root (default 65534:65534)
#   NTT_PROFILES  configuration profile folders to copy into the home's
#                 ~/.config/wireshark/profiles/ (each under its own name), so
#                 `-C NAME` finds them (a copy there replaces an earlier one)
#   NTT_ENV       further VAR=value words for tshark's environment (it starts
#                 from an empty one), e.g. NTT_ENV=COLORTERM=truecolor
#   NTT_CAPTURE_CAPS  1: when root, keep CAP_NET_RAW and CAP_NET_ADMIN as
#                 ambient capabilities, so tshark's dumpcap can capture live
#                 (-i IFACE) as the unprivileged user (default: none kept)
set -euo pipefail

plugin=${1:?usage: tshark-as-user.sh PLUGIN.so [tshark args...]}
shift
tshark=${NTT_TSHARK:-tshark}
[ "$plugin" = none ] || [ -r "$plugin" ] || { echo "tshark-as-user.sh: cannot read plugin $plugin" >&2; exit 2; }

# A reused home remembers the version (one tshark start less per run; the
# test harness makes one home per session, with one tshark).
version=
if [ -n "${NTT_HOME:-}" ] && [ -r "$NTT_HOME/.ntt-tshark-version" ]; then
    read -r cached_tshark version < "$NTT_HOME/.ntt-tshark-version" || true
    [ "$cached_tshark" = "$tshark" ] || version=
fi
if [ -z "$version" ]; then
    version=$("$tshark" --version 2>/dev/null | sed -n '1s/^[^0-9]*\([0-9][0-9]*\.[0-9][0-9]*\)\..*/\1/p')
    [ -n "$version" ] || { echo "tshark-as-user.sh: cannot tell tshark's version" >&2; exit 2; }
    if [ -n "${NTT_HOME:-}" ]; then
        mkdir -p "$NTT_HOME" && printf '%s %s\n' "$tshark" "$version" > "$NTT_HOME/.ntt-tshark-version"
    fi
fi

if [ -n "${NTT_HOME:-}" ]; then
    home=$NTT_HOME
else
    home=$(mktemp -d "${TMPDIR:-/tmp}/ntt-home.XXXXXX")
    trap 'rm -rf "$home"' EXIT
fi
plugdir="$home/.local/lib/wireshark/plugins/$version/epan"
mkdir -p "$plugdir" "$home/.config/wireshark"
for profile in ${NTT_PROFILES:-}; do
    [ -d "$profile" ] || { echo "tshark-as-user.sh: no profile folder $profile" >&2; exit 2; }
    rm -rf "$home/.config/wireshark/profiles/$(basename "$profile")"
    mkdir -p "$home/.config/wireshark/profiles"
    cp -R "$profile" "$home/.config/wireshark/profiles/"
done
# "none" must mean none: a reused home may still hold an earlier copy.
if [ "$plugin" = none ]; then rm -f "$plugdir/ntt.so"; else cp "$plugin" "$plugdir/ntt.so"; fi
chmod -R a+rX "$home"

if [ "$(id -u)" -eq 0 ]; then
    ids=${NTT_RUN_USER:-65534:65534}
    chown -R "$ids" "$home"
    # Every file tshark reads (captures, databases) must be readable by
    # that user; the caller keeps them world-readable.
    exec_cmd=(setpriv --reuid="${ids%%:*}" --regid="${ids##*:}" --clear-groups)
    if [ "${NTT_CAPTURE_CAPS:-0}" = 1 ]; then
        exec_cmd+=(--inh-caps=+net_raw,+net_admin --ambient-caps=+net_raw,+net_admin)
    fi
else
    exec_cmd=()
fi
# Not exec: the trap must clean the temporary home afterwards.
"${exec_cmd[@]}" env -i PATH="$PATH" HOME="$home" LANG=C.UTF-8 TZ=UTC ${NTT_ENV:-} \
    "$tshark" "$@"
