/* Starting the wrapped program with a clean process state. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "io.h"
#include "localuser.h"
#include "log.h"
#include "spawn.h"

extern char **environ;

/* Variables the program must not inherit from us (our own settings). */
static const char *const scrubbed[] = { "KRB5_KTNAME", "KRB5_CLIENT_KTNAME",
	"KRB5CCNAME", "REMOTE_USER", "GSSWRAP_PEER", "GSSWRAP_MECH",
	"GSSWRAP_SERVICE", "GSSWRAP_REMOTE_ADDR", "GSSWRAP_REMOTE_PORT",
	"GSSWRAP_LOCAL_USER", NULL };

static void
child_env(const struct spawn_identity *id)
{
	size_t i;
	char **e;

	for (i = 0; scrubbed[i] != NULL; i++)
		(void)unsetenv(scrubbed[i]);
	/* Any other GSSWRAP_* is ours too. */
	for (e = environ; *e != NULL;) {
		if (strncmp(*e, "GSSWRAP_", 8) == 0) {
			char name[256];
			size_t n = strcspn(*e, "=");

			if (n >= sizeof(name))
				n = sizeof(name) - 1;
			memcpy(name, *e, n);
			name[n] = '\0';
			(void)unsetenv(name);
			e = environ;
			continue;
		}
		e++;
	}
	(void)setenv("GSSWRAP_PEER", id->peer, 1);
	(void)setenv("REMOTE_USER", id->peer, 1);
	(void)setenv("GSSWRAP_MECH", id->mech, 1);
	(void)setenv("GSSWRAP_SERVICE", id->service, 1);
	(void)setenv("GSSWRAP_REMOTE_ADDR", id->addr, 1);
	(void)setenv("GSSWRAP_REMOTE_PORT", id->port, 1);
	if (id->ccache != NULL)
		(void)setenv("KRB5CCNAME", id->ccache, 1);
}

/* In the child: never returns. statusfd reports an exec failure. */
static void
child(char *const argv[], const struct spawn_identity *id, int sock, int errw,
    int statusfd)
{
	sigset_t none;
	int sig, report = statusfd, st[2] = { 0, 0 }; /* stage, errno */

	/* Its own session and process group: SIGHUP reaches all of it. */
	(void)setsid();
	for (sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(sock, 0) == -1 || dup2(sock, 1) == -1 || dup2(errw, 2) == -1 ||
	    dup2(statusfd, 3) == -1 || io_set_cloexec(3) == -1)
		goto fail;
	report = 3;
	closefrom(4);
	child_env(id);
	if (id->user != NULL && localuser_become(id->user) == -1) {
		st[0] = 1;
		goto fail;
	}
	execvp(argv[0], argv);
fail:
	st[1] = errno;
	(void)!write(report, st, sizeof(st));
	_exit(127);
}

int
spawn_program(char *const argv[], const struct spawn_identity *id,
    pid_t *pid_out, int *sock_out, int *err_out)
{
	int sp[2] = { -1, -1 }, ep[2] = { -1, -1 }, st[2] = { -1, -1 };
	int e = 0, st_in[2] = { 0, 0 }, status;
	ssize_t n;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1 ||
	    pipe2(ep, O_CLOEXEC) == -1 || pipe2(st, O_CLOEXEC) == -1) {
		log_err("cannot create pipes for %s: %s", argv[0],
		    strerror(errno));
		goto fail;
	}
	if ((pid = fork()) == -1) {
		log_err("cannot fork for %s: %s", argv[0], strerror(errno));
		goto fail;
	}
	if (pid == 0)
		child(argv, id, sp[1], ep[1], st[1]);
	close(sp[1]);
	close(st[1]);
	close(ep[1]);
	sp[1] = st[1] = ep[1] = -1;
	/* EOF: exec succeeded. Otherwise the stage that failed, and errno. */
	while ((n = read(st[0], st_in, sizeof(st_in))) == -1 && errno == EINTR)
		;
	close(st[0]);
	st[0] = -1;
	if (n == (ssize_t)sizeof(st_in)) {
		if (st_in[0] == 1)
			log_err("cannot become local user %s for %s: %s",
			    id->user != NULL ? id->user->name : "?", argv[0],
			    strerror(st_in[1]));
		else
			log_err("cannot execute %s: %s", argv[0],
			    strerror(st_in[1]));
		(void)waitpid(pid, &status, 0);
		goto fail;
	}
	(void)io_set_nonblock(sp[0], 1);
	(void)io_set_nonblock(ep[0], 1);
	*pid_out = pid;
	*sock_out = sp[0];
	*err_out = ep[0];
	return 0;
fail:
	for (e = 0; e < 2; e++) {
		if (sp[e] != -1)
			close(sp[e]);
		if (ep[e] != -1)
			close(ep[e]);
		if (st[e] != -1)
			close(st[e]);
	}
	return -1;
}
