/* mamori — package identity: the keys under which advisories are indexed and
 * inventories look them up. OSV packages key as "<ecosystem>/<name>", NVD CPEs
 * as "cpe/<vendor>:<product>" and "name/<product>", free-text products as
 * "name/<product>", and anything in the product dictionary (products.def) as
 * "prod/<canonical>", so Oracle's "jdk" CPE, Bitnami's "java" and a CSV line
 * "Java SE" meet. */
#include "vuln_int.h"

#include <stdlib.h>

static const struct {
	const char *name;
	enum mm_vscheme scheme;
	const char *aliases;
} g_products[] = {
#define MM_PRODUCT(name, scheme, aliases) {name, MM_VS_##scheme, aliases},
#include "products.def"
#undef MM_PRODUCT
};

/* lower-case, '_' → ' ', runs of blanks → one, trimmed; into o (cap). */
static size_t norm(const char *s, size_t n, char *o, size_t cap)
{
	size_t w = 0;
	bool sp = false;
	for (size_t i = 0; i < n && w + 1 < cap; i++) {
		char c = s[i];
		if (c == '_' || c == ' ' || c == '\t') {
			sp = w > 0;
			continue;
		}
		if (sp && w + 2 < cap)
			o[w++] = ' ';
		sp = false;
		o[w++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	o[w] = '\0';
	return w;
}

const char *mm__product_lookup(const char *text, size_t n, enum mm_vscheme *scheme)
{
	char key[MM_KEY_MAX];
	size_t kn = norm(text, n, key, sizeof(key));
	if (!kn)
		return NULL;
	for (size_t i = 0; i < MM_ARRAY_LEN(g_products); i++) {
		const char *a = g_products[i].aliases;
		while (*a) {
			size_t an = strcspn(a, "|");
			char al[MM_KEY_MAX];
			size_t aln = norm(a, an, al, sizeof(al));
			if (aln == kn && !memcmp(al, key, kn)) {
				if (scheme)
					*scheme = g_products[i].scheme;
				return g_products[i].name;
			}
			a += an + (a[an] == '|');
		}
	}
	return NULL;
}

static const char *const g_rpm_ecos[] = {"red hat", "almalinux", "rocky linux", "opensuse",
                                         "suse",    "mageia",    "openeuler",   "rpm"};

/* "Debian:12" → "debian"; the RPM family → "rpm". */
static size_t eco_base(const char *eco, size_t n, char *o, size_t cap)
{
	const char *colon = memchr(eco, ':', n);
	if (colon)
		n = (size_t)(colon - eco);
	size_t w = norm(eco, n, o, cap);
	for (size_t i = 0; i < MM_ARRAY_LEN(g_rpm_ecos); i++)
		if (!strcmp(o, g_rpm_ecos[i]))
			return (size_t)snprintf(o, cap, "rpm");
	return w;
}

enum mm_vscheme mm__eco_scheme(const char *ecosystem, size_t n)
{
	char e[64];
	eco_base(ecosystem, n, e, sizeof(e));
	if (!strcmp(e, "debian") || !strcmp(e, "ubuntu"))
		return MM_VS_DEB;
	if (!strcmp(e, "rpm"))
		return MM_VS_RPM;
	if (!strcmp(e, "maven"))
		return MM_VS_MAVEN;
	if (!strcmp(e, "pypi"))
		return MM_VS_PEP440;
	if (!strcmp(e, "alpine"))
		return MM_VS_APK;
	if (!strcmp(e, "npm") || !strcmp(e, "crates.io") || !strcmp(e, "go") ||
	    !strcmp(e, "bitnami") || !strcmp(e, "hex") || !strcmp(e, "pub") || !strcmp(e, "nuget"))
		return MM_VS_SEMVER;
	return MM_VS_GENERIC;
}

/* keys[k] = pre + a + mid + b (cut at MM_KEY_MAX - 1), unless already present */
static size_t push(char (*keys)[MM_KEY_MAX], size_t k, size_t max, const char *pre,
                   const char *a, const char *mid, const char *b)
{
	if (k >= max)
		return k;
	const char *parts[4] = {pre, a, mid, b};
	size_t w = 0;
	for (int i = 0; i < 4; i++) {
		size_t n = strlen(parts[i]);
		if (n > MM_KEY_MAX - 1 - w)
			n = MM_KEY_MAX - 1 - w;
		memcpy(keys[k] + w, parts[i], n);
		w += n;
	}
	keys[k][w] = '\0';
	for (size_t i = 0; i < k; i++)
		if (!strcmp(keys[i], keys[k]))
			return k;
	return k + 1;
}

/* PyPI names compare after PEP 503 normalisation: lower case, runs of
 * "-", "_", "." become one "-". */
static void pep503(const char *s, char *o, size_t cap)
{
	size_t w = 0;
	bool sep = false;
	for (; *s && w + 2 < cap; s++) {
		if (*s == '-' || *s == '_' || *s == '.') {
			sep = true;
			continue;
		}
		if (sep && w)
			o[w++] = '-';
		sep = false;
		o[w++] = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
	}
	o[w] = '\0';
}

size_t mm__osv_keys(const char *eco, const char *name, char (*keys)[MM_KEY_MAX], size_t max,
                    enum mm_vscheme *scheme)
{
	char e[64], nm[MM_KEY_MAX - 72], probe[MM_KEY_MAX];
	eco_base(eco, strlen(eco), e, sizeof(e));
	if (!strcmp(e, "pypi"))
		pep503(name, nm, sizeof(nm));
	else
		snprintf(nm, sizeof(nm), "%s", name);
	snprintf(probe, sizeof(probe), "osv:%s/%s", e, nm);
	const char *prod = mm__product_lookup(probe, strlen(probe), scheme);
	if (prod)
		return push(keys, 0, max, "prod/", prod, "", "");
	if (scheme)
		*scheme = mm__eco_scheme(eco, strlen(eco));
	return push(keys, 0, max, "", e, "/", nm);
}

size_t mm__cpe_keys(const char *vendor, const char *product, char (*keys)[MM_KEY_MAX],
                    size_t max, enum mm_vscheme *scheme)
{
	char probe[MM_KEY_MAX], v[MM_KEY_MAX / 2 - 8], p[MM_KEY_MAX / 2 - 8];
	norm(vendor, strlen(vendor), v, sizeof(v));
	norm(product, strlen(product), p, sizeof(p));
	snprintf(probe, sizeof(probe), "cpe:%s:%s", v, p);
	const char *prod = mm__product_lookup(probe, strlen(probe), scheme);
	if (prod)
		return push(keys, 0, max, "prod/", prod, "", "");
	for (char *q = p; *q; q++)
		if (*q == ' ')
			*q = '_';
	for (char *q = v; *q; q++)
		if (*q == ' ')
			*q = '_';
	size_t k = push(keys, 0, max, "cpe/", v, ":", p);
	return push(keys, k, max, "name/", p, "", "");
}

size_t mm__text_keys(const char *product, size_t n, char (*keys)[MM_KEY_MAX], size_t max,
                     enum mm_vscheme *scheme)
{
	const char *prod = mm__product_lookup(product, n, scheme);
	if (prod)
		return push(keys, 0, max, "prod/", prod, "", "");
	char p[MM_KEY_MAX - 8];
	norm(product, n, p, sizeof(p));
	if (!*p)
		return 0;
	for (char *q = p; *q; q++)
		if (*q == ' ')
			*q = '_';
	return push(keys, 0, max, "name/", p, "", "");
}

/* "cpe:2.3:a:vendor:product:…" or "cpe:/a:vendor:product" → vendor, product */
static bool cpe_vp(const char *cpe, char *v, size_t vc, char *p, size_t pc)
{
	const char *s;
	if (!strncmp(cpe, "cpe:2.3:", 8))
		s = cpe + 8;
	else if (!strncmp(cpe, "cpe:/", 5))
		s = cpe + 5;
	else
		return false;
	const char *c1 = strchr(s, ':');
	if (!c1)
		return false;
	const char *c2 = strchr(c1 + 1, ':');
	size_t vn = c2 ? (size_t)(c2 - c1 - 1) : 0;
	if (!c2 || vn >= vc)
		return false;
	memcpy(v, c1 + 1, vn);
	v[vn] = '\0';
	const char *c3 = strchr(c2 + 1, ':');
	size_t pn = c3 ? (size_t)(c3 - c2 - 1) : strlen(c2 + 1);
	if (pn >= pc || !pn || !vn)
		return false;
	memcpy(p, c2 + 1, pn);
	p[pn] = '\0';
	return true;
}

size_t mm__pkg_keys(const struct mm_pkg *pk, char (*keys)[MM_KEY_MAX], size_t max)
{
	size_t k = 0;
	char tmp[4][MM_KEY_MAX];
	size_t t;
	if (!strcmp(pk->ecosystem, "product")) {
		t = mm__text_keys(pk->name, strlen(pk->name), tmp, 4, NULL);
		for (size_t i = 0; i < t; i++)
			k = push(keys, k, max, "", tmp[i], "", "");
	} else {
		if (pk->src_name) {
			t = mm__osv_keys(pk->ecosystem, pk->src_name, tmp, 4, NULL);
			for (size_t i = 0; i < t; i++)
				k = push(keys, k, max, "", tmp[i], "", "");
		}
		t = mm__osv_keys(pk->ecosystem, pk->name, tmp, 4, NULL);
		for (size_t i = 0; i < t; i++)
			k = push(keys, k, max, "", tmp[i], "", "");
	}
	char v[128], p[128];
	if (pk->cpe && cpe_vp(pk->cpe, v, sizeof(v), p, sizeof(p))) {
		t = mm__cpe_keys(v, p, tmp, 4, NULL);
		/* a package's own CPE names its vendor: use the vendor-qualified key only */
		for (size_t i = 0; i < t; i++)
			if (strncmp(tmp[i], "name/", 5) != 0)
				k = push(keys, k, max, "", tmp[i], "", "");
	}
	return k;
}
