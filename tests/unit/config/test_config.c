/* Unit tests: mamori.yaml access by dotted path, lists, integers, sequence
 * indexes, unknown-key detection and YAML error positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mamori/config.h"

#include <string.h>

static const char g_yaml[] =
	"scan:\n"
	"  db: /var/lib/mamori/mamori.db\n"
	"  year: 2023\n"
	"  tz: Asia/Tokyo\n"
	"  rules:\n"
	"    - rules/web\n"
	"    - rules/ssh\n"
	"  pipelines: extra.yml\n"
	"  glob: ~\n"
	"tests:\n"
	"  - name: a\n"
	"    n: 1\n"
	"  - name: b\n";

static void test_lookup(void **st)
{
	(void)st;
	struct mm_config *c = NULL;
	struct mm_error err;
	assert_int_equal(mm_config_load_buffer(&c, "m.yaml", g_yaml, strlen(g_yaml), &err), MM_OK);
	assert_string_equal(mm_config_str(c, "scan.db"), "/var/lib/mamori/mamori.db");
	assert_null(mm_config_str(c, "scan.glob"));
	assert_null(mm_config_str(c, "scan.nothing"));
	assert_null(mm_config_str(c, "scan")); /* a mapping, not a scalar */
	int64_t v;
	assert_int_equal(mm_config_int(c, "scan.year", &v, &err), MM_OK);
	assert_int_equal(v, 2023);
	assert_int_equal(mm_config_int(c, "scan.tz", &v, &err), MM_EINVAL);
	assert_int_equal(err.line, 4);
	assert_int_equal(mm_config_int(c, "scan.none", &v, &err), MM_ENOENT);
	const char *items[4];
	assert_int_equal(mm_config_list(c, "scan.rules", items, 4), 2);
	assert_string_equal(items[1], "rules/ssh");
	assert_int_equal(mm_config_list(c, "scan.pipelines", items, 4), 1);
	assert_string_equal(items[0], "extra.yml");
	assert_int_equal(mm_config_count(c, "tests"), 2);
	assert_string_equal(mm_config_str(c, "tests.1.name"), "b");
	assert_null(mm_config_str(c, "tests.2.name"));
	assert_null(mm_config_str(c, "tests.-1.name"));
	static const char *const ok[] = {"db", "year", "tz", "rules", "pipelines", "glob", NULL};
	assert_int_equal(mm_config_check_keys(c, "scan", ok, &err), MM_OK);
	static const char *const few[] = {"db", NULL};
	assert_int_equal(mm_config_check_keys(c, "scan", few, &err), MM_EINVAL);
	assert_non_null(strstr(err.msg, "unknown key 'year'"));
	mm_config_free(c);
}

static void test_errors(void **st)
{
	(void)st;
	struct mm_config *c = NULL;
	struct mm_error err;
	const char bad[] = "scan:\n  db: [unclosed\n";
	assert_int_equal(mm_config_load_buffer(&c, "bad.yaml", bad, strlen(bad), &err), MM_EPARSE);
	assert_true(err.line >= 2);
	const char list[] = "- a\n- b\n";
	assert_int_equal(mm_config_load_buffer(&c, "l.yaml", list, strlen(list), &err), MM_EPARSE);
	assert_int_equal(mm_config_load(&c, "/nonexistent.yaml", &err), MM_ENOENT);
	mm_config_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_lookup),
	                                   cmocka_unit_test(test_errors)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
