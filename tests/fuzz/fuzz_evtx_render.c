/* mamori — fuzz target: the EVTX record XML → JSON renderer
 * (src/input/evtx_render.c), which sees libevtx's rendering of untrusted
 * .evtx files. Property: whatever it accepts comes out as one JSON object
 * that the jsonl decoder parses (never BAD_JSON), and it never reads past
 * the input (exact-size copy under ASan). Seeds: tests/fuzz/corpus/
 * fuzz_evtx_render/ (event records written for mamori). */
#include "fuzz_decode_common.h"

#include "../../src/input/input_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *xml = malloc(size ? size : 1);
	if (!xml)
		abort();
	memcpy(xml, data, size);
	struct mm_buf b;
	mm_buf_init(&b, 1u << 20);
	int rc = mm__evtx_render(xml, size, &b);
	if (rc != MM_OK && rc != MM_EPARSE && rc != MM_ELIMIT)
		abort();
	if (rc == MM_OK) {
		const struct mm_decoder *d = mm_decoder_find("jsonl");
		struct mm_decode_opts opts = {.ref_time = 0};
		struct mm_arena *arena = mm_arena_new(4096, 4u << 20);
		struct mm_decode_ctx ctx = {&opts, arena, NULL};
		struct mm_event ev;
		mm_event_clear(&ev);
		ev.raw = mm_slice(b.p, b.n);
		ev.msg = ev.raw;
		enum mm_dec_outcome oc = d->decode(&ctx, b.p, b.n, &ev);
		/* the decoder's own caps (depth, keys) may refuse; syntax never */
		if (oc == MM_DEC_BAD_JSON || oc == MM_DEC_BAD_FORMAT)
			abort();
		fz_check(&ev, oc, b.p, b.n);
		mm_arena_free(arena);
	}
	mm_buf_free(&b);
	free(xml);
	return 0;
}
