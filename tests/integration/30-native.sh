#!/bin/sh
# Native record protection (protect.h, --crypto): the interop matrix of
# native and GSS-API clients and servers over the network, with -v naming
# the choice; tests/crypto-diff (native against MIT's gss_wrap/gss_unwrap)
# in a realm of each native enctype; camellia, which has no native
# implementation, falls back to GSS-API under auto and is refused under
# native.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
start_realm

DIFF_ETS="aes128-sha1 aes256-sha1 aes128-sha256 aes256-sha384"
stop_realms() {
	for d in $DIFF_ETS camellia256; do
		[ -e "$T/$d/env" ] && "$REALM_TOOL" stop "$T/$d"
	done
	cleanup
}
trap stop_realms EXIT

# --- The matrix, in this scenario's realm (KDC_ENCTYPE). ----------------
head -c 1048576 /dev/urandom >"$T/data"
want=$(sha256sum <"$T/data" | cut -c1-64)
program sum.sh 'sha256sum | cut -c1-64'
case ${KDC_ENCTYPE:-aes256-sha1} in
aes*) native=yes ;;
*) native=no ;;
esac
label() {
	if [ "$1" = native ]; then echo "native ("; else echo "GSS-API"; fi
}
for srv in native gss; do
	for cli in native gss; do
		if [ $native = no ] && [ "$srv$cli" != gssgss ]; then
			skip_point "server $srv, client $cli" "no native enctype in this realm"
			continue
		fi
		serve_once "m-$srv-$cli" --crypto=$srv -a "alice@$KDCTEST_REALM" -- "$T/sum.sh"
		"$GSSWRAP" -v --crypto=$cli localhost "$PORT" <"$T/data" >"$T/m.out" 2>"$T/m.err"
		check_status 0 $? "server --crypto=$srv, client --crypto=$cli: 1 MiB"
		server_status
		check_true "  the server's program got every byte" test "$(cat "$T/m.out")" = "$want"
		check_grep "record protection with localhost port $PORT: $(label $cli)" "$T/m.err" "  the client says $(label $cli)"
		check_grep ": $(label $srv)" "$T/m-$srv-$cli.log" "  the server says $(label $srv)"
	done
done

# One-pass protection (kstitch.h) for the RFC 3962 enctypes, where the CPU
# has AES-NI and SHA-NI (valgrind hides SHA-NI from the programs it runs);
# OpenSSL otherwise.
onepass=no
case ${KDC_ENCTYPE:-aes256-sha1} in
aes*-sha1) grep -qw sha_ni /proc/cpuinfo && grep -qw aes /proc/cpuinfo && onepass=yes ;;
esac
if [ $native = no ] || under_valgrind; then
	skip_point "one-pass protection named by -v" "no native enctype, or under valgrind"
else
	serve_once onepass --crypto=native -a "alice@$KDCTEST_REALM" -- "$T/sum.sh"
	"$GSSWRAP" -v --crypto=native localhost "$PORT" <"$T/data" >"$T/m.out" 2>"$T/m.err"
	server_status
	if [ $onepass = yes ]; then
		check_grep "native (AES-NI and SHA-NI, one pass)" "$T/m.err" \
		    "the client works in one pass (${KDC_ENCTYPE:-aes256-sha1}, CPU with AES-NI and SHA-NI)"
	else
		check_grep "native (OpenSSL)" "$T/m.err" \
		    "the client uses OpenSSL (${KDC_ENCTYPE:-aes256-sha1}, or a CPU without SHA-NI)"
	fi
	check_true "  and the session is intact" test "$(cat "$T/m.out")" = "$want"
fi

"$GSSWRAP" --crypto=fast localhost 1 </dev/null >/dev/null 2>"$T/err"
check_status 250 $? "client: an unknown --crypto mode"
check_grep "--crypto fast: not one of auto, native, gss" "$T/err" "  names the modes"
"$GSSWRAPD" --crypto=fast -a "alice@$KDCTEST_REALM" -- cat </dev/null >/dev/null 2>"$T/err"
check_status 250 $? "server: an unknown --crypto mode"
check_grep "--crypto fast: not one of auto, native, gss" "$T/err" "  names the modes"

# --- Native against MIT, in a realm of each native enctype. -------------
for et in $DIFF_ETS; do
	mkdir -p "$T/$et"
	if ! KDC_ENCTYPE=$et "$REALM_TOOL" start "$T/$et" >"$T/$et.out" 2>&1; then
		echo "Bail out! realm with $et: $(cat "$T/$et.out")"
		exit 1
	fi
	(. "$T/$et/env" && "$top_builddir/tests/crypto-diff") >"$T/$et.diff" 2>&1
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "$et: ${line#ok }" ;;
		"not ok "*) not_ok "$et: ${line#not ok }" ;;
		esac
	done <"$T/$et.diff"
	check_status 0 $rc "$et: crypto-diff"
	grep -q "^ok " "$T/$et.diff" || sed 's/^/#   /' "$T/$et.diff"
done

# --- camellia256-cts-cmac: no native implementation. ---------------------
mkdir -p "$T/camellia256"
if ! KDC_ENCTYPE=camellia256 "$REALM_TOOL" start "$T/camellia256" >"$T/cam.out" 2>&1; then
	echo "Bail out! camellia realm: $(cat "$T/cam.out")"
	exit 1
fi
. "$T/camellia256/env"
serve_once cam-auto -a "alice@$KDCTEST_REALM" -- "$T/sum.sh"
"$GSSWRAP" -v localhost "$PORT" <"$T/data" >"$T/m.out" 2>"$T/m.err"
check_status 0 $? "camellia256, auto on both sides"
server_status
check_true "  every byte arrived" test "$(cat "$T/m.out")" = "$want"
check_grep "GSS-API (gss_wrap_iov): camellia256-cts-cmac has no native implementation" "$T/m.err" "  the client says GSS-API, and why"
check_grep "GSS-API (gss_wrap_iov): camellia256-cts-cmac" "$T/cam-auto.log" "  so does the server"

serve_once cam-cli -a "alice@$KDCTEST_REALM" -- "$T/sum.sh"
"$GSSWRAP" --crypto=native localhost "$PORT" <"$T/data" >"$T/m.out" 2>"$T/m.err"
check_status 254 $? "camellia256, client --crypto=native"
check_grep "native record protection with localhost port $PORT is not possible: camellia256-cts-cmac has no native implementation" "$T/m.err" "  the client says why"
server_status
check_grep "ended the session: service unavailable: native record protection is required and not possible: camellia256-cts-cmac" "$T/cam-cli.log" "  and tells the server, whose log says it"
check_grep 'outcome=failed bytes_in=0 bytes_out=0 duration=' "$T/cam-cli.log" "  its session summary says the session failed"
check_grep 'reason="aborted by peer"' "$T/cam-cli.log" "  because the client ended it"
check_true "  the program got nothing" test ! -s "$T/m.out"

serve_once cam-srv --crypto=native -a "alice@$KDCTEST_REALM" -- "$T/sum.sh"
"$GSSWRAP" localhost "$PORT" <"$T/data" >"$T/m.out" 2>"$T/m.err"
rc=$?
server_status
check_status 254 "$SERVER_STATUS" "camellia256, server --crypto=native"
check_grep "is not possible: camellia256-cts-cmac has no native implementation" "$T/cam-srv.log" "  the server log says why"
check_grep 'reason="record protection failed"' "$T/cam-srv.log" "  its session summary says what failed"
check_status 254 "$rc" "  the client is told, and fails"
check_grep "ended the session: service unavailable: native record protection is required and not possible: camellia256-cts-cmac has no native implementation" "$T/m.err" "  with the server's reason"
check_true "  the program never ran" test ! -s "$T/m.out"

done_testing
