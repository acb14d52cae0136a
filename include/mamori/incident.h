/* mamori — incidents and their estimated loss. Stored alerts are grouped into
 * incidents by incident class, entity (source IP, account, host) and event
 * time; each incident carries what a manager asks first: what happened, to
 * which assets and accounts, did it work, what could it cost.
 * Pipeline position: alerts (SQLite) → incidents (SQLite) → report.
 * Grouping: src/incident/incident.c; class table: src/incident/classes.c;
 * loss model: src/incident/loss.c. See docs/internals/INCIDENT.md and
 * docs/loss-model.md. */
#ifndef MAMORI_INCIDENT_H
#define MAMORI_INCIDENT_H

#include "mamori/config.h"
#include "mamori/store.h"

/* ---- incident classes ----------------------------------------------------
 * X(ENUM, id, IPA rank): id is the stable name stored in the database and
 * printed in JSON; the rank is the entry of IPA's "情報セキュリティ10大脅威
 * 2025 (組織編)" the class maps to (0: no entry of that list fits; the
 * report says so). The mapping is argued in docs/internals/INCIDENT.md. */
#define MM_INCIDENT_CLASSES(X)                                                          \
	X(WEB_ATTACK, "web-attack", 3)         /* exploiting a web application */       \
	X(ACCOUNT_ATTACK, "account-attack", 6) /* brute force, stuffing, spraying */    \
	X(EXPLOIT, "exploit", 3)               /* other public-facing services */       \
	X(RECON, "recon", 0)                   /* scanning and probing */               \
	X(EGRESS, "egress", 5)                 /* a device talking to outsiders */      \
	X(EXFILTRATION, "exfiltration", 4)     /* mass data leaving a host */           \
	X(MAIL_RELAY, "mail-relay", 3)         /* MTA abused as a relay */              \
	X(PHISHING_MAIL, "phishing-mail", 9)   /* own systems mailing phishing URLs */  \
	X(VULNERABILITY, "vulnerability", 3)   /* known-vulnerable software */          \
	X(PERSONAL_DATA, "personal-data", 10)  /* personal data where it should not be */ \
	X(OTHER, "other", 0)

enum mm_incident_class {
#define X(e, id, rank) MM_IC_##e,
	MM_INCIDENT_CLASSES(X)
#undef X
	MM_IC__COUNT
};

const char *mm_incident_class_id(enum mm_incident_class c); /* static string */
int mm_incident_class_ipa_rank(enum mm_incident_class c);   /* 1..10, 0 = none */
/* MM_OK, or MM_ENOENT for an unknown id. */
int mm_incident_class_parse(const char *id, enum mm_incident_class *out);

/* Classify an alert from its rule's tags (a JSON array of strings as stored
 * in alerts.json, or NULL), the rule's reference ("builtin:web/x.yml" or a
 * path; its folder name is used) and the event dataset ("web.access").
 * The first matching row of the class table wins; see classes.c. */
enum mm_incident_class mm_incident_classify(const char *tags_json, const char *rule_ref,
                                            const char *dataset);

/* Does the JSON array of strings tags_json hold a tag equal to prefix or
 * starting with prefix followed by '.'? ("attack.t1110" matches
 * "attack.t1110.001"). Borrowed; NULL matches nothing. */
bool mm_incident_tags_have(const char *tags_json, const char *prefix);

/* ---- grouping ------------------------------------------------------------ */
#define MM_INCIDENT_DEFAULT_GAP_NS (INT64_C(6) * 3600 * MM_NS_PER_SEC)

struct mm_incident_opts {
	int64_t gap_ns; /* alerts of one class and entity further apart start a new
	                   incident; 0 = MM_INCIDENT_DEFAULT_GAP_NS */
};

struct mm_incident_stats {
	uint64_t alerts_new;       /* alerts assigned by this call */
	uint64_t incidents_new;    /* incidents created */
	uint64_t incidents_touched; /* incidents created or extended */
};

/* Assign every stored alert that is in no incident yet to an incident,
 * creating or extending incidents, and recompute the touched incidents'
 * summaries. One transaction. Idempotent: a second call with no new alerts
 * changes nothing. Closed incidents are never extended: a new alert for a
 * closed incident's entity opens a new incident. st may be NULL.
 * MM_OK or MM_EDB with err filled. */
int mm_incident_update(struct mm_store *s, const struct mm_incident_opts *o,
                       struct mm_incident_stats *st, struct mm_error *err);

enum mm_incident_status {
	MM_INCIDENT_OPEN,
	MM_INCIDENT_ACKNOWLEDGED,
	MM_INCIDENT_CLOSED,
};
const char *mm_incident_status_name(enum mm_incident_status s); /* "open", … */
int mm_incident_status_parse(const char *name, enum mm_incident_status *out);

enum mm_incident_outcome {
	MM_OUTCOME_ATTEMPTED, /* attack seen, no sign that it worked */
	MM_OUTCOME_POSSIBLE,  /* the server answered an exploit with success (2xx) */
	MM_OUTCOME_SUCCEEDED, /* a login succeeded, a web shell answered */
};
const char *mm_incident_outcome_name(enum mm_incident_outcome o);

/* Set the status (note may be NULL). MM_OK, MM_ENOENT (no such incident) or
 * MM_EDB, with err filled. */
int mm_incident_set_status(struct mm_store *s, int64_t id, enum mm_incident_status st,
                           const char *note, struct mm_error *err);

#define MM_INCIDENT_MAX_LIST 32 /* assets/accounts/techniques/rules kept per incident */

/* An incident as stored. Strings are owned by the struct (mm_incident_clear). */
struct mm_incident {
	int64_t id;
	enum mm_incident_class cls;
	char *entity, *entity_kind;
	int64_t first_ts, last_ts; /* ns UTC */
	int severity;              /* 0..4 */
	enum mm_incident_outcome outcome;
	enum mm_incident_status status;
	char *status_note;
	int64_t alerts;
	char *assets, *accounts, *techniques, *rules; /* JSON arrays of strings */
	int64_t accounts_targeted, accounts_compromised;
	int64_t records_estimate; /* -1 = unknown */
	/* bytes that left, from exfiltration-volume alerts (correlation.field
	 * network.bytes_estimated); -1 = none. The loss model turns it into
	 * people with loss.bytes_per_record (docs/loss-model.md). */
	int64_t bytes_estimate;
};
void mm_incident_clear(struct mm_incident *inc); /* frees strings; accepts zeroed */

/* Incidents whose [first_ts, last_ts] overlaps [from, to) (ns; MM_TS_NONE on
 * either side = open), ordered by severity desc, first_ts, id. Returns an
 * owned array (free with mm_incident_list_free). At most max (0 = 100,000). */
int mm_incident_list(struct mm_store *s, int64_t from, int64_t to, size_t max,
                     struct mm_incident **out, size_t *n, struct mm_error *err);
void mm_incident_list_free(struct mm_incident *v, size_t n); /* accepts NULL */
/* One incident by id: MM_OK, MM_ENOENT or MM_EDB. */
int mm_incident_get(struct mm_store *s, int64_t id, struct mm_incident *out,
                    struct mm_error *err);

/* The evidence behind an incident: its alerts, most severe first, then in
 * event time order. Strings owned (mm_incident_evidence_free). */
struct mm_incident_evidence {
	char *alert_id, *rule_name, *file, *raw; /* raw may be NULL (not stored) */
	int64_t ts, offset, line;
	int severity;
};
int mm_incident_evidence(struct mm_store *s, int64_t id, size_t max,
                         struct mm_incident_evidence **out, size_t *n, struct mm_error *err);
void mm_incident_evidence_free(struct mm_incident_evidence *v, size_t n);

/* ---- loss model (src/incident/loss.c, docs/loss-model.md) ----------------
 * Money is in yen. Every estimate is a low / likely / high range and every
 * item keeps its formula with the numbers that went in. */

/* JNSA personal-data-leak model ("情報セキュリティインシデントに関する調査報告書"):
 * sensitivity = 10^(x−1) + 5^(y−1), x = emotional-distress level, y =
 * economic-loss level of the most sensitive leaked field (EP diagram), 1..3.
 * Out-of-range levels are clamped to 1..3. */
double mm_loss_jnsa_sensitivity(int x, int y);
/* Per-person damages: 500 × sensitivity × identifiability (6, 3 or 1) ×
 * social responsibility (1 or 2) × post-incident response (1 or 2). */
double mm_loss_jnsa_per_person(int x, int y, int identifiability, int social, int response);

/* A personal-data field name ("name", "address", "email", "phone", "birth_date",
 * "card_number", "bank_account_pin", "password", "medical", …) → its EP
 * levels. MM_OK or MM_ENOENT (unknown name). The table is in loss.c. */
int mm_loss_field_levels(const char *field, int *x, int *y);
/* JNSA identifiability from the leaked fields: 6 when name and address are
 * both present, 3 for name alone or address with phone, else 1. */
int mm_loss_identifiability(const char *const *fields, size_t n);

#define MM_LOSS_MAX_FIELDS 24

struct mm_loss_params {
	/* personal data held on the attacked systems */
	int64_t records_held;     /* people whose data a web compromise exposes; 0 = unknown */
	const char *fields[MM_LOSS_MAX_FIELDS]; /* borrowed field names */
	size_t nfields;
	int social;               /* social responsibility 1 or 2 */
	int response;             /* post-incident response 1 or 2 (likely case) */
	/* incident response (JNSA インシデント損害額調査レポート 2021/第2版) */
	double initial_response[3];     /* per incident: low, likely, high */
	double forensics_server[3];     /* per server */
	double forensics_pc[3];         /* per PC */
	double legal[3];                /* per incident */
	double consulting[3];           /* per incident */
	double call_centre[3];          /* per incident (3 months) */
	int64_t call_centre_min_people; /* only when this many people are notified */
	double notice_per_person;       /* letter (DM) per person */
	double gift_per_person;         /* apology gift (prepaid card) per person */
	double staff_hourly;            /* internal staff cost per hour */
	double review_hours[3];         /* in-house triage of an attempted attack */
	double reset_per_account;       /* staff cost per forced password reset */
	double patch_hours[3];          /* staff hours to patch one vulnerable package */
	/* lost profit */
	double hourly_gross_profit;     /* 0 = not estimated */
	double outage_hours[3];         /* service stopped after a compromise */
	double mail_day_cost;           /* a day without outbound mail (relay / blocklist) */
	double mail_outage_days[3];
	/* direct monetary loss and administrative penalties */
	double direct_loss[3];
	double penalty[3];
	/* per-record cross-check from a breach study, only inside its measured range */
	double per_record_usd;          /* 0 = off */
	/* bytes per person's record in an exfiltrated dump: an incident with an
	 * estimated exfiltration volume and no record count counts
	 * bytes_estimate / bytes_per_record people (0 = off, the default) */
	double bytes_per_record;
	double usd_jpy;
	int64_t per_record_min, per_record_max;
	const char *per_record_source;
};
/* Defaults documented (with sources) in docs/loss-model.md. */
void mm_loss_defaults(struct mm_loss_params *p);
/* Override from the `loss:` section of mamori.yaml (unknown keys are errors).
 * Strings are borrowed from cfg. MM_OK or MM_EINVAL with err filled. */
int mm_loss_from_config(struct mm_loss_params *p, const struct mm_config *cfg,
                        struct mm_error *err);

/* The six cost categories of JNSA's incident damage report and IPA. */
enum mm_loss_category {
	MM_LOSS_RESPONSE,     /* 費用損害 (事故対応) */
	MM_LOSS_COMPENSATION, /* 賠償損害 */
	MM_LOSS_LOST_PROFIT,  /* 利益損害 */
	MM_LOSS_MONETARY,     /* 金銭損害 */
	MM_LOSS_PENALTY,      /* 行政損害 */
	MM_LOSS_INTANGIBLE,   /* 無形損害: described, never priced */
	MM_LOSS__CATEGORIES
};
const char *mm_loss_category_id(enum mm_loss_category c); /* "response", … */

#define MM_LOSS_MAX_ITEMS 16
struct mm_loss_item {
	enum mm_loss_category cat;
	const char *key;      /* stable item key ("forensics_server", …) for labels */
	double low, likely, high;
	char formula[512];    /* the numbers and operators, language-neutral */
	bool in_total;        /* false for cross-checks and unpriced notes */
};
struct mm_loss_estimate {
	struct mm_loss_item items[MM_LOSS_MAX_ITEMS];
	size_t n;
	double low, likely, high; /* sums of the items in_total */
	double per_person;        /* JNSA per-person damages used (0 = none) */
	int64_t people[3];        /* people counted for compensation: low, likely, high */
	bool records_unknown;     /* a leak is possible but records_held is 0 */
	bool profit_unknown;      /* an outage is likely but hourly_gross_profit is 0 */
};
/* Estimate the loss of one incident. Deterministic, no I/O. servers is the
 * number of affected servers (assets; at least 1 when the outcome is not
 * `attempted`). */
void mm_loss_estimate(const struct mm_loss_params *p, const struct mm_incident *inc,
                      size_t servers, struct mm_loss_estimate *out);

#endif
