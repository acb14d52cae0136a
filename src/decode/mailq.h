/* mamori — private: pending mail messages by queue ID, shared by the Postfix
 * (postfix.c) and Exim (exim.c) message decoders. An MTA logs one message
 * over many lines (client, queue, each delivery, removal); this table keeps
 * what the earlier lines said so a delivery line can carry its message's
 * origin and the final line can become one message event. Bounded: a cap on
 * messages (the oldest is pushed out, counted) and an idle timeout in event
 * time; both hand the message to the decoder's drain callback. */
#ifndef MAMORI_DECODE_MAILQ_H
#define MAMORI_DECODE_MAILQ_H

#include "mamori/decode.h"

/* String attributes of a message (copied into the message's own buffer). */
enum mm__mq_attr {
	MQ_CLIENT_HOST, /* smtpd client=HOST[IP] */
	MQ_CLIENT_IP,
	MQ_SASL_METHOD,
	MQ_SASL_USER,
	MQ_FROM,
	MQ_FROM_DOMAIN,
	MQ_MSGID,
	MQ_ORIGIN,      /* smtpd | pickup | local | … (how it entered the queue) */
	MQ_UID,         /* pickup uid= (local submission: a web server's mail()) */
	MQ_SUBJECT,
	MQ_HOST,        /* the MTA host (syslog hostname) */
	MQ_RCPTS,       /* "a@x, b@y" (first MQ_MAX_LISTED) */
	MQ_DOMAINS,     /* distinct recipient domains "x, y" (first MQ_MAX_LISTED) */
	MQ_STATUS,      /* message status at removal: sent|deferred|bounced|mixed|… */
	MQ_RAW,         /* the first line seen (evidence of a drained message) */
	MQ__N
};

#define MQ_MAX_LISTED 32       /* recipients / domains kept per message */
#define MQ_MSG_BYTES 8192      /* cap on one message's string buffer */
#define MQ_DEFAULT_CAP 50000   /* pending messages per input */
#define MQ_DEFAULT_IDLE (2 * 3600 * MM_NS_PER_SEC) /* idle timeout, event time */

struct mm__mq_str {
	uint32_t off, n;
	bool set;
};

struct mm__mq_msg {
	char id[40];
	uint8_t idn;
	struct mm__mq_msg *hnext, *prev, *next; /* hash chain; LRU order */
	int64_t first_ts, last_ts;
	uint64_t off, line; /* evidence of the first line */
	struct mm_buf b;
	struct mm__mq_str s[MQ__N];
	int64_t nrcpt, size; /* -1 = not logged */
	uint32_t rcpts, sent, deferred, bounced, ndomains;
	uint64_t dom_h[MQ_MAX_LISTED];
	bool removed;
};

struct mm__mailq;
struct mm__mailq *mm__mailq_new(size_t cap, int64_t idle_ns); /* returns owned */
void mm__mailq_free(struct mm__mailq *q);                      /* accepts NULL */

/* The message with this queue ID, or NULL; with create, a new one (which may
 * push the least recently seen message out to the drain list). Touches it:
 * last_ts = ts, moved to the LRU tail. Borrowed until removed/drained. */
struct mm__mq_msg *mm__mailq_get(struct mm__mailq *q, const char *id, size_t n, int64_t ts,
                                 bool create, const struct mm_event *ev);
/* Advance the newest event time seen (every MTA line does, with or without
 * a queue ID), against which idleness is measured. */
void mm__mailq_tick(struct mm__mailq *q, int64_t ts);
/* Set (replace) an attribute; over the message cap it is dropped (counted). */
void mm__mailq_set(struct mm__mailq *q, struct mm__mq_msg *m, enum mm__mq_attr a,
                   struct mm_slice v);
/* A slice of the attribute (valid until the message buffer changes), or NULL. */
struct mm_slice mm__mailq_str(const struct mm__mq_msg *m, enum mm__mq_attr a);
/* Note one delivery attempt's result for a recipient (status "sent",
 * "deferred", "bounced", "expired", …): counts, recipient and domain lists. */
void mm__mailq_rcpt(struct mm__mailq *q, struct mm__mq_msg *m, struct mm_slice rcpt,
                    struct mm_slice status);
/* Take m out of the table; it stays valid until the next mm__mailq_release. */
void mm__mailq_remove(struct mm__mailq *q, struct mm__mq_msg *m);
/* Free what the previous decode/drain call handed out (call first thing). */
void mm__mailq_release(struct mm__mailq *q);
/* Next message due: pushed out by the cap, idle past the timeout relative to
 * the newest event time seen, or (eof) anything. Removed from the table and
 * valid until the next release; NULL when none. */
struct mm__mq_msg *mm__mailq_due(struct mm__mailq *q, bool eof);

/* Fill a message event from m (fields are slices of m's buffer; recipient
 * and domain lists and delivery counts go to extra keys in ctx->arena).
 * complete: the MTA logged its removal (else event.outcome "unknown" and
 * email.delivery.status "pending"). */
void mm__mailq_fill(struct mm_decode_ctx *ctx, const struct mm__mq_msg *m, struct mm_event *ev,
                    bool complete);
/* A drain step (struct mm_decoder.drain) over q: the next due message as an
 * unfinished message event (evidence: its first line), or MM_DEC_SKIP.
 * Defined in postfix.c (it sets the Postfix or Exim log source). */
enum mm_dec_outcome mm__mailq_drain(struct mm_decode_ctx *ctx, struct mm__mailq *q,
                                    struct mm_event *ev, bool eof, bool exim);
/* Set the origin fields (client, SASL user, sender, queue ID, message-id) of
 * m on a per-line event (a delivery line carries its message's origin). */
void mm__mailq_origin(const struct mm__mq_msg *m, struct mm_event *ev);

struct mm__mailq_stats {
	uint64_t pending, created, evicted_cap, timed_out, dropped_bytes;
};
void mm__mailq_stats(const struct mm__mailq *q, struct mm__mailq_stats *out);

/* "user@Example.COM" → "Example.COM" (after the last '@'); MM_SLICE_NULL if none. */
struct mm_slice mm__mail_domain(struct mm_slice addr);

#endif
