#!/bin/sh
# Sessions in realms whose keys use each supported enctype family:
# aes256-sha1, aes128-sha1, aes256-sha384, aes128-sha256, camellia256.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/lib.sh"

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

done_testing
