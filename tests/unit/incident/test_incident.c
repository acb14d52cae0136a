/* Unit tests: incident classification (tags, rule folder, dataset) and
 * grouping over a real SQLite store — by class, entity and time gap; outcome
 * and severity; idempotence (re-running adds nothing), incremental growth,
 * closed incidents never extended, status changes, evidence order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mamori/incident.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char g_path[64];

static int setup(void **st)
{
	(void)st;
	snprintf(g_path, sizeof(g_path), "/tmp/mm_inc_XXXXXX");
	int fd = mkstemp(g_path);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(g_path);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	char p[80];
	unlink(g_path);
	snprintf(p, sizeof(p), "%s-wal", g_path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", g_path);
	unlink(p);
	return 0;
}

static void test_classify(void **st)
{
	(void)st;
	assert_int_equal(mm_incident_classify("[\"attack.credential-access\",\"attack.t1110.001\"]",
	                                      "builtin:ssh/x.yml", "linux.sshd"),
	                 MM_IC_ACCOUNT_ATTACK);
	assert_int_equal(mm_incident_classify("[\"attack.initial-access\",\"attack.t1190\"]",
	                                      "builtin:web/x.yml", "web.access"),
	                 MM_IC_WEB_ATTACK);
	/* the same technique on sshd is an exploit of another service */
	assert_int_equal(mm_incident_classify("[\"attack.t1190\"]", "builtin:ssh/x.yml", "linux.sshd"),
	                 MM_IC_EXPLOIT);
	/* sqlmap: exploitation and reconnaissance tags → an attack, not a scan */
	assert_int_equal(mm_incident_classify("[\"attack.t1190\",\"attack.reconnaissance\"]",
	                                      "/etc/mamori/rules/web/sqlmap.yml", NULL),
	                 MM_IC_WEB_ATTACK);
	assert_int_equal(mm_incident_classify("[\"attack.reconnaissance\",\"attack.t1595.002\"]",
	                                      "builtin:web/x.yml", "web.access"),
	                 MM_IC_RECON);
	assert_int_equal(mm_incident_classify("[\"attack.t1505.003\"]", NULL, NULL), MM_IC_WEB_ATTACK);
	/* untagged rules by folder; unknown → other */
	assert_int_equal(mm_incident_classify("[]", "rules/mail/relay.yml", NULL), MM_IC_MAIL_RELAY);
	assert_int_equal(mm_incident_classify(NULL, "x.yml", NULL), MM_IC_OTHER);
	/* tag prefix matching stops at component boundaries */
	assert_true(mm_incident_tags_have("[\"attack.t1110.001\"]", "attack.t1110"));
	assert_false(mm_incident_tags_have("[\"attack.t11100\"]", "attack.t1110"));
	enum mm_incident_class c;
	assert_int_equal(mm_incident_class_parse("egress", &c), MM_OK);
	assert_int_equal(c, MM_IC_EGRESS);
	assert_int_equal(mm_incident_class_parse("nope", &c), MM_ENOENT);
	assert_int_equal(mm_incident_class_ipa_rank(MM_IC_WEB_ATTACK), 3);
}

#define HOUR (INT64_C(3600) * MM_NS_PER_SEC)
#define WEB "[\"attack.initial-access\",\"attack.t1190\"]"
#define SSH "[\"attack.credential-access\",\"attack.t1110.001\"]"

static void add(struct mm_store *s, const char *id, int64_t ts, const char *ip, const char *user,
                const char *tags, const char *dataset, int sev, const char *extra)
{
	char json[1024];
	snprintf(json, sizeof(json),
	         "{\"rule\":{\"reference\":\"builtin:%s/r.yml\"},\"tags\":%s%s}",
	         dataset[0] == 'w' ? "web" : "ssh", tags, extra ? extra : "");
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(mm_store_sqlite(s),
	                                    "INSERT INTO alerts(id, ts, rule_id, rule_name, level,"
	                                    " severity, source_ip, user_name, dataset, file, offset,"
	                                    " line, raw, json) VALUES (?,?,'r',?,'high',?,?,?,?,"
	                                    "'/var/log/x.log',?,1,'raw',?)",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ts);
	sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, sev);
	if (ip)
		sqlite3_bind_text(st, 5, ip, -1, SQLITE_STATIC);
	if (user)
		sqlite3_bind_text(st, 6, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, dataset, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, ts / MM_NS_PER_SEC);
	sqlite3_bind_text(st, 9, json, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

static int64_t count(struct mm_store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(mm_store_sqlite(s), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void test_grouping(void **st)
{
	(void)st;
	struct mm_store *s = NULL;
	struct mm_error err;
	struct mm_incident_stats stats;
	mm_error_clear(&err);
	assert_int_equal(mm_store_open(&s, g_path, &err), MM_OK);
	int64_t t0 = INT64_C(1764000000) * MM_NS_PER_SEC;
	add(s, "a1", t0, "203.0.113.1", NULL, WEB, "web.access", 3, NULL);
	add(s, "a2", t0 + HOUR, "203.0.113.1", NULL, WEB, "web.access", 3,
	    ",\"http\":{\"response\":{\"status_code\":200}}");
	add(s, "a3", t0 + 10 * HOUR, "203.0.113.1", NULL, WEB, "web.access", 2, NULL); /* > gap */
	add(s, "a4", t0, "198.51.100.9", NULL, WEB, "web.access", 2, NULL);
	add(s, "s1", t0, "203.0.113.1", "root", SSH, "linux.sshd", 1, NULL); /* other class */
	add(s, "s2", t0 + 60 * MM_NS_PER_SEC, "203.0.113.1", "admin", SSH, "linux.sshd", 1, NULL);
	add(s, "s3", t0 + 120 * MM_NS_PER_SEC, "203.0.113.1", "root", SSH, "linux.sshd", 3,
	    ",\"event\":{\"outcome\":\"success\"}");
	struct mm_incident_opts o = {0};
	assert_int_equal(mm_incident_update(s, &o, &stats, &err), MM_OK);
	assert_int_equal(stats.alerts_new, 7);
	assert_int_equal(stats.incidents_new, 4);
	assert_int_equal(count(s, "SELECT count(*) FROM incidents"), 4);

	struct mm_incident *v = NULL;
	size_t n = 0;
	assert_int_equal(mm_incident_list(s, MM_TS_NONE, MM_TS_NONE, 0, &v, &n, &err), MM_OK);
	assert_int_equal(n, 4);
	/* most severe first: the succeeded SSH attack */
	assert_int_equal(v[0].cls, MM_IC_ACCOUNT_ATTACK);
	assert_int_equal(v[0].outcome, MM_OUTCOME_SUCCEEDED);
	assert_int_equal(v[0].severity, 4);
	assert_int_equal(v[0].accounts_targeted, 2);
	assert_int_equal(v[0].accounts_compromised, 1);
	assert_string_equal(v[0].accounts, "[\"root\",\"admin\"]");
	assert_string_equal(v[0].techniques, "[\"T1110.001\"]");
	/* the web incident with a 2xx answer to an exploit: possible */
	assert_int_equal(v[1].cls, MM_IC_WEB_ATTACK);
	assert_string_equal(v[1].entity, "203.0.113.1");
	assert_int_equal(v[1].outcome, MM_OUTCOME_POSSIBLE);
	assert_int_equal(v[1].alerts, 2);
	assert_true(v[1].first_ts == t0 && v[1].last_ts == t0 + HOUR);
	assert_string_equal(v[1].assets, "[\"/var/log/x.log\"]");
	int64_t first_web = v[1].id;
	mm_incident_list_free(v, n);

	/* idempotent: nothing new, nothing changes */
	assert_int_equal(mm_incident_update(s, &o, &stats, &err), MM_OK);
	assert_int_equal(stats.alerts_new, 0);
	assert_int_equal(stats.incidents_touched, 0);
	assert_int_equal(count(s, "SELECT count(*) FROM incidents"), 4);

	/* incremental: an alert between a2 and a3 (within the gap of a2) joins
	 * the first incident; a wider gap setting would have merged a3 too */
	add(s, "a5", t0 + 3 * HOUR, "203.0.113.1", NULL, WEB, "web.access", 3, NULL);
	assert_int_equal(mm_incident_update(s, &o, &stats, &err), MM_OK);
	assert_int_equal(stats.alerts_new, 1);
	assert_int_equal(stats.incidents_new, 0);
	struct mm_incident in;
	assert_int_equal(mm_incident_get(s, first_web, &in, &err), MM_OK);
	assert_int_equal(in.alerts, 3);
	assert_true(in.last_ts == t0 + 3 * HOUR);
	mm_incident_clear(&in);

	/* closed incidents are never extended */
	assert_int_equal(mm_incident_set_status(s, first_web, MM_INCIDENT_CLOSED, "fixed", &err),
	                 MM_OK);
	/* a3 (t0+10h) is 6.5 h away: beyond the gap, so a new incident */
	add(s, "a6", t0 + 3 * HOUR + HOUR / 2, "203.0.113.1", NULL, WEB, "web.access", 3, NULL);
	assert_int_equal(mm_incident_update(s, &o, &stats, &err), MM_OK);
	assert_int_equal(stats.incidents_new, 1);
	assert_int_equal(mm_incident_get(s, first_web, &in, &err), MM_OK);
	assert_int_equal(in.status, MM_INCIDENT_CLOSED);
	assert_string_equal(in.status_note, "fixed");
	assert_int_equal(in.alerts, 3);
	mm_incident_clear(&in);
	assert_int_equal(mm_incident_set_status(s, 9999, MM_INCIDENT_ACKNOWLEDGED, NULL, &err),
	                 MM_ENOENT);
	assert_int_equal(mm_incident_get(s, 9999, &in, &err), MM_ENOENT);

	/* evidence: most severe first, then time */
	struct mm_incident_evidence *ev = NULL;
	size_t nev = 0;
	assert_int_equal(mm_incident_evidence(s, first_web, 10, &ev, &nev, &err), MM_OK);
	assert_int_equal(nev, 3);
	assert_string_equal(ev[0].alert_id, "a1");
	assert_string_equal(ev[2].alert_id, "a5");
	assert_string_equal(ev[0].raw, "raw");
	mm_incident_evidence_free(ev, nev);
	/* every alert is in exactly one incident */
	assert_int_equal(count(s, "SELECT count(*) FROM incident_alerts"), 9);
	mm_store_close(s);
}

static void test_gap_option(void **st)
{
	(void)st;
	struct mm_store *s = NULL;
	struct mm_error err;
	mm_error_clear(&err);
	assert_int_equal(mm_store_open(&s, g_path, &err), MM_OK);
	int64_t t0 = INT64_C(1764000000) * MM_NS_PER_SEC;
	add(s, "b1", t0, NULL, "mallory", SSH, "linux.sshd", 1, NULL);
	add(s, "b2", t0 + 20 * HOUR, NULL, "mallory", SSH, "linux.sshd", 1, NULL);
	struct mm_incident_opts o = {.gap_ns = 24 * HOUR};
	assert_int_equal(mm_incident_update(s, &o, NULL, &err), MM_OK);
	struct mm_incident *v = NULL;
	size_t n = 0;
	assert_int_equal(mm_incident_list(s, t0 + HOUR, t0 + 2 * HOUR, 0, &v, &n, &err), MM_OK);
	assert_int_equal(n, 1); /* overlaps the window although no alert is inside */
	assert_string_equal(v[0].entity, "mallory");
	assert_string_equal(v[0].entity_kind, "user.name");
	assert_int_equal(v[0].alerts, 2);
	mm_incident_list_free(v, n);
	mm_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test_setup_teardown(test_grouping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gap_option, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
