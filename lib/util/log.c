/* Diagnostics to stderr or syslog. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
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

/*
 * The length of the UTF-8 sequence at s (1 to 4), or 0 when it is not a
 * well-formed one or encodes a C1 control (U+0080-U+009F), which some
 * terminals obey. s is NUL-terminated.
 */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned int c = s[0], cp, min;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f, min = 0xa0;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * Write s to f with every control byte, and every byte that is not part of
 * printable UTF-8, as \xNN; with quote, '"' and '\' get a backslash too.
 */
static void
escape(FILE *f, const char *s, int quote)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p != '\0') {
		n = utf8_len(p);
		if (n == 0 || *p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\x%02x", *p++);
			continue;
		}
		if (quote && (*p == '"' || *p == '\\'))
			putc('\\', f);
		fwrite(p, 1, n, f);
		p += n;
	}
}

void
log_quote(FILE *f, const char *value)
{
	putc('"', f);
	escape(f, value, 1);
	putc('"', f);
}

static void vlog(int prio, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/*
 * One line, whatever its length, with no byte that could end it early or
 * command a terminal: names and texts from the network are in it.
 */
static void
vlog(int prio, const char *fmt, va_list ap)
{
	char *text = NULL, *line = NULL;
	size_t len = 0;
	FILE *f;

	if (vasprintf(&text, fmt, ap) == -1)
		return;
	if ((f = open_memstream(&line, &len)) != NULL) {
		escape(f, text, 0);
		if (fclose(f) != 0) {
			free(line);
			line = NULL;
		}
	}
	if (line != NULL) {
		if (to_syslog)
			syslog(prio, "%s", line);
		if (to_stderr)
			fprintf(stderr, "%s: %s\n", prog, line);
	}
	free(line);
	free(text);
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
