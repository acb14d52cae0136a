/* mamori — the SQLite store. WAL mode, a versioned schema migrated forward on
 * open (PRAGMA user_version), prepared statements kept for the life of the
 * handle. Pipeline position: alert → sinks. Alerts are keyed by evidence
 * identity (rule + source + offset + raw line), so a re-scan inserts nothing. */
#include "mamori/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

struct mm_store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *ins_alert;
	bool in_tx;
};

/* Migrations: index i brings the schema from version i to i + 1. */
static const char *const g_migrations[] = {
	/* 0 → 1 */
	"CREATE TABLE IF NOT EXISTS alerts ("
	"  id TEXT PRIMARY KEY,"          /* evidence identity, 16 hex digits */
	"  ts INTEGER,"                   /* event time, ns since epoch UTC */
	"  rule_id TEXT NOT NULL,"
	"  rule_name TEXT NOT NULL,"
	"  level TEXT,"
	"  severity INTEGER,"
	"  source_ip TEXT,"
	"  user_name TEXT,"
	"  dataset TEXT,"
	"  file TEXT,"
	"  offset INTEGER,"
	"  line INTEGER,"
	"  raw TEXT,"
	"  json TEXT NOT NULL,"
	"  created INTEGER NOT NULL DEFAULT (CAST(strftime('%s','now') AS INTEGER))"
	");"
	"CREATE INDEX IF NOT EXISTS alerts_ts ON alerts(ts);"
	"CREATE INDEX IF NOT EXISTS alerts_rule ON alerts(rule_id, ts);"
	"CREATE INDEX IF NOT EXISTS alerts_src ON alerts(source_ip, ts);"
	"CREATE TABLE IF NOT EXISTS runs ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  started INTEGER, finished INTEGER, summary TEXT"
	");",
};

static int db_err(struct mm_store *s, struct mm_error *err, const char *what)
{
	return mm_error_set(err, MM_EDB, s->path, 0, 0, "%s: %s", what, sqlite3_errmsg(s->db));
}

static int exec(struct mm_store *s, const char *sql, struct mm_error *err)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = mm_error_set(err, MM_EDB, s->path, 0, 0, "%s", msg ? msg : "sqlite error");
		sqlite3_free(msg);
		return rc;
	}
	return MM_OK;
}

static int user_version(struct mm_store *s, int *v)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return MM_EDB;
	int rc = MM_EDB;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*v = sqlite3_column_int(st, 0);
		rc = MM_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

static int migrate(struct mm_store *s, struct mm_error *err)
{
	int v = 0, rc;
	if (user_version(s, &v))
		return db_err(s, err, "cannot read schema version");
	if (v > MM_STORE_SCHEMA_VERSION)
		return mm_error_set(err, MM_EDB, s->path, 0, 0,
		                    "database schema version %d is newer than this mamori "
		                    "supports (%d): upgrade mamori or use another --db",
		                    v, MM_STORE_SCHEMA_VERSION);
	for (; v < MM_STORE_SCHEMA_VERSION; v++) {
		char sql[64];
		if ((rc = exec(s, "BEGIN IMMEDIATE", err)))
			return rc;
		if ((rc = exec(s, g_migrations[v], err))) {
			exec(s, "ROLLBACK", NULL);
			return rc;
		}
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if ((rc = exec(s, sql, err)) || (rc = exec(s, "COMMIT", err))) {
			exec(s, "ROLLBACK", NULL);
			return rc;
		}
	}
	return MM_OK;
}

int mm_store_open(struct mm_store **out, const char *path, struct mm_error *err)
{
	struct mm_store *s = mm_calloc(1, sizeof(*s));
	int rc;
	s->path = mm_strdup(path);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		rc = mm_error_set(err, MM_EDB, path, 0, 0, "cannot open database: %s",
		                  s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	/* Alert rows are ~2 KB (JSON + raw line): 16 KiB pages write a scan's
	 * WAL and checkpoints in a quarter of the system calls and make a
	 * smaller file. Only a new database takes it (before WAL mode is set);
	 * an existing one keeps its page size. */
	if ((rc = exec(s, "PRAGMA page_size=16384;", err)))
		goto fail;
	if ((rc = exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	                  "PRAGMA foreign_keys=ON;", err)))
		goto fail;
	if ((rc = migrate(s, err)))
		goto fail;
	if (sqlite3_prepare_v3(s->db,
	                       "INSERT OR IGNORE INTO alerts(id, ts, rule_id, rule_name, level,"
	                       " severity, source_ip, user_name, dataset, file, offset, line, raw,"
	                       " json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	                       -1, SQLITE_PREPARE_PERSISTENT, &s->ins_alert, NULL) != SQLITE_OK) {
		rc = db_err(s, err, "cannot prepare insert");
		goto fail;
	}
	*out = s;
	return MM_OK;
fail:
	mm_store_close(s);
	return rc;
}

void mm_store_close(struct mm_store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		exec(s, "ROLLBACK", NULL);
	sqlite3_finalize(s->ins_alert);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int mm_store_schema_version(struct mm_store *s)
{
	int v = -1;
	user_version(s, &v);
	return v;
}

int mm_store_begin(struct mm_store *s, struct mm_error *err)
{
	int rc = exec(s, "BEGIN", err);
	if (!rc)
		s->in_tx = true;
	return rc;
}

int mm_store_commit(struct mm_store *s, struct mm_error *err)
{
	int rc = exec(s, "COMMIT", err);
	if (!rc)
		s->in_tx = false;
	return rc;
}

static void bind_slice(sqlite3_stmt *st, int i, struct mm_slice v)
{
	if (v.p)
		sqlite3_bind_text(st, i, v.p, (int)v.n, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int mm_store_add_alert(struct mm_store *s, const struct mm_alert *a, const char *json,
                       size_t json_len, bool *inserted, struct mm_error *err)
{
	sqlite3_stmt *st = s->ins_alert;
	const struct mm_event *ev = a->ev;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, a->id, 16, SQLITE_STATIC);
	if (ev->ts != MM_TS_NONE)
		sqlite3_bind_int64(st, 2, ev->ts);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_text(st, 3, a->rule->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, a->rule->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, a->rule->level, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, a->rule->severity);
	bind_slice(st, 7, ev->f[MM_F_SOURCE_IP]);
	bind_slice(st, 8, ev->f[MM_F_USER_NAME]);
	if (ev->dataset)
		sqlite3_bind_text(st, 9, ev->dataset, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 9);
	sqlite3_bind_text(st, 10, ev->src_path ? ev->src_path : "-", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)ev->offset);
	sqlite3_bind_int64(st, 12, (sqlite3_int64)ev->line_no);
	bind_slice(st, 13, ev->raw);
	sqlite3_bind_text(st, 14, json, (int)json_len, SQLITE_STATIC);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return db_err(s, err, "cannot store alert");
	if (inserted)
		*inserted = sqlite3_changes(s->db) > 0;
	return MM_OK;
}

int mm_store_add_run(struct mm_store *s, int64_t started, int64_t finished,
                     const char *summary_json, struct mm_error *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO runs(started, finished, summary) VALUES (?,?,?)",
	                       -1, &st, NULL) != SQLITE_OK)
		return db_err(s, err, "cannot prepare run insert");
	sqlite3_bind_int64(st, 1, started);
	sqlite3_bind_int64(st, 2, finished);
	sqlite3_bind_text(st, 3, summary_json, -1, SQLITE_STATIC);
	int r = sqlite3_step(st);
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return db_err(s, err, "cannot store run");
	return MM_OK;
}

int mm_store_count_alerts(struct mm_store *s, const char *rule_id, int64_t *out,
                          struct mm_error *err)
{
	sqlite3_stmt *st = NULL;
	const char *sql = rule_id ? "SELECT count(*) FROM alerts WHERE rule_id = ?"
	                          : "SELECT count(*) FROM alerts";
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_err(s, err, "cannot prepare count");
	if (rule_id)
		sqlite3_bind_text(st, 1, rule_id, -1, SQLITE_STATIC);
	int rc = MM_OK;
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		rc = db_err(s, err, "cannot count alerts");
	sqlite3_finalize(st);
	return rc;
}
