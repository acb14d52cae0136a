/* mamori — libFuzzer target for the report's escaping of untrusted text
 * (src/report/escape.c): HTML (HTML Living Standard §13.1.2), Markdown
 * (CommonMark 0.31 §2.4 backslash escapes, GFM autolinks and tables) and
 * fenced code blocks. The whole input goes through each; the output is
 * checked, not just survived: no raw markup character, no unescaped Markdown
 * syntax, no control character, valid UTF-8, a fence no inner run can close.
 * Seed corpus: tests/fuzz/corpus/fuzz_report_escape/. */
#include "mamori/report.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_utf8_no_ctl(const struct mm_buf *b, bool newlines_ok)
{
	const unsigned char *p = (const unsigned char *)b->p;
	for (size_t i = 0; i < b->n;) {
		if (p[i] >= 0x80) {
			size_t l = mm_utf8_seq_len(p + i, b->n - i);
			if (!l)
				__builtin_trap(); /* invalid UTF-8 passed through */
			i += l;
			continue;
		}
		if ((p[i] < 0x20 || p[i] == 0x7f) && !(newlines_ok && p[i] == '\n'))
			__builtin_trap(); /* control character passed through */
		i++;
	}
}

static void check_html(const struct mm_buf *b)
{
	static const char *const ent[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
	check_utf8_no_ctl(b, false);
	for (size_t i = 0; i < b->n; i++) {
		char c = b->p[i];
		if (c == '<' || c == '>' || c == '"' || c == '\'')
			__builtin_trap();
		if (c == '&') {
			bool ok = false;
			for (size_t k = 0; k < MM_ARRAY_LEN(ent) && !ok; k++)
				ok = b->n - i >= strlen(ent[k]) && !memcmp(b->p + i, ent[k], strlen(ent[k]));
			if (!ok)
				__builtin_trap(); /* a bare & could start an entity of the input's */
		}
	}
}

/* Walk the Markdown text as CommonMark does: a backslash escapes the next
 * ASCII punctuation character. Every character that can start markup must be
 * escaped; so must the dot of "www." (GFM extended autolink). */
static void check_md(const struct mm_buf *b)
{
	check_utf8_no_ctl(b, false);
	const char *p = b->p;
	for (size_t i = 0; i < b->n; i++) {
		if (p[i] == '\\') {
			if (i + 1 == b->n)
				__builtin_trap(); /* a trailing backslash escapes what follows */
			i++;
			continue;
		}
		if (strchr("`*_[]()<>#!|~&:{}=\"'", p[i]))
			__builtin_trap();
		if (p[i] == '.' && i >= 3 && (p[i - 1] | 0x20) == 'w' && (p[i - 2] | 0x20) == 'w' &&
		    (p[i - 3] | 0x20) == 'w')
			__builtin_trap();
		if (i == 0 && (p[i] == '-' || p[i] == '+'))
			__builtin_trap(); /* a list marker at the start of the text */
	}
}

static void check_code_block(const struct mm_buf *b)
{
	check_utf8_no_ctl(b, true);
	size_t fence = 0;
	while (fence < b->n && b->p[fence] == '`')
		fence++;
	if (fence < 3 || b->n < 2 * fence + 6 || memcmp(b->p + fence, "text\n", 5))
		__builtin_trap();
	const char *body = b->p + fence + 5;
	size_t n = b->n - (2 * fence + 5) - 2; /* "\n" + closing fence + "\n" */
	if (body[n] != '\n' || b->p[b->n - 1] != '\n')
		__builtin_trap();
	for (size_t i = 0; i < fence; i++)
		if (b->p[b->n - 2 - i] != '`')
			__builtin_trap();
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		if (body[i] == '\n')
			__builtin_trap(); /* one line: a newline could start a closing fence */
		run = body[i] == '`' ? run + 1 : 0;
		if (run >= fence)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct mm_buf b;
	mm_buf_init(&b, 0);
	if (mm_report_html_escape(&b, s, size))
		__builtin_trap();
	check_html(&b);
	mm_buf_reset(&b);
	if (mm_report_md_escape(&b, s, size))
		__builtin_trap();
	check_md(&b);
	mm_buf_reset(&b);
	if (mm_report_md_code_block(&b, s, size))
		__builtin_trap();
	check_code_block(&b);
	mm_buf_free(&b);
	return 0;
}
