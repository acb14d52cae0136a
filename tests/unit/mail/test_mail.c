/* mamori — unit tests for src/mail/: edit distance and skeletons (lookalike
 * domains), URL extraction from text and HTML and the URL splitter (IDN,
 * userinfo, IP literals), the checker's escaping of attacker text, and the
 * MTA-log analyzer's externality and bulk-sender rules on synthetic events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/mail.h"

#include "../../../src/mail/mail_int.h"

static void t_distance(void **state)
{
	(void)state;
	assert_int_equal(mm_mail_edit_distance("example", 7, "example", 7, 2), 0);
	assert_int_equal(mm_mail_edit_distance("exmaple", 7, "example", 7, 2), 1); /* transposition */
	assert_int_equal(mm_mail_edit_distance("examp1e", 7, "EXAMPLE", 7, 2), 1);
	assert_int_equal(mm_mail_edit_distance("exampl", 6, "example", 7, 2), 1);
	assert_int_equal(mm_mail_edit_distance("abcdefgh", 8, "example", 7, 2), 3); /* capped */
}

static void sk(const char *in, const char *want)
{
	char buf[256];
	assert_true(mm_mail_skeleton(in, strlen(in), buf, sizeof(buf)));
	assert_string_equal(buf, want);
}

static void t_skeleton(void **state)
{
	(void)state;
	sk("example.co.jp", "example.co.jp");
	sk("exarnple.co.jp", "example.co.jp");          /* rn → m */
	sk("examp1e.co.jp", "example.co.jp");           /* 1 → l */
	sk("ex\xd0\xb0mple.co.jp", "example.co.jp");    /* Cyrillic а */
	sk("xn--exmple-4nf.co.jp", "example.co.jp");    /* the same as punycode */
	sk("\xef\xbd\x85xample.co.jp", "example.co.jp"); /* full-width ｅ */
	sk("exampl\xc3\xa9.co.jp", "example.co.jp");    /* é */
	sk("paypa1.com", "paypal.com");
	sk("g00gle.com", "google.com");
	sk("ex\xe3\x80\x82" "co", "ex.co");              /* ideographic full stop */
	char tiny[4];
	assert_false(mm_mail_skeleton("example.com", 11, tiny, sizeof(tiny)));
}

struct urls {
	char u[16][256];
	char t[16][256];
	int n;
};

static void collect(void *ud, const char *url, size_t n, const char *text, size_t tn)
{
	struct urls *c = ud;
	if (c->n >= 16)
		return;
	snprintf(c->u[c->n], 256, "%.*s", (int)n, url);
	snprintf(c->t[c->n], 256, "%.*s", text ? (int)tn : 0, text ? text : "");
	c->n++;
}

static void t_extract(void **state)
{
	(void)state;
	struct urls c = {0};
	const char *txt = "下記URLから本人確認https://exarnple.co.jp/login?id=1。また "
	                  "(www.example.co.jp/help), <http://a.example/x>.";
	mm__urls_text(txt, strlen(txt), collect, &c);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.u[0], "https://exarnple.co.jp/login?id=1"); /* ends at 。 */
	assert_string_equal(c.u[1], "www.example.co.jp/help");
	assert_string_equal(c.u[2], "http://a.example/x");
	memset(&c, 0, sizeof(c));
	const char *html = "<p><A class=x HREF='http://203.0.113.7/a?x=1&amp;y=2'>"
	                   "<b>https://www.example.co.jp</b>/mypage</A></p>"
	                   "<a href=\"mailto:x@y\">mail</a><a name=top>";
	mm__urls_html(html, strlen(html), collect, &c);
	assert_true(c.n >= 1);
	assert_string_equal(c.u[0], "http://203.0.113.7/a?x=1&y=2");
	assert_string_equal(c.t[0], "https://www.example.co.jp/mypage");
}

static void t_parse(void **state)
{
	(void)state;
	struct mm__url_parts p;
	assert_true(mm__url_parse("https://User:pw@WWW.Example.CO.JP:8443/x", 40, &p));
	assert_string_equal(p.scheme, "https");
	assert_string_equal(p.host, "www.example.co.jp");
	assert_true(p.userinfo);
	assert_false(p.ip_literal);
	const char *idn = "https://ex\xd0\xb0mple.co.jp/secure";
	assert_true(mm__url_parse(idn, strlen(idn), &p));
	assert_string_equal(p.host, "xn--exmple-4nf.co.jp");
	assert_true(p.idn);
	assert_true(mm__url_parse("http://[2001:db8::1]:80/", 24, &p));
	assert_true(p.ip_literal);
	assert_string_equal(p.host, "2001:db8::1");
	assert_true(mm__url_parse("http://3232235777/", 18, &p)); /* a bare integer host */
	assert_true(p.ip_literal);
	assert_true(mm__url_parse("www.example.com.", 16, &p));
	assert_string_equal(p.host, "www.example.com");
	assert_false(mm__url_parse("http:///path", 12, &p));
}

static void t_escape(void **state)
{
	(void)state;
	struct mm_buf b;
	mm_buf_init(&b, 0);
	const char *s = "a\x1b[31m\xe2\x80\xae" "b\"\\\xff";
	mm_mail_json_escape(&b, s, strlen(s));
	assert_string_equal(b.p, "a\\u001b[31m\\u202eb\\\"\\\\\\ufffd");
	mm_buf_free(&b);
}

static void t_check(void **state)
{
	(void)state;
	static const char *const own[] = {"example.co.jp"};
	struct mm_mail_check_opts o = {.own_domains = own, .nown_domains = 1};
	struct mm_mail_checker *c = mm_mail_checker_new(&o, NULL);
	assert_non_null(c);
	const char *msg = "From: =?UTF-8?B?5qCq5byP5Lya56S+RXhhbXBsZQ==?= <x@mail.test>\r\n"
	                  "Subject: =?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=\r\n"
	                  "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
	                  "Visit https://exarnple.co.jp/login now\r\n";
	struct mm_buf out;
	mm_buf_init(&out, 0);
	struct mm_mail_verdict v;
	struct mm_error err;
	assert_int_equal(mm_mail_check(c, "t.eml", msg, strlen(msg), &out, &v, &err), MM_OK);
	assert_string_equal(v.subject, "テスト");
	assert_string_equal(v.verdict, "phishing"); /* lookalike 60 + display name 40 */
	assert_non_null(strstr(v.reasons, "lookalike_homoglyph"));
	assert_non_null(strstr(v.reasons, "display_name_spoof"));
	assert_string_equal(v.url_domain, "exarnple.co.jp");
	assert_ptr_equal(v.rule, mm_mail_rule_find("mail_message_phishing"));
	/* over the size cap: an error, not a verdict */
	struct mm_mail_check_opts small = {.max_bytes = 10};
	struct mm_mail_checker *c2 = mm_mail_checker_new(&small, NULL);
	mm_buf_reset(&out);
	assert_int_equal(mm_mail_check(c2, "t.eml", msg, strlen(msg), &out, &v, &err), MM_ELIMIT);
	mm_mail_checker_free(c2);
	mm_buf_free(&out);
	mm_mail_checker_free(c);
}

/* ---- analyzer on synthetic delivery events ---- */

static int g_fired;
static const char *g_rule;
static void on_res(void *ud, const struct mm_corr_result *r, const struct mm_event *ev)
{
	(void)ud;
	(void)ev;
	g_fired++;
	g_rule = r->rule->name;
}

static void deliver(struct mm_mail_an *a, int64_t ts, const char *ip, const char *user,
                    const char *to, const char *transport)
{
	struct mm_event ev;
	mm_event_clear(&ev);
	ev.ts = ts;
	ev.dataset = "mail.postfix";
	ev.f[MM_F_EVENT_ACTION] = MM_SLICE_LIT("delivery");
	ev.f[MM_F_EMAIL_DELIVERY_STATUS] = MM_SLICE_LIT("sent");
	ev.f[MM_F_SOURCE_IP] = mm_slice_cstr(ip);
	ev.f[MM_F_USER_NAME] = mm_slice_cstr(user);
	ev.f[MM_F_EMAIL_TO_ADDRESS] = mm_slice_cstr(to);
	ev.f[MM_F_EMAIL_TO_DOMAIN] = mm_slice_cstr(strchr(to, '@') + 1);
	ev.f[MM_F_EMAIL_FROM_ADDRESS] = MM_SLICE_LIT("s@shop.example.jp");
	ev.f[MM_F_EMAIL_FROM_DOMAIN] = MM_SLICE_LIT("shop.example.jp");
	ev.f[MM_F_EMAIL_DELIVERY_TRANSPORT] = mm_slice_cstr(transport);
	mm_mail_an_observe(a, &ev, on_res, NULL);
}

static void t_analyzer(void **state)
{
	(void)state;
	static const char *const own[] = {"example.jp"};
	static const char *const bulk[] = {"@shop.example.jp"};
	struct mm_mail_opts o = {.own_domains = own, .nown_domains = 1};
	/* own-domain recipients relayed over SMTP (a gateway to the internal
	 * server) are not external: no relay alert */
	struct mm_mail_an *a = mm_mail_an_new(&o);
	g_fired = 0;
	for (int i = 0; i < 10; i++)
		deliver(a, (int64_t)i * MM_NS_PER_SEC, "203.0.113.5", NULL, "u@mail.example.jp", "smtp");
	mm_mail_an_flush(a, on_res, NULL);
	assert_int_equal(g_fired, 0);
	mm_mail_an_free(a);
	/* the same to outside domains is a relay */
	a = mm_mail_an_new(&o);
	for (int i = 0; i < 10; i++)
		deliver(a, (int64_t)i * MM_NS_PER_SEC, "203.0.113.5", NULL, "u@gmail.example", "smtp");
	mm_mail_an_flush(a, on_res, NULL);
	assert_int_equal(g_fired, 1);
	assert_string_equal(g_rule, "mail_unauthenticated_relay");
	mm_mail_an_free(a);
	/* a quiet sender's mass mailing, silenced by a bulk-sender entry */
	char to[64];
	for (int pass = 0; pass < 2; pass++) {
		struct mm_mail_opts ob = o;
		if (pass) {
			ob.bulk_senders = bulk;
			ob.nbulk_senders = 1;
		}
		a = mm_mail_an_new(&ob);
		g_fired = 0;
		for (int i = 0; i < 150; i++) {
			snprintf(to, sizeof(to), "c%d@d%d.example", i, i % 12);
			deliver(a, (int64_t)i * 10 * MM_NS_PER_SEC, "10.0.0.5", NULL, to, "smtp");
		}
		mm_mail_an_flush(a, on_res, NULL);
		assert_int_equal(g_fired, pass ? 0 : 1);
		if (!pass)
			assert_string_equal(g_rule, "mail_quiet_sender_mass_mailing");
		mm_mail_an_free(a);
	}
	/* other datasets are not looked at */
	a = mm_mail_an_new(NULL);
	struct mm_event ev;
	mm_event_clear(&ev);
	ev.ts = 1;
	ev.dataset = "linux.sshd";
	assert_int_equal(mm_mail_an_observe(a, &ev, on_res, NULL), 0);
	struct mm_mail_an_stats st;
	mm_mail_an_stats(a, &st);
	assert_int_equal(st.deliveries, 0);
	mm_mail_an_free(a);
	assert_null(mm_mail_rule_find("no-such-rule"));
	assert_int_equal(mm_mail_rule_count(), MM__MR_COUNT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_distance), cmocka_unit_test(t_skeleton), cmocka_unit_test(t_extract),
		cmocka_unit_test(t_parse),    cmocka_unit_test(t_escape),   cmocka_unit_test(t_check),
		cmocka_unit_test(t_analyzer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
