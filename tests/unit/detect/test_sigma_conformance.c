/* mamori — Sigma conformance over the real SigmaHQ collection (Detection Rule
 * License 1.1, used in place from $MM_EXTERNAL/sigma-full, never copied):
 * every document gets a status, per-folder counts and the histogram of
 * unsupported/invalid reasons are printed, and at least 90% of the
 * webserver + proxy + linux rules must load. Skips when the folder is absent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "mamori/detect.h"

static char g_root[2048];

static bool find_root(void)
{
	const char *ext = getenv("MM_EXTERNAL");
	char def[900];
	struct stat sb;
	if (!ext) {
		snprintf(def, sizeof(def), "%s/../shared/data/external", MM_SOURCE_DIR);
		ext = def;
	}
	snprintf(g_root, sizeof(g_root), "%s/sigma-full", ext);
	return stat(g_root, &sb) == 0 && S_ISDIR(sb.st_mode);
}

struct counts {
	size_t docs, loaded, filter, unsupported, invalid;
};

static void count(const struct mm_ruleset *rs, struct counts *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < mm_ruleset_status_count(rs); i++) {
		const struct mm_rule_status *st = mm_ruleset_status_at(rs, i);
		c->docs++;
		assert_non_null(st->path);
		switch (st->state) {
		case MM_RULE_LOADED:
			c->loaded++;
			assert_null(st->reason);
			break;
		case MM_RULE_FILTER:
			c->filter++;
			break;
		case MM_RULE_UNSUPPORTED:
			c->unsupported++;
			assert_non_null(st->reason);
			break;
		case MM_RULE_INVALID:
			c->invalid++;
			assert_non_null(st->reason);
			break;
		}
	}
}

/* Reasons histogram: the reason with line numbers and quoted values cut at
 * the first '(' or '\'' so similar reasons group. */
struct reason {
	char key[160];
	size_t n;
	char example[300];
};

static int cmp_reason(const void *a, const void *b)
{
	const struct reason *x = a, *y = b;
	return x->n < y->n ? 1 : x->n > y->n ? -1 : strcmp(x->key, y->key);
}

static void histogram(const struct mm_ruleset *rs, size_t top)
{
	size_t n = mm_ruleset_status_count(rs), nr = 0;
	struct reason *rv = calloc(n + 1, sizeof(*rv));
	assert_non_null(rv);
	for (size_t i = 0; i < n; i++) {
		const struct mm_rule_status *st = mm_ruleset_status_at(rs, i);
		if (!st->reason)
			continue;
		char key[160];
		snprintf(key, sizeof(key), "%s: %s", mm_rule_state_name(st->state), st->reason);
		char *cut = strpbrk(key + 12, "(0123456789");
		if (cut)
			*cut = '\0';
		size_t j;
		for (j = 0; j < nr; j++)
			if (strcmp(rv[j].key, key) == 0)
				break;
		if (j == nr) {
			memcpy(rv[nr].key, key, sizeof(key));
			snprintf(rv[nr].example, sizeof(rv[nr].example), "%s: %s", st->path, st->reason);
			nr++;
		}
		rv[j].n++;
	}
	qsort(rv, nr, sizeof(*rv), cmp_reason);
	for (size_t j = 0; j < nr && j < top; j++)
		printf("  %5zu  %s\n         e.g. %s\n", rv[j].n, rv[j].key, rv[j].example);
	free(rv);
}

static void load_folder(const char *sub, struct counts *c, bool show)
{
	char path[2200];
	struct mm_error err;
	snprintf(path, sizeof(path), "%s/%s", g_root, sub);
	struct mm_ruleset *rs = mm_ruleset_new(true);
	int rc = mm_ruleset_add_path(rs, path, &err);
	if (rc) {
		char buf[1400];
		mm_error_format(&err, buf, sizeof(buf));
		fail_msg("%s", buf);
	}
	assert_int_equal(mm_ruleset_compile(rs, &err), MM_OK);
	count(rs, c);
	printf("%-40s docs %5zu  loaded %5zu  filter %3zu  unsupported %4zu  invalid %4zu\n", sub,
	       c->docs, c->loaded, c->filter, c->unsupported, c->invalid);
	assert_int_equal(mm_ruleset_rule_count(rs), c->loaded);
	if (show)
		histogram(rs, 12);
	mm_ruleset_free(rs);
}

static void test_web_proxy_linux(void **state)
{
	(void)state;
	if (!find_root()) {
		printf("SKIP: %s is absent (set MM_EXTERNAL to the external data folder)\n", g_root);
		skip();
	}
	const char *folders[] = {"rules/web/webserver_generic", "rules/web/proxy_generic",
	                         "rules/web/product", "rules/linux"};
	size_t total = 0, loaded = 0;
	for (size_t i = 0; i < MM_ARRAY_LEN(folders); i++) {
		struct counts c;
		load_folder(folders[i], &c, true);
		total += c.docs;
		loaded += c.loaded;
	}
	printf("webserver+proxy+linux: %zu of %zu loaded (%.1f%%)\n", loaded, total,
	       total ? 100.0 * (double)loaded / (double)total : 0.0);
	struct counts net;
	load_folder("rules/network", &net, true); /* reported, not part of the 90% bar */
	assert_true(total > 0);
	assert_true(loaded * 10 >= total * 9);
}

static void test_whole_collection(void **state)
{
	(void)state;
	if (!find_root()) {
		printf("SKIP: %s is absent (set MM_EXTERNAL to the external data folder)\n", g_root);
		skip();
	}
	const char *folders[] = {"rules/web",           "rules/linux",
	                         "rules/network",       "rules/windows",
	                         "rules/cloud",         "rules/application",
	                         "rules/identity",      "rules/macos",
	                         "rules/category",      "rules-emerging-threats",
	                         "rules-threat-hunting", "rules-compliance",
	                         "rules-placeholder"};
	clock_t t0 = clock();
	struct mm_ruleset *rs = mm_ruleset_new(true);
	struct mm_error err;
	for (size_t i = 0; i < MM_ARRAY_LEN(folders); i++) {
		char path[2200];
		struct stat sb;
		snprintf(path, sizeof(path), "%s/%s", g_root, folders[i]);
		if (stat(path, &sb) != 0)
			continue;
		assert_int_equal(mm_ruleset_add_path(rs, path, &err), MM_OK);
	}
	assert_int_equal(mm_ruleset_compile(rs, &err), MM_OK);
	struct counts c;
	count(rs, &c);
	struct mm_prefilter_info pi;
	mm_ruleset_prefilter_info(rs, &pi);
	printf("whole collection: docs %zu  loaded %zu  filter %zu  unsupported %zu  invalid %zu"
	       "  (%.1f s)\n",
	       c.docs, c.loaded, c.filter, c.unsupported, c.invalid,
	       (double)(clock() - t0) / CLOCKS_PER_SEC);
	printf("prefilter: %zu literals, %zu rules filtered, %zu always evaluated\n", pi.literals,
	       pi.rules_filtered, pi.rules_always);
	for (size_t f = 0; f < MM_ARRAY_LEN(folders); f++) {
		char pre[2200];
		size_t np = (size_t)snprintf(pre, sizeof(pre), "%s/%s/", g_root, folders[f]);
		struct counts fc;
		memset(&fc, 0, sizeof(fc));
		for (size_t i = 0; i < mm_ruleset_status_count(rs); i++) {
			const struct mm_rule_status *st = mm_ruleset_status_at(rs, i);
			if (strncmp(st->path, pre, np) != 0)
				continue;
			fc.docs++;
			fc.loaded += st->state == MM_RULE_LOADED;
			fc.unsupported += st->state == MM_RULE_UNSUPPORTED;
			fc.invalid += st->state == MM_RULE_INVALID;
		}
		printf("  %-26s docs %5zu  loaded %5zu  unsupported %4zu  invalid %4zu\n", folders[f],
		       fc.docs, fc.loaded, fc.unsupported, fc.invalid);
	}
	histogram(rs, 25);
	assert_true(c.docs >= 3000);
	assert_true(c.loaded * 10 >= c.docs * 8);
	mm_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_web_proxy_linux),
		cmocka_unit_test(test_whole_collection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
