/* mamori — vendor versions with an R (revision) suffix, as Japanese appliance
 * vendors write them (m-FILTER "5.60R02", NVD's CPE "5.70r01"; "Ver." prefix
 * allowed): the dotted numeric part compares first, component by component
 * (missing = 0), then the revision number (none = R00), then any remainder
 * generically. So 5.60R02 < 5.70R01 < 5.70R02 and 5.70 = 5.70R00. */
#include "vuln_int.h"

static bool isdg(int c) { return c >= '0' && c <= '9'; }

struct vv {
	struct mm_slice comp[8];
	size_t ncomp;
	struct mm_slice rev, rest;
};

static void parse(struct mm_slice s, struct vv *v)
{
	memset(v, 0, sizeof(*v));
	size_t i = 0;
	while (i < s.n && !isdg(s.p[i]))
		i++; /* "Ver.", "v", spaces */
	while (i < s.n && v->ncomp < MM_ARRAY_LEN(v->comp)) {
		size_t st = i;
		while (i < s.n && isdg(s.p[i]))
			i++;
		v->comp[v->ncomp++] = mm_slice(s.p + st, i - st);
		if (i + 1 < s.n && s.p[i] == '.' && isdg(s.p[i + 1]))
			i++;
		else
			break;
	}
	if (i < s.n && (s.p[i] == 'R' || s.p[i] == 'r') && i + 1 < s.n && isdg(s.p[i + 1])) {
		size_t st = ++i;
		while (i < s.n && isdg(s.p[i]))
			i++;
		v->rev = mm_slice(s.p + st, i - st);
	}
	v->rest = mm_slice(s.p + i, s.n - i);
}

int mm__vers_vendor(struct mm_slice a, struct mm_slice b)
{
	struct vv x, y;
	parse(a, &x);
	parse(b, &y);
	size_t n = MM_MAX(x.ncomp, y.ncomp);
	for (size_t k = 0; k < n; k++) {
		struct mm_slice p = k < x.ncomp ? x.comp[k] : MM_SLICE_LIT("0");
		struct mm_slice q = k < y.ncomp ? y.comp[k] : MM_SLICE_LIT("0");
		int r = mm__numcmp(p.p, p.n, q.p, q.n);
		if (r)
			return r;
	}
	int r = mm__numcmp(x.rev.p ? x.rev.p : "", x.rev.n, y.rev.p ? y.rev.p : "", y.rev.n);
	if (r)
		return r;
	return mm__vers_generic(x.rest, y.rest);
}
