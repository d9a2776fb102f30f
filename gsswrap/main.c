/*
 * gsswrap: the client. `gsswrap [OPTIONS] HOST PORT` connects to a gsswrapd,
 * authenticates with Kerberos and relays stdin/stdout through the
 * protected session (usable as git's core.gitProxy or ssh's ProxyCommand);
 * `gsswrap -L [ADDR:]LPORT HOST PORT` forwards a local port (forward.c),
 * `gsswrap run` starts a command (run.c), --check diagnoses (check.c). The
 * command line is cmdline.c's.
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "check.h"
#include "client.h"
#include "cmdline.h"
#include "forward.h"
#include "io.h"
#include "log.h"
#include "run.h"
#include "status.h"

/* Non-blocking stdio (not terminals), restored on the way out. */
struct stdio_state {
	int flags[2];
};

static void
stdio_nonblock(struct stdio_state *st)
{
	int fd;

	for (fd = 0; fd < 2; fd++) {
		st->flags[fd] = fcntl(fd, F_GETFL);
		if (st->flags[fd] != -1 && !isatty(fd))
			(void)io_set_nonblock(fd, 1);
	}
}

static void
stdio_restore(const struct stdio_state *st)
{
	int fd;

	for (fd = 0; fd < 2; fd++)
		if (st->flags[fd] != -1)
			(void)fcntl(fd, F_SETFL, st->flags[fd]);
}

/*
 * stdio mode: one session on our own stdin and stdout; the exit status is
 * the remote program's when the session ended cleanly.
 */
static int
run_stdio(const struct client *c)
{
	struct stdio_state stdio;
	int rc, remote;

	stdio_nonblock(&stdio);
	rc = client_session(c, 0, 1, &remote);
	stdio_restore(&stdio);
	if (rc != 0 || remote == -1)
		return rc;
	/*
	 * Like ssh: a clean session ends with the remote program's status.
	 * One that falls among our own codes is said to be the program's, so
	 * that a script reading stderr can always tell (gsswrap(1)).
	 */
	if (remote >= STATUS_USAGE && remote <= STATUS_SYS)
		log_warn("the remote program exited with status %d (its own, "
			 "not a gsswrap failure)",
		    remote);
	return remote;
}

int
main(int argc, char **argv)
{
	struct client c;
	int rc;

	if (io_sanitise_stdfd() == -1)
		return STATUS_SYS;
	signal(SIGPIPE, SIG_IGN);
	log_init("gsswrap", LOG_TO_STDERR, 0);
	if (cmdline_parse(argc, argv, &c) == -1)
		return STATUS_USAGE;
	log_init("gsswrap", LOG_TO_STDERR, c.verbose);
	if (c.run_argv != NULL) {
		rc = run_main(&c);
		client_release(&c);
		return rc;
	}
	/* Credentials first: no ticket is reported before any connection. */
	rc = client_prepare(&c);
	if (c.check && rc != STATUS_USAGE)
		rc = check_run(&c, rc);
	else if (rc == 0)
		rc = c.listen != NULL ? forward_run(&c) : run_stdio(&c);
	client_release(&c);
	return rc;
}
