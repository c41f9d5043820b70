#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check-compat.sh [FILE.c...]
#
# Compiles (syntax only, warnings are errors) every plugin/epan/*.c file, or
# the given files, against the headers of each Wireshark release ntt
# supports:
#   4.0  the system's own headers (/usr/include/wireshark, Debian 12)
#   4.4  Debian 13 trixie's libwireshark-dev  } fetched, never installed, by
#   4.6  Debian forky's libwireshark-dev      } fetch-wireshark-headers.sh
# The 4.4/4.6 sets are cached under $NTT_WS_HEADERS_CACHE (default
# build/ws-headers/<version>); each is compiled with the GLib headers of its
# own Debian suite first on the include path (what a build there would see).
#
# Prints one line per version per file (OK/FAIL, with the compiler's errors
# under a FAIL) and a closing "N passed, N failed" line.
# Exit: 0 all OK, 1 some FAIL, 77 skipped (4.4/4.6 headers not fetchable or
# no 4.0 headers on this machine).
#
# Env: NTT_WS_HEADERS_CACHE  cache folder (default: build/ws-headers)
#      NTT_COMPAT_VERSIONS   versions to check (default: "4.0 4.4 4.6")
#      NTT_COMPAT_GLIB       "suite" (default): 4.4/4.6 use the GLib headers
#                            of their own Debian suite (2.84 / 2.90), as a
#                            build there would; "system": this machine's GLib
#                            for all (the 4.4/4.6 headers need nothing newer
#                            than Debian 12's GLib 2.74).
#      CC                    compiler (default: gcc)
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo" || exit 1
cache=${NTT_WS_HEADERS_CACHE:-build/ws-headers}
versions=${NTT_COMPAT_VERSIONS:-4.0 4.4 4.6}
cc=${CC:-gcc}
fetch="$repo/packaging/fetch-wireshark-headers.sh"

if [ $# -gt 0 ]; then
    files=("$@")
else
    files=(plugin/epan/*.c)
fi
[ -e "${files[0]}" ] || { echo "check-compat: no C files to check" >&2; exit 1; }

command -v "$cc" >/dev/null || { echo "check-compat: no $cc" >&2; exit 1; }
glib_cflags=$(pkg-config --cflags glib-2.0) ||
    { echo "check-compat: SKIP: pkg-config glib-2.0 not found (install libglib2.0-dev)"; exit 77; }

# The flags the brief fixes, plus the extra warnings the project's own
# build adds (NTT_WARNINGS in CMakeLists.txt), so a file that passes here
# also builds there.
warnings=(-Wall -Wextra -Werror)
if [ -f CMakeLists.txt ]; then
    mapfile -t extra < <(awk '/set\(NTT_WARNINGS/ { on = 1 }
        on { for (i = 1; i <= NF; i++) if ($i ~ /^-W/) { gsub(/\)/, "", $i); print $i } }
        on && /\)/ { exit }' CMakeLists.txt)
    for w in "${extra[@]}"; do
        case " ${warnings[*]} " in *" $w "*) ;; *) warnings+=("$w") ;; esac
    done
fi
project_version=$(sed -n 's/^project([^)]*VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt 2>/dev/null | head -n1)
# NTT_SQLITE_SONAME: the build reads it from the library (CMakeLists.txt);
# any name compiles ntt-sqlite-lazy.c, which uses it only as a string.
defines=(-DHAVE_PLUGINS "-DNTT_VERSION=\"${project_version:-0.0.0}\""
         "-DNTT_SQLITE_SONAME=\"libsqlite3.so.0\"")
includes=(-Iinclude -Iplugin/epan -Iplugin/engine)

passed=0 failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# First resolve (fetch) every header set, so a registry that cannot be
# reached skips the whole check before anything is compiled.
declare -A cflags_of
for v in $versions; do
    case "$v" in
        4.0)
            if [ ! -f /usr/include/wireshark/ws_version.h ]; then
                echo "check-compat: SKIP: no Wireshark 4.0 headers in /usr/include/wireshark (packaging/deps.sh)"
                exit 77
            fi
            sys_ver=$(awk '/#define[ \t]+WIRESHARK_VERSION_MAJOR/ { a = $3 }
                           /#define[ \t]+WIRESHARK_VERSION_MINOR/ { b = $3 }
                           END { print a "." b }' /usr/include/wireshark/ws_version.h)
            [ "$sys_ver" = 4.0 ] ||
                echo "check-compat: note: the system headers are Wireshark $sys_ver, not 4.0"
            ws_cflags=(-I/usr/include/wireshark)
            ;;
        4.4|4.6)
            dest="$cache/$v"
            incdir=$("$fetch" "$v" "$dest" 2>"$log")
            rc=$?
            if [ $rc -eq 77 ]; then
                cat "$log"
                echo "check-compat: SKIP: cannot fetch the Wireshark $v headers"
                exit 77
            elif [ $rc -ne 0 ] || [ ! -f "$incdir/epan/packet.h" ]; then
                cat "$log"
                echo "check-compat: fetching the Wireshark $v headers failed"
                exit 1
            fi
            if [ "${NTT_COMPAT_GLIB:-suite}" = system ]; then
                ws_cflags=("-I$incdir")
            else
                # GLib of that suite first, then its Wireshark headers.
                read -r -a ws_cflags < "$dest/cflags"
            fi
            ;;
        *)
            echo "check-compat: unknown version $v" >&2
            exit 1
            ;;
    esac
    cflags_of[$v]="${ws_cflags[*]}"
done

for v in $versions; do
    read -r -a ws_cflags <<< "${cflags_of[$v]}"
    for f in "${files[@]}"; do
        # shellcheck disable=SC2086 # glib_cflags is a word list
        if "$cc" -std=gnu11 -fsyntax-only "${warnings[@]}" "${defines[@]}" \
                "${ws_cflags[@]}" $glib_cflags "${includes[@]}" "$f" >"$log" 2>&1; then
            printf 'Wireshark %s  %-40s OK\n' "$v" "$f"
            passed=$((passed + 1))
        else
            printf 'Wireshark %s  %-40s FAIL\n' "$v" "$f"
            sed 's/^/    /' "$log"
            failed=$((failed + 1))
        fi
    done
done

echo "check-compat: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
