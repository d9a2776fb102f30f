#!/bin/sh
# Faults: a ticket that expires during a session (the session goes on; a
# new one is refused), a keytab whose key is out of date (old kvno), either
# peer killed mid-stream, a client that never reads and a program that
# never reads (buffers stay bounded). Each checks the exit status and the message.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/lib.sh"
start_realm

# private_kib PID: private resident memory of a process.
private_kib() {
	awk '/^Private_(Clean|Dirty):/ { s += $2 } END { print s + 0 }' \
	    "/proc/$1/smaps_rollup" 2>/dev/null
}

# settle CLIENT SERVER: until neither process's private memory moved by
# 64 KiB or more in half a second (the buffers have filled), at most 10 s
# times SLOW. A process that keeps growing still fails bounded below.
settle() {
	i=0
	p1=$(private_kib "$1") q1=$(private_kib "$2")
	while [ $i -lt $((20 * SLOW)) ]; do
		sleep 0.5
		p2=$(private_kib "$1") q2=$(private_kib "$2")
		[ $((p2 - p1)) -lt 64 ] && [ $((q2 - q1)) -lt 64 ] && return 0
		p1=$p2 q1=$q2 i=$((i + 1))
	done
}

# bounded CLIENT SERVER WHILE: once the buffers have filled, both
# processes' private memory, measured twice two seconds apart, stays under
# LIMIT and grows less than 256 KiB.
bounded() {
	settle "$1" "$2"
	m1=$(private_kib "$1")
	s1=$(private_kib "$2")
	sleep 2
	m2=$(private_kib "$1")
	s2=$(private_kib "$2")
	check_true "client memory bounded $3 ($m1 -> $m2 KiB)" \
	    test "$m2" -lt "$LIMIT" -a $((m2 - m1)) -lt 256
	check_true "  server session memory bounded ($s1 -> $s2 KiB)" \
	    test "$s2" -lt "$LIMIT" -a $((s2 - s1)) -lt 256
}

# --- A ticket expiring mid-session (policy: docs/SECURITY.md). ----------
LIFE=$((6 * SLOW))
kinit -l "${LIFE}s" -k -t "$KDCTEST_ALICE_KEYTAB" -c "FILE:$T/short.ccache" alice >/dev/null 2>&1
program slow.sh "sleep $((LIFE + 3)); echo still here"
serve slow -a "alice@$KDCTEST_REALM" -- "$T/slow.sh"
echo x | "$GSSWRAP" -c "FILE:$T/short.ccache" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "a session outlives the ticket it started with"
check_grep "still here" "$T/out" "  and its data arrives after the expiry"
echo x | "$GSSWRAP" -c "FILE:$T/short.ccache" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "a new session with the expired ticket is refused"
check_grep "expired" "$T/err" "  saying the ticket expired"

# --- The service key changed; the server still has the old one. ----------
cp "$KDCTEST_SERVICE_KEYTAB" "$T/old.keytab"
kadmin.local -r "$KDCTEST_REALM" -q "ktadd -k $T/new.keytab host/localhost" \
    >"$T/kadmin.log" 2>&1
KVNO=$(sed -n 's/.*with kvno \([0-9]*\),.*/\1/p' "$T/kadmin.log" | head -1)
check_true "the service key is changed (new kvno ${KVNO:-?})" test -n "$KVNO"
serve oldkey -k "$T/old.keytab" -a "alice@$KDCTEST_REALM" -- cat
echo x | KRB5CCNAME="FILE:$T/tgt-only.ccache" "$GSSWRAP" localhost "$PORT" \
    >"$T/out" 2>"$T/err"
check_status 251 $? "a server whose keytab holds only the old key refuses"
wait_for "kvno" "$T/oldkey.log"
check_grep "kvno $KVNO not found in keytab" "$T/oldkey.log" "  its log names the key version it lacks"
check_grep "authentication" "$T/err" "  the client is told authentication failed"
serve newkey -k "$T/new.keytab" -a "alice@$KDCTEST_REALM" -- cat
echo x | KRB5CCNAME="FILE:$T/tgt-only.ccache" "$GSSWRAP" localhost "$PORT" \
    >"$T/out" 2>"$T/err"
check_status 0 $? "with the new keytab the same ticket works"

# --- Either peer killed mid-stream. -----------------------------------------
# A client input that stays open, without an orphan process: a FIFO the
# test itself holds open (fd 9).
KT=$T/new.keytab
mkfifo "$T/hold"
exec 9<>"$T/hold"
serve_once killc -k "$KT" -a "alice@$KDCTEST_REALM" -- cat
"$GSSWRAP" localhost "$PORT" <"$T/hold" >/dev/null 2>"$T/err" &
CL=$!
head -c 1000000 /dev/zero >&9
wait_for "session key" "$T/killc.log"
sleep 0.5
kill -KILL "$CL"
server_status
check_status 253 "$SERVER_STATUS" "client killed mid-stream: the server reports truncation"
check_grep "closed before the end of the stream (truncated)" "$T/killc.log" "  with its message"

program forever.sh 'exec yes'
serve_once kills -k "$KT" -a "alice@$KDCTEST_REALM" -- "$T/forever.sh"
"$GSSWRAP" localhost "$PORT" <"$T/hold" >/dev/null 2>"$T/err" &
CL=$!
wait_for "session key" "$T/kills.log"
sleep 0.5
kill -KILL "$SERVER_PID" 2>/dev/null # socat exec'd gsswrapd: the session
wait_exit "$CL"
check_grep "closed before the end of the stream (truncated)" "$T/err" \
    "server killed mid-stream: the client reports truncation"

# --- A client that never reads: bounded buffers on both sides. -------------
# Flat over two seconds of a flooding program, and small (ASan's allocator
# and shadow memory cost some 8 MiB by themselves).
LIMIT=4096
grep -q __asan_init "$GSSWRAP" 2>/dev/null && LIMIT=32768
under_valgrind && LIMIT=262144 # valgrind's own shadow memory
serve_once flood -k "$KT" -a "alice@$KDCTEST_REALM" -- "$T/forever.sh"
mkfifo "$T/never"
"$GSSWRAP" localhost "$PORT" <"$T/hold" >"$T/never" 2>"$T/err" &
CL=$!
exec 7<>"$T/never" # opened, never read
wait_for "session key" "$T/flood.log"
# socat exec'd gsswrapd: SERVER_PID is the session process.
bounded "$CL" "$SERVER_PID" "while its reader stalls"
kill "$CL"
exec 7<&- 9<&-
server_status

# --- A program that never reads its input: the client is held back. -------
# 64 MiB offered while the program waits, without reading, for the test to
# create a file: both session processes stay small and flat, and when the
# program exits the session ends cleanly (CLOSE) with its output and status.
program deaf.sh "while [ ! -e '$T/wake' ]; do sleep 0.1; done
echo done reading nothing"
head -c 67108864 /dev/zero >"$T/zeros"
serve_once deaf -k "$KT" -a "alice@$KDCTEST_REALM" -- "$T/deaf.sh"
"$GSSWRAP" localhost "$PORT" <"$T/zeros" >"$T/out" 2>"$T/err" &
CL=$!
wait_for "session key" "$T/deaf.log"
bounded "$CL" "$SERVER_PID" "while the program does not read"
: >"$T/wake"
wait_exit "$CL"
check_status 0 "$EXIT_STATUS" "when the program exits, the client ends with its status"
check_grep "done reading nothing" "$T/out" "  and its output"
server_status
check_status 0 "$SERVER_STATUS" "  the server ends the session cleanly"

done_testing
