/* mamori — DLP context words: the labels (氏名, 住所, 電話, 生年月日, マイナンバー,
 * card, e-mail…) that raise a candidate's confidence, the words that lower
 * it (注文番号, 伝票番号, tracking, SKU…), and the classifier for header cells,
 * JSON keys and SQL column names. Pipeline position: detect (confidence). */
#define _GNU_SOURCE /* memmem */
#include "dlp_int.h"

#include <string.h>

/* Inline labels, found by the same Hyperscan database as the shapes (as
 * literals: shapes.c). Each entry lists its words separated by '|'; "\\b"
 * before or after a word is a word boundary (ASCII letters, digits and '_'
 * are word characters, as in Hyperscan without UCP). Until 2026-11 these
 * were Hyperscan regexes ("e-?mail", "\\b(?:order|…)"); the word lists say
 * the same (tests/unit/dlp/test_shapes.c compares both on generated data). */
const struct mm__dlp_label mm__dlp_labels[] = {
	{"氏名|お名前|名前|フリガナ|ふりがな|契約者|顧客名", MM_CTX_NAME, false},
	{"住所|所在地", MM_CTX_ADDRESS, false},
	{"\\baddress\\b", MM_CTX_ADDRESS, true},
	{"電話|携帯|連絡先|ＴＥＬ|TEL|FAX", MM_CTX_PHONE, false},
	{"\\bphone|\\btel|\\bmobile|\\bfax", MM_CTX_PHONE, true},
	{"郵便番号|\\bzip|\\bpostal|\\bpostcode", MM_CTX_POSTAL, true},
	{"メール|email|e-mail", MM_CTX_EMAIL, true},
	{"生年月日|誕生日|\\bbirth|\\bdob\\b|\\bdate of birth", MM_CTX_DOB, true},
	{"マイナンバー|個人番号|mynumber|my_number|individual number", MM_CTX_MYNUMBER, true},
	{"法人番号|corporate number", MM_CTX_CORP, true},
	{"カード|クレジット|\\bcard|\\bcredit|\\bvisa|\\bmastercard|\\bamex|\\bjcb", MM_CTX_CARD,
	 true},
	{"口座|普通預金|当座|支店|銀行|\\baccount|\\bbank", MM_CTX_BANK, true},
	{"旅券|パスポート|\\bpassport", MM_CTX_PASSPORT, true},
	{"免許|\\blicence|\\blicense", MM_CTX_LICENSE, true},
	{"\\bssn|\\bsocial security", MM_CTX_SSN, true},
	/* the four spellings of "inquiry number" (送り仮名 い and わ optional) */
	{"注文|伝票|追跡|問い合わせ番号|問合わせ番号|問い合せ番号|問合せ番号|受付番号|会員番号|品番|"
	 "商品|型番|請求|\\border|\\btracking|\\bsku|\\bjan\\b|\\binvoice|\\bitem|\\bproduct|"
	 "\\bserial|\\bticket",
	 MM_CTX_NEG, true},
};
const size_t mm__dlp_nlabels = MM_ARRAY_LEN(mm__dlp_labels);

/* Header words, tried in this order: strong words first (a 注文者氏名 column
 * holds names), then words that mark a non-personal column (商品名, product
 * name), then the weaker English words, then non-personal identifiers. */
static const struct {
	const char *w;
	enum mm__dlp_ctx ctx;
} g_words[] = {
	{"法人番号", MM_CTX_CORP},      {"マイナンバー", MM_CTX_MYNUMBER}, {"個人番号", MM_CTX_MYNUMBER},
	{"生年月日", MM_CTX_DOB},        {"誕生日", MM_CTX_DOB},            {"郵便番号", MM_CTX_POSTAL},
	{"〒", MM_CTX_POSTAL},           {"電話", MM_CTX_PHONE},            {"携帯", MM_CTX_PHONE},
	{"口座", MM_CTX_BANK},           {"旅券", MM_CTX_PASSPORT},         {"パスポート", MM_CTX_PASSPORT},
	{"免許", MM_CTX_LICENSE},        {"カード番号", MM_CTX_CARD},       {"クレジット", MM_CTX_CARD},
	{"氏名", MM_CTX_NAME},           {"お名前", MM_CTX_NAME},           {"名前", MM_CTX_NAME},
	{"フリガナ", MM_CTX_NAME},       {"ふりがな", MM_CTX_NAME},         {"顧客名", MM_CTX_NAME},
	{"契約者名", MM_CTX_NAME},       {"住所", MM_CTX_ADDRESS},          {"所在地", MM_CTX_ADDRESS},
	{"メール", MM_CTX_EMAIL},
	/* non-personal columns whose names contain personal words */
	{"商品", MM_CTX_NEG},            {"品名", MM_CTX_NEG},              {"会社", MM_CTX_NEG},
	{"店舗", MM_CTX_NEG},            {"product", MM_CTX_NEG},           {"item", MM_CTX_NEG},
	{"company", MM_CTX_NEG},         {"file", MM_CTX_NEG},              {"shop", MM_CTX_NEG},
	{"store", MM_CTX_NEG},           {"user", MM_CTX_NEG},              {"host", MM_CTX_NEG},
	/* English */
	{"mynumber", MM_CTX_MYNUMBER},   {"my_number", MM_CTX_MYNUMBER},    {"individual", MM_CTX_MYNUMBER},
	{"corporate", MM_CTX_CORP},      {"birth", MM_CTX_DOB},             {"dob", MM_CTX_DOB},
	{"zip", MM_CTX_POSTAL},          {"postal", MM_CTX_POSTAL},         {"postcode", MM_CTX_POSTAL},
	{"phone", MM_CTX_PHONE},         {"tel", MM_CTX_PHONE},             {"mobile", MM_CTX_PHONE},
	{"fax", MM_CTX_PHONE},           {"mail", MM_CTX_EMAIL},            {"address", MM_CTX_ADDRESS},
	{"addr", MM_CTX_ADDRESS},        {"passport", MM_CTX_PASSPORT},     {"licen", MM_CTX_LICENSE},
	{"ssn", MM_CTX_SSN},             {"social", MM_CTX_SSN},            {"iban", MM_CTX_BANK},
	{"account", MM_CTX_BANK},        {"bank", MM_CTX_BANK},             {"card", MM_CTX_CARD},
	{"credit", MM_CTX_CARD},         {"ccnumber", MM_CTX_CARD},         {"name", MM_CTX_NAME},
	{"kana", MM_CTX_NAME},
	/* identifiers and times that are not personal data */
	{"注文", MM_CTX_NEG},            {"伝票", MM_CTX_NEG},              {"追跡", MM_CTX_NEG},
	{"問合", MM_CTX_NEG},            {"問い合わせ", MM_CTX_NEG},        {"受付", MM_CTX_NEG},
	{"会員番号", MM_CTX_NEG},        {"品番", MM_CTX_NEG},              {"型番", MM_CTX_NEG},
	{"請求", MM_CTX_NEG},            {"日時", MM_CTX_NEG},              {"登録日", MM_CTX_NEG},
	{"更新", MM_CTX_NEG},            {"作成", MM_CTX_NEG},              {"金額", MM_CTX_NEG},
	{"order", MM_CTX_NEG},           {"tracking", MM_CTX_NEG},          {"sku", MM_CTX_NEG},
	{"jan", MM_CTX_NEG},             {"invoice", MM_CTX_NEG},           {"serial", MM_CTX_NEG},
	{"created", MM_CTX_NEG},         {"updated", MM_CTX_NEG},           {"time", MM_CTX_NEG},
	{"date", MM_CTX_NEG},            {"_id", MM_CTX_NEG},               {"price", MM_CTX_NEG},
	{"amount", MM_CTX_NEG},
};

enum mm__dlp_ctx mm__dlp_classify(const char *s, size_t n)
{
	char low[128];
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < sizeof(low); i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c == ' ' || c == '-')
			c = '_';
		low[k++] = c;
	}
	low[k] = '\0';
	/* "customer_name" and "name" but not "username" etc.: user/host/file are
	 * tried before name */
	for (size_t i = 0; i < MM_ARRAY_LEN(g_words); i++)
		if (memmem(low, k, g_words[i].w, strlen(g_words[i].w)))
			return g_words[i].ctx;
	return MM_CTX_NONE;
}
