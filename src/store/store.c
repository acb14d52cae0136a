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
	sqlite3_stmt *v_src_get, *v_src_ins, *v_src_upd, *v_src_clear, *v_src_done, *v_adv_ins,
		*v_aff_ins, *v_lookup, *v_find_ins;
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
	/* 1 → 2: `mamori vuln`: the advisory index (one row per advisory file,
	 * advisory, and affected package keyed by identity) and findings */
	"CREATE TABLE IF NOT EXISTS vuln_sources ("
	"  id INTEGER PRIMARY KEY,"
	"  path TEXT NOT NULL UNIQUE,"
	"  size INTEGER, mtime INTEGER,"   /* ns; with size: unchanged → not re-read */
	"  complete INTEGER NOT NULL DEFAULT 0,"
	"  advisories INTEGER,"
	"  indexed INTEGER"
	");"
	"CREATE TABLE IF NOT EXISTS vuln_advisories ("
	"  id INTEGER PRIMARY KEY,"
	"  source_id INTEGER NOT NULL REFERENCES vuln_sources(id) ON DELETE CASCADE,"
	"  adv_id TEXT NOT NULL, format TEXT NOT NULL, aliases TEXT, summary TEXT,"
	"  score REAL, vector TEXT, severity TEXT, modified TEXT"
	");"
	"CREATE INDEX IF NOT EXISTS vuln_advisories_source ON vuln_advisories(source_id);"
	"CREATE TABLE IF NOT EXISTS vuln_affected ("
	"  adv INTEGER NOT NULL REFERENCES vuln_advisories(id) ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"            /* package identity, see src/vuln/products.c */
	"  scheme TEXT NOT NULL, events TEXT, versions TEXT, note TEXT"
	");"
	"CREATE INDEX IF NOT EXISTS vuln_affected_key ON vuln_affected(key);"
	"CREATE INDEX IF NOT EXISTS vuln_affected_adv ON vuln_affected(adv);"
	"CREATE TABLE IF NOT EXISTS findings ("
	"  host TEXT NOT NULL, ecosystem TEXT NOT NULL, package TEXT NOT NULL,"
	"  version TEXT NOT NULL, vuln_id TEXT NOT NULL,"
	"  advisories TEXT, aliases TEXT, severity TEXT, score REAL, fixed TEXT,"
	"  conflicts TEXT, file TEXT, line INTEGER, evidence TEXT, json TEXT NOT NULL,"
	"  first_seen INTEGER NOT NULL DEFAULT (CAST(strftime('%s','now') AS INTEGER)),"
	"  last_seen INTEGER NOT NULL DEFAULT (CAST(strftime('%s','now') AS INTEGER)),"
	"  PRIMARY KEY (host, ecosystem, package, version, vuln_id)"
	");",
	/* ---- 2 → 3: INCIDENTS (issue 8, src/incident/, docs/internals/INCIDENT.md).
	 * Self-contained: uses only the alerts table of version 1, never version
	 * 2's findings, so it can be renumbered freely. incident_alerts holds each
	 * alert in at most one incident (primary key), which makes grouping
	 * idempotent: re-running it finds no unassigned alert and changes nothing. */
	"CREATE TABLE IF NOT EXISTS incidents ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  class TEXT NOT NULL,"            /* incident class id: web-attack, … */
	"  entity TEXT NOT NULL,"           /* grouping entity (source IP, account, host) */
	"  entity_kind TEXT NOT NULL,"      /* ECS name of the entity: source.ip, user.name */
	"  first_ts INTEGER NOT NULL,"      /* event time of the first alert, ns UTC */
	"  last_ts INTEGER NOT NULL,"
	"  severity INTEGER NOT NULL,"      /* 0 informational … 4 critical */
	"  outcome TEXT NOT NULL,"          /* attempted | possible | succeeded */
	"  status TEXT NOT NULL DEFAULT 'open'," /* open | acknowledged | closed */
	"  status_note TEXT,"
	"  status_changed INTEGER,"         /* wall clock, s */
	"  alerts INTEGER NOT NULL,"
	"  assets TEXT NOT NULL,"           /* JSON array of strings */
	"  accounts TEXT NOT NULL,"         /* JSON array (capped; the count is exact) */
	"  techniques TEXT NOT NULL,"       /* JSON array of ATT&CK ids */
	"  rules TEXT NOT NULL,"            /* JSON array of rule titles */
	"  accounts_targeted INTEGER NOT NULL DEFAULT 0,"
	"  accounts_compromised INTEGER NOT NULL DEFAULT 0,"
	"  records_estimate INTEGER,"       /* NULL = unknown */
	"  created INTEGER NOT NULL DEFAULT (CAST(strftime('%s','now') AS INTEGER)),"
	"  updated INTEGER NOT NULL DEFAULT (CAST(strftime('%s','now') AS INTEGER))"
	");"
	"CREATE INDEX IF NOT EXISTS incidents_key ON incidents(class, entity, first_ts);"
	"CREATE INDEX IF NOT EXISTS incidents_time ON incidents(first_ts, last_ts);"
	"CREATE TABLE IF NOT EXISTS incident_alerts ("
	"  alert_id TEXT PRIMARY KEY,"      /* alerts.id: one incident per alert */
	"  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE"
	");"
	"CREATE INDEX IF NOT EXISTS incident_alerts_inc ON incident_alerts(incident_id);",
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
	/* 4 → 5: what the egress analyzers learned (src/net/learn.c): hosts and
	 * their learning start and log coverage, destinations per host, admin
	 * login sources per device, per-host volume baselines (hour of day 0-23,
	 * 24 = daily total; space-separated byte counts, oldest first). */
	"CREATE TABLE IF NOT EXISTS net_hosts ("
	"  host TEXT PRIMARY KEY,"
	"  first_ts INTEGER NOT NULL,"
	"  last_ts INTEGER,"
	"  log_hours INTEGER NOT NULL DEFAULT 0,"
	"  hours INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE IF NOT EXISTS net_seen ("
	"  host TEXT NOT NULL, peer TEXT NOT NULL, port INTEGER NOT NULL, proto INTEGER NOT NULL,"
	"  first_ts INTEGER,"
	"  PRIMARY KEY (host, peer, port, proto)"
	") WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS net_admin ("
	"  device TEXT NOT NULL, source TEXT NOT NULL, first_ts INTEGER,"
	"  PRIMARY KEY (device, source)"
	") WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS net_volume ("
	"  host TEXT NOT NULL, slot INTEGER NOT NULL, vals TEXT NOT NULL,"
	"  PRIMARY KEY (host, slot)"
	") WITHOUT ROWID;"
	/* the volume an exfiltration incident's alerts estimate (loss model) */
	"ALTER TABLE incidents ADD COLUMN bytes_estimate INTEGER;",
	/* 5 → 6: `mamori dlp` (src/dlp/dlp_store.c): one row per scanned file
	 * holding personal data and one per file and PII type; samples are
	 * masked, never full values. Keyed by path: a re-scan replaces. */
	"CREATE TABLE IF NOT EXISTS dlp_files ("
	"  path TEXT PRIMARY KEY,"
	"  host TEXT NOT NULL,"           /* where the files are (--host) */
	"  format TEXT NOT NULL, encoding TEXT NOT NULL,"
	"  bytes INTEGER NOT NULL,"
	"  records INTEGER NOT NULL,"     /* data records (rows, tuples, lines) */
	"  records_pii INTEGER NOT NULL," /* records holding personal data */
	"  types TEXT NOT NULL,"          /* JSON array of PII type ids */
	"  fields TEXT NOT NULL,"         /* JSON array of loss-model fields */
	"  confidence INTEGER NOT NULL,"
	"  run INTEGER NOT NULL"          /* ns: start of the `mamori dlp` run */
	");"
	"CREATE TABLE IF NOT EXISTS dlp_findings ("
	"  path TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  matches INTEGER NOT NULL,"
	"  records INTEGER NOT NULL,"
	"  distinct_values INTEGER NOT NULL,"
	"  confidence INTEGER NOT NULL,"
	"  sample TEXT NOT NULL,"         /* masked */
	"  sample_record INTEGER,"
	"  sample_column TEXT,"
	"  columns TEXT NOT NULL,"        /* JSON array of the columns holding it */
	"  run INTEGER NOT NULL,"
	"  PRIMARY KEY (path, type)"
	") WITHOUT ROWID;",
};
_Static_assert(sizeof(g_migrations) / sizeof(g_migrations[0]) == MM_STORE_SCHEMA_VERSION,
               "one migration per schema version");

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
	sqlite3_stmt *vs[] = {s->v_src_get, s->v_src_ins, s->v_src_upd, s->v_src_clear,
	                      s->v_src_done, s->v_adv_ins, s->v_aff_ins, s->v_lookup, s->v_find_ins};
	for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++)
		sqlite3_finalize(vs[i]);
	sqlite3_finalize(s->ins_list);
	sqlite3_finalize(s->ins_value);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

struct sqlite3 *mm_store_sqlite(struct mm_store *s)
{
	return s->db;
}

const char *mm_store_path(const struct mm_store *s)
{
	return s->path;
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

void mm_store_rollback(struct mm_store *s)
{
	if (s && s->in_tx) {
		exec(s, "ROLLBACK", NULL);
		s->in_tx = false;
	}
}

/* Statements of `mamori vuln` are prepared on first use, so `scan` pays
 * nothing for them. */
static int prep(struct mm_store *s, sqlite3_stmt **st, const char *sql, struct mm_error *err)
{
	if (!*st &&
	    sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return db_err(s, err, "cannot prepare statement");
	sqlite3_reset(*st);
	sqlite3_clear_bindings(*st);
	return MM_OK;
}

static void bind_str(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int step_done(struct mm_store *s, sqlite3_stmt *st, struct mm_error *err, const char *what)
{
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return db_err(s, err, what);
	return MM_OK;
}

int mm_store_vuln_source(struct mm_store *s, const char *path, int64_t size, int64_t mtime,
                         int64_t *id, bool *fresh, struct mm_error *err)
{
	int rc;
	*fresh = false;
	if ((rc = prep(s, &s->v_src_get,
	               "SELECT id, size, mtime, complete FROM vuln_sources WHERE path = ?", err)))
		return rc;
	bind_str(s->v_src_get, 1, path);
	int r = sqlite3_step(s->v_src_get);
	if (r == SQLITE_ROW) {
		*id = sqlite3_column_int64(s->v_src_get, 0);
		*fresh = sqlite3_column_int64(s->v_src_get, 1) == size &&
		         sqlite3_column_int64(s->v_src_get, 2) == mtime &&
		         sqlite3_column_int(s->v_src_get, 3) == 1;
		sqlite3_reset(s->v_src_get);
		if (*fresh)
			return MM_OK;
		if ((rc = prep(s, &s->v_src_clear, "DELETE FROM vuln_advisories WHERE source_id = ?",
		               err)))
			return rc;
		sqlite3_bind_int64(s->v_src_clear, 1, *id);
		if ((rc = step_done(s, s->v_src_clear, err, "cannot clear advisories")))
			return rc;
		if ((rc = prep(s, &s->v_src_upd,
		               "UPDATE vuln_sources SET size = ?, mtime = ?, complete = 0 WHERE id = ?",
		               err)))
			return rc;
		sqlite3_bind_int64(s->v_src_upd, 1, size);
		sqlite3_bind_int64(s->v_src_upd, 2, mtime);
		sqlite3_bind_int64(s->v_src_upd, 3, *id);
		return step_done(s, s->v_src_upd, err, "cannot update advisory source");
	}
	sqlite3_reset(s->v_src_get);
	if (r != SQLITE_DONE)
		return db_err(s, err, "cannot read advisory sources");
	if ((rc = prep(s, &s->v_src_ins,
	               "INSERT INTO vuln_sources(path, size, mtime) VALUES (?,?,?)", err)))
		return rc;
	bind_str(s->v_src_ins, 1, path);
	sqlite3_bind_int64(s->v_src_ins, 2, size);
	sqlite3_bind_int64(s->v_src_ins, 3, mtime);
	if ((rc = step_done(s, s->v_src_ins, err, "cannot add advisory source")))
		return rc;
	*id = sqlite3_last_insert_rowid(s->db);
	return MM_OK;
}

int mm_store_vuln_source_done(struct mm_store *s, int64_t id, int64_t advisories,
                              struct mm_error *err)
{
	int rc = prep(s, &s->v_src_done,
	              "UPDATE vuln_sources SET complete = 1, advisories = ?,"
	              " indexed = CAST(strftime('%s','now') AS INTEGER) WHERE id = ?",
	              err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s->v_src_done, 1, advisories);
	sqlite3_bind_int64(s->v_src_done, 2, id);
	return step_done(s, s->v_src_done, err, "cannot mark advisory source");
}

int mm_store_vuln_add_advisory(struct mm_store *s, int64_t source,
                               const struct mm_store_advisory *a, int64_t *rowid,
                               struct mm_error *err)
{
	int rc = prep(s, &s->v_adv_ins,
	              "INSERT INTO vuln_advisories(source_id, adv_id, format, aliases, summary,"
	              " score, vector, severity, modified) VALUES (?,?,?,?,?,?,?,?,?)",
	              err);
	if (rc)
		return rc;
	sqlite3_stmt *st = s->v_adv_ins;
	sqlite3_bind_int64(st, 1, source);
	bind_str(st, 2, a->adv_id);
	bind_str(st, 3, a->format);
	bind_str(st, 4, a->aliases);
	bind_str(st, 5, a->summary);
	if (a->score >= 0)
		sqlite3_bind_double(st, 6, a->score);
	bind_str(st, 7, a->vector);
	bind_str(st, 8, a->severity);
	bind_str(st, 9, a->modified);
	if ((rc = step_done(s, st, err, "cannot store advisory")))
		return rc;
	*rowid = sqlite3_last_insert_rowid(s->db);
	return MM_OK;
}

int mm_store_vuln_add_affected(struct mm_store *s, int64_t adv_rowid,
                               const struct mm_store_affected *a, struct mm_error *err)
{
	int rc = prep(s, &s->v_aff_ins,
	              "INSERT INTO vuln_affected(adv, key, scheme, events, versions, note)"
	              " VALUES (?,?,?,?,?,?)",
	              err);
	if (rc)
		return rc;
	sqlite3_stmt *st = s->v_aff_ins;
	sqlite3_bind_int64(st, 1, adv_rowid);
	bind_str(st, 2, a->key);
	bind_str(st, 3, a->scheme);
	bind_str(st, 4, a->events);
	bind_str(st, 5, a->versions);
	bind_str(st, 6, a->note);
	return step_done(s, st, err, "cannot store affected package");
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int mm_store_vuln_lookup(struct mm_store *s, const char *key, mm_store_vuln_row_cb cb, void *ctx,
                         struct mm_error *err)
{
	int rc = prep(s, &s->v_lookup,
	              "SELECT f.adv, v.source_id, f.key, f.scheme, f.events, f.versions, f.note,"
	              " v.adv_id, v.format, v.aliases, v.summary, v.vector, v.severity, v.modified,"
	              " v.score FROM vuln_affected f JOIN vuln_advisories v ON v.id = f.adv"
	              " WHERE f.key = ? ORDER BY f.adv",
	              err);
	if (rc)
		return rc;
	sqlite3_stmt *st = s->v_lookup;
	bind_str(st, 1, key);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct mm_store_vuln_row row = {
			.adv_rowid = sqlite3_column_int64(st, 0),
			.source = sqlite3_column_int64(st, 1),
			.aff = {col(st, 2), col(st, 3), col(st, 4), col(st, 5), col(st, 6)},
			.adv = {col(st, 7), col(st, 8), col(st, 9), col(st, 10), col(st, 11),
			        col(st, 12), col(st, 13),
			        sqlite3_column_type(st, 14) == SQLITE_NULL ? -1.0
			                                                   : sqlite3_column_double(st, 14)},
		};
		if ((rc = cb(ctx, &row))) {
			sqlite3_reset(st);
			return rc;
		}
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return db_err(s, err, "cannot look advisories up");
	return MM_OK;
}

int mm_store_add_finding(struct mm_store *s, const struct mm_store_finding *f,
                         struct mm_error *err)
{
	int rc = prep(s, &s->v_find_ins,
	              "INSERT INTO findings(host, ecosystem, package, version, vuln_id, advisories,"
	              " aliases, severity, score, fixed, conflicts, file, line, evidence, json)"
	              " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
	              " ON CONFLICT(host, ecosystem, package, version, vuln_id) DO UPDATE SET"
	              " advisories = excluded.advisories, aliases = excluded.aliases,"
	              " severity = excluded.severity, score = excluded.score,"
	              " fixed = excluded.fixed, conflicts = excluded.conflicts,"
	              " file = excluded.file, line = excluded.line, evidence = excluded.evidence,"
	              " json = excluded.json,"
	              " last_seen = CAST(strftime('%s','now') AS INTEGER)",
	              err);
	if (rc)
		return rc;
	sqlite3_stmt *st = s->v_find_ins;
	const char *v[] = {f->host,     f->ecosystem, f->package,  f->version,
	                   f->vuln_id,  f->advisories, f->aliases, f->severity};
	for (int i = 0; i < 8; i++)
		bind_str(st, i + 1, v[i]);
	if (f->score >= 0)
		sqlite3_bind_double(st, 9, f->score);
	bind_str(st, 10, f->fixed);
	bind_str(st, 11, f->conflicts);
	bind_str(st, 12, f->file);
	sqlite3_bind_int64(st, 13, f->line);
	bind_str(st, 14, f->evidence);
	bind_str(st, 15, f->json);
	return step_done(s, st, err, "cannot store finding");
}

int mm_store_count_findings(struct mm_store *s, int64_t *out, struct mm_error *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM findings", -1, &st, NULL) != SQLITE_OK)
		return db_err(s, err, "cannot prepare count");
	int rc = MM_OK;
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		rc = db_err(s, err, "cannot count findings");
	sqlite3_finalize(st);
	return rc;
}
