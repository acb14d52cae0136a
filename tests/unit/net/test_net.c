/* mamori — unit tests for the egress module (src/net/): configuration
 * (roles, hosts, typos and bad values are errors), enrichment (roles by
 * longest prefix, direction), first-seen after learning and its re-scan
 * idempotence, beaconing (regular vs irregular), allowlists and resolvers,
 * port policy, IoC addresses and domains, admin logins, exfiltration volume
 * and log silence at flush, and the learned state across two stores opens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mamori/net.h"

#define S MM_NS_PER_SEC
#define DAY (86400 * S)
static const int64_t T0 = INT64_C(1790812800) * S; /* 2026-10-01T00:00:00Z */

struct got {
	char types[64][40];
	char expl[64][256];
	size_t n;
};

static void on_res(void *ud, const struct mm_corr_result *r, const struct mm_event *ev)
{
	(void)ev;
	struct got *g = ud;
	if (g->n < 64) {
		snprintf(g->types[g->n], sizeof(g->types[0]), "%s", r->rule->corr_type);
		if (r->nlists && r->lists[0].n)
			snprintf(g->expl[g->n], sizeof(g->expl[0]), "%.*s", (int)r->lists[0].v[0].n,
			         r->lists[0].v[0].p);
	}
	g->n++;
}

static size_t count(const struct got *g, const char *type)
{
	size_t k = 0;
	for (size_t i = 0; i < g->n && i < 64; i++)
		k += !strcmp(g->types[i], type);
	return k;
}

static const char g_cfg[] =
	"assets:\n"
	"  internal: [192.168.0.0/16]\n"
	"  admin_networks: [192.168.10.0/24]\n"
	"  roles:\n"
	"    network-device: {cidrs: [192.168.1.0/24]}\n"
	"    server: {cidrs: [192.168.1.10/32], ports: [443, 123]}\n"
	"    workstation: {cidrs: [192.168.10.0/24]}\n"
	"  hosts:\n"
	"    rt01: {ip: 192.168.1.1, role: network-device}\n"
	"egress:\n"
	"  learn_days: 2\n"
	"  resolvers: [203.0.113.53]\n"
	"  allow: [198.51.100.0/24]\n"
	"  beacon: {min_connections: 10}\n";

static struct mm_net *mk(const char *yaml, struct mm_store *store)
{
	struct mm_config *cfg = NULL;
	struct mm_error err;
	mm_error_clear(&err);
	assert_int_equal(mm_config_load_buffer(&cfg, "t.yaml", yaml, strlen(yaml), &err), MM_OK);
	struct mm_net *n = NULL;
	int rc = mm_net_new(&n, cfg, store, &err);
	if (rc)
		fprintf(stderr, "%s\n", err.msg);
	assert_int_equal(rc, MM_OK);
	mm_config_free(cfg);
	return n;
}

/* One flow event (strings are static or live in the caller's buffers). */
static void flow(struct mm_event *ev, int64_t ts, const char *src, const char *dst,
                 const char *dport, const char *sbytes)
{
	mm_event_clear(ev);
	ev->ts = ts;
	ev->f[MM_F_SOURCE_IP] = mm_slice_cstr(src);
	ev->f[MM_F_DESTINATION_IP] = mm_slice_cstr(dst);
	ev->f[MM_F_DESTINATION_PORT] = mm_slice_cstr(dport);
	ev->f[MM_F_NETWORK_TRANSPORT] = MM_SLICE_LIT("tcp");
	ev->f[MM_F_SOURCE_BYTES] = mm_slice_cstr(sbytes);
	ev->f[MM_F_NETWORK_BYTES] = mm_slice_cstr(sbytes);
	ev->dataset = "zeek.conn";
	ev->src_path = "conn.log";
	ev->raw = MM_SLICE_LIT("x");
}

static void t_config_errors(void **state)
{
	static const char *const bad[] = {
		"assets:\n  rolez: {}\n",
		"assets:\n  roles:\n    nas: {cidr: [10.0.0.0/8]}\n",
		"assets:\n  roles:\n    nas: {cidrs: [10.0.0.0/33]}\n",
		"assets:\n  roles:\n    nas: {ports: [70000]}\n",
		"assets:\n  hosts:\n    rt: {role: nas}\n",
		"egress:\n  learn_day: 3\n",
		"egress:\n  beacon: {score: 2}\n",
		"egress:\n  ioc: {ips: [/nonexistent/ioc.txt]}\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mm_config *cfg = NULL;
		struct mm_error err;
		mm_error_clear(&err);
		assert_int_equal(mm_config_load_buffer(&cfg, "t.yaml", bad[i], strlen(bad[i]), &err), MM_OK);
		struct mm_net *n = (struct mm_net *)1;
		assert_int_not_equal(mm_net_new(&n, cfg, NULL, &err), MM_OK);
		assert_null(n);
		assert_true(strlen(err.msg) > 0);
		mm_config_free(cfg);
	}
	/* no config at all: defaults */
	struct mm_net *n = NULL;
	struct mm_error err;
	assert_int_equal(mm_net_new(&n, NULL, NULL, &err), MM_OK);
	mm_net_free(n);
	mm_net_free(NULL);
}

static void t_enrich(void **state)
{
	struct mm_net *n = mk(g_cfg, NULL);
	struct mm_event ev;
	flow(&ev, T0, "192.168.1.10", "8.8.8.8", "443", "10");
	mm_net_enrich(n, &ev);
	/* the /32 server beats the network-device /24 (longest prefix) */
	assert_true(mm_slice_eq_cstr(ev.f[MM_F_SOURCE_ROLE], "server"));
	assert_null(ev.f[MM_F_DESTINATION_ROLE].p);
	assert_true(mm_slice_eq_cstr(ev.f[MM_F_NETWORK_DIRECTION], "outbound"));
	flow(&ev, T0, "8.8.8.8", "192.168.10.5", "443", "10");
	mm_net_enrich(n, &ev);
	assert_true(mm_slice_eq_cstr(ev.f[MM_F_DESTINATION_ROLE], "workstation"));
	assert_true(mm_slice_eq_cstr(ev.f[MM_F_NETWORK_DIRECTION], "inbound"));
	flow(&ev, T0, "192.168.1.1", "192.168.10.5", "22", "10");
	mm_net_enrich(n, &ev);
	assert_true(mm_slice_eq_cstr(ev.f[MM_F_NETWORK_DIRECTION], "internal"));
	/* 10.0.0.0/8 is not internal here: only the configured ranges (+ loopback …) */
	flow(&ev, T0, "10.1.1.1", "8.8.8.8", "443", "10");
	mm_net_enrich(n, &ev);
	assert_true(mm_slice_eq_cstr(ev.f[MM_F_NETWORK_DIRECTION], "external"));
	flow(&ev, T0, "127.0.0.1", "8.8.8.8", "443", "10");
	mm_net_enrich(n, &ev);
	assert_true(mm_slice_eq_cstr(ev.f[MM_F_NETWORK_DIRECTION], "outbound"));
	/* an event without a destination is left alone */
	mm_event_clear(&ev);
	ev.f[MM_F_SOURCE_IP] = MM_SLICE_LIT("192.168.1.1");
	mm_net_enrich(n, &ev);
	assert_null(ev.f[MM_F_SOURCE_ROLE].p);
	mm_net_free(n);
}

static void t_first_seen_and_policy(void **state)
{
	struct mm_net *n = mk(g_cfg, NULL);
	struct got g = {0};
	struct mm_event ev;
	/* learning: day 0-1; the router's habits */
	for (int d = 0; d < 3; d++) {
		flow(&ev, T0 + d * DAY, "192.168.1.1", "203.0.113.9", "443", "100");
		mm_net_observe(n, &ev, on_res, &g);
	}
	flow(&ev, T0 + 3600 * S, "192.168.1.1", "203.0.113.7", "443", "100");
	mm_net_observe(n, &ev, on_res, &g);
	assert_int_equal(g.n, 0);
	/* after learning: a new address, a new port on a known address */
	flow(&ev, T0 + 3 * DAY, "192.168.1.1", "45.33.12.7", "8443", "100");
	mm_net_observe(n, &ev, on_res, &g);
	flow(&ev, T0 + 3 * DAY + S, "192.168.1.1", "203.0.113.9", "22", "100");
	mm_net_observe(n, &ev, on_res, &g);
	assert_int_equal(count(&g, "egress_first_seen_device"), 2);
	assert_non_null(strstr(g.expl[0], "45.33.12.7:8443"));
	/* again: known now */
	flow(&ev, T0 + 3 * DAY + 9 * S, "192.168.1.1", "45.33.12.7", "8443", "100");
	mm_net_observe(n, &ev, on_res, &g);
	assert_int_equal(count(&g, "egress_first_seen_device"), 2);
	/* resolvers (DNS only) and the allowlist are never "new" */
	flow(&ev, T0 + 3 * DAY, "192.168.1.1", "203.0.113.53", "53", "100");
	mm_net_observe(n, &ev, on_res, &g);
	flow(&ev, T0 + 3 * DAY, "192.168.1.1", "198.51.100.80", "443", "100");
	mm_net_observe(n, &ev, on_res, &g);
	assert_int_equal(count(&g, "egress_first_seen_device"), 2);
	flow(&ev, T0 + 3 * DAY, "192.168.1.1", "203.0.113.53", "4444", "100");
	mm_net_observe(n, &ev, on_res, &g);
	assert_int_equal(count(&g, "egress_first_seen_device"), 3);
	assert_int_equal(count(&g, "egress_policy_port"), 1); /* 4444: a known tool's port */
	/* workstations: first-seen off; the server's port policy */
	flow(&ev, T0 + 5 * DAY, "192.168.10.5", "9.9.9.9", "443", "100");
	mm_net_observe(n, &ev, on_res, &g);
	flow(&ev, T0 + 5 * DAY, "192.168.1.10", "9.9.9.9", "8080", "100");
	mm_net_observe(n, &ev, on_res, &g);
	assert_int_equal(count(&g, "egress_policy_port"), 2); /* not among the server's ports */
	flow(&ev, T0 + 5 * DAY + S, "192.168.1.10", "9.9.9.8", "8080", "100");
	mm_net_observe(n, &ev, on_res, &g); /* once per host and port */
	assert_int_equal(count(&g, "egress_policy_port"), 2);
	mm_net_free(n);
}

static void t_beacon(void **state)
{
	struct mm_net *n = mk(g_cfg, NULL);
	struct got g = {0};
	struct mm_event ev;
	/* regular: every 300 s ± 10 s, ~400 bytes, 6 hours */
	uint64_t x = 42;
	for (int i = 0; i < 72; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		int64_t jit = (int64_t)(x >> 33) % 20 - 10;
		char b[16];
		snprintf(b, sizeof(b), "%d", 400 + (int)(x >> 40) % 20);
		flow(&ev, T0 + (i * 300 + jit) * S, "192.168.10.7", "45.33.12.7", "8443", b);
		mm_net_observe(n, &ev, on_res, &g);
	}
	/* irregular: the same count at random gaps and sizes */
	int64_t t = T0;
	for (int i = 0; i < 72; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		t += (int64_t)(x >> 40) % 1200 * S + 10 * S;
		char b[16];
		snprintf(b, sizeof(b), "%d", 200 + (int)(x >> 35) % 90000);
		flow(&ev, t, "192.168.10.8", "45.33.12.8", "443", b);
		mm_net_observe(n, &ev, on_res, &g);
	}
	/* too few connections */
	for (int i = 0; i < 5; i++) {
		flow(&ev, T0 + i * 300 * S, "192.168.10.9", "45.33.12.9", "443", "400");
		mm_net_observe(n, &ev, on_res, &g);
	}
	/* the allowlisted CDN polled hourly: quiet */
	for (int i = 0; i < 24; i++) {
		flow(&ev, T0 + i * 3600 * S, "192.168.10.9", "198.51.100.80", "443", "700");
		mm_net_observe(n, &ev, on_res, &g);
	}
	assert_int_equal(g.n, 0); /* scored at the day's end or at flush */
	mm_net_flush(n, on_res, &g);
	assert_int_equal(count(&g, "egress_beaconing"), 1);
	assert_non_null(strstr(g.expl[0], "192.168.10.7 → 45.33.12.7:8443"));
	struct mm_net_stats st;
	mm_net_stats(n, &st);
	assert_true(st.flows == 72 + 72 + 5 + 24);
	assert_true(st.state_bytes > 0 && st.state_bytes <= st.state_bytes_peak);
	mm_net_free(n);
}

static void t_ioc_and_admin(void **state)
{
	char path[] = "/tmp/mm_ioc_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("# bad domains\nExample.ORG.\n\n", f);
	fclose(f);
	char ipath[] = "/tmp/mm_iocip_XXXXXX";
	fd = mkstemp(ipath);
	f = fdopen(fd, "w");
	fputs("185.100.87.0/24\n2001:db8:bad::1 # comment\n", f);
	fclose(f);
	char yaml[1024];
	snprintf(yaml, sizeof(yaml), "%segress:\n  ioc: {ips: [%s], domains: [%s]}\n",
	         "assets:\n  admin_networks: [192.168.10.0/24]\n  hosts:\n    rt01: {ip: 192.168.1.1, "
	         "role: network-device}\n",
	         ipath, path);
	struct mm_net *n = mk(yaml, NULL);
	struct got g = {0};
	struct mm_event ev;
	flow(&ev, T0, "192.168.10.5", "185.100.87.200", "443", "1");
	mm_net_observe(n, &ev, on_res, &g);
	flow(&ev, T0 + S, "192.168.10.5", "185.100.87.200", "443", "1");
	mm_net_observe(n, &ev, on_res, &g); /* once per pair */
	flow(&ev, T0, "2001:db8:bad::1", "192.168.10.5", "443", "1");
	mm_net_observe(n, &ev, on_res, &g);
	flow(&ev, T0, "192.168.10.5", "8.8.8.8", "53", "1");
	ev.f[MM_F_DESTINATION_DOMAIN] = MM_SLICE_LIT("cdn.evil.example.org");
	mm_net_observe(n, &ev, on_res, &g);
	ev.f[MM_F_DESTINATION_DOMAIN] = MM_SLICE_LIT("example.org.evil.com");
	ev.ts += S;
	mm_net_observe(n, &ev, on_res, &g);
	assert_int_equal(count(&g, "ioc_match"), 3);
	/* admin logins to rt01 */
	mm_event_clear(&ev);
	ev.ts = T0;
	ev.f[MM_F_EVENT_CATEGORY] = MM_SLICE_LIT("authentication");
	ev.f[MM_F_EVENT_OUTCOME] = MM_SLICE_LIT("success");
	ev.f[MM_F_HOST_HOSTNAME] = MM_SLICE_LIT("rt01");
	ev.f[MM_F_SOURCE_IP] = MM_SLICE_LIT("192.168.10.100");
	ev.f[MM_F_USER_NAME] = MM_SLICE_LIT("admin");
	mm_net_observe(n, &ev, on_res, &g);
	assert_int_equal(count(&g, "egress_admin_login"), 0);
	ev.f[MM_F_SOURCE_IP] = MM_SLICE_LIT("103.77.190.12");
	mm_net_observe(n, &ev, on_res, &g);
	assert_int_equal(count(&g, "egress_admin_login"), 1);
	ev.f[MM_F_EVENT_OUTCOME] = MM_SLICE_LIT("failure");
	ev.f[MM_F_SOURCE_IP] = MM_SLICE_LIT("103.77.190.13");
	mm_net_observe(n, &ev, on_res, &g);
	assert_int_equal(count(&g, "egress_admin_login"), 1);
	/* Cisco IOS login message on a syslog line; after learning, a new inside source */
	mm_event_clear(&ev);
	ev.ts = T0 + 30 * DAY;
	ev.f[MM_F_HOST_HOSTNAME] = MM_SLICE_LIT("rt01");
	ev.f[MM_F_MESSAGE] = MM_SLICE_LIT("%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: x] "
	                                  "[Source: 192.168.10.77] [localport: 22]");
	mm_net_observe(n, &ev, on_res, &g);
	assert_int_equal(count(&g, "egress_admin_login"), 2);
	/* Junos UI_LOGIN_EVENT from outside the admin networks */
	ev.f[MM_F_MESSAGE] = MM_SLICE_LIT("UI_LOGIN_EVENT: User 'root' login, class 'j-super-user' "
	                                  "[4711], ssh-connection '198.51.100.9 50720 192.168.1.1 22', "
	                                  "client-mode 'cli'");
	mm_net_observe(n, &ev, on_res, &g);
	assert_int_equal(count(&g, "egress_admin_login"), 3);
	/* the same message on a host that is not a device: nothing */
	ev.f[MM_F_HOST_HOSTNAME] = MM_SLICE_LIT("web01");
	ev.f[MM_F_MESSAGE] = MM_SLICE_LIT("UI_LOGIN_EVENT: User 'root' login, class 'x' [1], "
	                                  "ssh-connection '198.51.100.10 1 2 22'");
	mm_net_observe(n, &ev, on_res, &g);
	assert_int_equal(count(&g, "egress_admin_login"), 3);
	mm_net_free(n);
	unlink(path);
	unlink(ipath);
}

/* Hourly volume and router logs over 12 days; exfil nights and a silence. */
static void feed_office(struct mm_net *n, struct got *g, int days, int64_t t0, bool cases)
{
	struct mm_event ev;
	for (int d = 0; d < days; d++)
		for (int h = 0; h < 24; h++) {
			int64_t t = t0 + d * DAY + h * 3600 * S;
			flow(&ev, t + 60 * S, "192.168.1.20", "52.10.20.30", "443",
			     cases && d == days - 2 && h >= 1 && h < 4 ? "900000000" : "20000");
			mm_net_observe(n, &ev, on_res, g);
			flow(&ev, t + 120 * S, "192.168.1.1", "52.10.20.31", "443", "300");
			mm_net_observe(n, &ev, on_res, g);
			if (cases && d == days - 3 && h >= 4)
				continue; /* the router stops logging for 20 h */
			mm_event_clear(&ev);
			ev.ts = t + 30 * S;
			ev.f[MM_F_HOST_HOSTNAME] = MM_SLICE_LIT("rt01");
			ev.f[MM_F_MESSAGE] = MM_SLICE_LIT("dnsmasq: query");
			ev.src_path = "syslog";
			mm_net_observe(n, &ev, on_res, g);
		}
}

static void t_volume_silence_store(void **state)
{
	char db[] = "/tmp/mm_net_db_XXXXXX";
	int fd = mkstemp(db);
	assert_true(fd >= 0);
	close(fd);
	unlink(db);
	struct mm_store *s = NULL;
	struct mm_error err;
	assert_int_equal(mm_store_open(&s, db, &err), MM_OK);
	static const char cfg[] = "assets:\n  hosts:\n    rt01: {ip: 192.168.1.1, role: network-device}\n"
	                          "    nas01: {ip: 192.168.1.20, role: nas}\n"
	                          "egress:\n  beacon: {enabled: false}\n"; /* hourly = periodic */
	/* run 1: twelve quiet days, learned into the store */
	struct mm_net *n = mk(cfg, s);
	struct got g = {0};
	feed_office(n, &g, 12, T0, false);
	assert_int_equal(mm_store_begin(s, &err), MM_OK);
	mm_net_flush(n, on_res, &g);
	assert_int_equal(mm_store_commit(s, &err), MM_OK);
	for (size_t i = 0; i < g.n && i < 64; i++)
		fprintf(stderr, "unexpected: %s %s\n", g.types[i], g.expl[i]);
	assert_int_equal(g.n, 0);
	struct mm_net_stats st;
	mm_net_stats(n, &st);
	assert_int_equal(st.store_rc, 0);
	assert_int_equal(st.learned_pairs_saved, 2);
	mm_net_free(n);
	/* run 2, same store: the exfil night and the silence */
	n = mk(cfg, s);
	mm_net_stats(n, &st);
	assert_int_equal(st.learned_pairs_loaded, 2);
	memset(&g, 0, sizeof(g));
	feed_office(n, &g, 5, T0 + 12 * DAY, true);
	assert_int_equal(mm_store_begin(s, &err), MM_OK);
	mm_net_flush(n, on_res, &g);
	assert_int_equal(mm_store_commit(s, &err), MM_OK);
	assert_int_equal(count(&g, "exfiltration_volume"), 1);
	assert_int_equal(count(&g, "egress_log_silence"), 1);
	assert_int_equal(g.n, 2);
	for (size_t i = 0; i < g.n; i++)
		if (!strcmp(g.types[i], "exfiltration_volume"))
			assert_non_null(strstr(g.expl[i], "2.7 GB above its baseline"));
	mm_net_free(n);
	/* the same run 2 again (re-scan): the same alerts, not learned twice */
	n = mk(cfg, s);
	memset(&g, 0, sizeof(g));
	feed_office(n, &g, 5, T0 + 12 * DAY, true);
	mm_net_flush(n, on_res, &g);
	assert_int_equal(count(&g, "exfiltration_volume"), 1);
	mm_net_free(n);
	mm_store_close(s);
	unlink(db);
}

static void t_stix(void **state)
{
	char path[] = "/tmp/mm_stix_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":["
	      "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"pattern_type\":\"stix\","
	      "\"pattern\":\"[ipv4-addr:value = '198.18.5.0/24'] OR [domain-name:value = 'c2.example.net']\"},"
	      "{\"type\":\"indicator\",\"pattern_type\":\"stix\",\"revoked\":true,"
	      "\"pattern\":\"[ipv4-addr:value = '198.18.9.9']\"},"
	      "{\"type\":\"indicator\",\"pattern_type\":\"stix\","
	      "\"pattern\":\"[file:hashes.'SHA-256' = 'abc']\"},"
	      "{\"type\":\"malware\",\"name\":\"x\"}]}",
	      f);
	fclose(f);
	char yaml[256];
	snprintf(yaml, sizeof(yaml), "egress:\n  ioc: {stix: [%s]}\n", path);
	struct mm_net *n = mk(yaml, NULL);
	struct got g = {0};
	struct mm_event ev;
	flow(&ev, T0, "192.168.10.5", "198.18.5.77", "443", "1");
	mm_net_observe(n, &ev, on_res, &g);
	flow(&ev, T0, "192.168.10.5", "198.18.9.9", "443", "1"); /* revoked */
	mm_net_observe(n, &ev, on_res, &g);
	flow(&ev, T0, "192.168.10.5", "8.8.8.8", "53", "1");
	ev.f[MM_F_DESTINATION_DOMAIN] = MM_SLICE_LIT("www.C2.example.net");
	mm_net_observe(n, &ev, on_res, &g);
	assert_int_equal(count(&g, "ioc_match"), 2);
	mm_net_free(n);
	/* not JSON: an error naming the file */
	f = fopen(path, "w");
	fputs("not json", f);
	fclose(f);
	struct mm_config *cfg = NULL;
	struct mm_error err;
	assert_int_equal(mm_config_load_buffer(&cfg, "t", yaml, strlen(yaml), &err), MM_OK);
	assert_int_not_equal(mm_net_new(&n, cfg, NULL, &err), MM_OK);
	assert_non_null(strstr(err.msg, "STIX"));
	mm_config_free(cfg);
	unlink(path);
}

/* A host with no history of its own is compared with its role's peers. */
static void t_volume_peers(void **state)
{
	static const char cfg[] = "assets:\n  roles:\n    workstation: {cidrs: [192.168.10.0/24]}\n"
	                          "egress:\n  beacon: {enabled: false}\n  exfil: {min_hour_mb: 1}\n";
	struct mm_net *n = mk(cfg, NULL);
	struct got g = {0};
	struct mm_event ev;
	static const char *const ws[] = {"192.168.10.1", "192.168.10.2", "192.168.10.3",
	                                 "192.168.10.4"};
	for (int h = 0; h < 24; h++)
		for (int w = 0; w < 4; w++) {
			flow(&ev, T0 + h * 3600 * S + w * S, ws[w], "52.1.2.3", "443",
			     w == 3 && h == 14 ? "500000000" : "100000");
			mm_net_observe(n, &ev, on_res, &g);
		}
	mm_net_flush(n, on_res, &g);
	assert_int_equal(count(&g, "exfiltration_volume"), 1);
	assert_int_equal(g.n, 1);
	mm_net_free(n);
	/* two peers are not a baseline */
	n = mk(cfg, NULL);
	memset(&g, 0, sizeof(g));
	for (int h = 0; h < 24; h++)
		for (int w = 1; w < 4; w++) {
			flow(&ev, T0 + h * 3600 * S + w * S, ws[w], "52.1.2.3", "443",
			     w == 3 && h == 14 ? "500000000" : "100000");
			mm_net_observe(n, &ev, on_res, &g);
		}
	mm_net_flush(n, on_res, &g);
	assert_int_equal(g.n, 0);
	mm_net_free(n);
}

/* The state cap holds: new pairs are refused and counted, the run goes on. */
static void t_state_cap(void **state)
{
	struct mm_net *n = mk("egress:\n  state_mem_mb: 3\n", NULL);
	struct got g = {0};
	struct mm_event ev;
	char dst[32];
	for (int i = 0; i < 200000; i++) {
		snprintf(dst, sizeof(dst), "45.%d.%d.%d", i >> 16 & 255, i >> 8 & 255, i & 255);
		flow(&ev, T0 + i * S, "192.168.10.5", dst, "443", "100");
		mm_net_observe(n, &ev, on_res, &g);
	}
	struct mm_net_stats st;
	mm_net_stats(n, &st);
	assert_true(st.cap_hits > 0);
	assert_true(st.pairs < 200000);
	/* at most one chunk of pairs (16,384 × 48 bytes) over the cap */
	assert_true(st.state_bytes_peak <= ((size_t)3 << 20) + 16384 * 48 + 4096);
	mm_net_flush(n, on_res, &g);
	mm_net_free(n);
}

static void t_rules(void **state)
{
	assert_int_equal(mm_net_rule_count(), 9);
	for (size_t i = 0; i < mm_net_rule_count(); i++) {
		const struct mm_rule_info *r = mm_net_rule_at(i);
		assert_non_null(r->id);
		assert_true(!strncmp(r->path, "analyzer:egress/", 16) ||
		            !strncmp(r->path, "analyzer:exfiltration/", 22));
		assert_true(r->ntags >= 2);
	}
	assert_null(mm_net_rule_at(9));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_config_errors), cmocka_unit_test(t_enrich),
		cmocka_unit_test(t_first_seen_and_policy), cmocka_unit_test(t_beacon),
		cmocka_unit_test(t_ioc_and_admin), cmocka_unit_test(t_volume_silence_store),
		cmocka_unit_test(t_stix), cmocka_unit_test(t_volume_peers),
		cmocka_unit_test(t_state_cap), cmocka_unit_test(t_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
