#!/bin/sh
# What crosses the wire: through a relay we control, a plaintext marker
# never appears; one flipped bit anywhere after the handshake, in either
# direction, makes both ends fail; a whole record repeated, swapped with
# the next or dropped is refused by its receiver, with native and GSS-API
# protection; cutting the connection is reported as truncation by the
# receiver.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
start_realm

MARKER=PLAINTEXT-MARKER-7f3a9c
{ i=0; while [ $i -lt 200 ]; do echo "$MARKER $i"; i=$((i + 1)); done
  head -c 262144 /dev/urandom; echo "$MARKER end"; } >"$T/data"

program echo.sh 'exec cat'

# Clean run through the relay, capturing both directions.
serve_once clean -a "alice@$KDCTEST_REALM" -- "$T/echo.sh"
relay -w "$T/capture"
"$GSSWRAP" localhost "$RPORT" <"$T/data" >"$T/out" 2>"$T/err"
check_status 0 $? "session through the relay"
wait_exit "$RELAY_PID"
server_status; check_status 0 "$SERVER_STATUS" "server side of the clean run"
check_true "data intact through the relay" cmp -s "$T/data" "$T/out"
check_true "capture holds the whole exchange" test "$(wc -c <"$T/capture")" -gt 524288
check_no_grep "$MARKER" "$T/capture" "plaintext marker never on the wire"
check_no_grep "alice" "$T/capture" "nothing readable of the relayed data or hello on the wire"
c2s=$(awk '{print $2}' "$T/relay.out")
s2c=$(awk '{print $4}' "$T/relay.out")
check_true "relay saw protected records both ways ($c2s, $s2c bytes)" test "$c2s" -gt 262144 -a "$s2c" -gt 262144

# GSSWRAP_RECORD_SIZE (for bench/): smaller records, so more framing.
serve_once small -a "alice@$KDCTEST_REALM" -- "$T/echo.sh"
relay
GSSWRAP_RECORD_SIZE=1024 "$GSSWRAP" localhost "$RPORT" <"$T/data" >"$T/out" 2>"$T/err"
check_status 0 $? "a session with 1 KiB records (GSSWRAP_RECORD_SIZE=1024)"
wait_exit "$RELAY_PID"
server_status
check_true "  data intact" cmp -s "$T/data" "$T/out"
small=$(awk '{print $2}' "$T/relay.out")
check_true "  about 260 records' framing more on the wire ($small against $c2s bytes)" \
    test "$small" -gt $((c2s + 12000))

# Replay: what a client sent, recorded and sent again to a fresh gsswrapd,
# must be refused by the replay cache before the program runs.
program counted.sh "echo run >>'$T/runs'; exec cat"
serve_once recorded -a "alice@$KDCTEST_REALM" -- "$T/counted.sh"
relay -W "$T/c2s"
"$GSSWRAP" localhost "$RPORT" <"$T/data" >"$T/out" 2>"$T/err"
check_status 0 $? "a session recorded (client to server) through the relay"
wait_exit "$RELAY_PID"
server_status
check_true "  the program ran once" test "$(wc -l <"$T/runs")" -eq 1
serve_once replayed -a "alice@$KDCTEST_REALM" -- "$T/counted.sh"
socat -t 5 - "TCP:127.0.0.1:$PORT" <"$T/c2s" >"$T/replay.out" 2>/dev/null
server_status
check_status 251 "$SERVER_STATUS" "the recording replayed to a fresh server is refused"
check_grep "replay" "$T/replayed.log" "  the server log says it is a replay"
check_true "  the program did not run again" test "$(wc -l <"$T/runs")" -eq 1
check_no_grep "$MARKER" "$T/replay.out" "  and nothing readable came back"

# flip DIR OFFSET: one bit flipped; both ends must fail.
flip() {
	: >"$T/flip.log"
	serve_once flip -a "alice@$KDCTEST_REALM" -- "$T/echo.sh"
	relay -f "$1:$2"
	timeout $((30 * SLOW)) "$GSSWRAP" localhost "$RPORT" <"$T/data" >/dev/null 2>"$T/err"
	cst=$?
	server_status
	wait_exit "$RELAY_PID"
	if [ "$cst" -ne 0 ] && [ "$cst" -ne 124 ] && [ "$SERVER_STATUS" -ne 0 ]; then
		ok "bit flipped $1 at record byte $2: client exit $cst, server exit $SERVER_STATUS"
	else
		not_ok "bit flipped $1 at record byte $2: client exit $cst, server exit $SERVER_STATUS"
		sed 's/^/#   /' "$T/err" "$T/flip.log"
	fi
	if grep -Eq "integrity check failed|protocol violation|bad frame|truncated|reset|ended the session" "$T/err" "$T/flip.log"; then
		ok "the receiver names the failure ($1 at $2)"
	else
		not_ok "the receiver names the failure ($1 at $2)"
	fi
}

# First byte of the first record (frame header), inside the first token,
# a random place in the middle, and near the end of each direction.
for d in c2s s2c; do
	eval total=\$$d
	for off in 0 20 $(rand $((total - 400))) $((total - 300)); do
		flip "$d" "$off"
	done
done

# frameop DIR N OP CRYPTO [INPUT]: the relay repeats (dup), swaps with the
# next (swap) or drops (drop) the Nth record after the handshake, as an
# attacker on the network can without any key. The receiver must refuse
# it, and both ends end the session as a protocol violation (252).
frameop() {
	: >"$T/fop.log"
	serve_once fop --crypto="$4" -a "alice@$KDCTEST_REALM" -- "$T/echo.sh"
	relay -m "$1:$2:$3"
	timeout $((30 * SLOW)) "$GSSWRAP" --crypto="$4" localhost "$RPORT" <"${5:-$T/data}" >/dev/null 2>"$T/err"
	cst=$?
	server_status
	wait_exit "$RELAY_PID"
	if [ "$1" = c2s ]; then
		check_status 252 "$SERVER_STATUS" "record $2 $3 ($1, $4): the server refuses it"
		check_grep "replayed, reordered or missing record from client 127.0.0.1" "$T/fop.log" "  its log says why"
		check_status 252 "$cst" "  the client is told, and fails"
	else
		check_status 252 "$cst" "record $2 $3 ($1, $4): the client refuses it"
		check_grep "replayed, reordered or missing record from localhost port $RPORT" "$T/err" "  saying why"
		check_status 252 "$SERVER_STATUS" "  the server is told, and fails"
	fi
}
# Native protection only where the realm's enctype has it (AES).
case ${KDC_ENCTYPE:-aes256-sha1} in
aes*) cryptos="native gss" ;;
*) cryptos=gss ;;
esac
for crypto in $cryptos; do
	for d in c2s s2c; do
		frameop "$d" 1 dup "$crypto"
		frameop "$d" 3 swap "$crypto"
		frameop "$d" 2 drop "$crypto"
	done
done
# The receiver refuses while megabytes it will never read are still
# coming: its ABORT must reach the peer all the same, not be destroyed by
# the reset that closing on unread data sends (lingering close), nor be
# missed by a peer whose own send fails first (salvage). On loopback a
# reset keeps received data readable, so the salvage is what this proves.
head -c 16777216 /dev/zero >"$T/big"
frameop c2s 2 drop gss "$T/big"
check_grep "ended the session: protocol violation" "$T/err" \
    "  with 16 MiB unread behind the refused record, the client still hears why"
frameop s2c 2 drop gss "$T/big"
check_grep "ended the session: protocol violation" "$T/fop.log" \
    "  the server, still sending when the client refused, hears why too"
# The same refusal while the client cannot read it: its output is a FIFO
# nobody reads, so it stops reading the connection (backpressure) and only
# learns of the end when its sending fails. The ABORT is in its receive
# buffer by then: it must report that, not a reset or a truncation. The
# program fills the client's output, then reads only a second later, so
# that the server meets the dropped record once the client has stalled.
program talk.sh 'head -c 100000 /dev/zero; sleep 1; exec cat >/dev/null'
: >"$T/fop.log"
serve_once fop --crypto=gss -a "alice@$KDCTEST_REALM" -- "$T/talk.sh"
relay -m "c2s:30:drop"
mkfifo "$T/stuck"
exec 7<>"$T/stuck"
timeout $((30 * SLOW)) "$GSSWRAP" localhost "$RPORT" </dev/zero >"$T/stuck" 2>"$T/err"
check_status 252 $? "a client not reading when the server refuses reports the refusal"
check_grep "ended the session: protocol violation" "$T/err" "  with the server's reason"
exec 7<&-
server_status
wait_exit "$RELAY_PID"
[ "$cryptos" = gss ] && skip_point "records repeated, swapped or dropped, native" "no native enctype in this realm"

# cut DIR OFFSET: the connection ends mid-stream.
serve_once cut -a "alice@$KDCTEST_REALM" -- "$T/echo.sh"
relay -x "s2c:$((s2c / 2))"
timeout $((30 * SLOW)) "$GSSWRAP" localhost "$RPORT" <"$T/data" >/dev/null 2>"$T/err"
check_status 253 $? "server-to-client stream cut mid-way"
check_grep "closed before the end of the stream (truncated)" "$T/err" "client reports truncation"
server_status
wait_exit "$RELAY_PID"

serve_once cut2 -a "alice@$KDCTEST_REALM" -- "$T/echo.sh"
relay -x "c2s:$((c2s / 2))"
timeout $((30 * SLOW)) "$GSSWRAP" localhost "$RPORT" <"$T/data" >/dev/null 2>"$T/err"
server_status; check_status 253 "$SERVER_STATUS" "client-to-server stream cut mid-way"
check_grep "closed before the end of the stream (truncated)" "$T/cut2.log" "server reports truncation"
wait_exit "$RELAY_PID"

done_testing
