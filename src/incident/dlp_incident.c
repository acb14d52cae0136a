/* mamori — personal-data incidents from `mamori dlp` results (dlp_files):
 * the files of one host holding personal data form one open incident of
 * class personal-data whose records_estimate — the number of people whose
 * records are there — feeds the JNSA compensation in the loss model. The
 * data sits where it may leak: the outcome is "possible". Called from
 * mm_incident_update (incident.c). Pipeline position: dlp store → incidents. */
#define _GNU_SOURCE /* memmem */
#include "incident_dlp.h"

#include <sqlite3.h>
#include <string.h>
#include <time.h>

static int fail(sqlite3 *db, struct mm_store *s, struct mm_error *err, const char *what)
{
	return mm_error_set(err, MM_EDB, mm_store_path(s), 0, 0, "%s: %s", what, sqlite3_errmsg(db));
}

static bool has_dlp(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	bool yes = false;
	if (sqlite3_prepare_v2(db,
	                       "SELECT 1 FROM sqlite_master WHERE type='table' AND name='dlp_files'",
	                       -1, &st, NULL) == SQLITE_OK)
		yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return yes;
}

/* incident_alerts.alert_id of a DLP file */
#define DLP_KEY_SQL(f) "'dlp:' || " f ".path"

static void push(int64_t **touched, size_t *nt, size_t *capt, int64_t id)
{
	if (*nt == *capt) {
		*capt = *capt ? *capt * 2 : 64;
		*touched = mm_realloc(*touched, *capt * sizeof(**touched));
	}
	(*touched)[(*nt)++] = id;
}

/* Files re-scanned without personal data (their dlp_files row is gone)
 * leave their incident: it is recomputed without them. */
static int unlink_gone(sqlite3 *db, struct mm_store *s, int64_t **touched, size_t *nt,
                       size_t *capt, struct mm_error *err)
{
	static const char q_gone[] =
		"SELECT DISTINCT incident_id FROM incident_alerts i WHERE alert_id LIKE 'dlp:%' AND"
		" NOT EXISTS (SELECT 1 FROM dlp_files f WHERE " DLP_KEY_SQL("f") " = i.alert_id)";
	static const char q_del[] =
		"DELETE FROM incident_alerts WHERE alert_id LIKE 'dlp:%' AND NOT EXISTS"
		" (SELECT 1 FROM dlp_files f WHERE " DLP_KEY_SQL("f") " = incident_alerts.alert_id)";
	sqlite3_stmt *st = NULL;
	int r;
	if (sqlite3_prepare_v2(db, q_gone, -1, &st, NULL) != SQLITE_OK)
		return fail(db, s, err, "cannot read DLP incidents");
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		push(touched, nt, capt, sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return fail(db, s, err, "cannot read DLP incidents");
	if (sqlite3_exec(db, q_del, NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, s, err, "cannot unlink DLP files");
	return MM_OK;
}

int mm__incident_group_dlp(struct mm_store *s, int64_t **touched, size_t *nt, size_t *capt,
                           uint64_t *linked, uint64_t *created, struct mm_error *err)
{
	static const char q_new[] =
		"SELECT " DLP_KEY_SQL("f") ", f.host, f.run FROM dlp_files f"
		" WHERE NOT EXISTS (SELECT 1 FROM incident_alerts i WHERE i.alert_id = "
		DLP_KEY_SQL("f") ") ORDER BY f.run, f.host, f.path";
	static const char q_find[] =
		"SELECT id FROM incidents WHERE class = 'personal-data' AND entity = ? AND"
		" entity_kind = 'host.name' AND status <> 'closed' ORDER BY first_ts DESC, id DESC"
		" LIMIT 1";
	static const char q_ins[] =
		"INSERT INTO incidents(class, entity, entity_kind, first_ts, last_ts, severity,"
		" outcome, alerts, assets, accounts, techniques, rules)"
		" VALUES ('personal-data',?,'host.name',?,?,0,'possible',0,'[]','[]','[]','[]')";
	static const char q_link[] =
		"INSERT OR IGNORE INTO incident_alerts(alert_id, incident_id) VALUES (?, ?)";
	/* a file re-scanned since (same path) stays linked: its incident is
	 * recomputed; without new runs nothing is touched (idempotent) */
	static const char q_old[] =
		"SELECT i.incident_id FROM incident_alerts i JOIN dlp_files f ON i.alert_id = "
		DLP_KEY_SQL("f") " JOIN incidents n ON n.id = i.incident_id WHERE f.run > n.last_ts"
		" GROUP BY i.incident_id";
	sqlite3 *db = mm_store_sqlite(s);
	sqlite3_stmt *qn = NULL, *qf = NULL, *qi = NULL, *ql = NULL, *qo = NULL;
	int rc = MM_OK, r;
	if (!has_dlp(db))
		return MM_OK;
	if (sqlite3_prepare_v2(db, q_new, -1, &qn, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, q_find, -1, &qf, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, q_ins, -1, &qi, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, q_link, -1, &ql, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, q_old, -1, &qo, NULL) != SQLITE_OK) {
		rc = fail(db, s, err, "cannot prepare DLP incident queries");
		goto out;
	}
	while ((r = sqlite3_step(qn)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(qn, 0);
		const char *host = (const char *)sqlite3_column_text(qn, 1);
		int64_t ts = sqlite3_column_int64(qn, 2), inc = 0;
		if ((rc = mm__incident_host_open(s, qf, qi, host, ts, &inc, created, err)))
			goto out;
		sqlite3_reset(ql);
		sqlite3_bind_text(ql, 1, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ql, 2, inc);
		if (sqlite3_step(ql) != SQLITE_DONE) {
			rc = fail(db, s, err, "cannot link file to incident");
			goto out;
		}
		(*linked)++;
		push(touched, nt, capt, inc);
	}
	if (r != SQLITE_DONE) {
		rc = fail(db, s, err, "cannot read DLP files");
		goto out;
	}
	while ((r = sqlite3_step(qo)) == SQLITE_ROW)
		push(touched, nt, capt, sqlite3_column_int64(qo, 0));
	if (r != SQLITE_DONE) {
		rc = fail(db, s, err, "cannot read DLP incidents");
		goto out;
	}
	rc = unlink_gone(db, s, touched, nt, capt, err);
out:
	sqlite3_finalize(qn);
	sqlite3_finalize(qf);
	sqlite3_finalize(qi);
	sqlite3_finalize(ql);
	sqlite3_finalize(qo);
	return rc;
}

bool mm__incident_is_dlp(struct mm_store *s, int64_t id)
{
	sqlite3 *db = mm_store_sqlite(s);
	sqlite3_stmt *st = NULL;
	bool yes = false;
	/* linked DLP files, or a DLP incident whose files all went (unlinked) */
	if (sqlite3_prepare_v2(db,
	                       "SELECT EXISTS (SELECT 1 FROM incident_alerts WHERE incident_id = ?1"
	                       " AND alert_id LIKE 'dlp:%') OR (EXISTS (SELECT 1 FROM incidents"
	                       " WHERE id = ?1 AND class = 'personal-data' AND entity_kind ="
	                       " 'host.name') AND NOT EXISTS (SELECT 1 FROM incident_alerts WHERE"
	                       " incident_id = ?1))",
	                       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		yes = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	}
	sqlite3_finalize(st);
	return yes;
}

/* Severity by what is there and how much: card numbers, My Numbers, bank
 * accounts and passports are high (JNSA economic-loss level 2–3, 番号法);
 * 1,000 or more people raise it one step. */
static int severity(const char *types, int64_t people)
{
	static const char *const high[] = {"\"card_number\"", "\"my_number\"", "\"bank_account_jp\"",
	                                   "\"iban\"", "\"passport_jp\"", "\"us_ssn\""};
	int sev = 2;
	for (size_t i = 0; i < MM_ARRAY_LEN(high); i++)
		if (types && strstr(types, high[i]))
			sev = 3;
	if (people >= 1000)
		sev++;
	return MM_MIN(sev, 4);
}

static void json_add(struct mm_buf *b, const char *arr)
{
	/* merge the strings of a JSON array of strings (from dlp_files) */
	if (!arr)
		return;
	for (const char *p = strchr(arr, '"'); p; p = strchr(p, '"')) {
		const char *e = strchr(p + 1, '"');
		if (!e)
			break;
		size_t n = (size_t)(e + 1 - p);
		bool dup = b->n && memmem(b->p, b->n, p, n);
		if (!dup) {
			mm_buf_putc(b, b->n > 1 ? ',' : '[');
			mm_buf_append(b, p, n);
		}
		p = e + 1;
	}
}

int mm__incident_recompute_dlp(struct mm_store *s, int64_t id, struct mm_error *err)
{
	static const char q[] =
		"SELECT f.host, f.types, f.records_pii, f.run FROM incident_alerts i JOIN dlp_files f"
		" ON i.alert_id = " DLP_KEY_SQL("f") " WHERE i.incident_id = ? ORDER BY f.path";
	static const char q_upd[] =
		"UPDATE incidents SET first_ts=?, last_ts=?, severity=?, outcome='possible', alerts=?,"
		" assets=?, accounts='[]', techniques='[]', rules=?, records_estimate=?, updated=?"
		" WHERE id=?";
	sqlite3 *db = mm_store_sqlite(s);
	sqlite3_stmt *st = NULL;
	struct mm_buf types, host;
	int rc = MM_OK, r, sev = 0;
	int64_t first = 0, last = 0, files = 0, people = 0;
	mm_buf_init(&types, 1 << 16);
	mm_buf_init(&host, 1 << 12);
	if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK) {
		rc = fail(db, s, err, "cannot read incident files");
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t ts = sqlite3_column_int64(st, 3);
		if (!files || ts < first)
			first = ts;
		if (!files || ts > last)
			last = ts;
		files++;
		people += sqlite3_column_int64(st, 2);
		const char *h = (const char *)sqlite3_column_text(st, 0);
		if (!host.n && h) {
			mm_buf_puts(&host, "[\"");
			mm_json_escape(&host, h, strlen(h));
			mm_buf_puts(&host, "\"]");
		}
		json_add(&types, (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	st = NULL;
	if (r != SQLITE_DONE) {
		rc = fail(db, s, err, "cannot read incident files");
		goto out;
	}
	if (!files) {
		/* every file was re-scanned clean: nothing left to leak */
		if (sqlite3_prepare_v2(db,
		                       "UPDATE incidents SET alerts=0, records_estimate=0,"
		                       " status='closed', status_note='mamori dlp: no personal data"
		                       " left in its files', updated=? WHERE id=?",
		                       -1, &st, NULL) != SQLITE_OK) {
			rc = fail(db, s, err, "cannot update incident");
			goto out;
		}
		sqlite3_bind_int64(st, 1, (int64_t)time(NULL));
		sqlite3_bind_int64(st, 2, id);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = fail(db, s, err, "cannot update incident");
		goto out;
	}
	mm_buf_puts(&types, types.n ? "]" : "[]");
	if (!host.n)
		mm_buf_puts(&host, "[]");
	sev = severity(types.p, people);
	if (sqlite3_prepare_v2(db, q_upd, -1, &st, NULL) != SQLITE_OK) {
		rc = fail(db, s, err, "cannot update incident");
		goto out;
	}
	sqlite3_bind_int64(st, 1, first);
	sqlite3_bind_int64(st, 2, last);
	sqlite3_bind_int(st, 3, sev);
	sqlite3_bind_int64(st, 4, files);
	sqlite3_bind_text(st, 5, host.p, (int)host.n, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, types.p, (int)types.n, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, people);
	sqlite3_bind_int64(st, 8, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 9, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = fail(db, s, err, "cannot update incident");
out:
	sqlite3_finalize(st);
	mm_buf_free(&types);
	mm_buf_free(&host);
	return rc;
}
