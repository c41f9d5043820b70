#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Regenerates the tables in docs/fields.md and docs/preferences.md from
what the built plugin registers (tshark -G fields, tshark -G defaultprefs).

    docs/gen-reference.py [--check] [PLUGIN.so]

Only the text between the GENERATED markers is rewritten; the prose around
it is written by hand. --check exits 1 (and names the file) when a table is
out of date, for the test suite.
"""
import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
RUNNER = ROOT / "tests" / "tshark-as-user.sh"
BEGIN = "<!-- BEGIN GENERATED: docs/gen-reference.py -->"
END = "<!-- END GENERATED -->"

TYPE_NAMES = {
    "FT_UINT8": "unsigned integer (8 bits)", "FT_UINT16": "unsigned integer (16 bits)",
    "FT_UINT32": "unsigned integer (32 bits)", "FT_UINT64": "unsigned integer (64 bits)",
    "FT_INT32": "signed integer (32 bits)", "FT_STRING": "character string",
    "FT_BOOLEAN": "boolean", "FT_RELATIVE_TIME": "time offset",
    "FT_DOUBLE": "floating point", "FT_FRAMENUM": "frame number",
    "FT_IPv4": "IPv4 address", "FT_IPv6": "IPv6 address", "FT_NONE": "label",
    "FT_PROTOCOL": "protocol",
}

# What tshark -G defaultprefs says of a kind of preference, where releases
# word it differently, and the one wording the tables use.
RELEASE_WORDING = {
    "true or false (case-insensitive)": "TRUE or FALSE (case-insensitive)",
}


def tshark(plugin, *args):
    env = dict(os.environ)
    env.pop("NTT_HOME", None)
    return subprocess.run([str(RUNNER), plugin] + list(args), check=True,
                          capture_output=True, text=True, env=env).stdout


def escape(text):
    return text.replace("|", "\\|")


def fields_table(plugin):
    rows = ["| Field | Type | Name | Description |", "| --- | --- | --- | --- |"]
    for line in tshark(plugin, "-G", "fields").splitlines():
        parts = line.split("\t")
        if parts[0] != "F" or not parts[2].startswith("ntt."):
            continue
        name, abbrev, ftype, blurb = parts[1], parts[2], parts[3], parts[7] if len(parts) > 7 else ""
        rows.append(f"| `{abbrev}` | {TYPE_NAMES.get(ftype, ftype)} | "
                    f"{escape(name)} | {escape(blurb)} |")
    return "\n".join(rows)


def prefs_table(plugin):
    rows = ["| Preference | Default | Kind | Description |", "| --- | --- | --- | --- |"]
    comments = []
    for line in tshark(plugin, "-G", "defaultprefs").splitlines():
        if line.startswith("# "):
            comments.append(line[2:])
            continue
        m = re.match(r"^#?(ntt\.[A-Za-z0-9_]+):\s?(.*)$", line)
        if m:
            # The comment block above a preference: its description first,
            # its kind ("A decimal number") last.
            description = comments[0] if comments else ""
            kind = comments[-1] if len(comments) > 1 else ""
            # tshark 4.0 says "TRUE or FALSE (case-insensitive)", 4.4 and
            # 4.6 "true or false (...)": one spelling, whichever ran.
            kind = RELEASE_WORDING.get(kind, kind)
            rows.append(f"| `{m.group(1)}` | `{m.group(2)}` | {escape(kind)} | "
                        f"{escape(description)} |")
        comments = []
    return "\n".join(rows)


def splice(path, table):
    text = path.read_text()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n" + table + "\n" + text[end:]


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    plugin = args[0] if args else os.environ.get(
        "NTT_PLUGIN", str(ROOT / "build" / "plugin" / "ntt.so"))
    stale = []
    for path, table in ((ROOT / "docs" / "fields.md", fields_table(plugin)),
                        (ROOT / "docs" / "preferences.md", prefs_table(plugin))):
        new = splice(path, table)
        if new != path.read_text():
            stale.append(path)
            if not check:
                path.write_text(new)
    if check and stale:
        print("out of date (run docs/gen-reference.py): " +
              ", ".join(str(p.relative_to(ROOT)) for p in stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
