/* mamori — slice helpers: comparisons and number parsing on borrowed
 * (pointer, length) views. No locale: ASCII case folding only, as Sigma's
 * case-insensitive matching is defined on ASCII in practice. */
#include "mamori/core.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct mm_slice mm_slice_cstr(const char *s)
{
	if (!s)
		return MM_SLICE_NULL;
	return mm_slice(s, strlen(s));
}

bool mm_slice_eq(struct mm_slice a, struct mm_slice b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

bool mm_slice_eq_cstr(struct mm_slice a, const char *s)
{
	return mm_slice_eq(a, mm_slice_cstr(s));
}

static inline unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}

bool mm_slice_ieq(struct mm_slice a, struct mm_slice b)
{
	if (a.n != b.n)
		return false;
	for (size_t i = 0; i < a.n; i++)
		if (lower((unsigned char)a.p[i]) != lower((unsigned char)b.p[i]))
			return false;
	return true;
}

bool mm_slice_ieq_cstr(struct mm_slice a, const char *s)
{
	return mm_slice_ieq(a, mm_slice_cstr(s));
}

int mm_slice_to_i64(struct mm_slice s, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	if (s.n == 0 || !s.p)
		return MM_EPARSE;
	if (s.p[0] == '-' || s.p[0] == '+') {
		neg = s.p[0] == '-';
		i++;
	}
	if (i == s.n)
		return MM_EPARSE;
	uint64_t v = 0;
	for (; i < s.n; i++) {
		unsigned d = (unsigned char)s.p[i] - '0';
		if (d > 9)
			return MM_EPARSE;
		if (v > (UINT64_MAX - d) / 10)
			return MM_EPARSE;
		v = v * 10 + d;
	}
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return MM_EPARSE;
		*out = (int64_t)(0 - v);
	} else {
		if (v > (uint64_t)INT64_MAX)
			return MM_EPARSE;
		*out = (int64_t)v;
	}
	return MM_OK;
}

int mm_slice_to_double(struct mm_slice s, double *out)
{
	char buf[64];
	if (!s.p || s.n == 0 || s.n >= sizeof(buf))
		return MM_EPARSE;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' ||
		      c == 'E'))
			return MM_EPARSE;
	}
	memcpy(buf, s.p, s.n);
	buf[s.n] = '\0';
	char *end;
	errno = 0;
	double v = strtod(buf, &end);
	if (*end || errno || !isfinite(v))
		return MM_EPARSE;
	*out = v;
	return MM_OK;
}

char *mm_slice_strdup(struct mm_slice s)
{
	return mm_strndup(s.p ? s.p : "", s.p ? s.n : 0);
}
