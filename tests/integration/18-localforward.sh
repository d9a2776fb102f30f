#!/bin/sh
# gsswrap -L: a local port whose every connection becomes its own
# authenticated session; 20 concurrent plain clients (5 under valgrind)
# with their bytes compared; failed sessions reported without stopping the
# listener. A forward lends the identity of whoever started it: another
# local user (nobody) is refused unless --allow-users names them or says
# any, over TCP and over a UNIX socket (-L /path, created 0600).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
start_realm

serve echo -a "alice@$KDCTEST_REALM" -- cat
LPORT=$(free_port)
"$GSSWRAP" -L "$LPORT" localhost "$PORT" 2>"$T/fwd.err" &
FWD=$!
PIDS="$PIDS $FWD"
wait_listen "$LPORT" "$FWD" || { echo "Bail out! gsswrap -L did not listen: $(cat "$T/fwd.err")"; exit 1; }
check_true "listens on 127.0.0.1 only by default" sh -c "ss -Hltn | awk '{print \$4}' | grep -qx '127.0.0.1:$LPORT'"

CONC=20
under_valgrind && CONC=5
i=0
pids=""
while [ $i -lt $CONC ]; do
	size=$(( $(rand 200000) + 1 ))
	head -c "$size" /dev/urandom >"$T/d.$i"
	{ socat -t $((30 * SLOW)) - "TCP:127.0.0.1:$LPORT" <"$T/d.$i" >"$T/o.$i" 2>/dev/null; } &
	pids="$pids $!"
	i=$((i + 1))
done
for p in $pids; do wait_exit "$p"; done
bad=0
i=0
while [ $i -lt $CONC ]; do
	a=$(sha256sum <"$T/d.$i" | cut -d' ' -f1)
	b=$(sha256sum <"$T/o.$i" | cut -d' ' -f1)
	[ "$a" = "$b" ] || bad=$((bad + 1))
	i=$((i + 1))
done
check_true "$CONC concurrent forwarded connections, SHA-256 equal ($bad bad)" test $bad -eq 0
wait_until has_lines "$CONC" "outcome=ok" "$T/echo.log"
check_true "$CONC authenticated sessions at the server" test "$(grep -c "session peer=\"alice@GSSWRAP.TEST\".*outcome=ok" "$T/echo.log")" -eq $CONC
kill -TERM "$FWD"
wait_exit "$FWD"
check_status 0 "$EXIT_STATUS" "gsswrap -L stops on SIGTERM"

# A server that refuses: each session fails, reported; the listener stays.
serve bobonly -a "bob@$KDCTEST_REALM" -- cat
LPORT=$(free_port)
"$GSSWRAP" -L "127.0.0.1:$LPORT" localhost "$PORT" 2>"$T/fwd2.err" &
FWD=$!
PIDS="$PIDS $FWD"
wait_listen "$LPORT" "$FWD"
echo x | socat -t $((30 * SLOW)) - "TCP:127.0.0.1:$LPORT" >/dev/null 2>&1
wait_for "failed" "$T/fwd2.err"
check_grep "not authorized: principal alice@GSSWRAP.TEST" "$T/fwd2.err" "the refusal is reported on stderr"
check_grep "session for local client 127.0.0.1 port" "$T/fwd2.err" "the failed session names the local client"
check_true "the listener survives a failed session" kill -0 "$FWD"
echo x | socat -t $((30 * SLOW)) - "TCP:127.0.0.1:$LPORT" >/dev/null 2>&1
wait_until has_lines 2 "session for local client" "$T/fwd2.err"
check_true "and serves the next connection" test "$(grep -c "session for local client" "$T/fwd2.err")" -eq 2
kill -TERM "$FWD"

# --- Other local users (needs root to be nobody). ----------------------
# as_nobody LPORT|PATH: one line through the forward as nobody; its output
# in $T/nobody.out.
as_nobody() {
	case $1 in
	/*) to=UNIX-CONNECT:$1 ;;
	*) to=TCP:127.0.0.1:$1 ;;
	esac
	echo "from nobody" | setpriv --reuid=65534 --regid=65534 --clear-groups \
	    socat -t $((30 * SLOW)) - "$to" >"$T/nobody.out" 2>"$T/nobody.err"
}
# forward NAME ARGS...: gsswrap -L ARGS to the echo service; stderr in
# $T/NAME.err, pid in FWD.
forward() {
	name=$1
	shift
	"$GSSWRAP" "$@" localhost "$PORT" 2>"$T/$name.err" &
	FWD=$!
	PIDS="$PIDS $FWD"
}
# tcp_forward NAME ARGS...: forward -L LPORT ARGS on a fresh LPORT, once
# it listens. stop_forward: SIGTERM, and its end.
tcp_forward() {
	name=$1
	shift
	LPORT=$(free_port)
	forward "$name" -L "$LPORT" "$@"
	wait_listen "$LPORT" "$FWD"
}
stop_forward() {
	kill -TERM "$FWD"
	wait_exit "$FWD"
}
serve echo2 -a "alice@$KDCTEST_REALM" -- cat
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null 2>&1; then
	skip_point "other local users and -L" "needs root and setpriv"
else
	tcp_forward mine
	as_nobody "$LPORT"
	check_no_grep "from nobody" "$T/nobody.out" "another local user (nobody) is refused by default"
	wait_for "refusing" "$T/mine.err"
	check_grep "refusing local client 127.0.0.1 port" "$T/mine.err" "  and the refusal is logged"
	check_grep "uid 65534 (nobody) may not use this forward" "$T/mine.err" "  naming the user"
	echo "from me" | socat -t $((30 * SLOW)) - "TCP:127.0.0.1:$LPORT" >"$T/me.out" 2>/dev/null
	check_grep "from me" "$T/me.out" "  the user who started it is served"
	stop_forward

	for who in nobody any; do
		tcp_forward "$who" --allow-users "$who"
		as_nobody "$LPORT"
		check_grep "from nobody" "$T/nobody.out" "--allow-users $who serves nobody"
		stop_forward
	done

	SOCK=$T/fwd.sock
	chmod 755 "$T"
	forward unix -L "$SOCK"
	wait_until test -S "$SOCK"
	check_true "-L /path: a UNIX socket of mode 0600" test "$(stat -c %a "$SOCK")" = 600
	echo "from me" | socat -t $((30 * SLOW)) - "UNIX-CONNECT:$SOCK" >"$T/me.out" 2>/dev/null
	check_grep "from me" "$T/me.out" "  serves its owner"
	as_nobody "$SOCK"
	check_grep "Permission denied" "$T/nobody.err" "  nobody cannot even connect"
	chmod 666 "$SOCK"
	as_nobody "$SOCK"
	check_no_grep "from nobody" "$T/nobody.out" "  opened up by chmod, it still refuses nobody (SO_PEERCRED)"
	wait_for "refusing" "$T/unix.err"
	check_grep "refusing local client on $SOCK: uid 65534 (nobody)" "$T/unix.err" "  naming the socket and the user"
	stop_forward
	check_true "  the socket is removed when gsswrap stops" test ! -e "$SOCK"
fi

# Start-up errors.
KRB5CCNAME=FILE:$T/none "$GSSWRAP" -L "$(free_port)" localhost "$PORT" >/dev/null 2>"$T/err"
check_status 251 $? "-L without a ticket fails before listening"
check_grep "no usable Kerberos credentials" "$T/err" "no-ticket message"
"$GSSWRAP" -L "nonsense:" localhost "$PORT" >/dev/null 2>"$T/err"
check_status 250 $? "malformed -L"
check_grep "-L nonsense:: expected [ADDR:]LPORT" "$T/err" "malformed -L message"
"$GSSWRAP" --allow-users nosuchuser-gswt -L "$(free_port)" localhost "$PORT" >/dev/null 2>"$T/err"
check_status 250 $? "--allow-users naming no user"
check_grep "nosuchuser-gswt is neither a uid nor a local user" "$T/err" "  says so"
: >"$T/exists"
"$GSSWRAP" -L "$T/exists" localhost "$PORT" >/dev/null 2>"$T/err"
check_status 250 $? "-L over an existing file"
check_grep "-L $T/exists: cannot listen: Address already in use (remove the old socket first)" "$T/err" "  says so"

done_testing
