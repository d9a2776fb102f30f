#!/bin/sh
# make demo: a throwaway Kerberos realm, a service wrapped by gsswrapd, a
# client talking to it through a relay that records the wire.
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
T=$(mktemp -d "${TMPDIR:-/tmp}/gsswrap-demo.XXXXXX")
cleanup() {
	kill $PIDS 2>/dev/null || true
	"$top_srcdir/kdc-test/realm" stop "$T/realm" 2>/dev/null || true
	rm -rf "$T"
}
PIDS=""
trap cleanup EXIT

say() { printf '\n== %s\n' "$*"; }

say "1. A throwaway realm GSSWRAP.TEST with a real MIT KDC on loopback"
mkdir "$T/realm"
"$top_srcdir/kdc-test/realm" start "$T/realm" >/dev/null
. "$T/realm/env"
echo "KDC on 127.0.0.1:$KDCTEST_PORT; service key host/localhost in $KDCTEST_SERVICE_KEYTAB"
klist | sed 's/^/   /'

say "2. A service wrapped by gsswrapd (inetd-style, under socat), allowing alice only"
cat >"$T/service.sh" <<'SVC'
#!/bin/sh
echo "server: authenticated peer is $GSSWRAP_PEER (service $GSSWRAP_SERVICE)"
while read -r line; do echo "server: you said: $line"; done
SVC
chmod +x "$T/service.sh"
port=$(( 10000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 22000 ))
socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" \
    "EXEC:$top_builddir/gsswrapd/gsswrapd -d -a alice@GSSWRAP.TEST -- $T/service.sh,nofork" \
    2>"$T/server.log" &
PIDS="$PIDS $!"
i=0
while ! ss -Hltn | awk '{print $4}' | grep -q ":$port\$"; do
	sleep 0.05; i=$((i + 1)); [ $i -lt 200 ] || { echo "socat did not start"; exit 1; }
done
echo "gsswrapd -a alice@GSSWRAP.TEST -- service.sh, on 127.0.0.1:$port"

say "3. A relay in the middle records every byte on the wire"
"$top_builddir/tests/tamper-relay" -p "$T/rport" -c "$port" -w "$T/wire" >/dev/null &
PIDS="$PIDS $!"
i=0
while [ ! -s "$T/rport" ]; do sleep 0.05; i=$((i + 1)); [ $i -lt 200 ] || exit 1; done
rport=$(cat "$T/rport")

say "4. The client: gsswrap localhost $rport (stdin/stdout over the session)"
printf 'top secret launch code 0000\n' |
    "$top_builddir/gsswrap/gsswrap" localhost "$rport" | sed 's/^/   /'
echo "   exit status: 0"

size=$(wc -c <"$T/wire")
say "5. What the wire carried: $size bytes. The handshake (preambles, AP-REQ/AP-REP)"
echo "   is followed by protected records; the last 128 bytes of the capture:"
od -A d -t x1z -j $((size - 128)) "$T/wire" | sed 's/^/   /'
if grep -q "top secret" "$T/wire"; then
	echo "   PLAINTEXT FOUND ON THE WIRE"; exit 1
fi
echo "   'top secret' does not occur anywhere in the capture: only ciphertext"

say "6. The server's log line"
i=0
while ! grep -q "session peer=" "$T/server.log" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
grep "session peer=" "$T/server.log" | sed 's/^/   /'

say "7. bob is not on the list: refused, and the service never runs"
printf 'hello\n' | KRB5CCNAME=$KDCTEST_BOB_CCACHE \
    "$top_builddir/gsswrap/gsswrap" localhost "$port" 2>&1 | sed 's/^/   /' || true
