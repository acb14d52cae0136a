/* mamori — libFuzzer target for the inventory parsers (src/vuln/inv_*.c,
 * purl.c): the first byte picks a format (or auto-detection), the rest is the
 * inventory. Seed corpus: tests/fuzz/corpus/fuzz_vuln_inventory/. */
#include "mamori/vuln.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	size_t nf = mm_inventory_format_count();
	const char *fmt = data[0] % (nf + 1) == nf ? NULL : mm_inventory_format_name(data[0] % (nf + 1));
	struct mm_inventory inv;
	mm_inventory_init(&inv);
	inv.max = 10000;
	struct mm_error err;
	mm_error_clear(&err);
	mm_inventory_parse(&inv, (const char *)data + 1, size - 1, "fuzz", fmt, NULL, &err);
	for (size_t i = 0; i < inv.n; i++)
		if (!inv.pkgs[i].name || !inv.pkgs[i].version || !inv.pkgs[i].host)
			__builtin_trap();
	mm_inventory_free(&inv);
	return 0;
}
