/* mamori — DLP candidates: the SSE2 digit-run scanner, the context of a
 * value (nearest label, cell, column header, JSON key) and the validators
 * that turn a candidate into a finding (numbers, 〒, e-mail, IBAN, passport,
 * dates, names after labels or under headers, addresses from a prefecture).
 * Pipeline position: candidates → validate → findings (scan.c counts). */
#define _GNU_SOURCE /* memmem */
#include "scan_int.h"

#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define DLP_AVX2 1 /* a 32-byte variant of the digit scanner's masks, chosen at run time */
#include <immintrin.h>
#endif

const char *const mm__dlp_prefs[47] = {
	"北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県",
	"栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県",
	"石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
	"滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県",
	"岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
	"佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
};

/* byte lengths of mm__dlp_prefs: 9, or 12 for 神奈川県, 和歌山県, 鹿児島県 */
const unsigned char mm__dlp_pref_len[47] = {
	9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 12, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
	9, 9, 9, 9, 9, 12, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 12, 9,
};

/* p[0..3) == w[0..3): a UTF-8 kana or kanji; memcmp would be a call in
 * the address and name loops that run per character. */
static inline bool eq3(const char *p, const char *w)
{
	return p[0] == w[0] && p[1] == w[1] && p[2] == w[2];
}

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

/* Separator and quote of record r's cells: ',' and '"' (CSV), '\t' (TSV),
 * ',' and '\'' in SQL tuples, '\t' and none in SQL COPY rows. */
static void cell_syntax(const struct mm_dlp_file *f, const struct rec *r, char *sep, char *q)
{
	*sep = f->fmt == MM_DLP_FMT_TSV ? '\t' : ',';
	*q = f->fmt == MM_DLP_FMT_SQL ? '\'' : '"';
	if (f->fmt == MM_DLP_FMT_SQL && r->cs >= 0 && f->sets[r->cs].table[0] == '\t')
		*sep = '\t', *q = 0; /* COPY rows */
}

/* Field index of region offset pos inside record r by walking from the
 * cached point (or the record start): the fallback for records of more than
 * MAX_CELLS fields. */
static int field_walk(struct mm_dlp_file *f, const struct rec *r, uint32_t pos, uint32_t *fstart)
{
	const char *p = f->region;
	char sep, q;
	cell_syntax(f, r, &sep, &q);
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

/* The cell starts of record r into f->cells, one walk over the record: a
 * dense export has ten candidates or more per record, each of which would
 * otherwise walk (part of) the record again. The separators, quotes and
 * (SQL) backslashes of 16 bytes at a time come as bit masks (SSE2); a block
 * without quotes or backslashes outside quotes takes every separator.
 * Locals rather than f's fields in the loop: the stores into the cell array
 * would otherwise make the compiler reload them. */
static void build_cells(struct mm_dlp_file *f, const struct rec *r)
{
	const char *p = f->region;
	char sep, q;
	cell_syntax(f, r, &sep, &q);
	char bs = q == '\'' ? '\\' : sep, qq = q ? q : sep;
	f->cells_rec = r;
	f->cells_cur = 0;
	f->cells_over = false;
	if (!f->capcells) {
		f->capcells = 64;
		f->cells = mm_malloc(f->capcells * sizeof(*f->cells));
	}
	uint32_t *cells = f->cells;
	size_t nc = 0, cap = f->capcells;
	const uint32_t re = r->e;
	cells[nc++] = r->s;
	bool inq = false;
	uint32_t skip = 0; /* a backslash escapes the byte after it */
	uint32_t base = r->s;
#ifdef __SSE2__
	const __m128i vs = _mm_set1_epi8(sep), vq = _mm_set1_epi8(qq), vb = _mm_set1_epi8(bs);
	const bool has_q = q != 0, has_bs = q == '\'';
#endif
	while (base < re) {
		unsigned m = 0, w = MM_MIN(16u, re - base);
#ifdef __SSE2__
		if (w == 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(p + base));
			unsigned ms = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vs));
			/* quotes, and backslashes in SQL (qq and bs stand in for
			 * the separator when there are none) */
			unsigned mq = (has_q ? (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vq)) : 0) |
			              (has_bs ? (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vb)) : 0);
			if (!mq && !inq && skip <= base && nc + 16 <= cap) {
				for (; ms; ms &= ms - 1)
					cells[nc++] = base + (uint32_t)__builtin_ctz(ms) + 1;
				base += 16;
				continue;
			}
			m = ms | mq;
		} else
#endif
			for (unsigned k = 0; k < w; k++) {
				char c = p[base + k];
				if (c == sep || c == qq || c == bs)
					m |= 1u << k;
			}
		while (m) {
			uint32_t i = base + (uint32_t)__builtin_ctz(m);
			m &= m - 1;
			if (i < skip)
				continue;
			char c = p[i];
			if (inq && q == '\'' && c == '\\')
				skip = i + 2; /* MySQL's backslash escape */
			else if (q && c == q)
				inq = !inq;
			else if (!inq && c == sep) {
				if (nc == cap) {
					if (cap >= MAX_CELLS) {
						f->cells_over = true;
						f->ncells = nc;
						return;
					}
					cap *= 2;
					cells = mm_realloc(cells, cap * sizeof(*cells));
					f->cells = cells;
					f->capcells = cap;
				}
				cells[nc++] = i + 1;
			}
		}
		base += w;
	}
	f->ncells = nc;
}

/* Field index of region offset pos inside record r (CSV/TSV/SQL tuple), and
 * the offset where that field starts: the last field starting at or before
 * pos. Values in a record arrive in order of their end, mostly of their
 * start too, so the lookup moves a cursor a step or two. */
static int field_at(struct mm_dlp_file *f, const struct rec *r, uint32_t pos, uint32_t *fstart)
{
	if (f->cells_rec != r)
		build_cells(f, r);
	if (f->cells_over)
		return field_walk(f, r, pos, fstart);
	const uint32_t *c = f->cells;
	size_t k = f->cells_cur, n = f->ncells;
	while (k + 1 < n && c[k + 1] <= pos)
		k++;
	while (k > 0 && c[k] > pos)
		k--;
	f->cells_cur = k;
	*fstart = c[k];
	return (int)k;
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
	return mm__dlp_column_id(f, p + i, ke - i);
}

static struct ctxinfo context_for(struct mm_dlp_file *f, const struct rec *r, uint32_t vs)
{
	struct ctxinfo ci = {MM_CTX_NONE, -1};
	uint32_t lo = vs > r->s + LABEL_WINDOW ? vs - LABEL_WINDOW : r->s;
	if (f->fmt == MM_DLP_FMT_JSONL || f->fmt == MM_DLP_FMT_JSON) {
		ci.col = json_key_col(f, r, vs);
	} else if (r->cs >= 0) {
		uint32_t fs;
		int idx = field_at(f, r, vs, &fs);
		ci.col = mm__dlp_colset_col(f, r->cs, idx);
		if (fs > lo)
			lo = fs; /* a label in another cell says nothing about this one */
	}
	/* a label speaks for the next value only: not across an earlier finding */
	if (f->consumed > lo && f->consumed <= vs)
		lo = f->consumed;
	/* the nearest label before the value wins (the latest of equal ends);
	 * labels are kept in order of their end, so look from the newest */
	for (size_t i = f->nlabels; i-- > 0;)
		if (f->labels[i].end <= vs) {
			if (f->labels[i].end >= lo)
				ci.ctx = (enum mm__dlp_ctx)f->labels[i].ctx;
			break;
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
				mm__dlp_emit(f, r, &ci, MM_DLP_PHONE_JP, 80, v, vn);
				return;
			}
		}
		if (n >= 8 && n <= 15 && d[0] != '0') {
			mm__dlp_emit(f, r, &ci, MM_DLP_PHONE_INTL, 70, v, vn);
			return;
		}
		f->r.rejected++;
		return;
	}
	/* dates: 1985-04-12 */
	if (ng == 3 && sep == '-' && g[0] == 4 && g[1] <= 2 && g[2] <= 2) {
		int y = num(d, 4), mo = num(d + 4, g[1]), da = num(d + 4 + g[1], g[2]);
		if (y >= 1900 && y <= 2099 && valid_date(y, mo, da)) {
			mm__dlp_emit(f, r, &ci, MM_DLP_BIRTH_DATE, 20, v, vn);
			return;
		}
	}
	if (n == 8 && ng == 1 && ci.ctx == MM_CTX_DOB) {
		int y = num(d, 4);
		if (y >= 1900 && y <= 2099 && valid_date(y, num(d + 4, 2), num(d + 6, 2))) {
			mm__dlp_emit(f, r, &ci, MM_DLP_BIRTH_DATE, 20, v, vn);
			return;
		}
	}
	if (n == 12 && (ng == 1 || (ng == 3 && g[0] == 4 && g[1] == 4))) {
		if (ci.ctx == MM_CTX_LICENSE) {
			int pc = num(d, 2); /* 公安委員会 code */
			if (pc >= 10 && pc <= 97) {
				mm__dlp_emit(f, r, &ci, MM_DLP_DRIVER_LICENSE, 0, v, vn);
				return;
			}
		}
		bool ok = mm_dlp_my_number_valid(d, n);
		mm__dlp_stat_shape(f, ci.col, MM_DLP_MY_NUMBER, ok);
		if (ok) {
			mm__dlp_emit(f, r, &ci, MM_DLP_MY_NUMBER, looks_like_timestamp12(d) ? 20 : 45, v, vn);
			return;
		}
	}
	if (n == 13 && (ng == 1 || (ng == 4 && g[0] == 1))) {
		bool ok = mm_dlp_corporate_number_valid(d, n);
		mm__dlp_stat_shape(f, ci.col, MM_DLP_CORPORATE_NUMBER, ok);
		if (ok) {
			mm__dlp_emit(f, r, &ci, MM_DLP_CORPORATE_NUMBER, 40, v, vn);
			return;
		}
	}
	if (n >= 14 && n <= 19 && card_groups(g, ng, n) && mm_dlp_card_brand(d, n)) {
		bool ok = mm_dlp_luhn_valid(d, n);
		mm__dlp_stat_shape(f, ci.col, MM_DLP_CARD, ok);
		if (ok) {
			mm__dlp_emit(f, r, &ci, MM_DLP_CARD, 80, v, vn);
			return;
		}
	}
	if ((n == 10 || n == 11) && d[0] == '0') {
		int kind = mm_dlp_phone_jp_kind(d, n, g, ng);
		mm__dlp_stat_shape(f, ci.col, MM_DLP_PHONE_JP, kind > 0);
		if (kind) {
			int base = ng == 3 ? 80 : kind == 2 || kind == 4 ? 70 : 55;
			mm__dlp_emit(f, r, &ci, MM_DLP_PHONE_JP, base, v, vn);
			return;
		}
	}
	if (n == 7) {
		if (ng == 2 && g[0] == 3 && sep == '-') {
			mm__dlp_emit(f, r, &ci, MM_DLP_POSTAL_JP, 35, v, vn);
			return;
		}
		if (ng == 1 && ci.ctx == MM_CTX_POSTAL) {
			mm__dlp_emit(f, r, &ci, MM_DLP_POSTAL_JP, 0, v, vn);
			return;
		}
	}
	if (n == 9 && ssn_valid(d)) {
		if (ng == 3 && g[0] == 3 && g[1] == 2 && sep == '-') {
			mm__dlp_emit(f, r, &ci, MM_DLP_US_SSN, 55, v, vn);
			return;
		}
		if (ng == 1 && ci.ctx == MM_CTX_SSN) {
			mm__dlp_emit(f, r, &ci, MM_DLP_US_SSN, 0, v, vn);
			return;
		}
	}
	if (n >= 6 && n <= 8 && ng == 1 && ci.ctx == MM_CTX_BANK) {
		mm__dlp_emit(f, r, &ci, MM_DLP_BANK_ACCOUNT, 0, v, vn);
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
	mm__dlp_emit(f, r, &ci, MM_DLP_POSTAL_JP, 95, p + s, i - s);
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

/* strchr("._%+-", c) != NULL without the call (the terminator matches too) */
static inline bool email_local_punct(char c)
{
	return c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\0';
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
	       (is_alnum(p[s - 1]) || email_local_punct(p[s - 1])))
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
	mm__dlp_emit(f, r, &ci, MM_DLP_EMAIL, 90, p + s, e - s);
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
			mm__dlp_emit(f, r, &ci, MM_DLP_IBAN, 90, p + s, k - s);
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
	mm__dlp_emit(f, r, &ci, MM_DLP_PASSPORT, 30, f->region + s, 9);
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
		mm__dlp_emit(f, r, &ci, MM_DLP_BIRTH_DATE, 20, p + from, i - from);
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
	mm__dlp_emit(f, r, &ci, MM_DLP_BIRTH_DATE, 20, p + from, i - from);
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
	return n >= 3 && eq3(p, "\xe3\x80\x80") ? 3 : 0;
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
	if ((f->fmt == MM_DLP_FMT_JSONL || f->fmt == MM_DLP_FMT_JSON) && from > r->s &&
	    p[from - 1] == '"') {
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
		                 (e >= s + 3 && eq3(p + e - 3, "\xe3\x80\x80"))))
			e -= p[e - 1] == ' ' ? 1 : 3;
	}
	f->last_end[en ? K_NAME_EN : K_NAME_JA] = e;
	if (!name_valid(p + s, e - s)) {
		f->r.rejected++;
		return;
	}
	struct ctxinfo ci = context_for(f, r, s);
	ci.ctx = MM_CTX_NAME;
	mm__dlp_emit(f, r, &ci, MM_DLP_NAME, 85, p + s, e - s);
	f->consumed = e;
}

static bool delim3(const char *p, uint32_t i, uint32_t e)
{
	static const char *const d[] = {"。", "、", "」", "）", "　"};
	unsigned char c = (unsigned char)p[i];
	if ((c != 0xe3 && c != 0xef) || i + 3 > e)
		return false;
	for (size_t k = 0; k < MM_ARRAY_LEN(d); k++)
		if (eq3(p + i, d[k]))
			return true;
	return false;
}

static void do_pref(struct mm_dlp_file *f, const struct rec *r, unsigned k, uint32_t end)
{
	const char *p = f->region;
	uint32_t pl = mm__dlp_pref_len[k], s = end - pl;
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
				if (eq3(p + i - 3, muni[m]))
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
		if (is_digit(c) ||
		    (((unsigned char)c == 0xe4 || (unsigned char)c == 0xe7) && i + 6 <= r->e &&
		     ((eq3(p + i, "丁") && eq3(p + i + 3, "目")) ||
		      (eq3(p + i, "番") && eq3(p + i + 3, "地")))))
			block = block || chars <= 24;
		size_t l = (unsigned char)c < 0x80
		               ? 1
		               : mm_utf8_seq_len((const unsigned char *)p + i, r->e - i);
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
	mm__dlp_emit(f, r, &ci, MM_DLP_ADDRESS_JP, 80, p + s, e - s);
	f->consumed = e;
}

/* An address cell without its prefecture (exports often split 都道府県 from
 * 住所1): a municipality (市/区/町/村/郡) within the first ten characters,
 * then a block number within 24. A cell starting with a prefecture is
 * do_pref's. */
static bool cell_address(const char *p, uint32_t s, uint32_t e)
{
	static const char *const muni[] = {"市", "区", "町", "村", "郡"};
	/* the first character first: 47 memcmp calls per address cell cost more
	 * than the rest of the check */
	if (e - s >= 9)
		for (size_t k = 0; k < MM_ARRAY_LEN(mm__dlp_prefs); k++)
			if (e - s >= mm__dlp_pref_len[k] && eq3(p + s, mm__dlp_prefs[k]) &&
			    !memcmp(p + s, mm__dlp_prefs[k], mm__dlp_pref_len[k]))
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
			if (eq3(p + i - 3, muni[m]))
				mend = i;
	}
	if (!mend)
		return false;
	for (chars = 0; i < e && chars < 24; chars++) {
		if (is_digit(p[i]) || (i + 6 <= e && ((eq3(p + i, "丁") && eq3(p + i + 3, "目")) ||
		                                       (eq3(p + i, "番") && eq3(p + i + 3, "地")))))
			return true;
		size_t l = mm_utf8_seq_len((const unsigned char *)p + i, e - i);
		i += l ? (uint32_t)l : 1;
	}
	return false;
}

/* One cell [fs, fe) of column col under a header. */
static void header_cell(struct mm_dlp_file *f, const struct rec *r, int col, char q, uint32_t fs,
                        uint32_t fe)
{
	const char *p = f->region;
	enum mm__dlp_ctx cc = col >= 0 ? f->cols[col].ctx : MM_CTX_NONE;
	if (cc != MM_CTX_NAME && cc != MM_CTX_ADDRESS)
		return;
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
			mm__dlp_emit(f, r, &ci, MM_DLP_NAME, 85, p + s, e - s);
		else
			f->r.rejected++;
	} else if (cell_address(p, s, e)) {
		f->r.candidates++;
		mm__dlp_emit(f, r, &ci, MM_DLP_ADDRESS_JP, 85, p + s, e - s);
	}
}

/* Header-driven cells: each data row's cell under a 氏名/name column (a
 * name) or a 住所/address column (an address without its prefecture). */
void mm__dlp_header_cells(struct mm_dlp_file *f, const struct rec *r)
{
	const struct colset *cs = &f->sets[r->cs];
	const char *p = f->region;
	char sep = f->fmt == MM_DLP_FMT_TSV ? '\t' : ',';
	char q = f->fmt == MM_DLP_FMT_SQL ? '\'' : '"';
	if (f->fmt == MM_DLP_FMT_SQL && cs->table[0] == '\t')
		sep = '\t', q = 0;
	if (f->cells_rec != r)
		build_cells(f, r);
	if (!f->cells_over) {
		for (size_t k = 0; k < f->ncells && (int)k <= cs->name_last; k++) {
			uint32_t fs = f->cells[k], fe = k + 1 < f->ncells ? f->cells[k + 1] - 1 : r->e;
			header_cell(f, r, cs->col[k], q, fs, fe);
		}
		return;
	}
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
		header_cell(f, r, cs->col[idx], q, fs, MM_MIN(i, r->e));
		idx++;
		i++;
	}
}

void mm__dlp_process_cand(struct mm_dlp_file *f, const struct rec *r, const struct cand *c)
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

/* Masks of one 64-byte block p[base..base+64) (bits past n are 0): digits,
 * token joiners' characters (space, hyphen), capitals, and what may follow
 * a year ('/', or 0xE5: the first byte of 年). */
struct dmask {
	uint64_t d, s, u, y;
};

static inline struct dmask dmask64(const unsigned char *p, size_t base, size_t n)
{
	struct dmask m = {0, 0, 0, 0};
	if (base >= n)
		return m;
#ifdef __SSE2__
	if (base + 64 <= n) {
		const __m128i zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9), a = _mm_set1_epi8('A'),
		              z = _mm_set1_epi8(25), sp = _mm_set1_epi8(' '), hy = _mm_set1_epi8('-'),
		              sl = _mm_set1_epi8('/'), nen = _mm_set1_epi8((char)0xe5);
		for (int k = 0; k < 4; k++) {
			__m128i v = _mm_loadu_si128((const __m128i *)(p + base + 16 * k));
			__m128i dv = _mm_sub_epi8(v, zero), uv = _mm_sub_epi8(v, a);
			uint64_t d = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(dv, nine), dv));
			uint64_t u = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(uv, z), uv));
			uint64_t y = (uint16_t)_mm_movemask_epi8(
				_mm_or_si128(_mm_cmpeq_epi8(v, sl), _mm_cmpeq_epi8(v, nen)));
			uint64_t sh = (uint16_t)_mm_movemask_epi8(
				_mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, hy)));
			m.d |= d << (16 * k);
			m.u |= u << (16 * k);
			m.y |= y << (16 * k);
			m.s |= sh << (16 * k);
		}
		return m;
	}
#endif
	for (size_t i = 0; i < 64 && base + i < n; i++) {
		unsigned char c = p[base + i];
		uint64_t bit = (uint64_t)1 << i;
		if (c >= '0' && c <= '9')
			m.d |= bit;
		if (c == ' ' || c == '-')
			m.s |= bit;
		if (c >= 'A' && c <= 'Z')
			m.u |= bit;
		if (c == '/' || c == 0xe5)
			m.y |= bit;
	}
	return m;
}

/* Masks of nb blocks from block k0 on; for the avx2 variant below. */
static void dmasks_base(const unsigned char *p, size_t n, size_t k0, size_t nb, struct dmask *out)
{
	for (size_t i = 0; i < nb; i++)
		out[i] = dmask64(p, (k0 + i) * 64, n);
}

#ifdef DLP_AVX2
/* The same masks, 32 bytes at a time (half the compares and movemasks of
 * SSE2; the scanner's mask work was half its time). */
__attribute__((target("avx2"))) static void dmasks_avx2(const unsigned char *p, size_t n,
                                                        size_t k0, size_t nb, struct dmask *out)
{
	const __m256i zero = _mm256_set1_epi8('0'), nine = _mm256_set1_epi8(9),
	              a = _mm256_set1_epi8('A'), z = _mm256_set1_epi8(25), sp = _mm256_set1_epi8(' '),
	              hy = _mm256_set1_epi8('-'), sl = _mm256_set1_epi8('/'),
	              nen = _mm256_set1_epi8((char)0xe5);
	for (size_t i = 0; i < nb; i++) {
		size_t base = (k0 + i) * 64;
		if (base + 64 > n) {
			out[i] = dmask64(p, base, n);
			continue;
		}
		struct dmask m = {0, 0, 0, 0};
		for (int k = 0; k < 2; k++) {
			__m256i v = _mm256_loadu_si256((const __m256i *)(p + base + 32 * k));
			__m256i dv = _mm256_sub_epi8(v, zero), uv = _mm256_sub_epi8(v, a);
			uint64_t d = (uint32_t)_mm256_movemask_epi8(
				_mm256_cmpeq_epi8(_mm256_min_epu8(dv, nine), dv));
			uint64_t u = (uint32_t)_mm256_movemask_epi8(
				_mm256_cmpeq_epi8(_mm256_min_epu8(uv, z), uv));
			uint64_t y = (uint32_t)_mm256_movemask_epi8(
				_mm256_or_si256(_mm256_cmpeq_epi8(v, sl), _mm256_cmpeq_epi8(v, nen)));
			uint64_t sh = (uint32_t)_mm256_movemask_epi8(
				_mm256_or_si256(_mm256_cmpeq_epi8(v, sp), _mm256_cmpeq_epi8(v, hy)));
			m.d |= d << (32 * k);
			m.u |= u << (32 * k);
			m.y |= y << (32 * k);
			m.s |= sh << (32 * k);
		}
		out[i] = m;
	}
}
#endif

typedef void (*dmasks_fn)(const unsigned char *p, size_t n, size_t k0, size_t nb,
                          struct dmask *out);

static dmasks_fn dmasks_pick(void)
{
#ifdef DLP_AVX2
	if (__builtin_cpu_supports("avx2"))
		return dmasks_avx2;
#endif
	return dmasks_base;
}

#define DCHUNK 64 /* blocks whose masks are computed at a time (4 KiB of text) */

size_t mm__dlp_dmask_check(const char *cp, size_t n)
{
	const unsigned char *p = (const unsigned char *)cp;
	dmasks_fn best = dmasks_pick();
	struct dmask a[DCHUNK], b[DCHUNK];
	for (size_t k0 = 0; k0 < (n + 63) / 64; k0 += DCHUNK) {
		size_t nb = MM_MIN((size_t)DCHUNK, (n + 63) / 64 - k0);
		dmasks_base(p, n, k0, nb, a);
		best(p, n, k0, nb, b);
		for (size_t i = 0; i < nb; i++)
			if (memcmp(&a[i], &b[i], sizeof(a[i])))
				return (k0 + i) * 64 + 1;
	}
	return 0;
}

/* The run of digits starting at a: a passport (two capitals + seven
 * digits), an IBAN start (two capitals + the check digits), a year
 * starting a date (19xx/ or 20xx年). */
static inline unsigned pop_sparse(uint64_t x)
{
	/* bits of a mask that has few (joiners): the baseline x86-64 target has
	 * no POPCNT instruction, __builtin_popcountll would be a libgcc call */
	unsigned c = 0;
	for (; x; x &= x - 1)
		c++;
	return c;
}

static void digit_special(struct mm_dlp_file *f, const unsigned char *p, size_t n, size_t a)
{
	size_t b = a + 1;
	while (b < n && p[b] >= '0' && p[b] <= '9')
		b++;
	size_t len = b - a;
	if (a >= 2 && up(p[a - 1]) && up(p[a - 2]) && (a == 2 || !is_word(p[a - 3]))) {
		if (len == 7 && (b == n || !is_word(p[b])))
			push_digit(f, K_PASSPORT, (uint32_t)(a - 2), (uint32_t)b);
		if (len >= 2)
			push_digit(f, K_IBAN, (uint32_t)(a - 2), (uint32_t)b);
	}
	if (len == 4 && b < n && (a == 0 || !is_word(p[a - 1])) &&
	    ((p[a] == '1' && p[a + 1] == '9') || (p[a] == '2' && p[a + 1] == '0')) &&
	    (p[b] == '/' || (b + 3 <= n && !memcmp(p + b, "年", 3))))
		push_digit(f, K_DATE, (uint32_t)a, (uint32_t)b);
}

/* The digit-anchored candidates of a region, in order: per digit run, a
 * passport, an IBAN start and a year of a date (digit_special); per token
 * (digit runs joined by one space or hyphen) with seven digits or more, a
 * number. Keys are run/token ends, non-decreasing, like Hyperscan's; at
 * one key a run's candidates come before its token's number.
 *
 * Without a step per digit run (a dense export has thirty a row, and
 * whether a run joins a token is a coin toss for the branch predictor):
 * per 64-byte block, masks give the joiners (a space or hyphen between two
 * digits), the tokens (digits and joiners), the tokens' last bytes, and of
 * those the ones closing seven token bytes or more — a token with seven
 * digits needs that. Only those, and the runs that may start a passport,
 * an IBAN or a date (after two capitals, or on a '1' or '2'), are visited.
 * A token's digits are its bytes less its joiners. */
void mm__dlp_digit_scan(struct mm_dlp_file *f, const char *cp, size_t n)
{
	const unsigned char *p = (const unsigned char *)cp;
	static dmasks_fn fill;
	f->nd = 0;
	if (!n)
		return;
	if (!fill)
		fill = dmasks_pick(); /* the same answer in every thread */
	struct dmask mb[DCHUNK], cur, nxt;
	const size_t nbk = (n + 63) / 64;
	size_t cb = 0, ce = MM_MIN((size_t)DCHUNK, nbk);
	fill(p, n, 0, ce, mb);
	cur = mb[0];
	uint64_t prev_d = 0, prev_t = 0, prev_u = 0;
	size_t open_start = 0; /* start of the token open at the block's start */
	unsigned open_j = 0;   /* its joiners before this block */
	for (size_t base = 0, bk = 0; base < n; base += 64, bk++, cur = nxt) {
		if (bk + 1 >= nbk) {
			nxt = (struct dmask){0, 0, 0, 0};
		} else {
			if (bk + 1 >= ce) {
				cb = bk + 1;
				ce = MM_MIN(cb + DCHUNK, nbk);
				fill(p, n, cb, ce - cb, mb);
			}
			nxt = mb[bk + 1 - cb];
		}
		uint64_t d = cur.d;
		uint64_t dl = (d << 1) | (prev_d >> 63);   /* a digit before */
		uint64_t dr = (d >> 1) | (nxt.d << 63);    /* a digit after */
		uint64_t j = cur.s & dl & dr; /* joiners */
		uint64_t t = d | j;
		/* the next block's first byte in a token: a digit, or a joiner
		 * between this block's last digit and its second byte */
		uint64_t tn0 = (nxt.d & 1) | (nxt.s & 1 & (d >> 63) & (nxt.d >> 1));
		uint64_t tend = t & ~((t >> 1) | (tn0 << 63));
		/* seven token bytes up to and including the end */
		uint64_t t7 = tend;
		for (unsigned k = 1; k < 7; k++)
			t7 &= (t << k) | (prev_t >> (64 - k));
		uint64_t ul1 = (cur.u << 1) | (prev_u >> 63), ul2 = (cur.u << 2) | (prev_u >> 62);
		/* runs after two capitals; runs of exactly four digits followed
		 * by '/' or 0xE5 (a year) */
		uint64_t r4 = ((d >> 1) | (nxt.d << 63)) & ((d >> 2) | (nxt.d << 62)) &
		              ((d >> 3) | (nxt.d << 61)) & ~((d >> 4) | (nxt.d << 60)) &
		              ((cur.y >> 4) | (nxt.y << 60));
		uint64_t spec = d & ~dl & ((ul1 & ul2) | r4);
		for (uint64_t ev = t7 | spec; ev; ev &= ev - 1) {
			unsigned y = (unsigned)__builtin_ctzll(ev);
			uint64_t bit = (uint64_t)1 << y;
			if (spec & bit)
				digit_special(f, p, n, base + y);
			if (!(t7 & bit))
				continue;
			/* the token's start: after the last non-token byte below y */
			uint64_t below = ~t & (bit - 1);
			size_t ts;
			unsigned nj;
			if (below) {
				unsigned z = 63 - (unsigned)__builtin_clzll(below);
				ts = base + z + 1;
				nj = pop_sparse(j & (bit - 1) & ~((((uint64_t)1 << z) << 1) - 1));
			} else {
				ts = open_start;
				nj = open_j + pop_sparse(j & (bit - 1));
			}
			/* digits = the token's bytes less its joiners */
			if (base + y + 1 - ts - nj >= 7)
				push_digit(f, K_NUM, (uint32_t)ts, (uint32_t)(base + y + 1));
		}
		/* where a token open at the next block's start started: in this
		 * block (or before, when the whole block is token), or right there */
		if (!(t >> 63)) {
			open_start = base + 64;
			open_j = 0;
		} else if (~t) {
			unsigned z = 63 - (unsigned)__builtin_clzll(~t);
			open_start = base + z + 1;
			open_j = pop_sparse(j & ~((((uint64_t)1 << z) << 1) - 1));
		} else {
			open_j += pop_sparse(j);
		}
		prev_d = d;
		prev_t = t;
		prev_u = cur.u;
	}
}

/* For tests: the digit scanner's candidates of p[0..n) as (end, from, id)
 * triples into out (up to cap); returns how many there are. */
size_t mm__dlp_digit_list(struct mm_dlp *d, const char *p, size_t n, uint32_t *out, size_t cap)
{
	struct mm_dlp_file *f = mm_dlp_file_new(d, "");
	mm__dlp_digit_scan(f, p, n);
	size_t k = cand_triples(f->dc, f->nd, out, cap);
	mm_dlp_file_free(f);
	return k;
}

/* The e-mail candidates of a region, in order: what the pattern
 * [A-Za-z0-9._%+-]@[A-Za-z0-9-]+\. matches, keyed by its end (the first dot
 * after the '@' run: the run holds no dot, so one end per '@'). Found with
 * memchr rather than in the Hyperscan database, where this class-led
 * pattern cost a tenth of the whole scan on dense exports. */
static inline bool email_local_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

void mm__dlp_email_scan(struct mm_dlp_file *f, const char *cp, size_t n)
{
	const unsigned char *p = (const unsigned char *)cp, *q = p, *end = p + n;
	f->ne = 0;
	while (q < end && (q = memchr(q, '@', (size_t)(end - q))) != NULL) {
		size_t a = (size_t)(q - p), j = a + 1;
		q++;
		if (a == 0 || !email_local_char(p[a - 1]))
			continue;
		while (j < n && (is_alnum((char)p[j]) || p[j] == '-'))
			j++;
		if (j == a + 1 || j >= n || p[j] != '.')
			continue;
		if (f->ne == f->cape) {
			f->cape = f->cape ? f->cape * 2 : 4096;
			f->ec = mm_realloc(f->ec, f->cape * sizeof(*f->ec));
		}
		struct cand *c = &f->ec[f->ne++];
		c->end = (uint32_t)(j + 1);
		c->from = (uint32_t)a;
		c->id = K_EMAIL;
	}
}
