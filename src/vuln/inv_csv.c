/* mamori — inventory: a CSV of appliances and products an admin keeps by
 * hand, "host,product,version" (RFC 4180 quoting; header line optional;
 * spaces around fields ignored: "mx-gw, m-FILTER, 5.60R02"). Products are
 * looked up in the product dictionary for their version scheme; unknown ones
 * match advisories by product name. */
#include "vuln_int.h"

#include <stdlib.h>

/* Split one CSV record of up to max fields into out[] (unquoted copies in
 * buf, which has room for the line). Returns the field count. */
static size_t csv_fields(struct mm_slice l, struct mm_slice *out, size_t max, char *buf)
{
	size_t k = 0, i = 0, w = 0;
	while (k < max) {
		while (i < l.n && (l.p[i] == ' ' || l.p[i] == '\t'))
			i++;
		size_t st = w;
		if (i < l.n && l.p[i] == '"') {
			i++;
			while (i < l.n) {
				if (l.p[i] == '"') {
					if (i + 1 < l.n && l.p[i + 1] == '"') {
						buf[w++] = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				buf[w++] = l.p[i++];
			}
			while (i < l.n && l.p[i] != ',')
				i++;
		} else {
			while (i < l.n && l.p[i] != ',')
				buf[w++] = l.p[i++];
		}
		out[k++] = mm__trim(mm_slice(buf + st, w - st));
		if (i >= l.n)
			break;
		i++; /* , */
	}
	return k;
}

bool mm__inv_csv_probe(const char *data, size_t n)
{
	size_t off = 0, good = 0;
	struct mm_slice l;
	while (good < 3 && mm__next_line(data, n, &off, &l)) {
		if (!mm__trim(l).n || l.p[0] == '#')
			continue;
		size_t commas = 0;
		for (size_t i = 0; i < l.n; i++)
			commas += l.p[i] == ',';
		if (commas != 2)
			return false;
		good++;
	}
	return good > 0;
}

int mm__inv_csv_parse(struct mm__inv_ctx *c, struct mm_error *err)
{
	(void)err;
	size_t off = 0;
	unsigned lineno = 0;
	struct mm_slice l;
	char *buf = mm_malloc(c->n + 1);
	while (mm__next_line(c->data, c->n, &off, &l)) {
		lineno++;
		if (!mm__trim(l).n || l.p[0] == '#')
			continue;
		struct mm_slice f[4];
		size_t k = csv_fields(l, f, 4, buf);
		if (lineno == 1 && k == 3 && mm_slice_ieq_cstr(f[0], "host") &&
		    mm_slice_ieq_cstr(f[1], "product"))
			continue;
		if (k != 3 || !f[1].n || !f[2].n) {
			c->inv->errors++;
			continue;
		}
		struct mm_slice host = f[0].n ? f[0] : mm__inv_default_host(c);
		if (c->host)
			host = mm_slice_cstr(c->host);
		enum mm_vscheme s = MM_VS_GENERIC;
		if (!mm__product_lookup(f[1].p, f[1].n, &s)) {
			/* "5.60R02": a vendor revision scheme */
			for (size_t i = 1; i + 1 < f[2].n; i++)
				if ((f[2].p[i] == 'R' || f[2].p[i] == 'r') && f[2].p[i - 1] >= '0' &&
				    f[2].p[i - 1] <= '9' && f[2].p[i + 1] >= '0' && f[2].p[i + 1] <= '9')
					s = MM_VS_VENDOR;
		}
		mm__inv_add(c, host, f[1], f[2], "product", s, lineno, l);
	}
	free(buf);
	return MM_OK;
}
