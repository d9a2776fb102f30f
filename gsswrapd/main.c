/*
 * gsswrapd: the server. Each client is authenticated with Kerberos,
 * authorized, and then connected to PROGRAM or to a forwarded service
 * through the protected session (conn.c). Connections come from inetd,
 * xinetd or systemd Accept=yes (fd 0, or fd 3 with LISTEN_FDS), from
 * systemd socket activation (Accept=no), or from our own listeners (-l).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gssapi/gssapi.h>

#include "check.h"
#include "conn.h"
#include "creds.h"
#include "io.h"
#include "listener.h"
#include "log.h"
#include "options.h"
#include "principal.h"
#include "status.h"

extern char **environ;

/*
 * Where diagnostics go. stderr may be the client socket (inetd, xinetd):
 * then only syslog is safe. Otherwise: syslog unless stderr is a terminal
 * or -d asks for stderr. Before the options are known, errors go to both,
 * so a mistyped command line is seen wherever the administrator looks.
 */
static void
choose_log(int parsed, int debug)
{
	/* Decided on what fd 2 was at start (it may be replaced later). */
	static int sock = -1, tty;

	if (sock == -1) {
		sock = io_is_socket(2);
		tty = isatty(2);
	}
	if (!parsed)
		log_init("gsswrapd",
		    sock ?
			LOG_TO_SYSLOG :
			(tty ? LOG_TO_STDERR : LOG_TO_STDERR | LOG_TO_SYSLOG),
		    0);
	else if (!sock && (debug || tty))
		log_init("gsswrapd", LOG_TO_STDERR, debug);
	else
		log_init("gsswrapd", LOG_TO_SYSLOG, debug);
}

/*
 * inetd mode: take the client socket from fd (0, or 3 from systemd) and
 * make sure nothing of ours can ever write to it by accident: 0 and 1
 * become /dev/null, and 2 too when it is a socket (inetd and xinetd put the
 * connection on 0, 1 and 2).
 */
static int
take_socket(int from, int *sock_out)
{
	int sock, null;

	if (!io_is_socket(from)) {
		log_err("standard input is not a socket: run gsswrapd from "
			"inetd, xinetd or systemd (Accept=yes) with the "
			"connection on fd 0, or give -l [ADDR:]PORT");
		return -1;
	}
	if ((sock = fcntl(from, F_DUPFD_CLOEXEC, 3)) == -1 ||
	    (null = open("/dev/null", O_RDWR)) == -1) {
		log_err("cannot set up descriptors: %s", strerror(errno));
		return -1;
	}
	if (from > 2)
		close(from);
	(void)dup2(null, 0);
	(void)dup2(null, 1);
	if (io_is_socket(2))
		(void)dup2(null, 2);
	if (null > 2)
		close(null);
	/* Deadlines are enforced by poll(): the socket must not block. */
	if (io_set_nonblock(sock, 1) == -1) {
		log_err("cannot make the client socket non-blocking: %s",
		    strerror(errno));
		close(sock);
		return -1;
	}
	*sock_out = sock;
	return 0;
}

static int
inetd(const struct options *o, int from)
{
	int sock, rc;

	if (take_socket(from, &sock) == -1)
		return STATUS_USAGE;
	choose_log(1, o->debug);
	rc = conn_serve(o, sock);
	close(sock);
	return rc;
}

/* acceptor(o, principal): could a session acquire its credential now? */
static int
acceptor(const struct options *o, const char *principal)
{
	gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
	OM_uint32 min;
	char desc[512];

	if (creds_acceptor(o->keytab, principal != NULL ? NULL : o->service,
		principal, &cred, desc, sizeof(desc)) == -1)
		return -1;
	gss_release_cred(&min, &cred);
	return 0;
}

/*
 * A listener that could not accept a single session must not start: the
 * keytab is read now and the acceptor's key found (each route's, with -r),
 * as sessions will, with the same messages naming keytab and principal.
 */
static int
ready_to_accept(const struct options *o)
{
	char *name;
	size_t i;
	int rc = 0;

	creds_keytab_warn(o->keytab);
	if (o->nroutes == 0)
		rc = acceptor(o, o->principal);
	for (i = 0; i < o->nroutes && rc == 0; i++) {
		name = strndup(o->routes[i], strcspn(o->routes[i], "="));
		rc = name != NULL ? acceptor(o, name) : -1;
		free(name);
	}
	if (rc == -1)
		log_err("not starting: no session could be accepted");
	return rc;
}

/* Standalone: pidfile, detach (unless -f or -d), then the accept loop. */
static int
standalone(struct options *o, int *fds, size_t nfds)
{
	struct pidfh *pfh = NULL;
	struct listener l;
	pid_t other;
	int rc;

	if (o->pidfile != NULL &&
	    (pfh = pidfile_open(o->pidfile, 0644, &other)) == NULL) {
		if (errno == EEXIST)
			log_err("already running as pid %d (pidfile %s)",
			    (int)other, o->pidfile);
		else
			log_err("cannot open pidfile %s: %s", o->pidfile,
			    strerror(errno));
		return STATUS_USAGE;
	}
	if (!o->foreground && !o->debug && daemon(0, 0) == -1) {
		log_err("cannot detach: %s", strerror(errno));
		pidfile_remove(pfh);
		return STATUS_SYS;
	}
	choose_log(1, o->debug);
	/* Signals first: a SIGTERM during what follows is a clean stop. */
	if ((rc = listener_init(&l, o, fds, nfds)) != 0) {
		pidfile_remove(pfh);
		return rc;
	}
	if (pfh != NULL)
		(void)pidfile_write(pfh);
	setproctitle("listener");
	/* Once here, not in every session process. */
	protect_warm_up(o->crypto);
	principal_warm_up();
	rc = listener_run(&l, pfh);
	if (pfh != NULL)
		pidfile_remove(pfh);
	return rc;
}

int
main(int argc, char **argv)
{
	struct options o;
	int fds[LISTENER_MAX], conn = -1, rc;
	size_t nfds = 0;

	if (io_sanitise_stdfd() == -1)
		return STATUS_SYS;
	setproctitle_init(argc, argv, environ);
	signal(SIGPIPE, SIG_IGN);
	choose_log(0, 0);
	if (options_parse(argc, argv, &o) == -1) {
		options_free(&o);
		return STATUS_USAGE;
	}
	if (o.check) {
		rc = check_run(&o);
		options_free(&o);
		return rc;
	}
	/*
	 * Our own listeners, else systemd's sockets, else inetd's fd 0. A
	 * listener that could serve nobody never listens (ready_to_accept
	 * comes first), and its warnings precede "listening on".
	 */
	if (o.nlisten > 0)
		rc = ready_to_accept(&o) == -1 ? -1 :
						 listener_open(&o, fds, &nfds);
	else if ((rc = listener_systemd(fds, &nfds, &conn)) != -1 && nfds > 0)
		rc = ready_to_accept(&o);
	if (rc == -1)
		rc = STATUS_USAGE;
	else if (nfds > 0)
		rc = standalone(&o, fds, nfds);
	else
		rc = inetd(&o, conn != -1 ? conn : 0);
	options_free(&o);
	return rc;
}
