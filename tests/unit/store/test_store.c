/* Unit tests: the SQLite store on a real file — schema version, WAL, alert
 * insert, duplicate suppression by evidence identity, reopen, run records,
 * a newer schema refused with a clear message. */
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
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_insert_dedupe),
	                                   cmocka_unit_test(test_bad_path)};
	return cmocka_run_group_tests(tests, setup, teardown);
}
