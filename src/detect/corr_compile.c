/* mamori — Sigma correlation rules: the `correlation:` section of a YAML
 * document becomes a struct corr (type, resolved rule references, group-by
 * fields per referenced rule through `aliases` and the processing pipelines,
 * timespan, condition), per the Sigma Correlation Rules Specification v2.0
 * and the v2.1 metric types (value_sum, value_avg, value_min, value_max,
 * value_percentile). Runs after the detection rules compiled, so references
 * resolve to loaded rules; correlations that reference correlations (chains)
 * are compiled in dependency order, a cycle is refused. Also decides which
 * rules are `silent` (the spec's `generate`). The runtime is correlate.c. */
#include "detect_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_REFS 64
#define MAX_GROUP 8
#define RING_DEFAULT 1024 /* window entries kept exactly per group (value_* types) */
#define RING_EVIDENCE 32  /* value_count: the window keeps events for evidence only */
#define RING_MAX 4096     /* event_count: the threshold + 1, at most this */

static const char *const g_type_names[CT__COUNT] = {
	"event_count", "value_count", "temporal",  "temporal_ordered", "value_sum",
	"value_avg",   "value_min",   "value_max", "value_percentile",
};

const char *mm__corr_type_name(enum corr_type t)
{
	return (unsigned)t < CT__COUNT ? g_type_names[t] : "?";
}

static const char *const g_cond_names[CC__COUNT] = {"gt", "gte", "lt", "lte", "eq"};

void mm__corr_free(struct mm_ruleset *rs)
{
	if (rs->feeds_rule)
		for (size_t i = 0; i < rs->nrules; i++)
			free(rs->feeds_rule[i].v);
	if (rs->feeds_corr)
		for (size_t i = 0; i < rs->ncorrs; i++)
			free(rs->feeds_corr[i].v);
	free(rs->feeds_rule);
	free(rs->feeds_corr);
	free(rs->corrs);
}

static void *ar(struct mm_ruleset *rs, size_t n)
{
	void *p = mm_arena_alloc(rs->arena, n ? n : 1);
	if (!p)
		mm_oom();
	memset(p, 0, n ? n : 1);
	return p;
}

/* Sigma spec "Time Selection": number + s/m/h/d (lowercase); mamori also
 * takes w (weeks). Months and years are not fixed durations: refused. */
static bool parse_timespan(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	if (n < 2 || n > 12)
		return false;
	int64_t v = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	int64_t unit;
	switch (s[n - 1]) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	case 'w': unit = 7 * 86400; break;
	default: return false;
	}
	if (v <= 0 || v > INT64_C(100) * 365 * 86400 / unit)
		return false;
	*out = v * unit * MM_NS_PER_SEC;
	return true;
}

/* A string or a list of strings → up to max borrowed strings; -1 if not. */
static long str_list(const struct ynode *n, const char **out, size_t max)
{
	if (mm__y_is_str(n)) {
		out[0] = n->s;
		return 1;
	}
	if (!n || n->kind != Y_SEQ || n->nkids > max)
		return -1;
	for (size_t i = 0; i < n->nkids; i++) {
		if (!mm__y_is_str(n->kids[i]))
			return -1;
		out[i] = n->kids[i]->s;
	}
	return (long)n->nkids;
}

static struct srule *find_doc(struct mm_ruleset *rs, const char *ref)
{
	/* id first (ids are unique), then name */
	struct srule *r = mm_map_get(rs->ids, ref, strlen(ref));
	if (r)
		return r;
	for (size_t i = 0; i < rs->ndocs; i++) {
		struct srule *d = rs->docs[i];
		if ((d->kind == SR_RULE || d->kind == SR_CORR) && d->info.name &&
		    strcmp(d->info.name, ref) == 0)
			return d;
	}
	return NULL;
}

static bool failed(const struct mm_ruleset *rs, const struct srule *r)
{
	enum mm_rule_state s = rs->st[r->status].state;
	return s == MM_RULE_INVALID || s == MM_RULE_UNSUPPORTED;
}

static bool bool_node(const struct ynode *n, bool *out)
{
	const char *s = mm__y_str(n);
	if (!s)
		return false;
	if (!strcasecmp(s, "true") || !strcasecmp(s, "yes"))
		*out = true;
	else if (!strcasecmp(s, "false") || !strcasecmp(s, "no"))
		*out = false;
	else
		return false;
	return true;
}

/* The field to read on input j for group-by/condition name `name`: the
 * alias for the referenced rule (by name, else id), then the referenced
 * rule's processing pipelines (Sigma taxonomy → ECS), as for its detection. */
static const char *input_field(struct mm_ruleset *rs, const struct ynode *aliases,
                               const char *name, const struct srule *target)
{
	const char *f = name;
	const struct ynode *al = aliases ? mm__y_get(aliases, name) : NULL;
	if (al && al->kind == Y_MAP) {
		const struct ynode *v = NULL;
		if (target->info.name)
			v = mm__y_get(al, target->info.name);
		if (!v && target->info.id)
			v = mm__y_get(al, target->info.id);
		if (mm__y_is_str(v))
			f = v->s;
	}
	if (target->kind == SR_RULE && mm_field_lookup(f, strlen(f)) < 0) {
		struct pl_rule pr;
		const char *alts[4], *failure = NULL;
		mm__pipeline_prepare(rs, &pr, &target->ls);
		size_t na = mm__pipeline_map_field(rs, &pr, mm__rs_strdup(rs, f), alts, 4, &failure);
		if (na && !failure)
			f = alts[0];
	}
	return mm__rs_strdup(rs, f);
}

enum step { PENDING, DONE, FAILED };

/* Compile one correlation whose references are all settled. */
static void compile_one(struct mm_ruleset *rs, struct srule *r)
{
	const struct ynode *cn = r->corr_node;
	struct corr *c = ar(rs, sizeof(*c));
	const char *ts = mm__y_str(mm__y_get(cn, "type"));
	if (!ts) {
		mm__rule_set_state(rs, r, MM_RULE_INVALID, "correlation has no 'type'");
		return;
	}
	size_t t;
	for (t = 0; t < CT__COUNT; t++)
		if (!strcmp(ts, g_type_names[t]))
			break;
	if (t == CT__COUNT) {
		mm__rule_set_state(rs, r, MM_RULE_INVALID,
		                   "unknown correlation type '%s' (event_count, value_count, "
		                   "temporal, temporal_ordered, value_sum, value_avg, value_min, "
		                   "value_max, value_percentile)",
		                   ts);
		return;
	}
	c->type = (enum corr_type)t;
	r->info.corr_type = g_type_names[t];

	/* rules */
	const char *refs[MAX_REFS];
	long nref = str_list(mm__y_get(cn, "rules"), refs, MAX_REFS);
	if (nref <= 0) {
		mm__rule_set_state(rs, r, MM_RULE_INVALID,
		                   "correlation 'rules' must list 1 to %d rule ids or names", MAX_REFS);
		return;
	}
	struct srule *targets[MAX_REFS];
	for (long i = 0; i < nref; i++) {
		struct srule *d = find_doc(rs, refs[i]);
		if (!d || (d->kind != SR_RULE && d->kind != SR_CORR)) {
			mm__rule_set_state(rs, r, MM_RULE_INVALID,
			                   "rule '%s' named in 'rules' is not in the ruleset", refs[i]);
			return;
		}
		if (d == r) {
			mm__rule_set_state(rs, r, MM_RULE_INVALID, "correlation refers to itself");
			return;
		}
		if (failed(rs, d)) {
			mm__rule_set_state(rs, r, MM_RULE_UNSUPPORTED,
			                   "rule '%s' named in 'rules' did not load (%s)", refs[i],
			                   rs->st[d->status].reason ? rs->st[d->status].reason : "?");
			return;
		}
		targets[i] = d;
	}
	c->nrefs = (size_t)nref;

	/* group-by (optional: no group-by = one group) */
	const char *group[MAX_GROUP];
	long ng = 0;
	const struct ynode *gb = mm__y_get(cn, "group-by");
	if (gb && !mm__y_is_null(gb)) {
		ng = str_list(gb, group, MAX_GROUP);
		if (ng < 0) {
			mm__rule_set_state(rs, r, MM_RULE_INVALID,
			                   "'group-by' must be a list of at most %d field names", MAX_GROUP);
			return;
		}
	}
	c->ngroup = (size_t)ng;
	c->group = ar(rs, (size_t)(ng + 1) * sizeof(*c->group));
	for (long g = 0; g < ng; g++)
		c->group[g] = group[g];

	/* timespan */
	const char *tsp = mm__y_str(mm__y_get(cn, "timespan"));
	if (!tsp || !parse_timespan(tsp, &c->timespan_ns)) {
		mm__rule_set_state(rs, r, MM_RULE_INVALID,
		                   "correlation 'timespan' %s%s%s must be a number and s, m, h, d or w "
		                   "(e.g. 10m)",
		                   tsp ? "'" : "", tsp ? tsp : "(missing)", tsp ? "'" : "");
		return;
	}

	/* condition */
	const struct ynode *cond = mm__y_get(cn, "condition");
	bool need_cond = c->type != CT_TEMPORAL && c->type != CT_TEMPORAL_ORDERED;
	if (cond && !mm__y_is_null(cond)) {
		if (cond->kind != Y_MAP) {
			mm__rule_set_state(rs, r, MM_RULE_INVALID, "correlation 'condition' must be a map");
			return;
		}
		for (size_t i = 0; i + 1 < cond->nkids; i += 2) {
			const char *k = mm__y_str(cond->kids[i]);
			const struct ynode *v = cond->kids[i + 1];
			if (!k) {
				mm__rule_set_state(rs, r, MM_RULE_INVALID, "condition keys must be strings");
				return;
			}
			if (!strcmp(k, "field")) {
				const char *fl[2];
				if (str_list(v, fl, 1) != 1) {
					mm__rule_set_state(rs, r, MM_RULE_UNSUPPORTED,
					                   "condition 'field' must be one field name");
					return;
				}
				c->field = fl[0];
				continue;
			}
			size_t op;
			for (op = 0; op < CC__COUNT; op++)
				if (!strcmp(k, g_cond_names[op]))
					break;
			if (op == CC__COUNT) {
				mm__rule_set_state(rs, r, MM_RULE_INVALID,
				                   "unknown condition '%s' (gt, gte, lt, lte, eq, field)", k);
				return;
			}
			const char *vs = mm__y_str(v);
			if (!vs || mm_slice_to_double(mm_slice_cstr(vs), &c->cond.v[op]) != MM_OK) {
				mm__rule_set_state(rs, r, MM_RULE_INVALID, "condition '%s' needs a number", k);
				return;
			}
			c->cond.has[op] = true;
		}
	}
	bool any = false, lower = false;
	for (int op = 0; op < CC__COUNT; op++)
		any |= c->cond.has[op];
	lower = c->cond.has[CC_GT] || c->cond.has[CC_GTE] || c->cond.has[CC_EQ];
	if (need_cond && !any) {
		mm__rule_set_state(rs, r, MM_RULE_INVALID,
		                   "%s needs a 'condition' (gt, gte, lt, lte or eq)", ts);
		return;
	}
	bool needs_field = c->type != CT_EVENT_COUNT && c->type != CT_TEMPORAL &&
	                   c->type != CT_TEMPORAL_ORDERED;
	if (needs_field && !c->field) {
		mm__rule_set_state(rs, r, MM_RULE_INVALID, "%s needs 'field' in its condition", ts);
		return;
	}
	/* Counts and sums only grow as events arrive, and mamori evaluates the
	 * condition when an event arrives (it never waits for a window to end), so
	 * a bound from above alone would hold at the first event. */
	bool growing = c->type == CT_EVENT_COUNT || c->type == CT_VALUE_COUNT ||
	               c->type == CT_VALUE_SUM || c->type == CT_TEMPORAL ||
	               c->type == CT_TEMPORAL_ORDERED;
	if (growing && any && !lower) {
		mm__rule_set_state(rs, r, MM_RULE_UNSUPPORTED,
		                   "%s condition with only lt/lte: \"fewer than N in a window\" needs "
		                   "evaluation at window end, not supported in this version",
		                   ts);
		return;
	}
	if (c->type == CT_TEMPORAL_ORDERED && any) {
		/* the order is complete only with every rule seen */
		double n = (double)c->nrefs;
		bool ok = (!c->cond.has[CC_GT] || n > c->cond.v[CC_GT]) &&
		          (!c->cond.has[CC_GTE] || n >= c->cond.v[CC_GTE]) &&
		          (!c->cond.has[CC_LT] || n < c->cond.v[CC_LT]) &&
		          (!c->cond.has[CC_LTE] || n <= c->cond.v[CC_LTE]) &&
		          (!c->cond.has[CC_EQ] || n == c->cond.v[CC_EQ]);
		if (!ok) {
			mm__rule_set_state(rs, r, MM_RULE_UNSUPPORTED,
			                   "temporal_ordered with a condition other than \"all rules in "
			                   "order\" is not supported in this version");
			return;
		}
	}
	if (c->type == CT_TEMPORAL && !any) {
		c->cond.has[CC_GTE] = true; /* all referenced rules */
		c->cond.v[CC_GTE] = (double)c->nrefs;
	}

	/* generate: top level (spec) or inside correlation: (seen in the wild) */
	const struct ynode *gen = mm__y_get(r->doc, "generate");
	if (!gen)
		gen = mm__y_get(cn, "generate");
	if (gen && !mm__y_is_null(gen) && !bool_node(gen, &c->generate)) {
		mm__rule_set_state(rs, r, MM_RULE_INVALID, "'generate' must be true or false");
		return;
	}

	const struct ynode *aliases = mm__y_get(cn, "aliases");
	if (aliases && !mm__y_is_null(aliases) && aliases->kind != Y_MAP) {
		mm__rule_set_state(rs, r, MM_RULE_INVALID, "'aliases' must be a map");
		return;
	}
	c->refs = ar(rs, c->nrefs * sizeof(*c->refs));
	c->ref_ids = ar(rs, c->nrefs * sizeof(*c->ref_ids));
	for (size_t i = 0; i < c->nrefs; i++) {
		struct corr_ref *cr = &c->refs[i];
		struct srule *d = targets[i];
		cr->is_corr = d->kind == SR_CORR;
		cr->index = d->info.index;
		cr->id = d->info.id;
		c->ref_ids[i] = d->info.id;
		cr->gfield = ar(rs, (c->ngroup + 1) * sizeof(*cr->gfield));
		for (size_t g = 0; g < c->ngroup; g++)
			cr->gfield[g] = input_field(rs, aliases, c->group[g], d);
		if (c->field)
			cr->vfield = input_field(rs, aliases, c->field, d);
	}
	if (c->type == CT_EVENT_COUNT) {
		double b = 0;
		for (int op = 0; op < CC__COUNT; op++)
			if (c->cond.has[op] && c->cond.v[op] > b)
				b = c->cond.v[op];
		c->ring_cap = b + 2 > RING_MAX ? RING_MAX : (size_t)b + 2;
	} else if (c->type == CT_VALUE_COUNT) {
		c->ring_cap = RING_EVIDENCE;
	} else {
		c->ring_cap = RING_DEFAULT;
	}
	r->corr = c;
}

static void add_feed(struct corr_feeds *f, uint32_t corr, uint32_t ref)
{
	f->v = mm_realloc(f->v, (f->n + 1) * sizeof(*f->v));
	f->v[f->n].corr = corr;
	f->v[f->n].ref = ref;
	f->n++;
}

void mm__corr_compile_all(struct mm_ruleset *rs)
{
	size_t n = 0;
	for (size_t i = 0; i < rs->ndocs; i++)
		n += rs->docs[i]->kind == SR_CORR && !failed(rs, rs->docs[i]);
	rs->corrs = mm_calloc(n + 1, sizeof(*rs->corrs));
	/* dependency order: a correlation compiles once everything it names is
	 * settled; what is left at the fixpoint is a cycle */
	bool progress = true;
	while (progress) {
		progress = false;
		for (size_t i = 0; i < rs->ndocs; i++) {
			struct srule *r = rs->docs[i];
			if (r->kind != SR_CORR || r->corr || failed(rs, r))
				continue;
			const char *refs[MAX_REFS];
			long nref = str_list(mm__y_get(r->corr_node, "rules"), refs, MAX_REFS);
			bool ready = true;
			for (long k = 0; k < nref && ready; k++) {
				struct srule *d = find_doc(rs, refs[k]);
				if (d && d != r && d->kind == SR_CORR && !d->corr && !failed(rs, d))
					ready = false;
			}
			if (!ready)
				continue;
			compile_one(rs, r);
			progress = true;
			if (r->corr) {
				r->info.index = rs->ncorrs;
				rs->corrs[rs->ncorrs++] = r;
			}
		}
	}
	for (size_t i = 0; i < rs->ndocs; i++) {
		struct srule *r = rs->docs[i];
		if (r->kind == SR_CORR && !r->corr && !failed(rs, r))
			mm__rule_set_state(rs, r, MM_RULE_INVALID,
			                   "correlation rules refer to each other in a cycle");
	}
	rs->feeds_rule = mm_calloc(rs->nrules + 1, sizeof(*rs->feeds_rule));
	rs->feeds_corr = mm_calloc(rs->ncorrs + 1, sizeof(*rs->feeds_corr));
	/* which inputs feed which correlation; generate decides silence */
	bool *gen_rule = mm_calloc(rs->nrules + 1, 1), *ref_rule = mm_calloc(rs->nrules + 1, 1);
	bool *gen_corr = mm_calloc(rs->ncorrs + 1, 1), *ref_corr = mm_calloc(rs->ncorrs + 1, 1);
	for (size_t k = 0; k < rs->ncorrs; k++) {
		const struct corr *c = rs->corrs[k]->corr;
		/* positions last to first: temporal_ordered must not let one event
		 * fill two consecutive positions of the same rule */
		for (size_t jj = c->nrefs; jj-- > 0;) {
			size_t j = jj;
			const struct corr_ref *cr = &c->refs[j];
			struct corr_feeds *f = cr->is_corr ? &rs->feeds_corr[cr->index]
			                                   : &rs->feeds_rule[cr->index];
			add_feed(f, (uint32_t)k, (uint32_t)j);
			bool *refd = cr->is_corr ? ref_corr : ref_rule;
			bool *gen = cr->is_corr ? gen_corr : gen_rule;
			refd[cr->index] = true;
			gen[cr->index] |= c->generate;
		}
	}
	for (size_t i = 0; i < rs->nrules; i++)
		rs->rules[i]->info.silent = ref_rule[i] && !gen_rule[i];
	for (size_t i = 0; i < rs->ncorrs; i++)
		rs->corrs[i]->info.silent = ref_corr[i] && !gen_corr[i];
	free(gen_rule);
	free(ref_rule);
	free(gen_corr);
	free(ref_corr);
}
