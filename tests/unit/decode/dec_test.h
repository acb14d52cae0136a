/* mamori — shared fixture for the decoder unit tests: runs one decoder over a
 * C string the way the engine does (event cleared, raw/msg preset, batch
 * arena, per-input state) and gives cmocka-friendly field accessors. */
#ifndef MAMORI_TEST_DEC_TEST_H
#define MAMORI_TEST_DEC_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/decode.h"

struct dt {
	const struct mm_decoder *dec;
	struct mm_decode_opts opts;
	struct mm_decode_ctx ctx;
	struct mm_arena *arena;
	struct mm_event ev;
	enum mm_dec_outcome rc;
	char *line; /* owned copy: the event's slices point into it */
};

static inline void dt_init(struct dt *t, const char *format)
{
	memset(t, 0, sizeof(*t));
	t->dec = mm_decoder_find(format);
	assert_non_null(t->dec);
	/* reference time: 2024-03-15T12:00:00Z unless a test changes it */
	t->opts.ref_time = mm_time_from_civil(2024, 3, 15, 12, 0, 0, 0, 0);
	t->arena = mm_arena_new(4096, 1u << 20);
	t->ctx.opts = &t->opts;
	t->ctx.arena = t->arena;
	t->ctx.state = t->dec->state_new ? t->dec->state_new() : NULL;
}

static inline void dt_free(struct dt *t)
{
	if (t->dec && t->dec->state_free)
		t->dec->state_free(t->ctx.state);
	mm_arena_free(t->arena);
	free(t->line);
	memset(t, 0, sizeof(*t));
}

/* Decode n bytes (may contain NULs). */
static inline enum mm_dec_outcome dt_decode_n(struct dt *t, const char *s, size_t n)
{
	free(t->line);
	t->line = malloc(n ? n : 1);
	assert_non_null(t->line);
	memcpy(t->line, s, n);
	mm_arena_reset(t->arena);
	mm_event_clear(&t->ev);
	t->ev.raw = mm_slice(t->line, n);
	t->ev.msg = t->ev.raw;
	t->ev.line_no = 1;
	t->rc = t->dec->decode(&t->ctx, t->line, n, &t->ev);
	return t->rc;
}

static inline enum mm_dec_outcome dt_decode(struct dt *t, const char *s)
{
	return dt_decode_n(t, s, strlen(s));
}

/* Field as a NUL-terminated string in a static buffer; NULL when absent. */
static inline const char *dt_f(struct dt *t, enum mm_field_id id)
{
	static char buf[4][4096];
	static int k;
	struct mm_slice s = t->ev.f[id];
	if (!s.p)
		return NULL;
	char *b = buf[k++ & 3];
	size_t n = s.n < 4095 ? s.n : 4095;
	memcpy(b, s.p, n);
	b[n] = '\0';
	return b;
}

static inline const char *dt_named(struct dt *t, const char *name)
{
	static char buf[4096];
	struct mm_slice s = mm_event_get_named(&t->ev, name, strlen(name));
	if (!s.p)
		return NULL;
	size_t n = s.n < 4095 ? s.n : 4095;
	memcpy(buf, s.p, n);
	buf[n] = '\0';
	return buf;
}

#define assert_field(t, id, want) assert_string_equal(dt_f((t), (id)) ? dt_f((t), (id)) : "(absent)", (want))
#define assert_no_field(t, id) assert_null(dt_f((t), (id)))

static inline void assert_ts(struct dt *t, const char *want)
{
	char buf[40];
	mm_time_format(t->ev.ts, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

/* Is the slice inside the raw line? (MM_EV_VERBATIM's promise) */
static inline bool dt_in_raw(struct dt *t, struct mm_slice s)
{
	return s.p >= t->ev.raw.p && s.p + s.n <= t->ev.raw.p + t->ev.raw.n;
}

static inline void assert_verbatim_honest(struct dt *t)
{
	if (!(t->ev.flags & MM_EV_VERBATIM))
		return;
	for (int i = 0; i < MM_F__COUNT; i++)
		if (t->ev.f[i].p)
			assert_true(dt_in_raw(t, t->ev.f[i]));
	for (size_t i = 0; i < t->ev.n_extra; i++)
		assert_true(dt_in_raw(t, t->ev.extra[i].v));
}

#endif
