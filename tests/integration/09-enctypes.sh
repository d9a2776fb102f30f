#!/bin/sh
# Sessions in realms whose keys use each supported enctype family:
# aes256-sha1, aes128-sha1, aes256-sha384, aes128-sha256, camellia256; then
# tickets whose session key is weaker than the acceptor subkey negotiated
# under it (RFC 4537): RC4 and DES3 are refused on both sides, aes128
# under aes256 is accepted with both keys logged.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"

head -c 1048576 /dev/urandom >"$T/data"
for et in aes256-sha1 aes128-sha1 aes256-sha384 aes128-sha256 camellia256; do
	mkdir -p "$T/$et"
	if ! KDC_ENCTYPE=$et "$REALM_TOOL" start "$T/$et" >"$T/$et.out" 2>&1; then
		not_ok "$et: realm starts ($(cat "$T/$et.out"))"
		continue
	fi
	(
		. "$T/$et/env"
		serve_once "$et" -a "alice@$KDCTEST_REALM" -- cat
		"$GSSWRAP" localhost "$PORT" <"$T/data" >"$T/$et.data" 2>"$T/$et.err"
		check_status 0 $? "$et: session"
		check_true "$et: 1 MiB echoed intact" cmp -s "$T/data" "$T/$et.data"
		check_true "$et: the ticket really uses $KDCTEST_ENCTYPE" \
		    sh -c "klist -e | grep host/localhost -A1 | grep -q '$KDCTEST_ENCTYPE'"
		server_status
		check_status 0 "$SERVER_STATUS" "$et: server side"
		echo "$tap_n $tap_failed" >"$T/counts"
	)
	read -r tap_n tap_failed <"$T/counts"
	"$REALM_TOOL" stop "$T/$et"
done

# A realm that also permits aes128, RC4 and DES3 session keys; the service
# key stays KDC_ENCTYPE (aes256-sha1 by default). Clients list that first,
# so the acceptor answers their RFC 4537 enctype list with a subkey of that
# type whatever the ticket's session key is (the host/localhost
# session_enctypes attribute).
mkdir -p "$T/mixed"
if ! KDC_EXTRA_ENCTYPES="aes128-cts-hmac-sha1-96 arcfour-hmac des3-cbc-sha1" \
    "$REALM_TOOL" start "$T/mixed" >"$T/mixed.out" 2>&1; then
	echo "Bail out! mixed realm: $(cat "$T/mixed.out")"
	exit 1
fi
trap '"$REALM_TOOL" stop "$T/mixed"; cleanup' EXIT
. "$T/mixed/env"
SUB=$KDCTEST_ENCTYPE
program counted.sh "echo run >>'$T/runs'; exec cat"

# ticket_key ENCTYPE: alice's next host/localhost ticket has an ENCTYPE
# session key; CC names a fresh ccache holding her TGT.
ticket_key() {
	kadmin.local -r "$KDCTEST_REALM" -q \
	    "setstr host/localhost session_enctypes $1" >/dev/null 2>&1
	CC=FILE:$T/mixed-$1.ccache
	kinit -k -t "$KDCTEST_ALICE_KEYTAB" -c "$CC" alice >/dev/null 2>&1
}

# weak ENCTYPE NUMBER: a ticket with that session key behind a subkey of SUB
# is refused by the client and by the server, naming both.
weak() {
	ticket_key "$1"
	rm -f "$T/runs"
	serve_once "weak-$1" -a "alice@$KDCTEST_REALM" -- "$T/counted.sh"
	echo x | "$GSSWRAP" -c "$CC" localhost "$PORT" >"$T/out" 2>"$T/err"
	check_status 251 $? "$1 ticket session key behind a subkey of $SUB: the client refuses"
	check_true "  the ticket's session key really is $1 (klist)" sh -c \
	    "klist -e -c '$CC' | grep -A1 host/localhost | grep -q 'skey, tkt.*$1'"
	msg="ticket session key enctype $2 ($1) is not allowed, even with an acceptor subkey of $SUB"
	check_grep "$msg" "$T/err" "  naming the ticket's enctype and the subkey's"
	server_status
	check_status 251 "$SERVER_STATUS" "  the server refuses it too"
	check_grep "$msg" "$T/weak-$1.log" "  and logs both enctypes"
	check_true "  the program never ran" test ! -e "$T/runs"
}
weak arcfour-hmac 23
weak des3-cbc-sha1 16

ticket_key aes128-cts-hmac-sha1-96
serve_once aes128 -a "alice@$KDCTEST_REALM" -- cat
echo x | "$GSSWRAP" -v -c "$CC" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "an aes128 ticket session key behind a subkey of $SUB is accepted"
msg="session key $SUB (acceptor subkey), ticket session key aes128-cts-hmac-sha1-96"
check_grep "$msg" "$T/err" "  the client logs both keys"
server_status
check_status 0 "$SERVER_STATUS" "  server side"
check_grep "$msg" "$T/aes128.log" "  the server logs both keys"

done_testing
