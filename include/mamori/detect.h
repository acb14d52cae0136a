/* mamori — stateless Sigma detection: load rules and pySigma-style processing
 * pipelines (YAML), compile them once into predicate programs with one shared
 * Hyperscan literal prefilter, then match events.
 * Pipeline position: event → detect → alert. The loader/compiler
 * (sigma_load.c, sigma_compile.c, pipeline.c) turn YAML into programs; the
 * matcher (match.c) never sees YAML. */
#ifndef MAMORI_DETECT_H
#define MAMORI_DETECT_H

#include "mamori/event.h"

/* What an alert needs to know about the rule that fired. All strings live in
 * the ruleset (ruleset arena) and stay valid until mm_ruleset_free(). */
struct mm_rule_info {
	const char *id;          /* Sigma id; if the rule has none, "path#n" */
	const char *name;        /* Sigma "name" (may be NULL) */
	const char *title;
	const char *level;       /* informational|low|medium|high|critical */
	int severity;            /* 0 informational … 4 critical */
	const char *status;      /* may be NULL */
	const char *description; /* may be NULL */
	const char *path;        /* source file or buffer name */
	const char *const *tags; /* e.g. "attack.t1190" */
	size_t ntags;
	const char *product, *category, *service; /* logsource; NULL = any */
	size_t index;            /* position among loaded rules (stable, load order);
	                            for a correlation: its position among correlations */
	/* Sigma correlation rules (docs/internals/CORRELATE.md) */
	const char *corr_type;   /* NULL for a detection rule; else "event_count", … */
	bool silent;             /* referenced by correlations none of which sets
	                            `generate: true`: its matches feed them but are
	                            not alerts of their own (Sigma correlation spec) */
};

enum mm_rule_state {
	MM_RULE_LOADED,      /* compiled and active */
	MM_RULE_FILTER,      /* a Sigma filter (meta rule) applied to other rules */
	MM_RULE_UNSUPPORTED, /* valid Sigma using something mamori does not support */
	MM_RULE_INVALID,     /* not valid Sigma / YAML error */
};
const char *mm_rule_state_name(enum mm_rule_state s); /* "loaded", … */

/* One entry per YAML document seen (rules, filters, correlations, errors). */
struct mm_rule_status {
	const char *path;
	unsigned doc;      /* 0-based document index within the file */
	const char *id;    /* may be NULL */
	const char *title; /* may be NULL */
	enum mm_rule_state state;
	const char *reason; /* NULL when loaded; otherwise the exact reason */
};

struct mm_ruleset;

/* Returns owned, empty ruleset. The built-in default pipelines (the pipelines/ YAML files:
 * Sigma taxonomy → ECS field names, logsource routing) are added unless
 * builtin_pipeline is false. */
struct mm_ruleset *mm_ruleset_new(bool builtin_pipeline);
void mm_ruleset_free(struct mm_ruleset *rs); /* accepts NULL */

/* pySigma processing pipeline YAML (field_name_mapping with logsource
 * conditions, etc.). Errors are returned (a broken pipeline is fatal).
 * Pipelines must be added before rules are compiled. */
int mm_ruleset_add_pipeline_file(struct mm_ruleset *rs, const char *path, struct mm_error *err);
int mm_ruleset_add_pipeline_buffer(struct mm_ruleset *rs, const char *name, const char *data,
                                   size_t len, struct mm_error *err);

/* A rule file, or a directory searched recursively for *.yml / *.yaml (in
 * sorted path order, so load order is deterministic). Per-rule problems become
 * statuses (unsupported / invalid), not errors; an unreadable path is an error. */
int mm_ruleset_add_path(struct mm_ruleset *rs, const char *path, struct mm_error *err);
/* The same for an in-memory YAML text (name is used as its path). Borrows. */
int mm_ruleset_add_buffer(struct mm_ruleset *rs, const char *name, const char *data,
                          size_t len, struct mm_error *err);

/* The default ruleset compiled into the binary (rules/ of the source tree). */
int mm_ruleset_add_builtin(struct mm_ruleset *rs, struct mm_error *err);
extern const struct mm_embedded_file mm_embedded_rules[];     /* {NULL} terminated */
extern const size_t mm_embedded_rules_count;
extern const struct mm_embedded_file mm_embedded_pipelines[]; /* pipelines/ */
extern const size_t mm_embedded_pipelines_count;

/* Resolve filters, apply pipelines, compile conditions and build the
 * prefilter. Call once after all adds; further adds are MM_EINVAL. */
int mm_ruleset_compile(struct mm_ruleset *rs, struct mm_error *err);

size_t mm_ruleset_status_count(const struct mm_ruleset *rs);
const struct mm_rule_status *mm_ruleset_status_at(const struct mm_ruleset *rs, size_t i);
size_t mm_ruleset_rule_count(const struct mm_ruleset *rs); /* loaded rules */
const struct mm_rule_info *mm_ruleset_rule_at(const struct mm_ruleset *rs, size_t i);
/* Loaded correlation rules (Sigma correlation documents that compiled). */
size_t mm_ruleset_corr_count(const struct mm_ruleset *rs);
const struct mm_rule_info *mm_ruleset_corr_at(const struct mm_ruleset *rs, size_t i);
/* Loaded rule or correlation by Sigma id or name, or NULL. */
const struct mm_rule_info *mm_ruleset_rule_find(const struct mm_ruleset *rs, const char *id);

/* Per-thread matcher scratch over a compiled ruleset (borrowed; must outlive). */
struct mm_detector;
struct mm_detector *mm_detector_new(const struct mm_ruleset *rs);
void mm_detector_free(struct mm_detector *d); /* accepts NULL */

typedef void (*mm_match_fn)(void *ud, const struct mm_rule_info *rule,
                            const struct mm_event *ev);
/* Evaluate every applicable rule on ev; cb is called once per matching rule,
 * in rule index order (deterministic). Returns the number of matches. */
size_t mm_detect_event(struct mm_detector *d, const struct mm_event *ev, mm_match_fn cb,
                       void *ud);

struct mm_detect_stats {
	uint64_t events;          /* events seen */
	uint64_t prefilter_scans; /* Hyperscan scans run */
	uint64_t rules_evaluated; /* rule programs run after routing + prefilter */
	uint64_t matches;
	uint64_t regex_errors;    /* PCRE2 match-limit or other runtime errors (counted) */
	/* one-off setup done while scanning: the per-logsource (and sub-route)
	 * literal databases are compiled at the first event that needs them */
	uint64_t routes_built;           /* logsource routes and sub-routes made */
	uint64_t prefilter_compiles;     /* Hyperscan databases compiled */
	double prefilter_compile_seconds; /* CPU time of those compiles (this thread) */
};
void mm_detector_stats(const struct mm_detector *d, struct mm_detect_stats *out);
/* Matches of loaded rule i so far. */
uint64_t mm_detector_rule_matches(const struct mm_detector *d, size_t i);

/* Debug/test switch: with the literal prefilter off every rule of the event's
 * logsource is evaluated (results must be identical; only slower). On by
 * default. */
void mm_detector_set_prefilter(struct mm_detector *d, bool on);

/* What the prefilter made of the ruleset (docs/internals/PREFILTER.md). */
struct mm_prefilter_info {
	size_t literals;       /* distinct caseless literals in the Hyperscan database */
	size_t rules_filtered; /* rules evaluated only when one of their literals occurs */
	size_t rules_always;   /* rules without a necessary literal set */
};
void mm_ruleset_prefilter_info(const struct mm_ruleset *rs, struct mm_prefilter_info *out);

/* ---- correlation: Sigma correlation rules over event time --------------
 * (src/detect/correlate.c, docs/internals/CORRELATE.md). The correlator owns
 * all keyed state: per rule and group, a window of recent contributing events
 * (bounded), distinct-value sets (exact, then HyperLogLog), eviction by event
 * time, and one global memory cap. One correlator per scan; not thread-safe. */

struct mm_corr_opts {
	size_t state_mem;    /* global cap on state bytes (0 = MM_CORR_DEFAULT_STATE_MEM) */
	int64_t lateness_ns; /* events older than the source's newest event by more
	                        than this are late: counted, not correlated (< 0 = default) */
};
#define MM_CORR_DEFAULT_STATE_MEM ((size_t)256 << 20)
#define MM_CORR_DEFAULT_LATENESS_NS (60 * MM_NS_PER_SEC)

/* A reference to one contributing event (evidence). file is owned by the
 * correlator and valid until mm_correlator_free(). */
struct mm_evref {
	const char *file;
	uint64_t offset, line;
	int64_t ts;
	const char *rule_id; /* the referenced rule whose match this was */
};

/* What a correlation rule fired with. Everything is borrowed and valid only
 * during the callback. */
struct mm_corr_result {
	const struct mm_rule_info *rule; /* the correlation rule */
	bool overflow;                   /* a `state overflow` notice, not a detection */
	const char *overflow_reason;     /* set when overflow */
	const char *const *group_names;  /* group-by fields (as written in the rule) */
	const struct mm_slice *group_vals;
	size_t ngroup;
	int64_t timespan_ns;
	int64_t first_ts, last_ts;       /* window: first and last contributing event */
	uint64_t count;                  /* contributing events in the window */
	const char *field;               /* condition.field (value_* types), or NULL */
	bool has_distinct;               /* value_count */
	uint64_t distinct;
	bool approx;                     /* a sketch or a folded window was involved */
	bool has_value;                  /* value_sum/avg/min/max/percentile */
	double value;
	const struct mm_slice *values;   /* distinct values seen (value_count), capped */
	size_t nvalues;
	const struct mm_evref *refs;     /* first and last contributing events, capped */
	size_t nrefs;
	uint64_t refs_total;             /* how many events contributed in all */
	const char *const *rules;        /* ids of the referenced rules */
	size_t nrules;
	/* Appended for the auth analyzers (docs/internals/CREDSTUFF.md): named lists
	 * of distinct values (accounts, sources, compromised accounts), each with
	 * its total, and the failure/success counts. Sigma correlations leave
	 * them empty. The alert JSON lists the first MM_ALERT_LIST_MAX values of
	 * every list (and of `values`); the store keeps them all. */
	const struct mm_corr_list *lists;
	size_t nlists;
	bool has_outcomes;
	uint64_t failures, successes;
};

/* A named list of distinct values in a result (borrowed during the callback). */
struct mm_corr_list {
	const char *name;          /* "accounts", "sources", "compromised_accounts" */
	const char *field;         /* the ECS field the values are of ("user.name") */
	const struct mm_slice *v;  /* the values kept (all, up to the producer's cap) */
	size_t n;
	uint64_t total;            /* distinct values seen (>= n) */
};

struct mm_correlator;
/* Returns owned; rs must be compiled and outlive it. o may be NULL (defaults). */
struct mm_correlator *mm_correlator_new(const struct mm_ruleset *rs,
                                        const struct mm_corr_opts *o);
void mm_correlator_free(struct mm_correlator *c); /* accepts NULL */

/* Does any correlation consume matches of this loaded rule? */
bool mm_correlator_wants(const struct mm_correlator *c, const struct mm_rule_info *rule);

typedef void (*mm_corr_fn)(void *ud, const struct mm_corr_result *res,
                           const struct mm_event *ev);
/* A new input source begins (a file): its watermark (newest event time seen)
 * starts again, so each file's own order decides lateness. */
void mm_correlator_source(struct mm_correlator *c);
/* Every decoded event: advances the watermark and evicts expired groups. */
void mm_correlator_observe(struct mm_correlator *c, const struct mm_event *ev);
/* Feed one match of rule on ev to every correlation that references it;
 * cb is called for each correlation that fires (chains included, inner
 * first) and for each `state overflow` notice, in a deterministic order.
 * Returns the number of callbacks. */
size_t mm_correlate(struct mm_correlator *c, const struct mm_rule_info *rule,
                    const struct mm_event *ev, mm_corr_fn cb, void *ud);

struct mm_corr_stats {
	uint64_t inputs;        /* rule matches fed to the correlation */
	uint64_t late;          /* inputs beyond the lateness bound (not correlated) */
	uint64_t missing_field; /* inputs without a group-by / value field (skipped) */
	uint64_t fired;         /* times the correlation's condition held */
	uint64_t overflow_alerts;
	uint64_t groups, groups_peak;
	uint64_t state_bytes, state_bytes_peak;
	uint64_t evictions;     /* groups dropped because event time passed their window */
	uint64_t cap_hits;      /* state dropped or refused because of --state-mem or a per-group cap */
	uint64_t sketches;      /* distinct sets and evidence lists (accounts, sources)
	                           that became a HyperLogLog */
	uint64_t folded;        /* window entries folded into a group's aggregate
	                           (more events in a window than kept exactly) */
	uint64_t ns;            /* CPU time spent (monotonic clock) */
};
/* Totals over all correlation rules (state_bytes is the correlator's). */
void mm_correlator_stats(const struct mm_correlator *c, struct mm_corr_stats *out);
/* Per correlation rule i (mm_ruleset_corr_at order). */
void mm_correlator_rule_stats(const struct mm_correlator *c, size_t i, struct mm_corr_stats *out);

/* ---- analyzers: built-in detectors for what a Sigma rule cannot say -----
 * (src/detect/analyzers/, docs/internals/CREDSTUFF.md). They see every
 * decoded event, keep their own bounded state keyed by event time, and emit
 * results shaped like correlation results, so alerts, the store and the text
 * output treat them like rules. One instance per scan; not thread-safe. */

/* Credential stuffing across many sources against one login endpoint. */
struct mm_credstuff_opts {
	bool disabled;
	int64_t window_ns;         /* sliding window (0 = 1 h) */
	uint32_t min_sources;      /* candidate sources needed (0 = 20) */
	uint32_t min_accounts;     /* distinct accounts they failed on (0 = 40); only
	                              checked when the log names accounts */
	double min_failure_ratio;  /* joint failures/attempts of the candidates (0 = 0.8) */
	double min_source_ratio;   /* a candidate's own failures/attempts (0 = 0.5) */
	uint32_t spread_accounts;  /* a source is a candidate once it failed on this
	                              many distinct accounts (0 = 2; without account
	                              names: this many failures) */
	size_t state_mem;          /* cap on analyzer state bytes (0 = 64 MiB) */
};

struct mm_analyzers;
/* Returns owned. o may be NULL (defaults). */
struct mm_analyzers *mm_analyzers_new(const struct mm_credstuff_opts *o);
void mm_analyzers_free(struct mm_analyzers *a); /* accepts NULL */
/* A new input source (file) begins. */
void mm_analyzers_source(struct mm_analyzers *a);
/* Every decoded event (borrowed); cb is called for each result, as for
 * mm_correlate(). Returns the number of callbacks. */
size_t mm_analyzers_observe(struct mm_analyzers *a, const struct mm_event *ev, mm_corr_fn cb,
                            void *ud);
/* End of input: emit what is pending (the last batch of sources of a reported
 * campaign). The event passed to cb is synthetic (evidence of the newest
 * input, empty raw line). Returns the number of callbacks. */
size_t mm_analyzers_flush(struct mm_analyzers *a, mm_corr_fn cb, void *ud);
/* The analyzers' rules (for `rules list` and rule tests); index i < count. */
size_t mm_analyzer_rule_count(void);
const struct mm_rule_info *mm_analyzer_rule_at(size_t i);

struct mm_analyzer_stats {
	uint64_t inputs;      /* login attempts considered */
	uint64_t fired;       /* campaign alerts */
	uint64_t follow_ups;  /* successes from a reported campaign source */
	uint64_t endpoints, state_bytes, state_bytes_peak;
	uint64_t cap_hits;    /* inputs refused because of the caps */
	uint64_t late;        /* inputs older than the endpoint's window (dropped) */
};
void mm_analyzers_stats(const struct mm_analyzers *a, struct mm_analyzer_stats *out);

#endif
