/* mamori — private to src/mail/: the rule table shared by the MTA-log
 * analyzers (analyzer.c) and the message verdicts of `mamori mail`
 * (check.c), so both emit alerts under stable rule ids. */
#ifndef MAMORI_MAIL_INT_H
#define MAMORI_MAIL_INT_H

#include "mamori/mail.h"

enum mm__mail_rule {
	MM__MR_RELAY,
	MM__MR_RELAY_SASL,
	MM__MR_BURST,
	MM__MR_MASS,
	MM__MR_BOUNCE,
	MM__MR_LISTED,
	MM__MR_PHISH,      /* `mamori mail` verdict phishing */
	MM__MR_SUSPICIOUS, /* `mamori mail` verdict suspicious */
	MM__MR_COUNT
};

extern const struct mm_rule_info mm__mail_rules[MM__MR_COUNT];

/* ---- URLs (url.c) ---------------------------------------------------------- */

/* Called once per URL found: url (not NUL-terminated, entities decoded in
 * HTML), and for an HTML link its visible text (tags stripped), else NULL. */
typedef void (*mm__url_fn)(void *ud, const char *url, size_t n, const char *text, size_t tn);
/* http(s):// and www. URLs in plain text; a URL ends at white space, quotes,
 * angle brackets or the first non-ASCII byte (Japanese text runs on without
 * spaces), trailing punctuation dropped. */
void mm__urls_text(const char *p, size_t n, mm__url_fn cb, void *ud);
/* <a href> links with their visible text, then the plain-text URLs of the
 * rest (as mm__urls_text). */
void mm__urls_html(const char *p, size_t n, mm__url_fn cb, void *ud);

struct mm__url_parts {
	char scheme[16];
	char host[256];      /* lower-case; IDN converted to ASCII (xn--) when possible */
	char host_utf8[256]; /* Unicode form of an IDN host (else = host) */
	bool userinfo;       /* "user@host" before the host (the @ trick) */
	bool ip_literal;     /* dotted IPv4, [IPv6], or a bare integer/hex host */
	bool idn;            /* some label is xn-- or the host had non-ASCII */
};
/* Split a URL (or "www.…"); false when it has no usable host. */
bool mm__url_parse(const char *u, size_t n, struct mm__url_parts *out);

/* ---- lookalikes (lookalike.c) ---------------------------------------------- */
/* Damerau (optimal string alignment) distance, ASCII case-folded, capped at
 * max + 1. */
unsigned mm__osa_distance(const char *a, size_t an, const char *b, size_t bn, unsigned max);

#endif
