/* mamori-gen-mail OUTDIR [SEED] [--demo] — the mail evaluation data set: a
 * Postfix mail gateway's maillog (mx1, own domains example.co.jp and
 * shop.example.jp) over three days (two with --demo, fewer senders) with a
 * benign background — employees mailing partners, inbound mail to local
 * mailboxes, a shop web server's order confirmations, a configured bulk
 * newsletter — and embedded incidents: an open-relay window through the
 * gateway's auth flaw (one client after a SASL failure streak), remote
 * providers then refusing the gateway's IP as listed, the breached shop web
 * server mass-mailing customers, a compromised shared account's burst, a
 * harvested-list mailing with many bounces, SASL brute force and relay
 * probing. Writes OUTDIR/maillog.log and OUTDIR/ground-truth.txt
 * ("rule-name group-value" per expected incident). Deterministic for a seed
 * (splitmix64); used by tests/integration/test_mail_eval.sh, bench/ and the
 * demo (data/demo/mail/). */
#include "gen_common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DAY0 INT64_C(1795478400) /* 2026-11-24T00:00:00Z */

struct line {
	int64_t t;
	uint32_t seq;
	char *s;
};

static struct line *g_l;
static size_t g_n, g_cap;
static uint32_t g_seq, g_qseq, g_pid = 2000;
static struct gen_rng g_r;
static int g_demo;

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fputs("mamori-gen-mail: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static void emit(int64_t t, const char *prog, unsigned pid, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void emit(int64_t t, const char *prog, unsigned pid, const char *fmt, ...)
{
	char msg[1024], ts[32], out[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	gen_fmt_syslog_time(ts, sizeof(ts), t);
	int k = snprintf(out, sizeof(out), "%s mx1 postfix/%s[%u]: %s\n", ts, prog, pid, msg);
	if (k < 0)
		return;
	if (g_n == g_cap) {
		g_cap = g_cap ? g_cap * 2 : 65536;
		g_l = xrealloc(g_l, g_cap * sizeof(*g_l));
	}
	g_l[g_n].t = t;
	g_l[g_n].seq = g_seq++;
	g_l[g_n].s = xrealloc(NULL, (size_t)k + 1);
	memcpy(g_l[g_n].s, out, (size_t)k + 1);
	g_n++;
}

static int cmp_line(const void *a, const void *b)
{
	const struct line *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Queue IDs: 10 hex digits, unique (an odd multiplier is a bijection). */
static void qid(char *out, size_t n)
{
	uint64_t v = ((uint64_t)++g_qseq * UINT64_C(0x9E3779B97F)) & UINT64_C(0xFFFFFFFFFF);
	snprintf(out, n, "%010llX", (unsigned long long)v);
}

static const char *const g_ext_domains[] = {
	"gmail.com",      "yahoo.co.jp",   "docomo.ne.jp",   "ezweb.ne.jp",  "softbank.ne.jp",
	"outlook.jp",     "icloud.com",    "hotmail.com",    "nifty.com",    "biglobe.ne.jp",
	"ocn.ne.jp",      "so-net.ne.jp",  "au.com",         "yahoo.com",    "outlook.com",
	"plala.or.jp",    "dion.ne.jp",    "i.softbank.jp",  "me.com",       "aol.com",
	"gmx.net",        "mail.ru",       "qq.com",         "163.com",      "naver.com",
	"partner-a.co.jp", "partner-b.co.jp", "supplier.example.com", "client-x.jp", "bank-y.jp",
};
#define NEXT (sizeof(g_ext_domains) / sizeof(g_ext_domains[0]))

static const char *relay_of(const char *dom, char *ip, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *p = dom; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	snprintf(ip, n, "198.18.%u.%u", (unsigned)(h % 200), (unsigned)((h >> 8) % 250 + 1));
	return ip;
}

enum how { SENT, DEFER_LISTED, BOUNCE_UNKNOWN };

/* One message through the gateway: smtpd (or pickup), cleanup, qmgr, one
 * delivery line per recipient, removed. */
struct msg {
	int64_t t;
	const char *client_host, *client_ip; /* NULL: pickup */
	const char *sasl;                    /* NULL: no SASL */
	const char *uid;                     /* pickup uid */
	const char *from;
	const char *rcpt[8];
	enum how how[8];
	int nrcpt;
};

static void message(const struct msg *m)
{
	char q[16];
	qid(q, sizeof(q));
	unsigned spid = g_pid++ % 30000 + 1000, cpid = 900, qpid = 850;
	int64_t t = m->t;
	if (m->client_ip) {
		emit(t, "smtpd", spid, "connect from %s[%s]", m->client_host, m->client_ip);
		if (m->sasl)
			emit(t, "smtpd", spid, "%s: client=%s[%s], sasl_method=PLAIN, sasl_username=%s", q,
			     m->client_host, m->client_ip, m->sasl);
		else
			emit(t, "smtpd", spid, "%s: client=%s[%s]", q, m->client_host, m->client_ip);
	} else {
		emit(t, "pickup", 800, "%s: uid=%s from=<%s>", q, m->uid, m->uid[0] == '3' ? "www-data" : "root");
	}
	emit(t, "cleanup", cpid, "%s: message-id=<%llu.%s>", q,
	     (unsigned long long)(t * 1000 + gen_below(&g_r, 1000)), strchr(m->from, '@') + 1);
	emit(t, "qmgr", qpid, "%s: from=<%s>, size=%u, nrcpt=%d (queue active)", q, m->from,
	     2000 + gen_below(&g_r, 30000), m->nrcpt);
	if (m->client_ip)
		emit(t + 1, "smtpd", spid, "disconnect from %s[%s] ehlo=1%s mail=1 rcpt=%d data=1 quit=1 commands=%d",
		     m->client_host, m->client_ip, m->sasl ? " auth=1" : "", m->nrcpt, 5 + m->nrcpt);
	bool all_done = true;
	for (int i = 0; i < m->nrcpt; i++) {
		const char *r = m->rcpt[i];
		const char *dom = strchr(r, '@') + 1;
		int64_t td = t + 1 + gen_below(&g_r, 3);
		bool own = !strcmp(dom, "example.co.jp") || !strcmp(dom, "shop.example.jp");
		unsigned dpid = 3000 + gen_below(&g_r, 50);
		if (own) {
			emit(td, "lmtp", dpid,
			     "%s: to=<%s>, relay=mail.example.co.jp[10.0.1.5]:24, delay=0.4, "
			     "delays=0.1/0/0.1/0.2, dsn=2.0.0, status=sent (250 2.0.0 <%s> Saved)",
			     q, r, r);
			continue;
		}
		char ip[32];
		relay_of(dom, ip, sizeof(ip));
		switch (m->how[i]) {
		case SENT: {
			/* one draw per statement: argument order is unspecified, and gcc
			 * and clang must write the same bytes (the order gcc used) */
			unsigned d2 = gen_below(&g_r, 9);
			unsigned d1 = gen_below(&g_r, 9);
			emit(td, "smtp", dpid,
			     "%s: to=<%s>, relay=mx.%s[%s]:25, delay=1.%u, delays=0.1/0/0.5/0.%u, "
			     "dsn=2.0.0, status=sent (250 2.0.0 OK queued as %s)",
			     q, r, dom, ip, d1, d2, q);
			break;
		}
		case DEFER_LISTED:
			emit(td, "smtp", dpid,
			     "%s: to=<%s>, relay=mx.%s[%s]:25, delay=2.1, delays=0.1/0/1.5/0.5, "
			     "dsn=4.7.1, status=deferred (host mx.%s[%s] said: 421 4.7.1 Service "
			     "unavailable; Client host [192.0.2.25] blocked using zen.spamhaus.org "
			     "(in reply to RCPT TO command))",
			     q, r, dom, ip, dom, ip);
			all_done = false;
			break;
		case BOUNCE_UNKNOWN:
			emit(td, "smtp", dpid,
			     "%s: to=<%s>, relay=mx.%s[%s]:25, delay=1.2, delays=0.1/0/0.6/0.5, "
			     "dsn=5.1.1, status=bounced (host mx.%s[%s] said: 550 5.1.1 <%s>: "
			     "Recipient address rejected: User unknown (in reply to RCPT TO command))",
			     q, r, dom, ip, dom, ip, r);
			break;
		}
	}
	if (all_done)
		emit(t + 4, "qmgr", qpid, "%s: removed", q);
}

static char g_addr[200000][48];
static size_t g_naddr;

static const char *addr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *addr(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = g_addr[g_naddr++ % (sizeof(g_addr) / sizeof(g_addr[0]))];
	vsnprintf(s, 48, fmt, ap);
	va_end(ap);
	return s;
}

static const char *customer(void)
{
	const char *dom = g_ext_domains[gen_below(&g_r, 25)];
	return addr("cust%05u@%s", gen_below(&g_r, 50000), dom);
}

static void sender_msg(int64_t t, const char *user, const char *ip, int nrcpt, int ext_pct,
                       int bounce_pct)
{
	struct msg m = {.t = t, .client_host = "unknown", .client_ip = ip, .sasl = user,
	                .from = user, .nrcpt = nrcpt};
	for (int i = 0; i < nrcpt; i++) {
		if (gen_chance(&g_r, (unsigned)ext_pct)) {
			const char *dom = g_ext_domains[25 + gen_below(&g_r, 5)];
			m.rcpt[i] = addr("p%03u@%s", gen_below(&g_r, 400), dom);
		} else
			m.rcpt[i] = addr("staff%02u@example.co.jp", gen_below(&g_r, 60));
		m.how[i] = gen_chance(&g_r, (unsigned)bounce_pct) ? BOUNCE_UNKNOWN : SENT;
	}
	message(&m);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: mamori-gen-mail OUTDIR [SEED] [--demo]\n", stderr);
		return 2;
	}
	uint64_t seed = 5;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--demo"))
			g_demo = 1;
		else
			seed = strtoull(argv[i], NULL, 10);
	}
	gen_rng_seed(&g_r, seed);
	const int days = g_demo ? 2 : 3;
	const int nusers = g_demo ? 12 : 40;
	const int64_t end = DAY0 + (int64_t)days * 86400;

	/* ---- benign background ---- */
	for (int64_t h = DAY0; h < end; h += 3600) {
		int hour = (int)((h / 3600) % 24);
		bool work = hour >= 0 && hour < 10; /* 09:00–19:00 JST in UTC */
		/* employees: a few messages each per working hour */
		for (int u = 0; u < nusers; u++) {
			int k = work ? (int)gen_below(&g_r, 3) : (gen_chance(&g_r, 5) ? 1 : 0);
			for (int i = 0; i < k; i++) {
				char ip[24];
				snprintf(ip, sizeof(ip), "10.0.%d.%d", 2 + u / 200, 10 + u % 200);
				int nr = 1 + (int)gen_below(&g_r, 3); /* last argument first, as gcc */
				int64_t tm = h + gen_below(&g_r, 3600);
				sender_msg(tm, addr("user%02d@example.co.jp", u), addr("%s", ip), nr, 50, 1);
			}
		}
		/* the sales team's shared account: steady traffic (a real baseline) */
		int ks = work ? 6 + (int)gen_below(&g_r, 5) : (int)gen_below(&g_r, 2);
		for (int i = 0; i < ks; i++) {
			int nr = 1 + (int)gen_below(&g_r, 2);
			int64_t tm = h + gen_below(&g_r, 3600);
			sender_msg(tm, "sales@example.co.jp", "10.0.2.200", nr, 90, 1);
		}
		/* marketing: light */
		if (work && gen_chance(&g_r, 30))
			sender_msg(h + gen_below(&g_r, 3600), "marketing@example.co.jp", "10.0.2.201", 1,
			           90, 0);
		/* inbound mail from the Internet to local mailboxes */
		int kin = work ? 8 + (int)gen_below(&g_r, 8) : 2 + (int)gen_below(&g_r, 3);
		if (g_demo)
			kin /= 3;
		for (int i = 0; i < kin; i++) {
			int64_t tm = h + gen_below(&g_r, 3600);
			const char *from = addr("p%03u@partner-a.co.jp", gen_below(&g_r, 400));
			struct msg m = {.t = tm, .client_host = "mail.partner-a.co.jp", .from = from,
			                .nrcpt = 1};
			m.client_ip = addr("203.0.113.%u", 10 + gen_below(&g_r, 40));
			m.rcpt[0] = addr("user%02u@example.co.jp", gen_below(&g_r, (uint32_t)nusers));
			message(&m);
		}
		/* the shop web server's order confirmations (no SASL, local net) */
		int ko = work ? (int)gen_below(&g_r, 4) : (int)gen_below(&g_r, 2);
		for (int i = 0; i < ko; i++) {
			struct msg m = {.t = h + gen_below(&g_r, 3600), .client_host = "web01.shop.example.jp",
			                .client_ip = "10.0.5.20", .from = "order@shop.example.jp", .nrcpt = 1};
			m.rcpt[0] = customer();
			message(&m);
		}
		/* daily newsletter at 01:00 UTC (10:00 JST): a configured bulk sender */
		if (hour == 1) {
			int nn = g_demo ? 150 : 700;
			for (int i = 0; i < nn; i++) {
				struct msg m = {.t = h + (int64_t)i * 3000 / nn, .client_host = "news.shop.example.jp",
				                .client_ip = "10.0.5.30", .sasl = "newsletter@shop.example.jp",
				                .from = "newsletter@shop.example.jp", .nrcpt = 1};
				m.rcpt[0] = customer();
				m.how[0] = gen_chance(&g_r, 2) ? BOUNCE_UNKNOWN : SENT;
				message(&m);
			}
		}
		/* local cron reports (pickup, uid 0) to the admins */
		if (hour == 20) {
			struct msg m = {.t = h + 5, .uid = "0", .from = "root@mx1.example.co.jp", .nrcpt = 1};
			m.rcpt[0] = "admin@example.co.jp";
			message(&m);
		}
	}

	/* ---- incidents ---- */
	const int64_t d2 = DAY0 + 86400, d3 = DAY0 + 2 * 86400;
	const int64_t last = g_demo ? d2 : d3; /* the day of the breach-type incidents */
	/* SASL brute force against the gateway (no relay follows) */
	for (int i = 0; i < (g_demo ? 60 : 200); i++)
		emit(DAY0 + 15 * 3600 + i * 9, "smtpd", 7100, "warning: unknown[80.94.95.20]: SASL LOGIN "
		     "authentication failed: UGFzc3dvcmQ6");
	/* relay probing: every attempt refused */
	for (int i = 0; i < 30; i++)
		emit(DAY0 + 16 * 3600 + i * 40, "smtpd", 7200,
		     "NOQUEUE: reject: RCPT from unknown[91.92.0.5]: 554 5.7.1 <t%d@gmail.com>: Relay "
		     "access denied; from=<x@91.92.0.5> to=<t%d@gmail.com> proto=ESMTP helo=<WIN-ABC>", i, i);
	/* the open-relay window through the auth flaw: day 2 17:00–20:00 UTC
	 * (02:00–05:00 JST); 45.155.205.10 first fails SASL 30 times */
	const int64_t rw = (g_demo ? DAY0 : d2) + 17 * 3600;
	for (int i = 0; i < 30; i++)
		emit(rw - 1800 + i * 60, "smtpd", 7300, "warning: unknown[45.155.205.10]: SASL LOGIN "
		     "authentication failed: authentication failure");
	static const char *const relay_ip[] = {"45.155.205.10", "45.155.205.11", "185.220.101.7"};
	static const int relay_full[] = {120, 90, 60}, relay_demo[] = {40, 30, 20};
	const int *relay_n = g_demo ? relay_demo : relay_full;
	static const char *const spam_dom[] = {"gmail.com", "yahoo.com", "hotmail.com", "outlook.com",
	                                       "qq.com", "mail.ru", "aol.com", "gmx.net", "naver.com",
	                                       "163.com"};
	for (int r = 0; r < 3; r++)
		for (int i = 0; i < relay_n[r]; i++) {
			int64_t t = rw + (int64_t)i * (3 * 3600) / relay_n[r] + r * 7;
			struct msg m = {.t = t, .client_host = "unknown", .client_ip = relay_ip[r],
			                .from = addr("promo%u@deals-%u.example.net", gen_below(&g_r, 99), r),
			                .nrcpt = 3};
			for (int k = 0; k < 3; k++) {
				const char *dom = spam_dom[gen_below(&g_r, 10)];
				m.rcpt[k] = addr("v%05u@%s", gen_below(&g_r, 90000), dom);
				/* after the first hour the providers list the gateway's IP */
				m.how[k] = t > rw + 3600 && gen_chance(&g_r, 20) ? DEFER_LISTED : SENT;
			}
			message(&m);
		}
	/* the breached shop web server mails customers: 05:00–06:40 UTC */
	const int64_t bw = last + 5 * 3600;
	int nb = g_demo ? 300 : 1200;
	for (int i = 0; i < nb; i++) {
		struct msg m = {.t = bw + (int64_t)i * 6000 / nb, .client_host = "web01.shop.example.jp",
		                .client_ip = "10.0.5.20", .from = "info@shop.example.jp", .nrcpt = 1};
		m.rcpt[0] = customer();
		message(&m);
	}
	/* the sales account compromised: a burst at night (13:00 UTC, 22:00 JST)
	 * from an outside address */
	const int64_t sw = last + 13 * 3600;
	const int ns = g_demo ? 150 : 400;
	for (int i = 0; i < ns; i++) {
		struct msg m = {.t = sw + (int64_t)i * 3000 / ns, .client_host = "unknown",
		                .client_ip = "91.240.118.9", .sasl = "sales@example.co.jp",
		                .from = "sales@example.co.jp", .nrcpt = 2};
		m.rcpt[0] = customer();
		m.rcpt[1] = customer();
		message(&m);
	}
	/* marketing mails a harvested list: many bounces */
	const int64_t mw = last + 2 * 3600;
	for (int i = 0; i < 60; i++) {
		struct msg m = {.t = mw + i * 30, .client_host = "unknown", .client_ip = "10.0.2.201",
		                .sasl = "marketing@example.co.jp", .from = "marketing@example.co.jp",
		                .nrcpt = 1};
		m.rcpt[0] = customer();
		m.how[0] = gen_chance(&g_r, 50) ? BOUNCE_UNKNOWN : SENT;
		message(&m);
	}

	qsort(g_l, g_n, sizeof(*g_l), cmp_line);
	if (mkdir(argv[1], 0755) != 0 && errno != EEXIST) {
		perror(argv[1]);
		return 1;
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s/maillog.log", argv[1]);
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		return 1;
	}
	for (size_t i = 0; i < g_n; i++) {
		fputs(g_l[i].s, f);
		free(g_l[i].s);
	}
	free(g_l);
	if (fclose(f) != 0) {
		perror(path);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/ground-truth.txt", argv[1]);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return 1;
	}
	fputs("# rule-name group-value (one expected incident per line; mamori-gen-mail)\n"
	      "mail_relay_after_sasl_failures 45.155.205.10\n"
	      "mail_unauthenticated_relay 45.155.205.11\n"
	      "mail_unauthenticated_relay 185.220.101.7\n"
	      "mail_outbound_ip_listed mx1\n"
	      "mail_quiet_sender_mass_mailing 10.0.5.20\n"
	      "mail_sender_burst sales@example.co.jp\n"
	      "mail_high_bounce_ratio marketing@example.co.jp\n"
	      "mail_sasl_brute_force 80.94.95.20\n"
	      "mail_relay_probing 91.92.0.5\n",
	      f);
	return fclose(f) != 0;
}
