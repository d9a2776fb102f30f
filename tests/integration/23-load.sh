#!/bin/sh
# Load: 300 concurrent sessions against one standalone gsswrapd, each with
# a random amount of data (0 B to 8 MiB) echoed back and a random delay
# before the client's half-close; every byte checked by SHA-256 on both
# ways; no session lost, corrupted or stuck; the daemon returns to its
# baseline of descriptors and children. (Skipped in sanitizer builds: the
# same paths run there in the smaller scenarios, this one would take
# minutes.)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
if grep -q __asan_init "$GSSWRAP" 2>/dev/null; then
	echo "1..0 # SKIP sanitizer build"
	exit 0
fi
if under_valgrind; then
	echo "1..0 # SKIP too slow under valgrind; its paths run in the others"
	exit 0
fi
start_realm
N=${LOAD_SESSIONS:-300}
MAX=$((8 * 1048576))

head -c "$MAX" /dev/urandom >"$T/pool"
# The baseline is taken once the daemon is ready to serve (fixtures.sh).
gsswrapd_start server -n $((N + 50)) -P "$T/pid" -a "alice@$KDCTEST_REALM" \
    -- cat
SRV=$DAEMON_PID PORT=$DPORT
base_fds=$(ls /proc/"$SRV"/fd | wc -l)

# One session: SIZE bytes of the pool, the EOF DELAY tenths of a second
# later; writes "status sha-out" to $T/r.I.
session() {
	{ head -c "$2" "$T/pool"; sleep "0.$3"; } |
	    "$GSSWRAP" -t 120 localhost "$PORT" 2>"$T/e.$1" | sha256sum |
	    cut -d' ' -f1 >"$T/s.$1"
	echo done >"$T/d.$1"
}

i=0
pids=""
start=$(date +%s)
while [ $i -lt "$N" ]; do
	size=$(rand $((MAX + 1)))
	[ $((i % 10)) -eq 0 ] && size=0 # some empty sessions too
	echo "$size" >"$T/z.$i"
	session "$i" "$size" "$(rand 10)" &
	pids="$pids $!"
	i=$((i + 1))
done
# all_done: every session wrote its status file.
all_done() {
	[ "$(ls "$T" | grep -c '^d\.')" -ge "$N" ]
}
# Bounded wait: at most 300 s for all of them.
wait_upto 300 all_done
elapsed=$(($(date +%s) - start))
stuck=$((N - $(ls "$T" | grep -c '^d\.')))
for p in $pids; do kill "$p" 2>/dev/null; done
check_true "all $N sessions finished within 300 s ($stuck stuck, ${elapsed}s)" test "$stuck" -eq 0

bad=0
lost=0
i=0
while [ $i -lt "$N" ]; do
	want=$(head -c "$(cat "$T/z.$i")" "$T/pool" | sha256sum | cut -d' ' -f1)
	[ -s "$T/e.$i" ] && lost=$((lost + 1))
	[ "$(cat "$T/s.$i" 2>/dev/null)" = "$want" ] || bad=$((bad + 1))
	i=$((i + 1))
done
check_true "every session's echo matches by SHA-256 ($bad bad)" test "$bad" -eq 0
check_true "no client reported an error ($lost with messages)" test "$lost" -eq 0
wait_for "outcome=" "$T/server.log"
wait_until has_lines "$N" "outcome=ok" "$T/server.log"
check_true "the server logged $N clean sessions ($(grep -c 'outcome=ok' "$T/server.log"))" \
    test "$(grep -c 'outcome=ok' "$T/server.log")" -eq "$N"
check_no_grep "outcome=failed" "$T/server.log" "  and no failed one"
wait_until no_children "$SRV"
check_true "no session process left behind" test -z "$(pgrep -P "$SRV")"
check_true "the daemon's descriptors are back to baseline ($base_fds)" \
    test "$(ls /proc/"$SRV"/fd | wc -l)" -eq "$base_fds"
kill -TERM "$SRV"
wait "$SRV"
check_status 0 $? "gsswrapd stops cleanly after the load"

done_testing
