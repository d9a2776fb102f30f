/*
 * status: the failure classes shared by both programs. Each value is also
 * the documented exit status (gsswrap(1), gsswrapd(8)); they never change.
 * Functions that can fail in several user-visible ways return 0 or one of
 * these, after logging the failure once.
 */
#ifndef GSSWRAP_STATUS_H
#define GSSWRAP_STATUS_H

#define STATUS_OK 0
#define STATUS_USAGE 250 /* bad command line or configuration */
#define STATUS_AUTH 251	 /* authentication or authorization refused */
#define STATUS_PROTO 252 /* protocol violation or tampering */
#define STATUS_TRUNC 253 /* connection closed before authenticated EOF */
#define STATUS_SYS 254	 /* network or system failure */

#endif
