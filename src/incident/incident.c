/* mamori — incident grouping over the SQLite store. Unassigned alerts are
 * attached, in event-time order, to the incident of the same class and entity
 * whose time span is within the gap (or to a new one); then every touched
 * incident's summary is recomputed from all of its alerts, so the result does
 * not depend on how the alerts were split across runs.
 * Pipeline position: alerts table → incidents, incident_alerts tables → report.
 * Design notes: docs/internals/INCIDENT.md. */
#include "mamori/incident.h"
#include "incident_dlp.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_DISTINCT 100000 /* distinct accounts counted exactly per incident */

static const char *const g_status[] = {"open", "acknowledged", "closed"};
static const char *const g_outcome[] = {"attempted", "possible", "succeeded"};

const char *mm_incident_status_name(enum mm_incident_status s)
{
	return (unsigned)s < MM_ARRAY_LEN(g_status) ? g_status[s] : "open";
}

int mm_incident_status_parse(const char *name, enum mm_incident_status *out)
{
	for (size_t i = 0; i < MM_ARRAY_LEN(g_status); i++)
		if (!strcmp(name, g_status[i])) {
			*out = (enum mm_incident_status)i;
			return MM_OK;
		}
	return MM_ENOENT;
}

const char *mm_incident_outcome_name(enum mm_incident_outcome o)
{
	return (unsigned)o < MM_ARRAY_LEN(g_outcome) ? g_outcome[o] : "attempted";
}

static enum mm_incident_outcome outcome_parse(const char *s)
{
	for (size_t i = 0; s && i < MM_ARRAY_LEN(g_outcome); i++)
		if (!strcmp(s, g_outcome[i]))
			return (enum mm_incident_outcome)i;
	return MM_OUTCOME_ATTEMPTED;
}

static int db_fail(sqlite3 *db, struct mm_store *s, struct mm_error *err, const char *what)
{
	return mm_error_set(err, MM_EDB, mm_store_path(s), 0, 0, "%s: %s", what,
	                    sqlite3_errmsg(db));
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int mm__incident_host_open(struct mm_store *s, sqlite3_stmt *qf, sqlite3_stmt *qi, const char *host,
                           int64_t ts, int64_t *inc, uint64_t *created, struct mm_error *err)
{
	sqlite3 *db = mm_store_sqlite(s);
	int r;
	*inc = 0;
	sqlite3_reset(qf);
	sqlite3_bind_text(qf, 1, host ? host : "-", -1, SQLITE_TRANSIENT);
	if ((r = sqlite3_step(qf)) == SQLITE_ROW)
		*inc = sqlite3_column_int64(qf, 0);
	else if (r != SQLITE_DONE)
		return db_fail(db, s, err, "cannot look up incident");
	if (*inc)
		return MM_OK;
	sqlite3_reset(qi);
	sqlite3_bind_text(qi, 1, host ? host : "-", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(qi, 2, ts);
	sqlite3_bind_int64(qi, 3, ts);
	if (sqlite3_step(qi) != SQLITE_DONE)
		return db_fail(db, s, err, "cannot create incident");
	*inc = sqlite3_last_insert_rowid(db);
	(*created)++;
	return MM_OK;
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const char *t = col_text(st, i);
	return t ? mm_strdup(t) : NULL;
}

/* ---- a small ordered set of strings: first MM_INCIDENT_MAX_LIST kept in
 * insertion order for display, distinct count exact up to MAX_DISTINCT ---- */
struct strset {
	struct mm_map *seen;
	char *keep[MM_INCIDENT_MAX_LIST];
	size_t nkeep;
	int64_t count;
};

static void strset_init(struct strset *s)
{
	memset(s, 0, sizeof(*s));
	s->seen = mm_map_new(false);
}

static void strset_add(struct strset *s, const char *v)
{
	if (!v || !*v)
		return;
	size_t n = strlen(v);
	if (mm_map_get(s->seen, v, n))
		return;
	if (mm_map_count(s->seen) >= MAX_DISTINCT)
		return; /* count saturates; documented in INCIDENT.md */
	mm_map_put(s->seen, v, n, (void *)1);
	s->count++;
	if (s->nkeep < MM_INCIDENT_MAX_LIST)
		s->keep[s->nkeep++] = mm_strdup(v);
}

static void strset_json(const struct strset *s, struct mm_buf *b)
{
	mm_buf_reset(b);
	mm_buf_putc(b, '[');
	for (size_t i = 0; i < s->nkeep; i++) {
		if (i)
			mm_buf_putc(b, ',');
		mm_buf_putc(b, '"');
		mm_json_escape(b, s->keep[i], strlen(s->keep[i]));
		mm_buf_putc(b, '"');
	}
	mm_buf_putc(b, ']');
}

static void strset_free(struct strset *s)
{
	for (size_t i = 0; i < s->nkeep; i++)
		free(s->keep[i]);
	mm_map_free(s->seen);
	s->nkeep = 0;
}

/* ATT&CK technique ids from tags: "attack.t1110.001" → "T1110.001". */
static void add_techniques(struct strset *set, const char *tags)
{
	if (!tags)
		return;
	for (const char *p = strstr(tags, "\"attack.t"); p; p = strstr(p + 1, "\"attack.t")) {
		const char *e = p + 9;
		char id[32] = "T";
		size_t n = 1;
		if (*e < '0' || *e > '9')
			continue; /* attack.tactic names are not techniques */
		while (*e && *e != '"' && n + 1 < sizeof(id))
			id[n++] = *e++;
		id[n] = '\0';
		strset_add(set, id);
	}
}

static bool status_2xx(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return false;
	int64_t v = sqlite3_column_int64(st, i);
	return v >= 200 && v < 300;
}

/* Recompute one incident's summary from all of its alerts. */
static int recompute(sqlite3 *db, struct mm_store *s, int64_t id, struct mm_error *err)
{
	static const char q_cls[] = "SELECT class FROM incidents WHERE id = ?";
	static const char q_alerts[] =
		"SELECT a.ts, a.severity, a.user_name, a.file, a.rule_name,"
		" json_extract(a.json,'$.tags'), json_extract(a.json,'$.event.outcome'),"
		" json_extract(a.json,'$.http.response.status_code'),"
		" COALESCE(json_extract(a.json,'$.host.name'), json_extract(a.json,'$.host.hostname')), json_extract(a.json,'$.correlation.field'),"
		" json_extract(a.json,'$.correlation.distinct_count'),"
		" json_extract(a.json,'$.correlation.value')"
		" FROM incident_alerts i JOIN alerts a ON a.id = i.alert_id"
		" WHERE i.incident_id = ? ORDER BY a.ts, a.id";
	static const char q_upd[] =
		"UPDATE incidents SET first_ts=?, last_ts=?, severity=?, outcome=?, alerts=?,"
		" assets=?, accounts=?, techniques=?, rules=?, accounts_targeted=?,"
		" accounts_compromised=?, updated=?, bytes_estimate=? WHERE id=?";
	sqlite3_stmt *st = NULL;
	int rc = MM_OK;
	enum mm_incident_class cls = MM_IC_OTHER;
	struct strset assets, accounts, techs, rules, won;
	struct mm_buf j[4];
	strset_init(&assets);
	strset_init(&accounts);
	strset_init(&techs);
	strset_init(&rules);
	strset_init(&won);
	for (int i = 0; i < 4; i++)
		mm_buf_init(&j[i], 0);

	if (sqlite3_prepare_v2(db, q_cls, -1, &st, NULL) != SQLITE_OK) {
		rc = db_fail(db, s, err, "cannot read incident");
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && col_text(st, 0))
		mm_incident_class_parse(col_text(st, 0), &cls);
	sqlite3_finalize(st);
	st = NULL;

	if (sqlite3_prepare_v2(db, q_alerts, -1, &st, NULL) != SQLITE_OK) {
		rc = db_fail(db, s, err, "cannot read incident alerts");
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	int64_t first = 0, last = 0, n = 0, corr_targets = 0;
	double bytes = 0;
	int sev = 0;
	enum mm_incident_outcome oc = MM_OUTCOME_ATTEMPTED;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t ts = sqlite3_column_int64(st, 0);
		if (n == 0 || ts < first)
			first = ts;
		if (n == 0 || ts > last)
			last = ts;
		n++;
		sev = MM_MAX(sev, sqlite3_column_int(st, 1));
		const char *user = col_text(st, 2), *tags = col_text(st, 5);
		const char *evo = col_text(st, 6), *host = col_text(st, 8);
		strset_add(&accounts, user);
		strset_add(&assets, host ? host : col_text(st, 3));
		strset_add(&rules, col_text(st, 4));
		add_techniques(&techs, tags);
		/* Did it work? A successful authentication in an account attack; a web
		 * shell or command parameter answered with 2xx; an exploit answered
		 * with 2xx is only "possible" (the page may have ignored the payload). */
		bool success = evo && !strcmp(evo, "success");
		if (cls == MM_IC_ACCOUNT_ATTACK && success) {
			oc = MM_OUTCOME_SUCCEEDED;
			strset_add(&won, user);
		} else if ((mm_incident_tags_have(tags, "attack.t1505.003") ||
		            mm_incident_tags_have(tags, "attack.t1059")) &&
		           status_2xx(st, 7)) {
			oc = MM_OUTCOME_SUCCEEDED;
		} else if (oc == MM_OUTCOME_ATTEMPTED &&
		           (cls == MM_IC_WEB_ATTACK || cls == MM_IC_EXPLOIT) &&
		           mm_incident_tags_have(tags, "attack.t1190") && status_2xx(st, 7)) {
			oc = MM_OUTCOME_POSSIBLE;
		}
		const char *cf = col_text(st, 9);
		if (cf && !strcmp(cf, "user.name"))
			corr_targets = MM_MAX(corr_targets, sqlite3_column_int64(st, 10));
		/* the egress analyzer's estimate of what left (docs/egress.md):
		 * data did leave, so the incident succeeded */
		if (cf && !strcmp(cf, "network.bytes_estimated") && sqlite3_column_double(st, 11) > 0) {
			bytes += sqlite3_column_double(st, 11);
			oc = MM_OUTCOME_SUCCEEDED;
		}
	}
	sqlite3_finalize(st);
	st = NULL;
	if (r != SQLITE_DONE) {
		rc = db_fail(db, s, err, "cannot read incident alerts");
		goto out;
	}
	if (oc == MM_OUTCOME_SUCCEEDED)
		sev = 4;
	else if (oc == MM_OUTCOME_POSSIBLE)
		sev = MM_MAX(sev, 3);
	strset_json(&assets, &j[0]);
	strset_json(&accounts, &j[1]);
	strset_json(&techs, &j[2]);
	strset_json(&rules, &j[3]);
	int64_t targeted = cls == MM_IC_ACCOUNT_ATTACK ? MM_MAX(accounts.count, corr_targets) : 0;
	if (sqlite3_prepare_v2(db, q_upd, -1, &st, NULL) != SQLITE_OK) {
		rc = db_fail(db, s, err, "cannot update incident");
		goto out;
	}
	sqlite3_bind_int64(st, 1, first);
	sqlite3_bind_int64(st, 2, last);
	sqlite3_bind_int(st, 3, sev);
	sqlite3_bind_text(st, 4, mm_incident_outcome_name(oc), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, n);
	for (int i = 0; i < 4; i++)
		sqlite3_bind_text(st, 6 + i, j[i].p, (int)j[i].n, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, targeted);
	sqlite3_bind_int64(st, 11, won.count);
	sqlite3_bind_int64(st, 12, (int64_t)time(NULL));
	if (bytes > 0)
		sqlite3_bind_int64(st, 13, bytes > 9e18 ? INT64_MAX : (int64_t)bytes);
	else
		sqlite3_bind_null(st, 13);
	sqlite3_bind_int64(st, 14, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(db, s, err, "cannot update incident");
out:
	sqlite3_finalize(st);
	strset_free(&assets);
	strset_free(&accounts);
	strset_free(&techs);
	strset_free(&rules);
	strset_free(&won);
	for (int i = 0; i < 4; i++)
		mm_buf_free(&j[i]);
	return rc;
}

/* The key that links a finding to its incident in incident_alerts (whose
 * alert_id is free text): "finding:" host, ecosystem, package, version and
 * vulnerability id joined by U+001F — the findings table's primary key. */
#define FINDING_KEY_SQL(f)                                                                 \
	"'finding:' || " f ".host || char(31) || " f ".ecosystem || char(31) || " f           \
	".package || char(31) || " f ".version || char(31) || " f ".vuln_id"

static int vuln_severity(const char *sev, double score)
{
	if (sev && !strcmp(sev, "critical"))
		return 4;
	if (sev && !strcmp(sev, "high"))
		return 3;
	if (sev && !strcmp(sev, "medium"))
		return 2;
	if (sev && !strcmp(sev, "low"))
		return 1;
	/* CVSS v3 qualitative scale (FIRST CVSS v3.1 §5); no score: medium,
	 * since an unrated vulnerability is not a harmless one */
	return score >= 9 ? 4 : score >= 7 ? 3 : score >= 4 ? 2 : score > 0 ? 1 : 2;
}

/* Recompute a vulnerability incident from its findings: span from the
 * findings' first/last seen (wall clock of the `mamori vuln` runs: software
 * has no event time), severity the highest finding's, assets the host, rules
 * the vulnerability ids, alerts the number of findings. */
static int recompute_vuln(sqlite3 *db, struct mm_store *s, int64_t id, struct mm_error *err)
{
	static const char q[] =
		"SELECT f.host, f.vuln_id, f.severity, COALESCE(f.score, 0), f.first_seen, f.last_seen"
		" FROM incident_alerts i JOIN findings f ON i.alert_id = " FINDING_KEY_SQL("f")
		" WHERE i.incident_id = ? ORDER BY f.score DESC, f.vuln_id";
	static const char q_upd[] =
		"UPDATE incidents SET first_ts=?, last_ts=?, severity=?, outcome='attempted', alerts=?,"
		" assets=?, accounts='[]', techniques='[]', rules=?, updated=? WHERE id=?";
	sqlite3_stmt *st = NULL;
	struct strset hosts, ids;
	struct mm_buf j[2];
	int rc = MM_OK, r, sev = 0;
	int64_t first = 0, last = 0, n = 0;
	strset_init(&hosts);
	strset_init(&ids);
	mm_buf_init(&j[0], 0);
	mm_buf_init(&j[1], 0);
	if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK) {
		rc = db_fail(db, s, err, "cannot read incident findings");
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t f = sqlite3_column_int64(st, 4) * MM_NS_PER_SEC;
		int64_t l = sqlite3_column_int64(st, 5) * MM_NS_PER_SEC;
		if (n == 0 || f < first)
			first = f;
		if (n == 0 || l > last)
			last = l;
		n++;
		strset_add(&hosts, col_text(st, 0));
		strset_add(&ids, col_text(st, 1));
		sev = MM_MAX(sev, vuln_severity(col_text(st, 2), sqlite3_column_double(st, 3)));
	}
	sqlite3_finalize(st);
	st = NULL;
	if (r != SQLITE_DONE) {
		rc = db_fail(db, s, err, "cannot read incident findings");
		goto out;
	}
	strset_json(&hosts, &j[0]);
	strset_json(&ids, &j[1]);
	if (sqlite3_prepare_v2(db, q_upd, -1, &st, NULL) != SQLITE_OK) {
		rc = db_fail(db, s, err, "cannot update incident");
		goto out;
	}
	sqlite3_bind_int64(st, 1, first);
	sqlite3_bind_int64(st, 2, last);
	sqlite3_bind_int(st, 3, sev);
	sqlite3_bind_int64(st, 4, n);
	sqlite3_bind_text(st, 5, j[0].p, (int)j[0].n, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, j[1].p, (int)j[1].n, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 8, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(db, s, err, "cannot update incident");
out:
	sqlite3_finalize(st);
	strset_free(&hosts);
	strset_free(&ids);
	mm_buf_free(&j[0]);
	mm_buf_free(&j[1]);
	return rc;
}

static bool has_findings(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	bool yes = false;
	if (sqlite3_prepare_v2(db,
	                       "SELECT 1 FROM sqlite_master WHERE type='table' AND name='findings'",
	                       -1, &st, NULL) == SQLITE_OK)
		yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return yes;
}

/* Findings of `mamori vuln` not yet in an incident join the open (not closed)
 * vulnerability incident of their host, else a new one: a host's unpatched
 * software is one backlog, and a finding after the incident was closed is a
 * recurrence, visible as a new incident. Same link table as alerts, so a
 * second run changes nothing. Appends the touched incidents. */
static int group_findings(sqlite3 *db, struct mm_store *s, int64_t **touched, size_t *nt,
                          size_t *capt, struct mm_incident_stats *local, struct mm_error *err)
{
	static const char q_new[] =
		"SELECT " FINDING_KEY_SQL("f") ", f.host, f.first_seen FROM findings f"
		" WHERE NOT EXISTS (SELECT 1 FROM incident_alerts i WHERE i.alert_id = "
		FINDING_KEY_SQL("f") ") ORDER BY f.first_seen, f.host, f.package, f.vuln_id";
	static const char q_find[] =
		"SELECT id FROM incidents WHERE class = 'vulnerability' AND entity = ? AND"
		" status <> 'closed' ORDER BY first_ts DESC, id DESC LIMIT 1";
	static const char q_ins[] =
		"INSERT INTO incidents(class, entity, entity_kind, first_ts, last_ts, severity,"
		" outcome, alerts, assets, accounts, techniques, rules)"
		" VALUES ('vulnerability',?,'host.name',?,?,0,'attempted',0,'[]','[]','[]','[]')";
	static const char q_link[] =
		"INSERT OR IGNORE INTO incident_alerts(alert_id, incident_id) VALUES (?, ?)";
	sqlite3_stmt *qn = NULL, *qf = NULL, *qi = NULL, *ql = NULL;
	int rc = MM_OK, r;
	if (!has_findings(db))
		return MM_OK;
	if (sqlite3_prepare_v2(db, q_new, -1, &qn, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, q_find, -1, &qf, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, q_ins, -1, &qi, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, q_link, -1, &ql, NULL) != SQLITE_OK) {
		rc = db_fail(db, s, err, "cannot prepare finding queries");
		goto out;
	}
	while ((r = sqlite3_step(qn)) == SQLITE_ROW) {
		const char *key = col_text(qn, 0), *host = col_text(qn, 1);
		int64_t ts = sqlite3_column_int64(qn, 2) * MM_NS_PER_SEC, inc = 0;
		if ((rc = mm__incident_host_open(s, qf, qi, host, ts, &inc, &local->incidents_new, err)))
			goto out;
		sqlite3_reset(ql);
		sqlite3_bind_text(ql, 1, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ql, 2, inc);
		if (sqlite3_step(ql) != SQLITE_DONE) {
			rc = db_fail(db, s, err, "cannot link finding to incident");
			goto out;
		}
		local->alerts_new++;
		if (*nt == *capt) {
			*capt = *capt ? *capt * 2 : 64;
			*touched = mm_realloc(*touched, *capt * sizeof(**touched));
		}
		(*touched)[(*nt)++] = inc;
	}
	if (r != SQLITE_DONE)
		rc = db_fail(db, s, err, "cannot read findings");
out:
	sqlite3_finalize(qn);
	sqlite3_finalize(qf);
	sqlite3_finalize(qi);
	sqlite3_finalize(ql);
	return rc;
}

static bool is_vuln_incident(sqlite3 *db, int64_t id)
{
	sqlite3_stmt *st = NULL;
	bool yes = false;
	if (sqlite3_prepare_v2(db, "SELECT class = 'vulnerability' FROM incidents WHERE id = ?", -1,
	                       &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		yes = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	}
	sqlite3_finalize(st);
	return yes;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

int mm_incident_update(struct mm_store *s, const struct mm_incident_opts *o,
                       struct mm_incident_stats *stats, struct mm_error *err)
{
	static const char q_new[] =
		"SELECT a.id, COALESCE(a.ts, 0), a.source_ip, a.user_name, a.dataset, a.file,"
		" json_extract(a.json,'$.tags'), json_extract(a.json,'$.rule.reference'),"
		" COALESCE(json_extract(a.json,'$.host.name'), json_extract(a.json,'$.host.hostname'))"
		" FROM alerts a WHERE NOT EXISTS"
		" (SELECT 1 FROM incident_alerts i WHERE i.alert_id = a.id)"
		" ORDER BY a.ts, a.id";
	static const char q_find[] =
		"SELECT id FROM incidents WHERE class = ?1 AND entity = ?2 AND status <> 'closed'"
		" AND first_ts - ?3 <= ?4 AND last_ts + ?3 >= ?4 ORDER BY first_ts, id LIMIT 1";
	static const char q_ins[] =
		"INSERT INTO incidents(class, entity, entity_kind, first_ts, last_ts, severity,"
		" outcome, alerts, assets, accounts, techniques, rules)"
		" VALUES (?,?,?,?,?,0,'attempted',0,'[]','[]','[]','[]')";
	static const char q_span[] =
		"UPDATE incidents SET first_ts = MIN(first_ts, ?1), last_ts = MAX(last_ts, ?1)"
		" WHERE id = ?2";
	static const char q_link[] =
		"INSERT OR IGNORE INTO incident_alerts(alert_id, incident_id) VALUES (?, ?)";
	sqlite3 *db = mm_store_sqlite(s);
	sqlite3_stmt *qn = NULL, *qf = NULL, *qi = NULL, *qs = NULL, *ql = NULL;
	int64_t *touched = NULL;
	size_t nt = 0, capt = 0;
	struct mm_incident_stats local = {0};
	int64_t gap = o && o->gap_ns > 0 ? o->gap_ns : MM_INCIDENT_DEFAULT_GAP_NS;
	int rc = MM_OK, r;
	bool tx = false;

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		rc = db_fail(db, s, err, "cannot start incident update");
		goto out;
	}
	tx = true;
	if (sqlite3_prepare_v2(db, q_new, -1, &qn, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, q_find, -1, &qf, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, q_ins, -1, &qi, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, q_span, -1, &qs, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, q_link, -1, &ql, NULL) != SQLITE_OK) {
		rc = db_fail(db, s, err, "cannot prepare incident queries");
		goto out;
	}
	while ((r = sqlite3_step(qn)) == SQLITE_ROW) {
		const char *aid = col_text(qn, 0);
		int64_t ts = sqlite3_column_int64(qn, 1);
		const char *ip = col_text(qn, 2), *user = col_text(qn, 3);
		const char *host = col_text(qn, 8);
		enum mm_incident_class cls =
			mm_incident_classify(col_text(qn, 6), col_text(qn, 7), col_text(qn, 4));
		/* The entity an incident is about: who attacks (source IP) when the
		 * log says, else the account, else the host, else the log file. */
		const char *entity = ip, *kind = "source.ip";
		if (!entity || !*entity) {
			entity = user;
			kind = "user.name";
		}
		if (!entity || !*entity) {
			entity = host;
			kind = "host.name";
		}
		if (!entity || !*entity) {
			entity = col_text(qn, 5) ? col_text(qn, 5) : "-";
			kind = "log.file.path";
		}
		const char *cid = mm_incident_class_id(cls);
		int64_t inc = 0;
		sqlite3_reset(qf);
		sqlite3_bind_text(qf, 1, cid, -1, SQLITE_STATIC);
		sqlite3_bind_text(qf, 2, entity, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(qf, 3, gap);
		sqlite3_bind_int64(qf, 4, ts);
		if ((r = sqlite3_step(qf)) == SQLITE_ROW)
			inc = sqlite3_column_int64(qf, 0);
		else if (r != SQLITE_DONE) {
			rc = db_fail(db, s, err, "cannot look up incident");
			goto out;
		}
		if (!inc) {
			sqlite3_reset(qi);
			sqlite3_bind_text(qi, 1, cid, -1, SQLITE_STATIC);
			sqlite3_bind_text(qi, 2, entity, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(qi, 3, kind, -1, SQLITE_STATIC);
			sqlite3_bind_int64(qi, 4, ts);
			sqlite3_bind_int64(qi, 5, ts);
			if (sqlite3_step(qi) != SQLITE_DONE) {
				rc = db_fail(db, s, err, "cannot create incident");
				goto out;
			}
			inc = sqlite3_last_insert_rowid(db);
			local.incidents_new++;
		} else {
			sqlite3_reset(qs);
			sqlite3_bind_int64(qs, 1, ts);
			sqlite3_bind_int64(qs, 2, inc);
			if (sqlite3_step(qs) != SQLITE_DONE) {
				rc = db_fail(db, s, err, "cannot extend incident");
				goto out;
			}
		}
		sqlite3_reset(ql);
		sqlite3_bind_text(ql, 1, aid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ql, 2, inc);
		if (sqlite3_step(ql) != SQLITE_DONE) {
			rc = db_fail(db, s, err, "cannot link alert to incident");
			goto out;
		}
		local.alerts_new++;
		if (nt == capt) {
			capt = capt ? capt * 2 : 64;
			touched = mm_realloc(touched, capt * sizeof(*touched));
		}
		touched[nt++] = inc;
	}
	if (r != SQLITE_DONE) {
		rc = db_fail(db, s, err, "cannot read alerts");
		goto out;
	}
	if ((rc = group_findings(db, s, &touched, &nt, &capt, &local, err)))
		goto out;
	if ((rc = mm__incident_group_dlp(s, &touched, &nt, &capt, &local.alerts_new,
	                                 &local.incidents_new, err)))
		goto out;
	if (nt) /* qsort(NULL, 0) is undefined (UBSan) */
		qsort(touched, nt, sizeof(*touched), cmp_i64);
	for (size_t i = 0; i < nt; i++) {
		if (i && touched[i] == touched[i - 1])
			continue;
		local.incidents_touched++;
		rc = is_vuln_incident(db, touched[i])    ? recompute_vuln(db, s, touched[i], err)
		     : mm__incident_is_dlp(s, touched[i]) ? mm__incident_recompute_dlp(s, touched[i], err)
		                                          : recompute(db, s, touched[i], err);
		if (rc)
			goto out;
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		rc = db_fail(db, s, err, "cannot commit incidents");
		goto out;
	}
	tx = false;
	if (stats)
		*stats = local;
out:
	sqlite3_finalize(qn);
	sqlite3_finalize(qf);
	sqlite3_finalize(qi);
	sqlite3_finalize(qs);
	sqlite3_finalize(ql);
	if (tx)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	free(touched);
	return rc;
}

int mm_incident_set_status(struct mm_store *s, int64_t id, enum mm_incident_status stt,
                           const char *note, struct mm_error *err)
{
	sqlite3 *db = mm_store_sqlite(s);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db,
	                       "UPDATE incidents SET status = ?, status_note = COALESCE(?, status_note),"
	                       " status_changed = ? WHERE id = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, s, err, "cannot prepare status update");
	sqlite3_bind_text(st, 1, mm_incident_status_name(stt), -1, SQLITE_STATIC);
	if (note)
		sqlite3_bind_text(st, 2, note, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int64(st, 3, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 4, id);
	int r = sqlite3_step(st);
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return db_fail(db, s, err, "cannot update incident status");
	if (sqlite3_changes(db) == 0)
		return mm_error_set(err, MM_ENOENT, mm_store_path(s), 0, 0,
		                    "no incident %lld: 'mamori incident list' shows the ids",
		                    (long long)id);
	return MM_OK;
}

void mm_incident_clear(struct mm_incident *inc)
{
	if (!inc)
		return;
	free(inc->entity);
	free(inc->entity_kind);
	free(inc->status_note);
	free(inc->assets);
	free(inc->accounts);
	free(inc->techniques);
	free(inc->rules);
	memset(inc, 0, sizeof(*inc));
}

#define INC_COLS                                                                          \
	"id, class, entity, entity_kind, first_ts, last_ts, severity, outcome, status,"   \
	" status_note, alerts, assets, accounts, techniques, rules, accounts_targeted,"   \
	" accounts_compromised, records_estimate, bytes_estimate"

static void row_to_incident(sqlite3_stmt *st, struct mm_incident *inc)
{
	memset(inc, 0, sizeof(*inc));
	inc->id = sqlite3_column_int64(st, 0);
	inc->cls = MM_IC_OTHER;
	if (col_text(st, 1))
		mm_incident_class_parse(col_text(st, 1), &inc->cls);
	inc->entity = col_dup(st, 2);
	inc->entity_kind = col_dup(st, 3);
	inc->first_ts = sqlite3_column_int64(st, 4);
	inc->last_ts = sqlite3_column_int64(st, 5);
	inc->severity = sqlite3_column_int(st, 6);
	inc->outcome = outcome_parse(col_text(st, 7));
	inc->status = MM_INCIDENT_OPEN;
	if (col_text(st, 8))
		mm_incident_status_parse(col_text(st, 8), &inc->status);
	inc->status_note = col_dup(st, 9);
	inc->alerts = sqlite3_column_int64(st, 10);
	inc->assets = col_dup(st, 11);
	inc->accounts = col_dup(st, 12);
	inc->techniques = col_dup(st, 13);
	inc->rules = col_dup(st, 14);
	inc->accounts_targeted = sqlite3_column_int64(st, 15);
	inc->accounts_compromised = sqlite3_column_int64(st, 16);
	inc->records_estimate =
		sqlite3_column_type(st, 17) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 17);
	inc->bytes_estimate =
		sqlite3_column_type(st, 18) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 18);
}

int mm_incident_list(struct mm_store *s, int64_t from, int64_t to, size_t max,
                     struct mm_incident **out, size_t *n, struct mm_error *err)
{
	sqlite3 *db = mm_store_sqlite(s);
	sqlite3_stmt *st = NULL;
	*out = NULL;
	*n = 0;
	if (!max)
		max = 100000;
	if (sqlite3_prepare_v2(db,
	                       "SELECT " INC_COLS " FROM incidents WHERE last_ts >= ?1 AND"
	                       " first_ts < ?2 ORDER BY severity DESC, first_ts, id LIMIT ?3",
	                       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, s, err, "cannot list incidents");
	sqlite3_bind_int64(st, 1, from == MM_TS_NONE ? INT64_MIN : from);
	sqlite3_bind_int64(st, 2, to == MM_TS_NONE ? INT64_MAX : to);
	sqlite3_bind_int64(st, 3, (int64_t)max);
	struct mm_incident *v = NULL;
	size_t cnt = 0, cap = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			v = mm_realloc(v, cap * sizeof(*v));
		}
		row_to_incident(st, &v[cnt++]);
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE) {
		mm_incident_list_free(v, cnt);
		return db_fail(db, s, err, "cannot list incidents");
	}
	*out = v;
	*n = cnt;
	return MM_OK;
}

void mm_incident_list_free(struct mm_incident *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		mm_incident_clear(&v[i]);
	free(v);
}

int mm_incident_get(struct mm_store *s, int64_t id, struct mm_incident *out,
                    struct mm_error *err)
{
	sqlite3 *db = mm_store_sqlite(s);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT " INC_COLS " FROM incidents WHERE id = ?", -1, &st,
	                       NULL) != SQLITE_OK)
		return db_fail(db, s, err, "cannot read incident");
	sqlite3_bind_int64(st, 1, id);
	int r = sqlite3_step(st), rc = MM_OK;
	if (r == SQLITE_ROW)
		row_to_incident(st, out);
	else if (r == SQLITE_DONE)
		rc = mm_error_set(err, MM_ENOENT, mm_store_path(s), 0, 0,
		                  "no incident %lld: 'mamori incident list' shows the ids",
		                  (long long)id);
	else
		rc = db_fail(db, s, err, "cannot read incident");
	sqlite3_finalize(st);
	return rc;
}

int mm_incident_evidence(struct mm_store *s, int64_t id, size_t max,
                         struct mm_incident_evidence **out, size_t *n, struct mm_error *err)
{
	sqlite3 *db = mm_store_sqlite(s);
	sqlite3_stmt *st = NULL;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db,
	                       "SELECT a.id, a.rule_name, a.file, a.raw, COALESCE(a.ts, 0), a.offset,"
	                       " a.line, a.severity FROM incident_alerts i JOIN alerts a"
	                       " ON a.id = i.alert_id WHERE i.incident_id = ?"
	                       " ORDER BY a.severity DESC, a.ts, a.file, a.offset LIMIT ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, s, err, "cannot read incident evidence");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, max ? (int64_t)max : INT64_MAX);
	struct mm_incident_evidence *v = NULL;
	size_t cnt = 0, cap = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 8;
			v = mm_realloc(v, cap * sizeof(*v));
		}
		struct mm_incident_evidence *e = &v[cnt++];
		e->alert_id = col_dup(st, 0);
		e->rule_name = col_dup(st, 1);
		e->file = col_dup(st, 2);
		e->raw = col_dup(st, 3);
		e->ts = sqlite3_column_int64(st, 4);
		e->offset = sqlite3_column_int64(st, 5);
		e->line = sqlite3_column_int64(st, 6);
		e->severity = sqlite3_column_int(st, 7);
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE) {
		mm_incident_evidence_free(v, cnt);
		return db_fail(db, s, err, "cannot read incident evidence");
	}
	*out = v;
	*n = cnt;
	return MM_OK;
}

void mm_incident_evidence_free(struct mm_incident_evidence *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].alert_id);
		free(v[i].rule_name);
		free(v[i].file);
		free(v[i].raw);
	}
	free(v);
}
