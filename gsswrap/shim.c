/*
 * gsswrap-preload.so: the shim `gsswrap run` preloads into a program
 * (gsswrap(1), COMMAND PREFIX). It links no GSS or Kerberos library and
 * holds no secret: for each TCP connect() it asks the agent named by
 * GSSWRAP_AGENT whether the destination is wrapped (runproto.h). If so, the
 * program's descriptor is replaced by one end of a socketpair whose other
 * end the agent relays through an authenticated session; otherwise the
 * program connects as usual. When the agent cannot be asked, connect()
 * fails: nothing is sent in plaintext for lack of an answer.
 *
 * What the program sees of a wrapped descriptor stays TCP-like: connect()
 * blocks or returns EINPROGRESS as it would, the descriptor becomes
 * writable when the session is up (or has failed, SO_ERROR then says why),
 * getpeername() gives the destination, and IP/TCP-level socket options go
 * to the original socket, kept aside as a "shadow".
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "addrkey.h"
#include "execcheck.h"
#include "runproto.h"

#define SHIM_API __attribute__((visibility("default")))
#define NAMES 64	       /* host names remembered from getaddrinfo */
#define TABLE_MAX (1 << 20)    /* descriptors we can track */
#define GATE_MAX (1024 * 1024) /* bound on the gate's filler */
#define PRELOAD_MAX 4096

extern char **environ;

/* --- the next definitions of what we wrap ------------------------------ */

typedef int connect_fn(int, const struct sockaddr *, socklen_t);
typedef int close_fn(int);
typedef int dup3_fn(int, int, int);
typedef int dup2_fn(int, int);
typedef int getname_fn(int, struct sockaddr *, socklen_t *);
typedef int getsockopt_fn(int, int, int, void *, socklen_t *);
typedef int setsockopt_fn(int, int, int, const void *, socklen_t);
typedef int getaddrinfo_fn(const char *, const char *, const struct addrinfo *,
    struct addrinfo **);
typedef int execve_fn(const char *, char *const[], char *const[]);
typedef int execvpe_fn(const char *, char *const[], char *const[]);
typedef int spawn_fn(pid_t *, const char *, const posix_spawn_file_actions_t *,
    const posix_spawnattr_t *, char *const[], char *const[]);

static void *
next_symbol(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (f == NULL) {
		static const char msg[] = "gsswrap: preload: missing symbol\n";

		if (write(2, msg, sizeof(msg) - 1) < 0)
			abort();
		abort();
	}
	return f;
}

/* next_NAME(): the next definition of NAME, looked up once (racing
 * threads store the same value). */
/* NOLINTBEGIN(bugprone-macro-parentheses): type is a type name */
#define NEXT(type, name)                                                       \
	static type *next_##name(void)                                         \
	{                                                                      \
		static type *fn;                                               \
		type *f = __atomic_load_n(&fn, __ATOMIC_RELAXED);              \
		if (f == NULL) {                                               \
			f = (type *)next_symbol(#name);                        \
			__atomic_store_n(&fn, f, __ATOMIC_RELAXED);            \
		}                                                              \
		return f;                                                      \
	}

NEXT(connect_fn, connect)
NEXT(close_fn, close)
NEXT(dup3_fn, dup3)
NEXT(dup2_fn, dup2)
NEXT(getname_fn, getpeername)
NEXT(getname_fn, getsockname)
NEXT(getsockopt_fn, getsockopt)
NEXT(setsockopt_fn, setsockopt)
NEXT(getaddrinfo_fn, getaddrinfo)
NEXT(execve_fn, execve)
NEXT(execvpe_fn, execvpe)
NEXT(spawn_fn, posix_spawn)
NEXT(spawn_fn, posix_spawnp)
/* NOLINTEND(bugprone-macro-parentheses) */

/* --- settings captured when the library loads -------------------------- */

static char agent_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static char own_path[PRELOAD_MAX]; /* this library, for LD_PRELOAD */

static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(2, buf, (size_t)n) < 0)
		return; /* nowhere else to say it */
}

/* --- host names the program resolved ----------------------------------- */

struct name {
	int family;
	unsigned char addr[ADDRKEY_MAX];
	char host[RUNPROTO_HOST_MAX];
};

static struct name names[NAMES];
static unsigned int names_next;
static pthread_mutex_t names_lock = PTHREAD_MUTEX_INITIALIZER;

static int
is_numeric(const char *node)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, node, buf) == 1 ||
	    inet_pton(AF_INET6, node, buf) == 1;
}

static void
remember(const char *node, const struct addrinfo *res)
{
	struct name *n;
	size_t len;

	if (node == NULL || is_numeric(node) ||
	    strlen(node) >= RUNPROTO_HOST_MAX)
		return;
	pthread_mutex_lock(&names_lock);
	for (; res != NULL; res = res->ai_next) {
		if (res->ai_family != AF_INET && res->ai_family != AF_INET6)
			continue;
		n = &names[names_next++ % NAMES];
		len = addrkey(res->ai_addr, &n->family, n->addr);
		memset(n->addr + len, 0, sizeof(n->addr) - len);
		snprintf(n->host, sizeof(n->host), "%s", node);
	}
	pthread_mutex_unlock(&names_lock);
}

/* The newest name remembered for sa's address, into host ("" if none). */
static void
recall(const struct sockaddr *sa, char *host, size_t cap)
{
	unsigned char want[ADDRKEY_MAX] = { 0 };
	unsigned int i;
	int family;
	size_t len = addrkey(sa, &family, want);
	const struct name *n;

	host[0] = '\0';
	pthread_mutex_lock(&names_lock);
	for (i = 1; i <= NAMES; i++) {
		n = &names[(names_next - i) % NAMES];
		if (n->host[0] != '\0' && n->family == family &&
		    memcmp(n->addr, want, len) == 0) {
			snprintf(host, cap, "%s", n->host);
			break;
		}
	}
	pthread_mutex_unlock(&names_lock);
}

SHIM_API int
getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
    struct addrinfo **res)
{
	int rc = next_getaddrinfo()(node, service, hints, res);

	if (rc == 0)
		remember(node, *res);
	return rc;
}

/* --- descriptors we stand in for --------------------------------------- */

struct wrapped {
	int ctl;     /* the agent connection until the verdict, or -1 */
	int shadow;  /* the program's own TCP socket, kept for its options */
	ino_t ino;   /* our socketpair end, to notice a reused number */
	int settled; /* the verdict arrived */
	int err;     /* its errno, reported once through SO_ERROR */
	int failed;  /* the session never came up */
	int sndbuf;  /* SO_SNDBUF to restore after the gate, or 0 */
	socklen_t peerlen, locallen;
	struct sockaddr_storage peer, local;
};

static struct wrapped **table;
static size_t table_cap;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static void __attribute__((constructor)) shim_init(void)
{
	const char *agent = getenv(RUNPROTO_ENV);
	struct rlimit rl;
	Dl_info info;

	if (agent != NULL && strlen(agent) < sizeof(agent_path))
		memcpy(agent_path, agent, strlen(agent) + 1);
	if (dladdr((void *)shim_init, &info) != 0 && info.dli_fname != NULL)
		snprintf(own_path, sizeof(own_path), "%s", info.dli_fname);
	table_cap = TABLE_MAX;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max < TABLE_MAX)
		table_cap = (size_t)rl.rlim_max;
	if ((table = calloc(table_cap, sizeof(struct wrapped *))) == NULL)
		table_cap = 0;
}

static int
tracked(int fd)
{
	return fd >= 0 && (size_t)fd < table_cap &&
	    __atomic_load_n(&table[fd], __ATOMIC_ACQUIRE) != NULL;
}

static void
wrapped_free(struct wrapped *w)
{
	if (w == NULL)
		return;
	if (w->ctl != -1)
		next_close()(w->ctl);
	next_close()(w->shadow);
	free(w);
}

/* Take fd's entry out of the table (lock held). */
static struct wrapped *
unpublish(int fd)
{
	struct wrapped *w = table[fd];

	__atomic_store_n(&table[fd], NULL, __ATOMIC_RELEASE);
	return w;
}

/*
 * fd's entry (lock held), or NULL. A descriptor closed behind our back
 * (fclose, close_range) and reused is noticed by its inode and forgotten.
 */
static struct wrapped *
lookup(int fd)
{
	struct wrapped *w;
	struct stat st;

	if (!tracked(fd))
		return NULL;
	w = table[fd];
	if (fstat(fd, &st) == -1 || st.st_ino != w->ino) {
		wrapped_free(unpublish(fd));
		return NULL;
	}
	return w;
}

/* Record the agent's verdict in w (lock held); wait for it or not. */
static void
settle(struct wrapped *w, int fd, int wait)
{
	struct runproto_reply rep;
	ssize_t n;

	if (w->settled)
		return;
	do
		n = recv(w->ctl, &rep, sizeof(rep), wait ? 0 : MSG_DONTWAIT);
	while (n == -1 && errno == EINTR);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	w->settled = 1;
	if (n != (ssize_t)sizeof(rep) || rep.version != RUNPROTO_VERSION ||
	    rep.what != RUNPROTO_DONE || rep.addrlen > sizeof(rep.local)) {
		say("gsswrap: preload: the gsswrap agent went away");
		w->err = ECONNREFUSED;
	} else {
		w->err = rep.err;
		w->locallen = rep.addrlen;
		memcpy(&w->local, &rep.local, rep.addrlen);
	}
	w->failed = w->err != 0;
	next_close()(w->ctl);
	w->ctl = -1;
	if (w->sndbuf > 0)
		(void)next_setsockopt()(fd, SOL_SOCKET, SO_SNDBUF, &w->sndbuf,
		    sizeof(w->sndbuf));
}

/* --- talking to the agent ---------------------------------------------- */

static int
agent_connect(void)
{
	struct sockaddr_un sun;
	int s;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, agent_path, sizeof(sun.sun_path));
	if ((s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (next_connect()(s, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		int e = errno;

		next_close()(s);
		errno = e;
		return -1;
	}
	return s;
}

static ssize_t
recv_reply(int s, struct runproto_reply *rep)
{
	ssize_t n;

	do
		n = recv(s, rep, sizeof(*rep), 0);
	while (n == -1 && errno == EINTR);
	return n;
}

/*
 * Ask the agent about a destination. Returns RUNPROTO_PASS or
 * RUNPROTO_WRAP with the agent connection in *ctl, or -1 (reported).
 */
static int
agent_ask(const struct sockaddr *sa, socklen_t len, int *ctl)
{
	struct runproto_req req;
	struct runproto_reply rep;
	char addr[INET6_ADDRSTRLEN] = "?";
	unsigned char raw[ADDRKEY_MAX];
	int s, family;

	memset(&req, 0, sizeof(req));
	req.version = RUNPROTO_VERSION;
	req.addrlen = len;
	memcpy(&req.addr, sa, len);
	recall(sa, req.host, sizeof(req.host));
	if ((s = agent_connect()) == -1) {
		(void)addrkey(sa, &family, raw);
		(void)inet_ntop(family, raw, addr, sizeof(addr));
		say("gsswrap: preload: cannot reach the gsswrap agent (%s): "
		    "%s; not connecting to %s",
		    agent_path, strerror(errno), req.host[0] ? req.host : addr);
		return -1;
	}
	if (send(s, &req, sizeof(req), MSG_NOSIGNAL) != (ssize_t)sizeof(req) ||
	    recv_reply(s, &rep) != (ssize_t)sizeof(rep) ||
	    rep.version != RUNPROTO_VERSION ||
	    (rep.what != RUNPROTO_PASS && rep.what != RUNPROTO_WRAP)) {
		say("gsswrap: preload: no answer from the gsswrap agent");
		next_close()(s);
		return -1;
	}
	if (rep.what == RUNPROTO_PASS) {
		next_close()(s);
		return RUNPROTO_PASS;
	}
	*ctl = s;
	return RUNPROTO_WRAP;
}

/* Hand the agent its end of the pair and the gate size. */
static int
agent_go(int ctl, int end, uint32_t fill)
{
	struct runproto_go go = { RUNPROTO_VERSION, fill };
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &go, sizeof(go) };
	struct msghdr msg;
	struct cmsghdr *cm;

	memset(&msg, 0, sizeof(msg));
	memset(cbuf, 0, sizeof(cbuf));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &end, sizeof(int));
	return sendmsg(ctl, &msg, MSG_NOSIGNAL) == (ssize_t)sizeof(go) ? 0 : -1;
}

/*
 * The gate: fill our end (with a minimal send buffer) until it is not
 * writable, so that poll() reports it writable only once the agent has
 * settled the connection (and discarded the filler). *sndbuf_out: the size
 * to restore afterwards; *fill_out: the bytes written, which the agent
 * discards in every case. Returns 1 when the gate holds, 0 when it does not
 * (the caller then waits for the verdict instead).
 */
static int
gate(int s, int *sndbuf_out, uint32_t *fill_out)
{
	static const char zeros[4096];
	struct pollfd pfd = { s, POLLOUT, 0 };
	socklen_t l = sizeof(*sndbuf_out);
	int small = 1;
	ssize_t n;

	*fill_out = 0;
	if (next_getsockopt()(s, SOL_SOCKET, SO_SNDBUF, sndbuf_out, &l) == -1 ||
	    next_setsockopt()(s, SOL_SOCKET, SO_SNDBUF, &small,
		sizeof(small)) == -1)
		return 0;
	*sndbuf_out /= 2; /* the kernel doubles what it is given */
	while (*fill_out < GATE_MAX) {
		n = send(s, zeros, sizeof(zeros), MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0)
			*fill_out += (uint32_t)n;
		else if (n == -1 && errno == EINTR)
			continue;
		else
			break;
	}
	return poll(&pfd, 1, 0) == 0;
}

/*
 * Stand a socketpair end in for fd and hand the other to the agent.
 * Returns what connect() returns.
 */
static int
wrap(int fd, const struct sockaddr *sa, socklen_t len, int ctl)
{
	struct wrapped *w;
	struct stat st;
	int sv[2] = { -1, -1 }, fl, fdfl, wait, e;
	uint32_t fill = 0;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return next_close()(ctl), errno = ENOMEM, -1;
	w->ctl = ctl;
	w->shadow = -1;
	fl = fcntl(fd, F_GETFL);
	fdfl = fcntl(fd, F_GETFD);
	wait = !(fl & O_NONBLOCK);
	if ((size_t)fd >= table_cap)
		errno = EMFILE;
	if ((size_t)fd >= table_cap || fl == -1 || fdfl == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1 ||
	    (w->shadow = fcntl(fd, F_DUPFD_CLOEXEC, 3)) == -1)
		goto fail;
	/* Without a gate, settle now: a connect that completes at once. */
	if (!wait && !gate(sv[0], &w->sndbuf, &fill))
		wait = 1;
	if (agent_go(ctl, sv[1], fill) == -1)
		goto fail;
	next_close()(sv[1]);
	sv[1] = -1;
	if (fstat(sv[0], &st) == -1 ||
	    next_dup3()(sv[0], fd, (fdfl & FD_CLOEXEC) ? O_CLOEXEC : 0) == -1 ||
	    fcntl(fd, F_SETFL, fl) == -1)
		goto fail;
	next_close()(sv[0]);
	w->ino = st.st_ino;
	w->peerlen = len;
	memcpy(&w->peer, sa, len);
	if (wait)
		settle(w, fd, 1);
	pthread_mutex_lock(&table_lock);
	wrapped_free(unpublish(fd));
	__atomic_store_n(&table[fd], w, __ATOMIC_RELEASE);
	if (!wait) {
		pthread_mutex_unlock(&table_lock);
		return errno = EINPROGRESS, -1;
	}
	e = w->err;
	w->err = 0; /* reported here, not again through SO_ERROR */
	pthread_mutex_unlock(&table_lock);
	return e == 0 ? 0 : (errno = e, -1);
fail:
	e = errno;
	if (sv[0] != -1)
		next_close()(sv[0]);
	if (sv[1] != -1)
		next_close()(sv[1]);
	if (w->shadow != -1)
		next_close()(w->shadow);
	next_close()(ctl);
	free(w);
	say("gsswrap: preload: cannot hand a connection to the agent: %s",
	    strerror(e));
	return errno = e, -1;
}

/* connect() again on a descriptor we stand in for. */
static int
reconnect(int fd)
{
	struct wrapped *w;
	int rc = 0, e = 0;

	pthread_mutex_lock(&table_lock);
	if ((w = lookup(fd)) == NULL) {
		pthread_mutex_unlock(&table_lock);
		return -2;
	}
	settle(w, fd, 0);
	if (!w->settled)
		e = EALREADY;
	else if (w->err != 0)
		e = w->err, w->err = 0;
	else
		e = w->failed ? ECONNABORTED : EISCONN;
	pthread_mutex_unlock(&table_lock);
	if (e != 0)
		rc = -1, errno = e;
	return rc;
}

SHIM_API int
connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	int type = 0, ctl = -1, rc;
	socklen_t tl = sizeof(type);

	if (agent_path[0] == '\0' || sa == NULL ||
	    (sa->sa_family == AF_INET && len < sizeof(struct sockaddr_in)) ||
	    (sa->sa_family == AF_INET6 && len < sizeof(struct sockaddr_in6)) ||
	    (sa->sa_family != AF_INET && sa->sa_family != AF_INET6) ||
	    len > sizeof(struct sockaddr_storage))
		return next_connect()(fd, sa, len);
	if (tracked(fd) && (rc = reconnect(fd)) != -2)
		return rc;
	if (next_getsockopt()(fd, SOL_SOCKET, SO_TYPE, &type, &tl) == -1 ||
	    type != SOCK_STREAM)
		return next_connect()(fd, sa, len);
	switch (agent_ask(sa, len, &ctl)) {
	case RUNPROTO_PASS:
		return next_connect()(fd, sa, len);
	case RUNPROTO_WRAP:
		return wrap(fd, sa, len, ctl);
	default:
		errno = ECONNREFUSED;
		return -1;
	}
}

/* A descriptor number about to be replaced is no longer ours. */
static void
forget(int fd)
{
	if (tracked(fd)) {
		pthread_mutex_lock(&table_lock);
		wrapped_free(unpublish(fd));
		pthread_mutex_unlock(&table_lock);
	}
}

SHIM_API int
close(int fd)
{
	forget(fd);
	return next_close()(fd);
}

SHIM_API int
dup3(int oldfd, int newfd, int flags)
{
	if (oldfd != newfd)
		forget(newfd);
	return next_dup3()(oldfd, newfd, flags);
}

SHIM_API int
dup2(int oldfd, int newfd)
{
	if (oldfd != newfd)
		forget(newfd);
	return next_dup2()(oldfd, newfd);
}

SHIM_API int
getpeername(int fd, struct sockaddr *sa, socklen_t *len)
{
	struct wrapped *w;
	socklen_t n;

	if (!tracked(fd))
		return next_getpeername()(fd, sa, len);
	pthread_mutex_lock(&table_lock);
	if ((w = lookup(fd)) == NULL) {
		pthread_mutex_unlock(&table_lock);
		return next_getpeername()(fd, sa, len);
	}
	settle(w, fd, 0);
	if (!w->settled || w->failed) {
		pthread_mutex_unlock(&table_lock);
		return errno = ENOTCONN, -1;
	}
	n = *len < w->peerlen ? *len : w->peerlen;
	memcpy(sa, &w->peer, n);
	*len = w->peerlen;
	pthread_mutex_unlock(&table_lock);
	return 0;
}

/* The session's local address in the family of the program's socket. */
static socklen_t
local_as(const struct wrapped *w, struct sockaddr_storage *out)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)&w->local;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)out;

	memcpy(out, &w->local, w->locallen);
	if (w->peer.ss_family != AF_INET6 || w->local.ss_family != AF_INET)
		return w->locallen;
	memset(s6, 0, sizeof(*s6));
	s6->sin6_family = AF_INET6;
	s6->sin6_port = s4->sin_port;
	s6->sin6_addr.s6_addr[10] = 0xff;
	s6->sin6_addr.s6_addr[11] = 0xff;
	memcpy(s6->sin6_addr.s6_addr + 12, &s4->sin_addr, 4);
	return sizeof(*s6);
}

SHIM_API int
getsockname(int fd, struct sockaddr *sa, socklen_t *len)
{
	struct sockaddr_storage ss;
	struct wrapped *w;
	socklen_t n, have;
	int target = fd;

	if (!tracked(fd))
		return next_getsockname()(fd, sa, len);
	pthread_mutex_lock(&table_lock);
	if ((w = lookup(fd)) != NULL) {
		settle(w, fd, 0);
		if (w->settled && !w->failed && w->locallen > 0) {
			have = local_as(w, &ss);
			n = *len < have ? *len : have;
			memcpy(sa, &ss, n);
			*len = have;
			pthread_mutex_unlock(&table_lock);
			return 0;
		}
		target = w->shadow;
	}
	pthread_mutex_unlock(&table_lock);
	return next_getsockname()(target, sa, len);
}

/* Socket options that describe the TCP socket go to the shadow. */
static int
shadow_option(int level, int name)
{
	return level != SOL_SOCKET || name == SO_DOMAIN ||
	    name == SO_PROTOCOL || name == SO_TYPE;
}

SHIM_API int
getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	struct wrapped *w;
	int target = fd, e;

	if (!tracked(fd))
		return next_getsockopt()(fd, level, name, val, len);
	pthread_mutex_lock(&table_lock);
	if ((w = lookup(fd)) != NULL) {
		if (level == SOL_SOCKET && name == SO_ERROR && val != NULL &&
		    len != NULL && *len >= sizeof(int)) {
			settle(w, fd, 0);
			e = w->settled ? w->err : 0;
			w->err = 0;
			pthread_mutex_unlock(&table_lock);
			memcpy(val, &e, sizeof(e));
			*len = sizeof(e);
			return 0;
		}
		if (shadow_option(level, name))
			target = w->shadow;
	}
	pthread_mutex_unlock(&table_lock);
	return next_getsockopt()(target, level, name, val, len);
}

SHIM_API int
setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	struct wrapped *w;
	int target = fd;

	if (!tracked(fd))
		return next_setsockopt()(fd, level, name, val, len);
	pthread_mutex_lock(&table_lock);
	if ((w = lookup(fd)) != NULL) {
		/* Until settled, the gate owns the send buffer size. */
		if (level == SOL_SOCKET && name == SO_SNDBUF && !w->settled &&
		    val != NULL && len >= sizeof(int)) {
			memcpy(&w->sndbuf, val, sizeof(int));
			pthread_mutex_unlock(&table_lock);
			return 0;
		}
		if (shadow_option(level, name))
			target = w->shadow;
	}
	pthread_mutex_unlock(&table_lock);
	return next_setsockopt()(target, level, name, val, len);
}

/* --- programs we start ------------------------------------------------- */

static int
has_var(char *const envp[], const char *name, const char *part)
{
	size_t nl = strlen(name);

	for (; envp != NULL && *envp != NULL; envp++)
		if (strncmp(*envp, name, nl) == 0 && (*envp)[nl] == '=')
			return part == NULL || strstr(*envp + nl + 1, part);
	return 0;
}

/*
 * envp with our two variables put back when the program dropped them (so
 * that its children stay wrapped); NULL when nothing is missing or on
 * failure. The copy is freed by the caller if exec returns.
 */
static char **
env_fixed(char *const envp[])
{
	static char agent_var[sizeof(agent_path) + 32];
	static char preload_var[2 * PRELOAD_MAX];
	const char *old = NULL;
	size_t n = 0, i, j = 0;
	char **out;

	if (agent_path[0] == '\0' || own_path[0] == '\0' ||
	    (has_var(envp, RUNPROTO_ENV, agent_path) &&
		has_var(envp, "LD_PRELOAD", own_path)))
		return NULL;
	while (envp != NULL && envp[n] != NULL)
		n++;
	if ((out = calloc(n + 3, sizeof(*out))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (strncmp(envp[i], "LD_PRELOAD=", 11) == 0)
			old = envp[i] + 11;
		else if (strncmp(envp[i], RUNPROTO_ENV "=",
			     sizeof(RUNPROTO_ENV)) != 0)
			out[j++] = envp[i];
	}
	snprintf(agent_var, sizeof(agent_var), "%s=%s", RUNPROTO_ENV,
	    agent_path);
	snprintf(preload_var, sizeof(preload_var), "LD_PRELOAD=%s%s%s",
	    own_path, old != NULL && *old ? ":" : "", old != NULL ? old : "");
	out[j++] = agent_var;
	out[j++] = preload_var;
	return out;
}

/* Refuse a program the preload cannot reach (execcheck.h). */
static int
may_run(const char *file, int search)
{
	char path[4096], why[4400];

	if (agent_path[0] == '\0')
		return 0;
	if (search && execcheck_resolve(file, path, sizeof(path)) == -1)
		return 0; /* exec reports "not found" itself */
	if (execcheck_file(search ? path : file, why, sizeof(why)) == 0)
		return 0;
	say("gsswrap: refusing to run %s: its connections could not be "
	    "wrapped",
	    why);
	errno = EACCES;
	return -1;
}

SHIM_API int
execve(const char *path, char *const argv[], char *const envp[])
{
	char **fixed;
	int rc, e;

	if (may_run(path, 0) == -1)
		return -1;
	fixed = env_fixed(envp);
	rc = next_execve()(path, argv, fixed ? fixed : envp);
	e = errno;
	free(fixed);
	errno = e;
	return rc;
}

SHIM_API int
execvpe(const char *file, char *const argv[], char *const envp[])
{
	char **fixed;
	int rc, e;

	if (may_run(file, strchr(file, '/') == NULL) == -1)
		return -1;
	fixed = env_fixed(envp);
	rc = next_execvpe()(file, argv, fixed ? fixed : envp);
	e = errno;
	free(fixed);
	errno = e;
	return rc;
}

SHIM_API int
execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

SHIM_API int
execvp(const char *file, char *const argv[])
{
	return execvpe(file, argv, environ);
}

static int
spawn(spawn_fn *real, pid_t *pid, const char *file, int search,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
    char *const argv[], char *const envp[])
{
	char **fixed;
	int rc;

	if (may_run(file, search && strchr(file, '/') == NULL) == -1)
		return EACCES;
	fixed = env_fixed(envp);
	rc = real(pid, file, fa, attr, argv, fixed ? fixed : envp);
	free(fixed);
	return rc;
}

SHIM_API int
posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
    const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	return spawn(next_posix_spawn(), pid, path, 0, fa, attr, argv, envp);
}

SHIM_API int
posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
    const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	return spawn(next_posix_spawnp(), pid, file, 1, fa, attr, argv, envp);
}
