/* args: command-line value parsing shared by both programs. */
#ifndef GSSWRAP_ARGS_H
#define GSSWRAP_ARGS_H

#include <stddef.h>

/*
 * args_number(text, what, lo, hi, out): parse a whole number in lo..hi.
 * Returns 0, or -1 after logging which option (what) was wrong and why.
 */
int args_number(const char *text, const char *what, unsigned int lo,
    unsigned int hi, unsigned int *out);

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

/*
 * args_hostport(text, host, hcap, port, pcap): split "HOST:PORT",
 * "[V6ADDR]:PORT" or (when host_optional) a bare "PORT" into host (empty
 * when absent) and port. Returns 0, or -1 when the text is malformed or
 * a part does not fit (not logged).
 */
int args_hostport(const char *text, int host_optional, char *host, size_t hcap,
    char *port, size_t pcap);

#endif
