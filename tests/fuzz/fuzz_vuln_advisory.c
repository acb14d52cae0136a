/* mamori — libFuzzer target for the advisory parsers (OSV, NVD CVE API 2.0,
 * CVE JSON 5.x; src/vuln/adv_*.c): malformed records are counted, never
 * crash. Seed corpus: tests/fuzz/corpus/fuzz_vuln_advisory/. */
#include "mamori/vuln.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cb(void *ctx, const struct mm_vuln_adv *a)
{
	(void)a;
	(*(size_t *)ctx)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mm_vuln_stats st = {0};
	size_t n = 0;
	mm_vuln_parse_advisories((const char *)data, size, cb, &n, &st);
	double s;
	char vec[128];
	size_t k = size < sizeof(vec) - 1 ? size : sizeof(vec) - 1;
	memcpy(vec, data, k);
	vec[k] = '\0';
	mm_cvss3_base_score(vec, &s);
	return 0;
}
