/* mamori — libFuzzer target for the DOM JSON parser (src/core/json.c): any
 * bytes parse or fail cleanly; a parsed tree is walked completely.
 * Seed corpus: tests/fuzz/corpus/fuzz_vuln_json/. */
#include "mamori/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t walk(const struct mm_json *v, unsigned d)
{
	size_t n = 1;
	for (size_t i = 0; i < mm_json_len(v) && d < 100; i++)
		n += walk(v->type == MM_JSON_ARRAY ? mm_json_at(v, i) : v->members[i].val, d + 1);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mm_json_doc *d = NULL;
	struct mm_json_limits lim = {.max_depth = 32, .max_mem = 16u << 20};
	if (mm_json_parse(&d, (const char *)data, size, &lim, NULL) == MM_OK) {
		walk(mm_json_root(d), 0);
		mm_json_doc_free(d);
	}
	return 0;
}
