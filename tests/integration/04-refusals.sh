#!/bin/sh
# Every refusal a user can meet: unauthorized principal, no ticket, expired
# ticket, unknown service, server without its key, KDC down, missing
# policy, bad ACL file, program that cannot start. Each checks the exit
# status and the message, and that PROGRAM never ran when it must not.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
start_realm

program marker.sh "touch $T/ran; exec cat"

# Unauthorized principal: refused inside the protected channel, program
# never started, both sides exit with the refusal status.
serve_once unauth -a "alice@$KDCTEST_REALM" -- "$T/marker.sh"
echo x | KRB5CCNAME=$KDCTEST_BOB_CCACHE "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "unauthorized principal refused"
check_grep "ended the session: not authorized: principal bob@GSSWRAP.TEST is not authorized for host/localhost@GSSWRAP.TEST" "$T/err" "client prints the server's reason naming the principal"
server_status; check_status 251 "$SERVER_STATUS" "gsswrapd exits with the refusal status"
check_grep "refusing bob@GSSWRAP.TEST from client 127.0.0.1" "$T/unauth.log" "server logs the refused principal and address"
check_grep "outcome=failed" "$T/unauth.log" "server log line says failed"
[ -e "$T/ran" ] && not_ok "program never started for an unauthorized client" || ok "program never started for an unauthorized client"

# ACL file: alice allowed, bob denied by a '!' entry despite the realm wildcard.
printf '# who may connect\n*@%s\n!bob@%s\n' "$KDCTEST_REALM" "$KDCTEST_REALM" >"$T/acl"
serve acl -A "$T/acl" -- cat
echo hi | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "ACL file allows alice through the realm wildcard"
echo hi | KRB5CCNAME=$KDCTEST_BOB_CCACHE "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "ACL file denial refuses bob"

# --allow-any: any principal of the service's realm.
serve any --allow-any -- cat
echo hi | KRB5CCNAME=$KDCTEST_BOB_CCACHE "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "--allow-any admits bob of the same realm"
check_grep "hi" "$T/out" "--allow-any session relays"

serve main -a "alice@$KDCTEST_REALM" -- cat
MAIN_PORT=$PORT

# No ticket at all.
echo x | KRB5CCNAME=FILE:$T/nothing "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "no ticket"
check_grep "no usable Kerberos credentials in ccache FILE:$T/nothing" "$T/err" "no-ticket message names the ccache"
check_grep "No Kerberos credentials available" "$T/err" "no-ticket message has the GSS minor text"

# Expired ticket.
kinit -l 2s -k -t "$KDCTEST_ALICE_KEYTAB" -c "FILE:$T/short.ccache" alice >/dev/null 2>&1
wait_until sh -c "! klist -s -c 'FILE:$T/short.ccache'"
# The KDC compares whole seconds: be clearly past the end time.
wait_until past $(($(date +%s) + 2))
echo x | "$GSSWRAP" -c "FILE:$T/short.ccache" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "expired ticket"
check_grep "Ticket expired" "$T/err" "expired-ticket message"
check_grep "host/localhost@GSSWRAP.TEST" "$T/err" "expired-ticket message names the target"

# Unknown service / principal.
echo x | "$GSSWRAP" -s nosuch localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "unknown service"
check_grep "as nosuch/localhost@GSSWRAP.TEST" "$T/err" "unknown-service message names the principal"
check_grep "not found in Kerberos database" "$T/err" "unknown-service message has the KDC's reason"
echo x | "$GSSWRAP" -p "host/elsewhere@$KDCTEST_REALM" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "unknown explicit principal"
check_grep "host/elsewhere@GSSWRAP.TEST" "$T/err" "message names the explicit principal"

# A ticket for a principal the server does not accept (-p on the server).
serve_once other -p "other/localhost@$KDCTEST_REALM" -a "alice@$KDCTEST_REALM" -- "$T/marker.sh"
echo x | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "server without a key for the acceptor name refuses"
check_grep "refused authentication as host/localhost@GSSWRAP.TEST: server internal error" "$T/err" "client reports a server-side failure"
server_status; check_status 254 "$SERVER_STATUS" "gsswrapd exits with the system-failure status"
check_grep "no key for other/localhost@GSSWRAP.TEST in keytab" "$T/other.log" "server log names the acceptor principal and keytab"

# Wrong keytab on the server.
serve_once badkt -k "$T/missing.keytab" -a "alice@$KDCTEST_REALM" -- "$T/marker.sh"
echo x | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "server with a missing keytab"
server_status; check_status 254 "$SERVER_STATUS" "gsswrapd with a missing keytab fails"
check_grep "cannot read keytab $T/missing.keytab as uid" "$T/badkt.log" "server log names the keytab file it cannot read"
[ -e "$T/ran" ] && not_ok "program never started without authentication" || ok "program never started without authentication"

# A program that cannot be executed: the client learns why.
serve noprog -a "alice@$KDCTEST_REALM" -- "$T/does-not-exist"
echo x | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 254 $? "program that cannot start"
check_grep "service unavailable: the service program could not be started" "$T/err" "client prints the unavailable reason"
wait_for "outcome=" "$T/noprog.log"
check_grep "cannot execute $T/does-not-exist: No such file or directory" "$T/noprog.log" "server log names the program"

# Server configuration errors: refused before touching the connection.
"$GSSWRAPD" -- cat </dev/null >"$T/out" 2>"$T/err"
check_status 250 $? "gsswrapd without a policy"
check_grep "no authorization policy: give -a PRINCIPAL, -A ACL_FILE, -u USER, -U or --allow-any" "$T/err" "no-policy message"
"$GSSWRAPD" -a "alice@$KDCTEST_REALM" </dev/null >"$T/out" 2>"$T/err"
check_status 250 $? "gsswrapd without a program"
check_grep "no PROGRAM to run" "$T/err" "no-program message"
printf 'alice@%s\nnot a principal\n' "$KDCTEST_REALM" >"$T/bad.acl"
"$GSSWRAPD" -A "$T/bad.acl" -- cat </dev/null >"$T/out" 2>"$T/err"
check_status 250 $? "malformed ACL file"
check_grep "$T/bad.acl:2: " "$T/err" "ACL error names file and line"
"$GSSWRAPD" -A "$T/no.acl" -- cat </dev/null >"$T/out" 2>"$T/err"
check_status 250 $? "missing ACL file"
check_grep "cannot read ACL file $T/no.acl" "$T/err" "missing ACL file message"
"$GSSWRAPD" -a alice -- cat </dev/null >"$T/out" 2>"$T/err"
check_status 250 $? "-a without a realm"
"$GSSWRAPD" -a "alice@$KDCTEST_REALM" -T soon -- cat </dev/null >"$T/out" 2>"$T/err"
check_status 250 $? "bad -T value"
check_grep "-T soon" "$T/err" "bad -T message names the option"
"$GSSWRAPD" --syslog-facility local9 -a "alice@$KDCTEST_REALM" -- cat </dev/null >"$T/out" 2>"$T/err"
check_status 250 $? "unknown syslog facility"
check_grep "--syslog-facility local9: not one of" "$T/err" "facility message"
"$GSSWRAPD" -a "alice@$KDCTEST_REALM" -- cat </dev/null >"$T/out" 2>"$T/err"
check_status 250 $? "stdin not a socket"
check_grep "standard input is not a socket" "$T/err" "not-a-socket message"

# The service key changed at the KDC but the server's keytab is stale: the
# server's Kerberos error reaches the client in the ERROR frame.
kadmin.local -r "$KDCTEST_REALM" -q "cpw -randkey host/localhost" >/dev/null 2>&1
cp "$T/tgt-only.ccache" "$T/tgt2.ccache"
serve_once stale -a "alice@$KDCTEST_REALM" -- "$T/marker.sh"
echo x | KRB5CCNAME=FILE:$T/tgt2.ccache "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "stale service key in the server keytab"
check_grep "refused authentication as host/localhost@GSSWRAP.TEST: authentication failed" "$T/err" "client reports the server's refusal"
check_grep "authentication failed: Key version is not available" "$T/err" "  with the Kerberos reason the server sent (KRB-ERROR)"
cp "$T/err" "$T/stale.err"
server_status; check_status 251 "$SERVER_STATUS" "gsswrapd refuses the ticket"
check_grep "authentication of client 127.0.0.1" "$T/stale.log" "server log names the client"
check_grep "not found in keytab" "$T/stale.log" "server log gives the Kerberos reason (kvno not in keytab)"
[ -e "$T/ran" ] && not_ok "program never started with a stale key" || ok "program never started with a stale key"

# KDC down, no cached service ticket.
"$REALM_TOOL" stop "$T/realm"
echo x | KRB5CCNAME=FILE:$T/tgt-only.ccache "$GSSWRAP" localhost "$MAIN_PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "KDC down"
check_grep "Cannot contact any KDC for realm 'GSSWRAP.TEST'" "$T/err" "KDC-down message names the realm"

done_testing
