/* mamori — libFuzzer target for the version schemes (src/vuln/vers_*.c):
 * input "scheme-byte a \0 b"; checks antisymmetry and reflexivity, which a
 * sort or range walk relies on. Seed corpus: tests/fuzz/corpus/fuzz_vuln_version/. */
#include "mamori/vuln.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	enum mm_vscheme s = (enum mm_vscheme)(data[0] % MM_VS_COUNT);
	const char *p = (const char *)data + 1;
	size_t n = size - 1;
	const char *z = memchr(p, '\0', n);
	struct mm_slice a = mm_slice(p, z ? (size_t)(z - p) : n);
	struct mm_slice b = z ? mm_slice(z + 1, n - a.n - 1) : mm_slice(p, n);
	int x = mm_vers_cmp(s, a, b), y = mm_vers_cmp(s, b, a);
	if (x != -y || mm_vers_cmp(s, a, a) != 0)
		__builtin_trap();
	return 0;
}
