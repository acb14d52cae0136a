/* Unit tests: alert JSON rendering (nested ECS names, stable order, escaping
 * of attacker-controlled text, raw-line cap) and evidence identity. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mamori/alert.h"

#include <string.h>

static const char *const g_tags[] = {"attack.initial-access", "attack.t1190"};
static const struct mm_rule_info g_rule = {
	.id = "0b6f2c1e-1111-4222-8333-944455556666",
	.title = "Web SQL injection",
	.level = "high",
	.severity = 3,
	.path = "builtin:web/sqli.yml",
	.tags = g_tags,
	.ntags = 2,
};

static void make_event(struct mm_event *ev, const char *raw)
{
	mm_event_clear(ev);
	ev->raw = mm_slice_cstr(raw);
	ev->ts = mm_time_from_civil(2023, 1, 5, 10, 0, 0, 0, 0);
	ev->dataset = "web.access";
	ev->src_path = "/var/log/nginx/access.log";
	ev->offset = 1234;
	ev->line_no = 7;
}

static void test_render(void **st)
{
	(void)st;
	struct mm_event ev;
	make_event(&ev, "203.0.113.9 - - [05/Jan/2023:10:00:00 +0000] \"GET /?id=1 HTTP/1.1\" 200 5");
	ev.f[MM_F_SOURCE_IP] = mm_slice_cstr("203.0.113.9");
	ev.f[MM_F_HTTP_RESPONSE_STATUS] = mm_slice_cstr("200");
	ev.f[MM_F_HTTP_REQUEST_METHOD] = mm_slice_cstr("GET");
	ev.f[MM_F_URL_ORIGINAL] = mm_slice_cstr("/?id=1");
	struct mm_alert a;
	mm_alert_init(&a, &g_rule, &ev, "/var/log/nginx/access.log");
	struct mm_buf b;
	mm_buf_init(&b, 0);
	assert_int_equal(mm_alert_to_json(&b, &a, 0), MM_OK);
	char expect[2048];
	snprintf(expect, sizeof(expect),
	         "{\"@timestamp\":\"2023-01-05T10:00:00.000Z\","
	         "\"event\":{\"dataset\":\"web.access\",\"kind\":\"alert\"},"
	         "\"evidence\":{\"file\":\"/var/log/nginx/access.log\",\"line\":7,\"offset\":1234,"
	         "\"raw\":\"203.0.113.9 - - [05/Jan/2023:10:00:00 +0000] \\\"GET /?id=1 HTTP/1.1\\\" 200 5\","
	         "\"truncated\":false},"
	         "\"http\":{\"request\":{\"method\":\"GET\"},\"response\":{\"status_code\":200}},"
	         "\"mamori\":{\"alert_id\":\"%s\"},"
	         "\"rule\":{\"id\":\"0b6f2c1e-1111-4222-8333-944455556666\",\"level\":\"high\","
	         "\"name\":\"Web SQL injection\",\"reference\":\"builtin:web/sqli.yml\","
	         "\"ruleset\":\"sigma\",\"severity\":3},"
	         "\"source\":{\"ip\":\"203.0.113.9\"},"
	         "\"tags\":[\"attack.initial-access\",\"attack.t1190\"],"
	         "\"url\":{\"original\":\"/?id=1\"}}",
	         a.id);
	assert_string_equal(b.p, expect);
	mm_buf_free(&b);
}

static void test_escaping(void **st)
{
	(void)st;
	struct mm_event ev;
	const char *evil = "GET /\"><script>alert(1)</script>\x1b[31m\xff\n";
	make_event(&ev, evil);
	ev.f[MM_F_URL_ORIGINAL] = mm_slice_cstr(evil);
	ev.f[MM_F_HTTP_RESPONSE_STATUS] = mm_slice_cstr("20x"); /* not a number: a string */
	struct mm_alert a;
	mm_alert_init(&a, &g_rule, &ev, "k");
	struct mm_buf b;
	mm_buf_init(&b, 0);
	assert_int_equal(mm_alert_to_json(&b, &a, 0), MM_OK);
	assert_null(strchr(b.p, '\n'));
	assert_null(strchr(b.p, '\x1b'));
	assert_null(strstr(b.p, "\xff"));
	assert_non_null(strstr(b.p, "\\\"><script>"));
	assert_non_null(strstr(b.p, "\\u001b[31m\\ufffd\\n"));
	assert_non_null(strstr(b.p, "\"status_code\":\"20x\""));
	mm_buf_free(&b);
}

static void test_raw_cap_and_extra(void **st)
{
	(void)st;
	char raw[300];
	memset(raw, 'x', sizeof(raw) - 1);
	raw[sizeof(raw) - 1] = '\0';
	raw[99] = '\xe5'; /* a UTF-8 sequence that the cut must not split */
	raw[100] = '\xae';
	raw[101] = '\x88';
	struct mm_event ev;
	make_event(&ev, raw);
	struct mm_kv extra[4] = {
		{MM_SLICE_LIT("labels.env"), MM_SLICE_LIT("prod")},
		{MM_SLICE_LIT("labels"), MM_SLICE_LIT("leaf-and-parent")},
		{MM_SLICE_LIT("tagsx"), MM_SLICE_LIT("a")},
		{MM_SLICE_LIT("tagsx"), MM_SLICE_LIT("b")},
	};
	ev.extra = extra;
	ev.n_extra = 4;
	struct mm_alert a;
	mm_alert_init(&a, &g_rule, &ev, "k");
	struct mm_buf b;
	mm_buf_init(&b, 0);
	assert_int_equal(mm_alert_to_json(&b, &a, 100), MM_OK);
	assert_non_null(strstr(b.p, "\"truncated\":true"));
	char want[128];
	memset(want, 'x', 99);
	want[99] = '\0';
	char key[160];
	snprintf(key, sizeof(key), "\"raw\":\"%s\"", want);
	assert_non_null(strstr(b.p, key));
	assert_non_null(strstr(b.p, "\"labels\":{\"_value\":\"leaf-and-parent\",\"env\":\"prod\"}"));
	assert_non_null(strstr(b.p, "\"tagsx\":[\"a\",\"b\"]"));
	mm_buf_free(&b);
}

static void test_identity(void **st)
{
	(void)st;
	struct mm_event ev;
	make_event(&ev, "line");
	struct mm_alert a1, a2, a3;
	mm_alert_init(&a1, &g_rule, &ev, "/a");
	mm_alert_init(&a2, &g_rule, &ev, "/a");
	mm_alert_init(&a3, &g_rule, &ev, "/b");
	assert_string_equal(a1.id, a2.id);
	assert_string_not_equal(a1.id, a3.id);
	ev.offset++;
	mm_alert_init(&a2, &g_rule, &ev, "/a");
	assert_string_not_equal(a1.id, a2.id);
	assert_int_equal(strlen(a1.id), 16);
}

static void test_text(void **st)
{
	(void)st;
	struct mm_event ev;
	make_event(&ev, "raw");
	ev.f[MM_F_SOURCE_IP] = mm_slice_cstr("203.0.113.9");
	ev.f[MM_F_USER_NAME] = mm_slice_cstr("ro\x1b]0;pwned\x07ot");
	ev.f[MM_F_URL_ORIGINAL] = mm_slice_cstr("/a\r\nb\xff\xe5\xae\x88");
	struct mm_alert a;
	mm_alert_init(&a, &g_rule, &ev, "k");
	struct mm_buf b;
	mm_buf_init(&b, 0);
	assert_int_equal(mm_alert_to_text(&b, &a), MM_OK);
	assert_string_equal(b.p, "2023-01-05T10:00:00.000Z  high     Web SQL injection"
	                         "  src=203.0.113.9  user=ro\\x1b]0;pwned\\x07ot"
	                         "  url=/a\\x0d\\x0ab\\xff\xe5\xae\x88"
	                         "  [/var/log/nginx/access.log:7]");
	mm_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render), cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_raw_cap_and_extra), cmocka_unit_test(test_identity),
		cmocka_unit_test(test_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
