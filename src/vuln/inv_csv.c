/* mamori — inventory: a CSV of appliances and products an admin keeps by
 * hand, "host,product,version" (RFC 4180 quoting; header line optional;
 * spaces around fields ignored: "mx-gw, m-FILTER, 5.60R02"; a UTF-8 byte
 * order mark, as spreadsheet exports write, is skipped; blank lines and
 * lines starting with '#' are ignored; CRLF line ends). Products are
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

/* Spreadsheets (Excel's "CSV UTF-8") start the file with a byte order mark. */
static size_t bom(const char *data, size_t n)
{
	return n >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
}

static bool skip_line(struct mm_slice l)
{
	l = mm__trim(l);
	return !l.n || l.p[0] == '#';
}

bool mm__inv_csv_probe(const char *data, size_t n)
{
	size_t off = bom(data, n), good = 0;
	struct mm_slice l;
	char buf[1024];
	while (good < 3 && mm__next_line(data, n, &off, &l)) {
		if (skip_line(l))
			continue;
		struct mm_slice f[4], t = mm__trim(l);
		/* JSON and markup split into three "fields" too */
		if (t.p[0] == '{' || t.p[0] == '[' || t.p[0] == '<')
			return false;
		if (l.n >= sizeof(buf) || csv_fields(l, f, 4, buf) != 3 || !f[1].n)
			return false;
		/* every record but the header has a version with a digit */
		bool header = !good && mm_slice_ieq_cstr(f[0], "host") &&
		              mm_slice_ieq_cstr(f[1], "product");
		bool digit = false;
		for (size_t i = 0; i < f[2].n; i++)
			digit = digit || (f[2].p[i] >= '0' && f[2].p[i] <= '9');
		if (!header && !digit)
			return false;
		good++;
	}
	return good > 0;
}

int mm__inv_csv_parse(struct mm__inv_ctx *c, struct mm_error *err)
{
	(void)err;
	size_t off = bom(c->data, c->n);
	unsigned lineno = 0;
	struct mm_slice l;
	char *buf = mm_malloc(c->n + 1);
	bool header_seen = false;
	while (mm__next_line(c->data, c->n, &off, &l)) {
		lineno++;
		if (skip_line(l))
			continue;
		struct mm_slice f[4];
		size_t k = csv_fields(l, f, 4, buf);
		/* the header: the first record, "host,product,version" */
		bool first = !header_seen;
		header_seen = true;
		if (first && k == 3 && mm_slice_ieq_cstr(f[0], "host") &&
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
