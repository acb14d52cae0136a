/* mamori — YAML (libyaml document API) to a small node tree in the ruleset
 * arena, for the Sigma rule and pipeline loaders. Anchors/aliases become
 * shared nodes (no copying, so an alias bomb costs nothing here; walkers keep
 * their own budgets); recursive aliases and absurd nesting are refused. */
#include "detect_int.h"

#include <string.h>
#include <yaml.h>

#define Y_MAX_DEPTH 64
#define Y_MAX_NODES 200000 /* per stream: rules are small; a cap keeps fuzzing fast */

struct conv {
	struct mm_arena *a;
	yaml_document_t *doc;
	struct ynode **memo; /* by yaml node index */
	unsigned char *busy;
	size_t nnodes, budget;
	const char *fail;
};

static struct ynode *conv_node(struct conv *c, int idx, unsigned depth)
{
	if (c->fail)
		return NULL;
	yaml_node_t *yn = yaml_document_get_node(c->doc, idx);
	if (!yn) {
		c->fail = "dangling YAML node";
		return NULL;
	}
	size_t i = (size_t)(idx - 1);
	if (c->memo[i])
		return c->memo[i];
	if (c->busy[i]) {
		c->fail = "recursive YAML alias";
		return NULL;
	}
	if (depth > Y_MAX_DEPTH) {
		c->fail = "YAML nesting deeper than 64 levels";
		return NULL;
	}
	if (++c->budget > Y_MAX_NODES) {
		c->fail = "YAML document too large (more than 200000 nodes)";
		return NULL;
	}
	c->busy[i] = 1;
	struct ynode *n = mm_arena_alloc(c->a, sizeof(*n));
	if (!n)
		mm_oom();
	memset(n, 0, sizeof(*n));
	n->line = (unsigned)yn->start_mark.line + 1;
	n->col = (unsigned)yn->start_mark.column + 1;
	n->s = "";
	switch (yn->type) {
	case YAML_SCALAR_NODE:
		n->kind = Y_SCALAR;
		n->plain = yn->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		n->s = mm_arena_strndup(c->a, (const char *)yn->data.scalar.value,
		                        yn->data.scalar.length);
		if (!n->s)
			mm_oom();
		n->n = yn->data.scalar.length;
		break;
	case YAML_SEQUENCE_NODE: {
		n->kind = Y_SEQ;
		size_t k = (size_t)(yn->data.sequence.items.top - yn->data.sequence.items.start);
		if (k) {
			n->kids = mm_arena_alloc(c->a, k * sizeof(*n->kids));
			if (!n->kids)
				mm_oom();
		}
		for (size_t j = 0; j < k; j++) {
			n->kids[j] = conv_node(c, yn->data.sequence.items.start[j], depth + 1);
			if (!n->kids[j])
				return NULL;
		}
		n->nkids = k;
		break;
	}
	case YAML_MAPPING_NODE: {
		n->kind = Y_MAP;
		size_t k = (size_t)(yn->data.mapping.pairs.top - yn->data.mapping.pairs.start);
		if (k) {
			n->kids = mm_arena_alloc(c->a, 2 * k * sizeof(*n->kids));
			if (!n->kids)
				mm_oom();
		}
		for (size_t j = 0; j < k; j++) {
			yaml_node_pair_t *pr = &yn->data.mapping.pairs.start[j];
			n->kids[2 * j] = conv_node(c, pr->key, depth + 1);
			if (!n->kids[2 * j])
				return NULL;
			n->kids[2 * j + 1] = conv_node(c, pr->value, depth + 1);
			if (!n->kids[2 * j + 1])
				return NULL;
		}
		n->nkids = 2 * k;
		break;
	}
	default:
		c->fail = "empty YAML node";
		return NULL;
	}
	c->busy[i] = 0;
	c->memo[i] = n;
	return n;
}

size_t mm__yaml_parse(struct mm_arena *a, const char *data, size_t len, struct ynode ***docs,
                      struct ydoc_err *err)
{
	yaml_parser_t parser;
	size_t ndocs = 0, cap = 0;
	struct ynode **out = NULL;
	size_t budget = 0;

	memset(err, 0, sizeof(*err));
	*docs = NULL;
	if (!yaml_parser_initialize(&parser))
		mm_oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	for (;;) {
		yaml_document_t doc;
		if (!yaml_parser_load(&parser, &doc)) {
			err->failed = true;
			err->line = (unsigned)parser.problem_mark.line + 1;
			err->col = (unsigned)parser.problem_mark.column + 1;
			snprintf(err->msg, sizeof(err->msg), "%s%s%s",
			         parser.problem ? parser.problem : "YAML error",
			         parser.context ? " " : "", parser.context ? parser.context : "");
			break;
		}
		yaml_node_t *root = yaml_document_get_root_node(&doc);
		if (!root) { /* end of stream */
			yaml_document_delete(&doc);
			break;
		}
		size_t nn = (size_t)(doc.nodes.top - doc.nodes.start);
		struct conv c = {a, &doc, mm_calloc(nn, sizeof(struct ynode *)), mm_calloc(nn, 1), nn,
		                 budget, NULL};
		struct ynode *r = conv_node(&c, 1, 0);
		budget = c.budget;
		free(c.memo);
		free(c.busy);
		if (!r) {
			err->failed = true;
			err->line = (unsigned)root->start_mark.line + 1;
			err->col = (unsigned)root->start_mark.column + 1;
			snprintf(err->msg, sizeof(err->msg), "%s", c.fail ? c.fail : "YAML error");
			yaml_document_delete(&doc);
			break;
		}
		if (ndocs == cap) {
			cap = cap ? cap * 2 : 8;
			out = mm_realloc(out, cap * sizeof(*out));
		}
		out[ndocs++] = r;
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	if (ndocs) {
		*docs = mm_arena_alloc(a, ndocs * sizeof(**docs));
		if (!*docs)
			mm_oom();
		memcpy(*docs, out, ndocs * sizeof(**docs));
	}
	free(out);
	return ndocs;
}

struct ynode *mm__y_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != Y_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->nkids; i += 2)
		if (map->kids[i]->kind == Y_SCALAR && strcmp(map->kids[i]->s, key) == 0)
			return map->kids[i + 1];
	return NULL;
}

/* YAML 1.1/1.2 core schema null: "null", "Null", "NULL", "~" or nothing,
 * only when unquoted. */
bool mm__y_is_null(const struct ynode *n)
{
	if (!n || n->kind != Y_SCALAR || !n->plain)
		return false;
	return n->n == 0 || strcmp(n->s, "~") == 0 || strcmp(n->s, "null") == 0 ||
	       strcmp(n->s, "Null") == 0 || strcmp(n->s, "NULL") == 0;
}

bool mm__y_is_str(const struct ynode *n)
{
	return n && n->kind == Y_SCALAR && !mm__y_is_null(n);
}

const char *mm__y_str(const struct ynode *n)
{
	return mm__y_is_str(n) ? n->s : NULL;
}

struct ynode *mm__y_merge(struct mm_arena *a, const struct ynode *base, const struct ynode *over,
                          unsigned depth)
{
	if (!base)
		return (struct ynode *)over;
	if (!over)
		return (struct ynode *)base;
	if (base->kind != Y_MAP || over->kind != Y_MAP || depth > Y_MAX_DEPTH)
		return (struct ynode *)over;
	struct ynode *m = mm_arena_alloc(a, sizeof(*m));
	if (!m)
		mm_oom();
	*m = *over;
	size_t cap = base->nkids + over->nkids;
	m->kids = cap ? mm_arena_alloc(a, cap * sizeof(*m->kids)) : NULL;
	if (cap && !m->kids)
		mm_oom();
	size_t k = 0;
	for (size_t i = 0; i + 1 < base->nkids; i += 2) {
		const struct ynode *key = base->kids[i];
		const struct ynode *ov = key->kind == Y_SCALAR ? mm__y_get(over, key->s) : NULL;
		m->kids[k++] = base->kids[i];
		m->kids[k++] = ov ? mm__y_merge(a, base->kids[i + 1], ov, depth + 1) : base->kids[i + 1];
	}
	for (size_t i = 0; i + 1 < over->nkids; i += 2) {
		const struct ynode *key = over->kids[i];
		if (key->kind == Y_SCALAR && mm__y_get(base, key->s))
			continue;
		m->kids[k++] = over->kids[i];
		m->kids[k++] = over->kids[i + 1];
	}
	m->nkids = k;
	return m;
}
