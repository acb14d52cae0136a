/* mamori — advisories: CVE JSON 5.x records (the CVE Program's format,
 * cve-schema v5): containers.cna (and adp) affected[] with vendor, product,
 * cpes[] and versions[] {version, status, lessThan, lessThanOrEqual,
 * versionType}. Many CNAs put prose in "version" instead; two common shapes
 * are read, and marked as such in the note: "<product> prior to [Ver.]X"
 * (several of them: each fix applies from its own major version, as NVD
 * reads JPCERT's records) and "<product>:<version>" (Oracle's). */
#include "vuln_int.h"

#include <stdlib.h>

static enum mm_vscheme vtype_scheme(const char *t, enum mm_vscheme dflt)
{
	if (!t)
		return dflt;
	if (!strcmp(t, "semver"))
		return MM_VS_SEMVER;
	if (!strcmp(t, "maven"))
		return MM_VS_MAVEN;
	if (!strcmp(t, "rpm"))
		return MM_VS_RPM;
	if (!strcmp(t, "deb") || !strcmp(t, "debian"))
		return MM_VS_DEB;
	return dflt;
}

static bool isdg(int c) { return c >= '0' && c <= '9'; }

/* "m-FILTER prior to Ver.5.70R01 (Ver.5 Series) and m-FILTER prior to
 * Ver.4.87R04 (Ver.4 Series)": returns the number of fixes found. */
static size_t prior_to(const char *s, char (*prod)[128], char (*fix)[64], size_t max)
{
	size_t k = 0;
	const char *p = s, *seg = s;
	while (k < max && (p = strstr(p, " prior to ")) != NULL) {
		/* product: the words before " prior to" back to "and"/"," or start */
		const char *st = p;
		while (st > seg && st[-1] != ',')
			st--;
		const char *and = NULL;
		for (const char *q = st; q + 5 <= p; q++)
			if (!memcmp(q, " and ", 5))
				and = q + 5;
		if (and)
			st = and;
		while (*st == ' ')
			st++;
		size_t pn = (size_t)(p - st);
		const char *v = p + 10;
		if (!strncmp(v, "Ver.", 4) || !strncmp(v, "ver.", 4))
			v += 4;
		else if (*v == 'v' || *v == 'V')
			v++;
		size_t vn = 0;
		while (v[vn] && v[vn] != ' ' && v[vn] != ',' && v[vn] != ')' && v[vn] != '(')
			vn++;
		if (pn && pn < 128 && vn && vn < 64 && isdg(v[0])) {
			memcpy(prod[k], st, pn);
			prod[k][pn] = '\0';
			memcpy(fix[k], v, vn);
			fix[k][vn] = '\0';
			k++;
		}
		p = v + vn;
		seg = p;
	}
	return k;
}

static void add_range(struct mm_vuln_adv *a, const char *product, size_t pn, enum mm_vscheme s,
                      const char *intro, char kind, const char *end, const char *exact,
                      const char *note)
{
	char keys[4][MM_KEY_MAX];
	enum mm_vscheme ps = s;
	size_t nk = mm__text_keys(product, pn, keys, 4, &ps);
	for (size_t k = 0; k < nk; k++) {
		struct mm__aff *f = mm__adv_aff(a, keys[k], ps);
		if (!f)
			return;
		snprintf(f->note, sizeof(f->note), "%s", note);
		if (exact) {
			mm__aff_version(f, exact);
		} else {
			mm__aff_event(f, 'i', intro && *intro && strcmp(intro, "*") ? intro : "0");
			if (end)
				mm__aff_event(f, kind, end);
		}
	}
}

static void affected(struct mm_vuln_adv *a, const struct mm_json *list)
{
	for (size_t i = 0; i < mm_json_len(list); i++) {
		const struct mm_json *af = mm_json_at(list, i);
		const char *product = mm_json_get_str(af, "product");
		const char *pkgname = mm_json_get_str(af, "packageName");
		if (!product || !*product || !strcmp(product, "n/a"))
			product = pkgname;
		const struct mm_json *vers = mm_json_get(af, "versions");
		for (size_t v = 0; v < mm_json_len(vers); v++) {
			const struct mm_json *o = mm_json_at(vers, v);
			const char *ver = mm_json_get_str(o, "version");
			const char *status = mm_json_get_str(o, "status");
			const char *lt = mm_json_get_str(o, "lessThan");
			const char *lte = mm_json_get_str(o, "lessThanOrEqual");
			enum mm_vscheme s = vtype_scheme(mm_json_get_str(o, "versionType"), MM_VS_GENERIC);
			if (!ver || !status) {
				a->st->entries_bad++;
				continue;
			}
			if (strcmp(status, "affected") != 0)
				continue;
			char prod[4][128], fix[4][64];
			size_t nf;
			const char *colon = strchr(ver, ':');
			if (lt || lte) {
				if (product)
					add_range(a, product, strlen(product), s, ver, lt ? 'f' : 'l',
					          lt ? lt : lte, NULL, "CVE 5 range");
			} else if ((nf = prior_to(ver, prod, fix, 4)) > 0) {
				for (size_t k = 0; k < nf; k++) {
					char intro[64] = "0";
					if (nf > 1) { /* several branches: each from its own major */
						size_t d = 0;
						while (isdg(fix[k][d]) && d < 60)
							d++;
						memcpy(intro, fix[k], d);
						intro[d] = '\0';
					}
					char note[200];
					snprintf(note, sizeof(note), "CVE 5 text: \"prior to %.63s\"", fix[k]);
					add_range(a, prod[k], strlen(prod[k]), s, intro, 'f', fix[k], NULL, note);
				}
			} else if (colon && colon > ver && isdg(colon[1]) && !strchr(colon + 1, ' ')) {
				add_range(a, ver, (size_t)(colon - ver), s, NULL, 0, NULL, colon + 1,
				          "CVE 5 text: \"product:version\"");
			} else if (product && isdg(ver[0]) && !strchr(ver, ' ')) {
				add_range(a, product, strlen(product), s, NULL, 0, NULL, ver,
				          "CVE 5 exact version");
			}
		}
	}
}

static void metrics(struct mm_vuln_adv *a, const struct mm_json *ms)
{
	for (size_t i = 0; i < mm_json_len(ms); i++) {
		const struct mm_json *m = mm_json_at(ms, i);
		const struct mm_json *c = mm_json_get(m, "cvssV3_1");
		if (!c)
			c = mm_json_get(m, "cvssV3_0");
		if (!c)
			continue;
		double given = -1;
		mm_json_num(mm_json_get(c, "baseScore"), &given);
		mm__adv_vector(a, mm_json_get_str(c, "vectorString"), given);
		const char *sev = mm_json_get_str(c, "baseSeverity");
		if (sev && !a->severity)
			a->severity = mm_strdup(sev);
	}
}

int mm__cve5_parse(const struct mm_json *r, mm_vuln_adv_cb cb, void *ctx,
                   struct mm_vuln_stats *st)
{
	struct mm_vuln_adv a;
	mm__adv_init(&a, "cve5", st);
	const struct mm_json *meta = mm_json_get(r, "cveMetadata");
	const char *id = mm_json_get_str(meta, "cveId");
	const char *state = mm_json_get_str(meta, "state");
	if (!id || !*id) {
		st->entries_bad++;
		mm__adv_free(&a);
		return MM_OK;
	}
	if (state && !strcmp(state, "REJECTED")) {
		mm__adv_free(&a);
		return MM_OK;
	}
	a.id = mm_strdup(id);
	const char *upd = mm_json_get_str(meta, "dateUpdated");
	a.modified = upd ? mm_strdup(upd) : NULL;
	const struct mm_json *cna = mm_json_path(r, "containers.cna");
	const struct mm_json *desc = mm_json_get(cna, "descriptions");
	for (size_t i = 0; i < mm_json_len(desc); i++) {
		const char *v = mm_json_get_str(mm_json_at(desc, i), "value");
		if (v && !a.summary)
			a.summary = mm_strndup(v, MM_MIN(strlen(v), 300));
	}
	metrics(&a, mm_json_get(cna, "metrics"));
	affected(&a, mm_json_get(cna, "affected"));
	const struct mm_json *adp = mm_json_path(r, "containers.adp");
	for (size_t i = 0; i < mm_json_len(adp); i++) {
		metrics(&a, mm_json_get(mm_json_at(adp, i), "metrics"));
		affected(&a, mm_json_get(mm_json_at(adp, i), "affected"));
	}
	int rc = cb(ctx, &a);
	mm__adv_free(&a);
	return rc;
}
