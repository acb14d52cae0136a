/* mamori — unit tests for the combined/common access-log decoder
 * (src/decode/combined.c): field mapping, escapes, malformed requests,
 * vhost prefixes, time zones, every outcome, probe scores. */
#include "dec_test.h"

static const char *LINE =
	"203.0.113.9 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif?a=1&b=2 HTTP/1.0\" "
	"200 2326 \"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"";

static void t_combined_full(void **state)
{
	struct dt t;
	dt_init(&t, "combined");
	assert_int_equal(dt_decode(&t, LINE), MM_DEC_OK);
	assert_field(&t, MM_F_SOURCE_IP, "203.0.113.9");
	assert_field(&t, MM_F_SOURCE_ADDRESS, "203.0.113.9");
	assert_field(&t, MM_F_USER_NAME, "frank");
	assert_ts(&t, "2000-10-10T20:55:36.000Z");
	assert_no_field(&t, MM_F_TIMESTAMP);
	assert_field(&t, MM_F_HTTP_REQUEST_METHOD, "GET");
	assert_field(&t, MM_F_URL_ORIGINAL, "/apache_pb.gif?a=1&b=2");
	assert_field(&t, MM_F_URL_PATH, "/apache_pb.gif");
	assert_field(&t, MM_F_URL_QUERY, "a=1&b=2");
	assert_field(&t, MM_F_URL_EXTENSION, "gif");
	assert_field(&t, MM_F_HTTP_VERSION, "1.0");
	assert_field(&t, MM_F_HTTP_RESPONSE_STATUS, "200");
	assert_field(&t, MM_F_HTTP_RESPONSE_BYTES, "2326");
	assert_field(&t, MM_F_HTTP_REQUEST_REFERRER, "http://www.example.com/start.html");
	assert_field(&t, MM_F_USER_AGENT_ORIGINAL, "Mozilla/4.08 [en] (Win98; I ;Nav)");
	assert_string_equal(t.ev.category, "webserver");
	assert_string_equal(t.ev.dataset, "web.access");
	assert_null(t.ev.product);
	assert_true(t.ev.flags & MM_EV_VERBATIM);
	assert_verbatim_honest(&t);
	assert_true(mm_event_in_logsource(&t.ev, NULL, "webserver", NULL));
	dt_free(&t);
}

static void t_common_both_names(void **state)
{
	const char *line = "127.0.0.1 user-identifier bob [10/Oct/2000:13:55:36 +0000] "
	                   "\"POST /login HTTP/1.1\" 401 -";
	const char *names[] = {"common", "combined"};
	for (int k = 0; k < 2; k++) {
		struct dt t;
		dt_init(&t, names[k]);
		assert_int_equal(dt_decode(&t, line), MM_DEC_OK);
		assert_field(&t, MM_F_USER_NAME, "bob");
		assert_field(&t, MM_F_HTTP_REQUEST_METHOD, "POST");
		assert_field(&t, MM_F_URL_PATH, "/login");
		assert_no_field(&t, MM_F_URL_QUERY);
		assert_no_field(&t, MM_F_URL_EXTENSION);
		assert_field(&t, MM_F_HTTP_RESPONSE_STATUS, "401");
		assert_no_field(&t, MM_F_HTTP_RESPONSE_BYTES);
		assert_no_field(&t, MM_F_HTTP_REQUEST_REFERRER);
		assert_no_field(&t, MM_F_USER_AGENT_ORIGINAL);
		assert_ts(&t, "2000-10-10T13:55:36.000Z");
		dt_free(&t);
	}
}

static void t_dashes_absent(void **state)
{
	struct dt t;
	dt_init(&t, "combined");
	assert_int_equal(dt_decode(&t, "10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" "
	                               "304 - \"-\" \"-\""),
	                 MM_DEC_OK);
	assert_no_field(&t, MM_F_USER_NAME);
	assert_no_field(&t, MM_F_HTTP_RESPONSE_BYTES);
	assert_no_field(&t, MM_F_HTTP_REQUEST_REFERRER);
	assert_no_field(&t, MM_F_USER_AGENT_ORIGINAL);
	assert_field(&t, MM_F_URL_PATH, "/");
	assert_no_field(&t, MM_F_URL_EXTENSION);
	/* an empty quoted agent is present and empty */
	assert_int_equal(dt_decode(&t, "10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" "
	                               "200 0 \"-\" \"\""),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_USER_AGENT_ORIGINAL, "");
	dt_free(&t);
}

static void t_ipv6_and_hostname(void **state)
{
	struct dt t;
	dt_init(&t, "combined");
	assert_int_equal(dt_decode(&t, "2001:db8::1 - - [01/Feb/2024:10:00:00 +0900] \"GET /a HTTP/2.0\" "
	                               "200 5 \"-\" \"curl/8\""),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_SOURCE_IP, "2001:db8::1");
	assert_field(&t, MM_F_HTTP_VERSION, "2.0");
	assert_ts(&t, "2024-02-01T01:00:00.000Z");
	assert_int_equal(dt_decode(&t, "client.example.net - - [01/Feb/2024:10:00:00 +0000] \"GET /a "
	                               "HTTP/1.1\" 200 5"),
	                 MM_DEC_OK);
	assert_no_field(&t, MM_F_SOURCE_IP);
	assert_field(&t, MM_F_SOURCE_ADDRESS, "client.example.net");
	dt_free(&t);
}

static void t_escapes(void **state)
{
	struct dt t;
	dt_init(&t, "combined");
	/* Apache escapes " as \" (and \ as \\) */
	assert_int_equal(dt_decode(&t, "1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET /q?x=\\\"y\\\" "
	                               "HTTP/1.1\" 200 1 \"-\" \"agent \\\"quoted\\\" \\\\\""),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_URL_QUERY, "x=\\\"y\\\"");
	assert_field(&t, MM_F_USER_AGENT_ORIGINAL, "agent \\\"quoted\\\" \\\\");
	/* nginx escapes " as \x22 */
	assert_int_equal(dt_decode(&t, "1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET /\\x22a HTTP/1.1\" "
	                               "200 1 \"-\" \"a\\x22b\""),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_URL_PATH, "/\\x22a");
	assert_field(&t, MM_F_USER_AGENT_ORIGINAL, "a\\x22b");
	/* a raw quote inside the agent (not followed by a space) is content */
	assert_int_equal(dt_decode(&t, "1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" "
	                               "200 1 \"-\" \"say \"hi\"there\""),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_USER_AGENT_ORIGINAL, "say \"hi\"there");
	assert_verbatim_honest(&t);
	dt_free(&t);
}

static void t_malformed_request(void **state)
{
	struct dt t;
	dt_init(&t, "combined");
	assert_int_equal(dt_decode(&t, "198.51.100.7 - - [01/Jan/2024:00:00:00 +0000] "
	                               "\"\\x16\\x03\\x01\\x00\\xA5\\x01\" 400 157 \"-\" \"-\""),
	                 MM_DEC_OK);
	assert_no_field(&t, MM_F_HTTP_REQUEST_METHOD);
	assert_no_field(&t, MM_F_URL_PATH);
	assert_field(&t, MM_F_URL_ORIGINAL, "\\x16\\x03\\x01\\x00\\xA5\\x01");
	assert_field(&t, MM_F_HTTP_RESPONSE_STATUS, "400");
	assert_int_equal(dt_decode(&t, "198.51.100.7 - - [01/Jan/2024:00:00:00 +0000] \"-\" 408 0 \"-\" "
	                               "\"-\""),
	                 MM_DEC_OK);
	assert_no_field(&t, MM_F_HTTP_REQUEST_METHOD);
	assert_field(&t, MM_F_URL_ORIGINAL, "-");
	/* lower-case method: not an RFC 9110 method as servers log it */
	assert_int_equal(dt_decode(&t, "198.51.100.7 - - [01/Jan/2024:00:00:00 +0000] \"get / "
	                               "HTTP/1.1\" 400 0"),
	                 MM_DEC_OK);
	assert_no_field(&t, MM_F_HTTP_REQUEST_METHOD);
	/* HTTP/0.9: no protocol token */
	assert_int_equal(dt_decode(&t, "198.51.100.7 - - [01/Jan/2024:00:00:00 +0000] \"GET /x.php\" "
	                               "200 0"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_HTTP_REQUEST_METHOD, "GET");
	assert_field(&t, MM_F_URL_PATH, "/x.php");
	assert_field(&t, MM_F_URL_EXTENSION, "php");
	assert_no_field(&t, MM_F_HTTP_VERSION);
	/* method only */
	assert_int_equal(dt_decode(&t, "198.51.100.7 - - [01/Jan/2024:00:00:00 +0000] \"GET\" 400 0"),
	                 MM_DEC_OK);
	assert_no_field(&t, MM_F_HTTP_REQUEST_METHOD);
	assert_field(&t, MM_F_URL_ORIGINAL, "GET");
	/* empty request */
	assert_int_equal(dt_decode(&t, "198.51.100.7 - - [01/Jan/2024:00:00:00 +0000] \"\" 400 0"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_URL_ORIGINAL, "");
	dt_free(&t);
}

static void t_targets(void **state)
{
	struct dt t;
	dt_init(&t, "combined");
	const char *pre = "1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] \"";
	const char *post = "\" 200 1";
	struct {
		const char *req, *path, *query, *ext, *domain;
	} c[] = {
		{"GET /.env HTTP/1.1", "/.env", NULL, NULL, NULL},
		{"GET /..env HTTP/1.1", "/..env", NULL, "env", NULL},
		{"GET .env HTTP/1.1", ".env", NULL, NULL, NULL},
		{"GET x.y HTTP/1.1", "x.y", NULL, "y", NULL},
		{"GET /a/.b.c HTTP/1.1", "/a/.b.c", NULL, "c", NULL},
		{"GET /a/b.tar.gz HTTP/1.1", "/a/b.tar.gz", NULL, "gz", NULL},
		{"GET /dir.d/file HTTP/1.1", "/dir.d/file", NULL, NULL, NULL},
		{"GET /file. HTTP/1.1", "/file.", NULL, NULL, NULL},
		{"GET /x?y.z HTTP/1.1", "/x", "y.z", NULL, NULL},
		{"GET /? HTTP/1.1", "/", "", NULL, NULL},
		{"GET http://evil.example:8080/p/q.cgi?z HTTP/1.1", "/p/q.cgi", "z", "cgi",
		 "evil.example"},
		{"GET http://evil.example HTTP/1.1", NULL, NULL, NULL, "evil.example"},
		{"CONNECT example.com:443 HTTP/1.1", "example.com:443", NULL, "com:443", NULL},
		{"GET /a b c HTTP/1.1", "/a b c", NULL, NULL, NULL},
		{"PROPFIND /dav/ HTTP/1.1", "/dav/", NULL, NULL, NULL},
	};
	char buf[512];
	for (size_t i = 0; i < MM_ARRAY_LEN(c); i++) {
		snprintf(buf, sizeof(buf), "%s%s%s", pre, c[i].req, post);
		assert_int_equal(dt_decode(&t, buf), MM_DEC_OK);
		if (c[i].path)
			assert_field(&t, MM_F_URL_PATH, c[i].path);
		else
			assert_no_field(&t, MM_F_URL_PATH);
		if (c[i].query)
			assert_field(&t, MM_F_URL_QUERY, c[i].query);
		else
			assert_no_field(&t, MM_F_URL_QUERY);
		if (c[i].ext)
			assert_field(&t, MM_F_URL_EXTENSION, c[i].ext);
		else
			assert_no_field(&t, MM_F_URL_EXTENSION);
		if (c[i].domain)
			assert_field(&t, MM_F_URL_DOMAIN, c[i].domain);
		else
			assert_no_field(&t, MM_F_URL_DOMAIN);
	}
	dt_free(&t);
}

static void t_vhost_and_tail(void **state)
{
	struct dt t;
	dt_init(&t, "combined");
	assert_int_equal(dt_decode(&t, "website.com:443 1.2.3.4 - - [25/Oct/2021:11:05:52 +0200] \"GET "
	                               "/web/.well-known HTTP/1.1\" 403 6963 \"abc.com\" \"UA\""),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_URL_DOMAIN, "website.com");
	assert_field(&t, MM_F_SOURCE_IP, "1.2.3.4");
	assert_no_field(&t, MM_F_USER_NAME);
	assert_ts(&t, "2021-10-25T09:05:52.000Z");
	assert_int_equal(dt_decode(&t, "www.example.org 2001:db8::2 - alice [25/Oct/2021:11:05:52 +0000] "
	                               "\"GET / HTTP/1.1\" 200 1"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_URL_DOMAIN, "www.example.org");
	assert_field(&t, MM_F_SOURCE_IP, "2001:db8::2");
	assert_field(&t, MM_F_USER_NAME, "alice");
	/* a user name with a space (not a vhost: the second token is no IP) */
	assert_int_equal(dt_decode(&t, "10.0.0.1 - John Smith [25/Oct/2021:11:05:52 +0000] \"GET / "
	                               "HTTP/1.1\" 200 1"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_USER_NAME, "John Smith");
	assert_no_field(&t, MM_F_URL_DOMAIN);
	/* %l or %u missing */
	assert_int_equal(dt_decode(&t, "192.168.1.1 - [08/Jun/2020:08:04:43 +0000] \"GET /api/test "
	                               "HTTP/1.1\" 200 100 \"-\" \"curl/7.68.0\""),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_SOURCE_IP, "192.168.1.1");
	assert_no_field(&t, MM_F_USER_NAME);
	/* nginx trailing $request_time / key=value fields are ignored */
	assert_int_equal(dt_decode(&t, "10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 "
	                               "1 \"-\" \"UA\" 0.005 rt=0.005 uct=\"0.001\""),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_USER_AGENT_ORIGINAL, "UA");
	assert_int_equal(dt_decode(&t, "10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 "
	                               "1 0.005"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_HTTP_RESPONSE_BYTES, "1");
	dt_free(&t);
}

static void t_time(void **state)
{
	struct dt t;
	dt_init(&t, "combined");
	/* leap day, negative offset crossing midnight and a year */
	assert_int_equal(dt_decode(&t, "1.1.1.1 - - [31/Dec/2023:23:30:00 -0130] \"GET / HTTP/1.1\" 200 1"),
	                 MM_DEC_OK);
	assert_ts(&t, "2024-01-01T01:00:00.000Z");
	assert_int_equal(dt_decode(&t, "1.1.1.1 - - [29/Feb/2024:12:00:00 +0000] \"GET / HTTP/1.1\" 200 1"),
	                 MM_DEC_OK);
	assert_ts(&t, "2024-02-29T12:00:00.000Z");
	/* no zone: the input's time zone applies */
	struct mm_tz *tz = NULL;
	assert_int_equal(mm_tz_new(&tz, "+09:00", NULL), MM_OK);
	t.opts.tz = tz;
	assert_int_equal(dt_decode(&t, "1.1.1.1 - - [01/Jan/2024:09:00:00] \"GET / HTTP/1.1\" 200 1"),
	                 MM_DEC_OK);
	assert_ts(&t, "2024-01-01T00:00:00.000Z");
	/* an explicit offset wins over the input's zone */
	assert_int_equal(dt_decode(&t, "1.1.1.1 - - [01/Jan/2024:09:00:00 +0000] \"GET / HTTP/1.1\" 200 1"),
	                 MM_DEC_OK);
	assert_ts(&t, "2024-01-01T09:00:00.000Z");
	t.opts.tz = NULL;
	mm_tz_free(tz);
	const char *bad[] = {
		"1.1.1.1 - - [01/Foo/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1",
		"1.1.1.1 - - [01/Jan/2024:25:00:00 +0000] \"GET / HTTP/1.1\" 200 1",
		"1.1.1.1 - - [01/Jan/2024 00:00:00 +0000] \"GET / HTTP/1.1\" 200 1",
		"1.1.1.1 - - [01/Jan/2024:00:00:00 +00] \"GET / HTTP/1.1\" 200 1",
		"1.1.1.1 - - [01/Jan/2024:00:00:00 *0000] \"GET / HTTP/1.1\" 200 1",
		"1.1.1.1 - - [] \"GET / HTTP/1.1\" 200 1",
		"1.1.1.1 - - [00/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1",
		/* outside the int64-nanosecond range: found by fuzzing (UBSan) */
		"1.1.1.1 - - [01/Jan/0001:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1",
		"1.1.1.1 - - [01/Jan/9999:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1",
	};
	for (size_t i = 0; i < MM_ARRAY_LEN(bad); i++)
		assert_int_equal(dt_decode(&t, bad[i]), MM_DEC_BAD_TIMESTAMP);
	dt_free(&t);
}

static void t_outcomes(void **state)
{
	struct dt t;
	dt_init(&t, "combined");
	const char *fmt[] = {
		"",
		"just some text",
		"1.1.1.1 - - 01/Jan/2024:00:00:00 +0000 \"GET / HTTP/1.1\" 200 1",
		"1.1.1.1 - - [01/Jan/2024:00:00:00 +0000 \"GET / HTTP/1.1\" 200 1",
		"1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] GET / HTTP/1.1 200 1",
		"1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1 200 1",
		"1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\"",
		"1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200",
		" [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1",
		"1.1.1.1  - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1",
	};
	for (size_t i = 0; i < MM_ARRAY_LEN(fmt); i++)
		assert_int_equal(dt_decode(&t, fmt[i]), MM_DEC_BAD_FORMAT);
	const char *field[] = {
		"1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" abc 1",
		"1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 2000 1",
		"1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 12x",
		("1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 "
		 "123456789012345678901"),
	};
	for (size_t i = 0; i < MM_ARRAY_LEN(field); i++)
		assert_int_equal(dt_decode(&t, field[i]), MM_DEC_BAD_FIELD);
	assert_string_equal(mm_dec_outcome_name(MM_DEC_BAD_FIELD), "bad_field");
	/* a line cut inside the referrer or agent keeps the rest as the value */
	assert_int_equal(dt_decode(&t, "1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" "
	                               "200 1 \"ref"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_HTTP_REQUEST_REFERRER, "ref");
	assert_no_field(&t, MM_F_USER_AGENT_ORIGINAL);
	assert_int_equal(dt_decode(&t, "1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" "
	                               "200 1 \"-\" \"Mozilla/5.0 (compatible; Googlebot/2.1"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_USER_AGENT_ORIGINAL, "Mozilla/5.0 (compatible; Googlebot/2.1");
	assert_int_equal(dt_decode(&t, "1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" "
	                               "200 1 \""),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_HTTP_REQUEST_REFERRER, "");
	dt_free(&t);
}

static void t_bytes_nul_utf8_huge(void **state)
{
	struct dt t;
	dt_init(&t, "combined");
	static const char nul[] = "1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] \"GET /a\0b HTTP/1.1\" 200 1 "
	                          "\"-\" \"x\0\xff\xfe\"";
	assert_int_equal(dt_decode_n(&t, nul, sizeof(nul) - 1), MM_DEC_OK);
	assert_int_equal(t.ev.f[MM_F_URL_PATH].n, 4);
	assert_int_equal(t.ev.f[MM_F_USER_AGENT_ORIGINAL].n, 4);
	/* a 200 kB user agent */
	size_t big = 200000;
	const char *head = "1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"";
	size_t hn = strlen(head);
	char *line = malloc(hn + big + 2);
	assert_non_null(line);
	memcpy(line, head, hn);
	memset(line + hn, 'A', big);
	line[hn + big] = '"';
	assert_int_equal(dt_decode_n(&t, line, hn + big + 1), MM_DEC_OK);
	assert_int_equal(t.ev.f[MM_F_USER_AGENT_ORIGINAL].n, big);
	free(line);
	/* every prefix of a good line decodes without reading past it */
	size_t n = strlen(LINE);
	for (size_t k = 0; k < n; k++) {
		enum mm_dec_outcome o = dt_decode_n(&t, LINE, k);
		assert_true(o < MM_DEC__COUNT);
	}
	dt_free(&t);
}

/* The decoder keeps the last date and zone per input: lines that share them
 * take a shorter path, which must give what the full parse gives, also for
 * bad times on a cached date and after the zone or the date changes. */
static void t_time_cache(void **state)
{
	static const struct {
		const char *t;
		int y, mon, d, h, mi, s, off; /* off < -90000: BAD_TIMESTAMP */
	} cases[] = {
		{"10/Oct/2000:13:55:36 -0700", 2000, 10, 10, 13, 55, 36, -25200},
		{"10/Oct/2000:13:55:37 -0700", 2000, 10, 10, 13, 55, 37, -25200},
		{"10/Oct/2000:00:00:00 -0700", 2000, 10, 10, 0, 0, 0, -25200},
		{"10/Oct/2000:23:59:60 -0700", 2000, 10, 10, 23, 59, 59, -25200}, /* leap second */
		{"10/Oct/2000:24:00:00 -0700", 0, 0, 0, 0, 0, 0, -99999},
		{"10/Oct/2000:13:60:00 -0700", 0, 0, 0, 0, 0, 0, -99999},
		{"10/Oct/2000:1x:00:00 -0700", 0, 0, 0, 0, 0, 0, -99999},
		{"10/Oct/2000:13:55:36 +0900", 2000, 10, 10, 13, 55, 36, 32400},
		{"10/Oct/2000:13:55:36 -0700", 2000, 10, 10, 13, 55, 36, -25200},
		{"11/Oct/2000:01:02:03 -0700", 2000, 10, 11, 1, 2, 3, -25200},
		{"11/oct/2000:01:02:04 -0700", 2000, 10, 11, 1, 2, 4, -25200},
		{"31/Feb/2000:01:02:03 -0700", 2000, 3, 2, 1, 2, 3, -25200}, /* as the full parse */
		{"11/Oct/2000:01:02:05.25 -0700", 2000, 10, 11, 1, 2, 5, -25200},
		{"11/Oct/2000:01:02:06 -0700", 2000, 10, 11, 1, 2, 6, -25200},
	};
	struct dt t;
	dt_init(&t, "combined");
	assert_non_null(t.ctx.state);
	for (size_t i = 0; i < MM_ARRAY_LEN(cases); i++) {
		char line[256];
		snprintf(line, sizeof(line), "1.2.3.4 - - [%s] \"GET / HTTP/1.1\" 200 1 \"-\" \"a\"",
		         cases[i].t);
		enum mm_dec_outcome o = dt_decode(&t, line);
		if (cases[i].off < -90000) {
			assert_int_equal(o, MM_DEC_BAD_TIMESTAMP);
			continue;
		}
		assert_int_equal(o, MM_DEC_OK);
		long ns = strchr(cases[i].t, '.') ? 250000000 : 0;
		int64_t want = mm_time_from_civil(cases[i].y, cases[i].mon, cases[i].d, cases[i].h,
		                                  cases[i].mi, cases[i].s, ns, cases[i].off);
		if (t.ev.ts != want)
			fail_msg("%s: %lld, want %lld", cases[i].t, (long long)t.ev.ts,
			         (long long)want);
	}
	dt_free(&t);
}

static void t_probe(void **state)
{
	const struct mm_decoder *comb = mm_decoder_find("combined");
	const struct mm_decoder *com = mm_decoder_find("common");
	assert_non_null(comb);
	assert_non_null(com);
	assert_true(comb->probe(LINE, strlen(LINE)) >= 80);
	assert_int_equal(com->probe(LINE, strlen(LINE)), 0);
	const char *cl = "127.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET / HTTP/1.1\" 200 1";
	assert_true(com->probe(cl, strlen(cl)) > comb->probe(cl, strlen(cl)));
	assert_true(comb->probe(cl, strlen(cl)) > 0);
	const char *no[] = {"", "[", "Jan  1 00:00:00 host sshd[1]: x", "{\"a\":1}",
	                    "1.1.1.1 - - [xx/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1"};
	for (size_t i = 0; i < MM_ARRAY_LEN(no); i++) {
		assert_int_equal(comb->probe(no[i], strlen(no[i])), 0);
		assert_int_equal(com->probe(no[i], strlen(no[i])), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_combined_full),  cmocka_unit_test(t_common_both_names),
		cmocka_unit_test(t_dashes_absent),  cmocka_unit_test(t_ipv6_and_hostname),
		cmocka_unit_test(t_escapes),        cmocka_unit_test(t_malformed_request),
		cmocka_unit_test(t_targets),        cmocka_unit_test(t_vhost_and_tail),
		cmocka_unit_test(t_time),           cmocka_unit_test(t_outcomes),
		cmocka_unit_test(t_bytes_nul_utf8_huge), cmocka_unit_test(t_time_cache),
		cmocka_unit_test(t_probe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
