/* Unit tests: capped buffer, JSON escaping (control chars, invalid UTF-8),
 * arena caps and reset, string map, slices and number parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mamori/core.h"

#include <stdlib.h>
#include <string.h>

static void test_buf_cap(void **st)
{
	(void)st;
	struct mm_buf b;
	mm_buf_init(&b, 8);
	assert_int_equal(mm_buf_puts(&b, "abcd"), MM_OK);
	assert_int_equal(mm_buf_puts(&b, "efgh"), MM_OK);
	assert_int_equal(mm_buf_putc(&b, 'x'), MM_ELIMIT);
	assert_int_equal(mm_buf_printf(&b, "%d", 1), MM_ELIMIT);
	assert_int_equal(b.cap_hits, 2);
	assert_string_equal(b.p, "abcdefgh");
	mm_buf_reset(&b);
	assert_int_equal(mm_buf_printf(&b, "%s-%d", "a", 42), MM_OK);
	assert_string_equal(b.p, "a-42");
	mm_buf_free(&b);
}

static const char *esc(struct mm_buf *b, const char *s, size_t n)
{
	mm_buf_reset(b);
	assert_int_equal(mm_json_escape(b, s, n), MM_OK);
	return b->p ? b->p : "";
}

static void test_json_escape(void **st)
{
	(void)st;
	struct mm_buf b;
	mm_buf_init(&b, 0);
	assert_string_equal(esc(&b, "plain", 5), "plain");
	assert_string_equal(esc(&b, "a\"b\\c", 5), "a\\\"b\\\\c");
	assert_string_equal(esc(&b, "\n\r\t\x01\x1f\x7f", 6), "\\n\\r\\t\\u0001\\u001f\\u007f");
	assert_string_equal(esc(&b, "a\0b", 3), "a\\u0000b");
	/* valid UTF-8 passes through: 守り */
	assert_string_equal(esc(&b, "\xe5\xae\x88\xe3\x82\x8a", 6), "\xe5\xae\x88\xe3\x82\x8a");
	/* invalid bytes, overlongs, surrogates and truncated sequences become U+FFFD */
	assert_string_equal(esc(&b, "\xff", 1), "\\ufffd");
	assert_string_equal(esc(&b, "\xc0\xaf", 2), "\\ufffd\\ufffd");
	assert_string_equal(esc(&b, "\xed\xa0\x80", 3), "\\ufffd\\ufffd\\ufffd");
	assert_string_equal(esc(&b, "x\xe5\xae", 3), "x\\ufffd\\ufffd");
	assert_string_equal(esc(&b, "\xf4\x90\x80\x80", 4), "\\ufffd\\ufffd\\ufffd\\ufffd");
	assert_string_equal(esc(&b, "</script>", 9), "</script>");
	/* invisible format characters are written as escapes: RLO, LRI..PDI,
	 * zero-width space, line separator, BOM; their neighbours (U+2010 hyphen,
	 * U+2030 per mille) pass */
	assert_string_equal(esc(&b, "a\xe2\x80\xae" "b", 5), "a\\u202eb");
	assert_string_equal(esc(&b, "\xe2\x81\xa6\xe2\x81\xa9", 6), "\\u2066\\u2069");
	assert_string_equal(esc(&b, "\xe2\x80\x8b\xe2\x80\xa8\xef\xbb\xbf", 9),
	                    "\\u200b\\u2028\\ufeff");
	assert_string_equal(esc(&b, "\xe2\x80\x90\xe2\x80\xb0", 6), "\xe2\x80\x90\xe2\x80\xb0");
	mm_buf_free(&b);
}

static void test_arena(void **st)
{
	(void)st;
	struct mm_arena *a = mm_arena_new(64, 256);
	void *p = mm_arena_alloc(a, 10);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 16, 0);
	assert_non_null(mm_arena_alloc(a, 40));
	assert_non_null(mm_arena_alloc(a, 100)); /* a new chunk */
	assert_null(mm_arena_alloc(a, 200));     /* would pass the 256-byte cap */
	assert_int_equal(mm_arena_cap_hits(a), 1);
	mm_arena_reset(a);
	assert_int_equal(mm_arena_used(a), 0);
	struct mm_slice s = mm_slice_dup(a, mm_slice_cstr("hello"));
	assert_int_equal(s.n, 5);
	assert_string_equal(s.p, "hello");
	mm_arena_free(a);
	mm_arena_free(NULL);
}

static void test_map(void **st)
{
	(void)st;
	struct mm_map *m = mm_map_new(true);
	char key[32];
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "Key-%d", i);
		mm_map_put(m, key, strlen(key), (void *)(uintptr_t)(i + 1));
	}
	assert_int_equal(mm_map_count(m), 1000);
	assert_int_equal((uintptr_t)mm_map_get(m, "key-999", 7), 1000);
	assert_int_equal((uintptr_t)mm_map_get(m, "KEY-0", 5), 1);
	assert_null(mm_map_get(m, "key-1000", 8));
	mm_map_put(m, "key-0", 5, (void *)(uintptr_t)7);
	assert_int_equal(mm_map_count(m), 1000);
	assert_int_equal((uintptr_t)mm_map_get(m, "Key-0", 5), 7);
	size_t it = 0, n = 0;
	while (mm_map_next(m, &it, NULL, NULL, NULL))
		n++;
	assert_int_equal(n, 1000);
	mm_map_free(m);
	struct mm_map *cs = mm_map_new(false);
	mm_map_put(cs, "A", 1, (void *)1);
	assert_null(mm_map_get(cs, "a", 1));
	mm_map_free(cs);
	assert_true(mm_hash64("abc", 3, 0) != mm_hash64("abd", 3, 0));
	assert_true(mm_hash64_ci("ABC", 3, 0) == mm_hash64_ci("abc", 3, 0));
}

static void test_slices(void **st)
{
	(void)st;
	int64_t v;
	assert_int_equal(mm_slice_to_i64(mm_slice_cstr("404"), &v), MM_OK);
	assert_int_equal(v, 404);
	assert_int_equal(mm_slice_to_i64(mm_slice_cstr("-9223372036854775808"), &v), MM_OK);
	assert_true(v == INT64_MIN);
	assert_int_equal(mm_slice_to_i64(mm_slice_cstr("9223372036854775808"), &v), MM_EPARSE);
	assert_int_equal(mm_slice_to_i64(mm_slice_cstr("12a"), &v), MM_EPARSE);
	assert_int_equal(mm_slice_to_i64(mm_slice_cstr("-"), &v), MM_EPARSE);
	assert_int_equal(mm_slice_to_i64(MM_SLICE_NULL, &v), MM_EPARSE);
	double d;
	assert_int_equal(mm_slice_to_double(mm_slice_cstr("0.25"), &d), MM_OK);
	assert_true(d == 0.25);
	assert_int_equal(mm_slice_to_double(mm_slice_cstr("nan"), &d), MM_EPARSE);
	assert_true(mm_slice_ieq_cstr(mm_slice_cstr("GeT"), "get"));
	assert_false(mm_slice_eq_cstr(mm_slice_cstr("GeT"), "get"));
	char *s = mm_slice_strdup(mm_slice("abcdef", 3));
	assert_string_equal(s, "abc");
	free(s);
}

static void test_error(void **st)
{
	(void)st;
	struct mm_error e;
	char buf[256];
	mm_error_clear(&e);
	assert_int_equal(mm_error_set(&e, MM_EPARSE, "r.yml", 3, 7, "bad %s", "thing"), MM_EPARSE);
	mm_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "r.yml:3:7: bad thing");
	assert_int_equal(mm_error_set(NULL, MM_EIO, NULL, 0, 0, "x"), MM_EIO);
	assert_string_equal(mm_strerror(MM_ELIMIT), "limit reached");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_cap), cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_arena),   cmocka_unit_test(test_map),
		cmocka_unit_test(test_slices),  cmocka_unit_test(test_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
