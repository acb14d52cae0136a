/* mamori — necessary literals of a PCRE2 pattern, for the Sigma prefilter
 * (docs/internals/PREFILTER.md, "Regular expressions"). A recursive-descent
 * reader of the PCRE2 syntax (pcre2pattern(3)) computes, per sub-pattern,
 * what every match of it must look like: its exact strings when it has few,
 * else the strings every match starts with, ends with, and contains. Anything
 * the reader does not model makes the whole answer "none", never a guess. */
#include "re_literal.h"

#include <string.h>

#define RL_EXACT_MAX 64     /* strings in an exact set (language of a sub-pattern) */
#define RL_SET_MAX 256      /* strings in a prefix / suffix / necessary set */
#define RL_STR_MAX 64       /* bytes per literal (longer ones are cut) */
#define RL_CLASS_MAX 16     /* a character class with more members is "any" */
#define RL_DEPTH_MAX 64     /* group nesting */
#define RL_PATTERN_MAX 16384
#define RL_ARENA_CHUNK (64 * 1024)
#define RL_ARENA_CAP (16u << 20)

/* UTF-8 of the two non-ASCII characters that PCRE2 (UTF mode, caseless) takes
 * as case variants of ASCII letters: U+212A KELVIN SIGN ~ k, U+017F LATIN
 * SMALL LETTER LONG S ~ s (Unicode CaseFolding.txt; pcre2_ucd.c caseless
 * sets). The unit test checks this list against the linked PCRE2. */
static const char KELVIN[] = "\xe2\x84\xaa";
static const char LONG_S[] = "\xc5\xbf";

struct rstr {
	const unsigned char *p;
	size_t n;
};

/* A set of byte strings; known == false means "unknown" (no constraint). */
struct rset {
	bool known;
	struct rstr *v;
	size_t n, cap;
};

/* What the matches of a sub-pattern look like. exact: the sub-pattern matches
 * exactly the strings of ex. Otherwise every match starts with a string of
 * pre, ends with one of suf and contains one of need (each may be unknown). */
struct rinfo {
	bool exact;
	struct rset ex, pre, suf, need;
};

struct rp {
	const unsigned char *p;
	size_t n, i;
	struct mm_arena *a;
	bool fail;
	unsigned depth;
};

#define RF_CASELESS 0x1u

/* ---- sets ---------------------------------------------------------------- */

static void *ralloc(struct rp *r, size_t n)
{
	void *p = mm_arena_alloc(r->a, n ? n : 1);
	if (!p)
		r->fail = true;
	return p;
}

static struct rset set_unknown(void)
{
	return (struct rset){0};
}

static struct rset set_new(void)
{
	return (struct rset){.known = true};
}

static bool str_eq(const struct rstr *s, const unsigned char *p, size_t n)
{
	return s->n == n && memcmp(s->p, p, n) == 0;
}

/* Add p[0..n) unless present: a copy, or (copy == false) the pointer itself
 * (strings are never modified once made, so sets may share them). Callers
 * bound the set size first. */
static void set_put(struct rp *r, struct rset *s, const unsigned char *p, size_t n, bool copy)
{
	if (r->fail || !s->known)
		return;
	for (size_t i = 0; i < s->n; i++)
		if (str_eq(&s->v[i], p, n))
			return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4;
		struct rstr *v = ralloc(r, cap * sizeof(*v));
		if (!v)
			return;
		if (s->n)
			memcpy(v, s->v, s->n * sizeof(*v));
		s->v = v;
		s->cap = cap;
	}
	if (copy) {
		unsigned char *c = ralloc(r, n + 1);
		if (!c)
			return;
		memcpy(c, p, n);
		c[n] = '\0';
		p = c;
	}
	s->v[s->n++] = (struct rstr){p, n};
}

static void set_add(struct rp *r, struct rset *s, const unsigned char *p, size_t n)
{
	set_put(r, s, p, n, true);
}

static void set_ref(struct rp *r, struct rset *s, const struct rstr *str)
{
	set_put(r, s, str->p, str->n, false);
}

static struct rset set_of(struct rp *r, const char *p, size_t n)
{
	struct rset s = set_new();
	set_add(r, &s, (const unsigned char *)p, n);
	return s;
}

enum xmode { X_EXACT, X_PRE, X_SUF, X_NEED };

/* { a·b }. X_EXACT gives up (unknown) when a string would be longer than
 * RL_STR_MAX; the other modes cut: a prefix set keeps the first bytes, a
 * suffix set the last bytes, a necessary set the first bytes (any substring
 * of a necessary literal is necessary too). */
static struct rset set_cross(struct rp *r, const struct rset *a, const struct rset *b,
                             enum xmode m)
{
	size_t max = m == X_EXACT ? RL_EXACT_MAX : RL_SET_MAX;
	if (!a->known || !b->known || (a->n && b->n > max / a->n))
		return set_unknown();
	struct rset o = set_new();
	unsigned char buf[2 * RL_STR_MAX];
	for (size_t i = 0; i < a->n; i++) {
		for (size_t j = 0; j < b->n; j++) {
			size_t n = a->v[i].n + b->v[j].n;
			memcpy(buf, a->v[i].p, a->v[i].n);
			memcpy(buf + a->v[i].n, b->v[j].p, b->v[j].n);
			const unsigned char *p = buf;
			if (n > RL_STR_MAX) {
				if (m == X_EXACT)
					return set_unknown();
				if (m == X_SUF)
					p = buf + n - RL_STR_MAX;
				n = RL_STR_MAX;
			}
			set_add(r, &o, p, n);
		}
	}
	return o;
}

static struct rset set_union(struct rp *r, const struct rset *a, const struct rset *b, size_t max)
{
	if (!a->known || !b->known || a->n + b->n > max)
		return set_unknown();
	struct rset o = set_new();
	for (size_t i = 0; i < a->n; i++)
		set_ref(r, &o, &a->v[i]);
	for (size_t i = 0; i < b->n; i++)
		set_ref(r, &o, &b->v[i]);
	return o;
}

static bool contains(const struct rstr *hay, const struct rstr *needle)
{
	if (needle->n > hay->n)
		return false;
	for (size_t i = 0; i + needle->n <= hay->n; i++)
		if (hay->p[i] == needle->p[0] && memcmp(hay->p + i, needle->p, needle->n) == 0)
			return true;
	return false;
}

/* A set read as "one of these occurs": drop strings that contain another
 * member (their occurrence implies the shorter one's). The empty string
 * always occurs, so a set holding it, or an empty set, says nothing. The
 * quadratic pass runs on sets up to `max` strings; a larger one is kept as
 * it is (still necessary, only less compact). */
static struct rset need_min_upto(struct rp *r, const struct rset *s, size_t max)
{
	if (!s->known || s->n == 0)
		return set_unknown();
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].n == 0)
			return set_unknown();
	if (s->n > max)
		return *s;
	struct rset o = set_new();
	for (size_t i = 0; i < s->n; i++) {
		bool redundant = false;
		for (size_t j = 0; j < s->n && !redundant; j++) {
			if (i == j)
				continue;
			/* of two equal strings (none: sets are deduplicated) keep one;
			 * a strictly shorter contained member makes i redundant */
			redundant = s->v[j].n < s->v[i].n && contains(&s->v[i], &s->v[j]);
		}
		if (!redundant)
			set_ref(r, &o, &s->v[i]);
	}
	return o;
}

/* During the walk (called per concatenation step) only small sets are
 * minimised; the final answer is minimised whole. */
static struct rset need_min(struct rp *r, const struct rset *s)
{
	return need_min_upto(r, s, RL_EXACT_MAX);
}

static size_t set_minlen(const struct rset *s)
{
	size_t m = SIZE_MAX;
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].n < m)
			m = s->v[i].n;
	return m;
}

/* More selective necessary set: known first, then the longest shortest
 * literal, then the fewest literals (the prefilter's own ls_better). */
static bool need_better(const struct rset *a, const struct rset *b)
{
	if (!a->known)
		return false;
	if (!b->known)
		return true;
	size_t la = set_minlen(a), lb = set_minlen(b);
	if (la != lb)
		return la > lb;
	return a->n < b->n;
}

static const struct rset *need_best(const struct rset *a, const struct rset *b)
{
	return need_better(b, a) ? b : a;
}

/* ---- per sub-pattern ----------------------------------------------------- */

static struct rinfo info_exact(struct rset ex)
{
	struct rinfo x = {0};
	x.exact = true;
	x.ex = ex;
	return x;
}

static struct rinfo info_empty(struct rp *r)
{
	return info_exact(set_of(r, "", 0));
}

static struct rinfo info_any(void)
{
	return (struct rinfo){0};
}

static struct rset get_pre(const struct rinfo *x)
{
	return x->exact ? x->ex : x->pre;
}

static struct rset get_suf(const struct rinfo *x)
{
	return x->exact ? x->ex : x->suf;
}

static struct rset get_need(struct rp *r, const struct rinfo *x)
{
	return x->exact ? need_min(r, &x->ex) : x->need;
}

/* A non-exact info's need is the best of its own, its prefixes and its
 * suffixes (each of those occurs in every match too). */
static void settle(struct rp *r, struct rinfo *x)
{
	struct rset p = need_min(r, &x->pre), s = need_min(r, &x->suf);
	struct rset best = *need_best(need_best(&x->need, &p), &s);
	x->need = best.known ? best : set_unknown();
}

static struct rinfo concat(struct rp *r, const struct rinfo *a, const struct rinfo *b)
{
	if (a->exact && b->exact) {
		struct rset e = set_cross(r, &a->ex, &b->ex, X_EXACT);
		if (e.known)
			return info_exact(e);
	}
	struct rinfo o = {0};
	struct rset an = get_need(r, a), bn = get_need(r, b);
	struct rset as = get_suf(a), bp = get_pre(b);
	/* a's match ends with one of as, b's starts with one of bp: the join
	 * as·bp occurs in every match of ab */
	struct rset x = set_cross(r, &as, &bp, X_NEED);
	struct rset xn = need_min(r, &x);
	o.need = *need_best(need_best(&an, &bn), &xn);
	if (a->exact) {
		struct rset pb = get_pre(b);
		o.pre = set_cross(r, &a->ex, &pb, X_PRE);
		if (!o.pre.known)
			o.pre = a->ex;
	} else {
		o.pre = a->pre;
	}
	if (b->exact) {
		struct rset sa = get_suf(a);
		o.suf = set_cross(r, &sa, &b->ex, X_SUF);
		if (!o.suf.known)
			o.suf = b->ex;
	} else {
		o.suf = b->suf;
	}
	settle(r, &o);
	return o;
}

/* b[0] | b[1] | … (combined once: unions grow with the branch count, and
 * minimising a necessary set costs its size squared). */
static struct rinfo alternate(struct rp *r, const struct rinfo *b, size_t nb)
{
	bool exact = true;
	size_t total = 0;
	for (size_t i = 0; i < nb; i++) {
		exact = exact && b[i].exact;
		total += b[i].exact ? b[i].ex.n : 0;
	}
	if (exact && total <= RL_EXACT_MAX) {
		struct rset u = b[0].ex;
		for (size_t i = 1; i < nb; i++)
			u = set_union(r, &u, &b[i].ex, RL_EXACT_MAX);
		return info_exact(u);
	}
	struct rinfo o = {0};
	o.pre = get_pre(&b[0]);
	o.suf = get_suf(&b[0]);
	struct rset need = get_need(r, &b[0]);
	for (size_t i = 1; i < nb; i++) {
		struct rset p = get_pre(&b[i]), s = get_suf(&b[i]), n = get_need(r, &b[i]);
		o.pre = set_union(r, &o.pre, &p, RL_SET_MAX);
		o.suf = set_union(r, &o.suf, &s, RL_SET_MAX);
		need = set_union(r, &need, &n, RL_SET_MAX);
	}
	o.need = need_min(r, &need);
	settle(r, &o);
	return o;
}

/* x{min,max}; max < 0: unbounded. */
static struct rinfo quantify(struct rp *r, const struct rinfo *x, long min, long max)
{
	struct rset empty = set_of(r, "", 0);
	if (max == 0)
		return info_empty(r);
	if (min == 0) {
		if (x->exact && max == 1) {
			struct rset u = set_union(r, &x->ex, &empty, RL_EXACT_MAX);
			if (u.known)
				return info_exact(u);
		}
		/* zero or more copies: a match is empty or starts (ends) like x */
		struct rinfo o = {0};
		struct rset p = get_pre(x), s = get_suf(x);
		o.pre = set_union(r, &p, &empty, RL_SET_MAX);
		o.suf = set_union(r, &s, &empty, RL_SET_MAX);
		o.need = set_unknown();
		return o;
	}
	if (x->exact && min == max && min <= 4) {
		struct rset e = x->ex;
		for (long k = 1; k < min && e.known; k++)
			e = set_cross(r, &e, &x->ex, X_EXACT);
		if (e.known)
			return info_exact(e);
	}
	/* at least one copy: the first starts the match, the last ends it (an
	 * empty copy just moves the boundary to the previous, also in x) */
	struct rinfo o = {0};
	o.pre = get_pre(x);
	o.suf = get_suf(x);
	o.need = get_need(r, x);
	settle(r, &o);
	return o;
}

/* ---- characters ---------------------------------------------------------- */

static unsigned char fold(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}

static size_t utf8_enc(uint32_t cp, unsigned char *o)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* One UTF-8 character of the pattern at r->i (PCRE2_UTF rejects invalid
 * patterns, but this reader must not trust that). */
static uint32_t utf8_read(struct rp *r)
{
	const unsigned char *p = r->p;
	unsigned char c = p[r->i];
	size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
	if (c >= 0xf8 || len == 0 || r->i + len > r->n) {
		r->fail = true;
		return 0;
	}
	uint32_t cp = c & (0x7f >> len);
	for (size_t k = 1; k < len; k++) {
		if ((p[r->i + k] & 0xc0) != 0x80) {
			r->fail = true;
			return 0;
		}
		cp = cp << 6 | (p[r->i + k] & 0x3f);
	}
	r->i += len;
	return cp;
}

/* One character of the pattern: its (folded) bytes. In caseless mode an
 * ASCII letter also stands for its non-ASCII case variants, and a non-ASCII
 * character for case variants whose bytes differ: "any". */
static struct rinfo char_info(struct rp *r, uint32_t cp, unsigned fl)
{
	if (cp < 0x80) {
		unsigned char c = fold((unsigned char)cp);
		struct rset s = set_new();
		set_add(r, &s, &c, 1);
		if (fl & RF_CASELESS) {
			if (c == 'k')
				set_add(r, &s, (const unsigned char *)KELVIN, 3);
			else if (c == 's')
				set_add(r, &s, (const unsigned char *)LONG_S, 2);
		}
		return info_exact(s);
	}
	if ((fl & RF_CASELESS) || cp > 0x10ffff)
		return info_any();
	unsigned char b[4];
	size_t n = utf8_enc(cp, b);
	struct rset s = set_new();
	set_add(r, &s, b, n);
	return info_exact(s);
}

/* ---- escapes --------------------------------------------------------------- */

enum esc {
	E_CHAR,  /* one character: *cp */
	E_DIGIT, /* \d */
	E_SPACE, /* \s */
	E_WORD,  /* \w */
	E_CLASS, /* another character type: \D \S \W \h \H \v \V \p \P \N \R \X */
	E_EMPTY, /* zero-width: \b \B \A \z \Z \G \K */
	E_REF,   /* back reference or subroutine call: unknown text */
	E_QSTART,
	E_QEND,
};

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static unsigned hexval(unsigned char c)
{
	return c <= '9' ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
}

static bool is_word(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '_';
}

static bool at(const struct rp *r, size_t k, unsigned char c)
{
	return r->i + k < r->n && r->p[r->i + k] == c;
}

/* Skip to just after the next `close` (fail when there is none). */
static void skip_past(struct rp *r, unsigned char close)
{
	while (r->i < r->n && r->p[r->i] != close)
		r->i++;
	if (r->i >= r->n)
		r->fail = true;
	else
		r->i++;
}

/* Read "{digits}" in base 8 or 16 into *cp. */
static void braced_number(struct rp *r, unsigned base, uint32_t *cp)
{
	size_t digits = 0;
	uint32_t v = 0;
	r->i++; /* '{' */
	while (r->i < r->n && r->p[r->i] != '}') {
		unsigned char c = r->p[r->i];
		unsigned d;
		if (base == 16 && is_hex(c))
			d = hexval(c);
		else if (base == 8 && c >= '0' && c <= '7')
			d = (unsigned)(c - '0');
		else
			break;
		if (++digits > 8) {
			r->fail = true;
			return;
		}
		v = v * base + d;
		r->i++;
	}
	if (digits == 0 || !at(r, 0, '}') || v > 0x10ffff) {
		r->fail = true;
		return;
	}
	r->i++;
	*cp = v;
}

/* An escape at r->p[r->i] == '\\' (pcre2pattern: "Backslash"). */
static enum esc esc_read(struct rp *r, bool in_class, uint32_t *cp)
{
	r->i++;
	if (r->i >= r->n) {
		r->fail = true;
		return E_CLASS;
	}
	unsigned char c = r->p[r->i];
	if (c >= 0x80) {
		*cp = utf8_read(r); /* an escaped non-ASCII character is itself */
		return E_CHAR;
	}
	r->i++;
	if (!is_word(c)) {
		*cp = c; /* \. \/ \\ \* … */
		return E_CHAR;
	}
	switch (c) {
	case 't': *cp = '\t'; return E_CHAR;
	case 'n': *cp = '\n'; return E_CHAR;
	case 'r': *cp = '\r'; return E_CHAR;
	case 'f': *cp = '\f'; return E_CHAR;
	case 'e': *cp = 0x1b; return E_CHAR;
	case 'a': *cp = 0x07; return E_CHAR;
	case 'd': return E_DIGIT;
	case 's': return E_SPACE;
	case 'w': return E_WORD;
	case 'D':
	case 'S':
	case 'W':
	case 'h':
	case 'H':
	case 'v':
	case 'V':
		return E_CLASS;
	case 'p':
	case 'P':
		if (at(r, 0, '{'))
			skip_past(r, '}');
		else if (r->i < r->n)
			r->i++;
		else
			r->fail = true;
		return E_CLASS;
	case 'N':
		if (in_class)
			break;
		if (at(r, 0, '{') && at(r, 1, 'U') && at(r, 2, '+'))
			skip_past(r, '}'); /* \N{U+hh}: one character, taken as unknown */
		return E_CLASS;
	case 'R':
	case 'X':
		if (in_class)
			break;
		return E_CLASS;
	case 'b':
		if (in_class) {
			*cp = 0x08; /* backspace inside a class */
			return E_CHAR;
		}
		/* fall through */
	case 'B':
	case 'A':
	case 'z':
	case 'Z':
	case 'G':
	case 'K':
		if (in_class || at(r, 0, '{'))
			break;
		return E_EMPTY;
	case 'x':
		if (at(r, 0, '{')) {
			braced_number(r, 16, cp);
		} else {
			uint32_t v = 0;
			for (int k = 0; k < 2 && r->i < r->n && is_hex(r->p[r->i]); k++)
				v = v * 16 + hexval(r->p[r->i++]);
			*cp = v;
		}
		return E_CHAR;
	case 'o':
		if (!at(r, 0, '{'))
			break;
		braced_number(r, 8, cp);
		return E_CHAR;
	case '0': {
		uint32_t v = 0;
		for (int k = 0; k < 2 && r->i < r->n && r->p[r->i] >= '0' && r->p[r->i] <= '7'; k++)
			v = v * 8 + (uint32_t)(r->p[r->i++] - '0');
		*cp = v;
		return E_CHAR;
	}
	case '1': case '2': case '3': case '4': case '5':
	case '6': case '7': case '8': case '9':
		if (in_class)
			break;
		/* a back reference or an octal character: unknown text either
		 * way; taking every digit never reads a literal that is not one */
		while (r->i < r->n && r->p[r->i] >= '0' && r->p[r->i] <= '9')
			r->i++;
		return E_REF;
	case 'g':
		if (in_class)
			break;
		if (at(r, 0, '{'))
			skip_past(r, '}');
		else if (at(r, 0, '<'))
			skip_past(r, '>');
		else if (at(r, 0, '\''))
			r->i++, skip_past(r, '\'');
		else {
			if (at(r, 0, '+') || at(r, 0, '-'))
				r->i++;
			size_t s = r->i;
			while (r->i < r->n && r->p[r->i] >= '0' && r->p[r->i] <= '9')
				r->i++;
			if (r->i == s)
				r->fail = true;
		}
		return E_REF;
	case 'k':
		if (in_class)
			break;
		if (at(r, 0, '{'))
			skip_past(r, '}');
		else if (at(r, 0, '<'))
			skip_past(r, '>');
		else if (at(r, 0, '\''))
			r->i++, skip_past(r, '\'');
		else
			r->fail = true;
		return E_REF;
	case 'c':
		if (r->i >= r->n || r->p[r->i] < 0x20 || r->p[r->i] >= 0x7f) {
			r->fail = true;
			return E_CLASS;
		}
		r->i++;
		return E_CLASS; /* a control character: taken as unknown */
	case 'Q':
		if (in_class)
			break;
		return E_QSTART;
	case 'E':
		if (in_class)
			break;
		return E_QEND;
	default:
		break;
	}
	r->fail = true; /* unknown or out-of-place escape */
	return E_CLASS;
}

/* ---- character classes ----------------------------------------------------- */

static void add_range(bool *mem, uint32_t lo, uint32_t hi)
{
	for (uint32_t c = lo; c <= hi && c < 0x80; c++)
		mem[c] = true;
}

static void add_esc(bool *mem, enum esc e)
{
	if (e == E_DIGIT)
		add_range(mem, '0', '9');
	else if (e == E_SPACE) /* PCRE2 \s: HT LF VT FF CR space */
		add_range(mem, 0x09, 0x0d), mem[' '] = true;
	else if (e == E_WORD)
		add_range(mem, '0', '9'), add_range(mem, 'a', 'z'), add_range(mem, 'A', 'Z'),
			mem['_'] = true;
}

/* The members of a small set of ASCII characters as an exact set of one-byte
 * strings (folded; with the non-ASCII case variants in caseless mode), or
 * "any" when there are more than RL_CLASS_MAX. */
static struct rinfo class_info(struct rp *r, const bool *mem, unsigned fl)
{
	bool f[128] = {false};
	size_t count = 0;
	for (unsigned c = 0; c < 128; c++)
		if (mem[c] && !f[fold((unsigned char)c)]) {
			f[fold((unsigned char)c)] = true;
			count++;
		}
	bool cl = fl & RF_CASELESS;
	count += (cl && f['k']) + (cl && f['s']);
	if (count == 0 || count > RL_CLASS_MAX)
		return info_any();
	struct rset s = set_new();
	for (unsigned c = 0; c < 128; c++)
		if (f[c]) {
			unsigned char b = (unsigned char)c;
			set_add(r, &s, &b, 1);
		}
	if (cl && f['k'])
		set_add(r, &s, (const unsigned char *)KELVIN, 3);
	if (cl && f['s'])
		set_add(r, &s, (const unsigned char *)LONG_S, 2);
	return info_exact(s);
}

/* One class member that can start or end a range: a character (E_CHAR), or
 * a class escape, or a POSIX class (E_CLASS, *cp unset). */
static enum esc class_member(struct rp *r, uint32_t *cp)
{
	unsigned char c = r->p[r->i];
	if (c == '[' && r->i + 1 < r->n &&
	    (r->p[r->i + 1] == ':' || r->p[r->i + 1] == '.' || r->p[r->i + 1] == '=')) {
		/* POSIX [:name:] (pcre2_compile.c check_posix_syntax): the
		 * terminator must come before any ']' or '[' + terminator;
		 * otherwise PCRE2 reads '[' as a literal, which we do not model */
		unsigned char t = r->p[r->i + 1];
		for (size_t j = r->i + 2; j + 1 < r->n; j++) {
			unsigned char d = r->p[j];
			if (d == '\\' && (r->p[j + 1] == ']' || r->p[j + 1] == '\\')) {
				j++;
			} else if ((d == '[' && r->p[j + 1] == t) || d == ']') {
				break;
			} else if (d == t && r->p[j + 1] == ']') {
				r->i = j + 2;
				return E_CLASS;
			}
		}
		r->fail = true;
		return E_CLASS;
	}
	if (c == '\\') {
		enum esc e = esc_read(r, true, cp);
		return e;
	}
	if (c >= 0x80) {
		*cp = utf8_read(r);
		return E_CHAR;
	}
	*cp = c;
	r->i++;
	return E_CHAR;
}

static struct rinfo parse_class(struct rp *r, unsigned fl)
{
	bool mem[128] = {false};
	bool neg = false, other = false, first = true;
	r->i++; /* '[' */
	if (at(r, 0, '^')) {
		neg = true;
		r->i++;
	}
	for (;;) {
		if (r->fail)
			return info_any();
		if (r->i >= r->n) {
			r->fail = true;
			return info_any();
		}
		if (r->p[r->i] == ']' && !first) {
			r->i++;
			break;
		}
		first = false;
		uint32_t lo = 0, hi = 0;
		enum esc e = class_member(r, &lo);
		if (r->fail)
			return info_any();
		bool range = r->i + 1 < r->n && r->p[r->i] == '-' && r->p[r->i + 1] != ']';
		if (e != E_CHAR) {
			if (range) { /* [\d-z]: PCRE2 version-dependent; not modelled */
				r->fail = true;
				return info_any();
			}
			if (e == E_DIGIT || e == E_SPACE || e == E_WORD)
				add_esc(mem, e);
			else
				other = true;
			continue;
		}
		if (!range) {
			if (lo >= 0x80)
				other = true;
			else
				mem[lo] = true;
			continue;
		}
		r->i++; /* '-' */
		if (class_member(r, &hi) != E_CHAR || r->fail || hi < lo) {
			r->fail = true;
			return info_any();
		}
		if (hi >= 0x80)
			other = true;
		add_range(mem, lo, hi);
	}
	if (neg || other)
		return info_any();
	return class_info(r, mem, fl);
}

/* ---- groups, atoms, sequences ---------------------------------------------- */

static struct rinfo parse_alt(struct rp *r, unsigned fl);

static void expect_close(struct rp *r)
{
	if (at(r, 0, ')'))
		r->i++;
	else
		r->fail = true;
}

/* A group body and its ')'. */
static struct rinfo group_body(struct rp *r, unsigned fl)
{
	struct rinfo x = parse_alt(r, fl);
	expect_close(r);
	return x;
}

/* A group name up to `close` (pcre2pattern: word characters, not starting
 * with a digit). */
static void group_name(struct rp *r, unsigned char close)
{
	size_t s = r->i;
	while (r->i < r->n && is_word(r->p[r->i]))
		r->i++;
	if (r->i == s || (r->p[s] >= '0' && r->p[s] <= '9') || !at(r, 0, close))
		r->fail = true;
	else
		r->i++;
}

/* "(?" …: returns whether a quantifier may follow. *fl changes for an
 * option setting "(?i)" (the rest of the enclosing group, later branches
 * included). */
static bool parse_qgroup(struct rp *r, unsigned *fl, struct rinfo *x)
{
	unsigned char c = r->i < r->n ? r->p[r->i] : 0;
	switch (c) {
	case ':': /* non-capturing */
	case '|': /* branch reset */
	case '>': /* atomic: matches a subset of what its body matches */
		r->i++;
		*x = group_body(r, *fl);
		return true;
	case '=':
	case '!':
		/* lookahead: consumes nothing, so its neighbours are adjacent in
		 * the subject; its body is not part of the match */
		r->i++;
		group_body(r, *fl);
		*x = info_empty(r);
		return true;
	case '<':
		if (at(r, 1, '=') || at(r, 1, '!')) {
			r->i += 2;
			group_body(r, *fl);
			*x = info_empty(r);
			return true;
		}
		r->i++;
		group_name(r, '>');
		*x = group_body(r, *fl);
		return true;
	case '\'':
		r->i++;
		group_name(r, '\'');
		*x = group_body(r, *fl);
		return true;
	case 'P':
		if (at(r, 1, '<')) {
			r->i += 2;
			group_name(r, '>');
			*x = group_body(r, *fl);
			return true;
		}
		if (at(r, 1, '=') || at(r, 1, '>')) { /* back reference, subroutine call */
			r->i += 2;
			skip_past(r, ')');
			*x = info_any();
			return true;
		}
		break;
	case '#': /* comment; a quantifier after it would apply to the atom before */
		skip_past(r, ')');
		*x = info_empty(r);
		return false;
	case 'R':
	case '&':
	case '+':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		skip_past(r, ')'); /* recursion / subroutine call */
		*x = info_any();
		return true;
	case '-':
		if (r->i + 1 < r->n && r->p[r->i + 1] >= '0' && r->p[r->i + 1] <= '9') {
			skip_past(r, ')');
			*x = info_any();
			return true;
		}
		break;
	default:
		break;
	}
	/* option setting: (?imnsJU-imnsJU) or (?^…), alone or as (?…:body);
	 * x (extended syntax) is not modelled; (?( conditionals, (?C callouts,
	 * (?* non-atomic assertions end up here too and fail */
	unsigned nf = *fl;
	bool neg = false;
	for (bool firstc = true; r->i < r->n; r->i++, firstc = false) {
		c = r->p[r->i];
		if (c == ')') {
			if (firstc)
				break;
			r->i++;
			*fl = nf;
			*x = info_empty(r);
			return false;
		}
		if (c == ':') {
			r->i++;
			*x = group_body(r, nf);
			return true;
		}
		if (c == '-' && !neg)
			neg = true;
		else if (c == '^' && firstc)
			nf &= ~RF_CASELESS;
		else if (c == 'i')
			nf = neg ? nf & ~RF_CASELESS : nf | RF_CASELESS;
		else if (c != 'm' && c != 'n' && c != 's' && c != 'J' && c != 'U')
			break;
	}
	r->fail = true;
	return false;
}

/* One atom; returns whether a quantifier may follow it. */
static bool parse_atom(struct rp *r, unsigned *fl, struct rinfo *x)
{
	unsigned char c = r->p[r->i];
	switch (c) {
	case '(': {
		r->i++;
		if (++r->depth > RL_DEPTH_MAX) {
			r->fail = true;
			return false;
		}
		bool q;
		if (at(r, 0, '*')) { /* (*VERB), (*positive_lookahead:…): not modelled */
			r->fail = true;
			q = false;
		} else if (at(r, 0, '?')) {
			r->i++;
			q = parse_qgroup(r, fl, x);
		} else {
			*x = group_body(r, *fl);
			q = true;
		}
		r->depth--;
		return q;
	}
	case '[':
		*x = parse_class(r, *fl);
		return true;
	case '.':
		r->i++;
		*x = info_any();
		return true;
	case '^':
	case '$':
		r->i++;
		*x = info_empty(r);
		return true;
	case '*':
	case '+':
	case '?':
		r->fail = true; /* quantifier without an atom */
		return false;
	case '\\': {
		uint32_t cp = 0;
		enum esc e = esc_read(r, false, &cp);
		bool mem[128] = {false};
		switch (e) {
		case E_CHAR:
			*x = char_info(r, cp, *fl);
			return true;
		case E_DIGIT:
		case E_SPACE:
		case E_WORD:
			add_esc(mem, e);
			*x = class_info(r, mem, *fl);
			return true;
		case E_EMPTY:
			*x = info_empty(r);
			return true;
		case E_CLASS:
		case E_REF:
			*x = info_any();
			return true;
		case E_QEND: /* \E without \Q: ignored */
			*x = info_empty(r);
			return false;
		case E_QSTART: {
			/* \Q…\E: literal text; a quantifier after it would apply to
			 * its last character only, not modelled */
			struct rinfo acc = info_empty(r);
			while (r->i < r->n && !r->fail &&
			       !(r->p[r->i] == '\\' && at(r, 1, 'E'))) {
				uint32_t ch = r->p[r->i] >= 0x80 ? utf8_read(r) : r->p[r->i++];
				struct rinfo ci = char_info(r, ch, *fl);
				acc = concat(r, &acc, &ci);
			}
			if (r->i < r->n)
				r->i += 2;
			*x = acc;
			return false;
		}
		}
		r->fail = true;
		return false;
	}
	default:
		if (c >= 0x80) {
			uint32_t cp = utf8_read(r);
			*x = char_info(r, cp, *fl);
			return true;
		}
		r->i++;
		*x = char_info(r, c, *fl); /* includes '{' '}' ']' when literal */
		return true;
	}
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Is there a quantifier at r->i? A '{' starts one only as {n}, {n,} or {n,m};
 * other '{' forms that PCRE2 versions read differently ({,m}, spaces) fail. */
static bool at_quantifier(struct rp *r)
{
	if (r->i >= r->n)
		return false;
	unsigned char c = r->p[r->i];
	if (c == '*' || c == '+' || c == '?')
		return true;
	if (c != '{' || r->i + 1 >= r->n)
		return false;
	unsigned char d = r->p[r->i + 1];
	if (d == ',' || d == ' ' || d == '\t') {
		r->fail = true;
		return false;
	}
	return is_digit(d);
}

static long read_num(struct rp *r)
{
	long v = 0;
	size_t s = r->i;
	while (r->i < r->n && is_digit(r->p[r->i])) {
		v = v * 10 + (r->p[r->i++] - '0');
		if (v > 65535) {
			r->fail = true;
			return 0;
		}
	}
	if (r->i == s)
		r->fail = true;
	return v;
}

static void parse_quantifier(struct rp *r, long *min, long *max)
{
	unsigned char c = r->p[r->i++];
	if (c == '*') {
		*min = 0, *max = -1;
	} else if (c == '+') {
		*min = 1, *max = -1;
	} else if (c == '?') {
		*min = 0, *max = 1;
	} else {
		*min = read_num(r);
		*max = *min;
		if (at(r, 0, ',')) {
			r->i++;
			*max = at(r, 0, '}') ? -1 : read_num(r);
		}
		if (!at(r, 0, '}') || (*max >= 0 && *max < *min)) {
			r->fail = true;
			return;
		}
		r->i++;
	}
	if (at(r, 0, '?') || at(r, 0, '+'))
		r->i++; /* lazy / possessive: same language (or a subset) */
}

static struct rinfo parse_seq(struct rp *r, unsigned *fl)
{
	struct rinfo acc = info_empty(r);
	while (!r->fail && r->i < r->n && r->p[r->i] != '|' && r->p[r->i] != ')') {
		struct rinfo x = {0};
		bool quantifiable = parse_atom(r, fl, &x);
		if (r->fail)
			break;
		if (at_quantifier(r)) {
			long min, max;
			if (!quantifiable) {
				r->fail = true;
				break;
			}
			parse_quantifier(r, &min, &max);
			if (r->fail || at_quantifier(r)) { /* a{2}{3}, a*** */
				r->fail = true;
				break;
			}
			x = quantify(r, &x, min, max);
		}
		if (r->fail)
			break;
		acc = concat(r, &acc, &x);
	}
	return acc;
}

static struct rinfo parse_alt(struct rp *r, unsigned fl)
{
	struct rinfo first = parse_seq(r, &fl);
	if (r->fail || !at(r, 0, '|'))
		return first;
	struct rinfo *br = NULL;
	size_t nb = 0, cap = 0;
	for (;;) {
		if (nb == cap) {
			size_t nc = cap ? cap * 2 : 8;
			struct rinfo *v = ralloc(r, nc * sizeof(*v));
			if (!v)
				return info_any();
			if (nb)
				memcpy(v, br, nb * sizeof(*v));
			br = v;
			cap = nc;
		}
		struct rinfo x = nb ? parse_seq(r, &fl) : first;
		br[nb++] = x;
		if (r->fail)
			return info_any();
		if (!at(r, 0, '|'))
			break;
		r->i++;
	}
	return alternate(r, br, nb);
}

size_t mm__re_literals(struct mm_arena *a, const char *pat, size_t n, bool caseless,
                       struct mm_slice **out)
{
	*out = NULL;
	if (n > RL_PATTERN_MAX)
		return 0;
	struct rp r = {(const unsigned char *)pat, n, 0, mm_arena_new(RL_ARENA_CHUNK, RL_ARENA_CAP),
	               false, 0};
	struct rinfo top = parse_alt(&r, caseless ? RF_CASELESS : 0);
	if (r.i != r.n) /* a ')' without its '(' */
		r.fail = true;
	size_t count = 0;
	if (!r.fail) {
		struct rset top_need = get_need(&r, &top);
		struct rset need = need_min_upto(&r, &top_need, RL_SET_MAX);
		if (!r.fail && need.known && need.n > 0) {
			struct mm_slice *v = mm_arena_alloc(a, need.n * sizeof(*v));
			for (size_t i = 0; v && i < need.n; i++) {
				v[i] = mm_slice_dup(a, mm_slice((const char *)need.v[i].p, need.v[i].n));
				if (!v[i].p)
					v = NULL;
			}
			if (v) {
				*out = v;
				count = need.n;
			}
		}
	}
	mm_arena_free(r.a);
	return count;
}
