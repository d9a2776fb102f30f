/* The error type of library code (err.h). */
#include "config.h"

#include "err.h"
#include "status.h"

const char *
err_strerror(enum err e)
{
	switch (e) {
	case ERR_OK:
		return "success";
	case ERR_CLOSED:
		return "closed before the end of the stream (truncated)";
	case ERR_TIMEOUT:
		return "timed out";
	case ERR_PROTOCOL:
		return "protocol violation";
	case ERR_INTEGRITY:
		return "integrity check failed";
	case ERR_AUTH:
		return "not authorized";
	case ERR_BUSY:
		return "server busy";
	case ERR_SYSTEM:
		break;
	}
	return "network or system failure";
}

int
err_status(enum err e)
{
	switch (e) {
	case ERR_OK:
		return STATUS_OK;
	case ERR_CLOSED:
		return STATUS_TRUNC;
	case ERR_PROTOCOL:
	case ERR_INTEGRITY:
		return STATUS_PROTO;
	case ERR_AUTH:
		return STATUS_AUTH;
	case ERR_TIMEOUT:
	case ERR_BUSY:
	case ERR_SYSTEM:
		break;
	}
	return STATUS_SYS;
}
