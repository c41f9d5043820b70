#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# debian-root.sh SUITE [ensure]          make sure the root exists; print its path
# debian-root.sh SUITE path              print its path (nothing created)
# debian-root.sh SUITE run [--bind HOST:GUEST[:ro]]... [--] CMD [ARG...]
#                                        run CMD inside it as root
# debian-root.sh SUITE remove            delete it
#
# A Debian root (chroot) of SUITE (trixie, forky, sid, testing ...) made
# with mmdebstrap from the mirror this machine's apt already uses
# (packaging/debian-mirror.sh; NTT_DEBIAN_MIRROR overrides), cached in
# $NTT_ROOTS_DIR/SUITE (default build/roots/SUITE) between runs: ensure
# builds it only when it is missing or broken. It is created in a
# temporary folder beside it and renamed into place when mmdebstrap has
# finished, and carries a stamp (.ntt-root) written last, so a root left
# half made by an interrupted run is never taken for a complete one.
#
# run mounts /proc, /sys and /dev (and each --bind, read-only with :ro;
# GUEST is a path inside the root, created when missing), copies the
# host's resolv.conf, runs CMD with a clean environment (PATH, HOME=/root,
# LANG=C.UTF-8, DEBIAN_FRONTEND=noninteractive, plus every NTT_* and CI
# variable) and always unmounts again, whatever CMD does (also on errors
# and signals). Its exit code is CMD's. One run at a time per root (a lock
# file beside it).
#
# SUITE+NAME (e.g. trixie+deb) is a second, separate root of SUITE, cached
# as $NTT_ROOTS_DIR/SUITE+NAME: a clean root to install a package into
# beside the build root of the same release.
#
# Needs root (mmdebstrap --mode=root, mount, chroot); mmdebstrap is
# installed with apt when missing. Packages of the base: the "apt" variant
# (Essential + apt) and ca-certificates; NTT_ROOT_INCLUDE adds more
# (comma-separated). The root's apt checks every Release file's signature
# against the keyring but not its Valid-Until date: testing and unstable
# sign theirs for a week, and a mirror that is a snapshot of an earlier
# day serves them expired (the option stays in the root's apt.conf.d, so
# deps.sh there can update too). Exit: 0 done, 1 error, 2 usage, else CMD's exit code.
set -euo pipefail

me=debian-root.sh
usage() { sed -n '3,7s/^# \{0,1\}//p' "$0" >&2; exit 2; }
die() { echo "$me: $*" >&2; exit 1; }

[ $# -ge 1 ] || usage
name=$1
suite=${name%%+*}
shift
action=${1:-ensure}
[ $# -eq 0 ] || shift
case "$name" in
    ''|*/*|.*|+*|*+) die "bad suite name '$name'" ;;
esac

repo=$(cd "$(dirname "$0")/.." && pwd)
roots=${NTT_ROOTS_DIR:-$repo/build/roots}
root="$roots/$name"
stamp="$root/.ntt-root"

need_root() {
    [ "$(id -u)" -eq 0 ] || die "must run as root (mmdebstrap --mode=root, mount, chroot)"
}

# Mount points at or below $1, deepest first (from /proc/self/mountinfo,
# whose paths escape spaces as \040).
mounts_below() {
    local dir=$1
    awk -v d="$dir" '{ p = $5; gsub(/\\040/, " ", p)
        if (p == d || index(p, d "/") == 1) print length(p), p }' /proc/self/mountinfo |
        sort -rn | cut -d' ' -f2-
}

# Deletes a root folder; refuses while anything is mounted inside it (a
# bind of /dev or of the work tree would be deleted through the mount).
remove_tree() {
    local dir=$1 left
    [ -e "$dir" ] || return 0
    left=$(mounts_below "$dir")
    [ -z "$left" ] || die "refusing to delete $dir: still mounted inside it: $left (umount -R them)"
    rm -rf --one-file-system "$dir"
}

# A root is complete when its stamp names this suite and apt and a shell
# run inside it.
root_ok() {
    [ -f "$stamp" ] && [ "$(sed -n 's/^suite=//p' "$stamp")" = "$suite" ] &&
        [ -x "$root/usr/bin/apt-get" ] && [ -x "$root/bin/sh" ] &&
        chroot "$root" /bin/sh -c 'exit 0' 2>/dev/null
}

lock() {
    mkdir -p "$roots"
    exec {lock_fd}>"$roots/.$name.lock"
    if ! flock -n "$lock_fd"; then
        echo "$me: waiting for another run on $root" >&2
        flock "$lock_fd"
    fi
}

ensure_mmdebstrap() {
    command -v mmdebstrap >/dev/null && return 0
    echo "$me: installing mmdebstrap" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null ||
        die "cannot install mmdebstrap (apt-get install mmdebstrap)"
}

ensure() {
    if root_ok; then
        return 0
    fi
    if [ -e "$root" ]; then
        echo "$me: $root is incomplete or broken: making it again" >&2
        remove_tree "$root"
    fi
    ensure_mmdebstrap
    local mirror tmp include log
    mirror=$("$repo/packaging/debian-mirror.sh") || die "no Debian mirror to make the root from"
    include=ca-certificates${NTT_ROOT_INCLUDE:+,$NTT_ROOT_INCLUDE}
    # Leftovers of an interrupted creation.
    for tmp in "$roots/.$name.new."*; do
        [ -e "$tmp" ] && remove_tree "$tmp"
    done
    tmp="$roots/.$name.new.$$"
    log="$roots/.$name.mmdebstrap.log"
    echo "$me: creating the $suite root from $mirror (mmdebstrap; log in $log)" >&2
    # shellcheck disable=SC2064 # $tmp is fixed now
    trap "remove_tree '$tmp' || true" EXIT
    if ! mmdebstrap --mode=root --variant=apt --format=directory \
            --include="$include" \
            --aptopt='Acquire::Retries "3"' \
            --aptopt='Acquire::Languages "none"' \
            --aptopt='Acquire::Check-Valid-Until "false"' \
            "$suite" "$tmp" "deb $mirror $suite main" >"$log" 2>&1; then
        tail -n 20 "$log" >&2
        die "mmdebstrap $suite failed (see $log)"
    fi
    {
        echo "suite=$suite"
        echo "mirror=$mirror"
        echo "created=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    } > "$tmp/.ntt-root"
    mv -T "$tmp" "$root"
    trap - EXIT
    root_ok || die "the new $suite root does not run (chroot $root /bin/sh failed)"
    echo "$me: $suite root ready in $root" >&2
}

# ------------------------------------------------------------------ run

mounted=()
unmount_all() {
    local i
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount -R "${mounted[i]}" 2>/dev/null ||
            umount -R -l "${mounted[i]}" 2>/dev/null ||
            echo "$me: warning: could not unmount ${mounted[i]}" >&2
    done
    mounted=()
}

# mount_at DIR(inside the root) MOUNT-ARGS...
mount_at() {
    local dir="$root$1"
    shift
    mkdir -p "$dir"
    mount "$@" "$dir" || die "mount $* $dir failed"
    mounted+=("$dir")
}

run_in_root() {
    local binds=() spec host guest mode rc
    while [ $# -gt 0 ]; do
        case "$1" in
            --bind) [ $# -ge 2 ] || usage; binds+=("$2"); shift 2 ;;
            --) shift; break ;;
            *) break ;;
        esac
    done
    [ $# -ge 1 ] || usage
    [ -z "$(mounts_below "$root")" ] ||
        die "something is still mounted inside $root (an earlier run killed hard?): $(mounts_below "$root" | tr '\n' ' ')"

    trap unmount_all EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    mount_at /proc -t proc proc
    mount_at /sys --rbind /sys
    mount --make-rslave "$root/sys"
    mount_at /dev --rbind /dev
    mount --make-rslave "$root/dev"
    for spec in "${binds[@]}"; do
        host=${spec%%:*}
        guest=${spec#*:}
        mode=rw
        case "$guest" in *:ro) mode=ro; guest=${guest%:ro} ;; esac
        [ -d "$host" ] || die "--bind $spec: $host is not a folder"
        case "$guest" in /*) ;; *) die "--bind $spec: $guest must be an absolute path" ;; esac
        mount_at "$guest" --bind "$host"
        if [ "$mode" = ro ]; then
            mount -o remount,bind,ro "$root$guest" || die "cannot make $root$guest read-only"
        fi
    done
    cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

    local envs=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
                HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" DEBIAN_FRONTEND=noninteractive)
    local v
    while IFS= read -r v; do
        envs+=("$v=${!v}")
    done < <(compgen -e | grep -E '^(NTT_[A-Z0-9_]+|CI)$' || true)

    rc=0
    chroot "$root" /usr/bin/env -i "${envs[@]}" "$@" || rc=$?
    unmount_all
    trap - EXIT INT TERM
    return "$rc"
}

case "$action" in
    ensure)
        need_root
        lock
        ensure
        echo "$root"
        ;;
    path)
        echo "$root"
        ;;
    run)
        need_root
        lock
        ensure
        run_in_root "$@"
        ;;
    remove)
        need_root
        lock
        remove_tree "$root"
        ;;
    *)
        usage
        ;;
esac
