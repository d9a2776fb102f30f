#!/bin/sh
# gsswrap -L: a local port whose every connection becomes its own
# authenticated session; 20 concurrent plain clients (5 under valgrind)
# with their bytes compared; failed sessions reported without stopping the
# listener.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/lib.sh"
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
	{ socat -t 10 - "TCP:127.0.0.1:$LPORT" <"$T/d.$i" >"$T/o.$i" 2>/dev/null; } &
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
i=0
while [ "$(grep -c "outcome=ok" "$T/echo.log")" -lt $CONC ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
check_true "$CONC authenticated sessions at the server" test "$(grep -c "session peer=\"alice@GSSWRAP.TEST\".*outcome=ok" "$T/echo.log")" -eq $CONC
kill -TERM "$FWD"
i=0
while kill -0 "$FWD" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
wait "$FWD"
check_status 0 $? "gsswrap -L stops on SIGTERM"

# A server that refuses: each session fails, reported; the listener stays.
serve bobonly -a "bob@$KDCTEST_REALM" -- cat
LPORT=$(free_port)
"$GSSWRAP" -L "127.0.0.1:$LPORT" localhost "$PORT" 2>"$T/fwd2.err" &
FWD=$!
PIDS="$PIDS $FWD"
wait_listen "$LPORT" "$FWD"
echo x | socat -t 5 - "TCP:127.0.0.1:$LPORT" >/dev/null 2>&1
wait_for "failed" "$T/fwd2.err"
check_grep "not authorized: principal alice@GSSWRAP.TEST" "$T/fwd2.err" "the refusal is reported on stderr"
check_grep "session for local client 127.0.0.1 port" "$T/fwd2.err" "the failed session names the local client"
check_true "the listener survives a failed session" kill -0 "$FWD"
echo x | socat -t 5 - "TCP:127.0.0.1:$LPORT" >/dev/null 2>&1
i=0
while [ "$(grep -c "session for local client" "$T/fwd2.err")" -lt 2 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
check_true "and serves the next connection" test "$(grep -c "session for local client" "$T/fwd2.err")" -eq 2
kill -TERM "$FWD"

# Start-up errors.
KRB5CCNAME=FILE:$T/none "$GSSWRAP" -L "$(free_port)" localhost "$PORT" >/dev/null 2>"$T/err"
check_status 251 $? "-L without a ticket fails before listening"
check_grep "no usable Kerberos credentials" "$T/err" "no-ticket message"
"$GSSWRAP" -L "nonsense:" localhost "$PORT" >/dev/null 2>"$T/err"
check_status 250 $? "malformed -L"
check_grep "-L nonsense:: expected [ADDR:]LPORT" "$T/err" "malformed -L message"

done_testing
