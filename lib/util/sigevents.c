/* Self-pipe signal handling. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sigevents.h"

static int pipe_fds[2] = { -1, -1 };
static volatile sig_atomic_t pending[NSIG];
static int caught[NSIG];

static void
on_signal(int sig)
{
	int e = errno;
	char c = 0;

	if (sig > 0 && sig < NSIG)
		pending[sig] = 1;
	(void)!write(pipe_fds[1], &c, 1);
	errno = e;
}

int
sigevents_init(const int *sigs, size_t n)
{
	struct sigaction sa;
	size_t i;

	if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_err("cannot create the signal pipe: %s", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < n; i++) {
		if (sigs[i] > 0 && sigs[i] < NSIG) {
			(void)sigaction(sigs[i], &sa, NULL);
			caught[sigs[i]] = 1;
		}
	}
	return pipe_fds[0];
}

int
sigevents_take(int sig)
{
	if (sig <= 0 || sig >= NSIG || !pending[sig])
		return 0;
	pending[sig] = 0;
	return 1;
}

void
sigevents_drain(void)
{
	char buf[64];

	while (read(pipe_fds[0], buf, sizeof(buf)) > 0)
		;
}

void
sigevents_child(void)
{
	struct sigaction sa;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		if (caught[sig])
			(void)sigaction(sig, &sa, NULL);
	close(pipe_fds[0]);
	close(pipe_fds[1]);
	pipe_fds[0] = pipe_fds[1] = -1;
}
