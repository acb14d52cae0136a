/* mamori — private interface of the Exim message decoder (exim.c), used by
 * its own mainlog decoder and by the syslog decoder for programs exim and
 * exim4. The state keeps pending messages by Exim message ID (mailq.h). */
#ifndef MAMORI_DECODE_EXIM_H
#define MAMORI_DECODE_EXIM_H

#include "mamori/decode.h"

struct mm__exim_state;
struct mm__exim_state *mm__exim_state_new(void);    /* returns owned */
void mm__exim_state_free(struct mm__exim_state *st); /* accepts NULL */

/* Decode an Exim log message (after the mainlog timestamp or the syslog
 * header): sets the logsource and fields; st may be NULL. Returns true when
 * it set a value that is not a substring of the line. */
bool mm__exim_decode(struct mm_decode_ctx *ctx, struct mm__exim_state *st, const char *msg,
                     size_t n, struct mm_event *ev);
/* The drain (decode.h) for pending Exim messages. */
enum mm_dec_outcome mm__exim_drain(struct mm_decode_ctx *ctx, struct mm__exim_state *st,
                                   struct mm_event *ev, bool eof);

#endif
