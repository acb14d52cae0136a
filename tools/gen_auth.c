/* mamori-gen-auth OUTDIR [SEED] — the account-attack evaluation data set:
 * one day of a shop's logins (app auth log as ECS JSON Lines and the same
 * events as key=value lines, the same logins in the web server's access log,
 * and an sshd auth.log) with a large benign
 * background — home users, NAT'd offices with many users behind one address,
 * mobile carriers' shared addresses, forgetful users — and embedded campaigns
 * with known attacker addresses and compromised accounts, written to
 * OUTDIR/ground-truth.json. Deterministic for a seed (splitmix64); used by
 * tests/integration/test_auth_eval.sh and bench/bench_auth.sh. */
#include "gen_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DAY0 INT64_C(1795651200) /* 2026-11-26T00:00:00Z */
#define SPAN (86400)
#define NUSERS 6000
#define NOFFICES 3
#define OFFICE_USERS 150
#define NCARRIER_IPS 12
#define CARRIER_USERS 1500
#define NFORGETFUL 40
#define STUFF_IPS 300
#define STUFF_TRIES 3
#define STUFF_HITS 6
#define SPRAY_ACCOUNTS 120
#define BF_TRIES 60
#define GUESS_TRIES 8
#define SSH_SPRAY_USERS 40
#define SSH_BF_TRIES 150
#define STORM_IPS 60

enum kind { K_APP, K_SSH_FAIL, K_SSH_INVALID, K_SSH_OK_PW, K_SSH_OK_KEY, K_PAGE };

struct ev {
	int64_t t_ms;
	uint32_t seq;
	uint8_t kind, ok;
	char ip[40];
	char user[40];
};

static struct ev *g_ev;
static size_t g_n, g_cap;
static uint32_t g_seq;
static struct gen_rng g_r;

static struct ev *push(int64_t t_ms, enum kind k, const char *ip, const char *user, int ok)
{
	if (g_n == g_cap) {
		g_cap = g_cap ? g_cap * 2 : 65536;
		g_ev = realloc(g_ev, g_cap * sizeof(*g_ev));
		if (!g_ev) {
			fputs("mamori-gen-auth: out of memory\n", stderr);
			exit(1);
		}
	}
	struct ev *e = &g_ev[g_n++];
	e->t_ms = t_ms;
	e->seq = g_seq++;
	e->kind = (uint8_t)k;
	e->ok = (uint8_t)ok;
	snprintf(e->ip, sizeof(e->ip), "%s", ip);
	snprintf(e->user, sizeof(e->user), "%s", user ? user : "");
	return e;
}

static int cmp_ev(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;
	if (x->t_ms != y->t_ms)
		return x->t_ms < y->t_ms ? -1 : 1;
	return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

static void user_name(char *out, size_t n, unsigned i)
{
	static const char *const first[] = {"akira", "yuki", "hana", "ken", "mai", "sora",
	                                    "riku", "emi", "taro", "nao", "jun", "rin"};
	snprintf(out, n, "%s.%04u", first[i % 12], i);
}

/* A login: a forgetful user fails fails times (a few seconds apart) first. */
static void login(int64_t t_ms, const char *ip, const char *user, unsigned fails, int succeed)
{
	for (unsigned i = 0; i < fails; i++) {
		push(t_ms, K_APP, ip, user, 0);
		t_ms += 4000 + gen_below(&g_r, 20000);
	}
	if (succeed) {
		push(t_ms, K_APP, ip, user, 1);
		/* the pages a logged-in user looks at */
		push(t_ms + 1500, K_PAGE, ip, "/account", 1);
		push(t_ms + 9000 + gen_below(&g_r, 60000), K_PAGE, ip, "/products", 1);
	}
}

static unsigned benign_fails(void)
{
	/* 5 % of logins start with a typo or two; never 5 in a row */
	if (!gen_chance(&g_r, 5))
		return 0;
	return 1 + gen_below(&g_r, 2);
}

/* RNG calls are sequenced in statements of their own: the order in which C
 * evaluates operands and arguments is unspecified (gcc and clang differ), and
 * the generated files must be the same whatever the compiler. */
static int64_t day_time(unsigned from_h, unsigned to_h)
{
	int64_t secs = DAY0 + from_h * 3600 + gen_below(&g_r, (to_h - from_h) * 3600);
	int64_t ms = gen_below(&g_r, 1000);
	return secs * 1000 + ms;
}

static FILE *open_out(const char *dir, const char *name)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	if (!f) {
		fprintf(stderr, "mamori-gen-auth: cannot write %s: %s\n", p, strerror(errno));
		exit(1);
	}
	return f;
}

static void iso(char *out, size_t n, int64_t t_ms)
{
	int64_t s = t_ms / 1000;
	int y;
	unsigned m, d;
	gen_civil(s / 86400, &y, &m, &d);
	int64_t r = s % 86400;
	snprintf(out, n, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", y, m, d, (int)(r / 3600),
	         (int)(r / 60 % 60), (int)(r % 60), (int)(t_ms % 1000));
}

/* ---- ground truth -------------------------------------------------------- */

struct campaign {
	const char *id, *type, *log;
	char **ips;
	size_t nips;
	char **accounts; /* compromised */
	size_t naccounts;
	int64_t start_ms, end_ms;
};
static struct campaign g_camp[16];
static size_t g_ncamp;

static char *dupstr(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	if (!p)
		exit(1);
	memcpy(p, s, n);
	return p;
}

static struct campaign *camp(const char *id, const char *type, const char *log)
{
	struct campaign *c = &g_camp[g_ncamp++];
	c->id = id;
	c->type = type;
	c->log = log;
	c->start_ms = INT64_MAX;
	c->end_ms = INT64_MIN;
	return c;
}

static void camp_ip(struct campaign *c, const char *ip)
{
	for (size_t i = 0; i < c->nips; i++)
		if (!strcmp(c->ips[i], ip))
			return;
	c->ips = realloc(c->ips, (c->nips + 1) * sizeof(*c->ips));
	c->ips[c->nips++] = dupstr(ip);
}

static void camp_acct(struct campaign *c, const char *u)
{
	c->accounts = realloc(c->accounts, (c->naccounts + 1) * sizeof(*c->accounts));
	c->accounts[c->naccounts++] = dupstr(u);
}

static void camp_time(struct campaign *c, int64_t t)
{
	if (t < c->start_ms)
		c->start_ms = t;
	if (t > c->end_ms)
		c->end_ms = t;
}

static void json_list(FILE *f, char **v, size_t n)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\"%s\"", i ? "," : "", v[i]);
	fputc(']', f);
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fputs("usage: mamori-gen-auth OUTDIR [SEED]\n", stderr);
		return 2;
	}
	const char *dir = argv[1];
	uint64_t seed = argc == 3 ? strtoull(argv[2], NULL, 10) : 7;
	mkdir(dir, 0755);
	gen_rng_seed(&g_r, seed);
	char ip[40], u[40];

	/* --- benign populations --- */
	/* home users: one address each, 0-3 logins a day */
	for (unsigned i = 0; i < NUSERS; i++) {
		user_name(u, sizeof(u), i);
		snprintf(ip, sizeof(ip), "45.%u.%u.%u", 10 + i / 60000, (i / 250) % 250 + 1,
		         i % 250 + 1);
		unsigned k = gen_below(&g_r, 4);
		for (unsigned j = 0; j < k; j++) {
			int64_t when = day_time(6, 24);
			login(when, ip, u, benign_fails(), 1);
		}
	}
	/* NAT'd offices: many users behind one address, office hours */
	for (unsigned o = 0; o < NOFFICES; o++) {
		snprintf(ip, sizeof(ip), "81.2.69.%u", 10 + o);
		for (unsigned i = 0; i < OFFICE_USERS; i++) {
			user_name(u, sizeof(u), NUSERS + o * OFFICE_USERS + i);
			unsigned k = 1 + gen_below(&g_r, 4);
			for (unsigned j = 0; j < k; j++) {
				int64_t when = day_time(8, 18);
				login(when, ip, u, benign_fails(), 1);
			}
		}
	}
	/* mobile carrier: a small pool of shared (CGNAT) addresses, users hop */
	for (unsigned i = 0; i < CARRIER_USERS; i++) {
		user_name(u, sizeof(u), NUSERS + NOFFICES * OFFICE_USERS + i);
		unsigned k = 1 + gen_below(&g_r, 3);
		for (unsigned j = 0; j < k; j++) {
			unsigned net = 16 + gen_below(&g_r, 2);
			unsigned host = 1 + gen_below(&g_r, NCARRIER_IPS / 2);
			snprintf(ip, sizeof(ip), "37.120.%u.%u", net, host);
			int64_t when = day_time(0, 24);
			login(when, ip, u, benign_fails(), 1);
		}
	}
	/* forgetful users: 2-4 failures before they get it right, or give up */
	for (unsigned i = 0; i < NFORGETFUL; i++) {
		user_name(u, sizeof(u), 9000 + i);
		snprintf(ip, sizeof(ip), "46.%u.%u.%u", 20 + i / 200, i % 200 + 1, 7);
		int64_t when = day_time(7, 23);
		login(when, ip, u, 2 + gen_below(&g_r, 3), i % 5 != 0);
	}
	/* sshd: admins with keys; one types a password wrong twice */
	static const char *const admins[] = {"deploy", "ops", "backup"};
	for (unsigned i = 0; i < 300; i++) {
		snprintf(ip, sizeof(ip), "81.2.69.%u", 10 + i % NOFFICES);
		push(day_time(0, 24), K_SSH_OK_KEY, ip, admins[i % 3], 1);
	}
	{
		int64_t t = day_time(9, 10);
		push(t, K_SSH_FAIL, "81.2.69.11", "ops", 0);
		push(t + 5000, K_SSH_FAIL, "81.2.69.11", "ops", 0);
		push(t + 11000, K_SSH_OK_PW, "81.2.69.11", "ops", 1);
	}

	/* --- campaigns --- */
	struct campaign *c;
	/* 1. single-source brute force on one account, then success */
	c = camp("app-brute-force", "brute_force", "app-auth.jsonl access.log");
	{
		int64_t t = (DAY0 + 2 * 3600) * 1000;
		user_name(u, sizeof(u), 17);
		for (unsigned i = 0; i < BF_TRIES; i++) {
			push(t, K_APP, "203.0.113.66", u, 0);
			camp_time(c, t);
			t += 15000 + gen_below(&g_r, 10000);
		}
		push(t, K_APP, "203.0.113.66", u, 1);
		camp_time(c, t);
		camp_ip(c, "203.0.113.66");
		camp_acct(c, u);
	}
	/* 2. password spraying from one source: one password, many accounts */
	c = camp("app-spraying", "spraying", "app-auth.jsonl access.log");
	{
		int64_t t = (DAY0 + 4 * 3600) * 1000;
		for (unsigned i = 0; i < SPRAY_ACCOUNTS; i++) {
			user_name(u, sizeof(u), 100 + i * 37);
			int ok = i == 77;
			push(t, K_APP, "198.51.100.77", u, ok);
			if (ok)
				camp_acct(c, u);
			camp_time(c, t);
			t += 8000 + gen_below(&g_r, 12000);
		}
		camp_ip(c, "198.51.100.77");
	}
	/* 3. distributed credential stuffing: 300 addresses x 3 attempts in 1 h,
	 * each with a different leaked account; a few leaked passwords work */
	c = camp("app-stuffing", "credential_stuffing", "app-auth.jsonl access.log");
	{
		int64_t t0 = (DAY0 + 13 * 3600) * 1000;
		unsigned hit = 0;
		for (unsigned i = 0; i < STUFF_IPS; i++) {
			snprintf(ip, sizeof(ip), "185.%u.%u.%u", 100 + i % 7, 10 + (i * 13) % 200,
			         2 + (i * 29) % 250);
			camp_ip(c, ip);
			int64_t t = t0 + (int64_t)gen_below(&g_r, 3400) * 1000;
			for (unsigned k = 0; k < STUFF_TRIES; k++) {
				unsigned a = (i * STUFF_TRIES + k) * 7 + 11;
				int ok = (i * STUFF_TRIES + k) % 150 == 149 && hit < STUFF_HITS;
				if (a % 3 == 0)
					snprintf(u, sizeof(u), "leak%05u", a); /* not our account */
				else
					user_name(u, sizeof(u), a % NUSERS);
				push(t, K_APP, ip, u, ok);
				if (ok) {
					camp_acct(c, u);
					hit++;
				}
				camp_time(c, t);
				t += 5000 + gen_below(&g_r, 40000);
			}
		}
	}
	/* 4. targeted guessing of one account, then success */
	c = camp("app-success-after-failures", "success_after_failures",
	         "app-auth.jsonl access.log");
	{
		int64_t t = (DAY0 + 16 * 3600) * 1000;
		user_name(u, sizeof(u), 4242);
		for (unsigned i = 0; i < GUESS_TRIES; i++) {
			push(t, K_APP, "192.0.2.200", u, 0);
			camp_time(c, t);
			t += 20000 + gen_below(&g_r, 30000);
		}
		push(t, K_APP, "192.0.2.200", u, 1);
		camp_time(c, t);
		camp_ip(c, "192.0.2.200");
		camp_acct(c, u);
	}
	/* 5. sshd brute force on root */
	c = camp("ssh-brute-force", "ssh_brute_force", "auth.log");
	{
		int64_t t = (DAY0 + 3 * 3600) * 1000;
		for (unsigned i = 0; i < SSH_BF_TRIES; i++) {
			push(t, K_SSH_FAIL, "203.0.113.99", "root", 0);
			camp_time(c, t);
			t += 2000 + gen_below(&g_r, 3000);
		}
		camp_ip(c, "203.0.113.99");
	}
	/* 6. sshd spraying: many account names from one source */
	c = camp("ssh-spraying", "ssh_spraying", "auth.log");
	{
		static const char *const names[] = {"admin", "test", "oracle", "postgres", "ubuntu",
		                                    "pi", "git", "guest", "user", "ftpuser"};
		int64_t t = (DAY0 + 20 * 3600) * 1000;
		for (unsigned i = 0; i < SSH_SPRAY_USERS; i++) {
			snprintf(u, sizeof(u), "%s%u", names[i % 10], i / 10 ? i / 10 : 0);
			push(t, i % 2 ? K_SSH_FAIL : K_SSH_INVALID, "198.51.100.150", u, 0);
			camp_time(c, t);
			t += 10000 + gen_below(&g_r, 20000);
		}
		camp_ip(c, "198.51.100.150");
	}
	/* 7. distributed invalid-user storm on sshd: 60 addresses, 1 name each, 4 min */
	c = camp("ssh-invalid-user-storm", "ssh_invalid_user_storm", "auth.log");
	{
		int64_t t0 = (DAY0 + 22 * 3600) * 1000;
		for (unsigned i = 0; i < STORM_IPS; i++) {
			snprintf(ip, sizeof(ip), "194.%u.%u.%u", 26 + i % 3, 30 + i, 5 + i % 200);
			snprintf(u, sizeof(u), "svc%02u", i);
			int64_t t = t0 + (int64_t)gen_below(&g_r, 240) * 1000;
			push(t, K_SSH_INVALID, ip, u, 0);
			camp_time(c, t);
			camp_ip(c, ip);
		}
	}

	qsort(g_ev, g_n, sizeof(*g_ev), cmp_ev);

	/* --- write --- */
	FILE *fj = open_out(dir, "app-auth.jsonl");
	FILE *fa = open_out(dir, "access.log");
	FILE *fs = open_out(dir, "auth.log");
	FILE *fk = open_out(dir, "app-auth-kv.log"); /* the same app events, key=value */
	char ts[64], line[1024];
	unsigned pid = 20000, port;
	static const char *const uas[] = {
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
		"Chrome/120.0 Safari/537.36",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
		"(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0"};
	for (size_t i = 0; i < g_n; i++) {
		const struct ev *e = &g_ev[i];
		int64_t s = e->t_ms / 1000;
		const char *ua = uas[(e->seq * 2654435761u >> 7) % 3];
		if (e->kind == K_APP) {
			iso(ts, sizeof(ts), e->t_ms);
			fprintf(fj,
			        "{\"@timestamp\":\"%s\",\"event\":{\"category\":[\"authentication\"],"
			        "\"action\":\"user-login\",\"outcome\":\"%s\"},\"user\":{\"name\":\"%s\"},"
			        "\"source\":{\"ip\":\"%s\"},\"url\":{\"domain\":\"shop.example\","
			        "\"path\":\"/login\"},\"user_agent\":{\"original\":\"%s\"}}\n",
			        ts, e->ok ? "success" : "failure", e->user, e->ip, ua);
			fprintf(fk,
			        "time=%s level=info host=shop.example action=login user=%s src=%s "
			        "result=%s path=/login ua=\"%s\"\n",
			        ts, e->user, e->ip, e->ok ? "ok" : "denied", ua);
			gen_fmt_clf_time(ts, sizeof(ts), s, 0);
			struct gen_req q = {.ip = e->ip,
			                    .time = ts,
			                    .method = "POST",
			                    .target = "/login",
			                    .status = e->ok ? 302 : 401,
			                    .bytes = e->ok ? 0 : 1830,
			                    .referer = "https://shop.example/login",
			                    .ua = ua};
			size_t n = gen_fmt_combined(line, sizeof(line), &q);
			fwrite(line, 1, n, fa);
		} else if (e->kind == K_PAGE) {
			gen_fmt_clf_time(ts, sizeof(ts), s, 0);
			struct gen_req q = {.ip = e->ip, .time = ts, .method = "GET",
			                    .target = e->user, .status = 200, .bytes = 5120,
			                    .referer = "https://shop.example/", .ua = ua};
			size_t n = gen_fmt_combined(line, sizeof(line), &q);
			fwrite(line, 1, n, fa);
		} else {
			gen_fmt_syslog_time(ts, sizeof(ts), s);
			pid++;
			port = 30000 + (unsigned)(e->seq % 30000);
			switch (e->kind) {
			case K_SSH_FAIL:
				fprintf(fs, "%s web1 sshd[%u]: Failed password for %s from %s port %u ssh2\n",
				        ts, pid, e->user, e->ip, port);
				break;
			case K_SSH_INVALID:
				fprintf(fs, "%s web1 sshd[%u]: Invalid user %s from %s port %u\n", ts, pid,
				        e->user, e->ip, port);
				fprintf(fs,
				        "%s web1 sshd[%u]: Failed password for invalid user %s from %s port "
				        "%u ssh2\n",
				        ts, pid, e->user, e->ip, port);
				break;
			case K_SSH_OK_PW:
				fprintf(fs, "%s web1 sshd[%u]: Accepted password for %s from %s port %u ssh2\n",
				        ts, pid, e->user, e->ip, port);
				break;
			default:
				fprintf(fs,
				        "%s web1 sshd[%u]: Accepted publickey for %s from %s port %u ssh2: "
				        "ED25519 SHA256:3q2+7w\n",
				        ts, pid, e->user, e->ip, port);
				break;
			}
		}
	}
	fclose(fj);
	fclose(fa);
	fclose(fs);
	fclose(fk);

	FILE *fg = open_out(dir, "ground-truth.json");
	fprintf(fg, "{\n  \"seed\": %llu,\n  \"campaigns\": [\n", (unsigned long long)seed);
	for (size_t i = 0; i < g_ncamp; i++) {
		c = &g_camp[i];
		char a[64], b[64];
		iso(a, sizeof(a), c->start_ms);
		iso(b, sizeof(b), c->end_ms);
		fprintf(fg, "    {\"id\": \"%s\", \"type\": \"%s\", \"logs\": \"%s\", \"start\": \"%s\", "
		            "\"end\": \"%s\",\n     \"compromised_accounts\": ",
		        c->id, c->type, c->log, a, b);
		json_list(fg, c->accounts, c->naccounts);
		fprintf(fg, ",\n     \"attacker_ips\": ");
		json_list(fg, c->ips, c->nips);
		fprintf(fg, "}%s\n", i + 1 < g_ncamp ? "," : "");
	}
	fprintf(fg, "  ],\n  \"benign_populations\": [\n"
	            "    {\"name\": \"home users\", \"ip_prefix\": \"45.\"},\n"
	            "    {\"name\": \"NAT offices\", \"ip_prefix\": \"81.2.69.\"},\n"
	            "    {\"name\": \"mobile carrier shared IPs\", \"ip_prefix\": \"37.120.\"},\n"
	            "    {\"name\": \"forgetful users\", \"ip_prefix\": \"46.\"}\n  ]\n}\n");
	fclose(fg);
	fprintf(stderr, "mamori-gen-auth: %zu events, %zu campaigns in %s\n", g_n, g_ncamp, dir);
	for (size_t i = 0; i < g_ncamp; i++) {
		for (size_t j = 0; j < g_camp[i].nips; j++)
			free(g_camp[i].ips[j]);
		for (size_t j = 0; j < g_camp[i].naccounts; j++)
			free(g_camp[i].accounts[j]);
		free(g_camp[i].ips);
		free(g_camp[i].accounts);
	}
	free(g_ev);
	return 0;
}
