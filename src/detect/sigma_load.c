/* mamori — Sigma rule loading: files, directories and buffers of YAML
 * documents become srule records with a status each (loaded / filter /
 * unsupported / invalid), before compilation (sigma_compile.c).
 * Handles the Sigma v1 rule collections (`action: global|reset|repeat`), the
 * Sigma Filters specification (`filter:` documents), Sigma correlation
 * documents (compiled by corr_compile.c), duplicate ids and the rule metadata. */
#include "detect_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MM_RULE_FILE_MAX (16u << 20) /* a rule file above 16 MiB is refused */
#define MM_DIR_MAX_FILES 100000
#define MM_DIR_MAX_DEPTH 32

const char *mm_rule_state_name(enum mm_rule_state s)
{
	switch (s) {
	case MM_RULE_LOADED:
		return "loaded";
	case MM_RULE_FILTER:
		return "filter";
	case MM_RULE_UNSUPPORTED:
		return "unsupported";
	case MM_RULE_INVALID:
		return "invalid";
	}
	return "?";
}

struct mm_ruleset *mm_ruleset_new(bool builtin_pipeline)
{
	struct mm_ruleset *rs = mm_calloc(1, sizeof(*rs));
	rs->arena = mm_arena_new(256 * 1024, 0);
	rs->ids = mm_map_new(false);
	rs->xslots = mm_map_new(false);
	if (builtin_pipeline) {
		for (size_t i = 0; i < mm_embedded_pipelines_count; i++) {
			const struct mm_embedded_file *f = &mm_embedded_pipelines[i];
			struct mm_error err;
			char *name = mm__rs_printf(rs, "builtin:%s", f->path);
			if (mm_ruleset_add_pipeline_buffer(rs, name, f->data, f->len, &err) != MM_OK) {
				/* the embedded pipelines are tested in CTest; this cannot
				 * happen in a released build */
				char buf[1200];
				mm_error_format(&err, buf, sizeof(buf));
				mm_log(MM_LOG_ERROR, "built-in pipeline: %s", buf);
			}
		}
	}
	return rs;
}

void mm_ruleset_free(struct mm_ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->nregexes; i++)
		pcre2_code_free(rs->regexes[i]);
	free(rs->regexes);
	mm__prefilter_free(&rs->pf);
	mm__corr_free(rs);
	mm_map_free(rs->ids);
	mm_map_free(rs->xslots);
	free(rs->st);
	free(rs->docs);
	free(rs->rules);
	mm_arena_free(rs->arena);
	free(rs);
}

char *mm__rs_strdup(struct mm_ruleset *rs, const char *s)
{
	if (!s)
		return NULL;
	char *p = mm_arena_strndup(rs->arena, s, strlen(s));
	if (!p)
		mm_oom();
	return p;
}

char *mm__rs_printf(struct mm_ruleset *rs, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return mm__rs_strdup(rs, buf);
}

struct srule *mm__ruleset_new_doc(struct mm_ruleset *rs, const char *path, unsigned doc)
{
	if (rs->nst == rs->capst) {
		rs->capst = rs->capst ? rs->capst * 2 : 256;
		rs->st = mm_realloc(rs->st, rs->capst * sizeof(*rs->st));
	}
	if (rs->ndocs == rs->capdocs) {
		rs->capdocs = rs->capdocs ? rs->capdocs * 2 : 256;
		rs->docs = mm_realloc(rs->docs, rs->capdocs * sizeof(*rs->docs));
	}
	struct srule *r = mm_arena_alloc(rs->arena, sizeof(*r));
	if (!r)
		mm_oom();
	memset(r, 0, sizeof(*r));
	r->kind = SR_OTHER;
	r->status = rs->nst;
	struct mm_rule_status *st = &rs->st[rs->nst++];
	memset(st, 0, sizeof(*st));
	st->path = path;
	st->doc = doc;
	st->state = MM_RULE_LOADED;
	r->info.path = path;
	rs->docs[rs->ndocs++] = r;
	return r;
}

void mm__rule_set_state(struct mm_ruleset *rs, struct srule *r, enum mm_rule_state state,
                        const char *fmt, ...)
{
	struct mm_rule_status *st = &rs->st[r->status];
	/* the first problem found is the one reported */
	if (st->state == MM_RULE_UNSUPPORTED || st->state == MM_RULE_INVALID)
		return;
	st->state = state;
	if (fmt) {
		char buf[1024];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		st->reason = mm__rs_strdup(rs, buf);
	} else {
		st->reason = NULL;
	}
}

static bool failed(const struct mm_ruleset *rs, const struct srule *r)
{
	enum mm_rule_state s = rs->st[r->status].state;
	return s == MM_RULE_INVALID || s == MM_RULE_UNSUPPORTED;
}

/* Sigma "level" → 0..4 (informational … critical). */
static int level_severity(const char *lvl)
{
	static const char *const names[] = {"informational", "low", "medium", "high", "critical"};
	for (int i = 0; i < 5; i++)
		if (strcasecmp(lvl, names[i]) == 0)
			return i;
	return -1;
}

static const char *meta_str(struct mm_ruleset *rs, struct srule *r, const char *key, bool *bad)
{
	struct ynode *n = mm__y_get(r->doc, key);
	if (!n || mm__y_is_null(n))
		return NULL;
	if (n->kind != Y_SCALAR) {
		mm__rule_set_state(rs, r, MM_RULE_INVALID, "'%s' must be a string (line %u)", key,
		                   n->line);
		*bad = true;
		return NULL;
	}
	return n->s;
}

static void read_logsource(struct mm_ruleset *rs, struct srule *r, bool *bad)
{
	struct ynode *ls = mm__y_get(r->doc, "logsource");
	if (!ls || mm__y_is_null(ls))
		return;
	if (ls->kind != Y_MAP) {
		mm__rule_set_state(rs, r, MM_RULE_INVALID, "'logsource' must be a map (line %u)",
		                   ls->line);
		*bad = true;
		return;
	}
	const char *keys[3] = {"product", "category", "service"};
	const char **dst[3] = {&r->ls.product, &r->ls.category, &r->ls.service};
	for (int i = 0; i < 3; i++) {
		struct ynode *v = mm__y_get(ls, keys[i]);
		if (!v || mm__y_is_null(v))
			continue;
		if (v->kind != Y_SCALAR) {
			mm__rule_set_state(rs, r, MM_RULE_INVALID,
			                   "logsource '%s' must be a string (line %u)", keys[i], v->line);
			*bad = true;
			return;
		}
		*dst[i] = v->s;
	}
}

static void read_meta(struct mm_ruleset *rs, struct srule *r, const char *path, unsigned docno)
{
	bool bad = false;
	struct mm_rule_status *st = &rs->st[r->status];
	r->info.title = meta_str(rs, r, "title", &bad);
	r->info.id = meta_str(rs, r, "id", &bad);
	r->info.name = meta_str(rs, r, "name", &bad);
	r->info.status = meta_str(rs, r, "status", &bad);
	r->info.description = meta_str(rs, r, "description", &bad);
	r->info.level = meta_str(rs, r, "level", &bad);
	st->title = r->info.title;
	if (!r->info.id) {
		r->gen_id = true;
		r->info.id = mm__rs_printf(rs, "%s#%u", path, docno);
	} else if (r->id_inherited && docno > 0) {
		/* a collection's documents share the global document's id: keep it
		 * for the first, make the others unique and traceable */
		struct srule *first = mm_map_get(rs->ids, r->info.id, strlen(r->info.id));
		if (first && first->info.path == path)
			r->info.id = mm__rs_printf(rs, "%s#%u", r->info.id, docno);
	}
	st->id = r->info.id;
	read_logsource(rs, r, &bad);
	r->info.product = r->ls.product;
	r->info.category = r->ls.category;
	r->info.service = r->ls.service;
	r->info.severity = 2;
	if (r->info.level) {
		int sev = level_severity(r->info.level);
		if (sev < 0 && !bad) {
			mm__rule_set_state(rs, r, MM_RULE_INVALID,
			                   "unknown level '%s' (use informational, low, medium, high or "
			                   "critical)",
			                   r->info.level);
			bad = true;
		}
		r->info.severity = sev < 0 ? 2 : sev;
	} else {
		r->info.level = "medium";
	}
	struct ynode *tags = mm__y_get(r->doc, "tags");
	if (tags && tags->kind == Y_SEQ && tags->nkids) {
		const char **t = mm_arena_alloc(rs->arena, tags->nkids * sizeof(*t));
		if (!t)
			mm_oom();
		size_t k = 0;
		for (size_t i = 0; i < tags->nkids; i++)
			if (mm__y_is_str(tags->kids[i]))
				t[k++] = tags->kids[i]->s;
		r->info.tags = t;
		r->info.ntags = k;
	}
	if (bad)
		return;
	if (!r->info.title && r->kind != SR_OTHER)
		mm__rule_set_state(rs, r, MM_RULE_INVALID, "missing 'title'");
}

/* Register the id; a later duplicate is invalid (the first one wins, so the
 * outcome does not depend on which file is fixed). */
static void check_id(struct mm_ruleset *rs, struct srule *r)
{
	if (failed(rs, r) || r->gen_id)
		return;
	const char *id = r->info.id;
	struct srule *first = mm_map_get(rs->ids, id, strlen(id));
	if (first) {
		mm__rule_set_state(rs, r, MM_RULE_INVALID,
		                   "duplicate id %s (first defined in %s, document %u)", id,
		                   first->info.path, rs->st[first->status].doc);
		return;
	}
	mm_map_put(rs->ids, id, strlen(id), r);
}

static void load_doc(struct mm_ruleset *rs, const char *path, unsigned docno, struct ynode *doc,
                     bool id_inherited)
{
	struct srule *r = mm__ruleset_new_doc(rs, path, docno);
	r->doc = doc;
	r->id_inherited = id_inherited;
	if (doc->kind != Y_MAP) {
		mm__rule_set_state(rs, r, MM_RULE_INVALID,
		                   "document is not a YAML map (line %u col %u)", doc->line, doc->col);
		return;
	}
	struct ynode *corr = mm__y_get(doc, "correlation");
	struct ynode *filt = mm__y_get(doc, "filter");
	if (corr) {
		r->kind = SR_CORR;
		read_meta(rs, r, path, docno);
		if (failed(rs, r))
			return;
		check_id(rs, r);
		if (failed(rs, r))
			return;
		if (corr->kind != Y_MAP) {
			mm__rule_set_state(rs, r, MM_RULE_INVALID,
			                   "'correlation' must be a map (line %u)", corr->line);
			return;
		}
		r->corr_node = corr;
		return;
	}
	if (filt && !mm__y_get(doc, "detection")) {
		r->kind = SR_FILTER;
		read_meta(rs, r, path, docno);
		if (failed(rs, r))
			return;
		check_id(rs, r);
		if (failed(rs, r))
			return;
		if (filt->kind != Y_MAP) {
			mm__rule_set_state(rs, r, MM_RULE_INVALID, "'filter' must be a map (line %u)",
			                   filt->line);
			return;
		}
		struct ynode *rules = mm__y_get(filt, "rules");
		if (!rules || mm__y_is_null(rules)) {
			mm__rule_set_state(rs, r, MM_RULE_INVALID,
			                   "filter has no 'rules' (list the rule ids or names, or 'any')");
			return;
		}
		if (rules->kind == Y_SCALAR && strcmp(rules->s, "any") == 0)
			r->filter_any = true;
		else if (rules->kind == Y_SCALAR || rules->kind == Y_SEQ)
			r->filter_rules = rules;
		else {
			mm__rule_set_state(rs, r, MM_RULE_INVALID,
			                   "filter 'rules' must be a list of ids/names or 'any'");
			return;
		}
		if (!mm__y_get(filt, "condition")) {
			mm__rule_set_state(rs, r, MM_RULE_INVALID, "filter has no 'condition'");
			return;
		}
		r->detection = filt;
		mm__rule_set_state(rs, r, MM_RULE_FILTER, NULL);
		return;
	}
	r->kind = SR_RULE;
	read_meta(rs, r, path, docno);
	if (failed(rs, r))
		return;
	check_id(rs, r);
	if (failed(rs, r))
		return;
	struct ynode *det = mm__y_get(doc, "detection");
	if (!det || mm__y_is_null(det)) {
		mm__rule_set_state(rs, r, MM_RULE_INVALID, "missing 'detection'");
		return;
	}
	if (det->kind != Y_MAP) {
		mm__rule_set_state(rs, r, MM_RULE_INVALID, "'detection' must be a map (line %u)",
		                   det->line);
		return;
	}
	struct ynode *cond = mm__y_get(det, "condition");
	if (!cond || mm__y_is_null(cond)) {
		mm__rule_set_state(rs, r, MM_RULE_INVALID, "detection has no 'condition'");
		return;
	}
	r->detection = det;
}

/* Sigma v1 rule collections: `action: global` documents are merged into every
 * following document, `reset` forgets them, `repeat` re-uses the previous
 * document with changes. */
static int load_text(struct mm_ruleset *rs, const char *path, const char *data, size_t len)
{
	struct ynode **docs = NULL;
	struct ydoc_err yerr;
	size_t n = mm__yaml_parse(rs->arena, data, len, &docs, &yerr);
	struct ynode *global = NULL, *prev = NULL;
	bool global_used = true, prev_inh = false;
	unsigned global_doc = 0;

	for (size_t i = 0; i < n; i++) {
		struct ynode *d = docs[i];
		struct ynode *act = mm__y_get(d, "action");
		const char *a = mm__y_str(act);
		if (act) {
			if (a && strcmp(a, "global") == 0) {
				global = mm__y_merge(rs->arena, NULL, d, 0);
				global_used = false;
				global_doc = (unsigned)i;
				continue;
			}
			if (a && strcmp(a, "reset") == 0) {
				global = NULL;
				global_used = true;
				continue;
			}
			if (a && strcmp(a, "repeat") == 0) {
				if (!prev) {
					struct srule *r = mm__ruleset_new_doc(rs, path, (unsigned)i);
					mm__rule_set_state(rs, r, MM_RULE_INVALID,
					                   "'action: repeat' without a previous rule document");
					continue;
				}
				struct ynode *m = mm__y_merge(rs->arena, prev, d, 0);
				bool inh = prev_inh || (mm__y_get(prev, "id") && !mm__y_get(d, "id"));
				load_doc(rs, path, (unsigned)i, m, inh);
				prev = m;
				prev_inh = inh;
				continue;
			}
			struct srule *r = mm__ruleset_new_doc(rs, path, (unsigned)i);
			mm__rule_set_state(rs, r, MM_RULE_INVALID,
			                   "unknown collection action '%s' (Sigma knows global, reset, "
			                   "repeat)",
			                   a ? a : "?");
			continue;
		}
		struct ynode *m = global ? mm__y_merge(rs->arena, global, d, 0) : d;
		bool inh = global && mm__y_get(global, "id") && !mm__y_get(d, "id");
		global_used = true;
		load_doc(rs, path, (unsigned)i, m, inh);
		prev = m;
		prev_inh = inh;
	}
	if (!global_used) {
		struct srule *r = mm__ruleset_new_doc(rs, path, global_doc);
		mm__rule_set_state(rs, r, MM_RULE_INVALID,
		                   "'action: global' document not followed by any rule document");
	}
	if (yerr.failed) {
		struct srule *r = mm__ruleset_new_doc(rs, path, (unsigned)n);
		mm__rule_set_state(rs, r, MM_RULE_INVALID, "YAML syntax error at line %u col %u: %s",
		                   yerr.line, yerr.col, yerr.msg);
	} else if (n == 0) {
		struct srule *r = mm__ruleset_new_doc(rs, path, 0);
		mm__rule_set_state(rs, r, MM_RULE_INVALID, "empty file (no YAML document)");
	}
	return MM_OK;
}

int mm_ruleset_add_buffer(struct mm_ruleset *rs, const char *name, const char *data, size_t len,
                          struct mm_error *err)
{
	if (rs->compiled)
		return mm_error_set(err, MM_EINVAL, name, 0, 0,
		                    "rules must be added before mm_ruleset_compile()");
	return load_text(rs, mm__rs_strdup(rs, name ? name : "<buffer>"), data, len);
}

static int read_file(const char *path, char **out, size_t *outn, struct mm_error *err)
{
	int rc = MM_OK;
	char *buf = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return mm_error_set(err, MM_EIO, path, 0, 0, "cannot open rule file: %s",
		                    strerror(errno));
	size_t cap = 4096, n = 0, r;
	buf = mm_malloc(cap + 1);
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			if (cap >= MM_RULE_FILE_MAX) {
				rc = mm_error_set(err, MM_ELIMIT, path, 0, 0,
				                  "file larger than %u bytes; is this really a rule file?",
				                  MM_RULE_FILE_MAX);
				goto out;
			}
			cap *= 2;
			buf = mm_realloc(buf, cap + 1);
		}
	}
	if (ferror(f)) {
		rc = mm_error_set(err, MM_EIO, path, 0, 0, "read error: %s", strerror(errno));
		goto out;
	}
	buf[n] = '\0';
	*out = buf;
	*outn = n;
	buf = NULL;
out:
	free(buf);
	fclose(f);
	return rc;
}

static bool yaml_name(const char *name)
{
	size_t n = strlen(name);
	return (n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
	       (n > 5 && strcmp(name + n - 5, ".yaml") == 0);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_dir(struct mm_ruleset *rs, const char *path, unsigned depth, size_t *nfiles,
                   struct mm_error *err);

static int add_file(struct mm_ruleset *rs, const char *path, struct mm_error *err)
{
	char *data = NULL;
	size_t n = 0;
	int rc = read_file(path, &data, &n, err);
	if (rc)
		return rc;
	rc = load_text(rs, mm__rs_strdup(rs, path), data, n);
	free(data);
	return rc;
}

static int add_dir(struct mm_ruleset *rs, const char *path, unsigned depth, size_t *nfiles,
                   struct mm_error *err)
{
	int rc = MM_OK;
	char **names = NULL;
	size_t n = 0, cap = 0;
	DIR *d = NULL;

	if (depth > MM_DIR_MAX_DEPTH)
		return mm_error_set(err, MM_ELIMIT, path, 0, 0,
		                    "rule directories nested deeper than %d levels", MM_DIR_MAX_DEPTH);
	d = opendir(path);
	if (!d)
		return mm_error_set(err, MM_EIO, path, 0, 0, "cannot open rule directory: %s",
		                    strerror(errno));
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = mm_realloc(names, cap * sizeof(*names));
		}
		size_t len = strlen(path) + strlen(e->d_name) + 2;
		names[n] = mm_malloc(len);
		snprintf(names[n], len, "%s/%s", path, e->d_name);
		n++;
	}
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n && rc == MM_OK; i++) {
		struct stat sb;
		if (stat(names[i], &sb) != 0)
			continue; /* dangling symlink: nothing to load */
		if (S_ISDIR(sb.st_mode)) {
			rc = add_dir(rs, names[i], depth + 1, nfiles, err);
		} else if (S_ISREG(sb.st_mode) && yaml_name(names[i])) {
			if (++*nfiles > MM_DIR_MAX_FILES) {
				rc = mm_error_set(err, MM_ELIMIT, path, 0, 0,
				                  "more than %d rule files", MM_DIR_MAX_FILES);
				break;
			}
			rc = add_file(rs, names[i], err);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

int mm_ruleset_add_path(struct mm_ruleset *rs, const char *path, struct mm_error *err)
{
	struct stat sb;
	if (rs->compiled)
		return mm_error_set(err, MM_EINVAL, path, 0, 0,
		                    "rules must be added before mm_ruleset_compile()");
	if (stat(path, &sb) != 0)
		return mm_error_set(err, MM_ENOENT, path, 0, 0, "cannot read rules: %s",
		                    strerror(errno));
	if (S_ISDIR(sb.st_mode)) {
		size_t nfiles = 0;
		return add_dir(rs, path, 0, &nfiles, err);
	}
	return add_file(rs, path, err);
}

size_t mm_ruleset_status_count(const struct mm_ruleset *rs)
{
	return rs->nst;
}

const struct mm_rule_status *mm_ruleset_status_at(const struct mm_ruleset *rs, size_t i)
{
	return i < rs->nst ? &rs->st[i] : NULL;
}

size_t mm_ruleset_rule_count(const struct mm_ruleset *rs)
{
	return rs->nrules;
}

const struct mm_rule_info *mm_ruleset_rule_at(const struct mm_ruleset *rs, size_t i)
{
	return i < rs->nrules ? &rs->rules[i]->info : NULL;
}

size_t mm_ruleset_corr_count(const struct mm_ruleset *rs)
{
	return rs->ncorrs;
}

const struct mm_rule_info *mm_ruleset_corr_at(const struct mm_ruleset *rs, size_t i)
{
	return i < rs->ncorrs ? &rs->corrs[i]->info : NULL;
}

const struct mm_rule_info *mm_ruleset_rule_find(const struct mm_ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct mm_rule_info *in = &rs->rules[i]->info;
		if ((in->id && strcmp(in->id, id) == 0) || (in->name && strcmp(in->name, id) == 0))
			return in;
	}
	for (size_t i = 0; i < rs->ncorrs; i++) {
		const struct mm_rule_info *in = &rs->corrs[i]->info;
		if ((in->id && strcmp(in->id, id) == 0) || (in->name && strcmp(in->name, id) == 0))
			return in;
	}
	return NULL;
}
