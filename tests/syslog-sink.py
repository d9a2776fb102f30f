#!/usr/bin/env python3
"""syslog-sink.py SOCKET OUT: receive syslog datagrams on the UNIX socket
SOCKET (created here; the file SOCKET.ready appears once it is bound) and
append each to OUT as one line, "<PRI>" included, until killed."""
import os
import socket
import sys

path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
open(path + ".ready", "w").close()
with open(out, "ab", buffering=0) as f:
    while True:
        d = s.recv(65536)
        f.write(d.rstrip(b"\n").replace(b"\n", b"\\n") + b"\n")
