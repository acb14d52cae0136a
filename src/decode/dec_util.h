/* mamori — private helpers shared by the decoders in src/decode/: bounded
 * byte scanners, small integer parsers and field setters. Everything is
 * static inline so each decoder's hot loop stays one translation unit; no
 * helper ever reads past the (pointer, length) it is given. */
#ifndef MAMORI_DECODE_DEC_UTIL_H
#define MAMORI_DECODE_DEC_UTIL_H

#include "mamori/decode.h"

#include <string.h>

static inline bool dec_digit(char c)
{
	return (unsigned)((unsigned char)c - '0') < 10u;
}

static inline bool dec_alpha(char c)
{
	return (unsigned)(((unsigned char)c | 0x20) - 'a') < 26u;
}

static inline void dec_set(struct mm_event *ev, enum mm_field_id id, const char *p, size_t n)
{
	ev->f[id].p = p;
	ev->f[id].n = n;
}

static inline void dec_set_s(struct mm_event *ev, enum mm_field_id id, struct mm_slice s)
{
	ev->f[id] = s;
}

/* Exactly `count` decimal digits at p[*i]; advances *i. */
static inline bool dec_fixed_digits(const char *p, size_t n, size_t *i, int count, int *out)
{
	if (*i + (size_t)count > n)
		return false;
	int v = 0;
	for (int k = 0; k < count; k++) {
		char c = p[*i + (size_t)k];
		if (!dec_digit(c))
			return false;
		v = v * 10 + (c - '0');
	}
	*i += (size_t)count;
	*out = v;
	return true;
}

/* 1..maxd decimal digits at p[*i]; advances *i past them. */
static inline bool dec_uint(const char *p, size_t n, size_t *i, int maxd, int64_t *out)
{
	size_t s = *i;
	int64_t v = 0;
	while (*i < n && dec_digit(p[*i]) && (int)(*i - s) < maxd) {
		v = v * 10 + (p[*i] - '0');
		(*i)++;
	}
	if (*i == s)
		return false;
	*out = v;
	return true;
}

/* Does the slice p[i..n) start with the literal? */
static inline bool dec_at(const char *p, size_t n, size_t i, const char *lit, size_t litn)
{
	return i <= n && n - i >= litn && memcmp(p + i, lit, litn) == 0;
}
#define DEC_AT(p, n, i, lit) dec_at((p), (n), (i), (lit), sizeof(lit) - 1)

/* First occurrence of the literal in p[from..n), or n. */
static inline size_t dec_find(const char *p, size_t n, size_t from, const char *lit, size_t litn)
{
	if (litn == 0 || from > n)
		return n;
	while (from + litn <= n) {
		const char *q = memchr(p + from, lit[0], n - from - litn + 1);
		if (!q)
			return n;
		size_t k = (size_t)(q - p);
		if (memcmp(q, lit, litn) == 0)
			return k;
		from = k + 1;
	}
	return n;
}
#define DEC_FIND(p, n, from, lit) dec_find((p), (n), (from), (lit), sizeof(lit) - 1)

/* Does the whole slice parse as an IP address? */
static inline bool dec_is_ip(const char *p, size_t n)
{
	struct mm_ip ip;
	return n > 0 && mm_ip_parse(mm_slice(p, n), &ip) == MM_OK;
}

/* Years a log line may carry. Event time is int64 nanoseconds (±292 years
 * around 1970), so anything outside this range would overflow in
 * mm_time_from_civil; such a timestamp is reported as bad_timestamp. */
#define DEC_YEAR_MIN 1900
#define DEC_YEAR_MAX 2200

static inline bool dec_year_ok(int64_t y)
{
	return y >= DEC_YEAR_MIN && y <= DEC_YEAR_MAX;
}

/* mm_time_parse_iso8601 with the year range checked first. */
static inline bool dec_iso8601(struct mm_slice s, struct mm_tz *tz, int64_t *out)
{
	if (s.n < 4 || !dec_digit(s.p[0]) || !dec_digit(s.p[1]) || !dec_digit(s.p[2]) ||
	    !dec_digit(s.p[3]))
		return false;
	int y = (s.p[0] - '0') * 1000 + (s.p[1] - '0') * 100 + (s.p[2] - '0') * 10 + (s.p[3] - '0');
	return dec_year_ok(y) && mm_time_parse_iso8601(s, tz, out) == MM_OK;
}

#endif
