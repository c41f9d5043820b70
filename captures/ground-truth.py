#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Measure the ground truth of the lab captures with tshark.

    captures/ground-truth.py            # writes captures/ground-truth.json and
                                        # the generated part of captures/README.md
    captures/ground-truth.py --check    # exit 1 if either is out of date
    captures/ground-truth.py --markdown # print the generated README part

Everything in the JSON is counted from the files by tshark (plain tshark,
no ntt plugin needed); only the "attacks" roles (who attacked whom with
what) come from the recording script's scenario table below. TCP
connection states are computed here per tcp.stream with Zeek's endpoint
rules (see STATE RULES in captures/README.md).
"""
import argparse
import collections
import hashlib
import ipaddress
import json
import os
import pathlib
import re
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
CAPS = pathlib.Path(os.environ.get("NTT_CAPTURE_DIR", HERE))
TSHARK = os.environ.get("TSHARK", "tshark")

ATTACKER4, ATTACKER6 = "198.51.100.66", "2001:db8:66::66"
VICTIM4, VICTIM6 = "203.0.113.20", "2001:db8:20::20"
LOGIN4 = "203.0.113.21"          # sshd and vsftpd of the login scenarios
CLIENT4, CLIENT6 = "192.0.2.10", "2001:db8:2::10"
DNS4 = "203.0.113.53"
TRACE_DST = "203.0.113.20"     # the traceroutes' destination, 3 routers away
ROUTER_A4 = "198.51.100.1"

# What each capture is: where it was recorded and the attacks in it (the
# roles come from record.sh; every number is measured below).
SCENARIOS = {
    "http-dns.pcap": dict(point="client eth0", attacks=[]),
    "nmap-syn-scan.pcap": dict(point="server eth0", attacks=[
        dict(type="portscan", src=ATTACKER4, dst=VICTIM4, kind="tcp-syn",
             tool="nmap -sS -p 1-1000")]),
    "nmap-connect-scan.pcap": dict(point="server eth0", attacks=[
        dict(type="portscan", src=ATTACKER4, dst=VICTIM4, kind="tcp-connect",
             tool="nmap -sT -p 1-1000")]),
    "nmap-udp-scan.pcap": dict(point="server eth0", attacks=[
        dict(type="portscan", src=ATTACKER4, dst=VICTIM4, kind="udp",
             tool="nmap -sU -p 1-100")]),
    "nmap-xmas-scan.pcap": dict(point="server eth0", attacks=[
        dict(type="portscan", src=ATTACKER4, dst=VICTIM4, kind="tcp-xmas",
             tool="nmap -sX -p 1-1000"),
        dict(type="flags", src=ATTACKER4, dst=VICTIM4, kind="xmas",
             tool="nmap -sX -p 1-1000")]),
    "nmap-null-scan.pcap": dict(point="server eth0", attacks=[
        dict(type="portscan", src=ATTACKER4, dst=VICTIM4, kind="tcp-null",
             tool="nmap -sN -p 1-1000"),
        dict(type="flags", src=ATTACKER4, dst=VICTIM4, kind="null",
             tool="nmap -sN -p 1-1000")]),
    "nmap6-syn-scan.pcap": dict(point="server eth0", attacks=[
        dict(type="portscan", src=ATTACKER6, dst=VICTIM6, kind="tcp-syn",
             tool="nmap -6 -sS -p 1-1000")]),
    "nmap-ping-sweep.pcap": dict(point="router r-a (attacker link)", attacks=[
        dict(type="sweep", src=ATTACKER4, dst="203.0.113.0/26", kind="ping",
             tool="nmap -sn 203.0.113.0/26")]),
    "nmap-syn-sweep.pcap": dict(point="router r-a (attacker link)", attacks=[
        dict(type="sweep", src=ATTACKER4, dst="203.0.113.0/26", kind="tcp-syn",
             port=22, tool="nmap -sS -p 22 -Pn 203.0.113.0/26")]),
    "nmap-arp-sweep.pcap": dict(point="attacker eth0", attacks=[
        dict(type="sweep", src=ATTACKER4, dst="198.51.100.0/26", kind="arp",
             tool="nmap -sn -PR 198.51.100.0/26")]),
    "hping3-syn-flood.pcap": dict(point="server eth0", attacks=[
        dict(type="synflood", src=ATTACKER4, dst=VICTIM4, port=80,
             tool="hping3 -S -p 80 -c 5000 -i u500")]),
    "hping3-syn-flood-spoofed.pcap": dict(point="server eth0", attacks=[
        dict(type="synflood", src=None, dst=VICTIM4, port=80, spoofed=True,
             also_acceptable=["ddos"],
             tool="hping3 -S -p 80 --rand-source -c 5000 -i u500")]),
    "hping3-udp-flood.pcap": dict(point="server eth0", attacks=[
        dict(type="udpflood", src=ATTACKER4, dst=VICTIM4, port=9,
             tool="hping3 --udp -p 9 -c 5000 -i u500")]),
    "hping3-icmp-flood.pcap": dict(point="server eth0", attacks=[
        dict(type="icmpflood", src=ATTACKER4, dst=VICTIM4,
             tool="hping3 --icmp -c 5000 -i u500")]),
    "ssh-bruteforce.pcap": dict(point="server eth0", attacks=[
        dict(type="bruteforce", src=ATTACKER4, dst=VICTIM4, port=22,
             tool="30 x ssh -o BatchMode=yes USER@203.0.113.20")]),
    "hydra-ssh-slow.pcap": dict(point="server eth0", attacks=[
        dict(type="bruteforce", src=ATTACKER4, dst=LOGIN4, port=22,
             tool="hydra -t 1 -l root -P (60 passwords) ssh://203.0.113.21 (sshd with PAM)")]),
    "hydra-ssh-fast.pcap": dict(point="server eth0", attacks=[
        dict(type="bruteforce", src=ATTACKER4, dst=LOGIN4, port=22,
             tool="hydra -t 4 -l root -P (120 passwords) ssh://203.0.113.21")]),
    "medusa-ftp-slow.pcap": dict(point="server eth0", attacks=[
        dict(type="bruteforce", src=ATTACKER4, dst=LOGIN4, port=21,
             tool="10 x medusa -t 1 -u admin -P (2 passwords) -M ftp, 15 s apart")]),
    "medusa-ftp-fast.pcap": dict(point="server eth0", attacks=[
        dict(type="bruteforce", src=ATTACKER4, dst=LOGIN4, port=21,
             tool="medusa -t 4 -u admin -P (40 passwords) -M ftp")]),
    "ncrack-ssh-polite.pcap": dict(point="server eth0", attacks=[
        dict(type="bruteforce", src=ATTACKER4, dst=LOGIN4, port=22,
             tool="ncrack -T polite --user root -P (120 passwords) 203.0.113.21:22,CL=1,cd=12s (stopped at 150 s)")]),
    "ncrack-ssh-fast.pcap": dict(point="server eth0", attacks=[
        dict(type="bruteforce", src=ATTACKER4, dst=LOGIN4, port=22,
             tool="ncrack -T aggressive --user root -P (40 passwords) 203.0.113.21:22")]),
    "ssh-ftp-ordinary.pcap": dict(point="server eth0", attacks=[]),
    "busy-client.pcap": dict(point="client eth0", attacks=[]),
    "dns-server.pcap": dict(point="server eth0", attacks=[]),
    "nmap-ack-ping-sweep.pcap": dict(point="router r-a (attacker link)", attacks=[
        dict(type="sweep", src=ATTACKER4, dst="203.0.113.0/27", kind="tcp-ack",
             port=80, tool="nmap -sn -PA80 203.0.113.0/27")]),
    "nmap-udp-ping-sweep.pcap": dict(point="router r-a (attacker link)", attacks=[
        dict(type="sweep", src=ATTACKER4, dst="203.0.113.0/27", kind="udp",
             port=40125, tool="nmap -sn -PU 203.0.113.0/27")]),
    "nmap-icmp-kinds-sweep.pcap": dict(point="router r-a (attacker link)", attacks=[
        dict(type="sweep", src=ATTACKER4, dst="203.0.113.0/27", kind="icmp",
             tool="nmap -sn -PE -PP -PM 203.0.113.0/27")]),
    "traceroute-udp.pcap": dict(point="client eth0 (routed chain)", attacks=[],
                                traffic=dict(kind="traceroute", tool="traceroute -n 203.0.113.20")),
    "traceroute-icmp.pcap": dict(point="client eth0 (routed chain)", attacks=[],
                                 traffic=dict(kind="traceroute", tool="traceroute -n -I 203.0.113.20")),
    "traceroute-tcp.pcap": dict(point="client eth0 (routed chain)", attacks=[],
                                traffic=dict(kind="traceroute", tool="tcptraceroute -n 203.0.113.20 80")),
    "mtr-report.pcap": dict(point="client eth0 (routed chain)", attacks=[],
                            traffic=dict(kind="traceroute", tool="mtr -n -r -c 3 203.0.113.20")),
    "one-way-browsing.pcap": dict(point="client eth0, outgoing only (tcpdump -Q out)", attacks=[],
                                  traffic=dict(kind="one-way", tool="curl http://webNN.lab.example/ (12 sites)")),
    "client-fallback.pcap": dict(point="client eth0", attacks=[],
                                 traffic=dict(kind="fallback", name="app.lab.example",
                                              tool="curl http://app.lab.example/")),
    "blocklist-download.pcap": dict(point="client eth0", attacks=[
        dict(type="blocklist", src=CLIENT4, dst="203.0.113.80",
             domain="malware.bad.example", url="http://malware.bad.example/payload.bin",
             tool="dig malware.bad.example; curl http://malware.bad.example/payload.bin",
             note="not a traffic-pattern detection: the name/address is "
                  "what a blocklist would match")]),
}

FIELDS = [
    "frame.number", "frame.time_epoch", "frame.len", "frame.protocols",
    "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
    "tcp.stream", "tcp.srcport", "tcp.dstport", "tcp.flags", "tcp.len",
    "udp.stream", "udp.srcport", "udp.dstport",
    "icmp.type", "icmp.code", "icmp.ident", "icmpv6.type", "icmpv6.code",
    "icmpv6.echo.identifier",
    "dns.flags.response", "dns.flags.rcode", "dns.qry.name", "dns.qry.type",
    "http.request.method", "http.host", "http.request.uri",
    "http.response.code", "ssh.protocol", "ftp.response.code",
    "arp.opcode", "arp.src.proto_ipv4", "arp.dst.proto_ipv4",
    "dns.a", "dns.aaaa",
]

FIN, SYN, RST, PSH, ACK, URG = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20


def tshark(*args):
    r = subprocess.run([TSHARK, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"tshark {' '.join(args)} failed: {r.stderr}")
    return r.stdout


class Pkt:
    __slots__ = ("no", "t", "len", "l3", "l4", "src", "dst", "inner",
                 "f", "sport", "dport", "flags", "tlen", "stream",
                 "itype", "icode", "iid")


def first(v):
    return v.split(",")[0] if v else ""


def read_packets(path):
    out = tshark("-r", str(path), "-n", "-T", "fields",
                 "-E", "separator=\t", "-E", "occurrence=a",
                 "-E", "aggregator=,", *sum((["-e", f] for f in FIELDS), []))
    pkts = []
    for line in out.splitlines():
        v = dict(zip(FIELDS, line.split("\t")))
        p = Pkt()
        p.f = v
        p.no = int(v["frame.number"])
        p.t = float(v["frame.time_epoch"])
        p.len = int(v["frame.len"])
        protos = v["frame.protocols"].split(":")
        p.l3 = p.l4 = None
        for i, name in enumerate(protos):
            if name in ("ip", "ipv6"):
                p.l3 = name
                p.l4 = protos[i + 1] if i + 1 < len(protos) else None
                break
        if p.l3 is None:
            p.l3 = "arp" if "arp" in protos else "other"
        p.src = first(v["ip.src"]) if p.l3 == "ip" else first(v["ipv6.src"])
        p.dst = first(v["ip.dst"]) if p.l3 == "ip" else first(v["ipv6.dst"])
        p.inner = None
        p.sport = p.dport = p.flags = p.tlen = p.stream = None
        p.itype = p.icode = p.iid = None
        if p.l4 == "tcp":
            p.stream = int(v["tcp.stream"])
            p.sport, p.dport = int(v["tcp.srcport"]), int(v["tcp.dstport"])
            p.flags = int(v["tcp.flags"], 16)
            p.tlen = int(v["tcp.len"] or 0)
        elif p.l4 == "udp":
            p.stream = int(v["udp.stream"])
            p.sport, p.dport = int(v["udp.srcport"]), int(v["udp.dstport"])
        elif p.l4 == "icmp":
            p.itype, p.icode = int(first(v["icmp.type"])), int(first(v["icmp.code"]))
            p.iid = first(v["icmp.ident"]) or None
        elif p.l4 == "icmpv6":
            p.itype, p.icode = int(first(v["icmpv6.type"])), int(first(v["icmpv6.code"]))
            p.iid = first(v["icmpv6.echo.identifier"]) or None
        if p.l4 in ("icmp", "icmpv6"):
            # The quoted header of an ICMP error: the probe it reports.
            srcs = (v["ip.src"] if p.l3 == "ip" else v["ipv6.src"]).split(",")
            dsts = (v["ip.dst"] if p.l3 == "ip" else v["ipv6.dst"]).split(",")
            if len(srcs) > 1:
                inner_ports = None
                if v["tcp.srcport"]:
                    inner_ports = ("tcp", int(first(v["tcp.srcport"])), int(first(v["tcp.dstport"])))
                elif v["udp.srcport"]:
                    inner_ports = ("udp", int(first(v["udp.srcport"])), int(first(v["udp.dstport"])))
                p.inner = (srcs[1], dsts[1], inner_ports)
        pkts.append(p)
    return pkts


# ------------------------------------------------------------------
# TCP connection state, Zeek's endpoint machine and conn_state mapping.
INACTIVE, SYN_SENT, SYN_ACK_SENT, PARTIAL, ESTABLISHED, CLOSED, RESET = range(7)


class TcpConn:
    def __init__(self, first_pkt):
        p = first_pkt
        # The originator sent the first packet, unless that packet answers
        # (a SYN-ACK): then the other side is the originator.
        if p.flags & SYN and p.flags & ACK:
            self.orig = (p.dst, p.dport)
        else:
            self.orig = (p.src, p.sport)
        self.resp_addr = p.src if self.orig[0] == p.dst and self.orig[1] == p.dport else p.dst
        self.ep = [INACTIVE, INACTIVE]
        self.payload = [False, False]
        self.orig_syn_first = False
        self.orig_ack_or_fin = False
        self.pkts = [0, 0]
        self.first, self.last = p.t, p.t
        self.resp_port = p.dport if self.orig == (p.src, p.sport) else p.sport

    def add(self, p):
        d = 0 if (p.src, p.sport) == self.orig else 1
        self.pkts[d] += 1
        self.last = p.t
        f = p.flags
        me, peer = d, 1 - d
        if p.tlen > 0:
            self.payload[d] = True
        if d == 0:
            if self.ep[0] == INACTIVE and f & SYN and not f & ACK:
                self.orig_syn_first = True
            if not f & RST and (f & ACK or f & FIN):
                self.orig_ack_or_fin = True
        if self.ep[me] == RESET:
            return
        if f & RST:
            self.ep[me] = RESET
            return
        if f & SYN:
            if not f & ACK:
                if self.ep[me] == INACTIVE:
                    self.ep[me] = SYN_SENT
            else:
                if self.ep[me] == INACTIVE:
                    self.ep[me] = SYN_ACK_SENT
                if self.ep[me] == SYN_ACK_SENT and self.ep[peer] == SYN_SENT:
                    self.ep[me] = self.ep[peer] = ESTABLISHED
        elif f & ACK or p.tlen > 0:
            if self.ep[me] == INACTIVE:
                self.ep[me] = PARTIAL
            elif self.ep[me] == SYN_SENT and self.ep[peer] == SYN_ACK_SENT:
                self.ep[me] = self.ep[peer] = ESTABLISHED
        if f & FIN:
            self.ep[me] = CLOSED

    def state(self):
        os_, rs = self.ep
        inactive = (INACTIVE, PARTIAL)
        if rs == RESET:
            if os_ in (SYN_SENT, SYN_ACK_SENT) or (
                    os_ == RESET and not self.payload[0] and not self.payload[1]):
                return "REJ"
            return "RSTRH" if os_ in inactive else "RSTR"
        if os_ == RESET:
            if rs in inactive:
                return "RSTOS0" if self.orig_syn_first and not self.orig_ack_or_fin else "OTH"
            return "RSTO"
        if os_ == CLOSED and rs == CLOSED:
            return "SF"
        if os_ == CLOSED:
            return "SH" if rs in inactive else "S2"
        if rs == CLOSED:
            return "SHR" if os_ in inactive else "S3"
        if os_ == SYN_SENT and rs == INACTIVE:
            return "S0"
        if os_ == ESTABLISHED and rs == ESTABLISHED:
            return "S1"
        return "OTH"


# ------------------------------------------------------------------

def conv_rows(path, kind):
    out = tshark("-r", str(path), "-n", "-q", "-z", f"conv,{kind}")
    return [l for l in out.splitlines() if "<->" in l]


def conv_pairs(path, kind):
    rows = []
    for l in conv_rows(path, kind):
        m = re.match(r"\s*(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+)\s+\S+\s+(\d+)\s+(\d+)\s+\S+\s+(\d+)\s+(\d+)", l)
        if m:
            a, b = m.group(1), m.group(2)
            rows.append(dict(a=a, b=b, packets=int(m.group(7)), bytes=int(m.group(8))))
    return rows


def capinfo(path):
    info = subprocess.run(["capinfos", "-M", "-t", "-E", "-l", str(path)],
                          capture_output=True, text=True).stdout
    d = {}
    for l in info.splitlines():
        if ":" in l:
            k, v = l.split(":", 1)
            d[k.strip()] = v.strip()
    return d


def per_second(ts):
    """Packets in each whole second after the first, for >= N pps checks."""
    if not ts:
        return []
    t0 = ts[0]
    c = collections.Counter(int(t - t0) for t in ts)
    return [c.get(i, 0) for i in range(max(c) + 1)]


def kv(counter):
    return dict(sorted(counter.items(), key=lambda x: (-x[1], x[0])))


def analyse(path):
    name = path.name
    pkts = read_packets(path)
    info = capinfo(path)
    sc = SCENARIOS.get(name, dict(point="?", attacks=[]))
    g = collections.OrderedDict()
    g["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    g["bytes"] = path.stat().st_size
    g["format"] = info.get("File type", "")
    g["encapsulation"] = info.get("File encapsulation", "")
    g["snaplen"] = int(info.get("Packet size limit", "0").split()[-2]) \
        if "Packet size limit" in info else None
    g["recorded_on"] = sc["point"]
    g["packets"] = len(pkts)
    g["first_epoch"] = f"{pkts[0].t:.6f}"
    g["last_epoch"] = f"{pkts[-1].t:.6f}"
    g["duration"] = round(pkts[-1].t - pkts[0].t, 6)
    g["benign"] = not sc["attacks"]

    proto = collections.Counter()
    for p in pkts:
        proto[{"ip": "ipv4", "ipv6": "ipv6", "arp": "arp"}.get(p.l3, "other")] += 1
        if p.l4 in ("tcp", "udp", "icmp", "icmpv6"):
            proto[p.l4] += 1
    g["protocols"] = {k: proto.get(k, 0) for k in
                      ("arp", "ipv4", "ipv6", "tcp", "udp", "icmp", "icmpv6", "other")}

    # -- TCP
    tcp = [p for p in pkts if p.l4 == "tcp"]
    conns = collections.OrderedDict()
    for p in tcp:
        c = conns.get(p.stream)
        if c is None:
            c = conns[p.stream] = TcpConn(p)
        c.add(p)
    g["tcp_streams"] = len(conns)
    g["tcp_conv_rows"] = len(conv_rows(path, "tcp"))
    g["tcp_packets"] = len(tcp)
    g["tcp_flags"] = dict(
        syn=sum(1 for p in tcp if p.flags & SYN and not p.flags & ACK),
        synack=sum(1 for p in tcp if p.flags & SYN and p.flags & ACK),
        rst=sum(1 for p in tcp if p.flags & RST),
        fin=sum(1 for p in tcp if p.flags & FIN),
        null=sum(1 for p in tcp if p.flags & 0x3f == 0),
        xmas=sum(1 for p in tcp if p.flags & 0x3f == FIN | PSH | URG),
    )
    states = collections.Counter(c.state() for c in conns.values())
    g["tcp_states"] = kv(states)
    by_pair = collections.defaultdict(collections.Counter)
    for c in conns.values():
        by_pair[f"{c.orig[0]} -> {c.resp_addr}"][c.state()] += 1
    if len(by_pair) > 40:
        folded = collections.defaultdict(collections.Counter)
        for c in conns.values():
            folded[f"* -> {c.resp_addr}"][c.state()] += 1
        by_pair = folded
        g["tcp_states_by_pair_folded"] = True
    g["tcp_states_by_pair"] = {k: kv(v) for k, v in sorted(by_pair.items())}

    # -- UDP: a conversation is a 5-tuple (as -z conv,udp counts them).
    # udp.stream is counted too, but Wireshark 4.0 folds some 5-tuples into
    # one udp.stream when ICMP errors quote them (see README).
    udp = [p for p in pkts if p.l4 == "udp"]
    uconv = collections.OrderedDict()
    for p in udp:
        key = tuple(sorted([(p.src, p.sport), (p.dst, p.dport)]))
        s = uconv.setdefault(key, dict(orig=(p.src, p.sport), resp=p.dst,
                                       resp_port=p.dport, n=[0, 0]))
        s["n"][0 if (p.src, p.sport) == s["orig"] else 1] += 1
    g["udp_conversations"] = len(uconv)
    g["udp_conv_rows"] = len(conv_rows(path, "udp"))
    g["udp_streams"] = len({p.stream for p in udp})
    g["udp_packets"] = len(udp)
    g["udp_answered"] = sum(1 for s in uconv.values() if s["n"][1] > 0)
    g["udp_unanswered"] = sum(1 for s in uconv.values() if s["n"][1] == 0)
    upair = collections.defaultdict(lambda: [0, 0])
    for s in uconv.values():
        k = f"{s['orig'][0]} -> {s['resp']}"
        upair[k][0] += 1
        upair[k][1] += s["n"][1] > 0
    if len(upair) <= 60:
        g["udp_by_pair"] = {k: dict(conversations=v[0], answered=v[1])
                            for k, v in sorted(upair.items())}
    else:
        g["udp_by_pair_omitted"] = len(upair)

    # -- ICMP
    icmp = [p for p in pkts if p.l4 in ("icmp", "icmpv6")]
    g["icmp_types"] = kv(collections.Counter(f"{p.l4}:{p.itype}/{p.icode}" for p in icmp))
    echo = set()
    for p in icmp:
        if (p.l4, p.itype) in (("icmp", 8), ("icmpv6", 128)):
            echo.add((p.src, p.dst, p.iid))
        elif (p.l4, p.itype) in (("icmp", 0), ("icmpv6", 129)):
            echo.add((p.dst, p.src, p.iid))
    g["icmp_echo_flows"] = len(echo)

    # -- conversations, talkers
    ip4 = conv_pairs(path, "ip")
    ip6 = conv_pairs(path, "ipv6")
    g["ip_conversations"] = len(ip4)
    g["ipv6_conversations"] = len(ip6)
    # -z conv prints sizes rounded to kB/MB: sum the exact bytes per pair
    # from the packets instead (outer addresses, as -z conv counts them).
    exact = collections.Counter()
    for p in pkts:
        if p.l3 in ("ip", "ipv6"):
            exact[tuple(sorted((p.src, p.dst)))] += p.len
    for r in ip4 + ip6:
        r["bytes"] = exact[tuple(sorted((r["a"], r["b"])))]
    talk = sorted(ip4 + ip6, key=lambda r: (-r["packets"], r["a"], r["b"]))
    g["talkers"] = talk[:15]
    g["hosts"] = len({r["a"] for r in ip4 + ip6} | {r["b"] for r in ip4 + ip6})

    # -- applications
    dq = [p for p in pkts if p.f["dns.flags.response"] == "False" or p.f["dns.flags.response"] == "0"]
    dr = [p for p in pkts if p.f["dns.flags.response"] in ("True", "1")]
    if dq or dr:
        g["dns"] = dict(
            queries=len(dq), responses=len(dr),
            nxdomain=sum(1 for p in dr if p.f["dns.flags.rcode"] == "3"),
            clients=len({p.src for p in dq}),
            names=kv(collections.Counter(first(p.f["dns.qry.name"]) for p in dq)))
    hr = [p for p in pkts if p.f["http.request.method"]]
    if hr:
        g["http"] = dict(
            requests=len(hr),
            responses=sum(1 for p in pkts if p.f["http.response.code"]),
            responses_200=sum(1 for p in pkts if first(p.f["http.response.code"]) == "200"),
            by_server=kv(collections.Counter(p.dst for p in hr)),
            uris=kv(collections.Counter(
                f"{first(p.f['http.host'])}{first(p.f['http.request.uri'])}" for p in hr)))

    if "traffic" in sc:
        g["traffic"] = measure_traffic(sc["traffic"], pkts, conns)
    g["attacks"] = [measure(a, pkts, conns, uconv) for a in sc["attacks"]]
    return g


def measure_traffic(t, pkts, conns):
    """What a benign capture's own traffic is made of (not an attack)."""
    t = dict(t)
    if t["kind"] == "traceroute":
        # Probes: what the client sent to the destination (its RSTs after
        # a SYN-ACK aside); hops: routers answering time-exceeded, in the
        # order they first answer; the destination's own answers.
        dst = TRACE_DST
        probes = [p for p in pkts if p.src == CLIENT4 and p.dst == dst
                  and not (p.l4 == "tcp" and p.flags & RST)]
        hops = []
        for p in pkts:
            if p.l4 == "icmp" and p.itype == 11 and p.dst == CLIENT4 and p.src not in hops:
                hops.append(p.src)
        t["client"], t["destination"] = CLIENT4, dst
        t["probes"] = len(probes)
        t["probe_kinds"] = kv(collections.Counter(probe_kind(p) for p in probes))
        t["hops"] = hops + [dst]
        t["time_exceeded"] = sum(1 for p in pkts if p.l4 == "icmp" and p.itype == 11)
        t["answers_from_destination"] = kv(collections.Counter(
            f"icmp:{p.itype}/{p.icode}" if p.l4 == "icmp" else
            "tcp-synack" if p.l4 == "tcp" and p.flags & SYN and p.flags & ACK else
            f"{p.l4}" for p in pkts if p.src == dst and p.dst == CLIENT4))
    elif t["kind"] == "one-way":
        ip = [p for p in pkts if p.l3 in ("ip", "ipv6")]
        t["sources"] = sorted({p.src for p in ip})
        t["packets_to_client"] = sum(1 for p in ip if p.dst in (CLIENT4, CLIENT6))
        t["servers"] = sorted({c.resp_addr for c in conns.values()},
                              key=lambda a: (ipaddress.ip_address(a).version,
                                             ipaddress.ip_address(a)))
        t["tcp_syn_to_servers"] = sum(1 for p in pkts if p.l4 == "tcp" and p.flags & SYN
                                      and not p.flags & ACK)
    elif t["kind"] == "fallback":
        r = [p for p in pkts if first(p.f["dns.qry.name"]) == t["name"]
             and p.f["dns.flags.response"] in ("True", "1")]
        addrs = []
        for p in r:
            for f in ("dns.a", "dns.aaaa"):
                addrs += [a for a in p.f.get(f, "").split(",") if a]
        syn = [p for p in pkts if p.l4 == "tcp" and p.src in (CLIENT4, CLIENT6)
               and p.flags & SYN and not p.flags & ACK]
        tried = []
        for p in syn:
            if p.dst not in tried:
                tried.append(p.dst)
        answered = sorted({p.src for p in pkts if p.l4 == "tcp" and p.flags & SYN
                           and p.flags & ACK})
        t["dns_addresses"] = addrs
        t["syn"] = len(syn)
        t["addresses_tried"] = tried
        t["answered"] = answered
        t["unreachable_errors"] = kv(collections.Counter(
            f"{p.l4}:{p.itype}/{p.icode}" for p in pkts
            if (p.l4, p.itype) in (("icmp", 3), ("icmpv6", 1))))
        t["tcp_states"] = kv(collections.Counter(c.state() for c in conns.values()))
    return t


def in_net(addr, net):
    try:
        return ipaddress.ip_address(addr) in ipaddress.ip_network(net)
    except ValueError:
        return False


def measure(a, pkts, conns, ustreams):
    a = dict(a)
    t, src, dst = a["type"], a["src"], a["dst"]

    if t == "portscan" and a["kind"].startswith("tcp"):
        # What nmap sends first to each port (SYN, FIN-PSH-URG or no flag);
        # its ACKs and RSTs that follow an answer are not probes.
        probes = [p for p in pkts if p.l4 == "tcp" and p.src == src and p.dst == dst
                  and not p.flags & (ACK | RST)]
        ports = {p.dport for p in probes}
        synack = {p.sport for p in pkts if p.l4 == "tcp" and p.src == dst and p.dst == src
                  and p.flags & SYN and p.flags & ACK}
        rst_ports = {p.sport for p in pkts if p.l4 == "tcp" and p.src == dst and p.dst == src
                     and p.flags & RST}
        a["probes"] = len(probes)
        a["ports_probed"] = len(ports)
        a["port_range"] = [min(ports), max(ports)]
        if a["kind"] in ("tcp-syn", "tcp-connect"):
            a["open_ports"] = sorted(synack)
            a["closed_ports"] = len(rst_ports - synack)
        else:
            a["open_ports"] = sorted(ports - rst_ports)  # open|filtered: no answer
            a["closed_ports"] = len(rst_ports)
        sc = [c for c in conns.values() if c.orig[0] == src and c.resp_addr == dst]
        a["tcp_streams"] = len(sc)
        a["tcp_states"] = kv(collections.Counter(c.state() for c in sc))
        a.update(window(probes))
    elif t == "portscan":   # udp
        probes = [p for p in pkts if p.l4 == "udp" and p.src == src and p.dst == dst]
        ports = {p.dport for p in probes}
        unreach = [p for p in pkts if p.l4 == "icmp" and p.src == dst and p.dst == src
                   and p.itype == 3 and p.icode == 3]
        answered = {p.sport for p in pkts if p.l4 == "udp" and p.src == dst and p.dst == src}
        a["probes"] = len(probes)
        a["ports_probed"] = len(ports)
        a["port_range"] = [min(ports), max(ports)]
        a["icmp_port_unreachable"] = len(unreach)
        a["closed_ports"] = len({p.inner[2][2] for p in unreach if p.inner and p.inner[2]})
        a["open_ports"] = sorted(answered)
        a["udp_conversations"] = sum(1 for s in ustreams.values()
                                     if s["orig"][0] == src and s["resp"] == dst)
        a["udp_streams"] = len({p.stream for p in probes})
        a.update(window(probes))
    elif t == "flags":
        want = 0 if a["kind"] == "null" else FIN | PSH | URG
        probes = [p for p in pkts if p.l4 == "tcp" and p.src == src and p.dst == dst
                  and p.flags & 0x3f == want]
        a["packets"] = len(probes)
        a["ports"] = len({p.dport for p in probes})
        a.update(window(probes))
    elif t == "sweep" and a["kind"] == "arp":
        # ARP requests (gratuitous ARP and probes from 0.0.0.0 aside) for
        # addresses of the network; the replies from those addresses.
        arp = [p for p in pkts if p.l3 == "arp"]
        probes = [p for p in arp if p.f["arp.opcode"] == "1"
                  and p.f["arp.src.proto_ipv4"] == src
                  and in_net(p.f["arp.dst.proto_ipv4"], dst)]
        targets = {p.f["arp.dst.proto_ipv4"] for p in probes}
        replies = [p for p in arp if p.f["arp.opcode"] == "2"
                   and p.f["arp.dst.proto_ipv4"] == src
                   and p.f["arp.src.proto_ipv4"] in targets]
        answered = sorted({p.f["arp.src.proto_ipv4"] for p in replies},
                          key=ipaddress.ip_address)
        a["probes"] = len(probes)
        a["probe_kinds"] = {"arp-request": len(probes)}
        a["targets"] = len(targets)
        a["arp_replies"] = len(replies)
        a["live_hosts"] = answered
        a["silent_targets"] = len(targets) - len(answered)
        a.update(window(probes))
    elif t == "sweep":
        probes = [p for p in pkts if p.src == src and in_net(p.dst, dst)
                  and not (p.l4 == "tcp" and p.flags & RST)]
        targets = {p.dst for p in probes}
        answered = sorted({p.src for p in pkts if p.dst == src and in_net(p.src, dst)},
                          key=ipaddress.ip_address)
        unreach = [p for p in pkts if p.l4 == "icmp" and p.itype == 3 and p.dst == src
                   and not in_net(p.src, dst)]
        a["probes"] = len(probes)
        a["probe_kinds"] = kv(collections.Counter(probe_kind(p) for p in probes))
        a["targets"] = len(targets)
        a["live_hosts"] = answered
        a["icmp_host_unreachable_from_router"] = sum(1 for p in unreach if p.icode == 1)
        a["silent_targets"] = len(targets) - len(answered)
        a.update(window(probes))
    elif t == "synflood":
        syns = [p for p in pkts if p.l4 == "tcp" and p.dst == dst and p.dport == a["port"]
                and p.flags & SYN and not p.flags & ACK and (src is None or p.src == src)
                and p.src not in (CLIENT4, CLIENT6)]
        a["syn"] = len(syns)
        a["synack"] = sum(1 for p in pkts if p.l4 == "tcp" and p.src == dst and p.sport == a["port"]
                          and p.flags & SYN and p.flags & ACK and p.dst not in (CLIENT4, CLIENT6))
        a["rst_from_sources"] = sum(1 for p in pkts if p.l4 == "tcp" and p.dst == dst
                                    and p.flags & RST and p.src not in (CLIENT4, CLIENT6))
        a["distinct_sources"] = len({p.src for p in syns})
        a["distinct_source_ports"] = len({p.sport for p in syns})
        if src is None:
            a["sources_in_documentation_ranges"] = sum(
                1 for s in {p.src for p in syns}
                if any(in_net(s, n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")))
        a.update(window(syns))
    elif t == "udpflood":
        pk = [p for p in pkts if p.l4 == "udp" and p.src == src and p.dst == dst]
        a["packets"] = len(pk)
        a["dst_ports"] = sorted({p.dport for p in pk})
        a["distinct_source_ports"] = len({p.sport for p in pk})
        a["udp_conversations"] = sum(1 for s in ustreams.values()
                                     if s["orig"][0] == src and s["resp"] == dst)
        a["udp_streams"] = len({p.stream for p in pk})
        a["icmp_port_unreachable"] = sum(1 for p in pkts if p.l4 == "icmp" and p.src == dst
                                         and p.dst == src and p.itype == 3 and p.icode == 3)
        a.update(window(pk))
    elif t == "icmpflood":
        pk = [p for p in pkts if p.l4 == "icmp" and p.src == src and p.dst == dst and p.itype == 8]
        a["echo_requests"] = len(pk)
        a["echo_replies"] = sum(1 for p in pkts if p.l4 == "icmp" and p.src == dst
                                and p.dst == src and p.itype == 0)
        a["echo_identifiers"] = len({p.iid for p in pk})
        a.update(window(pk))
    elif t == "bruteforce":
        sc = [c for c in conns.values() if c.orig[0] == src and c.resp_addr == dst
              and c.resp_port == a["port"]]
        a["connections"] = len(sc)
        a["tcp_states"] = kv(collections.Counter(c.state() for c in sc))
        a["ssh_banners_from_server"] = sum(
            1 for p in pkts if p.src == dst and p.dst == src and p.f["ssh.protocol"])
        if a["port"] == 21:
            a["ftp_530_replies"] = sum(
                1 for p in pkts if p.src == dst and p.dst == src
                and "530" in p.f["ftp.response.code"].split(","))
        syn = [p for p in pkts if p.l4 == "tcp" and p.src == src and p.dst == dst
               and p.dport == a["port"] and p.flags & SYN and not p.flags & ACK]
        a.update(window(syn))
    elif t == "blocklist":
        q = [p for p in pkts if first(p.f["dns.qry.name"]) == a["domain"]
             and p.f["dns.flags.response"] in ("False", "0")]
        r = [p for p in pkts if first(p.f["dns.qry.name"]) == a["domain"]
             and p.f["dns.flags.response"] in ("True", "1")]
        h = [p for p in pkts if p.f["http.request.method"] and p.dst == dst]
        a["dns_queries"] = len(q)
        a["dns_query_frames"] = [p.no for p in q]
        a["dns_responses"] = len(r)
        a["http_request_frames"] = [p.no for p in h]
        sc = [c for c in conns.values() if c.resp_addr == dst]
        a["tcp_streams_to_ip"] = len(sc)
        a["bytes_from_ip"] = sum(p.len for p in pkts if p.src == dst)
        a["tcp_payload_from_ip"] = sum(p.tlen or 0 for p in pkts if p.l4 == "tcp" and p.src == dst)
    return a


def probe_kind(p):
    if p.l4 == "icmp":
        return {8: "icmp-echo", 13: "icmp-timestamp",
                17: "icmp-address-mask"}.get(p.itype, f"icmp-{p.itype}")
    if p.l4 == "tcp":
        f = p.flags
        k = "syn" if f & SYN and not f & ACK else "ack" if f & ACK and not f & (SYN | RST) \
            else "rst" if f & RST else f"flags-{f:#x}"
        return f"tcp-{k}-{p.dport}"
    if p.l4 == "udp":
        return f"udp-{p.dport}"
    return p.l4 or p.l3


def window(pk):
    if not pk:
        return dict(first_frame=None)
    ts = [p.t for p in pk]
    dur = ts[-1] - ts[0]
    return dict(first_frame=pk[0].no, last_frame=pk[-1].no,
                attack_duration=round(dur, 3),
                attack_pps=round((len(ts) - 1) / dur, 1) if dur > 0 else None,
                per_second=per_second(ts))


def build():
    files = sorted(p for p in CAPS.iterdir()
                   if p.suffix in (".pcap", ".pcapng") and p.is_file())
    doc = collections.OrderedDict()
    doc["_about"] = ("Ground truth of ntt's lab captures, measured with "
                     "captures/ground-truth.py (tshark); see captures/README.md "
                     "for the meaning of every key.")
    doc["roles"] = dict(
        client=[CLIENT4, CLIENT6, "192.0.2.100-192.0.2.139 (dns-server only)"],
        attacker=[ATTACKER4, ATTACKER6],
        victim=[VICTIM4, VICTIM6],
        servers=["203.0.113.20", "203.0.113.21", "203.0.113.22", "203.0.113.80",
                 "2001:db8:20::20"],
        dns_server=[DNS4, "2001:db8:20::53"],
        router=["192.0.2.1", "198.51.100.1", "203.0.113.1",
                "2001:db8:2::1", "2001:db8:66::1", "2001:db8:20::1"],
        routed_chain=dict(client=CLIENT4, destination=TRACE_DST,
                          routers=["192.0.2.1 / 198.51.100.1 (r1)",
                                   "198.51.100.2 / 198.51.100.5 (r2)",
                                   "198.51.100.6 / 203.0.113.1 (r3)"],
                          files="traceroute-*, mtr-report"))
    doc["files"] = collections.OrderedDict()
    for f in files:
        doc["files"][f.name] = analyse(f)
    return doc


def fmt_counts(d):
    return ", ".join(f"{k} {v}" for k, v in d.items()) or "none"


def markdown(doc):
    out = ["| File | Bytes | Packets | Duration s | TCP streams | UDP convs | "
           "TCP states | Attack (expected detection) |",
           "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for name, g in doc["files"].items():
        at = "; ".join(f"{a['type']} {a['src'] or '(spoofed)'} → {a['dst']}"
                       for a in g["attacks"]) or "none (benign)"
        out.append(f"| `{name}` | {g['bytes']} | {g['packets']} | {g['duration']:.3f} | "
                   f"{g['tcp_streams']} | {g['udp_conversations']} | "
                   f"{fmt_counts(g['tcp_states']) if g['tcp_states'] else '-'} | {at} |")
    for name, g in doc["files"].items():
        pr = g["protocols"]
        out += ["", f"### `{name}`", "",
                f"- {g['packets']} packets in {g['duration']:.6f} s "
                f"(epoch {g['first_epoch']} to {g['last_epoch']}), {g['bytes']} bytes, "
                f"{g['format']}/{g['encapsulation']}, snaplen {g['snaplen']}, "
                f"recorded on {g['recorded_on']}; sha256 `{g['sha256'][:16]}…`",
                f"- Frames: IPv4 {pr['ipv4']}, IPv6 {pr['ipv6']}, ARP {pr['arp']}; "
                f"TCP {pr['tcp']}, UDP {pr['udp']}, ICMP {pr['icmp']}, ICMPv6 {pr['icmpv6']}",
                f"- TCP: {g['tcp_streams']} streams (`-z conv,tcp` rows: {g['tcp_conv_rows']}); "
                f"flags: {fmt_counts(g['tcp_flags'])}; states: {fmt_counts(g['tcp_states'])}"]
        if g["tcp_states_by_pair"] and len(g["tcp_states_by_pair"]) <= 12:
            for k, v in g["tcp_states_by_pair"].items():
                out.append(f"  - {k}: {fmt_counts(v)}")
        elif g["tcp_states_by_pair"]:
            out.append(f"  - {len(g['tcp_states_by_pair'])} originator/responder groups, "
                       "see ground-truth.json")
        out.append(f"- UDP: {g['udp_conversations']} conversations (`-z conv,udp` rows: "
                   f"{g['udp_conv_rows']}; distinct `udp.stream`: {g['udp_streams']}), "
                   f"{g['udp_answered']} answered, {g['udp_unanswered']} unanswered")
        if "udp_by_pair" in g and 0 < len(g["udp_by_pair"]) <= 6:
            for k, v in g["udp_by_pair"].items():
                out.append(f"  - {k}: {v['conversations']} conversations, {v['answered']} answered")
        out.append(f"- ICMP (type/code): {fmt_counts(g['icmp_types'])}; "
                   f"echo flows (pair + identifier): {g['icmp_echo_flows']}")
        out.append(f"- IP conversations (`-z conv,ip` / `conv,ipv6`): {g['ip_conversations']} / "
                   f"{g['ipv6_conversations']}, {g['hosts']} addresses; busiest: " +
                   "; ".join(f"{t['a']} ↔ {t['b']} {t['packets']} pkts"
                             for t in g["talkers"][:4]))
        if "dns" in g:
            d = g["dns"]
            out.append(f"- DNS: {d['queries']} queries, {d['responses']} responses, "
                       f"{d['nxdomain']} NXDOMAIN, {d['clients']} client address(es)")
        if "http" in g:
            h = g["http"]
            out.append(f"- HTTP: {h['requests']} requests, {h['responses']} responses "
                       f"({h['responses_200']} × 200); by server: {fmt_counts(h['by_server'])}")
        if not g["attacks"]:
            out.append("- **Benign**: no attack.")
        if "traffic" in g:
            t = g["traffic"]
            rest = {k: v for k, v in t.items() if k not in ("kind", "tool")}
            out.append(f"- Traffic `{t['kind']}` (`{t['tool']}`): " +
                       ", ".join(f"{k} {json.dumps(v)}" for k, v in rest.items()))
        for a in g["attacks"]:
            rest = {k: v for k, v in a.items() if k not in ("type", "src", "dst", "tool", "note")}
            out.append(f"- **Attack `{a['type']}`**: {a['src'] or 'spoofed sources'} → {a['dst']} "
                       f"(`{a['tool']}`): " +
                       ", ".join(f"{k} {json.dumps(v)}" for k, v in rest.items()))
    return "\n".join(out)


BEGIN = "<!-- BEGIN GENERATED: captures/ground-truth.py -->"
END = "<!-- END GENERATED -->"


def update_readme(doc):
    readme = HERE / "README.md"
    text = readme.read_text()
    i, j = text.index(BEGIN) + len(BEGIN), text.index(END)
    new = text[:i] + "\n" + markdown(doc) + "\n" + text[j:]
    if new != text:
        readme.write_text(new)
    return new == text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--output", default=str(CAPS / "ground-truth.json"))
    args = ap.parse_args()
    doc = build()
    text = json.dumps(doc, indent=1) + "\n"
    if args.markdown:
        print(markdown(doc))
        return 0
    if args.check:
        old = pathlib.Path(args.output).read_text() if os.path.exists(args.output) else ""
        readme = (HERE / "README.md").read_text()
        gen = readme[readme.index(BEGIN) + len(BEGIN):readme.index(END)]
        if old != text or gen.strip() != markdown(doc).strip():
            print("ground-truth.json or README.md is out of date: run captures/ground-truth.py",
                  file=sys.stderr)
            return 1
        return 0
    pathlib.Path(args.output).write_text(text)
    print(f"wrote {args.output}")
    if CAPS == HERE:
        update_readme(doc)
        print(f"updated {HERE / 'README.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
