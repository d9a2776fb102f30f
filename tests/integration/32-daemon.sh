#!/bin/sh
# What an administrator meets in the first week (docs/SECURITY.md): the
# session line's reason tells a plain client, one that hung up, one whose
# own Kerberos failed, a Kerberos failure on the server and a policy
# refusal apart (fail2ban-style banning must hit only the last two); --syslog-facility works; under xinetd (the client's socket
# on fd 2) a bad option reaches syslog, never the client; a standalone
# gsswrapd does not start when it could not accept a single session, and
# warns about a keytab others can read; --check checks the policy too.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
require python3
start_realm
A="alice@$KDCTEST_REALM"
LOGLINE="python3 $top_srcdir/tests/logline.py"

# reason NAME: the reason of the session line in $T/NAME.log.
reason() {
	$LOGLINE "$T/$1.log" reason | tail -n 1
}

# --- The reason of each kind of failure before any data. -----------------
serve_once plain -a "$A" -- cat
printf 'GET / HTTP/1.0\r\n\r\n' | socat -t $((30 * SLOW)) - "TCP:127.0.0.1:$PORT" >/dev/null 2>&1
server_status
check_status 252 "$SERVER_STATUS" "a plaintext client is a protocol violation"
check_true "  reason \"not a gsswrap peer\" ($(reason plain))" \
    test "$(reason plain)" = "not a gsswrap peer"

serve_once hangup -a "$A" -- cat
socat -u /dev/null "TCP:127.0.0.1:$PORT" >/dev/null 2>&1
server_status
check_status 253 "$SERVER_STATUS" "a client that connects and hangs up"
check_true "  reason \"closed before the handshake\" ($(reason hangup))" \
    test "$(reason hangup)" = "closed before the handshake"

serve_once gaveup -a "$A" -- cat
echo x | "$GSSWRAP" -p "nosuch/localhost@$KDCTEST_REALM" localhost "$PORT" \
    >/dev/null 2>"$T/err"
check_status 251 $? "a client whose own Kerberos fails (no such service principal)"
check_grep "not found in Kerberos database" "$T/err" "  is told why by its library"
server_status
check_true "  reason \"client gave up authentication: ...\" ($(reason gaveup))" \
    test "$(reason gaveup)" = "client gave up authentication: authentication failed"

cp "$KDCTEST_SERVICE_KEYTAB" "$T/old.keytab"
kadmin.local -r "$KDCTEST_REALM" -q "ktadd -k $T/new.keytab host/localhost" >/dev/null 2>&1
kinit -k -t "$KDCTEST_ALICE_KEYTAB" -c "FILE:$T/fresh.ccache" alice >/dev/null 2>&1
serve_once krb -k "$T/old.keytab" -a "$A" -- cat
echo x | KRB5CCNAME=FILE:$T/fresh.ccache "$GSSWRAP" localhost "$PORT" >/dev/null 2>&1
check_status 251 $? "a server whose keytab lacks the ticket's key"
server_status
case $(reason krb) in
"Kerberos: "*"not found in keytab"*) ok "  reason \"Kerberos: MESSAGE\" ($(reason krb))" ;;
*) not_ok "  reason \"Kerberos: MESSAGE\" ($(reason krb))" ;;
esac

serve_once policy -k "$T/new.keytab" -a "$A" -- cat
echo x | KRB5CCNAME=$KDCTEST_BOB_CCACHE "$GSSWRAP" localhost "$PORT" >/dev/null 2>&1
check_status 251 $? "bob, whom the policy does not name"
server_status
check_true "  reason \"not authorized\" ($(reason policy))" \
    test "$(reason policy)" = "not authorized"
KT=$T/new.keytab

# --- syslog: the facility, and a bad option under xinetd. ---------------
if ! syslog_start; then
	skip_point "--syslog-facility and syslog under xinetd" "needs root (unshare -m)"
else
	# The client's connection on fd 0, 1 and 2, as xinetd gives it: the
	# log can only go to syslog.
	SOCAT_EXEC_OPTS=",stderr" SERVER_WRAPPER="$IN_SYSLOG_NS " \
	    serve_once facility --syslog-facility local3 -k "$KT" -a "$A" -- cat
	echo x | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
	check_status 0 $? "--syslog-facility local3: the session runs"
	server_status
	check_status 0 "$SERVER_STATUS" "  the server ends it cleanly"
	# local3 (19) * 8 + info (6)
	check_grep "<158>" "$SYSLOG" "  its session line reaches syslog as local3.info"

	SOCAT_EXEC_OPTS=",stderr" SERVER_WRAPPER="$IN_SYSLOG_NS " \
	    serve_once badopt --bogus -k "$KT" -a "$A" -- cat
	echo x | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
	rc=$?
	# Closed or reset, depending on when gsswrapd exits: never a "peer"
	# that sent text (252).
	check_true "a bad option under xinetd: the client sees the connection end ($rc)" \
	    test "$rc" = 253 -o "$rc" = 254
	check_no_grep "not a gsswrap peer" "$T/err" "  and nothing gsswrapd wrote reached it"
	server_status
	check_status 250 "$SERVER_STATUS" "  gsswrapd exits with the usage status"
	check_grep "gsswrapd[" "$SYSLOG" "  its message reaches syslog"
	check_grep "--bogus: unknown option" "$SYSLOG" "  naming the option"
fi

# --- A standalone gsswrapd that could not accept a session. ---------------
# (timeout: a gsswrapd that does start must not hang the scenario)
timeout $((10 * SLOW)) "$GSSWRAPD" -f -l "127.0.0.1:$(free_port)" \
    -k "$T/none.keytab" -a "$A" -- cat >/dev/null 2>"$T/err"
check_status 250 $? "standalone with a missing keytab does not start"
check_grep "cannot read keytab $T/none.keytab" "$T/err" "  naming the keytab"
check_grep "not starting" "$T/err" "  and saying it does not start"
kadmin.local -r "$KDCTEST_REALM" -q "ktadd -k $T/other.keytab -norandkey alice" >/dev/null 2>&1
timeout $((10 * SLOW)) "$GSSWRAPD" -f -l "127.0.0.1:$(free_port)" \
    -k "$T/other.keytab" -a "$A" -- cat >/dev/null 2>"$T/err"
check_status 250 $? "standalone with no key for host/* does not start"
check_grep "no key for host/* in keytab $T/other.keytab" "$T/err" "  naming the acceptor and the keytab"
cp "$KT" "$T/open.keytab"
chmod 644 "$T/open.keytab"
DPORT=$(free_port)
"$GSSWRAPD" -f -d -l "127.0.0.1:$DPORT" -k "$T/open.keytab" -a "$A" -- cat 2>"$T/open.log" &
D=$!
PIDS="$PIDS $D"
check_true "a keytab others can read: gsswrapd still starts" wait_listen "$DPORT" "$D"
check_grep "keytab $T/open.keytab is readable by others (mode 0644)" "$T/open.log" \
    "  with a warning naming it"
kill "$D"
wait_exit "$D"

# --- --check checks the policy as well as the keytab. ---------------------
printf 'alice@%s\nbroken\n' "$KDCTEST_REALM" >"$T/bad.acl"
"$GSSWRAPD" --check -k "$KT" -A "$T/bad.acl" >"$T/out" 2>"$T/err"
check_status 250 $? "--check with an ACL file that does not parse"
check_grep "$T/bad.acl:2:" "$T/err" "  names the file and the line"
"$GSSWRAPD" --check -k "$KT" -u gswt-nosuchuser >"$T/out" 2>"$T/err"
check_status 250 $? "--check with -u naming no account"
check_grep "-u gswt-nosuchuser: no such local account" "$T/err" "  says so"
"$GSSWRAPD" --check -k "$KT" -r "host/localhost@$KDCTEST_REALM=nowhere" >"$T/out" 2>"$T/err"
check_status 250 $? "--check with a route whose target does not parse"
check_grep "expected PRINCIPAL=HOST:PORT" "$T/err" "  says what a route looks like"
"$GSSWRAPD" --check -k "$KT" -A "$T/bad.acl" -a "$A" >"$T/out" 2>"$T/err"
check_status 250 $? "  a good -a does not hide a bad -A"
"$GSSWRAPD" --check -k "$KT" -a "$A" >"$T/out" 2>"$T/err"
check_status 0 $? "--check with a good policy and keytab passes"

done_testing
