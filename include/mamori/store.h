/* mamori — the SQLite store (WAL): alerts now; incidents, findings and
 * checkpoints later. Schema versioned and migrated forward on open.
 * Pipeline position: alert → sinks. A second scan of the same input adds no
 * duplicate: alerts are keyed by their evidence identity. */
#ifndef MAMORI_STORE_H
#define MAMORI_STORE_H

#include "mamori/alert.h"

/* 1: alerts, runs; 2: findings (mamori vuln); 3: incidents (src/incident/) */
#define MM_STORE_SCHEMA_VERSION 3

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
 * false when an alert with the same identity is already stored. */
int mm_store_add_alert(struct mm_store *s, const struct mm_alert *a, const char *json,
                       size_t json_len, bool *inserted, struct mm_error *err);

/* Record one scan run (summary JSON borrowed). */
int mm_store_add_run(struct mm_store *s, int64_t started, int64_t finished,
                     const char *summary_json, struct mm_error *err);

/* Number of stored alerts (all, or for one rule id when rule_id != NULL). */
int mm_store_count_alerts(struct mm_store *s, const char *rule_id, int64_t *out,
                          struct mm_error *err);

#endif
