#!/bin/sh
# Hostile principal names (docs/SECURITY.md, "Malicious client"): names with
# a space and '=', a quote, and UTF-8 are served, and the
# session line keeps them inside one quoted value, so that it still parses
# as the key=value record of gsswrapd(8); names with a carriage return or
# an escape sequence are refused before any policy (even --allow-any), the
# program never runs, and no raw control byte reaches the log. The
# quoting of a backslash is checked by tests/unit/test_log.c: MIT's KDC (1.20)
# refuses service tickets to a principal with a backslash (HEADER_PAC).
# An anonymous client (anonymous PKINIT) is refused even by a policy that
# names its realm.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
require python3 openssl
KDC_PKINIT=1
export KDC_PKINIT
start_realm
R=$KDCTEST_REALM
LOGLINE="python3 $top_srcdir/tests/logline.py"
program who.sh "echo run >>'$T/runs'; printf 'peer=%s\n' \"\$GSSWRAP_PEER\"; exec cat"

# principal NAME: add NAME, in its display form (MIT's escapes), to the
# realm and get its ticket into $T/cc (kadmin's quoting: "" is a quote).
principal() {
	q=$(printf '%s' "$1" | sed 's/"/""/g')
	kadmin.local -r "$R" -q "addprinc -randkey \"$q\"" >"$T/kadmin.log" 2>&1
	kadmin.local -r "$R" -q "ktadd -k $T/names.keytab \"$q\"" >>"$T/kadmin.log" 2>&1
	rm -f "$T/cc"
	kinit -k -t "$T/names.keytab" -c "FILE:$T/cc" "$1@$R" >>"$T/kadmin.log" 2>&1
}

# session NAME: one session as NAME against gsswrapd --allow-any.
session() {
	rm -f "$T/runs"
	serve_once names --allow-any -- "$T/who.sh"
	echo x | KRB5CCNAME=FILE:$T/cc "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
	STATUS=$?
	server_status
}

# served NAME WHAT: NAME (a display form) is served; the program and the
# session line see it exactly.
served() {
	principal "$1"
	session
	check_status 0 "$STATUS" "a principal with $2 is served"
	check_grep "peer=$1@$R" "$T/out" "  the program gets it exactly"
	$LOGLINE "$T/names.log" peer >"$T/peer" 2>&1
	check_status 0 $? "  the session line parses as gsswrapd(8) says ($(grep BAD "$T/peer" | head -c 300))"
	check_true "  its peer field is the whole name" \
	    test "$(tail -n 1 "$T/peer")" = "$1@$R"
	check_true "  and the line has one outcome field, ok" \
	    test "$($LOGLINE "$T/names.log" outcome)" = ok
	check_grep "peer=\"$(printf '%s' "$1" | sed 's/[\\"]/\\&/g')@$R\"" \
	    "$T/names.log" "  quoted, with '\"' and '\\' escaped"
	rm -f "$T/names.log"
}

served "mallory addr=10.9.9.9 outcome=ok" "a space and '='"
served 'say"hi' "a double quote"
served "j$(printf '\303\274')rgen" "UTF-8"

# refused NAME WHAT SHOWN: NAME is refused before policy; the log shows it
# as SHOWN, with no raw control byte.
refused() {
	principal "$1"
	session
	check_status 251 "$STATUS" "a principal with $2 is refused, even under --allow-any"
	check_grep "$3" "$T/err" "  the client is told why"
	check_status 251 "$SERVER_STATUS" "  the server refuses it"
	check_true "  the program never ran" test ! -e "$T/runs"
	$LOGLINE "$T/names.log" >"$T/fields" 2>&1
	check_status 0 $? "  the log has no raw control byte and its session line parses ($(grep BAD "$T/fields" | head -c 300))"
	check_grep "$4@$R from client" "$T/names.log" "  the refusal names it, escaped"
	rm -f "$T/names.log"
}
refused "$(printf 'cr\rlf')" "a carriage return" \
    "principal names with control characters are refused" 'cr\x0dlf'
refused "$(printf 'ev\033[2Jil')" "an escape sequence" \
    "principal names with control characters are refused" 'ev\x1b[2Jil'

# --- The anonymous principal (kinit -n: anonymous PKINIT). ---------------
kinit -n -c "FILE:$T/anon.ccache" "@$R" >"$T/kinit.log" 2>&1
check_true "an anonymous ticket from the realm's KDC ($(tail -1 "$T/kinit.log"))" \
    sh -c "klist -c 'FILE:$T/anon.ccache' | grep -q 'WELLKNOWN/ANONYMOUS@WELLKNOWN:ANONYMOUS'"
# anonymous POLICY...: a session with the anonymous ticket is refused.
anonymous() {
	rm -f "$T/runs"
	serve_once anon "$@" -- "$T/who.sh"
	echo x | KRB5CCNAME=FILE:$T/anon.ccache "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
	check_status 251 $? "an anonymous client under $* is refused"
	server_status
	check_grep "anonymous" "$T/anon.log" "  the server log says it is anonymous"
	check_true "  the program never ran" test ! -e "$T/runs"
	rm -f "$T/anon.log"
}
anonymous -a "*@WELLKNOWN:ANONYMOUS"
anonymous -a "WELLKNOWN/ANONYMOUS@WELLKNOWN:ANONYMOUS"

done_testing
