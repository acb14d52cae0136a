/* mamori — fuzz target: the DLP shapes that Hyperscan finds (src/dlp/shapes.c:
 * literals with hand-checked regex tails and word boundaries) must give
 * exactly the candidates of the former regex database
 * (tests/fuzz/dlp_shapes_ref.h), and the SIMD digit-run scanner exactly
 * those of the byte-at-a-time one (tests/fuzz/dlp_digits_ref.h), on any
 * bytes; a difference aborts. */
#include "dlp_digits_ref.h"
#include "dlp_shapes_ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct shapes_ref g_r;
static struct digits_ref g_dr;
static int g_ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!g_ready) {
		if (shapes_ref_build(&g_r))
			abort();
		g_ready = 1;
	}
	size_t na, nb;
	if (shapes_compare(&g_r, (const char *)data, size, &na, &nb) >= 0)
		abort();
	if (digits_compare(&g_dr, g_r.d, (const char *)data, size, &na, &nb) >= 0)
		abort();
	return 0;
}
