/* mamori — the pipeline wiring, in one place: source → framer → decoder →
 * detect → alert → sinks (JSON Lines, SQLite), with the run statistics that
 * the summary prints. `scan`, `rules test` (and later `serve` and the
 * scale-out worker) all drive this; CLI files stay thin. */
#ifndef MAMORI_ENGINE_H
#define MAMORI_ENGINE_H

#include "mamori/decode.h"
#include "mamori/detect.h"
#include "mamori/input.h"
#include "mamori/mail.h"
#include "mamori/net.h"
#include "mamori/store.h"

struct mm_engine_opts {
	const char *format;          /* decoder name; NULL or "auto" = detect per file */
	int year;                    /* --year; 0 = infer from file mtime */
	struct mm_tz *tz;            /* --tz (borrowed); NULL = UTC */
	struct mm_input_opts input;  /* max line length, chunk size */
	const char *glob;            /* file name filter inside directories */
	size_t raw_max;              /* evidence.raw cap in alert JSON (0 = 4096) */
	bool progress;               /* progress line on stderr (TTY) */
	FILE *alerts_out;            /* JSON Lines sink, or NULL */
	bool text;                   /* alerts_out gets one human-readable line per alert */
	FILE *events_out;            /* decoded events as JSON Lines (debugging), or NULL */
	struct mm_store *store;      /* SQLite sink (borrowed), or NULL */
	/* correlation state (docs/internals/CORRELATE.md) */
	size_t state_mem;            /* --state-mem bytes; 0 = MM_CORR_DEFAULT_STATE_MEM */
	int64_t lateness_ns;         /* --lateness; used when lateness_set */
	bool lateness_set;
	/* Optional per-alert hook (rule tests count matches with it): called for
	 * every rule match (also of `silent` rules that only feed correlations)
	 * and every correlation result, with the correlation rule and the event
	 * that completed it; not for `state overflow` notices. */
	void (*on_alert)(void *ud, const struct mm_rule_info *rule, const struct mm_event *ev);
	void *on_alert_ud;
	/* Login enrichment (docs/internals/CREDSTUFF.md "Web access logs"): a
	 * webserver event that is a POST to a login path gets event.category
	 * authentication, event.action web_login and event.outcome from its
	 * status. NULL lists mean the built-in defaults. */
	bool no_login_enrich;
	const char *const *login_paths; /* path suffixes ("/login") */
	size_t nlogin_paths;
	const int *login_fail_status;   /* default 401, 403 */
	size_t nlogin_fail_status;
	const int *login_ok_status;     /* default 200, 204, 302, 303 */
	size_t nlogin_ok_status;
	/* kv decoder key map (mamori.yaml decoders.kv.map): pairs key, ECS name */
	const char *const *kv_map;
	size_t nkv_map;
	/* flowcsv decoder column map (decoders.flowcsv.map): pairs column, ECS name */
	const char *const *csv_map;
	size_t ncsv_map;
	/* analyzers (docs/internals/CREDSTUFF.md) */
	struct mm_credstuff_opts credstuff;
	/* MTA-log analyzers (mamori.yaml mail:, docs/mail.md) */
	struct mm_mail_opts mail;
	/* egress module (docs/egress.md): enrichment + analyzers; borrowed, NULL = off */
	struct mm_net *net;
};

/* The built-in login paths of the enrichment (NULL-terminated). */
extern const char *const mm_engine_default_login_paths[];

struct mm_engine;
/* rs must be compiled and outlive the engine. Returns owned. */
struct mm_engine *mm_engine_new(const struct mm_ruleset *rs, const struct mm_engine_opts *o);
void mm_engine_free(struct mm_engine *e); /* accepts NULL */

/* Scan files / directories / "-". Per-file problems (unreadable, unknown
 * format, gzip errors) are counted and reported in the summary, and the scan
 * goes on; returns MM_OK, or the first sink (store/output) error, which stops it. */
int mm_engine_scan(struct mm_engine *e, const char *const *paths, size_t n, struct mm_error *err);

struct mm_engine_totals {
	uint64_t files, files_failed, files_unknown_format;
	uint64_t bytes, lines, events, malformed, truncated;
	uint64_t alerts, alerts_new, alerts_dup;
	double seconds;
};
void mm_engine_totals(const struct mm_engine *e, struct mm_engine_totals *out);

/* Human summary (stderr style) and JSON summary (stored with the run). */
void mm_engine_print_summary(const struct mm_engine *e, FILE *f);
int mm_engine_summary_json(const struct mm_engine *e, struct mm_buf *out);

#endif
