/* mamori — the Sigma literal prefilter (docs/internals/PREFILTER.md).
 * For every compiled rule we compute a necessary literal set: if the rule
 * matches an event, at least one literal of the set occurs (caseless) in the
 * event text. All literals of all rules go into one Hyperscan database; per
 * event one scan marks the candidate rules, and only those (plus the rules
 * without a set) are evaluated. */
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

static void node_set(struct lbuild *b, const struct pnode *n, struct lset *out, unsigned depth)
{
	memset(out, 0, sizeof(*out));
	if (depth > 200 || ++b->work > 1000000) {
		out->none = true;
		return;
	}
	switch (n->kind) {
	case P_TRUE:
	case P_NOT:
		out->none = true;
		return;
	case P_FALSE:
		return; /* empty, valid: never matches */
	case P_ITEM:
		item_set(b, n->item, out);
		return;
	case P_AND: {
		out->none = true;
		for (size_t i = 0; i < n->nkids; i++) {
			struct lset k;
			node_set(b, n->kids[i], &k, depth + 1);
			if (ls_better(&k, out)) {
				ls_free(out);
				*out = k;
			} else {
				ls_free(&k);
			}
		}
		return;
	}
	case P_OR:
	case P_ATLEAST: {
		/* k of n hold: if fewer than k kids lack a set, some true kid has
		 * one, so the union of the kids' sets is necessary */
		size_t need = n->kind == P_OR ? 1 : n->k, missing = 0;
		for (size_t i = 0; i < n->nkids; i++) {
			struct lset k;
			node_set(b, n->kids[i], &k, depth + 1);
			if (k.none) {
				missing++;
			} else {
				ls_union(b, out, &k);
			}
			ls_free(&k);
			if (missing >= need || out->none) {
				ls_none(out);
				return;
			}
		}
		return;
	}
	}
}

void mm__prefilter_free(struct prefilter *pf)
{
	mm_mpm_free(pf->mpm);
	for (size_t i = 0; i < pf->nlits; i++)
		free(pf->lit_rules[i]);
	free(pf->lit_rules);
	free(pf->lit_nrules);
	free(pf->always);
	memset(pf, 0, sizeof(*pf));
}

int mm__prefilter_build(struct mm_ruleset *rs, struct mm_error *err)
{
	struct prefilter *pf = &rs->pf;
	struct lbuild b = {rs, mm_map_new(false), NULL, NULL, 0, 0, 0};
	size_t *caps = NULL;
	int rc = MM_OK;

	pf->always = mm_calloc(rs->nrules ? rs->nrules : 1, sizeof(*pf->always));
	struct lset *sets = mm_calloc(rs->nrules ? rs->nrules : 1, sizeof(*sets));
	for (size_t r = 0; r < rs->nrules; r++) {
		b.work = 0;
		node_set(&b, rs->rules[r]->prog, &sets[r], 0);
		pf->always[r] = sets[r].none;
	}
	pf->nlits = b.nlits;
	pf->lit_rules = mm_calloc(b.nlits ? b.nlits : 1, sizeof(*pf->lit_rules));
	pf->lit_nrules = mm_calloc(b.nlits ? b.nlits : 1, sizeof(*pf->lit_nrules));
	caps = mm_calloc(b.nlits ? b.nlits : 1, sizeof(*caps));
	for (size_t r = 0; r < rs->nrules; r++) {
		for (size_t i = 0; !sets[r].none && i < sets[r].n; i++) {
			uint32_t id = sets[r].ids[i];
			if (pf->lit_nrules[id] == caps[id]) {
				caps[id] = caps[id] ? caps[id] * 2 : 4;
				pf->lit_rules[id] =
					mm_realloc(pf->lit_rules[id], caps[id] * sizeof(**pf->lit_rules));
			}
			pf->lit_rules[id][pf->lit_nrules[id]++] = (uint32_t)r;
		}
		ls_free(&sets[r]);
	}
	pf->mpm = mm_mpm_new();
	for (size_t i = 0; i < b.nlits; i++)
		if (pf->lit_nrules[i])
			mm_mpm_add(pf->mpm, (const char *)b.lits[i], b.lens[i], (unsigned)i,
			           MM_MPM_CASELESS | MM_MPM_SINGLEMATCH);
	rc = mm_mpm_compile(pf->mpm, err);

	for (size_t i = 0; i < b.nlits; i++)
		free(b.lits[i]);
	free(b.lits);
	free(b.lens);
	free(caps);
	free(sets);
	mm_map_free(b.index);
	return rc;
}

void mm_ruleset_prefilter_info(const struct mm_ruleset *rs, struct mm_prefilter_info *out)
{
	memset(out, 0, sizeof(*out));
	out->literals = rs->pf.mpm ? mm_mpm_count(rs->pf.mpm) : 0;
	for (size_t i = 0; i < rs->nrules; i++) {
		if (rs->pf.always[i])
			out->rules_always++;
		else
			out->rules_filtered++;
	}
}
