#!/bin/sh
# The remote program's exit status travels back in the protected channel
# (EXIT record) and becomes gsswrap's exit status, like ssh: 0, 3, and a
# signal as 128 + its number.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
start_realm

# status PROGRAM-BODY EXPECTED DESCRIPTION
status() {
	program st.sh "$1"
	serve_once st -a "alice@$KDCTEST_REALM" -- "$T/st.sh"
	echo input | "$GSSWRAP" -v localhost "$PORT" >"$T/out" 2>"$T/err"
	check_status "$2" $? "$3"
	server_status
}

status 'cat >/dev/null; exit 0' 0 "remote exit 0"
status 'cat >/dev/null; echo done; exit 3' 3 "remote exit 3"
check_grep "done" "$T/out" "output before the exit arrives"
check_grep "remote program exited with status 3" "$T/err" "-v reports the remote status"
check_grep "program=\"exit 3\"" "$T/st.log" "server log has the program status"
status 'kill -TERM $$' 143 "remote program killed by SIGTERM (128 + 15)"
check_grep "remote program killed by signal 15" "$T/err" "-v reports the signal"
# A remote status among gsswrap's own codes passes through, said to be the
# program's on stderr; a real gsswrap failure says what failed instead.
status 'cat >/dev/null; exit 252' 252 "remote exit 252 passes through"
check_grep "the remote program exited with status 252 (its own, not a gsswrap failure)" \
    "$T/err" "  and stderr says it is the program's"
status 'cat >/dev/null; exit 4' 4 "remote exit 4"
check_no_grep "its own, not a gsswrap failure" "$T/err" \
    "  no such note outside gsswrap's range"
# Closing stdout early, exiting only after the input ended: the status
# still arrives (EOF waits for the exit).
status 'exec 1>&- ; cat >/dev/null; exit 7' 7 "program closing stdout before exiting 7"
# A program that refuses its input (shutdown of its read side: our writes
# fail) while the client's data and EOF arrive, and exits later: its
# output's end must still be read, then EXIT and EOF sent (a regression:
# the relay once stopped reading it and both ends waited forever).
program refuse.sh 'exec python3 -c "
import socket, sys, time
socket.socket(fileno=0).shutdown(socket.SHUT_RD)
time.sleep(1)
sys.exit(4)"'
serve_once refuse -a "alice@$KDCTEST_REALM" -- "$T/refuse.sh"
timeout $((20 * SLOW)) "$top_builddir/tests/hostile-client" -M late localhost "$PORT" \
    "host/localhost@$KDCTEST_REALM" >"$T/out" 2>"$T/err"
check_grep "exit" "$T/out" "program refusing its input: its EXIT arrives after our DATA and EOF"
server_status
check_grep "program=\"exit 4\"" "$T/refuse.log" "  the server saw the program's exit 4 (not a hang)"
# Exiting without reading while the client's input stays open (CLOSE).
program quick.sh 'exit 5'
serve_once quick -a "alice@$KDCTEST_REALM" -- "$T/quick.sh"
# An input that stays open without a process behind it: a FIFO the test
# holds open itself (fd 9), so nothing is left to wait for afterwards.
mkfifo "$T/open"
exec 9<>"$T/open"
timeout $((15 * SLOW)) "$GSSWRAP" localhost "$PORT" <"$T/open" >"$T/out" 2>"$T/err"
check_status 5 $? "program exiting at once with 5 while stdin stays open"
exec 9<&-
server_status

done_testing
