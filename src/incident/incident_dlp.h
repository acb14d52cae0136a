/* mamori — incidents from `mamori dlp` results (src/incident/dlp_incident.c),
 * internal to src/incident: the hook mm_incident_update() calls. */
#ifndef MAMORI_INCIDENT_DLP_H
#define MAMORI_INCIDENT_DLP_H

#include "mamori/incident.h"

#include <sqlite3.h>

/* Shared by incident.c and dlp_incident.c: the open incident of host found by
 * qf (bound: host), else a new one made by qi (bound: host, first_ts,
 * last_ts = ts); *inc its id, *created counts new ones. MM_OK or MM_EDB. */
int mm__incident_host_open(struct mm_store *s, sqlite3_stmt *qf, sqlite3_stmt *qi, const char *host,
                           int64_t ts, int64_t *inc, uint64_t *created, struct mm_error *err);

/* Link dlp_files rows not in an incident yet to their host's open
 * personal-data incident (creating it); append every incident holding DLP
 * files to *touched (grown with mm_realloc). MM_OK or MM_EDB. */
int mm__incident_group_dlp(struct mm_store *s, int64_t **touched, size_t *nt, size_t *capt,
                           uint64_t *linked, uint64_t *created, struct mm_error *err);
/* Does incident id hold DLP files? */
bool mm__incident_is_dlp(struct mm_store *s, int64_t id);
/* Recompute its span, severity, files (alerts), types (rules) and
 * records_estimate (the people: sum of records with PII). */
int mm__incident_recompute_dlp(struct mm_store *s, int64_t id, struct mm_error *err);

#endif
