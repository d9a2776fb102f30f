#!/bin/sh
# Against a Heimdal KDC (kdc-test/heimdal, unpacked from Debian's packages
# beside MIT's): the core scenarios pass with MIT's client libraries, and a
# realm that issues RC4 or DES3 session keys is refused on both sides, with
# the enctype named, before anything runs.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
require apt-get dpkg
HEIMDAL=$top_srcdir/kdc-test/heimdal
HEIMDAL_ROOT=$top_builddir/kdc-test/heimdal-root
export HEIMDAL_ROOT
mkdir -p "$T/realm"
if ! "$HEIMDAL" start "$T/realm" >"$T/realm.out" 2>&1; then
	echo "Bail out! cannot start the Heimdal realm: $(cat "$T/realm.out")"
	exit 1
fi
trap '"$HEIMDAL" stop "$T/realm"; cleanup' EXIT
. "$T/realm/env"
R=$KDCTEST_REALM
program counted.sh "echo run >>'$T/runs'; echo \"peer=\$GSSWRAP_PEER\"; exec cat"

head -c 1048576 /dev/urandom >"$T/data"
serve echo -a "alice@$R" -- "$T/counted.sh"
"$GSSWRAP" localhost "$PORT" <"$T/data" >"$T/out" 2>"$T/err"
check_status 0 $? "a session through a Heimdal KDC's ticket"
check_grep "peer=alice@$R" "$T/out" "  the program sees alice@$R"
tail -c 1048576 "$T/out" >"$T/tail"
check_true "  1 MiB came back intact" cmp -s "$T/data" "$T/tail"
wait_for "session key aes256-cts-hmac-sha1-96" "$T/echo.log"
check_grep "session key aes256-cts-hmac-sha1-96" "$T/echo.log" "  with an AES session key"

echo x | KRB5CCNAME=$KDCTEST_BOB_CCACHE "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "bob, not in the policy, is refused"
check_grep "bob@$R" "$T/err" "  the refusal names him"

echo x | KRB5CCNAME=FILE:$T/none "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "no ticket at all"
check_grep "no usable Kerberos credentials" "$T/err" "  says so"

echo x | "$GSSWRAP" -D localhost "$PORT" >/dev/null 2>"$T/err"
check_status 0 $? "-D against a service Heimdal marks ok-as-delegate"

# weak CONF ENCTYPE NUMBER NAME: a client configured to ask for that
# session key gets it from Heimdal; gsswrap and gsswrapd both refuse.
weak() {
	rm -f "$T/runs"
	KRB5_CONFIG=$1 kinit -k -t "$KDCTEST_ALICE_KEYTAB" -c "FILE:$T/$2.ccache" alice \
	    >/dev/null 2>&1
	check_true "a $2 session key from Heimdal (klist)" sh -c \
	    "KRB5_CONFIG='$1' klist -e -c 'FILE:$T/$2.ccache' | grep -q 'skey, tkt.*$4'"
	serve_once "$2" -a "alice@$R" -- "$T/counted.sh"
	echo x | KRB5_CONFIG=$1 "$GSSWRAP" -c "FILE:$T/$2.ccache" localhost "$PORT" \
	    >"$T/out" 2>"$T/err"
	check_status 251 $? "  the client refuses the $2 session key"
	check_grep "session key enctype $3 ($4) is not allowed" "$T/err" "  naming the enctype"
	server_status
	check_status 251 "$SERVER_STATUS" "  the server refuses it too"
	check_grep "session key enctype $3 ($4) is not allowed" "$T/$2.log" "  and logs why"
	check_true "  the program never ran" test ! -e "$T/runs"
}
weak "$KDCTEST_WEAK_RC4_CONF" rc4 23 arcfour-hmac
weak "$KDCTEST_WEAK_DES3_CONF" des3 16 des3-cbc-sha1

done_testing
