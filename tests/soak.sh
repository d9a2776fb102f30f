#!/bin/sh
# Soak: SOAK_SECONDS (600) of continuous sessions, 8 at a time, of random
# sizes (0 to 256 KiB, echoed and checked by SHA-256), against one
# standalone gsswrapd. Every 30 s it prints the daemon's open descriptors,
# resident memory and session processes; at the end, after the last
# session, they must be back to their baseline, and no session may have
# failed. TAP output, like the integration scenarios.
. "${top_srcdir:-$(dirname "$0")/..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
start_realm
# Copies of the programs: a rebuild during the soak must not fail sessions.
cp "$GSSWRAP" "$T/gsswrap" && GSSWRAP=$T/gsswrap
cp "$GSSWRAPD" "$T/gsswrapd" && GSSWRAPD=$T/gsswrapd
SECS=${SOAK_SECONDS:-600}
WORKERS=${SOAK_WORKERS:-8}
MAX=262144

head -c "$MAX" /dev/urandom >"$T/pool"
# The baseline is taken once the daemon is ready to serve (fixtures.sh).
gsswrapd_start server -n 100 -a "alice@$KDCTEST_REALM" -- cat
SRV=$DAEMON_PID PORT=$DPORT

state() {
	echo "fds=$(ls /proc/"$SRV"/fd | wc -l)" \
	    "rss_kib=$(awk '/^VmRSS/ { print $2 }' /proc/"$SRV"/status)" \
	    "children=$(pgrep -P "$SRV" | wc -l)"
}
base=$(state)
echo "# baseline: $base"

# worker W: sessions until the end time; counts in $T/ok.W and $T/bad.W.
worker() {
	ok=0 bad=0
	while [ "$(date +%s)" -lt "$1" ]; do
		n=$(rand $((MAX + 1)))
		want=$(head -c "$n" "$T/pool" | sha256sum)
		got=$(head -c "$n" "$T/pool" | "$GSSWRAP" -t 60 localhost "$PORT" 2>>"$T/client.err" | sha256sum)
		if [ "$got" = "$want" ]; then ok=$((ok + 1)); else bad=$((bad + 1)); fi
	done
	echo "$ok" >"$T/ok.$2"
	echo "$bad" >"$T/bad.$2"
}

end=$(($(date +%s) + SECS))
w=0
while [ $w -lt "$WORKERS" ]; do
	worker "$end" "$w" &
	PIDS="$PIDS $!"
	w=$((w + 1))
done
while [ "$(date +%s)" -lt "$end" ]; do
	left=$((end - $(date +%s)))
	sleep $((left < 30 ? left : 30))
	echo "# $(( SECS - (end - $(date +%s)) ))s: $(state)"
done
workers_done() {
	[ "$(ls "$T" | grep -c '^bad\.')" -ge "$WORKERS" ]
}
wait_upto 120 workers_done
wait_until no_children "$SRV"
ok=$(cat "$T"/ok.* | awk '{ s += $1 } END { print s + 0 }')
bad=$(cat "$T"/bad.* | awk '{ s += $1 } END { print s + 0 }')
final=$(state)
echo "# end: $final"
check_true "$ok sessions in ${SECS}s, $bad failed or corrupted" test "$bad" -eq 0 -a "$ok" -gt 0
bfd=$(echo "$base" | sed 's/fds=\([0-9]*\).*/\1/')
ffd=$(echo "$final" | sed 's/fds=\([0-9]*\).*/\1/')
check_true "descriptors back to baseline ($bfd -> $ffd)" test "$bfd" -eq "$ffd"
check_true "no session process left ($(echo "$final" | sed 's/.*children=//'))" \
    test "$(echo "$final" | sed 's/.*children=//')" -eq 0
brss=$(echo "$base" | sed 's/.*rss_kib=\([0-9]*\).*/\1/')
frss=$(echo "$final" | sed 's/.*rss_kib=\([0-9]*\).*/\1/')
check_true "listener memory flat ($brss -> $frss KiB, within 1 MiB)" test $((frss - brss)) -lt 1024
check_no_grep "outcome=failed" "$T/server.log" "no failed session in the server log"
done_testing
