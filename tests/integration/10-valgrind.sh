#!/bin/sh
# Memory hygiene of both programs under valgrind memcheck: no invalid
# accesses, no definite leaks, on a clean session, a refusal and a
# protocol violation. (Skipped in sanitizer builds: ASan and valgrind
# do not mix.)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
require valgrind python3
if grep -q __asan_init "$GSSWRAP" 2>/dev/null; then
	echo "1..0 # SKIP sanitizer build"
	exit 0
fi
if under_valgrind; then
	echo "1..0 # SKIP every scenario runs under valgrind already"
	exit 0
fi
start_realm

VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --track-fds=no"
head -c 1048576 /dev/urandom >"$T/data"

# vg_server NAME ARGS...: one gsswrapd under valgrind, log in $T/NAME.vg.
vg_server() {
	name=$1
	shift
	SERVER_WRAPPER="$VG --log-file=$T/$name.vg " serve_once "$name" "$@"
}

# check_vg NAME STATUS DESCRIPTION: valgrind found nothing (99 = found).
# (Its notes about system calls it does not know, such as pidfd_open, for
# which gsswrapd has a fallback, are not findings.)
check_vg() {
	if [ "$2" -ne 99 ] && ! grep -Eq "Invalid|uninitialised|definitely lost|Mismatched|overlap|ERROR SUMMARY: [1-9]" "$T/$1.vg"; then
		ok "$3: valgrind clean"
	else
		not_ok "$3: valgrind reports problems"
		sed 's/^/#   /' "$T/$1.vg" | head -40
	fi
}

vg_server clean -a "alice@$KDCTEST_REALM" -- cat
$VG --log-file="$T/client.vg" "$GSSWRAP" localhost "$PORT" <"$T/data" >"$T/out" 2>"$T/err"
st=$?
check_status 0 $st "clean session under valgrind"
check_vg client $st "client, clean session"
check_true "data intact under valgrind" cmp -s "$T/data" "$T/out"
server_status
check_status 0 "$SERVER_STATUS" "server under valgrind, clean session"
check_vg clean "$SERVER_STATUS" "server, clean session"

vg_server refuse -a "alice@$KDCTEST_REALM" -- cat
echo x | KRB5CCNAME=$KDCTEST_BOB_CCACHE $VG --log-file="$T/client2.vg" "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
st=$?
check_status 251 $st "refusal under valgrind"
check_vg client2 $st "client, refusal"
server_status
check_status 251 "$SERVER_STATUS" "server refusal under valgrind"
check_vg refuse "$SERVER_STATUS" "server, refusal"

printf 'GET / HTTP/1.0\r\n\r\n' >"$T/http"
vg_server garbage -a "alice@$KDCTEST_REALM" -- cat
socat -t 3 - "TCP:127.0.0.1:$PORT" <"$T/http" >/dev/null 2>&1
server_status
check_status 252 "$SERVER_STATUS" "server, garbage client under valgrind"
check_vg garbage "$SERVER_STATUS" "server, garbage client"

# gsswrap run: the agent and its per-connection processes (followed across
# fork; CMD itself, exec'd, is not traced), a session and a refusal.
serve echo -a "alice@$KDCTEST_REALM" -- cat
$VG --log-file="$T/run.vg" "$GSSWRAP" run -w "localhost:$PORT" -- \
    python3 "$top_srcdir/tests/connect-probe.py" nonblocking localhost "$PORT" \
    >"$T/out" 2>"$T/err"
st=$?
check_status 0 $st "gsswrap run, a wrapped session under valgrind"
check_vg run $st "gsswrap run agent, session"
serve bobonly -a "bob@$KDCTEST_REALM" -- cat
$VG --log-file="$T/run2.vg" "$GSSWRAP" run -w "localhost:$PORT" -- \
    python3 "$top_srcdir/tests/connect-probe.py" nonblocking localhost "$PORT" \
    >"$T/out" 2>"$T/err"
st=$?
check_status 1 $st "gsswrap run, a refused session under valgrind"
check_vg run2 $st "gsswrap run agent, refusal"

echo x | KRB5CCNAME=FILE:$T/none $VG --log-file="$T/client3.vg" "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
st=$?
check_status 251 $st "client without a ticket under valgrind"
check_vg client3 $st "client, no ticket"

done_testing
