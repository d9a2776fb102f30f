#!/usr/bin/env python3
"""plainpeer.py: a plaintext TCP peer that reports how its stream ended.

  plainpeer.py connect HOST PORT send N | recv
  plainpeer.py listen PORTFILE send N | recv

connect: to HOST PORT (the local end of a gsswrap -L); listen: on a free
loopback port, written to PORTFILE, for one connection (a gsswrapd -c
backend). send N writes N bytes, then reads until the end; recv reads until
the end. Prints one line: "sent S got G end=eof" for a clean end of stream,
"end=reset" when a read or write failed with ECONNRESET or EPIPE (what a
cut session must look like), and exits 0.
"""
import errno
import os
import socket
import sys


def run(s, what, n):
    sent = got = 0
    end = "eof"
    try:
        if what == "send":
            chunk = b"x" * 65536
            while sent < n:
                sent += s.send(chunk[:min(len(chunk), n - sent)])
            s.shutdown(socket.SHUT_WR)
        while True:
            b = s.recv(65536)
            if not b:
                break
            got += len(b)
    except OSError as e:
        if e.errno not in (errno.ECONNRESET, errno.EPIPE):
            raise
        end = "reset"
    print("sent %d got %d end=%s" % (sent, got, end), flush=True)


def main():
    args = sys.argv[1:]
    if args[0] == "connect":
        s = socket.create_connection((args[1], int(args[2])))
        args = args[3:]
    else:
        ls = socket.socket()
        ls.bind(("127.0.0.1", 0))
        ls.listen(1)
        with open(args[1] + ".tmp", "w") as f:
            f.write("%d\n" % ls.getsockname()[1])
        os.rename(args[1] + ".tmp", args[1])
        s, _ = ls.accept()
        args = args[2:]
    run(s, args[0], int(args[1]) if args[0] == "send" else 0)


if __name__ == "__main__":
    main()
