/* mamori — the SQLite store (WAL): alerts; the advisory index and findings of
 * `mamori vuln` (schema 2); incidents and checkpoints later. Schema versioned and migrated forward on open.
 * Pipeline position: alert → sinks. A second scan of the same input adds no
 * duplicate: alerts are keyed by their evidence identity. */
#ifndef MAMORI_STORE_H
#define MAMORI_STORE_H

#include "mamori/alert.h"

/* 1: alerts, runs; 2: findings (mamori vuln); 3: incidents (src/incident/);
 * 4: alert_lists + alert_list_values (full value lists of correlation alerts);
 * 5: net_hosts, net_seen, net_admin, net_volume (egress learned state, src/net/);
 * 6: dlp_files + dlp_findings (mamori dlp, masked samples only) */
#define MM_STORE_SCHEMA_VERSION 6

struct mm_store;
/* Open or create path. Returns MM_OK or MM_EDB/MM_EIO with err filled. */
int mm_store_open(struct mm_store **out, const char *path, struct mm_error *err);
void mm_store_close(struct mm_store *s); /* accepts NULL */
int mm_store_schema_version(struct mm_store *s);

/* The SQLite handle (borrowed), for subsystems that own tables of their own
 * in this database (incidents, report queries). They must not close it nor
 * leave a transaction open across calls into the store. */
struct sqlite3;
struct sqlite3 *mm_store_sqlite(struct mm_store *s);
/* The path the store was opened with (borrowed). */
const char *mm_store_path(const struct mm_store *s);

/* Batch writes in one transaction. */
int mm_store_begin(struct mm_store *s, struct mm_error *err);
int mm_store_commit(struct mm_store *s, struct mm_error *err);

/* Insert an alert with its JSON rendering (borrowed). *inserted is set to
 * false when an alert with the same identity is already stored. A new
 * correlation or analyzer alert also stores its full value lists (`values`
 * of value_count, and each of corr->lists) in alert_lists/alert_list_values. */
int mm_store_add_alert(struct mm_store *s, const struct mm_alert *a, const char *json,
                       size_t json_len, bool *inserted, struct mm_error *err);

/* Record one scan run (summary JSON borrowed). */
int mm_store_add_run(struct mm_store *s, int64_t started, int64_t finished,
                     const char *summary_json, struct mm_error *err);

/* Number of stored alerts (all, or for one rule id when rule_id != NULL). */
int mm_store_count_alerts(struct mm_store *s, const char *rule_id, int64_t *out,
                          struct mm_error *err);

/* Abandon the open transaction (if any). */
void mm_store_rollback(struct mm_store *s);

/* ---- advisory index and findings (`mamori vuln`, schema 2) ------------- */
/* The source (advisory file) path with its size and mtime (ns): *id is its
 * row; *fresh is true when it was indexed completely with the same size and
 * mtime (nothing to do). Otherwise its old advisories are deleted, ready for
 * re-indexing, and mm_store_vuln_source_done() marks it complete. */
int mm_store_vuln_source(struct mm_store *s, const char *path, int64_t size, int64_t mtime,
                         int64_t *id, bool *fresh, struct mm_error *err);
int mm_store_vuln_source_done(struct mm_store *s, int64_t id, int64_t advisories,
                              struct mm_error *err);
struct mm_store_advisory { /* all borrowed; NULL allowed except adv_id, format */
	const char *adv_id, *format, *aliases, *summary, *vector, *severity, *modified;
	double score; /* < 0: unknown */
};
int mm_store_vuln_add_advisory(struct mm_store *s, int64_t source, const struct mm_store_advisory *a,
                               int64_t *rowid, struct mm_error *err);
struct mm_store_affected { /* borrowed */
	const char *key, *scheme, *events, *versions, *note;
};
int mm_store_vuln_add_affected(struct mm_store *s, int64_t adv_rowid,
                               const struct mm_store_affected *a, struct mm_error *err);
/* Every affected entry indexed under key, with its advisory; the pointers
 * are valid during the callback only. A non-zero return stops and is returned. */
struct mm_store_vuln_row {
	int64_t adv_rowid, source;
	struct mm_store_affected aff;
	struct mm_store_advisory adv;
};
typedef int (*mm_store_vuln_row_cb)(void *ctx, const struct mm_store_vuln_row *row);
int mm_store_vuln_lookup(struct mm_store *s, const char *key, mm_store_vuln_row_cb cb, void *ctx,
                         struct mm_error *err);
/* Insert or refresh a finding (keyed by host, ecosystem, package, version,
 * vulnerability id: re-running adds no duplicate). Strings borrowed. */
struct mm_store_finding {
	const char *host, *ecosystem, *package, *version, *vuln_id, *advisories, *aliases,
		*severity, *fixed, *conflicts, *file, *evidence, *json;
	double score;
	int64_t line;
};
int mm_store_add_finding(struct mm_store *s, const struct mm_store_finding *f,
                         struct mm_error *err);
int mm_store_count_findings(struct mm_store *s, int64_t *out, struct mm_error *err);

/* One stored value list of an alert. Owned by the array from
 * mm_store_alert_lists(); free with mm_store_lists_free(). */
struct mm_store_list {
	char *name;     /* "values", "sources", "compromised_accounts" */
	char *field;    /* ECS field of the values, or NULL */
	uint64_t total; /* distinct values seen (>= n when the producer capped) */
	char **v;
	size_t n;
};
/* The alert's JSON (*json owned by the caller). MM_ENOENT with err filled
 * when no alert has that id. */
int mm_store_alert_json(struct mm_store *s, const char *alert_id, char **json,
                        struct mm_error *err);
/* The alert's value lists ("values" first, then by name); *out owned. */
int mm_store_alert_lists(struct mm_store *s, const char *alert_id, struct mm_store_list **out,
                         size_t *n, struct mm_error *err);
void mm_store_lists_free(struct mm_store_list *l, size_t n); /* accepts NULL */

#endif
