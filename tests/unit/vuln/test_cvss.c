/* Unit tests: CVSS v3.x base scores from vectors (FIRST CVSS v3.1 §7.1,
 * Roundup of Appendix A) against scores NVD publishes for these vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mamori/vuln.h"

static void test_scores(void **st)
{
	(void)st;
	static const struct {
		const char *v;
		double s;
	} cases[] = {
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 5.3}, /* CVE-2023-21835 */
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N", 5.3}, /* CVE-2023-22278 */
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0}, /* Log4Shell */
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1},  /* typical XSS */
		{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8},
		{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8},
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double s = -1;
		assert_int_equal(mm_cvss3_base_score(cases[i].v, &s), MM_OK);
		assert_true(s > cases[i].s - 0.001 && s < cases[i].s + 0.001);
	}
	double s;
	assert_int_equal(mm_cvss3_base_score("CVSS:2.0/AV:N", &s), MM_EPARSE);
	assert_int_equal(mm_cvss3_base_score("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", &s),
	                 MM_EPARSE);
	assert_int_equal(mm_cvss3_base_score("CVSS:3.1/AV:N/AC:L", &s), MM_EPARSE);
	assert_int_equal(mm_cvss_level(9.8), MM_VL_CRITICAL);
	assert_int_equal(mm_cvss_level(7.0), MM_VL_HIGH);
	assert_int_equal(mm_cvss_level(6.9), MM_VL_MEDIUM);
	assert_int_equal(mm_cvss_level(0.1), MM_VL_LOW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_scores)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
