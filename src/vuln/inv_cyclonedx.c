/* mamori — inventory: CycloneDX JSON SBOMs (spec 1.4–1.6): every component
 * (nested components too) with a purl, else a cpe, else name + version. The
 * host is metadata.component.name unless --host is given. */
#include "vuln_int.h"

#include <stdlib.h>

bool mm__inv_cyclonedx_probe(const char *data, size_t n)
{
	size_t lim = MM_MIN(n, 4096);
	for (size_t i = 0; i + 11 < lim; i++)
		if (!memcmp(data + i, "\"bomFormat\"", 11))
			return true;
	return false;
}

static void walk(struct mm__inv_ctx *c, struct mm_slice host, const struct mm_json *comps,
                 unsigned depth)
{
	for (size_t i = 0; i < mm_json_len(comps); i++) {
		const struct mm_json *o = mm_json_at(comps, i);
		const char *name = mm_json_get_str(o, "name");
		const char *ver = mm_json_get_str(o, "version");
		const char *purl = mm_json_get_str(o, "purl");
		const char *cpe = mm_json_get_str(o, "cpe");
		if (!o || o->type != MM_JSON_OBJECT) {
			c->inv->errors++;
			continue;
		}
		char ev[600];
		snprintf(ev, sizeof(ev), "component %s@%s%s%s", name ? name : "?", ver ? ver : "?",
		         purl ? " " : "", purl ? purl : "");
		if (purl || name)
			mm__inv_add_ref(c, host, name, ver, purl, cpe, mm_slice_cstr(ev));
		else
			c->inv->errors++;
		if (depth < 16)
			walk(c, host, mm_json_get(o, "components"), depth + 1);
	}
}

int mm__inv_cyclonedx_parse(struct mm__inv_ctx *c, struct mm_error *err)
{
	struct mm_json_doc *d = NULL;
	size_t off = 0;
	if (mm_json_parse(&d, c->data, c->n, NULL, &off))
		return mm_error_set(err, MM_EPARSE, c->path ? c->path : "", 0, 0,
		                    "CycloneDX SBOM is not valid JSON (byte %zu)", off);
	const struct mm_json *r = mm_json_root(d);
	const char *fmt = mm_json_get_str(r, "bomFormat");
	if (!fmt || strcmp(fmt, "CycloneDX") != 0) {
		mm_json_doc_free(d);
		return mm_error_set(err, MM_EPARSE, c->path ? c->path : "", 0, 0,
		                    "not a CycloneDX SBOM (bomFormat is not \"CycloneDX\")");
	}
	struct mm_slice host = mm__inv_default_host(c);
	const char *mname = mm_json_get_str(mm_json_path(r, "metadata.component"), "name");
	if (!c->host && mname && *mname)
		host = mm_slice_cstr(mname);
	walk(c, host, mm_json_get(r, "components"), 0);
	mm_json_doc_free(d);
	return MM_OK;
}
