/* mamori — fuzz target for the Sigma loader/compiler/matcher: the input is a
 * rule file (optionally preceded by a pySigma pipeline and a "\n%%\n"
 * separator); it is loaded, compiled (prefilter included) and matched against
 * a few fixed events with the prefilter on and off, which must agree.
 * Correlation rules in the input run over rounds of those events (event time
 * advancing, one out of order) with a small --state-mem, and every result is
 * rendered as alert JSON. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/alert.h"
#include "mamori/detect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count(void *ud, const struct mm_rule_info *r, const struct mm_event *ev)
{
	(void)r;
	(void)ev;
	return ++*(size_t *)ud;
}

static void on_match(void *ud, const struct mm_rule_info *r, const struct mm_event *ev)
{
	count(ud, r, ev);
}

static void on_corr(void *ud, const struct mm_corr_result *res, const struct mm_event *ev)
{
	struct mm_alert a;
	struct mm_buf b;
	(void)ud;
	mm_buf_init(&b, 0);
	mm_alert_init_corr(&a, res, ev, "fuzz");
	if (mm_alert_to_json(&b, &a, 0) != MM_OK || mm_alert_to_text(&b, &a) != MM_OK)
		abort();
	mm_buf_free(&b);
}

static void on_match_corr(void *ud, const struct mm_rule_info *r, const struct mm_event *ev)
{
	mm_correlate(ud, r, ev, on_corr, NULL);
}

static void set(struct mm_event *ev, char *line, size_t *at, enum mm_field_id id, const char *v)
{
	size_t n = strlen(v);
	memcpy(line + *at, v, n);
	ev->f[id] = mm_slice(line + *at, n);
	*at += n;
	line[(*at)++] = ' ';
}

static void run_events(const struct mm_ruleset *rs)
{
	static const char *const cats[] = {"webserver", "proxy", NULL};
	static const char *const prods[] = {NULL, "linux", "windows"};
	static const char *const users[] = {"root", "admin", "oracle", "pi"};
	struct mm_correlator *cor = NULL;
	struct mm_detector *cd = NULL;
	if (mm_ruleset_corr_count(rs)) {
		struct mm_corr_opts o = {64 * 1024, 30 * MM_NS_PER_SEC};
		cor = mm_correlator_new(rs, &o);
		cd = mm_detector_new(rs);
	}
	for (int e = 0; e < (cor ? 48 : 3); e++) {
		char line[1024];
		size_t at = 0;
		struct mm_event ev;
		struct mm_kv kv[2];
		mm_event_clear(&ev);
		ev.category = cats[e % 3];
		ev.product = prods[e % 3];
		ev.service[0] = e % 3 == 1 ? "sshd" : NULL;
		set(&ev, line, &at, MM_F_URL_ORIGINAL, "/cgi-bin/../../etc/passwd?q=union+select+1");
		set(&ev, line, &at, MM_F_SOURCE_IP, e % 3 ? "10.1.2.3" : "2001:db8::1");
		set(&ev, line, &at, MM_F_HTTP_RESPONSE_STATUS, "404");
		set(&ev, line, &at, MM_F_USER_AGENT_ORIGINAL, "sqlmap/1.7 (python)");
		set(&ev, line, &at, MM_F_USER_NAME, users[(e / 3) % 4]);
		/* outcomes feed the correlation alerts' failure/success counts */
		set(&ev, line, &at, MM_F_EVENT_OUTCOME, e % 4 == 3 ? "success" : "failure");
		size_t k0 = at;
		set(&ev, line, &at, MM_F_MESSAGE, "CommandLine=powershell -enc dwBoAG8AYQBtAGkA");
		kv[0].k = MM_SLICE_LIT("CommandLine");
		kv[0].v = mm_slice(line + k0 + 12, strlen("powershell -enc dwBoAG8AYQBtAGkA"));
		kv[1].k = MM_SLICE_LIT("process.pid");
		kv[1].v = MM_SLICE_LIT("1234");
		ev.extra = kv;
		ev.n_extra = 2;
		ev.raw = mm_slice(line, at);
		ev.msg = ev.f[MM_F_MESSAGE];
		ev.flags = e % 3 == 2 ? 0 : MM_EV_VERBATIM;
		/* event time: 7 s apart, every fifth event 40 s late */
		ev.ts = (INT64_C(1700000000) + e * 7 - (e % 5 == 4 ? 40 : 0)) * MM_NS_PER_SEC;
		ev.line_no = (uint64_t)e + 1;
		ev.src_path = "fuzz.log";
		if (cor) {
			mm_correlator_observe(cor, &ev);
			mm_detect_event(cd, &ev, on_match_corr, cor);
			if (e >= 3)
				continue;
		}
		size_t a = 0, b = 0;
		struct mm_detector *d = mm_detector_new(rs);
		size_t na = mm_detect_event(d, &ev, on_match, &a);
		mm_detector_set_prefilter(d, false);
		size_t nb = mm_detect_event(d, &ev, on_match, &b);
		if (na != nb || a != na || b != nb)
			abort(); /* the prefilter must never change the result */
		mm_detector_free(d);
	}
	if (cor) {
		struct mm_corr_stats st;
		mm_correlator_stats(cor, &st);
		if (st.state_bytes > 64 * 1024)
			abort(); /* the cap holds */
	}
	mm_correlator_free(cor);
	mm_detector_free(cd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	const char *text = (const char *)data;
	size_t n = size, pn = 0;
	for (size_t i = 0; i + 4 <= size; i++) {
		if (memcmp(text + i, "\n%%\n", 4) == 0) {
			pn = i;
			text += i + 4;
			n = size - i - 4;
			break;
		}
	}
	struct mm_error err;
	struct mm_ruleset *rs = mm_ruleset_new(true);
	if (pn)
		mm_ruleset_add_pipeline_buffer(rs, "fuzz-pipeline", (const char *)data, pn, &err);
	mm_ruleset_add_buffer(rs, "fuzz.yml", text, n, &err);
	if (mm_ruleset_compile(rs, &err) == MM_OK) {
		for (size_t i = 0; i < mm_ruleset_status_count(rs); i++) {
			const struct mm_rule_status *st = mm_ruleset_status_at(rs, i);
			if (!st->path || (st->state != MM_RULE_LOADED && st->state != MM_RULE_FILTER &&
			                  !st->reason))
				abort(); /* every failure carries a reason */
		}
		run_events(rs);
	}
	mm_ruleset_free(rs);
	return 0;
}
