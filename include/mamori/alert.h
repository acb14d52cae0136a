/* mamori — the alert: what every detector emits, with the evidence reference
 * (file, byte offset, line number, raw line) back to the line that caused it.
 * Pipeline position: detect → alert → sinks (JSON Lines, SQLite). */
#ifndef MAMORI_ALERT_H
#define MAMORI_ALERT_H

#include "mamori/detect.h"

/* Values listed per list in a correlation alert's JSON (correlation.values,
 * correlation.sources, …); the totals say how many there are, the store keeps
 * them all (`mamori alerts show ID`). */
#define MM_ALERT_LIST_MAX 20

struct mm_alert {
	const struct mm_rule_info *rule; /* borrowed */
	const struct mm_event *ev;       /* borrowed */
	uint64_t identity; /* evidence identity: rule id + source + offset + raw line */
	char id[17];       /* identity as 16 hex digits */
	/* a correlation result (borrowed), or NULL for a single-event alert;
	 * ev is then the event that completed the correlation */
	const struct mm_corr_result *corr;
};

/* Fill a for rule firing on ev. src_key identifies the source across runs
 * (the absolute path for files, "-" for stdin). */
void mm_alert_init(struct mm_alert *a, const struct mm_rule_info *rule,
                   const struct mm_event *ev, const char *src_key);

/* Fill a for a correlation result (rule = res->rule). The evidence identity
 * is rule id + group-by values + window start + source, so a re-scan stores
 * nothing twice. res and ev are borrowed and must outlive a's use. */
void mm_alert_init_corr(struct mm_alert *a, const struct mm_corr_result *res,
                        const struct mm_event *ev, const char *src_key);

/* Append the alert as one JSON object (no newline) to out. raw_max caps the
 * raw line in evidence.raw (0 = 4096); the cut is flagged. Stable field names:
 * @timestamp, event.{kind,dataset,…}, rule.{id,name,level,…}, tags, the
 * event's ECS fields, evidence.{file,offset,line,raw,truncated}, mamori.alert_id.
 * A correlation alert has rule.*, tags, the group-by fields, correlation.*
 * (type, timespan, group, window, count, distinct_count, value, values) and
 * evidence.{file,offset,line} of the completing event plus evidence.events
 * (the first and last contributing events) and evidence.events_total
 * (docs/internals/CORRELATE.md "The alert"). */
int mm_alert_to_json(struct mm_buf *out, const struct mm_alert *a, size_t raw_max);

/* Append the alert as one human-readable line (no newline): time, level,
 * rule title, source, user, URL or message, evidence file:line. Text from the
 * log is made terminal-safe (control bytes and invalid UTF-8 escaped). */
int mm_alert_to_text(struct mm_buf *out, const struct mm_alert *a);

/* Append the event's dictionary and extra fields as nested ECS JSON members
 * (",\"source\":{...}" …) — shared by alert output and `--events` output. */
int mm_event_fields_to_json(struct mm_buf *out, const struct mm_event *ev);

#endif
