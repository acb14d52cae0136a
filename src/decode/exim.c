/* mamori — decoder for Exim's mainlog ("2024-03-21 19:26:06 [pid] ID <= …")
 * and, through the syslog decoder, for exim/exim4 syslog lines: arrivals
 * (<=), deliveries (=> ->), bounces (**), deferrals (==), Completed,
 * "rejected RCPT … relay not permitted" and "authenticator failed", mapped to
 * the same ECS email.* fields and action vocabulary as the Postfix decoder,
 * with one message event per message ID assembled in the shared pending
 * table (mailq.c). Line shapes follow the Exim specification, chapter "Log
 * files" (52.* "Format of log lines", "Reducing or increasing what is logged").
 * Pipeline position: framer → this decoder (or syslog.c) → event. */
#include "dec_util.h"
#include "exim.h"
#include "mailq.h"
#include "postfix.h"

#include <stdlib.h>

struct mm__exim_state {
	struct mm__mailq *q;
};

struct mm__exim_state *mm__exim_state_new(void)
{
	return mm_calloc(1, sizeof(struct mm__exim_state));
}

void mm__exim_state_free(struct mm__exim_state *st)
{
	if (!st)
		return;
	mm__mailq_free(st->q);
	free(st);
}

static bool idc(char c)
{
	return dec_digit(c) || dec_alpha(c);
}

/* Exim message IDs: "1rnXYZ-000abc-12" (6-6-2, base 62) and, since 4.97,
 * "1rnXYZ-00000000abc-1234" (6-11-4). Returns the length or 0. */
static size_t msg_id(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && idc(p[i]))
		i++;
	if (i != 6 || i >= n || p[i] != '-')
		return 0;
	size_t s = ++i;
	while (i < n && idc(p[i]))
		i++;
	if ((i - s != 6 && i - s != 11) || i >= n || p[i] != '-')
		return 0;
	s = ++i;
	while (i < n && idc(p[i]))
		i++;
	if (i - s != 2 && i - s != 4)
		return 0;
	return i < n && p[i] != ' ' ? 0 : i;
}

/* Value of " K=" in p[from..n) up to the next space (a quoted value up to
 * its closing quote, without the quotes). */
static struct mm_slice field(const char *p, size_t n, size_t from, const char *k)
{
	size_t kl = strlen(k);
	for (size_t i = from; i + kl + 1 < n; i++) {
		if (p[i] != ' ' || memcmp(p + i + 1, k, kl) != 0 || p[i + 1 + kl] != '=')
			continue;
		size_t s = i + 2 + kl, e = s;
		if (s < n && p[s] == '"') {
			s++;
			e = s;
			while (e < n && p[e] != '"') {
				if (p[e] == '\\' && e + 1 < n)
					e++;
				e++;
			}
			return mm_slice(p + s, MM_MIN(e, n) - s);
		}
		while (e < n && p[e] != ' ')
			e++;
		return mm_slice(p + s, e - s);
	}
	return MM_SLICE_NULL;
}

/* "H=host (helo) [ip]:port" or "H=(helo) [ip]" / "[ip]": the first
 * bracketed IP after from that is not inside the "(helo)" (which may be an
 * address literal itself), else the first one anywhere ("(during SMTP
 * connection from [ip])"). */
static bool host_ip_pass(struct mm_event *ev, const char *p, size_t n, size_t from, bool dest,
                         bool in_parens)
{
	int paren = 0;
	for (size_t i = from; i < n; i++) {
		if (p[i] == '(')
			paren++;
		else if (p[i] == ')' && paren)
			paren--;
		if (p[i] != '[' || (paren && !in_parens))
			continue;
		const char *rb = memchr(p + i, ']', n - i);
		if (!rb)
			return false;
		size_t l = (size_t)(rb - p) - i - 1;
		if (l && l <= 45 && dec_is_ip(p + i + 1, l)) {
			ev->f[dest ? MM_F_DESTINATION_IP : MM_F_SOURCE_IP] = mm_slice(p + i + 1, l);
			size_t e = (size_t)(rb - p) + 1;
			if (!dest && e + 1 < n && p[e] == ':' && dec_digit(p[e + 1])) {
				size_t j = e + 1;
				while (j < n && dec_digit(p[j]))
					j++;
				ev->f[MM_F_SOURCE_PORT] = mm_slice(p + e + 1, j - e - 1);
			}
			return true;
		}
	}
	return false;
}

static void host_ip(struct mm_event *ev, const char *p, size_t n, size_t from, bool dest)
{
	if (!host_ip_pass(ev, p, n, from, dest, false))
		host_ip_pass(ev, p, n, from, dest, true);
}

static void set_addr(struct mm_event *ev, enum mm_field_id a, enum mm_field_id d,
                     struct mm_slice v)
{
	if (v.n >= 2 && v.p[0] == '<' && v.p[v.n - 1] == '>')
		v = mm_slice(v.p + 1, v.n - 2);
	if (!v.p || !v.n)
		return;
	ev->f[a] = v;
	struct mm_slice dm = mm__mail_domain(v);
	if (dm.p)
		ev->f[d] = dm;
}

static void act(struct mm_event *ev, const char *a, const char *cat, const char *oc)
{
	ev->f[MM_F_EVENT_ACTION] = mm_slice_cstr(a);
	if (cat)
		ev->f[MM_F_EVENT_CATEGORY] = mm_slice_cstr(cat);
	if (oc)
		ev->f[MM_F_EVENT_OUTCOME] = mm_slice_cstr(oc);
}

/* "<= sender H=… P=esmtpsa A=dovecot_login:user S=1234 id=… T="…"" */
static void arrival(struct mm__exim_state *st, struct mm_event *ev, struct mm_slice id,
                    const char *p, size_t n, size_t i)
{
	act(ev, "queued", "email", NULL);
	size_t s = i, e = i;
	while (e < n && p[e] != ' ')
		e++;
	struct mm_slice from = mm_slice(p + s, e - s);
	if (!(from.n == 2 && from.p[0] == '<' && from.p[1] == '>'))
		set_addr(ev, MM_F_EMAIL_FROM_ADDRESS, MM_F_EMAIL_FROM_DOMAIN, from);
	struct mm_slice h = field(p, n, e, "H"), a = field(p, n, e, "A"), sz = field(p, n, e, "S");
	struct mm_slice mid = field(p, n, e, "id"), t = field(p, n, e, "T"), u = field(p, n, e, "U");
	struct mm_slice proto = field(p, n, e, "P");
	if (h.p && h.n) {
		host_ip(ev, p, n, (size_t)(h.p - p), false);
		if (h.p[0] != '(' && h.p[0] != '[')
			ev->f[MM_F_SOURCE_DOMAIN] = h;
	}
	if (a.p) {
		/* A=authenticator:user (the user part is logged since 4.x) */
		const char *c = memchr(a.p, ':', a.n);
		ev->f[MM_F_EMAIL_AUTH_METHOD] = c ? mm_slice(a.p, (size_t)(c - a.p)) : a;
		if (c && (size_t)(c - a.p) + 1 < a.n)
			ev->f[MM_F_USER_NAME] = mm_slice(c + 1, a.n - (size_t)(c - a.p) - 1);
	}
	if (sz.p)
		ev->f[MM_F_EMAIL_SIZE] = sz;
	if (mid.p)
		ev->f[MM_F_EMAIL_MESSAGE_ID] = mid;
	if (t.p)
		ev->f[MM_F_EMAIL_SUBJECT] = t;
	bool local = mm_slice_eq_cstr(proto, "local");
	ev->f[MM_F_EMAIL_ORIGIN] = local ? MM_SLICE_LIT("pickup") : MM_SLICE_LIT("smtpd");
	if (local && u.p)
		ev->f[MM_F_USER_ID] = u;
	struct mm__mq_msg *m;
	if (st && st->q && (m = mm__mailq_get(st->q, id.p, id.n, ev->ts, true, ev))) {
		mm__mailq_set(st->q, m, MQ_CLIENT_IP, ev->f[MM_F_SOURCE_IP]);
		mm__mailq_set(st->q, m, MQ_CLIENT_HOST, ev->f[MM_F_SOURCE_DOMAIN]);
		mm__mailq_set(st->q, m, MQ_SASL_METHOD, ev->f[MM_F_EMAIL_AUTH_METHOD]);
		mm__mailq_set(st->q, m, MQ_SASL_USER, ev->f[MM_F_USER_NAME]);
		mm__mailq_set(st->q, m, MQ_FROM, ev->f[MM_F_EMAIL_FROM_ADDRESS]);
		mm__mailq_set(st->q, m, MQ_FROM_DOMAIN, ev->f[MM_F_EMAIL_FROM_DOMAIN]);
		mm__mailq_set(st->q, m, MQ_MSGID, ev->f[MM_F_EMAIL_MESSAGE_ID]);
		mm__mailq_set(st->q, m, MQ_SUBJECT, ev->f[MM_F_EMAIL_SUBJECT]);
		mm__mailq_set(st->q, m, MQ_ORIGIN, ev->f[MM_F_EMAIL_ORIGIN]);
		mm__mailq_set(st->q, m, MQ_UID, ev->f[MM_F_USER_ID]);
		mm__mailq_set(st->q, m, MQ_HOST, ev->f[MM_F_HOST_HOSTNAME]);
		int64_t v;
		if (sz.p && !mm_slice_to_i64(sz, &v))
			m->size = v;
	}
}

/* "=> rcpt <orig> R=router T=transport H=host [ip] … C="250 OK"",
 * "** rcpt … : SMTP error … 550 …", "== rcpt … defer (-44): …" */
static void delivery(struct mm_event *ev, char flag, const char *p, size_t n, size_t i,
                     struct mm_slice *rcpt, struct mm_slice *status)
{
	size_t e = i;
	while (e < n && p[e] != ' ' && p[e] != ':')
		e++;
	set_addr(ev, MM_F_EMAIL_TO_ADDRESS, MM_F_EMAIL_TO_DOMAIN, mm_slice(p + i, e - i));
	*rcpt = ev->f[MM_F_EMAIL_TO_ADDRESS];
	struct mm_slice tr = field(p, n, e, "T"), h = field(p, n, e, "H");
	if (tr.p) {
		if (tr.n && tr.p[tr.n - 1] == ':')
			tr.n--;
		ev->f[MM_F_EMAIL_DELIVERY_TRANSPORT] = tr;
	}
	if (h.p) {
		ev->f[MM_F_EMAIL_DELIVERY_RELAY] = h;
		host_ip(ev, p, n, (size_t)(h.p - p), true);
	}
	if (flag == '=' || flag == '-') {
		*status = MM_SLICE_LIT("sent");
		struct mm_slice c = field(p, n, e, "C");
		if (c.p)
			ev->f[MM_F_EMAIL_DELIVERY_RESPONSE] = c;
		act(ev, "delivery", "email", "success");
	} else {
		*status = flag == '*' ? MM_SLICE_LIT("bounced") : MM_SLICE_LIT("deferred");
		size_t c = DEC_FIND(p, n, e, ": ");
		if (c < n)
			ev->f[MM_F_EMAIL_DELIVERY_RESPONSE] = mm_slice(p + c + 2, n - c - 2);
		act(ev, "delivery", "email", flag == '*' ? "failure" : "unknown");
	}
	ev->f[MM_F_EMAIL_DELIVERY_STATUS] = *status;
}

bool mm__exim_decode(struct mm_decode_ctx *ctx, struct mm__exim_state *st, const char *p,
                     size_t n, struct mm_event *ev)
{
	mm__mail_logsource(ev, true);
	if (st) {
		if (!st->q)
			st->q = mm__mailq_new(MQ_DEFAULT_CAP, MQ_DEFAULT_IDLE);
		mm__mailq_release(st->q);
		mm__mailq_tick(st->q, ev->ts);
	}
	/* optional "[pid] " (log_selector +pid) */
	size_t i = 0;
	if (n && p[0] == '[') {
		const char *rb = memchr(p, ']', n);
		if (rb && (size_t)(rb - p) + 1 < n && p[rb - p + 1] == ' ') {
			ev->f[MM_F_PROCESS_PID] = mm_slice(p + 1, (size_t)(rb - p) - 1);
			i = (size_t)(rb - p) + 2;
		}
	}
	size_t il = msg_id(p + i, n - i);
	if (!il) {
		/* lines without a message ID */
		const char *q = p + i;
		size_t qn = n - i;
		size_t k;
		if ((k = DEC_FIND(q, qn, 0, " authenticator failed for ")) < qn) {
			act(ev, "sasl_login", "authentication", "failure");
			ev->f[MM_F_EMAIL_AUTH_METHOD] = mm_slice(q, k);
			host_ip(ev, q, qn, k, false);
			size_t c = DEC_FIND(q, qn, k, ": 535");
			if (c < qn) {
				size_t re = DEC_FIND(q, qn, c, " (set_id=");
				ev->f[MM_F_EVENT_REASON] = mm_slice(q + c + 2, re - c - 2);
			}
			size_t si = DEC_FIND(q, qn, k, "(set_id=");
			if (si < qn) {
				size_t s = si + 8, e = s;
				while (e < qn && q[e] != ')')
					e++;
				if (e > s)
					ev->f[MM_F_USER_NAME] = mm_slice(q + s, e - s);
			}
		} else if ((k = DEC_FIND(q, qn, 0, " rejected RCPT ")) < qn) {
			act(ev, "smtp_reject", "email", "failure");
			host_ip(ev, q, qn, 0, false);
			struct mm_slice f = field(q, qn, 0, "F");
			set_addr(ev, MM_F_EMAIL_FROM_ADDRESS, MM_F_EMAIL_FROM_DOMAIN, f);
			size_t s = k + 15, e = s;
			while (e < qn && q[e] != ':' && q[e] != ' ')
				e++;
			set_addr(ev, MM_F_EMAIL_TO_ADDRESS, MM_F_EMAIL_TO_DOMAIN, mm_slice(q + s, e - s));
			if (e + 2 < qn && q[e] == ':')
				ev->f[MM_F_EVENT_REASON] = mm_slice(q + e + 2, qn - e - 2);
		} else if (DEC_AT(q, qn, 0, "SMTP connection from ")) {
			act(ev, "smtp_connect", "network", NULL);
			host_ip(ev, q, qn, 21, false);
		} else if ((k = DEC_FIND(q, qn, 0, "SMTP protocol error in \"")) < qn) {
			/* the quoted command is the client's text and may fake an
			 * "H=(x) [ip]": Exim appends the real H= after it, so the last */
			act(ev, "smtp_protocol_error", "network", NULL);
			size_t h = qn, f = k;
			while ((f = DEC_FIND(q, qn, f + 1, " H=")) < qn)
				h = f;
			host_ip(ev, q, qn, h < qn ? h : k, false);
		} else if (DEC_AT(q, qn, 0, "no host name found for IP address ")) {
			size_t s = 34, e = s;
			while (e < qn && q[e] != ' ')
				e++;
			if (dec_is_ip(q + s, e - s))
				ev->f[MM_F_SOURCE_IP] = mm_slice(q + s, e - s);
			act(ev, "reverse_dns_missing", "network", NULL);
		} else {
			host_ip(ev, q, qn, 0, false);
		}
		return true;
	}
	struct mm_slice id = mm_slice(p + i, il);
	ev->f[MM_F_EMAIL_LOCAL_ID] = id;
	i += il;
	if (i < n)
		i++;
	struct mm__mailq *q = st ? st->q : NULL;
	struct mm__mq_msg *m = NULL;
	if (DEC_AT(p, n, i, "<= ")) {
		arrival(st, ev, id, p, n, i + 3);
		return true;
	}
	if (i + 3 <= n && p[i + 2] == ' ' &&
	    (DEC_AT(p, n, i, "=>") || DEC_AT(p, n, i, "->") || DEC_AT(p, n, i, "**") ||
	     DEC_AT(p, n, i, "=="))) {
		struct mm_slice rcpt, status;
		delivery(ev, p[i], p, n, i + 3, &rcpt, &status);
		if (q && (m = mm__mailq_get(q, id.p, id.n, ev->ts, true, ev))) {
			mm__mailq_rcpt(q, m, rcpt, status);
			mm__mailq_origin(m, ev);
		}
		return true;
	}
	if (DEC_AT(p, n, i, "Completed")) {
		if (q && (m = mm__mailq_get(q, id.p, id.n, ev->ts, false, NULL))) {
			mm__mailq_remove(q, m);
			mm__mailq_fill(ctx, m, ev, true);
		} else {
			act(ev, "message", "email", "unknown");
		}
		return true;
	}
	if (DEC_AT(p, n, i, "H=") && DEC_FIND(p, n, i, " rejected ") < n) {
		act(ev, "smtp_reject", "email", "failure");
		host_ip(ev, p, n, i, false);
	} else {
		host_ip(ev, p, n, i, false);
	}
	if (q && (m = mm__mailq_get(q, id.p, id.n, ev->ts, false, NULL)))
		mm__mailq_origin(m, ev);
	return true;
}

enum mm_dec_outcome mm__exim_drain(struct mm_decode_ctx *ctx, struct mm__exim_state *st,
                                   struct mm_event *ev, bool eof)
{
	if (!st || !st->q)
		return MM_DEC_SKIP;
	return mm__mailq_drain(ctx, st->q, ev, eof, true);
}

/* ---- the mainlog decoder ---------------------------------------------------- */

static const struct mm_decode_opts g_default_opts = {.year = 0};

/* "YYYY-MM-DD HH:MM:SS[.mmm][ +ZZZZ] " (log_selector +millisec, +tod_bsdinbox
 * is not supported; the zone appears with log_timezone). Returns the index
 * after the space, or 0. */
static size_t parse_ts(const struct mm_decode_opts *o, const char *p, size_t n, int64_t *ts)
{
	if (n < 20 || p[4] != '-' || p[7] != '-' || p[10] != ' ' || p[13] != ':' || p[16] != ':')
		return 0;
	size_t e = 19;
	if (e < n && p[e] == '.') {
		e++;
		while (e < n && dec_digit(p[e]))
			e++;
	}
	char buf[48];
	size_t bl = e;
	if (bl >= sizeof(buf) - 8)
		return 0;
	memcpy(buf, p, bl);
	size_t next = e;
	if (e + 6 <= n && p[e] == ' ' && (p[e + 1] == '+' || p[e + 1] == '-') && dec_digit(p[e + 2]) &&
	    dec_digit(p[e + 3]) && dec_digit(p[e + 4]) && dec_digit(p[e + 5]) &&
	    (e + 6 == n || p[e + 6] == ' ')) {
		buf[bl++] = p[e + 1];
		buf[bl++] = p[e + 2];
		buf[bl++] = p[e + 3];
		buf[bl++] = ':';
		buf[bl++] = p[e + 4];
		buf[bl++] = p[e + 5];
		next = e + 6;
	}
	if (!dec_iso8601(mm_slice(buf, bl), o->tz, ts))
		return 0;
	if (next < n && p[next] != ' ')
		return 0;
	return next < n ? next + 1 : n;
}

static void *exim_state_new(void)
{
	return mm__exim_state_new();
}

static void exim_state_free(void *p)
{
	mm__exim_state_free(p);
}

static enum mm_dec_outcome exim_decode(struct mm_decode_ctx *ctx, const char *p, size_t n,
                                       struct mm_event *ev)
{
	const struct mm_decode_opts *o = ctx->opts ? ctx->opts : &g_default_opts;
	if (n == 0)
		return MM_DEC_SKIP;
	size_t i = parse_ts(o, p, n, &ev->ts);
	if (!i && !dec_digit(p[0])) {
		/* "HOST exim[PID]: 2021-07-17 23:20:49 …" (mainlog lines relayed
		 * through a syslog that drops its own timestamp) */
		size_t lim = MM_MIN(n, 200); /* DEC_FIND returns lim when absent */
		size_t t = DEC_FIND(p, lim, 0, " exim[");
		size_t c = t < lim ? DEC_FIND(p, lim, t, "]: ") : lim;
		if (t < lim && c < lim && (i = parse_ts(o, p + c + 3, n - c - 3, &ev->ts)) != 0) {
			ev->f[MM_F_HOST_HOSTNAME] = mm_slice(p, t);
			ev->f[MM_F_PROCESS_PID] = mm_slice(p + t + 6, c - t - 6);
			i += c + 3;
		}
	}
	if (!i)
		return dec_digit(p[0]) ? MM_DEC_BAD_TIMESTAMP : MM_DEC_BAD_FORMAT;
	struct mm_slice msg = mm_slice(p + i, n - i);
	ev->f[MM_F_MESSAGE] = msg;
	ev->msg = msg;
	ev->f[MM_F_PROCESS_NAME] = MM_SLICE_LIT("exim");
	mm__exim_decode(ctx, ctx->state, msg.p, msg.n, ev);
	return MM_DEC_OK;
}

static enum mm_dec_outcome exim_drain(struct mm_decode_ctx *ctx, struct mm_event *ev, bool eof)
{
	return mm__exim_drain(ctx, ctx->state, ev, eof);
}

/* A mainlog timestamp followed by a message ID or one of Exim's phrases. */
static int exim_probe(const char *p, size_t n)
{
	int64_t ts;
	size_t i = parse_ts(&g_default_opts, p, n, &ts);
	if (!i)
		return 0;
	if (i < n && p[i] == '[') {
		const char *rb = memchr(p + i, ']', n - i);
		if (rb)
			i = (size_t)(rb - p) + 2;
	}
	if (i < n && msg_id(p + i, n - i))
		return 92;
	static const char *const phr[] = {" authenticator failed for ", " rejected RCPT ",
	                                  "SMTP connection from ", "Start queue run",
	                                  "End queue run", "no host name found for IP address"};
	for (size_t k = 0; k < MM_ARRAY_LEN(phr); k++)
		if (dec_find(p, n, i, phr[k], strlen(phr[k])) < n)
			return 85;
	return 20;
}

const struct mm_decoder mm__decoder_exim = {
	.name = "exim",
	.description = "Exim mainlog (arrivals, deliveries, rejects, authenticator failures)",
	.probe = exim_probe,
	.decode = exim_decode,
	.state_new = exim_state_new,
	.state_free = exim_state_free,
	.drain = exim_drain,
};
