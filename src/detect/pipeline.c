/* mamori — pySigma processing pipelines as data: field-name mapping (Sigma
 * taxonomy → ECS), logsource conditions, change_logsource, add_condition and
 * failures, applied to each rule at compile time (sigma_compile.c). The YAML
 * format is pySigma's ("Processing Pipelines" in the pySigma docs): `name`,
 * `priority`, `vars`, `transformations: [{id, type, rule_conditions, …}]`.
 * Placeholders of `expand` values (%name%) are filled from `vars` by
 * value_placeholders or become `*` by wildcard_placeholders. Parts that
 * only shape query output (postprocessing, finalizers) are ignored; unknown
 * transformation or condition types are errors naming the type. */
#include "detect_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PL_MAX_ITEMS 4096
#define PL_MAX_ALTS 16

enum pl_type {
	T_FIELD_MAP,
	T_PREFIX_MAP,
	T_FIELD_PREFIX,
	T_FIELD_SUFFIX,
	T_ADD_COND,
	T_CHANGE_LS,
	T_DROP_ITEM,
	T_RULE_FAIL,
	T_ITEM_FAIL,
	T_VALUE_PH,
	T_WILD_PH,
};

static const struct {
	const char *name;
	enum pl_type t;
} g_types[] = {
	{"field_name_mapping", T_FIELD_MAP},   {"field_name_prefix_mapping", T_PREFIX_MAP},
	{"field_name_prefix", T_FIELD_PREFIX}, {"field_name_suffix", T_FIELD_SUFFIX},
	{"add_condition", T_ADD_COND},         {"change_logsource", T_CHANGE_LS},
	{"drop_detection_item", T_DROP_ITEM},  {"rule_failure", T_RULE_FAIL},
	{"detection_item_failure", T_ITEM_FAIL}, {"value_placeholders", T_VALUE_PH},
	{"wildcard_placeholders", T_WILD_PH},
};

struct pl_item {
	enum pl_type type;
	const char *id;
	struct logsrc *conds; /* rule_conditions of type logsource */
	size_t nconds;
	bool cond_or, cond_not;
	const struct ynode *inc, *exc; /* field_name_conditions: include/exclude lists */
	bool fn_not;
	const struct ynode *mapping; /* T_FIELD_MAP / T_PREFIX_MAP */
	const char *str;             /* prefix, suffix, failure message */
	struct ynode *add;           /* T_ADD_COND conditions map */
	struct logsrc newls;
	const struct ynode *ph_inc, *ph_exc; /* T_*_PH: placeholder names (lists) */
};

struct mm_pipeline {
	const char *name;
	int priority;
	size_t order; /* add order: ties keep it */
	const struct ynode *vars; /* placeholder name → value or list (a map) */
	struct pl_item *items;
	size_t nitems;
};

int mm__pipeline_priority(const struct mm_pipeline *p)
{
	return p->priority;
}

static int pl_err(struct mm_error *err, const char *name, const struct ynode *at, const char *fmt,
                  const char *a)
{
	char buf[512];
	snprintf(buf, sizeof(buf), fmt, a ? a : "");
	return mm_error_set(err, MM_EPARSE, name, at ? at->line : 0, at ? at->col : 0,
	                    "pipeline: %s", buf);
}

static bool str_list_ok(const struct ynode *n)
{
	if (mm__y_is_str(n))
		return true;
	if (!n || n->kind != Y_SEQ)
		return false;
	for (size_t i = 0; i < n->nkids; i++)
		if (!mm__y_is_str(n->kids[i]))
			return false;
	return true;
}

static int parse_rule_conds(struct mm_ruleset *rs, const char *name, struct pl_item *it,
                            const struct ynode *t, struct mm_error *err)
{
	const struct ynode *rc = mm__y_get(t, "rule_conditions");
	const char *op = mm__y_str(mm__y_get(t, "rule_cond_op"));
	const struct ynode *neg = mm__y_get(t, "rule_cond_not");
	if (mm__y_get(t, "rule_cond_expr"))
		return pl_err(err, name, t, "'rule_cond_expr' is not supported (use rule_cond_op)",
		              NULL);
	if (op && strcmp(op, "or") == 0)
		it->cond_or = true;
	else if (op && strcmp(op, "and") != 0)
		return pl_err(err, name, t, "rule_cond_op must be 'and' or 'or', not '%s'", op);
	it->cond_not = neg && mm__y_is_str(neg) && strcasecmp(neg->s, "true") == 0;
	if (!rc || mm__y_is_null(rc))
		return MM_OK;
	if (rc->kind != Y_SEQ)
		return pl_err(err, name, rc, "rule_conditions must be a list", NULL);
	it->conds = mm_arena_alloc(rs->arena, (rc->nkids ? rc->nkids : 1) * sizeof(*it->conds));
	if (!it->conds)
		mm_oom();
	for (size_t i = 0; i < rc->nkids; i++) {
		const struct ynode *c = rc->kids[i];
		const char *type = mm__y_str(mm__y_get(c, "type"));
		if (!type)
			return pl_err(err, name, c, "rule condition without 'type'", NULL);
		if (strcmp(type, "logsource") != 0)
			return pl_err(err, name, c,
			              "rule condition type '%s' is not supported (supported: logsource)",
			              type);
		struct logsrc *l = &it->conds[it->nconds++];
		l->product = mm__y_str(mm__y_get(c, "product"));
		l->category = mm__y_str(mm__y_get(c, "category"));
		l->service = mm__y_str(mm__y_get(c, "service"));
	}
	return MM_OK;
}

static int parse_field_conds(const char *name, struct pl_item *it, const struct ynode *t,
                             struct mm_error *err)
{
	const struct ynode *fc = mm__y_get(t, "field_name_conditions");
	const struct ynode *neg = mm__y_get(t, "field_name_cond_not");
	it->fn_not = neg && mm__y_is_str(neg) && strcasecmp(neg->s, "true") == 0;
	if (!fc || mm__y_is_null(fc))
		return MM_OK;
	if (fc->kind != Y_SEQ)
		return pl_err(err, name, fc, "field_name_conditions must be a list", NULL);
	for (size_t i = 0; i < fc->nkids; i++) {
		const struct ynode *c = fc->kids[i];
		const char *type = mm__y_str(mm__y_get(c, "type"));
		const struct ynode *fields = mm__y_get(c, "fields");
		const char *mt = mm__y_str(mm__y_get(c, "match"));
		if (!type)
			return pl_err(err, name, c, "field name condition without 'type'", NULL);
		if (mt && strcmp(mt, "plain") != 0)
			return pl_err(err, name, c,
			              "field name condition match '%s' is not supported (plain only)", mt);
		if (!str_list_ok(fields))
			return pl_err(err, name, c, "field name condition needs 'fields' (a list)", NULL);
		if (strcmp(type, "include_fields") == 0)
			it->inc = fields;
		else if (strcmp(type, "exclude_fields") == 0)
			it->exc = fields;
		else
			return pl_err(err, name, c,
			              "field name condition type '%s' is not supported (supported: "
			              "include_fields, exclude_fields)",
			              type);
	}
	return MM_OK;
}

static bool map_ok(const struct ynode *m)
{
	if (!m || m->kind != Y_MAP)
		return false;
	for (size_t i = 0; i + 1 < m->nkids; i += 2)
		if (!mm__y_is_str(m->kids[i]) || !str_list_ok(m->kids[i + 1]))
			return false;
	return true;
}

struct mm_pipeline *mm__pipeline_parse(struct mm_ruleset *rs, const char *name, const char *data,
                                       size_t len, struct mm_error *err)
{
	struct ynode **docs = NULL;
	struct ydoc_err yerr;
	size_t n = mm__yaml_parse(rs->arena, data, len, &docs, &yerr);
	if (yerr.failed) {
		mm_error_set(err, MM_EPARSE, name, yerr.line, yerr.col, "pipeline: YAML error: %s",
		             yerr.msg);
		return NULL;
	}
	if (n != 1 || docs[0]->kind != Y_MAP) {
		mm_error_set(err, MM_EPARSE, name, 0, 0,
		             "pipeline: expected one YAML map with 'transformations'");
		return NULL;
	}
	const struct ynode *root = docs[0];
	struct mm_pipeline *p = mm_arena_alloc(rs->arena, sizeof(*p));
	if (!p)
		mm_oom();
	memset(p, 0, sizeof(*p));
	p->name = mm__y_str(mm__y_get(root, "name"));
	if (!p->name)
		p->name = name;
	const struct ynode *prio = mm__y_get(root, "priority");
	if (prio) {
		int64_t v;
		if (!mm__y_is_str(prio) || mm_slice_to_i64(mm_slice(prio->s, prio->n), &v) ||
		    v < -1000000 || v > 1000000) {
			pl_err(err, name, prio, "'priority' must be an integer", NULL);
			return NULL;
		}
		p->priority = (int)v;
	}
	p->vars = mm__y_get(root, "vars");
	if (p->vars && mm__y_is_null(p->vars))
		p->vars = NULL;
	if (p->vars && !map_ok(p->vars)) {
		pl_err(err, name, p->vars,
		       "'vars' must be a map of placeholder name to a value or a list of values", NULL);
		return NULL;
	}
	const struct ynode *ts = mm__y_get(root, "transformations");
	if (!ts || mm__y_is_null(ts)) {
		mm_error_set(err, MM_EPARSE, name, 0, 0, "pipeline: no 'transformations' list");
		return NULL;
	}
	if (ts->kind != Y_SEQ || ts->nkids > PL_MAX_ITEMS) {
		pl_err(err, name, ts, "'transformations' must be a list (at most 4096 items)", NULL);
		return NULL;
	}
	p->items = mm_arena_alloc(rs->arena, (ts->nkids ? ts->nkids : 1) * sizeof(*p->items));
	if (!p->items)
		mm_oom();
	for (size_t i = 0; i < ts->nkids; i++) {
		const struct ynode *t = ts->kids[i];
		struct pl_item *it = &p->items[p->nitems];
		memset(it, 0, sizeof(*it));
		const char *type = mm__y_str(mm__y_get(t, "type"));
		if (!type) {
			pl_err(err, name, t, "transformation without 'type'", NULL);
			return NULL;
		}
		size_t k;
		for (k = 0; k < MM_ARRAY_LEN(g_types); k++)
			if (strcmp(type, g_types[k].name) == 0)
				break;
		if (k == MM_ARRAY_LEN(g_types)) {
			pl_err(err, name, t,
			       "transformation type '%s' is not supported (supported: "
			       "field_name_mapping, field_name_prefix_mapping, field_name_prefix, "
			       "field_name_suffix, add_condition, change_logsource, "
			       "drop_detection_item, rule_failure, detection_item_failure, "
			       "value_placeholders, wildcard_placeholders)",
			       type);
			return NULL;
		}
		it->type = g_types[k].t;
		it->id = mm__y_str(mm__y_get(t, "id"));
		if (parse_rule_conds(rs, name, it, t, err) || parse_field_conds(name, it, t, err))
			return NULL;
		switch (it->type) {
		case T_FIELD_MAP:
		case T_PREFIX_MAP:
			it->mapping = mm__y_get(t, "mapping");
			if (!map_ok(it->mapping)) {
				pl_err(err, name, t,
				       "'%s' needs 'mapping': a map of field name to a name or a list",
				       type);
				return NULL;
			}
			break;
		case T_FIELD_PREFIX:
		case T_FIELD_SUFFIX:
			it->str = mm__y_str(mm__y_get(t, it->type == T_FIELD_PREFIX ? "prefix" : "suffix"));
			if (!it->str) {
				pl_err(err, name, t, "'%s' needs a prefix/suffix string", type);
				return NULL;
			}
			break;
		case T_ADD_COND:
			it->add = mm__y_get(t, "conditions");
			if (!it->add || it->add->kind != Y_MAP) {
				pl_err(err, name, t, "'add_condition' needs 'conditions' (a map)", NULL);
				return NULL;
			}
			break;
		case T_CHANGE_LS:
			it->newls.product = mm__y_str(mm__y_get(t, "product"));
			it->newls.category = mm__y_str(mm__y_get(t, "category"));
			it->newls.service = mm__y_str(mm__y_get(t, "service"));
			break;
		case T_DROP_ITEM:
			if (!it->inc && !it->exc) {
				pl_err(err, name, t,
				       "'drop_detection_item' needs field_name_conditions (include_fields)",
				       NULL);
				return NULL;
			}
			break;
		case T_RULE_FAIL:
		case T_ITEM_FAIL:
			it->str = mm__y_str(mm__y_get(t, "message"));
			if (!it->str)
				it->str = "rejected by a pipeline";
			break;
		case T_VALUE_PH:
		case T_WILD_PH:
			/* pySigma's placeholder transformations: include or
			 * exclude name the placeholders they handle (not both) */
			it->ph_inc = mm__y_get(t, "include");
			it->ph_exc = mm__y_get(t, "exclude");
			if ((it->ph_inc && !str_list_ok(it->ph_inc)) ||
			    (it->ph_exc && !str_list_ok(it->ph_exc)) || (it->ph_inc && it->ph_exc)) {
				pl_err(err, name, t,
				       "'%s' takes 'include' or 'exclude': a list of placeholder names",
				       type);
				return NULL;
			}
			if (it->inc || it->exc) {
				pl_err(err, name, t,
				       "'%s' with field_name_conditions is not supported (use "
				       "rule_conditions)",
				       type);
				return NULL;
			}
			break;
		}
		p->nitems++;
	}
	return p;
}

int mm_ruleset_add_pipeline_buffer(struct mm_ruleset *rs, const char *name, const char *data,
                                   size_t len, struct mm_error *err)
{
	if (rs->compiled)
		return mm_error_set(err, MM_EINVAL, name, 0, 0,
		                    "pipelines must be added before mm_ruleset_compile()");
	if (rs->npls == MM_RULESET_MAX_PIPELINES)
		return mm_error_set(err, MM_ELIMIT, name, 0, 0,
		                    "too many pipelines (at most %d)", MM_RULESET_MAX_PIPELINES);
	const char *nm = mm__rs_strdup(rs, name ? name : "<pipeline>");
	struct mm_pipeline *p = mm__pipeline_parse(rs, nm, data, len, err);
	if (!p)
		return err ? err->code : MM_EPARSE;
	p->order = rs->npls;
	/* keep sorted by (priority, order): insertion sort */
	size_t i = rs->npls++;
	while (i > 0 && rs->pls[i - 1]->priority > p->priority) {
		rs->pls[i] = rs->pls[i - 1];
		i--;
	}
	rs->pls[i] = p;
	return MM_OK;
}

int mm_ruleset_add_pipeline_file(struct mm_ruleset *rs, const char *path, struct mm_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return mm_error_set(err, MM_EIO, path, 0, 0, "cannot open pipeline file");
	struct mm_buf b;
	mm_buf_init(&b, 4u << 20);
	char tmp[4096];
	size_t r;
	int rc = MM_OK;
	while ((r = fread(tmp, 1, sizeof(tmp), f)) > 0) {
		if (mm_buf_append(&b, tmp, r)) {
			rc = mm_error_set(err, MM_ELIMIT, path, 0, 0,
			                  "pipeline file larger than 4 MiB");
			break;
		}
	}
	fclose(f);
	if (rc == MM_OK)
		rc = mm_ruleset_add_pipeline_buffer(rs, path, b.p ? b.p : "", b.n, err);
	mm_buf_free(&b);
	return rc;
}

/* pySigma LogsourceCondition: every field the condition names must equal the
 * rule's (case-insensitive); unnamed fields match anything. */
static bool ls_match(const struct logsrc *c, const struct logsrc *r)
{
	if (c->product && (!r->product || strcasecmp(c->product, r->product) != 0))
		return false;
	if (c->category && (!r->category || strcasecmp(c->category, r->category) != 0))
		return false;
	if (c->service && (!r->service || strcasecmp(c->service, r->service) != 0))
		return false;
	return true;
}

static bool item_applies(const struct pl_item *it, const struct logsrc *ls)
{
	bool v;
	if (it->nconds == 0) {
		v = true;
	} else if (it->cond_or) {
		v = false;
		for (size_t i = 0; i < it->nconds && !v; i++)
			v = ls_match(&it->conds[i], ls);
	} else {
		v = true;
		for (size_t i = 0; i < it->nconds && v; i++)
			v = ls_match(&it->conds[i], ls);
	}
	return it->cond_not ? !v : v;
}

void mm__pipeline_prepare(struct mm_ruleset *rs, struct pl_rule *pr, const struct logsrc *ls)
{
	size_t total = 0;
	memset(pr, 0, sizeof(*pr));
	pr->pls = (const struct mm_pipeline *const *)rs->pls;
	pr->npls = rs->npls;
	pr->ls = *ls;
	for (size_t i = 0; i < rs->npls; i++)
		total += rs->pls[i]->nitems;
	pr->napplies = total;
	pr->applies = total ? mm_arena_alloc(rs->arena, total) : NULL;
	if (total && !pr->applies)
		mm_oom();
	size_t nadd = 0, k = 0;
	for (size_t i = 0; i < rs->npls; i++)
		for (size_t j = 0; j < rs->pls[i]->nitems; j++)
			nadd += rs->pls[i]->items[j].type == T_ADD_COND;
	if (nadd) {
		pr->add_conds = mm_arena_alloc(rs->arena, nadd * sizeof(*pr->add_conds));
		if (!pr->add_conds)
			mm_oom();
	}
	for (size_t i = 0; i < rs->npls; i++) {
		for (size_t j = 0; j < rs->pls[i]->nitems; j++, k++) {
			const struct pl_item *it = &rs->pls[i]->items[j];
			bool ap = item_applies(it, &pr->ls);
			pr->applies[k] = ap;
			if (!ap)
				continue;
			if (it->type == T_CHANGE_LS) {
				/* pySigma's change_logsource replaces the whole
				 * logsource: fields it leaves out become absent
				 * (pipelines/windows.yml relies on this to turn
				 * `category: process_creation` into `product: windows`) */
				pr->ls.product = it->newls.product;
				pr->ls.category = it->newls.category;
				pr->ls.service = it->newls.service;
			} else if (it->type == T_RULE_FAIL && !pr->failure) {
				pr->failure = it->str;
			} else if (it->type == T_ADD_COND) {
				pr->add_conds[pr->nadd++] = it->add;
			}
		}
	}
}

static bool in_list(const struct ynode *l, const char *name)
{
	if (mm__y_is_str(l))
		return strcmp(l->s, name) == 0;
	for (size_t i = 0; l && i < l->nkids; i++)
		if (strcmp(l->kids[i]->s, name) == 0)
			return true;
	return false;
}

static bool field_cond(const struct pl_item *it, const char *name)
{
	bool v = true;
	if (it->inc && !in_list(it->inc, name))
		v = false;
	if (it->exc && in_list(it->exc, name))
		v = false;
	return it->fn_not ? !v : v;
}

/* Apply one field transformation to one name; writes 0..k names to out. */
static size_t apply_one(struct mm_ruleset *rs, const struct pl_item *it, const char *name,
                        const char **out, size_t max, bool *drop, const char **failure)
{
	switch (it->type) {
	case T_FIELD_MAP: {
		const struct ynode *v = mm__y_get(it->mapping, name);
		if (!v)
			break;
		if (v->kind == Y_SCALAR) {
			out[0] = v->s;
			return 1;
		}
		size_t k = 0;
		for (size_t i = 0; i < v->nkids && k < max; i++)
			out[k++] = v->kids[i]->s;
		return k;
	}
	case T_PREFIX_MAP:
		for (size_t i = 0; i + 1 < it->mapping->nkids; i += 2) {
			const struct ynode *key = it->mapping->kids[i], *v = it->mapping->kids[i + 1];
			if (strncmp(name, key->s, key->n) == 0 && v->kind == Y_SCALAR) {
				out[0] = mm__rs_printf(rs, "%s%s", v->s, name + key->n);
				return 1;
			}
		}
		break;
	case T_FIELD_PREFIX:
		out[0] = mm__rs_printf(rs, "%s%s", it->str, name);
		return 1;
	case T_FIELD_SUFFIX:
		out[0] = mm__rs_printf(rs, "%s%s", name, it->str);
		return 1;
	case T_DROP_ITEM:
		*drop = true;
		return 0;
	case T_ITEM_FAIL:
		if (!*failure)
			*failure = it->str;
		break;
	default:
		break;
	}
	out[0] = name;
	return 1;
}

size_t mm__pipeline_map_field(struct mm_ruleset *rs, const struct pl_rule *pr, const char *name,
                              const char **out, size_t max, const char **failure)
{
	const char *cur[PL_MAX_ALTS], *next[PL_MAX_ALTS];
	size_t ncur = 1, k = 0;
	cur[0] = name;
	for (size_t i = 0; i < pr->npls; i++) {
		for (size_t j = 0; j < pr->pls[i]->nitems; j++, k++) {
			const struct pl_item *it = &pr->pls[i]->items[j];
			if (!pr->applies[k])
				continue;
			if (it->type == T_CHANGE_LS || it->type == T_ADD_COND || it->type == T_RULE_FAIL ||
			    it->type == T_VALUE_PH || it->type == T_WILD_PH)
				continue;
			size_t nn = 0;
			for (size_t a = 0; a < ncur; a++) {
				if (!field_cond(it, cur[a])) {
					if (nn < PL_MAX_ALTS)
						next[nn++] = cur[a];
					continue;
				}
				bool drop = false;
				const char *tmp[PL_MAX_ALTS];
				size_t m = apply_one(rs, it, cur[a], tmp, PL_MAX_ALTS, &drop, failure);
				if (drop)
					return 0;
				for (size_t b = 0; b < m && nn < PL_MAX_ALTS; b++)
					next[nn++] = tmp[b];
			}
			memcpy(cur, next, nn * sizeof(*cur));
			ncur = nn;
		}
	}
	size_t w = 0;
	for (size_t a = 0; a < ncur && w < max; a++) {
		bool dup = false;
		for (size_t b = 0; b < w; b++)
			dup = dup || strcmp(out[b], cur[a]) == 0;
		if (!dup)
			out[w++] = cur[a];
	}
	return w;
}

/* Is scalar y the text name[0..n)? */
static bool y_is(const struct ynode *y, const char *name, size_t n)
{
	return y->n == n && memcmp(y->s, name, n) == 0;
}

/* Does l (a name or a list of names) hold name[0..n)? */
static bool ph_named(const struct ynode *l, const char *name, size_t n)
{
	if (mm__y_is_str(l))
		return y_is(l, name, n);
	for (size_t i = 0; i < l->nkids; i++)
		if (y_is(l->kids[i], name, n))
			return true;
	return false;
}

enum mm_ph mm__pipeline_placeholder(const struct pl_rule *pr, const char *name, size_t n,
                                    const struct ynode **vals)
{
	size_t k = 0;
	*vals = NULL;
	for (size_t i = 0; i < pr->npls; i++) {
		for (size_t j = 0; j < pr->pls[i]->nitems; j++, k++) {
			const struct pl_item *it = &pr->pls[i]->items[j];
			if (!pr->applies[k] || (it->type != T_VALUE_PH && it->type != T_WILD_PH))
				continue;
			if ((it->ph_inc && !ph_named(it->ph_inc, name, n)) ||
			    (it->ph_exc && ph_named(it->ph_exc, name, n)))
				continue;
			if (it->type == T_WILD_PH)
				return MM_PH_WILDCARD;
			/* the variables of all pipelines, as pySigma merges them
			 * when pipelines are chained: a later one wins */
			for (size_t q = pr->npls; q-- > 0;) {
				const struct ynode *v = pr->pls[q]->vars;
				for (size_t e = 0; v && e + 1 < v->nkids; e += 2)
					if (y_is(v->kids[e], name, n)) {
						*vals = v->kids[e + 1];
						return MM_PH_VALUES;
					}
			}
			return MM_PH_NO_VAR;
		}
	}
	return MM_PH_NONE;
}
