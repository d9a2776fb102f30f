#!/usr/bin/env python3
"""Parse gsswrapd's session lines by the grammar of gsswrapd(8), LOGGING.

logline.py LOG [FIELD]: for each session line ("session peer=...") of LOG, print its fields,
unescaped, one "KEY=VALUE" line each and a blank line after the record (or
only FIELD's value with FIELD); a line that breaks the grammar prints
"BAD: why" and the exit status is 1. Also 1 when LOG holds a raw control
byte other than the newlines ending its lines.
"""
import re
import sys

KEYS = ["peer", "addr", "port", "service", "mech", "local_user", "delegated",
        "outcome", "bytes_in", "bytes_out", "duration", "program", "reason"]
QUOTED = {"peer", "service", "local_user", "program", "reason"}
TOKEN = re.compile(rb"[A-Za-z0-9.:_]+")


def quoted(b, i):
    """The value of a quoted string starting at b[i] == '"', and the index after it."""
    out = bytearray()
    i += 1
    while i < len(b):
        c = b[i]
        if c == 0x22:
            return bytes(out), i + 1
        if c == 0x5C:
            if b[i + 1:i + 2] in (b'"', b"\\"):
                out += b[i + 1:i + 2]
                i += 2
                continue
            m = re.match(rb"x([0-9a-f]{2})", b[i + 1:i + 4])
            if not m:
                raise ValueError("bad escape at byte %d" % i)
            out.append(int(m.group(1), 16))
            i += 4
            continue
        if c < 0x20 or c == 0x7F:
            raise ValueError("raw control byte 0x%02x in a value" % c)
        out.append(c)
        i += 1
    raise ValueError("unterminated quoted value")


def parse(b):
    i = b.index(b"session") + len(b"session")
    fields = []
    while i < len(b):
        if b[i:i + 1] != b" ":
            raise ValueError("expected a space at byte %d" % i)
        i += 1
        m = re.match(rb"([a-z_]+)=", b[i:])
        if not m:
            raise ValueError("expected KEY= at byte %d" % i)
        key = m.group(1).decode()
        i += m.end()
        if b[i:i + 1] == b'"':
            if key not in QUOTED:
                raise ValueError("%s is not a quoted field" % key)
            value, i = quoted(b, i)
        elif b[i:i + 1] == b"-" and b[i + 1:i + 2] in (b"", b" "):
            value, i = b"-", i + 1
        else:
            m = TOKEN.match(b[i:])
            if not m or key in QUOTED:
                raise ValueError("bad value for %s at byte %d" % (key, i))
            value, i = m.group(0), i + m.end()
        fields.append((key, value))
    keys = [k for k, _ in fields]
    if keys != KEYS:
        raise ValueError("fields %s, not %s" % (keys, KEYS))
    return fields


def main():
    data = open(sys.argv[1], "rb").read()
    want = sys.argv[2] if len(sys.argv) > 2 else None
    status = 0
    if re.search(rb"[\x00-\x09\x0b-\x1f\x7f]", data):
        print("BAD: a raw control byte in the log")
        status = 1
    for line in data.split(b"\n"):
        if not re.match(rb"^[^ ]*gsswrapd(\[\d+\])?: session peer=", line):
            continue
        try:
            fields = parse(line)
        except ValueError as e:
            print("BAD: %s: %r" % (e, line))
            status = 1
            continue
        for k, v in fields:
            if want is None or k == want:
                sys.stdout.buffer.write((k + "=" if want is None else "").encode() + v + b"\n")
        if want is None:
            print()
    return status


if __name__ == "__main__":
    sys.exit(main())
