/* mamori — the DLP scanner: a file streams through encoding conversion and
 * width folding into records (CSV/TSV rows per RFC 4180, JSON Lines, SQL
 * INSERT tuples and COPY rows, text lines); candidates come from a Hyperscan
 * database (literal-anchored shapes, context words) and an SSE2 digit-run
 * scanner; only candidates are validated, with confidence from labels,
 * headers and per-column validity. Pipeline: text → records → detect → result. */
#define _GNU_SOURCE /* memmem */
#include "dlp_int.h"

#include "mamori/mpm.h"

#include <math.h>
#include <stdlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <string.h>
#include <strings.h>

/* ---- pattern ids ------------------------------------------------------------
 * The digit-anchored shapes (K_NUM, K_IBAN, K_PASSPORT, K_DATE) come from
 * the digit-run scanner (digit_scan below: SSE2 over the region), the
 * rest from the Hyperscan database: a class-only pattern like "seven digits"
 * has no literal to anchor on and would cost Hyperscan more than the whole
 * rest of the database on digit-dense exports (measured: 720 MB/s alone). */
enum {
	K_NUM,         /* a run of ≥ 7 digits with single space/hyphen separators */
	K_POSTAL_MARK, /* 〒 */
	K_EMAIL,
	K_IBAN,
	K_PASSPORT,
	K_ERA,        /* 昭和60年4月12日 */
	K_DATE,       /* 1985/4/12, 1985年4月12日 */
	K_NAME_JA,    /* 氏名: … */
	K_NAME_EN,    /* name: …, "name": "…" */
	K_KINDS,
	K_PREF = 16,  /* + prefecture index */
	K_LABEL = 128 /* + label index */
};

static const char *const g_prefs[47] = {
	"北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県",
	"栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県",
	"石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
	"滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県",
	"岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
	"佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
};

/* byte lengths of g_prefs: 9, or 12 for 神奈川県, 和歌山県, 鹿児島県 */
static const unsigned char g_pref_len[47] = {
	9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 12, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
	9, 9, 9, 9, 9, 12, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 12, 9,
};

static const struct {
	unsigned id;
	const char *expr;
	unsigned flags;
} g_shapes[] = {
	{K_POSTAL_MARK, "〒", 0},
	{K_EMAIL, "[A-Za-z0-9._%+\\-]@[A-Za-z0-9\\-]+\\.", MM_MPM_REGEX},
	{K_ERA, "(?:明治|大正|昭和|平成|令和) ?(?:\\d{1,2}|元)年", MM_MPM_REGEX | MM_MPM_SOM},
	{K_NAME_JA, "(?:氏名|お名前|名前|フリガナ|ふりがな|顧客名|契約者名)\"?(?:(?:\\s|　)*[:=]|\\s|　)",
	 MM_MPM_REGEX | MM_MPM_SOM},
	{K_NAME_EN, "\\b(?:full_?name|customer_?name|name(?:_?kana)?|kana)\"?\\s*[:=]",
	 MM_MPM_REGEX | MM_MPM_SOM | MM_MPM_CASELESS},
};

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

#define SNIFF 65536
#define PIECE (1u << 20)           /* conversion unit */
#define REGION (4u << 20)          /* scan in regions of about this size */
#define SQL_STMT_MAX (64u << 20)   /* longest INSERT statement kept whole */
#define PROMOTED_CONF 75 /* a column whose values mostly validate */
#define DEMOTED_CONF 20  /* a column of numbers that validate only by chance */
#define LABEL_WINDOW 48  /* bytes between a label's end and the value */

struct mm_dlp {
	struct mm_dlp_opts o;
	struct mm_mpm *mpm;
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
	for (size_t i = 0; i < MM_ARRAY_LEN(g_shapes); i++)
		mm_mpm_add(d->mpm, g_shapes[i].expr, strlen(g_shapes[i].expr), g_shapes[i].id,
		           g_shapes[i].flags);
	for (size_t i = 0; i < MM_ARRAY_LEN(g_prefs); i++) {
		if (strlen(g_prefs[i]) != g_pref_len[i])
			abort(); /* the table above is wrong */
		mm_mpm_add(d->mpm, g_prefs[i], strlen(g_prefs[i]), K_PREF + (unsigned)i, 0);
	}
	for (size_t i = 0; i < mm__dlp_nlabels; i++)
		mm_mpm_add(d->mpm, mm__dlp_labels[i].expr, strlen(mm__dlp_labels[i].expr),
		           K_LABEL + (unsigned)i,
		           MM_MPM_REGEX | (mm__dlp_labels[i].caseless ? MM_MPM_CASELESS : 0));
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
	free(d);
}

void mm_dlp_result_clear(struct mm_dlp_result *r)
{
	if (!r)
		return;
	free(r->cols);
	memset(r, 0, sizeof(*r));
}

/* ---- per-file state ------------------------------------------------------------ */

struct cand {
	uint32_t end, from;
	uint32_t id;
};

struct rec {
	uint32_t s, e; /* value span in the region */
	int32_t cs;    /* column set (CSV header, SQL column list), -1 none */
	uint64_t no;   /* data record ordinal, 0 = not a data record (header) */
};

#define MAX_COLSETS 64
#define MAX_SETCOLS 512

struct colset {
	int col[MAX_SETCOLS]; /* field index → column id, -1 unknown */
	size_t n;
	char table[64];
	bool name_cols; /* some column holds names or addresses by its header */
	int name_last;  /* the last such field index */
};

struct column {
	char name[MM_DLP_COLNAME_MAX];
	enum mm__dlp_ctx ctx;
	uint64_t count[MM_DLP__TYPES];
	uint32_t shape[MM_DLP__TYPES], valid[MM_DLP__TYPES];
	int8_t adj[MM_DLP__TYPES]; /* +1 promoted, -1 demoted */
};

struct pend {
	uint64_t rec;
	const char *v;
	uint32_t vn;
	int16_t col;
	uint8_t type, conf, flags;
};
#define PF_CTX_POS 1u
#define PF_CTX_NEG 2u

/* Distinct values: exact (a set of 64-bit hashes, in L1) up to EXACT_MAX, then a
 * HyperLogLog sketch (Flajolet et al. 2007, 2^12 registers: ~1.6 % standard
 * error) so that the sketches of all types stay in cache. */
#define EXACT_MAX 1024
#define HLL_P 12
struct u64set {
	uint64_t *v;
	size_t cap, n;
	uint8_t *hll; /* NULL while exact */
};
struct label {
	uint32_t end;
	uint8_t ctx;
};

struct mm_dlp_file {
	struct mm_dlp *d;
	struct mm_mpm_scratch *scr;
	char *name;
	bool started, header_done, calibrating, fmt_forced;
	enum mm_dlp_format fmt;
	struct mm__dlp_conv conv;
	struct mm_buf raw;  /* bytes not yet converted */
	struct mm_buf work; /* UTF-8, folded; an incomplete record carried at the end */
	struct mm_buf tmp;  /* conversion output before folding */
	uint64_t rec_no;
	/* SQL COPY … FROM stdin state */
	bool in_copy;
	int copy_cs;
	/* columns */
	struct column *cols;
	size_t ncols;
	struct mm_map *colmap; /* name → id + 1 */
	struct colset *sets;
	size_t nsets;
	struct mm_map *setmap; /* SQL column list text → set + 1 */
	/* region scratch: Hyperscan's candidates (then all, merged), the digit
	 * scanner's, and the merge buffer */
	struct cand *c, *dc, *mc;
	size_t nc, capc, nd, capd, capm;
	struct rec *recs;
	size_t nrecs, caprecs;
	struct label labels[64];
	size_t nlabels;
	uint32_t consumed; /* region offset up to which text is part of a finding */
	uint32_t last_end[K_KINDS];
	/* field-index cache for the current record */
	uint32_t fc_pos, fc_fstart;
	int fc_idx;
	bool fc_inq;
	/* calibration */
	struct pend *pend;
	size_t npend, cappend;
	/* counting */
	uint64_t last_pii_rec, type_last_rec[MM_DLP__TYPES];
	struct u64set distinct[MM_DLP__TYPES];
	struct mm_dlp_result r;
	const char *region; /* for callbacks */
};

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
	free(f->recs);
	free(f->pend);
	for (size_t t = 0; t < MM_DLP__TYPES; t++) {
		free(f->distinct[t].v);
		free(f->distinct[t].hll);
	}
	mm_dlp_result_clear(&f->r);
	free(f);
}

/* ---- columns ------------------------------------------------------------------- */

static int column_id(struct mm_dlp_file *f, const char *name, size_t n)
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
	int id = column_id(f, name, n);
	s->col[s->n++] = id;
	if (id >= 0 && (f->cols[id].ctx == MM_CTX_NAME || f->cols[id].ctx == MM_CTX_ADDRESS)) {
		s->name_cols = true;
		s->name_last = (int)s->n - 1;
	}
}

/* A column for field idx of set cs that has no header: "#k" (1-based). */
static int colset_col(struct mm_dlp_file *f, int cs, int idx)
{
	if (cs < 0 || idx < 0 || idx >= MAX_SETCOLS)
		return -1;
	struct colset *s = &f->sets[cs];
	if (s->col[idx] >= 0)
		return s->col[idx];
	char nm[80];
	int k = snprintf(nm, sizeof(nm), "%s%s#%d", s->table, s->table[0] ? "." : "", idx + 1);
	s->col[idx] = column_id(f, nm, (size_t)k);
	return s->col[idx];
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
	char k[256];
	size_t m = 0;
	for (size_t i = 0; i < n && m < sizeof(k); i++) {
		char c = v[i];
		if (t != MM_DLP_NAME && t != MM_DLP_ADDRESS_JP && t != MM_DLP_BIRTH_DATE &&
		    (c == '-' || c == ' '))
			continue; /* 090-1234-5678 = 09012345678 */
		if (c == ' ')
			continue;
		if (t == MM_DLP_NAME && i + 3 <= n && !memcmp(v + i, "\xe3\x80\x80", 3)) {
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

/* ---- emitting findings --------------------------------------------------------- */

struct ctxinfo {
	enum mm__dlp_ctx ctx;
	int col;
};

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

static void emit(struct mm_dlp_file *f, const struct rec *r, const struct ctxinfo *ci,
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

static void stat_shape(struct mm_dlp_file *f, int col, enum mm_dlp_type t, bool valid)
{
	if (!f->calibrating || col < 0)
		return;
	f->cols[col].shape[t]++;
	f->cols[col].valid[t] += valid;
}

/* ---- character helpers ------------------------------------------------------- */

static inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
static inline bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static inline bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }

/* ---- context and columns -------------------------------------------------------- */

/* First offset in [i, end) holding the separator, the quote or (inside
 * SQL's single quotes) a backslash; 16 bytes at a time with SSE2. */
static uint32_t skip_plain(const char *p, uint32_t i, uint32_t end, char sep, char q)
{
	char bs = q == '\'' ? '\\' : sep, qq = q ? q : sep;
#ifdef __SSE2__
	const __m128i vs = _mm_set1_epi8(sep), vq = _mm_set1_epi8(qq), vb = _mm_set1_epi8(bs);
	while (i + 16 <= end) {
		__m128i v = _mm_loadu_si128((const __m128i *)(p + i));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(v, vs), _mm_cmpeq_epi8(v, vq)), _mm_cmpeq_epi8(v, vb)));
		if (m)
			return i + (uint32_t)__builtin_ctz(m);
		i += 16;
	}
#endif
	while (i < end && p[i] != sep && p[i] != qq && p[i] != bs)
		i++;
	return i;
}

/* Field index of region offset pos inside record r (CSV/TSV/SQL tuple), and
 * the offset where that field starts. Cached: values in a record arrive in
 * order of their end, mostly of their start too. */
static int field_at(struct mm_dlp_file *f, const struct rec *r, uint32_t pos, uint32_t *fstart)
{
	const char *p = f->region;
	char sep = f->fmt == MM_DLP_FMT_TSV ? '\t' : ',';
	char q = f->fmt == MM_DLP_FMT_SQL ? '\'' : '"';
	if (f->fmt == MM_DLP_FMT_SQL && r->cs >= 0 && f->sets[r->cs].table[0] == '\t')
		sep = '\t', q = 0; /* COPY rows */
	if (pos < f->fc_pos || f->fc_pos < r->s || f->fc_pos > r->e) {
		f->fc_pos = r->s;
		f->fc_idx = 0;
		f->fc_inq = false;
		f->fc_fstart = r->s;
	}
	uint32_t i = f->fc_pos;
	int idx = f->fc_idx;
	bool inq = f->fc_inq;
	uint32_t fs = f->fc_fstart;
	for (; i < pos; i++) {
		i = skip_plain(p, i, pos, sep, q);
		if (i >= pos)
			break;
		char c = p[i];
		if (inq && q == '\'' && c == '\\')
			i++; /* MySQL's backslash escape */
		else if (q && c == q)
			inq = !inq;
		else if (!inq && c == sep) {
			idx++;
			fs = i + 1;
		}
	}
	f->fc_pos = i;
	f->fc_idx = idx;
	f->fc_inq = inq;
	f->fc_fstart = fs;
	*fstart = fs;
	return idx;
}

/* JSON key right before a value at pos: `"key": "` or `"key":`. */
static int json_key_col(struct mm_dlp_file *f, const struct rec *r, uint32_t pos)
{
	const char *p = f->region;
	uint32_t i = pos;
	if (i > r->s && p[i - 1] == '"')
		i--;
	while (i > r->s && p[i - 1] == ' ')
		i--;
	if (i <= r->s || p[i - 1] != ':')
		return -1;
	i--;
	while (i > r->s && p[i - 1] == ' ')
		i--;
	if (i <= r->s || p[i - 1] != '"')
		return -1;
	uint32_t ke = --i;
	while (i > r->s && p[i - 1] != '"' && ke - i < 64)
		i--;
	if (i <= r->s || p[i - 1] != '"')
		return -1;
	return column_id(f, p + i, ke - i);
}

static struct ctxinfo context_for(struct mm_dlp_file *f, const struct rec *r, uint32_t vs)
{
	struct ctxinfo ci = {MM_CTX_NONE, -1};
	uint32_t lo = vs > r->s + LABEL_WINDOW ? vs - LABEL_WINDOW : r->s;
	if (f->fmt == MM_DLP_FMT_JSONL) {
		ci.col = json_key_col(f, r, vs);
	} else if (r->cs >= 0) {
		uint32_t fs;
		int idx = field_at(f, r, vs, &fs);
		ci.col = colset_col(f, r->cs, idx);
		if (fs > lo)
			lo = fs; /* a label in another cell says nothing about this one */
	}
	/* a label speaks for the next value only: not across an earlier finding */
	if (f->consumed > lo && f->consumed <= vs)
		lo = f->consumed;
	/* the nearest label before the value wins */
	uint32_t best = 0;
	for (size_t i = 0; i < f->nlabels; i++)
		if (f->labels[i].end <= vs && f->labels[i].end >= lo && f->labels[i].end >= best) {
			best = f->labels[i].end;
			ci.ctx = (enum mm__dlp_ctx)f->labels[i].ctx;
		}
	if (ci.ctx == MM_CTX_NONE && ci.col >= 0)
		ci.ctx = f->cols[ci.col].ctx;
	return ci;
}

/* ---- validators of candidates ----------------------------------------------------- */

static bool valid_date(int y, int m, int d)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return false;
	return true;
}

static int num(const char *d, size_t k)
{
	int v = 0;
	for (size_t i = 0; i < k; i++)
		v = v * 10 + (d[i] - '0');
	return v;
}

/* YYYYMMDDhhmm of the last decades: a timestamp, not a My Number. */
static bool looks_like_timestamp12(const char *d)
{
	int y = num(d, 4), mo = num(d + 4, 2), da = num(d + 6, 2), h = num(d + 8, 2),
	    mi = num(d + 10, 2);
	return y >= 1990 && y <= 2099 && valid_date(y, mo, da) && h < 24 && mi < 60;
}

static bool ssn_valid(const char *d)
{
	int a = num(d, 3), g = num(d + 3, 2), s = num(d + 5, 4);
	return a != 0 && a != 666 && a < 900 && g != 0 && s != 0;
}

static bool card_groups(const unsigned *g, size_t ng, size_t n)
{
	if (ng == 1)
		return true;
	if (ng == 3 && n == 15 && g[0] == 4 && g[1] == 6 && g[2] == 5)
		return true; /* Amex */
	if (ng == 3 && n == 14 && g[0] == 4 && g[1] == 6 && g[2] == 4)
		return true; /* Diners */
	for (size_t i = 0; i + 1 < ng; i++)
		if (g[i] != 4)
			return false;
	return ng >= 4 && g[ng - 1] >= 1 && g[ng - 1] <= 4;
}

/* A token of the digit scanner: [from, end), digits with single spaces or
 * hyphens between, seven digits or more. */
static void do_number(struct mm_dlp_file *f, const struct rec *r, uint32_t from, uint32_t end)
{
	const char *p = f->region;
	uint32_t s = MM_MAX(from, r->s), e = MM_MIN(end, r->e);
	if (s >= e)
		return;
	if (s < f->consumed || e <= f->last_end[K_NUM])
		return;
	f->last_end[K_NUM] = e;
	f->r.candidates++;
	/* part of a code or identifier: ORD-2026…, taro.0901…@, id_…, …-A */
	char b = s > r->s ? p[s - 1] : ' ', a = e < r->e ? p[e] : ' ';
	if (is_alpha(b) || b == '_' || b == '@' || b == '#' || is_alpha(a) || a == '_' || a == '@' ||
	    ((b == '-' || b == '.' || b == '/') && s - 1 > r->s && is_alnum(p[s - 2])) ||
	    ((a == '-' || a == '.' || a == '/') && e + 1 < r->e && is_alnum(p[e + 1]))) {
		f->r.rejected++;
		return;
	}
	bool plus = b == '+';
	char d[32];
	unsigned g[12];
	size_t n = 0, ng = 0, cur = 0;
	char sep = 0;
	for (uint32_t i = s; i < e; i++) {
		char c = p[i];
		if (is_digit(c)) {
			if (n < sizeof(d) - 1)
				d[n] = c;
			n++;
			cur++;
		} else {
			if (sep && c != sep) {
				f->r.rejected++;
				return;
			}
			sep = c;
			if (ng < MM_ARRAY_LEN(g))
				g[ng++] = (unsigned)cur;
			cur = 0;
		}
	}
	if (ng < MM_ARRAY_LEN(g))
		g[ng++] = (unsigned)cur;
	if (n >= sizeof(d)) {
		f->r.rejected++;
		return;
	}
	d[n] = '\0';
	struct ctxinfo ci = context_for(f, r, plus ? s - 1 : s);
	const char *v = p + s;
	size_t vn = e - s;
	f->consumed = e;

	if (plus) { /* E.164 (ITU-T E.164): +CC… up to 15 digits */
		v--, vn++;
		if (n >= 11 && n <= 12 && d[0] == '8' && d[1] == '1') {
			char nd[16];
			nd[0] = '0';
			memcpy(nd + 1, d + 2, n - 2);
			unsigned ng2[12];
			size_t k = 0;
			if (ng >= 2 && g[0] == 2) {
				for (size_t i = 1; i < ng && k < MM_ARRAY_LEN(ng2); i++)
					ng2[k++] = g[i];
				ng2[0]++; /* the trunk prefix 0 replaces +81 */
			} else
				ng2[k++] = (unsigned)(n - 1);
			if (mm_dlp_phone_jp_kind(nd, n - 1, ng2, k)) {
				emit(f, r, &ci, MM_DLP_PHONE_JP, 80, v, vn);
				return;
			}
		}
		if (n >= 8 && n <= 15 && d[0] != '0') {
			emit(f, r, &ci, MM_DLP_PHONE_INTL, 70, v, vn);
			return;
		}
		f->r.rejected++;
		return;
	}
	/* dates: 1985-04-12 */
	if (ng == 3 && sep == '-' && g[0] == 4 && g[1] <= 2 && g[2] <= 2) {
		int y = num(d, 4), mo = num(d + 4, g[1]), da = num(d + 4 + g[1], g[2]);
		if (y >= 1900 && y <= 2099 && valid_date(y, mo, da)) {
			emit(f, r, &ci, MM_DLP_BIRTH_DATE, 20, v, vn);
			return;
		}
	}
	if (n == 8 && ng == 1 && ci.ctx == MM_CTX_DOB) {
		int y = num(d, 4);
		if (y >= 1900 && y <= 2099 && valid_date(y, num(d + 4, 2), num(d + 6, 2))) {
			emit(f, r, &ci, MM_DLP_BIRTH_DATE, 20, v, vn);
			return;
		}
	}
	if (n == 12 && (ng == 1 || (ng == 3 && g[0] == 4 && g[1] == 4))) {
		if (ci.ctx == MM_CTX_LICENSE) {
			int pc = num(d, 2); /* 公安委員会 code */
			if (pc >= 10 && pc <= 97) {
				emit(f, r, &ci, MM_DLP_DRIVER_LICENSE, 0, v, vn);
				return;
			}
		}
		bool ok = mm_dlp_my_number_valid(d, n);
		stat_shape(f, ci.col, MM_DLP_MY_NUMBER, ok);
		if (ok) {
			emit(f, r, &ci, MM_DLP_MY_NUMBER, looks_like_timestamp12(d) ? 20 : 45, v, vn);
			return;
		}
	}
	if (n == 13 && (ng == 1 || (ng == 4 && g[0] == 1))) {
		bool ok = mm_dlp_corporate_number_valid(d, n);
		stat_shape(f, ci.col, MM_DLP_CORPORATE_NUMBER, ok);
		if (ok) {
			emit(f, r, &ci, MM_DLP_CORPORATE_NUMBER, 40, v, vn);
			return;
		}
	}
	if (n >= 14 && n <= 19 && card_groups(g, ng, n) && mm_dlp_card_brand(d, n)) {
		bool ok = mm_dlp_luhn_valid(d, n);
		stat_shape(f, ci.col, MM_DLP_CARD, ok);
		if (ok) {
			emit(f, r, &ci, MM_DLP_CARD, 80, v, vn);
			return;
		}
	}
	if ((n == 10 || n == 11) && d[0] == '0') {
		int kind = mm_dlp_phone_jp_kind(d, n, g, ng);
		stat_shape(f, ci.col, MM_DLP_PHONE_JP, kind > 0);
		if (kind) {
			int base = ng == 3 ? 80 : kind == 2 || kind == 4 ? 70 : 55;
			emit(f, r, &ci, MM_DLP_PHONE_JP, base, v, vn);
			return;
		}
	}
	if (n == 7) {
		if (ng == 2 && g[0] == 3 && sep == '-') {
			emit(f, r, &ci, MM_DLP_POSTAL_JP, 35, v, vn);
			return;
		}
		if (ng == 1 && ci.ctx == MM_CTX_POSTAL) {
			emit(f, r, &ci, MM_DLP_POSTAL_JP, 0, v, vn);
			return;
		}
	}
	if (n == 9 && ssn_valid(d)) {
		if (ng == 3 && g[0] == 3 && g[1] == 2 && sep == '-') {
			emit(f, r, &ci, MM_DLP_US_SSN, 55, v, vn);
			return;
		}
		if (ng == 1 && ci.ctx == MM_CTX_SSN) {
			emit(f, r, &ci, MM_DLP_US_SSN, 0, v, vn);
			return;
		}
	}
	if (n >= 6 && n <= 8 && ng == 1 && ci.ctx == MM_CTX_BANK) {
		emit(f, r, &ci, MM_DLP_BANK_ACCOUNT, 0, v, vn);
		return;
	}
	f->r.rejected++;
}

static void do_postal_mark(struct mm_dlp_file *f, const struct rec *r, uint32_t end)
{
	const char *p = f->region;
	uint32_t i = end, s;
	f->r.candidates++;
	if (i < r->e && p[i] == ' ')
		i++;
	s = i;
	size_t n = 0;
	while (i < r->e && is_digit(p[i]) && n < 3)
		i++, n++;
	if (n == 3 && i < r->e && p[i] == '-')
		i++;
	while (i < r->e && is_digit(p[i]) && n < 7)
		i++, n++;
	if (n != 7 || (i < r->e && is_digit(p[i]))) {
		f->r.rejected++;
		return;
	}
	struct ctxinfo ci = context_for(f, r, end - 3);
	if (ci.ctx == MM_CTX_NEG)
		ci.ctx = MM_CTX_NONE; /* 〒 says what follows */
	emit(f, r, &ci, MM_DLP_POSTAL_JP, 95, p + s, i - s);
	f->consumed = i;
}

static bool email_tld_ok(const char *t, size_t n)
{
	/* file names: icon@2x.png, a@b.min.js */
	static const char ext[][5] = {"png", "jpg", "jpeg", "gif", "svg", "webp", "css",
	                              "js", "ico", "bmp", "tif", "tiff", "html", "htm",
	                              "php", "txt", "pdf", "zip", "gz", "exe"};
	if (n < 2 || n > 24)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_alpha(t[i]))
			return false;
	if (n > 4)
		return true;
	char low[5] = {0};
	for (size_t i = 0; i < n; i++)
		low[i] = (char)(t[i] | 0x20);
	for (size_t i = 0; i < MM_ARRAY_LEN(ext); i++)
		if (!memcmp(ext[i], low, 5))
			return false;
	return true;
}

static void do_email(struct mm_dlp_file *f, const struct rec *r, uint32_t end)
{
	const char *p = f->region;
	uint32_t at = end - 1;
	while (at > r->s && p[at] != '@')
		at--;
	if (p[at] != '@' || end <= f->last_end[K_EMAIL])
		return;
	f->r.candidates++;
	uint32_t s = at, e = at + 1;
	while (s > r->s && at - s < 64 &&
	       (is_alnum(p[s - 1]) || strchr("._%+-", p[s - 1]) != NULL))
		s--;
	while (s < at && (p[s] == '.' || p[s] == '-'))
		s++;
	while (e < r->e && e - at < 254 && (is_alnum(p[e]) || p[e] == '.' || p[e] == '-'))
		e++;
	while (e > at + 1 && (p[e - 1] == '.' || p[e - 1] == '-'))
		e--;
	f->last_end[K_EMAIL] = e;
	if (s == at || p[at - 1] == '.' || s < f->consumed) {
		f->r.rejected++;
		return;
	}
	for (uint32_t i = s; i + 1 < at; i++)
		if (p[i] == '.' && p[i + 1] == '.') {
			f->r.rejected++;
			return;
		}
	/* labels: 1..63 chars, no leading/trailing hyphen; ≥ 2 labels */
	uint32_t ls = at + 1, labels = 0, tld = 0;
	for (uint32_t i = at + 1; i <= e; i++) {
		if (i == e || p[i] == '.') {
			uint32_t ln = i - ls;
			if (ln == 0 || ln > 63 || p[ls] == '-' || p[i - 1] == '-') {
				f->r.rejected++;
				return;
			}
			labels++;
			tld = ls;
			ls = i + 1;
		}
	}
	if (labels < 2 || !email_tld_ok(p + tld, e - tld)) {
		f->r.rejected++;
		return;
	}
	struct ctxinfo ci = context_for(f, r, s);
	emit(f, r, &ci, MM_DLP_EMAIL, 90, p + s, e - s);
	f->consumed = e;
}

static void do_iban(struct mm_dlp_file *f, const struct rec *r, uint32_t s)
{
	const char *p = f->region;
	if (s < r->s || s < f->consumed || s < f->last_end[K_IBAN])
		return;
	f->r.candidates++;
	char buf[40];
	size_t n = 0;
	uint32_t i = s;
	/* alphanumerics with single spaces (written in groups of four) */
	for (; i < r->e && n < 34; i++) {
		if (is_digit(p[i]) || (p[i] >= 'A' && p[i] <= 'Z'))
			buf[n++] = p[i];
		else if (p[i] == ' ' && i + 1 < r->e && is_alnum(p[i + 1]) && n >= 4)
			continue;
		else
			break;
	}
	f->last_end[K_IBAN] = i;
	/* try the longest valid prefix (an IBAN written in groups may be followed
	 * by more digits only when separated) */
	for (size_t L = n; L >= 15; L--) {
		if (mm_dlp_iban_valid(buf, L)) {
			/* end offset of the L-th alphanumeric */
			uint32_t k = s;
			size_t m = 0;
			while (k < r->e && m < L) {
				if (p[k] != ' ')
					m++;
				k++;
			}
			if (k < r->e && is_alnum(p[k]))
				break;
			struct ctxinfo ci = context_for(f, r, s);
			emit(f, r, &ci, MM_DLP_IBAN, 90, p + s, k - s);
			f->consumed = k;
			return;
		}
	}
	f->r.rejected++;
}

static void do_passport(struct mm_dlp_file *f, const struct rec *r, uint32_t s)
{
	uint32_t end = s + 9;
	if (s < r->s || s < f->consumed || end > r->e)
		return;
	f->r.candidates++;
	struct ctxinfo ci = context_for(f, r, s);
	emit(f, r, &ci, MM_DLP_PASSPORT, 30, f->region + s, 9);
	f->consumed = end;
}

/* Read "<digits>年<digits>月<digits>日" (spaces allowed) from i. */
static bool read_ymd_ja(const char *p, uint32_t *i, uint32_t e, int *y, int *m, int *d)
{
	int *out[3] = {y, m, d};
	static const char *const unit[3] = {"年", "月", "日"};
	for (int k = 0; k < 3; k++) {
		while (*i < e && p[*i] == ' ')
			(*i)++;
		if (k == 0 && *i + 3 <= e && !memcmp(p + *i, "元", 3)) {
			*out[k] = 1;
			*i += 3;
		} else {
			int v = 0, nd = 0;
			while (*i < e && is_digit(p[*i]) && nd < 4)
				v = v * 10 + (p[(*i)++] - '0'), nd++;
			if (!nd)
				return false;
			*out[k] = v;
		}
		while (*i < e && p[*i] == ' ')
			(*i)++;
		if (*i + 3 > e || memcmp(p + *i, unit[k], 3))
			return false;
		*i += 3;
	}
	return true;
}

static void do_era(struct mm_dlp_file *f, const struct rec *r, uint32_t from, uint32_t end)
{
	static const struct {
		const char *name;
		int base, max;
	} eras[] = {{"明治", 1867, 45}, {"大正", 1911, 15}, {"昭和", 1925, 64}, {"平成", 1988, 31},
	            {"令和", 2018, 99}};
	const char *p = f->region;
	if (from < r->s || from < f->consumed || end <= f->last_end[K_ERA])
		return;
	f->r.candidates++;
	for (size_t k = 0; k < MM_ARRAY_LEN(eras); k++) {
		if (memcmp(p + from, eras[k].name, 6))
			continue;
		uint32_t i = from + 6;
		int y, m, d;
		if (!read_ymd_ja(p, &i, r->e, &y, &m, &d) || y < 1 || y > eras[k].max ||
		    !valid_date(eras[k].base + y, m, d))
			break;
		f->last_end[K_ERA] = i;
		struct ctxinfo ci = context_for(f, r, from);
		emit(f, r, &ci, MM_DLP_BIRTH_DATE, 20, p + from, i - from);
		f->consumed = i;
		return;
	}
	f->r.rejected++;
}

static void do_date(struct mm_dlp_file *f, const struct rec *r, uint32_t from, uint32_t end)
{
	const char *p = f->region;
	if (from < r->s || from < f->consumed || end <= f->last_end[K_DATE])
		return;
	f->r.candidates++;
	uint32_t i = from;
	int y, m, d;
	if (p[from + 4] == '/') {
		y = num(p + from, 4);
		i = from + 5;
		m = 0;
		d = 0;
		int nd = 0;
		while (i < r->e && is_digit(p[i]) && nd < 2)
			m = m * 10 + (p[i++] - '0'), nd++;
		if (i >= r->e || p[i] != '/') {
			f->r.rejected++;
			return;
		}
		i++;
		nd = 0;
		while (i < r->e && is_digit(p[i]) && nd < 2)
			d = d * 10 + (p[i++] - '0'), nd++;
		if (!nd || (i < r->e && is_digit(p[i]))) {
			f->r.rejected++;
			return;
		}
	} else if (!read_ymd_ja(p, &i, r->e, &y, &m, &d)) {
		f->r.rejected++;
		return;
	}
	f->last_end[K_DATE] = i;
	if (!valid_date(y, m, d)) {
		f->r.rejected++;
		return;
	}
	struct ctxinfo ci = context_for(f, r, from);
	emit(f, r, &ci, MM_DLP_BIRTH_DATE, 20, p + from, i - from);
	f->consumed = i;
}

/* A UTF-8 character of a Japanese or Latin personal name. */
static size_t name_char(const unsigned char *p, size_t n, bool *latin)
{
	*latin = false;
	if (n == 0)
		return 0;
	if (is_alpha((char)p[0]) || p[0] == '.' || p[0] == '\'') {
		*latin = true;
		return 1;
	}
	if (n < 3)
		return 0;
	unsigned cp = ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
	if ((p[0] & 0xf0) != 0xe0)
		return 0;
	if ((cp >= 0x4e00 && cp <= 0x9fff) || cp == 0x3005 || /* kanji, 々 */
	    (cp >= 0x3041 && cp <= 0x3096) ||                    /* hiragana */
	    (cp >= 0x30a1 && cp <= 0x30fa) || cp == 0x30fc || cp == 0x30fb || /* katakana ー ・ */
	    (cp >= 0xff66 && cp <= 0xff9f))                      /* half-width katakana */
		return 3;
	return 0;
}

/* A space between name parts: ASCII or the ideographic space U+3000. */
static size_t is_space(const char *p, size_t n)
{
	if (n && p[0] == ' ')
		return 1;
	return n >= 3 && !memcmp(p, "\xe3\x80\x80", 3) ? 3 : 0;
}

/* Is v[0..n) a person's name? 2–12 Japanese characters or 2–4 Latin words,
 * one or two spaces, no digits; placeholders (不明, なし, N/A) are not. */
static bool name_valid(const char *v, size_t n)
{
	static const char junk[][10] = {"不明", "なし", "無し", "未設定", "未入力", "テスト",
	                                "test", "null", "none", "n/a", "unknown", "sample"};
	size_t chars = 0, spaces = 0, ja = 0, lat = 0;
	for (size_t i = 0; i < n;) {
		bool latin;
		size_t sp = is_space(v + i, n - i);
		if (sp) {
			spaces++;
			if (i == 0 || i + sp == n || is_space(v + i + sp, n - i - sp))
				return false;
			i += sp;
			continue;
		}
		size_t l = name_char((const unsigned char *)v + i, n - i, &latin);
		if (!l)
			return false;
		chars++;
		latin ? lat++ : ja++;
		i += l;
	}
	if (spaces > 2 || (ja && lat))
		return false;
	if (ja && (ja < 2 || ja > 12))
		return false;
	if (lat && (lat < 2 || lat > 40))
		return false;
	if (!chars)
		return false;
	if (n < sizeof(junk[0]))
		for (size_t i = 0; i < MM_ARRAY_LEN(junk); i++)
			if (junk[i][n] == '\0' && !strncasecmp(junk[i], v, n))
				return false;
	return true;
}

/* The value after a name label: up to the end of the field. */
static void do_name_label(struct mm_dlp_file *f, const struct rec *r, uint32_t from,
                          uint32_t end, bool en)
{
	const char *p = f->region;
	if (from < r->s || end <= f->last_end[en ? K_NAME_EN : K_NAME_JA] || from < f->consumed)
		return;
	f->r.candidates++;
	if (en && from > r->s + 1 && (p[from - 1] == '-' || p[from - 1] == '.') &&
	    is_alnum(p[from - 2])) {
		f->r.rejected++; /* product-name: */
		return;
	}
	if (f->fmt == MM_DLP_FMT_JSONL && from > r->s && p[from - 1] == '"') {
		/* a JSON key: the whole key must be a name key (not product_name) */
		uint32_t ke = end;
		while (ke > from && p[ke - 1] != '"')
			ke--;
		if (ke > from && mm__dlp_classify(p + from, ke - 1 - from) != MM_CTX_NAME) {
			f->r.rejected++;
			return;
		}
	}
	uint32_t i = end;
	while (i < r->e && (p[i] == ' ' || p[i] == ':' || p[i] == '=' || p[i] == '"' ||
	                    is_space(p + i, r->e - i)))
		i += (uint32_t)MM_MAX(is_space(p + i, r->e - i), (size_t)1);
	uint32_t s = i;
	while (i < r->e && p[i] != ',' && p[i] != '"' && p[i] != '\t' && p[i] != '<' &&
	       p[i] != '\r' && i - s < 80)
		i++;
	uint32_t e = i;
	while (e > s && p[e - 1] == ' ')
		e--;
	/* free text: the name ends where non-name characters begin */
	if (f->fmt == MM_DLP_FMT_TEXT) {
		uint32_t k = s;
		while (k < e) {
			bool latin;
			size_t sp = is_space(p + k, e - k);
			if (sp && k + sp < e && !is_space(p + k + sp, e - k - sp)) {
				k += (uint32_t)sp;
				continue;
			}
			size_t l = name_char((const unsigned char *)p + k, e - k, &latin);
			if (!l)
				break;
			k += (uint32_t)l;
		}
		e = k;
		while (e > s && (p[e - 1] == ' ' ||
		                 (e >= s + 3 && !memcmp(p + e - 3, "\xe3\x80\x80", 3))))
			e -= p[e - 1] == ' ' ? 1 : 3;
	}
	f->last_end[en ? K_NAME_EN : K_NAME_JA] = e;
	if (!name_valid(p + s, e - s)) {
		f->r.rejected++;
		return;
	}
	struct ctxinfo ci = context_for(f, r, s);
	ci.ctx = MM_CTX_NAME;
	emit(f, r, &ci, MM_DLP_NAME, 85, p + s, e - s);
	f->consumed = e;
}

static bool delim3(const char *p, uint32_t i, uint32_t e)
{
	static const char *const d[] = {"。", "、", "」", "）", "　"};
	unsigned char c = (unsigned char)p[i];
	if ((c != 0xe3 && c != 0xef) || i + 3 > e)
		return false;
	for (size_t k = 0; k < MM_ARRAY_LEN(d); k++)
		if (!memcmp(p + i, d[k], 3))
			return true;
	return false;
}

static void do_pref(struct mm_dlp_file *f, const struct rec *r, unsigned k, uint32_t end)
{
	const char *p = f->region;
	uint32_t pl = g_pref_len[k], s = end - pl;
	if (end < pl || s < r->s || s < f->consumed)
		return;
	f->r.candidates++;
	static const char *const muni[] = {"市", "区", "町", "村", "郡"};
	uint32_t i = end, chars = 0, mend = 0;
	/* a municipality within eight characters */
	while (i + 3 <= r->e && chars < 8) {
		bool latin;
		size_t l = name_char((const unsigned char *)p + i, r->e - i, &latin);
		if (!l || latin)
			break;
		i += (uint32_t)l;
		chars++;
		if (chars >= 2)
			for (size_t m = 0; m < MM_ARRAY_LEN(muni); m++)
				if (!memcmp(p + i - 3, muni[m], 3))
					mend = i;
		if (mend)
			break;
	}
	if (!mend) {
		f->r.rejected++;
		return;
	}
	/* then a block number (digits, 丁目, 番地) within 24 characters; the
	 * address ends at the field's end */
	bool block = false;
	i = mend;
	chars = 0;
	while (i < r->e && chars < 48) {
		char c = p[i];
		if (c == ',' || c == '\t' || c == '"' || c == '<' || c == '\r' || c == ';' ||
		    delim3(p, i, r->e))
			break;
		if (is_digit(c) || (i + 6 <= r->e && (!memcmp(p + i, "丁目", 6) ||
		                                        !memcmp(p + i, "番地", 6))))
			block = block || chars <= 24;
		size_t l = mm_utf8_seq_len((const unsigned char *)p + i, r->e - i);
		i += l ? (uint32_t)l : 1;
		chars++;
	}
	uint32_t e = i;
	while (e > mend && p[e - 1] == ' ')
		e--;
	if (!block) {
		f->r.rejected++;
		return;
	}
	struct ctxinfo ci = context_for(f, r, s);
	emit(f, r, &ci, MM_DLP_ADDRESS_JP, 80, p + s, e - s);
	f->consumed = e;
}

/* An address cell without its prefecture (exports often split 都道府県 from
 * 住所1): a municipality (市/区/町/村/郡) within the first ten characters,
 * then a block number within 24. A cell starting with a prefecture is
 * do_pref's. */
static bool cell_address(const char *p, uint32_t s, uint32_t e)
{
	static const char *const muni[] = {"市", "区", "町", "村", "郡"};
	for (size_t k = 0; k < MM_ARRAY_LEN(g_prefs); k++)
		if (e - s >= g_pref_len[k] && !memcmp(p + s, g_prefs[k], g_pref_len[k]))
			return false;
	uint32_t i = s, chars = 0, mend = 0;
	while (i + 3 <= e && chars < 10 && !mend) {
		bool latin;
		size_t l = name_char((const unsigned char *)p + i, e - i, &latin);
		if (!l || latin)
			return false;
		i += (uint32_t)l;
		chars++;
		for (size_t m = 0; m < MM_ARRAY_LEN(muni) && chars >= 2; m++)
			if (!memcmp(p + i - 3, muni[m], 3))
				mend = i;
	}
	if (!mend)
		return false;
	for (chars = 0; i < e && chars < 24; chars++) {
		if (is_digit(p[i]) || (i + 6 <= e && (!memcmp(p + i, "丁目", 6) || !memcmp(p + i, "番地", 6))))
			return true;
		size_t l = mm_utf8_seq_len((const unsigned char *)p + i, e - i);
		i += l ? (uint32_t)l : 1;
	}
	return false;
}

/* Header-driven cells: each data row's cell under a 氏名/name column (a
 * name) or a 住所/address column (an address without its prefecture). */
static void header_cells(struct mm_dlp_file *f, const struct rec *r)
{
	const struct colset *cs = &f->sets[r->cs];
	const char *p = f->region;
	char sep = f->fmt == MM_DLP_FMT_TSV ? '\t' : ',';
	char q = f->fmt == MM_DLP_FMT_SQL ? '\'' : '"';
	if (f->fmt == MM_DLP_FMT_SQL && cs->table[0] == '\t')
		sep = '\t', q = 0;
	uint32_t i = r->s;
	int idx = 0;
	while (i <= r->e && idx <= cs->name_last) {
		uint32_t fs = i;
		bool inq = false;
		while (i < r->e) {
			i = skip_plain(p, i, r->e, sep, q);
			if (i >= r->e)
				break;
			char c = p[i];
			if (inq && q == '\'' && c == '\\')
				i++;
			else if (q && c == q)
				inq = !inq;
			else if (!inq && c == sep)
				break;
			i++;
		}
		uint32_t fe = MM_MIN(i, r->e);
		int col = cs->col[idx];
		enum mm__dlp_ctx cc = col >= 0 ? f->cols[col].ctx : MM_CTX_NONE;
		if (cc == MM_CTX_NAME || cc == MM_CTX_ADDRESS) {
			uint32_t s = fs, e = fe;
			while (s < e && (p[s] == ' ' || p[s] == q))
				s++;
			while (e > s && (p[e - 1] == ' ' || p[e - 1] == q || p[e - 1] == '\r'))
				e--;
			struct ctxinfo ci = {cc, col};
			if (e <= s) {
				/* empty cell */
			} else if (cc == MM_CTX_NAME) {
				f->r.candidates++;
				if (name_valid(p + s, e - s))
					emit(f, r, &ci, MM_DLP_NAME, 85, p + s, e - s);
				else
					f->r.rejected++;
			} else if (cell_address(p, s, e)) {
				f->r.candidates++;
				emit(f, r, &ci, MM_DLP_ADDRESS_JP, 85, p + s, e - s);
			}
		}
		idx++;
		i++;
	}
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

/* ---- the region: records × candidates --------------------------------------------------- */

static int on_match(void *ud, unsigned id, unsigned long long from, unsigned long long to)
{
	struct mm_dlp_file *f = ud;
	if (f->nc == f->capc) {
		f->capc = f->capc ? f->capc * 2 : 4096;
		f->c = mm_realloc(f->c, f->capc * sizeof(*f->c));
	}
	struct cand *c = &f->c[f->nc++];
	c->end = (uint32_t)to;
	c->from = (uint32_t)from;
	c->id = id;
	return 0;
}

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void process_cand(struct mm_dlp_file *f, const struct rec *r, const struct cand *c)
{
	unsigned id = c->id;
	if (id >= K_LABEL) {
		if (f->nlabels < MM_ARRAY_LEN(f->labels)) {
			f->labels[f->nlabels].end = c->end;
			f->labels[f->nlabels].ctx = (uint8_t)mm__dlp_labels[id - K_LABEL].ctx;
			f->nlabels++;
		} else {
			/* keep the latest labels: drop the oldest */
			memmove(f->labels, f->labels + 1, sizeof(f->labels) - sizeof(f->labels[0]));
			f->labels[f->nlabels - 1].end = c->end;
			f->labels[f->nlabels - 1].ctx = (uint8_t)mm__dlp_labels[id - K_LABEL].ctx;
		}
		return;
	}
	if (id >= K_PREF) {
		do_pref(f, r, id - K_PREF, c->end);
		return;
	}
	switch (id) {
	case K_NUM: do_number(f, r, c->from, c->end); break;
	case K_POSTAL_MARK: do_postal_mark(f, r, c->end); break;
	case K_EMAIL: do_email(f, r, c->end); break;
	case K_IBAN: do_iban(f, r, c->from); break;
	case K_PASSPORT: do_passport(f, r, c->from); break;
	case K_ERA: do_era(f, r, c->from, c->end); break;
	case K_DATE: do_date(f, r, c->from, c->end); break;
	case K_NAME_JA: do_name_label(f, r, c->from, c->end, false); break;
	case K_NAME_EN: do_name_label(f, r, c->from, c->end, true); break;
	default: break;
	}
}

static void push_digit(struct mm_dlp_file *f, unsigned id, uint32_t from, uint32_t key)
{
	if (f->nd == f->capd) {
		f->capd = f->capd ? f->capd * 2 : 4096;
		f->dc = mm_realloc(f->dc, f->capd * sizeof(*f->dc));
	}
	struct cand *c = &f->dc[f->nd++];
	c->end = key;
	c->from = from;
	c->id = id;
}

static inline bool up(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static inline bool word(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

/* The digit-anchored candidates of a region, in order: per digit run, a
 * passport (two capitals + seven digits), an IBAN start (two capitals + the
 * check digits) and a year starting a date (19xx/ or 20xx年); per token
 * (digit runs joined by one space or hyphen) with seven digits or more, a
 * number. Keys are run/token ends, non-decreasing, like Hyperscan's. */
struct dscan {
	size_t tok_digits, tok_start, tok_end;
	bool in_tok;
};

/* One maximal digit run [a, b) of p[0..n). */
static inline void digit_run(struct mm_dlp_file *f, struct dscan *st, const unsigned char *p,
                             size_t n, size_t a, size_t b)
{
	size_t len = b - a;
	if (st->in_tok && a == st->tok_end + 1 && (p[st->tok_end] == ' ' || p[st->tok_end] == '-')) {
		st->tok_digits += len;
		st->tok_end = b;
	} else {
		if (st->in_tok && st->tok_digits >= 7)
			push_digit(f, K_NUM, (uint32_t)st->tok_start, (uint32_t)st->tok_end);
		st->in_tok = true;
		st->tok_digits = len;
		st->tok_start = a;
		st->tok_end = b;
	}
	if (a >= 2 && up(p[a - 1]) && up(p[a - 2]) && (a == 2 || !word(p[a - 3]))) {
		if (len == 7 && (b == n || !word(p[b])))
			push_digit(f, K_PASSPORT, (uint32_t)(a - 2), (uint32_t)b);
		if (len >= 2)
			push_digit(f, K_IBAN, (uint32_t)(a - 2), (uint32_t)b);
	}
	if (len == 4 && b < n && (a == 0 || !word(p[a - 1])) &&
	    ((p[a] == '1' && p[a + 1] == '9') || (p[a] == '2' && p[a + 1] == '0')) &&
	    (p[b] == '/' || (b + 3 <= n && !memcmp(p + b, "年", 3))))
		push_digit(f, K_DATE, (uint32_t)a, (uint32_t)b);
}

/* Digit mask of p[base..base+64) (bits past n are 0). */
static inline uint64_t digit_mask64(const unsigned char *p, size_t base, size_t n)
{
	uint64_t m = 0;
#ifdef __SSE2__
	if (base + 64 <= n) {
		const __m128i zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
		for (int k = 0; k < 4; k++) {
			__m128i v = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)(p + base + 16 * k)), zero);
			uint64_t b16 =
				(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, nine), v));
			m |= b16 << (16 * k);
		}
		return m;
	}
#endif
	for (size_t i = 0; i < 64 && base + i < n; i++)
		if (p[base + i] >= '0' && p[base + i] <= '9')
			m |= (uint64_t)1 << i;
	return m;
}

/* The digit-anchored candidates of a region, in order: per digit run, a
 * passport (two capitals + seven digits), an IBAN start (two capitals + the
 * check digits) and a year starting a date (19xx/ or 20xx年); per token
 * (digit runs joined by one space or hyphen) with seven digits or more, a
 * number. Keys are run/token ends, non-decreasing, like Hyperscan's. Runs
 * come from 64-byte digit bitmasks (SSE2), walked with bit operations. */
static void digit_scan(struct mm_dlp_file *f, const char *cp, size_t n)
{
	const unsigned char *p = (const unsigned char *)cp;
	struct dscan st = {0, 0, 0, false};
	bool in_run = false;
	size_t run_start = 0;
	f->nd = 0;
	for (size_t base = 0; base < n; base += 64) {
		uint64_t m = digit_mask64(p, base, n);
		if (in_run) {
			if (m == ~(uint64_t)0)
				continue; /* the run goes on */
			unsigned ones = (unsigned)__builtin_ctzll(~m);
			digit_run(f, &st, p, n, run_start, base + ones);
			in_run = false;
			if (ones)
				m &= ~(((uint64_t)1 << ones) - 1);
		}
		while (m) {
			unsigned s = (unsigned)__builtin_ctzll(m);
			uint64_t rest = m >> s;
			unsigned ones = rest == (~(uint64_t)0 >> s) ? 64 - s
			                                            : (unsigned)__builtin_ctzll(~rest);
			if (s + ones >= 64) {
				in_run = true;
				run_start = base + s;
				break;
			}
			digit_run(f, &st, p, n, base + s, base + s + ones);
			m &= ~((((uint64_t)1 << ones) - 1) << s);
		}
	}
	if (in_run)
		digit_run(f, &st, p, n, run_start, n);
	if (st.in_tok && st.tok_digits >= 7)
		push_digit(f, K_NUM, (uint32_t)st.tok_start, (uint32_t)st.tok_end);
}

static int process_region(struct mm_dlp_file *f, const char *p, size_t n)
{
	f->nc = 0;
	if (n > UINT32_MAX)
		return MM_ELIMIT;
	if (mm_mpm_scan(f->d->mpm, f->scr, p, n, on_match, f))
		return MM_EIO;
	bool sorted = true;
	for (size_t i = 1; i < f->nc && sorted; i++)
		sorted = cand_cmp(&f->c[i - 1], &f->c[i]) <= 0;
	if (!sorted)
		qsort(f->c, f->nc, sizeof(*f->c), cand_cmp);
	/* merge the digit scanner's candidates (already in order) */
	digit_scan(f, p, n);
	if (f->nd) {
		size_t tot = f->nc + f->nd;
		if (tot > f->capm) {
			f->capm = tot + tot / 2;
			f->mc = mm_realloc(f->mc, f->capm * sizeof(*f->mc));
		}
		size_t a = 0, b = 0, k = 0;
		while (a < f->nc || b < f->nd) {
			if (b == f->nd || (a < f->nc && cand_cmp(&f->c[a], &f->dc[b]) <= 0))
				f->mc[k++] = f->c[a++];
			else
				f->mc[k++] = f->dc[b++];
		}
		struct cand *t = f->c;
		size_t tc = f->capc;
		f->c = f->mc;
		f->capc = f->capm;
		f->mc = t;
		f->capm = tc;
		f->nc = tot;
	}
	f->region = p;
	f->consumed = 0;
	memset(f->last_end, 0, sizeof(f->last_end));
	size_t ci = 0;
	for (size_t ri = 0; ri < f->nrecs; ri++) {
		const struct rec *r = &f->recs[ri];
		f->nlabels = 0;
		f->fc_pos = UINT32_MAX;
		while (ci < f->nc && f->c[ci].end <= r->s)
			ci++; /* between records (SQL statements' text, blank lines) */
		for (; ci < f->nc && f->c[ci].end <= r->e; ci++)
			if (r->no)
				process_cand(f, r, &f->c[ci]);
		if (r->no && r->cs >= 0 && f->sets[r->cs].name_cols)
			header_cells(f, r);
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

/* ---- format detection and the stream ------------------------------------------------- */

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcasecmp(s + a - b, suf);
}

static enum mm_dlp_format detect_format(const char *name, const char *p, size_t n)
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
	if (ends_with(nm, ".txt") || ends_with(nm, ".log") || ends_with(nm, ".md"))
		return MM_DLP_FMT_TEXT;
	size_t k = MM_MIN(n, (size_t)8192);
	const char *nl = memchr(p, '\n', k);
	size_t l1 = nl ? (size_t)(nl - p) : k;
	size_t i = 0;
	while (i < l1 && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i < l1 && p[i] == '{' && memchr(p, '}', k))
		return MM_DLP_FMT_JSONL;
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

static size_t split(struct mm_dlp_file *f, const char *p, size_t n, bool final)
{
	switch (f->fmt) {
	case MM_DLP_FMT_CSV:
	case MM_DLP_FMT_TSV: return split_csv(f, p, n, final);
	case MM_DLP_FMT_SQL: return split_sql(f, p, n, final);
	default: return split_lines(f, p, n, final);
	}
}

/* Move complete records out of work and scan them. */
static int drain(struct mm_dlp_file *f, bool final)
{
	int rc = MM_OK;
	if (!f->work.n)
		return MM_OK;
	size_t used = split(f, f->work.p, f->work.n, final);
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

static int pump(struct mm_dlp_file *f, bool final)
{
	int rc;
	if (f->conv.cd == (iconv_t)-1) {
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
		f->fmt = detect_format(f->name, f->work.p ? f->work.p : "", f->work.n);
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
		if (f->raw.n >= PIECE && (rc = pump(f, false)))
			return rc;
	}
	return MM_OK;
}

int mm_dlp_file_finish(struct mm_dlp_file *f, struct mm_dlp_result *out)
{
	int rc = MM_OK;
	if (!f->started && (rc = start(f)))
		goto out;
	if ((rc = pump(f, true)))
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
