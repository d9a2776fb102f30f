#!/bin/sh
# Cross-realm: two MIT KDCs, A.TEST trusts B.TEST through krbtgt/B.TEST@A.TEST
# ([capaths]); alice@A.TEST reaches host/localhost@B.TEST. Principals from
# another realm are refused unless a policy entry names them or their realm.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/lib.sh"

for r in a b; do
	mkdir -p "$T/$r"
	R=$(echo "$r" | tr a-z A-Z).TEST
	if ! KDC_REALM=$R "$REALM_TOOL" start "$T/$r" >"$T/$r.out" 2>&1; then
		echo "Bail out! realm $R: $(cat "$T/$r.out")"
		exit 1
	fi
	KRB5_CONFIG=$T/$r/krb5.conf KRB5_KDC_PROFILE=$T/$r/kdc.conf \
	    kadmin.local -r "$R" -q "addprinc -pw cross-pw krbtgt/B.TEST@A.TEST" \
	    >>"$T/$r.out" 2>&1
done
# realm stop for both at exit (the lib stops $T/realm only).
trap '"$REALM_TOOL" stop "$T/a"; "$REALM_TOOL" stop "$T/b"; cleanup' EXIT
# conf FILE PATH: a krb5.conf knowing both realms, [capaths] A -> B via PATH.
conf() {
	realms_conf "$1" B.TEST "$T/a" "$T/b"
	printf '[capaths]\n\tA.TEST = {\n\t\tB.TEST = %s\n\t}\n\tB.TEST = {\n\t\tA.TEST = .\n\t}\n' "$2" >>"$1"
}
conf "$T/both.conf" .

export KRB5_CONFIG="$T/both.conf" KRB5RCACHEDIR="$T/b/rcache"
export KRB5_KTNAME="FILE:$T/b/service.keytab"
unset KRB5_KDC_PROFILE
ALICE_A=FILE:$T/a/alice.ccache
program who.sh 'echo "peer=$GSSWRAP_PEER service=$GSSWRAP_SERVICE"; exec cat'

# attempt NAME EXPECTED-STATUS GSSWRAPD-POLICY...
attempt() {
	name=$1 want=$2
	shift 2
	cp "$T/a/alice.ccache" "$T/$name.ccache"
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

done_testing
