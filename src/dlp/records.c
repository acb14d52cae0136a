/* mamori — DLP records: CSV/TSV rows per RFC 4180 (quoted newlines,
 * doubled quotes, a header row naming the columns), JSON Lines, SQL dumps
 * (INSERT … VALUES tuples with MySQL escapes, PostgreSQL COPY … FROM stdin
 * rows) and text lines; the columns they name; the format by name or content.
 * Pipeline position: text → records → detect (detect.c). */
#define _GNU_SOURCE /* memmem */
#include "scan_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- columns ------------------------------------------------------------------- */

int mm__dlp_column_id(struct mm_dlp_file *f, const char *name, size_t n)
{
	void *v = mm_map_get(f->colmap, name, n);
	if (v)
		return (int)((uintptr_t)v - 1);
	if (f->ncols >= MM_DLP_MAX_COLUMNS) {
		f->r.cap_hits++;
		return -1;
	}
	if (!f->cols)
		f->cols = mm_calloc(MM_DLP_MAX_COLUMNS, sizeof(*f->cols));
	struct column *c = &f->cols[f->ncols];
	size_t k = MM_MIN(n, sizeof(c->name) - 1);
	/* do not cut a UTF-8 sequence */
	while (k && k < n && ((unsigned char)name[k] & 0xc0) == 0x80)
		k--;
	memcpy(c->name, name, k);
	c->name[k] = '\0';
	c->ctx = mm__dlp_classify(name, n);
	mm_map_put(f->colmap, name, n, (void *)(uintptr_t)(f->ncols + 1));
	return (int)f->ncols++;
}

static int new_colset(struct mm_dlp_file *f)
{
	if (f->nsets >= MAX_COLSETS) {
		f->r.cap_hits++;
		return -1;
	}
	if (!f->sets)
		f->sets = mm_calloc(MAX_COLSETS, sizeof(*f->sets));
	struct colset *s = &f->sets[f->nsets];
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < MAX_SETCOLS; i++)
		s->col[i] = -1;
	return (int)f->nsets++;
}

static void colset_add(struct mm_dlp_file *f, int cs, const char *name, size_t n)
{
	struct colset *s = &f->sets[cs];
	if (s->n >= MAX_SETCOLS)
		return;
	while (n && (*name == ' ' || *name == '"' || *name == '`' || *name == '\''))
		name++, n--;
	while (n && (name[n - 1] == ' ' || name[n - 1] == '"' || name[n - 1] == '`' ||
	             name[n - 1] == '\'' || name[n - 1] == '\r'))
		n--;
	int id = mm__dlp_column_id(f, name, n);
	s->col[s->n++] = id;
	if (id >= 0 && (f->cols[id].ctx == MM_CTX_NAME || f->cols[id].ctx == MM_CTX_ADDRESS)) {
		s->name_cols = true;
		s->name_last = (int)s->n - 1;
	}
}

/* A column for field idx of set cs that has no header: "#k" (1-based). */
int mm__dlp_colset_col(struct mm_dlp_file *f, int cs, int idx)
{
	if (cs < 0 || idx < 0 || idx >= MAX_SETCOLS)
		return -1;
	struct colset *s = &f->sets[cs];
	if (s->col[idx] >= 0)
		return s->col[idx];
	char nm[80];
	int k = snprintf(nm, sizeof(nm), "%s%s#%d", s->table, s->table[0] ? "." : "", idx + 1);
	s->col[idx] = mm__dlp_column_id(f, nm, (size_t)k);
	return s->col[idx];
}

/* ---- records ------------------------------------------------------------------------ */

static void push_rec(struct mm_dlp_file *f, uint32_t s, uint32_t e, int cs, bool data)
{
	if (f->nrecs == f->caprecs) {
		f->caprecs = f->caprecs ? f->caprecs * 2 : 4096;
		f->recs = mm_realloc(f->recs, f->caprecs * sizeof(*f->recs));
	}
	struct rec *r = &f->recs[f->nrecs++];
	r->s = s;
	r->e = e;
	r->cs = cs;
	r->no = data ? ++f->rec_no : 0;
}

/* CSV/TSV header: the first non-empty record, when none of its cells is a
 * number of four or more digits. */
static void csv_header(struct mm_dlp_file *f, const char *p, uint32_t s, uint32_t e, bool *is_hdr)
{
	char sep = f->fmt == MM_DLP_FMT_TSV ? '\t' : ',';
	int cs = new_colset(f);
	uint32_t run = 0;
	*is_hdr = true;
	for (uint32_t i = s; i < e; i++) {
		run = is_digit(p[i]) ? run + 1 : 0;
		if (run >= 4)
			*is_hdr = false;
	}
	if (cs < 0)
		return;
	if (!*is_hdr)
		return; /* cells get "#k" columns */
	uint32_t fs = s;
	bool inq = false;
	for (uint32_t i = s; i <= e; i++) {
		if (i < e && p[i] == '"')
			inq = !inq;
		else if (i == e || (!inq && p[i] == sep)) {
			colset_add(f, cs, p + fs, i - fs);
			fs = i + 1;
		}
	}
}

static uint32_t trim_cr(const char *p, uint32_t s, uint32_t e)
{
	return e > s && p[e - 1] == '\r' ? e - 1 : e;
}

/* Lines (text, JSON Lines) up to the last complete one; returns bytes used. */
static size_t split_lines(struct mm_dlp_file *f, const char *p, size_t n, bool final)
{
	size_t i = 0;
	while (i < n) {
		const char *nl = memchr(p + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - p) : n;
		if (!nl && !final) {
			if (n - i <= f->d->o.max_record)
				break;
			e = i + f->d->o.max_record; /* cut an over-long line */
			f->r.cap_hits++;
		}
		uint32_t te = trim_cr(p, (uint32_t)i, (uint32_t)e);
		bool empty = te == i;
		if (!(f->fmt == MM_DLP_FMT_JSONL && empty))
			push_rec(f, (uint32_t)i, te, -1, true);
		i = nl && e == (size_t)(nl - p) ? e + 1 : e;
	}
	return i;
}

/* CSV/TSV records per RFC 4180: a quoted field may hold newlines. */
static size_t split_csv(struct mm_dlp_file *f, const char *p, size_t n, bool final)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		bool inq = false;
		size_t e = n;
		bool complete = false;
		while (j < n) {
			const char *nl = memchr(p + j, '\n', n - j);
			size_t le = nl ? (size_t)(nl - p) : n;
			for (const char *q = memchr(p + j, '"', le - j); q;
			     q = memchr(q + 1, '"', le - (size_t)(q + 1 - p)))
				inq = !inq;
			if (!nl) {
				j = n;
				break;
			}
			j = le + 1;
			if (!inq) {
				e = le;
				complete = true;
				break;
			}
			if (j - i > f->d->o.max_record) { /* runaway quote */
				f->r.cap_hits++;
				e = le;
				complete = true;
				break;
			}
		}
		if (!complete) {
			if (!final && n - i <= f->d->o.max_record)
				break;
			e = n;
			j = n;
		}
		uint32_t te = trim_cr(p, (uint32_t)i, (uint32_t)e);
		if (te > i) {
			if (!f->header_done) {
				bool hdr;
				f->header_done = true;
				csv_header(f, p, (uint32_t)i, te, &hdr);
				push_rec(f, (uint32_t)i, te, f->nsets ? 0 : -1, !hdr);
			} else {
				push_rec(f, (uint32_t)i, te, f->nsets ? 0 : -1, true);
			}
		}
		i = j;
	}
	return i;
}

static bool starts_ci(const char *p, size_t n, const char *w)
{
	size_t k = strlen(w);
	return n >= k && !strncasecmp(p, w, k);
}

/* `INSERT INTO t (a, b) VALUES (…), (…);` → one record per tuple; the
 * column list (or "t.#k") names the columns. Returns the statement's end
 * (after ';'), or 0 when it is not complete in p[s..n). */
static size_t sql_insert(struct mm_dlp_file *f, const char *p, size_t s, size_t n, bool final)
{
	size_t i = s + 6;
	while (i < n && p[i] == ' ')
		i++;
	if (starts_ci(p + i, n - i, "INTO"))
		i += 4;
	while (i < n && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r'))
		i++;
	size_t ts = i;
	while (i < n && p[i] != ' ' && p[i] != '(' && p[i] != '\n')
		i++;
	size_t te = i;
	while (i < n && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r'))
		i++;
	size_t ls = 0, le = 0;
	if (i < n && p[i] == '(') {
		ls = i + 1;
		while (i < n && p[i] != ')')
			i++;
		le = i;
		if (i < n)
			i++;
	}
	/* find VALUES and the statement end first: complete statements only */
	size_t j = i;
	bool inq = false;
	size_t end = 0;
	for (; j < n; j++) {
		char c = p[j];
		if (inq && c == '\\')
			j++;
		else if (c == '\'')
			inq = !inq;
		else if (!inq && c == ';') {
			end = j + 1;
			break;
		}
	}
	if (!end) {
		if (!final && n - s <= MM_MAX(f->d->o.max_record, (size_t)SQL_STMT_MAX))
			return 0;
		if (!final)
			f->r.cap_hits++;
		end = n;
	}
	/* column set for this table + column list */
	char key[1024];
	int kn = snprintf(key, sizeof(key), "%.*s|%.*s", (int)MM_MIN(te - ts, 200), p + ts,
	                  (int)MM_MIN(le - ls, 800), p + ls);
	if (kn < 0)
		kn = 0;
	if ((size_t)kn >= sizeof(key))
		kn = sizeof(key) - 1;
	void *v = mm_map_get(f->setmap, key, (size_t)kn);
	int cs;
	if (v) {
		cs = (int)((uintptr_t)v - 1);
	} else {
		cs = new_colset(f);
		if (cs >= 0) {
			size_t tn = te - ts, k = 0;
			struct colset *st = &f->sets[cs];
			for (size_t q = 0; q < tn && k + 1 < sizeof(st->table); q++)
				if (p[ts + q] != '`' && p[ts + q] != '"')
					st->table[k++] = p[ts + q];
			st->table[k] = '\0';
			if (le > ls) {
				size_t cs0 = ls;
				for (size_t q = ls; q <= le; q++)
					if (q == le || p[q] == ',') {
						colset_add(f, cs, p + cs0, q - cs0);
						cs0 = q + 1;
					}
			}
			mm_map_put(f->setmap, key, (size_t)kn, (void *)(uintptr_t)(cs + 1));
		}
	}
	/* VALUES */
	while (i < end && !starts_ci(p + i, end - i, "VALUES"))
		i++;
	i += 6;
	int depth = 0;
	size_t rs = 0;
	inq = false;
	for (; i < end; i++) {
		char c = p[i];
		if (inq) {
			if (c == '\\')
				i++;
			else if (c == '\'')
				inq = false;
			continue;
		}
		if (c == '\'')
			inq = true;
		else if (c == '(') {
			if (depth++ == 0)
				rs = i + 1;
		} else if (c == ')' && depth > 0) {
			if (--depth == 0)
				push_rec(f, (uint32_t)rs, (uint32_t)i, cs, true);
		}
	}
	return end;
}

/* COPY t (a, b) FROM stdin; — PostgreSQL's text format: tab-separated rows
 * up to a line "\." */
static void sql_copy_start(struct mm_dlp_file *f, const char *p, size_t s, size_t e)
{
	size_t i = s + 5, ts = i;
	while (i < e && p[i] != ' ' && p[i] != '(')
		i++;
	size_t te = i;
	while (i < e && p[i] != '(')
		i++;
	int cs = new_colset(f);
	f->in_copy = true;
	f->copy_cs = cs;
	if (cs < 0)
		return;
	struct colset *st = &f->sets[cs];
	st->table[0] = '\t'; /* marks a COPY set: tab-separated, unquoted */
	snprintf(st->table + 1, sizeof(st->table) - 1, "%.*s", (int)MM_MIN(te - ts, 60), p + ts);
	if (i < e) {
		size_t c0 = ++i;
		for (; i < e; i++)
			if (p[i] == ',' || p[i] == ')') {
				colset_add(f, cs, p + c0, i - c0);
				c0 = i + 1;
				if (p[i] == ')')
					break;
			}
	}
}

static size_t split_sql(struct mm_dlp_file *f, const char *p, size_t n, bool final)
{
	size_t i = 0;
	while (i < n) {
		const char *nl = memchr(p + i, '\n', n - i);
		size_t le = nl ? (size_t)(nl - p) : n;
		if (!nl && !final && !f->in_copy) {
			/* an INSERT may continue; a plain line waits for its end */
		}
		if (f->in_copy) {
			if (!nl && !final)
				break;
			uint32_t te = trim_cr(p, (uint32_t)i, (uint32_t)le);
			if (te - i == 2 && p[i] == '\\' && p[i + 1] == '.')
				f->in_copy = false;
			else if (te > i)
				push_rec(f, (uint32_t)i, te, f->copy_cs, true);
			i = nl ? le + 1 : n;
			continue;
		}
		size_t k = i;
		while (k < le && (p[k] == ' ' || p[k] == '\t'))
			k++;
		if (starts_ci(p + k, le - k, "INSERT")) {
			size_t end = sql_insert(f, p, k, n, final);
			if (!end)
				break;
			i = end;
			continue;
		}
		if (!nl && !final)
			break;
		if (starts_ci(p + k, le - k, "COPY ") && memmem(p + k, le - k, "stdin", 5))
			sql_copy_start(f, p, k, le);
		i = nl ? le + 1 : n;
	}
	return i;
}

/* ---- format detection and the stream ------------------------------------------------- */

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcasecmp(s + a - b, suf);
}

enum mm_dlp_format mm__dlp_detect_format(const char *name, const char *p, size_t n)
{
	char nm[512];
	snprintf(nm, sizeof(nm), "%s", name);
	/* "x.csv.gz" and "a.zip!x.csv" name their inner format */
	if (ends_with(nm, ".gz"))
		nm[strlen(nm) - 3] = '\0';
	if (ends_with(nm, ".csv"))
		return MM_DLP_FMT_CSV;
	if (ends_with(nm, ".tsv") || ends_with(nm, ".tab"))
		return MM_DLP_FMT_TSV;
	if (ends_with(nm, ".jsonl") || ends_with(nm, ".ndjson"))
		return MM_DLP_FMT_JSONL;
	if (ends_with(nm, ".sql"))
		return MM_DLP_FMT_SQL;
	if (ends_with(nm, ".json"))
		return MM_DLP_FMT_JSON;
	if (ends_with(nm, ".txt") || ends_with(nm, ".log") || ends_with(nm, ".md"))
		return MM_DLP_FMT_TEXT;
	size_t k = MM_MIN(n, (size_t)8192);
	const char *nl = memchr(p, '\n', k);
	size_t l1 = nl ? (size_t)(nl - p) : k;
	size_t i = 0;
	while (i < l1 && (p[i] == ' ' || p[i] == '\t'))
		i++;
	/* JSON Lines: an object per line; a document starts with '[' or with
	 * an object that does not close on its first line */
	if (i < l1 && p[i] == '[')
		return MM_DLP_FMT_JSON;
	if (i < l1 && p[i] == '{')
		return memchr(p + i, '}', l1 - i) ? MM_DLP_FMT_JSONL : MM_DLP_FMT_JSON;
	if (memmem(p, k, "INSERT INTO", 11) || memmem(p, k, "CREATE TABLE", 12))
		return MM_DLP_FMT_SQL;
	size_t tabs = 0, commas = 0;
	for (size_t j = 0; j < l1; j++)
		tabs += p[j] == '\t', commas += p[j] == ',';
	if (tabs >= 2)
		return MM_DLP_FMT_TSV;
	if (commas >= 2 && nl) {
		const char *nl2 = memchr(nl + 1, '\n', k - l1 - 1);
		size_t c2 = 0;
		for (const char *q = nl + 1; q < (nl2 ? nl2 : p + k); q++)
			c2 += *q == ',';
		if (c2 == commas)
			return MM_DLP_FMT_CSV;
	}
	return MM_DLP_FMT_TEXT;
}

/* A JSON document (RFC 8259), e.g. an API export `[{…},{…}]` or
 * `{"customers":[{…}]}`: each object directly inside an array is a record
 * (the outermost one: objects nested in a record belong to it). The
 * containers open at the end of the last complete record are kept for the
 * next call; a record is never cut inside a string. */
static size_t split_json(struct mm_dlp_file *f, const char *p, size_t n, bool final)
{
	char st[64];
	size_t d = f->jdepth, used = 0, rs = 0, rec_depth = 0;
	bool in_rec = false, ins = false;
	memcpy(st, f->jstack, d);
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (ins) {
			if (c == '\\')
				i++;
			else if (c == '"')
				ins = false;
			continue;
		}
		if (c == '"') {
			ins = true;
		} else if (c == '{' || c == '[') {
			/* deeper than st: counted, never read (a record needs its parent) */
			if (c == '{' && !in_rec && d > 0 && d <= sizeof(st) && st[d - 1] == '[') {
				in_rec = true;
				rs = i;
				rec_depth = d;
			}
			if (d < sizeof(st))
				st[d] = c;
			else
				f->r.cap_hits++;
			d++;
		} else if ((c == '}' || c == ']') && d > 0) {
			d--;
			if (in_rec && d == rec_depth) {
				push_rec(f, (uint32_t)rs, (uint32_t)(i + 1), -1, true);
				in_rec = false;
				used = i + 1;
				f->jdepth = MM_MIN(d, sizeof(f->jstack));
				memcpy(f->jstack, st, f->jdepth);
			} else if (!in_rec) {
				used = i + 1;
				f->jdepth = MM_MIN(d, sizeof(f->jstack));
				memcpy(f->jstack, st, f->jdepth);
			}
		}
		if (in_rec && i - rs > f->d->o.max_record) { /* a runaway record */
			f->r.cap_hits++;
			push_rec(f, (uint32_t)rs, (uint32_t)(i + 1), -1, true);
			in_rec = false;
			used = i + 1;
			f->jdepth = MM_MIN(d, sizeof(f->jstack));
			memcpy(f->jstack, st, f->jdepth);
		}
	}
	if (final) {
		if (in_rec)
			push_rec(f, (uint32_t)rs, (uint32_t)n, -1, true); /* truncated document */
		return n;
	}
	/* outside records nothing is kept back but an open record */
	if (!in_rec && !ins) {
		f->jdepth = MM_MIN(d, sizeof(f->jstack));
		memcpy(f->jstack, st, f->jdepth);
		return n;
	}
	return used;
}

size_t mm__dlp_split(struct mm_dlp_file *f, const char *p, size_t n, bool final)
{
	switch (f->fmt) {
	case MM_DLP_FMT_CSV:
	case MM_DLP_FMT_TSV: return split_csv(f, p, n, final);
	case MM_DLP_FMT_SQL: return split_sql(f, p, n, final);
	case MM_DLP_FMT_JSON: return split_json(f, p, n, final);
	default: return split_lines(f, p, n, final);
	}
}

