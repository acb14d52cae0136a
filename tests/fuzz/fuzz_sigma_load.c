/* mamori — fuzz target for the Sigma loader/compiler/matcher: the input is a
 * rule file (optionally preceded by a pySigma pipeline and a "\n%%\n"
 * separator); it is loaded, compiled (prefilter included) and matched against
 * a few fixed events with the prefilter on and off, which must agree. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
	for (int e = 0; e < 3; e++) {
		char line[1024];
		size_t at = 0;
		struct mm_event ev;
		struct mm_kv kv[2];
		mm_event_clear(&ev);
		ev.category = cats[e];
		ev.product = prods[e];
		ev.service[0] = e == 1 ? "sshd" : NULL;
		set(&ev, line, &at, MM_F_URL_ORIGINAL, "/cgi-bin/../../etc/passwd?q=union+select+1");
		set(&ev, line, &at, MM_F_SOURCE_IP, e ? "10.1.2.3" : "2001:db8::1");
		set(&ev, line, &at, MM_F_HTTP_RESPONSE_STATUS, "404");
		set(&ev, line, &at, MM_F_USER_AGENT_ORIGINAL, "sqlmap/1.7 (python)");
		set(&ev, line, &at, MM_F_USER_NAME, "root");
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
		ev.flags = e == 2 ? 0 : MM_EV_VERBATIM;
		size_t a = 0, b = 0;
		struct mm_detector *d = mm_detector_new(rs);
		size_t na = mm_detect_event(d, &ev, on_match, &a);
		mm_detector_set_prefilter(d, false);
		size_t nb = mm_detect_event(d, &ev, on_match, &b);
		if (na != nb || a != na || b != nb)
			abort(); /* the prefilter must never change the result */
		mm_detector_free(d);
	}
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
