/* Unit tests: the Hyperscan shapes of src/dlp/shapes.c (literals with
 * hand-checked regex tails and word boundaries) give exactly the candidates
 * the former regex database gave (tests/fuzz/dlp_shapes_ref.h), and the SIMD
 * digit-run scanner of detect.c exactly those of a byte-at-a-time scanner
 * (tests/fuzz/dlp_digits_ref.h): on hand-made edge cases, on random strings
 * built from the patterns' pieces, and on every file of a generated export
 * (MM_GEN_DLP, set by CTest). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../fuzz/dlp_digits_ref.h"
#include "../../fuzz/dlp_shapes_ref.h"
#include "dlp_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Say where two candidate lists ((end, from, id) triples) first differ. */
static void print_diff(const char *what, const char *la, const char *lb, long at, size_t na,
                       size_t nb, const uint32_t *a, const uint32_t *b)
{
	fprintf(stderr, "%s: %s %zu vs %s %zu candidates, first difference at %ld", what, la, na,
	        lb, nb, at);
	if ((size_t)at < na)
		fprintf(stderr, " %s (end %u from %u id %u)", la, a[3 * at], a[3 * at + 1],
		        a[3 * at + 2]);
	if ((size_t)at < nb)
		fprintf(stderr, " %s (end %u from %u id %u)", lb, b[3 * at], b[3 * at + 1],
		        b[3 * at + 2]);
	fprintf(stderr, "\n");
}

static void expect_same(struct shapes_ref *r, const char *p, size_t n, const char *what)
{
	size_t na, nb;
	long at = shapes_compare(r, p, n, &na, &nb);
	if (at >= 0) {
		print_diff(what, "regex", "literal", at, na, nb, r->a, r->b);
		size_t lo = (size_t)at < na ? r->a[3 * at] : 0;
		lo = lo > 40 ? lo - 40 : 0;
		fprintf(stderr, "  text: %.*s\n", (int)MM_MIN((size_t)80, n - MM_MIN(lo, n)), p + lo);
	}
	assert_int_equal(at, -1);
}

static void expect_digits(struct digits_ref *r, struct mm_dlp *d, const char *p, size_t n,
                          const char *what)
{
	size_t na, nb;
	long at = digits_compare(r, d, p, n, &na, &nb);
	if (at >= 0)
		print_diff(what, "reference", "scanner", at, na, nb, r->a, r->b);
	assert_int_equal(at, -1);
}

/* Digit runs of every length around the 64-byte blocks, joined or not,
 * after capitals, as years. */
static void test_digits_random(void **st)
{
	static const char *const pieces[] = {
	    "0",       "1",
	    "19",      "20",
	    "2026",    "1985",
	    "123456",  "1234567",
	    "0901234", "12345678901234567890123456789012345678901234567890123456789012345",
	    " ",       "-",
	    "--",      "  ",
	    "/",       "年",
	    "\xe5",    "A",
	    "JP",      "GB",
	    "DE",      "x",
	    "_",       "a",
	    ",",       ".",
	    "+",       "\n",
	};
	struct digits_ref r = {0};
	struct mm_dlp *d = NULL;
	(void)st;
	assert_int_equal(mm_dlp_new(&d, NULL, NULL), 0);
	uint64_t x = 0x2545f4914f6cdd1du;
	char b[2048];
	for (int it = 0; it < 50000; it++) {
		size_t n = dlp_random_text(b, sizeof(b), &x, 120, pieces, MM_ARRAY_LEN(pieces));
		/* from every offset of a 64-byte block: the same text, shifted */
		size_t off = (size_t)(x >> 40) % 64;
		if (off <= n)
			expect_digits(&r, d, b + off, n - off, "random (shifted)");
		expect_digits(&r, d, b, n, "random");
	}
	digits_ref_free(&r);
	mm_dlp_free(d);
}

size_t mm__dlp_dmask_check(const char *p, size_t n);

/* The AVX2 masks (when this CPU has AVX2) equal the SSE2 ones on every
 * byte value at every block offset. */
static void test_digit_masks(void **st)
{
	(void)st;
	char b[4096 + 77];
	uint64_t x = 0x853c49e6748fea9bu;
	for (int it = 0; it < 200; it++) {
		for (size_t i = 0; i < sizeof(b); i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			/* mostly the interesting bytes, sometimes any */
			static const char pick[] = "0123456789 -/AZ@[`az\xe5\xe4";
			b[i] = (x >> 60) ? pick[(x >> 8) % (sizeof(pick) - 1)] : (char)(x >> 16);
		}
		size_t n = sizeof(b) - (size_t)(x % 200);
		assert_int_equal(mm__dlp_dmask_check(b, n), 0);
		assert_int_equal(mm__dlp_dmask_check(b + 1, n - 1), 0);
	}
}

static void test_edges(void **st)
{
	struct shapes_ref r;
	(void)st;
	assert_int_equal(shapes_ref_build(&r), 0);
	static const char *const cases[] = {
	    "氏名：山田",
	    "氏名: 山田",
	    "お名前 : 山田",
	    "名前\"\t= x",
	    "氏名\"x",
	    "氏名　　:太郎",
	    "氏名　太郎",
	    "氏名\v:",
	    "フリガナ\n",
	    "顧客名",
	    "契約者名=",
	    "契約者:",
	    "氏名",
	    "昭和60年4月12日",
	    "昭和 60年",
	    "昭和元年",
	    "昭和 元年",
	    "昭和123年",
	    "昭和6 年",
	    "令和",
	    "平成1",
	    "明治45年",
	    "大正 年",
	    "name: x",
	    "Name=",
	    "NAME\" :",
	    "customer_name:",
	    "CustomerName =",
	    "full_name:",
	    "fullname:",
	    "x_name:",
	    "xname:",
	    "name_kana:",
	    "namekana:",
	    "NAME_KANA=",
	    "kana:",
	    "_kana:",
	    "full_name_kana:",
	    "name",
	    "name\"",
	    "customer_kana:",
	    "1name:",
	    "-name:",
	    "email",
	    "e-mail",
	    "hemail",
	    "date of birth",
	    "dob",
	    "dobs",
	    "jan",
	    "janx",
	    "jan_",
	    "Jan 5",
	    "address",
	    "addresses",
	    "xaddress",
	    "TEL",
	    "tel",
	    "Tel:",
	    "hotel",
	    "telephone",
	    "ＴＥＬ",
	    "mastercard",
	    "visa card",
	    "licence license licenced",
	    "問合せ番号 問い合わせ番号 問い合せ番号 問合わせ番号",
	    "商品番号",
	    "お名前お名前:",
	    "東京都港区",
	    "〒105-0011",
	    "my_number mynumber my number",
	    "social security ssn",
	    "account bank bankcard",
	    "item_id",
	    "order-no",
	};
	for (size_t i = 0; i < MM_ARRAY_LEN(cases); i++) {
		expect_same(&r, cases[i], strlen(cases[i]), cases[i]);
		/* and inside text, behind a word character and a separator */
		char b[256];
		int k = snprintf(b, sizeof(b), "a%s,%sb %s_", cases[i], cases[i], cases[i]);
		expect_same(&r, b, (size_t)k, b);
	}
	shapes_ref_free(&r);
}

/* Random strings of the patterns' pieces: boundaries, optional parts,
 * spaces of every kind and near misses. */
static void test_random(void **st)
{
	static const char *const pieces[] = {
	    "氏名",     "お",       "名前", "フリガナ", "ふりがな", "顧客名",   "契約者", "名",
	    "\"",       " ",        "\t",   "\n",       "\r",       "\v",       "\f",     "　",
	    ":",        "=",        ",",    "明治",     "大正",     "昭和",     "平成",   "令和",
	    "元",       "年",       "1",    "23",       "4",        "name",     "NAME",   "Name",
	    "kana",     "KANA",     "_",    "full",     "FULL",     "customer", "x",      "9",
	    "-",        "e",        "mail", "address",  "tel",      "TEL",      "dob",    "jan",
	    "birth",    "date of ", "〒",   "東京都",   "北海道",   "神奈川県", "住所",   "口座",
	    "license",  "licence",  "問",   "い",       "合",       "わ",       "せ番号", "商品",
	    "品番",     "é",        "\xe3", "\x80",     "\x81",     "\x82",     "\x84",   "\x8f",
	    "\xe3\x81", "\xe3\x82",
	};
	struct shapes_ref r;
	(void)st;
	assert_int_equal(shapes_ref_build(&r), 0);
	uint64_t x = 0x9e3779b97f4a7c15u;
	char b[1024];
	for (int it = 0; it < 50000; it++) {
		size_t n = dlp_random_text(b, sizeof(b), &x, 40, pieces, MM_ARRAY_LEN(pieces));
		expect_same(&r, b, n, "random");
	}
	shapes_ref_free(&r);
}

static void test_generated(void **st)
{
	(void)st;
	char dir[] = "/tmp/mm_dlp_shapes_XXXXXX";
	dlp_generate(dir, "", 11, 3000);
	static const char *const files[] = {"customers.csv",         "customers.jsonl",
	                                    "shop_dump.sql",         "support_notes.txt",
	                                    "overseas_contacts.txt", "customers_sjis.csv"};
	struct shapes_ref r;
	struct digits_ref dr = {0};
	assert_int_equal(shapes_ref_build(&r), 0);
	for (size_t i = 0; i < MM_ARRAY_LEN(files); i++) {
		char path[1200];
		size_t n = 0;
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		char *b = dlp_slurp(path, &n);
		assert_non_null(b);
		expect_same(&r, b, n, files[i]);
		expect_digits(&dr, r.d, b, n, files[i]);
		free(b);
	}
	digits_ref_free(&dr);
	shapes_ref_free(&r);
	dlp_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_edges),         cmocka_unit_test(test_random),
	    cmocka_unit_test(test_digits_random), cmocka_unit_test(test_digit_masks),
	    cmocka_unit_test(test_generated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
