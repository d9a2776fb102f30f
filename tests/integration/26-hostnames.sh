#!/bin/sh
# Real host names: the client and the server in two network namespaces the
# test creates, joined by a veth pair whose addresses exist only there. The
# service is host/server.test.example, the client finds the realm through
# [domain_realm] and the address through its namespace's hosts file (no
# DNS). gsswrap never canonicalizes a host name: an alias of the same
# address, or the address itself, is another principal, and the error names
# it, whatever dns_canonicalize_hostname says. Needs root (ip netns).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
require ip socat
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP network namespaces need root"
	exit 0
fi

C=gswt-c-$$
S=gswt-s-$$
CADDR=10.231.0.1
SADDR=10.231.0.2
netns_cleanup() {
	ip netns del "$C" 2>/dev/null
	ip netns del "$S" 2>/dev/null
	rm -rf "/etc/netns/$C"
}
trap 'netns_cleanup; cleanup' EXIT
if ! { ip netns add "$C" && ip netns add "$S" &&
    ip link add "vc$$" type veth peer name "vs$$" &&
    ip link set "vc$$" netns "$C" && ip link set "vs$$" netns "$S" &&
    ip -n "$C" addr add "$CADDR/30" dev "vc$$" &&
    ip -n "$S" addr add "$SADDR/30" dev "vs$$" &&
    ip -n "$C" link set lo up && ip -n "$S" link set lo up &&
    ip -n "$C" link set "vc$$" up && ip -n "$S" link set "vs$$" up; } \
    >"$T/netns.log" 2>&1; then
	echo "Bail out! cannot create network namespaces: $(cat "$T/netns.log")"
	exit 1
fi
# The client's /etc/hosts, and host lookups from files only (ip netns exec
# mounts these over the real ones): no DNS at all.
mkdir -p "/etc/netns/$C"
printf '%s server.test.example alias.test.example\n' "$SADDR" >"/etc/netns/$C/hosts"
printf 'hosts: files\n' >"/etc/netns/$C/nsswitch.conf"

# in_ns NS COMMAND...: run in a namespace (in the foreground: in the
# background, use ip netns exec itself, so that $! is the command).
in_ns() {
	ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# ns_listens NS ADDR:PORT: something listens there.
ns_listens() {
	in_ns "$1" ss -Hltn | awk '{print $4}' | grep -qx "$2"
}

# ns_listening NS ADDR:PORT: until something listens there (max 10 s
# times SLOW).
ns_listening() {
	wait_until ns_listens "$1" "$2"
}

# The realm's KDC runs in the server's namespace, on its loopback; the
# client reaches it on the veth address through a forwarder (TCP: the test
# realm sets udp_preference_limit = 1).
mkdir -p "$T/realm"
if ! in_ns "$S" "$REALM_TOOL" start "$T/realm" >"$T/realm.out" 2>&1; then
	echo "Bail out! cannot start the test realm: $(cat "$T/realm.out")"
	exit 1
fi
. "$T/realm/env"
ip netns exec "$S" socat "TCP-LISTEN:$KDCTEST_PORT,bind=$SADDR,reuseaddr,fork" \
    "TCP:127.0.0.1:$KDCTEST_PORT" 2>"$T/kdcfwd.log" &
PIDS="$PIDS $!"
ns_listening "$S" "$SADDR:$KDCTEST_PORT" ||
    { echo "Bail out! KDC forwarder: $(cat "$T/kdcfwd.log")"; exit 1; }
kadmin.local -r "$KDCTEST_REALM" >"$T/kadmin.log" 2>&1 <<KADM
addprinc -randkey host/server.test.example
ktadd -k $T/server.keytab host/server.test.example
KADM

# The client's configuration: another default realm, so that only the
# [domain_realm] entry gives the service principal its realm (without it
# the name would carry the referral realm, "host/NAME@", and the errors
# below would show it).
client_conf() {
	sed -e "s/127.0.0.1:$KDCTEST_PORT/$SADDR:$KDCTEST_PORT/" \
	    -e "s/default_realm = .*/default_realm = ELSEWHERE.TEST/" \
	    -e "s/dns_canonicalize_hostname = .*/dns_canonicalize_hostname = $1/" \
	    -e "s/^\[domain_realm\]/[domain_realm]\n\t.test.example = $KDCTEST_REALM/" \
	    "$KRB5_CONFIG" >"$2"
}
client_conf false "$T/client.conf"
client_conf true "$T/canon.conf"
cp "$T/realm/alice.ccache" "$T/alice.ccache"

program echo.sh 'echo "addr=$GSSWRAP_REMOTE_ADDR service=$GSSWRAP_SERVICE"; exec cat'
SPORT=$(free_port)
ip netns exec "$S" "$GSSWRAPD" -f -d -l "$SADDR:$SPORT" -k "$T/server.keytab" \
    -a "alice@$KDCTEST_REALM" -- "$T/echo.sh" 2>"$T/server.log" &
SRV=$!
PIDS="$PIDS $SRV"
ns_listening "$S" "$SADDR:$SPORT" ||
    { echo "Bail out! gsswrapd: $(cat "$T/server.log")"; exit 1; }

# client CONF HOST: one session from the client's namespace.
client() {
	echo "from the client namespace" | in_ns "$C" env KRB5_CONFIG="$1" \
	    KRB5CCNAME="FILE:$T/alice.ccache" "$GSSWRAP" "$2" "$SPORT" \
	    >"$T/out" 2>"$T/err"
}

client "$T/client.conf" server.test.example
check_status 0 $? "a session to server.test.example across the namespaces"
check_grep "from the client namespace" "$T/out" "  the data came back"
check_grep "addr=$CADDR service=host/server.test.example@$KDCTEST_REALM" "$T/out" \
    "  the program sees the client's address and the host principal"
wait_for "outcome=ok" "$T/server.log"
check_grep "session peer=\"alice@$KDCTEST_REALM\" addr=$CADDR" "$T/server.log" \
    "  the server logs alice from the client's address"

client "$T/client.conf" alias.test.example
check_status 251 $? "an alias of the same address is another principal"
check_grep "host/alias.test.example@$KDCTEST_REALM" "$T/err" "  the error names the principal asked for"
check_grep "not found in Kerberos database" "$T/err" "  and the KDC's reason"

client "$T/canon.conf" alias.test.example
check_status 251 $? "dns_canonicalize_hostname = true changes nothing: no canonicalization"
check_grep "host/alias.test.example@$KDCTEST_REALM" "$T/err" "  the error still names the alias"

client "$T/client.conf" "$SADDR"
check_status 251 $? "the server's address is not its name"
check_grep "host/$SADDR@" "$T/err" "  the error names host/$SADDR"

client "$T/client.conf" nosuch.test.example
check_status 254 $? "a name the client's hosts file lacks"
check_grep "nosuch.test.example" "$T/err" "  the error names the host"

kill "$SRV" 2>/dev/null
done_testing
