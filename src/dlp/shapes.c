/* mamori — DLP shapes found by Hyperscan: 〒, era dates, name labels, the 47
 * prefectures and the context words, all as plain literals (compiled with
 * Hyperscan's literal API) whose regex tails (" ?\d{1,2}年", "\s*[:=]") and
 * word boundaries are checked here. Output: the candidates of a region,
 * sorted by (end, id), the same triples the regex database gave.
 * Pipeline position: region → candidates (scan.c) → validate (detect.c). */
#include "scan_int.h"

#include <stdlib.h>
#include <string.h>

/* Why literals: the regexes with start-of-match (SOM) tracking and the
 * regex form of the labels made Hyperscan's compile 10-11 ms of every run
 * and its scan ~1.7 GB/s on a dense export; the same words as literals
 * compile in ~3 ms and scan at ~2.1 GB/s. The regexes were
 *   K_ERA      (?:明治|大正|昭和|平成|令和) ?(?:\d{1,2}|元)年            SOM
 *   K_NAME_JA  (?:氏名|お名前|名前|フリガナ|ふりがな|顧客名|契約者名)"?
 *              (?:(?:\s|　)*[:=]|\s|　)                                   SOM
 *   K_NAME_EN  \b(?:full_?name|customer_?name|name(?:_?kana)?|kana)"?\s*[:=]
 *                                                                caseless, SOM
 * Hyperscan reports every end of a regex once, with the leftmost start
 * (HS_FLAG_SOM_LEFTMOST), and each end of a non-SOM pattern once with start
 * 0; \s is [\t\n\v\f\r ] and \b a change between [0-9A-Za-z_] and
 * anything else (or the buffer's edge). The code below reproduces exactly
 * that; tests/unit/dlp/test_shapes.c and tests/fuzz/fuzz_dlp_shapes.c compare
 * it with the regex database. */

enum { LK_PLAIN, LK_ERA, LK_NAME_JA, LK_NAME_EN_NAME, LK_NAME_EN_KANA };

struct mm__dlp_lit {
	unsigned id;  /* K_* id reported */
	uint8_t kind; /* LK_* */
	uint8_t len;
	bool wb_before, wb_after; /* \b before / after the word */
};

static const char *const g_era[] = {"明治", "大正", "昭和", "平成", "令和"};
static const char *const g_name_ja[] = {"氏名",     "お名前", "名前",    "フリガナ",
                                        "ふりがな", "顧客名", "契約者名"};

/* The table grows to the fixed lists above (about 170 literals). */
static void add_lit(struct mm_dlp *d, const char *s, size_t n, unsigned id, uint8_t kind,
                    bool caseless, bool wb_before, bool wb_after)
{
	if (d->nlits == d->caplits) {
		d->caplits = d->caplits ? d->caplits * 2 : 256;
		d->lits = mm_realloc(d->lits, d->caplits * sizeof(*d->lits));
	}
	struct mm__dlp_lit *l = &d->lits[d->nlits];
	l->id = id;
	l->kind = kind;
	l->len = (uint8_t)n;
	l->wb_before = wb_before;
	l->wb_after = wb_after;
	mm_mpm_add(d->mpm, s, n, (unsigned)d->nlits, caseless ? MM_MPM_CASELESS : 0);
	d->nlits++;
}

void mm__dlp_shapes_add(struct mm_dlp *d)
{
	add_lit(d, "〒", strlen("〒"), K_POSTAL_MARK, LK_PLAIN, false, false, false);
	for (size_t i = 0; i < MM_ARRAY_LEN(g_era); i++)
		add_lit(d, g_era[i], strlen(g_era[i]), K_ERA, LK_ERA, false, false, false);
	for (size_t i = 0; i < MM_ARRAY_LEN(g_name_ja); i++)
		add_lit(d, g_name_ja[i], strlen(g_name_ja[i]), K_NAME_JA, LK_NAME_JA, false, false,
		        false);
	add_lit(d, "name", 4, K_NAME_EN, LK_NAME_EN_NAME, true, false, false);
	add_lit(d, "kana", 4, K_NAME_EN, LK_NAME_EN_KANA, true, false, false);
	for (size_t i = 0; i < MM_ARRAY_LEN(mm__dlp_prefs); i++) {
		if (strlen(mm__dlp_prefs[i]) != mm__dlp_pref_len[i])
			abort(); /* the table in detect.c is wrong */
		add_lit(d, mm__dlp_prefs[i], mm__dlp_pref_len[i], K_PREF + (unsigned)i, LK_PLAIN,
		        false, false, false);
	}
	for (size_t i = 0; i < mm__dlp_nlabels; i++) {
		const char *w = mm__dlp_labels[i].expr;
		while (*w) {
			const char *e = strchr(w, '|');
			size_t n = e ? (size_t)(e - w) : strlen(w);
			bool before = n > 2 && !memcmp(w, "\\b", 2);
			const char *s = before ? w + 2 : w;
			size_t sn = before ? n - 2 : n;
			bool after = sn > 2 && !memcmp(s + sn - 2, "\\b", 2);
			if (after)
				sn -= 2;
			add_lit(d, s, sn, K_LABEL + (unsigned)i, LK_PLAIN,
			        mm__dlp_labels[i].caseless, before, after);
			w += n + (e != NULL);
		}
	}
}

/* Hyperscan's \s without UCP: \t \n \v \f \r and space */
static inline bool hs_space(unsigned char c)
{
	return (c >= 9 && c <= 13) || c == ' ';
}

static inline bool ideo_space(const unsigned char *p, size_t i, size_t n)
{
	return i + 3 <= n && p[i] == 0xe3 && p[i + 1] == 0x80 && p[i + 2] == 0x80;
}

/* ASCII caseless comparison of p[i..i+k) with the lower-case word w. */
static bool ci_at(const unsigned char *p, size_t i, size_t n, const char *w, size_t k)
{
	if (i + k > n)
		return false;
	for (size_t j = 0; j < k; j++) {
		unsigned char c = p[i + j];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c | 0x20);
		if (c != (unsigned char)w[j])
			return false;
	}
	return true;
}

/* Insert (end, from, id) keeping f->c sorted by (end, id), one entry per
 * (end, id) with the leftmost from. Hyperscan reports in order of the
 * literal's end; a regex tail moves the end a few bytes on, so the walk
 * back is short. */
static void put(struct mm_dlp_file *f, uint32_t end, uint32_t from, unsigned id)
{
	if (f->nc == f->capc) {
		f->capc = f->capc ? f->capc * 2 : 4096;
		f->c = mm_realloc(f->c, f->capc * sizeof(*f->c));
	}
	size_t i = f->nc;
	while (i > 0 && (f->c[i - 1].end > end || (f->c[i - 1].end == end && f->c[i - 1].id > id)))
		i--;
	if (i > 0 && f->c[i - 1].end == end && f->c[i - 1].id == id) {
		if (from < f->c[i - 1].from)
			f->c[i - 1].from = from;
		return;
	}
	memmove(f->c + i + 1, f->c + i, (f->nc - i) * sizeof(*f->c));
	f->c[i].end = end;
	f->c[i].from = from;
	f->c[i].id = id;
	f->nc++;
}

/* `"?\s*[:=]` after a K_NAME_EN word ending at k: the match end, or 0. */
static size_t name_en_tail(const unsigned char *p, size_t k, size_t n)
{
	if (k < n && p[k] == '"')
		k++;
	while (k < n && hs_space(p[k]))
		k++;
	return k < n && (p[k] == ':' || p[k] == '=') ? k + 1 : 0;
}

static void name_en_word(struct mm_dlp_file *f, const unsigned char *p, size_t n, size_t s,
                         size_t we)
{
	if (s > 0 && is_word(p[s - 1]))
		return; /* \b */
	size_t e = name_en_tail(p, we, n);
	if (e)
		put(f, (uint32_t)e, (uint32_t)s, K_NAME_EN);
}

struct shape_ctx {
	struct mm_dlp_file *f;
	const unsigned char *p;
	size_t n;
};

static int on_lit(void *ud, unsigned li, unsigned long long from, unsigned long long to)
{
	(void)from;
	struct shape_ctx *x = ud;
	struct mm_dlp_file *f = x->f;
	const unsigned char *p = x->p;
	size_t n = x->n, e = (size_t)to;
	const struct mm__dlp_lit *l = &f->d->lits[li];
	size_t s = e - l->len;
	switch (l->kind) {
	case LK_PLAIN:
		if (l->wb_before && s > 0 && is_word(p[s - 1]))
			return 0;
		if (l->wb_after && e < n && is_word(p[e]))
			return 0;
		put(f, (uint32_t)e, 0, l->id);
		return 0;
	case LK_ERA: { /* " ?(?:\d{1,2}|元)年" */
		size_t k = e;
		if (k < n && p[k] == ' ')
			k++;
		if (k + 3 <= n && !memcmp(p + k, "元", 3)) {
			k += 3;
		} else {
			size_t d = 0;
			while (d < 2 && k < n && p[k] >= '0' && p[k] <= '9')
				k++, d++;
			if (!d)
				return 0;
		}
		if (k + 3 <= n && !memcmp(p + k, "年", 3))
			put(f, (uint32_t)(k + 3), (uint32_t)s, l->id);
		return 0;
	}
	case LK_NAME_JA: { /* "?(?:(?:\s|　)*[:=]|\s|　) */
		size_t k = e;
		if (k < n && p[k] == '"')
			k++;
		if (k < n && hs_space(p[k]))
			put(f, (uint32_t)(k + 1), (uint32_t)s, l->id);
		else if (ideo_space(p, k, n))
			put(f, (uint32_t)(k + 3), (uint32_t)s, l->id);
		while (k < n) {
			if (hs_space(p[k]))
				k++;
			else if (ideo_space(p, k, n))
				k += 3;
			else
				break;
		}
		if (k < n && (p[k] == ':' || p[k] == '='))
			put(f, (uint32_t)(k + 1), (uint32_t)s, l->id);
		return 0;
	}
	case LK_NAME_EN_NAME: /* name, name_kana, namekana, full_?name, customer_?name */
		name_en_word(f, p, n, s, e);
		if (ci_at(p, e, n, "_kana", 5))
			name_en_word(f, p, n, s, e + 5);
		if (ci_at(p, e, n, "kana", 4))
			name_en_word(f, p, n, s, e + 4);
		if (s >= 5 && ci_at(p, s - 5, n, "full_", 5))
			name_en_word(f, p, n, s - 5, e);
		if (s >= 4 && ci_at(p, s - 4, n, "full", 4))
			name_en_word(f, p, n, s - 4, e);
		if (s >= 9 && ci_at(p, s - 9, n, "customer_", 9))
			name_en_word(f, p, n, s - 9, e);
		if (s >= 8 && ci_at(p, s - 8, n, "customer", 8))
			name_en_word(f, p, n, s - 8, e);
		return 0;
	case LK_NAME_EN_KANA: name_en_word(f, p, n, s, e); return 0;
	}
	return 0;
}

int mm__dlp_shape_scan(struct mm_dlp_file *f, const char *p, size_t n)
{
	struct shape_ctx x = {f, (const unsigned char *)p, n};
	f->nc = 0;
	return mm_mpm_scan(f->d->mpm, f->scr, p, n, on_lit, &x) ? MM_EIO : MM_OK;
}

size_t mm__dlp_shape_list(struct mm_dlp *d, const char *p, size_t n, uint32_t *out, size_t cap)
{
	struct mm_dlp_file *f = mm_dlp_file_new(d, "");
	size_t k = 0;
	if (mm__dlp_shape_scan(f, p, n) == MM_OK)
		k = cand_triples(f->c, f->nc, out, cap);
	mm_dlp_file_free(f);
	return k;
}
