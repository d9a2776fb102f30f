#!/bin/sh
# gsswrapd --check: the keytab entries the acceptor would use, and whether
# they decrypt the tickets the KDC issues for them.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
start_realm

"$GSSWRAPD" --check -k "$KDCTEST_SERVICE_KEYTAB" >"$T/out" 2>"$T/err"
check_status 0 $? "--check with a good keytab"
check_grep "acceptor host/*:" "$T/out" "names the acceptor"
check_grep "host/localhost@GSSWRAP.TEST  kvno 2  $KDCTEST_ENCTYPE" "$T/out" "lists the entry with kvno and enctype"
check_grep "KDC check, as alice@GSSWRAP.TEST:" "$T/out" "checks against the KDC with the user's ticket"
check_grep "KDC ticket kvno 2 $KDCTEST_ENCTYPE: the keytab decrypts it" "$T/out" "the KDC's ticket decrypts"

"$GSSWRAPD" --check -p "host/localhost@$KDCTEST_REALM" >"$T/out" 2>"$T/err"
check_status 0 $? "--check -p with the default keytab (KRB5_KTNAME)"

KRB5CCNAME=FILE:$T/none "$GSSWRAPD" --check >"$T/out" 2>"$T/err"
check_status 0 $? "--check without a ticket"
check_grep "KDC check skipped: no ticket" "$T/out" "says the KDC check was skipped"

"$GSSWRAPD" --check -s nosuch >"$T/out" 2>"$T/err"
check_status 250 $? "--check for a service without keys"
check_grep "no key for this acceptor" "$T/out" "says there is no key"

"$GSSWRAPD" --check -k "$T/missing.keytab" >"$T/out" 2>"$T/err"
check_status 250 $? "--check with a missing keytab"
check_grep "cannot read keytab FILE:$T/missing.keytab" "$T/err" "names the keytab"

kadmin.local -r "$KDCTEST_REALM" -q "cpw -randkey host/localhost" >/dev/null 2>&1
KRB5CCNAME=FILE:$T/tgt-only.ccache "$GSSWRAPD" --check >"$T/out" 2>"$T/err"
check_status 251 $? "--check with a stale keytab"
check_grep "KDC ticket kvno 3 $KDCTEST_ENCTYPE: the keytab cannot decrypt it" "$T/out" "shows the kvno mismatch"

done_testing
