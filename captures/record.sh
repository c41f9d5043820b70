#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Records ntt's lab captures with real tools in network namespaces.
#
#   sudo captures/record.sh all               # every capture (about 3 minutes)
#   sudo captures/record.sh nmap-syn-scan     # one; see `record.sh list`
#   sudo captures/record.sh http-dns dns-server
#   NTT_CAPTURE_DIR=/tmp/x sudo -E captures/record.sh all   # write elsewhere
#   NTT_NETNS_PREFIX=ntb sudo -E captures/record.sh ...     # namespaces ntb-*
#
# Then regenerate the ground truth:  captures/ground-truth.py
#
# Needs root on Debian 12/13 and these packages (the script only checks,
# it installs nothing): nmap hping3 tcpdump dnsmasq-base bind9-dnsutils
# curl openssh-client dropbear-bin iproute2 python3 traceroute tcptraceroute
# mtr-tiny (ethtool is optional); the login scenarios (hydra-*, medusa-*,
# ncrack-*, ssh-ftp-ordinary) also openssh-server vsftpd hydra medusa
# ncrack sshpass. sshd and vsftpd run only inside ntt-server, on
# 203.0.113.21, from configuration files in the scenario's work directory
# (the host's own services are never started).
#
# Everything happens inside network namespaces named ntt-*, on
# documentation addresses only (RFC 5737, RFC 3849); nothing leaves the
# namespaces: the router has blackhole default routes. Every scenario
# builds the lab afresh (so neighbour caches, SYN queues and sockets do
# not leak from one capture into the next) and tears it down; an EXIT
# trap removes whatever is left.
#
#             ntt-client                     ntt-attacker
#   192.0.2.10 2001:db8:2::10        198.51.100.66 2001:db8:66::66
#   (+192.0.2.100-139 for dns-server)
#   eth0 02:00:00:00:0c:02           eth0 02:00:00:00:0a:02
#          |                                 |
#   r-c 02:00:00:00:0c:01            r-a 02:00:00:00:0a:01
#   192.0.2.1 2001:db8:2::1          198.51.100.1 2001:db8:66::1
#                        ntt-router
#                 r-s 02:00:00:00:05:01
#                 203.0.113.1 2001:db8:20::1
#                          |
#                 eth0 02:00:00:00:05:02             ntt-server
#   203.0.113.20 .21 .22 .53 .80   2001:db8:20::20 ::53
#
# Services on the server (all on every server address unless noted):
#   tcp/22   dropbear (SSH) on 203.0.113.20 and 2001:db8:20::20; in the
#            login scenarios also OpenSSH's sshd on 203.0.113.21
#   tcp/21   vsftpd on 203.0.113.21, login scenarios only (anonymous
#            downloads; local users through PAM)
#   tcp/80   python3 -m http.server (HTTP/1.0, dual stack), files below
#   tcp/443  a plain listener that accepts and closes (an "open" port)
#   udp+tcp/53 dnsmasq on 203.0.113.53, .20, 2001:db8:20::53, ::20, answering
#            the names in $work/hosts authoritatively, forwarding nothing
#            (one-way-browsing and client-fallback add names, see there)
#
# The traceroute-* and mtr-report scenarios use another lab instead, a
# chain of three routers (ntt-r1, ntt-r2, ntt-r3) between the client and
# the server: see setup_chain.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${NTT_CAPTURE_DIR:-$here}
# The namespaces' prefix (ntt-router ...); another prefix lets a second
# recording run beside one already using ntt-*.
P=${NTT_NETNS_PREFIX:-ntt}
PY=/usr/bin/python3
work=
cap_pid=
cap_name=
jobs_bg=()

scenarios=(
    http-dns
    nmap-syn-scan nmap-connect-scan nmap-udp-scan nmap-xmas-scan
    nmap-null-scan nmap6-syn-scan
    nmap-ping-sweep nmap-syn-sweep nmap-arp-sweep
    hping3-syn-flood hping3-syn-flood-spoofed hping3-udp-flood
    hping3-icmp-flood
    ssh-bruteforce
    busy-client dns-server blocklist-download
    nmap-ack-ping-sweep nmap-udp-ping-sweep nmap-icmp-kinds-sweep
    traceroute-udp traceroute-icmp traceroute-tcp mtr-report
    one-way-browsing client-fallback
    hydra-ssh-slow hydra-ssh-fast medusa-ftp-slow medusa-ftp-fast
    ncrack-ssh-polite ncrack-ssh-fast
    ssh-ftp-ordinary
)

die() { echo "record.sh: $*" >&2; exit 1; }

need() {   # need COMMAND DEBIAN-PACKAGE
    command -v "$1" >/dev/null 2>&1 ||
        die "'$1' not found: apt-get install $2"
}

ns() { local n=$1; shift; ip netns exec "$P-$n" "$@"; }

log() { echo "record.sh: $*" >&2; }

# ---------------------------------------------------------------- lab --

teardown() {
    local n pid
    # Stop a capture still running (the script was interrupted).
    if [ -n "$cap_pid" ]; then kill -INT "$cap_pid" 2>/dev/null || true; cap_pid=; fi
    for n in $(ip netns list 2>/dev/null | awk -v p="^$P-" '$1 ~ p {print $1}'); do
        for pid in $(ip netns pids "$n" 2>/dev/null); do
            kill "$pid" 2>/dev/null || true
        done
    done
    sleep 0.3
    for n in $(ip netns list 2>/dev/null | awk -v p="^$P-" '$1 ~ p {print $1}'); do
        for pid in $(ip netns pids "$n" 2>/dev/null); do
            kill -9 "$pid" 2>/dev/null || true
        done
        ip netns del "$n" 2>/dev/null || true
    done
    rm -rf "/etc/netns/$P-client" "/etc/netns/$P-attacker" "/etc/netns/$P-server"
    if [ -n "$work" ]; then rm -rf "$work"; work=; fi
}

on_exit() {
    local rc=$?
    teardown
    exit $rc
}

# mkns NAME -- a fresh namespace ntt-NAME with the lab's sysctls
mkns() {
    local n=$1
    ip netns add "$P-$n"
    ns "$n" ip link set lo up
    # Before the links exist, so that they inherit "default".
    ns "$n" sysctl -qw \
        net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
        net.ipv6.conf.all.router_solicitations=0 \
        net.ipv6.conf.default.router_solicitations=0 \
        net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 \
        net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
        net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
    ns "$n" sysctl -qw net.ipv4.icmp_msgs_per_sec=100000 \
        net.ipv4.icmp_msgs_burst=10000 2>/dev/null || true
}

# link SHORT NS MACBYTE NET4 NET6 HOST  -- a veth between the router and NS
link() {
    local short=$1 n=$2 mb=$3 net4=$4 net6=$5 host=$6
    ip link add "r-$short" netns "$P-router" address "02:00:00:00:$mb:01" \
        type veth peer name eth0 netns "$P-$n" address "02:00:00:00:$mb:02"
    ns "$n" ip addr add "$net4.$host/24" dev eth0
    ns "$n" ip -6 addr add "$net6::$host/64" dev eth0 nodad
    ns router ip addr add "$net4.1/24" dev "r-$short"
    ns router ip -6 addr add "$net6::1/64" dev "r-$short" nodad
    # Offloads would let tcpdump see 64 KB super-segments.
    if command -v ethtool >/dev/null 2>&1; then
        ns "$n" ethtool -K eth0 tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
        ns router ethtool -K "r-$short" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
    fi
    ns "$n" ip link set eth0 up
    ns router ip link set "r-$short" up
    ns "$n" ip route add default via "$net4.1"
    ns "$n" ip -6 route add default via "$net6::1"
}

setup() {
    teardown
    work=$(mktemp -d /tmp/ntt-record.XXXXXX)
    chmod 755 "$work"
    local n
    for n in router client attacker server; do mkns "$n"; done
    ns router sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
    # Nothing is routed anywhere but between the three lab links.
    ns router ip route add blackhole default
    ns router ip -6 route add blackhole default

    link c client   0c 192.0.2    2001:db8:2  10
    link a attacker 0a 198.51.100 2001:db8:66 66
    link s server   05 203.0.113  2001:db8:20 20
    local a
    for a in 21 22 53 80; do ns server ip addr add "203.0.113.$a/24" dev eth0; done
    ns server ip -6 addr add 2001:db8:20::53/64 dev eth0 nodad

    # DNS: the lab names, answered by dnsmasq itself, nothing forwarded.
    cat > "$work/hosts" <<'HOSTS'
203.0.113.20 www.lab.example
2001:db8:20::20 www.lab.example
203.0.113.20 static.lab.example
2001:db8:20::20 static.lab.example
203.0.113.21 files.lab.example
203.0.113.22 api.lab.example
203.0.113.22 mail.lab.example
203.0.113.21 intranet.lab.example
203.0.113.80 malware.bad.example
HOSTS
    ns server dnsmasq --keep-in-foreground --no-resolv --no-hosts --no-poll \
        --addn-hosts="$work/hosts" --bind-interfaces \
        --listen-address=203.0.113.53 --listen-address=2001:db8:20::53 \
        --listen-address=203.0.113.20 --listen-address=2001:db8:20::20 \
        --local=/lab.example/ --local=/bad.example/ \
        --pid-file="$work/dnsmasq.pid" --user=root --group=root \
        --log-facility=/dev/null >/dev/null 2>&1 &
    for n in client attacker server; do
        mkdir -p "/etc/netns/$P-$n"
        echo "nameserver 203.0.113.53" > "/etc/netns/$P-$n/resolv.conf"
    done

    # Web content, fixed: a small page, a 20 KB and a 200 KB file.
    mkdir -p "$work/www"
    echo "<html><body>ntt lab</body></html>" > "$work/www/index.html"
    head -c 20480 /dev/zero | tr '\0' 'a' > "$work/www/payload.bin"
    head -c 204800 /dev/zero | tr '\0' 'b' > "$work/www/big.bin"
    ns server "$PY" -m http.server 80 --bind :: --directory "$work/www" \
        >/dev/null 2>&1 &
    # Accept and close at once: an open port that speaks no protocol.
    ns server "$PY" -c '
import socket
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", 443)); s.listen(128)
while True:
    c, _ = s.accept(); c.close()' >/dev/null 2>&1 &
    # SSH: dropbear with a fresh host key; no user can log in.
    dropbearkey -t ed25519 -f "$work/ssh_host_ed25519" >/dev/null 2>&1
    ns server dropbear -F -E -p 203.0.113.20:22 -p '[2001:db8:20::20]:22' \
        -r "$work/ssh_host_ed25519" \
        -P "$work/dropbear.pid" >/dev/null 2>&1 &

    wait_port server 203.0.113.20 80
    wait_port server 203.0.113.20 22
    wait_port server 203.0.113.20 443
    wait_port server 203.0.113.53 53
    # Let IPv6 multicast listener reports of the new links pass before
    # any capture starts.
    sleep 2
}

# The routed chain for the traceroutes: three routers in a row between the
# client and a destination host, IPv4 only (IPv6 disabled), no DNS (the
# tools run -n).
#
#   ntt-client 192.0.2.10 (eth0 02:00:00:00:c1:02)
#     | 192.0.2.0/24
#   ntt-r1  r1-c 192.0.2.1 (02:00:00:00:c1:01)   r1-n 198.51.100.1 (02:00:00:00:12:01)
#     | 198.51.100.0/30
#   ntt-r2  r2-p 198.51.100.2 (02:00:00:00:12:02) r2-n 198.51.100.5 (02:00:00:00:23:02)
#     | 198.51.100.4/30
#   ntt-r3  r3-p 198.51.100.6 (02:00:00:00:23:03) r3-s 203.0.113.1 (02:00:00:00:35:03)
#     | 203.0.113.0/24
#   ntt-server 203.0.113.20 (eth0 02:00:00:00:35:05): tcp/80 http.server,
#     every UDP port closed (port unreachable), answers ICMP echo
#
# Each router has a blackhole default route and routes for the chain's
# networks only; ICMP rate limits are off, so every probe whose TTL runs
# out gets its time-exceeded.

# veth NS-A DEV-A MAC-A ADDR-A NS-B DEV-B MAC-B ADDR-B (addresses with /len)
veth() {
    ip link add "$2" netns "$P-$1" address "$3" \
        type veth peer name "$6" netns "$P-$5" address "$7"
    ns "$1" ip addr add "$4" dev "$2"
    ns "$5" ip addr add "$8" dev "$6"
    if command -v ethtool >/dev/null 2>&1; then
        ns "$1" ethtool -K "$2" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
        ns "$5" ethtool -K "$6" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
    fi
    ns "$1" ip link set "$2" up
    ns "$5" ip link set "$6" up
}

setup_chain() {
    teardown
    work=$(mktemp -d /tmp/ntt-record.XXXXXX)
    chmod 755 "$work"
    local n
    for n in client r1 r2 r3 server; do
        mkns "$n"
        # IPv4 only: no IPv6 on the new links (no MLD reports in the files).
        ns "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
            net.ipv6.conf.default.disable_ipv6=1
    done
    for n in r1 r2 r3; do
        ns "$n" sysctl -qw net.ipv4.ip_forward=1
        ns "$n" ip route add blackhole default
    done
    veth client eth0 02:00:00:00:c1:02 192.0.2.10/24 \
        r1 r1-c 02:00:00:00:c1:01 192.0.2.1/24
    veth r1 r1-n 02:00:00:00:12:01 198.51.100.1/30 \
        r2 r2-p 02:00:00:00:12:02 198.51.100.2/30
    veth r2 r2-n 02:00:00:00:23:02 198.51.100.5/30 \
        r3 r3-p 02:00:00:00:23:03 198.51.100.6/30
    veth r3 r3-s 02:00:00:00:35:03 203.0.113.1/24 \
        server eth0 02:00:00:00:35:05 203.0.113.20/24
    ns client ip route add default via 192.0.2.1
    ns r1 ip route add 203.0.113.0/24 via 198.51.100.2
    ns r1 ip route add 198.51.100.4/30 via 198.51.100.2
    ns r2 ip route add 192.0.2.0/24 via 198.51.100.1
    ns r2 ip route add 203.0.113.0/24 via 198.51.100.6
    ns r3 ip route add 192.0.2.0/24 via 198.51.100.5
    ns r3 ip route add 198.51.100.0/30 via 198.51.100.5
    ns server ip route add default via 203.0.113.1

    mkdir -p "$work/www"
    echo "<html><body>ntt lab</body></html>" > "$work/www/index.html"
    ns server "$PY" -m http.server 80 --bind 0.0.0.0 --directory "$work/www" \
        >/dev/null 2>&1 &
    wait_port client 203.0.113.20 80
    sleep 1
}

wait_port() {   # wait_port NS ADDR PORT
    local i
    for i in $(seq 50); do
        if ns "$1" "$PY" -c 'import socket,sys
s=socket.create_connection((sys.argv[1], int(sys.argv[2])), 1); s.close()' "$2" "$3" \
            >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    die "server port $2:$3 did not come up"
}

# ------------------------------------------------------------ capture --

# capture NAME NS IFACE [SNAPLEN [TCPDUMP-ARGS...]] -- start tcpdump
# (extra arguments such as "-Q out" go before -w); stop with stop_capture
capture() {
    local name=$1 n=$2 dev=$3 snap=${4:-0}
    shift $(($# < 4 ? $# : 4))
    cap_name=$name
    ip netns exec "$P-$n" tcpdump -i "$dev" -s "$snap" -B 16384 -U -n \
        -Z root "$@" -w "$work/$name.pcap" 2>"$work/$name.tcpdump.log" &
    cap_pid=$!
    sleep 1
}

stop_capture() {   # stop_capture [LINGER-SECONDS]
    sleep "${1:-1}"
    kill -INT "$cap_pid" 2>/dev/null || true
    wait "$cap_pid" 2>/dev/null || true
    cap_pid=
    if grep -q ' [1-9][0-9]* packets dropped by kernel' "$work/$cap_name.tcpdump.log"; then
        log "WARNING: $cap_name: $(grep 'dropped by kernel' "$work/$cap_name.tcpdump.log")"
    fi
    install -m 644 "$work/$cap_name.pcap" "$out/$cap_name.pcap"
    echo "recorded $out/$cap_name.pcap: $(tshark -r "$out/$cap_name.pcap" 2>/dev/null | wc -l) packets, $(stat -c %s "$out/$cap_name.pcap") bytes"
}

bg() { "$@" & jobs_bg+=($!); }

wait_bg() {
    local pid
    for pid in "${jobs_bg[@]}"; do wait "$pid" || true; done
    jobs_bg=()
}

# --------------------------------------------------------- behaviours --

q() { ns client dig +tries=1 +time=2 +short "$@" >/dev/null || true; }
get() { ns client curl -sS --max-time 10 -o /dev/null "$@" || true; }

# Ordinary browsing by the client: name lookups, then downloads over
# IPv4 and IPv6. Used alone and as the background of the attacks.
browse() {
    q www.lab.example A
    q www.lab.example AAAA
    get -4 http://www.lab.example/
    sleep 0.3
    get -6 http://www.lab.example/payload.bin
    sleep 0.3
    get -4 http://files.lab.example/index.html
    sleep 0.3
    get -6 http://static.lab.example/index.html
}

# ---------------------------------------------------------- scenarios --

scenario_http_dns() {
    capture http-dns client eth0
    q www.lab.example A
    q www.lab.example AAAA
    q @2001:db8:20::53 static.lab.example AAAA
    q files.lab.example A
    q nosuchhost.lab.example A            # NXDOMAIN
    get -4 http://www.lab.example/
    get -6 http://www.lab.example/payload.bin
    get -4 http://static.lab.example/big.bin
    get -6 "http://[2001:db8:20::20]/index.html"
    get -4 http://files.lab.example/payload.bin
    # Four connections at once, as a browser opens them.
    local f
    for f in index.html payload.bin index.html payload.bin; do
        bg get -4 "http://www.lab.example/$f"
    done
    wait_bg
    for f in index.html payload.bin; do
        bg get -6 "http://www.lab.example/$f"
    done
    wait_bg
    stop_capture
}

nmap_scan() {   # nmap_scan NAME [nmap args...]
    local name=$1; shift
    capture "$name" server eth0
    bg browse
    sleep 0.2
    ns attacker nmap -n -Pn -T4 "$@" >/dev/null
    wait_bg
    stop_capture
}

scenario_nmap_syn_scan()     { nmap_scan nmap-syn-scan     -sS -p 1-1000 203.0.113.20; }
scenario_nmap_connect_scan() { nmap_scan nmap-connect-scan -sT -p 1-1000 203.0.113.20; }
scenario_nmap_xmas_scan()    { nmap_scan nmap-xmas-scan    -sX -p 1-1000 203.0.113.20; }
scenario_nmap_null_scan()    { nmap_scan nmap-null-scan    -sN -p 1-1000 203.0.113.20; }
scenario_nmap6_syn_scan()    { nmap_scan nmap6-syn-scan    -6 -sS -p 1-1000 2001:db8:20::20; }
scenario_nmap_udp_scan()     { nmap_scan nmap-udp-scan     -sU -p 1-100 203.0.113.20; }

# Sweeps are recorded on the router's attacker-side link, where probes to
# absent hosts pass as routed IP packets (the router's ARP requests for
# them are on the server link, not in the file), and the router's ICMP
# host-unreachable errors come back.
scenario_nmap_ping_sweep() {
    capture nmap-ping-sweep router r-a
    ns attacker nmap -n -sn -T4 203.0.113.0/26 >/dev/null
    stop_capture 4
}

scenario_nmap_syn_sweep() {
    capture nmap-syn-sweep router r-a
    ns attacker nmap -n -Pn -sS -p 22 -T4 203.0.113.0/26 >/dev/null
    stop_capture 4
}

# On its own subnet nmap -sn asks by ARP only: one request per address,
# answered by the router (.1) alone; the attacker is the only other host
# there. Recorded on the attacker's eth0, with a little ordinary traffic
# of the attacker's (a name lookup and a download through the router)
# before and after.
scenario_nmap_arp_sweep() {
    capture nmap-arp-sweep attacker eth0
    ns attacker dig +tries=1 +time=2 +short www.lab.example A >/dev/null || true
    ns attacker curl -sS --max-time 10 -o /dev/null http://www.lab.example/ || true
    sleep 0.3
    ns attacker nmap -n -sn -PR -T4 198.51.100.0/26 >/dev/null
    sleep 0.3
    ns attacker curl -sS --max-time 10 -o /dev/null http://files.lab.example/index.html || true
    stop_capture 2
}

hping_flood() {   # hping_flood NAME [hping3 args...]
    local name=$1; shift
    capture "$name" server eth0
    bg browse
    sleep 0.2
    # 5000 packets, one every 500 us: about 2,000 a second for 2.5-3 s.
    ns attacker timeout 30 hping3 -q -c 5000 -i u500 "$@" >/dev/null 2>&1 || true
    wait_bg
    stop_capture 2
}

scenario_hping3_syn_flood()         { hping_flood hping3-syn-flood -S -p 80 203.0.113.20; }
scenario_hping3_syn_flood_spoofed() { hping_flood hping3-syn-flood-spoofed -S -p 80 --rand-source 203.0.113.20; }
scenario_hping3_udp_flood()         { hping_flood hping3-udp-flood --udp -p 9 203.0.113.20; }
scenario_hping3_icmp_flood()        { hping_flood hping3-icmp-flood --icmp 203.0.113.20; }

scenario_ssh_bruteforce() {
    capture ssh-bruteforce server eth0
    bg browse
    local i user users=(root admin test user oracle guest ubuntu pi postgres ftp)
    for i in $(seq 0 29); do
        user=${users[$((i % ${#users[@]}))]}
        # Key exchange, "none" authentication refused, no other method
        # allowed by BatchMode: a failed login.
        ns attacker ssh -F /dev/null -o BatchMode=yes \
            -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
            -o PubkeyAuthentication=no -o ConnectTimeout=5 -o LogLevel=QUIET \
            "$user@203.0.113.20" true </dev/null >/dev/null 2>&1 || true
        sleep 0.1
    done
    wait_bg
    stop_capture
}

# ------------------------------------------------------ login services --

# OpenSSH and vsftpd on 203.0.113.21, each from its own configuration file
# in $work. No account has a password sshd or vsftpd accepts (root's is
# locked, /etc/ftpusers refuses root, admin does not exist): every guess
# fails. The client's key in $work/authorized_keys is the one way in
# (root, by key: the ordinary session of ssh-ftp-ordinary); anonymous FTP
# serves $work/ftp.
# login_services [yes]: yes runs sshd with PAM, as Debian's does (pam_unix
# waits about 2 s before each refusal: what makes one-task hydra slow).
login_services() {
    local pam=${1:-no}
    mkdir -p /run/sshd "$work/empty" "$work/ftp"
    ssh-keygen -q -t ed25519 -N '' -f "$work/sshd_host_ed25519" >/dev/null
    ssh-keygen -q -t ed25519 -N '' -f "$work/client_key" >/dev/null
    install -m 600 "$work/client_key.pub" "$work/authorized_keys"
    cat > "$work/sshd_config" <<SSHD
Port 22
ListenAddress 203.0.113.21
HostKey $work/sshd_host_ed25519
PidFile $work/sshd.pid
PermitRootLogin yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM $pam
StrictModes no
AuthorizedKeysFile $work/authorized_keys
MaxStartups 100:30:200
SSHD
    ns server /usr/sbin/sshd -D -e -f "$work/sshd_config" >/dev/null 2>&1 &
    local f
    for f in 1 2 3; do
        head -c $((f * 6000)) /dev/zero | tr '\0' 'f' > "$work/ftp/file$f.txt"
    done
    cat > "$work/vsftpd.conf" <<VSFTPD
listen=YES
listen_ipv6=NO
listen_address=203.0.113.21
background=NO
anonymous_enable=YES
no_anon_password=YES
anon_root=$work/ftp
local_enable=YES
write_enable=NO
secure_chroot_dir=$work/empty
pam_service_name=vsftpd
seccomp_sandbox=NO
pasv_enable=YES
pasv_address=203.0.113.21
pasv_min_port=40000
pasv_max_port=40100
xferlog_enable=NO
VSFTPD
    ns server /usr/sbin/vsftpd "$work/vsftpd.conf" >/dev/null 2>&1 &
    wait_port server 203.0.113.21 22
    wait_port server 203.0.113.21 21
    # Wrong passwords, none of them any account's.
    printf '%s\n' 123456 password admin letmein qwerty monkey dragon master \
        shadow sunshine princess football iloveyou trustno1 welcome abc123 \
        baseball superman 654321 michael > "$work/passwords"
}

# hydra with one task against sshd with PAM: 60 passwords, 6 a
# connection, each refusal about 2 s: 10 connections, about 4 a minute
# for 2.5 minutes (one-task hydra against a real server, shortened).
scenario_hydra_ssh_slow() {
    login_services yes
    hydra_ssh hydra-ssh-slow 1 40
}

# The same tool at four tasks, no wait: fast guessing, 120 passwords
# (sshd allows 6 a connection: about 20 connections).
scenario_hydra_ssh_fast() {
    login_services
    hydra_ssh hydra-ssh-fast 4 100
}

# hydra_ssh NAME TASKS EXTRA: hydra with TASKS tasks against the sshd,
# the lab's passwords and EXTRA made-up ones, captured as NAME.
hydra_ssh() {
    local name=$1 tasks=$2 extra=$3
    { cat "$work/passwords"; seq -f 'guess%03g' 1 "$extra"; } > "$work/pw-$name"
    capture "$name" server eth0
    (cd "$work" && ns attacker hydra -I -q -t "$tasks" -l root -P "$work/pw-$name" \
        ssh://203.0.113.21 >/dev/null 2>&1) || true
    stop_capture
}

# medusa with one task against vsftpd: ten runs of two passwords each,
# 15 s apart, about 2.5 minutes; every password is refused (530).
scenario_medusa_ftp_slow() {
    login_services
    capture medusa-ftp-slow server eth0
    local i
    for i in $(seq 0 9); do
        sed -n "$((i * 2 + 1)),$((i * 2 + 2))p" "$work/passwords" > "$work/pw.$i"
        ns attacker medusa -t 1 -h 203.0.113.21 -u admin -P "$work/pw.$i" -M ftp \
            >/dev/null 2>&1 || true
        if [ "$i" -lt 9 ]; then sleep 15; fi
    done
    stop_capture
}

# medusa with four tasks against vsftpd: one run over 40 passwords (the
# lab's 20 and 20 made-up ones), four connections at a time, one
# password each; every password is refused (530).
scenario_medusa_ftp_fast() {
    login_services
    { cat "$work/passwords"; seq -f 'guess%03g' 1 20; } > "$work/pw40"
    capture medusa-ftp-fast server eth0
    ns attacker timeout 120 medusa -t 4 -h 203.0.113.21 -u admin -P "$work/pw40" \
        -M ftp >/dev/null 2>&1 || true
    stop_capture
}

# ncrack's polite timing, one connection at a time (CL=1), 12 s between
# connections (cd), 120 passwords: two and a half minutes of slow
# guessing, then stopped.
scenario_ncrack_ssh_polite() {
    login_services
    { cat "$work/passwords"; seq -f 'guess%03g' 1 100; } > "$work/pw120"
    capture ncrack-ssh-polite server eth0
    ns attacker timeout 150 ncrack -T polite --user root -P "$work/pw120" \
        '203.0.113.21:22,CL=1,cd=12s' >/dev/null 2>&1 || true
    stop_capture
}

# ncrack at aggressive timing against sshd without PAM: 40 passwords
# (the lab's 20 and 20 made-up ones), its own parallel connections and
# no wait between them; stopped after 60 s if it has not finished.
scenario_ncrack_ssh_fast() {
    login_services
    { cat "$work/passwords"; seq -f 'guess%03g' 1 20; } > "$work/pw40"
    capture ncrack-ssh-fast server eth0
    ns attacker timeout 60 ncrack -T aggressive --user root -P "$work/pw40" \
        203.0.113.21:22 >/dev/null 2>&1 || true
    stop_capture
}

# Ordinary use of the same services: one SSH login with a mistyped
# password, then an interactive session by key (commands typed seconds
# apart); an FTP login downloading three files on one control connection.
scenario_ssh_ftp_ordinary() {
    login_services
    capture ssh-ftp-ordinary server eth0
    ns client sshpass -p 'mistyped' ssh -F /dev/null -o StrictHostKeyChecking=no \
        -o UserKnownHostsFile=/dev/null -o PubkeyAuthentication=no \
        -o NumberOfPasswordPrompts=1 -o LogLevel=QUIET root@203.0.113.21 true \
        </dev/null >/dev/null 2>&1 || true
    sleep 3
    { sleep 2; echo 'ls -la /'; sleep 4; echo 'uname -a'; sleep 4; echo 'seq 1 300'
      sleep 4; echo 'cat /etc/os-release'; sleep 4; echo exit; sleep 1; } |
        ns client ssh -F /dev/null -tt -i "$work/client_key" \
            -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
            -o LogLevel=QUIET root@203.0.113.21 >/dev/null 2>&1 || true
    sleep 2
    ns client curl -sS --max-time 20 -o /dev/null -o /dev/null -o /dev/null \
        ftp://203.0.113.21/file1.txt ftp://203.0.113.21/file2.txt \
        ftp://203.0.113.21/file3.txt || true
    stop_capture
}

scenario_busy_client() {
    capture busy-client client eth0
    q www.lab.example A
    q files.lab.example A
    q api.lab.example A
    local i urls=()
    for i in $(seq 1 15); do
        urls+=(http://203.0.113.20/index.html http://203.0.113.21/index.html
               http://203.0.113.22/index.html "http://[2001:db8:20::20]/index.html")
    done
    # 60 HTTP connections, at most 10 at a time; every one succeeds.
    printf '%s\n' "${urls[@]}" |
        ns client xargs -P 10 -n 1 curl -sS --max-time 10 -o /dev/null
    stop_capture
}

scenario_dns_server() {
    local i a names=(www.lab.example files.lab.example api.lab.example
                     mail.lab.example intranet.lab.example static.lab.example
                     printer.lab.example)
    for i in $(seq 100 139); do ns client ip addr add "192.0.2.$i/24" dev eth0; done
    capture dns-server server eth0
    # 40 clients, 192.0.2.100-139, one A query each; every fourth also
    # asks for AAAA; printer.lab.example does not exist (NXDOMAIN).
    for i in $(seq 100 139); do
        a=${names[$((i % ${#names[@]}))]}
        ns client dig +tries=1 +time=2 -b "192.0.2.$i" @203.0.113.53 "$a" A >/dev/null || true
        if [ $((i % 4)) -eq 0 ]; then
            ns client dig +tries=1 +time=2 -b "192.0.2.$i" @203.0.113.53 "$a" AAAA >/dev/null || true
        fi
    done
    stop_capture
}

scenario_blocklist_download() {
    capture blocklist-download client eth0
    q www.lab.example A
    get http://www.lab.example/
    # The blocklisted name, resolved through dnsmasq (curl's own lookup
    # asks A and AAAA), and its 20 KB payload from 203.0.113.80.
    q malware.bad.example A
    get http://malware.bad.example/payload.bin
    get http://files.lab.example/payload.bin
    q api.lab.example A
    get http://api.lab.example/index.html
    stop_capture
}

# Host discovery of 203.0.113.0/27 with one probe kind each, recorded
# on the router's attacker-side link like the sweeps above. Present in
# the /27: the router's 203.0.113.1 and the server's .20, .21, .22.
scenario_nmap_ack_ping_sweep() {
    capture nmap-ack-ping-sweep router r-a
    ns attacker nmap -n -sn -PA80 -T4 203.0.113.0/27 >/dev/null
    stop_capture 4
}

scenario_nmap_udp_ping_sweep() {
    capture nmap-udp-ping-sweep router r-a
    ns attacker nmap -n -sn -PU -T4 203.0.113.0/27 >/dev/null
    stop_capture 4
}

scenario_nmap_icmp_kinds_sweep() {
    capture nmap-icmp-kinds-sweep router r-a
    ns attacker nmap -n -sn -PE -PP -PM -T4 203.0.113.0/27 >/dev/null
    stop_capture 4
}

# Path discovery, ordinary traffic: from the client of the routed chain
# (setup_chain) to 203.0.113.20, three routers away; recorded on the
# client's eth0.
trace() {   # trace NAME COMMAND...
    local name=$1; shift
    capture "$name" client eth0
    ns client "$@" >/dev/null 2>&1 || true
    stop_capture 2
}

scenario_traceroute_udp()  { trace traceroute-udp traceroute -n 203.0.113.20; }
scenario_traceroute_icmp() { trace traceroute-icmp traceroute -n -I 203.0.113.20; }
scenario_traceroute_tcp()  { trace traceroute-tcp tcptraceroute -n 203.0.113.20 80; }
scenario_mtr_report()      { trace mtr-report mtr -n -r -c 3 203.0.113.20; }

# add_hosts LINE... -- more names for dnsmasq (re-read on SIGHUP)
add_hosts() {
    printf '%s\n' "$@" >> "$work/hosts"
    kill -HUP "$(cat "$work/dnsmasq.pid")"
    sleep 0.3
}

# Twelve web sites on 203.0.113.31-.42 (the first four also on
# 2001:db8:20::31-34), browsed by the client: curl looks each name up
# (A and AAAA) and downloads a page or two. Only what the client sends
# is recorded: tcpdump -Q out on the client's eth0 (no packet from a
# server or the router is in the file).
scenario_one_way_browsing() {
    local i a names=()
    for i in $(seq 1 12); do
        a=$((30 + i))
        ns server ip addr add "203.0.113.$a/24" dev eth0
        names+=("203.0.113.$a web$(printf %02d "$i").lab.example")
        if [ "$i" -le 4 ]; then
            ns server ip -6 addr add "2001:db8:20::$a/64" dev eth0 nodad
            names+=("2001:db8:20::$a web$(printf %02d "$i").lab.example")
        fi
    done
    add_hosts "${names[@]}"
    capture one-way-browsing client eth0 0 -Q out
    for i in $(seq 1 12); do
        get "http://web$(printf %02d "$i").lab.example/"
        if [ $((i % 3)) -eq 0 ]; then
            get "http://web$(printf %02d "$i").lab.example/payload.bin"
        fi
        sleep 0.2
    done
    stop_capture
}

# One name, eleven addresses (six AAAA, five A), of which only the last
# A answers: the router has unreachable routes for 2001:db8:21::/64 and
# 203.0.113.96/28, so each SYN to those gets an ICMPv6 no-route (1/0) or
# ICMP host unreachable (3/1) at once, and curl (getaddrinfo order, IPv6
# first; happy eyeballs starts IPv4 200 ms later) tries the next one
# until 203.0.113.20 answers. Recorded on the client's eth0.
scenario_client_fallback() {
    ns router ip -6 route add unreachable 2001:db8:21::/64
    ns router ip route add unreachable 203.0.113.96/28
    local i hosts=()
    for i in 1 2 3 4 5 6; do hosts+=("2001:db8:21::$i app.lab.example"); done
    for i in 101 102 103 104; do hosts+=("203.0.113.$i app.lab.example"); done
    hosts+=("203.0.113.20 app.lab.example")
    add_hosts "${hosts[@]}"
    capture client-fallback client eth0
    get --connect-timeout 5 http://app.lab.example/
    stop_capture
}

# --------------------------------------------------------------- main --

main() {
    [ $# -gt 0 ] || { echo "usage: record.sh all|list|SCENARIO..." >&2; exit 2; }
    if [ "$1" = list ]; then printf '%s\n' "${scenarios[@]}"; exit 0; fi
    [ "$(id -u)" -eq 0 ] || die "run as root (it creates network namespaces)"
    need ip iproute2; need nmap nmap; need hping3 hping3; need tcpdump tcpdump
    need dnsmasq dnsmasq-base; need dig bind9-dnsutils; need curl curl
    need ssh openssh-client; need dropbear dropbear-bin
    need dropbearkey dropbear-bin; need tshark tshark; need xargs findutils
    need traceroute traceroute; need tcptraceroute tcptraceroute
    need mtr mtr-tiny
    local s
    for s in "$@"; do
        case $s in all|hydra-*|medusa-*|ncrack-*|ssh-ftp-ordinary)
            need /usr/sbin/sshd openssh-server; need /usr/sbin/vsftpd vsftpd
            need ssh-keygen openssh-client; need hydra hydra; need medusa medusa
            need ncrack ncrack; need sshpass sshpass ;;
        esac
    done
    [ -x "$PY" ] || die "$PY not found: apt-get install python3"
    command -v ethtool >/dev/null 2>&1 ||
        log "ethtool not found (apt-get install ethtool): offloads stay on"

    local wanted=("$@")
    [ "$1" = all ] && wanted=("${scenarios[@]}")
    for s in "${wanted[@]}"; do
        declare -F "scenario_${s//-/_}" >/dev/null || die "no scenario '$s' (see: record.sh list)"
    done
    mkdir -p "$out"
    trap on_exit EXIT
    trap 'exit 130' INT TERM
    for s in "${wanted[@]}"; do
        log "=== $s"
        case $s in
            traceroute-*|mtr-*) setup_chain ;;
            *) setup ;;
        esac
        "scenario_${s//-/_}"
        teardown
    done
}

main "$@"
