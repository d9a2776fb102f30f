/*
 * deleg: delegated credentials (gsswrapd --delegation, client gsswrap -D).
 * After authorization they are stored in a private FILE ccache, in a
 * directory of its own (mode 0700), both owned by the account the program
 * runs as; KRB5CCNAME points the program there; the ccache is wiped and
 * removed when the session ends.
 */
#ifndef GSSWRAPD_DELEG_H
#define GSSWRAPD_DELEG_H

#include <stddef.h>
#include <gssapi/gssapi.h>

struct localuser;

#define DELEG_PATH_MAX 256

/*
 * deleg_store(cred, lu, path_out): store cred for the program running as lu
 * (NULL: our own account). path_out (DELEG_PATH_MAX bytes) receives the
 * ccache file path. Returns 0, or -1 after logging (nothing left behind).
 */
int deleg_store(gss_cred_id_t cred, const struct localuser *lu, char *path_out);

/* deleg_destroy(path): overwrite the ccache with zeros, remove it and its
 * directory. "" is a no-op. */
void deleg_destroy(const char *path);

#endif
