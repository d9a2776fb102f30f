#!/bin/sh
# Standalone gsswrapd (-l): IPv4 and IPv6 listeners with 50 concurrent
# clients each, connection limit, SIGTERM drain, SIGHUP policy reload,
# pidfile, daemonizing, idle timeout, descriptor hygiene, process titles.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
start_realm
SVC="host/localhost@$KDCTEST_REALM"

# daemon_start NAME ARGS...: gsswrapd -f -d on 127.0.0.1:DPORT and
# [::1]:DPORT with the pidfile $T/NAME.pid (fixtures.sh).
daemon_start() {
	name=$1
	shift
	gsswrapd_start -6 "$name" -P "$T/$name.pid" "$@"
}

# sessions_running N: until the listener has N session children (max 10 s
# times SLOW); no_sessions: until it has none.
has_sessions() {
	[ "$(pgrep -c -P "$DAEMON_PID")" -ge "$1" ]
}
sessions_running() {
	wait_until has_sessions "$1"
}
no_sessions() {
	wait_until no_children "$DAEMON_PID"
}

program fds.sh "python3 '$top_srcdir/tests/fdlist.py'; exec cat"
daemon_start main -a "alice@$KDCTEST_REALM" -- "$T/fds.sh"
check_true "pidfile holds the listener's pid" test "$(cat "$T/main.pid")" = "$DAEMON_PID"
"$GSSWRAPD" -f -l "127.0.0.1:$(free_port)" -P "$T/main.pid" -a "alice@$KDCTEST_REALM" -- cat >/dev/null 2>"$T/err"
check_status 250 $? "a second instance with the same pidfile"
check_grep "already running as pid $DAEMON_PID" "$T/err" "second-instance message names the pid"

echo warmup | "$GSSWRAP" localhost "$DPORT" >"$T/out" 2>"$T/err"
check_status 0 $? "standalone session over IPv4"
check_grep "fds=0 1 2;" "$T/out" "the program inherits no descriptor of gsswrapd"

# 50 concurrent clients per address family (6 under valgrind), random
# sizes, every byte compared (cmp, stronger than comparing SHA-256 sums).
CONC=50
under_valgrind && CONC=6
gsswrapd_stop
daemon_start conc -a "alice@$KDCTEST_REALM" -- cat
for fam in 4 6; do
	host=127.0.0.1
	[ $fam = 6 ] && host=::1
	i=0
	pids=""
	while [ $i -lt $CONC ]; do
		size=$(rand 262144)
		head -c "$size" /dev/urandom >"$T/c$fam.$i"
		{ "$GSSWRAP" -p "$SVC" "$host" "$DPORT" <"$T/c$fam.$i" 2>"$T/e$fam.$i" |
		    cmp -s - "$T/c$fam.$i"; echo $? >"$T/r$fam.$i"; } &
		pids="$pids $!"
		i=$((i + 1))
	done
	for p in $pids; do wait_exit "$p"; done
	bad=0
	i=0
	while [ $i -lt $CONC ]; do
		[ "$(cat "$T/r$fam.$i" 2>/dev/null)" = 0 ] || bad=$((bad + 1))
		i=$((i + 1))
	done
	check_true "IPv$fam: $CONC concurrent sessions, every byte intact ($bad bad)" test $bad -eq 0
done
check_true "the listener reaped every session" no_sessions

# SIGHUP re-reads the ACL file; a broken file keeps the old policy.
printf 'alice@%s\n' "$KDCTEST_REALM" >"$T/acl"
daemon_start hup -A "$T/acl" -- cat
echo x | KRB5CCNAME=$KDCTEST_BOB_CCACHE "$GSSWRAP" localhost "$DPORT" >"$T/out" 2>"$T/err"
check_status 251 $? "bob refused before the reload"
printf 'alice@%s\nbob@%s\n' "$KDCTEST_REALM" "$KDCTEST_REALM" >"$T/acl"
kill -HUP "$DAEMON_PID"
wait_for "policy reloaded" "$T/hup.log"
echo x | KRB5CCNAME=$KDCTEST_BOB_CCACHE "$GSSWRAP" localhost "$DPORT" >"$T/out" 2>"$T/err"
check_status 0 $? "bob allowed after SIGHUP"
printf 'broken line\n' >"$T/acl"
kill -HUP "$DAEMON_PID"
wait_for "policy not reloaded" "$T/hup.log"
check_grep "$T/acl:1: " "$T/hup.log" "the broken ACL line is named"
echo x | KRB5CCNAME=$KDCTEST_BOB_CCACHE "$GSSWRAP" localhost "$DPORT" >"$T/out" 2>"$T/err"
check_status 0 $? "a broken ACL file keeps the previous policy"
gsswrapd_stop

# Sessions kept open until the test says: their input is a FIFO that only
# the test holds open for writing (fd 8); closing it ends them all. Not
# 'sleep N |', which ends them after N seconds however slow the machine.
mkfifo "$T/hold"
hold_open() {
	exec 8<>"$T/hold"
}
hold_close() {
	exec 8>&-
}

# Connection limit: the third concurrent client is refused at once.
daemon_start limit -n 2 -a "alice@$KDCTEST_REALM" -- cat
hold_open
{ "$GSSWRAP" localhost "$DPORT" <"$T/hold" >/dev/null 2>&1; echo $? >"$T/l1"; } 8>&- &
L1=$!
{ "$GSSWRAP" localhost "$DPORT" <"$T/hold" >/dev/null 2>&1; echo $? >"$T/l2"; } 8>&- &
L2=$!
check_true "two sessions running" sessions_running 2
if under_valgrind; then
	skip_point "a session shows its peer in the process title" "valgrind keeps its own"
else
	check_true "a session shows its peer in the process title" sh -c \
	    "ps -o args= -p $(pgrep -P "$DAEMON_PID" | head -1) | grep -q 'gsswrapd: session alice@GSSWRAP.TEST from 127.0.0.1'"
fi
echo x | "$GSSWRAP" localhost "$DPORT" >"$T/out" 2>"$T/err"
check_status 254 $? "third client over the limit"
check_grep "server busy (too many sessions)" "$T/err" "client told the server is busy"
check_grep "refusing client 127.0.0.1 port" "$T/limit.log" "refusal logged with the client address"
check_grep "2 sessions running (-n 2)" "$T/limit.log" "refusal logged with the limit"
# A refused client that sent more than its preamble before the listener
# accepted it (the listener is stopped meanwhile): the listener reads and
# drops those bytes before closing, so the connection ends with a FIN after
# our ERROR frame, not a reset (which can discard the frame on its way).
kill -STOP "$DAEMON_PID"
python3 - "$DPORT" "$T/busyraw.sent" >"$T/busyraw" 2>&1 <<'PY' 8>&- &
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GSSWRAP\x01" + b"x" * 65536)
open(sys.argv[2], "w").close()
got, end = b"", "eof"
try:
    while True:
        b = s.recv(4096)
        if not b:
            break
        got += b
except ConnectionResetError:
    end = "reset"
print("end=%s frame=%s" % (end, got[8:15].hex()))
PY
RAW=$!
wait_until test -e "$T/busyraw.sent"
kill -CONT "$DAEMON_PID"
wait_exit "$RAW"
check_grep "end=eof frame=0200000001a605" "$T/busyraw" \
    "a refused client gets the busy ERROR frame and a FIN, not a reset"
hold_close
wait_exit "$L1"
wait_exit "$L2"
check_true "the sessions under the limit completed" test "$(cat "$T/l1")$(cat "$T/l2")" = 00
gsswrapd_stop

# SIGTERM: stop accepting, let the running session finish, then exit.
daemon_start term -a "alice@$KDCTEST_REALM" -- cat
hold_open
{ "$GSSWRAP" localhost "$DPORT" <"$T/hold" >"$T/long.out" 2>&1; echo $? >"$T/long.rc"; } 8>&- &
LONG=$!
echo before >&8
check_true "long session running" sessions_running 1
kill -TERM "$DAEMON_PID"
wait_for "stopping: no new connections, waiting for 1 session(s)" "$T/term.log"
echo x | "$GSSWRAP" localhost "$DPORT" >"$T/out" 2>"$T/err"
check_status 254 $? "no new connections after SIGTERM"
# Refused at once, not queued until the last session ends and then reset.
check_grep "cannot connect to localhost port $DPORT: Connection refused" "$T/err" \
    "  the listening socket is closed: the connection is refused"
echo after >&8
hold_close
wait_exit "$LONG"
check_true "the running session finished after SIGTERM" test "$(cat "$T/long.rc")" = 0
check_grep "after" "$T/long.out" "its output arrived in full"
wait_exit "$DAEMON_PID"
check_status 0 "$EXIT_STATUS" "listener exits cleanly once drained"
check_true "pidfile removed" test ! -e "$T/term.pid"

# A listener killed outright: its running sessions do not hold the pidfile
# lock, so a new listener can start at once.
daemon_start killed -a "alice@$KDCTEST_REALM" -- cat
hold_open
"$GSSWRAP" localhost "$DPORT" <"$T/hold" >/dev/null 2>&1 8>&- &
KS=$!
check_true "session running under the listener to be killed" sessions_running 1
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
"$GSSWRAPD" -f -l "127.0.0.1:$(free_port)" -P "$T/killed.pid" -a "alice@$KDCTEST_REALM" -- cat 2>"$T/relisten.err" &
RL=$!
PIDS="$PIDS $RL"
wait_until sh -c "grep -qx '$RL' '$T/killed.pid' 2>/dev/null || ! kill -0 $RL 2>/dev/null"
check_true "a new listener takes the pidfile while old sessions run" test "$(cat "$T/killed.pid" 2>/dev/null)" = "$RL"
# SIGTERM as soon as the pidfile names it: still starting up (warming its
# libraries up) or already serving, it stops cleanly either way.
kill -TERM "$RL"
wait_exit "$RL"
check_status 0 "$EXIT_STATUS" "SIGTERM to a listener that just wrote its pidfile: a clean stop"
check_true "  its pidfile is removed" test ! -e "$T/killed.pid"
hold_close
wait_exit "$KS"

# Idle timeout: no traffic for -I seconds ends the session.
daemon_start idle -I 1 -a "alice@$KDCTEST_REALM" -- cat
head -c 1048576 /dev/urandom >"$T/mb"
"$GSSWRAP" localhost "$DPORT" <"$T/mb" >"$T/out" 2>"$T/err"
check_status 0 $? "busy session unaffected by -I"
hold_open
"$GSSWRAP" localhost "$DPORT" <"$T/hold" >"$T/out" 2>"$T/err" 8>&-
check_status 254 $? "idle session ended"
hold_close
check_grep "ended the session: timed out: idle timeout" "$T/err" "client told why"
check_grep "idle for 1 s" "$T/idle.log" "idle timeout logged"
check_grep 'reason="idle timeout"' "$T/idle.log" "close reason in the session line"
gsswrapd_stop

# Without -f: detaches, the pidfile names the daemon.
DPORT=$(free_port)
"$GSSWRAPD" -l "127.0.0.1:$DPORT" -P "$T/bg.pid" -a "alice@$KDCTEST_REALM" -- cat 2>"$T/err"
check_status 0 $? "gsswrapd detaches"
wait_listen "$DPORT"
BG=$(cat "$T/bg.pid")
PIDS="$PIDS $BG"
echo x | "$GSSWRAP" localhost "$DPORT" >"$T/out" 2>"$T/err"
check_status 0 $? "session with the detached daemon"
kill -TERM "$BG"
check_true "detached daemon stops on SIGTERM" wait_gone "$BG"

# Listener errors.
"$GSSWRAPD" -f -l "127.0.0.1:$DPORT" -l "127.0.0.1:$DPORT" -a "alice@$KDCTEST_REALM" -- cat >/dev/null 2>"$T/err"
check_status 250 $? "the same address twice"
check_grep "cannot listen on 127.0.0.1 port $DPORT" "$T/err" "listen error names the address"
"$GSSWRAPD" -f -l "nonsense:" -a "alice@$KDCTEST_REALM" -- cat >/dev/null 2>"$T/err"
check_status 250 $? "malformed -l"
check_grep "-l nonsense:: expected [ADDR:]PORT" "$T/err" "malformed -l message"

done_testing
