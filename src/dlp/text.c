/* mamori — DLP text layer: encoding detection (BOMs, UTF-16 NUL patterns,
 * UTF-8 validity, CP932 vs EUC-JP byte statistics), conversion to UTF-8
 * (iconv; CP932 by a table built from iconv), and NFKC-style width folding
 * of what identifiers are written with (UAX #15 compatibility mappings of
 * the Halfwidth and Fullwidth Forms block). Pipeline: bytes → text → records. */
#define _GNU_SOURCE /* memmem */
#include "dlp_int.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

const char *mm_dlp_encoding_name(enum mm_dlp_encoding e)
{
	switch (e) {
	case MM_DLP_ENC_UTF8: return "UTF-8";
	case MM_DLP_ENC_UTF16LE: return "UTF-16LE";
	case MM_DLP_ENC_UTF16BE: return "UTF-16BE";
	case MM_DLP_ENC_CP932: return "CP932";
	case MM_DLP_ENC_EUCJP: return "EUC-JP";
	case MM_DLP_ENC_BINARY: return "binary";
	}
	return "?";
}

/* Invalid sequences when p is read as Shift_JIS (CP932) and as EUC-JP
 * (JIS X 0208 lead/trail ranges; CP932 adds the NEC/IBM rows 0xED–0xEE,
 * 0xFA–0xFC). A truncated sequence at the end is not counted. */
static void jp_scores(const unsigned char *p, size_t n, size_t *bad_sj, size_t *bad_euc,
                      size_t *multi)
{
	size_t bs = 0, be = 0, m = 0;
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		if (c < 0x80) {
			i++;
		} else if ((c >= 0x81 && c <= 0x9f) || (c >= 0xe0 && c <= 0xfc)) {
			if (i + 1 >= n)
				break;
			unsigned t = p[i + 1];
			if ((t >= 0x40 && t <= 0x7e) || (t >= 0x80 && t <= 0xfc)) {
				i += 2;
				m++;
			} else {
				bs++;
				i++;
			}
		} else if (c >= 0xa1 && c <= 0xdf) {
			i++; /* half-width katakana */
		} else {
			bs++;
			i++;
		}
	}
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		if (c < 0x80) {
			i++;
		} else if ((c >= 0xa1 && c <= 0xfe) || c == 0x8e) {
			/* JIS X 0208 pair, or SS2 + half-width katakana (A1–DF) */
			if (i + 1 >= n)
				break;
			unsigned t = p[i + 1], hi = c == 0x8e ? 0xdf : 0xfe;
			if (t >= 0xa1 && t <= hi)
				i += 2;
			else {
				be++;
				i++;
			}
		} else if (c == 0x8f) {
			if (i + 2 >= n)
				break;
			if (p[i + 1] >= 0xa1 && p[i + 2] >= 0xa1)
				i += 3;
			else {
				be++;
				i++;
			}
		} else {
			be++;
			i++;
		}
	}
	*bad_sj = bs;
	*bad_euc = be;
	*multi = m;
}

enum mm_dlp_encoding mm_dlp_detect_encoding(const void *vp, size_t n, size_t *bom)
{
	const unsigned char *p = vp;
	*bom = 0;
	if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		*bom = 3;
		return MM_DLP_ENC_UTF8;
	}
	if (n >= 2 && p[0] == 0xff && p[1] == 0xfe) {
		*bom = 2;
		return MM_DLP_ENC_UTF16LE;
	}
	if (n >= 2 && p[0] == 0xfe && p[1] == 0xff) {
		*bom = 2;
		return MM_DLP_ENC_UTF16BE;
	}
	size_t s = MM_MIN(n, (size_t)65536), nul_even = 0, nul_odd = 0, ctrl = 0;
	for (size_t i = 0; i < s; i++) {
		if (p[i] == 0)
			(i & 1) ? nul_odd++ : nul_even++;
		else if (p[i] < 0x09 || (p[i] > 0x0d && p[i] < 0x20 && p[i] != 0x1b))
			ctrl++;
	}
	/* UTF-16 without a BOM: ASCII-range text leaves one NUL per unit */
	if (s >= 4 && nul_odd > s / 8 && nul_even < s / 64)
		return MM_DLP_ENC_UTF16LE;
	if (s >= 4 && nul_even > s / 8 && nul_odd < s / 64)
		return MM_DLP_ENC_UTF16BE;
	if (nul_even + nul_odd > 0 || ctrl > s / 50 + 1)
		return MM_DLP_ENC_BINARY;
	/* valid UTF-8 (a sequence cut by the sample's end does not count) */
	size_t bad8 = 0, hi = 0;
	for (size_t i = 0; i < s;) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		hi++;
		size_t l = mm_utf8_seq_len(p + i, s - i);
		if (l) {
			i += l;
		} else {
			if (s - i < 4 && s < n)
				break;
			bad8++;
			i++;
		}
	}
	if (bad8 == 0)
		return MM_DLP_ENC_UTF8;
	size_t bs, be, m;
	jp_scores(p, s, &bs, &be, &m);
	if (bs > hi / 10 + 1 && be > hi / 10 + 1)
		return MM_DLP_ENC_BINARY;
	return be < bs ? MM_DLP_ENC_EUCJP : MM_DLP_ENC_CP932;
}

/* ---- conversion ------------------------------------------------------------ */

int mm__dlp_conv_open(struct mm__dlp_conv *c, enum mm_dlp_encoding e)
{
	memset(c, 0, sizeof(*c));
	c->enc = e;
	c->cd = (iconv_t)-1;
	const char *from = NULL;
	switch (e) {
	case MM_DLP_ENC_UTF16LE: from = "UTF-16LE"; c->unit = 2; break;
	case MM_DLP_ENC_UTF16BE: from = "UTF-16BE"; c->unit = 2; break;
	case MM_DLP_ENC_CP932: from = "CP932"; c->unit = 1; break;
	case MM_DLP_ENC_EUCJP: from = "EUC-JP-MS"; c->unit = 1; break;
	default: return MM_OK;
	}
	c->cd = iconv_open("UTF-8", from);
	if (c->cd == (iconv_t)-1 && e == MM_DLP_ENC_EUCJP)
		c->cd = iconv_open("UTF-8", "EUC-JP"); /* without the Microsoft extensions */
	return c->cd == (iconv_t)-1 ? MM_ENOTSUP : MM_OK;
}

void mm__dlp_conv_close(struct mm__dlp_conv *c)
{
	if (c->cd != (iconv_t)-1)
		iconv_close(c->cd);
	c->cd = (iconv_t)-1;
}

/* Convert as much of p as forms whole characters; *used says how much was
 * consumed (the rest, a cut sequence, comes again with the next chunk, or
 * with final set is counted as an error). Invalid input becomes U+FFFD. */
/* CP932 by table: iconv per character pair would cost more than the whole
 * scan. The table (every lead/trail pair's UTF-8, from iconv itself, once
 * per process) gives the same text as iconv — tests/unit/dlp compares
 * them — at memory speed: entry = the UTF-8 bytes (≤ 3) from bit 23 down
 * (the first in bits 16-23) | length << 24, 0 = not a character. */
static uint32_t *g_cp932;
static pthread_once_t g_cp932_once = PTHREAD_ONCE_INIT;

static void cp932_build(void)
{
	uint32_t *t = mm_calloc(65536, sizeof(*t));
	iconv_t cd = iconv_open("UTF-8", "CP932");
	if (cd == (iconv_t)-1) {
		free(t);
		return;
	}
	for (unsigned b = 0x80; b < 0x100; b++)
		for (unsigned tr = 0; tr < 0x100; tr++) {
			bool lead = (b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc);
			if (!lead && tr)
				break;
			unsigned char in[2] = {(unsigned char)b, (unsigned char)tr};
			char o[8], *ip = (char *)in, *op = o;
			size_t il = lead ? 2 : 1, ol = sizeof(o);
			iconv(cd, NULL, NULL, NULL, NULL);
			if (lead && (tr < 0x40 || tr == 0x7f || tr > 0xfc))
				continue;
			if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il || op - o > 3)
				continue;
			uint32_t v = 0;
			for (char *q = o; q < op; q++)
				v = (v << 8) | (unsigned char)*q;
			v <<= 8 * (3 - (op - o));
			t[(b << 8) | (lead ? tr : 0)] = v | (uint32_t)(op - o) << 24;
		}
	iconv_close(cd);
	g_cp932 = t;
}

static size_t cp932_conv(const char *p, size_t n, bool final, struct mm_buf *out,
                         uint64_t *errors)
{
	const unsigned char *u = (const unsigned char *)p;
	char buf[16384];
	size_t i = 0, k = 0;
	while (i < n) {
		/* an ASCII stretch (digits, separators, e-mail), copied whole:
		 * a byte at a time it was a third of the conversion */
		if (u[i] < 0x80) {
			size_t j = i + 1;
#ifdef __SSE2__
			while (j + 16 <= n &&
			       !_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(u + j))))
				j += 16;
#endif
			while (j < n && u[j] < 0x80)
				j++;
			size_t len = j - i;
			if (k + len > sizeof(buf)) {
				mm_buf_append(out, buf, k);
				k = 0;
			}
			if (len > sizeof(buf)) {
				mm_buf_append(out, p + i, len);
			} else {
				memcpy(buf + k, p + i, len);
				k += len;
			}
			i = j;
			if (i >= n)
				break;
		}
		if (k + 8 > sizeof(buf)) {
			mm_buf_append(out, buf, k);
			k = 0;
		}
		unsigned b = u[i];
		bool lead = (b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc);
		if (lead && i + 1 >= n && !final)
			break; /* cut pair: wait for more */
		uint32_t v = lead ? (i + 1 < n ? g_cp932[(b << 8) | u[i + 1]] : 0) : g_cp932[b << 8];
		unsigned len = v >> 24;
		if (!len) {
			(*errors)++;
			memcpy(buf + k, "\xef\xbf\xbd", 3);
			k += 3;
			i++;
			continue;
		}
		buf[k] = (char)(v >> 16); /* three stores, len of them kept */
		buf[k + 1] = (char)(v >> 8);
		buf[k + 2] = (char)v;
		k += len;
		i += lead ? 2 : 1;
	}
	mm_buf_append(out, buf, k);
	return i;
}

size_t mm__dlp_conv(struct mm__dlp_conv *c, const char *p, size_t n, bool final,
                    struct mm_buf *out, uint64_t *errors)
{
	size_t used = 0;
	if (c->enc == MM_DLP_ENC_CP932) {
		pthread_once(&g_cp932_once, cp932_build);
		if (g_cp932)
			return cp932_conv(p, n, final, out, errors);
	}
	char tmp[16384];
	while (used < n) {
		char *in = (char *)p + used, *o = tmp;
		size_t inl = n - used, outl = sizeof(tmp);
		size_t r = iconv(c->cd, &in, &inl, &o, &outl);
		int e = r == (size_t)-1 ? errno : 0;
		mm_buf_append(out, tmp, (size_t)(o - tmp));
		used = (size_t)(in - p);
		if (!e)
			break;
		if (e == E2BIG)
			continue;
		if (e == EINVAL && !final)
			break; /* cut sequence: wait for more */
		/* EILSEQ, or a cut sequence at the very end */
		(*errors)++;
		mm_buf_append(out, "\xef\xbf\xbd", 3);
		used += MM_MIN(c->unit, n - used);
	}
	return used;
}

/* ---- width folding ------------------------------------------------------- */

static bool fw_digit(const unsigned char *p, size_t n)
{
	return n >= 3 && p[0] == 0xef && p[1] == 0xbc && p[2] >= 0x90 && p[2] <= 0x99;
}

/* Length of the folded sequence at p (0 = nothing to fold) and its ASCII. */
static size_t fold_at(const unsigned char *p, size_t n, char *c)
{
	if (n < 3)
		return 0;
	if (p[0] == 0xef) {
		if (p[1] == 0xbc && p[2] >= 0x81 && p[2] <= 0xbf) {
			if (p[2] == 0x82 || p[2] == 0x87 || p[2] == 0x8c)
				return 0; /* ＂ ＇ ， keep CSV structure */
			*c = (char)(p[2] - 0x60);
			return 3;
		}
		if (p[1] == 0xbd && p[2] >= 0x80 && p[2] <= 0x9e) {
			*c = (char)(p[2] - 0x20);
			return 3;
		}
		if (p[1] == 0xbd && p[2] == 0xb0) { /* ｰ */
			*c = '-';
			return 3;
		}
		return 0;
	}
	if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0x95) {
		*c = '-';
		return 3;
	}
	if (p[0] == 0xe2 && p[1] == 0x88 && p[2] == 0x92) {
		*c = '-';
		return 3;
	}
	return 0;
}

bool mm_dlp_needs_normalize(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p, *e = u + n;
	for (const unsigned char *q = u; q < e;) {
		q = memchr(q, 0xef, (size_t)(e - q));
		if (!q)
			break;
		char c;
		if (fold_at(q, (size_t)(e - q), &c))
			return true;
		q++;
	}
	for (const unsigned char *q = u; q < e;) {
		q = memchr(q, 0xe2, (size_t)(e - q));
		if (!q)
			break;
		char c;
		if (fold_at(q, (size_t)(e - q), &c))
			return true;
		q++;
	}
	return false;
}

/* Next occurrence at or after u+i of what can fold: 0xEF (full-width
 * forms) and 0xE2 (dashes, minus); memchr jumps over the rest (kana and
 * kanji: 0xE3–0xE9 leads). */
static const unsigned char *next_of(const unsigned char *u, size_t n, size_t i,
                                    const unsigned char **nef, const unsigned char **ne2)
{
	if (*nef && *nef < u + i)
		*nef = memchr(u + i, 0xef, n - i);
	if (*ne2 && *ne2 < u + i)
		*ne2 = memchr(u + i, 0xe2, n - i);
	const unsigned char *q = *nef;
	if (*ne2 && (!q || *ne2 < q))
		q = *ne2;
	return q;
}

int mm_dlp_normalize(const char *p, size_t n, struct mm_buf *out)
{
	const unsigned char *u = (const unsigned char *)p;
	const unsigned char *nef = memchr(u, 0xef, n), *ne2 = memchr(u, 0xe2, n);
	size_t i = 0, run = 0;
	int rc = MM_OK;
	const unsigned char *q;
	while ((q = next_of(u, n, i, &nef, &ne2))) {
		i = (size_t)(q - u);
		char c;
		size_t l = fold_at(q, n - i, &c);
		if (!l) {
			i++;
			continue;
		}
		if (i > run && (rc = mm_buf_append(out, p + run, i - run)))
			return rc;
		if ((rc = mm_buf_putc(out, c)))
			return rc;
		bool fwd = fw_digit(q, n - i);
		i += l;
		/* ー (U+30FC) right after a full-width digit and before a digit is a hyphen */
		if (fwd && n - i >= 4 && u[i] == 0xe3 && u[i + 1] == 0x83 && u[i + 2] == 0xbc &&
		    (fw_digit(u + i + 3, n - i - 3) || (u[i + 3] >= '0' && u[i + 3] <= '9'))) {
			if ((rc = mm_buf_putc(out, '-')))
				return rc;
			i += 3;
		}
		run = i;
	}
	if (n > run)
		rc = mm_buf_append(out, p + run, n - run);
	return rc;
}
