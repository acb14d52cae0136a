/* mamori — unit tests for the key=value decoder (src/decode/kv.c): the
 * built-in key table, value normalisation of outcomes, quoting and escapes,
 * timestamps (ISO, epoch, leading bare word), the login logsource, the
 * configured key map, malformed lines, every prefix of a sample line, and the
 * probe. */
#include "dec_test.h"

static void t_login_line(void **state)
{
	struct dt t;
	dt_init(&t, "kv");
	assert_int_equal(dt_decode(&t, "time=2026-11-26T10:00:00Z user=alice src=203.0.113.5 "
	                               "action=login result=failure path=/login"),
	                 MM_DEC_OK);
	assert_ts(&t, "2026-11-26T10:00:00.000Z");
	assert_field(&t, MM_F_USER_NAME, "alice");
	assert_field(&t, MM_F_SOURCE_IP, "203.0.113.5");
	assert_field(&t, MM_F_SOURCE_ADDRESS, "203.0.113.5");
	assert_field(&t, MM_F_EVENT_ACTION, "login");
	assert_field(&t, MM_F_EVENT_OUTCOME, "failure");
	assert_field(&t, MM_F_EVENT_CATEGORY, "authentication");
	assert_field(&t, MM_F_URL_PATH, "/login");
	assert_string_equal(t.ev.category, "authentication");
	assert_string_equal(t.ev.dataset, "kv");
	assert_string_equal(dt_named(&t, "event.original_outcome"), "failure");
	assert_false(t.ev.flags & MM_EV_VERBATIM); /* normalised outcome, category */
	dt_free(&t);
}

static void t_outcomes(void **state)
{
	static const struct {
		const char *v, *want;
	} cases[] = {{"ok", "success"},       {"SUCCESS", "success"},   {"accepted", "success"},
	             {"granted", "success"},  {"denied", "failure"},    {"FAILED", "failure"},
	             {"bad_password", "failure"}, {"locked", "failure"}, {"maybe", "unknown"},
	             {"", "unknown"}};
	struct dt t;
	dt_init(&t, "kv");
	char line[128];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(line, sizeof(line), "user=bob outcome=%s src=192.0.2.1", cases[i].v);
		assert_int_equal(dt_decode(&t, line), MM_DEC_OK);
		assert_field(&t, MM_F_EVENT_OUTCOME, cases[i].want);
		/* an account with an outcome and no action is a login */
		assert_string_equal(t.ev.category, "authentication");
	}
	/* numeric status is an HTTP status, not an outcome */
	assert_int_equal(dt_decode(&t, "method=POST path=/login status=401 src=192.0.2.1"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_HTTP_RESPONSE_STATUS, "401");
	assert_no_field(&t, MM_F_EVENT_OUTCOME);
	assert_null(t.ev.category);
	/* an action that is not a login: not authentication */
	assert_int_equal(dt_decode(&t, "user=bob action=logout result=ok"), MM_DEC_OK);
	assert_null(t.ev.category);
	assert_no_field(&t, MM_F_EVENT_CATEGORY);
	dt_free(&t);
}

static void t_quotes_and_urls(void **state)
{
	struct dt t;
	dt_init(&t, "kv");
	assert_int_equal(dt_decode(&t, "ts=1795694410.25 username=\"bob smith\" client_ip=2001:db8::7 "
	                               "url=\"https://shop.example/login?next=/a\" "
	                               "msg=\"said \\\"hi\\\" \\\\o/\" ua='curl/8.0 x' note=plain"),
	                 MM_DEC_OK);
	assert_ts(&t, "2026-11-26T12:00:10.250Z");
	assert_field(&t, MM_F_USER_NAME, "bob smith");
	assert_field(&t, MM_F_SOURCE_IP, "2001:db8::7");
	assert_field(&t, MM_F_URL_ORIGINAL, "https://shop.example/login?next=/a");
	assert_field(&t, MM_F_URL_PATH, "/login");
	assert_field(&t, MM_F_MESSAGE, "said \"hi\" \\o/");
	assert_int_equal(t.ev.msg.n, strlen("said \"hi\" \\o/"));
	assert_field(&t, MM_F_USER_AGENT_ORIGINAL, "curl/8.0 x");
	assert_string_equal(dt_named(&t, "note"), "plain");
	assert_false(t.ev.flags & MM_EV_VERBATIM);
	/* epoch milliseconds; a host name in src goes to source.address only */
	assert_int_equal(dt_decode(&t, "time=1795694410123 src=gw.example level=info"), MM_DEC_OK);
	assert_ts(&t, "2026-11-26T12:00:10.123Z");
	assert_no_field(&t, MM_F_SOURCE_IP);
	assert_field(&t, MM_F_SOURCE_ADDRESS, "gw.example");
	assert_true(t.ev.flags & MM_EV_VERBATIM);
	assert_verbatim_honest(&t);
	/* leading bare timestamp (logfmt behind a prefix) */
	assert_int_equal(dt_decode(&t, "2026-11-26T10:00:09+09:00 level=info login=carol "
	                               "rhost=198.51.100.1 status=denied"),
	                 MM_DEC_OK);
	assert_ts(&t, "2026-11-26T01:00:09.000Z");
	assert_field(&t, MM_F_USER_NAME, "carol");
	assert_field(&t, MM_F_EVENT_OUTCOME, "failure");
	/* an unparsable time is kept as an extra; no time at all is MM_TS_NONE */
	assert_int_equal(dt_decode(&t, "time=yesterday user=x result=ok"), MM_DEC_OK);
	assert_int_equal(t.ev.ts, MM_TS_NONE);
	assert_string_equal(dt_named(&t, "time"), "yesterday");
	dt_free(&t);
}

static void t_config_map(void **state)
{
	static const char *const map[] = {"who", "user.name", "result", "event.reason",
	                                  "peer", "source.ip"};
	struct dt t;
	dt_init(&t, "kv");
	t.opts.kv_map = map;
	t.opts.nkv_map = 3;
	/* the configured table wins over the built-in one (result → reason here) */
	assert_int_equal(dt_decode(&t, "who=erin peer=192.0.2.44 result=bad act=x"), MM_DEC_OK);
	assert_field(&t, MM_F_USER_NAME, "erin");
	assert_field(&t, MM_F_SOURCE_IP, "192.0.2.44");
	assert_field(&t, MM_F_EVENT_REASON, "bad");
	assert_no_field(&t, MM_F_EVENT_OUTCOME);
	/* case-insensitive keys */
	assert_int_equal(dt_decode(&t, "WHO=frank Src=192.0.2.45 Result=x"), MM_DEC_OK);
	assert_field(&t, MM_F_USER_NAME, "frank");
	assert_field(&t, MM_F_SOURCE_IP, "192.0.2.45");
	dt_free(&t);
}

static void t_malformed(void **state)
{
	struct dt t;
	dt_init(&t, "kv");
	assert_int_equal(dt_decode(&t, ""), MM_DEC_SKIP);
	assert_int_equal(dt_decode(&t, "   \t"), MM_DEC_SKIP);
	assert_int_equal(dt_decode(&t, "just some words"), MM_DEC_BAD_FORMAT);
	assert_int_equal(dt_decode(&t, "one=pair only"), MM_DEC_BAD_FORMAT);
	assert_int_equal(dt_decode(&t, "a=1 b=\"unterminated"), MM_DEC_BAD_FORMAT);
	/* NUL bytes and invalid UTF-8 are bytes */
	static const char nul[] = "a=1\0x b=\xff\xfe c=3";
	assert_int_equal(dt_decode_n(&t, nul, sizeof(nul) - 1), MM_DEC_OK);
	assert_string_equal(dt_named(&t, "c"), "3");
	/* more than 128 unknown keys */
	char big[4096];
	size_t n = 0;
	for (int i = 0; i < 130; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "k%d=v ", i);
	assert_int_equal(dt_decode(&t, big), MM_DEC_LIMIT);
	/* every prefix of a line decodes without reading past its end (ASan) */
	static const char line[] = "time=2026-11-26T10:00:00Z user=\"a b\" src=203.0.113.5 "
	                           "action=login result=failure path=/login?x=1";
	for (size_t k = 0; k <= sizeof(line) - 1; k++) {
		enum mm_dec_outcome o = dt_decode_n(&t, line, k);
		assert_true(o == MM_DEC_OK || o == MM_DEC_SKIP || o == MM_DEC_BAD_FORMAT);
	}
	dt_free(&t);
}

static void t_probe(void **state)
{
	const struct mm_decoder *d = mm_decoder_find("kv");
	assert_non_null(d);
	static const char a[] = "time=2026-11-26T10:00:00Z user=alice src=1.2.3.4 result=failure";
	assert_int_equal(d->probe(a, sizeof(a) - 1), 70);
	static const char b[] = "Nov 26 10:00:00 web1 sshd[1]: pam_unix(sshd:auth): authentication "
	                        "failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4";
	assert_int_equal(d->probe(b, sizeof(b) - 1), 0);
	static const char c[] = "{\"a\":1}";
	assert_int_equal(d->probe(c, sizeof(c) - 1), 0);
	static const char e[] = "1.2.3.4 - - [26/Nov/2026:10:00:00 +0000] \"GET /?a=1&b=2 HTTP/1.1\" 200 5";
	assert_int_equal(d->probe(e, sizeof(e) - 1), 0);
	/* auto-detection picks kv for a kv file */
	struct mm_slice s[2] = {mm_slice(a, sizeof(a) - 1), mm_slice(a, sizeof(a) - 1)};
	assert_string_equal(mm_decoder_detect(s, 2)->name, "kv");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_login_line),   cmocka_unit_test(t_outcomes),
		cmocka_unit_test(t_quotes_and_urls), cmocka_unit_test(t_config_map),
		cmocka_unit_test(t_malformed),    cmocka_unit_test(t_probe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
