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
	size_t index;            /* position among loaded rules (stable, load order) */
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

/* Returns owned, empty ruleset. The built-in default pipelines (the YAML files in pipelines/:
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
/* Loaded rule by Sigma id or name, or NULL. */
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
};
void mm_detector_stats(const struct mm_detector *d, struct mm_detect_stats *out);
/* Matches of loaded rule i so far. */
uint64_t mm_detector_rule_matches(const struct mm_detector *d, size_t i);

#endif
