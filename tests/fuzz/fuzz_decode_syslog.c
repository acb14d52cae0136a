/* mamori — libFuzzer target for the syslog decoder (src/decode/): decodes every
 * line of the input and checks event invariants (see fuzz_decode_common.h).
 * Seed corpus: tests/fuzz/corpus/fuzz_decode_syslog/, dictionary fuzz_decode_syslog.dict. */
#include "fuzz_decode_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_run("syslog", data, size);
}
