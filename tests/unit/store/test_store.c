/* Unit tests: the SQLite store on a real file — schema version, WAL, alert
 * insert, duplicate suppression by evidence identity, reopen, run records,
 * a newer schema refused with a clear message, migration from schema 1, and
 * the full value lists of correlation alerts (schema 4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mamori/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char g_path[64];

static int setup(void **st)
{
	(void)st;
	snprintf(g_path, sizeof(g_path), "/tmp/mm_store_XXXXXX");
	int fd = mkstemp(g_path);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(g_path); /* let SQLite create it */
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

static const struct mm_rule_info g_rule = {
	.id = "r-1", .title = "Rule one", .level = "medium", .severity = 2,
};

static void test_insert_dedupe(void **st)
{
	(void)st;
	struct mm_store *s = NULL;
	struct mm_error err;
	assert_int_equal(mm_store_open(&s, g_path, &err), MM_OK);
	assert_int_equal(mm_store_schema_version(s), MM_STORE_SCHEMA_VERSION);
	struct mm_event ev;
	mm_event_clear(&ev);
	ev.raw = mm_slice_cstr("raw line");
	ev.f[MM_F_SOURCE_IP] = mm_slice_cstr("198.51.100.7");
	ev.offset = 10;
	ev.line_no = 2;
	ev.ts = 1000;
	struct mm_alert a;
	mm_alert_init(&a, &g_rule, &ev, "/x.log");
	bool ins;
	assert_int_equal(mm_store_begin(s, &err), MM_OK);
	assert_int_equal(mm_store_add_alert(s, &a, "{}", 2, &ins, &err), MM_OK);
	assert_true(ins);
	assert_int_equal(mm_store_add_alert(s, &a, "{}", 2, &ins, &err), MM_OK);
	assert_false(ins);
	ev.offset = 11;
	mm_alert_init(&a, &g_rule, &ev, "/x.log");
	assert_int_equal(mm_store_add_alert(s, &a, "{}", 2, &ins, &err), MM_OK);
	assert_true(ins);
	assert_int_equal(mm_store_commit(s, &err), MM_OK);
	assert_int_equal(mm_store_add_run(s, 1, 2, "{\"files\":1}", &err), MM_OK);
	mm_store_close(s);

	/* reopen: data persisted, same alert still a duplicate */
	assert_int_equal(mm_store_open(&s, g_path, &err), MM_OK);
	int64_t n = 0;
	assert_int_equal(mm_store_count_alerts(s, NULL, &n, &err), MM_OK);
	assert_int_equal(n, 2);
	assert_int_equal(mm_store_count_alerts(s, "r-1", &n, &err), MM_OK);
	assert_int_equal(n, 2);
	assert_int_equal(mm_store_count_alerts(s, "nope", &n, &err), MM_OK);
	assert_int_equal(n, 0);
	assert_int_equal(mm_store_add_alert(s, &a, "{}", 2, &ins, &err), MM_OK);
	assert_false(ins);
	mm_store_close(s);

	/* WAL mode and indexed columns, checked with SQLite itself */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(g_path, &db), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
	sqlite3_finalize(q);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT source_ip, line, raw FROM alerts WHERE offset=11",
	                                    -1, &q, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "198.51.100.7");
	assert_int_equal(sqlite3_column_int(q, 1), 2);
	sqlite3_finalize(q);
	/* a future schema version is refused */
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(mm_store_open(&s, g_path, &err), MM_EDB);
	assert_non_null(strstr(err.msg, "newer"));
}

/* Schema 4: a correlation alert's full value lists are stored once, with their
 * totals, and read back in order; a duplicate alert stores nothing again; a
 * version-1 database is migrated forward without losing its alerts. */
static void test_value_lists(void **st)
{
	(void)st;
	struct mm_store *s = NULL;
	struct mm_error err;
	/* a database as schema 1 left it */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(g_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	                              "CREATE TABLE alerts(id TEXT PRIMARY KEY, ts INTEGER, rule_id TEXT"
	                              " NOT NULL, rule_name TEXT NOT NULL, level TEXT, severity INTEGER,"
	                              " source_ip TEXT, user_name TEXT, dataset TEXT, file TEXT, offset"
	                              " INTEGER, line INTEGER, raw TEXT, json TEXT NOT NULL, created"
	                              " INTEGER); CREATE TABLE runs(id INTEGER PRIMARY KEY"
	                              " AUTOINCREMENT, started INTEGER, finished INTEGER, summary TEXT);"
	                              " INSERT INTO alerts(id, rule_id, rule_name, json) VALUES"
	                              " ('0000000000000001', 'old', 'Old', '{}'); PRAGMA user_version=1;",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(mm_store_open(&s, g_path, &err), MM_OK);
	assert_int_equal(mm_store_schema_version(s), MM_STORE_SCHEMA_VERSION);
	int64_t n = 0;
	assert_int_equal(mm_store_count_alerts(s, "old", &n, &err), MM_OK);
	assert_int_equal(n, 1);

	static const struct mm_rule_info corr = {
		.id = "c-1", .title = "Spray", .level = "high", .severity = 3,
		.corr_type = "value_count",
	};
	char names[100][16];
	struct mm_slice vals[100], srcs[3];
	for (int i = 0; i < 100; i++) {
		snprintf(names[i], sizeof(names[i]), "user%03d", i);
		vals[i] = mm_slice_cstr(names[i]);
	}
	srcs[0] = mm_slice_cstr("192.0.2.1");
	srcs[1] = mm_slice_cstr("192.0.2.2");
	srcs[2] = mm_slice_cstr("192.0.2.3");
	struct mm_corr_list lists[1] = {{.name = "sources", .field = "source.ip", .v = srcs, .n = 3,
	                                 .total = 7}};
	static const char *const gn[] = {"source.ip"};
	struct mm_slice gv[1] = {mm_slice_cstr("192.0.2.1")};
	struct mm_corr_result res = {.rule = &corr, .group_names = gn, .group_vals = gv, .ngroup = 1,
	                             .first_ts = 5, .last_ts = 9, .count = 100, .field = "user.name",
	                             .has_distinct = true, .distinct = 150, .values = vals,
	                             .nvalues = 100, .lists = lists, .nlists = 1};
	struct mm_event ev;
	mm_event_clear(&ev);
	ev.raw = mm_slice_cstr("x");
	ev.ts = 9;
	struct mm_alert a;
	mm_alert_init_corr(&a, &res, &ev, "/x.log");
	bool ins;
	assert_int_equal(mm_store_add_alert(s, &a, "{\"k\":1}", 7, &ins, &err), MM_OK);
	assert_true(ins);
	assert_int_equal(mm_store_add_alert(s, &a, "{\"k\":1}", 7, &ins, &err), MM_OK);
	assert_false(ins);

	struct mm_store_list *l = NULL;
	size_t nl = 0;
	assert_int_equal(mm_store_alert_lists(s, a.id, &l, &nl, &err), MM_OK);
	assert_int_equal(nl, 2);
	assert_string_equal(l[0].name, "values"); /* values first */
	assert_string_equal(l[0].field, "user.name");
	assert_int_equal(l[0].total, 150);
	assert_int_equal(l[0].n, 100);
	assert_string_equal(l[0].v[0], "user000");
	assert_string_equal(l[0].v[99], "user099");
	assert_string_equal(l[1].name, "sources");
	assert_int_equal(l[1].total, 7);
	assert_int_equal(l[1].n, 3);
	assert_string_equal(l[1].v[2], "192.0.2.3");
	mm_store_lists_free(l, nl);
	char *js = NULL;
	assert_int_equal(mm_store_alert_json(s, a.id, &js, &err), MM_OK);
	assert_string_equal(js, "{\"k\":1}");
	free(js);
	assert_int_equal(mm_store_alert_json(s, "ffffffffffffffff", &js, &err), MM_ENOENT);
	assert_null(js);
	assert_non_null(strstr(err.msg, "no alert"));
	/* an alert without lists has none */
	assert_int_equal(mm_store_alert_lists(s, "0000000000000001", &l, &nl, &err), MM_OK);
	assert_int_equal(nl, 0);
	mm_store_lists_free(l, nl);
	mm_store_close(s);
}

static void test_bad_path(void **st)
{
	(void)st;
	struct mm_store *s = NULL;
	struct mm_error err;
	assert_int_equal(mm_store_open(&s, "/nonexistent-dir/x.db", &err), MM_EDB);
	assert_non_null(strstr(err.msg, "cannot open"));
	mm_store_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_insert_dedupe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_value_lists, setup, teardown),
		cmocka_unit_test(test_bad_path)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
