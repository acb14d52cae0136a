/* mamori — libFuzzer target for the flowcsv decoder (src/decode/flowcsv.c): decodes
 * every line of the input with the per-input state and checks the event's
 * invariants (see fuzz_decode_common.h). Seed corpus:
 * tests/fuzz/corpus/fuzz_decode_flowcsv/, dictionary fuzz_decode_flowcsv.dict. */
#include "fuzz_decode_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_run("flowcsv", data, size);
}
