#!/bin/sh
# Delegation: with gsswrapd --delegation and gsswrap -D the program finds
# the client's forwarded TGT in a private ccache (KRB5CCNAME), usable and
# removed when the session ends; without --delegation, or without -D, or
# when the service is not ok-as-delegate, nothing is stored.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
start_realm

# A private TMPDIR: gsswrapd makes its ccache directories there, and other
# scenarios running in parallel cannot add to the count below.
TMPDIR=$T/tmp
export TMPDIR
mkdir -m 700 "$TMPDIR"

program klist.sh 'echo "ccname=${KRB5CCNAME:-none}"
if [ -n "${KRB5CCNAME:-}" ]; then
	f=${KRB5CCNAME#FILE:}
	echo "mode=$(stat -c %a "$f") owner=$(stat -c %U "$f") dirmode=$(stat -c %a "$(dirname "$f")")"
	klist | sed "s/^/klist: /"
	kvno "host/localhost@GSSWRAP.TEST" >/dev/null 2>&1 && echo "tgt-usable"
fi
exec cat'

serve_once deleg --delegation -a "alice@$KDCTEST_REALM" -- "$T/klist.sh"
echo x | "$GSSWRAP" -D localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "session with -D and --delegation"
check_grep "klist: Default principal: alice@GSSWRAP.TEST" "$T/out" "the program sees alice's credentials"
check_grep "krbtgt/GSSWRAP.TEST@GSSWRAP.TEST" "$T/out" "a forwarded TGT is in the ccache"
check_grep "tgt-usable" "$T/out" "the program can get service tickets with it"
check_grep "mode=600 owner=$(id -un) dirmode=700" "$T/out" "ccache and its directory are private"
cc=$(sed -n 's/^ccname=FILE://p' "$T/out")
server_status
check_true "the ccache directory is made under TMPDIR" test "$(dirname "$(dirname "$cc")")" = "$TMPDIR"
check_true "the ccache is removed when the session ends" test ! -e "$cc" -a ! -e "$(dirname "$cc")"
check_grep "delegated=yes" "$T/deleg.log" "log line says delegated"

# The client does not ask: nothing to store.
serve_once nod --delegation -a "alice@$KDCTEST_REALM" -- "$T/klist.sh"
echo x | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "--delegation, client without -D"
check_grep "ccname=none" "$T/out" "no KRB5CCNAME without -D"
server_status
check_grep "delegated=no" "$T/nod.log" "log line says not delegated"

# The server does not accept delegation: discarded.
serve_once nodeleg -a "alice@$KDCTEST_REALM" -- "$T/klist.sh"
echo x | "$GSSWRAP" -D localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "-D against a server without --delegation"
check_grep "ccname=none" "$T/out" "delegated credentials discarded"
server_status

# The service is not ok-as-delegate: -D forwards nothing.
kadmin.local -r "$KDCTEST_REALM" -q "modprinc -ok_as_delegate host/localhost" >/dev/null 2>&1
cp "$T/tgt-only.ccache" "$T/fresh.ccache"
serve_once policy --delegation -a "alice@$KDCTEST_REALM" -- "$T/klist.sh"
echo x | KRB5CCNAME=FILE:$T/fresh.ccache "$GSSWRAP" -D localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "-D with a service that is not ok-as-delegate"
check_grep "ccname=none" "$T/out" "ok-as-delegate policy respected"
server_status

# An unauthorized client's delegation is never stored.
kadmin.local -r "$KDCTEST_REALM" -q "modprinc +ok_as_delegate host/localhost" >/dev/null 2>&1
before=$(ls -d "$TMPDIR"/gsswrap-deleg-* 2>/dev/null | wc -l)
serve_once unauth --delegation -a "alice@$KDCTEST_REALM" -- "$T/klist.sh"
echo x | KRB5CCNAME=$KDCTEST_BOB_CCACHE "$GSSWRAP" -D localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "unauthorized client with -D refused"
server_status
after=$(ls -d "$TMPDIR"/gsswrap-deleg-* 2>/dev/null | wc -l)
check_true "no ccache created for an unauthorized client" test "$before" = "$after"

"$GSSWRAPD" --delegation -a "alice@$KDCTEST_REALM" -c 127.0.0.1:1 </dev/null >/dev/null 2>"$T/err"
check_status 250 $? "--delegation with -c refused"

done_testing
