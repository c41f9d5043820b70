# SPDX-License-Identifier: GPL-2.0-or-later
"""How ntt's episodes on a third-party capture are scored against its
label: the rules of ../shared/reference/corpus/README.md, written once for
the test tier (test_reference_scored.py) and the bench table
(bench/reference-score.py).

A label is (expected types, attacker, victim):
- expected: a set of episode types, any one of which fits the attack; the
  empty set for ordinary traffic, on which ANY episode is a false one;
- attacker: an address, or "*" for spoofed or distributed sources;
- victim: an address; comma-separated addresses (every one of them is
  attacked: a scan of three hosts must name all three); or a CIDR, the
  range a sweep covers (the episode's dst_net must overlap it: one of the
  two networks holds the other); "*" for any.

An attack is found when for every victim some episode of an expected type
from the attacker names it.
"""
import csv
import ipaddress
import pathlib

REFERENCE = pathlib.Path(__file__).resolve().parents[3] / "shared" / "reference"
CORPUS = REFERENCE / "corpus"
PCAPS = REFERENCE / "pcaps"

# ../shared/reference/pcaps has no labels file: its labels, from its
# SOURCES.txt (what the origin documents, checked there with tshark).
PCAPS_LABELS = {
    "synscan.pcapng": ({"portscan"}, "172.16.0.8", "64.13.134.52"),
    "ps-tcp_syn.pcap": ({"portscan"}, "10.0.0.140", "10.0.0.1,10.0.0.2,10.0.0.254"),
    # masscan's one source and target, as the capture holds them (its
    # README names another target address)
    "tcp_0_1000_20190821.pcap": ({"portscan"}, "172.31.15.102", "198.124.152.15"),
    "udp_0_1000_20190821.pcap": ({"portscan"}, "172.31.15.102", "198.124.152.15"),
    "hs-icmpScan.pcap": ({"sweep"}, "10.0.0.128", "10.0.0.0/24"),
    "hs-tcp_synPingSweepRand.pcapng": ({"sweep"}, "10.0.0.128", "10.0.0.0/24"),
    "pkt.TCP.synflood.spoofed.pcap": ({"synflood"}, "*", "10.10.10.10"),
    "amp.UDP.isakmp.pcap": ({"udpflood", "ddos"}, "*", "10.10.10.10"),
    "http_espn.pcapng": (set(), "-", "-"),
    "dns_lab.pcapng": (set(), "-", "-"),
    "wikipedia.pcap": (set(), "-", "-"),
    "var-services-std-ports.pcap": (set(), "-", "-"),
    "google-cert-repeat.pcap": (set(), "-", "-"),
}


def corpus_labels(folder=CORPUS):
    """{file: (types, attacker, victim)} from labels.tsv."""
    labels = {}
    with open(folder / "labels.tsv", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            types = set() if row["expected"] == "none" else set(row["expected"].split(","))
            labels[row["file"]] = (types, row["attacker"], row["victim"])
    return labels


def all_labels():
    """(path, label) of every reference capture present."""
    out = []
    if CORPUS.is_dir():
        out += [(CORPUS / n, l) for n, l in sorted(corpus_labels().items())]
    if PCAPS.is_dir():
        out += [(PCAPS / n, l) for n, l in sorted(PCAPS_LABELS.items())
                if (PCAPS / n).exists()]
    return out


def _names(alert, victim):
    """Does the episode name this victim (an address or a network)?"""
    if victim == "*":
        return True
    if "/" in victim:
        net = alert.get("dst_net")
        if not net:
            return False
        a, b = ipaddress.ip_network(net), ipaddress.ip_network(victim)
        return a.version == b.version and (a.subnet_of(b) or b.subnet_of(a))
    return alert.get("dst") == victim


def verdict(alerts, label):
    """(ok, words): is the capture's outcome what its label says?"""
    types, attacker, victim = label
    if not types:
        if alerts:
            return False, "false: " + "; ".join(describe(a) for a in alerts)
        return True, "nothing raised"
    fitting = [a for a in alerts if a["type"] in types and
               (attacker == "*" or a.get("src") == attacker)]
    missing = [v for v in victim.split(",") if not any(_names(a, v) for a in fitting)]
    if missing:
        seen = "; ".join(describe(a) for a in alerts) or "nothing"
        return False, "missed %s (raised: %s)" % (",".join(missing), seen)
    return True, "found: " + "; ".join(describe(a) for a in fitting)


def extra_episodes(alerts, label):
    """Episodes of a type the label does not list (an attack capture's
    other views); counted, not failed."""
    return [a for a in alerts if label[0] and a["type"] not in label[0]]


def describe(alert):
    return "%s %s -> %s" % (alert["type"], alert.get("src") or "*",
                            alert.get("dst") or alert.get("dst_net") or "*")
