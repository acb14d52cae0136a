/* mamori — inventory: `rpm -qa --qf '%{NAME} %{EPOCH}:%{VERSION}-%{RELEASE}
 * %{ARCH}\n'` output. EPOCH prints "(none)" when unset; the version compares
 * with rpmvercmp. Matched against the RPM-based OSV ecosystems. */
#include "vuln_int.h"

static bool split3(struct mm_slice l, struct mm_slice f[3])
{
	size_t k = 0, i = 0;
	while (k < 3) {
		while (i < l.n && l.p[i] == ' ')
			i++;
		if (i >= l.n)
			break;
		size_t st = i;
		while (i < l.n && l.p[i] != ' ')
			i++;
		f[k++] = mm_slice(l.p + st, i - st);
	}
	while (i < l.n && l.p[i] == ' ')
		i++;
	return k >= 2 && i == l.n;
}

bool mm__inv_rpm_probe(const char *data, size_t n)
{
	size_t off = 0, good = 0;
	struct mm_slice l;
	while (good < 3 && mm__next_line(data, n, &off, &l)) {
		if (!mm__trim(l).n)
			continue;
		struct mm_slice f[3] = {MM_SLICE_NULL, MM_SLICE_NULL, MM_SLICE_NULL};
		if (!split3(l, f) || !f[2].n || !memchr(f[1].p, ':', f[1].n) ||
		    !memchr(f[1].p, '-', f[1].n))
			return false;
		good++;
	}
	return good > 0;
}

int mm__inv_rpm_parse(struct mm__inv_ctx *c, struct mm_error *err)
{
	(void)err;
	size_t off = 0;
	unsigned lineno = 0;
	struct mm_slice l;
	while (mm__next_line(c->data, c->n, &off, &l)) {
		lineno++;
		if (!mm__trim(l).n)
			continue;
		struct mm_slice f[3] = {MM_SLICE_NULL, MM_SLICE_NULL, MM_SLICE_NULL};
		if (!split3(l, f) || !memchr(f[1].p, '-', f[1].n)) {
			c->inv->errors++;
			continue;
		}
		struct mm_slice v = f[1];
		/* "(none):1.2-3" → "1.2-3"; a real epoch stays */
		if (v.n > 7 && !memcmp(v.p, "(none):", 7))
			v = mm_slice(v.p + 7, v.n - 7);
		else if (v.n > 2 && !memcmp(v.p, "0:", 2))
			v = mm_slice(v.p + 2, v.n - 2);
		mm__inv_add(c, mm__inv_default_host(c), f[0], v, "rpm", MM_VS_RPM, lineno, l);
	}
	return MM_OK;
}
