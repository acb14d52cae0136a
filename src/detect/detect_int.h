/* mamori — detect internals shared by the loader (sigma_load.c, yaml_tree.c),
 * the pipeline code (pipeline.c), the compiler (sigma_compile.c, cond.c,
 * prefilter.c) and the matcher (match.c). Nothing here is visible outside
 * src/detect: the public contract is include/mamori/detect.h. */
#ifndef MAMORI_DETECT_INT_H
#define MAMORI_DETECT_INT_H

#include "mamori/detect.h"
#include "mamori/mpm.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>

/* ---- YAML tree (yaml_tree.c) ------------------------------------------- */
enum ynode_kind { Y_SCALAR, Y_SEQ, Y_MAP };

/* A YAML node in the ruleset arena. Aliases share nodes (the tree is a DAG),
 * so every walker below has a work budget. */
struct ynode {
	enum ynode_kind kind;
	bool plain;          /* scalar written without quotes */
	unsigned line, col;  /* 1-based */
	const char *s;       /* scalar text, NUL-terminated ("" for non-scalars) */
	size_t n;
	struct ynode **kids; /* seq: items; map: key0, val0, key1, val1, … */
	size_t nkids;
};

struct ydoc_err {
	bool failed;
	unsigned line, col;
	char msg[256];
};

/* Parse every document of a YAML stream into the arena. Returns the number of
 * complete documents in *docs; err->failed tells whether the stream stopped on
 * a syntax error (after those documents). */
size_t mm__yaml_parse(struct mm_arena *a, const char *data, size_t len, struct ynode ***docs,
                      struct ydoc_err *err);
/* Helpers (NULL-safe). */
struct ynode *mm__y_get(const struct ynode *map, const char *key);
bool mm__y_is_null(const struct ynode *n); /* plain null/~/empty scalar */
bool mm__y_is_str(const struct ynode *n);  /* a non-null scalar */
const char *mm__y_str(const struct ynode *n); /* scalar text or NULL */
/* Deep merge (maps merge key by key, b wins otherwise); new nodes in a. */
struct ynode *mm__y_merge(struct mm_arena *a, const struct ynode *base, const struct ynode *over,
                          unsigned depth);

/* ---- pipelines (pipeline.c) -------------------------------------------- */
struct mm_pipeline;
struct logsrc {
	const char *product, *category, *service;
};
/* Parse a pySigma processing pipeline; NULL + err on failure. */
struct mm_pipeline *mm__pipeline_parse(struct mm_ruleset *rs, const char *name,
                                       const char *data, size_t len, struct mm_error *err);
int mm__pipeline_priority(const struct mm_pipeline *p);

/* The result of applying all pipelines to one rule (see pipeline.c). */
struct pl_rule {
	const struct mm_pipeline *const *pls;
	size_t npls;
	struct logsrc ls;                 /* logsource after change_logsource */
	bool *applies;                    /* per pipeline item: rule conditions hold */
	size_t napplies;
	const char *failure;              /* rule_failure message, or NULL */
	struct ynode **add_conds;         /* add_condition maps (AND) */
	size_t nadd;
};
void mm__pipeline_prepare(struct mm_ruleset *rs, struct pl_rule *pr, const struct logsrc *ls);
/* Map a Sigma field name to its alternatives (OR). *dropped is set when a
 * drop_detection_item removes the item. Returns the count written to out
 * (≤ max), or 0 when dropped. */
size_t mm__pipeline_map_field(struct mm_ruleset *rs, const struct pl_rule *pr, const char *name,
                              const char **out, size_t max, const char **failure);
/* How the pipelines applied to a rule fill the placeholder `%name%` of an
 * `expand` value: the first value_placeholders / wildcard_placeholders
 * transformation that applies to the rule and names it (or has no include
 * list) decides. MM_PH_VALUES: *vals is the variable's value (a scalar or a
 * list of scalars) from the pipelines' `vars`; MM_PH_NO_VAR: a
 * value_placeholders transformation applies but no pipeline defines it. */
enum mm_ph { MM_PH_NONE, MM_PH_VALUES, MM_PH_WILDCARD, MM_PH_NO_VAR };
enum mm_ph mm__pipeline_placeholder(const struct pl_rule *pr, const char *name, size_t n,
                                    const struct ynode **vals);

/* ---- compiled predicates ----------------------------------------------- */
/* A field reference resolved at compile time. */
#define FREF_EXTRA (-1) /* not in the dictionary: looked up in ev->extra */
#define FREF_MSG (-2)   /* Sigma keywords: ev->msg */
struct fref {
	int id;           /* dictionary id ≥ 0, or FREF_* */
	bool numeric;     /* dictionary type LONG: numeric equality allowed */
	const char *name; /* ECS / extra key name */
	size_t n;
	/* FREF_EXTRA: the name's slot in the ruleset (rs->xslots, from 1): the
	 * matcher finds an event's extras by slot, not by walking them */
	uint32_t slot;
};

enum pat_kind { PAT_ANY, PAT_EQ, PAT_PREFIX, PAT_SUFFIX, PAT_CONTAINS, PAT_GLOB };
#define TOK_STAR (-1)
#define TOK_QMARK (-2)
/* A string pattern (Sigma wildcard value after modifiers). Literal bytes are
 * stored lowercase unless cased, so matching folds only the subject. */
struct pat {
	enum pat_kind kind;
	bool cased;
	const unsigned char *lit; /* EQ/PREFIX/SUFFIX/CONTAINS */
	size_t n;
	const int16_t *toks; /* GLOB: bytes (folded) or TOK_* */
	size_t ntoks;
	/* necessary literal for the prefilter (longest wildcard-free run), folded */
	const unsigned char *need;
	size_t need_n;
};

enum op_kind {
	OP_STR,      /* wildcard patterns */
	OP_RE,       /* PCRE2 */
	OP_CIDR,
	OP_LT, OP_LTE, OP_GT, OP_GTE,
	OP_EXISTS,
	OP_FIELDREF, /* compare to another field's value */
};

/* One value of a detection item; its variants (base64offset, windash…) are
 * alternatives (OR). */
struct pval {
	bool is_null; /* YAML null: field absent or empty */
	struct pat *pats;
	size_t npats;
	int64_t inum; /* OP_STR on numeric fields: integer value when has_inum */
	bool has_inum;
	pcre2_code *re;
	/* OP_RE: necessary literals of the pattern (re_literal.c), folded;
	 * re_nlits == 0: none known */
	const struct mm_slice *re_lits;
	size_t re_nlits;
	struct mm_cidr cidr;
	double num;
	bool exists;
	struct fref ref;           /* OP_FIELDREF */
	enum pat_kind ref_kind;    /* equality / startswith / endswith / contains */
	/* prefilter.c: the value's necessary literals (ids into the prefilter's
	 * scanned literals, rs->pf.vlits[pf_off…]); pf_n == 0: none known. If
	 * none of them occurred in the event's scanned text, the value cannot
	 * match and match.c skips it. */
	uint32_t pf_off;
	uint32_t pf_n;
	bool pf_done; /* visited by the prefilter build (values are shared) */
};

struct pitem {
	struct fref *fields; /* alternatives (pipeline mapped one name to several): OR */
	size_t nfields;
	enum op_kind op;
	bool all;   /* |all: every value must match */
	bool cased;
	struct pval *vals;
	size_t nvals;
};

enum pnode_kind { P_TRUE, P_FALSE, P_AND, P_OR, P_NOT, P_ATLEAST, P_ITEM };
struct pnode {
	enum pnode_kind kind;
	size_t k;  /* P_ATLEAST: how many kids must hold */
	struct pnode **kids;
	size_t nkids;
	struct pitem *item;
	bool routing; /* a pipeline add_condition (logsource routing such as
	                 Channel/EventID): holds for most events of its logsource,
	                 so the prefilter derives no clause from it */
};

/* ---- rules ------------------------------------------------------------- */
enum srule_kind { SR_RULE, SR_FILTER, SR_CORR, SR_OTHER };

/* ---- correlation rules (corr_compile.c → correlate.c) ------------------ */
enum corr_type {
	CT_EVENT_COUNT,
	CT_VALUE_COUNT,
	CT_TEMPORAL,
	CT_TEMPORAL_ORDERED,
	CT_VALUE_SUM,
	CT_VALUE_AVG,
	CT_VALUE_MIN,
	CT_VALUE_MAX,
	CT_VALUE_PERCENTILE,
	CT__COUNT
};
enum { CC_GT, CC_GTE, CC_LT, CC_LTE, CC_EQ, CC__COUNT };
struct corr_cond {
	bool has[CC__COUNT];
	double v[CC__COUNT];
};
/* One entry of `rules:`, resolved. */
struct corr_ref {
	bool is_corr;        /* refers to another correlation (a chain) */
	size_t index;        /* loaded-rule index, or correlation index */
	const char *id;      /* the referenced rule's id */
	const char **gfield; /* per group-by field: the field to read on this input
	                        (alias for this rule's name, pipeline-mapped) */
	const char *vfield;  /* condition.field on this input (value_* types) */
};
struct corr {
	enum corr_type type;
	int64_t timespan_ns;
	struct corr_ref *refs;
	size_t nrefs;
	const char **group; /* group-by names as written */
	size_t ngroup;
	const char *field;  /* condition.field */
	struct corr_cond cond;
	bool generate;
	size_t ring_cap;    /* per-group window entries kept exactly */
	const char **ref_ids; /* refs[i].id, for results */
};
/* Who consumes matches of a rule or a correlation. */
struct corr_feed {
	uint32_t corr; /* correlation index */
	uint32_t ref;  /* position in its rules: list */
};
struct corr_feeds {
	struct corr_feed *v;
	size_t n;
};

/* A loaded YAML document (rule, filter, or a status-only entry). */
struct srule {
	enum srule_kind kind;
	size_t status;          /* index into rs->st */
	struct ynode *doc;      /* merged document (action: global/repeat applied) */
	struct ynode *detection;
	struct logsrc ls;
	struct mm_rule_info info;
	struct pnode *prog;     /* compiled program (after compile) */
	/* filters: which rules (ids/names, or any) */
	struct ynode *filter_rules;
	bool filter_any;
	bool id_inherited;      /* id came from an `action: global` document */
	bool gen_id;            /* the document had no id: "path#doc" */
	struct ynode *corr_node; /* SR_CORR: the `correlation:` map */
	struct corr *corr;       /* SR_CORR: compiled */
};

/* The literal prefilter tables (prefilter.c); the detector compiles one
 * Hyperscan database per event logsource from them (match.c). Each rule has
 * up to MM_PF_CLAUSES necessary clauses (literal sets); it is a candidate
 * when every clause has a literal in the event. A posting is
 * (rule << 3) | clause. */
#define MM_PF_CLAUSES 8
#define MM_PF_DB_SLOTS 64 /* cached logsource databases per ruleset */
#define MM_PF_POST(rule, clause) (((uint32_t)(rule) << 3) | (uint32_t)(clause))
#define MM_PF_POST_RULE(p) ((p) >> 3)
#define MM_PF_POST_CLAUSE(p) ((p) & 7u)
struct prefilter {
	unsigned char **lits; /* literal id → bytes (folded) */
	size_t *lens;
	uint32_t **lit_post;  /* literal id → postings */
	uint32_t *lit_npost;
	size_t nlits;
	size_t nclause_lits;  /* literals in some rule's clause */
	bool *always;         /* per loaded rule: no necessary clause */
	uint8_t *full;        /* per loaded rule: the mask of all its clauses */
	uint32_t *vlits;      /* per-value literal lists (pval.pf_off/pf_n) */
	size_t nvlits;
	uint32_t *rule_voff;  /* per loaded rule: its values' literals, */
	uint32_t *rule_vids;  /* rule_vids[rule_voff[r] … rule_voff[r + 1]) */
	size_t nclauses;      /* statistics: clauses over all rules */
	bool no_value_skip;   /* value lists incomplete (a walk limit was hit) */
	/* Compiled databases per event logsource, shared by the ruleset's
	 * detectors (match.c); the only part of a compiled ruleset that
	 * changes afterwards, hence the lock. */
	pthread_mutex_t db_lock;
	bool db_lock_init;
	struct pf_db {
		const char *key[2 + MM_EVENT_MAX_SERVICES];
		char *sub;   /* routing values of a sub-route (match.c), or NULL */
		size_t subn;
		struct mm_mpm *mpm; /* NULL: the compile failed */
	} dbs[MM_PF_DB_SLOTS];
	size_t ndbs;
};

#define MM_RULESET_MAX_PIPELINES 64

struct mm_ruleset {
	struct mm_arena *arena;
	struct mm_rule_status *st;
	size_t nst, capst;
	struct srule **docs; /* every document, in load order */
	size_t ndocs, capdocs;
	struct mm_map *ids;  /* id → srule* (duplicate detection) */
	/* every extra (non-dictionary) field name a rule reads → its slot
	 * (1…nxslots, stored as a pointer-sized integer) */
	struct mm_map *xslots;
	uint32_t nxslots;
	struct mm_pipeline *pls[MM_RULESET_MAX_PIPELINES];
	size_t npls;
	bool compiled;
	/* compiled, loaded rules in load order */
	struct srule **rules;
	size_t nrules;
	struct prefilter pf;
	pcre2_code **regexes; /* every compiled regex (the only non-arena memory) */
	size_t nregexes, capregexes;
	size_t max_re_ovec;
	/* compiled correlations in load order, and who feeds them */
	struct srule **corrs;
	size_t ncorrs;
	struct corr_feeds *feeds_rule; /* per loaded rule */
	struct corr_feeds *feeds_corr; /* per correlation */
};

/* sigma_load.c */
struct srule *mm__ruleset_new_doc(struct mm_ruleset *rs, const char *path, unsigned doc);
void mm__rule_set_state(struct mm_ruleset *rs, struct srule *r, enum mm_rule_state state,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));
char *mm__rs_strdup(struct mm_ruleset *rs, const char *s);
char *mm__rs_printf(struct mm_ruleset *rs, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* sigma_compile.c: compile one rule's detection. Returns NULL and sets the
 * rule's state (unsupported/invalid) on failure. */
struct pnode *mm__compile_detection(struct mm_ruleset *rs, struct srule *r,
                                    const struct pl_rule *pr, struct ynode *detection,
                                    bool is_filter);

/* cond.c: parse a condition string over named selections. */
struct cond_sel {
	const char *name;
	struct pnode *node;
};
/* Returns NULL with *why set (arena string) on failure; *unsupported tells
 * whether the condition is valid Sigma that mamori does not support. */
struct pnode *mm__cond_parse(struct mm_ruleset *rs, const char *text, const struct cond_sel *sels,
                             size_t nsels, const char **why, bool *unsupported);
struct pnode *mm__pnode_new(struct mm_ruleset *rs, enum pnode_kind k, size_t nkids);


/* corr_compile.c: compile every SR_CORR document (after the rules). */
void mm__corr_compile_all(struct mm_ruleset *rs);
void mm__corr_free(struct mm_ruleset *rs);
const char *mm__corr_type_name(enum corr_type t);

/* sketch.c: HyperLogLog (Flajolet et al. 2007, with the linear-counting
 * small-range correction of Heule et al. 2013), precision MM_HLL_P. */
#define MM_HLL_P 10
#define MM_HLL_M (1u << MM_HLL_P)
void mm__hll_add(uint8_t *reg, uint64_t hash);
void mm__hll_merge(uint8_t *dst, const uint8_t *src);
double mm__hll_estimate(const uint8_t *reg);
uint64_t mm__mix64(uint64_t x); /* a 64-bit finaliser (splitmix64) */

/* prefilter.c */
int mm__prefilter_build(struct mm_ruleset *rs, struct mm_error *err);
void mm__prefilter_free(struct prefilter *pf);

/* match.c */
struct mm_detector;
bool mm__eval(struct mm_detector *d, const struct pnode *n, const struct mm_event *ev);
/* Values not tested because none of their literals occurred (for tests). */
uint64_t mm__detector_values_skipped(const struct mm_detector *d);
/* Case-folding pattern test on a subject (exported for tests via the
 * prefilter's property checks). */
bool mm__pat_match(const struct pat *p, const char *s, size_t n);

#endif
