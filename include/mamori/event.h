/* mamori — the event: what a decoder makes of one log line and what every
 * detector reads. Fixed, typed, zero-copy (DESIGN §3): string fields are slices
 * into the line buffer (or into the batch arena when a decoder had to unescape),
 * so nothing is allocated per field on the hot path. Field ids come from
 * fields.def; names follow ECS. */
#ifndef MAMORI_EVENT_H
#define MAMORI_EVENT_H

#include "mamori/core.h"

enum mm_field_type { MM_FT_KEYWORD, MM_FT_TEXT, MM_FT_IP, MM_FT_LONG, MM_FT_DATE };

enum mm_field_id {
#define MM_FIELD(id, name, type) MM_F_##id,
#include "mamori/fields.def"
#undef MM_FIELD
	MM_F__COUNT
};

/* A field that is not in the dictionary (JSON objects flattened to dotted
 * keys). Key and value are slices (line buffer or batch arena). */
struct mm_kv {
	struct mm_slice k, v;
};

#define MM_EVENT_MAX_SERVICES 3

/* Flags on struct mm_event.flags */
#define MM_EV_VERBATIM 0x1u  /* every field value is a substring of raw (no unescaping) */
#define MM_EV_TRUNCATED 0x2u /* the line was longer than the limit and was cut */

struct mm_event {
	int64_t ts; /* event time, ns UTC; MM_TS_NONE when the line had none */
	/* Sigma logsource this event belongs to; static strings or NULL. */
	const char *product;
	const char *category;
	const char *service[MM_EVENT_MAX_SERVICES];
	const char *dataset; /* e.g. "web.access", "linux.sshd", "json" (static) */
	unsigned flags;
	struct mm_slice f[MM_F__COUNT]; /* p == NULL: field absent */
	struct mm_kv *extra;           /* batch-arena array; may be NULL */
	size_t n_extra;
	struct mm_slice raw; /* the whole line, CR/LF stripped */
	struct mm_slice msg; /* free text for Sigma keywords (syslog MSG; else raw) */
	/* evidence: where the raw line came from */
	const char *src_path; /* borrowed from the input; lives for the scan */
	uint64_t offset;      /* byte offset of the line start (uncompressed) */
	uint64_t line_no;     /* 1-based */
};

/* Reset ev to "no fields", keeping nothing. */
void mm_event_clear(struct mm_event *ev);

/* Dictionary: ECS name → id, or -1. Case-sensitive, exact. */
int mm_field_lookup(const char *name, size_t n);
const char *mm_field_name(enum mm_field_id id);
enum mm_field_type mm_field_type(enum mm_field_id id);

/* Value of a named field: dictionary first, then extra keys (exact match).
 * Returns MM_SLICE_NULL when absent. Borrows. */
struct mm_slice mm_event_get_named(const struct mm_event *ev, const char *name, size_t n);

/* Does the event belong to the logsource? NULL arguments are wildcards; a
 * non-NULL one must equal (case-insensitive) the event's product / category /
 * one of its services. */
bool mm_event_in_logsource(const struct mm_event *ev, const char *product,
                           const char *category, const char *service);

#endif
