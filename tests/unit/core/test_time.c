/* Unit tests: civil time conversion, RFC 3339 parsing, time zones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mamori/core.h"

#include <string.h>

static int64_t iso(const char *s, struct mm_tz *tz, int *rc)
{
	int64_t t = 0;
	*rc = mm_time_parse_iso8601(mm_slice_cstr(s), tz, &t);
	return t;
}

static void test_civil_roundtrip(void **st)
{
	(void)st;
	assert_int_equal(mm_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(mm_days_from_civil(2000, 3, 1), 11017);
	/* every day over 1899..2101 survives a round trip */
	for (int64_t d = mm_days_from_civil(1899, 1, 1); d < mm_days_from_civil(2101, 1, 1); d += 1) {
		int y, mo, da, h, mi, s;
		long ns;
		mm_time_to_civil(d * 86400 * MM_NS_PER_SEC + 3723 * MM_NS_PER_SEC + 5, &y, &mo, &da, &h,
		                 &mi, &s, &ns);
		assert_int_equal(mm_days_from_civil(y, (unsigned)mo, (unsigned)da), d);
		assert_int_equal(h, 1);
		assert_int_equal(mi, 2);
		assert_int_equal(s, 3);
		assert_int_equal(ns, 5);
	}
	/* before the epoch */
	int y, mo, da, h, mi, s;
	long ns;
	mm_time_to_civil(-1, &y, &mo, &da, &h, &mi, &s, &ns);
	assert_int_equal(y, 1969);
	assert_int_equal(mo, 12);
	assert_int_equal(da, 31);
	assert_int_equal(s, 59);
	assert_int_equal(ns, 999999999);
}

static void test_format(void **st)
{
	(void)st;
	char buf[40];
	mm_time_format(mm_time_from_civil(2023, 1, 5, 10, 0, 0, 123456789, 0), buf, sizeof(buf));
	assert_string_equal(buf, "2023-01-05T10:00:00.123Z");
	mm_time_format(mm_time_from_civil(2024, 2, 29, 23, 59, 59, 0, 9 * 3600), buf, sizeof(buf));
	assert_string_equal(buf, "2024-02-29T14:59:59.000Z");
}

static void test_iso_parse(void **st)
{
	(void)st;
	int rc;
	int64_t base = mm_time_from_civil(2023, 1, 5, 10, 0, 0, 0, 0);
	assert_true(iso("2023-01-05T10:00:00Z", NULL, &rc) == base && rc == 0);
	assert_true(iso("2023-01-05T19:00:00+09:00", NULL, &rc) == base && rc == 0);
	assert_true(iso("2023-01-05T19:00:00+0900", NULL, &rc) == base && rc == 0);
	assert_true(iso("2023-01-05 10:00:00", NULL, &rc) == base && rc == 0);
	assert_true(iso("2023-01-05T10:00:00.5Z", NULL, &rc) == base + 500000000 && rc == 0);
	assert_true(iso("2023-01-05T10:00:00.123456+00:00", NULL, &rc) == base + 123456000 &&
	            rc == 0);
	assert_true(iso("2023-01-05", NULL, &rc) == mm_time_from_civil(2023, 1, 5, 0, 0, 0, 0, 0));
	assert_true(mm_time_from_civil(99999, 1, 1, 0, 0, 0, 0, 0) == MM_TS_NONE);
	assert_true(mm_time_from_civil(1600, 1, 1, 0, 0, 0, 0, 0) == MM_TS_NONE);
	const char *bad[] = {"", "2023", "9999-01-01T00:00:00Z", "0001-01-01", "2023-13-01T00:00:00Z", "2023-01-05T25:00:00Z",
	                     "2023-01-05T10:00:00+9", "2023-01-05T10:00:00.Z",
	                     "2023-01-05T10:00:00Zjunk", "x023-01-05"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		iso(bad[i], NULL, &rc);
		assert_int_equal(rc, MM_EPARSE);
	}
}

static void test_tz(void **st)
{
	(void)st;
	struct mm_tz *tz = NULL;
	struct mm_error err;
	assert_int_equal(mm_tz_new(&tz, "+09:00", &err), MM_OK);
	assert_int_equal(mm_tz_offset(tz, 2023, 1, 5, 0, 0, 0), 9 * 3600);
	mm_tz_free(tz);
	assert_int_equal(mm_tz_new(&tz, "UTC", &err), MM_OK);
	assert_int_equal(mm_tz_offset(tz, 2023, 1, 5, 0, 0, 0), 0);
	mm_tz_free(tz);
	if (mm_tz_new(&tz, "America/New_York", &err) == MM_OK) {
		/* DST: -5 in January, -4 in July */
		assert_int_equal(mm_tz_offset(tz, 2023, 1, 5, 12, 0, 0), -5 * 3600);
		assert_int_equal(mm_tz_offset(tz, 2023, 7, 5, 12, 0, 0), -4 * 3600);
		mm_tz_free(tz);
	}
	if (mm_tz_new(&tz, "Asia/Tokyo", &err) == MM_OK) {
		int rc;
		int64_t t = iso("2023-01-05T19:00:00", tz, &rc);
		assert_int_equal(rc, 0);
		assert_true(t == mm_time_from_civil(2023, 1, 5, 10, 0, 0, 0, 0));
		mm_tz_free(tz);
	}
	assert_int_equal(mm_tz_new(&tz, "Nowhere/Atlantis", &err), MM_EINVAL);
	assert_non_null(strstr(err.msg, "Atlantis"));
	assert_int_equal(mm_tz_new(&tz, "../../etc/passwd", &err), MM_EINVAL);
}

static void test_month(void **st)
{
	(void)st;
	assert_int_equal(mm_month_from_abbr("Jan"), 1);
	assert_int_equal(mm_month_from_abbr("dec"), 12);
	assert_int_equal(mm_month_from_abbr("Foo"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil_roundtrip), cmocka_unit_test(test_format),
		cmocka_unit_test(test_iso_parse),       cmocka_unit_test(test_tz),
		cmocka_unit_test(test_month),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
