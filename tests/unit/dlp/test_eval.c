/* DLP evaluation: the generated customer exports (tools/gen_dlp.c, in UTF-8,
 * Shift_JIS, EUC-JP, UTF-16; CSV, TSV, JSON Lines, SQL, text) are scanned
 * with the default options; every counted finding is matched to the ground
 * truth by (file, record, type). Prints precision and recall per type and
 * requires both >= 0.99, and the records holding PII exactly equal to the
 * truth per file. Needs MM_GEN_DLP (set by CTest). */
#define _GNU_SOURCE /* memrchr */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mamori/dlp.h"

#include "dlp_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct eval {
	struct mm_map *truth; /* "file\trecord\ttype" → count */
	struct mm_map *seen;  /* same keys, detected */
	const char *file;
};

static void key(char *k, size_t n, const char *file, uint64_t rec, const char *type)
{
	snprintf(k, n, "%s\t%llu\t%s", file, (unsigned long long)rec, type);
}

static void bump(struct mm_map *m, const char *k)
{
	uintptr_t v = (uintptr_t)mm_map_get(m, k, strlen(k));
	mm_map_put(m, k, strlen(k), (void *)(v + 1));
}

static void on_finding(void *ud, const struct mm_dlp_finding *f)
{
	struct eval *e = ud;
	char k[512];
	key(k, sizeof(k), e->file, f->record, mm_dlp_type_id(f->type));
	bump(e->seen, k);
}

static void test_eval(void **st)
{
	(void)st;
	char dir[] = "/tmp/mm_dlp_eval_XXXXXX";
	dlp_generate(dir, "set", 7, 5000);

	struct eval e = {mm_map_new(false), mm_map_new(false), NULL};
	char path[1024];
	snprintf(path, sizeof(path), "%s/set/truth.tsv", dir);
	FILE *t = fopen(path, "r");
	assert_non_null(t);
	char line[4096];
	char files[16][64];
	uint64_t want_pii[16];
	size_t nfiles = 0;
	while (fgets(line, sizeof(line), t)) {
		char *f[5] = {0};
		size_t nf = 0;
		for (char *p = line; nf < 5;) {
			f[nf++] = p;
			char *tab = strchr(p, '\t');
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		if (line[0] == 'F' && nf >= 4 && nfiles < 16) {
			snprintf(files[nfiles], sizeof(files[0]), "%s", f[1]);
			want_pii[nfiles++] = strtoull(f[3], NULL, 10);
		} else if (line[0] == 'I' && nf >= 4) {
			char k[512];
			key(k, sizeof(k), f[1], strtoull(f[2], NULL, 10), f[3]);
			bump(e.truth, k);
		}
	}
	fclose(t);
	assert_int_equal(nfiles, 8);

	struct mm_dlp_opts o;
	mm_dlp_opts_default(&o);
	o.on_finding = on_finding;
	o.ud = &e;
	struct mm_dlp *d = NULL;
	struct mm_error err;
	assert_int_equal(mm_dlp_new(&d, &o, &err), MM_OK);
	bool counts_ok = true;
	for (size_t i = 0; i < nfiles; i++) {
		size_t n = 0;
		snprintf(path, sizeof(path), "%s/set/%s", dir, files[i]);
		char *buf = dlp_slurp(path, &n);
		assert_non_null(buf);
		e.file = files[i];
		struct mm_dlp_result r;
		/* feed in odd-sized pieces: records and characters cut across feeds */
		struct mm_dlp_file *f = mm_dlp_file_new(d, files[i]);
		for (size_t off = 0; off < n; off += 777777)
			assert_int_equal(mm_dlp_file_feed(f, buf + off, MM_MIN((size_t)777777, n - off)),
			                 MM_OK);
		assert_int_equal(mm_dlp_file_finish(f, &r), MM_OK);
		mm_dlp_file_free(f);
		printf("%-22s %-6s %-8s records %6llu  with PII %6llu  (truth %6llu)%s\n", files[i],
		       mm_dlp_format_name(r.format), mm_dlp_encoding_name(r.encoding),
		       (unsigned long long)r.records, (unsigned long long)r.records_pii,
		       (unsigned long long)want_pii[i], r.records_pii == want_pii[i] ? "" : "  MISMATCH");
		counts_ok = counts_ok && r.records_pii == want_pii[i];
		mm_dlp_result_clear(&r);
		free(buf);
	}
	/* per type: TP = min(truth, seen) per key */
	uint64_t tp[MM_DLP__TYPES] = {0}, fp[MM_DLP__TYPES] = {0}, fn[MM_DLP__TYPES] = {0};
	size_t it = 0;
	const char *k;
	size_t kn;
	void *v;
	int shown = 0;
	while (mm_map_next(e.truth, &it, &k, &kn, &v)) {
		const char *ty = memrchr(k, '\t', kn) + 1;
		enum mm_dlp_type tt;
		assert_int_equal(mm_dlp_type_parse(ty, kn - (size_t)(ty - k), &tt), MM_OK);
		uint64_t want = (uintptr_t)v, got = (uintptr_t)mm_map_get(e.seen, k, kn);
		tp[tt] += MM_MIN(want, got);
		fn[tt] += want > got ? want - got : 0;
		if (want > got && shown++ < 15)
			printf("  missed: %.*s\n", (int)kn, k);
	}
	it = 0;
	shown = 0;
	while (mm_map_next(e.seen, &it, &k, &kn, &v)) {
		const char *ty = memrchr(k, '\t', kn) + 1;
		enum mm_dlp_type tt;
		assert_int_equal(mm_dlp_type_parse(ty, kn - (size_t)(ty - k), &tt), MM_OK);
		uint64_t got = (uintptr_t)v, want = (uintptr_t)mm_map_get(e.truth, k, kn);
		fp[tt] += got > want ? got - want : 0;
		if (got > want && shown++ < 15)
			printf("  extra:  %.*s\n", (int)kn, k);
	}
	bool ok = true;
	printf("%-18s %8s %8s %8s %9s %9s\n", "type", "TP", "FP", "FN", "precision", "recall");
	for (size_t ty = 0; ty < MM_DLP__TYPES; ty++) {
		if (!tp[ty] && !fp[ty] && !fn[ty])
			continue;
		double p = tp[ty] + fp[ty] ? (double)tp[ty] / (double)(tp[ty] + fp[ty]) : 0;
		double rc = tp[ty] + fn[ty] ? (double)tp[ty] / (double)(tp[ty] + fn[ty]) : 0;
		bool good = p >= 0.99 && rc >= 0.99;
		printf("%-18s %8llu %8llu %8llu %9.4f %9.4f%s\n", mm_dlp_type_id((enum mm_dlp_type)ty),
		       (unsigned long long)tp[ty], (unsigned long long)fp[ty],
		       (unsigned long long)fn[ty], p, rc, good ? "" : "  < 0.99");
		ok = ok && good;
	}
	mm_dlp_free(d);
	mm_map_free(e.truth);
	mm_map_free(e.seen);
	dlp_rmdir(dir);
	assert_true(counts_ok);
	assert_true(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_eval)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
