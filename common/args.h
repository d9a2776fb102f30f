/* args: command-line value parsing shared by both programs. */
#ifndef GSSWRAP_ARGS_H
#define GSSWRAP_ARGS_H

/*
 * args_seconds(text, what, out): parse a number of seconds in 0..86400
 * (0 = no limit). Returns 0, or -1 after logging what was wrong with which
 * option (what, e.g. "-t").
 */
int args_seconds(const char *text, const char *what, unsigned int *out);

/*
 * args_port(text): 0 when text is a TCP port number (1-65535) or a service
 * name; -1 otherwise (not logged).
 */
int args_port(const char *text);

#endif
