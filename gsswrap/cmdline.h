/*
 * cmdline: gsswrap's options and operands, into a struct client; -h and
 * -V are answered here (they exit).
 */
#ifndef GSSWRAP_CMDLINE_H
#define GSSWRAP_CMDLINE_H

struct client;

/*
 * cmdline_parse(argc, argv, c): fill *c (zeroed first) from the command line:
 * HOST PORT, or `run` and what follows it (c->run_argv). Returns 0, or
 * -1 after logging what is wrong (the caller exits STATUS_USAGE).
 */
int cmdline_parse(int argc, char **argv, struct client *c);

#endif
