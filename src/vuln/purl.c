/* mamori — package URLs (github.com/package-url/purl-spec):
 * pkg:type/namespace/name@version?qualifiers#subpath, percent-decoded, mapped
 * to the OSV ecosystem and version scheme of the type (maven → Maven,
 * npm → npm, pypi → PyPI, golang → Go, cargo → crates.io, deb → Debian,
 * rpm → rpm, …). Used by the SBOM inventories. */
#include "vuln_int.h"

#include <stdlib.h>

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char *pct_decode(const char *s, size_t n)
{
	char *o = mm_malloc(n + 1);
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hexv(s[i + 1]) >= 0 &&
		    hexv(s[i + 2]) >= 0) {
			o[w++] = (char)(hexv(s[i + 1]) * 16 + hexv(s[i + 2]));
			i += 2;
		} else {
			o[w++] = s[i];
		}
	}
	o[w] = '\0';
	return o;
}

static const struct {
	const char *type, *eco;
	enum mm_vscheme scheme;
	char join; /* how namespace and name join in the OSV package name */
} g_types[] = {
	{"maven", "Maven", MM_VS_MAVEN, ':'},   {"npm", "npm", MM_VS_SEMVER, '/'},
	{"pypi", "PyPI", MM_VS_PEP440, 0},     {"golang", "Go", MM_VS_SEMVER, '/'},
	{"cargo", "crates.io", MM_VS_SEMVER, 0}, {"deb", "Debian", MM_VS_DEB, 0},
	{"rpm", "rpm", MM_VS_RPM, 0},           {"gem", "RubyGems", MM_VS_GENERIC, 0},
	{"nuget", "NuGet", MM_VS_SEMVER, 0},    {"composer", "Packagist", MM_VS_GENERIC, '/'},
	{"hex", "Hex", MM_VS_SEMVER, 0},        {"pub", "Pub", MM_VS_SEMVER, 0},
	{"bitnami", "Bitnami", MM_VS_SEMVER, 0}, {"apk", "Alpine", MM_VS_APK, 0},
};

int mm__purl_parse(const char *purl, char **ecosystem, char **name, char **version,
                   enum mm_vscheme *scheme)
{
	*ecosystem = *name = *version = NULL;
	if (strncmp(purl, "pkg:", 4) != 0)
		return MM_EPARSE;
	const char *s = purl + 4;
	while (*s == '/')
		s++;
	size_t len = strcspn(s, "?#");
	const char *slash = memchr(s, '/', len);
	if (!slash || slash == s)
		return MM_EPARSE;
	char type[32];
	size_t tn = (size_t)(slash - s);
	if (tn >= sizeof(type))
		return MM_EPARSE;
	for (size_t i = 0; i < tn; i++)
		type[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	type[tn] = '\0';
	const char *rest = slash + 1;
	size_t rn = len - tn - 1;
	const char *at = NULL;
	for (size_t i = rn; i-- > 0;)
		if (rest[i] == '@') {
			at = rest + i;
			break;
		}
	size_t pathn = at ? (size_t)(at - rest) : rn;
	const char *last = NULL;
	for (size_t i = pathn; i-- > 0;)
		if (rest[i] == '/') {
			last = rest + i;
			break;
		}
	const char *nm = last ? last + 1 : rest;
	size_t nmn = pathn - (size_t)(nm - rest);
	if (!nmn)
		return MM_EPARSE;
	char *ns = last ? pct_decode(rest, (size_t)(last - rest)) : NULL;
	char *n = pct_decode(nm, nmn);
	const char *eco = "product";
	char join = 0;
	*scheme = MM_VS_GENERIC;
	for (size_t i = 0; i < MM_ARRAY_LEN(g_types); i++)
		if (!strcmp(type, g_types[i].type)) {
			eco = g_types[i].eco;
			*scheme = g_types[i].scheme;
			join = g_types[i].join;
		}
	if (ns && *ns && join) {
		struct mm_buf b;
		mm_buf_init(&b, 0);
		mm_buf_printf(&b, "%s%c%s", ns, join, n);
		free(n);
		n = b.p;
	}
	free(ns);
	*ecosystem = mm_strdup(eco);
	*name = n;
	*version = at ? pct_decode(at + 1, (size_t)(rest + rn - at - 1)) : mm_strdup("");
	return MM_OK;
}
