/* mamori — DOM JSON parser (RFC 8259) used by `mamori vuln` for advisories and
 * SBOMs. Recursive descent with a depth cap; children are collected on one
 * shared scratch stack and copied into the document's arena when their array or
 * object closes, so a document costs one arena plus two reusable vectors.
 * Strict: no comments, no trailing commas, no NaN, UTF-8 validated (RFC 3629). */
#include "mamori/json.h"

#include <stdlib.h>
#include <string.h>

struct mm_json_doc {
	struct mm_arena *arena;
	const struct mm_json *root;
};

struct parser {
	const char *p, *end, *start;
	struct mm_arena *a;
	unsigned depth, max_depth;
	int rc;
	const char *err_at;
	/* scratch stacks shared by all levels */
	const struct mm_json **vals;
	size_t nvals, capvals;
	struct mm_json_member *mems;
	size_t nmems, capmems;
	struct mm_buf sbuf; /* string decoding */
};

static const struct mm_json g_null = {.type = MM_JSON_NULL};
static const struct mm_json g_true = {.type = MM_JSON_TRUE};
static const struct mm_json g_false = {.type = MM_JSON_FALSE};

static void *fail(struct parser *ps, int rc)
{
	if (!ps->rc) {
		ps->rc = rc;
		ps->err_at = ps->p;
	}
	return NULL;
}

static void *aalloc(struct parser *ps, size_t n)
{
	void *m = mm_arena_alloc(ps->a, n ? n : 1);
	if (!m)
		return fail(ps, MM_ELIMIT);
	return m;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end &&
	       (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

/* After an array item or object member (RFC 8259 §4, §5): ',' → 1 (another
 * follows), the closing bracket → 0 (both consumed), anything else → -1. */
static int after_item(struct parser *ps, char close)
{
	skip_ws(ps);
	if (ps->p >= ps->end)
		return -1;
	char c = *ps->p;
	if (c != ',' && c != close)
		return -1; /* the error points at the offending byte */
	ps->p++;
	return c == ',';
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void put_utf8(struct mm_buf *b, unsigned cp)
{
	char u[4];
	mm_buf_append(b, u, mm_utf8_put(u, cp));
}

/* Parses a string at ps->p (on the opening quote); the decoded bytes are copied
 * into the arena. Returns the copy or NULL. */
static const char *parse_string(struct parser *ps, size_t *len)
{
	struct mm_buf *b = &ps->sbuf;
	mm_buf_reset(b);
	ps->p++; /* " */
	const char *run = ps->p;
	for (;;) {
		if (ps->p >= ps->end)
			return fail(ps, MM_EPARSE);
		unsigned char c = (unsigned char)*ps->p;
		if (c == '"') {
			mm_buf_append(b, run, (size_t)(ps->p - run));
			ps->p++;
			break;
		}
		if (c < 0x20)
			return fail(ps, MM_EPARSE);
		if (c == '\\') {
			mm_buf_append(b, run, (size_t)(ps->p - run));
			if (ps->end - ps->p < 2)
				return fail(ps, MM_EPARSE);
			char e = ps->p[1];
			ps->p += 2;
			switch (e) {
			case '"': mm_buf_putc(b, '"'); break;
			case '\\': mm_buf_putc(b, '\\'); break;
			case '/': mm_buf_putc(b, '/'); break;
			case 'b': mm_buf_putc(b, '\b'); break;
			case 'f': mm_buf_putc(b, '\f'); break;
			case 'n': mm_buf_putc(b, '\n'); break;
			case 'r': mm_buf_putc(b, '\r'); break;
			case 't': mm_buf_putc(b, '\t'); break;
			case 'u': {
				unsigned cp, lo;
				if (ps->end - ps->p < 4 || hex4(ps->p, &cp))
					return fail(ps, MM_EPARSE);
				ps->p += 4;
				if (cp >= 0xD800 && cp <= 0xDBFF) {
					/* RFC 8259 §7: a surrogate pair is two escapes */
					if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u' ||
					    hex4(ps->p + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
						return fail(ps, MM_EPARSE);
					ps->p += 6;
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
					return fail(ps, MM_EPARSE);
				}
				put_utf8(b, cp);
				break;
			}
			default: ps->p -= 2; return fail(ps, MM_EPARSE);
			}
			run = ps->p;
			continue;
		}
		if (c >= 0x80) {
			size_t l = mm_utf8_seq_len((const unsigned char *)ps->p,
			                           (size_t)(ps->end - ps->p));
			if (!l)
				return fail(ps, MM_EPARSE);
			ps->p += l;
			continue;
		}
		ps->p++;
	}
	char *s = aalloc(ps, b->n + 1);
	if (!s)
		return NULL;
	if (b->n)
		memcpy(s, b->p, b->n);
	s[b->n] = '\0';
	*len = b->n;
	return s;
}

static const struct mm_json *parse_number(struct parser *ps)
{
	const char *s = ps->p, *e = ps->end;
	const char *q = s;
	if (q < e && *q == '-')
		q++;
	if (q >= e)
		return fail(ps, MM_EPARSE);
	if (*q == '0') {
		q++;
	} else if (*q >= '1' && *q <= '9') {
		while (q < e && *q >= '0' && *q <= '9')
			q++;
	} else {
		return fail(ps, MM_EPARSE);
	}
	if (q < e && *q == '.') {
		q++;
		if (q >= e || *q < '0' || *q > '9') {
			ps->p = q;
			return fail(ps, MM_EPARSE);
		}
		while (q < e && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < e && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < e && (*q == '+' || *q == '-'))
			q++;
		if (q >= e || *q < '0' || *q > '9') {
			ps->p = q;
			return fail(ps, MM_EPARSE);
		}
		while (q < e && *q >= '0' && *q <= '9')
			q++;
	}
	struct mm_json *v = aalloc(ps, sizeof(*v));
	char *txt = v ? aalloc(ps, (size_t)(q - s) + 1) : NULL;
	if (!txt)
		return NULL;
	memcpy(txt, s, (size_t)(q - s));
	txt[q - s] = '\0';
	memset(v, 0, sizeof(*v));
	v->type = MM_JSON_NUMBER;
	v->s = txt;
	v->n = (size_t)(q - s);
	v->num = strtod(txt, NULL);
	ps->p = q;
	return v;
}

static bool lit(struct parser *ps, const char *w, size_t n)
{
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, w, n) != 0)
		return false;
	ps->p += n;
	return true;
}

static const struct mm_json *parse_value(struct parser *ps);

static void push_val(struct parser *ps, const struct mm_json *v)
{
	if (ps->nvals == ps->capvals) {
		ps->capvals = ps->capvals ? ps->capvals * 2 : 64;
		ps->vals = mm_realloc(ps->vals, ps->capvals * sizeof(*ps->vals));
	}
	ps->vals[ps->nvals++] = v;
}

static void push_mem(struct parser *ps, const char *k, size_t kn, const struct mm_json *v)
{
	if (ps->nmems == ps->capmems) {
		ps->capmems = ps->capmems ? ps->capmems * 2 : 64;
		ps->mems = mm_realloc(ps->mems, ps->capmems * sizeof(*ps->mems));
	}
	ps->mems[ps->nmems].key = k;
	ps->mems[ps->nmems].klen = kn;
	ps->mems[ps->nmems].val = v;
	ps->nmems++;
}

static const struct mm_json *parse_array(struct parser *ps)
{
	size_t base = ps->nvals;
	ps->p++; /* [ */
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
	} else {
		for (;;) {
			const struct mm_json *v = parse_value(ps);
			if (!v)
				return NULL;
			push_val(ps, v);
			int more = after_item(ps, ']');
			if (more < 0)
				return fail(ps, MM_EPARSE);
			if (!more)
				break;
		}
	}
	size_t k = ps->nvals - base;
	struct mm_json *a = aalloc(ps, sizeof(*a));
	const struct mm_json **items = a ? aalloc(ps, k * sizeof(*items)) : NULL;
	if (!items)
		return NULL;
	if (k)
		memcpy(items, ps->vals + base, k * sizeof(*items));
	ps->nvals = base;
	memset(a, 0, sizeof(*a));
	a->type = MM_JSON_ARRAY;
	a->n = k;
	a->items = items;
	return a;
}

static const struct mm_json *parse_object(struct parser *ps)
{
	size_t base = ps->nmems;
	ps->p++; /* { */
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
	} else {
		for (;;) {
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != '"')
				return fail(ps, MM_EPARSE);
			size_t kn = 0;
			const char *k = parse_string(ps, &kn);
			if (!k)
				return NULL;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':')
				return fail(ps, MM_EPARSE);
			ps->p++;
			const struct mm_json *v = parse_value(ps);
			if (!v)
				return NULL;
			push_mem(ps, k, kn, v);
			int more = after_item(ps, '}');
			if (more < 0)
				return fail(ps, MM_EPARSE);
			if (!more)
				break;
		}
	}
	size_t k = ps->nmems - base;
	struct mm_json *o = aalloc(ps, sizeof(*o));
	struct mm_json_member *m = o ? aalloc(ps, k * sizeof(*m)) : NULL;
	if (!m)
		return NULL;
	if (k)
		memcpy(m, ps->mems + base, k * sizeof(*m));
	ps->nmems = base;
	memset(o, 0, sizeof(*o));
	o->type = MM_JSON_OBJECT;
	o->n = k;
	o->members = m;
	return o;
}

static const struct mm_json *parse_value(struct parser *ps)
{
	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, MM_EPARSE);
	switch (*ps->p) {
	case '{':
	case '[': {
		if (++ps->depth > ps->max_depth)
			return fail(ps, MM_ELIMIT);
		const struct mm_json *v = *ps->p == '{' ? parse_object(ps) : parse_array(ps);
		ps->depth--;
		return v;
	}
	case '"': {
		size_t n = 0;
		const char *s = parse_string(ps, &n);
		if (!s)
			return NULL;
		struct mm_json *v = aalloc(ps, sizeof(*v));
		if (!v)
			return NULL;
		memset(v, 0, sizeof(*v));
		v->type = MM_JSON_STRING;
		v->s = s;
		v->n = n;
		return v;
	}
	case 't': return lit(ps, "true", 4) ? &g_true : fail(ps, MM_EPARSE);
	case 'f': return lit(ps, "false", 5) ? &g_false : fail(ps, MM_EPARSE);
	case 'n': return lit(ps, "null", 4) ? &g_null : fail(ps, MM_EPARSE);
	default: return parse_number(ps);
	}
}

int mm_json_parse(struct mm_json_doc **out, const char *p, size_t n,
                  const struct mm_json_limits *lim, size_t *err_off)
{
	struct parser ps;
	memset(&ps, 0, sizeof(ps));
	size_t max_mem = lim && lim->max_mem ? lim->max_mem : (size_t)64 << 20;
	ps.max_depth = lim && lim->max_depth ? lim->max_depth : 64;
	ps.p = ps.start = p;
	ps.end = p + n;
	ps.a = mm_arena_new(n < 4096 ? 4096 : (n > (1u << 20) ? 1u << 20 : n), max_mem);
	mm_buf_init(&ps.sbuf, 0);
	*out = NULL;
	/* a UTF-8 byte order mark is tolerated (RFC 8259 §8.1 allows ignoring it) */
	if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		ps.p += 3;
	const struct mm_json *root = parse_value(&ps);
	if (root) {
		skip_ws(&ps);
		if (ps.p != ps.end)
			fail(&ps, MM_EPARSE);
	}
	free(ps.vals);
	free(ps.mems);
	mm_buf_free(&ps.sbuf);
	if (ps.rc || !root) {
		if (err_off)
			*err_off = (size_t)((ps.err_at ? ps.err_at : ps.p) - p);
		mm_arena_free(ps.a);
		return ps.rc ? ps.rc : MM_EPARSE;
	}
	struct mm_json_doc *d = mm_calloc(1, sizeof(*d));
	d->arena = ps.a;
	d->root = root;
	*out = d;
	return MM_OK;
}

void mm_json_doc_free(struct mm_json_doc *d)
{
	if (!d)
		return;
	mm_arena_free(d->arena);
	free(d);
}

const struct mm_json *mm_json_root(const struct mm_json_doc *d) { return d ? d->root : NULL; }

const struct mm_json *mm_json_get(const struct mm_json *obj, const char *key)
{
	if (!obj || obj->type != MM_JSON_OBJECT)
		return NULL;
	size_t kn = strlen(key);
	for (size_t i = 0; i < obj->n; i++)
		if (obj->members[i].klen == kn && !memcmp(obj->members[i].key, key, kn))
			return obj->members[i].val;
	return NULL;
}

const struct mm_json *mm_json_at(const struct mm_json *arr, size_t i)
{
	if (!arr || arr->type != MM_JSON_ARRAY || i >= arr->n)
		return NULL;
	return arr->items[i];
}

size_t mm_json_len(const struct mm_json *v)
{
	if (!v || (v->type != MM_JSON_ARRAY && v->type != MM_JSON_OBJECT))
		return 0;
	return v->n;
}

const char *mm_json_str(const struct mm_json *v)
{
	return v && v->type == MM_JSON_STRING ? v->s : NULL;
}

const char *mm_json_get_str(const struct mm_json *obj, const char *key)
{
	return mm_json_str(mm_json_get(obj, key));
}

bool mm_json_num(const struct mm_json *v, double *out)
{
	if (!v || v->type != MM_JSON_NUMBER)
		return false;
	*out = v->num;
	return true;
}

bool mm_json_is_true(const struct mm_json *v) { return v && v->type == MM_JSON_TRUE; }

const struct mm_json *mm_json_path(const struct mm_json *v, const char *dotted)
{
	char key[128];
	const char *p = dotted;
	while (v && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		v = mm_json_get(v, key);
		p += n + (dot ? 1 : 0);
	}
	return v;
}
