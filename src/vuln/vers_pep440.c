/* mamori — PyPI version ordering, PEP 440 ("Version Identification and
 * Dependency Specification"): [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local],
 * with the spec's normalisations (case, 'v' prefix, alpha/beta/c/pre/preview
 * spellings, optional separators and numbers, implicit "-N" post releases)
 * and its ordering (a dev release of a final sorts before its pre-releases,
 * local versions after the public one). Text that is not a PEP 440 version is
 * ordered like pip's legacy versions (the "packaging" library's LegacyVersion,
 * still present in OSV PyPI data), always before every valid version. */
#include "vuln_int.h"

#include <stdlib.h>

static bool isdg(int c) { return c >= '0' && c <= '9'; }
static bool isal(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int low(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static bool issep(int c) { return c == '.' || c == '-' || c == '_'; }
static bool isws(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

struct pv {
	struct mm_slice epoch, release; /* release: "1.2.3" */
	char pre;                       /* 0, 'a', 'b', 'c' (rc) */
	struct mm_slice pre_n, post_n, dev_n, local;
	bool post, dev, has_local;
};

/* keyword at s[i] (case-insensitive), longest first: returns its length */
static size_t kw(struct mm_slice s, size_t i, const char *const *words, size_t nw)
{
	for (size_t w = 0; w < nw; w++) {
		size_t k = strlen(words[w]);
		if (i + k > s.n)
			continue;
		size_t j = 0;
		while (j < k && low((unsigned char)s.p[i + j]) == words[w][j])
			j++;
		if (j == k)
			return k;
	}
	return 0;
}

static struct mm_slice digits(struct mm_slice s, size_t *i)
{
	size_t st = *i;
	while (*i < s.n && isdg(s.p[*i]))
		(*i)++;
	return mm_slice(s.p + st, *i - st);
}

/* [-_.]? keyword [-_.]? N? — the shape of pre, post and dev parts */
static bool part(struct mm_slice s, size_t *ip, const char *const *words, size_t nw,
                 size_t *kwlen, size_t *kwpos, struct mm_slice *num)
{
	size_t i = *ip;
	if (i < s.n && issep(s.p[i]))
		i++;
	size_t k = kw(s, i, words, nw);
	if (!k)
		return false;
	*kwpos = i;
	*kwlen = k;
	i += k;
	size_t save = i;
	if (i < s.n && issep(s.p[i]))
		i++;
	*num = digits(s, &i);
	if (!num->n)
		i = save; /* the separator belongs to what follows */
	*ip = i;
	return true;
}

/* The PEP 440 grammar (packaging's VERSION_PATTERN); false: not a version. */
static bool parse(struct mm_slice s, struct pv *v)
{
	memset(v, 0, sizeof(*v));
	while (s.n && isws(s.p[0]))
		s.p++, s.n--;
	while (s.n && isws(s.p[s.n - 1]))
		s.n--;
	size_t i = 0;
	if (i < s.n && low(s.p[i]) == 'v')
		i++;
	struct mm_slice n1 = digits(s, &i);
	if (!n1.n)
		return false;
	size_t rel = (size_t)(n1.p - s.p);
	if (i < s.n && s.p[i] == '!') {
		v->epoch = n1;
		i++;
		rel = i;
		if (!digits(s, &i).n)
			return false;
	}
	while (i + 1 < s.n && s.p[i] == '.' && isdg(s.p[i + 1])) {
		i++;
		digits(s, &i);
	}
	v->release = mm_slice(s.p + rel, i - rel);
	static const char *const pre_w[] = {"preview", "alpha", "beta", "pre", "rc", "a", "b", "c"};
	static const char *const post_w[] = {"post", "rev", "r"};
	static const char *const dev_w[] = {"dev"};
	size_t k, at;
	struct mm_slice num;
	size_t j = i;
	if (part(s, &j, pre_w, MM_ARRAY_LEN(pre_w), &k, &at, &num)) {
		char c = (char)low(s.p[at]);
		v->pre = c == 'a' ? 'a' : c == 'b' ? 'b' : 'c'; /* c, rc, pre, preview → rc */
		v->pre_n = num;
		i = j;
	}
	j = i;
	if (j + 1 < s.n && s.p[j] == '-' && isdg(s.p[j + 1])) {
		j++;
		v->post = true;
		v->post_n = digits(s, &j);
		i = j;
	} else if (part(s, &j, post_w, MM_ARRAY_LEN(post_w), &k, &at, &num)) {
		v->post = true;
		v->post_n = num;
		i = j;
	}
	j = i;
	if (part(s, &j, dev_w, 1, &k, &at, &num)) {
		v->dev = true;
		v->dev_n = num;
		i = j;
	}
	if (i < s.n && s.p[i] == '+') {
		i++;
		size_t st = i;
		for (;;) {
			size_t seg = i;
			while (i < s.n && (isdg(s.p[i]) || isal(s.p[i])))
				i++;
			if (i == seg)
				return false;
			if (i + 1 < s.n && issep(s.p[i]))
				i++;
			else
				break;
		}
		v->has_local = true;
		v->local = mm_slice(s.p + st, i - st);
	}
	return i == s.n;
}

/* numbers: a missing one is 0 ("1.0a" is "1.0a0") */
static int num(struct mm_slice a, struct mm_slice b)
{
	return mm__numcmp(a.p ? a.p : "", a.n, b.p ? b.p : "", b.n);
}

/* next dot-separated release number from *i; "0" past the end */
static struct mm_slice rel_next(struct mm_slice r, size_t *i)
{
	if (*i >= r.n)
		return MM_SLICE_LIT("0");
	size_t st = *i;
	while (*i < r.n && r.p[*i] != '.')
		(*i)++;
	struct mm_slice n = mm_slice(r.p + st, *i - st);
	if (*i < r.n)
		(*i)++;
	return n;
}

/* pre-release rank: a dev release of a final (no pre, no post) before any
 * pre-release (-1), pre-releases by letter (a < b < rc), none after (4) */
static int pre_rank(const struct pv *v)
{
	if (!v->pre)
		return !v->post && v->dev ? -1 : 4;
	return v->pre == 'a' ? 1 : v->pre == 'b' ? 2 : 3;
}

/* local segments split on . - _: numeric ones compare as numbers and sort
 * after alphanumeric ones, which compare case-insensitively; more segments
 * win when the common ones are equal */
static int local_cmp(struct mm_slice a, struct mm_slice b)
{
	size_t i = 0, j = 0;
	for (;;) {
		if (i >= a.n || j >= b.n)
			return (i >= a.n) == (j >= b.n) ? 0 : (i >= a.n ? -1 : 1);
		size_t i2 = i, j2 = j;
		while (i2 < a.n && !issep(a.p[i2]))
			i2++;
		while (j2 < b.n && !issep(b.p[j2]))
			j2++;
		bool na = true, nb = true;
		for (size_t x = i; x < i2; x++)
			na = na && isdg(a.p[x]);
		for (size_t x = j; x < j2; x++)
			nb = nb && isdg(b.p[x]);
		int r;
		if (na != nb) {
			r = na ? 1 : -1;
		} else if (na) {
			r = mm__numcmp(a.p + i, i2 - i, b.p + j, j2 - j);
		} else {
			r = 0;
			size_t la = i2 - i, lb = j2 - j;
			for (size_t x = 0; x < la && x < lb && !r; x++)
				r = low((unsigned char)a.p[i + x]) - low((unsigned char)b.p[j + x]);
			if (!r && la != lb)
				r = la < lb ? -1 : 1;
		}
		if (r)
			return r < 0 ? -1 : 1;
		i = i2 + (i2 < a.n);
		j = j2 + (j2 < b.n);
	}
}

static int pv_cmp(const struct pv *a, const struct pv *b)
{
	int r = num(a->epoch, b->epoch);
	if (r)
		return r;
	size_t i = 0, j = 0;
	while (i < a->release.n || j < b->release.n)
		if ((r = num(rel_next(a->release, &i), rel_next(b->release, &j))))
			return r;
	int pa = pre_rank(a), pb = pre_rank(b);
	if (pa != pb)
		return pa < pb ? -1 : 1;
	if (a->pre && (r = num(a->pre_n, b->pre_n)))
		return r;
	if (a->post != b->post)
		return a->post ? 1 : -1;
	if (a->post && (r = num(a->post_n, b->post_n)))
		return r;
	if (a->dev != b->dev)
		return a->dev ? -1 : 1;
	if (a->dev && (r = num(a->dev_n, b->dev_n)))
		return r;
	if (a->has_local != b->has_local)
		return a->has_local ? 1 : -1;
	return a->has_local ? local_cmp(a->local, b->local) : 0;
}

/* ---- legacy versions (packaging's LegacyVersion, setuptools' old
 * parse_version): lower-cased text split into digit runs, letter runs, '.',
 * '-' and runs of anything else; digit runs padded to 8 digits and compared
 * as text, other parts prefixed with '*' ("pre", "preview", "rc" → "c",
 * "dev" → "@", "-" → "final-"), trailing zeros of each numeric series
 * dropped, "*final" appended; the part lists compare as text tuples. */
struct tok {
	const char *p;
	size_t n;
};

static size_t legacy_key(struct mm_slice s, char *buf, struct tok *t)
{
	size_t nt = 0, w = 0, i = 0;
	for (bool end = false; !end;) {
		char *part = buf + w;
		if (i >= s.n) {
			memcpy(part, "*final", 6);
			w += 6;
			end = true;
		} else {
			size_t st = i;
			int c = low((unsigned char)s.p[i]);
			if (isdg(c)) {
				while (i < s.n && isdg(s.p[i]))
					i++;
			} else if (c >= 'a' && c <= 'z') {
				while (i < s.n && isal(s.p[i]))
					i++;
			} else if (c == '.' || c == '-') {
				i++;
			} else {
				while (i < s.n && !isdg(s.p[i]) && !isal(s.p[i]) && s.p[i] != '.' &&
				       s.p[i] != '-')
					i++;
			}
			struct mm_slice p = mm_slice(s.p + st, i - st);
			if (mm_slice_eq_cstr(p, "."))
				continue;
			if (isdg(c)) { /* zfill(8) */
				for (size_t k = p.n; k < 8; k++)
					buf[w++] = '0';
				memcpy(buf + w, p.p, p.n);
				w += p.n;
			} else if (mm_slice_ieq_cstr(p, "pre") || mm_slice_ieq_cstr(p, "preview") ||
			           mm_slice_ieq_cstr(p, "rc")) {
				memcpy(part, "*c", 2);
				w += 2;
			} else if (mm_slice_ieq_cstr(p, "dev")) {
				memcpy(part, "*@", 2);
				w += 2;
			} else if (mm_slice_eq_cstr(p, "-")) {
				memcpy(part, "*final-", 7);
				w += 7;
			} else {
				buf[w++] = '*';
				for (size_t k = 0; k < p.n; k++)
					buf[w++] = (char)low((unsigned char)p.p[k]);
			}
		}
		size_t pn = (size_t)(buf + w - part);
		if (part[0] == '*') {
			/* a "-" before a pre-release tag goes, and trailing zeros of
			 * the numeric series before any tag */
			int r = memcmp(part, "*final", MM_MIN(pn, 6));
			if (r < 0 || (!r && pn < 6))
				while (nt && t[nt - 1].n == 7 && !memcmp(t[nt - 1].p, "*final-", 7))
					nt--;
			while (nt && t[nt - 1].n == 8 && !memcmp(t[nt - 1].p, "00000000", 8))
				nt--;
		}
		t[nt].p = part;
		t[nt].n = pn;
		nt++;
	}
	return nt;
}

static int legacy_cmp(struct mm_slice a, struct mm_slice b)
{
	/* every input byte makes at most one part of at most 8 bytes + '*' */
	char *ba = mm_malloc(a.n * 9 + 16), *bb = mm_malloc(b.n * 9 + 16);
	struct tok *ta = mm_malloc((a.n + 2) * sizeof(*ta)), *tb = mm_malloc((b.n + 2) * sizeof(*tb));
	size_t na = legacy_key(a, ba, ta), nb = legacy_key(b, bb, tb);
	int r = 0;
	for (size_t k = 0; k < na && k < nb && !r; k++) {
		size_t m = MM_MIN(ta[k].n, tb[k].n);
		r = memcmp(ta[k].p, tb[k].p, m);
		if (!r && ta[k].n != tb[k].n)
			r = ta[k].n < tb[k].n ? -1 : 1;
	}
	if (!r && na != nb)
		r = na < nb ? -1 : 1;
	free(ba);
	free(bb);
	free(ta);
	free(tb);
	return r < 0 ? -1 : r > 0;
}

int mm__vers_pep440(struct mm_slice a, struct mm_slice b)
{
	struct pv va, vb;
	bool oka = parse(a, &va), okb = parse(b, &vb);
	if (oka && okb)
		return pv_cmp(&va, &vb);
	if (oka != okb)
		return oka ? 1 : -1; /* legacy versions sort before every valid one */
	return legacy_cmp(a, b);
}
