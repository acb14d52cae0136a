/* mamori — the SQLite store (WAL): alerts now; incidents, findings and
 * checkpoints later. Schema versioned and migrated forward on open.
 * Pipeline position: alert → sinks. A second scan of the same input adds no
 * duplicate: alerts are keyed by their evidence identity. */
#ifndef MAMORI_STORE_H
#define MAMORI_STORE_H

#include "mamori/alert.h"

/* 1 alerts, runs; 2 and 3 other subsystems' tables (no-ops until merged);
 * 4 alert_lists + alert_list_values (full value lists of correlation alerts). */
#define MM_STORE_SCHEMA_VERSION 4

struct mm_store;
/* Open or create path. Returns MM_OK or MM_EDB/MM_EIO with err filled. */
int mm_store_open(struct mm_store **out, const char *path, struct mm_error *err);
void mm_store_close(struct mm_store *s); /* accepts NULL */
int mm_store_schema_version(struct mm_store *s);

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
