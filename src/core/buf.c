/* mamori — capped growable buffer (curl's dynbuf): every growth is checked
 * against the cap set at construction; hitting it is counted, never fatal.
 * Also the JSON string escaper all writers share. */
#include "mamori/core.h"

#include <stdlib.h>
#include <string.h>

void mm_buf_init(struct mm_buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void mm_buf_free(struct mm_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

void mm_buf_reset(struct mm_buf *b)
{
	b->n = 0;
	if (b->p)
		b->p[0] = '\0';
}

static int grow(struct mm_buf *b, size_t add)
{
	if (b->max && (add > b->max || b->n > b->max - add)) {
		b->cap_hits++;
		return MM_ELIMIT;
	}
	size_t need = b->n + add + 1;
	if (need <= b->cap)
		return MM_OK;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	b->p = mm_realloc(b->p, cap);
	b->cap = cap;
	return MM_OK;
}

int mm_buf_append(struct mm_buf *b, const void *p, size_t n)
{
	int rc = grow(b, n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
	return MM_OK;
}

int mm_buf_putc(struct mm_buf *b, char c)
{
	if (b->n + 2 <= b->cap && (!b->max || b->n < b->max)) {
		b->p[b->n++] = c;
		b->p[b->n] = '\0';
		return MM_OK;
	}
	return mm_buf_append(b, &c, 1);
}

int mm_buf_puts(struct mm_buf *b, const char *s)
{
	return mm_buf_append(b, s, strlen(s));
}

int mm_buf_vprintf(struct mm_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int len = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (len < 0)
		return MM_EINVAL;
	int rc = grow(b, (size_t)len);
	if (rc)
		return rc;
	vsnprintf(b->p + b->n, (size_t)len + 1, fmt, ap);
	b->n += (size_t)len;
	return MM_OK;
}

int mm_buf_printf(struct mm_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = mm_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid
 * (RFC 3629: no overlongs, no surrogates, max U+10FFFF). */
size_t mm_utf8_seq_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return (n >= 2 && (p[1] & 0xC0) == 0x80) ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && p[1] < 0xA0)
			return 0;
		if (c == 0xED && p[1] >= 0xA0)
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
		    (p[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && p[1] < 0x90)
			return 0;
		if (c == 0xF4 && p[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

/* Bidi controls are the "Trojan Source" trick (CVE-2021-42574): a log line or
 * mail header could reorder what an admin reads. */
unsigned mm_utf8_invisible(const unsigned char *p, size_t l)
{
	if (l != 3)
		return 0;
	unsigned cp = ((unsigned)(p[0] & 0x0F) << 12) | ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
	if ((cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF)
		return cp;
	return 0;
}

size_t mm_utf8_put(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

int mm_json_escape(struct mm_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;
	int rc = MM_OK;
	while (i < n) {
		unsigned char c = p[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			i++;
			run++;
			continue;
		}
		size_t l = c >= 0x80 ? mm_utf8_seq_len(p + i, n - i) : 1;
		if (c >= 0x80 && l > 0 && !mm_utf8_invisible(p + i, l)) {
			i += l;
			run += l;
			continue;
		}
		if (run && (rc = mm_buf_append(b, p + i - run, run)))
			return rc;
		run = 0;
		char esc[8];
		size_t en;
		if (c >= 0x80 && l > 0) { /* an invisible format character: \uXXXX */
			unsigned cp = mm_utf8_invisible(p + i, l);
			memcpy(esc, "\\u", 2);
			for (int k = 0; k < 4; k++)
				esc[2 + k] = hex[(cp >> (12 - 4 * k)) & 15];
			if ((rc = mm_buf_append(b, esc, 6)))
				return rc;
			i += l;
			continue;
		}
		switch (c) {
		case '"': en = 2; memcpy(esc, "\\\"", 2); break;
		case '\\': en = 2; memcpy(esc, "\\\\", 2); break;
		case '\n': en = 2; memcpy(esc, "\\n", 2); break;
		case '\r': en = 2; memcpy(esc, "\\r", 2); break;
		case '\t': en = 2; memcpy(esc, "\\t", 2); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				en = 6;
			} else { /* invalid UTF-8 byte */
				memcpy(esc, "\\ufffd", 6);
				en = 6;
			}
		}
		if ((rc = mm_buf_append(b, esc, en)))
			return rc;
		i++;
	}
	if (run)
		rc = mm_buf_append(b, p + i - run, run);
	return rc;
}
