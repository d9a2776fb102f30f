/*
 * Unit tests for lib/util/err.c: each error has its words and the exit
 * status gsswrap(1) and gsswrapd(8) document for it.
 */
#include "config.h"

#include <string.h>

#include "err.h"
#include "status.h"
#include "tap.h"

int
main(void)
{
	static const struct {
		enum err e;
		int status;
		const char *words;
	} v[] = {
		{ ERR_OK, STATUS_OK, "success" },
		{ ERR_CLOSED, STATUS_TRUNC, "truncated" },
		{ ERR_TIMEOUT, STATUS_SYS, "timed out" },
		{ ERR_PROTOCOL, STATUS_PROTO, "protocol violation" },
		{ ERR_INTEGRITY, STATUS_PROTO, "integrity" },
		{ ERR_AUTH, STATUS_AUTH, "not authorized" },
		{ ERR_BUSY, STATUS_SYS, "busy" },
		{ ERR_SYSTEM, STATUS_SYS, "system" },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		TAP_OK(err_status(v[i].e) == v[i].status &&
			strstr(err_strerror(v[i].e), v[i].words) != NULL,
		    "error %d: exit %d, \"%s\"", (int)v[i].e, v[i].status,
		    err_strerror(v[i].e));
	TAP_OK(strcmp(err_strerror(ERR_CLOSED),
		   "closed before the end of the stream (truncated)") == 0,
	    "the truncation words are the ones the logs have always used");
	return TAP_DONE();
}
