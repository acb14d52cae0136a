/* mamori — Semantic Versioning 2.0.0 precedence (semver.org §11):
 * MAJOR.MINOR.PATCH numerically, a pre-release sorts before its release,
 * pre-release identifiers compare numerically or in ASCII order, numeric
 * before alphanumeric, more identifiers win; build metadata is ignored.
 * Lenient like the OSV ecosystems that use it (npm, crates.io, Go): a leading
 * 'v' and missing MINOR/PATCH are accepted. */
#include "vuln_int.h"

static bool isdg(int c) { return c >= '0' && c <= '9'; }

struct sv {
	struct mm_slice core[3];
	struct mm_slice pre; /* without '-'; p == NULL: none */
	struct mm_slice rest; /* unparsed text of the core (compared generically) */
};

static void parse(struct mm_slice s, struct sv *v)
{
	memset(v, 0, sizeof(*v));
	size_t i = 0;
	while (i < s.n && (s.p[i] == ' ' || s.p[i] == '='))
		i++;
	if (i < s.n && (s.p[i] == 'v' || s.p[i] == 'V'))
		i++;
	for (int k = 0; k < 3; k++) {
		size_t st = i;
		while (i < s.n && isdg(s.p[i]))
			i++;
		v->core[k] = mm_slice(s.p + st, i - st);
		if (i < s.n && s.p[i] == '.' && k < 2)
			i++;
		else
			break;
	}
	size_t st = i;
	while (i < s.n && s.p[i] != '-' && s.p[i] != '+')
		i++;
	v->rest = mm_slice(s.p + st, i - st);
	if (i < s.n && s.p[i] == '-') {
		size_t ps = ++i;
		while (i < s.n && s.p[i] != '+')
			i++;
		v->pre = mm_slice(s.p + ps, i - ps);
	}
}

static bool allnum(struct mm_slice s)
{
	if (!s.n)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if (!isdg(s.p[i]))
			return false;
	return true;
}

static int idcmp(struct mm_slice a, struct mm_slice b)
{
	bool an = allnum(a), bn = allnum(b);
	if (an && bn)
		return mm__numcmp(a.p, a.n, b.p, b.n);
	if (an != bn)
		return an ? -1 : 1;
	size_t l = a.n < b.n ? a.n : b.n;
	int r = l ? memcmp(a.p, b.p, l) : 0;
	if (r)
		return r;
	return a.n == b.n ? 0 : (a.n < b.n ? -1 : 1);
}

int mm__vers_semver(struct mm_slice a, struct mm_slice b)
{
	struct sv x, y;
	parse(a, &x);
	parse(b, &y);
	for (int k = 0; k < 3; k++) {
		int r = mm__numcmp(x.core[k].p, x.core[k].n, y.core[k].p, y.core[k].n);
		if (r)
			return r;
	}
	if (x.rest.n || y.rest.n) {
		int r = mm__vers_generic(x.rest, y.rest);
		if (r)
			return r;
	}
	if (!x.pre.p || !y.pre.p)
		return (x.pre.p != NULL) == (y.pre.p != NULL) ? 0 : (x.pre.p ? -1 : 1);
	size_t i = 0, j = 0;
	for (;;) {
		if (i >= x.pre.n && j >= y.pre.n)
			return 0;
		if (i >= x.pre.n)
			return -1;
		if (j >= y.pre.n)
			return 1;
		size_t i2 = i, j2 = j;
		while (i2 < x.pre.n && x.pre.p[i2] != '.')
			i2++;
		while (j2 < y.pre.n && y.pre.p[j2] != '.')
			j2++;
		int r = idcmp(mm_slice(x.pre.p + i, i2 - i), mm_slice(y.pre.p + j, j2 - j));
		if (r)
			return r;
		i = i2 + 1;
		j = j2 + 1;
	}
}
