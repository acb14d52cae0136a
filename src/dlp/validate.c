/* mamori — DLP validators and masking: the check digits and structures that
 * turn a candidate shape into personal data (マイナンバー and 法人番号 check
 * digits, Luhn with IIN ranges, ISO 13616 IBAN mod 97, Japanese numbering
 * plan for phones), and the masked rendering that is the only form in which
 * a value leaves src/dlp/. Pipeline position: candidates → validate → findings. */
#define _GNU_SOURCE /* memmem */
#include "mamori/dlp.h"

#include <string.h>

static const struct {
	const char *id, *loss;
} g_types[] = {
#define X(e, id, f) {id, f},
	MM_DLP_TYPES(X)
#undef X
};

const char *mm_dlp_type_id(enum mm_dlp_type t)
{
	return (unsigned)t < MM_DLP__TYPES ? g_types[t].id : "?";
}

const char *mm_dlp_type_loss_field(enum mm_dlp_type t)
{
	return (unsigned)t < MM_DLP__TYPES ? g_types[t].loss : NULL;
}

int mm_dlp_type_parse(const char *id, size_t n, enum mm_dlp_type *out)
{
	for (size_t i = 0; i < MM_DLP__TYPES; i++)
		if (strlen(g_types[i].id) == n && !memcmp(g_types[i].id, id, n)) {
			*out = (enum mm_dlp_type)i;
			return MM_OK;
		}
	return MM_ENOENT;
}

int mm_dlp_types_parse(const char *list, unsigned *mask, struct mm_error *err)
{
	*mask = 0;
	const char *p = list;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		while (n && *p == ' ')
			p++, n--;
		while (n && p[n - 1] == ' ')
			n--;
		if (n) {
			enum mm_dlp_type t;
			if (mm_dlp_type_parse(p, n, &t))
				return mm_error_set(err, MM_ENOENT, "", 0, 0,
				                    "unknown PII type '%.*s': 'mamori dlp --help' lists "
				                    "the types",
				                    (int)n, p);
			*mask |= 1u << t;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return MM_OK;
}

static bool all_digits(const char *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (d[i] < '0' || d[i] > '9')
			return false;
	return n > 0;
}

/* 行政手続における特定の個人を識別するための番号の利用等に関する法律施行令
 * 第8条 (the check digit of the Individual Number): with Pn the n-th digit
 * counted from the right of the first eleven and Qn = n+1 (n ≤ 6) or n−5
 * (n ≥ 7), check = 11 − (Σ Pn·Qn mod 11), or 0 when the remainder is ≤ 1. */
bool mm_dlp_my_number_valid(const char *d, size_t n)
{
	if (n != 12 || !all_digits(d, n))
		return false;
	unsigned sum = 0;
	for (unsigned k = 1; k <= 11; k++) {
		unsigned pn = (unsigned)(d[11 - k] - '0');
		unsigned qn = k <= 6 ? k + 1 : k - 5;
		sum += pn * qn;
	}
	unsigned r = sum % 11, cd = r <= 1 ? 0 : 11 - r;
	return cd == (unsigned)(d[11] - '0');
}

/* 法人番号の指定等に関する省令 第2条: the first digit is the check digit of
 * the twelve base digits: 9 − (Σ Pn·Qn mod 9), Pn the n-th base digit from
 * the right, Qn = 1 for odd n and 2 for even n. */
bool mm_dlp_corporate_number_valid(const char *d, size_t n)
{
	if (n != 13 || !all_digits(d, n))
		return false;
	unsigned sum = 0;
	for (unsigned k = 1; k <= 12; k++) {
		unsigned pn = (unsigned)(d[13 - k] - '0');
		sum += pn * ((k & 1) ? 1 : 2);
	}
	return 9 - sum % 9 == (unsigned)(d[0] - '0');
}

/* ISO/IEC 7812-1 Luhn. */
bool mm_dlp_luhn_valid(const char *d, size_t n)
{
	if (n < 2 || !all_digits(d, n))
		return false;
	unsigned sum = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned v = (unsigned)(d[n - 1 - i] - '0');
		if (i & 1) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	return sum % 10 == 0;
}

static unsigned prefix(const char *d, size_t k)
{
	unsigned v = 0;
	for (size_t i = 0; i < k; i++)
		v = v * 10 + (unsigned)(d[i] - '0');
	return v;
}

/* IIN ranges and lengths as the brands publish them. Visa's old 13-digit
 * numbers are left out on purpose: 13 digits starting with 4 are far more
 * often JAN/EAN-13 product codes (45…, 49…) than live cards. */
const char *mm_dlp_card_brand(const char *d, size_t n)
{
	if (n < 14 || n > 19 || !all_digits(d, n))
		return NULL;
	unsigned p2 = prefix(d, 2), p3 = prefix(d, 3), p4 = prefix(d, 4), p6 = prefix(d, 6);
	if (d[0] == '4' && (n == 16 || n == 19))
		return "visa";
	if (n == 16 && ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)))
		return "mastercard";
	if (n == 15 && (p2 == 34 || p2 == 37))
		return "amex";
	if (p4 >= 3528 && p4 <= 3589 && n >= 16)
		return "jcb";
	if ((n == 14 || n == 16) && ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39))
		return "diners";
	if (n >= 16 && (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 ||
	                (p6 >= 622126 && p6 <= 622925)))
		return "discover";
	if (n >= 16 && p2 == 62)
		return "unionpay";
	return NULL;
}

/* IBAN lengths per country (SWIFT IBAN registry). */
static const struct {
	char cc[3];
	unsigned char len;
} g_iban[] = {
	{"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
	{"BG", 22}, {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28},
	{"CZ", 24}, {"DE", 22}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24},
	{"FI", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18},
	{"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23},
	{"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32},
	{"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24}, {"ME", 22},
	{"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24},
	{"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24},
	{"SC", 31}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28},
	{"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
};

static int iban_len(const char *s)
{
	for (size_t i = 0; i < MM_ARRAY_LEN(g_iban); i++)
		if (g_iban[i].cc[0] == s[0] && g_iban[i].cc[1] == s[1])
			return g_iban[i].len;
	return 0;
}

/* ISO 13616-1: move the first four characters to the end, letters to
 * 10..35, the number mod 97 must be 1 (computed piecewise). */
bool mm_dlp_iban_valid(const char *s, size_t n)
{
	if (n < 15 || n > 34 || (size_t)iban_len(s) != n)
		return false;
	if (!(s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9'))
		return false;
	unsigned r = 0;
	for (size_t k = 0; k < n; k++) {
		char c = s[(k + 4) % n];
		if (c >= '0' && c <= '9')
			r = (r * 10 + (unsigned)(c - '0')) % 97;
		else if (c >= 'A' && c <= 'Z')
			r = (r * 100 + (unsigned)(c - 'A' + 10)) % 97;
		else
			return false;
	}
	return r == 1;
}

/* The Japanese numbering plan (総務省 電気通信番号計画): fixed lines are ten
 * digits 0AB…J with the area code 2–5 digits (and area+local = 6 digits);
 * 070/080/090 mobile, 020 M2M and 050 IP phone are eleven digits written
 * 3-4-4; 0120 toll-free and 0570 navi dial are ten (4-3-3 or 4-2-4), 0800
 * toll-free eleven (4-3-4). */
int mm_dlp_phone_jp_kind(const char *d, size_t n, const unsigned *g, size_t ng)
{
	if (!all_digits(d, n) || d[0] != '0' || d[1] == '0')
		return 0;
	if (ng != 1 && ng != 3)
		return 0;
	bool split = ng == 3;
	if (n == 11) {
		/* 0800 is toll-free as 0800-xxx-xxxx, but 080-0xxx-xxxx is a mobile */
		if (!memcmp(d, "0800", 4) && (!split || (g[0] == 4 && g[1] == 3 && g[2] == 4)))
			return 4;
		if ((d[1] == '7' || d[1] == '8' || d[1] == '9' || d[1] == '2') && d[2] == '0') {
			if (split && !(g[0] == 3 && g[1] == 4 && g[2] == 4))
				return 0;
			return 2;
		}
		if (d[1] == '5' && d[2] == '0') {
			if (split && !(g[0] == 3 && g[1] == 4 && g[2] == 4))
				return 0;
			return 3;
		}
		return 0;
	}
	if (n != 10)
		return 0;
	if (!memcmp(d, "0120", 4) || !memcmp(d, "0570", 4)) {
		if (split && !(g[0] == 4 && ((g[1] == 3 && g[2] == 3) || (g[1] == 2 && g[2] == 4))))
			return 0;
		return 4;
	}
	/* ten digits starting 070/080/090/050/020/0800 are not assigned */
	if ((d[2] == '0' && (d[1] == '7' || d[1] == '8' || d[1] == '9' || d[1] == '5' ||
	                     d[1] == '2')))
		return 0;
	if (split && !(g[0] >= 2 && g[0] <= 5 && g[2] == 4 && g[0] + g[1] == 6))
		return 0;
	return 1;
}

/* ---- masking -------------------------------------------------------------- */

static size_t put(char *out, size_t n, size_t o, const char *s, size_t k)
{
	if (o + k + 1 > n)
		return o;
	memcpy(out + o, s, k);
	out[o + k] = '\0';
	return o + k;
}

/* UTF-8 character length at p (1 for invalid bytes). */
static size_t u8len(const char *p, size_t n)
{
	size_t l = mm_utf8_seq_len((const unsigned char *)p, n);
	return l ? l : 1;
}

/* Keep the last `keep` alphanumerics (and leading letters when keep_alpha_lead,
 * for an IBAN's country), replace the other alphanumerics with '*', keep
 * separators. Non-ASCII bytes are dropped. */
static void mask_tail(const char *v, size_t vn, size_t keep, size_t lead, char *out, size_t n)
{
	size_t total = 0, o = 0;
	for (size_t i = 0; i < vn; i++) {
		char c = v[i];
		if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
			total++;
	}
	size_t seen = 0;
	out[0] = '\0';
	for (size_t i = 0; i < vn; i++) {
		char c = v[i];
		bool an = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
		if ((unsigned char)c >= 0x80)
			continue;
		if (an) {
			seen++;
			if (seen > lead && seen + keep <= total)
				c = '*';
		}
		o = put(out, n, o, &c, 1);
	}
}

void mm_dlp_mask(enum mm_dlp_type t, const char *v, size_t vn, char *out, size_t n)
{
	size_t o = 0;
	if (!n)
		return;
	out[0] = '\0';
	switch (t) {
	case MM_DLP_EMAIL: {
		const char *at = memchr(v, '@', vn);
		if (!at || at == v) {
			put(out, n, 0, "***", 3);
			return;
		}
		o = put(out, n, 0, v, 1);
		o = put(out, n, o, "***", 3);
		/* the domain stays, but not its digits (a number can hide there) */
		for (const char *q = at; q < v + vn; q++)
			o = put(out, n, o, (*q >= '0' && *q <= '9') ? "*" : q, 1);
		return;
	}
	case MM_DLP_NAME: {
		size_t l = u8len(v, vn), chars = 0;
		for (size_t i = l; i < vn; i += u8len(v + i, vn - i))
			chars++;
		o = put(out, n, 0, v, MM_MIN(l, vn));
		for (size_t i = 0; i < chars && i < 12; i++)
			o = put(out, n, o, "*", 1);
		return;
	}
	case MM_DLP_ADDRESS_JP: {
		/* prefecture + the first municipality (…市/区/町/村/郡) */
		static const char *const suf[] = {"市", "区", "町", "村", "郡"};
		size_t cut = 0, chars = 0;
		for (size_t i = 0; i < vn && chars < 16; chars++) {
			size_t l = u8len(v + i, vn - i);
			i += l;
			if (chars >= 3 && l == 3) {
				for (size_t k = 0; k < MM_ARRAY_LEN(suf); k++)
					if (!memcmp(v + i - 3, suf[k], 3)) {
						cut = i;
						break;
					}
			}
			if (cut)
				break;
		}
		if (!cut)
			cut = MM_MIN(vn, 9);
		o = put(out, n, 0, v, cut);
		put(out, n, o, "***", 3);
		return;
	}
	case MM_DLP_BIRTH_DATE: {
		/* the year stays: the digits before 年 (era dates: 昭和60年), else
		 * the first four */
		const char *nen = memmem(v, vn, "年", 3);
		size_t digits = 0;
		for (size_t i = 0; i < vn;) {
			size_t l = u8len(v + i, vn - i);
			char c = v[i];
			if (c >= '0' && c <= '9') {
				digits++;
				bool year = nen ? v + i < nen : digits <= 4;
				o = put(out, n, o, year ? &c : "*", 1);
			} else {
				o = put(out, n, o, v + i, l);
			}
			i += l;
		}
		return;
	}
	case MM_DLP_POSTAL_JP:
		mask_tail(v, vn, 2, 0, out, n);
		return;
	case MM_DLP_IBAN:
		mask_tail(v, vn, 4, 2, out, n);
		return;
	case MM_DLP_PHONE_JP:
	case MM_DLP_PHONE_INTL:
	case MM_DLP_PASSPORT:
	case MM_DLP_BANK_ACCOUNT:
		mask_tail(v, vn, 3, 0, out, n);
		return;
	default:
		mask_tail(v, vn, 4, 0, out, n);
		return;
	}
}
