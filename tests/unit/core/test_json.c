/* Unit tests: the DOM JSON parser (src/core/json.c): values, escapes and
 * surrogate pairs, strictness (RFC 8259), depth and memory caps, lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mamori/json.h"

#include <stdlib.h>
#include <string.h>

static int parse(const char *s, struct mm_json_doc **d)
{
	return mm_json_parse(d, s, strlen(s), NULL, NULL);
}

static void test_values(void **st)
{
	(void)st;
	struct mm_json_doc *d = NULL;
	const char *doc = "\xEF\xBB\xBF{\"a\": [1, -2.5e1, true, false, null, \"x\\u00e9\\ud83d\\ude00\\n\"],"
	                  " \"b\": {\"c\": \"d\"}, \"a\": 0}";
	assert_int_equal(parse(doc, &d), MM_OK);
	const struct mm_json *r = mm_json_root(d);
	assert_int_equal(mm_json_len(r), 3);
	const struct mm_json *a = mm_json_get(r, "a"); /* first of duplicates */
	assert_int_equal(mm_json_len(a), 6);
	double v;
	assert_true(mm_json_num(mm_json_at(a, 1), &v));
	assert_true(v == -25.0);
	assert_true(mm_json_is_true(mm_json_at(a, 2)));
	assert_int_equal(mm_json_at(a, 4)->type, MM_JSON_NULL);
	assert_string_equal(mm_json_str(mm_json_at(a, 5)), "x\xc3\xa9\xf0\x9f\x98\x80\n");
	assert_string_equal(mm_json_str(mm_json_path(r, "b.c")), "d");
	assert_null(mm_json_path(r, "b.c.d"));
	assert_null(mm_json_at(a, 6));
	assert_null(mm_json_get(a, "x"));
	assert_null(mm_json_get_str(r, "b"));
	mm_json_doc_free(d);
	/* embedded NUL keeps its length */
	assert_int_equal(parse("\"a\\u0000b\"", &d), MM_OK);
	assert_int_equal(mm_json_root(d)->n, 3);
	mm_json_doc_free(d);
}

static void test_strict(void **st)
{
	(void)st;
	static const char *const bad[] = {
		"", " ", "{", "[1,]", "{\"a\":1,}", "{a:1}", "01", "1.", "1e", "-", "+1", "NaN",
		"\"\\x\"", "\"a", "\"\x01\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\xc0\xaf\"",
		"tru", "nul", "[1 2]", "{\"a\" 1}", "1 2", "// c\n1", "'a'", "[\"\\u12G4\"]",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mm_json_doc *d = (struct mm_json_doc *)1;
		size_t off = 9999;
		int rc = mm_json_parse(&d, bad[i], strlen(bad[i]), NULL, &off);
		if (rc != MM_EPARSE)
			fprintf(stderr, "accepted: %s\n", bad[i]);
		assert_int_equal(rc, MM_EPARSE);
		assert_null(d);
		assert_true(off <= strlen(bad[i]));
	}
}

static void test_caps(void **st)
{
	(void)st;
	char deep[300];
	memset(deep, '[', 200);
	deep[200] = '\0';
	struct mm_json_doc *d = NULL;
	struct mm_json_limits lim = {.max_depth = 100};
	assert_int_equal(mm_json_parse(&d, deep, 200, &lim, NULL), MM_ELIMIT);
	/* memory cap */
	size_t n = 200000;
	char *big = malloc(n + 3);
	big[0] = '[';
	for (size_t i = 1; i < n; i += 2) {
		big[i] = '1';
		big[i + 1] = ',';
	}
	big[n - 1] = '1';
	big[n] = ']';
	struct mm_json_limits small = {.max_mem = 64 * 1024};
	assert_int_equal(mm_json_parse(&d, big, n + 1, &small, NULL), MM_ELIMIT);
	assert_int_equal(mm_json_parse(&d, big, n + 1, NULL, NULL), MM_OK);
	assert_int_equal(mm_json_len(mm_json_root(d)), n / 2);
	mm_json_doc_free(d);
	free(big);
	mm_json_doc_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_caps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
