#!/bin/sh
# Echo through an inetd-style gsswrapd; the identity given to the program;
# the program's descriptors and environment; the log line; client options.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
start_realm

program echo.sh 'echo "peer=$GSSWRAP_PEER"
echo "remote_user=$REMOTE_USER"
echo "mech=$GSSWRAP_MECH"
echo "service=$GSSWRAP_SERVICE"
echo "addr=$GSSWRAP_REMOTE_ADDR port=$GSSWRAP_REMOTE_PORT"
echo "ktname=${KRB5_KTNAME:-unset} spoof=${GSSWRAP_SPOOF:-unset}"
python3 "'"$top_srcdir"'/tests/fdlist.py"
ino=$(readlink /proc/$$/fd/0 | tr -dc 0-9)
if awk "{print \$7}" /proc/net/unix | grep -qx "$ino"; then echo fd0=unix; else echo fd0=other; fi
echo "stderr works" >&2
exec cat'

GSSWRAP_SPOOF=1 serve echo -a "alice@$KDCTEST_REALM" -- "$T/echo.sh"

echo "line from the client" | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "echo session succeeds"
check_grep "line from the client" "$T/out" "client data echoed back"
check_grep "peer=alice@GSSWRAP.TEST" "$T/out" "GSSWRAP_PEER is the client principal"
check_grep "remote_user=alice@GSSWRAP.TEST" "$T/out" "REMOTE_USER is the client principal"
check_grep "mech=krb5" "$T/out" "GSSWRAP_MECH is krb5"
check_grep "service=host/localhost@GSSWRAP.TEST" "$T/out" "GSSWRAP_SERVICE is the acceptor principal"
check_grep "addr=127.0.0.1 port=" "$T/out" "GSSWRAP_REMOTE_ADDR is the client address"
if grep -Eq 'port=[0-9]+$' "$T/out"; then ok "GSSWRAP_REMOTE_PORT is numeric"; else not_ok "GSSWRAP_REMOTE_PORT is numeric"; fi
check_grep "ktname=unset spoof=unset" "$T/out" "keytab location and GSSWRAP_* settings scrubbed from the program environment"
check_grep "fds=0 1 2;" "$T/out" "program has only descriptors 0, 1 and 2 open"
check_grep "fd0=unix" "$T/out" "program stdin is a UNIX socketpair, not the network socket"
[ -s "$T/err" ] && not_ok "client is silent on success: $(cat "$T/err")" || ok "client is silent on success"
wait_for "outcome=ok" "$T/echo.log"
check_grep "session peer=\"alice@GSSWRAP.TEST\" addr=127.0.0.1" "$T/echo.log" "server logs one line with peer and address"
check_grep "local_user=- delegated=no outcome=ok bytes_in=21 " "$T/echo.log" "log line counts bytes received"
check_grep "program=\"exit 0\"" "$T/echo.log" "log line has the program status"
check_grep "echo.sh: stderr works" "$T/echo.log" "program stderr goes to the log"

# Explicit principal, verbose output.
echo x | "$GSSWRAP" -v -p "host/localhost@$KDCTEST_REALM" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "explicit -p principal"
check_grep "target principal host/localhost@GSSWRAP.TEST" "$T/err" "-v names the target principal"
check_grep "authenticated to localhost port $PORT" "$T/err" "-v reports authentication"
check_grep "session key $KDCTEST_ENCTYPE, ticket valid for" "$T/err" "-v reports the session key type and ticket lifetime"

# Client keytab, no ccache at all.
echo x | KRB5CCNAME=FILE:$T/none.ccache "$GSSWRAP" -k "$KDCTEST_ALICE_KEYTAB" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "client keytab (-k) without a ccache"
check_grep "peer=alice@GSSWRAP.TEST" "$T/out" "keytab client authenticated as alice"
[ -e "$T/none.ccache" ] && not_ok "-k leaves the default ccache alone" || ok "-k leaves the default ccache alone"

# Explicit ccache.
echo x | KRB5CCNAME=FILE:$T/none.ccache "$GSSWRAP" -c "$KDCTEST_ALICE_CCACHE" 127.0.0.1 "$PORT" -p "host/localhost@$KDCTEST_REALM" >"$T/out" 2>"$T/err"
check_status 250 $? "options after HOST PORT are refused (getopt stops at operands)"
echo x | KRB5CCNAME=FILE:$T/none.ccache "$GSSWRAP" -c "$KDCTEST_ALICE_CCACHE" -p "host/localhost@$KDCTEST_REALM" 127.0.0.1 "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "explicit -c ccache, numeric address"

# Empty input: both directions end at once.
"$GSSWRAP" localhost "$PORT" </dev/null >"$T/out" 2>"$T/err"
check_status 0 $? "empty input"
check_grep "peer=alice" "$T/out" "program output still arrives with empty input"

"$GSSWRAP" --help >"$T/out" 2>&1
check_status 0 $? "gsswrap --help"
check_grep "usage: gsswrap" "$T/out" "help text"
"$GSSWRAP" -V >"$T/out" 2>&1
check_status 0 $? "gsswrap -V"
check_grep "gsswrap 0." "$T/out" "version text"
"$GSSWRAPD" --version >"$T/out" 2>&1
check_status 0 $? "gsswrapd --version"
"$GSSWRAPD" -h >"$T/out" 2>&1
check_grep "usage: gsswrapd" "$T/out" "gsswrapd help text"

done_testing
