/* Unit tests: escaping of untrusted text in the report writers — HTML
 * entities, control characters and invalid UTF-8; Markdown link, image,
 * autolink, HTML, code-span and table-cell syntax; fenced code blocks whose
 * fence outgrows any backtick run inside. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mamori/report.h"

#include <string.h>

static char *esc(int (*fn)(struct mm_buf *, const char *, size_t), const char *s, size_t n,
                 struct mm_buf *b)
{
	mm_buf_reset(b);
	assert_int_equal(fn(b, s, n), MM_OK);
	return b->p ? b->p : (char *)"";
}

static void test_html(void **st)
{
	(void)st;
	struct mm_buf b;
	mm_buf_init(&b, 0);
	assert_string_equal(esc(mm_report_html_escape, "<script>alert(1)</script>", 25, &b),
	                    "&lt;script&gt;alert(1)&lt;/script&gt;");
	assert_string_equal(esc(mm_report_html_escape, "\"><img src=x onerror='a'>&", 26, &b),
	                    "&quot;&gt;&lt;img src=x onerror=&#39;a&#39;&gt;&amp;");
	assert_string_equal(esc(mm_report_html_escape, "a\x1b[31mb\x7f", 8, &b),
	                    "a\\x1b[31mb\\x7f");
	assert_string_equal(esc(mm_report_html_escape, "x\xff\xfey", 4, &b),
	                    "x\xEF\xBF\xBD\xEF\xBF\xBDy");
	assert_string_equal(esc(mm_report_html_escape, "日本語", strlen("日本語"), &b), "日本語");
	/* an embedded NUL is shown, not a terminator */
	assert_string_equal(esc(mm_report_html_escape, "a\0b", 3, &b), "a\\x00b");
	/* a right-to-left override is shown, not obeyed */
	assert_string_equal(esc(mm_report_html_escape, "invoice\xe2\x80\xae" "fdp.exe", 17, &b),
	                    "invoice\\u202efdp.exe");
	mm_buf_free(&b);
}

static void test_markdown(void **st)
{
	(void)st;
	struct mm_buf b;
	mm_buf_init(&b, 0);
	const char *s = "[click](http://evil.example/x) ![i](http://e/p.png)";
	char *o = esc(mm_report_md_escape, s, strlen(s), &b);
	assert_null(strstr(o, "]("));
	assert_null(strstr(o, "http://")); /* no autolink scheme left */
	assert_null(strstr(o, "!["));
	assert_string_equal(o, "\\[click\\]\\(http\\://evil.example/x\\) \\!\\[i\\]\\(http\\://e/p.png\\)");
	o = esc(mm_report_md_escape, "<b>x</b> | `code` *em* www.evil.com", 35, &b);
	assert_string_equal(o, "\\<b\\>x\\</b\\> \\| \\`code\\` \\*em\\* www\\.evil.com");
	o = esc(mm_report_md_escape, "a\nb\r\tc\x1b", 7, &b);
	assert_string_equal(o, "a b  c\\\\x1b");
	o = esc(mm_report_md_escape, "&amp; \\", 7, &b);
	assert_string_equal(o, "\\&amp; \\\\");
	o = esc(mm_report_md_escape, "a\xe2\x81\xa6" "b", 5, &b);
	assert_string_equal(o, "a\\\\u2066b");
	mm_buf_free(&b);
}

static void test_code_block(void **st)
{
	(void)st;
	struct mm_buf b;
	mm_buf_init(&b, 0);
	const char *s = "GET /?q=```` HTTP/1.1\x07";
	char *o = esc(mm_report_md_code_block, s, strlen(s), &b);
	assert_string_equal(o, "`````text\nGET /?q=```` HTTP/1.1\\x07\n`````\n");
	o = esc(mm_report_md_code_block, "plain", 5, &b);
	assert_string_equal(o, "```text\nplain\n```\n");
	mm_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_code_block),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
