/* mamori — report internals shared by the writers (src/report/): the model
 * built once from the store (model.c), the string table (strings.def), and
 * formatting helpers. The writers (html.c, md.c, json.c) only walk the model. */
#ifndef MAMORI_REPORT_INT_H
#define MAMORI_REPORT_INT_H

#include "mamori/report.h"

enum rp_str {
#define S(id, en, ja) RS_##id,
#include "strings.def"
#undef S
	RS__COUNT
};

enum rp_cov { RP_COV_NO, RP_COV_PARTIAL, RP_COV_YES };

/* One numbered evidence reference: a raw log line. Either an alert's own
 * evidence (parent 0) or one of the events a correlation alert counted
 * (evidence.events[] in its JSON; the line is read from the file at the
 * offset, since only the completing event's raw line is stored). */
struct rp_ref {
	size_t inc;            /* index in rp.inc */
	const struct mm_incident_evidence *alert; /* the alert cited (borrowed) */
	size_t parent;         /* 0, or the reference number of the correlation alert */
	size_t part, parts;    /* this is event `part` (1-based) of `parts` counted */
	char *file, *raw;      /* owned; raw NULL: not stored / not readable */
	char *rule;            /* rule name (owned) */
	int64_t ts, offset, line;
};

struct rp_finding {
	char *host, *package, *version, *vuln_id, *severity, *fixed;
	double score;
	size_t ref; /* its evidence reference (inventory file and line), 0 = none */
};

/* a file where `mamori dlp` found personal data (dlp_files) */
struct rp_dlp {
	char *host, *path, *types;
	int64_t records, records_pii;
};
#define RP_MAX_DLP 20

struct rp_inc {
	struct mm_incident inc;
	struct rp_finding *fnd; /* vulnerability incidents: their findings (owned) */
	size_t nfnd;
	struct mm_loss_estimate loss;
	struct mm_incident_evidence *ev;
	size_t nev;
	size_t ref0, nref; /* its references: rp.refs[ref0 - 1 .. ref0 - 1 + nref) */
	/* the basis of the affected-accounts estimate: distinct user names in the
	 * alerts, and the largest distinct count of a value_count correlation
	 * over user.name (0 = none) */
	int64_t acc_alerts, acc_corr;
	size_t servers;
};

struct rp_named {
	char *name;
	int64_t n;
};

#define RP_MAX_DS 64
#define RP_MAX_CAUSES 8
#define RP_MAX_FINDINGS 20
#define RP_MAX_BUCKETS 62
#define RP_CORR_EVENTS 3 /* events cited from each end of a correlation's evidence */
#define RP_RAW_MAX 4096  /* bytes of a line read back from its file */

struct rp {
	const struct mm_report_opts *o;
	struct mm_loss_params lp;
	struct rp_inc *inc;
	size_t ninc;
	struct rp_ref *refs; /* numbered 1..nrefs in the order of the incidents */
	size_t nrefs;
	int64_t prev_from, prev_to;
	int64_t cls_cur[MM_IC__COUNT], cls_prev[MM_IC__COUNT];
	int64_t inc_prev, succ_cur, succ_prev, alerts_cur, alerts_prev;
	int64_t accounts_cur, accounts_prev;
	double low, likely, high;
	struct rp_named ds[RP_MAX_DS];
	size_t nds;
	struct rp_named causes[RP_MAX_CAUSES];
	size_t ncauses;
	bool findings_table;
	bool vuln_checked; /* advisories indexed or findings stored */
	int64_t nfindings, nfindings_high;
	struct rp_finding fnd[RP_MAX_FINDINGS];
	size_t nfnd;
	bool dlp_checked; /* `mamori dlp` ran (runs) or stored files */
	int64_t dlp_files, dlp_people;
	struct rp_dlp dlp[RP_MAX_DLP];
	size_t ndlp;
	enum rp_cov cov[MM_IC__COUNT];
	size_t blind; /* classes that cannot be detected at all */
	int64_t bucket0, bucket_ns;
	int64_t buckets[RP_MAX_BUCKETS];
	size_t nbuckets;
};

const char *mm__rs(enum mm_report_lang lang, enum rp_str id);
#define RS(r, id) mm__rs((r)->o->lang, RS_##id)
/* class display name, IPA entry, action, coverage texts by class */
const char *mm__rs_class(const struct rp *r, enum mm_incident_class c);
const char *mm__rs_ipa(const struct rp *r, enum mm_incident_class c);
const char *mm__rs_action(const struct rp *r, enum mm_incident_class c);
/* missing (state NO), partial note (state PARTIAL), source to add (per state) */
const char *mm__rs_cov_text(const struct rp *r, enum mm_incident_class c);
const char *mm__rs_cov_add(const struct rp *r, enum mm_incident_class c);
const char *mm__rs_outcome(const struct rp *r, enum mm_incident_outcome o);
/* The outcome as said of this incident: exposed (vulnerable software, or
 * personal data found by mamori dlp), else mm__rs_outcome. */
const char *mm__rs_inc_outcome(const struct rp *r, const struct mm_incident *in);
const char *mm__rs_severity(const struct rp *r, int sev);
const char *mm__rs_status(const struct rp *r, enum mm_incident_status s);
const char *mm__rs_category(const struct rp *r, enum mm_loss_category c);
const char *mm__rs_item(const struct rp *r, const char *key);

int mm__rp_build(struct rp *r, struct mm_store *s, const struct mm_report_opts *o,
                 struct mm_error *err);
void mm__rp_free(struct rp *r);

/* formatting into caller buffers (always NUL-terminated) */
void mm__fmt_int(char *buf, size_t n, int64_t v);
void mm__fmt_yen(const struct rp *r, char *buf, size_t n, double v);
void mm__fmt_time(const struct rp *r, char *buf, size_t n, int64_t ts); /* "2026-11-25 01:12" */
/* The affected accounts / records estimate of an incident with its basis,
 * or an explicit "unknown" when no evidence supports one. */
void mm__estimate_accounts(const struct rp *r, const struct rp_inc *ri, char *buf, size_t n);
void mm__estimate_records(const struct rp *r, const struct rp_inc *ri, char *buf, size_t n);
/* "event 3 of 26 counted by [7]" for a correlation event reference */
void mm__fmt_ref_part(const struct rp *r, char *buf, size_t n, const struct rp_ref *f);
void mm__fmt_date(const struct rp *r, char *buf, size_t n, int64_t ts); /* "2026-11-25" */
/* Number of strings in a JSON array of strings; calls fn on each (unescaped
 * copy, NUL-terminated) when fn != NULL. */
size_t mm__json_strings(const char *arr, void (*fn)(void *, const char *), void *ud);

int mm__report_html(const struct rp *r, struct mm_buf *b);
int mm__report_md(const struct rp *r, struct mm_buf *b);
int mm__report_json(const struct rp *r, struct mm_buf *b);

#endif
