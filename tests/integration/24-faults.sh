#!/bin/sh
# Faults: a ticket that expires during a session (the session goes on; a
# new one is refused), a keytab whose key is out of date (old kvno), either
# peer killed mid-stream, a client that never reads and a program that
# never reads (buffers stay bounded). Each checks the exit status and the message.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
start_realm

# anon_kib PID: the anonymous memory of a process (heap, stack, buffers).
# Not its private memory: pages of the program and its libraries count as
# private only while no other process maps them, so private memory moved
# by some 1.4 MiB (ASan build) as other tests' processes came and went,
# with this one asleep (CI's failures of the points below).
anon_kib() {
	awk '/^Anonymous:/ { s += $2 } END { print s + 0 }' \
	    "/proc/$1/smaps_rollup" 2>/dev/null
}

# progress PID: the process's state letter (S: asleep, R: runnable), the
# bytes it has read and written so far, and its anonymous memory.
progress() {
	printf '%s %s %s' "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" \
	    "$(awk '/^[rw]char:/ { s += $2 } END { printf "%d", s }' \
		"/proc/$1/io" 2>/dev/null)" "$(anon_kib "$1")"
}

# queued: the bytes waiting in the session's TCP connection (PORT), in the
# send and receive queues of both ends.
queued() {
	ss -Htn "( sport = :$PORT or dport = :$PORT )" 2>/dev/null |
	    awk '{ s += $2 + $3 } END { print s + 0 }'
}

# stalled CLIENT SERVER: until the data path is blocked end to end with
# its buffers full: for four samples in a row, a quarter of a second apart,
# both processes are asleep, bytes wait in the connection's queues, and
# nothing changed (the same queued bytes, the same anonymous memory, and
# less than 4 KiB read or written by either process: a moving path moves
# whole records; valgrind reads a few bytes of its own now and then). This
# is the plateau, proven by the state of the path rather than by a quiet
# interval. Gives up after 30 s times SLOW, or as soon as a process is over
# LIMIT; STALL then says what was still moving.
stalled() {
	i=0 same=0 last=""
	while [ $i -lt $((120 * SLOW)) ]; do
		set -- "$1" "$2" "$(progress "$1")" "$(progress "$2")" "$(queued)"
		now="$3 $4 $5"
		cm=${3##* } sm=${4##* }
		if [ "${cm:-0}" -ge "$LIMIT" ] || [ "${sm:-0}" -ge "$LIMIT" ]; then
			STALL="; over $LIMIT KiB before the path stalled"
			return 1
		fi
		if still "$last" "$now"; then
			same=$((same + 1))
			[ $same -ge 3 ] && STALL="" && return 0
		else
			same=0
		fi
		last=$now
		sleep 0.25
		i=$((i + 1))
	done
	STALL="; not stalled after $((i / 4)) s (state, bytes moved, KiB): client $3, server $4, $5 bytes queued"
	return 1
}

# still BEFORE NOW: two samples of stalled ("S IO KIB S IO KIB QUEUED")
# show a blocked path: both asleep, bytes queued, memory and queue
# unchanged, under 4 KiB of I/O by each process.
still() {
	# shellcheck disable=SC2086
	set -- $1 $2
	[ $# -eq 14 ] && [ "$1" = S ] && [ "$4" = S ] && [ "$8" = S ] &&
	    [ "${11}" = S ] && [ "$7" -gt 0 ] && [ "$7" = "${14}" ] &&
	    [ "$3" = "${10}" ] && [ "$6" = "${13}" ] &&
	    [ $((${9} - $2)) -lt 4096 ] && [ $((${12} - $5)) -lt 4096 ]
}

# bounded CLIENT SERVER WHILE: once the path has stalled with full buffers,
# both processes' anonymous memory, measured again two seconds later, stays
# under LIMIT and has grown less than 256 KiB. A process that keeps
# reading (or allocating) never stalls, and fails here.
bounded() {
	stalled "$1" "$2"
	m1=$(anon_kib "$1")
	s1=$(anon_kib "$2")
	sleep 2
	m2=$(anon_kib "$1")
	s2=$(anon_kib "$2")
	check_true "client memory bounded $3 ($m1 -> $m2 KiB$STALL)" \
	    test -z "$STALL" -a "$m2" -lt "$LIMIT" -a $((m2 - m1)) -lt 256
	check_true "  server session memory bounded ($s1 -> $s2 KiB$STALL)" \
	    test -z "$STALL" -a "$s2" -lt "$LIMIT" -a $((s2 - s1)) -lt 256
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
# The program sends nothing back: the killed client leaves no unread
# bytes, so its end is a FIN (truncation), not a reset.
program sink.sh 'exec cat >/dev/null'
serve_once killc -k "$KT" -a "alice@$KDCTEST_REALM" -- "$T/sink.sh"
"$GSSWRAP" localhost "$PORT" <"$T/hold" >/dev/null 2>"$T/err" &
CL=$!
# Mid-stream: most of a megabyte has gone in, no EOF.
head -c 1000000 /dev/zero >&9
kill -KILL "$CL"
server_status
check_status 253 "$SERVER_STATUS" "client killed mid-stream: the server reports truncation"
check_grep "closed before the end of the stream (truncated)" "$T/killc.log" "  with its message"

program forever.sh 'exec yes'
serve_once kills -k "$KT" -a "alice@$KDCTEST_REALM" -- "$T/forever.sh"
"$GSSWRAP" localhost "$PORT" <"$T/hold" >/dev/null 2>"$T/err" &
CL=$!
# Mid-stream: the client has written 256 KiB of the flood to its output
# (not read: under valgrind that counts the libraries read at start).
wait_until sh -c "[ \$(awk '/^wchar:/ { print \$2 }' /proc/$CL/io) -gt 262144 ]"
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
