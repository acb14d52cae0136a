/* mamori — unit tests for the syslog decoder (src/decode/syslog.c): RFC 3164
 * headers with and without PRI/host/tag, rsyslog ISO timestamps, RFC 5424
 * with structured data, year inference, time zones, logsource routing by
 * program, "message repeated", outcomes and probe scores. */
#include "dec_test.h"

static void t_3164_pri(void **state)
{
	struct dt t;
	dt_init(&t, "syslog");
	assert_int_equal(dt_decode(&t, "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick "
	                               "on /dev/pts/8"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_SYSLOG_PRIORITY, "34");
	assert_field(&t, MM_F_SYSLOG_FACILITY, "4");
	assert_field(&t, MM_F_SYSLOG_SEVERITY, "2");
	assert_field(&t, MM_F_HOST_HOSTNAME, "mymachine");
	assert_field(&t, MM_F_SYSLOG_HOSTNAME, "mymachine");
	assert_field(&t, MM_F_PROCESS_NAME, "su");
	assert_no_field(&t, MM_F_PROCESS_PID);
	assert_field(&t, MM_F_MESSAGE, "'su root' failed for lonvick on /dev/pts/8");
	assert_int_equal(t.ev.msg.n, strlen("'su root' failed for lonvick on /dev/pts/8"));
	assert_ts(&t, "2023-10-11T22:14:15.000Z"); /* ref 2024-03-15: October is last year */
	assert_string_equal(t.ev.product, "linux");
	assert_string_equal(t.ev.service[0], "auth");
	assert_string_equal(t.ev.service[1], "syslog");
	assert_null(t.ev.service[2]);
	assert_string_equal(t.ev.dataset, "linux.auth");
	/* PRI-derived numbers are not substrings of the line */
	assert_false(t.ev.flags & MM_EV_VERBATIM);
	assert_int_equal(dt_decode(&t, "<191>Oct 11 22:14:15 h x: m"), MM_DEC_OK);
	assert_field(&t, MM_F_SYSLOG_FACILITY, "23");
	assert_field(&t, MM_F_SYSLOG_SEVERITY, "7");
	assert_int_equal(dt_decode(&t, "<0>Oct 11 22:14:15 h x: m"), MM_DEC_OK);
	assert_field(&t, MM_F_SYSLOG_FACILITY, "0");
	assert_int_equal(dt_decode(&t, "<192>Oct 11 22:14:15 h x: m"), MM_DEC_BAD_FORMAT);
	assert_int_equal(dt_decode(&t, "<1x>Oct 11 22:14:15 h x: m"), MM_DEC_BAD_FORMAT);
	assert_int_equal(dt_decode(&t, "<"), MM_DEC_BAD_FORMAT);
	dt_free(&t);
}

static void t_3164_shapes(void **state)
{
	struct dt t;
	dt_init(&t, "syslog");
	assert_int_equal(dt_decode(&t, "Jan  5 01:31:41 www sshd[1643]: hello world"), MM_DEC_OK);
	assert_ts(&t, "2024-01-05T01:31:41.000Z");
	assert_field(&t, MM_F_PROCESS_NAME, "sshd");
	assert_field(&t, MM_F_PROCESS_PID, "1643");
	assert_field(&t, MM_F_MESSAGE, "hello world");
	assert_true(t.ev.flags & MM_EV_VERBATIM);
	assert_verbatim_honest(&t);
	/* one-digit day without padding, and zero-padded */
	assert_int_equal(dt_decode(&t, "Feb 7 16:01:07 h kernel: x"), MM_DEC_OK);
	assert_ts(&t, "2024-02-07T16:01:07.000Z");
	assert_int_equal(dt_decode(&t, "Feb 07 16:01:07 h kernel: x"), MM_DEC_OK);
	assert_ts(&t, "2024-02-07T16:01:07.000Z");
	/* no hostname: the first token is the tag */
	assert_int_equal(dt_decode(&t, "Nov 23 21:50:19 sshd[8148]: Disconnecting"), MM_DEC_OK);
	assert_no_field(&t, MM_F_HOST_HOSTNAME);
	assert_field(&t, MM_F_PROCESS_NAME, "sshd");
	assert_field(&t, MM_F_PROCESS_PID, "8148");
	assert_int_equal(dt_decode(&t, "Feb 21 23:35:33 sudo: vagrant : TTY=pts/0"), MM_DEC_OK);
	assert_field(&t, MM_F_PROCESS_NAME, "sudo");
	assert_field(&t, MM_F_MESSAGE, "vagrant : TTY=pts/0");
	/* "[sshd]:" and "[sshd]" (no colon) */
	assert_int_equal(dt_decode(&t, "Mar  3 00:17:22 [sshd]: User root from 1.2.3.4 not allowed "
	                               "because not listed in AllowUsers"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_PROCESS_NAME, "sshd");
	assert_field(&t, MM_F_EVENT_ACTION, "user_not_allowed");
	assert_int_equal(dt_decode(&t, "Jun 25 23:53:34 [sshd] User root from 1.2.3.4 not allowed "
	                               "because not listed in AllowUsers"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_SOURCE_IP, "1.2.3.4");
	/* no tag at all: everything after the host is the message */
	assert_int_equal(dt_decode(&t, "Jan  5 01:02:03 router link eth0 down"), MM_DEC_OK);
	assert_field(&t, MM_F_HOST_HOSTNAME, "router");
	assert_no_field(&t, MM_F_PROCESS_NAME);
	assert_field(&t, MM_F_MESSAGE, "link eth0 down");
	assert_string_equal(t.ev.service[0], "syslog");
	assert_string_equal(t.ev.dataset, "linux.syslog");
	/* tag with a non-numeric pid, tag with slash, empty message */
	assert_int_equal(dt_decode(&t, "Jan  5 01:02:03 mx postfix/smtpd[abc]: connect"), MM_DEC_OK);
	assert_field(&t, MM_F_PROCESS_NAME, "postfix/smtpd");
	assert_no_field(&t, MM_F_PROCESS_PID);
	assert_int_equal(dt_decode(&t, "Jan  5 01:02:03 mx app:"), MM_DEC_OK);
	assert_field(&t, MM_F_MESSAGE, "");
	/* year and fractional seconds written by some devices */
	assert_int_equal(dt_decode(&t, "Jun  8 2019 10:44:36.250 fw x: y"), MM_DEC_OK);
	assert_ts(&t, "2019-06-08T10:44:36.250Z");
	dt_free(&t);
}

static void t_year_inference(void **state)
{
	struct dt t;
	dt_init(&t, "syslog");
	t.opts.ref_time = mm_time_from_civil(2024, 1, 10, 12, 0, 0, 0, 0);
	assert_int_equal(dt_decode(&t, "Dec 31 23:59:59 h x: m"), MM_DEC_OK);
	assert_ts(&t, "2023-12-31T23:59:59.000Z");
	assert_int_equal(dt_decode(&t, "Jan 10 12:00:00 h x: m"), MM_DEC_OK);
	assert_ts(&t, "2024-01-10T12:00:00.000Z");
	/* within a day after ref_time: same year (clock skew, zones) */
	assert_int_equal(dt_decode(&t, "Jan 11 11:00:00 h x: m"), MM_DEC_OK);
	assert_ts(&t, "2024-01-11T11:00:00.000Z");
	/* more than a day after: the year before */
	assert_int_equal(dt_decode(&t, "Jan 11 12:00:01 h x: m"), MM_DEC_OK);
	assert_ts(&t, "2023-01-11T12:00:01.000Z");
	/* explicit year wins */
	t.opts.year = 2019;
	assert_int_equal(dt_decode(&t, "Dec 31 23:59:59 h x: m"), MM_DEC_OK);
	assert_ts(&t, "2019-12-31T23:59:59.000Z");
	assert_int_equal(dt_decode(&t, "Feb 29 00:00:00 h x: m"), MM_DEC_BAD_TIMESTAMP);
	t.opts.year = 2020;
	assert_int_equal(dt_decode(&t, "Feb 29 00:00:00 h x: m"), MM_DEC_OK);
	assert_ts(&t, "2020-02-29T00:00:00.000Z");
	t.opts.year = 0;
	/* Feb 29 with a non-leap reference year goes back to the leap year */
	t.opts.ref_time = mm_time_from_civil(2025, 3, 1, 0, 0, 0, 0, 0);
	assert_int_equal(dt_decode(&t, "Feb 29 10:00:00 h x: m"), MM_DEC_OK);
	assert_ts(&t, "2024-02-29T10:00:00.000Z");
	t.opts.ref_time = mm_time_from_civil(2025, 1, 15, 0, 0, 0, 0, 0);
	assert_int_equal(dt_decode(&t, "Feb 29 10:00:00 h x: m"), MM_DEC_OK);
	assert_ts(&t, "2024-02-29T10:00:00.000Z");
	assert_int_equal(dt_decode(&t, "Apr 31 10:00:00 h x: m"), MM_DEC_BAD_TIMESTAMP);
	dt_free(&t);
}

static void t_time_zones(void **state)
{
	struct dt t;
	dt_init(&t, "syslog");
	struct mm_tz *fixed = NULL, *tokyo = NULL, *ny = NULL;
	assert_int_equal(mm_tz_new(&fixed, "+09:00", NULL), MM_OK);
	t.opts.tz = fixed;
	assert_int_equal(dt_decode(&t, "Jan 10 09:00:00 h x: m"), MM_DEC_OK);
	assert_ts(&t, "2024-01-10T00:00:00.000Z");
	/* ISO timestamps without an offset use the zone too; with one, not */
	assert_int_equal(dt_decode(&t, "2024-01-10T09:00:00 h x: m"), MM_DEC_OK);
	assert_ts(&t, "2024-01-10T00:00:00.000Z");
	assert_int_equal(dt_decode(&t, "2024-01-10T09:00:00Z h x: m"), MM_DEC_OK);
	assert_ts(&t, "2024-01-10T09:00:00.000Z");
	if (mm_tz_new(&tokyo, "Asia/Tokyo", NULL) == MM_OK) {
		t.opts.tz = tokyo;
		assert_int_equal(dt_decode(&t, "Jan 10 09:00:00 h x: m"), MM_DEC_OK);
		assert_ts(&t, "2024-01-10T00:00:00.000Z");
	}
	if (mm_tz_new(&ny, "America/New_York", NULL) == MM_OK) {
		t.opts.tz = ny;
		t.opts.year = 2023;
		assert_int_equal(dt_decode(&t, "Jul  1 12:00:00 h x: m"), MM_DEC_OK);
		assert_ts(&t, "2023-07-01T16:00:00.000Z");
		assert_int_equal(dt_decode(&t, "Jan  1 12:00:00 h x: m"), MM_DEC_OK);
		assert_ts(&t, "2023-01-01T17:00:00.000Z");
	}
	t.opts.tz = NULL;
	mm_tz_free(fixed);
	mm_tz_free(tokyo);
	mm_tz_free(ny);
	dt_free(&t);
}

static void t_iso_rsyslog(void **state)
{
	struct dt t;
	dt_init(&t, "syslog");
	assert_int_equal(dt_decode(&t, "2023-01-05T10:00:00.123456+09:00 web1 sshd[77]: Accepted "
	                               "password for bob from 10.1.1.1 port 5000 ssh2"),
	                 MM_DEC_OK);
	assert_ts(&t, "2023-01-05T01:00:00.123Z");
	assert_int_equal(t.ev.ts % MM_NS_PER_SEC, 123456000);
	assert_field(&t, MM_F_HOST_HOSTNAME, "web1");
	assert_field(&t, MM_F_EVENT_ACTION, "ssh_login");
	assert_string_equal(t.ev.dataset, "linux.sshd");
	assert_int_equal(dt_decode(&t, "2023-13-05T10:00:00Z web1 x: y"), MM_DEC_BAD_TIMESTAMP);
	assert_int_equal(dt_decode(&t, "2023-01-05T10:00:00+9 web1 x: y"), MM_DEC_BAD_TIMESTAMP);
	/* years outside the int64-nanosecond range (fuzzer finding) */
	assert_int_equal(dt_decode(&t, "0000-01-05T10:00:00Z web1 x: y"), MM_DEC_BAD_TIMESTAMP);
	assert_int_equal(dt_decode(&t, "<13>1 9999-01-05T10:00:00Z h a p m -"), MM_DEC_BAD_TIMESTAMP);
	assert_int_equal(dt_decode(&t, "Jun  8 0001 10:44:36 fw x: y"), MM_DEC_BAD_TIMESTAMP);
	t.opts.year = 3000;
	assert_int_equal(dt_decode(&t, "Jun  8 10:44:36 fw x: y"), MM_DEC_BAD_TIMESTAMP);
	t.opts.year = 0;
	dt_free(&t);
}

static void t_5424(void **state)
{
	struct dt t;
	dt_init(&t, "syslog");
	assert_int_equal(dt_decode(&t, "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog "
	                               "- ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" "
	                               "eventID=\"1011\"] \xEF\xBB\xBF"
	                               "An application event log entry"),
	                 MM_DEC_OK);
	assert_ts(&t, "2003-10-11T22:14:15.003Z");
	assert_field(&t, MM_F_SYSLOG_VERSION, "1");
	assert_field(&t, MM_F_SYSLOG_FACILITY, "20");
	assert_field(&t, MM_F_SYSLOG_SEVERITY, "5");
	assert_field(&t, MM_F_HOST_HOSTNAME, "mymachine.example.com");
	assert_field(&t, MM_F_SYSLOG_APPNAME, "evntslog");
	assert_field(&t, MM_F_PROCESS_NAME, "evntslog");
	assert_no_field(&t, MM_F_SYSLOG_PROCID);
	assert_field(&t, MM_F_SYSLOG_MSGID, "ID47");
	assert_field(&t, MM_F_SYSLOG_SD, "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" "
	                                 "eventID=\"1011\"]");
	assert_field(&t, MM_F_MESSAGE, "An application event log entry");
	/* escaped ] and " inside SD values, two elements, numeric procid */
	assert_int_equal(dt_decode(&t, "<38>1 2019-07-08T17:40:17.954167-04:00 h.example.com sshd 55555 "
	                               "- [timeQuality tzKnown=\"1\"][x@1 a=\"[br\\]a\\\"cket]\"] Failed "
	                               "unknown for invalid user redmond from 192.0.2.2 port 55555 ssh2"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_SYSLOG_SD, "[timeQuality tzKnown=\"1\"][x@1 a=\"[br\\]a\\\"cket]\"]");
	assert_field(&t, MM_F_PROCESS_PID, "55555");
	assert_field(&t, MM_F_SYSLOG_PROCID, "55555");
	assert_field(&t, MM_F_EVENT_ACTION, "ssh_login");
	assert_field(&t, MM_F_SOURCE_IP, "192.0.2.2");
	assert_ts(&t, "2019-07-08T21:40:17.954Z");
	/* all NILVALUE: an event without time or message */
	assert_int_equal(dt_decode(&t, "<13>1 - - - - - -"), MM_DEC_OK);
	assert_int_equal(t.ev.ts, MM_TS_NONE);
	assert_no_field(&t, MM_F_HOST_HOSTNAME);
	assert_no_field(&t, MM_F_SYSLOG_SD);
	assert_field(&t, MM_F_MESSAGE, "");
	assert_int_equal(dt_decode(&t, "<13>1 - - - - - - hi"), MM_DEC_OK);
	assert_field(&t, MM_F_MESSAGE, "hi");
	assert_int_equal(dt_decode(&t, "<13>1 2003-10-11T22:14:15Z h a p m"), MM_DEC_BAD_FORMAT);
	assert_int_equal(dt_decode(&t, "<13>1 2003-10-11T22:14:15Z h a p m [x a=\"]"), MM_DEC_BAD_FORMAT);
	assert_int_equal(dt_decode(&t, "<13>1 2003-10-11T22:14:15Z h a p m [x]y"), MM_DEC_BAD_FORMAT);
	assert_int_equal(dt_decode(&t, "<13>1 2003-10-11T22:14:15Z h a p m x"), MM_DEC_BAD_FORMAT);
	assert_int_equal(dt_decode(&t, "<13>1 2003-10-11 h a p m -"), MM_DEC_OK);
	assert_int_equal(dt_decode(&t, "<13>1 yesterday h a p m -"), MM_DEC_BAD_TIMESTAMP);
	assert_int_equal(dt_decode(&t, "<13>1 2003-10-11T22:14:15Z"), MM_DEC_BAD_FORMAT);
	assert_int_equal(dt_decode(&t, "<13>1 "), MM_DEC_BAD_TIMESTAMP);
	dt_free(&t);
}

static void t_logsource(void **state)
{
	struct dt t;
	dt_init(&t, "syslog");
	struct {
		const char *tag, *s0, *s1, *s2, *ds;
	} c[] = {
		{"sshd[1]", "sshd", "auth", "syslog", "linux.sshd"},
		{"sshd-session[1]", "sshd", "auth", "syslog", "linux.sshd"},
		{"sudo", "sudo", "auth", "syslog", "linux.sudo"},
		{"su[2]", "auth", "syslog", NULL, "linux.auth"},
		{"login[2]", "auth", "syslog", NULL, "linux.auth"},
		{"systemd-logind[2]", "auth", "syslog", NULL, "linux.auth"},
		{"passwd[2]", "auth", "syslog", NULL, "linux.auth"},
		{"useradd[2]", "auth", "syslog", NULL, "linux.auth"},
		{"groupadd[2]", "auth", "syslog", NULL, "linux.auth"},
		{"usermod[2]", "auth", "syslog", NULL, "linux.auth"},
		{"chpasswd[2]", "auth", "syslog", NULL, "linux.auth"},
		{"CRON[3]", "cron", "syslog", NULL, "linux.cron"},
		{"cron[3]", "cron", "syslog", NULL, "linux.cron"},
		{"kernel", "syslog", NULL, NULL, "linux.syslog"},
		{"sshdx[1]", "syslog", NULL, NULL, "linux.syslog"},
	};
	char buf[256];
	for (size_t i = 0; i < MM_ARRAY_LEN(c); i++) {
		snprintf(buf, sizeof(buf), "Mar  1 00:00:00 h %s: something", c[i].tag);
		assert_int_equal(dt_decode(&t, buf), MM_DEC_OK);
		assert_string_equal(t.ev.product, "linux");
		assert_string_equal(t.ev.service[0], c[i].s0);
		if (c[i].s1)
			assert_string_equal(t.ev.service[1], c[i].s1);
		else
			assert_null(t.ev.service[1]);
		if (c[i].s2)
			assert_string_equal(t.ev.service[2], c[i].s2);
		else
			assert_null(t.ev.service[2]);
		assert_string_equal(t.ev.dataset, c[i].ds);
	}
	/* a PAM message from an unlisted program is auth */
	assert_int_equal(dt_decode(&t, "Mar  1 00:00:00 h vsftpd[9]: pam_unix(vsftpd:auth): "
	                               "authentication failure; rhost=1.2.3.4"),
	                 MM_DEC_OK);
	assert_string_equal(t.ev.service[0], "auth");
	assert_true(mm_event_in_logsource(&t.ev, "linux", NULL, "auth"));
	assert_false(mm_event_in_logsource(&t.ev, "linux", NULL, "sshd"));
	dt_free(&t);
}

static void t_repeated(void **state)
{
	struct dt t;
	dt_init(&t, "syslog");
	assert_int_equal(dt_decode(&t, "Dec 10 09:32:20 LabSZ sshd[24680]: message repeated 5 times: [ "
	                               "Failed password for root from 112.95.230.3 port 45341 ssh2]"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_EVENT_ACTION, "ssh_login");
	assert_field(&t, MM_F_EVENT_OUTCOME, "failure");
	assert_field(&t, MM_F_USER_NAME, "root");
	assert_field(&t, MM_F_SOURCE_IP, "112.95.230.3");
	assert_field(&t, MM_F_SOURCE_PORT, "45341");
	assert_string_equal(dt_named(&t, "log.syslog.repeat_count"), "5");
	/* message keeps the full text */
	assert_field(&t, MM_F_MESSAGE, "message repeated 5 times: [ Failed password for root from "
	                               "112.95.230.3 port 45341 ssh2]");
	/* not a repeat marker */
	assert_int_equal(dt_decode(&t, "Dec 10 09:32:20 h sshd[1]: message repeated x times: [ a]"),
	                 MM_DEC_OK);
	assert_null(dt_named(&t, "log.syslog.repeat_count"));
	dt_free(&t);
}

static void t_outcomes_and_junk(void **state)
{
	struct dt t;
	dt_init(&t, "syslog");
	assert_int_equal(dt_decode(&t, ""), MM_DEC_SKIP);
	assert_int_equal(dt_decode(&t, "hello"), MM_DEC_BAD_TIMESTAMP);
	assert_int_equal(dt_decode(&t, "-- hello"), MM_DEC_BAD_FORMAT);
	assert_int_equal(dt_decode(&t, "Foo  5 01:02:03 h x: y"), MM_DEC_BAD_TIMESTAMP);
	assert_int_equal(dt_decode(&t, "Jan 32 01:02:03 h x: y"), MM_DEC_BAD_TIMESTAMP);
	assert_int_equal(dt_decode(&t, "Jan  5 24:02:03 h x: y"), MM_DEC_BAD_TIMESTAMP);
	assert_int_equal(dt_decode(&t, "Jan  5 01:02"), MM_DEC_BAD_TIMESTAMP);
	assert_int_equal(dt_decode(&t, "Jan  5 01:02:03"), MM_DEC_BAD_FORMAT);
	assert_int_equal(dt_decode(&t, "Jan  5 01:02:03   "), MM_DEC_BAD_FORMAT);
	/* NUL bytes and invalid UTF-8 in the message are kept as bytes */
	static const char nul[] = "Jan  5 01:02:03 h app[1]: a\0b\xff\xfe";
	assert_int_equal(dt_decode_n(&t, nul, sizeof(nul) - 1), MM_DEC_OK);
	assert_int_equal(t.ev.f[MM_F_MESSAGE].n, 5);
	/* every prefix of a good line decodes without reading past it */
	const char *full = "<38>1 2019-07-08T17:40:17.954167-04:00 h sshd 5 - [a b=\"c\"] Failed "
	                   "password for x from 1.2.3.4 port 5 ssh2";
	for (size_t k = 0; k <= strlen(full); k++)
		assert_true(dt_decode_n(&t, full, k) < MM_DEC__COUNT);
	const char *bsd = "Jan  5 01:02:03 host sshd[12]: Connection closed by authenticating user "
	                  "root 1.2.3.4 port 22 [preauth]";
	for (size_t k = 0; k <= strlen(bsd); k++)
		assert_true(dt_decode_n(&t, bsd, k) < MM_DEC__COUNT);
	/* a huge message */
	size_t big = 300000;
	char *line = malloc(big + 40);
	assert_non_null(line);
	int h = snprintf(line, 40, "Jan  5 01:02:03 h sshd[1]: ");
	memset(line + h, 'x', big);
	assert_int_equal(dt_decode_n(&t, line, (size_t)h + big), MM_DEC_OK);
	assert_int_equal(t.ev.f[MM_F_MESSAGE].n, big);
	free(line);
	dt_free(&t);
}

static void t_no_opts_no_arena(void **state)
{
	/* the decoder must cope with a bare context (fuzzers, tools) */
	const struct mm_decoder *d = mm_decoder_find("syslog");
	struct mm_decode_ctx ctx = {NULL, NULL, NULL};
	struct mm_event ev;
	const char *l = "Jan  5 01:02:03 h sshd[1]: message repeated 2 times: [ Disconnecting: Too "
	                "many authentication failures [preauth]]";
	mm_event_clear(&ev);
	assert_int_equal(d->decode(&ctx, l, strlen(l), &ev), MM_DEC_OK);
	assert_true(mm_slice_eq_cstr(ev.f[MM_F_EVENT_ACTION], "max_auth_attempts"));
	assert_int_equal(ev.n_extra, 0);
}

static void t_probe(void **state)
{
	const struct mm_decoder *d = mm_decoder_find("syslog");
	struct {
		const char *l;
		int min, max;
	} c[] = {
		{"<34>1 2003-10-11T22:14:15.003Z h a - - - m", 90, 100},
		{"<34>1 - h a - - - m", 90, 100},
		{"Oct 11 22:14:15 mymachine su: x", 80, 100},
		{"<34>Oct 11 22:14:15 mymachine su: x", 80, 100},
		{"Oct 11 22:14:15 mymachine no tag here", 60, 79},
		{"2023-01-05T10:00:00.123456+09:00 host tag[1]: msg", 75, 100},
		{"", 0, 0},
		{"Oct", 0, 0},
		{"{\"a\":1}", 0, 0},
		{"1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1", 0, 0},
		{"<999>Oct 11 22:14:15 h x: y", 0, 0},
	};
	for (size_t i = 0; i < MM_ARRAY_LEN(c); i++) {
		int s = d->probe(c[i].l, strlen(c[i].l));
		if (s < c[i].min || s > c[i].max)
			fail_msg("probe(%s) = %d, want %d..%d", c[i].l, s, c[i].min, c[i].max);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_3164_pri),      cmocka_unit_test(t_3164_shapes),
		cmocka_unit_test(t_year_inference), cmocka_unit_test(t_time_zones),
		cmocka_unit_test(t_iso_rsyslog),   cmocka_unit_test(t_5424),
		cmocka_unit_test(t_logsource),     cmocka_unit_test(t_repeated),
		cmocka_unit_test(t_outcomes_and_junk), cmocka_unit_test(t_no_opts_no_arena),
		cmocka_unit_test(t_probe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
