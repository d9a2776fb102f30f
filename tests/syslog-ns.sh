#!/bin/sh
# syslog-ns.sh DIR COMMAND [ARGS...]: run COMMAND in a private mount
# namespace whose /dev is DIR/dev: the usual character devices of the real
# /dev, and DIR/dev/log, the datagram socket of a tests/syslog-sink.py. So
# the command's syslog messages reach the test, and nothing else's does.
# Needs root (unshare -m). Writes nothing to fd 2 itself: under a test of
# inetd mode that may be the client's socket.
unshare -m sh -c '
d=$1
shift
{
	mount --make-rprivate / &&
	    for n in null zero random urandom full tty; do
		: >"$d/dev/$n" && mount --bind "/dev/$n" "$d/dev/$n" || exit 1
	    done &&
	    { [ -L "$d/dev/fd" ] || ln -s /proc/self/fd "$d/dev/fd"; } &&
	    mount --bind "$d/dev" /dev
} 2>/dev/null || exit 1
exec "$@"' syslog-ns "$@"
