#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Golden comparison: everything ntt shows a user, from two plugins.

The engine is being rebuilt; nothing a user sees may change except named
fixes. This script dumps what a user sees -- every ntt.* field of every
packet in both passes, the packet-details tree, the reports -- for every
shipped capture and every reference capture, once per plugin, and
compares two dumps.

    golden.py dump PLUGIN.so OUTDIR     dump one plugin
    golden.py compare OLD_DIR NEW_DIR   exit 1 when anything differs
    golden.py run --base REV            build REV and this tree, dump, compare

See tests/golden/README.md for what is dumped and how to name fixes
(--ignore). Python 3 standard library only.
"""
import argparse
import concurrent.futures
import difflib
import gzip
import hashlib
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
RUNNER = ROOT / "tests" / "tshark-as-user.sh"
DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference"
TSHARK = os.environ.get("NTT_TSHARK", "tshark")
MANIFEST = "manifest.json"

# The placeholders that replace the dump's temporary folders in the
# outputs: a database path in a report must not differ between two dumps
# only because each ran in its own temporary folder.
WORK_MARK = "@WORK@"
HOME_MARK = "@HOME@"


def fail(message):
    """Usage and build errors: exit status 2, apart from "different" (1)."""
    print(f"golden: {message}", file=sys.stderr)
    sys.exit(2)


# -- what is dumped ---------------------------------------------------------

class Kind:
    """One way of looking at a capture: tshark arguments and file format.
    `fields` kinds get the ntt.* field list appended. `then` names a
    second output the same run prints after the first one (a -z report
    after the packets), split off at the first line matching a pattern:
    one tshark start instead of two."""

    def __init__(self, name, args, fmt, fields=False, gz=False, then=None):
        self.name, self.args, self.fmt, self.fields, self.gz = name, args, fmt, fields, gz
        self.then = then

    def filename(self, prefset):
        return f"{prefset}.{self.name}" + (".gz" if self.gz else "")


FIELD_OPTS = ["-T", "fields", "-E", "header=y", "-E", "occurrence=a",
              "-E", "aggregator=,", "-e", "frame.number"]
KINDS = {k.name: k for k in [
    Kind("fields1", FIELD_OPTS, "fields", fields=True, gz=True),
    # Field rows start with a frame number, the report with "{".
    Kind("fields2", ["-2", "-z", "ntt,json"] + FIELD_OPTS, "fields", fields=True, gz=True,
         then=("json2", r"\{")),
    # Labels (item texts, expert messages) are seen too, not only values.
    # No line of packet details starts with "=", the stats tree does.
    Kind("tree2", ["-2", "-V", "-O", "ntt", "-z", "ntt,tree"], "tree", gz=True,
         then=("statstree", r"={10,}$")),
    Kind("json", ["-q", "-z", "ntt,json"], "json"),
    Kind("stats", ["-q", "-z", "ntt,stats"], "text"),
    Kind("kml", ["-q", "-z", "ntt,kml"], "text"),
    Kind("geojson", ["-q", "-z", "ntt,geojson"], "json"),
    # Only ever the second part of a run above.
    Kind("json2", None, "json"),
    Kind("statstree", None, "text"),
]}


class Prefset:
    """Preferences that switch on an optional part of ntt, the captures
    they are worth running on, and which kinds: a kind name, or (name,
    captures) for a kind only some of them need.

    prefs(inputs) gives the -o arguments from the prepared input paths;
    home maps a path inside the user's HOME to an input name (files a
    fresh user would have installed there)."""

    def __init__(self, name, captures, kinds, prefs=lambda i: [], needs=(), home=None):
        self.name, self.captures = name, captures
        self.kinds = [k if isinstance(k, tuple) else (k, captures) for k in kinds]
        self.prefs, self.needs, self.home = prefs, needs, home or {}


CAPTURE_TIERS = ("shipped", "pcaps", "corpus")


def every(tier, name):
    return tier in CAPTURE_TIERS


def shipped(tier, name):
    return tier == "shipped"


def named(*names):
    return lambda tier, name: f"{tier}/{name}" in names


def city_asn(city, asn):
    return lambda i: ["-o", f"ntt.geoip_city_db:{i[city]}", "-o", f"ntt.geoip_asn_db:{i[asn]}"]


FIXTURE_CITY = ("geo/ntt-test-city.mmdb", "geo/ntt-test-asn.mmdb")
MAXMIND_CITY = ("maxmind/GeoIP2-City-Test.mmdb", "maxmind/GeoLite2-ASN-Test.mmdb")
MAXMIND_PLACES = "crafted/maxmind-places.pcap"
MAXMIND_BROKEN = ["GeoIP2-City-Test-Broken-Double-Format.mmdb",
                  "GeoIP2-City-Test-Invalid-Node-Count.mmdb",
                  "MaxMind-DB-test-broken-pointers-24.mmdb",
                  "MaxMind-DB-test-broken-search-tree-24.mmdb"]
# Every detector family on a hair trigger: on the third-party captures
# this raises alerts in situations the default thresholds never reach.
SENSITIVE = {"portscan_ports": 3, "sweep_hosts": 5, "sweep_burst": 2,
             "synflood_rate": 10, "synflood_half_open": 10, "udpflood_rate": 20,
             "icmpflood_rate": 20, "flood_baseline_factor": 2, "ddos_sources": 10,
             "ddos_rate": 10, "bruteforce_attempts": 5, "big_echo_bytes": 500}
# Tables far too small for the captures: eviction and "table full" paths.
LIMITS = {"max_flows": 64, "max_trackers": 16, "max_talkers": 8, "flow_timeout": 5,
          "top_n": 3}


def opts(values):
    return [a for k, v in values.items() for a in ("-o", f"ntt.{k}:{v}")]


BLOCKLIST_CAPTURE = named("shipped/blocklist-download.pcap")
MAP_CAPTURES = named("shipped/nmap-syn-scan.pcap", "shipped/http-dns.pcap",
                     "shipped/hping3-syn-flood-spoofed.pcap")
GEO_CAPTURES = named("shipped/http-dns.pcap", "shipped/nmap-syn-scan.pcap")
PREFSETS = [
    # The four for every capture (fields1, fields2, json, stats),
    # the 2-pass report and packet details on the side.
    Prefset("default", every, ["fields1", "fields2", "tree2", "json", "stats"]),
    Prefset("detect-off", shipped, ["fields2"], lambda i: opts({"detect": "FALSE"})),
    Prefset("sensitive", every, ["fields2"], lambda i: opts(SENSITIVE)),
    Prefset("limits", every, ["fields2"], lambda i: opts(LIMITS)),
    Prefset("blocklist", shipped,
            ["fields2", ("fields1", BLOCKLIST_CAPTURE), ("tree2", BLOCKLIST_CAPTURE),
             ("json", BLOCKLIST_CAPTURE), ("stats", BLOCKLIST_CAPTURE)],
            lambda i: ["-o", f"ntt.blocklist_file:{i['lab-blocklist.txt']}"],
            needs=["lab-blocklist.txt"]),
    Prefset("geo-fixtures", shipped,
            ["fields2", "stats", ("fields1", GEO_CAPTURES), ("tree2", GEO_CAPTURES),
             ("json", GEO_CAPTURES), ("kml", MAP_CAPTURES), ("geojson", MAP_CAPTURES)],
            city_asn(*FIXTURE_CITY), needs=FIXTURE_CITY),
    Prefset("geo-fixtures-country", GEO_CAPTURES, ["fields2", "stats"],
            lambda i: ["-o", f"ntt.geoip_city_db:{i['geo/ntt-test-country.mmdb']}"],
            needs=["geo/ntt-test-country.mmdb"]),
    Prefset("geo-watch", shipped, ["fields2"],
            lambda i: city_asn(*FIXTURE_CITY)(i) + opts({"geo_watch_countries": "DE"}),
            needs=FIXTURE_CITY),
    Prefset("geo-allow", shipped, ["fields2"],
            lambda i: city_asn(*FIXTURE_CITY)(i) + opts({"geo_allow_countries": "GB"}),
            needs=FIXTURE_CITY),
    Prefset("geo-off", GEO_CAPTURES, ["fields2"], lambda i: opts({"geoip": "FALSE"})),
    # MaxMind's City test data places no address of the captures (its ASN
    # data does); the crafted capture has its cities.
    Prefset("geo-maxmind", lambda t, n: every(t, n) or f"{t}/{n}" == MAXMIND_PLACES,
            ["fields2"] + [(k, named(MAXMIND_PLACES))
                           for k in ("fields1", "tree2", "json", "stats", "kml", "geojson")],
            city_asn(*MAXMIND_CITY), needs=MAXMIND_CITY + (MAXMIND_PLACES,)),
] + [
    # A broken database: one message on stderr, never a crash.
    Prefset(f"geo-broken-{n.removesuffix('.mmdb')}", named("shipped/nmap-syn-scan.pcap"),
            ["fields2"],
            (lambda key: lambda i: ["-o", f"ntt.geoip_city_db:{i[key]}"])(f"maxmind/{n}"),
            needs=[f"maxmind/{n}"])
    for n in MAXMIND_BROKEN
] + [
    # What a fresh install gives: ntt's open database found in ~/.local/share/ntt.
    Prefset("geo-open", every, ["fields2", ("stats", lambda t, n: t in ("pcaps", "corpus"))],
            needs=["geo/ntt-open-geo.mmdb"],
            home={".local/share/ntt/ntt-open-geo.mmdb": "geo/ntt-open-geo.mmdb"}),
]


# -- inputs -----------------------------------------------------------------

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def capture_tiers(reference_dir):
    """(tier, folder) pairs; the reference tiers only where present."""
    tiers = [("shipped", ROOT / "captures")]
    skipped = []
    for tier in ("pcaps", "corpus"):
        folder = reference_dir / tier
        if folder.is_dir():
            tiers.append((tier, folder))
        else:
            skipped.append(f"{folder} absent: {tier} tier skipped")
    return tiers, skipped


def geo_fixtures(args, scratch):
    """The folder holding ntt's .mmdb test fixtures: --geo-fixtures, or
    written now from this tree's places.json (deterministic), or the ones
    a test build left in build/geo-fixtures; None when none can be had."""
    if args.geo_fixtures:
        return pathlib.Path(args.geo_fixtures)
    out = scratch / "geo-fixtures"
    out.mkdir(parents=True, exist_ok=True)
    src = ROOT / "tests" / "geo-fixtures"
    proc = subprocess.run(["perl", str(src / "make-mmdb.pl"), str(src / "places.json"), str(out)],
                          capture_output=True, text=True)
    if proc.returncode == 0:
        return out
    built = ROOT / "build" / "geo-fixtures"
    return built if (built / "ntt-test-city.mmdb").exists() else None


def gather_inputs(args, scratch):
    """Every input a dump reads, by a name that is the same for every
    dump: {name: source path}, and the notes on what was left out."""
    inputs, notes = {}, []
    tiers, skipped = capture_tiers(pathlib.Path(args.reference))
    notes += skipped
    for tier, folder in tiers:
        for path in sorted(folder.glob("*.pcap*")):
            if path.is_file():
                inputs[f"{tier}/{path.name}"] = path
    inputs["lab-blocklist.txt"] = ROOT / "captures" / "lab-blocklist.txt"
    fixtures = geo_fixtures(args, scratch)
    if fixtures:
        for path in sorted(fixtures.glob("ntt-test-*.mmdb")):
            inputs[f"geo/{path.name}"] = path
    else:
        notes.append("no .mmdb test fixtures (perl MaxMind::DB::Writer missing): geo-fixtures* skipped")
    open_geo = pathlib.Path(args.open_geo) if args.open_geo else ROOT / "build" / "geo" / "ntt-open-geo.mmdb"
    if open_geo.exists():
        inputs["geo/ntt-open-geo.mmdb"] = open_geo
    else:
        notes.append(f"{open_geo} not built: geo-open skipped (or give --open-geo)")
    maxmind = pathlib.Path(args.reference) / "maxmind"
    if (maxmind / "test-data").is_dir():
        for path in sorted((maxmind / "test-data").glob("*.mmdb")):
            inputs[f"maxmind/{path.name}"] = path
        places = scratch / "maxmind-places.pcap"
        write_maxmind_places(maxmind / "source-data", places)
        inputs[MAXMIND_PLACES] = places
    else:
        notes.append(f"{maxmind} absent: geo-maxmind and geo-broken-* skipped")
    return inputs, notes


def write_maxmind_places(source, out):
    """A capture between addresses MaxMind's City and ASN test databases
    place (from their source data, in file order), so that cities,
    coordinates and maps are exercised with MaxMind's own data: a UDP
    exchange and a TCP handshake between neighbours in the list, and a
    port scan so that an alert carries the attacker's place. Fixed
    timestamps: the same source data gives the same bytes."""
    sys.path.insert(0, str(ROOT / "tests" / "e2e"))
    import pcap_craft as pc
    import ipaddress

    def first_hosts(name, want):
        out = []
        for record in json.loads((source / name).read_text()):
            for net, data in record.items():
                if want(data):
                    ip = ipaddress.ip_network(net).network_address
                    if ip.version == 6 and ip.ipv4_mapped is None and int(ip) >> 32 == 0:
                        ip = ipaddress.ip_address(int(ip) & 0xFFFFFFFF)   # ::a.b.c.d
                    out.append(str(ip))
        return list(dict.fromkeys(out))

    hosts = (first_hosts("GeoIP2-City-Test.json", lambda d: "city" in d) +
             first_hosts("GeoIP2-City-Test.json", lambda d: "city" not in d)[:40] +
             first_hosts("GeoLite2-ASN-Test.json", lambda d: True)[:40])
    v4 = [h for h in hosts if ":" not in h]
    v6 = [h for h in hosts if ":" in h]

    def ip(src, dst, proto, payload):
        if ":" in src:
            return pc.ether(pc.ipv6(src, dst, proto, payload), 0x86DD)
        return pc.ether(pc.ipv4(src, dst, proto, payload))

    packets = []
    for family in (v4, v6):
        for a, b in zip(family, family[1:]):
            packets += [ip(a, b, 17, pc.udp(40000, 53, b"q")), ip(b, a, 17, pc.udp(53, 40000, b"r")),
                        ip(a, b, 6, pc.tcp(40001, 80, 0x02)), ip(b, a, 6, pc.tcp(80, 40001, 0x12)),
                        ip(a, b, 6, pc.tcp(40001, 80, 0x10))]
    attacker, victim = v4[0], v4[1]
    packets += [ip(attacker, victim, 6, pc.tcp(50000 + p, p, 0x02)) for p in range(1, 31)]
    pc.write_pcap(out, packets)


def input_hashes(inputs):
    return {name: sha256(path) for name, path in sorted(inputs.items())}


# -- dump -------------------------------------------------------------------

class Dumper:
    def __init__(self, plugin, outdir, inputs, jobs):
        self.plugin = str(pathlib.Path(plugin).resolve())
        self.outdir = pathlib.Path(outdir)
        self.jobs = jobs
        # World-readable copies: tshark runs as an unprivileged user.
        self.work = pathlib.Path(tempfile.mkdtemp(prefix="ntt-golden-"))
        os.chmod(self.work, 0o755)
        self.inputs = {}
        for name, src in inputs.items():
            dest = self.work / "in" / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
            os.chmod(dest, 0o644)
            self.inputs[name] = str(dest)
        for d in (self.work, *(self.work / "in").rglob("*")):
            if d.is_dir():
                os.chmod(d, 0o755)
        self.home_re = re.compile(re.escape(str(self.work / "homes")) + r"/\d+/[^/\s]+")
        self.local = threading.local()
        self.workers = 0
        self.lock = threading.Lock()

    def close(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def normalize(self, text):
        text = self.home_re.sub(HOME_MARK, text)
        return text.replace(str(self.work), WORK_MARK)

    def home(self, prefset):
        """A HOME per worker (tshark-as-user.sh copies the plugin into it
        on every run, so two runs at once must not share one) and per
        prefset with files of its own."""
        if not hasattr(self.local, "index"):
            with self.lock:
                self.local.index = self.workers
                self.workers += 1
        flavour = prefset.name if prefset.home else "plain"
        home = self.work / "homes" / str(self.local.index) / flavour
        if not home.exists():
            home.mkdir(parents=True)
            for rel, name in prefset.home.items():
                dest = home / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(self.inputs[name], dest)
        return home

    def tshark(self, args, prefset=None):
        env = dict(os.environ, NTT_HOME=str(self.home(prefset or PREFSETS[0])), NTT_TSHARK=TSHARK)
        return subprocess.run([str(RUNNER), self.plugin] + args, env=env,
                              capture_output=True, text=True, errors="replace", timeout=1800)

    def field_list(self):
        proc = self.tshark(["-G", "fields"])
        fields = [line.split("\t")[2] for line in proc.stdout.splitlines()
                  if line.count("\t") >= 2 and line.split("\t")[2].startswith("ntt.")]
        if not fields:
            fail(f"the plugin {self.plugin} registers no ntt.* field "
                             f"(not loaded?)\n{proc.stderr}")
        return fields, proc

    def write(self, rel, text, gz=False):
        path = self.outdir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode()
        if gz:
            # mtime=0: the same dump gives the same bytes.
            data = gzip.compress(data, compresslevel=6, mtime=0)
        path.write_bytes(data)

    def plugin_facts(self, fields_proc):
        """What the plugin registers, whatever the capture: its fields
        (abbrev, type, base, description), preferences and taps."""
        rows = [line.split("\t") for line in fields_proc.stdout.splitlines()]
        self.write("plugin/fields", "".join(
            "\t".join(r) + "\n" for r in rows
            if len(r) > 2 and r[0] in ("P", "F") and (r[2] == "ntt" or r[2].startswith("ntt."))))
        prefs = self.tshark(["-G", "defaultprefs"]).stdout.split("\n\n")
        self.write("plugin/prefs", "\n\n".join(
            b.strip("\n") for b in prefs if re.search(r"^#?ntt\.", b, re.M)) + "\n")
        help_ = self.tshark(["-z", "help"])    # tshark prints the list on stderr
        taps = (help_.stdout + help_.stderr).splitlines()
        self.write("plugin/taps", "".join(t + "\n" for t in taps if t.strip().startswith("ntt")))

    def jobs_list(self, fields, prefsets, only):
        for prefset in prefsets:
            for name in sorted(self.inputs):
                tier, _, base = name.partition("/")
                for kind_name, captures in prefset.kinds:
                    if not captures(tier, base):
                        continue
                    kind = KINDS[kind_name]
                    args = ["-r", self.inputs[name]] + kind.args
                    if kind.fields:
                        args += [a for f in fields for a in ("-e", f)]
                    args += prefset.prefs(self.inputs)
                    rel = f"{name}/{kind.filename(prefset.name)}"
                    if not only or any(g.match(rel) for g in only):
                        yield rel, args, kind, prefset

    def run_one(self, job):
        rel, args, kind, prefset = job
        proc = self.tshark(args, prefset)
        out = self.normalize(proc.stdout)
        if kind.then:
            part, pattern = kind.then
            lines = out.splitlines(keepends=True)
            cut = next((i for i, l in enumerate(lines) if re.match(pattern, l)), len(lines))
            out = "".join(lines[:cut])
            part_kind = KINDS[part]
            self.write(rel.rpartition("/")[0] + "/" + part_kind.filename(prefset.name),
                       "".join(lines[cut:]), part_kind.gz)
        self.write(rel, out, kind.gz)
        if proc.returncode != 0 or proc.stderr:
            self.write(rel.removesuffix(".gz") + ".err",
                       f"exit status {proc.returncode}\n" + self.normalize(proc.stderr))
        return rel

    def dump(self, label, notes, hashes, only=()):
        started = time.monotonic()
        if self.outdir.exists():
            shutil.rmtree(self.outdir)
        self.outdir.mkdir(parents=True)
        fields, fields_proc = self.field_list()
        self.plugin_facts(fields_proc)
        usable = [p for p in PREFSETS if all(n in self.inputs for n in p.needs)]
        for p in PREFSETS:
            if p not in usable:
                notes.append(f"prefset {p.name} skipped: missing {[n for n in p.needs if n not in self.inputs]}")
        jobs = list(self.jobs_list(fields, usable, [Ignore.glob(g) for g in only]))
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=self.jobs)
        try:
            for done, _ in enumerate(pool.map(self.run_one, jobs), 1):
                if done % 100 == 0:
                    print(f"golden: {done}/{len(jobs)} runs", file=sys.stderr)
        finally:
            # Interrupted: the runs not yet started are dropped.
            pool.shutdown(wait=True, cancel_futures=True)
        seconds = time.monotonic() - started
        version = subprocess.run([TSHARK, "--version"], capture_output=True, text=True).stdout
        manifest = {
            "label": label,
            "plugin": {"path": self.plugin, "sha256": sha256(self.plugin)},
            "tshark": version.splitlines()[0] if version else "",
            "golden_py": sha256(__file__),
            "inputs": hashes,
            "prefsets": {p.name: [self.normalize(a) for a in p.prefs(self.inputs)] +
                         [f"HOME/{k}" for k in p.home] for p in usable},
            "fields": fields,
            "notes": notes,
            "only": list(only),
            "runs": len(jobs),
            # Wall clock: how long the dump took, for people; compare never reads it.
            "seconds": round(seconds, 1),
            "jobs": self.jobs,
        }
        self.write(MANIFEST, json.dumps(manifest, indent=1) + "\n")
        return manifest


def cmd_dump(args):
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="ntt-golden-inputs-"))
    try:
        inputs, notes = gather_inputs(args, scratch)
        manifest = dump_plugin(args.plugin, args.outdir, inputs, notes, args.jobs, args.label,
                               args.only)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for note in manifest["notes"]:
        print(f"golden: {note}", file=sys.stderr)
    print(f"golden: {manifest['runs']} runs in {manifest['seconds']} s "
          f"({args.jobs} at a time) -> {args.outdir}")
    return 0


def dump_plugin(plugin, outdir, inputs, notes, jobs, label=None, only=()):
    if not os.access(plugin, os.R_OK):
        fail(f"cannot read plugin {plugin}")
    dumper = Dumper(plugin, outdir, inputs, jobs)
    try:
        return dumper.dump(label, list(notes), input_hashes(inputs), only)
    finally:
        dumper.close()


# -- compare ----------------------------------------------------------------

class Ignore:
    """What a named fix is allowed to change. A pattern is a field name
    (ntt.alert.rate), a JSON path (alerts[*].peak_pps, engine) or a glob
    of either; `*` matches anything, brackets are literal. PATTERN@WHERE
    limits it to dump files whose path matches the glob WHERE
    (corpus/ndpi_*, */geo-open.*). A JSON path also hides everything
    below it. --ignore-line REGEX drops matching lines of text kinds
    (the tree, the text reports, stderr)."""

    def __init__(self, patterns, lines):
        self.rules = []
        for p in patterns:
            what, _, where = p.partition("@")
            self.rules.append((self.glob(what), self.glob(where) if where else None))
        self.lines = [re.compile(r) for r in lines]
        self.used = set()

    @staticmethod
    def glob(pattern):
        return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c)
                                  for c in pattern) + r"\Z")

    def hides(self, name, rel):
        for i, (what, where) in enumerate(self.rules):
            if (where is None or where.match(rel)) and what.match(name):
                self.used.add(i)
                return True
        return False

    def hides_path(self, path, rel):
        """A JSON path, or any of its ancestors."""
        for cut in [m.start() for m in re.finditer(r"[.\[]", path)] + [len(path)]:
            if self.hides(path[:cut], rel):
                return True
        return False

    def text(self, lines):
        return [l for l in lines if not any(r.search(l) for r in self.lines)]


def read(path):
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode(errors="replace")


NOTE = "note: "


def short(value, width=60):
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= width else text[:width - 3] + "..."


def compare_fields(old, new, rel, ignore, show):
    """Rows keyed by frame number; columns by field name, so a field only
    one plugin has compares against empty values."""
    olines, nlines = old.splitlines(), new.splitlines()
    if not olines or not nlines:
        return [] if olines == nlines else [f"output empty on one side ({len(olines)} vs {len(nlines)} lines)"]
    ohead, nhead = olines[0].split("\t"), nlines[0].split("\t")
    union = ohead + [f for f in nhead if f not in ohead]
    keep = [f for f in union[1:] if not ignore.hides(f, rel)]
    oidx = {f: i for i, f in enumerate(ohead)}
    nidx = {f: i for i, f in enumerate(nhead)}
    orows = {r[0]: r for r in (l.split("\t") for l in olines[1:])}
    nrows = {r[0]: r for r in (l.split("\t") for l in nlines[1:])}
    out = []
    only_old = [f for f in ohead if f not in nidx]
    only_new = [f for f in nhead if f not in oidx]
    if only_old or only_new:
        # Not a difference by itself: the rows below say whether such a
        # field has a value anywhere (plugin/fields lists it either way).
        out.append(f"{NOTE}fields only in OLD: {' '.join(only_old) or '-'}; "
                   f"only in NEW: {' '.join(only_new) or '-'}")
    missing = [k for k in orows if k not in nrows]
    extra = [k for k in nrows if k not in orows]
    if missing or extra:
        out.append(f"frames only in OLD: {len(missing)}, only in NEW: {len(extra)} "
                   f"(first: {(missing or extra)[0]})")

    def cell(row, idx, f):
        i = idx.get(f)
        return row[i] if i is not None and i < len(row) else ""

    per_field, rows_differ, samples = {}, 0, []
    for key, orow in orows.items():
        nrow = nrows.get(key)
        if nrow is None or (orow == nrow and ohead == nhead):
            continue
        differ = False
        for f in keep:
            a, b = cell(orow, oidx, f), cell(nrow, nidx, f)
            if a != b:
                differ = True
                per_field[f] = per_field.get(f, 0) + 1
                if len(samples) < show:
                    samples.append(f"frame {key} {f}: {short(a)!r} -> {short(b)!r}")
        rows_differ += differ
    if rows_differ:
        fields = ", ".join(f"{f} ({n})" for f, n in sorted(per_field.items(), key=lambda x: -x[1]))
        out.append(f"{rows_differ} of {len(orows)} rows differ; by field: {fields}")
        out += ["  " + s for s in samples]
    return out


def json_doc(text):
    start = text.find("{")
    if start < 0:
        raise ValueError("no JSON object")
    return json.loads(text[start:])


def json_diff(a, b, path, rel, ignore, out):
    if ignore.hides_path(path, rel):
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            sub = f"{path}.{k}" if path else k
            if k not in b:
                if not ignore.hides_path(sub, rel):
                    out.append((sub, "only in OLD", short(a[k])))
            elif k not in a:
                if not ignore.hides_path(sub, rel):
                    out.append((sub, "only in NEW", short(b[k])))
            else:
                json_diff(a[k], b[k], sub, rel, ignore, out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append((path, "length", f"{len(a)} -> {len(b)}"))
        for i, (x, y) in enumerate(zip(a, b)):
            json_diff(x, y, f"{path}[{i}]", rel, ignore, out)
    elif a != b or type(a) is not type(b):
        out.append((path or "(document)", "value", f"{short(a)} -> {short(b)}"))


def compare_json(old, new, rel, ignore, show):
    try:
        a, b = json_doc(old), json_doc(new)
    except ValueError as e:
        return compare_text(old, new, rel, ignore, show, note=f"not JSON ({e}); as text: ")
    diffs = []
    json_diff(a, b, "", rel, ignore, diffs)
    if diffs:
        out = [f"{len(diffs)} JSON paths differ"]
        out += [f"  {p}: {what} {detail}" for p, what, detail in diffs[:show]]
        return out
    if a == b and old != new:
        # Key order, number formatting, whitespace: seen by a user too.
        first = next(i for i, (x, y) in enumerate(zip(old.splitlines() + [""], new.splitlines() + [""]))
                     if x != y)
        return [f"same values, different text from line {first + 1} "
                f"(key order, number format or spacing)"]
    return []


def compare_text(old, new, rel, ignore, show, note=""):
    olines, nlines = ignore.text(old.splitlines()), ignore.text(new.splitlines())
    if olines == nlines:
        return []
    diff = [l for l in difflib.unified_diff(olines, nlines, "OLD", "NEW", n=0, lineterm="")][2:]
    changed = sum(1 for l in diff if l[:1] in "+-")
    return [f"{note}{changed} lines differ"] + ["  " + l for l in around_change(diff[:show * 2])]


def around_change(diff, width=100):
    """Diff lines cut to `width` around where each -/+ pair first differs
    (a wide report line would otherwise be cut before its change)."""
    minus = [l for l in diff if l.startswith("-")]
    plus = [l for l in diff if l.startswith("+")]
    at = 0
    if minus and plus:
        a, b = minus[0][1:], plus[0][1:]
        at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    start = max(0, at - width // 3)
    out = []
    for l in diff:
        if l[:1] in "+-" and len(l) > width:
            body = l[1 + start:1 + start + width]
            l = l[0] + ("..." if start else "") + body + ("..." if len(l) > 1 + start + width else "")
        out.append(l)
    return out


def frames(text):
    """Packet-details text split per frame ("Frame N: ..." to the next)."""
    blocks, current = {}, None
    for line in text.splitlines():
        m = re.match(r"Frame (\d+): ", line)
        if m:
            current = int(m.group(1))
            blocks[current] = []
        if current is not None and line:
            blocks[current].append(line)
    return blocks


def compare_tree(old, new, rel, ignore, show):
    if old == new:
        return []
    a, b = frames(old), frames(new)
    out = []
    if a.keys() != b.keys():
        out.append(f"frames: {len(a)} in OLD, {len(b)} in NEW")
    differing = [k for k in a if k in b and ignore.text(a[k]) != ignore.text(b[k])]
    if differing:
        out.append(f"{len(differing)} of {len(a)} frames differ (first: {', '.join(map(str, differing[:8]))})")
        k = differing[0]
        diff = list(difflib.unified_diff(ignore.text(a[k]), ignore.text(b[k]), n=0, lineterm=""))[2:]
        out += [f"  frame {k}: " + l for l in around_change(diff[:show * 2])]
    return out


FORMATS = {"fields": compare_fields, "json": compare_json, "text": compare_text,
           "tree": compare_tree}


def format_of(rel):
    name = pathlib.PurePath(rel).name.removesuffix(".gz")
    if name.endswith(".err") or rel.startswith("plugin/"):
        return "text"
    kind = KINDS.get(name.rsplit(".", 1)[-1])
    return kind.fmt if kind else "text"


def dump_files(folder):
    return {str(p.relative_to(folder)) for p in folder.rglob("*")
            if p.is_file() and p.name != MANIFEST}


def compare_manifests(old, new):
    """Two dumps compare only when they read the same inputs with the same
    tshark."""
    out = []
    if old.get("tshark") != new.get("tshark"):
        out.append(f"tshark differs: {old.get('tshark')} / {new.get('tshark')}")
    oi, ni = old.get("inputs", {}), new.get("inputs", {})
    changed = sorted(k for k in oi.keys() & ni.keys() if oi[k] != ni[k])
    if changed:
        out.append(f"inputs differ in content: {', '.join(changed)}")
    for side, keys in (("OLD", oi.keys() - ni.keys()), ("NEW", ni.keys() - oi.keys())):
        if keys:
            out.append(f"inputs only in {side}: {', '.join(sorted(keys))}")
    return out


def cmd_compare(args):
    old_dir, new_dir = pathlib.Path(args.old), pathlib.Path(args.new)
    for d in (old_dir, new_dir):
        if not (d / MANIFEST).is_file():
            fail(f"{d} is not a finished dump (no {MANIFEST})")
    ignore = Ignore(args.ignore + read_ignore_files(args.ignore_file), args.ignore_line)
    skip = [Ignore.glob(g) for g in args.skip]
    om = json.loads((old_dir / MANIFEST).read_text())
    nm = json.loads((new_dir / MANIFEST).read_text())
    problems = 0
    for line in compare_manifests(om, nm):
        print(f"WARNING {line}")
        problems += 1
    if om.get("golden_py") != nm.get("golden_py"):
        # Only a problem when the dump itself changed: then files or
        # fields show up on one side only, below.
        print("note: the dumps were written by different versions of golden.py")
    if om["plugin"]["sha256"] == nm["plugin"]["sha256"]:
        print("note: both dumps come from the same plugin binary")
    files = sorted(f for f in dump_files(old_dir) | dump_files(new_dir)
                   if not any(s.match(f) for s in skip))
    # Group per capture (or plugin/) and prefset: one line when identical.
    groups = {}
    for rel in files:
        folder, _, name = rel.rpartition("/")
        prefset = name.split(".", 1)[0]
        groups.setdefault((folder, prefset), []).append(rel)
    differing = identical = 0
    notes = set()
    for (folder, prefset), rels in groups.items():
        same, report = [], []
        for rel in rels:
            label = rel.rpartition("/")[2].removeprefix(prefset + ".").removesuffix(".gz")
            o, n = old_dir / rel, new_dir / rel
            if not o.exists() or not n.exists():
                lines = [f"only in {'NEW' if not o.exists() else 'OLD'}"]
            elif o.read_bytes() == n.read_bytes():
                lines = []
            else:
                lines = FORMATS[format_of(rel)](read(o), read(n), rel, ignore, args.show)
            notes.update(f"{l.removeprefix(NOTE)} ({prefset}.{label})" for l in lines
                         if l.startswith(NOTE))
            lines = [l for l in lines if not l.startswith(NOTE)] and lines
            if lines:
                report.append((label, lines))
            else:
                same.append(label)
        differing += len(report)
        identical += len(same)
        if report:
            print(f"DIFF {folder} {prefset}" + (f" (identical: {' '.join(same)})" if same else ""))
            for label, lines in report:
                print(f"  {label}: {lines[0]}")
                for extra in lines[1:]:
                    print(f"    {extra}")
        elif not args.quiet:
            print(f"same {folder} {prefset}: {' '.join(same)}")
    for note in sorted(notes)[:args.show]:
        print(f"note: {note}")
    if len(notes) > args.show:
        print(f"note: ... and {len(notes) - args.show} more such notes")
    unused = [p for i, p in enumerate(args.ignore) if i not in ignore.used]
    if unused:
        print(f"note: --ignore patterns that hid nothing: {' '.join(unused)}")
    print(f"golden: {identical} files identical, {differing} differ"
          + (f", {problems} manifest warnings" if problems else ""))
    return 1 if differing or problems else 0


def read_ignore_files(paths):
    """One pattern per line; '#' starts a comment (name the fix there)."""
    out = []
    for path in paths:
        for line in pathlib.Path(path).read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                out.append(line)
    return out


# -- run --------------------------------------------------------------------

def git(*args, cwd=ROOT):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


def build_plugin(src, build, log):
    """cmake with the tests off, just the plugin target."""
    build.mkdir(parents=True, exist_ok=True)
    with open(log, "a") as out:
        for cmd in (["cmake", "-S", str(src), "-B", str(build), "-DNTT_BUILD_TESTS=OFF",
                     "-DCMAKE_BUILD_TYPE=RelWithDebInfo"],
                    ["cmake", "--build", str(build), "--target", "ntt", "-j2"]):
            if subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT).returncode != 0:
                fail(f"build failed: {' '.join(cmd)} (log: {log})")
    return build / "plugin" / "ntt.so"


def build_rev(rev, cache):
    """The plugin of commit `rev`, built once and kept in the cache. The
    sources come from `git archive` into a temporary folder: nothing is
    added to the repository's list of worktrees, even when interrupted."""
    plugin = cache / "ntt.so"
    if plugin.exists():
        return plugin
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="ntt-golden-src-"))
    try:
        archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True)
        if archive.returncode != 0:
            fail(f"git archive {rev} failed: {archive.stderr.decode(errors='replace').strip()}")
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive.stdout, check=True)
        cache.mkdir(parents=True, exist_ok=True)
        print(f"golden: building {rev[:12]} (log: {cache / 'build.log'})", file=sys.stderr)
        built = build_plugin(tmp, tmp / "build", cache / "build.log")
        shutil.copyfile(built, plugin)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return plugin


def cached_dump_usable(dump_dir, hashes):
    try:
        m = json.loads((dump_dir / MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    return m.get("inputs") == hashes and m.get("golden_py") == sha256(__file__)


def cmd_run(args):
    try:
        rev = git("rev-parse", "--verify", f"{args.base}^{{commit}}")
    except subprocess.CalledProcessError:
        fail(f"{args.base} is not a commit of {ROOT}")
    golden = ROOT / "build" / "golden"
    base_cache = golden / rev
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="ntt-golden-inputs-"))
    try:
        inputs, notes = gather_inputs(args, scratch)
        hashes = input_hashes(inputs)
        base_dump = base_cache / "dump"
        if cached_dump_usable(base_dump, hashes):
            print(f"golden: base {rev[:12]}: cached dump {base_dump}", file=sys.stderr)
        else:
            plugin = build_rev(rev, base_cache)
            m = dump_plugin(plugin, base_dump, inputs, notes, args.jobs, label=rev)
            print(f"golden: base {rev[:12]}: {m['runs']} runs in {m['seconds']} s", file=sys.stderr)
        if args.new_plugin:
            new_plugin = pathlib.Path(args.new_plugin)
        else:
            print(f"golden: building this tree (log: {golden / 'current-build.log'})", file=sys.stderr)
            new_plugin = build_plugin(ROOT, golden / "current-build", golden / "current-build.log")
        head = git("rev-parse", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
        m = dump_plugin(new_plugin, golden / "current-dump", inputs, notes, args.jobs,
                        label=head + (" + uncommitted changes" if dirty else ""))
        print(f"golden: this tree: {m['runs']} runs in {m['seconds']} s", file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    args.old, args.new = str(base_dump), str(golden / "current-dump")
    return cmd_compare(args)


# -- command line -----------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="See tests/golden/README.md.")
    sub = parser.add_subparsers(dest="command", required=True)

    def input_opts(p):
        p.add_argument("--jobs", type=int, default=2, help="tshark runs at a time (default 2)")
        p.add_argument("--reference", default=str(DEFAULT_REFERENCE),
                       help="third-party captures and databases (default ../shared/reference)")
        p.add_argument("--geo-fixtures", help="folder with ntt-test-*.mmdb "
                       "(default: written from tests/geo-fixtures/places.json)")
        p.add_argument("--open-geo", help="ntt-open-geo.mmdb (default build/geo/ntt-open-geo.mmdb)")

    def compare_opts(p):
        p.add_argument("--ignore", action="append", default=[], metavar="PATTERN[@WHERE]",
                       help="a field, JSON path or glob a named fix may change")
        p.add_argument("--ignore-file", action="append", default=[], metavar="FILE",
                       help="--ignore patterns, one a line, '#' comments")
        p.add_argument("--ignore-line", action="append", default=[], metavar="REGEX",
                       help="drop matching lines of text outputs (tree, stats, stderr)")
        p.add_argument("--skip", action="append", default=[], metavar="GLOB",
                       help="leave out dump files whose path matches")
        p.add_argument("--show", type=int, default=5, help="differences shown per file")
        p.add_argument("--quiet", action="store_true", help="print only what differs")

    p = sub.add_parser("dump", help="dump one plugin")
    p.add_argument("plugin")
    p.add_argument("outdir")
    p.add_argument("--label", help="recorded in the manifest (e.g. the commit)")
    p.add_argument("--only", action="append", default=[], metavar="GLOB",
                   help="dump only files whose path matches (shipped/*, */default.json)")
    input_opts(p)
    p = sub.add_parser("compare", help="compare two dumps")
    p.add_argument("old")
    p.add_argument("new")
    compare_opts(p)
    p = sub.add_parser("run", help="build REV and this tree, dump both, compare")
    p.add_argument("--base", required=True, help="the commit to compare against")
    p.add_argument("--new-plugin", help="use this plugin instead of building this tree")
    input_opts(p)
    compare_opts(p)
    args = parser.parse_args(argv)
    # A kill ends like Ctrl-C: the temporary folders are removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if getattr(args, "jobs", 1) < 1:
        parser.error("--jobs must be at least 1")
    return {"dump": cmd_dump, "compare": cmd_compare, "run": cmd_run}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
