/* mamori — inventory: SPDX 2.3 JSON documents: packages[] with versionInfo
 * and externalRefs (referenceType "purl", or "cpe23Type"). The host is the
 * document name unless --host is given. */
#include "vuln_int.h"

bool mm__inv_spdx_probe(const char *data, size_t n)
{
	size_t lim = MM_MIN(n, 4096);
	for (size_t i = 0; i + 13 < lim; i++)
		if (!memcmp(data + i, "\"spdxVersion\"", 13))
			return true;
	return false;
}

int mm__inv_spdx_parse(struct mm__inv_ctx *c, struct mm_error *err)
{
	struct mm_json_doc *d = NULL;
	size_t off = 0;
	if (mm_json_parse(&d, c->data, c->n, NULL, &off))
		return mm_error_set(err, MM_EPARSE, c->path ? c->path : "", 0, 0,
		                    "SPDX document is not valid JSON (byte %zu)", off);
	const struct mm_json *r = mm_json_root(d);
	if (!mm_json_get_str(r, "spdxVersion")) {
		mm_json_doc_free(d);
		return mm_error_set(err, MM_EPARSE, c->path ? c->path : "", 0, 0,
		                    "not an SPDX JSON document (no spdxVersion)");
	}
	struct mm_slice host = mm__inv_default_host(c);
	const char *dname = mm_json_get_str(r, "name");
	if (!c->host && dname && *dname)
		host = mm_slice_cstr(dname);
	const struct mm_json *pkgs = mm_json_get(r, "packages");
	for (size_t i = 0; i < mm_json_len(pkgs); i++) {
		const struct mm_json *p = mm_json_at(pkgs, i);
		const char *name = mm_json_get_str(p, "name");
		const char *ver = mm_json_get_str(p, "versionInfo");
		/* SPDX 2.3 §7.3: no version known */
		if (ver && (!strcmp(ver, "NOASSERTION") || !strcmp(ver, "NONE")))
			ver = NULL;
		const char *purl = NULL, *cpe = NULL;
		const struct mm_json *refs = mm_json_get(p, "externalRefs");
		for (size_t k = 0; k < mm_json_len(refs); k++) {
			const struct mm_json *ref = mm_json_at(refs, k);
			const char *t = mm_json_get_str(ref, "referenceType");
			const char *loc = mm_json_get_str(ref, "referenceLocator");
			if (t && loc && !strcmp(t, "purl") && !purl)
				purl = loc;
			else if (t && loc && !strcmp(t, "cpe23Type") && !cpe)
				cpe = loc;
		}
		char ev[600];
		snprintf(ev, sizeof(ev), "package %s@%s%s%s", name ? name : "?", ver ? ver : "?",
		         purl ? " " : "", purl ? purl : "");
		if (name || purl)
			mm__inv_add_ref(c, host, name, ver, purl, cpe, mm_slice_cstr(ev));
		else
			c->inv->errors++;
	}
	mm_json_doc_free(d);
	return MM_OK;
}
