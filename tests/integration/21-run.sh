#!/bin/sh
# gsswrap run: unmodified programs (curl, a Python client, a shell that
# forks them) whose TCP connections to matching destinations become
# authenticated sessions through the preloaded shim; blocking and
# non-blocking connect() semantics; pass-through of other destinations;
# refusals as connect errors; static and setuid programs refused.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
require curl python3
start_realm
PROBE="python3 $top_srcdir/tests/connect-probe.py"

# A plain HTTP server, reachable only through gsswrapd -c for the test.
mkdir -p "$T/www"
head -c 300000 /dev/urandom >"$T/www/file.bin"
HPORT=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$T/www" "$HPORT" \
    >"$T/http.log" 2>&1 &
PIDS="$PIDS $!"
wait_listen "$HPORT" $! || { echo "Bail out! http.server did not start"; exit 1; }
serve web -a "alice@$KDCTEST_REALM" -c "127.0.0.1:$HPORT"
WEB=$PORT

# curl: a non-blocking client, through the shim.
"$GSSWRAP" run -w "localhost:$WEB" -- curl -sS -o "$T/got" \
    "http://localhost:$WEB/file.bin" 2>"$T/err"
check_status 0 $? "curl through gsswrap run"
check_true "  and nothing on stderr" test ! -s "$T/err"
check_true "the file arrived intact (SHA-256)" sh -c \
    "[ \"\$(sha256sum <'$T/www/file.bin')\" = \"\$(sha256sum <'$T/got')\" ]"
wait_for "outcome=" "$T/web.log"
check_grep "session peer=\"alice@GSSWRAP.TEST\" addr=127.0.0.1" "$T/web.log" \
    "gsswrapd authenticated curl's connection as alice"
check_grep "service=\"host/localhost@GSSWRAP.TEST\"" "$T/web.log" \
    "the target principal came from the host name curl used"
curl -sS -m 5 -o /dev/null "http://localhost:$WEB/file.bin" 2>"$T/err"
check_true "without gsswrap run, curl cannot talk to the wrapped port" \
    test $? -ne 0

# Rules: by address, and "*" for any port; pass-through of the rest.
"$GSSWRAP" run -w "127.0.0.1:* host/localhost@$KDCTEST_REALM" -- \
    curl -sS -o "$T/got2" "http://127.0.0.1:$WEB/file.bin" 2>"$T/err"
check_status 0 $? "a rule naming an address, any port and the principal"
check_true "  the file arrived" cmp -s "$T/www/file.bin" "$T/got2"
"$GSSWRAP" run -w "127.0.0.1:*" -- curl -sS -o "$T/got2" \
    "http://127.0.0.1:$WEB/file.bin" 2>"$T/err"
check_status 7 $? "an address without a name or principal: host/ADDRESS, unknown"
check_grep "Server host/127.0.0.1@GSSWRAP.TEST not found in Kerberos database" \
    "$T/err" "  the KDC's answer names the principal"
"$GSSWRAP" run -w "localhost:$WEB" -- curl -sS -o "$T/got3" \
    "http://127.0.0.1:$HPORT/file.bin" 2>"$T/err"
check_status 0 $? "a destination matching no rule passes through"
check_true "  (the plain server answered curl directly)" \
    cmp -s "$T/www/file.bin" "$T/got3"

# What a program sees: blocking and non-blocking connect(), getpeername,
# TCP options on the descriptor, shutdown as the end of its stream.
serve echo -a "alice@$KDCTEST_REALM" -- cat
"$GSSWRAP" run -w "localhost:$PORT" -- $PROBE blocking localhost "$PORT" \
    >"$T/out" 2>"$T/err"
check_status 0 $? "blocking connect through the shim"
check_grep "peer: 127.0.0.1 $PORT" "$T/out" "getpeername gives the destination"
check_grep "local: 127.0.0.1" "$T/out" "getsockname gives an address of the socket's family"
check_grep "nodelay: 1" "$T/out" "TCP_NODELAY can be set and read back"
check_grep "reply: ping from" "$T/out" "bytes went both ways, half-close included"
"$GSSWRAP" run -w "localhost:$PORT" -- $PROBE nonblocking localhost "$PORT" \
    >"$T/out" 2>"$T/err"
check_status 0 $? "non-blocking connect through the shim"
check_grep "connect: EINPROGRESS" "$T/out" "non-blocking connect says EINPROGRESS"
check_grep "writable: yes" "$T/out" "then becomes writable"
check_grep "so_error: 0" "$T/out" "with SO_ERROR 0 once authenticated"
check_grep "reply: ping from" "$T/out" "and relays"
"$GSSWRAP" run -w "localhost:$PORT" -- $PROBE fork localhost "$PORT" \
    >"$T/out" 2>"$T/err"
check_status 0 $? "a program that forks"
check_true "  and nothing on stderr" test ! -s "$T/err"
check_grep "parent reply: ping from parent" "$T/out" "the parent's connection is wrapped"
check_grep "child reply: ping from child" "$T/out" "the forked child's too"
"$GSSWRAP" run -w "localhost:$PORT" -- sh -c \
    "env -i PATH=\"\$PATH\" $PROBE blocking localhost $PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "a child exec'd with a scrubbed environment (env -i)"
check_grep "reply: ping from" "$T/out" "  stays wrapped"

# Refusals surface as connect errors, with the reason on stderr.
serve bobonly -a "bob@$KDCTEST_REALM" -- cat
"$GSSWRAP" run -w "localhost:$PORT" -- $PROBE nonblocking localhost "$PORT" \
    >"$T/out" 2>"$T/err"
check_status 1 $? "non-blocking connect to a server that refuses us"
check_grep "connect: EINPROGRESS" "$T/out" "  still EINPROGRESS first"
check_grep "so_error: EACCES" "$T/out" "  then SO_ERROR EACCES"
check_grep "not authorized: principal alice@GSSWRAP.TEST" "$T/err" "  the reason on stderr"
"$GSSWRAP" run -w "localhost:$PORT" -- $PROBE blocking localhost "$PORT" \
    >"$T/out" 2>"$T/err"
check_grep "error: EACCES" "$T/out" "blocking connect fails with EACCES"
"$GSSWRAP" run -w "localhost:$PORT" -- curl -sS "http://localhost:$PORT/" \
    >"$T/out" 2>"$T/err"
check_status 7 $? "curl reports a refused session as a failed connect (7)"
check_grep "Failed to connect to localhost port $PORT" "$T/err" "  curl: failed to connect"
CLOSED=$(free_port)
"$GSSWRAP" run -w "localhost:*" -- $PROBE blocking localhost "$CLOSED" \
    >"$T/out" 2>"$T/err"
check_grep "error: ECONNREFUSED" "$T/out" "nothing listening: ECONNREFUSED"
check_grep "cannot connect to localhost port $CLOSED: Connection refused" "$T/err" \
    "  and gsswrap names the destination"

# Programs the preload cannot reach are refused before they run.
"$GSSWRAP" run -w "localhost:1" -- /sbin/ldconfig -p >/dev/null 2>"$T/err"
check_status 126 $? "a static program is refused"
check_grep "refusing to run /sbin/ldconfig is statically linked" "$T/err" "  saying why"
"$GSSWRAP" run -w "localhost:1" -- passwd --help >/dev/null 2>"$T/err"
check_status 126 $? "a setuid program is refused"
check_grep "is setuid or setgid" "$T/err" "  saying why"
"$GSSWRAP" run -w "localhost:1" -- sh -c "/sbin/ldconfig -p" >/dev/null 2>"$T/err"
check_status 126 $? "a static program started by a wrapped shell is refused"
check_grep "refusing to run /sbin/ldconfig is statically linked" "$T/err" "  by the shim"

# Rule files.
mkdir -p "$T/home/.config/gsswrap"
printf '# wrapped services\nlocalhost:%s host\n' "$WEB" >"$T/home/.config/gsswrap/wrap"
HOME=$T/home "$GSSWRAP" run -- curl -sS -o "$T/got4" \
    "http://localhost:$WEB/file.bin" 2>"$T/err"
check_status 0 $? "rules from ~/.config/gsswrap/wrap need no -w"
check_true "  the file arrived" cmp -s "$T/www/file.bin" "$T/got4"
printf 'localhost:%s\n\nlocalhost:nope\n' "$WEB" >"$T/bad.wrap"
"$GSSWRAP" run -W "$T/bad.wrap" -- true 2>"$T/err"
check_status 250 $? "a bad rule file is a usage error"
check_grep "$T/bad.wrap:3: bad port" "$T/err" "  naming FILE:LINE"
"$GSSWRAP" run -W "$T/none.wrap" -- true 2>"$T/err"
check_status 250 $? "a missing -W file"
check_grep "cannot read rules file $T/none.wrap" "$T/err" "  named"
HOME=$T/nohome "$GSSWRAP" run -- true 2>"$T/err"
check_status 250 $? "no rules at all"
check_grep "no destination to wrap" "$T/err" "  explained"
"$GSSWRAP" run -w "localhost:$WEB" 2>"$T/err"
check_status 250 $? "no command"
"$GSSWRAP" run -w "localhost:$WEB" -- no-such-command-xyz 2>"$T/err"
check_status 127 $? "unknown command: 127, as env(1)"
check_grep "no-such-command-xyz: command not found" "$T/err" "  named"
GSSWRAP_PRELOAD=$T/no-such.so "$GSSWRAP" run -w "localhost:$WEB" -- true 2>"$T/err"
check_status 254 $? "a missing preload library"
check_grep "preload library $T/no-such.so: No such file or directory" "$T/err" "  named"
"$GSSWRAP" run -w "localhost:$WEB" -- sh -c "exit 3"
check_status 3 $? "the command's exit status is gsswrap run's"
KRB5CCNAME=FILE:$T/none "$GSSWRAP" run -w "localhost:$WEB" -- touch "$T/ran" 2>"$T/err"
check_status 251 $? "no ticket: refused before the command runs"
check_true "  the command did not run" test ! -e "$T/ran"

# SIGTERM to gsswrap goes on to the command, whose status it returns.
"$GSSWRAP" run -w "localhost:$WEB" -- sh -c \
    'trap "echo got-term; exit 7" TERM; echo started; sleep 20 & wait' \
    >"$T/out" 2>"$T/err" &
RUN=$!
wait_for started "$T/out"
kill -TERM "$RUN"
wait_exit "$RUN"
check_status 7 "$EXIT_STATUS" "SIGTERM to gsswrap run reaches the command"
check_grep "got-term" "$T/out" "  which handled it"

# The shim fails closed when it cannot ask the agent.
GSSWRAP_AGENT=$T/no-agent LD_PRELOAD=$GSSWRAP_PRELOAD \
    $PROBE blocking localhost "$HPORT" >"$T/out" 2>"$T/err"
check_grep "error: ECONNREFUSED" "$T/out" "no agent: connect fails"
check_grep "cannot reach the gsswrap agent ($T/no-agent)" "$T/err" "  saying why"
check_true "the shim links no GSS or Kerberos library" sh -c \
    "! readelf -d '$GSSWRAP_PRELOAD' | grep NEEDED | grep -Eq 'gss|krb5|k5crypto|bsd'"

done_testing
