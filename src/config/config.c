/* mamori — mamori.yaml access through libyaml's document (node graph) API.
 * Paths are dotted mapping keys; every lookup walks from the root. Config is
 * read once at start-up, so simplicity beats speed here. */
#include "mamori/config.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct mm_config {
	yaml_document_t doc;
	bool loaded;
	char *name;
};

static int parse(struct mm_config *c, yaml_parser_t *p, struct mm_error *err)
{
	if (!yaml_parser_load(p, &c->doc)) {
		return mm_error_set(err, MM_EPARSE, c->name, (unsigned)p->problem_mark.line + 1,
		                    (unsigned)p->problem_mark.column + 1, "YAML error: %s%s%s",
		                    p->problem ? p->problem : "syntax error",
		                    p->context ? " " : "", p->context ? p->context : "");
	}
	c->loaded = true;
	yaml_node_t *root = yaml_document_get_root_node(&c->doc);
	if (root && root->type != YAML_MAPPING_NODE)
		return mm_error_set(err, MM_EPARSE, c->name, (unsigned)root->start_mark.line + 1,
		                    (unsigned)root->start_mark.column + 1,
		                    "the configuration must be a mapping of sections (scan:, …)");
	return MM_OK;
}

int mm_config_load_buffer(struct mm_config **out, const char *name, const char *data, size_t len,
                          struct mm_error *err)
{
	struct mm_config *c = mm_calloc(1, sizeof(*c));
	c->name = mm_strdup(name);
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		mm_oom();
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	int rc = parse(c, &p, err);
	yaml_parser_delete(&p);
	if (rc) {
		mm_config_free(c);
		return rc;
	}
	*out = c;
	return MM_OK;
}

int mm_config_load(struct mm_config **out, const char *path, struct mm_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return mm_error_set(err, MM_ENOENT, path, 0, 0, "cannot open configuration file");
	struct mm_config *c = mm_calloc(1, sizeof(*c));
	c->name = mm_strdup(path);
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		mm_oom();
	yaml_parser_set_input_file(&p, f);
	int rc = parse(c, &p, err);
	yaml_parser_delete(&p);
	fclose(f);
	if (rc) {
		mm_config_free(c);
		return rc;
	}
	*out = c;
	return MM_OK;
}

void mm_config_free(struct mm_config *c)
{
	if (!c)
		return;
	if (c->loaded)
		yaml_document_delete(&c->doc);
	free(c->name);
	free(c);
}

static yaml_node_t *lookup(const struct mm_config *c, const char *path)
{
	yaml_document_t *d = (yaml_document_t *)&c->doc;
	yaml_node_t *n = yaml_document_get_root_node(d);
	const char *p = path;
	while (n && *p) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		yaml_node_t *next = NULL;
		if (n->type == YAML_SEQUENCE_NODE) {
			/* numeric component: sequence index */
			int64_t idx;
			if (mm_slice_to_i64(mm_slice(p, len), &idx) || idx < 0 ||
			    idx >= n->data.sequence.items.top - n->data.sequence.items.start)
				return NULL;
			n = yaml_document_get_node(d, n->data.sequence.items.start[idx]);
			p = dot ? dot + 1 : p + len;
			continue;
		}
		if (n->type != YAML_MAPPING_NODE)
			return NULL;
		for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
		     pr < n->data.mapping.pairs.top; pr++) {
			yaml_node_t *k = yaml_document_get_node(d, pr->key);
			if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == len &&
			    !memcmp(k->data.scalar.value, p, len)) {
				next = yaml_document_get_node(d, pr->value);
				break;
			}
		}
		n = next;
		p = dot ? dot + 1 : p + len;
	}
	return n;
}

static bool is_null(const yaml_node_t *n)
{
	const char *v = (const char *)n->data.scalar.value;
	return n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!strcmp(v, "") || !strcmp(v, "~") || !strcmp(v, "null"));
}

const char *mm_config_str(const struct mm_config *c, const char *path)
{
	yaml_node_t *n = lookup(c, path);
	if (!n || n->type != YAML_SCALAR_NODE || is_null(n))
		return NULL;
	return (const char *)n->data.scalar.value;
}

int mm_config_int(const struct mm_config *c, const char *path, int64_t *out,
                  struct mm_error *err)
{
	yaml_node_t *n = lookup(c, path);
	if (!n || (n->type == YAML_SCALAR_NODE && is_null(n)))
		return MM_ENOENT;
	if (n->type != YAML_SCALAR_NODE ||
	    mm_slice_to_i64(mm_slice((const char *)n->data.scalar.value, n->data.scalar.length),
	                    out))
		return mm_error_set(err, MM_EINVAL, c->name, (unsigned)n->start_mark.line + 1,
		                    (unsigned)n->start_mark.column + 1, "%s must be an integer", path);
	return MM_OK;
}

size_t mm_config_list(const struct mm_config *c, const char *path, const char **items, size_t max)
{
	yaml_node_t *n = lookup(c, path);
	if (!n)
		return 0;
	if (n->type == YAML_SCALAR_NODE) {
		if (is_null(n))
			return 0;
		if (max)
			items[0] = (const char *)n->data.scalar.value;
		return 1;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return 0;
	size_t k = 0;
	yaml_document_t *d = (yaml_document_t *)&c->doc;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *v = yaml_document_get_node(d, *it);
		if (!v || v->type != YAML_SCALAR_NODE)
			continue;
		if (k < max)
			items[k] = (const char *)v->data.scalar.value;
		k++;
	}
	return k;
}

int mm_config_check_keys(const struct mm_config *c, const char *path,
                         const char *const *allowed, struct mm_error *err)
{
	yaml_node_t *n = path && *path ? lookup(c, path) : yaml_document_get_root_node(
	                                                       (yaml_document_t *)&c->doc);
	if (!n)
		return MM_OK;
	if (n->type != YAML_MAPPING_NODE)
		return mm_error_set(err, MM_EINVAL, c->name, (unsigned)n->start_mark.line + 1,
		                    (unsigned)n->start_mark.column + 1, "%s must be a mapping",
		                    path && *path ? path : "the document");
	yaml_document_t *d = (yaml_document_t *)&c->doc;
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	     pr++) {
		yaml_node_t *k = yaml_document_get_node(d, pr->key);
		if (!k || k->type != YAML_SCALAR_NODE)
			continue;
		bool ok = false;
		for (const char *const *a = allowed; *a; a++)
			if (!strcmp(*a, (const char *)k->data.scalar.value))
				ok = true;
		if (!ok) {
			char list[512] = "";
			size_t used = 0;
			for (const char *const *a = allowed; *a && used < sizeof(list) - 1; a++)
				used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
				                         a == allowed ? "" : ", ", *a);
			return mm_error_set(err, MM_EINVAL, c->name, (unsigned)k->start_mark.line + 1,
			                    (unsigned)k->start_mark.column + 1,
			                    "unknown key '%s'%s%s (known: %s)",
			                    (const char *)k->data.scalar.value, path && *path ? " in " : "",
			                    path && *path ? path : "", list);
		}
	}
	return MM_OK;
}

size_t mm_config_count(const struct mm_config *c, const char *path)
{
	yaml_node_t *n = lookup(c, path);
	if (!n)
		return 0;
	if (n->type == YAML_SEQUENCE_NODE)
		return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (n->type == YAML_MAPPING_NODE)
		return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	return is_null(n) ? 0 : 1;
}

size_t mm_config_keys(const struct mm_config *c, const char *path, const char **keys, size_t max)
{
	yaml_node_t *n = lookup(c, path);
	if (!n || n->type != YAML_MAPPING_NODE)
		return 0;
	yaml_document_t *d = (yaml_document_t *)&c->doc;
	size_t k = 0;
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	     pr++) {
		yaml_node_t *key = yaml_document_get_node(d, pr->key);
		if (!key || key->type != YAML_SCALAR_NODE)
			continue;
		if (k < max)
			keys[k] = (const char *)key->data.scalar.value;
		k++;
	}
	return k;
}
