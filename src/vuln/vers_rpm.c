/* mamori — RPM version ordering: [epoch:]version[-release], each part by
 * rpmvercmp (rpm's rpmio/rpmvercmp.c, rpm ≥ 4.15): alphanumeric segments,
 * digits beat letters, '~' sorts before anything (pre-releases), '^' after
 * the base version but before anything else (post-release snapshots). */
#include "vuln_int.h"

static bool isal(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool isdg(int c) { return c >= '0' && c <= '9'; }

static int rpmvercmp(struct mm_slice as, struct mm_slice bs)
{
	if (mm_slice_eq(as, bs))
		return 0;
	size_t i = 0, j = 0;
#define CA(k) ((k) < as.n ? (unsigned char)as.p[k] : 0)
#define CB(k) ((k) < bs.n ? (unsigned char)bs.p[k] : 0)
	while (CA(i) || CB(j)) {
		while (CA(i) && !isal(CA(i)) && !isdg(CA(i)) && CA(i) != '~' && CA(i) != '^')
			i++;
		while (CB(j) && !isal(CB(j)) && !isdg(CB(j)) && CB(j) != '~' && CB(j) != '^')
			j++;
		if (CA(i) == '~' || CB(j) == '~') {
			if (CA(i) != '~')
				return 1;
			if (CB(j) != '~')
				return -1;
			i++;
			j++;
			continue;
		}
		if (CA(i) == '^' || CB(j) == '^') {
			if (!CA(i))
				return -1;
			if (!CB(j))
				return 1;
			if (CA(i) != '^')
				return 1;
			if (CB(j) != '^')
				return -1;
			i++;
			j++;
			continue;
		}
		if (!(CA(i) && CB(j)))
			break;
		size_t i2 = i, j2 = j;
		bool isnum = isdg(CA(i));
		if (isnum) {
			while (isdg(CA(i2)))
				i2++;
			while (isdg(CB(j2)))
				j2++;
		} else {
			while (isal(CA(i2)))
				i2++;
			while (isal(CB(j2)))
				j2++;
		}
		if (j2 == j)
			return isnum ? 1 : -1;
		int r;
		if (isnum) {
			r = mm__numcmp(as.p + i, i2 - i, bs.p + j, j2 - j);
		} else {
			size_t la = i2 - i, lb = j2 - j, l = la < lb ? la : lb;
			r = memcmp(as.p + i, bs.p + j, l);
			if (!r && la != lb)
				r = la < lb ? -1 : 1;
		}
		if (r)
			return r < 0 ? -1 : 1;
		i = i2;
		j = j2;
	}
	if (!CA(i) && !CB(j))
		return 0;
	return !CA(i) ? -1 : 1;
#undef CA
#undef CB
}

struct evr {
	struct mm_slice e, v, r;
};

/* [epoch:]version[-release]: the release starts at the first '-' after the
 * epoch (rpm versions cannot contain one); a missing release (r.p == NULL)
 * sorts before any release, as in osv-scanner's Red Hat reference vectors. */
static void split(struct mm_slice s, struct evr *o)
{
	o->e = MM_SLICE_LIT("0");
	const char *colon = memchr(s.p, ':', s.n);
	if (colon) {
		struct mm_slice e = mm_slice(s.p, (size_t)(colon - s.p));
		/* rpm -qa prints "(none)" for a missing epoch */
		if (e.n && !mm_slice_eq_cstr(e, "(none)"))
			o->e = e;
		s.n -= e.n + 1;
		s.p = colon + 1;
	}
	const char *h = memchr(s.p, '-', s.n);
	if (h) {
		o->v = mm_slice(s.p, (size_t)(h - s.p));
		o->r = mm_slice(h + 1, s.n - (size_t)(h - s.p) - 1);
	} else {
		o->v = s;
		o->r = MM_SLICE_NULL;
	}
}

int mm__vers_rpm(struct mm_slice a, struct mm_slice b)
{
	struct evr x, y;
	split(a, &x);
	split(b, &y);
	int r = rpmvercmp(x.e, y.e);
	if (r)
		return r;
	if ((r = rpmvercmp(x.v, y.v)))
		return r;
	if (!x.r.p || !y.r.p)
		return (x.r.p != NULL) - (y.r.p != NULL);
	return rpmvercmp(x.r, y.r);
}
