/* mamori — alerts: evidence identity and the JSON Lines rendering.
 * Pipeline position: detect → alert → sinks. The rendering is one flat list of
 * (dotted ECS name, value) entries — alert metadata, the event's fields and the
 * evidence — sorted by name and written as nested JSON objects, so the output
 * is deterministic and field names are stable (ECS: "source.ip" → source.ip). */
#include "mamori/alert.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

enum vkind { V_STR, V_NUM, V_BOOL, V_RAW /* pre-rendered JSON */ };

struct entry {
	const char *name;
	size_t nlen;
	struct mm_slice v;
	enum vkind kind;
	bool array; /* always render as an array (tags) */
	size_t order;
};

#define MAX_ENTRIES (MM_F__COUNT + 320)

struct entries {
	struct entry e[MAX_ENTRIES];
	size_t n;
	uint64_t dropped;
	/* render()'s sort: indices, merge scratch, the entries in order */
	uint16_t ix[MAX_ENTRIES], tmp[MAX_ENTRIES];
	struct entry sorted[MAX_ENTRIES];
};

/* One spare entries block, reused: an alert is rendered per match, and a
 * 40 KB malloc per alert made glibc consolidate its fast bins each time.
 * Exchanged atomically, so concurrent renderers each get their own. */
static _Atomic(struct entries *) g_spare;

static struct entries *entries_get(void)
{
	struct entries *es = atomic_exchange(&g_spare, NULL);
	if (!es)
		es = mm_malloc(sizeof(*es));
	es->n = 0;
	es->dropped = 0;
	return es;
}

static void entries_put(struct entries *es)
{
	free(atomic_exchange(&g_spare, es));
}

static void add(struct entries *es, const char *name, size_t nlen, struct mm_slice v,
                enum vkind kind, bool array)
{
	if (es->n == MAX_ENTRIES) {
		es->dropped++;
		return;
	}
	struct entry *e = &es->e[es->n];
	e->name = name;
	e->nlen = nlen;
	e->v = v;
	e->kind = kind;
	e->array = array;
	e->order = es->n++;
}

static int cmp_entry(const struct entry *a, const struct entry *b)
{
	/* compare as if '.' sorted before every other byte so that a parent's
	 * children stay contiguous ("a.b" < "a-b"); ties keep insertion order */
	size_t n = a->nlen < b->nlen ? a->nlen : b->nlen;
	for (size_t i = 0; i < n; i++) {
		unsigned ca = (unsigned char)a->name[i], cb = (unsigned char)b->name[i];
		if (ca == '.')
			ca = 0;
		if (cb == '.')
			cb = 0;
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	if (a->nlen != b->nlen)
		return a->nlen < b->nlen ? -1 : 1;
	return a->order < b->order ? -1 : (a->order > b->order);
}

/* Order the entries by cmp_entry: a stable merge sort of 16-bit indices
 * (an alert has 50-80 entries), then one gather. glibc's qsort on the
 * 48-byte entries allocated its merge buffer per call. */
static void sort_entries(struct entries *es)
{
	size_t n = es->n;
	uint16_t *a = es->ix, *t = es->tmp;
	for (size_t i = 0; i < n; i++)
		a[i] = (uint16_t)i;
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				t[k++] = cmp_entry(&es->e[a[j]], &es->e[a[i]]) < 0 ? a[j++] : a[i++];
			while (i < mid)
				t[k++] = a[i++];
			while (j < hi)
				t[k++] = a[j++];
		}
		uint16_t *x = a;
		a = t;
		t = x;
	}
	for (size_t i = 0; i < n; i++)
		es->sorted[i] = es->e[a[i]];
	memcpy(es->e, es->sorted, n * sizeof(es->e[0]));
}

static bool is_json_number(struct mm_slice v)
{
	int64_t x;
	if (mm_slice_to_i64(v, &x) != MM_OK)
		return false;
	/* reject forms JSON forbids: leading '+', leading zeros */
	if (v.p[0] == '+')
		return false;
	size_t i = v.p[0] == '-';
	if (v.n - i > 1 && v.p[i] == '0')
		return false;
	return true;
}

static int put_value(struct mm_buf *b, const struct entry *e)
{
	if (e->kind == V_RAW)
		return mm_buf_append(b, e->v.p, e->v.n);
	if ((e->kind == V_NUM && is_json_number(e->v)) ||
	    (e->kind == V_BOOL && (mm_slice_eq_cstr(e->v, "true") ||
	                           mm_slice_eq_cstr(e->v, "false"))))
		return mm_buf_append(b, e->v.p, e->v.n);
	int rc = mm_buf_putc(b, '"');
	if (!rc)
		rc = mm_json_escape(b, e->v.p, e->v.n);
	if (!rc)
		rc = mm_buf_putc(b, '"');
	return rc;
}

static int put_key(struct mm_buf *b, const char *k, size_t n, bool *first)
{
	int rc = 0;
	if (!*first)
		rc = mm_buf_putc(b, ',');
	*first = false;
	if (!rc)
		rc = mm_buf_putc(b, '"');
	if (!rc)
		rc = mm_json_escape(b, k, n);
	if (!rc)
		rc = mm_buf_append(b, "\":", 2);
	return rc;
}

/* Number of leading components shared by two dotted names (whole components). */
static size_t shared_depth(const char *a, size_t an, const char *b, size_t bn, size_t *bytes)
{
	size_t depth = 0, i = 0, last = 0;
	while (i < an && i < bn && a[i] == b[i]) {
		if (a[i] == '.') {
			depth++;
			last = i + 1;
		}
		i++;
	}
	if ((i == an && i < bn && b[i] == '.') || (i == bn && i < an && a[i] == '.') ||
	    (i == an && i == bn)) {
		/* one is a whole-component prefix of the other (or equal) */
		depth++;
		last = i + 1;
	}
	*bytes = last;
	return depth;
}

static size_t count_components(const char *a, size_t n)
{
	size_t c = 1;
	for (size_t i = 0; i < n; i++)
		c += a[i] == '.';
	return c;
}

/* Write sorted entries as nested objects. Same-name runs become arrays; a
 * name that is both a leaf and a parent ("a" and "a.b") puts the leaf under
 * "a": {"_value": …}. */
static int render(struct mm_buf *b, struct entries *es, bool open_brace)
{
	int rc = 0;
	sort_entries(es);
	if (open_brace)
		rc = mm_buf_putc(b, '{');
	size_t depth = 0; /* open nested objects */
	bool first[40] = {true};
	first[0] = !open_brace ? false : true;
	const char *prev = NULL;
	size_t prevn = 0;
	for (size_t i = 0; i < es->n && !rc;) {
		struct entry *e = &es->e[i];
		size_t j = i + 1;
		while (j < es->n && es->e[j].nlen == e->nlen &&
		       memcmp(es->e[j].name, e->name, e->nlen) == 0)
			j++;
		/* close objects not shared with this name */
		size_t common = 0, cb;
		if (prev)
			common = shared_depth(prev, prevn, e->name, e->nlen, &cb);
		size_t ncomp = count_components(e->name, e->nlen);
		/* the prev leaf's own component is not an open object */
		size_t keep = common < depth ? common : depth;
		while (depth > keep && !rc) {
			rc = mm_buf_putc(b, '}');
			depth--;
		}
		/* open intermediate objects */
		const char *p = e->name;
		size_t comp = 0, start = 0;
		for (size_t k = 0; k <= e->nlen && !rc; k++) {
			if (k == e->nlen || p[k] == '.') {
				if (comp >= depth && comp + 1 < ncomp) {
					rc = put_key(b, p + start, k - start, &first[depth]);
					if (!rc)
						rc = mm_buf_putc(b, '{');
					depth++;
					if (depth < MM_ARRAY_LEN(first))
						first[depth] = true;
				}
				comp++;
				start = k + 1;
			}
		}
		if (rc)
			break;
		/* leaf; does the next distinct name nest under it? */
		const char *last = e->name;
		size_t lastn = e->nlen;
		for (size_t k = e->nlen; k > 0; k--)
			if (e->name[k - 1] == '.') {
				last = e->name + k;
				lastn = e->nlen - k;
				break;
			}
		bool parent = j < es->n && es->e[j].nlen > e->nlen &&
		              memcmp(es->e[j].name, e->name, e->nlen) == 0 &&
		              es->e[j].name[e->nlen] == '.';
		rc = put_key(b, last, lastn, &first[depth]);
		if (!rc && parent) {
			rc = mm_buf_putc(b, '{');
			depth++;
			if (depth < MM_ARRAY_LEN(first))
				first[depth] = true;
			if (!rc)
				rc = put_key(b, "_value", 6, &first[depth]);
		}
		bool arr = e->array || j - i > 1;
		if (!rc && arr)
			rc = mm_buf_putc(b, '[');
		for (size_t k = i; k < j && !rc; k++) {
			if (k > i)
				rc = mm_buf_putc(b, ',');
			if (!rc)
				rc = put_value(b, &es->e[k]);
		}
		if (!rc && arr)
			rc = mm_buf_putc(b, ']');
		prev = e->name;
		prevn = e->nlen;
		i = j;
	}
	while (depth > 0 && !rc) {
		rc = mm_buf_putc(b, '}');
		depth--;
	}
	if (!rc && open_brace)
		rc = mm_buf_putc(b, '}');
	return rc;
}

static enum vkind kind_of(enum mm_field_id id)
{
	return mm_field_type(id) == MM_FT_LONG ? V_NUM : V_STR;
}

static void add_event_fields(struct entries *es, const struct mm_event *ev)
{
	for (size_t i = 0; i < MM_F__COUNT; i++) {
		if (!ev->f[i].p || i == MM_F_TIMESTAMP)
			continue;
		const char *nm = mm_field_name((enum mm_field_id)i);
		add(es, nm, strlen(nm), ev->f[i], kind_of((enum mm_field_id)i), false);
	}
	for (size_t i = 0; i < ev->n_extra; i++) {
		const struct mm_kv *kv = &ev->extra[i];
		if (!kv->k.p || !kv->k.n || !kv->v.p)
			continue;
		/* an extra key equal to a dictionary name would duplicate it */
		if (mm_field_lookup(kv->k.p, kv->k.n) >= 0)
			continue;
		add(es, kv->k.p, kv->k.n, kv->v, V_STR, false);
	}
}

int mm_event_fields_to_json(struct mm_buf *out, const struct mm_event *ev)
{
	struct entries *es = entries_get();
	add_event_fields(es, ev);
	int rc = render(out, es, false);
	entries_put(es);
	return rc;
}

void mm_alert_init(struct mm_alert *a, const struct mm_rule_info *rule, const struct mm_event *ev,
                   const char *src_key)
{
	static const char hex[] = "0123456789abcdef";
	a->rule = rule;
	a->ev = ev;
	a->corr = NULL;
	uint64_t h = mm_hash64(rule->id, strlen(rule->id), 0x6d616d6f7269ULL);
	h = mm_hash64(src_key, strlen(src_key), h);
	h = mm_hash64(&ev->offset, sizeof(ev->offset), h);
	h = mm_hash64(ev->raw.p ? ev->raw.p : "", ev->raw.n, h);
	a->identity = h;
	for (int i = 0; i < 16; i++)
		a->id[i] = hex[(h >> (60 - 4 * i)) & 15];
	a->id[16] = '\0';
}

void mm_alert_init_corr(struct mm_alert *a, const struct mm_corr_result *res,
                        const struct mm_event *ev, const char *src_key)
{
	static const char hex[] = "0123456789abcdef";
	a->rule = res->rule;
	a->ev = ev;
	a->corr = res;
	/* evidence identity: rule + group key + window start + source (a
	 * re-scan of the same input yields the same windows) */
	uint64_t h = mm_hash64(res->rule->id, strlen(res->rule->id), 0x636f7272656cULL);
	for (size_t i = 0; i < res->ngroup; i++) {
		uint64_t n = res->group_vals[i].n;
		h = mm_hash64(&n, sizeof(n), h);
		h = mm_hash64(res->group_vals[i].p ? res->group_vals[i].p : "", n, h);
	}
	h = mm_hash64(&res->first_ts, sizeof(res->first_ts), h);
	h = mm_hash64(src_key, strlen(src_key), h);
	if (res->overflow) {
		h = mm_hash64("overflow", 8, h);
		h = mm_hash64(&ev->offset, sizeof(ev->offset), h);
	}
	a->identity = h;
	for (int i = 0; i < 16; i++)
		a->id[i] = hex[(h >> (60 - 4 * i)) & 15];
	a->id[16] = '\0';
}

/* Scratch strings that must live until render(): one arena-like buffer. */
struct strs {
	char b[8192];
	size_t n;
};

static struct mm_slice keep(struct strs *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static struct mm_slice keep(struct strs *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = sizeof(s->b) - s->n;
	int k = vsnprintf(s->b + s->n, room, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= room)
		return MM_SLICE_LIT("");
	struct mm_slice r = mm_slice(s->b + s->n, (size_t)k);
	s->n += (size_t)k + 1;
	return r;
}

static void add_raw(struct entries *es, const struct mm_event *ev, size_t raw_max)
{
	size_t max = raw_max ? raw_max : 4096;
	struct mm_slice raw = ev->raw;
	bool cut = false;
	if (raw.n > max) {
		raw.n = max;
		/* do not split a UTF-8 sequence */
		while (raw.n > 0 && ((unsigned char)raw.p[raw.n] & 0xC0) == 0x80)
			raw.n--;
		cut = true;
	}
	add(es, "evidence.raw", 12, raw, V_STR, false);
	bool trunc = cut || (ev->flags & MM_EV_TRUNCATED);
	add(es, "evidence.truncated", 18, trunc ? MM_SLICE_LIT("true") : MM_SLICE_LIT("false"),
	    V_BOOL, false);
}

static int corr_to_json(struct mm_buf *out, const struct mm_alert *a, size_t raw_max)
{
	const struct mm_corr_result *c = a->corr;
	const struct mm_event *ev = a->ev;
	const struct mm_rule_info *r = a->rule;
	struct entries *es = entries_get();
	struct strs *ss = mm_malloc(sizeof(*ss));
	struct mm_buf evj;
	int rc;
	es->n = 0;
	es->dropped = 0;
	ss->n = 0;
	mm_buf_init(&evj, 1 << 20);
	char ts[40];
	if (c->last_ts != MM_TS_NONE) {
		mm_time_format(c->last_ts, ts, sizeof(ts));
		add(es, "@timestamp", 10, mm_slice_cstr(ts), V_STR, false);
	}
	add(es, "event.kind", 10, MM_SLICE_LIT("alert"), V_STR, false);
	if (ev->dataset)
		add(es, "event.dataset", 13, mm_slice_cstr(ev->dataset), V_STR, false);
	add(es, "rule.id", 7, mm_slice_cstr(r->id), V_STR, false);
	add(es, "rule.name", 9, mm_slice_cstr(r->title), V_STR, false);
	add(es, "rule.level", 10, mm_slice_cstr(r->level), V_STR, false);
	add(es, "rule.severity", 13, keep(ss, "%d", r->severity), V_NUM, false);
	add(es, "rule.ruleset", 12, MM_SLICE_LIT("sigma"), V_STR, false);
	if (r->path)
		add(es, "rule.reference", 14, mm_slice_cstr(r->path), V_STR, false);
	for (size_t i = 0; i < r->ntags; i++)
		add(es, "tags", 4, mm_slice_cstr(r->tags[i]), V_STR, true);
	/* the group-by values as the event fields they are (source.ip …) */
	if (!c->overflow)
		for (size_t i = 0; i < c->ngroup; i++) {
			const char *g = c->group_names[i];
			add(es, g, strlen(g), c->group_vals[i], V_STR, false);
		}
	add(es, "correlation.type", 16,
	    c->overflow ? MM_SLICE_LIT("state_overflow") : mm_slice_cstr(r->corr_type), V_STR,
	    false);
	add(es, "correlation.timespan_seconds", 28,
	    keep(ss, "%lld", (long long)(c->timespan_ns / MM_NS_PER_SEC)), V_NUM, false);
	for (size_t i = 0; i < c->ngroup; i++)
		add(es, "correlation.group_by", 20, mm_slice_cstr(c->group_names[i]), V_STR, true);
	for (size_t i = 0; i < c->nrules; i++)
		add(es, "correlation.rules", 17, mm_slice_cstr(c->rules[i]), V_STR, true);
	if (c->overflow) {
		add(es, "correlation.overflow_reason", 27, mm_slice_cstr(c->overflow_reason), V_STR,
		    false);
	} else {
		char t0[40], t1[40];
		mm_time_format(c->first_ts, t0, sizeof(t0));
		mm_time_format(c->last_ts, t1, sizeof(t1));
		add(es, "correlation.window.start", 24, keep(ss, "%s", t0), V_STR, false);
		add(es, "correlation.window.end", 22, keep(ss, "%s", t1), V_STR, false);
		add(es, "correlation.count", 17, keep(ss, "%llu", (unsigned long long)c->count), V_NUM,
		    false);
		add(es, "correlation.approximate", 23,
		    c->approx ? MM_SLICE_LIT("true") : MM_SLICE_LIT("false"), V_BOOL, false);
		if (c->field)
			add(es, "correlation.field", 17, mm_slice_cstr(c->field), V_STR, false);
		if (c->has_distinct) {
			add(es, "correlation.distinct_count", 26,
			    keep(ss, "%llu", (unsigned long long)c->distinct), V_NUM, false);
			for (size_t i = 0; i < c->nvalues && i < MM_ALERT_LIST_MAX; i++)
				add(es, "correlation.values", 18, c->values[i], V_STR, true);
			add(es, "correlation.values_total", 24,
			    keep(ss, "%llu", (unsigned long long)c->distinct), V_NUM, false);
		}
		for (size_t l = 0; l < c->nlists; l++) {
			const struct mm_corr_list *li = &c->lists[l];
			struct mm_slice k = keep(ss, "correlation.%s", li->name);
			for (size_t i = 0; i < li->n && i < MM_ALERT_LIST_MAX; i++)
				add(es, k.p, k.n, li->v[i], V_STR, true);
			struct mm_slice kt = keep(ss, "correlation.%s_total", li->name);
			add(es, kt.p, kt.n, keep(ss, "%llu", (unsigned long long)li->total), V_NUM,
			    false);
		}
		if (c->has_outcomes) {
			uint64_t all = c->failures + c->successes;
			add(es, "correlation.failures", 20,
			    keep(ss, "%llu", (unsigned long long)c->failures), V_NUM, false);
			add(es, "correlation.successes", 21,
			    keep(ss, "%llu", (unsigned long long)c->successes), V_NUM, false);
			add(es, "correlation.failure_ratio", 25,
			    keep(ss, "%.4f", all ? (double)c->failures / (double)all : 0.0), V_RAW,
			    false);
		}
		if (c->has_value) {
			struct mm_slice v = keep(ss, "%.15g", c->value);
			add(es, "correlation.value", 17, v, is_json_number(v) ? V_NUM : V_STR, false);
		}
	}
	add(es, "evidence.file", 13, mm_slice_cstr(ev->src_path ? ev->src_path : "-"), V_STR, false);
	add(es, "evidence.offset", 15, keep(ss, "%llu", (unsigned long long)ev->offset), V_NUM,
	    false);
	add(es, "evidence.line", 13, keep(ss, "%llu", (unsigned long long)ev->line_no), V_NUM,
	    false);
	add_raw(es, ev, raw_max);
	if (!c->overflow) {
		mm_buf_putc(&evj, '[');
		for (size_t i = 0; i < c->nrefs; i++) {
			const struct mm_evref *e = &c->refs[i];
			char et[40];
			mm_time_format(e->ts, et, sizeof(et));
			mm_buf_printf(&evj, "%s{\"@timestamp\":\"%s\",\"file\":\"", i ? "," : "", et);
			mm_json_escape(&evj, e->file, strlen(e->file));
			mm_buf_printf(&evj, "\",\"offset\":%llu,\"line\":%llu,\"rule\":\"",
			              (unsigned long long)e->offset, (unsigned long long)e->line);
			mm_json_escape(&evj, e->rule_id, strlen(e->rule_id));
			mm_buf_puts(&evj, "\"}");
		}
		mm_buf_putc(&evj, ']');
		add(es, "evidence.events", 15, mm_slice(evj.p, evj.n), V_RAW, false);
		add(es, "evidence.events_total", 21,
		    keep(ss, "%llu", (unsigned long long)c->refs_total), V_NUM, false);
	}
	add(es, "mamori.alert_id", 15, mm_slice(a->id, 16), V_STR, false);
	rc = render(out, es, true);
	mm_buf_free(&evj);
	free(ss);
	entries_put(es);
	return rc;
}

int mm_alert_to_json(struct mm_buf *out, const struct mm_alert *a, size_t raw_max)
{
	if (a->corr)
		return corr_to_json(out, a, raw_max);
	const struct mm_event *ev = a->ev;
	const struct mm_rule_info *r = a->rule;
	struct entries *es = entries_get();
	char ts[40] = "", sev[4], off[24], line[24];
	if (ev->ts != MM_TS_NONE) {
		mm_time_format(ev->ts, ts, sizeof(ts));
		add(es, "@timestamp", 10, mm_slice_cstr(ts), V_STR, false);
	}
	add_event_fields(es, ev);
	/* alert metadata overrides event.kind */
	for (size_t i = 0; i < es->n; i++)
		if (es->e[i].nlen == 10 && !memcmp(es->e[i].name, "event.kind", 10))
			es->e[i].v = MM_SLICE_LIT("alert");
	if (!ev->f[MM_F_EVENT_KIND].p)
		add(es, "event.kind", 10, MM_SLICE_LIT("alert"), V_STR, false);
	if (ev->dataset && !ev->f[MM_F_EVENT_DATASET].p)
		add(es, "event.dataset", 13, mm_slice_cstr(ev->dataset), V_STR, false);
	add(es, "rule.id", 7, mm_slice_cstr(r->id), V_STR, false);
	add(es, "rule.name", 9, mm_slice_cstr(r->title), V_STR, false);
	add(es, "rule.level", 10, mm_slice_cstr(r->level), V_STR, false);
	snprintf(sev, sizeof(sev), "%d", r->severity);
	add(es, "rule.severity", 13, mm_slice_cstr(sev), V_NUM, false);
	add(es, "rule.ruleset", 12, MM_SLICE_LIT("sigma"), V_STR, false);
	if (r->path)
		add(es, "rule.reference", 14, mm_slice_cstr(r->path), V_STR, false);
	for (size_t i = 0; i < r->ntags; i++)
		add(es, "tags", 4, mm_slice_cstr(r->tags[i]), V_STR, true);
	add(es, "evidence.file", 13, mm_slice_cstr(ev->src_path ? ev->src_path : "-"), V_STR, false);
	snprintf(off, sizeof(off), "%llu", (unsigned long long)ev->offset);
	snprintf(line, sizeof(line), "%llu", (unsigned long long)ev->line_no);
	add(es, "evidence.offset", 15, mm_slice_cstr(off), V_NUM, false);
	add(es, "evidence.line", 13, mm_slice_cstr(line), V_NUM, false);
	size_t max = raw_max ? raw_max : 4096;
	struct mm_slice raw = ev->raw;
	bool cut = false;
	if (raw.n > max) {
		raw.n = max;
		/* do not split a UTF-8 sequence */
		while (raw.n > 0 && ((unsigned char)raw.p[raw.n] & 0xC0) == 0x80)
			raw.n--;
		cut = true;
	}
	add(es, "evidence.raw", 12, raw, V_STR, false);
	bool trunc = cut || (ev->flags & MM_EV_TRUNCATED);
	add(es, "evidence.truncated", 18, trunc ? MM_SLICE_LIT("true") : MM_SLICE_LIT("false"),
	    V_BOOL, false);
	add(es, "mamori.alert_id", 15, mm_slice(a->id, 16), V_STR, false);
	int rc = render(out, es, true);
	entries_put(es);
	return rc;
}

/* Terminal-safe copy: printable ASCII and valid UTF-8 pass, everything else
 * becomes \xHH (so an attacker cannot move the cursor or recolour a
 * terminal through a log line). At most max bytes of input are shown. */
static int put_safe(struct mm_buf *b, struct mm_slice v, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)v.p;
	size_t n = v.n < max ? v.n : max;
	int rc = MM_OK;
	for (size_t i = 0; i < n && !rc;) {
		size_t l = p[i] >= 0x80 ? mm_utf8_seq_len(p + i, n - i) : 1;
		if ((p[i] >= 0x20 && p[i] < 0x7f) || (p[i] >= 0x80 && l > 0)) {
			rc = mm_buf_append(b, p + i, l);
			i += l;
			continue;
		}
		char esc[4] = {'\\', 'x', hex[p[i] >> 4], hex[p[i] & 15]};
		rc = mm_buf_append(b, esc, 4);
		i++;
	}
	if (!rc && v.n > max)
		rc = mm_buf_puts(b, "...");
	return rc;
}

static int corr_to_text(struct mm_buf *out, const struct mm_alert *a)
{
	const struct mm_corr_result *c = a->corr;
	char ts[40] = "-";
	if (c->last_ts != MM_TS_NONE)
		mm_time_format(c->last_ts, ts, sizeof(ts));
	int rc = mm_buf_printf(out, "%s  %-8s %s%s", ts, a->rule->level,
	                       c->overflow ? "state overflow: " : "", a->rule->title);
	if (c->overflow)
		return rc ? rc : mm_buf_printf(out, "  (%s)", c->overflow_reason);
	for (size_t i = 0; i < c->ngroup && !rc; i++) {
		rc = mm_buf_printf(out, "  %s=", c->group_names[i]);
		if (!rc)
			rc = put_safe(out, c->group_vals[i], 64);
	}
	if (!rc)
		rc = mm_buf_printf(out, "  events=%llu", (unsigned long long)c->count);
	if (!rc && c->has_distinct)
		rc = mm_buf_printf(out, " distinct=%llu", (unsigned long long)c->distinct);
	if (!rc && c->has_value)
		rc = mm_buf_printf(out, " value=%.15g", c->value);
	if (!rc && c->nvalues) {
		rc = mm_buf_puts(out, "  values=");
		for (size_t i = 0; i < c->nvalues && i < 5 && !rc; i++) {
			if (i)
				rc = mm_buf_putc(out, ',');
			if (!rc)
				rc = put_safe(out, c->values[i], 32);
		}
		if (!rc && c->distinct > 5)
			rc = mm_buf_puts(out, ",...");
	}
	if (!rc && c->nrefs)
		rc = mm_buf_printf(out, "  [%s:%llu..%s:%llu]", c->refs[0].file,
		                   (unsigned long long)c->refs[0].line, c->refs[c->nrefs - 1].file,
		                   (unsigned long long)c->refs[c->nrefs - 1].line);
	return rc;
}

int mm_alert_to_text(struct mm_buf *out, const struct mm_alert *a)
{
	if (a->corr)
		return corr_to_text(out, a);
	const struct mm_event *ev = a->ev;
	char ts[40] = "-";
	if (ev->ts != MM_TS_NONE)
		mm_time_format(ev->ts, ts, sizeof(ts));
	int rc = mm_buf_printf(out, "%s  %-8s %s", ts, a->rule->level, a->rule->title);
	struct mm_slice src = ev->f[MM_F_SOURCE_IP].p ? ev->f[MM_F_SOURCE_IP]
	                                               : ev->f[MM_F_SOURCE_ADDRESS];
	if (!rc && src.p) {
		rc = mm_buf_puts(out, "  src=");
		if (!rc)
			rc = put_safe(out, src, 64);
	}
	if (!rc && ev->f[MM_F_USER_NAME].p) {
		rc = mm_buf_puts(out, "  user=");
		if (!rc)
			rc = put_safe(out, ev->f[MM_F_USER_NAME], 64);
	}
	if (!rc && ev->f[MM_F_URL_ORIGINAL].p) {
		rc = mm_buf_puts(out, "  url=");
		if (!rc)
			rc = put_safe(out, ev->f[MM_F_URL_ORIGINAL], 160);
	} else if (!rc && ev->f[MM_F_MESSAGE].p) {
		rc = mm_buf_puts(out, "  msg=");
		if (!rc)
			rc = put_safe(out, ev->f[MM_F_MESSAGE], 160);
	}
	if (!rc)
		rc = mm_buf_printf(out, "  [%s:%llu]", ev->src_path ? ev->src_path : "-",
		                   (unsigned long long)ev->line_no);
	return rc;
}
