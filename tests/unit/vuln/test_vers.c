/* Unit tests: version schemes against reference vectors (osv-scanner's
 * semantic fixtures, Apache-2.0, in tests/data/vuln/; mamori's own Java,
 * vendor and generic files). Each line "a OP b" is checked both ways. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mamori/vuln.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run_vectors(const char *file, enum mm_vscheme s)
{
	char path[1024], line[512];
	snprintf(path, sizeof(path), "%s/tests/data/vuln/%s", MM_SOURCE_DIR, file);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	int n = 0, bad = 0;
	while (fgets(line, sizeof(line), f)) {
		char a[200], op[4], b[200];
		if (line[0] == '#' || line[0] == '/' ||
		    sscanf(line, "%199s %3s %199s", a, op, b) != 3 || op[1] ||
		    !strchr("<>=", op[0]))
			continue;
		int want = op[0] == '<' ? -1 : op[0] == '>' ? 1 : 0;
		int got = mm_vers_cmp(s, mm_slice_cstr(a), mm_slice_cstr(b));
		int back = mm_vers_cmp(s, mm_slice_cstr(b), mm_slice_cstr(a));
		if (got != want || back != -want) {
			fprintf(stderr, "%s: %s %s %s: got %d (reverse %d)\n", file, a, op, b, got,
			        back);
			bad++;
		}
		n++;
	}
	fclose(f);
	fprintf(stderr, "%s: %d vectors, %d wrong\n", file, n, bad);
	assert_true(n > 5);
	return bad;
}

static void test_debian(void **st) { (void)st; assert_int_equal(run_vectors("debian-versions.txt", MM_VS_DEB), 0); }
static void test_rpm(void **st) { (void)st; assert_int_equal(run_vectors("redhat-versions.txt", MM_VS_RPM), 0); }
static void test_semver(void **st) { (void)st; assert_int_equal(run_vectors("semver-versions.txt", MM_VS_SEMVER), 0); }
static void test_maven(void **st) { (void)st; assert_int_equal(run_vectors("maven-versions.txt", MM_VS_MAVEN), 0); }
static void test_java(void **st) { (void)st; assert_int_equal(run_vectors("java-versions.txt", MM_VS_JAVA), 0); }
static void test_vendor(void **st) { (void)st; assert_int_equal(run_vectors("vendor-versions.txt", MM_VS_VENDOR), 0); }
static void test_generic(void **st) { (void)st; assert_int_equal(run_vectors("generic-versions.txt", MM_VS_GENERIC), 0); }
static void test_pep440(void **st) { (void)st; assert_int_equal(run_vectors("pypi-versions.txt", MM_VS_PEP440), 0); }
static void test_pep440_own(void **st) { (void)st; assert_int_equal(run_vectors("pep440-versions.txt", MM_VS_PEP440), 0); }
static void test_apk(void **st) { (void)st; assert_int_equal(run_vectors("alpine-versions.txt", MM_VS_APK), 0); }
/* 5,000 random pairs ordered by PyPA's packaging (gen_pep440_pairs.py) */
static void test_pep440_oracle(void **st) { (void)st; assert_int_equal(run_vectors("pep440-oracle.txt", MM_VS_PEP440), 0); }

static void test_specials(void **st)
{
	(void)st;
#define C(s, a, b) mm_vers_cmp(s, mm_slice_cstr(a), mm_slice_cstr(b))
	/* dpkg: ~ before the end, letters before other punctuation, epochs */
	assert_int_equal(C(MM_VS_DEB, "1.0~rc1-1", "1.0-1"), -1);
	assert_int_equal(C(MM_VS_DEB, "1.0~~", "1.0~"), -1);
	assert_int_equal(C(MM_VS_DEB, "1:0.1", "9.9"), 1);
	assert_int_equal(C(MM_VS_DEB, "1.0a", "1.0+"), -1);
	assert_int_equal(C(MM_VS_DEB, "99999999999999999999:1", "99999999999999999998:2"), 1);
	/* rpm: tilde pre-releases, caret snapshots */
	assert_int_equal(C(MM_VS_RPM, "1.0~rc1", "1.0"), -1);
	assert_int_equal(C(MM_VS_RPM, "1.0^git1", "1.0"), 1);
	assert_int_equal(C(MM_VS_RPM, "1.0^git1", "1.0.1"), -1);
	assert_int_equal(C(MM_VS_RPM, "1:1.0-1", "0:2.0-1"), 1);
	assert_int_equal(C(MM_VS_RPM, "(none):1.0-1.el8", "1.0-1.el8"), 0);
	/* semver: build metadata ignored */
	assert_int_equal(C(MM_VS_SEMVER, "1.0.0+build.1", "1.0.0+build.2"), 0);
	/* every scheme tolerates junk and empty strings */
	for (int s = 0; s < MM_VS_COUNT; s++) {
		assert_int_equal(C((enum mm_vscheme)s, "", ""), 0);
		assert_int_equal(C((enum mm_vscheme)s, "\x01\xff--..", "\x01\xff--.."), 0);
		enum mm_vscheme back;
		assert_int_equal(mm_vscheme_from_name(mm_vscheme_name((enum mm_vscheme)s), &back), MM_OK);
		assert_int_equal(back, s);
	}
#undef C
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian), cmocka_unit_test(test_rpm),
		cmocka_unit_test(test_semver), cmocka_unit_test(test_maven),
		cmocka_unit_test(test_java),   cmocka_unit_test(test_vendor),
		cmocka_unit_test(test_generic), cmocka_unit_test(test_pep440),
		cmocka_unit_test(test_pep440_own), cmocka_unit_test(test_pep440_oracle),
		cmocka_unit_test(test_apk),           cmocka_unit_test(test_specials),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
