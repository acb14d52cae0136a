/* mamori — unit tests for the non-line inputs of src/input: pretty-printed
 * JSON framed one document per line (streams, arrays, junk, offsets, line
 * numbers, peek, cap), the EVTX record XML → JSON renderer (evtx_render.c)
 * and the .evtx magic path refusing a corrupt file with a message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mamori/input.h"
#include "../../../src/input/input_int.h" /* mm__evtx_render */

static char g_dir[256];

static int setup(void **st)
{
	(void)st;
	snprintf(g_dir, sizeof(g_dir), "/tmp/mm_struct_XXXXXX");
	return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **st)
{
	(void)st;
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", g_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *write_file(const char *name, const char *data)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", g_dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, strlen(data), f), strlen(data));
	fclose(f);
	return path;
}

struct got {
	int n;
	char text[8][256];
	uint64_t off[8], line[8];
	bool trunc[8];
};

static void read_all(const char *path, size_t max_line, struct got *g)
{
	struct mm_input *in = NULL;
	struct mm_error err;
	struct mm_input_opts o = {.max_line = max_line};
	memset(g, 0, sizeof(*g));
	assert_int_equal(mm_input_open(&in, path, &o, &err), MM_OK);
	struct mm_line l;
	while (mm_input_next(in, &l, &err) == 1 && g->n < 8) {
		snprintf(g->text[g->n], sizeof(g->text[0]), "%.*s", (int)l.n, l.p);
		g->off[g->n] = l.offset;
		g->line[g->n] = l.line_no;
		g->trunc[g->n] = l.truncated;
		g->n++;
	}
	mm_input_close(in);
}

static void test_pretty_stream(void **st)
{
	(void)st;
	struct got g;
	/* two pretty-printed objects back to back, as in SigmaHQ's regression data */
	read_all(write_file("a.json", "{\n  \"a\": \"x y\",\n  \"b\": { \"c\": [1, 2] }\n}\n"
	                              "{\n  \"s\": \"} { \\\" \"\n}\n"),
	         0, &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.text[0], "{\"a\":\"x y\",\"b\":{\"c\":[1,2]}}");
	assert_int_equal(g.off[0], 0);
	assert_int_equal(g.line[0], 1);
	/* braces and an escaped quote inside a string do not end the document */
	assert_string_equal(g.text[1], "{\"s\":\"} { \\\" \"}");
	assert_int_equal(g.line[1], 5);
	assert_int_equal(g.off[1], 41);
	/* a JSON array of events; junk between documents is its own line */
	read_all(write_file("b.json", "[\n {\"a\":1},\n {\"b\":2}\n]\noops\n{\"c\":3}"), 0, &g);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.text[0], "{\"a\":1}");
	assert_string_equal(g.text[1], "{\"b\":2}");
	assert_int_equal(g.line[1], 3);
	assert_string_equal(g.text[2], "oops");
	assert_string_equal(g.text[3], "{\"c\":3}");
	/* unterminated at the end: delivered, the decoder rejects it */
	read_all(write_file("c.json", "{\n \"a\": [1,\n"), 0, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.text[0], "{\"a\":[1,");
	/* over the cap: cut and flagged */
	read_all(write_file("d.json", "{\n \"a\": \"0123456789012345678901234567890123456789\"\n}\n{\n}\n"),
	         16, &g);
	assert_int_equal(g.n, 2);
	assert_true(g.trunc[0]);
	assert_int_equal(strlen(g.text[0]), 16);
	assert_string_equal(g.text[1], "{}");
	/* JSON Lines stay line-framed (whitespace kept) */
	read_all(write_file("e.jsonl", "{ \"a\": 1 }\n{ \"b\": 2 }\n"), 0, &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.text[0], "{ \"a\": 1 }");
}

static void test_pretty_peek(void **st)
{
	(void)st;
	struct mm_input *in = NULL;
	struct mm_error err;
	const char *p = write_file("p.json", "\xEF\xBB\xBF\n{\n \"a\": 1\n}\n{\n \"b\": 2\n}\n");
	assert_int_equal(mm_input_open(&in, p, NULL, &err), MM_OK);
	struct mm_slice s[4];
	assert_int_equal(mm_input_peek(in, s, 4), 2);
	assert_true(mm_slice_eq_cstr(s[0], "{\"a\":1}"));
	assert_true(mm_slice_eq_cstr(s[1], "{\"b\":2}"));
	struct mm_line l;
	assert_int_equal(mm_input_next(in, &l, &err), 1); /* peek consumed nothing */
	assert_true(mm_slice_eq_cstr(mm_slice(l.p, l.n), "{\"a\":1}"));
	assert_int_equal(l.line_no, 2);
	assert_int_equal(l.offset, 4);
	mm_input_close(in);
}

static void render(const char *xml, const char *want)
{
	struct mm_buf b;
	mm_buf_init(&b, 0);
	assert_int_equal(mm__evtx_render(xml, strlen(xml), &b), MM_OK);
	assert_string_equal(b.p, want);
	mm_buf_free(&b);
}

static void bad(const char *xml)
{
	struct mm_buf b;
	mm_buf_init(&b, 0);
	assert_int_equal(mm__evtx_render(xml, strlen(xml), &b), MM_EPARSE);
	mm_buf_free(&b);
}

static void test_evtx_render(void **st)
{
	(void)st;
	render("<?xml version=\"1.0\"?>\n<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
	       "  <System>\n    <Provider Name=\"Microsoft-Windows-Security-Auditing\" Guid=\"{5484}\"/>\n"
	       "    <EventID Qualifiers=\"0\">4625</EventID>\n    <Correlation/>\n"
	       "    <TimeCreated SystemTime=\"2026-11-20T09:00:00.0000000Z\"/>\n"
	       "    <Channel>Security</Channel>\n  </System>\n  <EventData>\n"
	       "    <Data Name=\"TargetUserName\">alice</Data>\n    <Data Name=\"Empty\"></Data>\n"
	       "    <Data Name=\"Cmd\">a &amp; b &lt;c&gt; &#x41;&#66; &quot;q&quot; &bogus;</Data>\n"
	       "    <!-- comment -->\n    <Data Name=\"C\"><![CDATA[<raw & x>]]></Data>\n"
	       "  </EventData>\n</Event>\n",
	       "{\"Event\":{\"#attributes\":{\"xmlns\":\"http://schemas.microsoft.com/win/2004/08/events/event\"},"
	       "\"System\":{\"Provider\":{\"#attributes\":{\"Name\":\"Microsoft-Windows-Security-Auditing\","
	       "\"Guid\":\"{5484}\"}},\"EventID\":{\"#attributes\":{\"Qualifiers\":\"0\"},\"#text\":\"4625\"},"
	       "\"Correlation\":null,\"TimeCreated\":{\"#attributes\":{\"SystemTime\":"
	       "\"2026-11-20T09:00:00.0000000Z\"}},\"Channel\":\"Security\"},\"EventData\":{"
	       "\"TargetUserName\":\"alice\",\"Empty\":\"\",\"Cmd\":\"a & b <c> AB \\\"q\\\" &bogus;\","
	       "\"C\":\"<raw & x>\"}}}");
	/* unnamed Data, single quotes, control characters escaped for JSON */
	render("<Event><EventData><Data>v1</Data><Data a='1'>v\t2</Data></EventData></Event>",
	       "{\"Event\":{\"EventData\":{\"Data\":\"v1\",\"Data\":{\"#attributes\":{\"a\":\"1\"},"
	       "\"#text\":\"v\\t2\"}}}}");
	/* a trailing NUL (libevtx's strings) is not content */
	render("<E>x</E>\0", "{\"E\":\"x\"}");
	bad("");
	bad("<Event>");
	bad("<Event></Other>");
	bad("<A/><B/>");
	bad("text<A/>");
	bad("<A b=\"1></A>");
	bad("<A><!DOCTYPE x></A>");
	/* nesting cap */
	char deep[1024];
	size_t w = 0;
	for (int i = 0; i < 40; i++)
		w += (size_t)snprintf(deep + w, sizeof(deep) - w, "<a>");
	for (int i = 0; i < 40; i++)
		w += (size_t)snprintf(deep + w, sizeof(deep) - w, "</a>");
	bad(deep);
	/* output cap */
	struct mm_buf b;
	mm_buf_init(&b, 8);
	assert_int_equal(mm__evtx_render("<Event>0123456789</Event>", 25, &b), MM_ELIMIT);
	mm_buf_free(&b);
}

static void test_evtx_magic(void **st)
{
	(void)st;
	/* the .evtx magic with a corrupt header: refused with a message */
	static const char junk[] = "ElfFile\0garbage that is not an evtx file header at all";
	char path[512];
	snprintf(path, sizeof(path), "%s/x.evtx", g_dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(junk, 1, sizeof(junk), f), sizeof(junk));
	fclose(f);
	struct mm_input *in = NULL;
	struct mm_error err;
	mm_error_clear(&err);
	assert_int_equal(mm_input_open(&in, path, NULL, &err), MM_EIO);
	assert_null(in);
	assert_non_null(strstr(err.msg, ".evtx"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pretty_stream),
		cmocka_unit_test(test_pretty_peek),
		cmocka_unit_test(test_evtx_render),
		cmocka_unit_test(test_evtx_magic),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
