/* mamori — advisories: OSV JSON (ossf.github.io/osv-schema): affected[] per
 * package (ecosystem + name, or purl) with ranges (ECOSYSTEM, SEMVER: events
 * introduced / fixed / last_affected / limit; GIT: commit hashes, which only
 * the versions[] list can turn into versions) and explicit versions[].
 * Severity: severity[] CVSS v3 vectors (scored here), else
 * database_specific.severity. */
#include "vuln_int.h"

#include <stdlib.h>

static void severity(struct mm_vuln_adv *a, const struct mm_json *sev)
{
	for (size_t i = 0; i < mm_json_len(sev); i++) {
		const struct mm_json *s = mm_json_at(sev, i);
		const char *t = mm_json_get_str(s, "type");
		const char *v = mm_json_get_str(s, "score");
		if (t && v && (!strcmp(t, "CVSS_V3") || !strcmp(t, "CVSS_V3_1")))
			mm__adv_vector(a, v, -1);
	}
}

int mm__osv_parse(const struct mm_json *r, mm_vuln_adv_cb cb, void *ctx,
                  struct mm_vuln_stats *st)
{
	struct mm_vuln_adv a;
	mm__adv_init(&a, "osv", st);
	const char *id = mm_json_get_str(r, "id");
	if (!id || !*id) {
		st->entries_bad++;
		mm__adv_free(&a);
		return MM_OK;
	}
	a.id = mm_strdup(id);
	const char *sum = mm_json_get_str(r, "summary");
	if (!sum)
		sum = mm_json_get_str(r, "details");
	a.summary = sum ? mm_strndup(sum, MM_MIN(strlen(sum), 300)) : NULL;
	const char *mod = mm_json_get_str(r, "modified");
	a.modified = mod ? mm_strdup(mod) : NULL;
	const struct mm_json *al = mm_json_get(r, "aliases");
	for (size_t i = 0; i < mm_json_len(al); i++)
		mm__adv_alias(&a, mm_json_str(mm_json_at(al, i)));
	severity(&a, mm_json_get(r, "severity"));
	const char *dsev = mm_json_get_str(mm_json_get(r, "database_specific"), "severity");
	if (dsev)
		a.severity = mm_strdup(dsev);
	const struct mm_json *affs = mm_json_get(r, "affected");
	for (size_t i = 0; i < mm_json_len(affs); i++) {
		const struct mm_json *af = mm_json_at(affs, i);
		const struct mm_json *pkg = mm_json_get(af, "package");
		const char *eco = mm_json_get_str(pkg, "ecosystem");
		const char *name = mm_json_get_str(pkg, "name");
		char *peco = NULL, *pname = NULL, *pver = NULL;
		enum mm_vscheme ps;
		const char *purl = mm_json_get_str(pkg, "purl");
		if ((!eco || !name) && purl && !mm__purl_parse(purl, &peco, &pname, &pver, &ps)) {
			eco = peco;
			name = pname;
		}
		if (!eco || !name || !*name) {
			st->entries_bad++;
			free(peco), free(pname), free(pver);
			continue;
		}
		severity(&a, mm_json_get(af, "severity"));
		char keys[4][MM_KEY_MAX];
		enum mm_vscheme scheme = MM_VS_GENERIC;
		size_t nk = mm__osv_keys(eco, name, keys, 4, &scheme);
		for (size_t k = 0; k < nk; k++) {
			struct mm__aff *f = mm__adv_aff(&a, keys[k], scheme);
			if (!f)
				break;
			snprintf(f->note, sizeof(f->note), "%s/%s", eco, name);
			const struct mm_json *ranges = mm_json_get(af, "ranges");
			for (size_t g = 0; g < mm_json_len(ranges); g++) {
				const struct mm_json *rg = mm_json_at(ranges, g);
				const char *type = mm_json_get_str(rg, "type");
				if (!type) {
					st->entries_bad++;
					continue;
				}
				if (!strcmp(type, "GIT"))
					continue; /* commits: versions[] carries what matters */
				if (!strcmp(type, "SEMVER") && f->scheme != MM_VS_JAVA)
					f->scheme = MM_VS_SEMVER;
				const struct mm_json *ev = mm_json_get(rg, "events");
				/* each range is its own event list: a separator line */
				if (g && f->events.n)
					mm_buf_puts(&f->events, "-\n");
				for (size_t e = 0; e < mm_json_len(ev); e++) {
					const struct mm_json *o = mm_json_at(ev, e);
					const char *v;
					if ((v = mm_json_get_str(o, "introduced")))
						mm__aff_event(f, 'i', v);
					else if ((v = mm_json_get_str(o, "fixed")))
						mm__aff_event(f, 'f', v);
					else if ((v = mm_json_get_str(o, "last_affected")))
						mm__aff_event(f, 'l', v);
					else if ((v = mm_json_get_str(o, "limit")))
						mm__aff_event(f, 'f', v);
					else
						st->entries_bad++;
				}
			}
			const struct mm_json *vers = mm_json_get(af, "versions");
			for (size_t v = 0; v < mm_json_len(vers); v++)
				mm__aff_version(f, mm_json_str(mm_json_at(vers, v)));
		}
		free(peco), free(pname), free(pver);
	}
	int rc = cb(ctx, &a);
	mm__adv_free(&a);
	return rc;
}
