#!/bin/sh
# The ways a service manager hands gsswrapd its connections, with the
# shipped contrib/ configurations: systemd socket activation with
# Accept=no (listening socket, fd 3), Accept=yes (connection on fd 3, or
# on fd 0 with --inetd), and a real xinetd.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
require systemd-socket-activate xinetd
start_realm
printf 'alice@%s\n' "$KDCTEST_REALM" >"$T/acl"
program echo.sh "echo \"hello \$GSSWRAP_PEER\"; python3 '$top_srcdir/tests/fdlist.py'; exec cat"

# unit_cmd UNIT: the ExecStart of a contrib unit, with this build's paths.
unit_cmd() {
	sed -n 's/^ExecStart=//p' "$top_srcdir/contrib/systemd/$1" |
	    sed -e "s|/usr/local/sbin/gsswrapd|$GSSWRAPD|" \
		-e "s|/etc/gsswrap/service.keytab|$KDCTEST_SERVICE_KEYTAB|" \
		-e "s|/etc/gsswrap/acl|$T/acl|" -e "s|/bin/cat|$T/echo.sh|"
}

# activate NAME SSA-OPTIONS... -- COMMAND: run systemd-socket-activate.
activate() {
	name=$1
	shift
	SPORT=$(free_port)
	systemd-socket-activate -l "127.0.0.1:$SPORT" \
	    -E KRB5_CONFIG -E KRB5RCACHEDIR -E KRB5_KDC_PROFILE "$@" \
	    2>>"$T/$name.log" &
	SSA_PID=$!
	PIDS="$PIDS $SSA_PID"
	wait_listen "$SPORT" "$SSA_PID" || { echo "Bail out! systemd-socket-activate: $(cat "$T/$name.log")"; exit 1; }
}

# session NAME: one echo session on SPORT, checked.
session() {
	echo "via $1" | "$GSSWRAP" localhost "$SPORT" >"$T/$1.out" 2>"$T/$1.err"
	check_status 0 $? "$1: session"
	check_grep "hello alice@GSSWRAP.TEST" "$T/$1.out" "$1: program saw the principal"
	check_grep "via $1" "$T/$1.out" "$1: data echoed"
	check_grep "fds=0 1 2;" "$T/$1.out" "$1: program inherits no other descriptor"
}

# Accept=no: gsswrapd gets the listening socket and serves every connection.
# shellcheck disable=SC2046
activate accept-no -- $(unit_cmd gsswrapd.service | sed 's/ -f / -f -d /')
session accept-no
session accept-no2
check_grep "listening on 1 socket(s)" "$T/accept-no.log" "Accept=no: gsswrapd used the passed listening socket"
check_true "Accept=no: one long-running gsswrapd served both sessions" test "$(grep -c "listening on" "$T/accept-no.log")" -eq 1
kill "$SSA_PID"

# Accept=yes: a gsswrapd per connection, the connection on fd 3.
# shellcheck disable=SC2046
activate accept-yes --accept -- $(unit_cmd gsswrapd-inetd@.service | sed 's/gsswrapd /gsswrapd -d /')
session accept-yes
# The session line is logged after the client has its EOF: wait for it.
wait_for "session peer=\"alice@GSSWRAP.TEST\"" "$T/accept-yes.log"
check_grep "session peer=\"alice@GSSWRAP.TEST\"" "$T/accept-yes.log" "Accept=yes (fd 3): session logged"
kill "$SSA_PID"

# Accept=yes with the connection on stdin (StandardInput=socket / --inetd).
# shellcheck disable=SC2046
activate inetd --accept --inetd -- $(unit_cmd gsswrapd-inetd@.service | sed 's/gsswrapd /gsswrapd -d /')
session inetd
kill "$SSA_PID"

# xinetd with the shipped service file.
XPORT=$(free_port)
sed -e "s|port        = 4444|port        = $XPORT\n\tbind        = 127.0.0.1\n\tpassenv     = KRB5_CONFIG KRB5RCACHEDIR|" \
    -e "s|/usr/local/sbin/gsswrapd|$GSSWRAPD|" \
    -e "s|-k /etc/gsswrap/service.keytab|-k $KDCTEST_SERVICE_KEYTAB|" \
    -e "s|/etc/gsswrap/acl|$T/acl|" -e "s|/bin/cat|$T/echo.sh|" \
    "$top_srcdir/contrib/xinetd.d/gsswrap" >"$T/xinetd.service"
[ "$(id -u)" = 0 ] || sed -i '/user *=/d' "$T/xinetd.service"
{ printf 'defaults\n{\n\tinstances = 10\n}\n'; cat "$T/xinetd.service"; } >"$T/xinetd.conf"
xinetd -dontfork -f "$T/xinetd.conf" -pidfile "$T/xinetd.pid" >"$T/xinetd.log" 2>&1 &
XPID=$!
PIDS="$PIDS $XPID"
wait_listen "$XPORT" "$XPID" || { echo "Bail out! xinetd: $(cat "$T/xinetd.log")"; exit 1; }
SPORT=$XPORT
session xinetd
echo x | KRB5CCNAME=$KDCTEST_BOB_CCACHE "$GSSWRAP" localhost "$SPORT" >"$T/out" 2>"$T/err"
check_status 251 $? "xinetd: unauthorized principal refused"
check_grep "not authorized: principal bob@GSSWRAP.TEST" "$T/err" "xinetd: refusal reason intact (nothing written to fd 2, the socket)"
kill "$XPID"

done_testing
