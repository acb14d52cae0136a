/* mamori — the Sigma literal prefilter (docs/internals/PREFILTER.md).
 * For every compiled rule we compute a conjunction of necessary clauses: if
 * the rule matches an event, every clause (a literal set) has a literal that
 * occurs (caseless) in the event text. Each value also gets its own literal
 * list, so match.c skips values none of whose literals occurred. The
 * detector compiles one Hyperscan database per event logsource from these
 * tables (match.c); per event one scan marks the rules whose clauses are all
 * hit, and only those (plus the rules without a clause) are evaluated. */
#include "detect_int.h"

#include <stdlib.h>
#include <string.h>

#define LIT_MAX_PER_RULE 4096 /* a larger set is not worth it: evaluate always */
#define LIT_MIN_SCORE_LEN 1

/* A literal set under construction: indices into a per-build literal table,
 * or "none" (no necessary set: the rule must always be evaluated). */
struct lset {
	bool none;
	uint32_t *ids;
	size_t n, cap;
	size_t minlen; /* shortest literal (selectivity score) */
};

struct lbuild {
	struct mm_ruleset *rs;
	struct mm_map *index;   /* literal → id+1 */
	unsigned char **lits;
	size_t *lens;
	size_t nlits, cap;
	size_t work;
};

static uint32_t lit_id(struct lbuild *b, const unsigned char *p, size_t n)
{
	void *v = mm_map_get(b->index, (const char *)p, n);
	if (v)
		return (uint32_t)((uintptr_t)v - 1);
	if (b->nlits == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 256;
		b->lits = mm_realloc(b->lits, b->cap * sizeof(*b->lits));
		b->lens = mm_realloc(b->lens, b->cap * sizeof(*b->lens));
	}
	b->lits[b->nlits] = (unsigned char *)mm_strndup((const char *)p, n);
	b->lens[b->nlits] = n;
	mm_map_put(b->index, (const char *)p, n, (void *)(uintptr_t)(b->nlits + 1));
	return (uint32_t)b->nlits++;
}

static void ls_add(struct lset *s, uint32_t id, size_t len)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->ids[i] == id)
			return;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->ids = mm_realloc(s->ids, s->cap * sizeof(*s->ids));
	}
	s->ids[s->n++] = id;
	if (s->n == 1 || len < s->minlen)
		s->minlen = len;
}

static void ls_free(struct lset *s)
{
	free(s->ids);
	memset(s, 0, sizeof(*s));
}

static void ls_none(struct lset *s)
{
	ls_free(s);
	s->none = true;
}

static void ls_union(struct lbuild *b, struct lset *dst, const struct lset *src)
{
	if (dst->none)
		return;
	if (src->none) {
		ls_none(dst);
		return;
	}
	for (size_t i = 0; i < src->n; i++)
		ls_add(dst, src->ids[i], b->lens[src->ids[i]]);
	if (dst->n > LIT_MAX_PER_RULE)
		ls_none(dst);
}

/* Better = more selective: an empty set (never matches) first, then the
 * longest shortest-literal, then the fewest literals. */
static bool ls_better(const struct lset *a, const struct lset *b)
{
	if (a->none)
		return false;
	if (b->none)
		return true;
	if (a->n == 0 || b->n == 0)
		return a->n == 0 && b->n != 0;
	if (a->minlen != b->minlen)
		return a->minlen > b->minlen;
	return a->n < b->n;
}

static void pat_set(struct lbuild *b, const struct pat *p, struct lset *out)
{
	if (p->need_n < LIT_MIN_SCORE_LEN) {
		ls_none(out);
		return;
	}
	ls_add(out, lit_id(b, p->need, p->need_n), p->need_n);
}

static void val_set(struct lbuild *b, const struct pitem *it, const struct fref *f,
                    const struct pval *v, struct lset *out)
{
	if (!v->is_null && it->op == OP_RE && v->re_nlits) {
		/* a match of the regex contains one of these (re_literal.c) */
		for (size_t i = 0; i < v->re_nlits; i++)
			ls_add(out, lit_id(b, (const unsigned char *)v->re_lits[i].p, v->re_lits[i].n),
			       v->re_lits[i].n);
		if (out->n > LIT_MAX_PER_RULE)
			ls_none(out);
		return;
	}
	if (v->is_null || it->op != OP_STR || v->npats == 0) {
		ls_none(out);
		return;
	}
	for (size_t i = 0; i < v->npats && !out->none; i++)
		pat_set(b, &v->pats[i], out);
	if (!out->none && v->has_inum && f->numeric) {
		/* numeric equality also matches other spellings of the number
		 * ("0404", "+404"): its digits without sign and leading zeros
		 * always occur */
		char dig[32];
		uint64_t u = v->inum < 0 ? (uint64_t)0 - (uint64_t)v->inum : (uint64_t)v->inum;
		int n = snprintf(dig, sizeof(dig), "%llu", (unsigned long long)u);
		ls_add(out, lit_id(b, (const unsigned char *)dig, (size_t)n), (size_t)n);
	}
}

static void item_set(struct lbuild *b, const struct pitem *it, struct lset *out)
{
	/* fields are alternatives: union */
	for (size_t f = 0; f < it->nfields && !out->none; f++) {
		struct lset fs = {0};
		if (it->all) {
			/* every value must match: any one value's set is necessary */
			struct lset best = {.none = true};
			for (size_t i = 0; i < it->nvals; i++) {
				struct lset vs = {0};
				val_set(b, it, &it->fields[f], &it->vals[i], &vs);
				if (ls_better(&vs, &best)) {
					ls_free(&best);
					best = vs;
				} else {
					ls_free(&vs);
				}
			}
			fs = best;
		} else {
			for (size_t i = 0; i < it->nvals && !fs.none; i++) {
				struct lset vs = {0};
				val_set(b, it, &it->fields[f], &it->vals[i], &vs);
				ls_union(b, &fs, &vs);
				ls_free(&vs);
			}
		}
		ls_union(b, out, &fs);
		ls_free(&fs);
	}
}

/* A conjunction of necessary clauses: a match of the node implies that every
 * clause has a literal in the event. No clause: nothing known (evaluate
 * always); an empty clause: the node never matches. */
struct conj {
	struct lset *c;
	size_t n, cap;
};

static void cj_free(struct conj *c)
{
	for (size_t i = 0; i < c->n; i++)
		ls_free(&c->c[i]);
	free(c->c);
	memset(c, 0, sizeof(*c));
}

/* Append s (taken over); a "none" set is no clause. */
static void cj_push(struct conj *c, struct lset *s)
{
	if (s->none) {
		ls_free(s);
		return;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 4;
		c->c = mm_realloc(c->c, c->cap * sizeof(*c->c));
	}
	c->c[c->n++] = *s;
	memset(s, 0, sizeof(*s));
}

static int cmp_id(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Keep the `keep` most selective distinct clauses (an empty clause alone:
 * the node never matches). Dropping a clause keeps the rest necessary. */
static void cj_trim(struct conj *c, size_t keep)
{
	for (size_t i = 1; i < c->n; i++) { /* insertion sort, best first */
		struct lset t = c->c[i];
		size_t j = i;
		for (; j > 0 && ls_better(&t, &c->c[j - 1]); j--)
			c->c[j] = c->c[j - 1];
		c->c[j] = t;
	}
	if (c->n && c->c[0].n == 0)
		keep = 1;
	size_t w = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct lset *s = &c->c[i];
		bool dup = w >= keep;
		if (!dup) {
			if (s->n > 1) /* an empty clause has no array */
				qsort(s->ids, s->n, sizeof(*s->ids), cmp_id);
			for (size_t j = 0; j < w && !dup; j++)
				dup = c->c[j].n == s->n &&
				      (s->n == 0 || memcmp(c->c[j].ids, s->ids, s->n * sizeof(*s->ids)) == 0);
		}
		if (dup)
			ls_free(s);
		else
			c->c[w++] = *s;
	}
	c->n = w;
}

/* The best clause of a conjunction (taken over), or "none". */
static void cj_best(struct conj *c, struct lset *out)
{
	memset(out, 0, sizeof(*out));
	out->none = true;
	for (size_t i = 0; i < c->n; i++) {
		if (ls_better(&c->c[i], out)) {
			ls_free(out);
			*out = c->c[i];
		} else {
			ls_free(&c->c[i]);
		}
	}
	c->n = 0;
	cj_free(c);
}

static void item_conj(struct lbuild *b, const struct pitem *it, struct conj *out)
{
	if (!it->all || it->nvals < 2) {
		struct lset s = {0};
		item_set(b, it, &s);
		cj_push(out, &s);
		return;
	}
	/* |all: the item holds for some field f when every value matches f, so
	 * for each value the union over the fields of its set is necessary */
	for (size_t i = 0; i < it->nvals; i++) {
		struct lset s = {0};
		for (size_t f = 0; f < it->nfields && !s.none; f++) {
			struct lset vs = {0};
			val_set(b, it, &it->fields[f], &it->vals[i], &vs);
			ls_union(b, &s, &vs);
			ls_free(&vs);
		}
		if (it->nfields == 0)
			s.none = true;
		cj_push(out, &s);
	}
}

static void node_conj(struct lbuild *b, const struct pnode *n, struct conj *out, unsigned depth)
{
	memset(out, 0, sizeof(*out));
	if (depth > 200 || ++b->work > 1000000)
		return;
	/* Conditions a pipeline adds for routing (pipelines/windows.yml:
	 * Channel and EventID) hold for most events of the logsource: as
	 * clauses their literals ("microsoft-windows-sysmon/operational", "1")
	 * hit every event and walk the postings of every rule of the channel.
	 * Leaving a conjunct out keeps the other clauses necessary. */
	if (n->routing)
		return;
	switch (n->kind) {
	case P_TRUE:
	case P_NOT:
		return;
	case P_FALSE: {
		struct lset e = {0}; /* empty, valid: never matches */
		cj_push(out, &e);
		return;
	}
	case P_ITEM:
		item_conj(b, n->item, out);
		return;
	case P_AND:
		/* every operand holds: all their clauses are necessary */
		for (size_t i = 0; i < n->nkids; i++) {
			struct conj k;
			node_conj(b, n->kids[i], &k, depth + 1);
			for (size_t j = 0; j < k.n; j++)
				cj_push(out, &k.c[j]);
			cj_free(&k);
			if (out->n > 8 * MM_PF_CLAUSES)
				cj_trim(out, MM_PF_CLAUSES);
		}
		return;
	case P_OR:
	case P_ATLEAST: {
		/* k of n hold: if fewer than k kids lack a set, some true kid has
		 * one, so the union of the kids' (best) sets is necessary */
		size_t need = n->kind == P_OR ? 1 : n->k, missing = 0;
		struct lset u = {0};
		if (need == 0)
			return; /* always holds */
		for (size_t i = 0; i < n->nkids; i++) {
			struct conj kc;
			struct lset k;
			node_conj(b, n->kids[i], &kc, depth + 1);
			cj_best(&kc, &k);
			if (k.none)
				missing++;
			else
				ls_union(b, &u, &k);
			ls_free(&k);
			if (missing >= need || u.none) {
				ls_free(&u);
				return;
			}
		}
		cj_push(out, &u);
		return;
	}
	}
}

/* ---- per-value literal lists -------------------------------------------- */

#define VAL_LITS_MAX 64 /* longer lists cost more to test than they save */
/* A value whose set has a literal shorter than this keeps no list: such a
 * literal ("-", "0", " c") occurs in nearly every Windows record, so it
 * would almost never let the value be skipped, while every occurrence
 * costs the scan a match report (SigmaHQ's Windows rules: ~20 of the ~47
 * distinct literals found per event were 1-2 bytes long). */
#define VAL_LIT_MIN 3

struct vwalk {
	struct lbuild *b;
	struct prefilter *pf;
	uint32_t rule;        /* the rule being walked */
	uint32_t *seen;       /* per literal: rule + 1 when already in its list */
	size_t seen_n;
	uint32_t *ids;        /* the rules' value literals (CSR by pf->rule_voff) */
	size_t nids, capids;
	bool truncated;       /* a walk hit its limits: lists may be incomplete */
};

/* The value's literals: for every field of the item its set is necessary for
 * a match on that field, so the union over the fields is necessary for a
 * match on any of them. Computed once per value (values of a filter are
 * shared by its rules); every rule using the value lists its literals, so
 * that a route's database scans for them. */
static void value_lits(struct vwalk *w, const struct pnode *n, unsigned depth)
{
	if (depth > 200 || ++w->b->work > 1000000) {
		w->truncated = true;
		return;
	}
	/* routing conditions (Channel, EventID) are short equality tests that
	 * hold for most events: their literals ("1", "13") would only slow the
	 * scan. Their values keep no list (pf_n 0): never skipped, still
	 * evaluated. */
	if (n->routing)
		return;
	if (n->kind != P_ITEM) {
		for (size_t i = 0; i < n->nkids; i++)
			value_lits(w, n->kids[i], depth + 1);
		return;
	}
	struct pitem *it = n->item;
	if (it->op != OP_STR && it->op != OP_RE)
		return;
	for (size_t i = 0; i < it->nvals; i++) {
		struct pval *v = &it->vals[i];
		if (!v->pf_done) {
			v->pf_done = true;
			struct lset s = {0};
			for (size_t f = 0; f < it->nfields && !s.none; f++) {
				struct lset vs = {0};
				val_set(w->b, it, &it->fields[f], v, &vs);
				ls_union(w->b, &s, &vs);
				ls_free(&vs);
			}
			if (!s.none && s.n > 0 && s.n <= VAL_LITS_MAX && s.minlen >= VAL_LIT_MIN) {
				struct prefilter *pf = w->pf;
				pf->vlits = mm_realloc(pf->vlits, (pf->nvlits + s.n) * sizeof(*pf->vlits));
				memcpy(pf->vlits + pf->nvlits, s.ids, s.n * sizeof(*s.ids));
				v->pf_off = (uint32_t)pf->nvlits;
				v->pf_n = (uint32_t)s.n;
				pf->nvlits += s.n;
			}
			ls_free(&s);
		}
		for (uint32_t k = 0; k < v->pf_n; k++) {
			uint32_t id = w->pf->vlits[v->pf_off + k];
			if (id >= w->seen_n) {
				size_t nn = w->b->nlits + 64;
				w->seen = mm_realloc(w->seen, nn * sizeof(*w->seen));
				memset(w->seen + w->seen_n, 0, (nn - w->seen_n) * sizeof(*w->seen));
				w->seen_n = nn;
			}
			if (w->seen[id] == w->rule + 1)
				continue;
			w->seen[id] = w->rule + 1;
			if (w->nids == w->capids) {
				w->capids = w->capids ? w->capids * 2 : 256;
				w->ids = mm_realloc(w->ids, w->capids * sizeof(*w->ids));
			}
			w->ids[w->nids++] = id;
		}
	}
}

void mm__prefilter_free(struct prefilter *pf)
{
	for (size_t i = 0; i < pf->nlits; i++) {
		free(pf->lit_post[i]);
		free(pf->lits[i]);
	}
	free(pf->lit_post);
	free(pf->lit_npost);
	free(pf->lits);
	free(pf->lens);
	free(pf->always);
	free(pf->full);
	free(pf->vlits);
	free(pf->rule_voff);
	free(pf->rule_vids);
	for (size_t i = 0; i < pf->ndbs; i++) {
		mm_mpm_free(pf->dbs[i].mpm);
		free(pf->dbs[i].sub);
	}
	if (pf->db_lock_init)
		pthread_mutex_destroy(&pf->db_lock);
	memset(pf, 0, sizeof(*pf));
}

int mm__prefilter_build(struct mm_ruleset *rs, struct mm_error *err)
{
	struct prefilter *pf = &rs->pf;
	struct lbuild b = {rs, mm_map_new(false), NULL, NULL, 0, 0, 0};
	struct vwalk vw = {&b, pf, 0, NULL, 0, NULL, 0, 0, false};
	size_t *caps = NULL;
	size_t nr = rs->nrules ? rs->nrules : 1;
	(void)err; /* databases are compiled per logsource by the detector (match.c) */
	if (pthread_mutex_init(&pf->db_lock, NULL) != 0)
		mm_oom(); /* fails only without memory */
	pf->db_lock_init = true;

	pf->always = mm_calloc(nr, sizeof(*pf->always));
	pf->full = mm_calloc(nr, sizeof(*pf->full));
	pf->rule_voff = mm_calloc(nr + 1, sizeof(*pf->rule_voff));
	struct conj *cj = mm_calloc(nr, sizeof(*cj));
	for (size_t r = 0; r < rs->nrules; r++) {
		b.work = 0;
		node_conj(&b, rs->rules[r]->prog, &cj[r], 0);
		cj_trim(&cj[r], MM_PF_CLAUSES);
		pf->always[r] = cj[r].n == 0;
		pf->full[r] = (uint8_t)((1u << cj[r].n) - 1);
		pf->nclauses += cj[r].n;
	}
	for (size_t r = 0; r < rs->nrules; r++) {
		b.work = 0;
		vw.rule = (uint32_t)r;
		pf->rule_voff[r] = (uint32_t)vw.nids;
		value_lits(&vw, rs->rules[r]->prog, 0);
	}
	pf->rule_voff[rs->nrules] = (uint32_t)vw.nids;
	/* a rule whose walk stopped early may use a value (shared with another
	 * rule) whose literals are not in its logsource's database */
	pf->no_value_skip = vw.truncated;
	pf->rule_vids = vw.ids;
	pf->nlits = b.nlits;
	pf->lits = b.lits;
	pf->lens = b.lens;
	pf->lit_post = mm_calloc(b.nlits ? b.nlits : 1, sizeof(*pf->lit_post));
	pf->lit_npost = mm_calloc(b.nlits ? b.nlits : 1, sizeof(*pf->lit_npost));
	caps = mm_calloc(b.nlits ? b.nlits : 1, sizeof(*caps));
	for (size_t r = 0; r < rs->nrules; r++) {
		for (size_t c = 0; c < cj[r].n; c++) {
			const struct lset *s = &cj[r].c[c];
			for (size_t i = 0; i < s->n; i++) {
				uint32_t id = s->ids[i];
				if (pf->lit_npost[id] == caps[id]) {
					caps[id] = caps[id] ? caps[id] * 2 : 4;
					pf->lit_post[id] =
						mm_realloc(pf->lit_post[id], caps[id] * sizeof(**pf->lit_post));
				}
				pf->lit_post[id][pf->lit_npost[id]++] = MM_PF_POST(r, c);
			}
		}
		cj_free(&cj[r]);
	}
	for (size_t i = 0; i < b.nlits; i++)
		pf->nclause_lits += pf->lit_npost[i] != 0;
	free(caps);
	free(cj);
	free(vw.seen);
	mm_map_free(b.index);
	return MM_OK;
}

void mm_ruleset_prefilter_info(const struct mm_ruleset *rs, struct mm_prefilter_info *out)
{
	memset(out, 0, sizeof(*out));
	out->literals = rs->pf.nclause_lits;
	for (size_t i = 0; i < rs->nrules; i++) {
		if (rs->pf.always[i])
			out->rules_always++;
		else
			out->rules_filtered++;
	}
}
