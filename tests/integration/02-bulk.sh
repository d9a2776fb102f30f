#!/bin/sh
# 64 MiB of random data each way through the protected session, verified
# by SHA-256 on both sides.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
start_realm

SIZE=$((64 * 1024 * 1024))
head -c "$SIZE" /dev/urandom >"$T/up"
head -c "$SIZE" /dev/urandom >"$T/down"
up_sum=$(sha256sum <"$T/up" | cut -d' ' -f1)
down_sum=$(sha256sum <"$T/down" | cut -d' ' -f1)

# Echo: 64 MiB up and the same 64 MiB back down.
program echo.sh 'exec cat'
serve echo -a "alice@$KDCTEST_REALM" -- "$T/echo.sh"
{ "$GSSWRAP" localhost "$PORT" <"$T/up" 2>"$T/err"; echo $? >"$T/rc"; } | sha256sum | cut -d' ' -f1 >"$T/echo.sum"
check_status 0 "$(cat "$T/rc")" "64 MiB echo session"
check_grep "$up_sum" "$T/echo.sum" "64 MiB echoed intact (SHA-256)"
wait_for "outcome=" "$T/echo.log"
check_grep "bytes_in=$SIZE bytes_out=$SIZE " "$T/echo.log" "server counted 64 MiB each way"

# Independent directions: the program hashes what it receives while it
# sends its own 64 MiB.
program both.sh "cat $T/down &
sha256sum | cut -d' ' -f1 >$T/server.sum
wait"
serve both -a "alice@$KDCTEST_REALM" -- "$T/both.sh"
{ "$GSSWRAP" localhost "$PORT" <"$T/up" 2>"$T/err"; echo $? >"$T/rc"; } | sha256sum | cut -d' ' -f1 >"$T/client.sum"
check_status 0 "$(cat "$T/rc")" "64 MiB both ways at once"
check_grep "$down_sum" "$T/client.sum" "64 MiB server-to-client intact (SHA-256)"
wait_for "outcome=" "$T/both.log"
check_grep "$up_sum" "$T/server.sum" "64 MiB client-to-server intact (SHA-256)"
check_grep "outcome=ok" "$T/both.log" "server reports a clean session"

done_testing
