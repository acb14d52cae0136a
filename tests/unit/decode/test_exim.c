/* mamori — unit tests for the Exim decoder (src/decode/exim.c): mainlog
 * line shapes (arrival, deliveries, bounce, deferral, reject, authenticator
 * failure, faked H= in a protocol error), message assembly by Exim message
 * ID into a message event at "Completed", the drain, auto-detection, and the
 * same messages through syslog (program exim4). */
#include "dec_test.h"

static const char *const g_msg[] = {
	"2026-11-26 10:00:00 1rnXYZ-000abc-12 <= spam@evil.example H=(ylmf-pc) [203.0.113.5]:5121 "
	"I=[192.0.2.1]:25 P=esmtp S=2345 id=abc@evil.example T=\"Win a prize\" from "
	"<spam@evil.example> for a@gmail.example b@yahoo.example",
	"2026-11-26 10:00:01 1rnXYZ-000abc-12 => a@gmail.example R=dnslookup T=remote_smtp "
	"H=mx.gmail.example [192.0.2.26] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C=\"250 2.0.0 OK "
	"queued\"",
	"2026-11-26 10:00:01 1rnXYZ-000abc-12 ** b@yahoo.example R=dnslookup T=remote_smtp "
	"H=mx.yahoo.example [192.0.2.27]: SMTP error from remote mail server after RCPT "
	"TO:<b@yahoo.example>: 550 5.7.1 listed at spamhaus",
	"2026-11-26 10:00:02 1rnXYZ-000abc-12 Completed",
};

static void t_message(void **state)
{
	(void)state;
	struct dt t;
	dt_init(&t, "exim");
	assert_int_equal(dt_decode(&t, g_msg[0]), MM_DEC_OK);
	assert_string_equal(t.ev.dataset, "mail.exim");
	assert_field(&t, MM_F_EVENT_ACTION, "queued");
	assert_field(&t, MM_F_SOURCE_IP, "203.0.113.5");
	assert_field(&t, MM_F_SOURCE_PORT, "5121");
	assert_field(&t, MM_F_EMAIL_FROM_ADDRESS, "spam@evil.example");
	assert_field(&t, MM_F_EMAIL_SUBJECT, "Win a prize");
	assert_field(&t, MM_F_EMAIL_LOCAL_ID, "1rnXYZ-000abc-12");
	assert_no_field(&t, MM_F_USER_NAME);
	assert_ts(&t, "2026-11-26T10:00:00.000Z");
	assert_int_equal(dt_decode(&t, g_msg[1]), MM_DEC_OK);
	assert_field(&t, MM_F_EVENT_ACTION, "delivery");
	assert_field(&t, MM_F_EMAIL_DELIVERY_STATUS, "sent");
	assert_field(&t, MM_F_EMAIL_DELIVERY_TRANSPORT, "remote_smtp");
	assert_field(&t, MM_F_EMAIL_DELIVERY_RESPONSE, "250 2.0.0 OK queued");
	assert_field(&t, MM_F_EMAIL_TO_DOMAIN, "gmail.example");
	assert_field(&t, MM_F_DESTINATION_IP, "192.0.2.26");
	assert_field(&t, MM_F_SOURCE_IP, "203.0.113.5"); /* the message's origin */
	assert_int_equal(dt_decode(&t, g_msg[2]), MM_DEC_OK);
	assert_field(&t, MM_F_EMAIL_DELIVERY_STATUS, "bounced");
	assert_field(&t, MM_F_EVENT_OUTCOME, "failure");
	assert_int_equal(dt_decode(&t, g_msg[3]), MM_DEC_OK);
	assert_field(&t, MM_F_EVENT_ACTION, "message");
	assert_field(&t, MM_F_EMAIL_DELIVERY_STATUS, "partly_bounced");
	assert_string_equal(dt_named(&t, "email.to.addresses"), "a@gmail.example, b@yahoo.example");
	struct mm_event ev;
	mm_event_clear(&ev);
	assert_int_equal(t.dec->drain(&t.ctx, &ev, true), MM_DEC_SKIP);
	/* an arrival never completed: drained at the end of the input */
	assert_int_equal(dt_decode(&t, "2026-11-26 11:00:00 1rnXZZ-000abd-13 <= a@b.example "
	                               "H=mail.b.example [192.0.2.9] P=esmtpsa "
	                               "A=dovecot_login:alice S=10"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_USER_NAME, "alice");
	assert_field(&t, MM_F_EMAIL_AUTH_METHOD, "dovecot_login");
	mm_event_clear(&ev);
	assert_int_equal(t.dec->drain(&t.ctx, &ev, true), MM_DEC_OK);
	assert_memory_equal(ev.f[MM_F_EMAIL_DELIVERY_STATUS].p, "pending", 7);
	dt_free(&t);
}

static void t_lines(void **state)
{
	(void)state;
	struct dt t;
	dt_init(&t, "exim");
	assert_int_equal(dt_decode(&t, "2024-03-21 19:26:06 dovecot_login authenticator failed for "
	                               "(User) [194.169.175.1]:21298 I=[22.33.44.55]:465 Ci=30416: "
	                               "535 Incorrect authentication data (set_id=uaf589@example.com)"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_EVENT_ACTION, "sasl_login");
	assert_field(&t, MM_F_EVENT_OUTCOME, "failure");
	assert_field(&t, MM_F_SOURCE_IP, "194.169.175.1");
	assert_field(&t, MM_F_USER_NAME, "uaf589@example.com");
	assert_int_equal(dt_decode(&t, "2026-11-26 10:00:00 H=(x) [198.51.100.7]:1234 "
	                               "F=<a@b.example> rejected RCPT <v@gmail.example>: relay not "
	                               "permitted"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_EVENT_ACTION, "smtp_reject");
	assert_field(&t, MM_F_SOURCE_IP, "198.51.100.7");
	assert_field(&t, MM_F_EMAIL_TO_ADDRESS, "v@gmail.example");
	assert_field(&t, MM_F_EVENT_REASON, "relay not permitted");
	/* the client's quoted command fakes an H=; the real one comes last */
	assert_int_equal(dt_decode(&t, "2026-11-26 10:00:00 SMTP protocol error in \"aUtH lOgIn\" "
	                               "H=(test) [8.8.8.8]\" H=(roxzgj) [192.0.2.6] AUTH command used "
	                               "when not advertised"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_SOURCE_IP, "192.0.2.6");
	assert_int_equal(dt_decode(&t, "2026-11-26 10:00:00 +0900 1rnXYZ-000abc-12 Completed"),
	                 MM_DEC_OK);
	assert_ts(&t, "2026-11-26T01:00:00.000Z");
	assert_int_equal(dt_decode(&t, "Nov 26 nonsense"), MM_DEC_BAD_FORMAT);
	assert_int_equal(dt_decode(&t, "2026-13-45 99:00:00 x"), MM_DEC_BAD_TIMESTAMP);
	/* auto-detection picks exim for mainlog lines */
	struct mm_slice s[2] = {mm_slice_cstr(g_msg[0]), mm_slice_cstr(g_msg[1])};
	const struct mm_decoder *d = mm_decoder_detect(s, 2);
	assert_non_null(d);
	assert_string_equal(d->name, "exim");
	dt_free(&t);
}

static void t_syslog(void **state)
{
	(void)state;
	struct dt t;
	dt_init(&t, "syslog");
	assert_int_equal(dt_decode(&t, "Nov 26 10:00:00 mx2 exim4[77]: 1rnXYZ-000abc-12 <= "
	                               "a@b.example H=mail.b.example [192.0.2.9] P=esmtp S=10"),
	                 MM_DEC_OK);
	assert_string_equal(t.ev.dataset, "mail.exim");
	assert_field(&t, MM_F_EVENT_ACTION, "queued");
	assert_field(&t, MM_F_SOURCE_IP, "192.0.2.9");
	assert_int_equal(dt_decode(&t, "Nov 26 10:00:01 mx2 exim4[77]: 1rnXYZ-000abc-12 Completed"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_EVENT_ACTION, "message");
	dt_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_message),
		cmocka_unit_test(t_lines),
		cmocka_unit_test(t_syslog),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
