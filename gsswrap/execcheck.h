/*
 * execcheck: will a preloaded library load into this program? The dynamic
 * loader ignores LD_PRELOAD for static binaries and, in secure-execution
 * mode, for setuid/setgid binaries and binaries with file capabilities;
 * such a program would connect in plaintext, so `gsswrap run` refuses it.
 * Self-contained (libc only): the preloaded shim uses it too.
 */
#ifndef GSSWRAP_EXECCHECK_H
#define GSSWRAP_EXECCHECK_H

#include <stddef.h>

/*
 * execcheck_resolve(name, out, cap): the file execvp(name) would run: name
 * itself when it contains '/', else the first executable file of that name
 * in $PATH. Returns 0, or -1 (errno ENOENT, or ENAMETOOLONG).
 */
int execcheck_resolve(const char *name, char *out, size_t cap);

/*
 * execcheck_file(path, why, cap): 0 when a preloaded library loads into
 * the program at path (a dynamically linked ELF file without set-id bits
 * or file capabilities, or a "#!" script whose interpreter is one), or when
 * path does not exist (exec reports that itself). Otherwise -1 with the
 * reason in why, e.g. "/sbin/ldconfig is statically linked".
 */
int execcheck_file(const char *path, char *why, size_t cap);

#endif
