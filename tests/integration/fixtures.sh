# Fixtures of the integration scenarios (sourced after harness.sh): a
# throwaway realm from kdc-test/realm, loopback ports, gsswrapd run
# inetd-style under socat or standalone, backends and programs, the tamper
# relay, a private syslog, and raw wire bytes.

RELAY=$top_builddir/tests/tamper-relay
REALM_TOOL=$top_srcdir/kdc-test/realm
GSSWRAP_PRELOAD=$top_builddir/gsswrap/gsswrap-preload.so
export GSSWRAP_PRELOAD

require socat ss krb5kdc

# fixtures_cleanup: called by the harness's EXIT trap.
fixtures_cleanup() {
	"$REALM_TOOL" stop "$T/realm" 2>/dev/null
}

# --- realms ----------------------------------------------------------

# start_realm: a realm of this scenario's own (kdc-test/realm), its
# settings sourced (KRB5_CONFIG, KDCTEST_REALM, the keytab and ccaches).
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

# --- ports and listeners ----------------------------------------------

# free_port: a loopback port nobody listens on, below the kernel's
# ephemeral range (32768 and up) so that no outgoing connection holds it.
free_port() {
	while :; do
		p=$(( 10000 + $(rand 22000) ))
		if ! listening "$p"; then
			echo "$p"
			return
		fi
	done
}

# listening PORT: something listens on TCP port PORT, on any address.
listening() {
	ss -Hltn 2>/dev/null | awk '{print $4}' | grep -q ":$1\$"
}

# listening_or_gone PORT [PID]: PORT listens, or process PID has exited.
listening_or_gone() {
	listening "$1" || { [ -n "${2:-}" ] && gone "$2"; }
}

# wait_listen PORT [PID]: until something listens on PORT (at most 10 s
# times SLOW); fails early when process PID has exited.
wait_listen() {
	wait_until listening_or_gone "$1" "${2:-}" && listening "$1"
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

# gsswrapd_start [-6] NAME GSSWRAPD-ARGS...: a standalone gsswrapd (-f -d)
# on 127.0.0.1:DPORT, a fresh port (and [::1]:DPORT with -6), its stderr
# appended to $T/NAME.log; returns once it is ready to serve (it has
# logged "listening on", which comes after its sockets and signal pipe are
# set up). Sets DPORT and DAEMON_PID; bails out if it does not start.
gsswrapd_start() {
	v6=""
	if [ "$1" = -6 ]; then
		v6=1
		shift
	fi
	name=$1
	shift
	DPORT=$(free_port)
	if [ -n "$v6" ]; then
		set -- -l "[::1]:$DPORT" "$@"
	fi
	# A log appended to: this daemon's line is one more than before.
	ready=$(($(grep -csF "listening on" "$T/$name.log" || :) + 1))
	"$GSSWRAPD" -f -d -l "127.0.0.1:$DPORT" "$@" 2>>"$T/$name.log" &
	DAEMON_PID=$!
	PIDS="$PIDS $DAEMON_PID"
	if ! wait_until daemon_ready "$ready" "$T/$name.log" "$DAEMON_PID" ||
	    gone "$DAEMON_PID"; then
		echo "Bail out! gsswrapd $name did not start: $(tail -5 "$T/$name.log")"
		exit 1
	fi
}

# daemon_ready N LOG PID: LOG has N "listening on" lines, or PID exited.
daemon_ready() {
	has_lines "$1" "listening on" "$2" || gone "$3"
}

# gsswrapd_stop: SIGTERM to DAEMON_PID; its exit status in DAEMON_STATUS.
gsswrapd_stop() {
	kill -TERM "$DAEMON_PID"
	wait_exit "$DAEMON_PID"
	DAEMON_STATUS=$EXIT_STATUS
}

# --- backends, programs, relays, syslog --------------------------------

# relay ARGS...: start tests/tamper-relay (ARGS are its options) in front
# of $PORT for one connection; sets RPORT and RELAY_PID.
relay() {
	rm -f "$T/rport"
	"$RELAY" -p "$T/rport" -c "$PORT" "$@" >"$T/relay.out" 2>&1 &
	RELAY_PID=$!
	wait_until test -s "$T/rport"
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

# --- raw wire bytes (docs/PROTOCOL.md) ----------------------------------

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
