/* mamori — test helper: the DLP digit-run scanner's candidates written the
 * plain way, a byte at a time (the specification of the SIMD scanner
 * mm__dlp_digit_scan in src/dlp/detect.c): per maximal digit run [a, b), a
 * passport (two capitals, not after a word character, + exactly seven
 * digits not followed by one), an IBAN start (two such capitals + two digits
 * or more) and a year of a date (19xx or 20xx, not after a word character,
 * followed by '/' or 年); per token (runs joined by one space or hyphen) of
 * seven digits or more, a number, pushed when the next run does not join it.
 * digits_compare() returns the first differing index, or -1. */
#ifndef MAMORI_TEST_DLP_DIGITS_REF_H
#define MAMORI_TEST_DLP_DIGITS_REF_H

#include "mamori/dlp.h"

#include <stdlib.h>
#include <string.h>

size_t mm__dlp_digit_list(struct mm_dlp *d, const char *p, size_t n, uint32_t *out, size_t cap);

/* ids of scan_int.h */
enum { DREF_NUM = 0, DREF_IBAN = 3, DREF_PASSPORT = 4, DREF_DATE = 6 };

struct digits_ref {
	uint32_t *a, *b;
	size_t na, cap, capb;
};

static inline void dref_push(struct digits_ref *r, unsigned id, size_t from, size_t end)
{
	if (r->na == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->a = realloc(r->a, r->cap * 3 * sizeof(*r->a));
		if (!r->a)
			abort();
	}
	r->a[3 * r->na] = (uint32_t)end;
	r->a[3 * r->na + 1] = (uint32_t)from;
	r->a[3 * r->na + 2] = id;
	r->na++;
}

static inline int dref_word(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       c == '_';
}

static inline int dref_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}
static inline int dref_up(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static inline void digits_ref_scan(struct digits_ref *r, const unsigned char *p, size_t n)
{
	size_t tok_start = 0, tok_end = 0, tok_digits = 0;
	int in_tok = 0;
	r->na = 0;
	for (size_t a = 0; a < n;) {
		if (!dref_digit(p[a])) {
			a++;
			continue;
		}
		size_t b = a;
		while (b < n && dref_digit(p[b]))
			b++;
		size_t len = b - a;
		if (in_tok && a == tok_end + 1 && (p[tok_end] == ' ' || p[tok_end] == '-')) {
			tok_digits += len;
			tok_end = b;
		} else {
			if (in_tok && tok_digits >= 7)
				dref_push(r, DREF_NUM, tok_start, tok_end);
			in_tok = 1;
			tok_digits = len;
			tok_start = a;
			tok_end = b;
		}
		if (a >= 2 && dref_up(p[a - 1]) && dref_up(p[a - 2]) &&
		    (a == 2 || !dref_word(p[a - 3]))) {
			if (len == 7 && (b == n || !dref_word(p[b])))
				dref_push(r, DREF_PASSPORT, a - 2, b);
			if (len >= 2)
				dref_push(r, DREF_IBAN, a - 2, b);
		}
		if (len == 4 && b < n && (a == 0 || !dref_word(p[a - 1])) &&
		    ((p[a] == '1' && p[a + 1] == '9') || (p[a] == '2' && p[a + 1] == '0')) &&
		    (p[b] == '/' || (b + 3 <= n && !memcmp(p + b, "年", 3))))
			dref_push(r, DREF_DATE, a, b);
		a = b;
	}
	if (in_tok && tok_digits >= 7)
		dref_push(r, DREF_NUM, tok_start, tok_end);
}

static inline void digits_ref_free(struct digits_ref *r)
{
	free(r->a);
	free(r->b);
}

/* -1 when the scanner of d gives the reference's list (in the same order) */
static inline long digits_compare(struct digits_ref *r, struct mm_dlp *d, const char *p, size_t n,
                                  size_t *na, size_t *nb)
{
	digits_ref_scan(r, (const unsigned char *)p, n);
	size_t k = mm__dlp_digit_list(d, p, n, NULL, 0);
	if (k + 1 > r->capb) {
		r->capb = k + 1;
		r->b = realloc(r->b, r->capb * 3 * sizeof(*r->b));
		if (!r->b)
			abort();
	}
	mm__dlp_digit_list(d, p, n, r->b, k);
	*na = r->na;
	*nb = k;
	for (size_t i = 0; i < r->na && i < k; i++)
		if (memcmp(r->a + 3 * i, r->b + 3 * i, 3 * sizeof(*r->a)))
			return (long)i;
	return r->na == k ? -1 : (long)(r->na < k ? r->na : k);
}

#endif
