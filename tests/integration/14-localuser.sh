#!/bin/sh
# -u USER and -U: the program runs as the local account, which the client
# principal must be allowed to use (krb5_kuserok: .k5login, or the
# auth_to_local mapping); privileges are dropped for good. Needs root
# (as in CI), and creates two accounts for the test, removed afterwards.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root to create accounts and switch users"
	exit 0
fi
require useradd userdel groupdel flock
start_realm
# The accounts are machine-wide: two runs of the suite at once (say a gcc
# and an ASan build) take turns here instead of sharing them.
exec 8>/tmp/gsswrap-test-accounts.lock
flock 8

# Under the lock, an account or group of these names is what a killed run
# left behind (its home is gone): removed and made anew.
CREATED=""
for u in gswt-alice gswt-other; do
	getent passwd "$u" >/dev/null && userdel "$u" 2>/dev/null
	getent group "$u" >/dev/null && groupdel "$u" 2>/dev/null
	useradd -m -d "$T/home-$u" -s /bin/sh "$u" || { echo "Bail out! useradd $u"; exit 1; }
	CREATED="$CREATED $u"
done
cleanup_users() {
	for u in $CREATED; do userdel "$u" 2>/dev/null; done
}
trap 'cleanup_users; cleanup' EXIT
HOME_ALICE=$(getent passwd gswt-alice | cut -d: -f6)
echo "alice@$KDCTEST_REALM" >"$HOME_ALICE/.k5login"
chmod 755 "$HOME_ALICE"
chmod 644 "$HOME_ALICE/.k5login"

# auth_to_local: alice@GSSWRAP.TEST is the local account gswt-alice (-U).
printf '%s\n' '		auth_to_local = RULE:[1:$1@$0](^alice@GSSWRAP\.TEST$)s/^.*$/gswt-alice/' \
    '		auth_to_local = DEFAULT' >"$T/a2l"
awk -v realm="$KDCTEST_REALM = {" -v rules="$T/a2l" '
	{ print }
	index($0, realm) { while ((getline line < rules) > 0) print line }
' "$KRB5_CONFIG" >"$T/krb5.conf"
KRB5_CONFIG=$T/krb5.conf
export KRB5_CONFIG

program whoami.sh 'echo "uid=$(id -un) groups=$(id -G) home=$HOME user=$USER logname=$LOGNAME shell=$SHELL local=$GSSWRAP_LOCAL_USER pwd=$(pwd)"
if sudo -n true 2>/dev/null || su -c true root </dev/null 2>/dev/null; then echo root-regained; fi
echo "euid=$(id -u)"; exec cat'
chmod 755 "$T" "$T/whoami.sh"

serve_once u -u gswt-alice -- "$T/whoami.sh"
echo x | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "-u gswt-alice: alice listed in .k5login"
check_grep "uid=gswt-alice" "$T/out" "program runs as the account"
check_grep "home=$HOME_ALICE user=gswt-alice logname=gswt-alice shell=/bin/sh local=gswt-alice" "$T/out" "HOME, USER, LOGNAME, SHELL and GSSWRAP_LOCAL_USER set"
check_grep "pwd=$HOME_ALICE" "$T/out" "working directory is the account's home"
check_no_grep "root-regained" "$T/out" "root cannot be regained"
check_no_grep "euid=0" "$T/out" "effective uid is not root"
if grep -q "groups=.*\\b0\\b" "$T/out"; then not_ok "no root group left"; else ok "no root group left"; fi
server_status
check_grep "local_user=\"gswt-alice\" delegated=no outcome=ok" "$T/u.log" "log line names the local user"

serve_once ubob -u gswt-alice -- "$T/whoami.sh"
echo x | KRB5CCNAME=$KDCTEST_BOB_CCACHE "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "-u gswt-alice: bob is not in .k5login"
check_grep "principal bob@GSSWRAP.TEST may not act as local user gswt-alice" "$T/err" "client told why"
server_status
check_no_grep "uid=" "$T/out" "program not started for bob"

serve_once other -u gswt-other -- "$T/whoami.sh"
echo x | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "-u gswt-other: no .k5login, alice does not map to it"
check_grep "may not act as local user gswt-other" "$T/err" "refusal names the account"
server_status

serve_once map -U -- "$T/whoami.sh"
echo x | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "-U: alice maps to gswt-alice"
check_grep "uid=gswt-alice" "$T/out" "-U runs as the mapped account"
server_status

serve_once mapbob -U -- "$T/whoami.sh"
echo x | KRB5CCNAME=$KDCTEST_BOB_CCACHE "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "-U: bob has no local account"
check_grep "no local account bob" "$T/err" "refusal says there is no account"
server_status

# Delegated credentials belong to the account the program runs as.
program ccowner.sh 'f=${KRB5CCNAME#FILE:}; echo "owner=$(stat -c %U "$f") dirowner=$(stat -c %U "$(dirname "$f")")"; klist -s && echo "klist-ok"; exec cat'
chmod 755 "$T/ccowner.sh"
serve_once deleg -u gswt-alice --delegation -- "$T/ccowner.sh"
echo x | "$GSSWRAP" -D localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 0 $? "delegation with -u"
check_grep "owner=gswt-alice dirowner=gswt-alice" "$T/out" "the ccache is owned by the local user"
check_grep "klist-ok" "$T/out" "the local user can read its delegated credentials"
server_status

# -u together with an ACL: both must pass.
serve_once both -a "bob@$KDCTEST_REALM" -u gswt-alice -- "$T/whoami.sh"
echo x | "$GSSWRAP" localhost "$PORT" >"$T/out" 2>"$T/err"
check_status 251 $? "-a and -u together: alice passes .k5login but not the ACL"
server_status

"$GSSWRAPD" -u no-such-user-gswt -- cat </dev/null >/dev/null 2>"$T/err"
check_status 250 $? "-u with an unknown account"
check_grep "-u no-such-user-gswt: no such local account" "$T/err" "unknown-account message"
"$GSSWRAPD" -u gswt-alice -U -- cat </dev/null >/dev/null 2>"$T/err"
check_status 250 $? "-u and -U together"

done_testing
