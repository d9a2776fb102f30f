#!/bin/sh
# Downgrade attempts by a hostile client built on the GSS API directly:
# omitting replay, sequence, confidentiality, integrity or mutual flags, or
# channel bindings, must make gsswrapd refuse the session (PROTOCOL §4.4)
# with a message naming what is missing; the program never runs.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
HOSTILE=$top_builddir/tests/hostile-client
start_realm
program marker.sh "touch $T/ran; exec cat"
SVC="host/localhost@$KDCTEST_REALM"

# attempt NAME EXPECTED-LOG HOSTILE-ARGS...
attempt() {
	name=$1 want=$2
	shift 2
	serve_once "$name" -a "alice@$KDCTEST_REALM" -- "$T/marker.sh"
	"$HOSTILE" "$@" localhost "$PORT" "$SVC" >"$T/$name.out" 2>"$T/$name.err"
	server_status
	check_status 251 "$SERVER_STATUS" "$name: gsswrapd refuses"
	check_grep "$want" "$T/$name.log" "$name: server log says why"
	if grep -q "^hello" "$T/$name.out"; then
		not_ok "$name: the client never gets a hello"
	else
		ok "$name: the client never gets a hello ($(cat "$T/$name.out"))"
	fi
}

# The tool itself is sound: with everything asked for, the server says hello.
serve_once baseline -a "alice@$KDCTEST_REALM" -- "$T/marker.sh"
"$HOSTILE" localhost "$PORT" "$SVC" >"$T/baseline.out" 2>"$T/baseline.err"
check_grep "hello" "$T/baseline.out" "a well-behaved client built the same way gets a hello"
server_status
rm -f "$T/ran"

attempt no-bindings "the client did not send gsswrap channel bindings" -C none
attempt wrong-bindings "authentication of client 127.0.0.1" -C wrong
check_grep "hannel binding" "$T/wrong-bindings.log" "wrong-bindings: the GSS error names the bindings"
attempt no-replay "the security context lacks replay detection" -F replay
attempt no-sequence "the security context lacks sequence checking" -F sequence
attempt no-mutual "the security context lacks mutual authentication" -F mutual
check_grep 'reason="security requirements not met"' "$T/no-replay.log" "no-replay: the session summary gives the reason"
# (MIT grants confidentiality and integrity whether asked or not, so a
# client cannot drop those; tests/unit/test_verify covers their checks.)
[ -e "$T/ran" ] && not_ok "program never started for a downgraded client" || ok "program never started for a downgraded client"

# Misbehaviour in the protected phase: every record must unwrap with
# GSS_S_COMPLETE and conf_state 1 (PROTOCOL §5).
# protected NAME MODE EXPECTED-LOG
protected() {
	serve_once "$1" -a "alice@$KDCTEST_REALM" -- cat
	"$HOSTILE" -M "$2" localhost "$PORT" "$SVC" >"$T/$1.out" 2>"$T/$1.err"
	server_status
	check_status 252 "$SERVER_STATUS" "$1: gsswrapd ends the session as a protocol violation"
	check_grep "$3" "$T/$1.log" "$1: server log says why"
	check_grep "abort 2 " "$T/$1.out" "$1: the client is told (ABORT, protocol violation)"
}
# A hello announcing a record limit below the protocol minimum.
serve_once badhello -a "alice@$KDCTEST_REALM" -- "$T/marker.sh"
"$HOSTILE" -H 100 localhost "$PORT" "$SVC" >"$T/badhello.out" 2>"$T/badhello.err"
server_status
check_status 252 "$SERVER_STATUS" "invalid hello refused"
check_grep "invalid hello" "$T/badhello.log" "invalid-hello message"
[ -e "$T/ran" ] && not_ok "program never started after an invalid hello" || ok "program never started after an invalid hello"

# A client that authenticates, then never sends its hello: the server
# gives up at its handshake deadline (-T) with a timeout (254), not a
# protocol violation (252), and says so.
serve_once nohello -T $((2 * SLOW)) -a "alice@$KDCTEST_REALM" -- "$T/marker.sh"
"$HOSTILE" -M nohello localhost "$PORT" "$SVC" >"$T/nohello.out" 2>"$T/nohello.err"
server_status
check_status 254 "$SERVER_STATUS" "a client that never says hello: the server times out"
check_grep "timed out waiting for the peer" "$T/nohello.log" "  its log says it timed out"
check_grep 'reason="handshake timeout"' "$T/nohello.log" "  the session line gives the reason"
check_grep "closed" "$T/nohello.out" "  the client sees the connection end"
[ -e "$T/ran" ] && not_ok "  the program never started" || ok "  the program never started"

protected noconf noconf "was not encrypted"
protected replay replay "replayed, reordered or missing record"
protected reorder reorder "replayed, reordered or missing record"
protected exit exit "record type 6 out of order"
protected oversize oversize "over the max_record"

done_testing
