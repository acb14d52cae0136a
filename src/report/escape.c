/* mamori — escaping for the report writers. Everything that came from a log
 * line, a mail or a file is untrusted: in HTML it must never become markup
 * (HTML Living Standard §13.1.2: text and quoted attribute values), in
 * Markdown never a link, image, autolink, raw HTML or a table-cell break
 * (CommonMark 0.31 §2.4 backslash escapes, GFM tables and autolinks).
 * Pipeline position: report writers → output. */
#include "mamori/report.h"

#include <string.h>

static const char g_hex[] = "0123456789abcdef";

static int put_hex(struct mm_buf *b, unsigned char c, const char *prefix)
{
	char t[8];
	size_t n = strlen(prefix);
	memcpy(t, prefix, n);
	t[n++] = 'x';
	t[n++] = g_hex[c >> 4];
	t[n++] = g_hex[c & 15];
	return mm_buf_append(b, t, n);
}

int mm_report_html_escape(struct mm_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	int rc = 0;
	for (size_t i = 0; i < n && !rc;) {
		unsigned char c = p[i];
		if (c >= 0x80) {
			size_t l = mm_utf8_seq_len(p + i, n - i);
			unsigned cp = l ? mm_utf8_invisible(p + i, l) : 0;
			if (cp) { /* shown, not obeyed: the visible text \u202e */
				rc = mm_buf_printf(b, "\\u%04x", cp);
				i += l;
			} else if (l) {
				rc = mm_buf_append(b, p + i, l);
				i += l;
			} else {
				rc = mm_buf_puts(b, "\xEF\xBF\xBD"); /* U+FFFD */
				i++;
			}
			continue;
		}
		switch (c) {
		case '&': rc = mm_buf_puts(b, "&amp;"); break;
		case '<': rc = mm_buf_puts(b, "&lt;"); break;
		case '>': rc = mm_buf_puts(b, "&gt;"); break;
		case '"': rc = mm_buf_puts(b, "&quot;"); break;
		case '\'': rc = mm_buf_puts(b, "&#39;"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				rc = put_hex(b, c, "\\");
			else
				rc = mm_buf_putc(b, (char)c);
		}
		i++;
	}
	return rc;
}

int mm_report_md_escape(struct mm_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	int rc = 0;
	for (size_t i = 0; i < n && !rc;) {
		unsigned char c = p[i];
		if (c >= 0x80) {
			size_t l = mm_utf8_seq_len(p + i, n - i);
			unsigned cp = l ? mm_utf8_invisible(p + i, l) : 0;
			if (cp) { /* shown, not obeyed: the visible text \u202e */
				rc = mm_buf_printf(b, "\\\\u%04x", cp);
				i += l;
			} else if (l) {
				rc = mm_buf_append(b, p + i, l);
				i += l;
			} else {
				rc = mm_buf_puts(b, "\xEF\xBF\xBD");
				i++;
			}
			continue;
		}
		if (c == '\n' || c == '\r' || c == '\t') {
			rc = mm_buf_putc(b, ' ');
		} else if (c < 0x20 || c == 0x7f) {
			/* "\\x1b" renders as the visible text \x1b */
			rc = put_hex(b, c, "\\\\");
		} else if (strchr("\\`*_[]()<>#!|~&:{}=\"'", c)) {
			rc = mm_buf_putc(b, '\\');
			if (!rc)
				rc = mm_buf_putc(b, (char)c);
		} else if (c == '.' && i >= 3 && (p[i - 1] | 0x20) == 'w' &&
		           (p[i - 2] | 0x20) == 'w' && (p[i - 3] | 0x20) == 'w') {
			rc = mm_buf_puts(b, "\\."); /* GFM extended www autolink */
		} else if ((c == '-' || c == '+' || c == '.') && (b->n == 0 || b->p[b->n - 1] == '\n')) {
			rc = mm_buf_putc(b, '\\'); /* list or heading marker at line start */
			if (!rc)
				rc = mm_buf_putc(b, (char)c);
		} else {
			rc = mm_buf_putc(b, (char)c);
		}
		i++;
	}
	return rc;
}

int mm_report_md_code_block(struct mm_buf *b, const char *s, size_t n)
{
	size_t run = 0, longest = 0;
	for (size_t i = 0; i < n; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		longest = MM_MAX(longest, run);
	}
	size_t fence = MM_MAX((size_t)3, longest + 1);
	int rc = 0;
	for (size_t i = 0; i < fence && !rc; i++)
		rc = mm_buf_putc(b, '`');
	if (!rc)
		rc = mm_buf_puts(b, "text\n");
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n && !rc;) {
		unsigned char c = p[i];
		if (c >= 0x80) {
			size_t l = mm_utf8_seq_len(p + i, n - i);
			rc = l ? mm_buf_append(b, p + i, l) : mm_buf_puts(b, "\xEF\xBF\xBD");
			i += l ? l : 1;
			continue;
		}
		if (c == '\t')
			rc = mm_buf_putc(b, ' ');
		else if (c < 0x20 || c == 0x7f)
			rc = put_hex(b, c, "\\");
		else
			rc = mm_buf_putc(b, (char)c);
		i++;
	}
	if (!rc)
		rc = mm_buf_putc(b, '\n');
	for (size_t i = 0; i < fence && !rc; i++)
		rc = mm_buf_putc(b, '`');
	if (!rc)
		rc = mm_buf_putc(b, '\n');
	return rc;
}
