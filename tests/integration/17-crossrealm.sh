#!/bin/sh
# Cross-realm: MIT KDCs for A.TEST and B.TEST.EVIL, both trusted by B.TEST
# (krbtgt/B.TEST@A.TEST, krbtgt/B.TEST@B.TEST.EVIL, [capaths]); alice@A.TEST
# reaches host/localhost@B.TEST. Principals from another realm are refused
# unless a policy entry names them or their realm. A principal of
# B.TEST.EVIL so long that a 512-byte buffer would cut it to "...@B.TEST"
# is judged whole, in its own realm.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"

# realm stop for all at exit (the lib stops $T/realm only).
trap 'for r in a b e; do "$REALM_TOOL" stop "$T/$r"; done; cleanup' EXIT
for r in a b e; do
	mkdir -p "$T/$r"
	case $r in
	e) R=B.TEST.EVIL ;;
	*) R=$(echo "$r" | tr a-z A-Z).TEST ;;
	esac
	if ! KDC_REALM=$R "$REALM_TOOL" start "$T/$r" >"$T/$r.out" 2>&1; then
		echo "Bail out! realm $R: $(cat "$T/$r.out")"
		exit 1
	fi
	for tgt in krbtgt/B.TEST@A.TEST krbtgt/B.TEST@B.TEST.EVIL; do
		KRB5_CONFIG=$T/$r/krb5.conf KRB5_KDC_PROFILE=$T/$r/kdc.conf \
		    kadmin.local -r "$R" -q "addprinc -pw cross-pw $tgt" \
		    >>"$T/$r.out" 2>&1
	done
done
# conf FILE PATH: a krb5.conf knowing the realms, [capaths] A -> B via PATH.
conf() {
	realms_conf "$1" B.TEST "$T/a" "$T/b" "$T/e"
	printf '[capaths]\n\tA.TEST = {\n\t\tB.TEST = %s\n\t}\n\tB.TEST = {\n\t\tA.TEST = .\n\t}\n' "$2" >>"$1"
	printf '\tB.TEST.EVIL = {\n\t\tB.TEST = .\n\t}\n' >>"$1"
}
conf "$T/both.conf" .

export KRB5_CONFIG="$T/both.conf" KRB5RCACHEDIR="$T/b/rcache"
export KRB5_KTNAME="FILE:$T/b/service.keytab"
unset KRB5_KDC_PROFILE
ALICE_A=FILE:$T/a/alice.ccache
program who.sh 'echo "peer=$GSSWRAP_PEER service=$GSSWRAP_SERVICE"; exec cat'

# attempt NAME EXPECTED-STATUS GSSWRAPD-POLICY...: a session with the
# tickets in $FROM (alice@A.TEST's by default).
FROM=$T/a/alice.ccache
attempt() {
	name=$1 want=$2
	shift 2
	cp "$FROM" "$T/$name.ccache"
	serve_once "$name" "$@" -- "$T/who.sh"
	echo x | KRB5CCNAME=FILE:$T/$name.ccache "$GSSWRAP" localhost "$PORT" >"$T/$name.out" 2>"$T/$name.err"
	check_status "$want" $? "$name"
	server_status
}

attempt own-realm-only 251 -a "*@B.TEST"
check_grep "principal alice@A.TEST is not authorized for host/localhost@B.TEST" "$T/own-realm-only.err" "cross-realm principal refused by a realm wildcard for the service's realm"
attempt allow-any 251 --allow-any
check_grep "principal alice@A.TEST is not authorized" "$T/allow-any.err" "--allow-any does not admit another realm"
attempt named 0 -a "alice@A.TEST"
check_grep "peer=alice@A.TEST service=host/localhost@B.TEST" "$T/named.out" "an explicit entry admits the cross-realm principal"
printf '*@A.TEST\n' >"$T/acl"
attempt realm-acl 0 -A "$T/acl"
check_grep "peer=alice@A.TEST" "$T/realm-acl.out" "an ACL realm entry admits the other realm"

# A principal of B.TEST.EVIL of 516 bytes, whose first 511 are
# "m...m@B.TEST": what a truncating 512-byte buffer made of it.
LONG=$(printf '%504s' "" | tr ' ' m)@B.TEST.EVIL
KRB5_CONFIG=$T/e/krb5.conf KRB5_KDC_PROFILE=$T/e/kdc.conf kadmin.local \
    -r B.TEST.EVIL -q "addprinc -randkey $LONG" >>"$T/e.out" 2>&1
KRB5_CONFIG=$T/e/krb5.conf KRB5_KDC_PROFILE=$T/e/kdc.conf kadmin.local \
    -r B.TEST.EVIL -q "ktadd -k $T/long.keytab $LONG" >>"$T/e.out" 2>&1
FROM=$T/long.ccache
kinit -k -t "$T/long.keytab" -c "FILE:$FROM" "$LONG" >>"$T/e.out" 2>&1
check_true "a ${#LONG}-byte principal of B.TEST.EVIL has a ticket" \
    klist -c "FILE:$FROM"
attempt long-allow-any 251 --allow-any
check_grep "principal $LONG is not authorized for host/localhost@B.TEST" \
    "$T/long-allow-any.err" "  --allow-any does not admit it, naming it whole"
check_grep "refusing $LONG from" "$T/long-allow-any.log" "  the server log names it whole"
attempt long-denied 251 -a "*@B.TEST" -a "!*@B.TEST.EVIL"
check_grep "principal $LONG is not authorized" "$T/long-denied.err" \
    "  nor does *@B.TEST with !*@B.TEST.EVIL"
attempt long-own-realm 0 -a "*@B.TEST.EVIL"
check_grep "peer=$LONG service=host/localhost@B.TEST" "$T/long-own-realm.out" \
    "  *@B.TEST.EVIL admits it, and the program gets the whole name"
check_grep "session peer=\"$LONG\"" "$T/long-own-realm.log" \
    "  the session line has the whole name"

done_testing
