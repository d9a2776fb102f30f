#!/bin/sh
# Principal-based routing (the GSS analogue of TLS SNI): one standalone
# gsswrapd with -r PRINCIPAL=TARGET routes, each session forwarded by the
# service principal the client asked for; a principal of the keytab with no
# route is refused inside the protected channel; --check looks at each
# routed principal; bad routes are usage errors naming the route.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
start_realm
R=$KDCTEST_REALM

kadmin.local -r "$R" >"$T/kadmin.log" 2>&1 <<KADM
addprinc -randkey svc1/localhost
addprinc -randkey svc2/localhost
ktadd -k $T/routes.keytab svc1/localhost svc2/localhost
ktadd -k $T/routes.keytab -norandkey host/localhost
KADM

# Two plaintext services that say who they are, then echo.
program one.sh 'echo "this is one"; exec cat'
program two.sh 'echo "this is two"; exec cat'
listen_exec one ",fork" "EXEC:$T/one.sh"
P1=$PORT
PIDS="$PIDS $SOCAT_PID"
listen_exec two ",fork" "EXEC:$T/two.sh"
P2=$PORT
PIDS="$PIDS $SOCAT_PID"

gsswrapd_start routes -k "$T/routes.keytab" \
    -r "svc1/localhost@$R=127.0.0.1:$P1" -r "svc2/localhost@$R=127.0.0.1:$P2" \
    -a "alice@$R"

for n in 1 2; do
	name=one
	[ $n = 2 ] && name=two
	echo "to svc$n" | "$GSSWRAP" -s "svc$n" localhost "$DPORT" >"$T/out$n" 2>"$T/err$n"
	check_status 0 $? "a session for svc$n/localhost"
	check_grep "this is $name" "$T/out$n" "  reaches the service routed for svc$n"
	check_grep "to svc$n" "$T/out$n" "  and its data comes back"
done
wait_for "service=\"svc2/localhost@$R\"" "$T/routes.log"
check_grep "service=\"svc1/localhost@$R\"" "$T/routes.log" "the log names the principal of each session"

echo x | "$GSSWRAP" localhost "$DPORT" >"$T/out" 2>"$T/err"
check_status 254 $? "a principal of the keytab without a route is refused"
check_grep "no service for host/localhost@$R here" "$T/err" "  the client is told which principal has no service"
wait_for "no route" "$T/routes.log"
check_grep "refusing alice@$R from client 127.0.0.1" "$T/routes.log" "  the server logs the refusal"
check_no_grep "this is" "$T/out" "  and no service was reached"

# --check with routes: each routed principal against the keytab and the KDC.
"$GSSWRAPD" --check -k "$T/routes.keytab" -r "svc1/localhost@$R=127.0.0.1:$P1" \
    -r "svc2/localhost@$R=127.0.0.1:$P2" >"$T/check.out" 2>&1
check_status 0 $? "--check with two routes"
for n in 1 2; do
	check_true "  the KDC's ticket for svc$n/localhost decrypts with the keytab" \
	    grep -Eq "^  svc$n/localhost@$R: KDC ticket kvno [0-9]+ .*: the keytab decrypts it" "$T/check.out"
done
check_no_grep "host/localhost@$R:" "$T/check.out" "  and not the keytab's unrouted principal"
"$GSSWRAPD" --check -k "$T/routes.keytab" -r "svc1/localhost@$R=127.0.0.1:$P1" \
    -r "svc3/localhost@$R=127.0.0.1:$P2" >"$T/check.out" 2>&1
check_status 250 $? "--check with a route whose principal the keytab lacks"
check_grep "no key for svc3/localhost@$R" "$T/check.out" "  names that principal"

# Usage errors name the route.
"$GSSWRAPD" -r "svc1/localhost=127.0.0.1:$P1" -a "alice@$R" 2>"$T/err"
check_status 250 $? "a route without a realm"
check_grep "-r svc1/localhost=127.0.0.1:$P1: expected PRINCIPAL=TARGET" "$T/err" "  the message names the route"
"$GSSWRAPD" -r "svc1/localhost@$R=nowhere" -a "alice@$R" 2>"$T/err"
check_status 250 $? "a route to something that is not a target"
check_grep "expected PRINCIPAL=HOST:PORT" "$T/err" "  says what a target is"
"$GSSWRAPD" -r "svc1/localhost@$R=127.0.0.1:$P1" -r "svc1/localhost@$R=127.0.0.1:$P2" -a "alice@$R" 2>"$T/err"
check_status 250 $? "a principal routed twice"
check_grep "routed twice" "$T/err" "  is refused"
"$GSSWRAPD" -r "svc1/localhost@$R=127.0.0.1:$P1" -c "127.0.0.1:$P2" -a "alice@$R" 2>"$T/err"
check_status 250 $? "-r with -c"
check_grep "give one of -- PROGRAM, -c TARGET or -r routes" "$T/err" "  is refused"

kill "$DAEMON_PID"
done_testing
