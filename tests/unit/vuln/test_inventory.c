/* Unit tests: every inventory parser against fixtures with the exact package
 * list expected (tests/data/vuln/inventories/expected/, one file per fixture: host, name,
 * version, ecosystem, scheme, purl, cpe, source package, line, evidence),
 * the error count, and which format auto-detection picks; forcing that
 * format gives the same list. Junk is refused with a counted error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mamori/vuln.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIR MM_SOURCE_DIR "/tests/data/vuln/inventories/"

static void esc(struct mm_buf *b, const char *s)
{
	if (!s) {
		mm_buf_putc(b, '-');
		return;
	}
	for (; *s; s++) {
		if (*s == '\t')
			mm_buf_puts(b, "\\t");
		else if (*s == '\r')
			mm_buf_puts(b, "\\r");
		else if (*s == '\n')
			mm_buf_puts(b, "\\n");
		else
			mm_buf_putc(b, *s);
	}
}

static void render(const struct mm_inventory *inv, struct mm_buf *b)
{
	for (size_t i = 0; i < inv->n; i++) {
		const struct mm_pkg *p = &inv->pkgs[i];
		const char *f[] = {p->host, p->name, p->version, p->ecosystem,
		                   mm_vscheme_name(p->scheme), p->purl, p->cpe, p->src_name,
		                   p->src_version};
		for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
			esc(b, f[k]);
			mm_buf_putc(b, '|');
		}
		mm_buf_printf(b, "%u|", p->line);
		esc(b, p->evidence);
		mm_buf_putc(b, '\n');
	}
}

/* the expected file without its '#' comment lines */
static char *expected(const char *name)
{
	char path[1024], line[4096];
	snprintf(path, sizeof(path), DIR "expected/%s", name);
	FILE *f = fopen(path, "r");
	if (!f)
		fprintf(stderr, "cannot open %s\n", path);
	assert_non_null(f);
	struct mm_buf b;
	mm_buf_init(&b, 0);
	while (fgets(line, sizeof(line), f))
		if (line[0] != '#')
			mm_buf_puts(&b, line);
	fclose(f);
	return b.p ? b.p : mm_strdup("");
}

struct tcase {
	const char *fixture, *host, *format; /* format: what detection must pick */
	uint64_t errors;
	const char *expect;
	size_t npkgs;
};

static const struct tcase g_cases[] = {
	{"status-bookworm", NULL, "dpkg", 1, "status-bookworm.txt", 4},
	{"nginx_status", "web1", "dpkg", 0, "nginx_status.txt", 3},
	{"source_ver_override_status", "deb1", "dpkg", 0, "source_ver_override_status.txt", 1},
	{"dpkg-query.txt", "deb12", "dpkg-query", 0, "dpkg-query.txt", 6},
	{"rpm.txt", NULL, "rpm", 1, "rpm.txt", 7},
	{"laravel-7.12.0.cdx-1.4.json", NULL, "cyclonedx", 0, "laravel-7.12.0.cdx-1.4.txt", 62},
	{"cern-lhc-vdm-editor.cdx-1.2.json", NULL, "cyclonedx", 0, "cern-lhc-vdm-editor.cdx-1.2.txt", 43},
	{"webapp.cdx-1.5.json", NULL, "cyclonedx", 2, "webapp.cdx-1.5.txt", 7},
	{"firmware.cdx-1.6.json", NULL, "cyclonedx", 0, "firmware.cdx-1.6.txt", 5},
	{"image.spdx.json", NULL, "spdx", 2, "image.spdx.txt", 5},
	{"java-oracle8.txt", "jhost", "java", 0, "java-oracle8.txt", 1},
	{"java-openjdk17.txt", "jhost", "java", 0, "java-openjdk17.txt", 1},
	{"java-temurin17.txt", "jhost", "java", 0, "java-temurin17.txt", 1},
	{"java-zulu11.txt", "jhost", "java", 0, "java-zulu11.txt", 1},
	{"java-oracle17.txt", "jhost", "java", 0, "java-oracle17.txt", 2},
	{"appliances.csv", NULL, "csv", 2, "appliances.txt", 4},
};

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct mm_buf b;
	mm_buf_init(&b, 0);
	char chunk[4096];
	size_t r;
	while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0)
		mm_buf_append(&b, chunk, r);
	fclose(f);
	*n = b.n;
	return b.p ? b.p : mm_strdup("");
}

static void run_case(const struct tcase *t, const char *format)
{
	char path[1024];
	snprintf(path, sizeof(path), DIR "%s", t->fixture);
	size_t n;
	char *data = slurp(path, &n);
	if (!format) {
		const char *det = mm_inventory_detect(data, n);
		if (!det || strcmp(det, t->format))
			fprintf(stderr, "%s: detected %s, want %s\n", t->fixture, det ? det : "nothing",
			        t->format);
		assert_non_null(det);
		assert_string_equal(det, t->format);
	}
	struct mm_inventory inv;
	mm_inventory_init(&inv);
	struct mm_error err;
	mm_error_clear(&err);
	/* the evidence names the file as given: use the bare name */
	assert_int_equal(mm_inventory_parse(&inv, data, n, t->fixture, format, t->host, &err), MM_OK);
	struct mm_buf got;
	mm_buf_init(&got, 0);
	render(&inv, &got);
	char *want = expected(t->expect);
	if (strcmp(got.p ? got.p : "", want))
		fprintf(stderr, "%s (%s):\n--- want\n%s--- got\n%s", t->fixture,
		        format ? format : "auto", want, got.p ? got.p : "");
	assert_string_equal(got.p ? got.p : "", want);
	assert_int_equal(inv.n, t->npkgs);
	for (size_t i = 0; i < inv.n; i++)
		assert_string_equal(inv.pkgs[i].file, t->fixture);
	if (inv.errors != t->errors)
		fprintf(stderr, "%s: %llu errors, want %llu\n", t->fixture,
		        (unsigned long long)inv.errors, (unsigned long long)t->errors);
	assert_int_equal(inv.errors, t->errors);
	free(want);
	mm_buf_free(&got);
	mm_inventory_free(&inv);
	free(data);
}

static void test_fixtures_auto(void **st)
{
	(void)st;
	for (size_t i = 0; i < sizeof(g_cases) / sizeof(g_cases[0]); i++)
		run_case(&g_cases[i], NULL);
}

static void test_fixtures_forced(void **st)
{
	(void)st;
	for (size_t i = 0; i < sizeof(g_cases) / sizeof(g_cases[0]); i++)
		run_case(&g_cases[i], g_cases[i].format);
}

/* the CLI's loader: same list, the path as given */
static void test_load(void **st)
{
	(void)st;
	struct mm_inventory inv;
	mm_inventory_init(&inv);
	struct mm_error err;
	mm_error_clear(&err);
	assert_int_equal(mm_inventory_load(&inv, DIR "rpm.txt", NULL, "h", &err), MM_OK);
	assert_int_equal(inv.n, 7);
	assert_string_equal(inv.pkgs[0].file, DIR "rpm.txt");
	assert_string_equal(inv.pkgs[0].host, "h");
	assert_int_equal(mm_inventory_load(&inv, DIR "does-not-exist", NULL, NULL, &err), MM_EIO);
	mm_inventory_free(&inv);
}

/* Auto-detection refuses what is not an inventory, with a counted error */
static void test_junk(void **st)
{
	(void)st;
	static const char *const junk[] = {
		"",
		"hello world\nthis is not an inventory\n",
		"{\"foo\": [1, 2, 3]}",
		"<html><body>404 Not Found</body></html>\n",
		"\177ELF\2\1\1",
		"a,b\nc,d,e,f\n",            /* not 3 fields */
		"Package dpkg without colon\n", /* not a control field */
		"Description: a stanza\nVersion: 1\n\nPackage: late\n", /* no Package in the first */
		"name\tversion\textra\n",    /* dpkg-query has 2 columns */
		"java is great\n",
	};
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		struct mm_inventory inv;
		mm_inventory_init(&inv);
		struct mm_error err;
		mm_error_clear(&err);
		size_t n = strlen(junk[i]);
		if (i == 4)
			n = 7;
		const char *det = mm_inventory_detect(junk[i], n);
		if (det)
			fprintf(stderr, "junk %zu detected as %s\n", i, det);
		assert_null(det);
		assert_int_equal(mm_inventory_parse(&inv, junk[i], n, "junk", NULL, NULL, &err),
		                 MM_EPARSE);
		assert_int_equal(inv.errors, 1);
		assert_int_equal(inv.n, 0);
		assert_non_null(strstr(err.msg, "--inventory-format"));
		mm_inventory_free(&inv);
	}
	/* a forced SBOM format on junk: an error, counted */
	struct mm_inventory inv;
	mm_inventory_init(&inv);
	struct mm_error err;
	mm_error_clear(&err);
	assert_int_equal(mm_inventory_parse(&inv, "{\"a\":1}", 7, "x", "cyclonedx", NULL, &err),
	                 MM_EPARSE);
	assert_int_equal(mm_inventory_parse(&inv, "not json", 8, "x", "spdx", NULL, &err),
	                 MM_EPARSE);
	assert_int_equal(inv.errors, 2);
	assert_int_equal(mm_inventory_parse(&inv, "x", 1, "x", "nope", NULL, &err), MM_ENOENT);
	mm_inventory_free(&inv);
}

/* osv-scanner's malformed dpkg status, forced: the packages that have a
 * name and a version, every broken stanza counted */
static void test_malformed_dpkg(void **st)
{
	(void)st;
	size_t n;
	char *data = slurp(DIR "malformed_status", &n);
	assert_null(mm_inventory_detect(data, n)); /* its first line is prose */
	struct mm_inventory inv;
	mm_inventory_init(&inv);
	struct mm_error err;
	mm_error_clear(&err);
	assert_int_equal(mm_inventory_parse(&inv, data, n, "m", "dpkg", "h", &err), MM_OK);
	struct mm_buf got;
	mm_buf_init(&got, 0);
	render(&inv, &got);
	char *want = expected("malformed_status.txt");
	if (strcmp(got.p ? got.p : "", want))
		fprintf(stderr, "--- want\n%s--- got\n%s", want, got.p ? got.p : "");
	assert_string_equal(got.p ? got.p : "", want);
	fprintf(stderr, "malformed_status: %zu packages, %llu errors\n", inv.n,
	        (unsigned long long)inv.errors);
	assert_int_equal(inv.errors, 9);
	assert_int_equal(inv.n, 0);
	free(want);
	mm_buf_free(&got);
	mm_inventory_free(&inv);
	free(data);
}

/* the package cap holds and is counted */
static void test_cap(void **st)
{
	(void)st;
	struct mm_inventory inv;
	mm_inventory_init(&inv);
	inv.max = 2;
	struct mm_error err;
	mm_error_clear(&err);
	assert_int_equal(mm_inventory_load(&inv, DIR "rpm.txt", NULL, NULL, &err), MM_OK);
	assert_int_equal(inv.n, 2);
	assert_int_equal(inv.cap_hits, 5);
	mm_inventory_free(&inv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_auto), cmocka_unit_test(test_fixtures_forced),
		cmocka_unit_test(test_load),          cmocka_unit_test(test_junk),
		cmocka_unit_test(test_malformed_dpkg), cmocka_unit_test(test_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
