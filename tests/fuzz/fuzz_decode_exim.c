/* mamori — libFuzzer target for the Exim mainlog decoder (src/decode/exim.c,
 * mailq.c): decodes every line and checks the event invariants
 * (fuzz_decode_common.h), then drains the pending messages the way the
 * engine does at the end of an input. Seed corpus:
 * tests/fuzz/corpus/fuzz_decode_exim/. */
#include "fuzz_decode_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run("exim", data, size);
	/* again with the drain: lines with a shared state, then everything pending */
	const struct mm_decoder *d = mm_decoder_find("exim");
	struct mm_decode_opts opts = {.year = 2026};
	struct mm_arena *arena = mm_arena_new(512, 16 * 1024);
	struct mm_decode_ctx ctx = {&opts, arena, d->state_new()};
	size_t i = 0;
	while (i < size) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t e = nl ? (size_t)(nl - data) : size;
		char *line = malloc(e - i ? e - i : 1);
		if (!line)
			abort();
		memcpy(line, data + i, e - i);
		struct mm_event ev;
		mm_event_clear(&ev);
		ev.raw = mm_slice(line, e - i);
		ev.msg = ev.raw;
		mm_arena_reset(arena);
		fz_check(&ev, d->decode(&ctx, line, e - i, &ev), line, e - i);
		free(line);
		for (int g = 0;; g++) {
			if (g > 100000)
				abort();
			mm_event_clear(&ev);
			mm_arena_reset(arena);
			enum mm_dec_outcome o = d->drain(&ctx, &ev, false);
			if (o != MM_DEC_OK)
				break;
			fz_check(&ev, o, ev.raw.p, ev.raw.n);
		}
		i = e + 1;
	}
	for (int g = 0;; g++) {
		if (g > 100000)
			abort();
		struct mm_event ev;
		mm_event_clear(&ev);
		mm_arena_reset(arena);
		enum mm_dec_outcome o = d->drain(&ctx, &ev, true);
		if (o != MM_DEC_OK)
			break;
		fz_check(&ev, o, ev.raw.p, ev.raw.n);
	}
	d->state_free(ctx.state);
	mm_arena_free(arena);
	return 0;
}
