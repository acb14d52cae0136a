/* mamori-gen-dlp OUTDIR [SEED] [ROWS] — the DLP evaluation set, and
 * mamori-gen-dlp --demo OUTDIR — data/demo/dlp/ (a contractor's server: a
 * Shift_JIS customer export, a MySQL dump and support notes). The set: a Japanese
 * shop's customer export (names in kanji and katakana, addresses, phones —
 * some in full-width digits —, e-mail, birthdays in three notations, My
 * Numbers and cards valid and invalid, bank accounts, passports, licences)
 * next to look-alike non-PII (order, tracking and JAN numbers, timestamps,
 * amounts, notes), as CSV in UTF-8 (BOM) and Shift_JIS (CP932), TSV in
 * EUC-JP, CSV in UTF-16LE, JSON Lines, a MySQL dump and free-text notes,
 * plus overseas contacts (法人番号, IBAN, US SSN, E.164, with invalid twins).
 * OUTDIR/truth.tsv holds the ground truth: "F file records records_pii" and
 * "I file record type value" per PII item. Deterministic for a seed
 * (splitmix64; every RNG call sequenced). Used by tests/unit/dlp/test_eval.c,
 * tests/integration/test_dlp.sh and bench/bench_dlp.sh. */
#include "gen_common.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MM_GEN_N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *k, *r;
} g_family[] = {
	{"佐藤", "サトウ"}, {"鈴木", "スズキ"}, {"高橋", "タカハシ"}, {"田中", "タナカ"},
	{"伊藤", "イトウ"}, {"渡辺", "ワタナベ"}, {"山本", "ヤマモト"}, {"中村", "ナカムラ"},
	{"小林", "コバヤシ"}, {"加藤", "カトウ"}, {"吉田", "ヨシダ"}, {"山田", "ヤマダ"},
	{"佐々木", "ササキ"}, {"山口", "ヤマグチ"}, {"松本", "マツモト"}, {"井上", "イノウエ"},
	{"木村", "キムラ"}, {"林", "ハヤシ"}, {"斎藤", "サイトウ"}, {"清水", "シミズ"},
	{"山崎", "ヤマザキ"}, {"森", "モリ"}, {"池田", "イケダ"}, {"橋本", "ハシモト"},
	{"阿部", "アベ"}, {"石川", "イシカワ"}, {"前田", "マエダ"}, {"藤田", "フジタ"},
	{"小川", "オガワ"}, {"岡田", "オカダ"}, {"長谷川", "ハセガワ"}, {"村上", "ムラカミ"},
};
static const struct {
	const char *k, *r, *latin;
} g_given[] = {
	{"太郎", "タロウ", "taro"},     {"花子", "ハナコ", "hanako"},   {"健", "ケン", "ken"},
	{"陽子", "ヨウコ", "yoko"},     {"翔太", "ショウタ", "shota"},  {"美咲", "ミサキ", "misaki"},
	{"大輔", "ダイスケ", "daisuke"}, {"愛", "アイ", "ai"},           {"誠", "マコト", "makoto"},
	{"由美", "ユミ", "yumi"},       {"拓也", "タクヤ", "takuya"},   {"彩", "アヤ", "aya"},
	{"直樹", "ナオキ", "naoki"},    {"恵", "メグミ", "megumi"},     {"浩二", "コウジ", "koji"},
	{"さくら", "サクラ", "sakura"}, {"蓮", "レン", "ren"},           {"結衣", "ユイ", "yui"},
	{"和也", "カズヤ", "kazuya"},   {"千尋", "チヒロ", "chihiro"},  {"悠斗", "ユウト", "yuto"},
	{"真由美", "マユミ", "mayumi"}, {"隆", "タカシ", "takashi"},    {"明美", "アケミ", "akemi"},
};
static const char *const g_family_latin[] = {
	"sato", "suzuki", "takahashi", "tanaka", "ito", "watanabe", "yamamoto", "nakamura",
	"kobayashi", "kato", "yoshida", "yamada", "sasaki", "yamaguchi", "matsumoto", "inoue",
	"kimura", "hayashi", "saito", "shimizu", "yamazaki", "mori", "ikeda", "hashimoto",
	"abe", "ishikawa", "maeda", "fujita", "ogawa", "okada", "hasegawa", "murakami",
};
/* prefecture, municipality, town, postal prefix (3 digits), area code */
static const struct {
	const char *pref, *city, *town, *zip3, *area;
} g_addr[] = {
	{"東京都", "港区", "芝公園", "105", "03"},      {"東京都", "新宿区", "西新宿", "160", "03"},
	{"東京都", "府中市", "宮町", "183", "042"},     {"大阪府", "大阪市北区", "梅田", "530", "06"},
	{"京都府", "京都市中京区", "烏丸通", "604", "075"}, {"神奈川県", "横浜市西区", "みなとみらい", "220", "045"},
	{"神奈川県", "藤沢市", "鵠沼", "251", "0466"},  {"愛知県", "名古屋市中区", "栄", "460", "052"},
	{"北海道", "札幌市中央区", "北一条西", "060", "011"}, {"北海道", "夕張郡", "栗山町", "069", "0123"},
	{"福岡県", "福岡市博多区", "博多駅前", "812", "092"}, {"宮城県", "仙台市青葉区", "一番町", "980", "022"},
	{"広島県", "広島市中区", "紙屋町", "730", "082"}, {"兵庫県", "神戸市中央区", "三宮町", "650", "078"},
	{"埼玉県", "さいたま市大宮区", "桜木町", "330", "048"}, {"千葉県", "千葉市中央区", "富士見", "260", "043"},
	{"静岡県", "浜松市中央区", "砂山町", "430", "053"}, {"新潟県", "新潟市中央区", "東大通", "950", "025"},
	{"鹿児島県", "鹿児島市", "中央町", "890", "099"}, {"沖縄県", "那覇市", "久茂地", "900", "098"},
	{"和歌山県", "和歌山市", "本町", "640", "073"},  {"長野県", "松本市", "中央", "390", "0263"},
};
static const char *const g_buildings[] = {"", "", "", " 芝ビル101", " グランドメゾン502号室",
                                          " コーポ山田201", "-305"};
static const char *const g_domains[] = {"example.jp", "example.co.jp", "example.com",
                                        "mail.example.ne.jp", "example.org"};
static const char *const g_banks[] = {"みずほ銀行", "三菱UFJ銀行", "三井住友銀行", "ゆうちょ銀行",
                                      "りそな銀行"};
static const char *const g_branches[] = {"新宿支店", "本店営業部", "梅田支店", "横浜支店",
                                         "名古屋支店"};
static const char *const g_products[] = {"オーガニック緑茶 100g", "ステンレスボトル 500ml",
                                         "名入れボールペン", "氏名スタンプ", "住所印セット",
                                         "電話台", "カードケース"};
/* notes: look-alikes that must not count (checked by the evaluation) */
static const char *const g_notes[] = {
	"", "", "", "",
	"注文番号 %s の件で連絡あり",
	"ポイント 1234567 付与済み",
	"お届け予定 2026/12/01",
	"バージョン 1.2.3 の取扱説明書同梱",
	"画像 icon@2x.png 差し替え",
	"商品コード 4901234567894 を再送",
	"電話番号の変更なし",
	"\"複数行の\n備考です\"",
	"受付 %s",
};

struct person {
	char name[64], kana[96], latin[64];
	bool anon;
	int y, m, d, dob_fmt; /* 0 none, 1 ISO, 2 slash, 3 era, 4 compact */
	char zip[16];
	bool zip_mark;
	char addr[192];
	char phone[80];
	char email[96];
	char mynum[16];
	bool mynum_valid;
	char card[32];
	bool card_valid;
	char bank[32], branch[32], acct[16];
	char passport[16], licence[16];
	char order[16], tracking[24], jan[16], ts[32], note[128];
	unsigned amount;
};

static void digits(struct gen_rng *r, char *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (char)('0' + gen_below(r, 10));
	out[n] = '\0';
}

static char mynum_check(const char *d)
{
	unsigned sum = 0;
	for (unsigned k = 1; k <= 11; k++)
		sum += (unsigned)(d[11 - k] - '0') * (k <= 6 ? k + 1 : k - 5);
	unsigned rm = sum % 11;
	return (char)('0' + (rm <= 1 ? 0 : 11 - rm));
}

static char luhn_check(const char *d, size_t n) /* check digit for d[0..n) */
{
	unsigned sum = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned v = (unsigned)(d[n - 1 - i] - '0');
		if (!(i & 1)) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	return (char)('0' + (10 - sum % 10) % 10);
}

static char ean_check(const char *d) /* 12 digits */
{
	unsigned s = 0;
	for (int i = 0; i < 12; i++)
		s += (unsigned)(d[i] - '0') * (i & 1 ? 3 : 1);
	return (char)('0' + (10 - s % 10) % 10);
}

/* ASCII digits and '-' to full-width (U+FF10.., U+FF0D). */
static void fullwidth(const char *in, char *out, size_t n)
{
	size_t o = 0;
	for (; *in && o + 4 < n; in++) {
		if (*in >= '0' && *in <= '9') {
			out[o++] = (char)0xef;
			out[o++] = (char)0xbc;
			out[o++] = (char)(0x90 + (*in - '0'));
		} else if (*in == '-') {
			out[o++] = (char)0xef;
			out[o++] = (char)0xbc;
			out[o++] = (char)0x8d;
		} else {
			out[o++] = *in;
		}
	}
	out[o] = '\0';
}

static void make_phone(struct gen_rng *r, const char *area, char *out, size_t n)
{
	unsigned kind = gen_below(r, 10);
	char a[8], b[8], c[8];
	unsigned style = gen_below(r, 20);
	if (kind < 5) { /* mobile 070/080/090 */
		static const char *const mob[] = {"070", "080", "090"};
		unsigned k = gen_below(r, 3);
		digits(r, b, 4);
		digits(r, c, 4);
		snprintf(a, sizeof(a), "%s", mob[k]);
	} else if (kind < 6) { /* IP phone */
		snprintf(a, sizeof(a), "050");
		digits(r, b, 4);
		digits(r, c, 4);
	} else { /* fixed line: area + local = 6 digits, subscriber 4 */
		snprintf(a, sizeof(a), "%s", area);
		size_t al = strlen(area);
		digits(r, b, 6 - al);
		if (b[0] == '0')
			b[0] = '5';
		digits(r, c, 4);
	}
	char tmp[64];
	if (style < 14)
		snprintf(tmp, sizeof(tmp), "%s-%s-%s", a, b, c);
	else if (style < 18)
		snprintf(tmp, sizeof(tmp), "%s%s%s", a, b, c);
	else {
		char h[40];
		snprintf(h, sizeof(h), "%s-%s-%s", a, b, c);
		fullwidth(h, tmp, sizeof(tmp));
	}
	snprintf(out, n, "%s", tmp);
}

static void make_card(struct gen_rng *r, struct person *p)
{
	char d[20];
	size_t n = 16;
	unsigned brand = gen_below(r, 4);
	if (brand == 0) {
		d[0] = '4';
		digits(r, d + 1, 14);
	} else if (brand == 1) {
		d[0] = '5';
		d[1] = (char)('1' + gen_below(r, 5));
		digits(r, d + 2, 13);
	} else if (brand == 2) {
		unsigned iin = 3528 + gen_below(r, 62);
		snprintf(d, sizeof(d), "%u", iin);
		digits(r, d + 4, 11);
	} else {
		n = 15;
		d[0] = '3';
		d[1] = gen_chance(r, 50) ? '4' : '7';
		digits(r, d + 2, 12);
	}
	d[n - 1] = luhn_check(d, n - 1);
	d[n] = '\0';
	p->card_valid = !gen_chance(r, 4);
	if (!p->card_valid)
		d[n - 1] = (char)('0' + (d[n - 1] - '0' + 1 + gen_below(r, 9)) % 10);
	unsigned style = gen_below(r, 3);
	if (style == 0 || n == 15)
		snprintf(p->card, sizeof(p->card), "%s", d);
	else
		snprintf(p->card, sizeof(p->card), "%.4s%c%.4s%c%.4s%c%.4s", d, style == 1 ? '-' : ' ',
		         d + 4, style == 1 ? '-' : ' ', d + 8, style == 1 ? '-' : ' ', d + 12);
}

static void make_person(struct gen_rng *r, unsigned no, struct person *p)
{
	memset(p, 0, sizeof(*p));
	unsigned fi = gen_below(r, MM_GEN_N(g_family)), gi = gen_below(r, MM_GEN_N(g_given));
	unsigned sp = gen_below(r, 3);
	const char *sep = sp == 0 ? " " : sp == 1 ? "\xe3\x80\x80" : "";
	snprintf(p->name, sizeof(p->name), "%s%s%s", g_family[fi].k, sep, g_given[gi].k);
	snprintf(p->kana, sizeof(p->kana), "%s %s", g_family[fi].r, g_given[gi].r);
	snprintf(p->latin, sizeof(p->latin), "%s.%s", g_given[gi].latin, g_family_latin[fi]);
	p->anon = gen_chance(r, 5);
	/* look-alikes, present in every row */
	/* one RNG call per statement: argument evaluation order is unspecified
	 * (gcc and clang differ), the data must not be */
	unsigned od = 1 + gen_below(r, 28);
	unsigned om = 1 + gen_below(r, 12);
	snprintf(p->order, sizeof(p->order), "2026%02u%02u%04u", om, od, no % 10000);
	char t[16];
	digits(r, t, 12);
	snprintf(p->tracking, sizeof(p->tracking), "%.4s-%.4s-%.4s", t, t + 4, t + 8);
	char j[16] = "49";
	digits(r, j + 2, 10);
	j[12] = ean_check(j);
	j[13] = '\0';
	snprintf(p->jan, sizeof(p->jan), "%s", j);
	unsigned hh = gen_below(r, 24), mi = gen_below(r, 60), ss = gen_below(r, 60);
	snprintf(p->ts, sizeof(p->ts), "2026-11-%02u %02u:%02u:%02u", 1 + gen_below(r, 25), hh, mi,
	         ss);
	p->amount = 500 + gen_below(r, 50000);
	unsigned ni = gen_below(r, MM_GEN_N(g_notes));
	snprintf(p->note, sizeof(p->note), g_notes[ni], p->order);
	if (p->anon)
		return;
	/* birthday */
	int64_t day = gen_days_from_civil(1940, 1, 1) + gen_below(r, 365 * 65);
	unsigned m, d;
	gen_civil(day, &p->y, &m, &d);
	p->m = (int)m;
	p->d = (int)d;
	p->dob_fmt = gen_chance(r, 10) ? 0 : 1 + (int)gen_below(r, 4);
	if (p->dob_fmt == 3 && p->y < 1927)
		p->dob_fmt = 1; /* 昭和 only; earlier eras are rare among customers */
	/* address */
	unsigned ai = gen_below(r, MM_GEN_N(g_addr));
	char z4[8];
	digits(r, z4, 4);
	snprintf(p->zip, sizeof(p->zip), "%s-%s", g_addr[ai].zip3, z4);
	p->zip_mark = gen_chance(r, 20);
	unsigned b1 = 1 + gen_below(r, 9), b2 = 1 + gen_below(r, 20), b3 = 1 + gen_below(r, 30);
	unsigned bi = gen_below(r, MM_GEN_N(g_buildings));
	if (gen_chance(r, 25))
		snprintf(p->addr, sizeof(p->addr), "%s%s%s%u丁目%u番%u号%s", g_addr[ai].pref,
		         g_addr[ai].city, g_addr[ai].town, b1, b2, b3, g_buildings[bi]);
	else
		snprintf(p->addr, sizeof(p->addr), "%s%s%s%u-%u-%u%s", g_addr[ai].pref, g_addr[ai].city,
		         g_addr[ai].town, b1, b2, b3, g_buildings[bi]);
	if (gen_chance(r, 95))
		make_phone(r, g_addr[ai].area, p->phone, sizeof(p->phone));
	if (gen_chance(r, 90)) {
		unsigned dom = gen_below(r, MM_GEN_N(g_domains)), num = gen_below(r, 1000);
		snprintf(p->email, sizeof(p->email), "%s%u@%s", p->latin, num, g_domains[dom]);
	}
	if (gen_chance(r, 60)) {
		char dd[16];
		digits(r, dd, 11);
		if (dd[0] == '0')
			dd[0] = '1';
		dd[11] = mynum_check(dd);
		dd[12] = '\0';
		p->mynum_valid = !gen_chance(r, 5);
		if (!p->mynum_valid)
			dd[11] = (char)('0' + (dd[11] - '0' + 1 + gen_below(r, 9)) % 10);
		snprintf(p->mynum, sizeof(p->mynum), "%s", dd);
	}
	if (gen_chance(r, 50))
		make_card(r, p);
	if (gen_chance(r, 40)) {
		unsigned bk = gen_below(r, MM_GEN_N(g_banks)), br = gen_below(r, MM_GEN_N(g_branches));
		snprintf(p->bank, sizeof(p->bank), "%s", g_banks[bk]);
		snprintf(p->branch, sizeof(p->branch), "%s", g_branches[br]);
		digits(r, p->acct, 7);
	}
	if (gen_chance(r, 10)) {
		unsigned a = gen_below(r, 26), b = gen_below(r, 26);
		char dd[8];
		digits(r, dd, 7);
		snprintf(p->passport, sizeof(p->passport), "%c%c%s", 'A' + a, 'A' + b, dd);
	}
	if (gen_chance(r, 10)) {
		unsigned pc = 30 + gen_below(r, 33);
		p->licence[0] = (char)('0' + pc / 10);
		p->licence[1] = (char)('0' + pc % 10);
		digits(r, p->licence + 2, 10);
	}
}

static void fmt_dob(const struct person *p, char *out, size_t n)
{
	switch (p->dob_fmt) {
	case 1: snprintf(out, n, "%04d-%02d-%02d", p->y, p->m, p->d); break;
	case 2: snprintf(out, n, "%04d/%02d/%02d", p->y, p->m, p->d); break;
	case 3: {
		int ey = p->y - 1925;
		if (p->y > 1989 || (p->y == 1989 && (p->m > 1 || p->d >= 8)))
			snprintf(out, n, "平成%d年%d月%d日", p->y - 1988, p->m, p->d);
		else
			snprintf(out, n, "昭和%d年%d月%d日", ey, p->m, p->d);
		break;
	}
	case 4: snprintf(out, n, "%04d%02d%02d", p->y, p->m, p->d); break;
	default: out[0] = '\0';
	}
}

/* ---- truth ------------------------------------------------------------------ */

static FILE *g_truth;

static void truth(const char *file, unsigned long rec, const char *type, const char *v)
{
	if (v && v[0])
		fprintf(g_truth, "I\t%s\t%lu\t%s\t%s\n", file, rec, type, v);
}

/* the PII items of a person, in the order the columns hold them */
static unsigned person_truth(const char *file, unsigned long rec, const struct person *p,
                             bool kana)
{
	if (p->anon)
		return 0;
	char dob[48];
	fmt_dob(p, dob, sizeof(dob));
	truth(file, rec, "person_name", p->name);
	if (kana)
		truth(file, rec, "person_name", p->kana);
	truth(file, rec, "birth_date", dob);
	truth(file, rec, "postal_code_jp", p->zip);
	truth(file, rec, "address_jp", p->addr);
	truth(file, rec, "phone_jp", p->phone);
	truth(file, rec, "email", p->email);
	if (p->mynum_valid)
		truth(file, rec, "my_number", p->mynum);
	if (p->card_valid)
		truth(file, rec, "card_number", p->card);
	truth(file, rec, "bank_account_jp", p->acct);
	truth(file, rec, "passport_jp", p->passport);
	truth(file, rec, "driver_license_jp", p->licence);
	return 1;
}

/* ---- writers ------------------------------------------------------------------ */

static void csv_cell(FILE *f, const char *s, char sep)
{
	bool q = strchr(s, sep) || strchr(s, '"') || strchr(s, '\n');
	if (s[0] == '"') { /* a note already quoted */
		fputs(s, f);
		return;
	}
	if (q) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
}

static void write_table(FILE *f, const char *file, struct gen_rng *r, unsigned rows, char sep,
                        bool bom)
{
	static const char *const hdr[] = {
		"顧客番号", "氏名", "フリガナ", "生年月日", "郵便番号", "住所", "電話番号",
		"メールアドレス", "マイナンバー", "カード番号", "銀行名", "支店名", "口座番号",
		"旅券番号", "免許証番号", "注文番号", "伝票番号", "商品コード", "商品名", "金額",
		"最終注文日時", "備考"};
	unsigned long pii = 0;
	if (bom)
		fputs("\xef\xbb\xbf", f);
	for (size_t i = 0; i < MM_GEN_N(hdr); i++) {
		if (i)
			fputc(sep, f);
		fputs(hdr[i], f);
	}
	fputs("\r\n", f);
	for (unsigned i = 0; i < rows; i++) {
		struct person p;
		make_person(r, i, &p);
		unsigned pi = gen_below(r, MM_GEN_N(g_products));
		char dob[48], zip[24], id[16], amount[16];
		fmt_dob(&p, dob, sizeof(dob));
		snprintf(zip, sizeof(zip), "%s%s", p.zip[0] && p.zip_mark ? "〒" : "", p.zip);
		snprintf(id, sizeof(id), "C%06u", i + 1);
		snprintf(amount, sizeof(amount), "%u", p.amount);
		const char *cells[] = {id, p.anon ? "（削除済み）" : p.name, p.anon ? "" : p.kana, dob,
		                       zip, p.addr, p.phone, p.email, p.mynum, p.card, p.bank,
		                       p.branch, p.acct, p.passport, p.licence, p.order, p.tracking,
		                       p.jan, g_products[pi], amount, p.ts, p.note};
		for (size_t c = 0; c < MM_GEN_N(cells); c++) {
			if (c)
				fputc(sep, f);
			csv_cell(f, cells[c], sep);
		}
		fputs("\r\n", f);
		pii += person_truth(file, i + 1, &p, true);
	}
	fprintf(g_truth, "F\t%s\t%u\t%lu\n", file, rows, pii);
}

static void json_str(FILE *f, const char *k, const char *v, bool comma)
{
	fprintf(f, "%s\"%s\":\"", comma ? "," : "", k);
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			fputc('\\', f);
		if (*v == '\n') {
			fputs("\\n", f);
			continue;
		}
		fputc(*v, f);
	}
	fputc('"', f);
}

static void write_jsonl(FILE *f, const char *file, struct gen_rng *r, unsigned rows)
{
	unsigned long pii = 0;
	for (unsigned i = 0; i < rows; i++) {
		struct person p;
		make_person(r, 100000 + i, &p);
		char dob[48], id[16];
		fmt_dob(&p, dob, sizeof(dob));
		snprintf(id, sizeof(id), "C%06u", i + 1);
		fputc('{', f);
		json_str(f, "id", id, false);
		if (!p.anon) {
			json_str(f, "name", p.name, true);
			json_str(f, "name_kana", p.kana, true);
			json_str(f, "birthday", dob, true);
			json_str(f, "zip", p.zip, true);
			json_str(f, "address", p.addr, true);
			json_str(f, "tel", p.phone, true);
			json_str(f, "email", p.email, true);
			json_str(f, "my_number", p.mynum, true);
			json_str(f, "card_number", p.card, true);
			json_str(f, "account_number", p.acct, true);
			json_str(f, "passport", p.passport, true);
			json_str(f, "license_number", p.licence, true);
		} else {
			json_str(f, "status", "withdrawn", true);
		}
		json_str(f, "order_no", p.order, true);
		json_str(f, "tracking_no", p.tracking, true);
		json_str(f, "jan", p.jan, true);
		fprintf(f, ",\"amount\":%u", p.amount);
		json_str(f, "updated_at", p.ts, true);
		json_str(f, "note", p.note, true);
		fputs("}\n", f);
		pii += person_truth(file, i + 1, &p, true);
	}
	fprintf(g_truth, "F\t%s\t%u\t%lu\n", file, rows, pii);
}

static void sql_str(FILE *f, const char *v)
{
	if (!v[0]) {
		fputs("NULL", f);
		return;
	}
	fputc('\'', f);
	for (; *v; v++) {
		if (*v == '\'' || *v == '\\')
			fputc('\\', f);
		if (*v == '\n') {
			fputs("\\n", f);
			continue;
		}
		fputc(*v, f);
	}
	fputc('\'', f);
}

static void write_sql(FILE *f, const char *file, struct gen_rng *r, unsigned rows)
{
	unsigned long pii = 0;
	fputs("-- MySQL dump 10.13  Distrib 8.0.36\n"
	      "-- Host: db01    Database: shop\n"
	      "DROP TABLE IF EXISTS `customers`;\n"
	      "CREATE TABLE `customers` (\n"
	      "  `id` int NOT NULL,\n  `name` varchar(64),\n  `kana` varchar(64),\n"
	      "  `birth_date` varchar(32),\n  `zip` varchar(8),\n  `address` varchar(255),\n"
	      "  `tel` varchar(20),\n  `email` varchar(255),\n  `my_number` char(12),\n"
	      "  `card_no` varchar(20),\n  `order_no` varchar(20),\n  `updated_at` datetime,\n"
	      "  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
	      "LOCK TABLES `customers` WRITE;\n",
	      f);
	for (unsigned i = 0; i < rows; i++) {
		struct person p;
		make_person(r, 200000 + i, &p);
		char dob[48];
		fmt_dob(&p, dob, sizeof(dob));
		if (i % 100 == 0)
			fputs("INSERT INTO `customers` (`id`, `name`, `kana`, `birth_date`, `zip`, "
			      "`address`, `tel`, `email`, `my_number`, `card_no`, `order_no`, "
			      "`updated_at`) VALUES ",
			      f);
		else
			fputc(',', f);
		fprintf(f, "(%u,", i + 1);
		sql_str(f, p.anon ? "" : p.name);
		fputc(',', f);
		sql_str(f, p.anon ? "" : p.kana);
		fputc(',', f);
		sql_str(f, p.anon ? "" : dob);
		fputc(',', f);
		sql_str(f, p.anon ? "" : p.zip);
		fputc(',', f);
		sql_str(f, p.anon ? "" : p.addr);
		fputc(',', f);
		sql_str(f, p.anon ? "" : p.phone);
		fputc(',', f);
		sql_str(f, p.anon ? "" : p.email);
		fputc(',', f);
		sql_str(f, p.anon ? "" : p.mynum);
		fputc(',', f);
		sql_str(f, p.anon ? "" : p.card);
		fputc(',', f);
		sql_str(f, p.order);
		fputc(',', f);
		sql_str(f, p.ts);
		fputc(')', f);
		if (i % 100 == 99 || i + 1 == rows)
			fputs(";\n", f);
		/* the SQL table has no bank, passport or licence columns */
		p.acct[0] = p.passport[0] = p.licence[0] = '\0';
		pii += person_truth(file, i + 1, &p, true);
	}
	fputs("UNLOCK TABLES;\n", f);
	fprintf(g_truth, "F\t%s\t%u\t%lu\n", file, rows, pii);
}

/* Support-desk notes: one ticket per line, PII after labels. */
static void write_notes(FILE *f, const char *file, struct gen_rng *r, unsigned rows)
{
	unsigned long pii = 0;
	for (unsigned i = 0; i < rows; i++) {
		struct person p;
		make_person(r, 300000 + i, &p);
		unsigned kind = gen_below(r, 4);
		if (p.anon || kind == 0) {
			fprintf(f, "%s 問い合わせ #%u: 注文番号 %s の配送状況 (伝票 %s), 商品コード %s\n",
			        p.ts, i + 1, p.order, p.tracking, p.jan);
			continue;
		}
		fprintf(f, "%s 問い合わせ #%u: 氏名：%s、", p.ts, i + 1, p.name);
		truth(file, i + 1, "person_name", p.name);
		if (p.phone[0]) {
			fprintf(f, "電話 %s、", p.phone);
			truth(file, i + 1, "phone_jp", p.phone);
		}
		if (p.email[0]) {
			fprintf(f, "メール %s、", p.email);
			truth(file, i + 1, "email", p.email);
		}
		if (kind == 2) {
			fprintf(f, "住所 〒%s %s、", p.zip, p.addr);
			truth(file, i + 1, "postal_code_jp", p.zip);
			truth(file, i + 1, "address_jp", p.addr);
		}
		if (kind == 3 && p.mynum[0]) {
			fprintf(f, "マイナンバー %s を受領、", p.mynum);
			if (p.mynum_valid)
				truth(file, i + 1, "my_number", p.mynum);
		}
		if (kind == 3 && p.card[0]) {
			fprintf(f, "カード %s で決済、", p.card);
			if (p.card_valid)
				truth(file, i + 1, "card_number", p.card);
		}
		fprintf(f, "注文番号 %s\n", p.order);
		pii++;
	}
	fprintf(g_truth, "F\t%s\t%u\t%lu\n", file, rows, pii);
}

/* ISO 13616 check digits for country cc and BBAN b: 98 − (BBAN cc 00 mod 97),
 * letters as 10..35. */
static unsigned iban_check(const char *cc, const char *b)
{
	char t[64];
	snprintf(t, sizeof(t), "%s%s00", b, cc);
	unsigned rm = 0;
	for (const char *q = t; *q; q++) {
		if (*q >= '0' && *q <= '9')
			rm = (rm * 10 + (unsigned)(*q - '0')) % 97;
		else
			rm = (rm * 100 + (unsigned)(*q - 'A' + 10)) % 97;
	}
	return 98 - rm;
}

static char corp_check(const char *base12)
{
	unsigned sum = 0;
	for (unsigned k = 1; k <= 12; k++)
		sum += (unsigned)(base12[12 - k] - '0') * ((k & 1) ? 1 : 2);
	return (char)('0' + (9 - sum % 9));
}

/* Overseas contacts and suppliers: 法人番号, IBAN, US SSN, E.164 phones with
 * their labels, beside look-alikes (wrong check digits, never-issued SSN
 * areas, a +0 number, references). */
static void write_overseas(FILE *f, const char *file, struct gen_rng *r, unsigned rows)
{
	static const char *const firms[] = {"Acme Trading GmbH", "Northwind Ltd", "Contoso SARL",
	                                    "Fabrikam Inc", "Tailspin KK"};
	unsigned long pii = 0;
	for (unsigned i = 0; i < rows; i++) {
		unsigned kind = gen_below(r, 5);
		unsigned fi = gen_below(r, MM_GEN_N(firms));
		char a[40], b[40], c[40];
		bool any = false;
		fprintf(f, "#%u %s: ", i + 1, firms[fi]);
		if (kind == 0 || kind == 1) { /* supplier: 法人番号 + IBAN + phone */
			char base[16];
			digits(r, base + 1, 12);
			base[13] = '\0';
			base[0] = corp_check(base + 1);
			bool good = kind == 0;
			if (!good)
				base[0] = (char)('0' + (base[0] - '0' + 1) % 10);
			fprintf(f, "法人番号 %s, ", base);
			if (good)
				truth(file, i + 1, "corporate_number", base), any = true;
			char bban[32];
			digits(r, bban, 18); /* DE: 8-digit bank code + 10-digit account */
			unsigned ck = iban_check("DE", bban);
			unsigned grouped = gen_below(r, 2);
			if (!good)
				ck = (ck + 1) % 100;
			if (grouped)
				snprintf(a, sizeof(a), "DE%02u %.4s %.4s %.4s %.4s %.2s", ck, bban, bban + 4,
				         bban + 8, bban + 12, bban + 16);
			else
				snprintf(a, sizeof(a), "DE%02u%s", ck, bban);
			fprintf(f, "IBAN %s, ", a);
			if (good)
				truth(file, i + 1, "iban", a), any = true;
			unsigned x = gen_below(r, 10000);
			snprintf(b, sizeof(b), "+49 30 %04u %04u", 1000 + x % 9000, x);
			fprintf(f, "phone %s; ", b);
			truth(file, i + 1, "phone_e164", b), any = true;
		} else if (kind == 2 || kind == 3) { /* US contact: SSN + phone */
			unsigned area = 1 + gen_below(r, 898), grp = 1 + gen_below(r, 99);
			unsigned ser = 1 + gen_below(r, 9999);
			bool good = kind == 2;
			if (area == 666)
				area = 667;
			if (!good)
				area = 0;
			snprintf(a, sizeof(a), "%03u-%02u-%04u", area, grp, ser);
			fprintf(f, "SSN %s, ", a);
			if (good)
				truth(file, i + 1, "us_ssn", a), any = true;
			unsigned ex = 200 + gen_below(r, 799), ln = gen_below(r, 10000);
			snprintf(b, sizeof(b), "+1 415 %03u %04u", ex, ln);
			if (good) {
				fprintf(f, "tel %s; ", b);
				truth(file, i + 1, "phone_e164", b), any = true;
			} else {
				fprintf(f, "fax +0 415 %03u %04u; ", ex, ln);
			}
		} else { /* references only */
			unsigned y = gen_below(r, 10000);
			snprintf(c, sizeof(c), "INV-2026-%04u", y);
			fprintf(f, "invoice %s of 2026-11-%02u, 12,%03u.00 EUR, ref DE00 0000 0000 %04u; ",
			        c, 1 + y % 28, y % 1000, y);
		}
		fputs("see ticket\n", f);
		pii += any;
	}
	fprintf(g_truth, "F\t%s\t%u\t%lu\n", file, rows, pii);
}

/* Re-encode a UTF-8 file with iconv (the same bytes, another encoding). */
static int reencode(const char *src, const char *dst, const char *to, bool bom16)
{
	FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
	if (!in || !out) {
		if (in)
			fclose(in);
		if (out)
			fclose(out);
		return -1;
	}
	fseek(in, 0, SEEK_END);
	long n = ftell(in);
	fseek(in, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1), *ob = malloc((size_t)n * 4 + 16);
	if (!buf || !ob || fread(buf, 1, (size_t)n, in) != (size_t)n) {
		free(buf);
		free(ob);
		fclose(in);
		fclose(out);
		return -1;
	}
	char *ip = buf;
	size_t il = (size_t)n;
	if (il >= 3 && !memcmp(ip, "\xef\xbb\xbf", 3))
		ip += 3, il -= 3;
	iconv_t cd = iconv_open(to, "UTF-8");
	char *op = ob;
	size_t ol = (size_t)n * 4 + 16;
	int rc = 0;
	if (cd == (iconv_t)-1 || iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
		rc = -1;
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	if (bom16)
		fputs("\xff\xfe", out);
	fwrite(ob, 1, (size_t)(op - ob), out);
	free(buf);
	free(ob);
	fclose(in);
	fclose(out);
	return rc;
}

/* data/demo/dlp/: small, fixed, byte-for-byte reproducible */
static int demo(const char *dir)
{
	char path[1024], p2[1024];
	if (mkdir(dir, 0755) && errno != EEXIST) {
		perror(dir);
		return 1;
	}
	g_truth = fopen("/dev/null", "w");
	if (!g_truth)
		return 1;
	struct gen_rng r;
	gen_rng_seed(&r, 2026);
	snprintf(path, sizeof(path), "%s/.export.tmp", dir);
	FILE *f = fopen(path, "wb");
	if (!f)
		return 1;
	write_table(f, "x", &r, 120, ',', false);
	fclose(f);
	snprintf(p2, sizeof(p2), "%s/customers_2026-10_sjis.csv", dir);
	if (reencode(path, p2, "CP932", false))
		return 1;
	remove(path);
	gen_rng_seed(&r, 2027);
	snprintf(path, sizeof(path), "%s/shop_backup.sql", dir);
	if (!(f = fopen(path, "wb")))
		return 1;
	write_sql(f, "x", &r, 80);
	fclose(f);
	gen_rng_seed(&r, 2028);
	snprintf(path, sizeof(path), "%s/support_notes.txt", dir);
	if (!(f = fopen(path, "wb")))
		return 1;
	write_notes(f, "x", &r, 40);
	fclose(f);
	fclose(g_truth);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--demo"))
		return demo(argv[2]);
	if (argc < 2) {
		fprintf(stderr, "usage: mamori-gen-dlp OUTDIR [SEED] [ROWS] | --demo OUTDIR\n");
		return 2;
	}
	const char *dir = argv[1];
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 7;
	unsigned rows = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 5000;
	if (mkdir(dir, 0755) && errno != EEXIST) {
		perror(dir);
		return 1;
	}
	char path[1024], p2[1024];
	snprintf(path, sizeof(path), "%s/truth.tsv", dir);
	g_truth = fopen(path, "w");
	if (!g_truth) {
		perror(path);
		return 1;
	}
	struct {
		const char *name;
		int kind; /* 0 csv utf-8, 1 tsv, 2 jsonl, 3 sql, 4 notes, 5 overseas */
	} files[] = {{"customers.csv", 0}, {"customers_eucjp.tsv", 1}, {"customers.jsonl", 2},
	             {"shop_dump.sql", 3}, {"support_notes.txt", 4}, {"overseas_contacts.txt", 5}};
	struct gen_rng r;
	for (size_t i = 0; i < MM_GEN_N(files); i++) {
		gen_rng_seed(&r, seed * 1000 + i);
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		/* the TSV is written in UTF-8 first, then re-encoded */
		if (files[i].kind == 1)
			snprintf(path, sizeof(path), "%s/.tmp.tsv", dir);
		FILE *f = fopen(path, "wb");
		if (!f) {
			perror(path);
			return 1;
		}
		switch (files[i].kind) {
		case 0: write_table(f, files[i].name, &r, rows, ',', true); break;
		case 1: write_table(f, files[i].name, &r, rows / 2, '\t', false); break;
		case 2: write_jsonl(f, files[i].name, &r, rows); break;
		case 3: write_sql(f, files[i].name, &r, rows); break;
		case 4: write_notes(f, files[i].name, &r, rows); break;
		default: write_overseas(f, files[i].name, &r, rows / 5); break;
		}
		fclose(f);
		if (files[i].kind == 1) {
			snprintf(p2, sizeof(p2), "%s/%s", dir, files[i].name);
			if (reencode(path, p2, "EUC-JP-MS", false)) {
				fprintf(stderr, "mamori-gen-dlp: EUC-JP conversion failed\n");
				return 1;
			}
			remove(path);
		}
	}
	fclose(g_truth);
	/* the same CSV in Shift_JIS (CP932) and UTF-16LE: same truth, other names */
	snprintf(path, sizeof(path), "%s/customers.csv", dir);
	snprintf(p2, sizeof(p2), "%s/customers_sjis.csv", dir);
	if (reencode(path, p2, "CP932", false))
		return fprintf(stderr, "mamori-gen-dlp: CP932 conversion failed\n"), 1;
	snprintf(p2, sizeof(p2), "%s/customers_utf16.csv", dir);
	if (reencode(path, p2, "UTF-16LE", true))
		return fprintf(stderr, "mamori-gen-dlp: UTF-16 conversion failed\n"), 1;
	/* duplicate the truth of customers.csv for the two re-encoded copies */
	snprintf(path, sizeof(path), "%s/truth.tsv", dir);
	FILE *t = fopen(path, "r");
	snprintf(p2, sizeof(p2), "%s/truth.tsv.tmp", dir);
	FILE *o = fopen(p2, "w");
	if (!t || !o)
		return 1;
	char line[2048];
	const char *copies[] = {"customers_sjis.csv", "customers_utf16.csv"};
	/* original lines first, then each copy */
	while (fgets(line, sizeof(line), t))
		fputs(line, o);
	for (size_t c = 0; c < 2; c++) {
		rewind(t);
		while (fgets(line, sizeof(line), t)) {
			char *a = strchr(line, '\t');
			if (!a || strncmp(a + 1, "customers.csv\t", 14))
				continue;
			fwrite(line, 1, (size_t)(a + 1 - line), o);
			fputs(copies[c], o);
			fputs(a + 1 + 13, o);
		}
	}
	fclose(t);
	fclose(o);
	snprintf(path, sizeof(path), "%s/truth.tsv", dir);
	rename(p2, path);
	return 0;
}
