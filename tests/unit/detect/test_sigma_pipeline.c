/* mamori — processing pipelines (pySigma format) and the built-in ECS
 * pipeline: mapping to one or several names (OR), logsource conditions,
 * prefix mapping, add_condition, change_logsource, drop_detection_item,
 * rule_failure, placeholders (vars, value_placeholders,
 * wildcard_placeholders) for `expand`, priority order, and errors naming
 * unsupported types. */
#include "helpers.h"

static const char *web_rule(const char *field, const char *value)
{
	static char buf[1024];
	snprintf(buf, sizeof(buf),
	         "title: t\nid: w1\nlogsource:\n  category: webserver\n"
	         "detection:\n  s:\n    %s: '%s'\n  condition: s\n",
	         field, value);
	return buf;
}

static void test_builtin_webserver_mapping(void **s)
{
	struct {
		const char *sigma;
		enum mm_field_id id;
		const char *val;
	} cases[] = {
		{"c-ip", MM_F_SOURCE_IP, "192.0.2.7"},
		{"cs-method", MM_F_HTTP_REQUEST_METHOD, "PUT"},
		{"c-uri", MM_F_URL_ORIGINAL, "/a?b"},
		{"cs-uri-query", MM_F_URL_QUERY, "b=1"},
		{"cs-uri-stem", MM_F_URL_PATH, "/a"},
		{"c-uri-extension", MM_F_URL_EXTENSION, "jsp"},
		{"sc-status", MM_F_HTTP_RESPONSE_STATUS, "404"},
		{"cs-user-agent", MM_F_USER_AGENT_ORIGINAL, "curl/8"},
		{"c-useragent", MM_F_USER_AGENT_ORIGINAL, "curl/8"},
		{"cs-referer", MM_F_HTTP_REQUEST_REFERRER, "http://x/"},
		{"cs-username", MM_F_USER_NAME, "bob"},
		{"cs-host", MM_F_URL_DOMAIN, "example.org"},
		{"cs-version", MM_F_HTTP_VERSION, "1.1"},
		{"source.ip", MM_F_SOURCE_IP, "192.0.2.7"}, /* ECS passes through */
	};
	for (size_t i = 0; i < MM_ARRAY_LEN(cases); i++) {
		struct mm_ruleset *rs = load_pl(web_rule(cases[i].sigma, cases[i].val), NULL, true);
		assert_int_equal(mm_ruleset_rule_count(rs), 1);
		struct tev t;
		tev_init(&t, NULL, "webserver", NULL);
		tev_set(&t, cases[i].id, cases[i].val);
		if (!matches(rs, &t))
			fail_msg("%s did not map to %s", cases[i].sigma, mm_field_name(cases[i].id));
		/* the Sigma name as an extra key is not what the rule reads */
		tev_init(&t, NULL, "webserver", NULL);
		tev_extra(&t, cases[i].sigma, cases[i].val);
		if (strcmp(cases[i].sigma, "source.ip") != 0)
			assert_false(matches(rs, &t));
		mm_ruleset_free(rs);
	}
	/* the same rule for category proxy maps too */
	struct mm_ruleset *rs = load_pl("title: t\nlogsource:\n  category: proxy\n"
	                                "detection:\n  s:\n    c-useragent|contains: 'sqlmap'\n"
	                                "  condition: s\n",
	                                NULL, true);
	struct tev t;
	tev_init(&t, NULL, "proxy", NULL);
	tev_set(&t, MM_F_USER_AGENT_ORIGINAL, "sqlmap/1.0");
	assert_true(matches(rs, &t));
	mm_ruleset_free(rs);
	/* without the built-in pipeline the Sigma name stays a name (extra key) */
	rs = load_pl(web_rule("c-ip", "192.0.2.7"), NULL, false);
	tev_init(&t, NULL, "webserver", NULL);
	tev_set(&t, MM_F_SOURCE_IP, "192.0.2.7");
	assert_false(matches(rs, &t));
	tev_init(&t, NULL, "webserver", NULL);
	tev_extra(&t, "c-ip", "192.0.2.7");
	assert_true(matches(rs, &t));
	mm_ruleset_free(rs);
	assert_true(mm_embedded_pipelines_count >= 1);
}

static void test_mapping_to_list_is_or(void **s)
{
	const char *pl = "name: t\npriority: 20\ntransformations:\n"
	                 "  - id: m\n    type: field_name_mapping\n    mapping:\n"
	                 "      Host:\n        - host.hostname\n        - log.syslog.hostname\n";
	struct mm_ruleset *rs = load_pl("title: t\ndetection:\n  s:\n    Host: web01\n  condition: s\n",
	                                pl, false);
	struct tev t;
	tev_init(&t, NULL, NULL, NULL);
	tev_set(&t, MM_F_HOST_HOSTNAME, "web01");
	assert_true(matches(rs, &t));
	tev_init(&t, NULL, NULL, NULL);
	tev_set(&t, MM_F_SYSLOG_HOSTNAME, "WEB01");
	assert_true(matches(rs, &t));
	tev_init(&t, NULL, NULL, NULL);
	tev_set(&t, MM_F_SYSLOG_HOSTNAME, "web02");
	assert_false(matches(rs, &t));
	mm_ruleset_free(rs);
}

/* A field mapped to several names is absent only when every name is:
 * `null` and `exists: false` must not hold because one alternative (the
 * other log shape's name) is missing. */
static void test_mapping_to_list_absence(void **s)
{
	(void)s;
	const char *pl = "name: t\ntransformations:\n"
	                 "  - type: field_name_mapping\n    mapping:\n"
	                 "      Image: [Image, NewProcessName]\n";
	struct mm_ruleset *rs = load_pl(
		"title: a\nid: a\ndetection:\n  s: {Image: null}\n  condition: s\n"
		"---\ntitle: b\nid: b\ndetection:\n  s: {Image|exists: false}\n  condition: s\n"
		"---\ntitle: c\nid: c\ndetection:\n  s: {Image|exists: true}\n  condition: s\n"
		"---\ntitle: d\nid: d\ndetection:\n  s: {Image: [null, 'x.exe']}\n  condition: s\n"
		"---\ntitle: e\nid: e\ndetection:\n  s: {x: 1}\n  f: {Image: null}\n"
		"  condition: s and not f\n",
		pl, false);
	struct tev t;
	tev_init(&t, NULL, NULL, NULL);
	tev_extra(&t, "Image", "x.exe");
	tev_extra(&t, "x", "1");
	assert_int_equal(match_mask(rs, &t), 0x4 | 0x8 | 0x10);
	tev_init(&t, NULL, NULL, NULL);
	tev_extra(&t, "NewProcessName", "y.exe");
	tev_extra(&t, "x", "1");
	assert_int_equal(match_mask(rs, &t), 0x4 | 0x10);
	tev_init(&t, NULL, NULL, NULL);
	tev_extra(&t, "x", "1");
	assert_int_equal(match_mask(rs, &t), 0x1 | 0x2 | 0x8);
	tev_init(&t, NULL, NULL, NULL);
	tev_extra(&t, "Image", "");
	assert_int_equal(match_mask(rs, &t), 0x1 | 0x4 | 0x8);
	mm_ruleset_free(rs);
}

/* Routing conditions (add_condition) split a logsource into sub-routes by
 * the values of the fields they read (match.c route_sub): each event must
 * see exactly the rules it would see without them, also past MM_SUB_MAX
 * distinct values and for events without the field. One detector for all
 * events, so the sub-routes it builds are reused. */
static void test_routing_subroutes(void **s)
{
	(void)s;
	const char *pl = "name: t\ntransformations:\n"
	                 "  - type: add_condition\n    conditions: {EventID: 1}\n"
	                 "    rule_conditions:\n      - type: logsource\n        category: pc\n"
	                 "  - type: add_condition\n    conditions: {EventID: [12, 13]}\n"
	                 "    rule_conditions:\n      - type: logsource\n        category: reg\n"
	                 "  - type: change_logsource\n    product: windows\n"
	                 "    rule_conditions:\n      - type: logsource\n        product: windows\n";
	struct mm_ruleset *rs = load_pl(
		"title: a\nid: a\nlogsource: {product: windows, category: pc}\ndetection:\n"
		"  s: {Image|endswith: '\\x.exe'}\n  condition: s\n"
		"---\ntitle: b\nid: b\nlogsource: {product: windows, category: reg}\ndetection:\n"
		"  s: {Image|endswith: '\\x.exe'}\n  condition: s\n"
		"---\ntitle: c\nid: c\nlogsource: {product: windows}\ndetection:\n"
		"  s: {Image|contains: 'x.exe'}\n  condition: s\n",
		pl, false);
	assert_int_equal(mm_ruleset_rule_count(rs), 3);
	struct mm_detector *d = mm_detector_new(rs);
	for (int k = 0; k < 3; k++) {
		for (int id = 0; id < 100; id++) {
			char v[16];
			snprintf(v, sizeof(v), "%d", id);
			struct tev t;
			tev_init(&t, "windows", NULL, NULL);
			tev_extra(&t, "Image", "C:\\x.exe");
			if (id != 99)
				tev_extra(&t, "EventID", v);
			uint64_t want = 0x4 | (id == 1 ? 0x1 : 0) | (id == 12 || id == 13 ? 0x2 : 0);
			assert_int_equal(match_mask(rs, &t), want);
			uint64_t got = 0;
			mm_detect_event(d, &t.ev, collect, &got);
			assert_int_equal(got, want);
		}
	}
	mm_detector_free(d);
	mm_ruleset_free(rs);
}

static void test_logsource_conditions(void **s)
{
	const char *pl = "name: t\ntransformations:\n"
	                 "  - type: field_name_mapping\n    mapping: {user: user.name}\n"
	                 "    rule_conditions:\n      - type: logsource\n        product: linux\n"
	                 "  - type: field_name_mapping\n    mapping: {user: user.id}\n"
	                 "    rule_conditions:\n      - type: logsource\n        product: windows\n"
	                 "      - type: logsource\n        product: macos\n"
	                 "    rule_cond_op: or\n";
	struct mm_ruleset *rs = load_pl(
		"title: a\nid: a\nlogsource: {product: linux}\ndetection:\n  s: {user: x}\n  condition: s\n"
		"---\ntitle: b\nid: b\nlogsource: {product: macos}\ndetection:\n  s: {user: x}\n"
		"  condition: s\n"
		"---\ntitle: c\nid: c\ndetection:\n  s: {user: x}\n  condition: s\n",
		pl, false);
	struct tev t;
	tev_init(&t, "linux", NULL, NULL);
	tev_set(&t, MM_F_USER_NAME, "x");
	assert_int_equal(match_mask(rs, &t), 0x1);
	tev_init(&t, "macos", NULL, NULL);
	tev_set(&t, MM_F_USER_ID, "x");
	assert_int_equal(match_mask(rs, &t), 0x2);
	tev_init(&t, "macos", NULL, NULL);
	tev_extra(&t, "user", "x");
	assert_int_equal(match_mask(rs, &t), 0x4); /* c: no logsource, not mapped */
	mm_ruleset_free(rs);
}

static void test_prefix_add_change_drop_fail(void **s)
{
	const char *pl =
		"name: t\ntransformations:\n"
		"  - type: field_name_prefix_mapping\n    mapping: {'win.': 'winlog.event_data.'}\n"
		"  - type: change_logsource\n    product: nginx\n    category: webserver\n"
		"    rule_conditions:\n      - type: logsource\n        product: nginx\n"
		"  - type: add_condition\n    conditions: {event.dataset: nginx.access}\n"
		"    rule_conditions:\n      - type: logsource\n        product: nginx\n"
		"  - type: drop_detection_item\n    field_name_conditions:\n"
		"      - type: include_fields\n        fields: [Hashes]\n"
		"  - type: rule_failure\n    message: windows rules are not for this backend\n"
		"    rule_conditions:\n      - type: logsource\n        product: windows\n";
	struct mm_ruleset *rs = load_pl(
		"title: a\nid: a\ndetection:\n  s: {win.User: bob}\n  condition: s\n"
		"---\ntitle: b\nid: b\nlogsource: {product: nginx}\ndetection:\n"
		"  s: {url.path: /x, Hashes: abc}\n  condition: s\n"
		"---\ntitle: c\nid: c\nlogsource: {product: windows}\ndetection:\n"
		"  s: {x: 1}\n  condition: s\n",
		pl, false);
	assert_int_equal(mm_ruleset_rule_count(rs), 2);
	const struct mm_rule_status *st = mm_ruleset_status_at(rs, 2);
	assert_int_equal(st->state, MM_RULE_UNSUPPORTED);
	assert_string_equal(st->reason, "pipeline: windows rules are not for this backend");
	/* prefix mapping */
	struct tev t;
	tev_init(&t, NULL, NULL, NULL);
	tev_extra(&t, "winlog.event_data.User", "bob");
	assert_int_equal(match_mask(rs, &t), 0x1);
	/* change_logsource: rule b now routes on category webserver too */
	const struct mm_rule_info *b = mm_ruleset_rule_at(rs, 1);
	assert_string_equal(b->category, "webserver");
	assert_string_equal(b->product, "nginx");
	tev_init(&t, "nginx", "webserver", NULL);
	tev_set(&t, MM_F_URL_PATH, "/x");
	assert_int_equal(match_mask(rs, &t), 0x0); /* add_condition not met */
	tev_set(&t, MM_F_EVENT_DATASET, "nginx.access");
	assert_int_equal(match_mask(rs, &t), 0x2); /* Hashes item was dropped */
	mm_ruleset_free(rs);
}

static void test_priority_order(void **s)
{
	/* priority 5 runs before 50 regardless of add order: a → b → c */
	const char *p50 = "name: late\npriority: 50\ntransformations:\n"
	                  "  - type: field_name_mapping\n    mapping: {b: c}\n";
	const char *p5 = "name: early\npriority: 5\ntransformations:\n"
	                 "  - type: field_name_mapping\n    mapping: {a: b}\n";
	struct mm_error err;
	struct mm_ruleset *rs = mm_ruleset_new(false);
	assert_int_equal(mm_ruleset_add_pipeline_buffer(rs, "p50", p50, strlen(p50), &err), MM_OK);
	assert_int_equal(mm_ruleset_add_pipeline_buffer(rs, "p5", p5, strlen(p5), &err), MM_OK);
	const char *r = "title: t\ndetection:\n  s: {a: v}\n  condition: s\n";
	assert_int_equal(mm_ruleset_add_buffer(rs, "r.yml", r, strlen(r), &err), MM_OK);
	assert_int_equal(mm_ruleset_compile(rs, &err), MM_OK);
	struct tev t;
	tev_init(&t, NULL, NULL, NULL);
	tev_extra(&t, "c", "v");
	assert_true(matches(rs, &t));
	mm_ruleset_free(rs);
}

static void test_pipeline_errors(void **s)
{
	struct {
		const char *text, *msg;
	} cases[] = {
		{"name: x\ntransformations:\n  - type: query_expression_placeholders\n",
		 "transformation type 'query_expression_placeholders' is not supported"},
		{"name: x\nvars: [a, b]\ntransformations: []\n", "'vars' must be a map"},
		{"name: x\ntransformations:\n  - type: value_placeholders\n    include: [a]\n"
		 "    exclude: [b]\n",
		 "takes 'include' or 'exclude'"},
		{"name: x\ntransformations:\n  - type: wildcard_placeholders\n"
		 "    field_name_conditions:\n      - type: include_fields\n        fields: [a]\n",
		 "with field_name_conditions is not supported"},
		{"name: x\ntransformations:\n  - type: field_name_mapping\n",
		 "'field_name_mapping' needs 'mapping'"},
		{"name: x\ntransformations:\n  - type: field_name_mapping\n    mapping: {a: b}\n"
		 "    rule_conditions:\n      - type: include_fields\n",
		 "rule condition type 'include_fields' is not supported"},
		{"name: x\n", "no 'transformations' list"},
		{"name: x\ntransformations: [\n", "YAML error"},
		{"name: x\npriority: high\ntransformations: []\n", "'priority' must be an integer"},
	};
	for (size_t i = 0; i < MM_ARRAY_LEN(cases); i++) {
		struct mm_error err;
		struct mm_ruleset *rs = mm_ruleset_new(false);
		int rc = mm_ruleset_add_pipeline_buffer(rs, "bad.yml", cases[i].text,
		                                        strlen(cases[i].text), &err);
		assert_int_equal(rc, MM_EPARSE);
		if (!strstr(err.msg, cases[i].msg))
			fail_msg("case %zu: '%s'", i, err.msg);
		assert_string_equal(err.path, "bad.yml");
		mm_ruleset_free(rs);
	}
	struct mm_error err;
	struct mm_ruleset *rs = mm_ruleset_new(false);
	assert_int_equal(mm_ruleset_add_pipeline_file(rs, "/nonexistent.yml", &err), MM_EIO);
	assert_int_equal(mm_ruleset_compile(rs, &err), MM_OK);
	const char *p = "name: x\ntransformations: []\n";
	assert_int_equal(mm_ruleset_add_pipeline_buffer(rs, "late", p, strlen(p), &err), MM_EINVAL);
	mm_ruleset_free(rs);
}

/* A rule over category webserver reading extra field `f` with the given
 * modifiers and value. */
static const char *ph_rule(const char *mods, const char *value)
{
	static char buf[1024];
	snprintf(buf, sizeof(buf),
	         "title: t\nid: p1\nlogsource:\n  category: webserver\n"
	         "detection:\n  s:\n    f%s: '%s'\n  condition: s\n",
	         mods, value);
	return buf;
}

static bool f_matches(struct mm_ruleset *rs, const char *v)
{
	struct tev t;
	tev_init(&t, NULL, "webserver", NULL);
	tev_extra(&t, "f", v);
	return matches(rs, &t);
}

/* The refusal reason of the only rule, or NULL when it loaded. */
static const char *refusal(const char *rule, const char *pipeline)
{
	static char why[512];
	struct mm_error err;
	struct mm_ruleset *rs = mm_ruleset_new(false);
	if (pipeline)
		assert_int_equal(
		        mm_ruleset_add_pipeline_buffer(rs, "ph.yml", pipeline, strlen(pipeline), &err),
		        MM_OK);
	assert_int_equal(mm_ruleset_add_buffer(rs, "r.yml", rule, strlen(rule), &err), MM_OK);
	assert_int_equal(mm_ruleset_compile(rs, &err), MM_OK);
	const struct mm_rule_status *st = status0(rs);
	const char *r = NULL;
	if (st->state != MM_RULE_LOADED) {
		snprintf(why, sizeof(why), "%s", st->reason ? st->reason : "?");
		r = why;
	}
	mm_ruleset_free(rs);
	return r;
}

/* `expand` (Sigma spec) with pySigma's placeholder transformations: values
 * from the pipelines' vars (a list is OR; wildcards in them count), `*` from
 * wildcard_placeholders, include/exclude, rule_conditions, and the exact
 * refusals when nothing fills a placeholder. */
static void test_expand_placeholders(void **s)
{
	const char *pl = "name: ph\nvars:\n  dom: [CORP, 'EXAMPLE-*']\n  one: solo\n"
	                 "  pct: '%dom%'\n"
	                 "transformations:\n  - type: value_placeholders\n    include: [dom, one, pct]\n"
	                 "  - type: wildcard_placeholders\n";
	struct mm_ruleset *rs = load_pl(ph_rule("|expand", "%dom%\\admin"), pl, false);
	assert_true(f_matches(rs, "CORP\\admin"));
	assert_true(f_matches(rs, "corp\\ADMIN")); /* case-insensitive as any value */
	assert_true(f_matches(rs, "EXAMPLE-TOKYO\\admin"));
	assert_false(f_matches(rs, "OTHER\\admin"));
	assert_false(f_matches(rs, "%dom%\\admin"));
	mm_ruleset_free(rs);
	/* two placeholders: every combination; contains keeps its wildcards */
	rs = load_pl(ph_rule("|contains|expand", "%one%@%dom%"), pl, false);
	assert_true(f_matches(rs, "x solo@CORP y"));
	assert_true(f_matches(rs, "solo@EXAMPLE-1"));
	assert_false(f_matches(rs, "solo@OTHER"));
	mm_ruleset_free(rs);
	/* a name no include lists falls to wildcard_placeholders: `*` */
	rs = load_pl(ph_rule("|expand", "pre-%anything%-post"), pl, false);
	assert_true(f_matches(rs, "pre-X-post"));
	assert_true(f_matches(rs, "pre--post"));
	assert_false(f_matches(rs, "pre-X-pos"));
	mm_ruleset_free(rs);
	/* a variable's value is not expanded again; 100% is no placeholder */
	rs = load_pl(ph_rule("|expand", "%pct%|100%"), pl, false);
	assert_true(f_matches(rs, "%dom%|100%"));
	assert_false(f_matches(rs, "CORP|100%"));
	mm_ruleset_free(rs);
	/* names may hold '-' (SigmaHQ's %DC-MACHINE-NAME%) */
	rs = load_pl(ph_rule("|expand", "%DC-NAME%"),
	             "name: h\nvars: {DC-NAME: 'DC01$'}\n"
	             "transformations:\n  - type: value_placeholders\n",
	             false);
	assert_true(f_matches(rs, "dc01$"));
	assert_false(f_matches(rs, "%DC-NAME%"));
	mm_ruleset_free(rs);
	/* without the modifier a placeholder is literal text */
	rs = load_pl(ph_rule("", "%dom%"), pl, false);
	assert_true(f_matches(rs, "%dom%"));
	assert_false(f_matches(rs, "CORP"));
	mm_ruleset_free(rs);

	const char *why = refusal(ph_rule("|expand", "%dom%"), NULL);
	assert_non_null(why);
	assert_non_null(strstr(why, "needs placeholder values: none configured for %dom%"));
	why = refusal(ph_rule("|expand", "%nope%"),
	              "name: v\nvars: {dom: CORP}\ntransformations:\n  - type: value_placeholders\n");
	assert_non_null(why);
	assert_non_null(strstr(why, "%nope% is not in the pipelines' vars"));
	why = refusal(ph_rule("|re|expand", "%dom%.*"), pl);
	assert_non_null(why);
	assert_non_null(strstr(why, "modifier 'expand' with a regex"));
	/* exclude: that name is left to nothing → refused */
	why = refusal(ph_rule("|expand", "%dom%"),
	              "name: v\nvars: {dom: CORP}\ntransformations:\n  - type: value_placeholders\n"
	              "    exclude: [dom]\n");
	assert_non_null(why);
	/* rule_conditions: a transformation for windows rules only */
	const char *win = "name: v\nvars: {dom: CORP}\ntransformations:\n"
	                  "  - type: value_placeholders\n    rule_conditions:\n"
	                  "      - type: logsource\n        product: windows\n";
	assert_non_null(refusal(ph_rule("|expand", "%dom%"), win));
	assert_null(refusal("title: t\nid: p2\nlogsource:\n  product: windows\n"
	                    "detection:\n  s:\n    f|expand: '%dom%'\n  condition: s\n",
	                    win));
	/* vars of a later pipeline win (pySigma merges them) */
	rs = mm_ruleset_new(false);
	struct mm_error err;
	const char *p1 = "name: a\npriority: 10\nvars: {dom: FIRST}\n"
	                 "transformations:\n  - type: value_placeholders\n";
	const char *p2 = "name: b\npriority: 20\nvars: {dom: SECOND}\ntransformations: []\n";
	assert_int_equal(mm_ruleset_add_pipeline_buffer(rs, "a", p1, strlen(p1), &err), MM_OK);
	assert_int_equal(mm_ruleset_add_pipeline_buffer(rs, "b", p2, strlen(p2), &err), MM_OK);
	const char *r = ph_rule("|expand", "%dom%");
	assert_int_equal(mm_ruleset_add_buffer(rs, "r.yml", r, strlen(r), &err), MM_OK);
	assert_int_equal(mm_ruleset_compile(rs, &err), MM_OK);
	assert_true(f_matches(rs, "SECOND"));
	assert_false(f_matches(rs, "FIRST"));
	mm_ruleset_free(rs);
}

static void test_embedded_pipeline_parses(void **s)
{
	for (size_t i = 0; i < mm_embedded_pipelines_count; i++) {
		struct mm_error err;
		struct mm_ruleset *rs = mm_ruleset_new(false);
		const struct mm_embedded_file *f = &mm_embedded_pipelines[i];
		int rc = mm_ruleset_add_pipeline_buffer(rs, f->path, f->data, f->len, &err);
		if (rc)
			fail_msg("%s: %s", f->path, err.msg);
		mm_ruleset_free(rs);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_webserver_mapping),
		cmocka_unit_test(test_mapping_to_list_is_or),
		cmocka_unit_test(test_mapping_to_list_absence),
		cmocka_unit_test(test_routing_subroutes),
		cmocka_unit_test(test_logsource_conditions),
		cmocka_unit_test(test_prefix_add_change_drop_fail),
		cmocka_unit_test(test_priority_order),
		cmocka_unit_test(test_pipeline_errors),
		cmocka_unit_test(test_expand_placeholders),
		cmocka_unit_test(test_embedded_pipeline_parses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
