#!/bin/sh
# Forwarding to a plaintext backend (-c): TCP and UNIX socket, with and
# without a PROXY v2 header naming the principal (parsed by the backend);
# nothing connects to the backend before authorization; an unreachable
# backend is reported to the client.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
BACKEND=$top_builddir/tests/proxy-backend
start_realm
ALLOW="-a alice@$KDCTEST_REALM"

# backend_tcp ARGS...: start proxy-backend on a TCP port; sets BPORT.
backend_tcp() {
	rm -f "$T/bport" "$T/info"
	"$BACKEND" -p "$T/bport" -o "$T/info" "$@" 2>>"$T/backend.err" &
	BACKEND_PID=$!
	PIDS="$PIDS $BACKEND_PID"
	wait_until test -s "$T/bport"
	BPORT=$(cat "$T/bport")
}

# TCP, no header: the backend sees the client's bytes first.
backend_tcp
serve_once tcp $ALLOW -c "127.0.0.1:$BPORT"
echo "plain data" | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "forward to a TCP backend"
check_grep "plain data" "$T/out" "data echoed through the backend"
wait_exit "$BACKEND_PID"
check_grep "first=plain data" "$T/info" "without --proxy-header the backend gets only the client's bytes"
server_status; check_status 0 "$SERVER_STATUS" "gsswrapd forward session"
check_grep "outcome=ok" "$T/tcp.log" "forward session logged as ok"

# TCP with a PROXY v2 header.
backend_tcp -x
serve_once tcpx $ALLOW --proxy-header -c "127.0.0.1:$BPORT"
echo "after header" | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "forward with a PROXY v2 header"
check_grep "after header" "$T/out" "data after the header echoed"
wait_exit "$BACKEND_PID"
check_grep "peer=alice@GSSWRAP.TEST" "$T/info" "PROXY TLV carries the client principal"
check_grep "service=host/localhost@GSSWRAP.TEST" "$T/info" "PROXY TLV carries the service principal"
check_grep "mech=krb5" "$T/info" "PROXY TLV carries the mechanism"
check_grep "dst=127.0.0.1:$PORT" "$T/info" "PROXY header has the address the client connected to"
check_grep "src=127.0.0.1:" "$T/info" "PROXY header has the client address"
server_status

# UNIX socket backend with the header.
rm -f "$T/info"
"$BACKEND" -u "$T/backend.sock" -x -o "$T/info" 2>>"$T/backend.err" &
BACKEND_PID=$!
wait_until test -S "$T/backend.sock"
serve_once unix $ALLOW --proxy-header -c "$T/backend.sock"
head -c 300000 /dev/urandom >"$T/data"
"$GSSWRAP" localhost "$PORT" <"$T/data" >"$T/out" 2>"$T/err"
check_status 0 $? "forward to a UNIX socket backend"
check_true "300 kB through the UNIX backend intact" cmp -s "$T/data" "$T/out"
wait_exit "$BACKEND_PID"
check_grep "peer=alice@GSSWRAP.TEST" "$T/info" "UNIX backend got the principal"
server_status

# Unauthorized: the backend is never connected to.
backend_tcp -x
serve_once unauth $ALLOW --proxy-header -c "127.0.0.1:$BPORT"
echo x | KRB5CCNAME=$KDCTEST_BOB_CCACHE "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "unauthorized client of a forward"
server_status
[ -e "$T/info" ] && not_ok "backend never contacted for an unauthorized client" || ok "backend never contacted for an unauthorized client"
kill "$BACKEND_PID" 2>/dev/null

# Backend down.
DOWN=$(free_port)
serve_once down $ALLOW -c "127.0.0.1:$DOWN"
echo x | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 254 $? "backend down"
check_grep "service unavailable: the service could not be reached" "$T/err" "client told the service is unreachable"
server_status; check_status 254 "$SERVER_STATUS" "gsswrapd status with the backend down"
check_grep "cannot connect to 127.0.0.1 port $DOWN: Connection refused" "$T/down.log" "server log names the backend"
serve_once downu $ALLOW -c "$T/no-such.sock"
echo x | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 254 $? "UNIX backend missing"
server_status
check_grep "cannot connect to $T/no-such.sock: No such file or directory" "$T/downu.log" "server log names the socket path"

# Option errors.
"$GSSWRAPD" $ALLOW -c "127.0.0.1:$DOWN" -- cat </dev/null >/dev/null 2>"$T/err"
check_status 250 $? "-c and PROGRAM together"
check_grep "give one of -- PROGRAM, -c TARGET or -r routes" "$T/err" "message for -c with PROGRAM"
"$GSSWRAPD" $ALLOW --proxy-header -- cat </dev/null >/dev/null 2>"$T/err"
check_status 250 $? "--proxy-header without -c"
"$GSSWRAPD" $ALLOW -c "nocolon" </dev/null >/dev/null 2>"$T/err"
check_status 250 $? "malformed -c target"
check_grep "-c nocolon: expected HOST:PORT" "$T/err" "message for a malformed target"

done_testing
