#!/bin/sh
# Load: 300 concurrent sessions against one standalone gsswrapd, each with
# a random amount of data (0 B to 8 MiB) echoed back and a random delay
# before the client's half-close; every byte checked by SHA-256 on both
# ways; no session lost, corrupted or stuck; the daemon returns to its
# baseline of descriptors and children. (Skipped in sanitizer builds: the
# same paths run there in the smaller scenarios, this one would take
# minutes.)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
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
PORT=$(free_port)
"$GSSWRAPD" -f -d -l "127.0.0.1:$PORT" -n $((N + 50)) -P "$T/pid" \
    -a "alice@$KDCTEST_REALM" -- cat 2>"$T/server.log" &
SRV=$!
PIDS="$PIDS $SRV"
wait_listen "$PORT" "$SRV" || { echo "Bail out! gsswrapd did not listen"; exit 1; }
# The baseline is taken once the daemon is ready to serve: it opens its
# signal pipe after it listens (then logs "listening on").
wait_for "listening on" "$T/server.log" ||
    { echo "Bail out! gsswrapd did not say it listens"; exit 1; }
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
# Bounded wait: at most 300 s for all of them.
i=0
while [ "$(ls "$T" | grep -c '^d\.')" -lt "$N" ] && [ $i -lt 3000 ]; do
	sleep 0.1
	i=$((i + 1))
done
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
i=0
while [ "$(grep -c 'outcome=ok' "$T/server.log")" -lt "$N" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
check_true "the server logged $N clean sessions ($(grep -c 'outcome=ok' "$T/server.log"))" \
    test "$(grep -c 'outcome=ok' "$T/server.log")" -eq "$N"
check_no_grep "outcome=failed" "$T/server.log" "  and no failed one"
i=0
while [ -n "$(pgrep -P "$SRV")" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
check_true "no session process left behind" test -z "$(pgrep -P "$SRV")"
check_true "the daemon's descriptors are back to baseline ($base_fds)" \
    test "$(ls /proc/"$SRV"/fd | wc -l)" -eq "$base_fds"
kill -TERM "$SRV"
wait "$SRV"
check_status 0 $? "gsswrapd stops cleanly after the load"

done_testing
