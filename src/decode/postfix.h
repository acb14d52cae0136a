/* mamori — private interface between the syslog decoder and the Postfix
 * message decoder (postfix.c). syslog.c splits the header; for programs
 * postfix/… (also multi-instance postfix-x/… and service/smtpd) it hands the
 * MSG part here. postfix.c keeps the pending messages by queue ID (mailq.h),
 * so that delivery lines carry their message's origin and the `removed`
 * line becomes one message event. */
#ifndef MAMORI_DECODE_POSTFIX_H
#define MAMORI_DECODE_POSTFIX_H

#include "mamori/decode.h"

struct mm__postfix_state;
struct mm__postfix_state *mm__postfix_state_new(void);     /* returns owned */
void mm__postfix_state_free(struct mm__postfix_state *st);  /* accepts NULL */

/* Is the syslog tag a Postfix program? Sets *prog to the program name after
 * the last '/' ("smtpd" for "postfix/submission/smtpd"). */
bool mm__postfix_tag(struct mm_slice tag, struct mm_slice *prog);

/* Decode a Postfix message (msg is the syslog MSG, a slice of the line) of
 * program prog. Sets the logsource and fields on ev; st may be NULL (no
 * message assembly). Returns true when it set a value that is not a substring
 * of the line. Never fails: unknown messages keep only the logsource. */
bool mm__postfix_decode(struct mm_decode_ctx *ctx, struct mm__postfix_state *st,
                        struct mm_slice prog, const char *msg, size_t n, struct mm_event *ev);

/* The decoder's drain (decode.h): one timed-out / pushed-out / (eof) pending
 * message as a message event, or MM_DEC_SKIP. */
enum mm_dec_outcome mm__postfix_drain(struct mm_decode_ctx *ctx, struct mm__postfix_state *st,
                                      struct mm_event *ev, bool eof);

/* Logsource of mail events: product linux, services postfix|exim, mail, syslog. */
void mm__mail_logsource(struct mm_event *ev, bool exim);

#endif
