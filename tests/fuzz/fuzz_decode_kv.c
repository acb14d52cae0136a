/* mamori — libFuzzer target for the kv decoder (src/decode/kv.c): decodes every
 * line of the input and checks event invariants (see fuzz_decode_common.h).
 * Seed corpus: tests/fuzz/corpus/fuzz_decode_kv/, dictionary fuzz_decode_kv.dict. */
#include "fuzz_decode_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_run("kv", data, size);
}
