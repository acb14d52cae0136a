/* mamori — the Sigma condition grammar (Sigma Rules Specification v2,
 * "Condition"): search identifiers, and / or / not, parentheses, and the
 * quantifiers `1 of x*`, `any of x*`, `all of x*`, `N of x*`, `… of them`.
 * Precedence: not > and > or. Aggregations (`| count() …`, Sigma v1) and
 * `near` are valid Sigma that belong to correlation rules: reported as
 * unsupported. Output: pnodes that reference the compiled selections. */
#include "detect_int.h"

#include <string.h>
#include <strings.h>

#define COND_MAX_DEPTH 64

enum tok_kind { TK_END, TK_LP, TK_RP, TK_AND, TK_OR, TK_NOT, TK_OF, TK_WORD, TK_PIPE };

struct cparser {
	struct mm_ruleset *rs;
	const char *s;
	size_t pos, len;
	enum tok_kind tk;
	const char *tp; /* current token text */
	size_t tn;
	const struct cond_sel *sels;
	size_t nsels;
	const char *why;
	bool unsupported;
	unsigned depth;
};

static bool word_eq(const char *p, size_t n, const char *w)
{
	return strlen(w) == n && strncasecmp(p, w, n) == 0;
}

static void next(struct cparser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
	                           p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
	p->tp = p->s + p->pos;
	p->tn = 0;
	if (p->pos >= p->len) {
		p->tk = TK_END;
		return;
	}
	char c = p->s[p->pos];
	if (c == '(' || c == ')' || c == '|') {
		p->tk = c == '(' ? TK_LP : c == ')' ? TK_RP : TK_PIPE;
		p->tn = 1;
		p->pos++;
		return;
	}
	size_t st = p->pos;
	while (p->pos < p->len) {
		c = p->s[p->pos];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' || c == '|')
			break;
		p->pos++;
	}
	p->tn = p->pos - st;
	if (word_eq(p->tp, p->tn, "and"))
		p->tk = TK_AND;
	else if (word_eq(p->tp, p->tn, "or"))
		p->tk = TK_OR;
	else if (word_eq(p->tp, p->tn, "not"))
		p->tk = TK_NOT;
	else if (word_eq(p->tp, p->tn, "of"))
		p->tk = TK_OF;
	else
		p->tk = TK_WORD;
}

static struct pnode *fail(struct cparser *p, bool unsup, const char *fmt, const char *a, size_t an)
{
	if (!p->why) {
		char buf[256], arg[128];
		snprintf(arg, sizeof(arg), "%.*s", (int)MM_MIN(an, sizeof(arg) - 1), a ? a : "");
		snprintf(buf, sizeof(buf), fmt, arg);
		p->why = mm__rs_strdup(p->rs, buf);
		p->unsupported = unsup;
	}
	return NULL;
}

/* `*` globbing over search identifier names (the only wildcard Sigma
 * allows in conditions). */
static bool name_glob(const char *pat, size_t pn, const char *s)
{
	size_t sn = strlen(s), pi = 0, si = 0, star = (size_t)-1, mark = 0;
	while (si < sn) {
		if (pi < pn && pat[pi] == '*') {
			star = pi++;
			mark = si;
		} else if (pi < pn && pat[pi] == s[si]) {
			pi++;
			si++;
		} else if (star != (size_t)-1) {
			pi = star + 1;
			si = ++mark;
		} else {
			return false;
		}
	}
	while (pi < pn && pat[pi] == '*')
		pi++;
	return pi == pn;
}

static struct pnode *parse_or(struct cparser *p);

static struct pnode *parse_quant(struct cparser *p, const char *qp, size_t qn)
{
	size_t k = 0;
	bool all = false;
	if (word_eq(qp, qn, "all")) {
		all = true;
	} else if (word_eq(qp, qn, "any")) {
		k = 1;
	} else {
		int64_t v;
		if (mm_slice_to_i64(mm_slice(qp, qn), &v) != MM_OK || v < 1)
			return fail(p, false, "'%s of' needs 1, any, all or a positive number", qp, qn);
		k = (size_t)v;
	}
	next(p); /* of */
	next(p);
	if (p->tk != TK_WORD)
		return fail(p, false, "'of' must be followed by a name pattern or 'them'", p->tp, p->tn);
	const char *pat = p->tp;
	size_t pn = p->tn;
	bool them = word_eq(pat, pn, "them");
	size_t nm = 0;
	for (size_t i = 0; i < p->nsels; i++) {
		const char *nmz = p->sels[i].name;
		/* `them` leaves out identifiers starting with "_" (pySigma) */
		if (them ? nmz[0] != '_' : name_glob(pat, pn, nmz))
			nm++;
	}
	if (nm == 0)
		return fail(p, false, "no search identifier matches '%s'", pat, pn);
	struct pnode *n = mm__pnode_new(p->rs, all ? P_AND : P_ATLEAST, nm);
	n->k = all ? nm : k;
	size_t j = 0;
	for (size_t i = 0; i < p->nsels; i++) {
		const char *nmz = p->sels[i].name;
		if (them ? nmz[0] != '_' : name_glob(pat, pn, nmz))
			n->kids[j++] = p->sels[i].node;
	}
	if (!all && k == 1)
		n->kind = P_OR;
	if (!all && k > nm)
		n->kind = P_FALSE; /* can never hold */
	next(p);
	return n;
}

static struct pnode *parse_primary(struct cparser *p)
{
	if (++p->depth > COND_MAX_DEPTH)
		return fail(p, false, "condition nested too deeply%s", NULL, 0);
	struct pnode *r = NULL;
	switch (p->tk) {
	case TK_LP:
		next(p);
		r = parse_or(p);
		if (!r)
			break;
		if (p->tk != TK_RP) {
			r = fail(p, false, "missing ')'%s", NULL, 0);
			break;
		}
		next(p);
		break;
	case TK_NOT: {
		next(p);
		struct pnode *k = parse_primary(p);
		if (!k)
			break;
		r = mm__pnode_new(p->rs, P_NOT, 1);
		r->kids[0] = k;
		break;
	}
	case TK_WORD: {
		const char *w = p->tp;
		size_t wn = p->tn;
		/* lookahead: a quantifier is WORD "of" */
		size_t save = p->pos;
		next(p);
		if (p->tk == TK_OF) {
			p->pos = save;
			p->tp = w;
			p->tn = wn;
			p->tk = TK_OF;
			r = parse_quant(p, w, wn);
			break;
		}
		if (word_eq(w, wn, "near")) {
			r = fail(p, true, "'near' (Sigma v1 temporal aggregation) is not supported; "
			                  "use a temporal correlation rule%s",
			         NULL, 0);
			break;
		}
		for (size_t i = 0; i < p->nsels; i++)
			if (strlen(p->sels[i].name) == wn && strncmp(p->sels[i].name, w, wn) == 0)
				r = p->sels[i].node;
		if (!r) {
			if (memchr(w, '*', wn))
				r = fail(p, false, "'%s': wildcards need '1 of' or 'all of'", w, wn);
			else
				r = fail(p, false, "unknown search identifier '%s'", w, wn);
		}
		break;
	}
	case TK_PIPE:
		while (p->pos < p->len && p->s[p->pos] == ' ')
			p->pos++;
		r = fail(p, true,
		         "aggregation expression ('| %s…', Sigma v1) is not supported; use a "
		         "correlation rule",
		         p->s + p->pos, MM_MIN(p->len - p->pos, 20));
		break;
	case TK_END:
		r = fail(p, false, "unexpected end of condition%s", NULL, 0);
		break;
	default:
		r = fail(p, false, "unexpected '%s'", p->tp, p->tn);
		break;
	}
	p->depth--;
	return r;
}

static struct pnode *join(struct cparser *p, enum pnode_kind k, struct pnode *a, struct pnode *b)
{
	if (a->kind == k && a->nkids >= 2 && a->k == 0) {
		/* flatten left-deep chains: arena memory, so copy into a bigger node */
		struct pnode *n = mm__pnode_new(p->rs, k, a->nkids + 1);
		memcpy(n->kids, a->kids, a->nkids * sizeof(*n->kids));
		n->kids[a->nkids] = b;
		return n;
	}
	struct pnode *n = mm__pnode_new(p->rs, k, 2);
	n->kids[0] = a;
	n->kids[1] = b;
	return n;
}

static struct pnode *parse_and(struct cparser *p)
{
	struct pnode *l = parse_primary(p);
	while (l && p->tk == TK_AND) {
		next(p);
		struct pnode *r = parse_primary(p);
		if (!r)
			return NULL;
		l = join(p, P_AND, l, r);
	}
	return l;
}

static struct pnode *parse_or(struct cparser *p)
{
	struct pnode *l = parse_and(p);
	while (l && p->tk == TK_OR) {
		next(p);
		struct pnode *r = parse_and(p);
		if (!r)
			return NULL;
		l = join(p, P_OR, l, r);
	}
	return l;
}

struct pnode *mm__cond_parse(struct mm_ruleset *rs, const char *text, const struct cond_sel *sels,
                             size_t nsels, const char **why, bool *unsupported)
{
	struct cparser p = {0};
	p.rs = rs;
	p.s = text;
	p.len = strlen(text);
	p.sels = sels;
	p.nsels = nsels;
	next(&p);
	struct pnode *r = parse_or(&p);
	if (r && p.tk == TK_PIPE) {
		while (p.pos < p.len && p.s[p.pos] == ' ')
			p.pos++;
		r = fail(&p, true,
		         "aggregation expression ('| %s…', Sigma v1) is not supported; use a "
		         "correlation rule",
		         p.s + p.pos, MM_MIN(p.len - p.pos, 20));
	} else if (r && p.tk != TK_END) {
		r = fail(&p, false, "unexpected '%s'", p.tp, p.tn);
	}
	if (!r) {
		*why = p.why ? p.why : "invalid condition";
		*unsupported = p.unsupported;
	}
	return r;
}
