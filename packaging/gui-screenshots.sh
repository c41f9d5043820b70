#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A look at ntt in the Wireshark GUI, on a virtual X display (Xvfb): opens
# a lab capture with the ntt profile and the ntt.alert display filter,
# with Statistics › Network Traffic Tracer, Analyze › Expert Information
# and Statistics › I/O Graphs opened on start (wireshark -z), and saves
# screenshots (PNG) of the screen and of each window.
#
# Usage: packaging/gui-screenshots.sh [--release VERSION:SUITE] [CAPTURE] [OUTPUT_DIR]
#   --release   the Wireshark of another release (4.4:trixie, 4.6:forky):
#               builds the plugin from this tree inside that release's
#               Debian root (packaging/debian-root.sh, the release tier's
#               cached root) and runs this script there
#   CAPTURE     default captures/nmap-syn-scan.pcap
#   OUTPUT_DIR  default build/gui-screenshots (not committed;
#               build/gui-screenshots-VERSION with --release)
# Needs the plugin built (build/plugin/ntt.so; NTT_PLUGIN to override).
# Installs xvfb, wireshark (its Qt GUI), xdotool, imagemagick and x11-utils from
# Debian when missing (as root). As root, Wireshark ignores personal
# plugin folders, so it runs as an unprivileged user (NTT_RUN_USER,
# default 65534:65534) with a throw-away home holding the plugin and the
# profile (tests/tshark-as-user.sh). NTT_GUI_WAIT: seconds to let the
# windows fill before the shots (default 25).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [ "${1:-}" = --release ]; then
    rel=${2:?--release needs VERSION:SUITE}
    shift 2
    case "$rel" in *:*) ;; *) echo "gui-screenshots.sh: give the release as VERSION:SUITE (4.4:trixie)" >&2; exit 2 ;; esac
    version=${rel%%:*} suite=${rel#*:}
    [ "$(id -u)" -eq 0 ] || { echo "gui-screenshots.sh: --release needs root (a chroot)" >&2; exit 2; }
    capture=$(realpath "${1:-captures/nmap-syn-scan.pcap}")
    out=$(realpath -m "${2:-build/gui-screenshots-$version}")
    mkdir -p "$out"
    export NTT_ROOTS_DIR=${NTT_ROOTS_DIR:-$root/build/roots}
    # The tree read-only, the plugin built beside it in the root, the
    # capture and the shots through binds of their folders.
    exec packaging/debian-root.sh "$suite" run --bind "$root:/src/gui-ntt:ro" \
        --bind "$(dirname "$capture"):/src/gui-capture:ro" --bind "$out:/src/gui-out" -- \
        bash -c 'set -e
            /src/gui-ntt/packaging/deps.sh
            v=$(tshark --version | sed -n "1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p")
            [ "$v" = "$0" ] || { echo "gui-screenshots.sh: this root has Wireshark $v, not $0" >&2; exit 3; }
            cmake -S /src/gui-ntt -B /src/gui-build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNTT_BUILD_TESTS=OFF >/dev/null
            cmake --build /src/gui-build -j"$(nproc)" --target ntt >/dev/null
            NTT_PLUGIN=/src/gui-build/plugin/ntt.so exec bash /src/gui-ntt/packaging/gui-screenshots.sh \
                "/src/gui-capture/$1" /src/gui-out' "$version" "$(basename "$capture")"
fi

capture=$(realpath "${1:-captures/nmap-syn-scan.pcap}")
out=$(realpath -m "${2:-build/gui-screenshots}")
plugin=${NTT_PLUGIN:-build/plugin/ntt.so}
wait_s=${NTT_GUI_WAIT:-25}
[ -r "$plugin" ] || { echo "gui-screenshots.sh: build the plugin first (cmake --build build)" >&2; exit 2; }
plugin=$(realpath "$plugin")

need=()
for tool in Xvfb:xvfb wireshark:wireshark xdotool:xdotool import:imagemagick xwininfo:x11-utils; do
    command -v "${tool%%:*}" >/dev/null || need+=("${tool##*:}")
done
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "gui-screenshots.sh: missing ${need[*]}: sudo apt-get install ${need[*]}" >&2
        exit 2
    fi
    echo "gui-screenshots.sh: installing ${need[*]} from Debian"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ntt-gui.XXXXXX")
chmod 755 "$work"
xvfb_pid=
ws_pid=
cleanup() {
    [ -n "$ws_pid" ] && kill -- "-$ws_pid" 2>/dev/null || true
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The profile as quickstart installs it (Wireshark's colours below ntt's),
# and the capture where the unprivileged user can read it.
NTT_TSHARK=tshark packaging/install-profile.sh "$work/config" >/dev/null
cp "$capture" "$work/capture.pcap" && chmod 644 "$work/capture.pcap"
mkdir -p "$out"
rm -f "$out"/*.png

# A free display number.
display=99
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do
    display=$((display + 1))
done
Xvfb ":$display" -screen 0 1600x1000x24 -ac -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do
    [ -e "/tmp/.X11-unix/X$display" ] && break
    sleep 0.2
done
export DISPLAY=":$display"

# Wireshark 4.0's GUI opens Expert Information and I/O Graphs with -z,
# not the stats trees: Statistics › Network Traffic Tracer is opened from
# the menu below.
setsid env NTT_HOME="$work/home" NTT_TSHARK=wireshark NTT_PROFILES="$work/config/profiles/ntt" \
    NTT_ENV="DISPLAY=:$display QT_QPA_PLATFORM=xcb" \
    "$root/tests/tshark-as-user.sh" "$plugin" \
    -C ntt -r "$work/capture.pcap" -Y ntt.alert -z expert -z io,stat,1 \
    -o gui.update.enabled:FALSE >"$work/wireshark.log" 2>&1 &
ws_pid=$!

window() { # title pattern -> first visible window id
    xdotool search --onlyvisible --name "$1" 2>/dev/null | head -1 || true
}
wait_window() { # title pattern
    local id=
    for _ in $(seq 240); do
        id=$(window "$1")
        [ -n "$id" ] && { echo "$id"; return 0; }
        kill -0 "$ws_pid" 2>/dev/null || break
        sleep 0.5
    done
    echo "gui-screenshots.sh: no window \"$1\"" >&2
    sed 's/^/wireshark: /' "$work/wireshark.log" >&2
    return 1
}
shot() { # window-id name
    import -window "$1" "$out/$2.png" 2>/dev/null && echo "$out/$2.png"
}
# There is no window manager: windows are placed, raised and closed
# by hand, and clicks land where Wireshark 4.0 draws its menus at 1600x1000.
show() { # window-id x y w h
    xdotool windowmove "$1" "$2" "$3" windowsize "$1" "$4" "$5" windowraise "$1" 2>/dev/null
    sleep 2
}
# The pointer first, then the click: a button takes a click that arrives
# with the pointer's move as no click.
click() { # x y [window]
    xdotool mousemove ${3:+--window "$3"} "$1" "$2"
    sleep 0.5
    xdotool click 1
    sleep 1
}

main=$(wait_window 'capture\.pcap$')
expert=$(wait_window 'Expert Information')
iograph=$(wait_window 'I/O Graphs')
sleep "$wait_s"

show "$expert" 0 0 1600 1000
# Expand every group (Expand All is in the context menu; a click on the
# first group and "*" expands it and its children).
shot "$expert" expert-info
# Closed (their Close button), so that they do not read the file again
# while the statistics tree does.
click 1462 976 "$expert"
sleep 1
show "$iograph" 0 0 1600 1000
shot "$iograph" io-graphs
click 1462 976 "$iograph"
sleep 1

show "$main" 0 0 1600 1000
shot "$main" main-window-first-pass
# Apply the filter again: a later pass, every packet of an episode is known
# (on loading, -Y filtered during the first pass).
click 300 76
xdotool key ctrl+a && xdotool type --delay 20 'ntt.alert' && xdotool key Return
sleep 8
shot "$main" main-window

# Statistics › Network Traffic Tracer (ntt), the menu's last item.
click 325 10
xdotool key Up && xdotool key Return
stats=$(wait_window 'Network Traffic Tracer')
sleep 5
show "$stats" 100 40 1400 940
# Sort by Topic / Item ascending (one click on its header): the sections
# in their order; the alert sections stay above the packet breakdowns in
# any sort.
click 150 22 "$stats"
shot "$stats" stats-tree
# Its own display filter: only alert packets.
click 700 885 "$stats"
xdotool type --delay 20 'ntt.alert'
sleep 3
# Apply; once more after a pause (under Xvfb the first press is not
# always taken).
click 1349 885 "$stats"
sleep 10
click 1349 885 "$stats"
sleep 10
shot "$stats" stats-tree-ntt-alert
shot root screen
grep -v -e '^$' -e 'XDG_RUNTIME_DIR' -e 'nl80211' "$work/wireshark.log" | sed 's/^/wireshark: /' | head -20 || true
