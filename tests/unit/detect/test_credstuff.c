/* mamori — unit tests for the credential-stuffing analyzer
 * (src/detect/analyzers/credstuff.c): the campaign statistic (candidates,
 * accounts, joint ratio), batches and the end-of-input batch, benign shapes
 * that must not fire (NAT office, forgetful users, low joint ratio), access-log
 * mode without account names, the follow-up success alert, late inputs, and
 * flat state with ever-new sources. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mamori/detect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEC MM_NS_PER_SEC

struct got {
	char rule[64];
	uint64_t sources, accounts, compromised, failures, successes;
	char user[32];
	char first_source[32];
	uint64_t succeeded;   /* no names: sources that got in after failures */
	char srcl[1024];      /* the sources, " a b c " (no-names tests) */
	char okl[256];        /* the succeeded_after_failures list, same form */
};

struct h {
	struct mm_analyzers *a;
	struct got g[64];
	size_t n;
	char ip[32], user[32];
};

static void cb(void *ud, const struct mm_corr_result *res, const struct mm_event *ev)
{
	(void)ev;
	struct h *h = ud;
	if (h->n == 64)
		return;
	struct got *g = &h->g[h->n++];
	memset(g, 0, sizeof(*g));
	snprintf(g->rule, sizeof(g->rule), "%s", res->rule->name);
	g->accounts = res->has_distinct ? res->distinct : 0;
	for (size_t i = 0; i < res->nlists; i++) {
		if (!strcmp(res->lists[i].name, "sources")) {
			g->sources = res->lists[i].total;
			assert_int_equal(res->lists[i].n, res->lists[i].total);
			if (res->lists[i].n)
				snprintf(g->first_source, sizeof(g->first_source), "%.*s",
				         (int)res->lists[i].v[0].n, res->lists[i].v[0].p);
		} else if (!strcmp(res->lists[i].name, "compromised_accounts")) {
			g->compromised = res->lists[i].total;
		} else if (!strcmp(res->lists[i].name, "succeeded_after_failures")) {
			g->succeeded = res->lists[i].total;
		}
		char *out = !strcmp(res->lists[i].name, "sources") ? g->srcl
		            : !strcmp(res->lists[i].name, "succeeded_after_failures") ? g->okl
		                                                                    : NULL;
		size_t cap = out == g->srcl ? sizeof(g->srcl) : sizeof(g->okl), used = 1;
		if (out)
			out[0] = ' ', out[1] = '\0';
		for (size_t j = 0; out && j < res->lists[i].n; j++) {
			int w = snprintf(out + used, cap - used, "%.*s ", (int)res->lists[i].v[j].n,
			                 res->lists[i].v[j].p);
			if (w < 0 || (size_t)w >= cap - used)
				break;
			used += (size_t)w;
		}
	}
	g->failures = res->failures;
	g->successes = res->successes;
	for (size_t i = 0; i < res->ngroup; i++)
		if (!strcmp(res->group_names[i], "user.name"))
			snprintf(g->user, sizeof(g->user), "%.*s", (int)res->group_vals[i].n,
			         res->group_vals[i].p);
}

/* One login attempt; user NULL = no account name (access log). */
static void att(struct h *h, int64_t t, unsigned src, const char *user_fmt, unsigned u, int ok)
{
	struct mm_event ev;
	mm_event_clear(&ev);
	ev.ts = (int64_t)1800000000 * SEC + t * SEC;
	snprintf(h->ip, sizeof(h->ip), "10.%u.%u.%u", src >> 16 & 255, src >> 8 & 255, src & 255);
	ev.f[MM_F_SOURCE_IP] = mm_slice_cstr(h->ip);
	if (user_fmt) {
		snprintf(h->user, sizeof(h->user), user_fmt, u);
		ev.f[MM_F_USER_NAME] = mm_slice_cstr(h->user);
	}
	ev.f[MM_F_EVENT_CATEGORY] = MM_SLICE_LIT("authentication");
	ev.f[MM_F_EVENT_OUTCOME] = ok ? MM_SLICE_LIT("success") : MM_SLICE_LIT("failure");
	ev.f[MM_F_URL_PATH] = MM_SLICE_LIT("/login");
	ev.src_path = "app.log";
	ev.raw = MM_SLICE_LIT("x");
	mm_analyzers_observe(h->a, &ev, cb, h);
}

static void h_init(struct h *h, const struct mm_credstuff_opts *o)
{
	memset(h, 0, sizeof(*h));
	h->a = mm_analyzers_new(o);
}

static void test_campaign_batches(void **st)
{
	(void)st;
	struct h h;
	h_init(&h, NULL);
	/* 45 sources x 3 failures, each on its own accounts, one every 10 s */
	int64_t t = 0;
	for (unsigned s = 0; s < 45; s++)
		for (unsigned k = 0; k < 3; k++)
			att(&h, t += 10, 1000 + s, "acct%u", s * 3 + k, 0);
	/* first alert: 20 candidates (the 20th on its 2nd failure), >= 40 accounts */
	assert_true(h.n >= 2);
	assert_string_equal(h.g[0].rule, "credential_stuffing_distributed");
	assert_int_equal(h.g[0].sources, 20);
	assert_int_equal(h.g[0].accounts, 19 * 3 + 2);
	assert_int_equal(h.g[0].failures, 19 * 3 + 2);
	assert_string_equal(h.g[0].first_source, "10.0.3.232");
	/* next batch: 20 new sources */
	assert_int_equal(h.n, 2);
	assert_int_equal(h.g[1].sources, 20);
	/* end of input: the last 5 */
	assert_int_equal(mm_analyzers_flush(h.a, cb, &h), 1);
	assert_int_equal(h.g[2].sources, 5);
	assert_int_equal(mm_analyzers_flush(h.a, cb, &h), 0);
	/* a later success from a listed source: likely takeover */
	att(&h, t += 30, 1003, "victim%u", 1, 1);
	assert_int_equal(h.n, 4);
	assert_string_equal(h.g[3].rule, "credential_stuffing_success");
	assert_string_equal(h.g[3].user, "victim1");
	/* a success from a source never listed: nothing */
	att(&h, t += 30, 77777, "someone%u", 1, 1);
	assert_int_equal(h.n, 4);
	struct mm_analyzer_stats s;
	mm_analyzers_stats(h.a, &s);
	assert_int_equal(s.fired, 3);
	assert_int_equal(s.follow_ups, 1);
	mm_analyzers_free(h.a);
}

static void test_benign_shapes(void **st)
{
	(void)st;
	struct h h;
	h_init(&h, NULL);
	int64_t t = 0;
	/* 30 NAT offices: each 40 users, 10 % typos on many accounts */
	for (unsigned r = 0; r < 3; r++)
		for (unsigned o = 0; o < 30; o++)
			for (unsigned u = 0; u < 40; u++)
				att(&h, t += 1, 500 + o, "office%u", o * 100 + u, (u % 10) != 0);
	/* 60 forgetful users: 4 failures on their own account, then success */
	for (unsigned u = 0; u < 60; u++) {
		for (unsigned k = 0; k < 4; k++)
			att(&h, t += 2, 9000 + u, "forgetful%u", u, 0);
		att(&h, t += 2, 9000 + u, "forgetful%u", u, 1);
	}
	assert_int_equal(mm_analyzers_flush(h.a, cb, &h), 0);
	assert_int_equal(h.n, 0);
	mm_analyzers_free(h.a);

	/* candidates with a joint ratio below 0.8: 30 sources x (2 F, 1 S) */
	h_init(&h, NULL);
	t = 0;
	for (unsigned s = 0; s < 30; s++) {
		att(&h, t += 5, 100 + s, "a%u", s * 2, 0);
		att(&h, t += 5, 100 + s, "a%u", s * 2 + 1, 0);
		att(&h, t += 5, 100 + s, "b%u", s, 1);
	}
	assert_int_equal(h.n, 0);
	/* with min_failure_ratio 0.6 the same traffic is a campaign */
	mm_analyzers_free(h.a);
	struct mm_credstuff_opts o = {.min_failure_ratio = 0.6};
	h_init(&h, &o);
	t = 0;
	for (unsigned s = 0; s < 30; s++) {
		att(&h, t += 5, 100 + s, "a%u", s * 2, 0);
		att(&h, t += 5, 100 + s, "a%u", s * 2 + 1, 0);
		att(&h, t += 5, 100 + s, "b%u", s, 1);
	}
	assert_true(h.n >= 1);
	assert_true(h.g[0].compromised >= 1);
	mm_analyzers_free(h.a);
}

/* the dotted form att() gives source id s */
static const char *ipof(unsigned s)
{
	static char b[40];
	snprintf(b, sizeof(b), " 10.%u.%u.%u ", s >> 16 & 255, s >> 8 & 255, s & 255);
	return b;
}

static void test_no_account_names(void **st)
{
	(void)st;
	struct h h;
	h_init(&h, NULL);
	int64_t t = 0;
	/* users between a typo and the right password: 2 F then 1 S */
	for (unsigned s = 0; s < 40; s++) {
		att(&h, t += 3, 200 + s, NULL, 0, 0);
		att(&h, t += 3, 200 + s, NULL, 0, 0);
		att(&h, t += 3, 200 + s, NULL, 0, 1);
	}
	assert_int_equal(mm_analyzers_flush(h.a, cb, &h), 0);
	assert_int_equal(h.n, 0);
	/* a forgetful user who gives up (3 F) half an hour before the campaign */
	t += 1000;
	for (unsigned k = 0; k < 3; k++)
		att(&h, t += 10, 7000, NULL, 0, 0);
	t += 1800;
	/* the campaign: bots with 3 F each, one every 5 s; among them a user
	 * caught between two typos and the right password when the first batch
	 * is due, a forgetful user (4 F, then in), and a bot whose 3rd try works */
	for (unsigned s = 0; s < 25; s++) {
		for (unsigned k = 0; k < 3; k++)
			att(&h, t += 5, 3000 + s, NULL, 0, 0);
		if (s == 22) {
			att(&h, t += 1, 7001, NULL, 0, 0);
			att(&h, t += 1, 7001, NULL, 0, 0);
			for (unsigned k = 0; k < 4; k++)
				att(&h, t += 1, 7002, NULL, 0, 0);
			att(&h, t += 1, 7002, NULL, 0, 1);
			att(&h, t += 1, 7003, NULL, 0, 0);
			att(&h, t += 1, 7003, NULL, 0, 0);
			att(&h, t += 1, 7003, NULL, 0, 1);
		}
	}
	/* nothing yet: the sources must have been quiet for 5 minutes */
	assert_int_equal(h.n, 0);
	att(&h, t += 20, 7001, NULL, 0, 1); /* the typo user gets in */
	att(&h, t += 100, 8000, NULL, 0, 1); /* someone's login moves time on */
	assert_int_equal(h.n, 0);            /* 13 settled bots: fewer than 20 */
	att(&h, t += 280, 8000, NULL, 0, 1);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.g[0].rule, "credential_stuffing_distributed");
	assert_int_equal(h.g[0].sources, 25);
	assert_int_equal(h.g[0].accounts, 0); /* no names: no account list */
	assert_int_equal(h.g[0].failures, 75);
	assert_int_equal(h.g[0].successes, 0);
	assert_non_null(strstr(h.g[0].srcl, ipof(3000)));
	assert_non_null(strstr(h.g[0].srcl, ipof(3024)));
	assert_null(strstr(h.g[0].srcl, ipof(7000))); /* before the onset */
	assert_null(strstr(h.g[0].srcl, ipof(7001))); /* the typo */
	assert_null(strstr(h.g[0].srcl, ipof(7002))); /* 4 F, then in */
	/* the ones that got in after failures: apart (a typo, a forgetful user
	 * and a bot look the same without account names) */
	assert_int_equal(h.g[0].succeeded, 3);
	assert_non_null(strstr(h.g[0].okl, ipof(7001)));
	assert_non_null(strstr(h.g[0].okl, ipof(7002)));
	assert_non_null(strstr(h.g[0].okl, ipof(7003)));
	/* 7 more bots 7 minutes later (28 mean gaps of the campaign): not part
	 * of it, and too few for a campaign of their own; nor is a forgetful
	 * user who gives up an hour later */
	for (unsigned s = 25; s < 32; s++)
		for (unsigned k = 0; k < 3; k++)
			att(&h, t += 5, 3000 + s, NULL, 0, 0);
	t += 3600;
	for (unsigned k = 0; k < 3; k++)
		att(&h, t += 10, 7004, NULL, 0, 0);
	assert_int_equal(mm_analyzers_flush(h.a, cb, &h), 0);
	assert_int_equal(h.n, 1);
	/* no follow-up alerts without names */
	att(&h, t += 3, 3001, NULL, 0, 1);
	assert_int_equal(h.n, 1);
	mm_analyzers_free(h.a);

	/* a campaign still going when its first batch is due, then its closing
	 * batch once nothing can continue the chain (benign logins every 30 s
	 * move time on) */
	h_init(&h, NULL);
	t = 0;
	for (unsigned s = 0; s < 27; s++)
		for (unsigned k = 0; k < 3; k++)
			att(&h, t += 5, 3000 + s, NULL, 0, 0);
	for (unsigned i = 0; i < 40; i++)
		att(&h, t += 30, 9000 + i, NULL, 0, 1);
	assert_int_equal(h.n, 2);
	assert_true(h.g[0].sources >= 20 && h.g[1].sources >= 1); /* settled when checked */
	assert_int_equal(h.g[0].sources + h.g[1].sources, 27);
	assert_null(strstr(h.g[1].srcl, ipof(3000)));
	assert_non_null(strstr(h.g[1].srcl, ipof(3026)));
	assert_int_equal(mm_analyzers_flush(h.a, cb, &h), 0);
	mm_analyzers_free(h.a);

	/* the end of input settles every source: the campaign is reported */
	h_init(&h, NULL);
	t = 0;
	for (unsigned s = 0; s < 21; s++)
		for (unsigned k = 0; k < 3; k++)
			att(&h, t += 5, 3000 + s, NULL, 0, 0);
	assert_int_equal(h.n, 0);
	assert_int_equal(mm_analyzers_flush(h.a, cb, &h), 1);
	assert_int_equal(h.g[0].sources, 21);
	assert_int_equal(mm_analyzers_flush(h.a, cb, &h), 0);
	mm_analyzers_free(h.a);
}

static void test_late_and_flat(void **st)
{
	(void)st;
	struct h h;
	h_init(&h, NULL);
	att(&h, 100000, 1, "u%u", 1, 0);
	att(&h, 100000 - 4000, 2, "u%u", 2, 0); /* older than the 1 h window */
	struct mm_analyzer_stats s;
	mm_analyzers_stats(h.a, &s);
	assert_int_equal(s.late, 1);
	assert_int_equal(s.inputs, 2);
	/* ever-new sources and accounts, 2 per second: state stays flat */
	int64_t t = 200000;
	for (unsigned i = 0; i < 40000; i++)
		att(&h, t += (i & 1), 100000 + i, "n%u", i, i % 10 == 0);
	mm_analyzers_stats(h.a, &s);
	uint64_t peak1 = s.state_bytes_peak;
	for (unsigned i = 40000; i < 400000; i++)
		att(&h, t += (i & 1), 100000 + i, "n%u", i, i % 10 == 0);
	mm_analyzers_stats(h.a, &s);
	assert_true(s.state_bytes_peak < peak1 * 3 / 2);
	assert_int_equal(s.cap_hits, 0);
	assert_int_equal(h.n, 0);
	mm_analyzers_free(h.a);
	mm_analyzers_free(NULL);
	/* disabled: nothing at all */
	struct mm_credstuff_opts o = {.disabled = true};
	h_init(&h, &o);
	att(&h, 1, 1, "x%u", 1, 0);
	mm_analyzers_stats(h.a, &s);
	assert_int_equal(s.inputs, 0);
	mm_analyzers_free(h.a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_campaign_batches),
		cmocka_unit_test(test_benign_shapes),
		cmocka_unit_test(test_no_account_names),
		cmocka_unit_test(test_late_and_flat),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
