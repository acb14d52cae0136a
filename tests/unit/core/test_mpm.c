/* mamori — the Hyperscan wrapper (src/core/mpm.c): literals with any byte
 * (literal API, or escaped beside a regex), caseless and single-match flags,
 * regexes with start of match, stopping a scan from the callback, empty
 * matchers and compile errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mamori/mpm.h"

struct hits {
	unsigned ids[64];
	unsigned long long from[64], to[64];
	size_t n, stop_after;
};

static int on_hit(void *ud, unsigned id, unsigned long long from, unsigned long long to)
{
	struct hits *h = ud;
	if (h->n < 64) {
		h->ids[h->n] = id;
		h->from[h->n] = from;
		h->to[h->n] = to;
	}
	h->n++;
	return h->stop_after && h->n >= h->stop_after;
}

static void test_literals(void **s)
{
	struct mm_error err;
	struct mm_mpm *m = mm_mpm_new();
	mm_mpm_add(m, "union select", 12, 7, MM_MPM_CASELESS);
	mm_mpm_add(m, "a.b*c(", 6, 8, 0); /* regex metacharacters are literal */
	mm_mpm_add(m, "x\0y", 3, 9, MM_MPM_SINGLEMATCH); /* NUL byte */
	assert_int_equal(mm_mpm_count(m), 3);
	assert_int_equal(mm_mpm_compile(m, &err), MM_OK);
	struct mm_mpm_scratch *sc = mm_mpm_scratch_new(m);

	struct hits h = {0};
	const char *t1 = "q=1 UNION SELECT 2";
	assert_int_equal(mm_mpm_scan(m, sc, t1, strlen(t1), on_hit, &h), MM_OK);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.ids[0], 7);
	assert_int_equal(h.to[0], strlen(t1) - 2);

	memset(&h, 0, sizeof(h));
	assert_int_equal(mm_mpm_scan(m, sc, "a.b*c( A.B*C(", 13, on_hit, &h), MM_OK);
	assert_int_equal(h.n, 1); /* case-sensitive */
	memset(&h, 0, sizeof(h));
	assert_int_equal(mm_mpm_scan(m, sc, "aXb*c(", 6, on_hit, &h), MM_OK);
	assert_int_equal(h.n, 0);

	memset(&h, 0, sizeof(h));
	assert_int_equal(mm_mpm_scan(m, sc, "x\0y x\0y", 7, on_hit, &h), MM_OK);
	assert_int_equal(h.n, 1); /* single match */
	assert_int_equal(h.ids[0], 9);

	/* the callback can stop the scan */
	memset(&h, 0, sizeof(h));
	h.stop_after = 1;
	const char *t2 = "union select union select";
	assert_int_equal(mm_mpm_scan(m, sc, t2, strlen(t2), on_hit, &h), MM_OK);
	assert_int_equal(h.n, 1);
	mm_mpm_scratch_free(sc);
	mm_mpm_free(m);
}

static void test_regex_som(void **s)
{
	struct mm_error err;
	struct mm_mpm *m = mm_mpm_new();
	mm_mpm_add(m, "[0-9]{3}-[0-9]{4}", 17, 1, MM_MPM_REGEX | MM_MPM_SOM);
	assert_int_equal(mm_mpm_compile(m, &err), MM_OK);
	struct mm_mpm_scratch *sc = mm_mpm_scratch_new(m);
	struct hits h = {0};
	assert_int_equal(mm_mpm_scan(m, sc, "tel 555-1234.", 13, on_hit, &h), MM_OK);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.from[0], 4);
	assert_int_equal(h.to[0], 12);
	mm_mpm_scratch_free(sc);
	mm_mpm_free(m);
}

/* A literal-only set compiles with Hyperscan's literal API (test_literals);
 * with a regex in the set the literals are hex-escaped: the same literals
 * must match the same way on both paths. */
static void test_literals_beside_regex(void **s)
{
	struct mm_error err;
	struct mm_mpm *m = mm_mpm_new();
	mm_mpm_add(m, "union select", 12, 7, MM_MPM_CASELESS);
	mm_mpm_add(m, "a.b*c(", 6, 8, 0);
	mm_mpm_add(m, "x\0y", 3, 9, MM_MPM_SINGLEMATCH);
	mm_mpm_add(m, "[0-9]{3}", 8, 1, MM_MPM_REGEX | MM_MPM_SINGLEMATCH);
	assert_int_equal(mm_mpm_compile(m, &err), MM_OK);
	struct mm_mpm_scratch *sc = mm_mpm_scratch_new(m);
	struct hits h = {0};
	const char t[] = "UNION Select a.b*c( aXb*c( x\0y 123";
	assert_int_equal(mm_mpm_scan(m, sc, t, sizeof(t) - 1, on_hit, &h), MM_OK);
	assert_int_equal(h.n, 4);
	unsigned seen = 0;
	for (size_t i = 0; i < h.n; i++)
		seen |= 1u << h.ids[i];
	assert_int_equal(seen, (1u << 7) | (1u << 8) | (1u << 9) | (1u << 1));
	mm_mpm_scratch_free(sc);
	mm_mpm_free(m);
}

static void test_empty_and_errors(void **s)
{
	struct mm_error err;
	struct mm_mpm *m = mm_mpm_new();
	assert_int_equal(mm_mpm_compile(m, &err), MM_OK);
	struct mm_mpm_scratch *sc = mm_mpm_scratch_new(m);
	struct hits h = {0};
	assert_int_equal(mm_mpm_scan(m, sc, "abc", 3, on_hit, &h), MM_OK);
	assert_int_equal(h.n, 0);
	mm_mpm_scratch_free(sc);
	mm_mpm_free(m);

	m = mm_mpm_new();
	mm_mpm_add(m, "ok", 2, 1, 0);
	mm_mpm_add(m, "(unclosed", 9, 42, MM_MPM_REGEX);
	assert_int_equal(mm_mpm_compile(m, &err), MM_EPARSE);
	assert_non_null(strstr(err.msg, "(unclosed"));
	assert_non_null(strstr(err.msg, "pattern id 42"));
	mm_mpm_free(m);
	mm_mpm_free(NULL);
	mm_mpm_scratch_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_regex_som),
		cmocka_unit_test(test_literals_beside_regex),
		cmocka_unit_test(test_empty_and_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
