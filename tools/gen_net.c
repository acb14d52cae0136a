/* mamori tools — mamori-gen-net: a deterministic small-office network
 * (router, switch, NAS, server, mail gateway, workstations) as Zeek conn.log
 * (TSV), the router's own netfilter log (fw.log) and the devices' syslog
 * (devices.log), with embedded egress cases and their ground truth:
 *   beacon   the router calls 45.33.12.7:8443 every P s ± 8 %
 *   exfil    the NAS sends ~5 GB to 91.198.44.21:443 over 3 nights
 *   newdest  the server's first contact with 77.83.200.14:4444
 *   ioc      a workstation reaches a listed address (ioc-ips.txt)
 *   silence  the router's log goes quiet for 36 h while its traffic goes on
 *   admin    an admin login to the router from outside the admin network
 * beside benign periodic traffic that must stay quiet (NTP to the configured
 * servers, DNS to the configured resolvers, hourly update checks to an
 * allowlisted CDN). Usage: mamori-gen-net OUTDIR [MODE] [SEED]
 * MODE: month (default: Oct 2026, cases on days 12-23), learn (Oct 2026, no
 * cases), detect (Nov 2026, cases on days 2-5), demo (10 small days),
 * bench:N (the office over about N million conn.log lines, no cases), wide:N
 * (one month, as many workstations as N million lines take: ~1 M pairs at 2). */
#include "gen_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DAY 86400LL
#define MAX_WS 4000

struct flow {
	int64_t us; /* start, µs since the epoch */
	uint32_t src, dst; /* IPv4 host order */
	uint16_t sp, dp;
	uint8_t proto;     /* 6 tcp, 17 udp */
	const char *svc;
	uint32_t dur_ms;
	uint64_t ob, rb;   /* orig / resp bytes */
	uint32_t op, rp;   /* packets */
	const char *state;
};

struct out {
	struct flow *v;
	size_t n, cap;
};

static void add(struct out *o, const struct flow *f)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 4096;
		o->v = realloc(o->v, o->cap * sizeof(*o->v));
		if (!o->v) {
			perror("realloc");
			exit(1);
		}
	}
	o->v[o->n++] = *f;
}

static int cmp_flow(const void *a, const void *b)
{
	const struct flow *x = a, *y = b;
	if (x->us != y->us)
		return x->us < y->us ? -1 : 1;
	if (x->src != y->src)
		return x->src < y->src ? -1 : 1;
	return x->dst < y->dst ? -1 : x->dst > y->dst;
}

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
static const uint32_t RT = IP(192, 168, 1, 1), NAS = IP(192, 168, 1, 20), SRV = IP(192, 168, 1, 10),
                      MAIL = IP(192, 168, 1, 25);
static const uint32_t NTP1 = IP(203, 0, 113, 123), NTP2 = IP(203, 0, 113, 124),
                      DNS1 = IP(203, 0, 113, 53), CDN = IP(198, 51, 100, 80),
                      CDN2 = IP(198, 51, 100, 81);
static const uint32_t C2 = IP(45, 33, 12, 7), EXFIL = IP(91, 198, 44, 21),
                      NEWD = IP(77, 83, 200, 14), IOC = IP(193, 42, 33, 77);

static void ipstr(uint32_t ip, char *b)
{
	snprintf(b, 20, "%u.%u.%u.%u", ip >> 24, ip >> 16 & 255, ip >> 8 & 255, ip & 255);
}

struct cfg {
	int64_t start;      /* seconds, 00:00 UTC of day 1 */
	int days;
	int nws;            /* workstations */
	int ws_rate;        /* web flows per workstation-hour (office hours) */
	int dns_rate;       /* router DNS forwards per hour */
	int cases;          /* 0: none */
	int case_day;       /* first case day (0-based) */
	int beacon_s;       /* beacon period */
};

/* A pool of "the internet": popular web destinations reused across days. */
static uint32_t web_dest(struct gen_rng *r)
{
	uint32_t k = gen_below(r, 3000);
	/* 23.x … 151.x: public, not the case addresses above */
	return IP(23 + k % 120, 8 + k / 120 % 200, 10 + k % 97, 1 + k % 250);
}

static uint16_t eport(struct gen_rng *r)
{
	return (uint16_t)(32768 + gen_below(r, 28000));
}

static void flow_tcp(struct out *o, struct gen_rng *r, int64_t us, uint32_t s, uint32_t d,
                     uint16_t dp, const char *svc, uint64_t ob, uint64_t rb, uint32_t ms)
{
	uint16_t sp = eport(r);
	struct flow f = {us, s, d, sp, dp, 6, svc, ms, ob, rb,
	                 (uint32_t)(4 + ob / 1400), (uint32_t)(4 + rb / 1400), "SF"};
	add(o, &f);
}

static void flow_udp(struct out *o, struct gen_rng *r, int64_t us, uint32_t s, uint32_t d,
                     uint16_t dp, const char *svc, uint64_t ob, uint64_t rb)
{
	/* one draw per statement: argument and initializer order is unspecified
	 * in C, and gcc and clang must write the same bytes */
	uint16_t sp = eport(r);
	uint32_t ms = 1 + gen_below(r, 40);
	struct flow f = {us, s, d, sp, dp, 17, svc, ms, ob, rb, 1, 1, "SF"};
	add(o, &f);
}

static int64_t jit(struct gen_rng *r, int64_t base_us, int64_t spread_us)
{
	return base_us - spread_us + (int64_t)(gen_next(r) % (uint64_t)(2 * spread_us + 1));
}

/* One day of flows (day d, 0-based) into o; device log lines into fw/dev. */
static void gen_day(const struct cfg *c, int d, struct gen_rng *r, struct out *o, FILE *fw,
                    FILE *dev, FILE *truth)
{
	int64_t day0 = c->start + d * DAY;
	int cd = c->case_day;
	/* NTP: router, server, NAS, mail poll every 1024 s (RFC 5905 maxpoll 10) */
	uint32_t ntp_clients[] = {RT, SRV, NAS, MAIL};
	for (size_t k = 0; k < 4; k++)
		for (int64_t t = 37 * (int64_t)k; t < DAY; t += 1024) {
			int64_t us = (day0 + t) * 1000000 + gen_below(r, 900000);
			flow_udp(o, r, us, ntp_clients[k], k % 2 ? NTP2 : NTP1, 123, "-", 48, 48);
		}
	/* DNS: the router forwards the office's queries to the ISP resolver */
	for (int h = 0; h < 24; h++) {
		int n = (h >= 8 && h < 19) ? c->dns_rate : c->dns_rate / 6;
		for (int k = 0; k < n; k++)
		{
			int64_t us = (day0 + h * 3600) * 1000000 + (int64_t)(gen_next(r) % 3600000000ULL);
			uint64_t ob = 30 + gen_below(r, 40);
			uint64_t rb = 60 + gen_below(r, 200);
			flow_udp(o, r, us, RT, DNS1, 53, "dns", ob, rb);
		}
	}
	/* update checks: router, NAS and server hourly to the vendor CDN (± 10 min) */
	uint32_t upd[] = {RT, NAS, SRV};
	for (size_t k = 0; k < 3; k++)
		for (int h = 0; h < 24; h++)
		{
			int64_t us = jit(r, (day0 + h * 3600 + 1800) * 1000000, 600000000);
			uint64_t ob = 700 + gen_below(r, 60);
			uint64_t rb = 4100 + gen_below(r, 200);
			uint32_t ms = 200 + gen_below(r, 300);
			flow_tcp(o, r, us, upd[k], k == 1 ? CDN2 : CDN, 443, "ssl", ob, rb, ms);
		}
	/* NAS: nightly cloud-backup check-in to a known address (a few kB) */
	{
		int64_t us = (day0 + 2 * 3600 + gen_below(r, 600)) * 1000000;
		uint64_t ob = 20000 + gen_below(r, 5000);
		uint64_t rb = 8000 + gen_below(r, 2000);
		flow_tcp(o, r, us, NAS, IP(52, 10, 20, 30), 443, "ssl", ob, rb, 4000);
	}
	/* server: OS mirror daily, and its own service talking to a partner API */
	{
		int64_t us = (day0 + 4 * 3600 + gen_below(r, 1800)) * 1000000;
		uint64_t rb = 3000000 + gen_below(r, 900000);
		flow_tcp(o, r, us, SRV, IP(151, 101, 2, 132), 443, "ssl", 2000, rb, 9000);
	}
	for (int k = 0; k < 6; k++) {
		int64_t us = (day0 + 9 * 3600 + (int64_t)(gen_next(r) % (8 * 3600))) * 1000000;
		us += gen_below(r, 999999);
		uint64_t ob = 3000 + gen_below(r, 6000);
		uint64_t rb = 9000 + gen_below(r, 20000);
		uint32_t ms = 400 + gen_below(r, 900);
		flow_tcp(o, r, us, SRV, IP(104, 18, 7, 9), 443, "ssl", ob, rb, ms);
	}
	/* mail gateway: outbound SMTP to a few dozen MX hosts in office hours */
	int nmail = 10 + (int)gen_below(r, 15);
	for (int k = 0; k < nmail; k++) {
		int64_t us = (day0 + 8 * 3600 + (int64_t)(gen_next(r) % (10 * 3600))) * 1000000;
		uint32_t mx = IP(74, 125, 10, 27) + (gen_below(r, 30) << 8);
		uint64_t ob = 4000 + gen_below(r, 90000);
		flow_tcp(o, r, us, MAIL, mx, 25, "smtp", ob, 900, 1500);
	}
	/* workstations: web in office hours (weekdays busier) */
	unsigned wd = (unsigned)((c->start / DAY + d + 4) % 7); /* 0 Sunday */
	int busy = wd >= 1 && wd <= 5;
	for (int w = 0; w < c->nws; w++) {
		uint32_t ws = IP(192, 168, 10, 0) + (uint32_t)(100 + w % 150) + (uint32_t)(w / 150) * 256;
		for (int h = 8; h < 19; h++) {
			int n = busy ? c->ws_rate : c->ws_rate / 8;
			for (int k = 0; k < n; k++) {
				int64_t us = (day0 + h * 3600) * 1000000 + (int64_t)(gen_next(r) % 3600000000ULL);
				uint32_t dst = web_dest(r);
				int https = gen_chance(r, 85);
				uint64_t ob = 300 + gen_below(r, 3000);
				uint64_t rb = 2000 + gen_below(r, 400000);
				uint32_t ms = 50 + gen_below(r, 20000);
				flow_tcp(o, r, us, ws, dst, https ? 443 : 80, https ? "ssl" : "http", ob, rb, ms);
			}
			if (gen_chance(r, 30)) { /* Windows Update: allowlisted CDN */
				int64_t us = (day0 + h * 3600) * 1000000 + (int64_t)(gen_next(r) % 3600000000ULL);
				uint64_t rb = 60000 + gen_below(r, 1000000);
				flow_tcp(o, r, us, ws, CDN, 443, "ssl", 900, rb, 3000);
			}
		}
	}
	/* ---- the router's own logs: inbound scans dropped, every few minutes --- */
	int sil_from = -1, sil_to = -1; /* hours since day0 of the silence window */
	if (c->cases && d == cd + 3)
		sil_from = 2, sil_to = 24;
	if (c->cases && d == cd + 4)
		sil_from = 0, sil_to = 14;
	for (int64_t t = gen_below(r, 300); t < DAY; t += 120 + gen_below(r, 600)) {
		int h = (int)(t / 3600);
		if (h >= sil_from && h < sil_to)
			continue;
		char ts[40], sip[20];
		int y;
		unsigned mo, dd;
		gen_civil((day0 + t) / DAY, &y, &mo, &dd);
		int64_t s = (day0 + t) % DAY;
		snprintf(ts, sizeof(ts), "%04d-%02u-%02uT%02d:%02d:%02d+00:00", y, mo, dd, (int)(s / 3600),
		        (int)(s / 60 % 60), (int)(s % 60));
		uint32_t a = 80 + gen_below(r, 40), b = gen_below(r, 256);
		uint32_t cc = gen_below(r, 256), dd4 = 1 + gen_below(r, 254);
		ipstr(IP(a, b, cc, dd4), sip);
		unsigned ttl = 40 + gen_below(r, 20), id = gen_below(r, 65535);
		unsigned spt = 1024 + gen_below(r, 60000);
		static const unsigned dpts[] = {22, 23, 445, 3389, 8080, 5555};
		unsigned dpt = dpts[gen_below(r, 6)];
		fprintf(fw,
		        "%s rt01 kernel: [WAN-IN DROP] IN=ppp0 OUT= MAC= SRC=%s DST=203.0.113.200 "
		        "LEN=44 TOS=0x00 PREC=0x00 TTL=%u ID=%u PROTO=TCP SPT=%u DPT=%u WINDOW=1024 "
		        "RES=0x00 SYN URGP=0\n",
		        ts, sip, ttl, id, spt, dpt);
	}
	/* ---- device syslog: admin logins from the admin workstation --------- */
	{
		char ts[40];
		int y;
		unsigned mo, dd;
		gen_civil(day0 / DAY, &y, &mo, &dd);
		int64_t t = 9 * 3600 + gen_below(r, 7 * 3600);
		if (busy && !(t / 3600 >= sil_from && t / 3600 < sil_to)) {
			snprintf(ts, sizeof(ts), "%04d-%02u-%02uT%02d:%02d:%02d+00:00", y, mo, dd, (int)(t / 3600),
			        (int)(t / 60 % 60), (int)(t % 60));
			unsigned pid = 1000 + gen_below(r, 30000), port = 40000 + gen_below(r, 20000);
			fprintf(dev, "%s rt01 sshd[%u]: Accepted password for admin from 192.168.10.100 port %u ssh2\n",
			        ts, pid, port);
			fprintf(dev, "%s sw01 %u: *%s %2u %02d:%02d:%02d.123: %%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: netops] [Source: 192.168.10.100] [localport: 22] at %02d:%02d:%02d UTC\n",
			        ts, 100 + d, gen_month_abbr[mo - 1], dd, (int)(t / 3600), (int)(t / 60 % 60),
			        (int)(t % 60) , (int)(t / 3600), (int)(t / 60 % 60), (int)(t % 60));
		}
		if (c->cases && d == cd + 2) {
			t = 3 * 3600 + 12 * 60 + 9;
			snprintf(ts, sizeof(ts), "%04d-%02u-%02uT%02d:%02d:%02d+00:00", y, mo, dd, (int)(t / 3600),
			        (int)(t / 60 % 60), (int)(t % 60));
			fprintf(dev, "%s rt01 sshd[31337]: Accepted password for admin from 103.77.190.12 port 51514 ssh2\n", ts);
			fprintf(truth, "admin rt01 103.77.190.12 egress_admin_login\n");
		}
	}
	if (!c->cases)
		return;
	/* ---- embedded cases ---------------------------------------------------- */
	if (d >= cd) { /* beacon from day cd 10:00 on */
		int64_t t0 = d == cd ? 10 * 3600 : 0;
		for (int64_t t = t0; t < DAY; t += c->beacon_s) {
			int64_t us = jit(r, (day0 + t) * 1000000, (int64_t)c->beacon_s * 80000);
			uint64_t ob = 410 + gen_below(r, 30);
			uint64_t rb = 180 + gen_below(r, 20);
			uint32_t ms = 120 + gen_below(r, 80);
			flow_tcp(o, r, us, RT, C2, 8443, "ssl", ob, rb, ms);
		}
		if (d == cd)
			fprintf(truth, "beacon 192.168.1.1 45.33.12.7 egress_beaconing\n");
	}
	if (d >= cd + 1 && d <= cd + 3) { /* exfil 01:00-04:00, 3 nights, ~1.67 GB each */
		for (int k = 0; k < 33; k++)
		{
			int64_t us = (day0 + 3600 + k * 320 + gen_below(r, 60)) * 1000000;
			uint64_t ob = 50000000 + gen_below(r, 1000000);
			uint64_t rb = 90000 + gen_below(r, 5000);
			flow_tcp(o, r, us, NAS, EXFIL, 443, "ssl", ob, rb, 300000);
		}
		if (d == cd + 1)
			fprintf(truth, "exfil 192.168.1.20 91.198.44.21 exfiltration_volume\n");
	}
	if (d == cd + 2) { /* server: first contact, odd port */
		for (int k = 0; k < 3; k++)
		{
			uint64_t ob = 1200 + gen_below(r, 400);
			uint64_t rb = 23000 + gen_below(r, 4000);
			flow_tcp(o, r, (day0 + 13 * 3600 + 37 * 60 + k * 95) * 1000000, SRV, NEWD, 4444, "-",
			         ob, rb, 9000);
		}
		fprintf(truth, "newdest 192.168.1.10 77.83.200.14 egress_first_seen\n");
	}
	if (d == cd + 1) { /* IoC */
		flow_tcp(o, r, (day0 + 15 * 3600 + 4 * 60) * 1000000, IP(192, 168, 10, 107), IOC, 80, "http",
		         420, 180000, 800);
		fprintf(truth, "ioc 192.168.10.107 193.42.33.77 ioc_match\n");
	}
	if (d == cd + 3)
		fprintf(truth, "silence rt01 192.168.1.1 egress_log_silence\n");
}

static void write_conn(FILE *f, struct out *o)
{
	qsort(o->v, o->n, sizeof(*o->v), cmp_flow);
	for (size_t i = 0; i < o->n; i++) {
		const struct flow *x = &o->v[i];
		char s[20], d[20];
		ipstr(x->src, s);
		ipstr(x->dst, d);
		/* uid: deterministic "C" + 17 base62 from the index and time */
		char uid[19];
		uint64_t u = (uint64_t)x->us * 2654435761ULL ^ (uint64_t)i * 0x9e3779b97f4a7c15ULL;
		static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
		uid[0] = 'C';
		for (int k = 1; k < 18; k++) {
			uid[k] = b62[u % 62];
			u = u / 62 ^ (u << 7) ^ (uint64_t)k;
		}
		uid[18] = '\0';
		fprintf(f, "%lld.%06lld\t%s\t%s\t%u\t%s\t%u\t%s\t%s\t%u.%06u\t%llu\t%llu\t%s\tT\tF\t0\t%s\t%u\t%llu\t%u\t%llu\t-\n",
		        (long long)(x->us / 1000000), (long long)(x->us % 1000000), uid, s, x->sp, d,
		        x->dp, x->proto == 6 ? "tcp" : "udp", x->svc, x->dur_ms / 1000,
		        (x->dur_ms % 1000) * 1000, (unsigned long long)x->ob, (unsigned long long)x->rb,
		        x->state, x->proto == 6 ? "ShADadFf" : "Dd", x->op,
		        (unsigned long long)(x->ob + 40ULL * x->op), x->rp,
		        (unsigned long long)(x->rb + 40ULL * x->rp));
	}
	o->n = 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fprintf(stderr, "usage: mamori-gen-net OUTDIR [month|learn|detect|demo|bench:N|wide:N] [SEED]\n");
		return argc < 2 ? 2 : 0;
	}
	const char *dir = argv[1], *mode = argc > 2 ? argv[2] : "month";
	uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 4;
	struct cfg c = {gen_days_from_civil(2026, 10, 1) * DAY, 31, 20, 12, 120, 1, 11, 60};
	if (!strcmp(mode, "learn")) {
		c.cases = 0;
	} else if (!strcmp(mode, "detect")) {
		c.start = gen_days_from_civil(2026, 11, 1) * DAY;
		c.days = 30;
		c.case_day = 1;
	} else if (!strcmp(mode, "demo")) {
		c.start = gen_days_from_civil(2026, 11, 16) * DAY;
		c.days = 10;
		c.nws = 2;
		c.ws_rate = 1;
		c.dns_rate = 6;
		c.case_day = 6;
		c.beacon_s = 600;
	} else if (!strncmp(mode, "bench:", 6)) {
		/* the same office over as many days as N million lines take */
		double m = atof(mode + 6);
		c.cases = 0;
		c.days = (int)(m * 1e6 / 4900);
		if (c.days < 1)
			c.days = 1;
	} else if (!strncmp(mode, "wide:", 5)) {
		/* a month of an office with as many workstations as N million lines
		 * take: about a million distinct host → address pairs at 2 */
		double m = atof(mode + 5);
		c.cases = 0;
		c.nws = (int)(m * 1e6 / 31 / (11 * 12 * 0.8));
		if (c.nws < 1)
			c.nws = 1;
		if (c.nws > MAX_WS)
			c.nws = MAX_WS;
	} else if (strcmp(mode, "month")) {
		fprintf(stderr, "mamori-gen-net: unknown mode '%s'\n", mode);
		return 2;
	}
	if (mkdir(dir, 0777) && errno != EEXIST) {
		perror(dir);
		return 1;
	}
	char p[4096];
	FILE *fc, *fw, *fd, *ft, *fi;
#define OPEN(f, name)                                                  \
	snprintf(p, sizeof(p), "%s/%s", dir, name);                    \
	if (!(f = fopen(p, "w"))) {                                    \
		perror(p);                                             \
		return 1;                                              \
	}
	OPEN(fc, "conn.log")
	OPEN(fw, "fw.log")
	OPEN(fd, "devices.log")
	OPEN(ft, "ground-truth.txt")
	OPEN(fi, "ioc-ips.txt")
	fprintf(fi, "# indicator list (one address or CIDR per line)\n193.42.33.77\n185.100.87.0/24\n");
	fprintf(ft, "# case host peer expected-rule (mamori-gen-net %s, seed %llu)\n", mode,
	        (unsigned long long)seed);
	fprintf(fc, "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n"
	            "#path\tconn\n#open\t2026-10-01-00-00-00\n"
	            "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\t"
	            "duration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\t"
	            "missed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\t"
	            "tunnel_parents\n"
	            "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\t"
	            "count\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\n");
	struct gen_rng r;
	gen_rng_seed(&r, seed);
	struct out o = {0};
	for (int d = 0; d < c.days; d++) {
		gen_day(&c, d, &r, &o, fw, fd, ft);
		write_conn(fc, &o);
	}
	fprintf(fc, "#close\t2026-12-01-00-00-00\n");
	free(o.v);
	fclose(fc);
	fclose(fw);
	fclose(fd);
	fclose(ft);
	fclose(fi);
	if (!strcmp(mode, "demo")) {
		FILE *fr;
		OPEN(fr, "README.md")
		fputs("# mamori demo data: network egress\n\n"
		      "Generated by `mamori-gen-net OUTDIR demo` (tools/gen_net.c, fixed seed; this file\n"
		      "too). Do not edit by hand: the test suite checks that the committed files equal\n"
		      "the generator's output byte for byte (tests/integration/test_egress_demo_gen.sh).\n\n"
		      "Ten days (2026-11-16 to 2026-11-25, UTC) of a small office network: router rt01\n"
		      "(192.168.1.1), switch sw01, NAS nas01 (192.168.1.20), server srv01 (192.168.1.10),\n"
		      "mail gateway (192.168.1.25) and two workstations.\n\n"
		      "- `conn.log` — Zeek conn.log (TSV) at the uplink.\n"
		      "- `fw.log` — the router's own netfilter log (inbound scans dropped).\n"
		      "- `devices.log` — the devices' syslog: admin logins (sshd on rt01, Cisco IOS on sw01).\n"
		      "- `ioc-ips.txt` — the indicator list named in data/demo/mamori.yaml.\n"
		      "- `ground-truth.txt` — the embedded cases (case, host, peer, expected analyzer).\n"
		      "- `expected-alerts.txt` — the alerts `mamori scan` must give on these files\n"
		      "  (`<file> <line> <rule id>`; checked by tests/integration/test_demo.sh).\n\n"
		      "Benign and periodic, and quiet: NTP to the configured servers every 1024 s, the\n"
		      "router's DNS forwarding to the configured resolver, hourly update checks to the\n"
		      "allowlisted CDN 198.51.100.0/24, the NAS's nightly backup check-in.\n\n"
		      "Embedded (from day 7): the router beacons to 45.33.12.7:8443 every 600 s ± 8 %;\n"
		      "the NAS sends ~5 GB to 91.198.44.21:443 over three nights; the server's first\n"
		      "contact with 77.83.200.14:4444; a workstation reaches the listed 193.42.33.77;\n"
		      "an admin login to rt01 from 103.77.190.12 (outside the admin network); rt01's\n"
		      "log goes silent for its last 22 hours while its traffic goes on.\n",
		      fr);
		fclose(fr);
	}
	return 0;
}
