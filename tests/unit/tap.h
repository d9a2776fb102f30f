/* A tiny TAP producer for unit tests (automake tap-driver). */
#ifndef GSSWRAP_TAP_H
#define GSSWRAP_TAP_H

#include <stdio.h>

static int tap_n, tap_failed;

#define TAP_OK(cond, ...)                                                      \
	do {                                                                   \
		int tap_ok_ = (cond) ? 1 : 0; /* evaluated once */             \
		tap_n++;                                                       \
		if (!tap_ok_)                                                  \
			tap_failed++;                                          \
		printf("%sok %d - ", tap_ok_ ? "" : "not ", tap_n);            \
		printf(__VA_ARGS__);                                           \
		printf("\n");                                                  \
	} while (0)

#define TAP_DONE() (printf("1..%d\n", tap_n), tap_failed ? 1 : 0)

#endif
