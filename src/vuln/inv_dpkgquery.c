/* mamori — inventory: `dpkg-query -W` output, one "package<TAB>version" per
 * line (package may carry ":arch"). Binary package names only: Debian
 * advisories name source packages, so prefer the status file when you can. */
#include "vuln_int.h"

bool mm__inv_dpkgquery_probe(const char *data, size_t n)
{
	size_t off = 0, good = 0;
	struct mm_slice l;
	while (good < 3 && mm__next_line(data, n, &off, &l)) {
		if (!l.n)
			continue;
		const char *t = memchr(l.p, '\t', l.n);
		if (!t || memchr(t + 1, '\t', l.n - (size_t)(t - l.p) - 1) || memchr(l.p, ' ', l.n))
			return false;
		good++;
	}
	return good > 0;
}

int mm__inv_dpkgquery_parse(struct mm__inv_ctx *c, struct mm_error *err)
{
	(void)err;
	size_t off = 0;
	unsigned lineno = 0;
	struct mm_slice l;
	while (mm__next_line(c->data, c->n, &off, &l)) {
		lineno++;
		if (!mm__trim(l).n)
			continue;
		const char *t = memchr(l.p, '\t', l.n);
		if (!t) {
			c->inv->errors++;
			continue;
		}
		struct mm_slice name = mm__trim(mm_slice(l.p, (size_t)(t - l.p)));
		struct mm_slice ver = mm__trim(mm_slice(t + 1, l.n - (size_t)(t - l.p) - 1));
		const char *colon = memchr(name.p, ':', name.n);
		if (colon)
			name.n = (size_t)(colon - name.p);
		if (!name.n || !ver.n) { /* not installed ("pkg\t") or malformed */
			if (!ver.n && name.n)
				continue;
			c->inv->errors++;
			continue;
		}
		mm__inv_add(c, mm__inv_default_host(c), name, ver, "Debian", MM_VS_DEB, lineno, l);
	}
	return MM_OK;
}
