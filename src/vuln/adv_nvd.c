/* mamori — advisories: NVD CVE API 2.0 records (services.nvd.nist.gov
 * /rest/json/cves/2.0, and the per-CVE files of NVD JSON mirrors): each
 * configurations[].nodes[].cpeMatch[] that is vulnerable becomes one
 * affected entry for its CPE vendor:product, with versionStart/End
 * Including/Excluding as a range or the CPE's own version as an exact one.
 * Nodes with negate are exclusions and are skipped. In an AND
 * configuration, the nodes without a vulnerable CPE (usually the platform:
 * "Java SE on Windows", "firmware X on device Y") are requirements: each is
 * stored with every vulnerable entry of the configuration as a platform
 * group ("p" events, any CPE of a group satisfies it, every group must be
 * satisfied); the matcher reports such findings as conditional, or drops
 * them under --strict-platform when the host's inventory lacks the platform.
 * Severity: cvssMetricV31/V30. */
#include "vuln_int.h"

#include <stdlib.h>

/* CPE 2.3 formatted string: split on unescaped ':' */
static size_t cpe_split(const char *cpe, char (*f)[128], size_t max)
{
	size_t k = 0, w = 0;
	for (const char *p = cpe; *p && k < max; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			if (w < 127)
				f[k][w++] = *p;
			continue;
		}
		if (*p == ':') {
			f[k][w] = '\0';
			k++;
			w = 0;
			continue;
		}
		if (w < 127)
			f[k][w++] = *p;
	}
	if (k < max) {
		f[k][w] = '\0';
		k++;
	}
	return k;
}

static void metrics(struct mm_vuln_adv *a, const struct mm_json *m)
{
	static const char *const kinds[] = {"cvssMetricV31", "cvssMetricV30"};
	for (size_t k = 0; k < 2; k++) {
		const struct mm_json *list = mm_json_get(m, kinds[k]);
		/* prefer the Primary (NVD's own) scoring, else the first */
		const struct mm_json *pick = NULL;
		for (size_t i = 0; i < mm_json_len(list); i++) {
			const struct mm_json *e = mm_json_at(list, i);
			const char *t = mm_json_get_str(e, "type");
			if (!pick || (t && !strcmp(t, "Primary")))
				pick = e;
		}
		if (pick) {
			const struct mm_json *data = mm_json_get(pick, "cvssData");
			double given = -1;
			mm_json_num(mm_json_get(data, "baseScore"), &given);
			mm__adv_vector(a, mm_json_get_str(data, "vectorString"), given);
			const char *sev = mm_json_get_str(data, "baseSeverity");
			if (sev && !a->severity)
				a->severity = mm_strdup(sev);
			return;
		}
	}
}

static void cpe_match(struct mm_vuln_adv *a, const struct mm_json *m, const char *note,
                      const char *platform)
{
	const char *crit = mm_json_get_str(m, "criteria");
	if (!crit)
		crit = mm_json_get_str(m, "cpe23Uri"); /* the 1.1 feeds' name */
	char f[13][128];
	if (!crit || cpe_split(crit, f, 13) < 6 || strcmp(f[0], "cpe") != 0) {
		a->st->entries_bad++;
		return;
	}
	char keys[4][MM_KEY_MAX];
	enum mm_vscheme scheme = MM_VS_GENERIC;
	size_t nk = mm__cpe_keys(f[3], f[4], keys, 4, &scheme);
	const char *si = mm_json_get_str(m, "versionStartIncluding");
	const char *se = mm_json_get_str(m, "versionStartExcluding");
	const char *ei = mm_json_get_str(m, "versionEndIncluding");
	const char *ee = mm_json_get_str(m, "versionEndExcluding");
	const char *ver = f[5];
	/* a versioned CPE with an update field: "1.8.0:update_361" is Java 1.8.0_361 */
	char full[300];
	const char *upd = cpe_split(crit, f, 13) > 6 ? f[6] : "*";
	if (strcmp(ver, "*") && strcmp(ver, "-") && strcmp(upd, "*") && strcmp(upd, "-")) {
		const char *u = upd;
		if (!strncmp(u, "update", 6))
			u += 6 + (u[6] == '_');
		snprintf(full, sizeof(full), scheme == MM_VS_JAVA ? "%s_%s" : "%s-%s", ver, u);
		ver = full;
	}
	for (size_t k = 0; k < nk; k++) {
		struct mm__aff *af = mm__adv_aff(a, keys[k], scheme);
		if (!af)
			return;
		snprintf(af->note, sizeof(af->note), "%s%s%s", crit, note ? "; " : "", note ? note : "");
		if (si || se || ei || ee) {
			if (si)
				mm__aff_event(af, 'i', si);
			else if (se)
				mm__aff_event(af, 'x', se);
			else
				mm__aff_event(af, 'i', "0");
			if (ee)
				mm__aff_event(af, 'f', ee);
			else if (ei)
				mm__aff_event(af, 'l', ei);
		} else if (!strcmp(ver, "*") || !strcmp(ver, "-")) {
			mm__aff_event(af, 'i', "0"); /* every version */
		} else {
			mm__aff_version(af, ver);
		}
		if (platform && *platform)
			mm_buf_puts(&af->events, platform);
	}
}

/* Text of a platform CPE match, safe in the line-based events encoding:
 * spaces and control bytes become '_'. */
static void put_clean(struct mm_buf *b, const char *s)
{
	for (; *s; s++)
		mm_buf_putc(b, (unsigned char)*s <= ' ' || *s == 0x7f ? '_' : *s);
}

/* "p <group> <criteria>[ >=v][ >v][ <=v][ <v]" per CPE of each node of an
 * AND configuration that has no vulnerable CPE. */
static void platform_lines(const struct mm_json *nodes, struct mm_buf *b)
{
	unsigned g = 0;
	for (size_t n = 0; n < mm_json_len(nodes); n++) {
		const struct mm_json *node = mm_json_at(nodes, n);
		const struct mm_json *ms = mm_json_get(node, "cpeMatch");
		if (mm_json_is_true(mm_json_get(node, "negate")) || !mm_json_len(ms))
			continue;
		bool vulnerable = false;
		for (size_t i = 0; i < mm_json_len(ms); i++)
			vulnerable = vulnerable || mm_json_is_true(mm_json_get(mm_json_at(ms, i), "vulnerable"));
		if (vulnerable)
			continue;
		g++;
		for (size_t i = 0; i < mm_json_len(ms) && b->n < 16384; i++) {
			const struct mm_json *m = mm_json_at(ms, i);
			const char *crit = mm_json_get_str(m, "criteria");
			if (!crit || strncmp(crit, "cpe:", 4) != 0)
				continue;
			mm_buf_printf(b, "p %u ", g);
			put_clean(b, crit);
			static const char *const lim[][2] = {{"versionStartIncluding", ">="},
			                                     {"versionStartExcluding", ">"},
			                                     {"versionEndIncluding", "<="},
			                                     {"versionEndExcluding", "<"}};
			for (size_t k = 0; k < 4; k++) {
				const char *v = mm_json_get_str(m, lim[k][0]);
				if (v && *v) {
					mm_buf_printf(b, " %s", lim[k][1]);
					put_clean(b, v);
				}
			}
			mm_buf_putc(b, '\n');
		}
	}
}

int mm__nvd_parse(const struct mm_json *cve, mm_vuln_adv_cb cb, void *ctx,
                  struct mm_vuln_stats *st)
{
	struct mm_vuln_adv a;
	mm__adv_init(&a, "nvd", st);
	const char *id = mm_json_get_str(cve, "id");
	if (!id || !*id) {
		st->entries_bad++;
		mm__adv_free(&a);
		return MM_OK;
	}
	a.id = mm_strdup(id);
	const struct mm_json *desc = mm_json_get(cve, "descriptions");
	for (size_t i = 0; i < mm_json_len(desc); i++) {
		const struct mm_json *d = mm_json_at(desc, i);
		const char *lang = mm_json_get_str(d, "lang"), *v = mm_json_get_str(d, "value");
		if (lang && v && !strcmp(lang, "en") && !a.summary)
			a.summary = mm_strndup(v, MM_MIN(strlen(v), 300));
	}
	const char *mod = mm_json_get_str(cve, "lastModified");
	a.modified = mod ? mm_strdup(mod) : NULL;
	metrics(&a, mm_json_get(cve, "metrics"));
	const struct mm_json *confs = mm_json_get(cve, "configurations");
	for (size_t c = 0; c < mm_json_len(confs); c++) {
		const struct mm_json *conf = mm_json_at(confs, c);
		const struct mm_json *nodes = mm_json_get(conf, "nodes");
		const char *op = mm_json_get_str(conf, "operator");
		bool and_conf = op && !strcmp(op, "AND") && mm_json_len(nodes) > 1;
		/* in an AND configuration, the platform nodes it requires */
		struct mm_buf plat;
		mm_buf_init(&plat, 0);
		char note[200] = "";
		if (and_conf) {
			platform_lines(nodes, &plat);
			const char *first = plat.p ? strchr(plat.p + 2, ' ') : NULL;
			bool more = first && strchr(first, '\n') && strchr(first, '\n')[1];
			if (first)
				snprintf(note, sizeof(note), "only together with %.*s%s",
				         (int)MM_MIN(strcspn(first + 1, " \n"), 150), first + 1,
				         more ? " or other platforms" : "");
		}
		for (size_t n = 0; n < mm_json_len(nodes); n++) {
			const struct mm_json *node = mm_json_at(nodes, n);
			if (mm_json_is_true(mm_json_get(node, "negate")))
				continue;
			const struct mm_json *ms = mm_json_get(node, "cpeMatch");
			for (size_t i = 0; i < mm_json_len(ms); i++) {
				const struct mm_json *m = mm_json_at(ms, i);
				if (mm_json_is_true(mm_json_get(m, "vulnerable")))
					cpe_match(&a, m, note[0] ? note : NULL, plat.p);
			}
		}
		mm_buf_free(&plat);
	}
	int rc = cb(ctx, &a);
	mm__adv_free(&a);
	return rc;
}
