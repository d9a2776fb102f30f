#!/bin/sh
# Real peers on both ends: git clone through core.gitProxy=gsswrap from
# `git daemon --inetd` behind gsswrapd, and ssh with ProxyCommand=gsswrap
# into `sshd -i` behind gsswrapd.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
require git ssh ssh-keygen
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
start_realm

# git: a repository with one commit, served by git daemon --inetd.
mkdir -p "$T/src" "$T/srv"
git -C "$T/src" init -q
echo "kerberized content" >"$T/src/file.txt"
git -C "$T/src" add file.txt
git -C "$T/src" -c user.name=test -c user.email=test@example.invalid commit -qm "first"
git clone -q --bare "$T/src" "$T/srv/repo.git"
serve git -a "alice@$KDCTEST_REALM" -- git daemon --inetd --export-all "--base-path=$T/srv" "$T/srv"
git -c core.gitProxy="$GSSWRAP" clone -q "git://localhost:$PORT/repo.git" "$T/clone" >"$T/out" 2>"$T/err"
check_status 0 $? "git clone through core.gitProxy=gsswrap"
check_grep "kerberized content" "$T/clone/file.txt" "cloned content arrived"
wait_for "outcome=" "$T/git.log"
check_grep "session peer=\"alice@GSSWRAP.TEST\"" "$T/git.log" "git session authenticated as alice"
check_grep "outcome=ok" "$T/git.log" "git session ended cleanly"
KRB5CCNAME=$KDCTEST_BOB_CCACHE git -c core.gitProxy="$GSSWRAP" clone -q "git://localhost:$PORT/repo.git" "$T/clone2" >"$T/out" 2>"$T/err"
[ $? -ne 0 ] && ok "git clone as an unauthorized principal fails" || not_ok "git clone as an unauthorized principal fails"
check_grep "not authorized: principal bob@GSSWRAP.TEST" "$T/err" "git shows gsswrap's refusal"

# ssh: sshd -i behind gsswrapd, key authentication, ProxyCommand=gsswrap.
if [ -x "$SSHD" ]; then
	mkdir -p /run/sshd 2>/dev/null
	ssh-keygen -q -t ed25519 -N '' -f "$T/host_key"
	ssh-keygen -q -t ed25519 -N '' -f "$T/id"
	cp "$T/id.pub" "$T/authorized_keys"
	cat >"$T/sshd_config" <<CONF
HostKey $T/host_key
AuthorizedKeysFile $T/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin yes
StrictModes no
PidFile none
LogLevel ERROR
CONF
	serve ssh -a "alice@$KDCTEST_REALM" -- "$SSHD" -i -e -f "$T/sshd_config"
	ssh -F /dev/null -i "$T/id" -o IdentitiesOnly=yes -o BatchMode=yes \
	    -o StrictHostKeyChecking=no -o "UserKnownHostsFile=$T/known_hosts" \
	    -o "ProxyCommand=$GSSWRAP %h $PORT" "$(id -un)@localhost" \
	    'echo ssh-session-ok' >"$T/out" 2>"$T/err"
	check_status 0 $? "ssh with ProxyCommand=gsswrap into sshd -i"
	check_grep "ssh-session-ok" "$T/out" "remote command output arrived"
	wait_for "outcome=" "$T/ssh.log"
	check_grep "session peer=\"alice@GSSWRAP.TEST\"" "$T/ssh.log" "ssh session authenticated as alice"
else
	echo "# sshd not installed: ssh scenario skipped"
fi

done_testing
