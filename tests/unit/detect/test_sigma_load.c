/* mamori — Sigma loading and rule structure: statuses (invalid / unsupported
 * with exact reasons), YAML errors with line/col, duplicate ids, metadata,
 * multi-document files and `action: global|reset|repeat` collections,
 * correlation documents, Sigma filters, and the condition grammar. */
#include "helpers.h"

static struct mm_ruleset *load_nocompile_check(const char *text)
{
	return load(text);
}

static void test_meta_and_severity(void **s)
{
	struct mm_ruleset *rs = load("title: Web shell\nid: 11111111-0000-0000-0000-000000000001\n"
	                             "name: webshell_x\nstatus: test\ndescription: d\n"
	                             "level: critical\ntags:\n  - attack.t1190\n  - attack.initial-access\n"
	                             "custom_key: whatever\nx-mamori: {a: 1}\n"
	                             "logsource:\n  category: webserver\n  product: apache\n"
	                             "detection:\n  a:\n    url.path: /x\n  condition: a\n");
	assert_int_equal(mm_ruleset_rule_count(rs), 1);
	const struct mm_rule_info *r = mm_ruleset_rule_at(rs, 0);
	assert_string_equal(r->id, "11111111-0000-0000-0000-000000000001");
	assert_string_equal(r->name, "webshell_x");
	assert_string_equal(r->title, "Web shell");
	assert_string_equal(r->level, "critical");
	assert_int_equal(r->severity, 4);
	assert_string_equal(r->status, "test");
	assert_int_equal(r->ntags, 2);
	assert_string_equal(r->tags[0], "attack.t1190");
	assert_string_equal(r->category, "webserver");
	assert_string_equal(r->product, "apache");
	assert_null(r->service);
	assert_string_equal(r->path, "test.yml");
	assert_int_equal(r->index, 0);
	assert_ptr_equal(mm_ruleset_rule_find(rs, "webshell_x"), r);
	assert_ptr_equal(mm_ruleset_rule_find(rs, "11111111-0000-0000-0000-000000000001"), r);
	assert_null(mm_ruleset_rule_find(rs, "nope"));
	assert_string_equal(mm_rule_state_name(status0(rs)->state), "loaded");
	mm_ruleset_free(rs);

	const char *lv[] = {"informational", "low", "medium", "high", "critical"};
	for (int i = 0; i < 5; i++) {
		char buf[512];
		snprintf(buf, sizeof(buf),
		         "title: t\nlevel: %s\ndetection:\n  a:\n    x: 1\n  condition: a\n", lv[i]);
		rs = load(buf);
		assert_int_equal(mm_ruleset_rule_at(rs, 0)->severity, i);
		mm_ruleset_free(rs);
	}
	rs = load("title: t\nlevel: severe\ndetection:\n  a:\n    x: 1\n  condition: a\n");
	assert_int_equal(status0(rs)->state, MM_RULE_INVALID);
	assert_non_null(strstr(status0(rs)->reason, "unknown level 'severe'"));
	mm_ruleset_free(rs);
	/* no id: path#doc */
	rs = load("title: t\ndetection:\n  a:\n    x: 1\n  condition: a\n");
	assert_string_equal(mm_ruleset_rule_at(rs, 0)->id, "test.yml#0");
	mm_ruleset_free(rs);
}

static void test_invalid_reasons(void **s)
{
	struct {
		const char *text, *reason;
		enum mm_rule_state st;
	} cases[] = {
		{"detection:\n  a:\n    x: 1\n  condition: a\n", "missing 'title'", MM_RULE_INVALID},
		{"title: t\n", "missing 'detection'", MM_RULE_INVALID},
		{"title: t\ndetection:\n  a:\n    x: 1\n", "detection has no 'condition'",
		 MM_RULE_INVALID},
		{"title: t\ndetection:\n  a:\n    x: 1\n  condition: b\n",
		 "condition: unknown search identifier 'b'", MM_RULE_INVALID},
		{"title: t\ndetection:\n  a:\n    x: 1\n  condition: a and\n",
		 "condition: unexpected end of condition", MM_RULE_INVALID},
		{"title: t\ndetection:\n  a:\n    x: 1\n  condition: (a\n", "condition: missing ')'",
		 MM_RULE_INVALID},
		{"title: t\ndetection:\n  a:\n    x: 1\n  condition: 1 of b*\n",
		 "condition: no search identifier matches 'b*'", MM_RULE_INVALID},
		{"title: t\ndetection:\n  a:\n    x: 1\n  condition: a | count() > 5\n",
		 "condition: aggregation expression ('| count() > 5…', Sigma v1) is not supported; "
		 "use a correlation rule",
		 MM_RULE_UNSUPPORTED},
		{"- 1\n- 2\n", "document is not a YAML map (line 1 col 1)", MM_RULE_INVALID},
		{"", "empty file (no YAML document)", MM_RULE_INVALID},
		{"title: t\ndetection:\n  a: []\n  condition: a\n", "selection 'a' is an empty list (line 3)",
		 MM_RULE_INVALID},
	};
	for (size_t i = 0; i < MM_ARRAY_LEN(cases); i++) {
		struct mm_ruleset *rs = load_nocompile_check(cases[i].text);
		const struct mm_rule_status *st = status0(rs);
		if (st->state != cases[i].st || !st->reason || strcmp(st->reason, cases[i].reason))
			fail_msg("case %zu: got %s '%s'", i, mm_rule_state_name(st->state),
			         st->reason ? st->reason : "(null)");
		assert_int_equal(mm_ruleset_rule_count(rs), 0);
		mm_ruleset_free(rs);
	}
}

static void test_yaml_error_line_col(void **s)
{
	struct mm_ruleset *rs = load("title: ok\ndetection:\n  a:\n    x: 1\n  condition: a\n"
	                             "---\ntitle: broken\ndetection: [\n");
	assert_int_equal(mm_ruleset_status_count(rs), 2);
	assert_int_equal(mm_ruleset_status_at(rs, 0)->state, MM_RULE_LOADED);
	const struct mm_rule_status *st = mm_ruleset_status_at(rs, 1);
	assert_int_equal(st->state, MM_RULE_INVALID);
	assert_int_equal(st->doc, 1);
	assert_non_null(strstr(st->reason, "YAML syntax error at line 9 col 1"));
	mm_ruleset_free(rs);
}

static void test_duplicate_id(void **s)
{
	struct mm_error err;
	struct mm_ruleset *rs = mm_ruleset_new(false);
	const char *a = "title: a\nid: dup-1\ndetection:\n  a:\n    x: 1\n  condition: a\n";
	assert_int_equal(mm_ruleset_add_buffer(rs, "first.yml", a, strlen(a), &err), MM_OK);
	assert_int_equal(mm_ruleset_add_buffer(rs, "second.yml", a, strlen(a), &err), MM_OK);
	assert_int_equal(mm_ruleset_compile(rs, &err), MM_OK);
	assert_int_equal(mm_ruleset_rule_count(rs), 1);
	const struct mm_rule_status *st = mm_ruleset_status_at(rs, 1);
	assert_int_equal(st->state, MM_RULE_INVALID);
	assert_string_equal(st->reason, "duplicate id dup-1 (first defined in first.yml, document 0)");
	assert_string_equal(mm_ruleset_rule_at(rs, 0)->path, "first.yml");
	/* adding after compile is refused */
	assert_int_equal(mm_ruleset_add_buffer(rs, "third.yml", a, strlen(a), &err), MM_EINVAL);
	assert_int_equal(mm_ruleset_compile(rs, &err), MM_EINVAL);
	mm_ruleset_free(rs);
}

static void test_multi_document_and_collections(void **s)
{
	/* plain multi-document file */
	struct mm_ruleset *rs = load("title: a\nid: m1\ndetection:\n  s:\n    x: 1\n  condition: s\n"
	                             "---\ntitle: b\nid: m2\ndetection:\n  s:\n    x: 2\n  condition: s\n");
	assert_int_equal(mm_ruleset_rule_count(rs), 2);
	assert_int_equal(mm_ruleset_status_at(rs, 1)->doc, 1);
	mm_ruleset_free(rs);

	/* action: global (merged into every following document), reset, repeat */
	rs = load("action: global\ntitle: Coll\nid: g1\nlevel: high\nlogsource:\n  product: linux\n"
	          "detection:\n  condition: sel\n"
	          "---\nlogsource:\n  service: auth\ndetection:\n  sel:\n    user.name: root\n"
	          "---\nlogsource:\n  service: syslog\ndetection:\n  sel:\n    user.name: admin\n"
	          "---\naction: repeat\nlogsource:\n  service: cron\n"
	          "---\naction: reset\n"
	          "---\ntitle: plain\ndetection:\n  s:\n    x: 1\n  condition: s\n");
	assert_int_equal(mm_ruleset_rule_count(rs), 4);
	const struct mm_rule_info *r0 = mm_ruleset_rule_at(rs, 0), *r1 = mm_ruleset_rule_at(rs, 1),
	                          *r2 = mm_ruleset_rule_at(rs, 2), *r3 = mm_ruleset_rule_at(rs, 3);
	assert_string_equal(r0->title, "Coll");
	assert_string_equal(r0->id, "g1");
	assert_string_equal(r1->id, "g1#2");
	assert_string_equal(r0->product, "linux");
	assert_string_equal(r0->service, "auth");
	assert_string_equal(r1->service, "syslog");
	assert_int_equal(r0->severity, 3);
	assert_string_equal(r2->service, "cron"); /* repeat of doc 2 */
	assert_string_equal(r2->title, "Coll");
	assert_string_equal(r3->title, "plain");
	assert_string_equal(r3->level, "medium"); /* global was reset */
	struct tev t;
	tev_init(&t, "linux", NULL, "cron");
	tev_set(&t, MM_F_USER_NAME, "admin");
	assert_int_equal(match_mask(rs, &t), UINT64_C(1) << 2);
	mm_ruleset_free(rs);

	rs = load("action: global\ntitle: x\n");
	assert_int_equal(status0(rs)->state, MM_RULE_INVALID);
	assert_string_equal(status0(rs)->reason,
	                    "'action: global' document not followed by any rule document");
	mm_ruleset_free(rs);
	rs = load("action: frob\ntitle: x\n");
	assert_int_equal(status0(rs)->state, MM_RULE_INVALID);
	mm_ruleset_free(rs);
}

static void test_correlation(void **s)
{
	struct mm_ruleset *rs = load("title: base\nid: b1\nname: failed_login\n"
	                             "detection:\n  s:\n    event.outcome: failure\n  condition: s\n"
	                             "---\ntitle: Many failures\nid: c1\ncorrelation:\n"
	                             "  type: event_count\n  rules: [failed_login]\n"
	                             "  group-by: [source.ip]\n  timespan: 5m\n"
	                             "  condition:\n    gte: 10\n");
	assert_int_equal(mm_ruleset_rule_count(rs), 1);
	const struct mm_rule_status *st = mm_ruleset_status_at(rs, 1);
	assert_int_equal(st->state, MM_RULE_LOADED);
	assert_null(st->reason);
	assert_string_equal(st->id, "c1");
	assert_string_equal(st->title, "Many failures");
	assert_int_equal(mm_ruleset_corr_count(rs), 1);
	assert_string_equal(mm_ruleset_corr_at(rs, 0)->corr_type, "event_count");
	/* the base rule is referenced by a correlation without generate: silent */
	assert_true(mm_ruleset_rule_at(rs, 0)->silent);
	assert_false(mm_ruleset_corr_at(rs, 0)->silent);
	assert_ptr_equal(mm_ruleset_rule_find(rs, "c1"), mm_ruleset_corr_at(rs, 0));
	mm_ruleset_free(rs);
}

static void test_filters(void **s)
{
	const char *rules =
		"title: r1\nid: r1\nlogsource:\n  category: webserver\n"
		"detection:\n  s:\n    url.path|startswith: /admin\n  condition: s\n"
		"---\ntitle: r2\nid: r2\nname: r2name\nlogsource:\n  category: webserver\n"
		"detection:\n  s:\n    url.path|startswith: /admin\n  condition: s\n"
		"---\ntitle: r3\nid: r3\nlogsource:\n  category: webserver\n"
		"detection:\n  s:\n    url.path|startswith: /admin\n  condition: s\n"
		"---\ntitle: r4 linux\nid: r4\nlogsource:\n  product: linux\n"
		"detection:\n  s:\n    url.path|startswith: /admin\n  condition: s\n"
		"---\ntitle: Office network is fine\nid: f1\nlogsource:\n  category: webserver\n"
		"filter:\n  rules:\n    - r1\n    - r2name\n"
		"  selection:\n    source.ip|cidr: 10.0.0.0/8\n  condition: not selection\n"
		"---\ntitle: Monitoring agent everywhere\nid: f2\n"
		"filter:\n  rules: any\n  selection:\n    user_agent.original: monit*\n"
		"  condition: not selection\n"
		"---\ntitle: Only GET counts for r3\nid: f3\nlogsource:\n  category: webserver\n"
		"filter:\n  rules: r3\n  sel:\n    http.request.method: GET\n  condition: sel\n";
	struct mm_ruleset *rs = load(rules);
	assert_int_equal(mm_ruleset_rule_count(rs), 4);
	assert_int_equal(mm_ruleset_status_at(rs, 4)->state, MM_RULE_FILTER);
	assert_int_equal(mm_ruleset_status_at(rs, 5)->state, MM_RULE_FILTER);
	assert_int_equal(mm_ruleset_status_at(rs, 6)->state, MM_RULE_FILTER);
	struct tev t;
	tev_init(&t, "linux", "webserver", NULL);
	tev_set(&t, MM_F_URL_PATH, "/admin/x");
	tev_set(&t, MM_F_SOURCE_IP, "10.1.1.1");
	tev_set(&t, MM_F_HTTP_REQUEST_METHOD, "GET");
	/* r1 and r2 (by name) are filtered; r3 not listed by f1 and passes f3
	 * (a positive filter condition restricts, it does not exclude); r4's
	 * logsource is not the filter's */
	assert_int_equal(match_mask(rs, &t), UINT64_C(0xc));
	tev_set(&t, MM_F_HTTP_REQUEST_METHOD, "POST");
	assert_int_equal(match_mask(rs, &t), UINT64_C(0x8)); /* f3 keeps r3 to GET */
	tev_init(&t, "linux", "webserver", NULL);
	tev_set(&t, MM_F_URL_PATH, "/admin/x");
	tev_set(&t, MM_F_SOURCE_IP, "192.0.2.1");
	tev_set(&t, MM_F_HTTP_REQUEST_METHOD, "GET");
	assert_int_equal(match_mask(rs, &t), UINT64_C(0xf));
	tev_set(&t, MM_F_USER_AGENT_ORIGINAL, "Monit/5.2");
	assert_int_equal(match_mask(rs, &t), UINT64_C(0)); /* rules: any */
	mm_ruleset_free(rs);

	rs = load("title: f\nfilter:\n  selection:\n    a: 1\n  condition: selection\n");
	assert_int_equal(status0(rs)->state, MM_RULE_INVALID);
	assert_non_null(strstr(status0(rs)->reason, "filter has no 'rules'"));
	mm_ruleset_free(rs);
}

/* ---- condition grammar -------------------------------------------------- */

/* Three selections a, b, c on fields x, y, z (extra keys) equal to "1". */
static bool cond_eval(const char *cond, bool a, bool b, bool c)
{
	char buf[1024];
	snprintf(buf, sizeof(buf),
	         "title: t\ndetection:\n  sel_a:\n    x: '1'\n  sel_b:\n    y: '1'\n"
	         "  other_c:\n    z: '1'\n  _hidden:\n    w: '1'\n  condition: %s\n",
	         cond);
	struct mm_ruleset *rs = load(buf);
	if (mm_ruleset_rule_count(rs) != 1)
		fail_msg("condition '%s': %s", cond, status0(rs)->reason);
	struct tev t;
	tev_init(&t, NULL, NULL, NULL);
	tev_extra(&t, "x", a ? "1" : "0");
	tev_extra(&t, "y", b ? "1" : "0");
	tev_extra(&t, "z", c ? "1" : "0");
	tev_extra(&t, "w", "0");
	bool r = matches(rs, &t);
	mm_ruleset_free(rs);
	return r;
}

static void test_condition_grammar(void **s)
{
	for (int m = 0; m < 8; m++) {
		bool a = m & 1, b = m & 2, c = m & 4;
		/* not > and > or */
		assert_int_equal(cond_eval("sel_a or sel_b and other_c", a, b, c), a || (b && c));
		assert_int_equal(cond_eval("sel_a and sel_b or other_c", a, b, c), (a && b) || c);
		assert_int_equal(cond_eval("not sel_a and sel_b", a, b, c), !a && b);
		assert_int_equal(cond_eval("not sel_a or sel_b", a, b, c), !a || b);
		assert_int_equal(cond_eval("not (sel_a or sel_b)", a, b, c), !(a || b));
		assert_int_equal(cond_eval("(sel_a or sel_b) and not other_c", a, b, c),
		                 (a || b) && !c);
		assert_int_equal(cond_eval("not not sel_a", a, b, c), a);
		assert_int_equal(cond_eval("sel_a AND NOT sel_b", a, b, c), a && !b);
		/* quantifiers with globbing */
		assert_int_equal(cond_eval("1 of sel_*", a, b, c), a || b);
		assert_int_equal(cond_eval("any of sel_*", a, b, c), a || b);
		assert_int_equal(cond_eval("all of sel_*", a, b, c), a && b);
		assert_int_equal(cond_eval("1 of them", a, b, c), a || b || c);
		assert_int_equal(cond_eval("all of them", a, b, c), a && b && c); /* not _hidden */
		assert_int_equal(cond_eval("2 of them", a, b, c), (a + b + c) >= 2);
		assert_int_equal(cond_eval("1 of sel_* and not other_c", a, b, c), (a || b) && !c);
		assert_int_equal(cond_eval("all of sel_* or other_c", a, b, c), (a && b) || c);
		assert_int_equal(cond_eval("not 1 of sel_*", a, b, c), !(a || b));
		assert_int_equal(cond_eval("1 of *_c", a, b, c), c);
		assert_int_equal(cond_eval("((sel_a))", a, b, c), a);
	}
	/* a list of conditions is their OR */
	const char *rule = "title: t\ndetection:\n  a:\n    x: '1'\n  b:\n    y: '1'\n"
	                   "  condition:\n    - a\n    - b\n";
	struct mm_ruleset *rs = load(rule);
	struct tev t;
	tev_init(&t, NULL, NULL, NULL);
	tev_extra(&t, "y", "1");
	assert_true(matches(rs, &t));
	tev_init(&t, NULL, NULL, NULL);
	tev_extra(&t, "y", "2");
	assert_false(matches(rs, &t));
	mm_ruleset_free(rs);
}

static void test_routing(void **s)
{
	struct mm_ruleset *rs = load(
		"title: lin\nid: a\nlogsource:\n  product: linux\n  service: sshd\n"
		"detection:\n  k:\n    - 'Failed password'\n  condition: k\n"
		"---\ntitle: web\nid: b\nlogsource:\n  category: webserver\n"
		"detection:\n  k:\n    - 'Failed password'\n  condition: k\n"
		"---\ntitle: any\nid: c\n"
		"detection:\n  k:\n    - 'Failed password'\n  condition: k\n");
	struct tev t;
	tev_init(&t, "linux", NULL, "sshd");
	tev_msg(&t, "Failed password for root");
	assert_int_equal(match_mask(rs, &t), 0x5);
	tev_init(&t, "linux", NULL, "cron");
	tev_msg(&t, "Failed password for root");
	assert_int_equal(match_mask(rs, &t), 0x4);
	tev_init(&t, NULL, "webserver", NULL);
	tev_msg(&t, "Failed password for root");
	assert_int_equal(match_mask(rs, &t), 0x6);
	/* logsource compare is case-insensitive; services are a set */
	tev_init(&t, "Linux", NULL, "auth");
	t.ev.service[1] = "SSHD";
	tev_msg(&t, "Failed password for root");
	assert_int_equal(match_mask(rs, &t), 0x5);

	/* more distinct logsources than the route cache holds: still right */
	static char names[200][16];
	struct mm_detector *d = mm_detector_new(rs);
	for (int i = 0; i < 200; i++) {
		snprintf(names[i], sizeof(names[i]), "svc%d", i);
		tev_init(&t, "linux", NULL, names[i]);
		tev_msg(&t, "Failed password");
		assert_int_equal(mm_detect_event(d, &t.ev, NULL, NULL), 1);
	}
	tev_init(&t, "linux", NULL, "sshd");
	tev_msg(&t, "Failed password");
	assert_int_equal(mm_detect_event(d, &t.ev, NULL, NULL), 2);
	assert_int_equal(mm_detector_rule_matches(d, 2), 201);
	assert_int_equal(mm_detector_rule_matches(d, 0), 1);
	mm_detector_free(d);
	mm_ruleset_free(rs);
}

static void test_add_path_errors(void **s)
{
	struct mm_error err;
	struct mm_ruleset *rs = mm_ruleset_new(false);
	assert_int_equal(mm_ruleset_add_path(rs, "/nonexistent/rules", &err), MM_ENOENT);
	assert_non_null(strstr(err.msg, "cannot read rules"));
	mm_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meta_and_severity),
		cmocka_unit_test(test_invalid_reasons),
		cmocka_unit_test(test_yaml_error_line_col),
		cmocka_unit_test(test_duplicate_id),
		cmocka_unit_test(test_multi_document_and_collections),
		cmocka_unit_test(test_correlation),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_condition_grammar),
		cmocka_unit_test(test_routing),
		cmocka_unit_test(test_add_path_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
