/* mamori — unit tests for the JSON Lines decoder (src/decode/jsonl.c):
 * flattening, dictionary vs extra keys, unescaping (incl. surrogate pairs),
 * arrays, timestamps (ISO and epoch), logsource table, strictness (RFC 8259),
 * caps (depth, keys, arena) and probe scores. */
#include "dec_test.h"

static void t_flatten(void **state)
{
	struct dt t;
	dt_init(&t, "jsonl");
	assert_int_equal(dt_decode(&t, "{\"@timestamp\":\"2024-01-02T03:04:05.5Z\",\"source\":{\"ip\":"
	                               "\"10.0.0.1\",\"port\":5555,\"geo\":{\"country\":\"JP\"}},"
	                               "\"user\":{\"name\":\"alice\"},\"message\":\"hello\","
	                               "\"ok\":true,\"bad\":false,\"nothing\":null,\"n\":-1.5e3}"),
	                 MM_DEC_OK);
	assert_ts(&t, "2024-01-02T03:04:05.500Z");
	assert_field(&t, MM_F_TIMESTAMP, "2024-01-02T03:04:05.5Z");
	assert_field(&t, MM_F_SOURCE_IP, "10.0.0.1");
	assert_field(&t, MM_F_SOURCE_PORT, "5555");
	assert_field(&t, MM_F_USER_NAME, "alice");
	assert_field(&t, MM_F_MESSAGE, "hello");
	assert_int_equal(t.ev.msg.n, 5);
	assert_string_equal(dt_named(&t, "source.geo.country"), "JP");
	assert_string_equal(dt_named(&t, "ok"), "true");
	assert_string_equal(dt_named(&t, "bad"), "false");
	assert_string_equal(dt_named(&t, "n"), "-1.5e3");
	assert_null(dt_named(&t, "nothing"));
	assert_int_equal(t.ev.n_extra, 4);
	assert_string_equal(t.ev.dataset, "json");
	assert_null(t.ev.product);
	assert_null(t.ev.category);
	assert_true(t.ev.flags & MM_EV_VERBATIM);
	assert_verbatim_honest(&t);
	/* no message: msg stays the raw line */
	assert_int_equal(dt_decode(&t, "{\"a\":\"b\"}"), MM_DEC_OK);
	assert_int_equal(t.ev.msg.n, t.ev.raw.n);
	assert_int_equal(t.ev.ts, MM_TS_NONE);
	/* empty object, whitespace everywhere */
	assert_int_equal(dt_decode(&t, " \t{ } "), MM_DEC_OK);
	assert_int_equal(dt_decode(&t, "{ \"a\" : { \"b\" : [ 1 , 2 ] } , \"c\" : { } }"), MM_DEC_OK);
	assert_string_equal(dt_named(&t, "a.b"), "1");
	dt_free(&t);
}

static void t_escapes(void **state)
{
	struct dt t;
	dt_init(&t, "jsonl");
	assert_int_equal(dt_decode(&t, "{\"message\":\"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\f\\u00e9\\u65e5"
	                               "\\ud83d\\ude00\\u0000z\"}"),
	                 MM_DEC_OK);
	static const char want[] = "a\"b\\c/d\n\t\r\b\f\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80\0z";
	assert_int_equal(t.ev.f[MM_F_MESSAGE].n, sizeof(want) - 1);
	assert_memory_equal(t.ev.f[MM_F_MESSAGE].p, want, sizeof(want) - 1);
	assert_false(t.ev.flags & MM_EV_VERBATIM);
	/* lone surrogates become U+FFFD */
	assert_int_equal(dt_decode(&t, "{\"m\":\"\\ud800x\\udc00\"}"), MM_DEC_OK);
	assert_string_equal(dt_named(&t, "m"), "\xef\xbf\xbdx\xef\xbf\xbd");
	assert_int_equal(dt_decode(&t, "{\"m\":\"\\ud800\"}"), MM_DEC_OK);
	assert_string_equal(dt_named(&t, "m"), "\xef\xbf\xbd");
	assert_int_equal(dt_decode(&t, "{\"m\":\"\\ud800\\u0041\"}"), MM_DEC_OK);
	assert_string_equal(dt_named(&t, "m"), "\xef\xbf\xbd" "A");
	/* escaped keys are unescaped before lookup; nested keys too */
	assert_int_equal(dt_decode(&t, "{\"user\\u002ename\":\"bob\",\"source\":{\"\\u0069p\":\"1.2.3.4\"}}"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_USER_NAME, "bob");
	assert_field(&t, MM_F_SOURCE_IP, "1.2.3.4");
	/* valid multi-byte UTF-8 passes through untouched */
	assert_int_equal(dt_decode(&t, "{\"m\":\"\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80\"}"), MM_DEC_OK);
	assert_true(t.ev.flags & MM_EV_VERBATIM);
	dt_free(&t);
}

static void t_arrays(void **state)
{
	struct dt t;
	dt_init(&t, "jsonl");
	assert_int_equal(dt_decode(&t, "{\"source\":{\"ip\":[\"1.1.1.1\",\"2.2.2.2\"]},\"tags\":[\"a\","
	                               "\"b\",3],\"objs\":[{\"k\":\"v1\"},{\"k\":\"v2\"}],\"e\":[]}"),
	                 MM_DEC_OK);
	/* dictionary key: first element in the field, every element as extra */
	assert_field(&t, MM_F_SOURCE_IP, "1.1.1.1");
	size_t ips = 0, tags = 0, ks = 0;
	for (size_t i = 0; i < t.ev.n_extra; i++) {
		struct mm_kv *kv = &t.ev.extra[i];
		if (mm_slice_eq_cstr(kv->k, "source.ip"))
			ips++;
		if (mm_slice_eq_cstr(kv->k, "tags"))
			tags++;
		if (mm_slice_eq_cstr(kv->k, "objs.k"))
			ks++;
	}
	assert_int_equal(ips, 2);
	assert_int_equal(tags, 3);
	assert_int_equal(ks, 2);
	assert_string_equal(dt_named(&t, "tags"), "a");
	assert_string_equal(dt_named(&t, "objs.k"), "v1");
	assert_null(dt_named(&t, "e"));
	/* duplicate keys: the last one wins for dictionary fields */
	assert_int_equal(dt_decode(&t, "{\"user\":{\"name\":\"a\"},\"user.name\":\"b\"}"), MM_DEC_OK);
	assert_field(&t, MM_F_USER_NAME, "b");
	dt_free(&t);
}

static void t_timestamps(void **state)
{
	struct dt t;
	dt_init(&t, "jsonl");
	struct {
		const char *line, *want;
	} ok[] = {
		{"{\"@timestamp\":\"2024-01-02T03:04:05+09:00\"}", "2024-01-01T18:04:05.000Z"},
		{"{\"timestamp\":\"2024-01-02 03:04:05\"}", "2024-01-02T03:04:05.000Z"},
		{"{\"time\":\"2024-01-02T03:04:05Z\"}", "2024-01-02T03:04:05.000Z"},
		{"{\"ts\":1546981792.481978}", "2019-01-08T21:09:52.481Z"},
		{"{\"ts\":1546981792}", "2019-01-08T21:09:52.000Z"},
		{"{\"ts\":1546981792481}", "2019-01-08T21:09:52.481Z"},
		{"{\"ts\":1546981792481978}", "2019-01-08T21:09:52.481Z"},
		{"{\"ts\":1546981792481978123}", "2019-01-08T21:09:52.481Z"},
		{"{\"@timestamp\":1546981792}", "2019-01-08T21:09:52.000Z"},
		/* @timestamp wins over the fallbacks, whatever the order */
		{"{\"time\":\"2020-01-01T00:00:00Z\",\"@timestamp\":\"2024-01-02T03:04:05Z\"}",
		 "2024-01-02T03:04:05.000Z"},
		/* an unparsable fallback is skipped for the next one */
		{"{\"time\":\"5ms\",\"ts\":1546981792}", "2019-01-08T21:09:52.000Z"},
	};
	for (size_t i = 0; i < MM_ARRAY_LEN(ok); i++) {
		assert_int_equal(dt_decode(&t, ok[i].line), MM_DEC_OK);
		assert_ts(&t, ok[i].want);
	}
	assert_int_equal(dt_decode(&t, "{\"time\":\"5ms\"}"), MM_DEC_OK);
	assert_int_equal(t.ev.ts, MM_TS_NONE);
	assert_int_equal(dt_decode(&t, "{\"ts\":1.5e9}"), MM_DEC_OK);
	assert_int_equal(t.ev.ts, MM_TS_NONE);
	assert_int_equal(dt_decode(&t, "{\"@timestamp\":\"yesterday\"}"), MM_DEC_BAD_TIMESTAMP);
	assert_int_equal(dt_decode(&t, "{\"@timestamp\":\"0000-01-01T00:00:00Z\"}"), MM_DEC_BAD_TIMESTAMP);
	assert_int_equal(dt_decode(&t, "{\"@timestamp\":true}"), MM_DEC_BAD_TIMESTAMP);
	assert_int_equal(dt_decode(&t, "{\"@timestamp\":99999999999999999999}"), MM_DEC_BAD_TIMESTAMP);
	/* nested "time" is not the event time */
	assert_int_equal(dt_decode(&t, "{\"a\":{\"time\":\"2024-01-02T03:04:05Z\"}}"), MM_DEC_OK);
	assert_int_equal(t.ev.ts, MM_TS_NONE);
	/* local time in the input's zone */
	struct mm_tz *tz = NULL;
	assert_int_equal(mm_tz_new(&tz, "Asia/Tokyo", NULL), MM_OK);
	t.opts.tz = tz;
	assert_int_equal(dt_decode(&t, "{\"@timestamp\":\"2024-01-02T09:00:00\"}"), MM_DEC_OK);
	assert_ts(&t, "2024-01-02T00:00:00.000Z");
	t.opts.tz = NULL;
	mm_tz_free(tz);
	dt_free(&t);
}

static void t_logsource(void **state)
{
	struct dt t;
	dt_init(&t, "jsonl");
	assert_int_equal(dt_decode(&t, "{\"event\":{\"dataset\":\"nginx.access\"}}"), MM_DEC_OK);
	assert_string_equal(t.ev.category, "webserver");
	assert_int_equal(dt_decode(&t, "{\"event.dataset\":\"apache.access\"}"), MM_DEC_OK);
	assert_string_equal(t.ev.category, "webserver");
	assert_int_equal(dt_decode(&t, "{\"event\":{\"dataset\":\"system.auth\"}}"), MM_DEC_OK);
	assert_string_equal(t.ev.product, "linux");
	assert_string_equal(t.ev.service[0], "auth");
	assert_null(t.ev.service[1]);
	assert_int_equal(dt_decode(&t, "{\"event\":{\"dataset\":\"system.auth\"},\"process\":{\"name\":"
	                               "\"sshd\"}}"),
	                 MM_DEC_OK);
	assert_true(mm_event_in_logsource(&t.ev, "linux", NULL, "sshd"));
	assert_true(mm_event_in_logsource(&t.ev, "linux", NULL, "auth"));
	assert_int_equal(dt_decode(&t, "{\"event\":{\"dataset\":\"system.syslog\"}}"), MM_DEC_OK);
	assert_string_equal(t.ev.service[0], "syslog");
	assert_int_equal(dt_decode(&t, "{\"event\":{\"dataset\":\"zeek.conn\"}}"), MM_DEC_OK);
	assert_null(t.ev.product);
	assert_null(t.ev.category);
	assert_null(t.ev.service[0]);
	dt_free(&t);
}

static void t_strict(void **state)
{
	struct dt t;
	dt_init(&t, "jsonl");
	assert_int_equal(dt_decode(&t, ""), MM_DEC_SKIP);
	assert_int_equal(dt_decode(&t, "   "), MM_DEC_SKIP);
	const char *bad[] = {
		"[1,2]",
		"\"str\"",
		"{",
		"{\"a\"}",
		"{\"a\":}",
		"{\"a\":1,}",
		"{\"a\":1 \"b\":2}",
		"{a:1}",
		"{'a':1}",
		"{\"a\":01}",
		"{\"a\":1.}",
		"{\"a\":.5}",
		"{\"a\":1e}",
		"{\"a\":-}",
		"{\"a\":+1}",
		"{\"a\":tru}",
		"{\"a\":nul}",
		"{\"a\":NaN}",
		"{\"a\":\"x\\q\"}",
		"{\"a\":\"\\u12G4\"}",
		"{\"a\":\"\\u12\"}",
		"{\"a\":\"tab\there\"}",
		"{\"a\":\"unterminated}",
		"{\"a\":[1,2}",
		"{\"a\":[1,]}",
		"{\"a\":1}}",
		"{\"a\":1} x",
		"{\"a\":\"\xff\"}",
		"{\"a\":\"\xc0\xaf\"}",         /* overlong '/' */
		"{\"a\":\"\xed\xa0\x80\"}",     /* UTF-8 encoded surrogate */
		"{\"a\":\"\xf4\x90\x80\x80\"}", /* above U+10FFFF */
		"{\"a\":\"\xe6\x97\"}",         /* truncated sequence */
	};
	for (size_t i = 0; i < MM_ARRAY_LEN(bad); i++)
		if (dt_decode(&t, bad[i]) != MM_DEC_BAD_JSON)
			fail_msg("'%s' gave %s", bad[i], mm_dec_outcome_name(t.rc));
	/* a NUL byte inside a string is a control character */
	static const char nul[] = "{\"a\":\"x\0y\"}";
	assert_int_equal(dt_decode_n(&t, nul, sizeof(nul) - 1), MM_DEC_BAD_JSON);
	/* every prefix of a good line is handled */
	const char *good = "{\"a\":{\"b\":[1,\"x\\u00e9\",{\"c\":null}]},\"d\":-0.5e-3,\"e\":true}";
	assert_int_equal(dt_decode(&t, good), MM_DEC_OK);
	for (size_t k = 0; k < strlen(good); k++)
		assert_int_not_equal(dt_decode_n(&t, good, k), MM_DEC_OK);
	dt_free(&t);
}

static void t_limits(void **state)
{
	struct dt t;
	dt_init(&t, "jsonl");
	char buf[20000];
	/* 32 nested levels are accepted, 33 refused */
	for (int depth = 31; depth <= 33; depth++) {
		size_t n = 0;
		buf[n++] = '{';
		for (int d = 1; d < depth; d++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\"k\":{");
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\"v\":1");
		for (int d = 0; d < depth; d++)
			buf[n++] = '}';
		enum mm_dec_outcome o = dt_decode_n(&t, buf, n);
		assert_int_equal(o, depth <= 32 ? MM_DEC_OK : MM_DEC_LIMIT);
	}
	/* arrays count as depth too */
	size_t n = 0;
	buf[n++] = '{';
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\"a\":");
	for (int d = 0; d < 40; d++)
		buf[n++] = '[';
	for (int d = 0; d < 40; d++)
		buf[n++] = ']';
	buf[n++] = '}';
	assert_int_equal(dt_decode_n(&t, buf, n), MM_DEC_LIMIT);
	/* 256 extra keys fit, 257 do not */
	for (int keys = 256; keys <= 257; keys++) {
		n = 0;
		buf[n++] = '{';
		for (int k = 0; k < keys; k++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s\"k%d\":%d", k ? "," : "", k, k);
		buf[n++] = '}';
		assert_int_equal(dt_decode_n(&t, buf, n), keys == 256 ? MM_DEC_OK : MM_DEC_LIMIT);
		if (keys == 256) {
			assert_int_equal(t.ev.n_extra, 256);
			assert_string_equal(dt_named(&t, "k255"), "255");
		}
	}
	/* a flattened key longer than 512 bytes */
	n = (size_t)snprintf(buf, sizeof(buf), "{\"a\":{\"");
	memset(buf + n, 'x', 600);
	n += 600;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\":1}}");
	assert_int_equal(dt_decode_n(&t, buf, n), MM_DEC_LIMIT);
	/* arena cap: an unescaped string that does not fit */
	struct mm_arena *tiny = mm_arena_new(16, 32);
	t.ctx.arena = tiny;
	n = (size_t)snprintf(buf, sizeof(buf), "{\"m\":\"\\n");
	memset(buf + n, 'y', 100);
	n += 100;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\"}");
	assert_int_equal(dt_decode_n(&t, buf, n), MM_DEC_LIMIT);
	/* extras need the arena as well */
	mm_arena_reset(tiny);
	assert_non_null(mm_arena_alloc(tiny, 32));
	assert_int_equal(dt_decode(&t, "{\"zz\":1}"), MM_DEC_LIMIT);
	/* …but a line of dictionary fields only needs nothing */
	assert_int_equal(dt_decode(&t, "{\"user.name\":\"x\"}"), MM_DEC_OK);
	t.ctx.arena = NULL;
	assert_int_equal(dt_decode(&t, "{\"a\":{\"b\":1}}"), MM_DEC_LIMIT);
	t.ctx.arena = t.arena;
	mm_arena_free(tiny);
	dt_free(&t);
}

static void t_probe(void **state)
{
	const struct mm_decoder *d = mm_decoder_find("jsonl");
	assert_int_equal(d->probe("{\"a\":1}", 7), 90);
	assert_int_equal(d->probe("  { \"a\":1 }  ", 13), 90);
	assert_int_equal(d->probe("{}", 2), 50);
	assert_int_equal(d->probe("{", 1), 0);
	assert_int_equal(d->probe("[1]", 3), 0);
	assert_int_equal(d->probe("{a}", 3), 0);
	assert_int_equal(d->probe("", 0), 0);
	assert_int_equal(d->probe("Jan  1 00:00:00 h x: {\"a\":1}", 28), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_flatten),    cmocka_unit_test(t_escapes),
		cmocka_unit_test(t_arrays),     cmocka_unit_test(t_timestamps),
		cmocka_unit_test(t_logsource),  cmocka_unit_test(t_strict),
		cmocka_unit_test(t_limits),     cmocka_unit_test(t_probe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
