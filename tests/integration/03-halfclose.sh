#!/bin/sh
# Half-close and early close: the client's EOF reaches the program, which
# answers afterwards; a program that exits without reading ends the
# session (CLOSE); a client whose output reader goes away still finishes.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
start_realm

# sort answers only after its input ended.
serve sort -a "alice@$KDCTEST_REALM" -- sort
printf 'pear\napple\nfig\n' | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "sort session"
printf 'apple\nfig\npear\n' >"$T/want"
check_true "client EOF reached the program and its reply came back" cmp -s "$T/want" "$T/out"

# Client sends, then the program closes stdout first but keeps reading.
program split.sh "exec 3>&1; { echo early; exec 1>&-; exec 3>&-; wc -c >$T/count; }"
serve split -a "alice@$KDCTEST_REALM" -- "$T/split.sh"
head -c 100000 /dev/zero | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "program closing stdout before reading its input"
check_grep "early" "$T/out" "output before the program's half-close arrived"
wait_for "outcome=" "$T/split.log"
check_grep "100000" "$T/count" "input after the program's half-close still delivered"

# A program that exits at once while the client's input stays open: the
# session must end (CLOSE), not wait for input that nobody will read.
serve bye -a "alice@$KDCTEST_REALM" -- echo bye
# An input that stays open without a process behind it: a FIFO the test
# holds open itself (fd 9), so nothing is left to wait for afterwards.
mkfifo "$T/open"
exec 9<>"$T/open"
timeout $((15 * SLOW)) "$GSSWRAP" localhost "$PORT" <"$T/open" >"$T/out" 2>"$T/err"
check_status 0 $? "program exit ends the session although stdin stays open"
exec 9<&-
check_grep "bye" "$T/out" "program output delivered"

# The client's reader goes away early; the client still ends cleanly.
serve cat -a "alice@$KDCTEST_REALM" -- cat
# 64 MiB: more than the socket buffers of both ends can absorb, so cat is
# still writing when the CLOSE arrives (with 5 MB, a fast record layer
# could take all of cat's output before it, and cat exited 0).
head -c 67108864 /dev/zero >"$T/zeros"
{ timeout $((15 * SLOW)) "$GSSWRAP" localhost "$PORT" <"$T/zeros" 2>"$T/err"; echo $? >"$T/rc"; } | head -c 10 >/dev/null
# cat's output then has no reader (CLOSE, its socket shut for reading): a
# write that starts then kills it with SIGPIPE (141), one already blocked
# on a full buffer fails with EPIPE and cat exits 1 (Linux sends no SIGPIPE
# there). Either way gsswrap must end with cat's own status, as reported.
rc=$(cat "$T/rc")
wait_for "outcome=" "$T/cat.log"
case $(sed -n 's/.*program="\(signal 13\|exit 1\)" .*/\1/p' "$T/cat.log") in
"signal 13") want=141 ;;
"exit 1") want=1 ;;
*) want="signal 13 or exit 1 in the server log" ;;
esac
check_status "$want" "$rc" "client whose output reader closed early ends with the remote cat's status (SIGPIPE or EPIPE)"
check_no_grep "gsswrap:" "$T/err" "  and reports no failure of its own"

done_testing
