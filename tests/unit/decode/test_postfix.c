/* mamori — unit tests for the Postfix message decoder (src/decode/postfix.c)
 * through the syslog decoder: one row per message shape with the expected
 * action vocabulary (docs/mail.md), the message assembly by queue ID (a
 * delivery line carries its message's origin, `removed` becomes the message
 * event), the drain callback (idle timeout, end of input) and the cap of the
 * pending-message table (src/decode/mailq.c). */
#include "dec_test.h"

#include "../../../src/decode/mailq.h"

struct row {
	const char *line;
	const char *action, *outcome, *ip, *qid, *from, *to, *reason, *user;
};

#define H "Nov 26 10:00:00 mx1 "
static const struct row rows[] = {
	{H "postfix/smtpd[1]: connect from mail.example.org[192.0.2.10]", "smtp_connect", NULL,
	 "192.0.2.10", NULL, NULL, NULL, NULL, NULL},
	{H "postfix/smtpd[1]: disconnect from unknown[192.0.2.10] ehlo=1 auth=0/1 quit=1 commands=2/3",
	 "smtp_disconnect", NULL, "192.0.2.10", NULL, NULL, NULL, "auth_failed", NULL},
	{H "postfix/smtpd[1]: NOQUEUE: reject: RCPT from unknown[198.51.100.7]: 554 5.7.1 "
	   "<x@example.org>: Relay access denied; from=<a@b.example> to=<x@example.org> proto=ESMTP "
	   "helo=<ylmf-pc>",
	 "smtp_reject", "failure", "198.51.100.7", NULL, "a@b.example", "x@example.org",
	 "Relay access denied", NULL},
	{H "postfix/smtpd[1]: NOQUEUE: reject: RCPT from foo[192.0.2.5]: 554 5.7.1 Service "
	   "unavailable; Client host [192.0.2.5] blocked using zen.spamhaus.org; from=<s@x.example> "
	   "to=<u@example.jp> proto=ESMTP helo=<foo>",
	 "smtp_reject", "failure", "192.0.2.5", NULL, "s@x.example", "u@example.jp",
	 "blocked using zen.spamhaus.org", NULL},
	{H "postfix/smtpd[1]: warning: unknown[203.0.113.9]: SASL LOGIN authentication failed: "
	   "UGFzc3dvcmQ6",
	 "sasl_login", "failure", "203.0.113.9", NULL, NULL, NULL, "UGFzc3dvcmQ6", NULL},
	{H "postfix/submission/smtpd[1]: warning: unknown[203.0.113.9]: SASL PLAIN authentication "
	   "failed: authentication failure, sasl_username=bob@example.jp",
	 "sasl_login", "failure", "203.0.113.9", NULL, NULL, NULL, "authentication failure",
	 "bob@example.jp"},
	{H "postfix/postscreen[2]: NOQUEUE: reject: RCPT from [192.0.2.66]:51111: 550 5.7.1 Service "
	   "unavailable; client [192.0.2.66] blocked using zen.spamhaus.org; from=<a@b.example>, "
	   "to=<c@example.jp>, proto=ESMTP, helo=<x>",
	 "smtp_reject", "failure", "192.0.2.66", NULL, "a@b.example", "c@example.jp",
	 "blocked using zen.spamhaus.org", NULL},
	{H "postfix/postscreen[2]: CONNECT from [192.0.2.66]:51111 to [192.0.2.1]:25",
	 "postscreen_connect", NULL, "192.0.2.66", NULL, NULL, NULL, NULL, NULL},
	{H "postfix/anvil[3]: statistics: max connection rate 1/60s for (smtp:192.0.2.7) at Nov 26 "
	   "09:59:00",
	 "anvil_statistics", NULL, "192.0.2.7", NULL, NULL, NULL, NULL, NULL},
	{H "postfix/qmgr[4]: 66C15648577B: from=<uvnhbl@yahoo.example>, status=expired, returned to "
	   "sender",
	 "expired", "failure", NULL, "66C15648577B", "uvnhbl@yahoo.example", NULL, NULL, NULL},
	{H "postfix/smtpd[1]: 44JCRG5tYPzCqt2: client=unknown[192.0.2.9], sasl_method=PLAIN, "
	   "sasl_username=carol",
	 "smtp_client", NULL, "192.0.2.9", "44JCRG5tYPzCqt2", NULL, NULL, NULL, "carol"},
	{H "postfix/master[5]: daemon started -- version 3.7.11, configuration /etc/postfix", NULL,
	 NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{H "postfix/smtpd[1]: 1D8CC1CA0A7F: milter-reject: DATA from mx.example.org[192.0.2.151]: "
	   "550 5.7.1 Command rejected; from=<s@mail.example.org> to=<h@example.jp> proto=ESMTP "
	   "helo=<x>",
	 "smtp_reject", "failure", "192.0.2.151", "1D8CC1CA0A7F", "s@mail.example.org",
	 "h@example.jp", "Command rejected", NULL},
};

static void t_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct dt t;
		dt_init(&t, "syslog");
		const struct row *r = &rows[i];
		assert_int_equal(dt_decode(&t, r->line), MM_DEC_OK);
		assert_string_equal(t.ev.dataset, "mail.postfix");
		assert_true(mm_event_in_logsource(&t.ev, "linux", NULL, "mail"));
#define CHECK(id, v)                                                                     \
	if (v)                                                                           \
		assert_field(&t, id, v);                                                 \
	else                                                                             \
		assert_no_field(&t, id);
		CHECK(MM_F_EVENT_ACTION, r->action)
		CHECK(MM_F_EVENT_OUTCOME, r->outcome)
		CHECK(MM_F_SOURCE_IP, r->ip)
		CHECK(MM_F_EMAIL_LOCAL_ID, r->qid)
		CHECK(MM_F_EMAIL_FROM_ADDRESS, r->from)
		CHECK(MM_F_EMAIL_TO_ADDRESS, r->to)
		CHECK(MM_F_EVENT_REASON, r->reason)
		CHECK(MM_F_USER_NAME, r->user)
#undef CHECK
		assert_verbatim_honest(&t);
		dt_free(&t);
	}
}

static const char *const g_msg[] = {
	"Nov 26 10:00:00 mx1 postfix/smtpd[100]: 3F2A1C0456: client=unknown[203.0.113.5]",
	"Nov 26 10:00:01 mx1 postfix/cleanup[101]: 3F2A1C0456: message-id=<abc@evil.example>",
	"Nov 26 10:00:01 mx1 postfix/qmgr[102]: 3F2A1C0456: from=<spam@evil.example>, size=1234, "
	"nrcpt=3 (queue active)",
	"Nov 26 10:00:02 mx1 postfix/smtp[103]: 3F2A1C0456: to=<a@gmail.example>, "
	"relay=mx.gmail.example[192.0.2.26]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, "
	"status=sent (250 2.0.0 OK)",
	"Nov 26 10:00:02 mx1 postfix/smtp[103]: 3F2A1C0456: to=<b@yahoo.example>, "
	"relay=mx.yahoo.example[192.0.2.27]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.7.1, "
	"status=bounced (host mx.yahoo.example[192.0.2.27] said: 554 5.7.1 listed)",
	"Nov 26 10:00:02 mx1 postfix/smtp[103]: 3F2A1C0456: to=<c@gmail.example>, "
	"relay=mx.gmail.example[192.0.2.26]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, "
	"status=sent (250 2.0.0 OK)",
	"Nov 26 10:00:03 mx1 postfix/qmgr[102]: 3F2A1C0456: removed",
};

static void t_assembly(void **state)
{
	(void)state;
	struct dt t;
	dt_init(&t, "syslog");
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(dt_decode(&t, g_msg[i]), MM_DEC_OK);
	/* qmgr from= carries the client */
	assert_field(&t, MM_F_SOURCE_IP, "203.0.113.5");
	assert_field(&t, MM_F_EMAIL_MESSAGE_ID, "abc@evil.example");
	assert_int_equal(dt_decode(&t, g_msg[3]), MM_DEC_OK);
	/* a delivery line: its recipient and status, and the message's origin */
	assert_field(&t, MM_F_EVENT_ACTION, "delivery");
	assert_field(&t, MM_F_EVENT_OUTCOME, "success");
	assert_field(&t, MM_F_EMAIL_TO_ADDRESS, "a@gmail.example");
	assert_field(&t, MM_F_EMAIL_TO_DOMAIN, "gmail.example");
	assert_field(&t, MM_F_EMAIL_DELIVERY_STATUS, "sent");
	assert_field(&t, MM_F_EMAIL_DELIVERY_TRANSPORT, "smtp");
	assert_field(&t, MM_F_EMAIL_DELIVERY_RELAY, "mx.gmail.example[192.0.2.26]:25");
	assert_field(&t, MM_F_EMAIL_DELIVERY_RESPONSE, "250 2.0.0 OK");
	assert_field(&t, MM_F_SOURCE_IP, "203.0.113.5");
	assert_field(&t, MM_F_EMAIL_FROM_ADDRESS, "spam@evil.example");
	assert_field(&t, MM_F_EMAIL_ORIGIN, "smtpd");
	assert_false(t.ev.flags & MM_EV_VERBATIM);
	assert_int_equal(dt_decode(&t, g_msg[4]), MM_DEC_OK);
	assert_field(&t, MM_F_EVENT_OUTCOME, "failure");
	assert_int_equal(dt_decode(&t, g_msg[5]), MM_DEC_OK);
	assert_int_equal(dt_decode(&t, g_msg[6]), MM_DEC_OK);
	/* removed: the message event */
	assert_field(&t, MM_F_EVENT_ACTION, "message");
	assert_field(&t, MM_F_EMAIL_LOCAL_ID, "3F2A1C0456");
	assert_field(&t, MM_F_EMAIL_TO_COUNT, "3");
	assert_field(&t, MM_F_EMAIL_SIZE, "1234");
	assert_field(&t, MM_F_EMAIL_DELIVERY_STATUS, "partly_bounced");
	assert_field(&t, MM_F_EMAIL_TO_ADDRESS, "a@gmail.example");
	assert_string_equal(dt_named(&t, "email.to.addresses"),
	                    "a@gmail.example, b@yahoo.example, c@gmail.example");
	assert_string_equal(dt_named(&t, "email.to.domains"), "gmail.example, yahoo.example");
	assert_string_equal(dt_named(&t, "email.delivery.sent"), "2");
	assert_string_equal(dt_named(&t, "email.delivery.bounced"), "1");
	/* nothing left for the drain */
	struct mm_event ev;
	mm_event_clear(&ev);
	assert_int_equal(t.dec->drain(&t.ctx, &ev, true), MM_DEC_SKIP);
	dt_free(&t);
}

static void t_drain(void **state)
{
	(void)state;
	struct dt t;
	dt_init(&t, "syslog");
	assert_non_null(t.dec->drain);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(dt_decode(&t, g_msg[i]), MM_DEC_OK);
	struct mm_event ev;
	mm_event_clear(&ev);
	/* not idle yet */
	assert_int_equal(t.dec->drain(&t.ctx, &ev, false), MM_DEC_SKIP);
	/* three hours later (event time) the message is idle past the timeout
	 * (the year is inferred from the reference time 2024-03-15: 2023) */
	assert_int_equal(dt_decode(&t, "Nov 26 13:00:00 mx1 postfix/smtpd[1]: connect from "
	                               "unknown[192.0.2.1]"),
	                 MM_DEC_OK);
	mm_event_clear(&ev);
	assert_int_equal(t.dec->drain(&t.ctx, &ev, false), MM_DEC_OK);
	assert_string_equal(ev.dataset, "mail.postfix");
	char ts[40];
	mm_time_format(ev.ts, ts, sizeof(ts));
	assert_string_equal(ts, "2023-11-26T10:00:02.000Z");
	assert_int_equal(ev.f[MM_F_EMAIL_DELIVERY_STATUS].n, 7); /* "pending" */
	assert_memory_equal(ev.f[MM_F_EMAIL_DELIVERY_STATUS].p, "pending", 7);
	assert_memory_equal(ev.f[MM_F_EMAIL_LOCAL_ID].p, "3F2A1C0456", 10);
	assert_int_equal(ev.line_no, 1); /* evidence: the message's first line */
	assert_true(ev.raw.n > 0 && !memcmp(ev.raw.p, "Nov 26 10:00:00", 15));
	mm_event_clear(&ev);
	assert_int_equal(t.dec->drain(&t.ctx, &ev, false), MM_DEC_SKIP);
	/* end of input: every pending message */
	assert_int_equal(dt_decode(&t, g_msg[0]), MM_DEC_OK);
	mm_event_clear(&ev);
	assert_int_equal(t.dec->drain(&t.ctx, &ev, true), MM_DEC_OK);
	mm_event_clear(&ev);
	assert_int_equal(t.dec->drain(&t.ctx, &ev, true), MM_DEC_SKIP);
	dt_free(&t);
}

/* The pending table's cap pushes the least recently seen message out. */
static void t_cap(void **state)
{
	(void)state;
	struct mm__mailq *q = mm__mailq_new(3, MQ_DEFAULT_IDLE);
	char id[16];
	for (int i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "ABCDEF%04d", i);
		assert_non_null(mm__mailq_get(q, id, strlen(id), (int64_t)i * MM_NS_PER_SEC, true, NULL));
	}
	struct mm__mailq_stats st;
	mm__mailq_stats(q, &st);
	assert_int_equal(st.pending, 3);
	assert_int_equal(st.evicted_cap, 2);
	struct mm__mq_msg *m = mm__mailq_due(q, false);
	assert_non_null(m);
	assert_memory_equal(m->id, "ABCDEF0000", 10);
	m = mm__mailq_due(q, false);
	assert_non_null(m);
	assert_memory_equal(m->id, "ABCDEF0001", 10);
	assert_null(mm__mailq_due(q, false));
	mm__mailq_release(q);
	/* the per-message buffer is capped: a huge value is dropped, counted */
	m = mm__mailq_get(q, "ABCDEF0004", 10, 10 * MM_NS_PER_SEC, false, NULL);
	assert_non_null(m);
	char *big = malloc(MQ_MSG_BYTES + 1);
	memset(big, 'x', MQ_MSG_BYTES + 1);
	mm__mailq_set(q, m, MQ_SUBJECT, mm_slice(big, MQ_MSG_BYTES + 1));
	free(big);
	assert_null(mm__mailq_str(m, MQ_SUBJECT).p);
	mm__mailq_stats(q, &st);
	assert_int_equal(st.dropped_bytes, MQ_MSG_BYTES + 1);
	/* recipients: listed once each, domains distinct */
	for (int i = 0; i < 3; i++)
		mm__mailq_rcpt(q, m, MM_SLICE_LIT("a@x.example"), MM_SLICE_LIT("deferred"));
	mm__mailq_rcpt(q, m, MM_SLICE_LIT("b@x.example"), MM_SLICE_LIT("sent"));
	assert_int_equal(m->rcpts, 2);
	assert_int_equal(m->ndomains, 1);
	assert_int_equal(m->deferred, 3);
	mm__mailq_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_table),
		cmocka_unit_test(t_assembly),
		cmocka_unit_test(t_drain),
		cmocka_unit_test(t_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
