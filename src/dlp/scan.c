/* mamori — the DLP scanner: a file streams through encoding conversion and
 * width folding into records (records.c); candidates come from one Hyperscan
 * database (literal-anchored shapes, context words) and an SSE2 digit-run
 * scanner (detect.c), are validated, and counted here: confidence with
 * per-column learning, records with PII, distinct values, samples.
 * Pipeline position: text → records → detect → result. */
#define _GNU_SOURCE /* memmem */
#include "scan_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Base confidence when the value is valid but nothing around it says what
 * it is, and the confidence a matching context gives. */
static const struct {
	enum mm__dlp_ctx ctx;
	int with_ctx;
	bool strong; /* its shape alone proves it: a wrong context does not lower it */
} g_tctx[MM_DLP__TYPES] = {
	[MM_DLP_MY_NUMBER] = {MM_CTX_MYNUMBER, 90, false},
	[MM_DLP_CORPORATE_NUMBER] = {MM_CTX_CORP, 90, false},
	[MM_DLP_CARD] = {MM_CTX_CARD, 95, false},
	[MM_DLP_PHONE_JP] = {MM_CTX_PHONE, 95, false},
	[MM_DLP_POSTAL_JP] = {MM_CTX_POSTAL, 90, false},
	[MM_DLP_EMAIL] = {MM_CTX_EMAIL, 95, true},
	[MM_DLP_ADDRESS_JP] = {MM_CTX_ADDRESS, 95, true},
	[MM_DLP_BIRTH_DATE] = {MM_CTX_DOB, 90, false},
	[MM_DLP_NAME] = {MM_CTX_NAME, 85, true},
	[MM_DLP_BANK_ACCOUNT] = {MM_CTX_BANK, 85, false},
	[MM_DLP_PASSPORT] = {MM_CTX_PASSPORT, 85, false},
	[MM_DLP_DRIVER_LICENSE] = {MM_CTX_LICENSE, 85, false},
	[MM_DLP_IBAN] = {MM_CTX_BANK, 95, true},
	[MM_DLP_US_SSN] = {MM_CTX_SSN, 90, false},
	[MM_DLP_PHONE_INTL] = {MM_CTX_PHONE, 90, false},
};

void mm_dlp_opts_default(struct mm_dlp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->types = MM_DLP_ALL_TYPES;
	o->min_confidence = 50;
	o->force_format = -1;
}

const char *mm_dlp_format_name(enum mm_dlp_format f)
{
	switch (f) {
	case MM_DLP_FMT_TEXT: return "text";
	case MM_DLP_FMT_CSV: return "csv";
	case MM_DLP_FMT_TSV: return "tsv";
	case MM_DLP_FMT_JSONL: return "jsonl";
	case MM_DLP_FMT_SQL: return "sql";
	case MM_DLP_FMT_JSON: return "json";
	}
	return "?";
}

int mm_dlp_new(struct mm_dlp **out, const struct mm_dlp_opts *o, struct mm_error *err)
{
	struct mm_dlp *d = mm_calloc(1, sizeof(*d));
	int rc;
	if (o)
		d->o = *o;
	else
		mm_dlp_opts_default(&d->o);
	if (!d->o.types)
		d->o.types = MM_DLP_ALL_TYPES;
	if (!d->o.max_record)
		d->o.max_record = 1u << 20;
	if (!d->o.calib_records)
		d->o.calib_records = 2000;
	d->mpm = mm_mpm_new();
	mm__dlp_shapes_add(d);
	if ((rc = mm_mpm_compile(d->mpm, err))) {
		mm_dlp_free(d);
		return rc;
	}
	*out = d;
	return MM_OK;
}

void mm_dlp_free(struct mm_dlp *d)
{
	if (!d)
		return;
	mm_mpm_free(d->mpm);
	free(d->lits);
	free(d);
}

void mm_dlp_result_clear(struct mm_dlp_result *r)
{
	if (!r)
		return;
	free(r->cols);
	memset(r, 0, sizeof(*r));
}

static void hll_add(uint8_t *reg, uint64_t h)
{
	size_t idx = (size_t)(h >> (64 - HLL_P));
	uint64_t w = (h << HLL_P) | ((uint64_t)1 << (HLL_P - 1));
	uint8_t rank = (uint8_t)(__builtin_clzll(w) + 1);
	if (rank > reg[idx])
		reg[idx] = rank;
}

static uint64_t hll_count(const uint8_t *reg)
{
	const size_t m = (size_t)1 << HLL_P;
	double sum = 0;
	size_t zeros = 0;
	for (size_t i = 0; i < m; i++) {
		sum += 1.0 / (double)((uint64_t)1 << reg[i]);
		zeros += reg[i] == 0;
	}
	double alpha = 0.7213 / (1.0 + 1.079 / (double)m);
	double e = alpha * (double)m * (double)m / sum;
	if (e <= 2.5 * (double)m && zeros) /* small-range correction: linear counting */
		e = (double)m * log((double)m / (double)zeros);
	return (uint64_t)(e + 0.5);
}

/* Add h; returns the number of distinct values so far. */
static uint64_t set_add(struct u64set *s, uint64_t h)
{
	if (s->hll) {
		hll_add(s->hll, h);
		return 0;
	}
	if (h == 0)
		h = 1;
	if (s->n * 2 >= s->cap) {
		if (s->n >= EXACT_MAX) {
			/* to the sketch, with everything seen so far */
			s->hll = mm_calloc((size_t)1 << HLL_P, 1);
			for (size_t i = 0; i < s->cap; i++)
				if (s->v[i])
					hll_add(s->hll, s->v[i]);
			free(s->v);
			s->v = NULL;
			s->cap = 0;
			hll_add(s->hll, h);
			return 0;
		}
		size_t nc = s->cap ? s->cap * 2 : 1024;
		uint64_t *nv = mm_calloc(nc, sizeof(*nv));
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i])
				for (size_t j = (size_t)(s->v[i] & (nc - 1));; j = (j + 1) & (nc - 1))
					if (!nv[j]) {
						nv[j] = s->v[i];
						break;
					}
		free(s->v);
		s->v = nv;
		s->cap = nc;
	}
	for (size_t i = (size_t)(h & (s->cap - 1));; i = (i + 1) & (s->cap - 1)) {
		if (!s->v[i]) {
			s->v[i] = h;
			s->n++;
			return s->n;
		}
		if (s->v[i] == h)
			return s->n;
	}
}

static uint64_t set_count(const struct u64set *s)
{
	return s->hll ? hll_count(s->hll) : s->n;
}

struct mm_dlp_file *mm_dlp_file_new(struct mm_dlp *d, const char *name)
{
	struct mm_dlp_file *f = mm_calloc(1, sizeof(*f));
	f->d = d;
	f->scr = mm_mpm_scratch_new(d->mpm);
	f->name = mm_strdup(name ? name : "");
	f->conv.cd = (iconv_t)-1;
	/* the carried tail is at most one record (or SQL statement) */
	mm_buf_init(&f->raw, 2 * PIECE + SNIFF);
	/* a region plus the carried tail: one record, or an SQL statement */
	mm_buf_init(&f->work, REGION + 4 * PIECE + MM_MAX(d->o.max_record, (size_t)SQL_STMT_MAX));
	mm_buf_init(&f->tmp, 8 * PIECE);
	f->colmap = mm_map_new(false);
	f->setmap = mm_map_new(false);
	f->calibrating = true;
	if (d->o.force_format >= 0) {
		f->fmt = (enum mm_dlp_format)d->o.force_format;
		f->fmt_forced = true;
	}
	return f;
}

void mm_dlp_file_free(struct mm_dlp_file *f)
{
	if (!f)
		return;
	mm_mpm_scratch_free(f->scr);
	free(f->name);
	mm__dlp_conv_close(&f->conv);
	mm_buf_free(&f->raw);
	mm_buf_free(&f->work);
	mm_buf_free(&f->tmp);
	free(f->cols);
	mm_map_free(f->colmap);
	free(f->sets);
	mm_map_free(f->setmap);
	free(f->c);
	free(f->dc);
	free(f->mc);
	free(f->ec);
	free(f->cells);
	free(f->recs);
	free(f->pend);
	for (size_t t = 0; t < MM_DLP__TYPES; t++) {
		free(f->distinct[t].v);
		free(f->distinct[t].hll);
	}
	mm_dlp_result_clear(&f->r);
	free(f);
}

/* ---- counting ----------------------------------------------------------------- */

static uint64_t value_hash(enum mm_dlp_type t, const char *v, size_t n)
{
	if (t != MM_DLP_NAME && t != MM_DLP_ADDRESS_JP && t != MM_DLP_BIRTH_DATE &&
	    t != MM_DLP_EMAIL && t != MM_DLP_IBAN && t != MM_DLP_PASSPORT) {
		/* numbers: the digits as an integer (19 digits at most fit), mixed
		 * with the type by the MurmurHash3 finaliser */
		uint64_t x = 0x9e3779b97f4a7c15u * ((uint64_t)t + 1), k = 0;
		for (size_t i = 0; i < n; i++)
			if (v[i] >= '0' && v[i] <= '9')
				x = x * 10 + (uint64_t)(v[i] - '0'), k++;
		x ^= k << 58;
		x ^= x >> 33;
		x *= 0xff51afd7ed558ccdu;
		x ^= x >> 33;
		x *= 0xc4ceb9fe1a85ec53u;
		return x ^ (x >> 33);
	}
	if (t != MM_DLP_NAME)
		return mm_hash64(v, n, 0x6d616d6f7269u + (uint64_t)t);
	/* names without their spaces, ASCII letters in lower case */
	char k[256];
	size_t m = 0;
	for (size_t i = 0; i < n && m < sizeof(k); i++) {
		char c = v[i];
		if (c == ' ')
			continue; /* 佐藤 直樹 = 佐藤直樹 */
		if (c == '\xe3' && i + 3 <= n && v[i + 1] == '\x80' && v[i + 2] == '\x80') {
			i += 2; /* 佐藤　直樹 = 佐藤 直樹 */
			continue;
		}
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		k[m++] = c;
	}
	return mm_hash64(k, m, 0x6d616d6f7269u + (uint64_t)t);
}

static int adjusted_conf(const struct mm_dlp_file *f, const struct pend *p)
{
	int conf = p->conf;
	if (p->col >= 0 && p->col < (int)f->ncols && !(p->flags & PF_CTX_NEG) && conf > 0) {
		int a = f->cols[p->col].adj[p->type];
		if (a > 0 && conf < PROMOTED_CONF)
			conf = PROMOTED_CONF;
		else if (a < 0 && !(p->flags & PF_CTX_POS))
			conf = MM_MIN(conf, DEMOTED_CONF);
	}
	return conf;
}

static void commit(struct mm_dlp_file *f, const struct pend *p)
{
	const struct mm_dlp_opts *o = &f->d->o;
	int conf = adjusted_conf(f, p);
	if (conf < o->min_confidence || !(o->types & (1u << p->type))) {
		f->r.rejected++;
		return;
	}
	struct mm_dlp_type_stat *ts = &f->r.t[p->type];
	ts->matches++;
	f->r.matches++;
	f->r.types |= 1u << p->type;
	if (conf > ts->confidence)
		ts->confidence = conf;
	if (conf > f->r.confidence)
		f->r.confidence = conf;
	set_add(&f->distinct[p->type], value_hash(p->type, p->v, p->vn));
	if (f->type_last_rec[p->type] != p->rec) {
		f->type_last_rec[p->type] = p->rec;
		ts->records++;
	}
	if (f->last_pii_rec != p->rec) {
		f->last_pii_rec = p->rec;
		f->r.records_pii++;
	}
	if (p->col >= 0)
		f->cols[p->col].count[p->type]++;
	if (!ts->sample[0]) {
		mm_dlp_mask((enum mm_dlp_type)p->type, p->v, p->vn, ts->sample, sizeof(ts->sample));
		ts->sample_record = p->rec;
		if (p->col >= 0)
			snprintf(ts->sample_column, sizeof(ts->sample_column), "%s", f->cols[p->col].name);
	}
	if (o->on_finding) {
		struct mm_dlp_finding fd = {(enum mm_dlp_type)p->type, conf, p->rec, p->col,
		                            p->v, p->vn};
		o->on_finding(o->ud, &fd);
	}
}

/* Learn, per column and type, whether its values validate far more often
 * than chance (a column of My Numbers: promote those without a label) or
 * about as often as chance (order numbers: one in ten passes a mod-11
 * check; demote). */
static void end_calibration(struct mm_dlp_file *f)
{
	for (size_t c = 0; c < f->ncols; c++)
		for (size_t t = 0; t < MM_DLP__TYPES; t++) {
			struct column *col = &f->cols[c];
			uint32_t sh = col->shape[t], va = col->valid[t];
			if (va >= 10 && (uint64_t)va * 10 >= (uint64_t)sh * 8)
				col->adj[t] = 1;
			else if (sh >= 20 && (uint64_t)va * 10 <= (uint64_t)sh * 3)
				col->adj[t] = -1;
		}
	for (size_t i = 0; i < f->npend; i++)
		commit(f, &f->pend[i]);
	f->npend = 0;
	f->calibrating = false;
}

static int confidence(enum mm_dlp_type t, int base, enum mm__dlp_ctx ctx, uint8_t *flags)
{
	*flags = 0;
	if (ctx == MM_CTX_NONE)
		return base;
	if (ctx == g_tctx[t].ctx || (t == MM_DLP_POSTAL_JP && ctx == MM_CTX_ADDRESS)) {
		*flags = PF_CTX_POS;
		return MM_MAX(base, g_tctx[t].with_ctx);
	}
	if (ctx == MM_CTX_NEG) {
		*flags = PF_CTX_NEG;
		return g_tctx[t].strong ? base : 0;
	}
	return g_tctx[t].strong ? base : base - 30;
}

void mm__dlp_emit(struct mm_dlp_file *f, const struct rec *r, const struct ctxinfo *ci,
                 enum mm_dlp_type t, int base, const char *v, size_t vn)
{
	struct pend p;
	uint8_t fl;
	int conf = confidence(t, base, ci->ctx, &fl);
	if (conf <= 0) {
		f->r.rejected++;
		return;
	}
	p.rec = r->no;
	p.v = v;
	p.vn = (uint32_t)vn;
	p.col = (int16_t)ci->col;
	p.type = (uint8_t)t;
	p.conf = (uint8_t)MM_MIN(conf, 100);
	p.flags = fl;
	if (!f->calibrating) {
		commit(f, &p);
		return;
	}
	if (f->npend == f->cappend) {
		f->cappend = f->cappend ? f->cappend * 2 : 1024;
		f->pend = mm_realloc(f->pend, f->cappend * sizeof(*f->pend));
	}
	f->pend[f->npend++] = p;
}

void mm__dlp_stat_shape(struct mm_dlp_file *f, int col, enum mm_dlp_type t, bool valid)
{
	if (!f->calibrating || col < 0)
		return;
	f->cols[col].shape[t]++;
	f->cols[col].valid[t] += valid;
}

/* ---- the region: records × candidates --------------------------------------------------- */

/* Does x come before the head h: (end, id) smaller, or equal when x's list
 * wins ties? */
static inline bool cand_before(const struct cand *x, const struct cand *h, bool x_wins)
{
	return x->end < h->end || (x->end == h->end && (x->id < h->id || (x_wins && x->id == h->id)));
}

/* Merge a long list l (ends non-decreasing; ids not always increasing at
 * one end: the digit scanner gives a passport before an IBAN start) with a
 * short sorted list s into out, taking the smaller head each time (ties to
 * l when l_wins) — the result of comparing the heads one output at a time,
 * with l's stretches between two of s's entries copied whole. */
static size_t merge_cands(const struct cand *l, size_t nl, const struct cand *s, size_t ns,
                          bool l_wins, struct cand *out)
{
	size_t i = 0, j = 0, k = 0;
	while (j < ns) {
		const struct cand *h = &s[j];
		size_t i0 = i;
		while (i < nl && l[i].end < h->end)
			i++;
		while (i < nl && l[i].end == h->end && cand_before(&l[i], h, l_wins))
			i++;
		if (i > i0) /* l may be NULL when empty */
			memcpy(out + k, l + i0, (i - i0) * sizeof(*out));
		k += i - i0;
		out[k++] = s[j++]; /* s's head now comes before l's */
	}
	if (nl > i)
		memcpy(out + k, l + i, (nl - i) * sizeof(*out));
	return k + nl - i;
}

static int process_region(struct mm_dlp_file *f, const char *p, size_t n)
{
	f->nc = 0;
	if (n > UINT32_MAX)
		return MM_ELIMIT;
	if (mm__dlp_shape_scan(f, p, n))
		return MM_EIO;
	/* merge the digit scanner's and the e-mail scanner's candidates (each
	 * already in order) */
	mm__dlp_digit_scan(f, p, n);
	mm__dlp_email_scan(f, p, n);
	if (f->nd || f->ne) {
		size_t tot = f->nc + f->nd + f->ne;
		if (tot > f->capm) {
			f->capm = tot + tot / 2;
			f->mc = mm_realloc(f->mc, f->capm * sizeof(*f->mc));
		}
		if (tot > f->capc) {
			f->capc = tot + tot / 2;
			f->c = mm_realloc(f->c, f->capc * sizeof(*f->c));
		}
		/* the smallest head first; ties keep Hyperscan's first, then the
		 * digit scanner's: (Hyperscan + digits) + e-mail */
		size_t k = merge_cands(f->dc, f->nd, f->c, f->nc, false, f->mc);
		if (f->ne) {
			k = merge_cands(f->mc, k, f->ec, f->ne, true, f->c);
		} else {
			struct cand *t = f->c;
			size_t tc = f->capc;
			f->c = f->mc;
			f->capc = f->capm;
			f->mc = t;
			f->capm = tc;
		}
		f->nc = k;
	}
	f->region = p;
	f->consumed = 0;
	memset(f->last_end, 0, sizeof(f->last_end));
	size_t ci = 0;
	for (size_t ri = 0; ri < f->nrecs; ri++) {
		const struct rec *r = &f->recs[ri];
		f->nlabels = 0;
		f->fc_pos = UINT32_MAX;
		f->cells_rec = NULL;
		while (ci < f->nc && f->c[ci].end <= r->s)
			ci++; /* between records (SQL statements' text, blank lines) */
		for (; ci < f->nc && f->c[ci].end <= r->e; ci++)
			if (r->no)
				mm__dlp_process_cand(f, r, &f->c[ci]);
		if (r->no && r->cs >= 0 && f->sets[r->cs].name_cols)
			mm__dlp_header_cells(f, r);
		f->r.records += r->no != 0;
		if (f->calibrating && r->no >= f->d->o.calib_records)
			end_calibration(f);
	}
	/* pending findings point into this region: decide them now */
	if (f->calibrating && f->npend)
		end_calibration(f);
	f->nrecs = 0;
	return MM_OK;
}

/* Move complete records out of work and scan them. */
static int drain(struct mm_dlp_file *f, bool final)
{
	int rc = MM_OK;
	if (!f->work.n)
		return MM_OK;
	size_t used = mm__dlp_split(f, f->work.p, f->work.n, final);
	if (used || f->nrecs)
		rc = process_region(f, f->work.p, used);
	if (used) {
		memmove(f->work.p, f->work.p + used, f->work.n - used);
		f->work.n -= used;
		f->work.p[f->work.n] = '\0';
	}
	f->nrecs = 0;
	return rc;
}

/* Append UTF-8 text to work, width-folded when it needs it. */
static int add_text(struct mm_dlp_file *f, const char *p, size_t n)
{
	if (mm_dlp_needs_normalize(p, n))
		return mm_dlp_normalize(p, n, &f->work);
	return mm_buf_append(&f->work, p, n);
}

static int start(struct mm_dlp_file *f)
{
	size_t bom = 0;
	enum mm_dlp_encoding e = mm_dlp_detect_encoding(f->raw.p, f->raw.n, &bom);
	f->r.encoding = e;
	f->started = true;
	if (e == MM_DLP_ENC_BINARY)
		e = MM_DLP_ENC_UTF8; /* scanned as bytes when asked to */
	if (mm__dlp_conv_open(&f->conv, e))
		return MM_ENOTSUP;
	if (bom) {
		memmove(f->raw.p, f->raw.p + bom, f->raw.n - bom);
		f->raw.n -= bom;
	}
	return MM_OK;
}

/* Move raw (or, for UTF-8 input, the piece p[0..n) the caller would have
 * put in an empty raw) on into work, and scan what is complete. */
static int pump(struct mm_dlp_file *f, bool final, const char *p, size_t n)
{
	int rc;
	if (p) {
		rc = add_text(f, p, n);
	} else if (f->conv.cd == (iconv_t)-1) {
		rc = add_text(f, f->raw.p ? f->raw.p : "", f->raw.n);
		mm_buf_reset(&f->raw);
	} else {
		mm_buf_reset(&f->tmp);
		size_t used = mm__dlp_conv(&f->conv, f->raw.p ? f->raw.p : "", f->raw.n, final,
		                           &f->tmp, &f->r.decode_errors);
		memmove(f->raw.p, f->raw.p + used, f->raw.n - used);
		f->raw.n -= used;
		rc = add_text(f, f->tmp.p ? f->tmp.p : "", f->tmp.n);
	}
	if (rc)
		return rc;
	if (!f->fmt_forced) {
		/* format from the name, else from the first converted text */
		f->fmt = mm__dlp_detect_format(f->name, f->work.p ? f->work.p : "", f->work.n);
		f->fmt_forced = true;
	}
	if (f->work.n >= REGION || final)
		return drain(f, final);
	return MM_OK;
}

int mm_dlp_file_feed(struct mm_dlp_file *f, const void *vp, size_t n)
{
	const char *p = vp;
	int rc;
	f->r.bytes += n;
	/* in pieces, so that raw stays within its cap */
	while (n) {
		size_t k = MM_MIN(n, (size_t)PIECE);
		if (f->started && f->conv.cd == (iconv_t)-1 && !f->raw.n && k == PIECE) {
			/* UTF-8: a whole piece would go through raw untouched */
			if ((rc = pump(f, false, p, k)))
				return rc;
			p += k;
			n -= k;
			continue;
		}
		if ((rc = mm_buf_append(&f->raw, p, k)))
			return rc;
		p += k;
		n -= k;
		if (!f->started) {
			if (f->raw.n < SNIFF)
				continue;
			if ((rc = start(f)))
				return rc;
		}
		if (f->raw.n >= PIECE && (rc = pump(f, false, NULL, 0)))
			return rc;
	}
	return MM_OK;
}

int mm_dlp_file_finish(struct mm_dlp_file *f, struct mm_dlp_result *out)
{
	int rc = MM_OK;
	if (!f->started && (rc = start(f)))
		goto out;
	if ((rc = pump(f, true, NULL, 0)))
		goto out;
	if (f->calibrating)
		end_calibration(f);
out:
	f->r.format = f->fmt;
	for (size_t t = 0; t < MM_DLP__TYPES; t++)
		f->r.t[t].distinct = set_count(&f->distinct[t]);
	/* columns holding findings, in column order */
	size_t k = 0;
	for (size_t c = 0; c < f->ncols; c++) {
		bool any = false;
		for (size_t t = 0; t < MM_DLP__TYPES; t++)
			any = any || f->cols[c].count[t];
		k += any;
	}
	if (k) {
		f->r.cols = mm_calloc(k, sizeof(*f->r.cols));
		for (size_t c = 0; c < f->ncols; c++) {
			bool any = false;
			for (size_t t = 0; t < MM_DLP__TYPES; t++)
				any = any || f->cols[c].count[t];
			if (!any)
				continue;
			struct mm_dlp_column *oc = &f->r.cols[f->r.ncols++];
			memcpy(oc->name, f->cols[c].name, sizeof(oc->name));
			memcpy(oc->count, f->cols[c].count, sizeof(oc->count));
		}
	}
	*out = f->r;
	memset(&f->r, 0, sizeof(f->r));
	return rc;
}

int mm_dlp_scan_buffer(struct mm_dlp *d, const char *name, const void *p, size_t n,
                       struct mm_dlp_result *out)
{
	struct mm_dlp_file *f = mm_dlp_file_new(d, name);
	int rc = mm_dlp_file_feed(f, p, n);
	struct mm_dlp_result r;
	int rc2 = mm_dlp_file_finish(f, &r);
	*out = r;
	mm_dlp_file_free(f);
	return rc ? rc : rc2;
}

