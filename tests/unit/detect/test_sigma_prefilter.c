/* mamori — prefilter correctness (property test) and cost: for random rules
 * and random events, the matches with the Hyperscan prefilter equal the
 * matches with every rule evaluated (helpers.h checks all four ways); and
 * the number of rule programs run grows with the matches, not the rules.
 * Both halves of the prefilter are covered: the conjunction of necessary
 * clauses per rule, and the per-value skip of values none of whose literals
 * occurred (docs/internals/PREFILTER.md). */
#include "helpers.h"

#include "../../../src/detect/detect_int.h" /* mm__detector_values_skipped */

static uint64_t g_rng = 0x9e3779b97f4a7c15ull;

static unsigned rnd(unsigned n)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return (unsigned)(g_rng % n);
}

/* Values from a tiny alphabet so that random rules and events collide. */
static void rnd_word(char *out, size_t cap, bool wild)
{
	static const char al[] = "abAB-/ .";
	size_t n = 1 + rnd(4), k = 0;
	for (size_t i = 0; i < n && k + 3 < cap; i++) {
		unsigned r = rnd(wild ? 12 : 8);
		if (r < 8)
			out[k++] = al[r];
		else if (r == 8)
			out[k++] = '*';
		else if (r == 9)
			out[k++] = '?';
		else if (r == 10) {
			out[k++] = '\\';
			out[k++] = '*';
		} else {
			out[k++] = 'c';
		}
	}
	out[k] = '\0';
}

static const char *const g_fields[] = {"url.path", "url.query", "user.name", "k1",
                                       "http.response.status_code"};

/* A regex over the same alphabet, so that `|re` rules get literal sets
 * (src/detect/re_literal.c) that collide with the events' values. */
static void rnd_regex(char *out, size_t cap)
{
	static const char *const atoms[] = {"a", "b", "A", "B", "-", "/", " ", "\\.", ".",
	                                    "[ab]", "[^a]", "\\d", "\\s", "\\w", "(?:a|b-)",
	                                    "(a|)", "\\x41"};
	static const char *const bare[] = {"(?=a)", "\\b", "^", "$", "(?i)"}; /* no quantifier */
	static const char *const quant[] = {"", "", "", "?", "*", "+", "{2}", "{1,2}"};
	size_t k = 0;
	unsigned branches = 1 + (rnd(3) == 0);
	for (unsigned b = 0; b < branches; b++) {
		if (b)
			k += (size_t)snprintf(out + k, cap - k, "|");
		unsigned n = 1 + rnd(4);
		for (unsigned i = 0; i < n && k + 16 < cap; i++) {
			if (rnd(5) == 0)
				k += (size_t)snprintf(out + k, cap - k, "%s",
				                      bare[rnd(sizeof(bare) / sizeof(*bare))]);
			else
				k += (size_t)snprintf(out + k, cap - k, "%s%s",
				                      atoms[rnd(sizeof(atoms) / sizeof(*atoms))],
				                      quant[rnd(sizeof(quant) / sizeof(*quant))]);
		}
	}
}

static void rnd_item(char *buf, size_t cap)
{
	const char *f = g_fields[rnd(5)];
	char w[32], w2[32], re[160], re2[160];
	rnd_word(w, sizeof(w), true);
	rnd_word(w2, sizeof(w2), true);
	rnd_regex(re, sizeof(re));
	rnd_regex(re2, sizeof(re2));
	switch (rnd(15)) {
	case 12:
		snprintf(buf, cap, "%s|re: '%s'", f, re);
		return;
	case 13:
		snprintf(buf, cap, "%s|re|i: ['%s', '%s']", f, re, re2);
		return;
	case 14:
		snprintf(buf, cap, "'%s|re': '%s'", rnd(2) ? "" : f, re); /* keywords too */
		return;
	}
	switch (rnd(12)) {
	case 0:
		snprintf(buf, cap, "%s: '%s'", f, w);
		break;
	case 1:
		snprintf(buf, cap, "%s|contains: '%s'", f, w);
		break;
	case 2:
		snprintf(buf, cap, "%s|startswith: ['%s', '%s']", f, w, w2);
		break;
	case 3:
		snprintf(buf, cap, "%s|endswith|cased: '%s'", f, w);
		break;
	case 4:
		snprintf(buf, cap, "%s|contains|all: ['%s', '%s']", f, w, w2);
		break;
	case 5:
		snprintf(buf, cap, "%s|re: '[ab]%s'", f, rnd(2) ? "-" : "b");
		break;
	case 6:
		snprintf(buf, cap, "%s: null", f);
		break;
	case 7:
		snprintf(buf, cap, "%s|exists: %s", f, rnd(2) ? "true" : "false");
		break;
	case 8:
		snprintf(buf, cap, "http.response.status_code: %d", (int)rnd(3) - 1);
		break;
	case 9:
		snprintf(buf, cap, "%s|windash|contains: ' -a'", f);
		break;
	case 10:
		snprintf(buf, cap, "%s|gt: %u", f, rnd(3));
		break;
	default:
		snprintf(buf, cap, "%s|base64offset|contains: 'ab'", f);
		break;
	}
}

static void rnd_cond(char *buf, size_t cap, unsigned depth)
{
	unsigned r = rnd(depth > 2 ? 2 : 7);
	char a[512], b[512];
	switch (r) {
	case 0:
		snprintf(buf, cap, "s%u", rnd(3));
		break;
	case 1: {
		/* "4 of" three selections never holds: an empty clause */
		static const char *const q[] = {"1", "all", "2", "3", "any", "4"};
		snprintf(buf, cap, "%s of s*", q[rnd(6)]);
		break;
	}
	case 2:
		rnd_cond(a, sizeof(a), depth + 1);
		snprintf(buf, cap, "not %s", a);
		break;
	case 3:
	case 4:
		rnd_cond(a, sizeof(a), depth + 1);
		rnd_cond(b, sizeof(b), depth + 1);
		snprintf(buf, cap, "(%s %s %s)", a, r == 3 ? "and" : "or", b);
		break;
	case 5:
		snprintf(buf, cap, "keywords");
		break;
	default:
		rnd_cond(a, sizeof(a), depth + 1);
		snprintf(buf, cap, "%s and s%u", a, rnd(3));
		break;
	}
}

static char *rnd_rules(size_t n)
{
	struct mm_buf b;
	mm_buf_init(&b, 0);
	for (size_t i = 0; i < n; i++) {
		char kw[32];
		rnd_word(kw, sizeof(kw), false);
		mm_buf_printf(&b, "%stitle: r%zu\nid: r%zu\nlogsource:\n  category: %s\ndetection:\n",
		              i ? "---\n" : "", i, i, rnd(4) ? "webserver" : "proxy");
		for (int s = 0; s < 3; s++) {
			mm_buf_printf(&b, "  s%d:\n", s);
			unsigned items = 1 + rnd(2);
			for (unsigned k = 0; k < items; k++) {
				char it[256];
				rnd_item(it, sizeof(it));
				mm_buf_printf(&b, "    %s\n", it);
			}
		}
		mm_buf_printf(&b, "  keywords:\n    - '%s'\n", kw);
		char c[1024];
		rnd_cond(c, sizeof(c), 0);
		mm_buf_printf(&b, "  condition: %s\n", c);
		if (rnd(8) == 0) {
			/* a Sigma filter ANDed to this rule (or to every rule of its
			 * logsource): another operand of the rule's conjunction */
			char it[256], it2[256], who[64];
			rnd_item(it, sizeof(it));
			rnd_item(it2, sizeof(it2));
			if (rnd(3))
				snprintf(who, sizeof(who), "[r%zu, r%u]", i, rnd((unsigned)i + 1));
			else
				snprintf(who, sizeof(who), "any");
			mm_buf_printf(&b,
			              "---\ntitle: f%zu\nid: f%zu\nlogsource:\n  category: webserver\n"
			              "filter:\n  rules: %s\n  selection:\n    %s\n  other:\n    %s\n"
			              "  condition: %s\n",
			              i, i, who, it, it2,
			              rnd(2) ? "not selection" : rnd(2) ? "selection and not other"
			                                                : "selection or other");
		}
	}
	return b.p;
}

static void rnd_event(struct tev *t)
{
	static const enum mm_field_id ids[] = {MM_F_URL_PATH, MM_F_URL_QUERY, MM_F_USER_NAME};
	tev_init(t, NULL, rnd(4) ? "webserver" : "proxy", NULL);
	char w[64];
	for (size_t i = 0; i < 3; i++) {
		if (rnd(4) == 0)
			continue;
		rnd_word(w, sizeof(w), false);
		if (rnd(2)) { /* longer values */
			size_t l = strlen(w);
			rnd_word(w + l, sizeof(w) - l, false);
		}
		tev_set(t, ids[i], w);
	}
	if (rnd(2)) {
		rnd_word(w, sizeof(w), false);
		tev_extra(t, "k1", w);
	}
	if (rnd(2)) {
		static const char *const st[] = {"-1", "0", "1", "00", "-01", "2", "x"};
		tev_set(t, MM_F_HTTP_RESPONSE_STATUS, st[rnd(7)]);
	}
	if (rnd(3) == 0)
		tev_set(t, MM_F_URL_QUERY, rnd(2) ? "YWJj" : "x -a y"); /* base64("abc") */
	if (rnd(2)) {
		rnd_word(w, sizeof(w), false);
		tev_msg(t, w);
	}
}

static void test_property_prefilter_equals_full(void **s)
{
	size_t total_matches = 0, checked = 0;
	size_t re_rules = 0, re_filtered = 0, skipped = 0;
	for (int round = 0; round < 40; round++) {
		char *text = rnd_rules(40);
		struct mm_error err;
		struct mm_ruleset *rs = mm_ruleset_new(false);
		assert_int_equal(mm_ruleset_add_buffer(rs, "rnd.yml", text, strlen(text), &err), MM_OK);
		assert_int_equal(mm_ruleset_compile(rs, &err), MM_OK);
		for (size_t i = 0; i < mm_ruleset_status_count(rs); i++) {
			const struct mm_rule_status *st = mm_ruleset_status_at(rs, i);
			if (st->state != MM_RULE_LOADED && st->state != MM_RULE_FILTER)
				fail_msg("generated rule %zu: %s", i, st->reason);
		}
		struct mm_prefilter_info pi;
		mm_ruleset_prefilter_info(rs, &pi);
		re_filtered += pi.rules_filtered;
		re_rules += pi.rules_filtered + pi.rules_always;
		struct mm_detector *d = mm_detector_new(rs); /* counts the skips */
		for (int e = 0; e < 300; e++) {
			struct tev t;
			rnd_event(&t);
			total_matches += (size_t)__builtin_popcountll(match_mask(rs, &t));
			mm_detect_event(d, &t.ev, NULL, NULL);
			checked++;
		}
		skipped += mm__detector_values_skipped(d);
		mm_detector_free(d);
		mm_ruleset_free(rs);
		free(text);
	}
	printf("checked %zu events, %zu rule matches; %zu of %zu rules have a literal set; "
	       "%zu values skipped\n",
	       checked, total_matches, re_filtered, re_rules, skipped);
	assert_true(skipped > 100); /* the per-value skip is exercised */
	assert_true(total_matches > 100); /* the generator does produce matches */
	assert_true(re_filtered > re_rules / 10); /* and rules the prefilter skips */
}

/* Cost grows with matches: 2,000 rules on distinct literals, an event that
 * mentions one of them evaluates one rule, not 2,000. */
static void test_cost_follows_matches(void **s)
{
	struct mm_buf b;
	mm_buf_init(&b, 0);
	for (int i = 0; i < 2000; i++)
		mm_buf_printf(&b, "%stitle: r%d\nid: r%d\nlogsource:\n  category: webserver\n"
		                  "detection:\n  s:\n    url.path|contains: '/needle%05d/'\n"
		                  "  condition: s\n",
		              i ? "---\n" : "", i, i, i);
	mm_buf_printf(&b, "---\ntitle: always\nid: always\nlogsource:\n  category: webserver\n"
	                  "detection:\n  s:\n    url.path|re: '^.{3}$'\n  condition: s\n");
	struct mm_error err;
	struct mm_ruleset *rs = mm_ruleset_new(false);
	assert_int_equal(mm_ruleset_add_buffer(rs, "many.yml", b.p, b.n, &err), MM_OK);
	assert_int_equal(mm_ruleset_compile(rs, &err), MM_OK);
	struct mm_prefilter_info pi;
	mm_ruleset_prefilter_info(rs, &pi);
	assert_int_equal(pi.rules_filtered, 2000);
	assert_int_equal(pi.rules_always, 1);
	assert_int_equal(pi.literals, 2000);
	struct mm_detector *d = mm_detector_new(rs);
	for (int i = 0; i < 100; i++) {
		struct tev t;
		char u[64];
		snprintf(u, sizeof(u), "/needle%05d/x", i * 7);
		tev_init(&t, NULL, "webserver", NULL);
		tev_set(&t, MM_F_URL_PATH, u);
		assert_int_equal(mm_detect_event(d, &t.ev, NULL, NULL), 1);
	}
	struct mm_detect_stats st;
	mm_detector_stats(d, &st);
	assert_int_equal(st.events, 100);
	assert_int_equal(st.matches, 100);
	assert_int_equal(st.prefilter_scans, 100);
	assert_int_equal(st.rules_evaluated, 200); /* the candidate + the regex rule */
	assert_int_equal(mm_detector_rule_matches(d, 0), 1);
	mm_detector_free(d);
	mm_ruleset_free(rs);
	mm_buf_free(&b);
}

/* `|re` rules get literal sets (re_literal.c): an event without any of them
 * runs no rule; matches are the same with and without the prefilter (the
 * helpers check that), also for the caseless spellings PCRE2 accepts (the
 * long s U+017F for "s", the Kelvin sign U+212A for "k"). */
static void test_regex_rules_are_filtered(void **s)
{
	struct mm_ruleset *rs = load(
		"title: union\nid: re1\nlogsource:\n  category: webserver\ndetection:\n"
		"  s:\n    url.original|re: '(?i)union(?:\\s|\\+|%20)+select'\n  condition: s\n"
		"---\ntitle: kw\nid: re2\nlogsource:\n  category: webserver\ndetection:\n"
		"  s:\n    url.query|re|i: '(?:^|&)(?:cmd|exec)=(?:id|ls)(?:$|&)'\n  condition: s\n");
	struct mm_prefilter_info pi;
	mm_ruleset_prefilter_info(rs, &pi);
	assert_int_equal(pi.rules_filtered, 2);
	assert_int_equal(pi.rules_always, 0);
	static const struct {
		const char *url, *query;
		uint64_t mask;
	} cases[] = {
		{"/index.html", "page=2", 0},
		{"/p?q=1+UNION+SELECT+2", "q=1+UNION+SELECT+2", 1},
		{"/p?q=1%20union%20\xc5\xbf" "elect%20 2", "q=x", 1}, /* long s */
		{"/p?q=union+selection", "q=union+selection", 1},
		{"/p?q=unionselect", "q=unionselect", 0},
		{"/x?CMD=ls", "CMD=ls", 2},
		{"/x?a=1&exec=id&b", "a=1&exec=id&b", 2},
		{"/x?cmd=identify", "cmd=identify", 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct tev t;
		tev_init(&t, NULL, "webserver", NULL);
		tev_set(&t, MM_F_URL_ORIGINAL, cases[i].url);
		tev_set(&t, MM_F_URL_QUERY, cases[i].query);
		uint64_t m = match_mask(rs, &t);
		if (m != cases[i].mask)
			fail_msg("%s: mask %llx, want %llx", cases[i].url, (unsigned long long)m,
			         (unsigned long long)cases[i].mask);
	}
	/* the cost: an event with none of the literals runs no rule */
	struct mm_detector *d = mm_detector_new(rs);
	struct tev t;
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_URL_ORIGINAL, "/static/app.js?v=3");
	tev_set(&t, MM_F_URL_QUERY, "v=3");
	assert_int_equal(mm_detect_event(d, &t.ev, NULL, NULL), 0);
	struct mm_detect_stats st;
	mm_detector_stats(d, &st);
	assert_int_equal(st.rules_evaluated, 0);
	mm_detector_free(d);
	mm_ruleset_free(rs);
}

/* Per-event cost of one detector over the events, and the values it skipped. */
struct cost {
	uint64_t evaluated, matches, skipped;
};

static struct cost run_cost(const struct mm_ruleset *rs, struct tev *t, size_t n, bool prefilter)
{
	struct mm_detector *d = mm_detector_new(rs);
	mm_detector_set_prefilter(d, prefilter);
	for (size_t i = 0; i < n; i++)
		mm_detect_event(d, &t[i].ev, NULL, NULL);
	struct mm_detect_stats st;
	mm_detector_stats(d, &st);
	struct cost c = {st.rules_evaluated, st.matches, mm__detector_values_skipped(d)};
	mm_detector_free(d);
	return c;
}

/* SigmaHQ's web_ssti_in_access_logs shape: `select_method and keywords and
 * not filter`. "get" occurs on almost every line; with one literal set per
 * rule the prefilter kept {get} (as selective as "={{" by length, and
 * smaller) and ran the rule on every GET. With a clause per operand the rule
 * runs only when a keyword occurs as well. */
static void test_conjunctive_clauses(void **s)
{
	struct mm_ruleset *rs = load(
		"title: ssti\nid: c1\nlogsource:\n  category: webserver\ndetection:\n"
		"  select_method:\n    http.request.method: GET\n"
		"  keywords:\n    - '={{'\n    - '=%7B%7B'\n    - 'freemarker.template.utility.Execute'\n"
		"  filter:\n    http.response.status_code: 404\n"
		"  condition: select_method and keywords and not filter\n");
	struct mm_prefilter_info pi;
	mm_ruleset_prefilter_info(rs, &pi);
	assert_int_equal(pi.rules_filtered, 1);
	assert_int_equal(pi.literals, 4); /* get, ={{, =%7b%7b, freemarker… */
	static const struct {
		const char *method, *url, *status;
		uint64_t mask;
		uint64_t evaluated; /* with the prefilter */
	} cases[] = {
		{"GET", "/index.html?page=2", "200", 0, 0},    /* the common clause only */
		{"GET", "/target/{{7*7}}", "200", 0, 0},       /* "{{" but not "={{" */
		{"GET", "/t?n=%7b%7b7*7%7d%7d", "200", 1, 1},
		{"GET", "/t?name={{7*7}}", "404", 0, 1},       /* the filter excludes */
		{"POST", "/form?v={{x}}", "200", 0, 0},        /* the rare clause only */
		{"get", "/t?a={{x}}", "200", 1, 1},          /* caseless equality */
	};
	struct tev t[sizeof(cases) / sizeof(*cases)];
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		tev_init(&t[i], NULL, "webserver", NULL);
		tev_set(&t[i], MM_F_HTTP_REQUEST_METHOD, cases[i].method);
		tev_set(&t[i], MM_F_URL_ORIGINAL, cases[i].url);
		tev_set(&t[i], MM_F_HTTP_RESPONSE_STATUS, cases[i].status);
		uint64_t m = match_mask(rs, &t[i]);
		if (m != cases[i].mask)
			fail_msg("%s %s: mask %llx, want %llx", cases[i].method, cases[i].url,
			         (unsigned long long)m, (unsigned long long)cases[i].mask);
		struct cost c = run_cost(rs, &t[i], 1, true);
		if (c.evaluated != cases[i].evaluated)
			fail_msg("%s %s: %llu rules run, want %llu", cases[i].method, cases[i].url,
			         (unsigned long long)c.evaluated, (unsigned long long)cases[i].evaluated);
	}
	/* without the prefilter every event runs the rule */
	struct cost off = run_cost(rs, t, sizeof(t) / sizeof(*t), false);
	assert_int_equal(off.evaluated, sizeof(t) / sizeof(*t));
	assert_int_equal(off.matches, 2);
	mm_ruleset_free(rs);
}

/* A rule is a candidate when every clause has a hit; then each value whose
 * literals did not occur anywhere in the scanned text is not tested. */
static void test_values_skipped(void **s)
{
	struct mm_ruleset *rs = load(
		"title: files\nid: v1\nlogsource:\n  category: webserver\ndetection:\n"
		"  sel:\n    url.original|contains:\n      - /etc/passwd\n      - /etc/shadow\n"
		"      - win.ini\n"
		"  ua:\n    user_agent.original|contains: [curl, wget]\n"
		"  condition: sel and ua\n"
		"---\ntitle: re\nid: v2\nlogsource:\n  category: webserver\ndetection:\n"
		"  s1:\n    url.original|contains: admin\n"
		"  s2:\n    url.query|re: '(?i)union\\s+select'\n"
		"  condition: s2 or s1\n");
	struct tev t[3];
	tev_init(&t[0], NULL, "webserver", NULL);
	tev_set(&t[0], MM_F_URL_ORIGINAL, "/x?f=../../etc/shadow");
	tev_set(&t[0], MM_F_USER_AGENT_ORIGINAL, "curl/8.0");
	tev_init(&t[1], NULL, "webserver", NULL);
	tev_set(&t[1], MM_F_URL_ORIGINAL, "/admin/login");
	tev_set(&t[1], MM_F_URL_QUERY, "id=1");
	tev_init(&t[2], NULL, "webserver", NULL);
	tev_set(&t[2], MM_F_URL_ORIGINAL, "/x");
	tev_set(&t[2], MM_F_URL_QUERY, "id=1 union select 2");
	tev_set(&t[2], MM_F_USER_AGENT_ORIGINAL, "Wget/1.2");
	assert_int_equal(match_mask(rs, &t[0]), 1);
	assert_int_equal(match_mask(rs, &t[1]), 2);
	assert_int_equal(match_mask(rs, &t[2]), 2);
	/* t0: /etc/passwd is skipped, /etc/shadow matches; curl matches.
	 * t1: the regex is skipped (neither "union" nor "select" occurs), admin
	 * matches. t2: v1 does not run (no literal of sel); the regex runs (its
	 * literals are the joins "union " … " select" with each \s). */
	struct cost on = run_cost(rs, t, 3, true);
	assert_int_equal(on.evaluated, 3);
	assert_int_equal(on.matches, 3);
	assert_int_equal(on.skipped, 2);
	struct cost off = run_cost(rs, t, 3, false);
	assert_int_equal(off.evaluated, 6);
	assert_int_equal(off.matches, 3);
	assert_int_equal(off.skipped, 0); /* nothing is known without the scan */
	mm_ruleset_free(rs);
}

/* Decoded (non-verbatim) events through one long-lived detector: values
 * that repeat are scanned alone once and their literal ids replayed from
 * the detector's value cache (match.c take_value()). Events come from a
 * pool of 12 with replacement, so every value is seen many times; each
 * event's matches must equal those of fresh detectors (prefilter on/off,
 * both scan modes), i.e. a replay gives what a scan gives. */
static void test_value_cache_equals_full(void **s)
{
	size_t total = 0, checked = 0;
	for (int round = 0; round < 20; round++) {
		char *text = rnd_rules(40);
		struct mm_error err;
		struct mm_ruleset *rs = mm_ruleset_new(false);
		assert_int_equal(mm_ruleset_add_buffer(rs, "rnd.yml", text, strlen(text), &err), MM_OK);
		assert_int_equal(mm_ruleset_compile(rs, &err), MM_OK);
		static struct tev pool[12];
		for (size_t i = 0; i < 12; i++)
			rnd_event(&pool[i]);
		struct mm_detector *d = mm_detector_new(rs);
		for (int e = 0; e < 200; e++) {
			struct tev *t = &pool[rnd(12)];
			uint64_t want = match_mask(rs, t), got = 0;
			unsigned flags = t->ev.flags;
			t->ev.flags = flags & ~MM_EV_VERBATIM;
			mm_detect_event(d, &t->ev, collect, &got);
			t->ev.flags = flags;
			if (got != want)
				fail_msg("round %d event %d: cached %llx, fresh %llx", round, e,
				         (unsigned long long)got, (unsigned long long)want);
			total += (size_t)__builtin_popcountll(got);
			checked++;
		}
		mm_detector_free(d);
		mm_ruleset_free(rs);
		free(text);
	}
	printf("value cache: %zu events, %zu rule matches\n", checked, total);
	assert_true(total > 100); /* the pools do produce matches */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_property_prefilter_equals_full),
		cmocka_unit_test(test_cost_follows_matches),
		cmocka_unit_test(test_regex_rules_are_filtered),
		cmocka_unit_test(test_conjunctive_clauses),
		cmocka_unit_test(test_values_skipped),
		cmocka_unit_test(test_value_cache_equals_full),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
