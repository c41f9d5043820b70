# SPDX-License-Identifier: GPL-2.0-or-later
"""What the .mmdb test fixtures say of an address, worked out from the
fixtures' source (tests/geo-fixtures/places.json) with Python's ipaddress
module -- not by reading the databases -- so the e2e tests compare ntt's
lookups against an independent answer."""
import ipaddress
import json
import os
import pathlib

from ntt_harness import ROOT

PLACES = json.loads((ROOT / "tests" / "geo-fixtures" / "places.json").read_text())


def fixtures_dir():
    path = os.environ.get("NTT_GEO_FIXTURES") or str(ROOT / "build" / "geo-fixtures")
    if not os.path.exists(os.path.join(path, "ntt-test-city.mmdb")):
        raise RuntimeError(f".mmdb fixtures not built in {path} (set NTT_GEO_FIXTURES)")
    return pathlib.Path(path)


def place(address):
    """The places.json record of the most specific network holding the
    address, or None."""
    if not address:
        return None
    ip = ipaddress.ip_address(address)
    best, best_len = None, -1
    for record in PLACES["networks"]:
        for net in record["networks"]:
            net = ipaddress.ip_network(net)
            if ip.version == net.version and ip in net and net.prefixlen > best_len:
                best, best_len = record, net.prefixlen
    return best


def country(address):
    """The country a City/Country database gives: the country, or the
    registered country where the record has only that."""
    p = place(address)
    if not p:
        return ""
    return p.get("country") or p.get("registered_country") or ""


def scope(address):
    """The scope ntt gives, for the ranges the lab captures use (IANA's
    special-purpose registries)."""
    ip = ipaddress.ip_address(address)
    documentation = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"]
    if any(ip.version == n.version and ip in n
           for n in map(ipaddress.ip_network, documentation)):
        return "documentation"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.version == 4 and (ip in ipaddress.ip_network("10.0.0.0/8") or
                            ip in ipaddress.ip_network("172.16.0.0/12") or
                            ip in ipaddress.ip_network("192.168.0.0/16")):
        return "private"
    if ip.version == 6 and ip in ipaddress.ip_network("fc00::/7"):
        return "private"
    return "global"
