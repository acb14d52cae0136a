/* mamori — decoders: one line → one struct mm_event, per log format.
 * Pipeline position: framer → decoder → event. Each format is one file in
 * src/decode/ plus one line in src/decode/decoders.def. Decoders never build
 * messages on the hot path: they return an outcome that the engine counts per
 * reason and reports in the run summary. */
#ifndef MAMORI_DECODE_H
#define MAMORI_DECODE_H

#include "mamori/event.h"

/* Outcomes (X-macro so names and counters stay in one place). */
#define MM_DEC_OUTCOMES(X)                                                        \
	X(OK, "ok")                       /* event filled */                        \
	X(SKIP, "skipped")                /* not an event (blank, comment, header) */ \
	X(BAD_FORMAT, "bad_format")       /* line does not have the format's shape */ \
	X(BAD_TIMESTAMP, "bad_timestamp") /* timestamp missing or unparsable */      \
	X(BAD_FIELD, "bad_field")         /* a field failed validation */           \
	X(BAD_JSON, "bad_json")           /* JSON syntax error */                   \
	X(LIMIT, "limit")                 /* a per-line cap (fields, depth, arena) hit */

enum mm_dec_outcome {
#define X(id, name) MM_DEC_##id,
	MM_DEC_OUTCOMES(X)
#undef X
	MM_DEC__COUNT
};
const char *mm_dec_outcome_name(enum mm_dec_outcome o);

/* Options shared by all decoders for one input. */
struct mm_decode_opts {
	int year;          /* year for timestamps without one; 0 = infer */
	int64_t ref_time;  /* ns; file mtime (or now) used to infer missing years */
	struct mm_tz *tz;  /* zone for local timestamps; NULL = UTC. Borrowed. */
	/* kv decoder: extra key → ECS field pairs (kv_map[2i] key, kv_map[2i+1]
	 * ECS name), consulted before the built-in table. Borrowed; may be NULL. */
	const char *const *kv_map;
	size_t nkv_map;
	/* flowcsv decoder: extra column → ECS field pairs (mamori.yaml
	 * decoders.flowcsv.map), consulted before the built-in names. Borrowed. */
	const char *const *csv_map;
	size_t ncsv_map;
};

/* Per-input decoding context. */
struct mm_decode_ctx {
	const struct mm_decode_opts *opts; /* borrowed */
	struct mm_arena *arena; /* batch arena for unescaped strings and extra[] */
	void *state;            /* decoder-owned (multi-line state), may be NULL */
};

struct mm_decoder {
	const char *name; /* "--format" value, e.g. "combined", "syslog", "jsonl" */
	const char *description;
	/* Confidence 0..100 that this line is in the format. Must be cheap and
	 * never read past n. */
	int (*probe)(const char *line, size_t n);
	/* Fill ev (already cleared; raw/offset/line_no/src_path preset). */
	enum mm_dec_outcome (*decode)(struct mm_decode_ctx *ctx, const char *line, size_t n,
	                              struct mm_event *ev);
	void *(*state_new)(void);       /* optional */
	void (*state_free)(void *state); /* optional; accepts NULL */
	/* Optional, for formats that assemble one event from several lines
	 * (Postfix / Exim messages by queue ID): fill ev (cleared, src_path
	 * preset) with one pending assembled event and return MM_DEC_OK, or
	 * return MM_DEC_SKIP when nothing is due. The engine calls it after every
	 * line (eof false: only what timed out or was pushed out by the state
	 * cap) and at the end of the input (eof true: everything pending),
	 * repeating while it returns MM_DEC_OK. The decoder sets raw, offset and
	 * line_no (evidence of the assembled event); ev's slices stay valid until
	 * the next decode/drain call on the same state. */
	enum mm_dec_outcome (*drain)(struct mm_decode_ctx *ctx, struct mm_event *ev, bool eof);
};

/* Registry (src/decode/decoders.def). */
const struct mm_decoder *mm_decoder_find(const char *name); /* NULL if unknown */
size_t mm_decoder_count(void);
const struct mm_decoder *mm_decoder_at(size_t i);
/* Pick the decoder that scores best over the sample lines (sum of probe
 * scores, ties broken by registry order); NULL if all score 0. */
const struct mm_decoder *mm_decoder_detect(const struct mm_slice *lines, size_t n);

#endif
