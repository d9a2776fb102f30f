/*
 * backend: what an authorized session talks to. Either the PROGRAM,
 * spawned with the client's identity (spawn.c), or a plaintext service
 * reached over TCP or a UNIX socket, optionally told who is calling with
 * a PROXY v2 header. Nothing here runs before authorization.
 */
#ifndef GSSWRAPD_BACKEND_H
#define GSSWRAPD_BACKEND_H

#include <sys/types.h>

struct options;
struct spawn_identity;

struct backend {
	int fd;		   /* the plaintext side for the relay */
	int errfd;	   /* the program's stderr, or -1 */
	pid_t pid;	   /* the program, or -1 */
	const char *label; /* names the backend in messages */
};

/*
 * backend_start(o, target, client_sock, id, b_out): connect to target
 * (sending the PROXY header when asked, with the addresses of
 * client_sock), or start the program when target is NULL. Returns 0, or -1
 * after logging.
 */
int backend_start(const struct options *o, const char *target, int client_sock,
    const struct spawn_identity *id, struct backend *b_out);

/*
 * backend_finish(b, failed, reaped, wstatus_out): close the backend and,
 * for a program, wait for it unless the relay already did (reaped is then
 * its wait status, else -1); *wstatus_out is the program's wait status, or
 * -1 for a forward. With failed (the session did not end with both EOFs),
 * a running program's process group gets SIGHUP before its input ends.
 */
void
backend_finish(struct backend *b, int failed, int reaped, int *wstatus_out);

#endif
