/* The local account behind an accepted connection: see localpeer.h. */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "localpeer.h"
#include "log.h"

static int
add_user(struct localpeer_policy *p, const char *name)
{
	const struct passwd *pw;
	const char *err = NULL;
	long long n;

	n = strtonum(name, 0, (uid_t)-2, &err);
	if (err != NULL) {
		if ((pw = getpwnam(name)) == NULL) {
			log_err("--allow-users: %s is neither a uid nor a "
				"local user",
			    name);
			return -1;
		}
		n = pw->pw_uid;
	}
	if (p->n == LOCALPEER_MAX_USERS) {
		log_err("--allow-users: more than %d users",
		    LOCALPEER_MAX_USERS);
		return -1;
	}
	p->uids[p->n++] = (uid_t)n;
	return 0;
}

int
localpeer_parse(const char *text, struct localpeer_policy *p_out)
{
	struct localpeer_policy p;
	char *copy, *tok, *save = NULL;
	int rc = 0;

	memset(&p, 0, sizeof(p));
	if (strcmp(text, "any") == 0) {
		p.any = 1;
		*p_out = p;
		return 0;
	}
	if ((copy = strdup(text)) == NULL) {
		log_err("out of memory");
		return -1;
	}
	for (tok = strtok_r(copy, ",", &save); tok != NULL && rc == 0;
	     tok = strtok_r(NULL, ",", &save))
		rc = add_user(&p, tok);
	if (rc == 0 && p.n == 0) {
		log_err("--allow-users %s: expected any, or users or uids "
			"separated by commas",
		    text);
		rc = -1;
	}
	free(copy);
	if (rc == 0)
		*p_out = p;
	return rc;
}

int
localpeer_allowed(const struct localpeer_policy *p, uid_t uid)
{
	size_t i;

	if (p->any || uid == getuid())
		return 1;
	for (i = 0; i < p->n; i++)
		if (p->uids[i] == uid)
			return 1;
	return 0;
}

/* An IPv4-mapped IPv6 address as the IPv4 one it is. */
static void
unmap(struct sockaddr_storage *ss)
{
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;

	if (ss->ss_family != AF_INET6)
		return;
	memcpy(&s6, ss, sizeof(s6));
	if (!IN6_IS_ADDR_V4MAPPED(&s6.sin6_addr))
		return;
	memset(&s4, 0, sizeof(s4));
	s4.sin_family = AF_INET;
	s4.sin_port = s6.sin6_port;
	memcpy(&s4.sin_addr, s6.sin6_addr.s6_addr + 12, 4);
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, &s4, sizeof(s4));
}

/* Address and port of ss into a diag request's fields. */
static void
put(const struct sockaddr_storage *ss, __be16 *port, __be32 *addr)
{
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;

	if (ss->ss_family == AF_INET) {
		memcpy(&s4, ss, sizeof(s4));
		*port = s4.sin_port;
		memcpy(addr, &s4.sin_addr, 4);
	} else {
		memcpy(&s6, ss, sizeof(s6));
		*port = s6.sin6_port;
		memcpy(addr, &s6.sin6_addr, 16);
	}
}

/*
 * The owner of the client's end of a TCP connection on this host: the
 * socket whose local side is client and remote side is local.
 */
static int
tcp_owner(const struct sockaddr_storage *client,
    const struct sockaddr_storage *local, uid_t *uid_out, char *why, size_t cap)
{
	struct {
		struct nlmsghdr nh;
		struct inet_diag_req_v2 r;
	} req;
	union {
		struct nlmsghdr nh;
		char buf[4096];
	} resp;
	struct nlmsghdr *nh;
	const struct inet_diag_msg *m;
	int fd, err = ENOENT;
	ssize_t n;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.r.sdiag_family = (uint8_t)client->ss_family;
	req.r.sdiag_protocol = IPPROTO_TCP;
	req.r.idiag_states = ~0U;
	put(client, &req.r.id.idiag_sport, req.r.id.idiag_src);
	put(local, &req.r.id.idiag_dport, req.r.id.idiag_dst);
	req.r.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	req.r.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd == -1 || send(fd, &req, sizeof(req), 0) == -1 ||
	    (n = recv(fd, &resp, sizeof(resp), 0)) == -1) {
		snprintf(why, cap, "cannot ask the kernel's socket table: %s",
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	for (nh = &resp.nh; NLMSG_OK(nh, (size_t)n); nh = NLMSG_NEXT(nh, n)) {
		if (nh->nlmsg_type == NLMSG_ERROR) {
			err = -((const struct nlmsgerr *)NLMSG_DATA(nh))->error;
			break;
		}
		if (nh->nlmsg_type == SOCK_DIAG_BY_FAMILY) {
			m = NLMSG_DATA(nh);
			*uid_out = (uid_t)m->idiag_uid;
			return 0;
		}
	}
	snprintf(why, cap, "%s",
	    err == ENOENT ? "no socket of this host made the connection" :
			    strerror(err));
	return -1;
}

int
localpeer_uid(int sock, uid_t *uid_out, char *why, size_t cap)
{
	struct sockaddr_storage peer, me;
	socklen_t plen = sizeof(peer), mlen = sizeof(me);
	struct ucred cred;
	socklen_t clen = sizeof(cred);

	memset(&me, 0, sizeof(me));
	memset(&peer, 0, sizeof(peer));
	if (getsockname(sock, (struct sockaddr *)&me, &mlen) == -1 ||
	    getpeername(sock, (struct sockaddr *)&peer, &plen) == -1) {
		snprintf(why, cap, "%s", strerror(errno));
		return -1;
	}
	if (me.ss_family == AF_UNIX) {
		if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &clen) ==
		    -1) {
			snprintf(why, cap, "SO_PEERCRED: %s", strerror(errno));
			return -1;
		}
		*uid_out = cred.uid;
		return 0;
	}
	if (me.ss_family != AF_INET && me.ss_family != AF_INET6) {
		snprintf(why, cap, "not a TCP or UNIX connection");
		return -1;
	}
	unmap(&peer);
	unmap(&me);
	return tcp_owner(&peer, &me, uid_out, why, cap);
}
