/* mamori — test helper: the regex Hyperscan database that src/dlp used
 * until 2026-11 for 〒, era dates, name labels, the prefectures and the
 * context words, kept as the specification of src/dlp/shapes.c (literals
 * plus hand-checked tails). shapes_compare() scans a buffer both ways and
 * returns the index of the first differing candidate, or -1 when the
 * (end, from, id) lists are equal. Used by tests/unit/dlp/test_shapes.c and
 * tests/fuzz/fuzz_dlp_shapes.c. */
#ifndef MAMORI_TEST_DLP_SHAPES_REF_H
#define MAMORI_TEST_DLP_SHAPES_REF_H

#include "mamori/dlp.h"
#include "mamori/mpm.h"

#include <stdlib.h>
#include <string.h>

/* src/dlp internals (scan_int.h, not installed) */
extern const char *const mm__dlp_prefs[47];
size_t mm__dlp_shape_list(struct mm_dlp *d, const char *p, size_t n, uint32_t *out, size_t cap);

/* the ids of scan_int.h: K_POSTAL_MARK 1, K_ERA 5, K_NAME_JA 7, K_NAME_EN 8,
 * K_PREF 16 + prefecture, K_LABEL 128 + label */
static const struct {
	unsigned id;
	const char *expr;
	unsigned flags;
} g_ref_pats[] = {
    {1, "〒", 0},
    {5, "(?:明治|大正|昭和|平成|令和) ?(?:\\d{1,2}|元)年", MM_MPM_REGEX | MM_MPM_SOM},
    {7, "(?:氏名|お名前|名前|フリガナ|ふりがな|顧客名|契約者名)\"?(?:(?:\\s|　)*[:=]|\\s|　)",
     MM_MPM_REGEX | MM_MPM_SOM},
    {8, "\\b(?:full_?name|customer_?name|name(?:_?kana)?|kana)\"?\\s*[:=]",
     MM_MPM_REGEX | MM_MPM_SOM | MM_MPM_CASELESS},
    {128 + 0, "氏名|お名前|名前|フリガナ|ふりがな|契約者|顧客名", MM_MPM_REGEX},
    {128 + 1, "住所|所在地", MM_MPM_REGEX},
    {128 + 2, "\\baddress\\b", MM_MPM_REGEX | MM_MPM_CASELESS},
    {128 + 3, "電話|携帯|連絡先|ＴＥＬ|TEL|FAX", MM_MPM_REGEX},
    {128 + 4, "\\b(?:phone|tel|mobile|fax)", MM_MPM_REGEX | MM_MPM_CASELESS},
    {128 + 5, "郵便番号|\\b(?:zip|postal|postcode)", MM_MPM_REGEX | MM_MPM_CASELESS},
    {128 + 6, "メール|e-?mail", MM_MPM_REGEX | MM_MPM_CASELESS},
    {128 + 7, "生年月日|誕生日|\\b(?:birth|dob\\b|date of birth)", MM_MPM_REGEX | MM_MPM_CASELESS},
    {128 + 8, "マイナンバー|個人番号|my_?number|individual number", MM_MPM_REGEX | MM_MPM_CASELESS},
    {128 + 9, "法人番号|corporate number", MM_MPM_REGEX | MM_MPM_CASELESS},
    {128 + 10, "カード|クレジット|\\b(?:card|credit|visa|mastercard|amex|jcb)",
     MM_MPM_REGEX | MM_MPM_CASELESS},
    {128 + 11, "口座|普通預金|当座|支店|銀行|\\b(?:account|bank)", MM_MPM_REGEX | MM_MPM_CASELESS},
    {128 + 12, "旅券|パスポート|\\bpassport", MM_MPM_REGEX | MM_MPM_CASELESS},
    {128 + 13, "免許|\\blicen[cs]e", MM_MPM_REGEX | MM_MPM_CASELESS},
    {128 + 14, "\\b(?:ssn|social security)", MM_MPM_REGEX | MM_MPM_CASELESS},
    {128 + 15,
     "注文|伝票|追跡|問(?:い)?合(?:わ)?せ番号|受付番号|会員番号|品番|商品|型番|請求|\\b(?:order|"
     "tracking|sku|jan\\b|invoice|item|product|serial|ticket)",
     MM_MPM_REGEX | MM_MPM_CASELESS},
};

struct shapes_ref {
	struct mm_mpm *m;
	struct mm_mpm_scratch *s;
	struct mm_dlp *d;
	uint32_t *a, *b; /* (end, from, id) triples: the regex database's, shapes.c's */
	size_t na, cap;
};

static inline int shapes_ref_build(struct shapes_ref *r)
{
	memset(r, 0, sizeof(*r));
	r->m = mm_mpm_new();
	for (size_t i = 0; i < sizeof(g_ref_pats) / sizeof(g_ref_pats[0]); i++)
		mm_mpm_add(r->m, g_ref_pats[i].expr, strlen(g_ref_pats[i].expr), g_ref_pats[i].id,
		           g_ref_pats[i].flags);
	for (unsigned i = 0; i < 47; i++)
		mm_mpm_add(r->m, mm__dlp_prefs[i], strlen(mm__dlp_prefs[i]), 16 + i, 0);
	if (mm_mpm_compile(r->m, NULL))
		return -1;
	r->s = mm_mpm_scratch_new(r->m);
	return mm_dlp_new(&r->d, NULL, NULL);
}

static inline void shapes_ref_free(struct shapes_ref *r)
{
	mm_mpm_scratch_free(r->s);
	mm_mpm_free(r->m);
	mm_dlp_free(r->d);
	free(r->a);
	free(r->b);
}

static inline int shapes_ref_on(void *ud, unsigned id, unsigned long long from,
                                unsigned long long to)
{
	struct shapes_ref *r = ud;
	if (r->na == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->a = realloc(r->a, r->cap * 3 * sizeof(*r->a));
		if (!r->a)
			abort();
	}
	r->a[3 * r->na] = (uint32_t)to;
	r->a[3 * r->na + 1] = (uint32_t)from;
	r->a[3 * r->na + 2] = id;
	r->na++;
	return 0;
}

static inline int shapes_ref_cmp(const void *x, const void *y)
{
	const uint32_t *a = x, *b = y;
	for (int k = 0; k < 3; k++) {
		int i = k == 1 ? 2 : k == 2 ? 1 : 0; /* end, id, from */
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	}
	return 0;
}

/* -1 when both give the same candidates; else the first index that differs
 * (*na, *nb: the two counts). */
static inline long shapes_compare(struct shapes_ref *r, const char *p, size_t n, size_t *na,
                                  size_t *nb)
{
	r->na = 0;
	mm_mpm_scan(r->m, r->s, p, n, shapes_ref_on, r);
	if (r->na)
		qsort(r->a, r->na, 3 * sizeof(*r->a), shapes_ref_cmp);
	size_t k = mm__dlp_shape_list(r->d, p, n, NULL, 0);
	r->b = realloc(r->b, (k + 1) * 3 * sizeof(*r->b));
	if (!r->b)
		abort();
	mm__dlp_shape_list(r->d, p, n, r->b, k);
	*na = r->na;
	*nb = k;
	for (size_t i = 0; i < r->na && i < k; i++)
		if (memcmp(r->a + 3 * i, r->b + 3 * i, 3 * sizeof(*r->a)))
			return (long)i;
	return r->na == k ? -1 : (long)(r->na < k ? r->na : k);
}

#endif
