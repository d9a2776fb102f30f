#!/bin/sh
# Garbage, oversize and silent peers on both sides: each refused with a
# precise message and the right exit status, without waiting forever and
# without large allocations.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
start_realm

program marker.sh "touch $T/ran; exec cat"
ALLOW="-a alice@$KDCTEST_REALM"

# raw FILE: send FILE's bytes to the server, print what came back.
raw() {
	socat -t 3 - "TCP:127.0.0.1:$PORT" <"$1" >"$T/raw.out" 2>/dev/null
}

# A plain client (HTTP) gets our preamble and a clear server-side log.
printf 'GET / HTTP/1.0\r\n\r\n' >"$T/http"
serve_once http $ALLOW -- "$T/marker.sh"
raw "$T/http"
server_status; check_status 252 "$SERVER_STATUS" "HTTP request to gsswrapd refused as a protocol violation"
check_grep 'client 127.0.0.1 port' "$T/http.log" "log names the client address"
check_grep 'is not a gsswrap peer (it sent "GET / HT")' "$T/http.log" "log quotes what the plain client sent"
check_true "a plain client sees the gsswrap preamble" grep -q '^GSSWRAP' "$T/raw.out"

# inetd and xinetd put the connection on fd 2 as well: gsswrapd, even with
# -d, must never write a diagnostic there (it would reach the client).
SOCAT_EXEC_OPTS=",stderr" serve_once fd2 $ALLOW -- "$T/marker.sh"
raw "$T/http"
server_status; check_status 252 "$SERVER_STATUS" "HTTP request with stderr on the socket"
check_true "only the preamble reached the client, no diagnostic text" \
    test "$(od -An -c "$T/raw.out" | tr -d ' \n')" = 'GSSWRAP001'
SOCAT_EXEC_OPTS=",stderr" serve_once fd2b $ALLOW -- "$T/marker.sh"
echo x | KRB5CCNAME=$KDCTEST_BOB_CCACHE "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "refusal with stderr on the socket arrives intact"
check_grep "not authorized: principal bob@GSSWRAP.TEST" "$T/err" "refusal reason intact with stderr on the socket"
server_status

# Connect and close without a byte.
serve_once empty $ALLOW -- "$T/marker.sh"
raw /dev/null
server_status; check_status 253 "$SERVER_STATUS" "client closing before the preamble"
check_grep "closed the connection before the gsswrap preamble" "$T/empty.log" "early close message"

# Version 0.
printf 'GSSWRAP\000' >"$T/v0"
serve_once v0 $ALLOW -- "$T/marker.sh"
raw "$T/v0"
server_status; check_status 252 "$SERVER_STATUS" "protocol version 0 refused"
check_grep "announced protocol version 0" "$T/v0.log" "version message"

# A 2 GiB context token: refused from the header, before any allocation.
{ printf 'GSSWRAP\001'; frame_hdr 1 2147483647; } >"$T/huge"
serve_once huge $ALLOW -- "$T/marker.sh"
raw "$T/huge"
server_status; check_status 252 "$SERVER_STATUS" "oversize context token refused"
check_grep "bad frame length (type 0x01, length 2147483647)" "$T/huge.log" "oversize message gives the length"

# A header whose check byte does not match.
{ printf 'GSSWRAP\001'; frame_hdr 1 16 | head -c 5; byte 0; printf 0123456789abcdef; } >"$T/badcheck"
serve_once badcheck $ALLOW -- "$T/marker.sh"
raw "$T/badcheck"
server_status; check_status 252 "$SERVER_STATUS" "damaged frame header refused"
check_grep "damaged frame header" "$T/badcheck.log" "damaged-header message"

# Unknown frame type; a WRAP frame before establishment.
{ printf 'GSSWRAP\001'; frame_hdr 9 4; printf abcd; } >"$T/type9"
serve_once type9 $ALLOW -- "$T/marker.sh"
raw "$T/type9"
server_status; check_status 252 "$SERVER_STATUS" "unknown frame type refused"
check_grep "unexpected frame type (type 0x09" "$T/type9.log" "unknown-type message"
{ printf 'GSSWRAP\001'; frame_hdr 3 4; printf abcd; } >"$T/wrap"
serve_once wrap $ALLOW -- "$T/marker.sh"
raw "$T/wrap"
server_status; check_status 252 "$SERVER_STATUS" "WRAP frame during establishment refused"

# A well-framed but garbage context token: GSS rejects it.
{ printf 'GSSWRAP\001'; frame_hdr 1 16; printf garbage-garbage!; } >"$T/junk"
serve_once junk $ALLOW -- "$T/marker.sh"
raw "$T/junk"
server_status; check_status 251 "$SERVER_STATUS" "garbage context token refused"
check_grep "authentication of client 127.0.0.1 port" "$T/junk.log" "garbage-token message names the client"
check_true "server answered the garbage token with an ERROR frame" grep -q "$(printf '\002')" "$T/raw.out"

# Truncated context token (header promises more than is sent).
{ printf 'GSSWRAP\001'; frame_hdr 1 256; printf short; } >"$T/trunc"
serve_once trunc $ALLOW -- "$T/marker.sh"
raw "$T/trunc"
server_status; check_status 253 "$SERVER_STATUS" "truncated context token"
check_grep "closed the connection during authentication" "$T/trunc.log" "truncated-token message"

# Silent clients: the handshake deadline (-T) ends them.
serve_once silent -T 1 $ALLOW -- "$T/marker.sh"
{ sleep 4; } | socat -t 5 - "TCP:127.0.0.1:$PORT" >/dev/null 2>&1 &
PIDS="$PIDS $!"
server_status; check_status 254 "$SERVER_STATUS" "silent client hits the handshake deadline"
check_grep "timed out waiting for the preamble with client 127.0.0.1" "$T/silent.log" "deadline message"
check_grep 'reason="handshake timeout"' "$T/silent.log" "close reason in the session line"
printf 'GSSWRAP\001' >"$T/pre"
serve_once slow -T 1 $ALLOW -- "$T/marker.sh"
{ cat "$T/pre"; sleep 4; } | socat -t 5 - "TCP:127.0.0.1:$PORT" >"$T/raw.out" 2>/dev/null &
PIDS="$PIDS $!"
server_status; check_status 254 "$SERVER_STATUS" "client stalling after the preamble hits the deadline"
check_grep "timed out during authentication with client 127.0.0.1" "$T/slow.log" "stall message"
[ -e "$T/ran" ] && not_ok "program never started for garbage clients" || ok "program never started for garbage clients"

# The client against servers that are not gsswrapd.
program sshbanner.sh "printf 'SSH-2.0-OpenSSH_9.2\\r\\n'; sleep 2"
listen_exec fake ",fork" "EXEC:$T/sshbanner.sh"
PIDS="$PIDS $SOCAT_PID"
echo x | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 252 $? "client talking to an ssh server"
check_grep 'localhost port '"$PORT"' is not a gsswrap peer (it sent "SSH-2.0-")' "$T/err" "client quotes what the server sent"

{ printf 'GSSWRAP\001'; frame_hdr 1 2147483647; } >"$T/bigtoken"
program bigtoken.sh "cat $T/bigtoken; sleep 2"
listen_exec fake ",fork" "EXEC:$T/bigtoken.sh"
PIDS="$PIDS $SOCAT_PID"
echo x | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 252 $? "client refuses an oversize token from the server"
check_grep "bad frame length" "$T/err" "client oversize message"

program exit0.sh "exit 0"
listen_exec fake ",fork" "EXEC:$T/exit0.sh"
PIDS="$PIDS $SOCAT_PID"
echo x | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 253 $? "server closing at once"
check_grep "closed the connection before the gsswrap preamble" "$T/err" "client early-close message"

program sleep10.sh "sleep 10"
listen_exec fake ",fork" "EXEC:$T/sleep10.sh"
PIDS="$PIDS $SOCAT_PID"
echo x | "$GSSWRAP" -t 1 localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 254 $? "silent server hits the client deadline (-t)"
check_grep "timed out waiting for the preamble with localhost port $PORT" "$T/err" "client deadline message"

PORT=$(free_port)
echo x | "$GSSWRAP" 127.0.0.1 "$PORT" >"$T/out" 2>"$T/err"
check_status 254 $? "nothing listening"
check_grep "cannot connect to 127.0.0.1 port $PORT: Connection refused" "$T/err" "connection-refused message"
echo x | "$GSSWRAP" -4 ::1 "$PORT" >"$T/out" 2>"$T/err"
check_status 254 $? "IPv6 literal with -4"
check_grep "cannot resolve ::1 port $PORT" "$T/err" "resolution failure message"

# Command-line errors.
"$GSSWRAP" >"$T/out" 2>"$T/err"
check_status 250 $? "no arguments"
check_grep "expected HOST PORT" "$T/err" "missing-operands message"
"$GSSWRAP" localhost 99999 >"$T/out" 2>"$T/err"
check_status 250 $? "port out of range"
check_grep 'invalid port "99999"' "$T/err" "bad-port message"
"$GSSWRAP" -t soon localhost 22 >"$T/out" 2>"$T/err"
check_status 250 $? "bad -t"
check_grep "-t soon" "$T/err" "bad -t message"
"$GSSWRAP" -Z localhost 22 >"$T/out" 2>"$T/err"
check_status 250 $? "unknown option"
check_grep "usage: gsswrap" "$T/err" "usage shown for an unknown option"

done_testing
