/*
 * gsswrapd: the server shim. Run by inetd, xinetd, systemd (Accept=yes) or
 * socat with the client socket on fd 0: it accepts a Kerberos security
 * context with a keytab, authorizes the client principal, then runs
 * PROGRAM and relays its stdin/stdout through the protected session.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <gssapi/gssapi.h>

#include "acl.h"
#include "args.h"
#include "creds.h"
#include "frame.h"
#include "handshake.h"
#include "io.h"
#include "log.h"
#include "net.h"
#include "record.h"
#include "relay.h"
#include "session.h"
#include "spawn.h"
#include "status.h"

#define DEFAULT_HANDSHAKE 10

struct options {
	const char *keytab;
	const char *service;
	const char *principal;
	struct acl *acl;
	int has_policy;
	int allow_any;
	unsigned int handshake;
	int debug;
	char **argv; /* PROGRAM ARGS */
};

/* Everything known about the connection, for messages and the log line. */
struct conn {
	int sock;
	char addr[64], port[16];
	char peer[128];	   /* "client ADDR port PORT" */
	char client[512];  /* client principal */
	char service[512]; /* acceptor principal used */
	int64_t start;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: gsswrapd [-k KEYTAB] [-s SERVICE | -p PRINCIPAL] POLICY "
	    "[-T SECONDS] [-d]\n"
	    "                -- PROGRAM [ARGS...]\n"
	    "       gsswrapd -h | -V\n"
	    "Run from inetd/xinetd/systemd with the client socket on fd 0: "
	    "authenticate the\nclient with Kerberos, authorize it, then run "
	    "PROGRAM over the encrypted session.\n"
	    "  -k KEYTAB       keytab with the service key (default: the "
	    "default keytab)\n"
	    "  -s SERVICE      accept SERVICE/<any host in the keytab> "
	    "(default: host)\n"
	    "  -p PRINCIPAL    accept exactly this service principal\n"
	    "  POLICY, at least one of:\n"
	    "    -a PRINCIPAL  allow this client principal, or *@REALM "
	    "(repeatable)\n"
	    "    -A ACL_FILE   allow the entries of this file\n"
	    "    --allow-any   allow any principal of the service's realm\n"
	    "  -T SECONDS      handshake deadline (default %d, 0 = none)\n"
	    "  -d              log to stderr instead of syslog\n"
	    "Exit status: 0 success, %d usage, %d authentication refused, "
	    "%d protocol\nviolation, %d truncated, %d network or system "
	    "failure. See gsswrapd(8).\n",
	    DEFAULT_HANDSHAKE, STATUS_USAGE, STATUS_AUTH, STATUS_PROTO,
	    STATUS_TRUNC, STATUS_SYS);
}

static int
add_policy(struct options *o, const char *entry)
{
	char err[256];

	if (acl_add(o->acl, entry, err, sizeof(err)) == -1) {
		log_err("-a %s: %s", entry, err);
		return -1;
	}
	o->has_policy = 1;
	return 0;
}

static int
parse(int argc, char **argv, struct options *o)
{
	enum { OPT_ALLOW_ANY = 256 };
	static const struct option longopts[] = {
		{ "allow-any", no_argument, NULL, OPT_ALLOW_ANY },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->service = "host";
	o->handshake = DEFAULT_HANDSHAKE;
	while ((c = getopt_long(argc, argv, "+k:s:p:a:A:T:dhV", longopts,
		    NULL)) != -1) {
		switch (c) {
		case 'k':
			o->keytab = optarg;
			break;
		case 's':
			o->service = optarg;
			break;
		case 'p':
			o->principal = optarg;
			break;
		case 'a':
			if (add_policy(o, optarg) == -1)
				return -1;
			break;
		case 'A':
			if (acl_load(o->acl, optarg) == -1)
				return -1;
			o->has_policy = 1;
			break;
		case OPT_ALLOW_ANY:
			o->allow_any = 1;
			o->has_policy = 1;
			break;
		case 'T':
			if (args_seconds(optarg, "-T", &o->handshake) == -1)
				return -1;
			break;
		case 'd':
			o->debug = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("gsswrapd %s (protocol 1)\n", PACKAGE_VERSION);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (!o->has_policy) {
		log_err("no authorization policy: give -a PRINCIPAL, "
			"-A ACL_FILE or --allow-any");
		return -1;
	}
	if (optind >= argc) {
		log_err("no PROGRAM to run (gsswrapd ... -- PROGRAM [ARGS])");
		return -1;
	}
	o->argv = argv + optind;
	return 0;
}

/*
 * Take the client socket from fd 0 and make sure nothing of ours can ever
 * write to it by accident: 0 and 1 become /dev/null, and 2 too when it is a
 * socket (inetd and xinetd put the connection on 0, 1 and 2).
 */
static int
take_socket(int *sock_out)
{
	int sock, null;

	if (!io_is_socket(0)) {
		log_err("standard input is not a socket: run gsswrapd from "
			"inetd, xinetd or systemd (Accept=yes) with the "
			"connection on fd 0");
		return -1;
	}
	if ((sock = fcntl(0, F_DUPFD_CLOEXEC, 3)) == -1 ||
	    (null = open("/dev/null", O_RDWR)) == -1) {
		log_err("cannot set up descriptors: %s", strerror(errno));
		return -1;
	}
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
	net_nodelay(sock);
	*sock_out = sock;
	return 0;
}

/*
 * Lingering close after a refusal: stop sending, then read and drop what
 * the client still sends for a moment, so the ABORT is not lost to a reset.
 */
static void
linger_close(int sock)
{
	int64_t deadline = io_now_ms() + 2000;
	char junk[4096];

	(void)shutdown(sock, SHUT_WR);
	while (io_wait(sock, POLLIN, deadline) == 0 &&
	    read(sock, junk, sizeof(junk)) > 0)
		;
}

static int
authorize(const struct options *o, struct conn *c, struct record *r)
{
	char reason[1100]; /* truncated to FRAME_MAX_ABORT_TEXT when sent */
	const char *realm = acl_realm(c->service);

	if (o->allow_any && realm != NULL &&
	    acl_allow_realm(o->acl, realm) == -1) {
		log_err("out of memory");
		return STATUS_SYS;
	}
	if (acl_check(o->acl, c->client))
		return 0;
	log_err("refusing %s from %s: not authorized for %s", c->client,
	    c->peer, c->service);
	snprintf(reason, sizeof(reason),
	    "principal %s is not authorized "
	    "for %s",
	    c->client, c->service);
	record_abort(r, FRAME_ABORT_UNAUTHORIZED, reason);
	return STATUS_AUTH;
}

/* Run PROGRAM and relay; the program's exit status goes to *wstatus. */
static int
serve(const struct options *o, struct conn *c, struct record *r,
    struct relay_stats *st, int *wstatus)
{
	struct spawn_identity id = { c->client, "krb5", c->service, c->addr,
		c->port };
	struct relay_ends ends;
	pid_t pid;
	int psock, perr, rc;

	if (spawn_program(o->argv, &id, &pid, &psock, &perr) == -1) {
		record_abort(r, FRAME_ABORT_UNAVAILABLE,
		    "the service program could not be started");
		snprintf(st->reason, sizeof(st->reason), "program failed");
		return STATUS_SYS;
	}
	ends.in = psock;
	ends.out = psock;
	ends.log = perr;
	ends.log_label = o->argv[0];
	rc = relay_run(r, &ends, st);
	/* The program sees EOF/EPIPE from here on. */
	close(psock);
	while (waitpid(pid, wstatus, 0) == -1 && errno == EINTR)
		;
	close(perr);
	return rc;
}

static void
log_session(const struct conn *c, int rc, const struct relay_stats *st,
    int wstatus)
{
	char prog[64] = "not run";
	int64_t ms = io_now_ms() - c->start;

	if (wstatus != -1 && WIFEXITED(wstatus))
		snprintf(prog, sizeof(prog), "exit %d", WEXITSTATUS(wstatus));
	else if (wstatus != -1 && WIFSIGNALED(wstatus))
		snprintf(prog, sizeof(prog), "signal %d", WTERMSIG(wstatus));
	log_info("session peer=%s addr=%s port=%s service=%s mech=krb5 "
		 "outcome=%s bytes_in=%llu bytes_out=%llu "
		 "duration=%lld.%03llds "
		 "program=%s reason=\"%s\"",
	    c->client[0] ? c->client : "-", c->addr, c->port,
	    c->service[0] ? c->service : "-", rc == 0 ? "ok" : "failed",
	    (unsigned long long)st->bytes_in, (unsigned long long)st->bytes_out,
	    (long long)(ms / 1000), (long long)(ms % 1000), prog, st->reason);
}

static int
session(const struct options *o, struct conn *c, struct relay_stats *st,
    int *wstatus)
{
	gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
	gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
	struct record *r = NULL;
	int64_t deadline = io_deadline(o->handshake);
	char desc[512];
	OM_uint32 min;
	int rc;

	snprintf(st->reason, sizeof(st->reason), "authentication failed");
	if (creds_acceptor(o->keytab, o->service, o->principal, &cred, desc,
		sizeof(desc)) == -1) {
		handshake_refuse(c->sock, FRAME_ERR_INTERNAL, c->peer,
		    deadline);
		linger_close(c->sock);
		snprintf(st->reason, sizeof(st->reason), "no acceptor key");
		return STATUS_SYS;
	}
	rc = handshake_accept(c->sock, cred, c->peer, deadline, &ctx, c->client,
	    sizeof(c->client), c->service, sizeof(c->service));
	gss_release_cred(&min, &cred);
	if (ctx == GSS_C_NO_CONTEXT)
		return rc;
	if ((r = record_new(c->sock, ctx, c->peer)) == NULL) {
		gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
		return STATUS_SYS;
	}
	if (rc != 0) {
		record_abort(r, FRAME_ABORT_PROTOCOL,
		    "security requirements not met (see the server log)");
		goto done;
	}
	snprintf(st->reason, sizeof(st->reason), "not authorized");
	if ((rc = authorize(o, c, r)) != 0)
		goto done;
	snprintf(st->reason, sizeof(st->reason), "hello failed");
	if ((rc = session_hello_acceptor(r, deadline)) != 0)
		goto done;
	rc = serve(o, c, r, st, wstatus);
done:
	if (rc == STATUS_AUTH)
		linger_close(c->sock);
	record_free(r);
	return rc;
}

/*
 * Where diagnostics go. stderr may be the client socket (inetd, xinetd):
 * then only syslog is safe. Otherwise: syslog unless stderr is a terminal
 * or -d asks for stderr. Before the options are known, errors go to both,
 * so a mistyped command line is seen wherever the administrator looks.
 */
static void
choose_log(int parsed, int debug)
{
	/* Decided on what fd 2 was at start (take_socket may replace it). */
	static int sock = -1, tty;

	if (sock == -1) {
		sock = io_is_socket(2);
		tty = isatty(2);
	}

	if (!parsed)
		log_init("gsswrapd",
		    sock    ? LOG_TO_SYSLOG :
			tty ? LOG_TO_STDERR :
			      LOG_TO_STDERR | LOG_TO_SYSLOG,
		    0);
	else if (!sock && (debug || tty))
		log_init("gsswrapd", LOG_TO_STDERR, debug);
	else
		log_init("gsswrapd", LOG_TO_SYSLOG, debug);
}

int
main(int argc, char **argv)
{
	struct options o;
	struct conn c;
	struct relay_stats st;
	int rc, wstatus = -1;

	if (io_sanitise_stdfd() == -1)
		return STATUS_SYS;
	signal(SIGPIPE, SIG_IGN);
	memset(&o, 0, sizeof(o));
	memset(&c, 0, sizeof(c));
	memset(&st, 0, sizeof(st));
	c.start = io_now_ms();
	choose_log(0, 0);
	if ((o.acl = acl_new()) == NULL) {
		log_err("out of memory");
		return STATUS_SYS;
	}
	if (parse(argc, argv, &o) == -1) {
		acl_free(o.acl);
		return STATUS_USAGE;
	}
	if (take_socket(&c.sock) == -1) {
		acl_free(o.acl);
		return STATUS_USAGE;
	}
	choose_log(1, o.debug);
	net_peer_text(c.sock, c.addr, sizeof(c.addr), c.port, sizeof(c.port));
	snprintf(c.peer, sizeof(c.peer), "client %s port %s", c.addr, c.port);
	rc = session(&o, &c, &st, &wstatus);
	log_session(&c, rc, &st, wstatus);
	close(c.sock);
	acl_free(o.acl);
	return rc;
}
