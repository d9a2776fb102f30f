#!/bin/sh
# A cross-realm path through a third realm: alice@A.TEST reaches
# host/localhost@B.TEST through C.TEST (krbtgt/C.TEST@A.TEST, then
# krbtgt/B.TEST@C.TEST; no direct trust). Only [capaths] makes the client
# take that path, and B.TEST's KDC refuses the transited realm until its
# own [capaths] names it.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"

for r in a b c; do
	mkdir -p "$T/$r"
	R=$(echo "$r" | tr a-z A-Z).TEST
	if ! KDC_REALM=$R "$REALM_TOOL" start "$T/$r" >"$T/$r.out" 2>&1; then
		echo "Bail out! realm $R: $(cat "$T/$r.out")"
		exit 1
	fi
done
trap 'for r in a b c; do "$REALM_TOOL" stop "$T/$r"; done; cleanup' EXIT

# key REALM PRINCIPAL: the shared cross-realm key, in REALM's database.
key() {
	KRB5_CONFIG=$T/$1/krb5.conf KRB5_KDC_PROFILE=$T/$1/kdc.conf \
	    kadmin.local -r "$(echo "$1" | tr a-z A-Z).TEST" \
	    -q "addprinc -pw transit-pw $2" >>"$T/keys.log" 2>&1
}
key a krbtgt/C.TEST@A.TEST
key c krbtgt/C.TEST@A.TEST
key c krbtgt/B.TEST@C.TEST
key b krbtgt/B.TEST@C.TEST

# conf FILE [capaths]: a krb5.conf knowing the three realms.
conf() {
	realms_conf "$1" B.TEST "$T/a" "$T/b" "$T/c"
	if [ "${2:-}" = capaths ]; then
		printf '[capaths]\n\tA.TEST = {\n\t\tB.TEST = C.TEST\n\t}\n' >>"$1"
		printf '\tB.TEST = {\n\t\tA.TEST = C.TEST\n\t}\n' >>"$1"
	fi
}
conf "$T/transit.conf" capaths
conf "$T/plain.conf"

export KRB5RCACHEDIR="$T/b/rcache"
unset KRB5_KDC_PROFILE
program who.sh 'echo "peer=$GSSWRAP_PEER service=$GSSWRAP_SERVICE"; exec cat'

# attempt NAME CLIENT-CONF SERVER-CONF: alice@A.TEST (her TGT only) to
# host/localhost@B.TEST, which allows her by name.
attempt() {
	cp "$T/a/alice.ccache" "$T/$1.ccache"
	KRB5_CONFIG=$3 KRB5_KTNAME="FILE:$T/b/service.keytab" \
	    serve_once "$1" -a "alice@A.TEST" -- "$T/who.sh"
	echo x | KRB5_CONFIG=$2 KRB5CCNAME="FILE:$T/$1.ccache" \
	    "$GSSWRAP" localhost "$PORT" >"$T/$1.out" 2>"$T/$1.err"
	ATTEMPT_STATUS=$?
	server_status
}

# B's KDC has not been told about the path through C.TEST yet.
attempt untrusted "$T/transit.conf" "$T/transit.conf"
check_status 251 "$ATTEMPT_STATUS" "B.TEST's KDC refuses a transit path it was not told about"
check_grep "KDC policy rejects request" "$T/untrusted.err" "  the client's message gives the KDC's reason"
check_grep "host/localhost@B.TEST" "$T/untrusted.err" "  and names the service"
check_grep "bad realm transit path" "$T/b/kdc.log" "  B.TEST's KDC logs the bad transit"

# Now it is (MIT's KDC re-reads its krb5.conf when it changes).
printf '[capaths]\n\tA.TEST = {\n\t\tB.TEST = C.TEST\n\t}\n' >>"$T/b/krb5.conf"
sleep 1.1
attempt transit "$T/transit.conf" "$T/transit.conf"
check_status 0 "$ATTEMPT_STATUS" "alice@A.TEST reaches B.TEST through C.TEST with [capaths]"
check_grep "peer=alice@A.TEST service=host/localhost@B.TEST" "$T/transit.out" \
    "  the program sees the cross-realm principal"
check_true "  the ticket came through C.TEST (krbtgt/B.TEST@C.TEST in the cache)" \
    sh -c "KRB5_CONFIG='$T/transit.conf' klist -c 'FILE:$T/transit.ccache' | grep -q 'krbtgt/B.TEST@C.TEST'"

attempt nopath "$T/plain.conf" "$T/transit.conf"
check_status 251 "$ATTEMPT_STATUS" "without [capaths] the client finds no path"
check_grep "host/localhost@B.TEST" "$T/nopath.err" "  the error names the service"
check_grep "Server krbtgt/B.TEST@A.TEST not found" "$T/nopath.err" \
    "  and the direct trust it looked for instead"

done_testing
