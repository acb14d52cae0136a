/* mamori — advisories: the parsed-advisory helpers the format parsers share,
 * format detection by document shape (OSV, NVD CVE API 2.0, CVE JSON 5.x),
 * and the indexer that stores them in SQLite (vuln_sources, vuln_advisories,
 * vuln_affected keyed by package identity) so repeated runs only re-read
 * files that changed. */
#include "vuln_int.h"

#include "mamori/input.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#define MM_ADV_MAX_AFFECTED 20000        /* per advisory */
#define MM_ADV_MAX_LIST ((size_t)1 << 20) /* bytes of events / versions per entry */
#define MM_ADV_MAX_FILE ((size_t)512 << 20)

void mm__adv_init(struct mm_vuln_adv *a, const char *format, struct mm_vuln_stats *st)
{
	memset(a, 0, sizeof(*a));
	a->format = format;
	a->score = -1;
	a->st = st;
	mm_buf_init(&a->aliases, 64 * 1024);
}

void mm__adv_free(struct mm_vuln_adv *a)
{
	free(a->id);
	free(a->summary);
	free(a->modified);
	free(a->vector);
	free(a->severity);
	mm_buf_free(&a->aliases);
	for (size_t i = 0; i < a->naff; i++) {
		mm_buf_free(&a->aff[i].events);
		mm_buf_free(&a->aff[i].versions);
	}
	free(a->aff);
	memset(a, 0, sizeof(*a));
}

void mm__adv_alias(struct mm_vuln_adv *a, const char *alias)
{
	if (!alias || !*alias || strchr(alias, ' ') || (a->id && !strcmp(a->id, alias)))
		return;
	if (a->aliases.n)
		mm_buf_putc(&a->aliases, ' ');
	mm_buf_puts(&a->aliases, alias);
}

void mm__adv_vector(struct mm_vuln_adv *a, const char *vector, double given)
{
	double s = -1;
	if (vector && mm_cvss3_base_score(vector, &s) != MM_OK)
		s = -1;
	if (s < 0 && given >= 0)
		s = given;
	if (s > a->score) {
		a->score = s;
		free(a->vector);
		a->vector = vector ? mm_strdup(vector) : NULL;
	}
}

struct mm__aff *mm__adv_aff(struct mm_vuln_adv *a, const char *key, enum mm_vscheme scheme)
{
	if (a->naff >= MM_ADV_MAX_AFFECTED) {
		if (a->st)
			a->st->entries_bad++;
		return NULL;
	}
	if (a->naff == a->capaff) {
		a->capaff = a->capaff ? a->capaff * 2 : 8;
		a->aff = mm_realloc(a->aff, a->capaff * sizeof(*a->aff));
	}
	struct mm__aff *f = &a->aff[a->naff++];
	memset(f, 0, sizeof(*f));
	snprintf(f->key, sizeof(f->key), "%s", key);
	f->scheme = scheme;
	mm_buf_init(&f->events, MM_ADV_MAX_LIST);
	mm_buf_init(&f->versions, MM_ADV_MAX_LIST);
	return f;
}

void mm__aff_event(struct mm__aff *f, char type, const char *version)
{
	if (!version || !*version || strchr(version, '\n'))
		return;
	mm_buf_printf(&f->events, "%c %s\n", type, version);
}

void mm__aff_version(struct mm__aff *f, const char *version)
{
	if (!version || !*version || strchr(version, '\n'))
		return;
	mm_buf_printf(&f->versions, "%s\n", version);
}

int mm_vuln_parse_advisories(const char *data, size_t n, mm_vuln_adv_cb cb, void *ctx,
                             struct mm_vuln_stats *st)
{
	struct mm_json_doc *d = NULL;
	struct mm_json_limits lim = {.max_depth = 64, .max_mem = (size_t)1 << 30};
	if (mm_json_parse(&d, data, n, &lim, NULL))
		return MM_EPARSE;
	const struct mm_json *r = mm_json_root(d);
	int rc = MM_OK;
	const struct mm_json *vulns = mm_json_get(r, "vulnerabilities");
	if (mm_json_get(r, "cveMetadata") || mm_json_get(r, "dataType")) {
		rc = mm__cve5_parse(r, cb, ctx, st);
	} else if (vulns && vulns->type == MM_JSON_ARRAY) { /* NVD CVE API 2.0 response */
		for (size_t i = 0; i < vulns->n && !rc; i++) {
			const struct mm_json *cve = mm_json_get(mm_json_at(vulns, i), "cve");
			if (!cve) {
				st->entries_bad++;
				continue;
			}
			rc = mm__nvd_parse(cve, cb, ctx, st);
		}
	} else if (mm_json_get(r, "cve") && mm_json_get(mm_json_get(r, "cve"), "id")) {
		rc = mm__nvd_parse(mm_json_get(r, "cve"), cb, ctx, st);
	} else if (mm_json_get(r, "configurations") ||
	           (mm_json_get(r, "sourceIdentifier") && mm_json_get(r, "id"))) {
		rc = mm__nvd_parse(r, cb, ctx, st); /* one CVE object (NVD feeds split per file) */
	} else if (r->type == MM_JSON_ARRAY) { /* a list of OSV records */
		for (size_t i = 0; i < r->n && !rc; i++)
			rc = mm__osv_parse(r->items[i], cb, ctx, st);
	} else if (mm_json_get(r, "id") && (mm_json_get(r, "affected") || mm_json_get(r, "modified"))) {
		rc = mm__osv_parse(r, cb, ctx, st);
	} else {
		rc = MM_EPARSE;
	}
	mm_json_doc_free(d);
	return rc;
}

/* ---- indexing into the store ---------------------------------------------- */

struct index_ctx {
	struct mm_store *s;
	int64_t source;
	struct mm_vuln_stats *st;
	int64_t *ids;
	size_t max, *n;
	struct mm_error *err;
	int rc;
	uint64_t file_advs;
};

static int store_adv(void *ud, const struct mm_vuln_adv *a)
{
	struct index_ctx *x = ud;
	if (!a->id || !*a->id) {
		x->st->entries_bad++;
		return MM_OK;
	}
	struct mm_store_advisory sa = {
		.adv_id = a->id,
		.format = a->format,
		.aliases = a->aliases.p ? a->aliases.p : "",
		.summary = a->summary,
		.score = a->score,
		.vector = a->vector,
		.severity = a->severity,
		.modified = a->modified,
	};
	int64_t rowid;
	int rc = mm_store_vuln_add_advisory(x->s, x->source, &sa, &rowid, x->err);
	for (size_t i = 0; !rc && i < a->naff; i++) {
		const struct mm__aff *f = &a->aff[i];
		struct mm_store_affected af = {
			.key = f->key,
			.scheme = mm_vscheme_name(f->scheme),
			.events = f->events.p ? f->events.p : "",
			.versions = f->versions.p ? f->versions.p : "",
			.note = f->note,
		};
		rc = mm_store_vuln_add_affected(x->s, rowid, &af, x->err);
		x->st->affected++;
	}
	x->st->advisories++;
	x->file_advs++;
	return rc;
}

static int index_file(void *ud, const char *path)
{
	struct index_ctx *x = ud;
	size_t len = strlen(path);
	struct stat sb;
	if (len < 5 || strcmp(path + len - 5, ".json") != 0)
		return MM_OK;
	if (stat(path, &sb) != 0) {
		x->st->files_bad++;
		return MM_OK;
	}
	x->st->files++;
	int64_t mtime = (int64_t)sb.st_mtim.tv_sec * MM_NS_PER_SEC + sb.st_mtim.tv_nsec;
	bool fresh = false;
	int rc = mm_store_vuln_source(x->s, path, (int64_t)sb.st_size, mtime, &x->source, &fresh,
	                              x->err);
	if (rc)
		return rc;
	if (x->ids && *x->n < x->max)
		x->ids[(*x->n)++] = x->source;
	if (fresh) {
		x->st->files_skipped_unchanged++;
		return MM_OK;
	}
	if ((size_t)sb.st_size > MM_ADV_MAX_FILE) {
		x->st->files_bad++;
		return MM_OK;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		x->st->files_bad++;
		mm_log(MM_LOG_WARN, "%s: %s", path, strerror(errno));
		return MM_OK;
	}
	char *buf = mm_malloc((size_t)sb.st_size + 1);
	size_t got = fread(buf, 1, (size_t)sb.st_size, f);
	fclose(f);
	x->file_advs = 0;
	int prc = mm_vuln_parse_advisories(buf, got, store_adv, x, x->st);
	free(buf);
	if (prc == MM_EPARSE) {
		x->st->files_bad++;
		mm_log(MM_LOG_WARN, "%s: not an OSV, NVD or CVE 5 JSON document; skipped", path);
	} else if (prc) {
		return prc;
	}
	return mm_store_vuln_source_done(x->s, x->source, (int64_t)x->file_advs, x->err);
}

int mm_vuln_index(struct mm_store *s, const char *const *paths, size_t npaths,
                  int64_t *source_ids, size_t max_sources, size_t *nsources,
                  struct mm_vuln_stats *st, struct mm_error *err)
{
	size_t dummy = 0;
	struct index_ctx x = {s, 0, st, source_ids, max_sources, nsources ? nsources : &dummy,
	                      err, 0, 0};
	int rc = mm_store_begin(s, err);
	if (rc)
		return rc;
	rc = mm_walk(paths, npaths, NULL, index_file, &x, err);
	if (rc) {
		mm_store_rollback(s);
		return rc;
	}
	return mm_store_commit(s, err);
}
