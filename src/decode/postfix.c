/* mamori — Postfix message decoder: turns the MSG part of a Postfix syslog
 * line into ECS email.* / source.* / event.* fields with a fixed action
 * vocabulary (docs/mail.md), and assembles one message event per queue ID
 * (smtpd client= → cleanup message-id= → qmgr from= → deliveries → removed).
 * Pipeline position: called by the syslog decoder for Postfix programs.
 * Message texts follow Postfix's smtpd.c, smtpd_check.c, qmgr_active.c,
 * log_adhoc.c ("to=<…>, relay=…, delay=…, dsn=…, status=… (…)"),
 * postscreen.c and anvil.c; each parser below names the line it reads. */
#include "dec_util.h"
#include "mailq.h"
#include "postfix.h"

#include <stdlib.h>

struct mm__postfix_state {
	struct mm__mailq *q; /* created on the first Postfix line */
};

struct mm__postfix_state *mm__postfix_state_new(void)
{
	return mm_calloc(1, sizeof(struct mm__postfix_state));
}

void mm__postfix_state_free(struct mm__postfix_state *st)
{
	if (!st)
		return;
	mm__mailq_free(st->q);
	free(st);
}

static const char *const g_services_pf[] = {"postfix", "mail", "syslog"};
static const char *const g_services_ex[] = {"exim", "mail", "syslog"};

void mm__mail_logsource(struct mm_event *ev, bool exim)
{
	const char *const *s = exim ? g_services_ex : g_services_pf;
	ev->product = "linux";
	for (int i = 0; i < 3; i++)
		ev->service[i] = s[i];
	ev->dataset = exim ? "mail.exim" : "mail.postfix";
}

bool mm__postfix_tag(struct mm_slice tag, struct mm_slice *prog)
{
	if (tag.n < 9 || memcmp(tag.p, "postfix", 7) != 0 || (tag.p[7] != '/' && tag.p[7] != '-'))
		return false;
	size_t i = tag.n;
	while (i > 0 && tag.p[i - 1] != '/')
		i--;
	if (i == 0 || i == tag.n)
		return false;
	*prog = mm_slice(tag.p + i, tag.n - i);
	return true;
}

/* ---- small scanners ------------------------------------------------------ */

static bool qid_char(char c)
{
	return dec_digit(c) || dec_alpha(c);
}

/* "QUEUEID: " at the start: short IDs are upper-case hex, long IDs
 * (enable_long_queue_ids) base-52 with digits; words like "warning" have
 * neither digits nor only hex capitals. Returns the ID length or 0. */
static size_t queue_id(const char *p, size_t n)
{
	size_t i = 0;
	bool digit = false, hex_upper = true;
	while (i < n && i < 24 && qid_char(p[i])) {
		if (dec_digit(p[i]))
			digit = true;
		else if (!(p[i] >= 'A' && p[i] <= 'F'))
			hex_upper = false;
		i++;
	}
	if (i < 5 || i + 1 >= n || p[i] != ':' || p[i + 1] != ' ')
		return 0;
	if (!(digit || hex_upper))
		return 0;
	return i;
}

/* "HOST[IP]" ending at or after p[from]: finds the first '[' followed by an
 * IP address and ']' and sets host (the token before '[') and ip. */
static bool find_client(const char *p, size_t n, size_t from, struct mm_slice *host,
                        struct mm_slice *ip, size_t *end)
{
	for (size_t i = from; i < n; i++) {
		if (p[i] != '[')
			continue;
		const char *rb = memchr(p + i + 1, ']', n - i - 1);
		if (!rb)
			return false;
		size_t ipn = (size_t)(rb - (p + i + 1));
		if (ipn == 0 || ipn > 45 || !dec_is_ip(p + i + 1, ipn)) {
			continue;
		}
		size_t hs = i;
		while (hs > from && p[hs - 1] != ' ' && p[hs - 1] != '(' && p[hs - 1] != ',')
			hs--;
		*host = hs < i ? mm_slice(p + hs, i - hs) : MM_SLICE_NULL;
		*ip = mm_slice(p + i + 1, ipn);
		if (end)
			*end = (size_t)(rb - p) + 1;
		return true;
	}
	return false;
}

static void set_client(struct mm_event *ev, const char *p, size_t n, size_t from)
{
	struct mm_slice host, ip;
	size_t end;
	if (!find_client(p, n, from, &host, &ip, &end))
		return;
	ev->f[MM_F_SOURCE_IP] = ip;
	if (host.p && !mm_slice_eq_cstr(host, "unknown"))
		ev->f[MM_F_SOURCE_DOMAIN] = host;
	/* postscreen writes "[IP]:PORT" */
	if (end + 1 < n && p[end] == ':' && dec_digit(p[end + 1])) {
		size_t j = end + 1;
		int64_t port;
		if (dec_uint(p, n, &j, 5, &port) && port <= 65535)
			ev->f[MM_F_SOURCE_PORT] = mm_slice(p + end + 1, j - end - 1);
	}
}

/* Value of "key=" in p[from..n): "<addr>" without the brackets, or up to
 * the next ',' / ';' / ' '. */
static struct mm_slice kv_find(const char *p, size_t n, size_t from, const char *key)
{
	size_t kl = strlen(key);
	for (size_t i = from; i + kl < n; i++) {
		if ((i == from || p[i - 1] == ' ' || p[i - 1] == ',') && !memcmp(p + i, key, kl) &&
		    p[i + kl] == '=') {
			size_t s = i + kl + 1, e = s;
			if (s < n && p[s] == '<') {
				const char *gt = memchr(p + s, '>', n - s);
				if (!gt)
					return MM_SLICE_NULL;
				return mm_slice(p + s + 1, (size_t)(gt - p) - s - 1);
			}
			while (e < n && p[e] != ',' && p[e] != ';' && p[e] != ' ')
				e++;
			return mm_slice(p + s, e - s);
		}
	}
	return MM_SLICE_NULL;
}

static void set_addr(struct mm_event *ev, enum mm_field_id addr, enum mm_field_id dom,
                     struct mm_slice v)
{
	if (!v.p || v.n == 0)
		return; /* from=<> is the null sender (a bounce) */
	ev->f[addr] = v;
	struct mm_slice d = mm__mail_domain(v);
	if (d.p)
		ev->f[dom] = d;
}

/* "… from HOST[IP]: 554 5.7.1 <x>: Relay access denied; from=<…> to=<…>"
 * → code, DSN, reason (smtpd_check.c smtpd_reject: "CODE DSN TEXT"; the
 * code is absent on discard/hold/filter lines). The reason runs to the
 * key=value tail ("; from=<", "; to=<", "; proto=", postscreen's ", from=<"). */
static void reject_text(struct mm_event *ev, const char *p, size_t n, size_t i)
{
	struct mm_slice host, ip;
	size_t end;
	if (!find_client(p, n, i, &host, &ip, &end))
		return;
	i = end;
	if (i < n && p[i] == ':' && i + 1 < n && dec_digit(p[i + 1])) { /* [IP]:PORT */
		i++;
		while (i < n && dec_digit(p[i]))
			i++;
	}
	if (!DEC_AT(p, n, i, ": "))
		return;
	i += 2;
	if (i + 3 < n && dec_digit(p[i]) && dec_digit(p[i + 1]) && dec_digit(p[i + 2]) &&
	    p[i + 3] == ' ') {
		ev->f[MM_F_EVENT_CODE] = mm_slice(p + i, 3);
		i += 4;
		size_t ds = i;
		while (i < n && (dec_digit(p[i]) || p[i] == '.'))
			i++;
		if (i > ds && i < n && p[i] == ' ') {
			ev->f[MM_F_EMAIL_DELIVERY_DSN] = mm_slice(p + ds, i - ds);
			i++;
		} else {
			i = ds;
		}
	}
	/* "<x>: " names the rejected thing; the reason follows */
	if (i < n && p[i] == '<') {
		const char *gt = memchr(p + i, '>', n - i);
		if (gt && (size_t)(gt - p) + 2 < n && gt[1] == ':' && gt[2] == ' ')
			i = (size_t)(gt - p) + 3;
	}
	size_t e = n;
	static const char *const tails[] = {"; from=<", "; to=<", "; proto=", "; helo=<", ", from=<"};
	for (size_t k = 0; k < MM_ARRAY_LEN(tails); k++)
		e = MM_MIN(e, dec_find(p, n, i, tails[k], strlen(tails[k])));
	while (e > i && (p[e - 1] == ' ' || p[e - 1] == ';'))
		e--;
	/* "Service unavailable; client [IP] blocked using zen.spamhaus.org": the
	 * reason is what the DNSBL check said */
	if (DEC_AT(p, n, i, "Service unavailable; ")) {
		size_t rb = DEC_FIND(p, n, i, "] ");
		if (rb < e)
			i = rb + 2;
	}
	if (e > i)
		ev->f[MM_F_EVENT_REASON] = mm_slice(p + i, e - i);
}

/* A remote server's reply: "… said: 550 5.1.1 … (in reply to RCPT TO command)"
 * or "… refused to talk to me: 450 …", without the "(in reply to …)" note. */
static bool remote_said(struct mm_event *ev, const char *p, size_t n, size_t i)
{
	size_t s = DEC_FIND(p, n, i, " said: "), sl = 7;
	if (s == n) {
		s = DEC_FIND(p, n, i, " refused to talk to me: ");
		sl = 24;
	}
	if (s == n)
		return false;
	s += sl;
	size_t e = n;
	if (e > s && p[e - 1] == ')') {
		size_t k = e;
		while (k > s && p[k - 1] != '(')
			k--;
		if (k > s + 1 && DEC_AT(p, n, k, "in reply to ") && p[k - 2] == ' ')
			e = k - 2;
	}
	ev->f[MM_F_EMAIL_DELIVERY_RESPONSE] = mm_slice(p + s, e - s);
	if (s + 3 < n && dec_digit(p[s]) && dec_digit(p[s + 1]) && dec_digit(p[s + 2]))
		ev->f[MM_F_EVENT_CODE] = mm_slice(p + s, 3);
	return true;
}

static void set_action(struct mm_event *ev, const char *action, const char *cat,
                       const char *outcome)
{
	ev->f[MM_F_EVENT_ACTION] = mm_slice_cstr(action);
	if (cat)
		ev->f[MM_F_EVENT_CATEGORY] = mm_slice_cstr(cat);
	if (outcome)
		ev->f[MM_F_EVENT_OUTCOME] = mm_slice_cstr(outcome);
}

/* "reject: RCPT from HOST[IP]: …", "milter-reject: …", "reject_warning: …",
 * "discard: …", "hold: …" (smtpd_check.c, cleanup_milter.c). */
static bool reject_line(struct mm_event *ev, const char *p, size_t n, size_t i)
{
	static const struct {
		const char *w;
		const char *action;
	} kinds[] = {
		{"reject: ", "smtp_reject"},         {"milter-reject: ", "smtp_reject"},
		{"reject_warning: ", "smtp_reject_warning"}, {"discard: ", "smtp_discard"},
		{"hold: ", "smtp_hold"},             {"filter: ", "smtp_filter"},
		{"redirect: ", "smtp_redirect"},     {"warning: header ", "header_warning"},
	};
	for (size_t k = 0; k < MM_ARRAY_LEN(kinds); k++) {
		size_t wl = strlen(kinds[k].w);
		if (!dec_at(p, n, i, kinds[k].w, wl))
			continue;
		bool rej = !strcmp(kinds[k].action, "smtp_reject");
		set_action(ev, kinds[k].action, "email", rej ? "failure" : NULL);
		size_t j = i + wl;
		/* "RCPT from" / "DATA from" / "CONNECT from": the SMTP stage */
		size_t sp = j;
		while (sp < n && p[sp] != ' ')
			sp++;
		if (sp > j && sp - j <= 12)
			ev->f[MM_F_NETWORK_PROTOCOL] = MM_SLICE_LIT("smtp");
		set_client(ev, p, n, j);
		if (k != MM_ARRAY_LEN(kinds) - 1)
			reject_text(ev, p, n, j);
		set_addr(ev, MM_F_EMAIL_FROM_ADDRESS, MM_F_EMAIL_FROM_DOMAIN, kv_find(p, n, j, "from"));
		set_addr(ev, MM_F_EMAIL_TO_ADDRESS, MM_F_EMAIL_TO_DOMAIN, kv_find(p, n, j, "to"));
		if (k == MM_ARRAY_LEN(kinds) - 1 && DEC_AT(p, n, j, "Subject: ")) {
			/* header_checks WARN on Subject: the subject is logged */
			size_t s = j + 9, e = DEC_FIND(p, n, s, " from ");
			if (e > s)
				ev->f[MM_F_EMAIL_SUBJECT] = mm_slice(p + s, e - s);
		}
		return true;
	}
	return false;
}

/* log_adhoc.c: "to=<r>, [orig_to=<o>,] relay=R, [conn_use=N,] delay=D,
 * delays=a/b/c/d, dsn=X.Y.Z, status=S (TEXT)". */
static bool delivery_line(struct mm_event *ev, struct mm_slice prog, const char *p, size_t n,
                          size_t i, struct mm_slice *rcpt, struct mm_slice *status)
{
	if (!DEC_AT(p, n, i, "to="))
		return false;
	size_t st = DEC_FIND(p, n, i, " status=");
	if (st == n)
		return false;
	set_addr(ev, MM_F_EMAIL_TO_ADDRESS, MM_F_EMAIL_TO_DOMAIN, kv_find(p, n, i, "to"));
	struct mm_slice relay = kv_find(p, n, i, "relay");
	if (relay.p)
		ev->f[MM_F_EMAIL_DELIVERY_RELAY] = relay;
	struct mm_slice dsn = kv_find(p, n, i, "dsn");
	if (dsn.p)
		ev->f[MM_F_EMAIL_DELIVERY_DSN] = dsn;
	size_t s = st + 8, e = s;
	while (e < n && p[e] != ' ' && p[e] != ',')
		e++;
	*status = mm_slice(p + s, e - s);
	*rcpt = ev->f[MM_F_EMAIL_TO_ADDRESS];
	ev->f[MM_F_EMAIL_DELIVERY_STATUS] = *status;
	if (e + 1 < n && p[e] == ' ' && p[e + 1] == '(' && p[n - 1] == ')')
		ev->f[MM_F_EMAIL_DELIVERY_RESPONSE] = mm_slice(p + e + 2, n - e - 3);
	ev->f[MM_F_EMAIL_DELIVERY_TRANSPORT] = prog;
	const char *oc = mm_slice_eq_cstr(*status, "sent")       ? "success"
	                 : mm_slice_eq_cstr(*status, "deferred") ? "unknown"
	                                                         : "failure";
	set_action(ev, "delivery", "email", oc);
	return true;
}

/* "client=HOST[IP][, sasl_method=M, sasl_username=U[, sasl_sender=S]]" */
static void client_line(struct mm_event *ev, const char *p, size_t n, size_t i)
{
	set_action(ev, "smtp_client", "email", NULL);
	set_client(ev, p, n, i);
	struct mm_slice m = kv_find(p, n, i, "sasl_method"), u = kv_find(p, n, i, "sasl_username");
	if (m.p)
		ev->f[MM_F_EMAIL_AUTH_METHOD] = m;
	if (u.p && u.n)
		ev->f[MM_F_USER_NAME] = u;
	ev->f[MM_F_EMAIL_ORIGIN] = MM_SLICE_LIT("smtpd");
}

/* "warning: HOST[IP]: SASL LOGIN authentication failed: REASON[, sasl_username=U]" */
static bool sasl_fail(struct mm_event *ev, const char *p, size_t n, size_t i)
{
	size_t k = DEC_FIND(p, n, i, ": SASL ");
	if (k == n)
		return false;
	size_t m = k + 7, me = m;
	while (me < n && p[me] != ' ')
		me++;
	if (!DEC_AT(p, n, me, " authentication failed"))
		return false;
	set_action(ev, "sasl_login", "authentication", "failure");
	set_client(ev, p, n, i);
	ev->f[MM_F_EMAIL_AUTH_METHOD] = mm_slice(p + m, me - m);
	size_t r = me + 22;
	if (r + 1 < n && p[r] == ':') {
		size_t e = DEC_FIND(p, n, r + 2, ", sasl_username=");
		if (e > r + 2)
			ev->f[MM_F_EVENT_REASON] = mm_slice(p + r + 2, e - r - 2);
	}
	struct mm_slice u = kv_find(p, n, i, "sasl_username");
	if (u.p && u.n)
		ev->f[MM_F_USER_NAME] = u;
	return true;
}

/* ---- per program ---------------------------------------------------------- */

static void smtpd_noqid(struct mm_event *ev, const char *p, size_t n)
{
	if (DEC_AT(p, n, 0, "connect from ")) {
		set_action(ev, "smtp_connect", "network", NULL);
		set_client(ev, p, n, 13);
	} else if (DEC_AT(p, n, 0, "disconnect from ")) {
		set_action(ev, "smtp_disconnect", "network", NULL);
		set_client(ev, p, n, 16);
		/* "auth=0/1": AUTH commands ok/total (Postfix ≥ 3.0) */
		struct mm_slice a = kv_find(p, n, 16, "auth");
		if (a.p) {
			const char *sl = memchr(a.p, '/', a.n);
			if (sl && (size_t)(sl - a.p) + 1 < a.n && !mm_slice_eq(mm_slice(a.p, (size_t)(sl - a.p)),
			                                                     mm_slice(sl + 1, a.n - (size_t)(sl - a.p) - 1)))
				ev->f[MM_F_EVENT_REASON] = MM_SLICE_LIT("auth_failed");
		}
	} else if (DEC_AT(p, n, 0, "lost connection after ")) {
		set_action(ev, "smtp_lost_connection", "network", NULL);
		set_client(ev, p, n, 22);
	} else if (DEC_AT(p, n, 0, "timeout after ")) {
		set_action(ev, "smtp_timeout", "network", NULL);
		set_client(ev, p, n, 14);
	} else if (DEC_AT(p, n, 0, "warning: ")) {
		if (!sasl_fail(ev, p, n, 9)) {
			set_action(ev, "warning", NULL, NULL);
			set_client(ev, p, n, 9);
			/* "warning: hostname H does not resolve to address IP[: …]" (FCrDNS) */
			size_t k = DEC_FIND(p, n, 9, " does not resolve to address ");
			if (!ev->f[MM_F_SOURCE_IP].p && k < n) {
				size_t s = k + 29, e = s;
				while (e < n && p[e] != ':' && p[e] != ' ')
					e++;
				/* an IPv6 address has colons: take the longest IP prefix */
				while (e < n && p[e] == ':' && !dec_is_ip(p + s, e - s)) {
					e++;
					while (e < n && p[e] != ':' && p[e] != ' ')
						e++;
				}
				if (dec_is_ip(p + s, e - s)) {
					ev->f[MM_F_SOURCE_IP] = mm_slice(p + s, e - s);
					ev->f[MM_F_EVENT_REASON] = MM_SLICE_LIT("reverse_dns_mismatch");
				}
			}
		}
	} else if (DEC_AT(p, n, 0, "improper command pipelining")) {
		set_action(ev, "smtp_pipelining", "network", NULL);
		set_client(ev, p, n, 27);
	} else {
		set_client(ev, p, n, 0);
	}
}

static void postscreen(struct mm_event *ev, const char *p, size_t n)
{
	static const struct {
		const char *w, *action;
	} words[] = {
		{"CONNECT from ", "postscreen_connect"}, {"PASS NEW ", "postscreen_pass"},
		{"PASS OLD ", "postscreen_pass"},        {"DNSBL rank ", "postscreen_dnsbl"},
		{"PREGREET ", "postscreen_pregreet"},    {"HANGUP ", "postscreen_hangup"},
		{"DISCONNECT ", "postscreen_disconnect"}, {"COMMAND ", "postscreen_command"},
		{"BARE NEWLINE ", "postscreen_bare_newline"}, {"WHITELISTED ", "postscreen_allowlisted"},
		{"ALLOWLISTED ", "postscreen_allowlisted"}, {"BLACKLISTED ", "postscreen_denylisted"},
		{"DENYLISTED ", "postscreen_denylisted"}, {"NON-SMTP COMMAND ", "postscreen_command"},
	};
	for (size_t k = 0; k < MM_ARRAY_LEN(words); k++)
		if (dec_at(p, n, 0, words[k].w, strlen(words[k].w))) {
			set_action(ev, words[k].action, "network", NULL);
			break;
		}
	if (DEC_AT(p, n, 0, "NOQUEUE: "))
		reject_line(ev, p, n, 9);
	set_client(ev, p, n, 0);
}

static void on_delivery(struct mm__postfix_state *st, struct mm__mq_msg *m, struct mm_slice rcpt,
                        struct mm_slice status)
{
	if (m && st && st->q)
		mm__mailq_rcpt(st->q, m, rcpt, status);
}

static bool pf_decode(struct mm_decode_ctx *ctx, struct mm__postfix_state *st,
                      struct mm_slice prog, const char *p, size_t n, struct mm_event *ev)
{
	bool copied = false;
	mm__mail_logsource(ev, false);
	if (st) {
		if (!st->q)
			st->q = mm__mailq_new(MQ_DEFAULT_CAP, MQ_DEFAULT_IDLE);
		mm__mailq_release(st->q);
		mm__mailq_tick(st->q, ev->ts);
	}
	bool smtpd = mm_slice_eq_cstr(prog, "smtpd");
	if (mm_slice_eq_cstr(prog, "postscreen")) {
		postscreen(ev, p, n);
		return copied;
	}
	if (mm_slice_eq_cstr(prog, "anvil")) {
		/* "statistics: max connection rate 1/60s for (smtp:1.2.3.4) at …" */
		set_action(ev, "anvil_statistics", NULL, NULL);
		/* "(service:IP)" or "(addr:port:IP)" (anvil's ident) */
		size_t k = DEC_FIND(p, n, 0, " for (");
		const char *rp = k < n ? memchr(p + k, ')', n - k) : NULL;
		if (rp) {
			const char *s0 = p + k + 6;
			const char *c1 = memchr(s0, ':', (size_t)(rp - s0));
			if (c1 && dec_is_ip(c1 + 1, (size_t)(rp - c1 - 1))) {
				ev->f[MM_F_SOURCE_IP] = mm_slice(c1 + 1, (size_t)(rp - c1 - 1));
			} else {
				const char *cl = rp;
				while (cl > s0 && cl[-1] != ':')
					cl--;
				if (cl > s0 && dec_is_ip(cl, (size_t)(rp - cl)))
					ev->f[MM_F_SOURCE_IP] = mm_slice(cl, (size_t)(rp - cl));
			}
		}
		return copied;
	}
	if (mm_slice_eq_cstr(prog, "dnsblog") && DEC_AT(p, n, 0, "addr ")) {
		/* "addr IP listed by domain zen.spamhaus.org as 127.0.0.2" */
		set_action(ev, "dnsbl_listed", "network", NULL);
		size_t e = 5;
		while (e < n && p[e] != ' ')
			e++;
		if (dec_is_ip(p + 5, e - 5))
			ev->f[MM_F_SOURCE_IP] = mm_slice(p + 5, e - 5);
		size_t d = DEC_FIND(p, n, e, " listed by domain ");
		if (d < n) {
			size_t ds = d + 18, de = ds;
			while (de < n && p[de] != ' ')
				de++;
			ev->f[MM_F_EVENT_REASON] = mm_slice(p + ds, de - ds);
		}
		return copied;
	}
	if (mm_slice_eq_cstr(prog, "tlsproxy")) {
		set_client(ev, p, n, 0);
		return copied;
	}
	if (DEC_AT(p, n, 0, "warning: ") && queue_id(p + 9, n - 9)) {
		/* "warning: QID: sender_canonical_maps map lookup problem …" */
		set_action(ev, "warning", NULL, NULL);
		ev->f[MM_F_EMAIL_LOCAL_ID] = mm_slice(p + 9, queue_id(p + 9, n - 9));
		return copied;
	}
	if (DEC_AT(p, n, 0, "NOQUEUE: ")) {
		if (!reject_line(ev, p, n, 9))
			set_client(ev, p, n, 9);
		return copied;
	}
	size_t ql = queue_id(p, n);
	if (!ql) {
		if (smtpd)
			smtpd_noqid(ev, p, n);
		else if (DEC_AT(p, n, 0, "warning: ") && !sasl_fail(ev, p, n, 9))
			set_action(ev, "warning", NULL, NULL);
		return copied;
	}
	struct mm_slice qid = mm_slice(p, ql);
	ev->f[MM_F_EMAIL_LOCAL_ID] = qid;
	size_t i = ql + 2;
	struct mm__mailq *q = st ? st->q : NULL;
	struct mm__mq_msg *m = NULL;
	if (DEC_AT(p, n, i, "client=")) {
		client_line(ev, p, n, i + 7);
		if (q && (m = mm__mailq_get(q, p, ql, ev->ts, true, ev))) {
			mm__mailq_set(q, m, MQ_CLIENT_IP, ev->f[MM_F_SOURCE_IP]);
			mm__mailq_set(q, m, MQ_CLIENT_HOST, ev->f[MM_F_SOURCE_DOMAIN]);
			mm__mailq_set(q, m, MQ_SASL_METHOD, ev->f[MM_F_EMAIL_AUTH_METHOD]);
			mm__mailq_set(q, m, MQ_SASL_USER, ev->f[MM_F_USER_NAME]);
			mm__mailq_set(q, m, MQ_ORIGIN, MM_SLICE_LIT("smtpd"));
			mm__mailq_set(q, m, MQ_HOST, ev->f[MM_F_HOST_HOSTNAME]);
		}
		return copied;
	}
	if (DEC_AT(p, n, i, "uid=") && mm_slice_eq_cstr(prog, "pickup")) {
		/* pickup.c: "uid=33 from=<www-data>": a local submission (sendmail(1),
		 * PHP mail()): the uid says which local account sent it */
		set_action(ev, "pickup", "email", NULL);
		struct mm_slice uid = kv_find(p, n, i, "uid");
		if (uid.p)
			ev->f[MM_F_USER_ID] = uid;
		set_addr(ev, MM_F_EMAIL_FROM_ADDRESS, MM_F_EMAIL_FROM_DOMAIN, kv_find(p, n, i, "from"));
		ev->f[MM_F_EMAIL_ORIGIN] = MM_SLICE_LIT("pickup");
		if (q && (m = mm__mailq_get(q, p, ql, ev->ts, true, ev))) {
			mm__mailq_set(q, m, MQ_UID, uid);
			mm__mailq_set(q, m, MQ_ORIGIN, MM_SLICE_LIT("pickup"));
			mm__mailq_set(q, m, MQ_FROM, ev->f[MM_F_EMAIL_FROM_ADDRESS]);
			mm__mailq_set(q, m, MQ_FROM_DOMAIN, ev->f[MM_F_EMAIL_FROM_DOMAIN]);
			mm__mailq_set(q, m, MQ_HOST, ev->f[MM_F_HOST_HOSTNAME]);
		}
		return copied;
	}
	if (DEC_AT(p, n, i, "message-id=")) {
		set_action(ev, "message_id", "email", NULL);
		struct mm_slice v = mm_slice(p + i + 11, n - i - 11);
		if (v.n >= 2 && v.p[0] == '<' && v.p[v.n - 1] == '>')
			v = mm_slice(v.p + 1, v.n - 2);
		if (v.n)
			ev->f[MM_F_EMAIL_MESSAGE_ID] = v;
		if (q && v.n && (m = mm__mailq_get(q, p, ql, ev->ts, true, ev)))
			mm__mailq_set(q, m, MQ_MSGID, v);
		return copied;
	}
	if (DEC_AT(p, n, i, "removed")) {
		if (q && (m = mm__mailq_get(q, p, ql, ev->ts, false, NULL))) {
			mm__mailq_remove(q, m);
			mm__mailq_fill(ctx, m, ev, true);
			copied = true;
		} else {
			set_action(ev, "message", "email", "unknown");
		}
		return copied;
	}
	if (DEC_AT(p, n, i, "from=<")) {
		/* qmgr: "from=<s>, size=N, nrcpt=M (queue active)" or
		 * "from=<s>, status=expired, returned to sender" */
		struct mm_slice from = kv_find(p, n, i, "from");
		set_addr(ev, MM_F_EMAIL_FROM_ADDRESS, MM_F_EMAIL_FROM_DOMAIN, from);
		struct mm_slice size = kv_find(p, n, i, "size"), nr = kv_find(p, n, i, "nrcpt");
		struct mm_slice status = kv_find(p, n, i, "status");
		if (size.p)
			ev->f[MM_F_EMAIL_SIZE] = size;
		if (nr.p)
			ev->f[MM_F_EMAIL_TO_COUNT] = nr;
		if (status.p) {
			ev->f[MM_F_EMAIL_DELIVERY_STATUS] = status;
			set_action(ev, "expired", "email", "failure");
		} else {
			set_action(ev, "queued", "email", NULL);
		}
		if (q && (m = mm__mailq_get(q, p, ql, ev->ts, true, ev))) {
			mm__mailq_set(q, m, MQ_FROM, ev->f[MM_F_EMAIL_FROM_ADDRESS]);
			mm__mailq_set(q, m, MQ_FROM_DOMAIN, ev->f[MM_F_EMAIL_FROM_DOMAIN]);
			if (!mm__mailq_str(m, MQ_HOST).p)
				mm__mailq_set(q, m, MQ_HOST, ev->f[MM_F_HOST_HOSTNAME]);
			int64_t v;
			if (size.p && !mm_slice_to_i64(size, &v))
				m->size = v;
			if (nr.p && !mm_slice_to_i64(nr, &v))
				m->nrcpt = v;
			if (status.p)
				m->bounced += m->rcpts ? 0 : 1;
			mm__mailq_origin(m, ev);
			copied = true;
		}
		return copied;
	}
	struct mm_slice rcpt, status;
	if (delivery_line(ev, prog, p, n, i, &rcpt, &status)) {
		if (q && (m = mm__mailq_get(q, p, ql, ev->ts, true, ev))) {
			on_delivery(st, m, rcpt, status);
			mm__mailq_origin(m, ev);
			copied = true;
		}
		return copied;
	}
	if (reject_line(ev, p, n, i)) {
		if (q && (m = mm__mailq_get(q, p, ql, ev->ts, false, NULL))) {
			if (mm_slice_eq_cstr(ev->f[MM_F_EVENT_ACTION], "header_warning"))
				mm__mailq_set(q, m, MQ_SUBJECT, ev->f[MM_F_EMAIL_SUBJECT]);
			mm__mailq_origin(m, ev);
			copied = true;
		}
		return copied;
	}
	if (DEC_AT(p, n, i, "sender non-delivery notification: ") ||
	    DEC_AT(p, n, i, "sender delivery status notification: ") ||
	    DEC_AT(p, n, i, "postmaster non-delivery notification: ")) {
		set_action(ev, "bounce_notification", "email", NULL);
	} else if (DEC_AT(p, n, i, "host ")) {
		/* smtp: "host H[IP] said: 550 … (in reply to RCPT TO command)" */
		set_action(ev, "remote_reply", "email", NULL);
		remote_said(ev, p, n, i);
		struct mm_slice host, ip;
		if (find_client(p, n, i, &host, &ip, NULL)) {
			ev->f[MM_F_DESTINATION_IP] = ip;
			ev->f[MM_F_DESTINATION_DOMAIN] = host;
		}
	} else if (DEC_AT(p, n, i, "lost connection with ") || DEC_AT(p, n, i, "conversation with ")) {
		set_action(ev, "remote_lost_connection", "network", NULL);
	} else if (DEC_AT(p, n, i, "warning: ")) {
		set_action(ev, "warning", NULL, NULL);
	} else if (DEC_AT(p, n, i, "SASL authentication failed; server ")) {
		/* smtp client: the remote server refused our own SMTP AUTH */
		set_action(ev, "remote_sasl_failure", "authentication", "failure");
		remote_said(ev, p, n, i);
	} else if (DEC_AT(p, n, i, "enabling PIX workarounds")) {
		set_action(ev, "pix_workaround", NULL, NULL);
	}
	if (q && (m = mm__mailq_get(q, p, ql, ev->ts, false, NULL))) {
		mm__mailq_origin(m, ev);
		copied = true;
	}
	return copied;
}

bool mm__postfix_decode(struct mm_decode_ctx *ctx, struct mm__postfix_state *st,
                        struct mm_slice prog, const char *p, size_t n, struct mm_event *ev)
{
	bool copied = pf_decode(ctx, st, prog, p, n, ev);
	/* vocabulary words (action, outcome, category, origin) are not
	 * substrings of the line */
	return copied || ev->f[MM_F_EVENT_ACTION].p || ev->f[MM_F_EVENT_OUTCOME].p ||
	       ev->f[MM_F_EVENT_CATEGORY].p || ev->f[MM_F_EMAIL_ORIGIN].p ||
	       ev->f[MM_F_NETWORK_PROTOCOL].p;
}

/* Shared by the Postfix and Exim drains (declared in mailq.h). */
enum mm_dec_outcome mm__mailq_drain(struct mm_decode_ctx *ctx, struct mm__mailq *q,
                                    struct mm_event *ev, bool eof, bool exim)
{
	mm__mailq_release(q);
	struct mm__mq_msg *m = mm__mailq_due(q, eof);
	if (!m)
		return MM_DEC_SKIP;
	mm__mail_logsource(ev, exim);
	ev->ts = m->last_ts;
	ev->raw = mm__mailq_str(m, MQ_RAW);
	/* raw is evidence (the message's first line); the line was matched as
	 * itself already, so keyword rules see no text here */
	ev->msg = MM_SLICE_LIT("");
	ev->offset = m->off;
	ev->line_no = m->line;
	mm__mailq_fill(ctx, m, ev, false);
	return MM_DEC_OK;
}

enum mm_dec_outcome mm__postfix_drain(struct mm_decode_ctx *ctx, struct mm__postfix_state *st,
                                      struct mm_event *ev, bool eof)
{
	if (!st || !st->q)
		return MM_DEC_SKIP;
	return mm__mailq_drain(ctx, st->q, ev, eof, false);
}
