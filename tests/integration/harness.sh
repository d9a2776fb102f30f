# The test harness of the integration scenarios (sourced first, then
# fixtures.sh): TAP output (every check is one test point, with a
# description naming what it proves), waiting for events (wait_until), the
# valgrind mode, and the scenario's own directory, removed by the EXIT trap
# unless a point failed.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
GSSWRAP=$top_builddir/gsswrap/gsswrap
GSSWRAPD=$top_builddir/gsswrapd/gsswrapd

T=$(mktemp -d "${TMPDIR:-/tmp}/gsswrap-test.XXXXXX")

# GSSWRAP_VALGRIND=1 (make check-valgrind): every gsswrap and gsswrapd the
# scenario starts runs under valgrind memcheck with --track-fds=yes, through
# wrapper scripts; done_testing adds one test point: no memory error, no
# definite leak and no descriptor of its own left open at exit, in any of
# them. GSSWRAPD_BIN stays the real program (for copies of it).
GSSWRAPD_BIN=$GSSWRAPD
if [ -n "${GSSWRAP_VALGRIND:-}" ]; then
	mkdir -p "$T/vg" "$T/vgbin"
	for b in gsswrap gsswrapd; do
		printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=%s --track-fds=yes --log-file=%s/vg/%s.%%p.log %s "$@"\n' \
		    "$top_srcdir/tests/valgrind.supp" "$T" "$b" \
		    "$top_builddir/$b/$b" >"$T/vgbin/$b"
		chmod +x "$T/vgbin/$b"
	done
	GSSWRAP=$T/vgbin/gsswrap
	GSSWRAPD=$T/vgbin/gsswrapd
fi

# under_valgrind: the scenario runs its programs under valgrind.
under_valgrind() {
	[ -n "${GSSWRAP_VALGRIND:-}" ]
}

# SLOW: a factor for the few waits a scenario must size (4 under valgrind,
# whose programs start and run several times slower).
SLOW=1
under_valgrind && SLOW=4

# slow_sleep SECONDS: sleep SECONDS times SLOW.
slow_sleep() {
	sleep "$(awk -v s="$1" -v f="$SLOW" 'BEGIN { print s * f }')"
}
tap_n=0
tap_failed=0
PIDS=""

cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	# What fixtures.sh started beyond PIDS (the realm).
	if type fixtures_cleanup >/dev/null 2>&1; then
		fixtures_cleanup
	fi
	if [ "$tap_failed" -gt 0 ] || [ -n "${KEEP_TEST_DIR:-}" ]; then
		echo "# test directory kept: $T"
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $*"
}

# skip_point DESCRIPTION REASON: a test point that cannot be checked here.
skip_point() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

# check_status EXPECTED ACTUAL DESCRIPTION
check_status() {
	if [ "$2" = "$1" ]; then
		ok "$3 (exit $2)"
	else
		not_ok "$3 (expected exit $1, got $2)"
	fi
}

# check_grep PATTERN FILE DESCRIPTION: FILE contains the (fixed) PATTERN.
check_grep() {
	if grep -qF -- "$1" "$2"; then
		ok "$3"
	else
		not_ok "$3: '$1' not in $2"
		sed 's/^/#   /' "$2" | head -20
	fi
}

# check_no_grep PATTERN FILE DESCRIPTION
check_no_grep() {
	if grep -qF -- "$1" "$2"; then
		not_ok "$3: '$1' found in $2"
	else
		ok "$3"
	fi
}

# check_true DESCRIPTION COMMAND...: the command succeeds.
check_true() {
	d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}

# check_valgrind_logs: the test point of GSSWRAP_VALGRIND (see above).
# Descriptors still open at exit are normal (a session's own socket, the
# signal pipe); what --track-fds must never show is a process holding more
# than VG_FD_MAX of its own, the mark of one leaked per session.
VG_FD_MAX=8
check_valgrind_logs() {
	n=$(find "$T/vg" -name '*.log' | wc -l)
	if awk -v max="$VG_FD_MAX" '
	    function finish() {
		if (own > max) {
			bad = 1
			print prev ": " own " descriptors of its own open at exit"
		}
	    }
	    FNR == 1 { if (prev != "") finish(); prev = FILENAME; own = 0; pending = 0 }
	    /Invalid|uninitialised|definitely lost|Mismatched|overlap|Syscall param/ {
		bad = 1; print FILENAME ": " $0
	    }
	    pending { if ($0 !~ /inherited from parent/) own++; pending = 0 }
	    /Open .* [0-9]+:/ { pending = 1 }
	    END { if (prev != "") finish(); exit bad }' \
	    "$T"/vg/*.log >"$T/vg.findings" 2>/dev/null; then
		ok "valgrind: $n processes, no memory error, no definite leak, none holding over $VG_FD_MAX descriptors at exit"
	else
		not_ok "valgrind: findings in the logs of $n processes"
		sed 's/^/#   /' "$T/vg.findings" | head -40
	fi
}

done_testing() {
	under_valgrind && check_valgrind_logs
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
	exit $?
}

# rand N: a random number in 0..N-1.
rand() {
	echo $(( $(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % $1 ))
}

# wait_for PATTERN FILE: until FILE contains PATTERN (max 10 s times SLOW).
wait_for() {
	wait_until grep -qsF -- "$1" "$2"
}

# wait_upto SECONDS COMMAND...: until COMMAND succeeds, tried every 50 ms
# for at most SECONDS times SLOW; fails if it never does. Every wait of the
# suite for an event goes through here.
wait_upto() {
	_wu_n=$(($1 * 20 * SLOW))
	shift
	_wu=0
	while [ $_wu -lt $_wu_n ]; do
		"$@" && return 0
		sleep 0.05
		_wu=$((_wu + 1))
	done
	return 1
}

# wait_until COMMAND...: wait_upto 10 seconds.
wait_until() {
	wait_upto 10 "$@"
}

# gone PID: process PID has exited.
gone() {
	! kill -0 "$1" 2>/dev/null
}

# wait_gone PID: until process PID has exited (at most 10 s times SLOW).
wait_gone() {
	wait_until gone "$1"
}

# no_children PID: process PID runs, and has no child process.
no_children() {
	! gone "$1" && ! pgrep -P "$1" >/dev/null
}

# has_lines N TEXT FILE: FILE has at least N lines holding TEXT.
has_lines() {
	[ "$(grep -cF -- "$2" "$3" 2>/dev/null || :)" -ge "$1" ] 2>/dev/null
}

# wait_exit PID: wait for a background process, at most 10 s times SLOW
# (then SIGKILL it), so that a failing scenario never hangs; its exit
# status is left in EXIT_STATUS.
wait_exit() {
	wait_gone "$1" || kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	EXIT_STATUS=$?
}

# past EPOCH: the clock is at or past EPOCH (seconds).
past() {
	[ "$(date +%s)" -ge "$1" ]
}

# require COMMAND...: skip the whole scenario without these.
require() {
	for c in "$@"; do
		if ! command -v "$c" >/dev/null 2>&1; then
			echo "1..0 # SKIP $c not installed"
			exit 0
		fi
	done
}
