/* mamori — Alpine apk version ordering (apk-tools' apk-package(5):
 * number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}), as OSV's
 * Alpine ecosystem evaluates it (osv-scanner's semantic package is the
 * reference implementation its fixtures describe). Numbers compare as
 * numbers, except that after the first one a component with a leading zero
 * compares as text ("1.01" < "1.1": fractional); a letter beats none;
 * suffixes alpha < beta < pre < rc < (none) = cvs-with-no-number < svn <
 * git < hg < p; the hash is ignored; then the -r build number. Text that
 * does not follow the grammar is "invalid": two invalid versions compare as
 * plain text, otherwise whatever parsed compares, and an unparsed remainder
 * sorts first. */
#include "vuln_int.h"

static bool isdg(int c) { return c >= '0' && c <= '9'; }

#define APK_MAX_PARTS 64 /* numbers or suffixes beyond this compare as absent */

struct apk {
	struct mm_slice num[APK_MAX_PARTS];
	size_t nnum;
	char letter;
	struct {
		int weight;
		struct mm_slice n;
	} suf[APK_MAX_PARTS];
	size_t nsuf;
	struct mm_slice build, rest;
	bool invalid;
};

static bool prefix(struct mm_slice s, size_t i, const char *w)
{
	size_t k = strlen(w);
	return i + k <= s.n && !memcmp(s.p + i, w, k);
}

/* "_" suffix [digits] at i: its weight and length (0: none) */
static size_t suffix_at(struct mm_slice s, size_t i, int *weight, struct mm_slice *n)
{
	/* leftmost-first alternation, in this order */
	static const char *const names[] = {"alpha", "beta", "pre", "rc", "cvs",
	                                    "svn",   "git",  "hg",  "p"};
	static const int weights[] = {0, 1, 2, 3, 5, 6, 7, 8, 9};
	if (i >= s.n || s.p[i] != '_')
		return 0;
	for (size_t k = 0; k < MM_ARRAY_LEN(names); k++) {
		if (!prefix(s, i + 1, names[k]))
			continue;
		size_t j = i + 1 + strlen(names[k]), st = j;
		while (j < s.n && isdg(s.p[j]))
			j++;
		*weight = weights[k];
		*n = mm_slice(s.p + st, j - st);
		return j - i;
	}
	return 0;
}

static void parse(struct mm_slice s, struct apk *v)
{
	memset(v, 0, sizeof(*v));
	size_t i = 0;
	/* numbers: (digits "."?)* — an empty first component when none */
	for (;;) {
		size_t st = i;
		while (i < s.n && isdg(s.p[i]))
			i++;
		if (v->nnum < APK_MAX_PARTS)
			v->num[v->nnum++] = mm_slice(s.p + st, i - st);
		if (i == st || i >= s.n || s.p[i] != '.')
			break;
		i++; /* a trailing '.' leaves an empty component */
		if (i >= s.n || !isdg(s.p[i])) {
			if (v->nnum < APK_MAX_PARTS)
				v->num[v->nnum++] = mm_slice(s.p + i, 0);
			break;
		}
	}
	if (i < s.n && s.p[i] >= 'a' && s.p[i] <= 'z')
		v->letter = s.p[i++];
	/* every suffix anywhere in the rest counts; only leading ones are
	 * consumed (the reference parser's behaviour on odd input) */
	struct mm_slice r = mm_slice(s.p + i, s.n - i);
	size_t consumed = 0;
	bool leading = true;
	for (size_t j = 0; j < r.n;) {
		int w;
		struct mm_slice n;
		size_t k = suffix_at(r, j, &w, &n);
		if (!k) {
			leading = false;
			j++;
			continue;
		}
		if (v->nsuf < APK_MAX_PARTS) {
			v->suf[v->nsuf].weight = w;
			v->suf[v->nsuf].n = n;
			v->nsuf++;
		}
		if (leading)
			consumed = j + k;
		j += k;
	}
	i += consumed;
	if (i < s.n && s.p[i] == '~') {
		size_t j = i + 1;
		while (j < s.n && (isdg(s.p[j]) || (s.p[j] >= 'a' && s.p[j] <= 'f')))
			j++;
		if (j > i + 1)
			i = j;
	}
	if (i < s.n) {
		if (s.n - i >= 2 && s.p[i] == '-' && s.p[i + 1] == 'r') {
			size_t st = i + 2;
			i = st;
			while (i < s.n && isdg(s.p[i]))
				i++;
			v->build = mm_slice(s.p + st, i - st);
		} else {
			v->invalid = true;
		}
	}
	v->rest = mm_slice(s.p + i, s.n - i);
}

static int textcmp(struct mm_slice a, struct mm_slice b)
{
	int r = memcmp(a.p, b.p, MM_MIN(a.n, b.n));
	if (!r && a.n != b.n)
		r = a.n < b.n ? -1 : 1;
	return r < 0 ? -1 : r > 0;
}

int mm__vers_apk(struct mm_slice a, struct mm_slice b)
{
	struct apk va, vb;
	parse(a, &va);
	parse(b, &vb);
	if (va.invalid && vb.invalid)
		return textcmp(a, b);
	size_t n = MM_MAX(va.nnum, vb.nnum);
	for (size_t i = 0; i < n; i++) {
		/* an absent component is "0" at the first position's rules */
		bool ha = i < va.nnum, hb = i < vb.nnum;
		struct mm_slice x = ha ? va.num[i] : MM_SLICE_LIT("0");
		struct mm_slice y = hb ? vb.num[i] : MM_SLICE_LIT("0");
		int r;
		if (i && ha && hb && ((x.n && x.p[0] == '0') || (y.n && y.p[0] == '0')))
			r = textcmp(x, y);
		else
			r = mm__numcmp(x.p, x.n, y.p, y.n);
		if (r)
			return r;
	}
	if (va.letter != vb.letter)
		return !va.letter ? -1 : !vb.letter ? 1 : (va.letter < vb.letter ? -1 : 1);
	n = MM_MAX(va.nsuf, vb.nsuf);
	for (size_t i = 0; i < n; i++) {
		/* no suffix weighs like "cvs" with number 0 (the reference's) */
		int wa = i < va.nsuf ? va.suf[i].weight : 5, wb = i < vb.nsuf ? vb.suf[i].weight : 5;
		if (wa != wb)
			return wa < wb ? -1 : 1;
		struct mm_slice x = i < va.nsuf ? va.suf[i].n : MM_SLICE_LIT("");
		struct mm_slice y = i < vb.nsuf ? vb.suf[i].n : MM_SLICE_LIT("");
		int r = mm__numcmp(x.p ? x.p : "", x.n, y.p ? y.p : "", y.n);
		if (r)
			return r;
	}
	int r = mm__numcmp(va.build.p ? va.build.p : "", va.build.n, vb.build.p ? vb.build.p : "",
	                   vb.build.n);
	if (r)
		return r;
	if (!va.rest.n != !vb.rest.n)
		return va.rest.n ? -1 : 1;
	return 0;
}
