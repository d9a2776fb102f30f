# Shared helpers for the integration scenarios (sourced). Each scenario
# prints TAP: every check is one test point, with a description naming what
# it proves. A scenario gets its own throwaway realm from kdc-test/realm and
# its own directory; everything is cleaned up by the EXIT trap.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
GSSWRAP=$top_builddir/gsswrap/gsswrap
GSSWRAPD=$top_builddir/gsswrapd/gsswrapd
RELAY=$top_builddir/tests/tamper-relay
REALM_TOOL=$top_srcdir/kdc-test/realm
GSSWRAP_PRELOAD=$top_builddir/gsswrap/gsswrap-preload.so
export GSSWRAP_PRELOAD

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
	"$REALM_TOOL" stop "$T/realm" 2>/dev/null
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

start_realm() {
	mkdir -p "$T/realm"
	if ! "$REALM_TOOL" start "$T/realm" >"$T/realm.out" 2>&1; then
		echo "Bail out! cannot start the test realm: $(cat "$T/realm.out")"
		exit 1
	fi
	. "$T/realm/env"
	# A copy holding only the TGT, for tests that need no cached tickets.
	cp "$T/realm/alice.ccache" "$T/tgt-only.ccache"
}

# realm_var DIR NAME: a variable of the env file kdc-test/realm wrote in DIR.
realm_var() {
	sed -n "s/^$2=\([^;]*\);.*/\1/p" "$1/env"
}

# realms_conf FILE SERVICE_REALM DIR...: a krb5.conf knowing the realms
# started in each DIR (the first is the default realm), with localhost in
# SERVICE_REALM. Callers append their [capaths].
realms_conf() {
	f=$1 svc=$2
	shift 2
	et=$(realm_var "$1" KDCTEST_ENCTYPE)
	printf '[libdefaults]\n\tdefault_realm = %s\n' "$(realm_var "$1" KDCTEST_REALM)" >"$f"
	printf '\tdns_lookup_kdc = false\n\tdns_lookup_realm = false\n' >>"$f"
	printf '\tdns_canonicalize_hostname = false\n\trdns = false\n' >>"$f"
	printf '\tpermitted_enctypes = %s\n\tdefault_tkt_enctypes = %s\n' "$et" "$et" >>"$f"
	printf '\tdefault_tgs_enctypes = %s\n[realms]\n' "$et" >>"$f"
	for d in "$@"; do
		printf '\t%s = {\n\t\tkdc = 127.0.0.1:%s\n\t}\n' \
		    "$(realm_var "$d" KDCTEST_REALM)" "$(realm_var "$d" KDCTEST_PORT)" >>"$f"
	done
	printf '[domain_realm]\n\tlocalhost = %s\n' "$svc" >>"$f"
}

# rand N: a random number in 0..N-1.
rand() {
	echo $(( $(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % $1 ))
}

# free_port: a loopback port nobody listens on, below the kernel's
# ephemeral range (32768 and up) so that no outgoing connection holds it.
free_port() {
	while :; do
		p=$(( 10000 + $(rand 22000) ))
		if ! ss -Hltn 2>/dev/null | awk '{print $4}' | grep -q ":$p\$"; then
			echo "$p"
			return
		fi
	done
}

# wait_listen PORT [PID]: until something listens on 127.0.0.1:PORT (max
# 10 s); fails early when process PID has exited.
wait_listen() {
	i=0
	while [ $i -lt 200 ]; do
		ss -Hltn 2>/dev/null | awk '{print $4}' | grep -q ":$1\$" && return 0
		[ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null && return 1
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# wait_for PATTERN FILE: until FILE contains PATTERN (max 10 s times SLOW).
wait_for() {
	wait_until grep -qsF -- "$1" "$2"
}

# wait_until COMMAND...: until COMMAND succeeds (max 10 s times SLOW);
# fails if it never does.
wait_until() {
	i=0
	while [ $i -lt $((200 * SLOW)) ]; do
		"$@" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# listen_exec NAME FORK EXEC-ADDRESS: socat on a fresh loopback port (PORT)
# running EXEC-ADDRESS per connection (FORK = ",fork" or ""); its stderr
# goes to $T/NAME.log; SOCAT_PID is set. Retries another port if the one
# picked was taken meanwhile.
listen_exec() {
	tries=0
	while [ $tries -lt 5 ]; do
		PORT=$(free_port)
		socat "TCP-LISTEN:$PORT,bind=127.0.0.1,reuseaddr$2" "$3" \
		    2>>"$T/$1.log" &
		SOCAT_PID=$!
		if wait_listen "$PORT" "$SOCAT_PID"; then
			return 0
		fi
		kill "$SOCAT_PID" 2>/dev/null
		tries=$((tries + 1))
	done
	echo "Bail out! socat could not listen: $(tail -3 "$T/$1.log")"
	exit 1
}

# socat_escape TEXT: protect ':' and ',' inside a socat EXEC address.
socat_escape() {
	printf '%s' "$1" | sed 's/[:,]/\\&/g'
}

# serve NAME GSSWRAPD-ARGS...: run gsswrapd inetd-style under socat for
# every connection to a fresh loopback port (in $PORT); its stderr goes to
# $T/NAME.log. Arguments must not contain spaces (socat splits on them).
# SOCAT_EXEC_OPTS=",stderr" puts the connection on fd 2 too, as xinetd does;
# SERVER_WRAPPER="valgrind ... " runs gsswrapd under that command.
serve() {
	name=$1
	shift
	listen_exec "$name" ",fork" "EXEC:${SERVER_WRAPPER:-}$GSSWRAPD -d $(socat_escape "$*"),nofork${SOCAT_EXEC_OPTS:-}"
	PIDS="$PIDS $SOCAT_PID"
}

# serve_once NAME GSSWRAPD-ARGS...: like serve, but for one connection;
# socat execs gsswrapd itself, so server_status gives its exit status.
serve_once() {
	name=$1
	shift
	listen_exec "$name" "" "EXEC:${SERVER_WRAPPER:-}$GSSWRAPD -d $(socat_escape "$*"),nofork${SOCAT_EXEC_OPTS:-}"
	SERVER_PID=$SOCAT_PID
}

# server_status: set SERVER_STATUS to the exit status of the serve_once
# server (bounded wait). Not in a subshell: only this shell can wait.
server_status() {
	wait_exit "$SERVER_PID"
	SERVER_STATUS=$EXIT_STATUS
}

# wait_exit PID: wait for a background process, at most 10 s times SLOW
# (then kill it), so that a failing scenario never hangs; its exit status
# is left in EXIT_STATUS.
wait_exit() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt $((200 * SLOW)) ]; do
		sleep 0.05
		i=$((i + 1))
	done
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	EXIT_STATUS=$?
}

# relay ARGS...: start tests/tamper-relay (ARGS are its options) in front
# of $PORT for one connection; sets RPORT and RELAY_PID.
relay() {
	rm -f "$T/rport"
	"$RELAY" -p "$T/rport" -c "$PORT" "$@" >"$T/relay.out" 2>&1 &
	RELAY_PID=$!
	i=0
	while [ ! -s "$T/rport" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	RPORT=$(cat "$T/rport")
}

# syslog_start: a syslog sink for this scenario: SYSLOG (the file its
# messages go to, one a line, "<PRI>" first) and IN_SYSLOG_NS, a command
# prefix running a program in a mount namespace whose /dev/log is the
# sink (tests/syslog-ns.sh; needs root). Returns 1 without root.
syslog_start() {
	[ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 || return 1
	mkdir -p "$T/ns/dev"
	SYSLOG=$T/syslog
	: >"$SYSLOG"
	python3 "$top_srcdir/tests/syslog-sink.py" "$T/ns/dev/log" "$SYSLOG" &
	PIDS="$PIDS $!"
	wait_until test -e "$T/ns/dev/log.ready" || return 1
	IN_SYSLOG_NS="sh $top_srcdir/tests/syslog-ns.sh $T/ns"
}

# program NAME BODY: write an executable script $T/NAME for gsswrapd to run.
program() {
	printf '#!/bin/sh\n%s\n' "$2" >"$T/$1"
	chmod +x "$T/$1"
}

require() {
	for c in "$@"; do
		if ! command -v "$c" >/dev/null 2>&1; then
			echo "1..0 # SKIP $c not installed"
			exit 0
		fi
	done
}

require socat ss krb5kdc

# byte N: print one byte of value N (0-255).
byte() {
	printf "\\$(printf '%03o' "$1")"
}

# frame_hdr TYPE LEN: print a 6-byte frame header (docs/PROTOCOL.md §4.1).
frame_hdr() {
	b1=$(( ($2 >> 24) & 255 )) b2=$(( ($2 >> 16) & 255 ))
	b3=$(( ($2 >> 8) & 255 )) b4=$(( $2 & 255 ))
	byte "$1"; byte $b1; byte $b2; byte $b3; byte $b4
	byte $(( 0xa5 ^ $1 ^ b1 ^ b2 ^ b3 ^ b4 ))
}
