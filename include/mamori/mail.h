/* mamori — mail: the MTA-log analyzers (relay abuse, volume bursts against a
 * sender's baseline, bounce ratios, blocklisted outbound IP) that run in the
 * scan pipeline after the Postfix / Exim decoders, and the message analysis
 * behind `mamori mail` (MIME parsing with GMime, URLs, lookalike domains,
 * authentication results, verdict). Details: docs/mail.md.
 * Pipeline position: decode → detect → (these analyzers) → alert; and
 * .eml/mbox → mm_mail_analyze → verdict JSON + alerts. */
#ifndef MAMORI_MAIL_H
#define MAMORI_MAIL_H

#include "mamori/detect.h"

/* ---- MTA-log analyzers ---------------------------------------------------- */

struct mm_mail_opts {
	bool disabled;
	/* The organisation's domains (and their subdomains): recipients there are
	 * internal. Borrowed, may be NULL. Without any, a recipient is external
	 * when the MTA delivered it over SMTP (transport smtp). */
	const char *const *own_domains;
	size_t nown_domains;
	/* Networks whose clients may relay without SASL (Postfix mynetworks);
	 * NULL = loopback, RFC 1918, RFC 6598, RFC 4193 and link-local. */
	const struct mm_cidr *local_nets;
	size_t nlocal_nets;
	/* Known bulk senders that must stay quiet: a sender address or SASL
	 * account ("news@shop.example"), a sender domain ("@shop.example" or
	 * "shop.example"), a client IP or CIDR ("192.0.2.10", "10.1.0.0/24"),
	 * a local uid ("uid:1001"). Borrowed. */
	const char *const *bulk_senders;
	size_t nbulk_senders;
	int64_t bucket_ns;        /* baseline bucket (0 = 1 h) */
	uint32_t relay_min;       /* external recipients per bucket from an unauthenticated
	                             non-local client (0 = 3) */
	uint32_t burst_min;       /* external recipients per bucket for a burst (0 = 100) */
	uint32_t burst_domains;   /* and distinct external domains (0 = 10) */
	double burst_factor;      /* and this many times the sender's hourly baseline (0 = 10) */
	double quiet_rate;        /* a baseline at or below this (per bucket) is a quiet
	                             sender: its burst is "mass mailing" (0 = 2) */
	uint32_t sasl_streak;     /* SASL failures from the relaying client that make it
	                             "relay after SASL failures" (0 = 5) */
	uint32_t bounce_min;      /* deliveries per bucket before the bounce ratio counts (0 = 20) */
	double bounce_ratio;      /* (0 = 0.3) */
	uint32_t listed_min;      /* refusals saying the sending IP is listed (0 = 5) */
	size_t max_origins;       /* senders tracked (0 = 20000); more are counted, not tracked */
};

struct mm_mail_an;
/* Returns owned; o may be NULL (defaults). Strings in o are borrowed and must
 * outlive the analyzer. */
struct mm_mail_an *mm_mail_an_new(const struct mm_mail_opts *o);
void mm_mail_an_free(struct mm_mail_an *a); /* accepts NULL */
/* Every decoded event (only mail.* datasets are looked at). cb as for
 * mm_correlate(); the event passed to cb is synthetic (evidence position of
 * the newest contributing line). Returns the number of callbacks. */
size_t mm_mail_an_observe(struct mm_mail_an *a, const struct mm_event *ev, mm_corr_fn cb,
                          void *ud);
/* End of input: close every open bucket and incident. */
size_t mm_mail_an_flush(struct mm_mail_an *a, mm_corr_fn cb, void *ud);

struct mm_mail_an_stats {
	uint64_t deliveries, external, sasl_failures, origins, origin_cap_hits, fired;
};
void mm_mail_an_stats(const struct mm_mail_an *a, struct mm_mail_an_stats *out);

/* The analyzers' rules and `mamori mail`'s verdict rules (for `rules list`,
 * rule tests and incident classes). */
size_t mm_mail_rule_count(void);
const struct mm_rule_info *mm_mail_rule_at(size_t i);
const struct mm_rule_info *mm_mail_rule_find(const char *id_or_name); /* NULL if none */

/* ---- message analysis (`mamori mail`) ------------------------------------ */

struct mm_mail_check_opts {
	const char *const *own_domains; /* organisation's domains (lookalike targets) */
	size_t nown_domains;
	const char *const *brands;      /* extra protected domains (a bank, a carrier) */
	size_t nbrands;
	const char *const *ioc_domains; /* known-bad domains (registrable or exact) */
	size_t nioc_domains;
	const char *const *ioc_urls;    /* known-bad URLs (prefix match) */
	size_t nioc_urls;
	const char *const *shorteners;  /* NULL = built-in list */
	size_t nshorteners;
	const char *const *trusted_authserv; /* authserv-ids whose Authentication-Results
	                                        count (NULL = all) */
	size_t ntrusted_authserv;
	int threshold_suspicious;       /* score at which the verdict is suspicious (0 = 30) */
	int threshold_phishing;         /* … phishing (0 = 60) */
	size_t max_urls;                /* URLs analysed per message (0 = 500) */
	size_t max_bytes;               /* message size cap (0 = 25 MiB) */
};

struct mm_mail_checker;
/* Returns owned or NULL with err filled (bad option). Borrows o's strings. */
struct mm_mail_checker *mm_mail_checker_new(const struct mm_mail_check_opts *o,
                                            struct mm_error *err);
void mm_mail_checker_free(struct mm_mail_checker *c); /* accepts NULL */

/* The verdict of one message (borrowed from the checker until the next call). */
struct mm_mail_verdict {
	const char *verdict; /* "clean" | "suspicious" | "phishing" */
	int score;
	const struct mm_rule_info *rule; /* the verdict's rule (NULL when clean) */
	const char *subject, *from, *message_id; /* decoded UTF-8, may be NULL */
	const char *to;                  /* first recipient, may be NULL */
	const char *url, *url_domain;    /* the highest-scoring URL, may be NULL */
	const char *reasons;             /* reason codes, comma-separated ("" when none) */
	int64_t date;                    /* Date: header (ns) or MM_TS_NONE */
};

/* Analyse one RFC 5322 message (data borrowed) and append its verdict JSON
 * object (no newline) to out; v is filled. name labels it (file path,
 * "mbox:N"). Attacker-controlled text is JSON-escaped (invalid UTF-8 is
 * replaced). MM_OK, or an error (not a message / over the size cap) in err. */
int mm_mail_check(struct mm_mail_checker *c, const char *name, const char *data, size_t n,
                  struct mm_buf *out, struct mm_mail_verdict *v, struct mm_error *err);

/* JSON string content for attacker-controlled text: mm_json_escape plus the
 * bidirectional and zero-width format characters (U+200B-200F, U+202A-202E,
 * U+2066-2069) as \u escapes, so a name cannot reorder what a reader sees. */
void mm_mail_json_escape(struct mm_buf *b, const char *s, size_t n);

/* Lookalike helpers (exposed for unit tests). */
/* Levenshtein distance of a and b (ASCII, case-insensitive), capped at max+1. */
unsigned mm_mail_edit_distance(const char *a, size_t an, const char *b, size_t bn, unsigned max);
/* The ASCII "skeleton" of a domain (UTS #39-style: Unicode confusables and
 * ASCII look-alikes such as rn→m, 0→o, 1→l folded), from a UTF-8 or
 * punycode (xn--) name. Writes NUL-terminated into buf; false if it does not fit. */
bool mm_mail_skeleton(const char *domain, size_t n, char *buf, size_t bufn);

#endif
