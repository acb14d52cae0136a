/* Unit tests: IPv4/IPv6 parsing and CIDR containment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mamori/core.h"

static bool in(const char *cidr, const char *ip)
{
	struct mm_cidr c;
	struct mm_ip a;
	assert_int_equal(mm_cidr_parse(mm_slice_cstr(cidr), &c), MM_OK);
	assert_int_equal(mm_ip_parse(mm_slice_cstr(ip), &a), MM_OK);
	return mm_cidr_contains(&c, &a);
}

static void test_parse(void **st)
{
	(void)st;
	struct mm_ip a;
	const char *good[] = {"0.0.0.0", "255.255.255.255", "192.0.2.1", "::", "::1",
	                      "2001:db8::1", "fe80::1:2:3:4", "2001:db8:0:0:0:0:2:1",
	                      "::ffff:192.0.2.1", "1:2:3:4:5:6:7:8", "1::", "1:2:3:4:5:6:7::"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(mm_ip_parse(mm_slice_cstr(good[i]), &a), MM_OK);
	const char *bad[] = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.", "a.b.c.d",
	                     "1..2.3", "1:2:3:4:5:6:7:8:9", ":::", "1::2::3", "12345::",
	                     "1.2.3.4 ", "::1:", ":1::", "1.2.3.0400", "fe80::1%eth0"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(mm_ip_parse(mm_slice_cstr(bad[i]), &a), MM_EPARSE);
	assert_int_equal(mm_ip_parse(mm_slice_cstr("::ffff:10.0.0.1"), &a), MM_OK);
	assert_true(a.v4);
	assert_int_equal(mm_ip_parse(mm_slice_cstr("10.0.0.1"), &a), MM_OK);
	assert_true(a.v4);
	assert_int_equal(a.a[12], 10);
	assert_int_equal(mm_ip_parse(mm_slice_cstr("2001:db8::1"), &a), MM_OK);
	assert_false(a.v4);
	assert_int_equal(a.a[0], 0x20);
	assert_int_equal(a.a[15], 1);
}

static void test_cidr(void **st)
{
	(void)st;
	assert_true(in("10.0.0.0/8", "10.255.1.2"));
	assert_false(in("10.0.0.0/8", "11.0.0.1"));
	assert_true(in("192.168.1.0/24", "192.168.1.255"));
	assert_false(in("192.168.1.0/24", "192.168.2.0"));
	assert_true(in("192.168.1.7/24", "192.168.1.9")); /* host bits ignored */
	assert_true(in("0.0.0.0/0", "8.8.8.8"));
	assert_false(in("0.0.0.0/0", "2001:db8::1")); /* IPv4 /0 is not all of IPv6 */
	assert_true(in("172.16.0.0/12", "172.31.255.255"));
	assert_false(in("172.16.0.0/12", "172.32.0.0"));
	assert_true(in("2001:db8::/32", "2001:db8:ffff::1"));
	assert_false(in("2001:db8::/32", "2001:db9::1"));
	assert_true(in("10.1.2.3", "10.1.2.3"));
	assert_false(in("10.1.2.3", "10.1.2.4"));
	assert_true(in("10.0.0.0/31", "10.0.0.1"));
	struct mm_cidr c;
	assert_int_equal(mm_cidr_parse(mm_slice_cstr("10.0.0.0/33"), &c), MM_EPARSE);
	assert_int_equal(mm_cidr_parse(mm_slice_cstr("10.0.0.0/"), &c), MM_EPARSE);
	assert_int_equal(mm_cidr_parse(mm_slice_cstr("10.0.0.0/-1"), &c), MM_EPARSE);
	assert_int_equal(mm_cidr_parse(mm_slice_cstr("::/129"), &c), MM_EPARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_parse), cmocka_unit_test(test_cidr)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
