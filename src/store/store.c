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
	sqlite3_stmt *ins_list, *ins_value;
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
	/* 1 → 2 and 2 → 3 are taken by other branches (vulnerability findings,
	 * incidents); they are no-ops here so that the numbering matches once
	 * merged. 3 → 4 uses none of their tables. */
	"SELECT 1;",
	"SELECT 1;",
	/* 3 → 4: the full distinct-value lists of correlation and analyzer alerts
	 * (accounts tried, sources, compromised accounts); the alert JSON lists
	 * only the first MM_ALERT_LIST_MAX of each. Keyed by alerts.id. */
	"CREATE TABLE IF NOT EXISTS alert_lists ("
	"  alert_id TEXT NOT NULL,"
	"  list TEXT NOT NULL,"        /* values | sources | compromised_accounts */
	"  field TEXT,"                /* the ECS field of the values (user.name) */
	"  total INTEGER NOT NULL,"    /* distinct values seen (may exceed kept) */
	"  kept INTEGER NOT NULL,"     /* rows in alert_list_values */
	"  PRIMARY KEY (alert_id, list)"
	") WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS alert_list_values ("
	"  alert_id TEXT NOT NULL,"
	"  list TEXT NOT NULL,"
	"  pos INTEGER NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (alert_id, list, pos)"
	") WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS alert_list_values_value ON alert_list_values(value);",
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
	if (sqlite3_prepare_v3(s->db,
	                       "INSERT OR IGNORE INTO alert_lists(alert_id, list, field, total, kept)"
	                       " VALUES (?,?,?,?,?)",
	                       -1, SQLITE_PREPARE_PERSISTENT, &s->ins_list, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(s->db,
	                       "INSERT OR IGNORE INTO alert_list_values(alert_id, list, pos, value)"
	                       " VALUES (?,?,?,?)",
	                       -1, SQLITE_PREPARE_PERSISTENT, &s->ins_value, NULL) != SQLITE_OK) {
		rc = db_err(s, err, "cannot prepare list insert");
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
	sqlite3_finalize(s->ins_list);
	sqlite3_finalize(s->ins_value);
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

static int add_list(struct mm_store *s, const char *id, const char *name, const char *field,
                    const struct mm_slice *v, size_t n, uint64_t total, struct mm_error *err)
{
	sqlite3_stmt *st = s->ins_list;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, id, 16, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if (field)
		sqlite3_bind_text(st, 3, field, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)(total > n ? total : n));
	sqlite3_bind_int64(st, 5, (sqlite3_int64)n);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return db_err(s, err, "cannot store alert list");
	st = s->ins_value;
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, id, 16, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
		sqlite3_bind_text(st, 4, v[i].p ? v[i].p : "", (int)v[i].n, SQLITE_STATIC);
		r = sqlite3_step(st);
		sqlite3_reset(st);
		if (r != SQLITE_DONE)
			return db_err(s, err, "cannot store alert list value");
	}
	return MM_OK;
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
	bool fresh = sqlite3_changes(s->db) > 0;
	if (inserted)
		*inserted = fresh;
	if (!fresh || !a->corr || a->corr->overflow)
		return MM_OK;
	const struct mm_corr_result *c = a->corr;
	int rc;
	if (c->has_distinct &&
	    (rc = add_list(s, a->id, "values", c->field, c->values, c->nvalues, c->distinct, err)))
		return rc;
	for (size_t i = 0; i < c->nlists; i++) {
		const struct mm_corr_list *l = &c->lists[i];
		if ((rc = add_list(s, a->id, l->name, l->field, l->v, l->n, l->total, err)))
			return rc;
	}
	return MM_OK;
}

int mm_store_alert_json(struct mm_store *s, const char *alert_id, char **json,
                        struct mm_error *err)
{
	sqlite3_stmt *st = NULL;
	*json = NULL;
	if (sqlite3_prepare_v2(s->db, "SELECT json FROM alerts WHERE id = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_err(s, err, "cannot prepare alert query");
	sqlite3_bind_text(st, 1, alert_id, -1, SQLITE_STATIC);
	int r = sqlite3_step(st), rc = MM_OK;
	if (r == SQLITE_ROW)
		*json = mm_strdup((const char *)sqlite3_column_text(st, 0));
	else if (r == SQLITE_DONE)
		rc = mm_error_set(err, MM_ENOENT, s->path, 0, 0,
		                  "no alert with id '%s' in this database (the id is "
		                  "mamori.alert_id of the alert, 16 hex digits)",
		                  alert_id);
	else
		rc = db_err(s, err, "cannot read alert");
	sqlite3_finalize(st);
	return rc;
}

int mm_store_alert_lists(struct mm_store *s, const char *alert_id, struct mm_store_list **out,
                         size_t *n, struct mm_error *err)
{
	sqlite3_stmt *st = NULL, *sv = NULL;
	struct mm_store_list *v = NULL;
	size_t k = 0;
	int rc = MM_OK;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT list, field, total, kept FROM alert_lists WHERE alert_id = ?"
	                       " ORDER BY CASE list WHEN 'values' THEN 0 ELSE 1 END, list",
	                       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db,
	                       "SELECT value FROM alert_list_values WHERE alert_id = ? AND list = ?"
	                       " ORDER BY pos",
	                       -1, &sv, NULL) != SQLITE_OK) {
		rc = db_err(s, err, "cannot prepare list query");
		goto out;
	}
	sqlite3_bind_text(st, 1, alert_id, -1, SQLITE_STATIC);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		v = mm_realloc(v, (k + 1) * sizeof(*v));
		struct mm_store_list *l = &v[k++];
		memset(l, 0, sizeof(*l));
		l->name = mm_strdup((const char *)sqlite3_column_text(st, 0));
		const unsigned char *f = sqlite3_column_text(st, 1);
		l->field = f ? mm_strdup((const char *)f) : NULL;
		l->total = (uint64_t)sqlite3_column_int64(st, 2);
		sqlite3_reset(sv);
		sqlite3_bind_text(sv, 1, alert_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(sv, 2, l->name, -1, SQLITE_STATIC);
		size_t cap = 0;
		while ((r = sqlite3_step(sv)) == SQLITE_ROW) {
			if (l->n == cap) {
				cap = cap ? cap * 2 : 16;
				l->v = mm_realloc(l->v, cap * sizeof(*l->v));
			}
			l->v[l->n++] = mm_strdup((const char *)sqlite3_column_text(sv, 0));
		}
		if (r != SQLITE_DONE) {
			rc = db_err(s, err, "cannot read list values");
			goto out;
		}
	}
	if (r != SQLITE_DONE)
		rc = db_err(s, err, "cannot read lists");
out:
	sqlite3_finalize(st);
	sqlite3_finalize(sv);
	if (rc) {
		mm_store_lists_free(v, k);
		return rc;
	}
	*out = v;
	*n = k;
	return MM_OK;
}

void mm_store_lists_free(struct mm_store_list *l, size_t n)
{
	if (!l)
		return;
	for (size_t i = 0; i < n; i++) {
		free(l[i].name);
		free(l[i].field);
		for (size_t j = 0; j < l[i].n; j++)
			free(l[i].v[j]);
		free(l[i].v);
	}
	free(l);
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
