# SPDX-License-Identifier: GPL-2.0-or-later
"""The evidence database (-z ntt,evidence,PATH.db[,filter]), read back with
Python's sqlite3 (and SQLCipher's own command-line tool for an encrypted
one) and compared with the JSON report of the same run, with plain
tshark's frames and with a SHA-256 of the capture computed here from the
pcap file: episodes, blocklist hits with geography, the flows of alerted
hosts and their frames, one row per capture however often it is run,
many captures in one file, and bad databases, keys and paths (a clear
message, nothing written, the other reports unaffected), a failure
mid-write, concurrent writers, and the SQLite library loaded only by a
run that writes a database (and its absence said the same way)."""
import hashlib
import json
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import threading
import time

import pytest

from geo_truth import fixtures_dir, place
from ntt_harness import CAPTURES, RUNNER, TSHARK

BLOCKLIST_CAPTURE = CAPTURES / "blocklist-download.pcap"
SCAN = CAPTURES / "nmap-syn-scan.pcap"
BRUTEFORCE = CAPTURES / "ssh-bruteforce.pcap"
TRUTH = json.loads((CAPTURES / "ground-truth.json").read_text())["files"]
ATTACK = next(a for a in TRUTH["blocklist-download.pcap"]["attacks"] if a["type"] == "blocklist")

# The keys of a JSON alert that are columns of episodes; the rest are the
# type's detail fields (episode_details) and the attacker's geography.
ALERT_COLUMNS = {"type", "src", "dst", "port", "episode", "first_frame", "detect_frame",
                 "last_frame", "packets", "start", "detect", "end",
                 "src_country", "src_asn", "src_org"}


@pytest.fixture
def dbdir(tshark, request):
    """A folder the unprivileged tshark may write databases into."""
    path = os.path.join(tshark.workdir, "evidence-" + request.node.name.replace("/", "_")
                        .replace("[", "-").replace("]", ""))
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    os.chmod(path, 0o777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def blocklist_prefs(tshark, tmp_path, geo=True):
    listed = tmp_path / "list.txt"
    listed.write_text(f"{ATTACK['domain']}\nfiles.lab.example\n")
    prefs = ["-o", f"ntt.blocklist_file:{tshark.readable(listed)}"]
    if geo:
        prefs += ["-o", f"ntt.geoip_city_db:{tshark.readable(fixtures_dir() / 'ntt-test-city.mmdb')}",
                  "-o", f"ntt.geoip_asn_db:{tshark.readable(fixtures_dir() / 'ntt-test-asn.mmdb')}"]
    return prefs


def run(tshark, capture, db, *extra, json_report=True, z_arg=None):
    """One tshark run writing the evidence (and the JSON report);
    returns (CompletedProcess, the JSON report or None)."""
    args = ["-r", tshark.readable(capture), "-q"]
    if json_report:
        args += ["-z", "ntt,json"]
    args += ["-z", z_arg or f"ntt,evidence,{db}"] + list(extra)
    proc = tshark.run(args)
    data = json.loads(proc.stdout[proc.stdout.index("{"):]) if json_report else None
    return proc, data


def connect(db):
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def rows(db, sql, *params):
    with connect(db) as conn:
        return [dict(r) for r in conn.execute(sql, params)]


def pcap_fingerprint(path):
    """SHA-256 over each packet's timestamp (ns, int64), wire and captured
    lengths (uint32), little-endian, then its bytes: docs/evidence.md's
    recipe, computed from the classic pcap file itself."""
    data = pathlib_bytes(path)
    magic = data[:4]
    endian = {b"\xd4\xc3\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">",
              b"\x4d\x3c\xb2\xa1": "<", b"\xa1\xb2\x3c\x4d": ">"}[magic]
    nanos = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    digest, offset, packets = hashlib.sha256(), 24, 0
    while offset < len(data):
        secs, frac, caplen, length = struct.unpack(endian + "IIII", data[offset:offset + 16])
        offset += 16
        ts = secs * 10**9 + (frac if nanos else frac * 1000)
        digest.update(struct.pack("<qII", ts, length, caplen))
        digest.update(data[offset:offset + caplen])
        offset += caplen
        packets += 1
    return digest.hexdigest(), packets


def pathlib_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def file_state(path):
    """What a database file holds, to show it is as it was."""
    return hashlib.sha256(pathlib_bytes(path)).hexdigest() if os.path.exists(path) else None


def plain_frames(tshark, capture, display_filter):
    return [int(r[0]) for r in tshark.fields(capture, ("frame.number",),
                                             display_filter=display_filter, plugin=False)]


def evidence_messages(proc):
    return [l for l in proc.stderr.splitlines() if "evidence" in l]


def assert_episodes_match(db, capture_id, alerts):
    got = rows(db, "SELECT * FROM episodes WHERE capture_id = ? ORDER BY episode", capture_id)
    assert len(got) == len(alerts)
    for row, alert in zip(got, alerts):
        assert (row["episode"], row["type"], row["src"], row["dst"], row["port"]) == \
            (alert["episode"], alert["type"], alert["src"], alert["dst"], alert.get("port"))
        assert (row["first_frame"], row["detect_frame"], row["last_frame"], row["packets"]) == \
            (alert["first_frame"], alert["detect_frame"], alert["last_frame"], alert["packets"])
        for col, key in (("start_ns", "start"), ("detect_ns", "detect"), ("end_ns", "end")):
            assert row[col] / 1e9 == pytest.approx(alert[key], abs=1e-6)
        assert (row["src_country"], row["src_asn"], row["src_org"]) == \
            (alert.get("src_country"), alert.get("src_asn"), alert.get("src_org"))
        details = {r["key"]: r["value"] for r in rows(
            db, "SELECT key, value FROM episode_details WHERE capture_id = ? AND episode = ?",
            capture_id, row["episode"])}
        expected = {k: v for k, v in alert.items() if k not in ALERT_COLUMNS}
        assert details.keys() == expected.keys()
        for k, v in expected.items():
            assert details[k] == (pytest.approx(v) if isinstance(v, float) else v)


def test_blocklist_capture_is_recorded_as_the_json_reports_it(tshark, tmp_path, dbdir):
    db = os.path.join(dbdir, "evidence.db")
    proc, data = run(tshark, BLOCKLIST_CAPTURE, db, *blocklist_prefs(tshark, tmp_path))
    assert evidence_messages(proc) == [
        l for l in proc.stderr.splitlines() if "capture 1 recorded in" in l]

    [capture] = rows(db, "SELECT * FROM captures")
    fingerprint, packets = pcap_fingerprint(BLOCKLIST_CAPTURE)
    assert capture["fingerprint"] == fingerprint
    assert capture["packets"] == packets == data["summary"]["packets"]
    assert capture["bytes"] == data["summary"]["bytes"]
    assert capture["first_ns"] / 1e9 == pytest.approx(data["summary"]["first_time"], abs=1e-6)
    assert capture["last_ns"] / 1e9 == pytest.approx(data["summary"]["last_time"], abs=1e-6)
    assert capture["first_utc"].startswith(data["summary"]["first_time_utc"][:19])
    assert capture["filter"] is None and capture["filtered_packets"] == packets
    assert capture["ntt_version"] and capture["wireshark_version"].startswith("4.")
    assert capture["blocklist_entries"] == data["blocklist"]["entries"] == 2
    assert capture["blocklist_file"].endswith("list.txt")
    assert "ntt-test-city" in capture["geoip_location"]
    assert "ntt-test-asn" in capture["geoip_asn"]
    assert (capture["episodes"], capture["blocklist_hits"]) == (len(data["alerts"]), 2)

    assert_episodes_match(db, 1, data["alerts"])

    # The blocklist hits: what the JSON's blocklist section says, with the
    # destination's place from places.json.
    hits = rows(db, "SELECT * FROM blocklist_hits ORDER BY episode")
    expected = sorted(((h["host"], d) for h in data["blocklist"]["hosts"]
                       for d in h["destinations"]), key=lambda hd: hd[1]["episode"])
    assert len(hits) == len(expected) == capture["blocklist_hits"]
    for hit, (host, dest) in zip(hits, expected):
        assert (hit["host"], hit["entry"], hit["indicator"], hit["line"], hit["dst"],
                hit["uri"], hit["bytes_received"], hit["packets"], hit["episode"]) == \
            (host, dest["entry"], dest["indicator"], dest["line"], dest["dst"], dest.get("uri"),
             dest["bytes_received"], dest["packets"], dest["episode"])
        assert hit["first_ns"] / 1e9 == pytest.approx(dest["first"], abs=1e-6)
        where = place(hit["dst"])
        assert (hit["dst_country"], hit["dst_country_name"], hit["dst_city"], hit["dst_asn"],
                hit["dst_org"]) == (where["country"], where["country_name"], where["city"],
                                    where["asn"], where["org"])
        assert hit["dst_country"] == dest["country"]
    bad = next(h for h in hits if h["entry"] == ATTACK["domain"])
    # Ground truth: the internal user, the download's bytes, its URI.
    assert (bad["host"], bad["dst"], bad["bytes_received"]) == \
        (ATTACK["src"], ATTACK["dst"], ATTACK["bytes_from_ip"])
    assert bad["uri"] == ATTACK["url"].split(ATTACK["domain"], 1)[1]
    assert bad["first_frame"] == min(ATTACK["dns_query_frames"])


def alerted_hosts(alerts):
    return sorted({a[k] for a in alerts for k in ("src", "dst") if a.get(k)})


@pytest.mark.parametrize("capture", [BLOCKLIST_CAPTURE, SCAN, BRUTEFORCE], ids=lambda p: p.name)
def test_flows_of_alerted_hosts_and_their_frames(tshark, tmp_path, dbdir, capture):
    db = os.path.join(dbdir, "evidence.db")
    _, data = run(tshark, capture, db, *blocklist_prefs(tshark, tmp_path, geo=False))
    hosts = alerted_hosts(data["alerts"])
    assert hosts, "the capture raises episodes"
    flows = rows(db, "SELECT * FROM flows ORDER BY flow")
    assert len(flows) == rows(db, "SELECT flows FROM captures")[0]["flows"]
    assert all(f["src"] in hosts or f["dst"] in hosts for f in flows)
    # Per flow id, the frames ntt.flow.id names, read per packet.
    per_flow = {}
    for number, flow_id in tshark.fields(capture, ("frame.number", "ntt.flow.id")):
        if flow_id:
            per_flow.setdefault(int(flow_id), []).append(int(number))
    for f in flows:
        frames = per_flow[f["flow"]]
        assert (f["first_frame"], f["last_frame"], f["packets"]) == \
            (min(frames), max(frames), len(frames))
        assert f["packets"] == f["total_packets"]
    # Plain tshark: every IP frame to or from an alerted host lies in one
    # of those flows (ICMP errors quoting one count under the flow they
    # belong to, as ntt's flow ids do).
    ip_filter = " || ".join(f"ip.addr == {h}" for h in hosts)
    truth = set(plain_frames(tshark, capture, f"({ip_filter}) && !icmp"))
    recorded = {n for f in flows for n in per_flow[f["flow"]]}
    assert truth <= recorded
    # The JSON's top flows that touch an alerted host agree column by column.
    by_id = {f["flow"]: f for f in flows}
    for top in data["flows"]["top"]:
        if top["src"] in hosts or top["dst"] in hosts:
            f = by_id[top["id"]]
            assert (f["proto"], f["src"], f["sport"], f["dst"], f["dport"], f["service"],
                    f["state"], f["packets"], f["bytes"], f["total_packets"],
                    f["total_bytes"]) == \
                (top["proto"], top["src"], top["sport"], top["dst"], top["dport"],
                 top["service"] or None, top["state"] or None, top["packets"], top["bytes"],
                 top["total_packets"], top["total_bytes"])
            assert f["start_ns"] / 1e9 == pytest.approx(top["start"], abs=1e-6)
            assert (f["end_ns"] - f["start_ns"]) / 1e9 == pytest.approx(top["duration"], abs=1e-6)


def test_schema_is_versioned(tshark, dbdir):
    db = os.path.join(dbdir, "evidence.db")
    run(tshark, SCAN, db, json_report=False)
    with connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert meta["application"] == "ntt evidence database"
    assert meta["schema_version"] == "1"
    assert meta["created_by"].startswith("ntt ")


def test_same_capture_twice_is_one_capture(tshark, dbdir):
    db = os.path.join(dbdir, "evidence.db")
    _, data = run(tshark, SCAN, db)
    counts = {t: rows(db, f"SELECT count(*) AS n FROM {t}")[0]["n"]
              for t in ("captures", "episodes", "episode_details", "flows")}
    proc, again = run(tshark, SCAN, db)
    assert again == data                 # the other report is as without a second write
    assert any("already recorded" in l and "as capture 1" in l for l in proc.stderr.splitlines())
    assert {t: rows(db, f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in counts} == counts
    # Two passes (-2) read the same packets: the same capture.
    proc, _ = run(tshark, SCAN, db, "-2", json_report=False)
    assert any("already recorded" in l and "as capture 1" in l for l in proc.stderr.splitlines())
    assert counts["captures"] == 1 and counts["episodes"] == len(data["alerts"]) > 0


def test_captures_accumulate(tshark, tmp_path, dbdir):
    db = os.path.join(dbdir, "evidence.db")
    _, scan = run(tshark, SCAN, db)
    _, brute = run(tshark, BRUTEFORCE, db)
    captures = rows(db, "SELECT id, fingerprint, packets FROM captures ORDER BY id")
    assert [(c["id"], c["fingerprint"], c["packets"]) for c in captures] == \
        [(1, *pcap_fingerprint(SCAN)), (2, *pcap_fingerprint(BRUTEFORCE))]
    assert_episodes_match(db, 1, scan["alerts"])
    assert_episodes_match(db, 2, brute["alerts"])


def test_a_filter_narrows_the_flows_not_the_capture(tshark, dbdir):
    db = os.path.join(dbdir, "evidence.db")
    display_filter = "tcp.flags.syn == 1"
    run(tshark, SCAN, db, json_report=False, z_arg=f"ntt,evidence,{db},{display_filter}")
    [capture] = rows(db, "SELECT * FROM captures")
    assert (capture["fingerprint"], capture["packets"]) == pcap_fingerprint(SCAN)
    assert capture["filter"] == display_filter
    assert capture["filtered_packets"] == len(plain_frames(tshark, SCAN, display_filter))
    syn_frames = set(plain_frames(tshark, SCAN, display_filter))
    for f in rows(db, "SELECT * FROM flows"):
        assert f["first_frame"] in syn_frames and f["last_frame"] in syn_frames
        assert f["packets"] <= f["total_packets"]
    # The capture is the same capture, filtered or not.
    proc, _ = run(tshark, SCAN, db, json_report=False)
    assert any("already recorded" in l for l in proc.stderr.splitlines())


def assert_refused(tshark, capture, db, *extra, words, z_arg=None, before=None):
    """The run says why nothing was written, leaves the file as it was and
    prints the JSON report as a run without the evidence does. before:
    the file's state when it cannot be read now (reading a file closes it,
    and closing any descriptor of a file drops this process's POSIX locks
    on it, a lock holder's among them)."""
    before = before or file_state(db)
    proc, data = run(tshark, capture, db, *extra, z_arg=z_arg)
    messages = [l for l in proc.stderr.splitlines() if "evidence not recorded in" in l]
    assert len(messages) == 1, proc.stderr
    assert words in messages[0] and "nothing was written" in messages[0]
    assert file_state(db) == before
    assert data == tshark.report_json(capture, extra=tuple(extra))
    return messages[0]


def test_corrupt_file(tshark, dbdir):
    db = os.path.join(dbdir, "garbage.db")
    with open(db, "wb") as f:
        f.write(bytes((i * 37 + 11) % 256 for i in range(8192)))
    os.chmod(db, 0o666)
    assert_refused(tshark, SCAN, db, words="not an SQLite database")


def test_database_damaged_past_its_first_page(tshark, dbdir):
    db = os.path.join(dbdir, "evidence.db")
    run(tshark, SCAN, db, json_report=False)
    with open(db, "r+b") as f:
        page = int.from_bytes(pathlib_bytes(db)[16:18], "big")
        size = os.path.getsize(db)
        f.seek(page)
        f.write(bytes((i * 13 + 7) % 256 for i in range(size - page)))
    assert_refused(tshark, BRUTEFORCE, db, words="corrupt")


def test_someone_elses_database(tshark, dbdir):
    db = os.path.join(dbdir, "other.db")
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE accounts (name TEXT)")
    os.chmod(db, 0o666)
    assert_refused(tshark, SCAN, db, words="not an ntt evidence database")


def test_newer_schema_is_left_alone(tshark, dbdir):
    db = os.path.join(dbdir, "evidence.db")
    run(tshark, SCAN, db, json_report=False)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 2")
    assert_refused(tshark, BRUTEFORCE, db, words="newer than this ntt writes")


def test_unwritable_paths(tshark, dbdir):
    assert_refused(tshark, SCAN, os.path.join(dbdir, "no-such-folder", "x.db"),
                   words="cannot be written")
    db = os.path.join(dbdir, "evidence.db")
    run(tshark, SCAN, db, json_report=False)
    os.chmod(db, 0o444)
    assert_refused(tshark, BRUTEFORCE, db, words="cannot be written")


def test_failure_mid_write_leaves_the_database_as_it_was(tshark, dbdir):
    db = os.path.join(dbdir, "evidence.db")
    run(tshark, SCAN, db, json_report=False)
    # The flows come last: an insert refused there must take the capture
    # row, its episodes and details written before it away with it.
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON flows "
                     "BEGIN SELECT RAISE(ABORT, 'refused by test'); END")
    before = {t: rows(db, f"SELECT * FROM {t}") for t in
              ("captures", "episodes", "episode_details", "blocklist_hits", "flows")}
    message = assert_refused(tshark, BRUTEFORCE, db, words="refused by test")
    assert "recording a flow" in message
    assert {t: rows(db, f"SELECT * FROM {t}") for t in before} == before
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER refuse")
    run(tshark, BRUTEFORCE, db, json_report=False)
    assert [c["id"] for c in rows(db, "SELECT id FROM captures")] == [1, 2]


def test_locked_database_waits_then_gives_up(tshark, dbdir):
    db = os.path.join(dbdir, "evidence.db")
    run(tshark, SCAN, db, json_report=False)
    before = file_state(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert_refused(tshark, BRUTEFORCE, db, "-o", "ntt.evidence_busy_timeout:200",
                       words="locked by another writer", before=before)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_writer_holding_the_lock_is_waited_for(tshark, dbdir):
    db = os.path.join(dbdir, "evidence.db")
    run(tshark, SCAN, db, json_report=False)
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO meta VALUES ('note', 'written by a concurrent writer')")
    started = threading.Event()

    def release():
        started.wait()
        time.sleep(1.0)       # not a timing assertion: tshark waits up to a minute
        holder.execute("COMMIT")

    releaser = threading.Thread(target=release)
    releaser.start()
    started.set()
    try:
        proc, _ = run(tshark, BRUTEFORCE, db, "-o", "ntt.evidence_busy_timeout:60000",
                      json_report=False)
    finally:
        releaser.join()
        holder.close()
    assert any("capture 2 recorded" in l for l in proc.stderr.splitlines()), proc.stderr
    assert rows(db, "SELECT value FROM meta WHERE key = 'note'") == \
        [{"value": "written by a concurrent writer"}]
    with connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def start_tshark(tshark, args):
    """A tshark run in the background, with a home of its own (two runs
    must not copy the plugin into one home at once)."""
    env = dict(os.environ, NTT_TSHARK=TSHARK, NTT_PROFILES="", NTT_ENV="")
    env.pop("NTT_HOME", None)
    return subprocess.Popen([str(RUNNER), tshark.plugin] + list(args), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("same", [False, True], ids=["two-captures", "one-capture-twice"])
def test_two_tsharks_at_once(tshark, dbdir, same):
    db = os.path.join(dbdir, "evidence.db")
    captures = [SCAN, SCAN] if same else [SCAN, BRUTEFORCE]
    procs = [start_tshark(tshark, ["-r", tshark.readable(c), "-q", "-z", f"ntt,evidence,{db}",
                                   "-o", "ntt.evidence_busy_timeout:120000"])
             for c in captures]
    outputs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    stderr = "".join(err for _, err in outputs)
    assert "not recorded" not in stderr
    got = rows(db, "SELECT fingerprint FROM captures ORDER BY id")
    expected = {pcap_fingerprint(c)[0] for c in captures}
    assert sorted(r["fingerprint"] for r in got) == sorted(expected)
    assert stderr.count("already recorded") == (1 if same else 0)
    with connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        episodes = conn.execute("SELECT capture_id, count(*) FROM episodes "
                                "GROUP BY capture_id").fetchall()
    assert len(episodes) == len(expected)


# ---------------------------------------------------------------------------
# The library, opened only to write a database (plugin/epan/ntt-sqlite-lazy.c)

SQLITE_LOADED = re.compile(r"calling init: (\S*/lib(?:sqlcipher|sqlite3)\.so\S*)")


def loaded_sqlite(proc):
    """The SQLite library the dynamic linker initialised in the run
    (LD_DEBUG=libs), or None."""
    found = SQLITE_LOADED.search(proc.stderr)
    return found.group(1) if found else None


def test_the_library_is_loaded_only_to_write_a_database(tshark, dbdir):
    debug = ("LD_DEBUG=libs",)
    proc = tshark.run(["-r", tshark.readable(SCAN), "-q", "-z", "ntt,stats"], tshark_env=debug)
    assert "Alerts: 1 episode (portscan 1)" in proc.stdout
    assert loaded_sqlite(proc) is None, "ntt.so loads SQLite in a run that writes no database"
    db = os.path.join(dbdir, "evidence.db")
    proc = tshark.run(["-r", tshark.readable(SCAN), "-q", "-z", f"ntt,evidence,{db}"],
                      tshark_env=debug)
    assert any("capture 1 recorded" in l for l in proc.stderr.splitlines()), proc.stderr
    assert loaded_sqlite(proc)


def test_without_the_library_nothing_is_written_and_the_rest_works(tshark, dbdir):
    """The library replaced by an empty file (/dev/null bound over it in a
    mount namespace of this run alone): the database is refused with a
    message naming the library, and the reports come out as without it."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root and unshare (a mount namespace)")
    # In a chroot (the Wireshark-version tier's Debian roots) unshare
    # cannot make the new namespace's mounts private, and it must not
    # bind over a library without that: the mount would reach the host.
    target = os.path.join(dbdir, "bind-probe")
    open(target, "w").close()
    probe_cmd = ["unshare", "--mount", "sh", "-c", 'mount --bind /dev/null "$1"', "sh", target]
    if subprocess.run(probe_cmd, capture_output=True).returncode != 0:
        pytest.skip("no private mount namespace here (unshare --mount failed)")
    probe = os.path.join(dbdir, "probe.db")
    library = loaded_sqlite(tshark.run(["-r", tshark.readable(SCAN), "-q", "-z",
                                        f"ntt,evidence,{probe}"], tshark_env=("LD_DEBUG=libs",)))
    assert library
    hide = ["unshare", "--mount", "sh", "-c", 'mount --bind /dev/null "$1" && shift && exec "$@"',
            "sh", library]
    db = os.path.join(dbdir, "evidence.db")
    proc = tshark.run(["-r", tshark.readable(SCAN), "-q", "-z", "ntt,json",
                       "-z", f"ntt,evidence,{db}"], wrapper=hide)
    messages = [l for l in proc.stderr.splitlines() if "evidence not recorded in" in l]
    assert len(messages) == 1, proc.stderr
    assert f"the SQLite library {os.path.basename(library)} cannot be loaded" in messages[0]
    assert "nothing was written" in messages[0]
    assert not os.path.exists(db)
    data = json.loads(proc.stdout[proc.stdout.index("{"):])
    assert data == tshark.report_json(SCAN)


# ---------------------------------------------------------------------------
# Encryption at rest (SQLCipher)

def sqlcipher_query(db, key, sql):
    """SQLCipher's own command-line tool, or a skip where it is absent."""
    tool = shutil.which("sqlcipher")
    if not tool:
        pytest.skip("sqlcipher (Debian's command-line tool) not installed")
    script = f"PRAGMA key = '{key}';\n{sql}\n"
    proc = subprocess.run([tool, "-batch", "-noheader", "-separator", "|", db], input=script,
                          capture_output=True, text=True, timeout=60)
    # SQLCipher 4's tool (Debian 13 on) answers the key pragma with "ok".
    if proc.stdout.startswith("ok\n"):
        proc.stdout = proc.stdout[len("ok\n"):]
    return proc


def key_file(tshark, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return tshark.readable(path)


def encrypted_run(tshark, tmp_path, db, capture=SCAN, key="correct horse battery"):
    keyf = key_file(tshark, tmp_path, "key-" + key.replace(" ", "-"), key + "\n")
    before = file_state(db)
    proc, data = run(tshark, capture, db, "-o", f"ntt.evidence_key_file:{keyf}")
    if any("built without SQLCipher" in l for l in proc.stderr.splitlines()):
        # Said, and nothing written: never a plain file where a sealed one was asked.
        assert any("evidence not recorded in" in l and "nothing was written" in l
                   for l in proc.stderr.splitlines())
        assert file_state(db) == before
        pytest.skip("this ntt was built without SQLCipher")
    return proc, data, keyf


def test_encrypted_database(tshark, tmp_path, dbdir):
    db = os.path.join(dbdir, "sealed.db")
    proc, data, _ = encrypted_run(tshark, tmp_path, db)
    assert any("capture 1 recorded" in l for l in proc.stderr.splitlines()), proc.stderr
    assert not pathlib_bytes(db).startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError):
        with connect(db) as conn:
            conn.execute("SELECT count(*) FROM captures").fetchall()
    # The key file's trailing newline is not part of the passphrase.
    out = sqlcipher_query(db, "correct horse battery",
                          "SELECT fingerprint, packets FROM captures;"
                          "SELECT episode, type, src, dst, first_frame, last_frame "
                          "FROM episodes ORDER BY episode;")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    fingerprint, packets = pcap_fingerprint(SCAN)
    assert lines[0] == f"{fingerprint}|{packets}"
    assert lines[1:] == [f"{a['episode']}|{a['type']}|{a['src'] or ''}|{a['dst'] or ''}|"
                         f"{a['first_frame']}|{a['last_frame']}" for a in data["alerts"]]
    assert sqlcipher_query(db, "wrong", "SELECT count(*) FROM captures;").returncode != 0
    # The same key again: the same capture, not added twice; another
    # capture: added.
    proc, _, _ = encrypted_run(tshark, tmp_path, db)
    assert any("already recorded" in l for l in proc.stderr.splitlines())
    encrypted_run(tshark, tmp_path, db, capture=BRUTEFORCE)
    out = sqlcipher_query(db, "correct horse battery", "SELECT count(*) FROM captures;")
    assert out.stdout.strip() == "2"


def test_wrong_key_and_missing_key(tshark, tmp_path, dbdir):
    db = os.path.join(dbdir, "sealed.db")
    encrypted_run(tshark, tmp_path, db)
    wrong = key_file(tshark, tmp_path, "wrong-key", "not the key\n")
    assert_refused(tshark, BRUTEFORCE, db, "-o", f"ntt.evidence_key_file:{wrong}",
                   words="a wrong key")
    assert_refused(tshark, BRUTEFORCE, db, words="set ntt.evidence_key_file")
    # A key for a plain database is a wrong key too: it is left alone.
    plain = os.path.join(dbdir, "plain.db")
    run(tshark, SCAN, plain, json_report=False)
    assert_refused(tshark, BRUTEFORCE, plain, "-o", f"ntt.evidence_key_file:{wrong}",
                   words="a wrong key")


def test_unreadable_or_empty_key_file(tshark, tmp_path, dbdir):
    db = os.path.join(dbdir, "sealed.db")
    encrypted_run(tshark, tmp_path, db)
    empty = key_file(tshark, tmp_path, "empty-key", "\n")
    assert_refused(tshark, BRUTEFORCE, db, "-o", f"ntt.evidence_key_file:{empty}",
                   words="is empty")
    assert_refused(tshark, BRUTEFORCE, db, "-o",
                   f"ntt.evidence_key_file:{tmp_path / 'no-such-key'}",
                   words="cannot read the key file")


def test_a_pcapng_copy_is_the_same_capture(tshark, tmp_path, dbdir):
    """The fingerprint is the packets', not the file's: editcap's pcapng
    copy of a pcap is the capture already recorded."""
    copy = tmp_path / "scan.pcapng"
    subprocess.run(["editcap", "-F", "pcapng", str(SCAN), str(copy)], check=True)
    assert pathlib_bytes(copy)[:4] == b"\x0a\x0d\x0d\x0a"
    db = os.path.join(dbdir, "evidence.db")
    run(tshark, SCAN, db, json_report=False)
    proc, _ = run(tshark, copy, db, json_report=False)
    assert any("already recorded" in l and "as capture 1" in l for l in proc.stderr.splitlines())
    assert len(rows(db, "SELECT id FROM captures")) == 1
