#!/bin/sh
# A stream cut on the wire reaches the application as an error, never as a
# clean end (docs/SECURITY.md, "truncating the stream"): a relay forwards
# the session and then closes both connections cleanly (FIN, no reset) at
# an arbitrary byte, in either direction. Behind gsswrap -L the local
# application, and behind gsswrapd -c the backend, read or write a
# connection reset; a program gsswrapd runs gets SIGHUP; no side reports
# success.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
require python3
start_realm
A="alice@$KDCTEST_REALM"
PEER="python3 $top_srcdir/tests/plainpeer.py"
# More than every buffer on the way holds: the sender is still sending
# when the cut comes, well under 1 MB in.
N=33554432
program gen.sh "head -c $N /dev/zero"
program sink.sh "cat >/dev/null"

# cut DIR: a tamper-relay in front of $PORT that closes both connections
# (FIN) once DIR has carried a random number of WRAP bytes, under 1 MB.
cut() {
	AT=$(( $(rand 1000000) + 1 ))
	relay -x "$1:$AT"
}

# through_forward DIR WHAT: a plain client of gsswrap -L doing WHAT (send N
# or recv) with the service, the session cut in DIR.
through_forward() {
	cut "$1"
	LPORT=$(free_port)
	"$GSSWRAP" -L "$LPORT" localhost "$RPORT" 2>"$T/fwd.err" &
	FWD=$!
	PIDS="$PIDS $FWD"
	wait_listen "$LPORT" "$FWD"
	timeout $((30 * SLOW)) $PEER connect 127.0.0.1 "$LPORT" $2 >"$T/app.out" 2>&1
	wait_for "failed" "$T/fwd.err"
	kill -TERM "$FWD"
	wait_exit "$FWD"
	wait_exit "$RELAY_PID"
}

# --- gsswrap -L: the local application. ---------------------------------
serve_once fwd-s2c -a "$A" -- "$T/gen.sh"
through_forward s2c recv
check_grep "end=reset" "$T/app.out" "-L, cut server to client: the application reads a reset ($(cat "$T/app.out"))"
check_grep "closed before the end of the stream (truncated)" "$T/fwd.err" "  gsswrap reports the truncation"
check_grep "failed (status 253)" "$T/fwd.err" "  and the session as failed"
server_status
check_true "  the server does not report success ($SERVER_STATUS)" test "$SERVER_STATUS" != 0

serve_once fwd-c2s -a "$A" -- "$T/sink.sh"
through_forward c2s "send $N"
check_grep "end=reset" "$T/app.out" "-L, cut client to server: the application's stream is reset ($(cat "$T/app.out"))"
check_grep "failed (status 253)" "$T/fwd.err" "  gsswrap reports the session failed"
server_status
# 253, or 254 when the relay's close reached it as a reset.
check_true "  the server does not report success ($SERVER_STATUS)" test "$SERVER_STATUS" != 0

# --- gsswrapd -c: the backend. --------------------------------------------
# backend DIR WHAT: gsswrapd -c to a plain backend doing WHAT; gsswrap's
# stdio session through a relay cutting DIR.
backend() {
	rm -f "$T/bport"
	timeout $((30 * SLOW)) $PEER listen "$T/bport" $2 >"$T/backend.out" 2>&1 &
	BACKEND=$!
	wait_until test -s "$T/bport"
	serve_once "be-$1" -a "$A" -c "127.0.0.1:$(cat "$T/bport")"
	cut "$1"
	if [ "$1" = c2s ]; then
		head -c $N /dev/zero | "$GSSWRAP" localhost "$RPORT" >/dev/null 2>"$T/err"
	else
		"$GSSWRAP" localhost "$RPORT" </dev/null >/dev/null 2>"$T/err"
	fi
	CLIENT=$?
	wait_exit "$BACKEND"
	server_status
	wait_exit "$RELAY_PID"
}
backend c2s recv
check_grep "end=reset" "$T/backend.out" "-c, cut client to server: the backend reads a reset ($(cat "$T/backend.out"))"
check_true "  gsswrapd does not report success ($SERVER_STATUS)" test "$SERVER_STATUS" != 0
check_true "  the client does not report success ($CLIENT)" test "$CLIENT" != 0
backend s2c "send $N"
check_grep "end=reset" "$T/backend.out" "-c, cut server to client: the backend's stream is reset ($(cat "$T/backend.out"))"
check_status 253 "$CLIENT" "  the client reports the truncation"
check_true "  gsswrapd does not report success ($SERVER_STATUS)" test "$SERVER_STATUS" != 0

# --- A program gsswrapd runs: SIGHUP to its process group. ----------------
# The program and a child of its own record the SIGHUP they get; the
# client sends only once both are ready for it.
cat >"$T/hup.py" <<'PY'
import os, signal, sys
d = sys.argv[1]
def hup(name):
    def handler(signum, frame):
        with open(d + "/hup", "a") as f:
            f.write(name + "\n")
        os._exit(129)
    return handler
signal.signal(signal.SIGHUP, hup("hup-program"))
child = os.fork()
if child == 0:
    signal.signal(signal.SIGHUP, hup("hup-child"))
    open(d + "/ready", "w").close()
    while True:
        signal.pause()
while sys.stdin.buffer.read(65536):
    pass
os.waitpid(child, 0)
PY
program hup.sh "exec python3 '$T/hup.py' '$T'"
rm -f "$T/hup" "$T/ready"
serve_once prog -a "$A" -- "$T/hup.sh"
cut c2s
{
	wait_until test -e "$T/ready"
	head -c $N /dev/zero
} | "$GSSWRAP" localhost "$RPORT" >/dev/null 2>"$T/err"
CLIENT=$?
server_status
wait_exit "$RELAY_PID"
check_true "program, cut client to server: gsswrapd does not report success ($SERVER_STATUS)" \
    test "$SERVER_STATUS" != 0
check_grep "hup-program" "$T/hup" "  the program gets SIGHUP"
# gsswrapd waits for the program only: its child writes when it can.
wait_for "hup-child" "$T/hup"
check_grep "hup-child" "$T/hup" "  and so does its child (its process group)"
check_grep 'program="exit 129"' "$T/prog.log" "  the session line has the program's status"
check_true "  the client does not report success ($CLIENT)" test "$CLIENT" != 0

done_testing
