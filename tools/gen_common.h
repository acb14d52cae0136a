/* mamori tools — shared pieces of the synthetic log generators (mamori-gen-demo,
 * mamori-gen-access): a fixed-seed PRNG, timestamp formatting and the benign
 * web-site model (pages, assets, clients, user agents). Not part of libmamori;
 * the generators feed the demo data, the rule FP checks and bench/. */
#ifndef MAMORI_TOOLS_GEN_COMMON_H
#define MAMORI_TOOLS_GEN_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* splitmix64: tiny, fast, and the same sequence on every platform, which is
 * what byte-for-byte reproducible demo files need. */
struct gen_rng {
	uint64_t s;
};
void gen_rng_seed(struct gen_rng *r, uint64_t seed);
uint64_t gen_next(struct gen_rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t gen_below(struct gen_rng *r, uint32_t n);
/* true with probability pct/100. */
int gen_chance(struct gen_rng *r, unsigned pct);

/* Civil date from days since 1970-01-01 (Howard Hinnant's algorithm). */
void gen_civil(int64_t days, int *y, unsigned *m, unsigned *d);
/* Days since 1970-01-01 of a civil date (inverse of gen_civil). */
int64_t gen_days_from_civil(int y, unsigned m, unsigned d);
extern const char *const gen_month_abbr[12];

/* Apache %t: "25/Nov/2026:13:04:59 +0900" for local seconds since the epoch
 * (already shifted by the zone) and the zone offset in minutes. Writes at most
 * n bytes including the NUL; returns the length. */
size_t gen_fmt_clf_time(char *out, size_t n, int64_t local_secs, int tz_minutes);
/* RFC 3164 TIMESTAMP: "Nov 25 13:04:59" (day space-padded). */
size_t gen_fmt_syslog_time(char *out, size_t n, int64_t local_secs);

/* The benign web-site model. */
struct gen_page {
	const char *path;
	unsigned bytes; /* typical response size */
};
extern const struct gen_page gen_pages[];      /* HTML pages */
extern const size_t gen_npages;
extern const struct gen_page gen_assets[];     /* css/js/images loaded by each page */
extern const size_t gen_nassets;
extern const char *const gen_search_terms[];   /* benign, some deliberately near-miss */
extern const size_t gen_nsearch;
extern const char *const gen_browser_uas[];
extern const size_t gen_nbrowser_uas;
extern const char *const gen_bot_uas[];        /* well-behaved crawlers */
extern const size_t gen_nbot_uas;
extern const char *const gen_ext_referers[];   /* search engines and social sites */
extern const size_t gen_next_referers;

/* One benign request, formatted as a combined-log line (with '\n') into out.
 * client: IP text; page/asset chosen by the caller. Returns the length, or 0
 * when it does not fit. */
struct gen_req {
	const char *ip;
	const char *time; /* gen_fmt_clf_time() text */
	const char *method;
	const char *target; /* request target: path[?query] */
	unsigned status;
	unsigned bytes; /* 0 logs "-" */
	const char *referer; /* NULL logs "-" */
	const char *ua;
};
size_t gen_fmt_combined(char *out, size_t n, const struct gen_req *q);

/* A benign client address: TEST-NET-1 (RFC 5737 192.0.2.0/24), the documentation
 * IPv6 prefix (RFC 3849 2001:db8::/32) or the office LAN 10.20.0.0/16. */
void gen_benign_ip(struct gen_rng *r, unsigned client_no, char *out, size_t n);

#endif
