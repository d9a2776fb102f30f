#!/usr/bin/env python3
"""connect-probe MODE HOST PORT: a small client whose every step is printed,
to check what a program sees of a connection under `gsswrap run`.

MODE blocking     connect, print the peer, send "ping", print the reply
MODE nonblocking  non-blocking connect: print what connect() said, wait for
                  writability, print SO_ERROR; when 0, as blocking
MODE fork         the parent and a forked child each connect and ping
"""
import errno
import os
import select
import socket
import sys


def ename(e):
    return errno.errorcode.get(e, str(e)) if e else "0"


def ping(s, tag):
    peer = s.getpeername()
    print(f"{tag}peer: {peer[0]} {peer[1]}")
    print(f"{tag}local: {s.getsockname()[0]}")
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    print(f"{tag}nodelay: {s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)}")
    s.sendall(b"ping from " + tag.encode() + b"\n")
    s.shutdown(socket.SHUT_WR)
    data = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    print(f"{tag}reply: {data.decode().strip()}")


def blocking(host, port, tag=""):
    s = socket.create_connection((host, port), timeout=20)
    ping(s, tag)
    s.close()


def nonblocking(host, port):
    ai = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    s = socket.socket(ai[0], ai[1], ai[2])
    s.setblocking(False)
    print(f"connect: {ename(s.connect_ex(ai[4]))}")
    _, w, _ = select.select([], [s], [], 20)
    print(f"writable: {'yes' if w else 'no'}")
    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    print(f"so_error: {ename(err)}")
    if err == 0:
        s.setblocking(True)
        ping(s, "")
    s.close()
    return 0 if err == 0 else 1


def forking(host, port):
    pid = os.fork()
    if pid == 0:
        try:
            blocking(host, port, "child ")
        finally:
            sys.stdout.flush()
            os._exit(0)
    blocking(host, port, "parent ")
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def main():
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    try:
        if mode == "blocking":
            blocking(host, port)
            return 0
        if mode == "nonblocking":
            return nonblocking(host, port)
        return forking(host, port)
    except OSError as e:
        print(f"error: {ename(e.errno)}")
        return 1


sys.exit(main())
