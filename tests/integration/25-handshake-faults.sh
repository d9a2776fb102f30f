#!/bin/sh
# Faults around the handshake: clock skew beyond the limit, a keytab the
# service account cannot read, either peer killed mid-handshake, and a TCP
# reset injected into both ends mid-stream (a network failure, 254, as
# against a peer that closed early, 253). Each checks the exit status,
# the message, and that the program did not run when it must not.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
start_realm

program counted.sh "echo run >>'$T/runs'; exec cat"
ALICE="alice@$KDCTEST_REALM"

# not_run DESCRIPTION: the program has not run (yet) in this scenario.
not_run() {
	check_true "$1" test ! -e "$T/runs"
}

# --- Clock skew beyond the limit (5 minutes), either way. ------------------
# skewed_ccache OFFSET FILE: alice's TGT and service ticket, with a KDC
# time offset of OFFSET seconds in the header (the DeltaTime field MIT
# writes and honours with kdc_timesync, on by default; the test realm turns
# it off, the client here turns it back on): the client's clock is OFFSET
# seconds off. No LD_PRELOAD time faking: libfaketime deadlocks in ASan.
skewed_ccache() {
	cp "$T/tgt-only.ccache" "$2"
	kvno -c "FILE:$2" "host/localhost@$KDCTEST_REALM" >/dev/null 2>&1
	python3 - "$1" "$2" <<'PY'
import struct, sys
offset, path = int(sys.argv[1]), sys.argv[2]
data = open(path, "rb").read()
assert data[:2] == b"\x05\x04", "not a version 4 ccache"
hlen = struct.unpack(">H", data[2:4])[0]
tags = struct.pack(">HHiI", 1, 8, offset, 0)  # DeltaTime: s, us
open(path, "wb").write(data[:2] + struct.pack(">H", len(tags)) + tags +
                       data[4 + hlen:])
PY
}
sed 's/kdc_timesync = 0/kdc_timesync = 1/' "$KRB5_CONFIG" >"$T/timesync.conf"

# Ahead: its authenticator is from the server's future.
skewed_ccache 600 "$T/ahead.ccache"
serve_once ahead -a "$ALICE" -- "$T/counted.sh"
echo x | KRB5_CONFIG=$T/timesync.conf "$GSSWRAP" -c "FILE:$T/ahead.ccache" \
    localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "a client ten minutes ahead is refused"
check_grep "authentication failed: Clock skew too great" "$T/err" "  the client is told the clocks differ"
server_status
check_status 251 "$SERVER_STATUS" "  the server exits with the refusal status"
check_grep "Clock skew too great" "$T/ahead.log" "  its log says so too"
not_run "  the program never ran"

# Behind: its fresh tickets are not valid yet; it gives up by itself.
skewed_ccache -600 "$T/behind.ccache"
serve_once behind -a "$ALICE" -- "$T/counted.sh"
echo x | KRB5_CONFIG=$T/timesync.conf "$GSSWRAP" -c "FILE:$T/behind.ccache" \
    localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "a client ten minutes behind refuses its own tickets"
check_grep "cannot authenticate to localhost port $PORT as host/localhost@$KDCTEST_REALM: Ticket not yet valid" \
    "$T/err" "  saying they are not valid yet"
server_status
check_status 251 "$SERVER_STATUS" "  the server exits with the refusal status"
check_grep "abandoned authentication" "$T/behind.log" "  its log says the client gave up"
not_run "  the program never ran"

# --- A keytab the service account cannot read. ------------------------------
# As root: gsswrapd runs as nobody (a copy of it, reachable by nobody), the
# realm's keytab stays root's 0600. Otherwise: a copy of the keytab, mode 0.
if [ "$(id -u)" = 0 ]; then
	chmod 711 "$T"
	cp "$GSSWRAPD_BIN" "$T/gsswrapd"
	chmod 755 "$T/gsswrapd"
	KTARG=
	SAVED=$GSSWRAPD
	GSSWRAPD=$T/gsswrapd
	SERVER_WRAPPER="setpriv --reuid=nobody --regid=nogroup --clear-groups "
	KTNAME=$KRB5_KTNAME
	AS=$(id -u nobody)
else
	cp "$KDCTEST_SERVICE_KEYTAB" "$T/locked.keytab"
	chmod 0 "$T/locked.keytab"
	KTARG="-k $T/locked.keytab"
	SAVED=$GSSWRAPD
	KTNAME=$T/locked.keytab
	AS=$(id -u)
fi
# shellcheck disable=SC2086
serve_once unreadable $KTARG -a "$ALICE" -- "$T/counted.sh"
GSSWRAPD=$SAVED
SERVER_WRAPPER=
echo x | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "a server that cannot read its keytab refuses"
check_grep "server internal error" "$T/err" "  the client is told the failure is the server's"
server_status
check_status 254 "$SERVER_STATUS" "  gsswrapd exits with the system-failure status"
check_grep "cannot read keytab $KTNAME as uid $AS: Permission denied" \
    "$T/unreadable.log" "  its log names the keytab, the user and the reason"
not_run "  the program never ran"

# --- Either peer killed mid-handshake. ---------------------------------------
# The relay passes the client's preamble and swallows its context token, so
# the server waits for it while the client waits for the server's answer.

# wait_session: until the serve_once socat has exec'd gsswrapd (accepted),
# or valgrind running it.
wait_session() {
	wait_until grep -Eqs '^(gsswrapd|memcheck)' "/proc/$SERVER_PID/comm"
	slow_sleep 0.3 # the client's token is out, the server is reading
}

serve_once hsclient -a "$ALICE" -- "$T/counted.sh"
relay -s c2s:8
"$GSSWRAP" localhost "$RPORT" </dev/null >"$T/out" 2>"$T/err" &
CL=$!
wait_session
kill -KILL "$CL"
server_status
check_status 253 "$SERVER_STATUS" "client killed mid-handshake: the server reports truncation"
check_grep "closed the connection" "$T/hsclient.log" "  saying the client closed the connection"
wait_exit "$RELAY_PID"
not_run "  the program never ran"

serve_once hsserver -a "$ALICE" -- "$T/counted.sh"
relay -s c2s:8
"$GSSWRAP" localhost "$RPORT" </dev/null >"$T/out" 2>"$T/err" &
CL=$!
wait_session
kill -KILL "$SERVER_PID"
wait "$CL"
check_status 253 $? "server killed mid-handshake: the client reports truncation"
check_grep "closed the connection" "$T/err" "  saying the server closed the connection"
wait_exit "$RELAY_PID"
not_run "  the program never ran"

# --- A TCP reset injected into both ends mid-stream. -------------------------
head -c 1048576 /dev/urandom >"$T/data"
program echo.sh 'exec cat'
serve_once rst -a "$ALICE" -- "$T/echo.sh"
relay -r c2s:200000
"$GSSWRAP" localhost "$RPORT" <"$T/data" >"$T/out" 2>"$T/err"
check_status 254 $? "a reset mid-stream: the client fails with the network-failure status"
check_grep "Connection reset by peer" "$T/err" "  saying the connection was reset"
server_status
check_status 254 "$SERVER_STATUS" "  the server fails the same way"
check_grep "Connection reset by peer" "$T/rst.log" "  and says so"
n=$(wc -c <"$T/out")
check_true "  what the client received ($n bytes) is a prefix of what it sent, short of the end" \
    sh -c "test $n -lt 1048576 && head -c $n '$T/data' | cmp -s - '$T/out'"
wait_exit "$RELAY_PID"

done_testing
