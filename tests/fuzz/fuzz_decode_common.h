/* mamori — shared body of the decoder fuzz targets (fuzz_decode_*.c): split
 * the input into lines, copy each into an exact-size heap buffer (so ASan sees
 * any read past the line), decode it with a small capped batch arena and the
 * decoder's per-input state, and check the event's invariants. Also runs the
 * decoder's probe and the registry's auto-detection on the same lines. */
#ifndef MAMORI_FUZZ_DECODE_COMMON_H
#define MAMORI_FUZZ_DECODE_COMMON_H

#include "mamori/decode.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static volatile unsigned char g_sink;

static void fz_touch(struct mm_slice s)
{
	/* read every byte: an out-of-bounds slice is an ASan report */
	unsigned char x = 0;
	for (size_t i = 0; i < s.n; i++)
		x ^= (unsigned char)s.p[i];
	g_sink ^= x;
}

static void fz_check(const struct mm_event *ev, enum mm_dec_outcome o, const char *line, size_t n)
{
	if ((unsigned)o >= MM_DEC__COUNT)
		abort();
	if (o != MM_DEC_OK)
		return;
	for (int i = 0; i < MM_F__COUNT; i++) {
		struct mm_slice s = ev->f[i];
		if (!s.p) {
			if (s.n)
				abort();
			continue;
		}
		fz_touch(s);
		if ((ev->flags & MM_EV_VERBATIM) && (s.p < line || s.p + s.n > line + n))
			abort(); /* MM_EV_VERBATIM promises substrings of raw */
	}
	if (ev->n_extra && !ev->extra)
		abort();
	for (size_t i = 0; i < ev->n_extra; i++) {
		if (!ev->extra[i].k.p || !ev->extra[i].v.p)
			abort();
		fz_touch(ev->extra[i].k);
		fz_touch(ev->extra[i].v);
	}
	fz_touch(ev->msg);
	for (int i = 0; i < MM_EVENT_MAX_SERVICES; i++)
		if (ev->service[i])
			g_sink ^= (unsigned char)ev->service[i][0];
	if (ev->product)
		g_sink ^= (unsigned char)ev->product[0];
	if (ev->category)
		g_sink ^= (unsigned char)ev->category[0];
	if (ev->dataset)
		g_sink ^= (unsigned char)ev->dataset[0];
}

static inline int fz_run(const char *format, const uint8_t *data, size_t size)
{
	const struct mm_decoder *d = mm_decoder_find(format);
	if (!d)
		abort();
	static struct mm_tz *tz;
	if (!tz && mm_tz_new(&tz, "+09:00", NULL) != MM_OK)
		abort();
	/* options vary with the input's length so both paths get coverage */
	static const char *const kv_map[] = {"who", "user.name", "peer", "source.ip"};
	struct mm_decode_opts opts = {.year = size % 3 == 0 ? 2020 : 0,
	                              .ref_time = mm_time_from_civil(2024, 1, 10, 12, 0, 0, 0, 0),
	                              .tz = size % 2 ? tz : NULL,
	                              .kv_map = size % 5 == 0 ? kv_map : NULL,
	                              .nkv_map = size % 5 == 0 ? 2 : 0};
	struct mm_arena *arena = mm_arena_new(512, 16 * 1024);
	struct mm_decode_ctx ctx = {&opts, arena, d->state_new ? d->state_new() : NULL};
	struct mm_slice samples[8];
	char *copies[8];
	size_t ns = 0;
	size_t i = 0;
	while (i <= size) {
		const uint8_t *nl = i < size ? memchr(data + i, '\n', size - i) : NULL;
		size_t e = nl ? (size_t)(nl - data) : size;
		size_t n = e - i;
		if (n && data[i + n - 1] == '\r')
			n--; /* the framer strips CR LF */
		char *line = malloc(n ? n : 1);
		if (!line)
			abort();
		memcpy(line, data + i, n);
		int score = d->probe(line, n);
		if (score < 0 || score > 100)
			abort();
		struct mm_event ev;
		mm_event_clear(&ev);
		ev.raw = mm_slice(line, n);
		ev.msg = ev.raw;
		ev.line_no = ns + 1;
		enum mm_dec_outcome o = d->decode(&ctx, line, n, &ev);
		fz_check(&ev, o, line, n);
		mm_arena_reset(arena);
		if (ns < 8) {
			copies[ns] = line;
			samples[ns++] = mm_slice(line, n);
		} else {
			free(line);
		}
		if (!nl)
			break;
		i = e + 1;
	}
	(void)mm_decoder_detect(samples, ns);
	for (size_t k = 0; k < ns; k++)
		free(copies[k]);
	if (d->state_free)
		d->state_free(ctx.state);
	mm_arena_free(arena);
	return 0;
}

#endif
