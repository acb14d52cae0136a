/* mamori — private interface between the syslog decoder and the OpenSSH
 * message decoder (sshd.c). syslog.c splits the header; when the program is
 * sshd (or OpenSSH ≥ 9.8's sshd-session / sshd-auth) it hands the MSG part
 * here to add event.action / outcome / user / source fields. */
#ifndef MAMORI_DECODE_SSHD_H
#define MAMORI_DECODE_SSHD_H

#include "mamori/decode.h"

/* Per-input memory of "Connection from IP port P" by (host, pid), so that the
 * lines OpenSSH writes without an address ("Disconnecting: Too many
 * authentication failures [preauth]") still get source.ip. Capped, direct
 * mapped: a newer connection evicts an older one with the same slot. */
struct mm__sshd_state;
struct mm__sshd_state *mm__sshd_state_new(void); /* returns owned */
void mm__sshd_state_free(struct mm__sshd_state *st); /* accepts NULL */

/* Decode an sshd message (msg is the syslog MSG, a slice of the line). Sets
 * fields on ev; st may be NULL. Returns true when it set a value that is not a
 * substring of the line (a vocabulary word or a copied address), so the caller
 * can clear MM_EV_VERBATIM. Never fails: unknown messages set nothing. */
bool mm__sshd_decode(struct mm_decode_ctx *ctx, struct mm__sshd_state *st, const char *msg,
                     size_t n, struct mm_event *ev);

#endif
