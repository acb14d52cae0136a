/* mamori — Windows event record XML → JSON, the step between libevtx (which
 * decodes .evtx BinXML into XML text, input.c) and the jsonl decoder, so a
 * .evtx record and an evtx_dump/SigmaHQ JSON rendering of it become the same
 * event. A small, strict XML 1.0 reader for the subset event records use:
 * elements, attributes, character data, the five predefined entities and
 * character references, CDATA, comments and the prolog (no DTDs). The tree
 * is built first (capped) because whether an element becomes a string or an
 * object depends on what follows its start tag. */
#include "input_int.h"

#include <stdlib.h>
#include <string.h>

#define XR_MAX_NODES 4096
#define XR_MAX_ATTRS 8192
#define XR_MAX_DEPTH 32

struct xattr {
	struct mm_slice name, value;
};

struct xnode {
	struct mm_slice name, text;
	bool cdata; /* text came from a CDATA section (no entities) */
	int parent, first, last, next;
	int attr0, nattr;
};

struct xr {
	const char *p;
	size_t n, i;
	struct xnode *nodes;
	int nn;
	struct xattr *attrs;
	int na;
};

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool at(const struct xr *x, const char *lit)
{
	size_t l = strlen(lit);
	return x->n - x->i >= l && memcmp(x->p + x->i, lit, l) == 0;
}

/* Skip past the next occurrence of end; false when absent. */
static bool skip_past(struct xr *x, const char *end)
{
	size_t l = strlen(end);
	for (size_t k = x->i; k + l <= x->n; k++)
		if (memcmp(x->p + k, end, l) == 0) {
			x->i = k + l;
			return true;
		}
	return false;
}

static void skip_ws(struct xr *x)
{
	while (x->i < x->n && is_ws(x->p[x->i]))
		x->i++;
}

static bool name_char(char c)
{
	return !is_ws(c) && c != '/' && c != '>' && c != '=' && c != '<' && c != '"' &&
	       c != '\'' && c != '&';
}

static bool read_name(struct xr *x, struct mm_slice *out)
{
	size_t s = x->i;
	while (x->i < x->n && name_char(x->p[x->i]))
		x->i++;
	if (x->i == s)
		return false;
	*out = mm_slice(x->p + s, x->i - s);
	return true;
}

static bool all_ws(struct mm_slice s)
{
	for (size_t i = 0; i < s.n; i++)
		if (!is_ws(s.p[i]))
			return false;
	return true;
}

static int new_node(struct xr *x, int parent, struct mm_slice name)
{
	if (x->nn >= XR_MAX_NODES)
		return -1;
	int k = x->nn++;
	struct xnode *d = &x->nodes[k];
	memset(d, 0, sizeof(*d));
	d->name = name;
	d->parent = parent;
	d->first = d->last = d->next = -1;
	d->attr0 = x->na;
	if (parent >= 0) {
		struct xnode *pa = &x->nodes[parent];
		if (pa->last >= 0)
			x->nodes[pa->last].next = k;
		else
			pa->first = k;
		pa->last = k;
	}
	return k;
}

/* Start tag after '<': name, attributes, then '>' or '/>'. */
static bool start_tag(struct xr *x, int parent, int *node, bool *empty)
{
	struct mm_slice name;
	if (!read_name(x, &name))
		return false;
	int k = new_node(x, parent, name);
	if (k < 0)
		return false;
	for (;;) {
		skip_ws(x);
		if (x->i >= x->n)
			return false;
		if (x->p[x->i] == '>') {
			x->i++;
			*empty = false;
			break;
		}
		if (at(x, "/>")) {
			x->i += 2;
			*empty = true;
			break;
		}
		struct mm_slice an;
		if (!read_name(x, &an))
			return false;
		skip_ws(x);
		if (x->i >= x->n || x->p[x->i] != '=')
			return false;
		x->i++;
		skip_ws(x);
		if (x->i >= x->n || (x->p[x->i] != '"' && x->p[x->i] != '\''))
			return false;
		char q = x->p[x->i++];
		const char *e = memchr(x->p + x->i, q, x->n - x->i);
		if (!e || x->na >= XR_MAX_ATTRS)
			return false;
		struct xattr *a = &x->attrs[x->na++];
		a->name = an;
		a->value = mm_slice(x->p + x->i, (size_t)(e - (x->p + x->i)));
		x->i = (size_t)(e - x->p) + 1;
		x->nodes[k].nattr++;
	}
	*node = k;
	return true;
}

static bool parse(struct xr *x)
{
	int cur = -1, depth = 0;
	bool root = false;
	while (x->i < x->n) {
		if (x->p[x->i] != '<') {
			size_t s = x->i;
			const char *lt = memchr(x->p + s, '<', x->n - s);
			x->i = lt ? (size_t)(lt - x->p) : x->n;
			struct mm_slice t = mm_slice(x->p + s, x->i - s);
			if (all_ws(t))
				continue;
			if (cur < 0)
				return false; /* text outside the root element */
			if (!x->nodes[cur].text.p)
				x->nodes[cur].text = t;
			continue;
		}
		if (at(x, "<?")) {
			if (!skip_past(x, "?>"))
				return false;
		} else if (at(x, "<!--")) {
			if (!skip_past(x, "-->"))
				return false;
		} else if (at(x, "<![CDATA[")) {
			size_t s = x->i + 9;
			x->i = s;
			if (!skip_past(x, "]]>") || cur < 0)
				return false;
			if (!x->nodes[cur].text.p) {
				x->nodes[cur].text = mm_slice(x->p + s, x->i - 3 - s);
				x->nodes[cur].cdata = true;
			}
		} else if (at(x, "<!")) {
			return false; /* DTDs are not part of event records */
		} else if (at(x, "</")) {
			x->i += 2;
			struct mm_slice name;
			if (!read_name(x, &name) || cur < 0 || !mm_slice_eq(name, x->nodes[cur].name))
				return false;
			skip_ws(x);
			if (x->i >= x->n || x->p[x->i] != '>')
				return false;
			x->i++;
			cur = x->nodes[cur].parent;
			depth--;
		} else {
			x->i++;
			if (cur < 0 && root)
				return false; /* a second root element */
			int k;
			bool empty;
			if (!start_tag(x, cur, &k, &empty))
				return false;
			root = true;
			if (!empty) {
				if (++depth > XR_MAX_DEPTH)
					return false;
				cur = k;
			}
		}
	}
	return root && cur < 0;
}

/* XML 1.0 §4.6 predefined entities and §4.1 character references; anything
 * else stays as written. */
static size_t entity(const char *p, size_t n, char *o, size_t *used)
{
	static const struct {
		const char *e;
		char c;
	} pre[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
	for (size_t k = 0; k < sizeof(pre) / sizeof(pre[0]); k++) {
		size_t l = strlen(pre[k].e);
		if (n >= l && memcmp(p, pre[k].e, l) == 0) {
			*used = l;
			o[0] = pre[k].c;
			return 1;
		}
	}
	if (n >= 4 && p[1] == '#') {
		size_t i = 2;
		int base = 10;
		if (p[i] == 'x') {
			base = 16;
			i++;
		}
		unsigned long cp = 0;
		size_t s = i;
		while (i < n && i - s < 8) {
			char c = p[i];
			int d;
			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (base == 16 && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
				d = (c | 0x20) - 'a' + 10;
			else
				break;
			cp = cp * (unsigned long)base + (unsigned long)d;
			i++;
		}
		if (i > s && i < n && p[i] == ';') {
			*used = i + 1;
			if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
				cp = 0xFFFD;
			return mm_utf8_put(o, (unsigned)cp);
		}
	}
	*used = 1;
	o[0] = '&';
	return 1;
}

static int put_str(struct mm_buf *o, struct mm_slice s, bool raw)
{
	if (mm_buf_putc(o, '"'))
		return MM_ELIMIT;
	size_t i = 0;
	while (i < s.n) {
		const char *amp = raw ? NULL : memchr(s.p + i, '&', s.n - i);
		size_t run = amp ? (size_t)(amp - (s.p + i)) : s.n - i;
		if (run && mm_json_escape(o, s.p + i, run))
			return MM_ELIMIT;
		i += run;
		if (i < s.n) {
			char u[4];
			size_t used;
			size_t k = entity(s.p + i, s.n - i, u, &used);
			if (mm_json_escape(o, u, k))
				return MM_ELIMIT;
			i += used;
		}
	}
	return mm_buf_putc(o, '"') ? MM_ELIMIT : MM_OK;
}

/* <Data Name="X"> inside EventData is keyed by X, as evtx_dump does. */
static int data_name(const struct xr *x, const struct xnode *d)
{
	if (!mm_slice_eq_cstr(d->name, "Data"))
		return -1;
	for (int a = 0; a < d->nattr; a++)
		if (mm_slice_eq_cstr(x->attrs[d->attr0 + a].name, "Name"))
			return d->attr0 + a;
	return -1;
}

/* An element becomes an object when it has attributes (other than the
 * Name that keys a Data element) or child elements; else a string (or
 * null when empty). */
static bool is_object(const struct xr *x, int k, int skip_attr)
{
	const struct xnode *d = &x->nodes[k];
	return d->nattr - (skip_attr >= 0) > 0 || d->first >= 0;
}

static int write_node(const struct xr *x, int k, struct mm_buf *o);

static int write_pair(const struct xr *x, int k, struct mm_buf *o)
{
	const struct xnode *d = &x->nodes[k];
	int dn = data_name(x, d);
	int rc = put_str(o, dn >= 0 ? x->attrs[dn].value : d->name, false);
	if (rc || mm_buf_putc(o, ':'))
		return MM_ELIMIT;
	if (!is_object(x, k, dn)) {
		if (d->text.p)
			return put_str(o, d->text, d->cdata);
		return mm_buf_puts(o, dn >= 0 ? "\"\"" : "null") ? MM_ELIMIT : MM_OK;
	}
	return write_node(x, k, o);
}

static int write_node(const struct xr *x, int k, struct mm_buf *o)
{
	const struct xnode *d = &x->nodes[k];
	int dn = data_name(x, d);
	bool comma = false;
	if (mm_buf_putc(o, '{'))
		return MM_ELIMIT;
	if (d->nattr - (dn >= 0) > 0) {
		if (mm_buf_puts(o, "\"#attributes\":{"))
			return MM_ELIMIT;
		bool c2 = false;
		for (int a = 0; a < d->nattr; a++) {
			if (d->attr0 + a == dn)
				continue;
			const struct xattr *at_ = &x->attrs[d->attr0 + a];
			if ((c2 && mm_buf_putc(o, ',')) || put_str(o, at_->name, false) ||
			    mm_buf_putc(o, ':') || put_str(o, at_->value, false))
				return MM_ELIMIT;
			c2 = true;
		}
		if (mm_buf_putc(o, '}'))
			return MM_ELIMIT;
		comma = true;
	}
	for (int c = d->first; c >= 0; c = x->nodes[c].next) {
		if (comma && mm_buf_putc(o, ','))
			return MM_ELIMIT;
		int rc = write_pair(x, c, o);
		if (rc)
			return rc;
		comma = true;
	}
	if (d->text.p) {
		if ((comma && mm_buf_putc(o, ',')) || mm_buf_puts(o, "\"#text\":") ||
		    put_str(o, d->text, d->cdata))
			return MM_ELIMIT;
	}
	return mm_buf_putc(o, '}') ? MM_ELIMIT : MM_OK;
}

int mm__evtx_render(const char *xml, size_t n, struct mm_buf *out)
{
	struct xr x = {.p = xml, .n = n};
	int rc = MM_EPARSE;
	x.nodes = mm_malloc(XR_MAX_NODES * sizeof(*x.nodes));
	x.attrs = mm_malloc(XR_MAX_ATTRS * sizeof(*x.attrs));
	/* libevtx's strings end in NUL; a trailing NUL is not content */
	while (x.n && x.p[x.n - 1] == '\0')
		x.n--;
	if (!parse(&x))
		goto out;
	if (mm_buf_putc(out, '{')) {
		rc = MM_ELIMIT;
		goto out;
	}
	rc = write_pair(&x, 0, out);
	if (!rc && mm_buf_putc(out, '}'))
		rc = MM_ELIMIT;
out:
	free(x.nodes);
	free(x.attrs);
	return rc;
}
