#!/bin/sh
# gsswrap run with real programs on both ends: git clone from
# `git daemon --inetd`, and rsync pulling from `rsync --daemon`, each behind
# gsswrapd; and the gsswrap(1) rsync recipe (RSYNC_CONNECT_PROG).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/fixtures.sh"
require git rsync
start_realm

# git: a repository with one commit, served by git daemon --inetd.
mkdir -p "$T/src" "$T/srv"
git -C "$T/src" init -q
echo "wrapped by gsswrap run" >"$T/src/file.txt"
git -C "$T/src" add file.txt
git -C "$T/src" -c user.name=test -c user.email=test@example.invalid commit -qm first
git clone -q --bare "$T/src" "$T/srv/repo.git"
serve git -a "alice@$KDCTEST_REALM" -- git daemon --inetd --export-all \
    "--base-path=$T/srv" "$T/srv"
"$GSSWRAP" run -w "localhost:$PORT" -- git clone -q \
    "git://localhost:$PORT/repo.git" "$T/clone" >"$T/out" 2>"$T/err"
check_status 0 $? "git clone through gsswrap run"
check_grep "wrapped by gsswrap run" "$T/clone/file.txt" "  the clone has the file"
wait_for "outcome=" "$T/git.log"
check_grep "session peer=\"alice@GSSWRAP.TEST\"" "$T/git.log" "  authenticated as alice"
KRB5CCNAME=$KDCTEST_BOB_CCACHE "$GSSWRAP" run -w "localhost:$PORT" -- \
    git clone -q "git://localhost:$PORT/repo.git" "$T/clone2" >"$T/out" 2>"$T/err"
check_true "git clone as an unauthorized principal fails" test $? -ne 0
check_grep "not authorized: principal bob@GSSWRAP.TEST" "$T/err" \
    "  with gsswrap's reason on stderr"
check_true "  and no clone" test ! -e "$T/clone2/file.txt"

# rsync: a module served by rsync --daemon in inetd mode.
mkdir -p "$T/data/sub"
head -c 200000 /dev/urandom >"$T/data/a.bin"
echo "second file" >"$T/data/sub/b.txt"
cat >"$T/rsyncd.conf" <<CONF
use chroot = no
log file = $T/rsyncd.log
[data]
path = $T/data
read only = yes
CONF
serve rsync -a "alice@$KDCTEST_REALM" -- rsync --daemon "--config=$T/rsyncd.conf"
"$GSSWRAP" run -w "localhost:$PORT" -- rsync -a \
    "rsync://localhost:$PORT/data/" "$T/pulled/" >"$T/out" 2>"$T/err"
check_status 0 $? "rsync pull through gsswrap run"
check_true "  the tree arrived intact" diff -r "$T/data" "$T/pulled"
wait_for "outcome=" "$T/rsync.log"
check_grep "session peer=\"alice@GSSWRAP.TEST\"" "$T/rsync.log" "  authenticated as alice"

# The man page's recipe: rsync runs gsswrap as its connect program.
RSYNC_CONNECT_PROG="$GSSWRAP %H $PORT" rsync -a \
    "rsync://localhost/data/" "$T/pulled2/" >"$T/out" 2>"$T/err"
check_status 0 $? "rsync with RSYNC_CONNECT_PROG='gsswrap %H PORT' (gsswrap(1))"
check_true "  the tree arrived intact" diff -r "$T/data" "$T/pulled2"
rsync -a --contimeout=5 "rsync://localhost:$PORT/data/" "$T/pulled3/" \
    >"$T/out" 2>"$T/err"
check_true "plain rsync cannot talk to the wrapped daemon" test $? -ne 0

done_testing
