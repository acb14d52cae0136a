/* mamori — helpers shared by the DLP unit tests: read a whole file, run the
 * export generator (MM_GEN_DLP, set by CTest; the test is skipped without
 * it) into a fresh temporary directory, and build random text from pieces
 * with a deterministic xorshift generator. Include after <cmocka.h>. */
#ifndef MAMORI_TEST_DLP_UTIL_H
#define MAMORI_TEST_DLP_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/core.h"

/* The file's bytes (NUL-terminated, *n without the NUL), or NULL. */
static inline char *dlp_slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long l = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = mm_malloc((size_t)(l > 0 ? l : 0) + 1);
	*n = l > 0 ? fread(b, 1, (size_t)l, f) : 0;
	b[*n] = '\0';
	fclose(f);
	return b;
}

/* mkdtemp(dir) (a "…XXXXXX" template), then the generator writes its files
 * into dir/sub (or dir when sub is empty) with the seed and row count;
 * skips the test when MM_GEN_DLP is not set. */
static inline void dlp_generate(char *dir, const char *sub, int seed, int rows)
{
	const char *gen = getenv("MM_GEN_DLP");
	if (!gen || !*gen) {
		fprintf(stderr, "MM_GEN_DLP is not set (run through ctest)\n");
		skip();
	}
	assert_non_null(mkdtemp(dir));
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "'%s' '%s%s%s' %d %d > /dev/null", gen, dir, *sub ? "/" : "",
	         sub, seed, rows);
	assert_int_equal(system(cmd), 0);
}

static inline void dlp_rmdir(const char *dir)
{
	char cmd[1100];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Random text into b (at most cap - 1 bytes): 1..maxparts pieces drawn by
 * the xorshift state *x. Returns its length. */
static inline size_t dlp_random_text(char *b, size_t cap, uint64_t *x, int maxparts,
                                     const char *const *pieces, size_t npieces)
{
	size_t n = 0;
	*x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
	int parts = 1 + (int)(*x % (uint64_t)maxparts);
	for (int k = 0; k < parts; k++) {
		*x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
		const char *pc = pieces[*x % npieces];
		size_t l = strlen(pc);
		if (n + l >= cap)
			break;
		memcpy(b + n, pc, l);
		n += l;
	}
	return n;
}

#endif
