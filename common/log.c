/* Diagnostics to stderr or syslog. */
#include "config.h"

#include <stdio.h>
#include <syslog.h>

#include "log.h"

static const char *prog = "gsswrap";
static int to_syslog, to_stderr = 1;
static int verbose_level;

void
log_init(const char *progname, int dest, int verbose)
{
	prog = progname;
	to_syslog = (dest & LOG_TO_SYSLOG) != 0;
	to_stderr = (dest & LOG_TO_STDERR) != 0;
	verbose_level = verbose;
	if (to_syslog)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
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
