# SPDX-License-Identifier: GPL-2.0-or-later
"""One tshark run per (capture, pass, plugin or not, preferences), shared
by every test that reads fields of that capture.

Starting tshark costs more than dissecting a lab capture, and the suites
ask for the same captures many times, each time with a few fields and a
display filter. A shared dissection prints, in one run, every field of
SHARED_FIELDS (and, with the plugin, every ntt field the plugin
registers) for every packet, and learns which frames each display filter
of SHARED_FILTERS selects: Wireshark's own filter engine decides, through
one tap listener per filter (select-frames.lua), so a selection is the
frames `-Y FILTER` would print. Tshark.fields() cuts a test's columns and
rows out of it, and test_harness.py checks that they are what a run of
the test's own prints.
"""
import itertools
import pathlib

# Display filters the tests select packets with. A packet's own transport,
# not a header quoted inside an ICMP error:
TCP_ONLY = "tcp && !icmp && !icmpv6"
UDP_ONLY = "udp && !icmp && !icmpv6"
TRANSPORT_ONLY = "(udp || tcp) && !icmp && !icmpv6"
# ICMP echo itself (not an error quoting an echo): IPv4 only, and both
# families.
ICMP_ECHO_ONLY = ("(icmp.type == 8 || icmp.type == 0) && "
                  "!(icmp.type in {3, 4, 5, 11, 12})")
ECHO_ONLY = ("(icmp.type in {0, 8} || icmpv6.type in {128, 129}) && "
             "!(icmp.type in {3, 4, 5, 11, 12}) && !(icmpv6.type in {1, 2, 3, 4})")
UNREACHABLE = "icmp.type == 3 || icmpv6.type == 1"
ICMP_ANY = "icmp || icmpv6"
NON_IP = "!ip && !ipv6"
IP_ANY = "ip || ipv6"
WEB_AND_DNS = "tcp.port == 80 || udp.port == 53"

# Only Wireshark's own fields here, so that runs without the plugin can
# evaluate every one of them.
SHARED_FILTERS = (TCP_ONLY, UDP_ONLY, TRANSPORT_ONLY, ICMP_ECHO_ONLY, ECHO_ONLY,
                  UNREACHABLE, ICMP_ANY, NON_IP, IP_ANY, WEB_AND_DNS)

# Wireshark's own fields the tests read (the numbers ntt is compared with).
SHARED_FIELDS = (
    "frame.number", "frame.len", "frame.time_epoch",
    "ip.version", "ip.src", "ip.dst", "ipv6.version", "ipv6.src", "ipv6.dst",
    "tcp.stream", "tcp.srcport", "tcp.dstport", "tcp.flags.syn", "tcp.flags.ack",
    "tcp.time_delta", "tcp.time_relative",
    "udp.srcport", "udp.dstport",
    "icmp.type", "icmp.ident", "icmpv6.type",
    "arp", "arp.opcode", "arp.src.proto_ipv4", "arp.dst.proto_ipv4",
)

SELECT_SCRIPT = pathlib.Path(__file__).with_name("select-frames.lua")
SELECTED = "ntt-e2e-selected"
LOADED = "ntt-e2e-filters"


class SharedDissection:
    """Every field of `fields` for every packet of one run, and the frames
    each filter of SHARED_FILTERS selects.

    run_fields(args) runs tshark with the given arguments added to the
    capture's own (-r, the pass, the preferences) and returns the
    CompletedProcess. Where tshark cannot load the selection script (a
    build without Lua), each filter is evaluated by a -Y run of its own
    when first asked for.
    """

    def __init__(self, run_fields, fields, filters_file, script):
        self.fields = tuple(fields)
        self._run_fields = run_fields
        self._column = {name: i for i, name in enumerate(self.fields)}
        args = ["-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
        for name in self.fields:
            args += ["-e", name]
        args += ["-X", f"lua_script:{script}", "-X", f"lua_script1:{filters_file}"]
        proc = run_fields(args)
        rows = [line.split("\t") for line in proc.stdout.splitlines()]
        for row in rows:
            assert len(row) == len(self.fields), f"a row of {len(row)} fields: {row!r}"
        # Kept by column, and a column that is empty in every packet (most
        # ntt fields in most captures) as None: a table of every field of
        # a large capture then takes tens of megabytes, not hundreds.
        self._count = len(rows)
        self._columns = [column if any(column) else None
                         for column in zip(*rows)] or [None] * len(self.fields)
        self._numbers = [int(n) for n in self._columns[self._column["frame.number"]] or ()]
        self._selected = self._selections(proc.stderr)

    @staticmethod
    def _selections(stderr):
        assert "Lua: Error" not in stderr, stderr
        loaded, selected = None, {}
        for line in stderr.splitlines():
            if line.startswith(LOADED + "\t"):
                loaded = int(line.split("\t")[1])
            elif line.startswith(SELECTED + "\t"):
                _, number, frames = line.split("\t")
                filt = SHARED_FILTERS[int(number) - 1]
                selected[filt] = {int(f) for f in frames.split(",") if f}
        if loaded is None:
            return {}          # no Lua in this tshark: -Y runs instead
        assert loaded == len(selected) == len(SHARED_FILTERS), \
            f"selection script: {loaded} filters loaded, {len(selected)} answered, " \
            f"{len(SHARED_FILTERS)} asked"
        return selected

    def selected(self, display_filter):
        """The frame numbers the display filter selects."""
        if display_filter not in self._selected:
            out = self._run_fields(["-Y", display_filter, "-T", "fields",
                                    "-e", "frame.number"]).stdout
            self._selected[display_filter] = {int(n) for n in out.split()}
        return self._selected[display_filter]

    def select(self, fields, display_filter=None):
        """What `-T fields -e FIELD... [-Y display_filter]` prints, as a
        list of tuples of strings."""
        keep = range(self._count)
        if display_filter is not None:
            chosen = self.selected(display_filter)
            keep = [i for i, number in enumerate(self._numbers) if number in chosen]
        columns = []
        for name in fields:
            column = self._columns[self._column[name]]
            if column is None:
                columns.append(itertools.repeat("", len(keep)))
            elif display_filter is None:
                columns.append(column)
            else:
                columns.append([column[i] for i in keep])
        return list(zip(*columns)) if fields else [()] * len(keep)
