/* mamori — Java version strings: JEP 223 ($FEATURE.$INTERIM.$UPDATE.$PATCH
 * [-PRE][+BUILD], "11.0.17+8", "17.0.5") and the legacy 1.x scheme
 * ("1.8.0_361-b09" is feature 8, update 361, build 9). Both map to one
 * tuple (feature, interim, update, patch…) compared numerically; a
 * pre-release ("-ea") sorts before its release; builds compare only when
 * both versions name one ("17.0.5" equals "17.0.5+8" for advisories). */
#include "vuln_int.h"

static bool isdg(int c) { return c >= '0' && c <= '9'; }

struct jv {
	struct mm_slice n[6];
	size_t nn;
	struct mm_slice pre, build;
};

static void parse(struct mm_slice s, struct jv *v)
{
	memset(v, 0, sizeof(*v));
	size_t i = 0;
	while (i < s.n && !isdg(s.p[i]))
		i++;
	struct mm_slice raw[6];
	size_t nr = 0;
	while (i < s.n && nr < 6) {
		size_t st = i;
		while (i < s.n && isdg(s.p[i]))
			i++;
		raw[nr++] = mm_slice(s.p + st, i - st);
		if (i + 1 < s.n && s.p[i] == '.' && isdg(s.p[i + 1]))
			i++;
		else
			break;
	}
	struct mm_slice upd = MM_SLICE_NULL;
	if (i + 1 < s.n && s.p[i] == '_' && isdg(s.p[i + 1])) {
		size_t st = ++i;
		while (i < s.n && isdg(s.p[i]))
			i++;
		upd = mm_slice(s.p + st, i - st);
	}
	if (nr >= 2 && mm_slice_eq_cstr(raw[0], "1")) {
		/* legacy 1.F.0_U: feature F, interim 0, update U */
		v->n[0] = raw[1];
		v->n[1] = MM_SLICE_LIT("0");
		v->n[2] = upd.p ? upd : (nr > 2 ? raw[2] : MM_SLICE_LIT("0"));
		v->nn = 3;
	} else {
		for (size_t k = 0; k < nr; k++)
			v->n[v->nn++] = raw[k];
		if (upd.p && v->nn < 6)
			v->n[v->nn++] = upd;
	}
	if (i < s.n && s.p[i] == '-') {
		size_t st = ++i;
		while (i < s.n && s.p[i] != '+')
			i++;
		struct mm_slice t = mm_slice(s.p + st, i - st);
		/* legacy "-b09" is a build number, not a pre-release */
		if (t.n >= 2 && (t.p[0] == 'b' || t.p[0] == 'B') && isdg(t.p[1]))
			v->build = mm_slice(t.p + 1, t.n - 1);
		else
			v->pre = t;
	}
	if (i < s.n && s.p[i] == '+') {
		size_t st = ++i;
		while (i < s.n && isdg(s.p[i]))
			i++;
		v->build = mm_slice(s.p + st, i - st);
	}
}

int mm__vers_java(struct mm_slice a, struct mm_slice b)
{
	struct jv x, y;
	parse(a, &x);
	parse(b, &y);
	size_t n = MM_MAX(x.nn, y.nn);
	for (size_t k = 0; k < n; k++) {
		struct mm_slice p = k < x.nn ? x.n[k] : MM_SLICE_LIT("0");
		struct mm_slice q = k < y.nn ? y.n[k] : MM_SLICE_LIT("0");
		int r = mm__numcmp(p.p, p.n, q.p, q.n);
		if (r)
			return r;
	}
	if ((x.pre.p != NULL) != (y.pre.p != NULL))
		return x.pre.p ? -1 : 1;
	if (x.pre.p) {
		int r = mm__vers_generic(x.pre, y.pre);
		if (r)
			return r;
	}
	if (x.build.p && y.build.p)
		return mm__numcmp(x.build.p, x.build.n, y.build.p, y.build.n);
	return 0;
}
