/* Unit tests: the line framer over plain files, gzip (single, concatenated,
 * truncated), CRLF, missing final newline, over-long lines, offsets, peek,
 * and the directory walk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mamori/input.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static char g_dir[256];

static int setup(void **st)
{
	(void)st;
	snprintf(g_dir, sizeof(g_dir), "/tmp/mm_input_XXXXXX");
	return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **st)
{
	(void)st;
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", g_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *write_file(const char *name, const void *data, size_t n)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", g_dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
	return path;
}

static const char *write_gz(const char *name, const char *const *parts, size_t nparts)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", g_dir, name);
	unlink(path);
	for (size_t i = 0; i < nparts; i++) { /* each part its own gzip member */
		gzFile g = gzopen(path, "ab");
		assert_non_null(g);
		assert_true(gzwrite(g, parts[i], (unsigned)strlen(parts[i])) > 0);
		gzclose(g);
	}
	return path;
}

struct got {
	char text[16][64];
	uint64_t off[16], line[16];
	bool trunc[16];
	size_t n;
	int rc;
};

static void read_all(const char *path, size_t max_line, struct got *g)
{
	struct mm_input *in = NULL;
	struct mm_error err;
	struct mm_input_opts o = {.max_line = max_line, .chunk = 4096};
	memset(g, 0, sizeof(*g));
	assert_int_equal(mm_input_open(&in, path, &o, &err), MM_OK);
	struct mm_line l;
	int rc;
	while ((rc = mm_input_next(in, &l, &err)) == 1) {
		if (g->n < 16) {
			snprintf(g->text[g->n], 64, "%.*s", (int)(l.n < 60 ? l.n : 60), l.p);
			g->off[g->n] = l.offset;
			g->line[g->n] = l.line_no;
			g->trunc[g->n] = l.truncated;
		}
		g->n++;
	}
	g->rc = rc;
	mm_input_close(in);
}

static void test_plain_crlf(void **st)
{
	(void)st;
	const char data[] = "one\r\ntwo\n\nthree";
	struct got g;
	read_all(write_file("a.log", data, sizeof(data) - 1), 0, &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.text[0], "one");
	assert_string_equal(g.text[1], "two");
	assert_string_equal(g.text[2], "");
	assert_string_equal(g.text[3], "three");
	assert_int_equal(g.off[1], 5);
	assert_int_equal(g.off[3], 10);
	assert_int_equal(g.line[3], 4);
}

static void test_long_line(void **st)
{
	(void)st;
	/* a 10 MB line between two short ones, framer capped at 1 KiB */
	size_t big = 10 * 1024 * 1024;
	char *data = malloc(big + 32);
	assert_non_null(data);
	memcpy(data, "first\n", 6);
	memset(data + 6, 'A', big);
	memcpy(data + 6 + big, "\nlast\n", 6);
	struct got g;
	read_all(write_file("big.log", data, big + 12), 1024, &g);
	free(data);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.n, 3);
	assert_false(g.trunc[0]);
	assert_true(g.trunc[1]);
	assert_string_equal(g.text[2], "last");
	assert_int_equal(g.off[2], 6 + big + 1);
	assert_int_equal(g.line[2], 3);
	struct mm_input *in = NULL;
	struct mm_error err;
	struct mm_input_stats s;
	struct mm_input_opts o = {.max_line = 1024};
	assert_int_equal(mm_input_open(&in, write_file("x.log", "abc\n", 4), &o, &err), MM_OK);
	mm_input_stats(in, &s);
	mm_input_close(in);
}

static void test_gzip(void **st)
{
	(void)st;
	const char *parts[] = {"alpha\nbeta\n", "gamma\ndelta"};
	struct got g;
	read_all(write_gz("a.log.gz", parts, 2), 0, &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.text[2], "gamma");
	assert_int_equal(g.off[2], 11); /* offsets are in the uncompressed stream */
	assert_string_equal(g.text[3], "delta");

	/* truncated gzip: an error after the lines that could be read */
	const char *one[] = {"line one\nline two\nline three\n"};
	const char *p = write_gz("t.gz", one, 1);
	struct stat sb;
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(truncate(p, sb.st_size - 10), 0);
	read_all(p, 0, &g);
	assert_true(g.rc < 0);

	/* a .gz name does not matter: detection is by magic */
	read_all(write_file("plain.gz", "x\ny\n", 4), 0, &g);
	assert_int_equal(g.n, 2);
}

static void test_peek_and_errors(void **st)
{
	(void)st;
	struct mm_input *in = NULL;
	struct mm_error err;
	const char *p = write_file("p.log", "l1\nl2\r\nl3\n", 10);
	assert_int_equal(mm_input_open(&in, p, NULL, &err), MM_OK);
	struct mm_slice s[8];
	size_t n = mm_input_peek(in, s, 8);
	assert_int_equal(n, 3);
	assert_true(mm_slice_eq_cstr(s[1], "l2"));
	struct mm_line l;
	assert_int_equal(mm_input_next(in, &l, &err), 1); /* peek consumed nothing */
	assert_true(mm_slice_eq_cstr(mm_slice(l.p, l.n), "l1"));
	mm_input_close(in);

	assert_int_equal(mm_input_open(&in, "/nonexistent/x.log", NULL, &err), MM_ENOENT);
	assert_non_null(strstr(err.msg, "cannot open"));
	assert_int_equal(mm_input_open(&in, g_dir, NULL, &err), MM_EINVAL);

	struct got g;
	read_all(write_file("empty.log", "", 0), 0, &g);
	assert_int_equal(g.n, 0);
	assert_int_equal(g.rc, 0);
}

struct walk {
	char seen[16][64];
	size_t n;
};

static int on_file(void *ud, const char *path)
{
	struct walk *w = ud;
	const char *b = strrchr(path, '/');
	if (w->n < 16)
		snprintf(w->seen[w->n], 64, "%s", b ? b + 1 : path);
	w->n++;
	return 0;
}

static void test_walk(void **st)
{
	(void)st;
	char sub[300], path[400];
	snprintf(sub, sizeof(sub), "%s/w", g_dir);
	mkdir(sub, 0700);
	snprintf(path, sizeof(path), "%s/w/nested", g_dir);
	mkdir(path, 0700);
	write_file("w/b.log", "x\n", 2);
	write_file("w/a.log", "x\n", 2);
	write_file("w/nested/c.log.gz", "x\n", 2);
	write_file("w/skip.txt", "x\n", 2);
	struct walk w = {0};
	struct mm_error err;
	const char *paths[] = {sub};
	assert_int_equal(mm_walk(paths, 1, "*.log*", on_file, &w, &err), 0);
	assert_int_equal(w.n, 3);
	assert_string_equal(w.seen[0], "a.log");
	assert_string_equal(w.seen[1], "b.log");
	assert_string_equal(w.seen[2], "c.log.gz");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_crlf), cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_gzip),       cmocka_unit_test(test_peek_and_errors),
		cmocka_unit_test(test_walk),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
