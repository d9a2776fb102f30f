/* Diagnostics to stderr or syslog. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

static const char *prog = "gsswrap";
static int to_syslog, to_stderr = 1;
static int facility = LOG_DAEMON;

int
log_facility(const char *name)
{
	static const struct {
		const char *name;
		int value;
	} names[] = {
		{ "daemon", LOG_DAEMON },
		{ "auth", LOG_AUTH },
		{ "authpriv", LOG_AUTHPRIV },
		{ "user", LOG_USER },
		{ "local0", LOG_LOCAL0 },
		{ "local1", LOG_LOCAL1 },
		{ "local2", LOG_LOCAL2 },
		{ "local3", LOG_LOCAL3 },
		{ "local4", LOG_LOCAL4 },
		{ "local5", LOG_LOCAL5 },
		{ "local6", LOG_LOCAL6 },
		{ "local7", LOG_LOCAL7 },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i].name) == 0) {
			facility = names[i].value;
			return 0;
		}
	}
	return -1;
}
static int verbose_level;

void
log_init(const char *progname, int dest, int verbose)
{
	prog = progname;
	to_syslog = (dest & LOG_TO_SYSLOG) != 0;
	to_stderr = (dest & LOG_TO_STDERR) != 0;
	verbose_level = verbose;
	if (to_syslog)
		openlog(progname, LOG_PID | LOG_NDELAY, facility);
}

int
log_verbose(void)
{
	return verbose_level;
}

static void vlog(int prio, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void
vlog(int prio, const char *fmt, va_list ap)
{
	char line[2048];

	vsnprintf(line, sizeof(line), fmt, ap);
	if (to_syslog)
		syslog(prio, "%s", line);
	if (to_stderr)
		fprintf(stderr, "%s: %s\n", prog, line);
}

void
log_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!verbose_level)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}
