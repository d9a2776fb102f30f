/*
 * sigevents: signals as poll() events. Handlers only note the signal and
 * write a byte to a pipe whose read end the caller polls; the work is done
 * in the main loop, never in a handler.
 */
#ifndef GSSWRAP_SIGEVENTS_H
#define GSSWRAP_SIGEVENTS_H

#include <stddef.h>

/*
 * sigevents_init(sigs, n): catch these signals. Returns the descriptor to
 * poll for reading, or -1 after logging.
 */
int sigevents_init(const int *sigs, size_t n);

/* sigevents_take(sig): 1 if sig arrived since the last call, else 0. */
int sigevents_take(int sig);

/* sigevents_drain(): empty the pipe (after poll said it is readable). */
void sigevents_drain(void);

/*
 * sigevents_child(): in a forked child: close the pipe and give the caught
 * signals their default dispositions back.
 */
void sigevents_child(void);

#endif
