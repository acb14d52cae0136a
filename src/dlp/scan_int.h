/* mamori — DLP scanner internals shared by scan.c (stream, regions,
 * counting), records.c (record splitters, columns) and detect.c (candidate
 * validators, context, digit scanner): the per-file state and the pattern
 * ids. Private to src/dlp. */
#ifndef MAMORI_DLP_SCAN_INT_H
#define MAMORI_DLP_SCAN_INT_H

#include "dlp_int.h"

#include "mamori/mpm.h"

/* ---- pattern ids ------------------------------------------------------------
 * The digit-anchored shapes (K_NUM, K_IBAN, K_PASSPORT, K_DATE) come from
 * the digit-run scanner (mm__dlp_digit_scan in detect.c: SSE2), the
 * e-mail's "x@domain." from mm__dlp_email_scan (memchr on '@'), the
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

/* the 47 prefectures and their byte lengths (detect.c) */
extern const char *const mm__dlp_prefs[47];
extern const unsigned char mm__dlp_pref_len[47];

#define SNIFF 65536
#define PIECE (1u << 20)           /* conversion unit */
#define REGION (4u << 20)          /* scan in regions of about this size */
#define SQL_STMT_MAX (64u << 20)   /* longest INSERT statement kept whole */
#define PROMOTED_CONF 75 /* a column whose values mostly validate */
#define DEMOTED_CONF 20  /* a column of numbers that validate only by chance */
#define LABEL_WINDOW 48  /* bytes between a label's end and the value */

struct mm__dlp_lit;
struct mm_dlp {
	struct mm_dlp_opts o;
	struct mm_mpm *mpm;        /* literals; the mpm id indexes lits */
	struct mm__dlp_lit *lits;  /* what each literal reports (shapes.c) */
	size_t nlits, caplits;
};

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
#define MAX_CELLS 65536 /* cell starts kept per record; beyond, field_at walks */

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
	/* JSON document: the open containers ('{' or '[') at the carry point */
	char jstack[64];
	size_t jdepth;
	/* columns */
	struct column *cols;
	size_t ncols;
	struct mm_map *colmap; /* name → id + 1 */
	struct colset *sets;
	size_t nsets;
	struct mm_map *setmap; /* SQL column list text → set + 1 */
	/* region scratch: Hyperscan's candidates (then all, merged), the digit
	 * scanner's, and the merge buffer */
	struct cand *c, *dc, *mc, *ec;
	size_t nc, capc, nd, capd, capm, ne, cape;
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
	/* cell starts of the current record (built on its first candidate):
	 * cells[k] = region offset where field k starts; cells_rec the record
	 * they belong to (NULL: not built), cells_cur the last field looked up */
	uint32_t *cells;
	size_t ncells, capcells, cells_cur;
	const struct rec *cells_rec;
	bool cells_over; /* more than MAX_CELLS fields: walk as before */
	/* calibration */
	struct pend *pend;
	size_t npend, cappend;
	/* counting */
	uint64_t last_pii_rec, type_last_rec[MM_DLP__TYPES];
	struct u64set distinct[MM_DLP__TYPES];
	struct mm_dlp_result r;
	const char *region; /* for callbacks */
};

/* What a value's surroundings say: its context group and column. */
struct ctxinfo {
	enum mm__dlp_ctx ctx;
	int col;
};

/* ---- character helpers ------------------------------------------------------- */

static inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
static inline bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static inline bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
/* a word character of \b (Hyperscan without UCP, and the digit scanner) */
static inline bool is_word(unsigned char c) { return is_alnum((char)c) || c == '_'; }

/* For the tests' lists: candidates as (end, from, id) triples into out (up
 * to cap triples); returns n, how many there are. */
static inline size_t cand_triples(const struct cand *c, size_t n, uint32_t *out, size_t cap)
{
	for (size_t i = 0; i < n && i < cap; i++) {
		out[3 * i] = c[i].end;
		out[3 * i + 1] = c[i].from;
		out[3 * i + 2] = c[i].id;
	}
	return n;
}

/* ---- scan.c -------------------------------------------------------------------- */
/* Record a finding of type t (value v borrowed from the region) with its
 * base confidence; context and column learning adjust it. */
void mm__dlp_emit(struct mm_dlp_file *f, const struct rec *r, const struct ctxinfo *ci,
                  enum mm_dlp_type t, int base, const char *v, size_t vn);
/* Count a shape seen in a column (and whether it validated), for learning. */
void mm__dlp_stat_shape(struct mm_dlp_file *f, int col, enum mm_dlp_type t, bool valid);

/* ---- records.c ----------------------------------------------------------------- */
/* Column id of a header cell / JSON key / SQL column (created; -1 at the cap). */
int mm__dlp_column_id(struct mm_dlp_file *f, const char *name, size_t n);
/* Column of field idx in column set cs (unnamed fields get "#k"). */
int mm__dlp_colset_col(struct mm_dlp_file *f, int cs, int idx);
/* Split p[0..n) into f->recs up to the last complete record; bytes used. */
size_t mm__dlp_split(struct mm_dlp_file *f, const char *p, size_t n, bool final);
/* The format from the name's extension, else from the first text. */
enum mm_dlp_format mm__dlp_detect_format(const char *name, const char *p, size_t n);

/* ---- shapes.c ------------------------------------------------------------------ */
/* Add the Hyperscan-found shapes and context words to d->mpm (literals). */
void mm__dlp_shapes_add(struct mm_dlp *d);
/* The Hyperscan candidates of region p[0..n) into f->c, sorted by (end, id). */
int mm__dlp_shape_scan(struct mm_dlp_file *f, const char *p, size_t n);
/* For tests: those candidates as (end, from, id) triples into out (up to
 * cap triples); returns how many there are. */
size_t mm__dlp_shape_list(struct mm_dlp *d, const char *p, size_t n, uint32_t *out, size_t cap);

/* ---- detect.c ------------------------------------------------------------------ */
/* One merged candidate of record r (f->region holds the text). */
void mm__dlp_process_cand(struct mm_dlp_file *f, const struct rec *r, const struct cand *c);
/* The digit-anchored candidates of a region into f->dc, in order. */
void mm__dlp_digit_scan(struct mm_dlp_file *f, const char *p, size_t n);
/* For tests: those candidates as (end, from, id) triples (up to cap). */
size_t mm__dlp_digit_list(struct mm_dlp *d, const char *p, size_t n, uint32_t *out, size_t cap);
/* For tests: 0 when the digit scanner's masks of p[0..n) from the variant
 * chosen for this CPU (AVX2) equal those of the SSE2/scalar code; else 1 +
 * the offset of the first block that differs. */
size_t mm__dlp_dmask_check(const char *p, size_t n);
/* The e-mail candidates of a region into f->ec, in order. */
void mm__dlp_email_scan(struct mm_dlp_file *f, const char *p, size_t n);
/* Names and prefecture-less addresses under name/address headers. */
void mm__dlp_header_cells(struct mm_dlp_file *f, const struct rec *r);

#endif
