/* The command prefix and its agent (run.h, runproto.h). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include "client.h"
#include "creds.h"
#include "execcheck.h"
#include "io.h"
#include "log.h"
#include "net.h"
#include "record.h"
#include "rules.h"
#include "run.h"
#include "runproto.h"
#include "sigevents.h"
#include "status.h"
#include "supervise.h"

#define RUN_REQ_SECONDS 10 /* for the shim's request after connecting */
#define MAX_RULE_FILES 8

struct agent {
	struct client *c;
	struct rules rules;
	char cmd[PATH_MAX]; /* CMD resolved on $PATH */
	char **argv;	    /* CMD and its arguments */
	const char *shim;   /* the preload library */
	char dir[PATH_MAX]; /* private directory of the socket */
	char sock[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int listen_fd;
	pid_t pid;   /* CMD */
	int wstatus; /* CMD's, once it ended */
};

static void
run_usage(void)
{
	log_err("usage: gsswrap [OPTIONS] run [-w HOST:PORT]... [-W FILE]... "
		"-- CMD [ARGS...]");
}

/* The rule files read when no -W is given: the user's, then the host's. */
static int
load_default_rules(struct rules *rs)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char path[PATH_MAX];

	path[0] = '\0';
	if (xdg != NULL && xdg[0] == '/')
		snprintf(path, sizeof(path), "%s/gsswrap/wrap", xdg);
	else if (home != NULL && home[0] == '/')
		snprintf(path, sizeof(path), "%s/.config/gsswrap/wrap", home);
	if (path[0] != '\0' && rules_load(rs, path, 0) == -1)
		return -1;
	return rules_load(rs, SYSCONFDIR "/gsswrap/wrap", 0) == -1 ? -1 : 0;
}

static int
parse_run(struct agent *a)
{
	const char *files[MAX_RULE_FILES];
	struct client *c = a->c;
	size_t nfiles = 0, i;
	char err[128];
	int ch;

	optind = 0; /* a fresh scan of the run arguments */
	while ((ch = getopt(c->run_argc, c->run_argv, "+w:W:")) != -1) {
		switch (ch) {
		case 'w':
			if (rules_add(&a->rules, optarg, "-w", err,
				sizeof(err)) == -1) {
				log_err("-w %s: %s", optarg, err);
				return -1;
			}
			break;
		case 'W':
			if (nfiles == MAX_RULE_FILES) {
				log_err("at most %d -W files", MAX_RULE_FILES);
				return -1;
			}
			files[nfiles++] = optarg;
			break;
		default:
			run_usage();
			return -1;
		}
	}
	if (optind >= c->run_argc) {
		log_err("run: no command given");
		run_usage();
		return -1;
	}
	a->argv = c->run_argv + optind;
	for (i = 0; i < nfiles; i++)
		if (rules_load(&a->rules, files[i], 1) == -1)
			return -1;
	if (nfiles == 0 && load_default_rules(&a->rules) == -1)
		return -1;
	if (a->rules.n == 0) {
		log_err("run: no destination to wrap: give -w HOST:PORT, or "
			"rules in a file (-W FILE, ~/.config/gsswrap/wrap, "
			"%s/gsswrap/wrap)",
		    SYSCONFDIR);
		return -1;
	}
	return 0;
}

/* CMD must exist and be reachable by the preload library. */
static int
check_command(struct agent *a)
{
	char why[PATH_MAX + 128];

	if (execcheck_resolve(a->argv[0], a->cmd, sizeof(a->cmd)) == -1 ||
	    access(a->cmd, X_OK) == -1) {
		log_err("%s: command not found or not executable", a->argv[0]);
		return RUN_NOTFOUND;
	}
	if (execcheck_file(a->cmd, why, sizeof(why)) == -1) {
		log_err("refusing to run %s: its connections could not be "
			"wrapped (use gsswrap -L or HOST PORT instead)",
		    why);
		return RUN_CANNOT;
	}
	a->shim = getenv("GSSWRAP_PRELOAD");
	if (a->shim == NULL || a->shim[0] == '\0')
		a->shim = GSSWRAP_SHIM_PATH;
	if (access(a->shim, R_OK) == -1) {
		log_err("preload library %s: %s", a->shim, strerror(errno));
		return STATUS_SYS;
	}
	return 0;
}

/* A private directory (0700) with the agent's socket in it. */
static int
open_agent_socket(struct agent *a)
{
	const char *base = getenv("XDG_RUNTIME_DIR");
	struct sockaddr_un sun;
	int fd;

	if (base == NULL || base[0] != '/' || access(base, W_OK) == -1)
		base = getenv("TMPDIR");
	if (base == NULL || base[0] != '/' || access(base, W_OK) == -1)
		base = "/tmp";
	if ((size_t)snprintf(a->dir, sizeof(a->dir), "%s/gsswrap-XXXXXX",
		base) >= sizeof(a->dir) ||
	    mkdtemp(a->dir) == NULL) {
		log_err("cannot create a private directory in %s: %s", base,
		    strerror(errno));
		a->dir[0] = '\0';
		return -1;
	}
	if ((size_t)snprintf(a->sock, sizeof(a->sock), "%s/agent", a->dir) >=
	    sizeof(a->sock)) {
		log_err("agent socket path in %s is too long", a->dir);
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, a->sock, strlen(a->sock) + 1);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, SOMAXCONN) == -1) {
		log_err("agent socket %s: %s", a->sock, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	a->listen_fd = fd;
	return 0;
}

static void
close_agent_socket(struct agent *a)
{
	if (a->listen_fd != -1)
		close(a->listen_fd);
	if (a->dir[0] != '\0') {
		(void)unlink(a->sock);
		(void)rmdir(a->dir);
	}
}

/* In the child: CMD with the preload library and the agent's address. */
static void __attribute__((noreturn)) exec_command(const struct agent *a)
{
	const char *old = getenv("LD_PRELOAD");
	char preload[PATH_MAX * 2];

	sigevents_child();
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	snprintf(preload, sizeof(preload), "%s%s%s", a->shim,
	    old != NULL && old[0] != '\0' ? ":" : "", old != NULL ? old : "");
	if (setenv("LD_PRELOAD", preload, 1) == -1 ||
	    setenv(RUNPROTO_ENV, a->sock, 1) == -1) {
		log_err("cannot set the environment: %s", strerror(errno));
		_exit(RUN_CANNOT);
	}
	execv(a->cmd, a->argv);
	log_err("cannot run %s: %s", a->cmd, strerror(errno));
	_exit(errno == ENOENT ? RUN_NOTFOUND : RUN_CANNOT);
}

/* --- one intercepted connect(), in a process of its own ---------------- */

static int
reply(int ctl, uint32_t what, int err, int fd)
{
	struct runproto_reply rep;
	socklen_t len = sizeof(rep.local);

	memset(&rep, 0, sizeof(rep));
	rep.version = RUNPROTO_VERSION;
	rep.what = what;
	rep.err = err;
	if (fd != -1 &&
	    getsockname(fd, (struct sockaddr *)&rep.local, &len) == 0)
		rep.addrlen = len;
	return send(ctl, &rep, sizeof(rep), MSG_NOSIGNAL) ==
		(ssize_t)sizeof(rep) ?
	    0 :
	    -1;
}

static int
read_request(int ctl, struct runproto_req *req)
{
	int64_t deadline = io_deadline(RUN_REQ_SECONDS);
	struct ucred cred;
	socklen_t clen = sizeof(cred);

	/* Only our own user's programs may use the agent. */
	if (getsockopt(ctl, SOL_SOCKET, SO_PEERCRED, &cred, &clen) == -1 ||
	    cred.uid != getuid())
		return -1;
	if (io_wait(ctl, POLLIN, deadline) == -1 ||
	    recv(ctl, req, sizeof(*req), 0) != (ssize_t)sizeof(*req) ||
	    req->version != RUNPROTO_VERSION)
		return -1;
	req->host[sizeof(req->host) - 1] = '\0';
	if (req->addr.ss_family == AF_INET)
		return req->addrlen == sizeof(struct sockaddr_in) ? 0 : -1;
	if (req->addr.ss_family == AF_INET6)
		return req->addrlen == sizeof(struct sockaddr_in6) ? 0 : -1;
	return -1;
}

/* The shim's runproto_go: the fill count and our end of its pair. */
static int
read_go(int ctl, uint32_t *fill, int *end)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct runproto_go go;
	struct iovec iov = { &go, sizeof(go) };
	struct msghdr msg;
	struct cmsghdr *cm;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	if (io_wait(ctl, POLLIN, io_deadline(RUN_REQ_SECONDS)) == -1 ||
	    recvmsg(ctl, &msg, MSG_CMSG_CLOEXEC) != (ssize_t)sizeof(go))
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (cm == NULL || cm->cmsg_level != SOL_SOCKET ||
	    cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(end, CMSG_DATA(cm), sizeof(int));
	if (go.version != RUNPROTO_VERSION || !io_is_socket(*end)) {
		close(*end);
		return -1;
	}
	*fill = go.fill;
	return 0;
}

/* Read and discard the shim's gate filler (runproto.h). */
static int
discard(int end, uint32_t fill)
{
	char buf[4096];
	size_t want;

	while (fill > 0) {
		want = fill < sizeof(buf) ? fill : sizeof(buf);
		if (io_read_full(end, buf, want,
			io_deadline(RUN_REQ_SECONDS)) != (ssize_t)want)
			return -1;
		fill -= (uint32_t)want;
	}
	return 0;
}

/* The port of an IPv4 or IPv6 address, in host order. */
static unsigned int
sa_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

/* The errno a program's connect() reports for one of our failures. */
static int
failure_errno(int status)
{
	return status == STATUS_AUTH ? EACCES : ECONNREFUSED;
}

/*
 * Authenticate to the destination of req per rule r, then tell the shim
 * and relay its end. Returns the session's status.
 */
static int
wrap_session(const struct client *c, const struct rule *r,
    const struct runproto_req *req, const char *host, int ctl, int end,
    uint32_t fill)
{
	const char *service = c->service, *principal = c->principal;
	char addr[64], port[16], peer[RULES_HOST_MAX + 32], desc[512];
	gss_name_t target = GSS_C_NO_NAME;
	struct record *rec = NULL;
	int64_t deadline = io_deadline(c->timeout);
	OM_uint32 min;
	int fd = -1, rc, remote;

	if (net_addr_text((const struct sockaddr *)&req->addr, req->addrlen,
		addr, sizeof(addr), port, sizeof(port)) == -1)
		snprintf(addr, sizeof(addr), "?");
	snprintf(peer, sizeof(peer), "%s port %s", host[0] ? host : addr, port);
	if (r->target[0] != '\0') {
		principal = strpbrk(r->target, "@/") ? r->target : NULL;
		service = principal ? service : r->target;
	}
	log_debug("wrapping %s (rule %s)", peer, r->origin);
	if (creds_target(service, host[0] ? host : addr, principal, &target,
		desc, sizeof(desc)) == -1) {
		rc = STATUS_USAGE;
		goto fail;
	}
	if (net_connect_addr((const struct sockaddr *)&req->addr, req->addrlen,
		deadline, &fd) == -1) {
		int e = errno;

		log_err("cannot connect to %s: %s", peer, strerror(e));
		(void)reply(ctl, RUNPROTO_DONE, e, -1);
		rc = STATUS_SYS;
		goto done;
	}
	if ((rc = client_establish(c, fd, target, desc, peer, deadline,
		 &rec)) != 0)
		goto fail;
	/* The verdict first, then open the gate: see runproto.h. */
	if (reply(ctl, RUNPROTO_DONE, 0, fd) == -1 ||
	    discard(end, fill) == -1) {
		log_err("the program gave up its connection to %s", peer);
		rc = STATUS_SYS;
		goto done;
	}
	if (io_set_nonblock(end, 1) == -1) {
		rc = STATUS_SYS;
		goto done;
	}
	rc = client_relay(rec, end, end, &remote);
	goto done;
fail:
	(void)reply(ctl, RUNPROTO_DONE, failure_errno(rc), -1);
done:
	record_free(rec);
	if (fd != -1)
		close(fd);
	gss_release_name(&min, &target);
	return rc;
}

/* A session: one connect() the shim asks about, on ctl. */
static int
serve_connect(void *arg, int ctl)
{
	struct agent *a = arg;
	struct runproto_req req;
	const struct rule *r;
	char addr[64], port[16], host[RULES_HOST_MAX];
	uint32_t fill;
	int end;

	if (io_set_nonblock(ctl, 0) == -1 || read_request(ctl, &req) == -1 ||
	    net_addr_text((struct sockaddr *)&req.addr, req.addrlen, addr,
		sizeof(addr), port, sizeof(port)) == -1)
		return STATUS_PROTO;
	snprintf(host, sizeof(host), "%s", req.host);
	r = rules_match(&a->rules, host, addr, sa_port(&req.addr));
	if (r == NULL) {
		r = rules_match_resolved(&a->rules,
		    (struct sockaddr *)&req.addr, sa_port(&req.addr));
		if (r != NULL)
			snprintf(host, sizeof(host), "%s", r->host);
	}
	if (r == NULL) {
		log_debug("not wrapping %s port %s", host[0] ? host : addr,
		    port);
		return reply(ctl, RUNPROTO_PASS, 0, -1) == 0 ? 0 : STATUS_SYS;
	}
	if (reply(ctl, RUNPROTO_WRAP, 0, -1) == -1 ||
	    read_go(ctl, &fill, &end) == -1)
		return STATUS_PROTO;
	return wrap_session(a->c, r, &req, host, ctl, end, fill);
}

/* --- the agent's loop -------------------------------------------------- */

static int
exit_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	return WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) : STATUS_SYS;
}

/* SIGTERM and SIGHUP go to CMD while it lives (its pid is not ours after). */
static void
pass_signal(void *arg, struct supervise *s, int sig)
{
	const struct agent *a = arg;

	if (!s->finishing)
		(void)kill(a->pid, sig);
}

/* CMD's end: the agent ends with the last session it asked for. */
static int
command_exit(void *arg, struct supervise *s, pid_t pid, int wstatus)
{
	struct agent *a = arg;

	if (pid != a->pid)
		return 0;
	a->wstatus = wstatus;
	s->finishing = 1;
	return 1;
}

/*
 * The agent's socket served by the supervisor, its signals caught before
 * CMD starts: a session per intercepted connect(), the end with CMD's.
 */
static int
agent_supervisor(struct agent *a, struct supervise *s)
{
	memset(s, 0, sizeof(*s));
	s->fds[0] = a->listen_fd;
	s->nfds = 1;
	s->accept_flags = SOCK_CLOEXEC;
	s->signals[0] = SIGTERM;
	s->signals[1] = SIGHUP;
	s->arg = a;
	s->session = serve_connect;
	s->on_signal = pass_signal;
	s->on_exit = command_exit;
	return supervise_init(s);
}

int
run_main(struct client *c)
{
	struct supervise s;
	struct agent a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.c = c;
	a.listen_fd = -1;
	if (parse_run(&a) == -1) {
		rc = STATUS_USAGE;
		goto out;
	}
	if ((rc = check_command(&a)) != 0 || (rc = client_prepare(c)) != 0)
		goto out;
	/* The terminal's ^C and ^\ are CMD's to handle; we outlive it. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	if (open_agent_socket(&a) == -1 || agent_supervisor(&a, &s) == -1) {
		rc = STATUS_SYS;
		goto out;
	}
	log_debug("agent %s, %zu rule(s), running %s", a.sock, a.rules.n,
	    a.cmd);
	if ((a.pid = fork()) == 0)
		exec_command(&a);
	if (a.pid == -1) {
		log_err("cannot fork: %s", strerror(errno));
		rc = STATUS_SYS;
		goto out;
	}
	/* Once here, not in every session process. */
	protect_warm_up(c->crypto);
	rc = supervise_run(&s) == -1 ? STATUS_SYS : exit_code(a.wstatus);
	a.listen_fd = -1; /* closed by the supervisor */
out:
	close_agent_socket(&a);
	rules_free(&a.rules);
	return rc;
}
