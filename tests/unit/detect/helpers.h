/* mamori — shared helpers of the detect unit tests: build events by hand
 * (field slices point into the event's raw line, so MM_EV_VERBATIM holds),
 * load rule text into a compiled ruleset, and count matches — every count is
 * taken four ways (prefilter on/off × verbatim raw scan / per-field scan) and
 * the four must agree, so each test is also a prefilter correctness test. */
#ifndef MAMORI_TEST_DETECT_HELPERS_H
#define MAMORI_TEST_DETECT_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mamori/detect.h"

struct tev {
	struct mm_event ev;
	char raw[8192];
	size_t n;
	struct mm_kv kv[32];
};

static inline struct mm_slice tev_put(struct tev *t, const char *v)
{
	size_t n = strlen(v);
	assert_true(t->n + n + 1 < sizeof(t->raw));
	if (t->n)
		t->raw[t->n++] = ' ';
	memcpy(t->raw + t->n, v, n);
	struct mm_slice s = mm_slice(t->raw + t->n, n);
	t->n += n;
	t->ev.raw = mm_slice(t->raw, t->n);
	return s;
}

static inline void tev_init(struct tev *t, const char *product, const char *category,
                            const char *service)
{
	memset(t, 0, sizeof(*t));
	mm_event_clear(&t->ev);
	t->ev.product = product;
	t->ev.category = category;
	t->ev.service[0] = service;
	t->ev.flags = MM_EV_VERBATIM;
	t->ev.raw = mm_slice(t->raw, 0);
	t->ev.extra = t->kv;
}

static inline void tev_set(struct tev *t, enum mm_field_id id, const char *v)
{
	t->ev.f[id] = tev_put(t, v);
}

static inline void tev_extra(struct tev *t, const char *k, const char *v)
{
	assert_true(t->ev.n_extra < 32);
	struct mm_kv *kv = &t->kv[t->ev.n_extra++];
	kv->k = mm_slice_cstr(k);
	kv->v = tev_put(t, v);
}

/* msg: the keyword text (a slice of raw, like a decoder would set it) */
static inline void tev_msg(struct tev *t, const char *v)
{
	t->ev.msg = tev_put(t, v);
}

static inline struct mm_ruleset *load_pl(const char *rules, const char *pipeline, bool builtin)
{
	struct mm_error err;
	struct mm_ruleset *rs = mm_ruleset_new(builtin);
	if (pipeline)
		assert_int_equal(mm_ruleset_add_pipeline_buffer(rs, "test-pipeline", pipeline,
		                                                strlen(pipeline), &err),
		                 MM_OK);
	assert_int_equal(mm_ruleset_add_buffer(rs, "test.yml", rules, strlen(rules), &err), MM_OK);
	assert_int_equal(mm_ruleset_compile(rs, &err), MM_OK);
	return rs;
}

static inline struct mm_ruleset *load(const char *rules)
{
	return load_pl(rules, NULL, false);
}

static inline void collect(void *ud, const struct mm_rule_info *r, const struct mm_event *ev)
{
	(void)ev;
	uint64_t *mask = ud;
	if (r->index < 64)
		*mask |= UINT64_C(1) << r->index;
}

/* Bit i set = loaded rule i matched. Asserts that all four ways agree. */
static inline uint64_t match_mask(const struct mm_ruleset *rs, struct tev *t)
{
	uint64_t res[4] = {0};
	unsigned flags = t->ev.flags;
	for (int i = 0; i < 4; i++) {
		struct mm_detector *d = mm_detector_new(rs);
		mm_detector_set_prefilter(d, (i & 1) == 0);
		t->ev.flags = (i & 2) ? (flags & ~MM_EV_VERBATIM) : flags;
		size_t n = mm_detect_event(d, &t->ev, collect, &res[i]);
		assert_int_equal(n, (size_t)__builtin_popcountll(res[i]));
		mm_detector_free(d);
	}
	t->ev.flags = flags;
	for (int i = 1; i < 4; i++)
		if (res[i] != res[0])
			fail_msg("prefilter/scan mode disagree: %llx vs %llx (way %d)",
			         (unsigned long long)res[0], (unsigned long long)res[i], i);
	return res[0];
}

static inline bool matches(const struct mm_ruleset *rs, struct tev *t)
{
	return match_mask(rs, t) != 0;
}

/* Status of the only (or first) document. */
static inline const struct mm_rule_status *status0(const struct mm_ruleset *rs)
{
	assert_true(mm_ruleset_status_count(rs) >= 1);
	return mm_ruleset_status_at(rs, 0);
}

#endif
