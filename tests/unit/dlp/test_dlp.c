/* Unit tests: DLP validators (マイナンバー and 法人番号 check digits with the
 * issue's examples, Luhn + IIN, IBAN mod 97, the Japanese numbering plan),
 * width folding, encoding detection, masking, and the scanner on small
 * inputs: each detector with the look-alikes that must NOT match, record
 * counting for CSV (quoted newlines), TSV, JSON Lines, SQL INSERT/COPY, and
 * presidio-research's FakeNameGenerator CSV and labelled sentences
 * (tests/data/dlp, MIT). */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mamori/dlp.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_my_number(void **st)
{
	(void)st;
	assert_true(mm_dlp_my_number_valid("123456789018", 12)); /* the example */
	for (char c = '0'; c <= '9'; c++) {
		char v[13] = "12345678901";
		v[11] = c;
		v[12] = '\0';
		assert_int_equal(mm_dlp_my_number_valid(v, 12), c == '8');
	}
	assert_false(mm_dlp_my_number_valid("12345678901", 11));
	assert_false(mm_dlp_my_number_valid("1234567890188", 13));
	assert_false(mm_dlp_my_number_valid("12345678901a", 12));
	/* remainder 0 or 1 gives check digit 0: 000000000000 */
	assert_true(mm_dlp_my_number_valid("000000000000", 12));
}

static void test_corporate_number(void **st)
{
	(void)st;
	assert_true(mm_dlp_corporate_number_valid("5835678256246", 13)); /* the example */
	assert_false(mm_dlp_corporate_number_valid("4835678256246", 13));
	assert_false(mm_dlp_corporate_number_valid("835678256246", 12));
	/* a 6-digit local government code is not a corporate number */
	assert_false(mm_dlp_corporate_number_valid("131016", 6));
	/* a JAN/EAN-13 product code with its own (EAN) check digit */
	assert_false(mm_dlp_corporate_number_valid("4901234567894", 13));
}

static void test_cards(void **st)
{
	(void)st;
	assert_true(mm_dlp_luhn_valid("4111111111111111", 16));
	assert_false(mm_dlp_luhn_valid("4111111111111112", 16));
	assert_string_equal(mm_dlp_card_brand("4111111111111111", 16), "visa");
	assert_string_equal(mm_dlp_card_brand("5555555555554444", 16), "mastercard");
	assert_string_equal(mm_dlp_card_brand("2223003122003222", 16), "mastercard");
	assert_string_equal(mm_dlp_card_brand("378282246310005", 15), "amex");
	assert_string_equal(mm_dlp_card_brand("3530111333300000", 16), "jcb");
	assert_string_equal(mm_dlp_card_brand("30569309025904", 14), "diners");
	assert_string_equal(mm_dlp_card_brand("6011111111111117", 16), "discover");
	assert_true(mm_dlp_luhn_valid("3530111333300000", 16));
	assert_true(mm_dlp_luhn_valid("378282246310005", 15));
	assert_null(mm_dlp_card_brand("1234567812345670", 16)); /* no issuer */
	assert_null(mm_dlp_card_brand("4901234567894", 13));    /* JAN, not old Visa */
	assert_null(mm_dlp_card_brand("378282246310005", 16));  /* Amex is 15 */
}

static void test_iban(void **st)
{
	(void)st;
	assert_true(mm_dlp_iban_valid("DE89370400440532013000", 22));
	assert_true(mm_dlp_iban_valid("GB82WEST12345698765432", 22));
	assert_true(mm_dlp_iban_valid("FR1420041010050500013M02606", 27));
	assert_false(mm_dlp_iban_valid("DE89370400440532013001", 22)); /* mod 97 */
	assert_false(mm_dlp_iban_valid("DE8937040044053201300", 21));  /* length */
	assert_false(mm_dlp_iban_valid("ZZ89370400440532013000", 22)); /* country */
}

static void test_phone_jp(void **st)
{
	(void)st;
	unsigned g344[] = {3, 4, 4}, g244[] = {2, 4, 4}, g334[] = {3, 3, 4}, g424[] = {4, 2, 4},
	         g433[] = {4, 3, 3}, g1[] = {11}, g10[] = {10}, g434[] = {4, 3, 4};
	assert_int_equal(mm_dlp_phone_jp_kind("09012345678", 11, g344, 3), 2);
	assert_int_equal(mm_dlp_phone_jp_kind("09012345678", 11, g1, 1), 2);
	assert_int_equal(mm_dlp_phone_jp_kind("05012345678", 11, g344, 3), 3);
	assert_int_equal(mm_dlp_phone_jp_kind("0312345678", 10, g244, 3), 1);
	assert_int_equal(mm_dlp_phone_jp_kind("0451234567", 10, g334, 3), 1);
	assert_int_equal(mm_dlp_phone_jp_kind("0466123456", 10, g424, 3), 1);
	assert_int_equal(mm_dlp_phone_jp_kind("0120123456", 10, g433, 3), 4);
	assert_int_equal(mm_dlp_phone_jp_kind("08001234567", 11, g434, 3), 4);
	/* look-alikes */
	assert_int_equal(mm_dlp_phone_jp_kind("0901234567", 10, g10, 1), 0);   /* 10-digit 090 */
	assert_int_equal(mm_dlp_phone_jp_kind("0012345678", 10, g10, 1), 0);   /* 00 prefix */
	assert_int_equal(mm_dlp_phone_jp_kind("03123456789", 11, g1, 1), 0);   /* 11-digit fixed */
	unsigned g226[] = {2, 2, 6};
	assert_int_equal(mm_dlp_phone_jp_kind("0312345678", 10, g226, 3), 0);  /* 03-12-345678 */
	assert_int_equal(mm_dlp_phone_jp_kind("09012345678", 11, g434, 3), 0); /* 0901-234-5678 */
}

static void test_normalize(void **st)
{
	(void)st;
	struct mm_buf b;
	mm_buf_init(&b, 0);
	const char *in = "電話：０９０ー１２３４－５６７８　ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ，\"ＡＢ\"−1";
	assert_true(mm_dlp_needs_normalize(in, strlen(in)));
	assert_int_equal(mm_dlp_normalize(in, strlen(in), &b), MM_OK);
	/* the full-width comma stays (CSV structure), so does U+3000; ー becomes
	 * '-' only between digits */
	assert_string_equal(b.p, "電話:090-1234-5678　taro@example.jp，\"AB\"-1");
	mm_buf_free(&b);
	assert_false(mm_dlp_needs_normalize("山田 太郎,090-1234-5678", 26));
	mm_buf_init(&b, 0);
	assert_int_equal(mm_dlp_normalize("データ1ー2", strlen("データ1ー2"), &b), MM_OK);
	assert_string_equal(b.p, "データ1ー2"); /* ASCII digit before ー: left alone */
	mm_buf_free(&b);
}

static size_t conv(const char *to, const char *in, char *out, size_t n)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	assert_true(cd != (iconv_t)-1);
	char *ip = (char *)in, *op = out;
	size_t il = strlen(in), ol = n;
	assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
	iconv_close(cd);
	return n - ol;
}

static void test_encoding(void **st)
{
	(void)st;
	const char *text = "氏名,電話番号\n山田 太郎,090-1234-5678\n佐藤 花子,03-1234-5678\n";
	char buf[512];
	size_t bom, n;
	assert_int_equal(mm_dlp_detect_encoding(text, strlen(text), &bom), MM_DLP_ENC_UTF8);
	assert_int_equal(bom, 0);
	n = conv("CP932", text, buf, sizeof(buf));
	assert_int_equal(mm_dlp_detect_encoding(buf, n, &bom), MM_DLP_ENC_CP932);
	n = conv("EUC-JP", text, buf, sizeof(buf));
	assert_int_equal(mm_dlp_detect_encoding(buf, n, &bom), MM_DLP_ENC_EUCJP);
	buf[0] = (char)0xff;
	buf[1] = (char)0xfe;
	n = conv("UTF-16LE", text, buf + 2, sizeof(buf) - 2) + 2;
	assert_int_equal(mm_dlp_detect_encoding(buf, n, &bom), MM_DLP_ENC_UTF16LE);
	assert_int_equal(bom, 2);
	n = conv("UTF-16BE", text, buf, sizeof(buf)); /* no BOM: by its NULs */
	assert_int_equal(mm_dlp_detect_encoding(buf, n, &bom), MM_DLP_ENC_UTF16BE);
	assert_int_equal(mm_dlp_detect_encoding("\xef\xbb\xbfok", 5, &bom), MM_DLP_ENC_UTF8);
	assert_int_equal(bom, 3);
	static const unsigned char elf[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	                                    3, 0, 0x3e, 0, 1, 0, 0, 0, 0x10, 0x20, 0, 0, 0, 0, 0, 0};
	assert_int_equal(mm_dlp_detect_encoding(elf, sizeof(elf), &bom), MM_DLP_ENC_BINARY);
}

static void test_mask(void **st)
{
	(void)st;
	char out[MM_DLP_SAMPLE_MAX];
	mm_dlp_mask(MM_DLP_CARD, "4111-1111-1111-1234", 19, out, sizeof(out));
	assert_string_equal(out, "****-****-****-1234");
	mm_dlp_mask(MM_DLP_MY_NUMBER, "123456789018", 12, out, sizeof(out));
	assert_string_equal(out, "********9018");
	mm_dlp_mask(MM_DLP_PHONE_JP, "090-1234-5678", 13, out, sizeof(out));
	assert_string_equal(out, "***-****-*678");
	mm_dlp_mask(MM_DLP_EMAIL, "taro.yamada@example.jp", 22, out, sizeof(out));
	assert_string_equal(out, "t***@example.jp");
	/* found by the fuzzer: digits in the domain are masked too */
	mm_dlp_mask(MM_DLP_EMAIL, "u@exampl99999999e.co", 20, out, sizeof(out));
	assert_string_equal(out, "u***@exampl********e.co");
	mm_dlp_mask(MM_DLP_NAME, "山田 太郎", strlen("山田 太郎"), out, sizeof(out));
	assert_string_equal(out, "山****");
	mm_dlp_mask(MM_DLP_ADDRESS_JP, "東京都港区芝公園4-2-8", strlen("東京都港区芝公園4-2-8"), out,
	            sizeof(out));
	assert_string_equal(out, "東京都港区***");
	mm_dlp_mask(MM_DLP_BIRTH_DATE, "1985-04-12", 10, out, sizeof(out));
	assert_string_equal(out, "1985-**-**");
	mm_dlp_mask(MM_DLP_BIRTH_DATE, "昭和60年4月12日", strlen("昭和60年4月12日"), out, sizeof(out));
	assert_string_equal(out, "昭和60年*月**日");
	mm_dlp_mask(MM_DLP_IBAN, "DE89 3704 0044 0532 0130 00", 27, out, sizeof(out));
	assert_string_equal(out, "DE** **** **** **** **30 00");
}

/* ---- the scanner ---------------------------------------------------------- */

struct seen {
	unsigned n[MM_DLP__TYPES];
	char last[MM_DLP__TYPES][128];
};

static void on_f(void *ud, const struct mm_dlp_finding *f)
{
	struct seen *s = ud;
	s->n[f->type]++;
	snprintf(s->last[f->type], sizeof(s->last[0]), "%.*s", (int)f->vn, f->v);
}

static struct mm_dlp *g_d;
static struct seen g_seen;

static int setup(void **st)
{
	(void)st;
	struct mm_dlp_opts o;
	mm_dlp_opts_default(&o);
	o.on_finding = on_f;
	o.ud = &g_seen;
	struct mm_error err;
	return mm_dlp_new(&g_d, &o, &err);
}

static int teardown(void **st)
{
	(void)st;
	mm_dlp_free(g_d);
	return 0;
}

static struct mm_dlp_result scan(const char *name, const char *text)
{
	struct mm_dlp_result r;
	memset(&g_seen, 0, sizeof(g_seen));
	assert_int_equal(mm_dlp_scan_buffer(g_d, name, text, strlen(text), &r), MM_OK);
	return r;
}

/* Text: each shape found once with its label; look-alikes not at all. */
static void test_text_detectors(void **st)
{
	(void)st;
	struct mm_dlp_result r = scan("memo.txt",
		"マイナンバー 1234 5678 9018\n"
		"法人番号: 5835678256246\n"
		"card 4111 1111 1111 1111 exp 12/29\n"
		"電話 03-1234-5678 携帯 ０９０－１２３４－５６７８ IP 050-1234-5678\n"
		"〒105-0011 東京都港区芝公園4-2-8\n"
		"mail: taro.yamada@example.co.jp\n"
		"生年月日 昭和60年4月12日\n"
		"氏名：山田 太郎、様\n"
		"口座番号 1234567 (普通)\n"
		"旅券番号 TK1234567\n"
		"運転免許証 301234567890\n"
		"IBAN DE89 3704 0044 0532 0130 00\n"
		"SSN 078-05-1120\n"
		"call +1 415 555 2671 or +81-3-1234-5678\n");
	assert_int_equal(g_seen.n[MM_DLP_MY_NUMBER], 1);
	assert_string_equal(g_seen.last[MM_DLP_MY_NUMBER], "1234 5678 9018");
	assert_int_equal(g_seen.n[MM_DLP_CORPORATE_NUMBER], 1);
	assert_int_equal(g_seen.n[MM_DLP_CARD], 1);
	assert_int_equal(g_seen.n[MM_DLP_PHONE_JP], 4);
	assert_int_equal(g_seen.n[MM_DLP_POSTAL_JP], 1);
	assert_int_equal(g_seen.n[MM_DLP_ADDRESS_JP], 1);
	assert_string_equal(g_seen.last[MM_DLP_ADDRESS_JP], "東京都港区芝公園4-2-8");
	assert_int_equal(g_seen.n[MM_DLP_EMAIL], 1);
	assert_int_equal(g_seen.n[MM_DLP_BIRTH_DATE], 1);
	assert_int_equal(g_seen.n[MM_DLP_NAME], 1);
	assert_string_equal(g_seen.last[MM_DLP_NAME], "山田 太郎");
	assert_int_equal(g_seen.n[MM_DLP_BANK_ACCOUNT], 1);
	assert_int_equal(g_seen.n[MM_DLP_PASSPORT], 1);
	assert_int_equal(g_seen.n[MM_DLP_DRIVER_LICENSE], 1);
	assert_int_equal(g_seen.n[MM_DLP_IBAN], 1);
	assert_int_equal(g_seen.n[MM_DLP_US_SSN], 1);
	assert_int_equal(g_seen.n[MM_DLP_PHONE_INTL], 1);
	assert_int_equal(r.records, 14);
	assert_int_equal(r.records_pii, 14);
	mm_dlp_result_clear(&r);
}

static void test_lookalikes(void **st)
{
	(void)st;
	struct mm_dlp_result r = scan("noise.txt",
		"注文番号 123456789018 を発送\n"        /* valid check digit, order label */
		"伝票番号 1234-5678-9018\n"             /* tracking number */
		"ORD-123456789018 and INV123456789018\n" /* codes */
		"商品コード 4901234567894\n"            /* JAN with a corp-valid-looking shape */
		"timestamp 202611251304 202611251304.5\n"
		"4111 1111 1111 1112 (Luhn fails)\n"
		"1234 5678 1234 5670 (no issuer)\n"
		"0901234567 and 00312345678\n"          /* not numbering-plan phones */
		"1.2.3.4567890 version\n"
		"icon@2x.png logo@3x.webp\n"
		"東京都内の店舗 大阪府警 京都府庁\n"     /* prefectures, no address */
		"2026-11-25 13:04:59 updated\n"          /* dates without a birth label */
		"DE89 3704 0044 0532 0130 01\n"          /* IBAN mod 97 fails */
		"000-12-3456 666-12-3456\n"              /* SSN areas never issued */
		"氏名：不明\n"
		"問合せ番号 0312345678 問い合せ番号 0312345679\n" /* inquiry numbers, any spelling */
		"問合わせ番号 0312345670 問い合わせ番号 0312345671\n"
		"product-name: サンプル商品\n"
		"123-4567\n");                           /* a bare 7-digit shape */
	assert_int_equal(r.matches, 0);
	assert_int_equal(r.records_pii, 0);
	assert_true(r.candidates > 10);
	mm_dlp_result_clear(&r);
}

static void test_csv_records(void **st)
{
	(void)st;
	struct mm_dlp_result r = scan("x.csv",
		"id,氏名,電話番号,備考,注文番号\r\n"
		"1,山田 太郎,090-1234-5678,\"複数行の\r\n備考\",123456789018\r\n"
		"2,（削除済み）,,,123456789018\r\n"
		"\r\n"
		"3,佐藤 花子,,\"引用 \"\"符\"\" あり, 注文 090-0000-0000\",202611250001\r\n"
		"4,,03-1234-5678,,\r\n");
	assert_int_equal(r.format, MM_DLP_FMT_CSV);
	assert_int_equal(r.records, 4);
	assert_int_equal(r.records_pii, 3);
	assert_int_equal(g_seen.n[MM_DLP_NAME], 2);
	assert_int_equal(g_seen.n[MM_DLP_PHONE_JP], 2); /* the note's number follows 注文 */
	assert_int_equal(g_seen.n[MM_DLP_MY_NUMBER], 0);
	assert_int_equal(r.t[MM_DLP_PHONE_JP].records, 2);
	assert_string_equal(r.t[MM_DLP_PHONE_JP].sample_column, "電話番号");
	assert_int_equal(r.t[MM_DLP_PHONE_JP].sample_record, 1);
	bool found = false;
	for (size_t i = 0; i < r.ncols; i++)
		if (!strcmp(r.cols[i].name, "氏名"))
			found = r.cols[i].count[MM_DLP_NAME] == 2;
	assert_true(found);
	mm_dlp_result_clear(&r);
}

/* Cell lookup: commas inside quotes and an SQL backslash escape do not
 * start a cell; a record of more cells than are indexed (MAX_CELLS) is
 * walked instead, with the same columns. */
static void test_cell_index(void **st)
{
	(void)st;
	struct mm_dlp_result r = scan("q.csv", "a,b,電話番号\n\"x,y\",\"p,\"\"q\",0312345678\n");
	assert_int_equal(g_seen.n[MM_DLP_PHONE_JP], 1);
	assert_string_equal(r.t[MM_DLP_PHONE_JP].sample_column, "電話番号");
	mm_dlp_result_clear(&r);

	r = scan("q.sql", "INSERT INTO `c` (`note`, `name`, `tel`) VALUES "
	                  "('a\\',b','山田 太郎','0312345678');\n");
	assert_int_equal(g_seen.n[MM_DLP_NAME], 1);
	assert_int_equal(g_seen.n[MM_DLP_PHONE_JP], 1);
	assert_string_equal(r.t[MM_DLP_PHONE_JP].sample_column, "tel");
	mm_dlp_result_clear(&r);

	static const char head[] = "id,氏名,電話番号\n1,山田 太郎,03-1234-5678";
	size_t wide = 70000, n = sizeof(head) - 1 + wide + 1;
	char *text = mm_malloc(n + 1);
	memcpy(text, head, sizeof(head) - 1);
	memset(text + sizeof(head) - 1, ',', wide);
	text[n - 1] = '\n';
	text[n] = '\0';
	r = scan("wide.csv", text);
	assert_int_equal(r.records, 1);
	assert_int_equal(g_seen.n[MM_DLP_NAME], 1);
	assert_int_equal(g_seen.n[MM_DLP_PHONE_JP], 1);
	assert_string_equal(r.t[MM_DLP_PHONE_JP].sample_column, "電話番号");
	assert_string_equal(r.t[MM_DLP_NAME].sample_column, "氏名");
	mm_dlp_result_clear(&r);
	free(text);
}

/* Exports that split the prefecture from the rest of the address: the
 * 住所 column's cells are addresses by their header. */
static void test_split_address(void **st)
{
	(void)st;
	struct mm_dlp_result r = scan("split.csv",
		"都道府県,住所1,住所2,電話番号\n"
		"東京都,港区芝公園4-2-8,芝ビル101,03-1234-5678\n"
		"大阪府,大阪市北区梅田1丁目1,,\n"
		"北海道,,,\n"
		"京都府,本社ビル,,\n"
		"神奈川県,神奈川県横浜市西区みなとみらい2-3-1,,\n");
	assert_int_equal(g_seen.n[MM_DLP_ADDRESS_JP], 3);
	assert_int_equal(r.records, 5);
	assert_int_equal(r.records_pii, 3);
	assert_int_equal(r.t[MM_DLP_ADDRESS_JP].records, 3);
	mm_dlp_result_clear(&r);
}

/* A column of valid My Numbers without a telling header is promoted; a
 * column of random 12-digit numbers (one in eleven valid) is not. */
static void test_column_learning(void **st)
{
	(void)st;
	struct mm_buf b;
	mm_buf_init(&b, 0);
	mm_buf_puts(&b, "a,b\n");
	uint64_t x = 88172645463325252u;
	unsigned valid_b = 0;
	for (int i = 0; i < 300; i++) {
		char d[13];
		for (int k = 0; k < 12; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			d[k] = (char)('1' + x % 9);
		}
		d[12] = '\0';
		/* column a: fix the check digit */
		char a[13];
		memcpy(a, d, 13);
		for (char c = '0'; c <= '9'; c++) {
			a[11] = c;
			if (mm_dlp_my_number_valid(a, 12))
				break;
		}
		valid_b += mm_dlp_my_number_valid(d, 12);
		mm_buf_printf(&b, "%s,%s\n", a, d);
	}
	assert_true(valid_b > 5);
	struct mm_dlp_result r = scan("ids.csv", b.p);
	assert_int_equal(g_seen.n[MM_DLP_MY_NUMBER], 300);
	assert_int_equal(r.records_pii, 300);
	mm_dlp_result_clear(&r);
	mm_buf_free(&b);
}

static void test_jsonl_sql(void **st)
{
	(void)st;
	struct mm_dlp_result r = scan("x.jsonl",
		"{\"name\":\"山田 太郎\",\"tel\":\"09012345678\",\"order_no\":\"123456789018\"}\n"
		"\n"
		"{\"product_name\":\"名入れペン\",\"updated_at\":\"2026-11-25T13:04:59\"}\n"
		"{\"email\":\"a.b@example.com\",\"my_number\":\"123456789018\"}\n");
	assert_int_equal(r.format, MM_DLP_FMT_JSONL);
	assert_int_equal(r.records, 3);
	assert_int_equal(r.records_pii, 2);
	assert_int_equal(g_seen.n[MM_DLP_NAME], 1);
	assert_int_equal(g_seen.n[MM_DLP_MY_NUMBER], 1);
	mm_dlp_result_clear(&r);

	r = scan("dump.sql",
		"CREATE TABLE `c` (`id` int, `name` varchar(9), `tel` varchar(20));\n"
		"INSERT INTO `c` (`id`, `name`, `tel`) VALUES (1,'山田 太郎','090-1234-5678'),"
		"(2,'O\\'Brien, a (b)','n/a'),(3,NULL,'03-1234-5678');\n"
		"INSERT INTO `c` VALUES (4,'x','0120-123-456');\n"
		"COPY public.users (id, full_name, phone) FROM stdin;\n"
		"1\t佐藤 花子\t080-1111-2222\n"
		"2\t\\N\t\\N\n"
		"\\.\n");
	assert_int_equal(r.format, MM_DLP_FMT_SQL);
	assert_int_equal(r.records, 6);
	assert_int_equal(r.records_pii, 4);
	assert_int_equal(g_seen.n[MM_DLP_NAME], 2);
	assert_int_equal(g_seen.n[MM_DLP_PHONE_JP], 4);
	mm_dlp_result_clear(&r);
}

/* A JSON document: objects in arrays are the records, whatever the layout;
 * the same fed byte by byte. */
static void test_json_document(void **st)
{
	(void)st;
	const char *doc =
		"{\"exported\": \"2026-11-25\", \"customers\": [\n"
		"  {\n    \"name\": \"山田 太郎\",\n    \"tel\": \"090-1234-5678\",\n"
		"    \"orders\": [{\"order_no\": \"123456789018\", \"memo\": \"a \\\"}\\\" b\"}]\n  },\n"
		"  {\"name\": \"佐藤 花子\", \"email\": \"hanako@example.jp\"},\n"
		"  {\"note\": \"none\"}\n]}\n";
	struct mm_dlp_result a = scan("export.json", doc), b;
	assert_int_equal(a.format, MM_DLP_FMT_JSON);
	assert_int_equal(a.records, 3);
	assert_int_equal(a.records_pii, 2);
	assert_int_equal(g_seen.n[MM_DLP_NAME], 2);
	assert_int_equal(g_seen.n[MM_DLP_MY_NUMBER], 0); /* order_no */
	struct mm_dlp_file *f = mm_dlp_file_new(g_d, "export.json");
	for (size_t i = 0; doc[i]; i++)
		assert_int_equal(mm_dlp_file_feed(f, doc + i, 1), MM_OK);
	assert_int_equal(mm_dlp_file_finish(f, &b), MM_OK);
	mm_dlp_file_free(f);
	assert_int_equal(b.records, 3);
	assert_int_equal(b.records_pii, 2);
	assert_int_equal(b.matches, a.matches);
	mm_dlp_result_clear(&a);
	mm_dlp_result_clear(&b);
	/* by content: an array on the first line */
	a = scan("noext", "[{\"tel\":\"03-1234-5678\"},\n{\"tel\":\"\"}]");
	assert_int_equal(a.format, MM_DLP_FMT_JSON);
	assert_int_equal(a.records, 2);
	assert_int_equal(a.records_pii, 1);
	mm_dlp_result_clear(&a);
}

/* Fed byte by byte, the result is the same as in one piece. */
static void test_streaming(void **st)
{
	(void)st;
	const char *csv = "氏名,電話\n山田 太郎,０９０－１２３４－５６７８\n\"佐藤\n花子\",03-1234-5678\n";
	struct mm_dlp_result a = scan("s.csv", csv), b;
	struct mm_dlp_file *f = mm_dlp_file_new(g_d, "s.csv");
	for (size_t i = 0; csv[i]; i++)
		assert_int_equal(mm_dlp_file_feed(f, csv + i, 1), MM_OK);
	assert_int_equal(mm_dlp_file_finish(f, &b), MM_OK);
	mm_dlp_file_free(f);
	assert_int_equal(a.records, 2);
	assert_int_equal(a.records_pii, 2);
	assert_int_equal(a.records, b.records);
	assert_int_equal(a.records_pii, b.records_pii);
	assert_int_equal(a.matches, b.matches);
	mm_dlp_result_clear(&a);
	mm_dlp_result_clear(&b);
}

/* presidio-research's FakeNameGenerator sample (MIT, tests/data/dlp):
 * every CCNumber and EmailAddress is found, in its column. */
static void test_fakename(void **st)
{
	(void)st;
	char path[1024];
	snprintf(path, sizeof(path), "%s/tests/data/dlp/FakeNameGenerator.com_100.csv",
	         MM_SOURCE_DIR);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[1 << 17];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	struct mm_dlp_result r = scan("FakeNameGenerator.com_100.csv", buf);
	assert_int_equal(r.records, 100);
	unsigned cards = 0, mails = 0;
	for (size_t i = 0; i < r.ncols; i++) {
		if (!strcmp(r.cols[i].name, "CCNumber"))
			cards = (unsigned)r.cols[i].count[MM_DLP_CARD];
		if (!strcmp(r.cols[i].name, "EmailAddress"))
			mails = (unsigned)r.cols[i].count[MM_DLP_EMAIL];
	}
	assert_int_equal(cards, 100);
	assert_int_equal(mails, 100);
	assert_int_equal(r.t[MM_DLP_CARD].matches, 100);
	mm_dlp_result_clear(&r);
}

/* The digit scanner works on 64-byte blocks: a number at every offset
 * across block edges, after a run longer than a block, at the very end. */
static void test_block_edges(void **st)
{
	(void)st;
	for (int off = 0; off < 140; off++) {
		char buf[512];
		int k = 0;
		for (int i = 0; i < off; i++)
			buf[k++] = (char)(i % 3 ? 'x' : ' ');
		if (off > 100)
			for (int i = 0; i < 70; i++)
				buf[k++] = (char)('0' + i % 10); /* 70 digits: no PII, crosses a block */
		k += snprintf(buf + k, sizeof(buf) - (size_t)k, " TEL 090-1234-5678 / card 4111111111111111");
		struct mm_dlp_result r = scan("edge.txt", buf);
		assert_int_equal(g_seen.n[MM_DLP_PHONE_JP], 1);
		assert_int_equal(g_seen.n[MM_DLP_CARD], 1); /* at the very end of the input */
		assert_int_equal(r.records, 1);
		mm_dlp_result_clear(&r);
	}
}

/* presidio-research's generated_small.json (MIT, tests/data/dlp), scanned
 * as a JSON document: each sentence object is a record; presidio labels 10
 * card numbers, 3 SSNs and 2 e-mail addresses (each also repeated in its
 * span's entity_value) and nothing else mamori looks for in English text. */
static void test_presidio_sentences(void **st)
{
	(void)st;
	char path[1024];
	snprintf(path, sizeof(path), "%s/tests/data/dlp/generated_small.json", MM_SOURCE_DIR);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[1 << 17];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	struct mm_dlp_result r = scan("generated_small.json", buf);
	assert_int_equal(r.format, MM_DLP_FMT_JSON);
	assert_int_equal(r.records, 100);
	assert_int_equal(r.t[MM_DLP_CARD].records, 10);
	assert_int_equal(r.t[MM_DLP_US_SSN].records, 3);
	assert_int_equal(r.t[MM_DLP_EMAIL].records, 2);
	assert_int_equal(r.records_pii, 15);
	assert_int_equal(r.types, (1u << MM_DLP_CARD) | (1u << MM_DLP_US_SSN) | (1u << MM_DLP_EMAIL));
	mm_dlp_result_clear(&r);
}

/* Shift_JIS (CP932) is decoded by a table built from iconv: every kanji and
 * kana pair of CP932, as names after 氏名, must come out as iconv says. */
struct names {
	char (*v)[64];
	size_t n, i;
	bool ok;
};

static void on_name(void *ud, const struct mm_dlp_finding *f)
{
	struct names *nm = ud;
	if (f->type != MM_DLP_NAME)
		return;
	if (nm->i >= nm->n || strlen(nm->v[nm->i]) != f->vn || memcmp(nm->v[nm->i], f->v, f->vn))
		nm->ok = false;
	nm->i++;
}

static void test_cp932_table(void **st)
{
	(void)st;
	iconv_t cd = iconv_open("UTF-8", "CP932");
	assert_true(cd != (iconv_t)-1);
	struct mm_buf sj;
	mm_buf_init(&sj, 0);
	struct names nm = {mm_calloc(4096, sizeof(*nm.v)), 0, 0, true};
	char name[64] = "";
	size_t chars = 0;
	unsigned char pend[8];
	size_t np = 0;
	for (unsigned b = 0x81; b <= 0xfc; b++) {
		if (b > 0x9f && b < 0xe0)
			continue;
		for (unsigned t = 0x40; t <= 0xfc; t++) {
			unsigned char in[2] = {(unsigned char)b, (unsigned char)t};
			char o[8], *ip = (char *)in, *op = o;
			size_t il = 2, ol = sizeof(o);
			iconv(cd, NULL, NULL, NULL, NULL);
			if (t == 0x7f || iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || op - o != 3)
				continue;
			const unsigned char *q = (const unsigned char *)o;
			unsigned cp = ((q[0] & 0x0fu) << 12) | ((q[1] & 0x3fu) << 6) | (q[2] & 0x3fu);
			if (!((cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3041 && cp <= 0x3096) ||
			      (cp >= 0x30a1 && cp <= 0x30fa)))
				continue;
			memcpy(pend + np, in, 2);
			np += 2;
			size_t l = strlen(name);
			memcpy(name + l, o, 3);
			name[l + 3] = '\0';
			if (++chars == 4 && nm.n < 4096) {
				mm_buf_append(&sj, "\x8e\x81\x96\xbc\x81\x46", 6); /* 氏名： */
				mm_buf_append(&sj, pend, np);
				mm_buf_putc(&sj, '\n');
				snprintf(nm.v[nm.n++], sizeof(nm.v[0]), "%s", name);
				chars = np = 0;
				name[0] = '\0';
			}
		}
	}
	iconv_close(cd);
	assert_true(nm.n > 1500); /* about 6,400 kanji and kana in four-character names */
	struct mm_dlp_opts o;
	mm_dlp_opts_default(&o);
	o.on_finding = on_name;
	o.ud = &nm;
	o.force_format = MM_DLP_FMT_TEXT;
	struct mm_dlp *d = NULL;
	struct mm_error err;
	assert_int_equal(mm_dlp_new(&d, &o, &err), MM_OK);
	struct mm_dlp_result r;
	assert_int_equal(mm_dlp_scan_buffer(d, "names.txt", sj.p, sj.n, &r), MM_OK);
	assert_int_equal(r.encoding, MM_DLP_ENC_CP932);
	assert_int_equal(r.decode_errors, 0);
	assert_int_equal(nm.i, nm.n);
	assert_true(nm.ok);
	mm_dlp_result_clear(&r);
	mm_dlp_free(d);
	free(nm.v);
	mm_buf_free(&sj);
}

static void test_types_parse(void **st)
{
	(void)st;
	unsigned m;
	struct mm_error err;
	assert_int_equal(mm_dlp_types_parse("email, card_number", &m, &err), MM_OK);
	assert_int_equal(m, (1u << MM_DLP_EMAIL) | (1u << MM_DLP_CARD));
	assert_int_equal(mm_dlp_types_parse("email,nope", &m, &err), MM_ENOENT);
	assert_non_null(strstr(err.msg, "nope"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_my_number),
		cmocka_unit_test(test_corporate_number),
		cmocka_unit_test(test_cards),
		cmocka_unit_test(test_iban),
		cmocka_unit_test(test_phone_jp),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_encoding),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_types_parse),
		cmocka_unit_test(test_cp932_table),
		cmocka_unit_test_setup_teardown(test_text_detectors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookalikes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cell_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_column_learning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jsonl_sql, setup, teardown),
		cmocka_unit_test_setup_teardown(test_streaming, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fakename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_block_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_document, setup, teardown),
		cmocka_unit_test_setup_teardown(test_presidio_sentences, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
