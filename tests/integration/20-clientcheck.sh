#!/bin/sh
# gsswrap --check: each step reported, each failure with a hint, and the
# probe starts no program on the server.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
start_realm

program marker.sh "touch $T/ran; exec cat"
serve probe -a "alice@$KDCTEST_REALM" -- "$T/marker.sh"

"$GSSWRAP" --check localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "--check against a working server"
check_grep "ok   target principal host/localhost@GSSWRAP.TEST" "$T/out" "target principal shown"
check_grep "ok   client principal alice@GSSWRAP.TEST" "$T/out" "client principal shown"
check_grep "ok   TGT valid until" "$T/out" "TGT lifetime shown"
check_grep "ok   service ticket, session key $KDCTEST_ENCTYPE" "$T/out" "service ticket enctype shown"
check_grep "speaks gsswrap protocol 1; mutual authentication as host/localhost@GSSWRAP.TEST succeeded; we are authorized" "$T/out" "server answers and authorizes"
wait_for 'reason="probe"' "$T/probe.log"
check_grep 'outcome=ok' "$T/probe.log" "the probe is logged by the server"
[ -e "$T/ran" ] && not_ok "the probe starts no program" || ok "the probe starts no program"

KRB5CCNAME=$KDCTEST_BOB_CCACHE "$GSSWRAP" --check localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "--check as an unauthorized principal"
check_grep "hint: authentication or authorization was refused" "$T/out" "hint for a refusal"
check_grep "not authorized: principal bob@GSSWRAP.TEST" "$T/err" "the server's reason"

"$GSSWRAP" --check -s nosuch localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "--check with an unknown service"
check_grep "FAIL service ticket: Server nosuch/localhost@GSSWRAP.TEST not found in Kerberos database" "$T/out" "the KDC's answer"
check_grep "hint: the KDC has no such service principal" "$T/out" "hint for an unknown service"

KRB5CCNAME=FILE:$T/none "$GSSWRAP" --check localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "--check without a ticket"
check_grep "hint: no ticket: run kinit" "$T/out" "hint to run kinit"

DOWN=$(free_port)
"$GSSWRAP" --check localhost "$DOWN" >"$T/out" 2>"$T/err"
check_status 254 $? "--check with nothing listening"
check_grep "hint: the server cannot be reached" "$T/out" "hint for an unreachable server"

"$REALM_TOOL" stop "$T/realm"
KRB5CCNAME=FILE:$T/tgt-only.ccache "$GSSWRAP" --check localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "--check with the KDC down"
check_grep "hint: the KDC cannot be reached" "$T/out" "hint for an unreachable KDC"

done_testing
