/*
 * log: one place where diagnostics go. Either stderr ("prog: message") or
 * syslog (LOG_DAEMON). gsswrapd uses syslog when its stderr is not a
 * terminal, since under inetd fd 2 may be the client socket.
 */
#ifndef GSSWRAP_LOG_H
#define GSSWRAP_LOG_H

#include <stdarg.h>
#include <stdio.h>

#define LOG_TO_STDERR 1
#define LOG_TO_SYSLOG 2

/*
 * log_init(progname, dest, verbose): choose the destination, one or both
 * of LOG_TO_STDERR and LOG_TO_SYSLOG.
 */
void log_init(const char *progname, int dest, int verbose);

/*
 * log_facility(name): use this syslog facility from the next log_init on
 * (daemon by default): daemon, auth, authpriv, user, local0 ... local7.
 * Returns 0, or -1 for an unknown name (not logged).
 */
int log_facility(const char *name);

/* log_err/log_warn/log_info: one line at that level. log_debug only with -v. */
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Every line is written whole, with each control byte and each byte that
 * is not printable UTF-8 shown as \xNN (a principal or a peer's text in a
 * message cannot end the line early or command a terminal).
 */

/*
 * log_quote(f, value): write value to f as one double-quoted value of a
 * key=value line: '"' and '\' preceded by a backslash, control bytes and
 * bytes that are not printable UTF-8 as \xNN.
 */
void log_quote(FILE *f, const char *value);

/* log_verbose(): non-zero when debug messages are shown. */
int log_verbose(void);

#endif
