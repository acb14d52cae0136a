/* mamori — the matcher: per-thread detector scratch, logsource routing (a
 * small cache keyed by the event's static logsource pointers), the literal
 * prefilter scan, and evaluation of the compiled predicate programs.
 * No YAML here and no allocation per event: everything the hot path touches
 * is sized when the detector is made. */
#include "detect_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROUTE_SLOTS 64 /* distinct event logsources cached per detector */
#define RE_MATCH_LIMIT 1000000u
#define RE_DEPTH_LIMIT 10000u

/* At most this many literals in a logsource's keyword database (else
 * msg/raw is scanned with the main one). */
#define MM_KW_DB_MAX 4096
/* Per-value scan cache (scan_joined()): direct-mapped slots, values up to
 * VC_VAL_MAX bytes with up to VC_IDS_MAX literal hits. */
#define VC_SLOTS 4096 /* power of two */
#define VC_SEEN 16384 /* power of two: hashes of values seen once */
#define VC_VAL_MAX 512
#define VC_IDS_MAX 32

/* At most this many routing fields per logsource, sub-routes per
 * logsource, and bytes in a sub-route key. */
#define MM_RK_MAX 4
#define MM_SUB_MAX 64
#define MM_SUBKEY_MAX 512

struct subroute;

struct route {
	bool used;
	const char *key[2 + MM_EVENT_MAX_SERVICES];
	uint32_t *always; /* rules of this logsource without a clause (sorted) */
	size_t nalways;
	uint32_t *all;    /* every rule of this logsource (prefilter off) */
	size_t nall;
	uint64_t *member; /* bitmap over rules */
	size_t npref;     /* rules of this logsource that do have clauses */
	/* literal id → this logsource's postings (rule << 3 | clause), CSR: a
	 * literal shared by many rules of other logsources costs nothing here */
	uint32_t *lit_off; /* nlits + 1 offsets into lit_post */
	uint32_t *lit_post;
	/* this logsource's literals (its rules' clauses and values): a web
	 * event does not scan for the thousands of Windows rules' literals */
	const struct mm_mpm *mpm; /* the ruleset's cached database, or own_mpm */
	struct mm_mpm *own_mpm;   /* compiled for this route (cache full) */
	struct mm_mpm_scratch *scratch;
	uint64_t db_seed; /* the database's number: seeds the value cache's hash */
	bool no_db; /* rules with clauses but no database: evaluate them all */
	/* the fields this logsource's rules read: a decoded (not verbatim)
	 * event scans only their values, and msg/raw only for keyword rules */
	bool want_msg;
	/* the keyword rules' literals alone, scanned over msg/raw of a decoded
	 * event (the values go through the main database) */
	struct mm_mpm *kw_mpm;
	struct mm_mpm_scratch *kw_scratch;
	bool want_f[MM_F__COUNT];
	bool *want_x;              /* per extra-field slot (rs->nxslots + 1) */
	bool want_overflow;        /* walk too large: scan every value */
	/* Sub-routes: the fields the rules' pipeline routing conditions read
	 * (Channel, EventID, EventType) split a logsource further, per distinct
	 * values of those fields (route_sub()). */
	const struct fref *rkeys[MM_RK_MAX];
	size_t nrkeys;
	bool routed;               /* rkeys valid: sub-routes are used */
	struct subroute *subs;
	size_t nsubs;
	const char *sub;           /* this sub-route's key (owned by its parent) */
	size_t subn;
};

struct subroute {
	char *key;
	size_t keyn;
	struct route *r;
};

/* One slot of the per-value scan cache: a value of a decoded event and the
 * literals a scan of it alone found in database db (val NULL: empty). */
struct vc_slot {
	const struct mm_mpm *db;
	uint64_t h;
	uint32_t n;
	uint8_t nids;
	char *val;
	uint32_t *ids;
};

struct mm_detector {
	const struct mm_ruleset *rs;
	struct route routes[ROUTE_SLOTS];
	struct route spare; /* used when the cache is full (rebuilt per event) */
	uint64_t route_overflows;
	uint32_t *stamp, epoch; /* per rule: mask[] is of this event */
	uint8_t *mask;          /* per rule: clauses with a literal hit */
	uint32_t *lit_stamp;    /* per literal: == epoch when it occurred */
	bool hits_valid;        /* lit_stamp describes the event being evaluated */
	bool scan_ok;           /* every scan of this event succeeded */
	uint64_t vals_skipped;  /* values not tested: none of their literals occurred */
	uint32_t *cand;
	size_t ncand;
	uint64_t *rule_matches;
	struct mm_detect_stats st;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	bool prefilter;
	const struct route *cur; /* route of the event being scanned */
	struct mm_buf cat;       /* a decoded event's values, joined for one scan */
	struct vc_slot *vc;      /* per-value scan cache (VC_SLOTS) */
	uint64_t *vc_seen;       /* hashes of values seen once (VC_SEEN) */
	uint32_t vc_tmp[VC_IDS_MAX];
	size_t vc_ntmp;
	bool vc_over;            /* the value had more than VC_IDS_MAX literals */
	uint64_t vc_hits, vc_evictions;
	/* The event's extras by slot (x_fill()): xval[slot] is the value of
	 * the first extra with the slot's name when xstamp[slot] == xepoch;
	 * xs[i] is extra i's slot (0: no rule reads it). Filled once per
	 * event, at the first read of an extra field by name. */
	struct mm_slice *xval;
	uint32_t *xstamp, xepoch;
	bool xfilled;
	uint32_t *xs;
	size_t xscap;
};

struct mm_detector *mm_detector_new(const struct mm_ruleset *rs)
{
	struct mm_detector *d = mm_calloc(1, sizeof(*d));
	size_t n = rs->nrules ? rs->nrules : 1;
	d->rs = rs;
	d->prefilter = true;
	mm_buf_init(&d->cat, 4u << 20);
	d->vc = mm_calloc(VC_SLOTS, sizeof(*d->vc));
	d->vc_seen = mm_calloc(VC_SEEN, sizeof(*d->vc_seen));
	d->stamp = mm_calloc(n, sizeof(*d->stamp));
	d->mask = mm_calloc(n, sizeof(*d->mask));
	d->lit_stamp = mm_calloc(rs->pf.nlits ? rs->pf.nlits : 1, sizeof(*d->lit_stamp));
	d->cand = mm_calloc(n, sizeof(*d->cand));
	d->rule_matches = mm_calloc(n, sizeof(*d->rule_matches));
	d->xval = mm_calloc(rs->nxslots + 1, sizeof(*d->xval));
	d->xstamp = mm_calloc(rs->nxslots + 1, sizeof(*d->xstamp));
	d->md = pcre2_match_data_create(1, NULL);
	d->mctx = pcre2_match_context_create(NULL);
	d->jit = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	if (!d->md || !d->mctx)
		mm_oom();
	pcre2_set_match_limit(d->mctx, RE_MATCH_LIMIT);
	pcre2_set_depth_limit(d->mctx, RE_DEPTH_LIMIT);
	if (d->jit)
		pcre2_jit_stack_assign(d->mctx, NULL, d->jit);
	return d;
}

static void route_free(struct route *r);

static void subs_free(struct route *r)
{
	for (size_t i = 0; i < r->nsubs; i++) {
		route_free(r->subs[i].r);
		free(r->subs[i].r);
		free(r->subs[i].key);
	}
	free(r->subs);
	r->subs = NULL;
	r->nsubs = 0;
}

static void route_free(struct route *r)
{
	subs_free(r);
	free(r->want_x);
	mm_mpm_scratch_free(r->kw_scratch);
	mm_mpm_free(r->kw_mpm);
	free(r->always);
	free(r->all);
	free(r->member);
	free(r->lit_off);
	free(r->lit_post);
	mm_mpm_scratch_free(r->scratch);
	mm_mpm_free(r->own_mpm);
	memset(r, 0, sizeof(*r));
}

void mm_detector_free(struct mm_detector *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < ROUTE_SLOTS; i++)
		route_free(&d->routes[i]);
	route_free(&d->spare);
	mm_buf_free(&d->cat);
	if (d->vc)
		for (size_t i = 0; i < VC_SLOTS; i++) {
			free(d->vc[i].val);
			free(d->vc[i].ids);
		}
	free(d->vc);
	free(d->vc_seen);
	free(d->stamp);
	free(d->mask);
	free(d->lit_stamp);
	free(d->cand);
	free(d->rule_matches);
	free(d->xval);
	free(d->xstamp);
	free(d->xs);
	pcre2_match_data_free(d->md);
	pcre2_match_context_free(d->mctx);
	pcre2_jit_stack_free(d->jit);
	free(d);
}

uint64_t mm__detector_values_skipped(const struct mm_detector *d)
{
	return d->vals_skipped;
}

void mm_detector_set_prefilter(struct mm_detector *d, bool on)
{
	d->prefilter = on;
}

void mm_detector_stats(const struct mm_detector *d, struct mm_detect_stats *out)
{
	*out = d->st;
}

uint64_t mm_detector_rule_matches(const struct mm_detector *d, size_t i)
{
	return i < d->rs->nrules ? d->rule_matches[i] : 0;
}

/* ---- routing ----------------------------------------------------------- */

static struct mm_slice get_field(struct mm_detector *d, const struct mm_event *ev,
                                 const struct fref *f);

static double thread_cpu(void)
{
	struct timespec t;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) != 0)
		return 0;
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Compile a literal database, counted in the detector's stats (setup work
 * that happens during the scan: bench/ subtracts it). */
static int db_compile(struct mm_detector *d, struct mm_mpm *m, struct mm_error *err)
{
	double t0 = thread_cpu();
	int rc = mm_mpm_compile(m, err);
	d->st.prefilter_compiles++;
	d->st.prefilter_compile_seconds += thread_cpu() - t0;
	return rc;
}

/* Compile the route's literal database: the literals of its rules' clauses
 * and of their values (match.c skips a value only when its literals were
 * scanned for). NULL when the compile failed. */
static struct mm_mpm *route_compile(struct mm_detector *d, const struct mm_ruleset *rs,
                                     const struct route *r)
{
	const struct prefilter *pf = &rs->pf;
	bool *in = mm_calloc(pf->nlits + 1, sizeof(*in));
	struct mm_error err;
	for (size_t l = 0; l < pf->nlits; l++)
		in[l] = r->lit_off[l + 1] > r->lit_off[l];
	for (size_t i = 0; i < rs->nrules; i++)
		if ((r->member[i / 64] >> (i % 64)) & 1)
			for (uint32_t k = pf->rule_voff[i]; k < pf->rule_voff[i + 1]; k++)
				in[pf->rule_vids[k]] = true;
	struct mm_mpm *m = mm_mpm_new();
	for (size_t l = 0; l < pf->nlits; l++)
		if (in[l])
			mm_mpm_add(m, (const char *)pf->lits[l], pf->lens[l], (unsigned)l,
			           MM_MPM_CASELESS | MM_MPM_SINGLEMATCH);
	free(in);
	if (db_compile(d, m, &err) != MM_OK) {
		mm_log(MM_LOG_WARN, "detect: prefilter database not compiled: %s", err.msg);
		mm_mpm_free(m);
		return NULL;
	}
	return m;
}

/* The route's database, compiled once per ruleset and logsource (detectors
 * of one ruleset share it; Hyperscan databases are read-only while
 * scanning, each detector has its own scratch). Without one (the compile
 * failed) every rule of the route is evaluated: correct, only slower. */
static void route_db(struct mm_detector *d, const struct mm_ruleset *crs, struct route *r)
{
	/* the cache is the one mutable part of a compiled ruleset (its lock) */
	struct prefilter *pf = (struct prefilter *)&crs->pf;
	const struct mm_mpm *m = NULL;
	bool found = false;
	pthread_mutex_lock(&pf->db_lock);
	for (size_t i = 0; i < pf->ndbs && !found; i++)
		if (memcmp(pf->dbs[i].key, r->key, sizeof(r->key)) == 0 &&
		    pf->dbs[i].subn == r->subn &&
		    (r->subn == 0 || memcmp(pf->dbs[i].sub, r->sub, r->subn) == 0)) {
			m = pf->dbs[i].mpm;
			r->db_seed = i + 1;
			found = true;
		}
	if (!found) {
		struct mm_mpm *c = route_compile(d, crs, r);
		/* a number, not the address: the cache's slots (and so the
		 * scan counts in the summary) are the same from run to run */
		r->db_seed = pf->ndbs + 1 + (pf->ndbs < MM_PF_DB_SLOTS ? 0 : MM_PF_DB_SLOTS);
		if (pf->ndbs < MM_PF_DB_SLOTS) {
			memcpy(pf->dbs[pf->ndbs].key, r->key, sizeof(r->key));
			if (r->subn) {
				pf->dbs[pf->ndbs].sub = mm_malloc(r->subn);
				memcpy(pf->dbs[pf->ndbs].sub, r->sub, r->subn);
				pf->dbs[pf->ndbs].subn = r->subn;
			}
			pf->dbs[pf->ndbs++].mpm = c;
		} else {
			r->own_mpm = c;
		}
		m = c;
	}
	pthread_mutex_unlock(&pf->db_lock);
	if (!m) {
		r->no_db = true;
		return;
	}
	r->mpm = m;
	r->scratch = mm_mpm_scratch_new(m);
}

static void want_ref(struct route *r, const struct fref *fr, bool *kw)
{
	if (fr->id >= 0 && fr->id < MM_F__COUNT)
		r->want_f[fr->id] = true;
	else if (fr->id == FREF_MSG)
		*kw = true;
	else
		r->want_x[fr->slot] = true; /* FREF_EXTRA: its slot (resolve_field) */
}

/* Record the fields a rule program reads (its items, filters and pipeline
 * conditions are all in the program). */
static void want_walk(struct route *r, const struct pnode *n, unsigned depth, size_t *work,
                      bool *kw)
{
	if (!n || r->want_overflow)
		return;
	if (depth > 200 || ++*work > 4000000) {
		r->want_overflow = true;
		return;
	}
	if (n->kind == P_ITEM && n->item) {
		for (size_t f = 0; f < n->item->nfields; f++)
			want_ref(r, &n->item->fields[f], kw);
		/* fieldref compares with another field's value, read through
		 * get_field() too: that field must be in the scanned text */
		if (n->item->op == OP_FIELDREF)
			for (size_t v = 0; v < n->item->nvals; v++)
				want_ref(r, &n->item->vals[v].ref, kw);
	}
	for (size_t k = 0; k < n->nkids; k++)
		want_walk(r, n->kids[k], depth + 1, work, kw);
}

/* The database of the keyword rules' literals (their clauses' and values'):
 * with it msg/raw is scanned for a few dozen literals instead of all the
 * logsource's. A literal it finds still sets the clauses of every rule that
 * has it (a hit outside a value is a false hit: one more evaluation). On
 * failure (or too many literals) msg/raw goes through the main database. */
static void route_kw_db(struct mm_detector *d, const struct mm_ruleset *rs, struct route *r,
                        const uint64_t *kwr)
{
	const struct prefilter *pf = &rs->pf;
	bool *in = mm_calloc(pf->nlits + 1, sizeof(*in));
	size_t nin = 0;
	struct mm_error err;
	for (size_t l = 0; l < pf->nlits; l++)
		for (size_t k = 0; k < pf->lit_npost[l] && !in[l]; k++) {
			uint32_t ru = MM_PF_POST_RULE(pf->lit_post[l][k]);
			if ((kwr[ru / 64] >> (ru % 64)) & 1) {
				in[l] = true;
				nin++;
			}
		}
	for (size_t i = 0; i < rs->nrules; i++)
		if ((kwr[i / 64] >> (i % 64)) & 1)
			for (uint32_t k = pf->rule_voff[i]; k < pf->rule_voff[i + 1]; k++)
				if (!in[pf->rule_vids[k]]) {
					in[pf->rule_vids[k]] = true;
					nin++;
				}
	if (nin == 0 || nin > MM_KW_DB_MAX) {
		free(in);
		r->want_msg = true;
		return;
	}
	struct mm_mpm *m = mm_mpm_new();
	for (size_t l = 0; l < pf->nlits; l++)
		if (in[l])
			mm_mpm_add(m, (const char *)pf->lits[l], pf->lens[l], (unsigned)l,
			           MM_MPM_CASELESS | MM_MPM_SINGLEMATCH);
	free(in);
	if (db_compile(d, m, &err) != MM_OK) {
		mm_mpm_free(m);
		r->want_msg = true;
		return;
	}
	r->kw_mpm = m;
	r->kw_scratch = mm_mpm_scratch_new(m);
	if (!r->kw_scratch) {
		mm_mpm_free(m);
		r->kw_mpm = NULL;
		r->want_msg = true;
	}
}

/* The routing fields of a program: fields of the items under nodes a
 * pipeline added (add_condition). false when there are too many. */
static bool rkeys_walk(struct route *r, const struct pnode *n, bool under, unsigned depth)
{
	if (!n || depth > 200)
		return false;
	under = under || n->routing;
	if (n->kind == P_ITEM && n->item && under) {
		for (size_t f = 0; f < n->item->nfields; f++) {
			const struct fref *fr = &n->item->fields[f];
			bool dup = false;
			for (size_t k = 0; k < r->nrkeys && !dup; k++)
				dup = r->rkeys[k]->id == fr->id && r->rkeys[k]->n == fr->n &&
				      (fr->n == 0 || memcmp(r->rkeys[k]->name, fr->name, fr->n) == 0);
			if (dup)
				continue;
			if (r->nrkeys == MM_RK_MAX || fr->id == FREF_MSG)
				return false;
			r->rkeys[r->nrkeys++] = fr;
		}
	}
	for (size_t k = 0; k < n->nkids; k++)
		if (!rkeys_walk(r, n->kids[k], under, depth + 1))
			return false;
	return true;
}

/* Can the rule's routing conditions hold for this event? They sit on the
 * program's conjunctive spine (AND nodes from the root: the rule and its
 * pipeline conditions, the rule and its filters); each must hold for the
 * rule to match. They read only the routing fields, so the answer is the
 * same for every event with the same sub-route key. */
static bool routing_holds(struct mm_detector *d, const struct pnode *n, const struct mm_event *ev,
                          unsigned depth)
{
	if (!n || depth > 200)
		return true;
	if (n->routing)
		return mm__eval(d, n, ev);
	if (n->kind != P_AND)
		return true;
	for (size_t k = 0; k < n->nkids; k++)
		if (!routing_holds(d, n->kids[k], ev, depth + 1))
			return false;
	return true;
}

static void route_build(struct mm_detector *d, const struct mm_event *ev, struct route *r,
                        bool with_db, const struct route *parent)
{
	const struct mm_ruleset *rs = d->rs;
	size_t n = rs->nrules;
	const char *sub = r->sub;
	size_t subn = r->subn;
	route_free(r);
	d->st.routes_built++;
	r->used = true;
	r->sub = sub;
	r->subn = subn;
	r->key[0] = ev->product;
	r->key[1] = ev->category;
	for (size_t i = 0; i < MM_EVENT_MAX_SERVICES; i++)
		r->key[2 + i] = ev->service[i];
	r->member = mm_calloc((n + 63) / 64 + 1, sizeof(*r->member));
	r->always = mm_calloc(n + 1, sizeof(*r->always));
	r->all = mm_calloc(n + 1, sizeof(*r->all));
	bool hv = d->hits_valid;
	d->hits_valid = false; /* no per-value skip while deciding membership */
	r->routed = !parent;
	for (size_t i = 0; i < n; i++) {
		const struct mm_rule_info *in = &rs->rules[i]->info;
		if (parent ? !((parent->member[i / 64] >> (i % 64)) & 1) ||
		                     !routing_holds(d, rs->rules[i]->prog, ev, 0)
		           : !mm_event_in_logsource(ev, in->product, in->category, in->service))
			continue;
		if (!parent && r->routed && !rkeys_walk(r, rs->rules[i]->prog, false, 0))
			r->routed = false;
		r->member[i / 64] |= UINT64_C(1) << (i % 64);
		r->all[r->nall++] = (uint32_t)i;
		if (rs->pf.always[i])
			r->always[r->nalways++] = (uint32_t)i;
		else
			r->npref++;
	}
	d->hits_valid = hv;
	if (r->nrkeys == 0)
		r->routed = false;
	const struct prefilter *pf = &rs->pf;
	size_t total = 0;
	r->lit_off = mm_calloc(pf->nlits + 1, sizeof(*r->lit_off));
	for (size_t l = 0; l < pf->nlits; l++) {
		r->lit_off[l] = (uint32_t)total;
		for (size_t k = 0; k < pf->lit_npost[l]; k++) {
			uint32_t ru = MM_PF_POST_RULE(pf->lit_post[l][k]);
			total += (r->member[ru / 64] >> (ru % 64)) & 1;
		}
	}
	r->lit_off[pf->nlits] = (uint32_t)total;
	r->want_x = mm_calloc(rs->nxslots + 1, sizeof(*r->want_x));
	size_t work = 0, nkw = 0;
	uint64_t *kwr = mm_calloc((n + 63) / 64 + 1, sizeof(*kwr));
	for (size_t i = 0; i < r->nall; i++) {
		bool kw = false;
		uint32_t ru = r->all[i];
		want_walk(r, rs->rules[ru]->prog, 0, &work, &kw);
		if (kw) {
			kwr[ru / 64] |= UINT64_C(1) << (ru % 64);
			nkw++;
		}
	}
	if (nkw && with_db && !r->want_overflow)
		route_kw_db(d, rs, r, kwr);
	else if (nkw)
		r->want_msg = true;
	free(kwr);
	r->lit_post = mm_calloc(total + 1, sizeof(*r->lit_post));
	for (size_t l = 0, w = 0; l < pf->nlits; l++)
		for (size_t k = 0; k < pf->lit_npost[l]; k++) {
			uint32_t ru = MM_PF_POST_RULE(pf->lit_post[l][k]);
			if ((r->member[ru / 64] >> (ru % 64)) & 1)
				r->lit_post[w++] = pf->lit_post[l][k];
		}
	if (r->npref && with_db)
		route_db(d, rs, r);
	else if (r->npref)
		r->no_db = true;
}

static bool route_is(const struct route *r, const struct mm_event *ev)
{
	if (!r->used || r->key[0] != ev->product || r->key[1] != ev->category)
		return false;
	for (size_t i = 0; i < MM_EVENT_MAX_SERVICES; i++)
		if (r->key[2 + i] != ev->service[i])
			return false;
	return true;
}

/* Sub-route of a logsource for this event's routing values (its rules
 * whose pipeline routing conditions can hold: a Sysmon process-creation
 * event sees the process_creation rules, not the 1,200 others), with its
 * own smaller database and field set. Key: the routing fields' values,
 * NUL-separated. More than MM_SUB_MAX keys, or a longer key: the whole
 * logsource's route (correct, only slower). */
static struct route *route_sub(struct mm_detector *d, struct route *r, const struct mm_event *ev)
{
	if (!r->routed)
		return r;
	char key[MM_SUBKEY_MAX];
	size_t kn = 0;
	for (size_t k = 0; k < r->nrkeys; k++) {
		struct mm_slice v = get_field(d, ev, r->rkeys[k]);
		if (kn + v.n + 2 > sizeof(key))
			return r;
		key[kn++] = v.p ? 1 : 0; /* absent vs empty */
		if (v.n)
			memcpy(key + kn, v.p, v.n);
		kn += v.n;
		key[kn++] = '\0';
	}
	for (size_t i = 0; i < r->nsubs; i++)
		if (r->subs[i].keyn == kn && memcmp(r->subs[i].key, key, kn) == 0)
			return r->subs[i].r;
	if (r->nsubs == MM_SUB_MAX)
		return r;
	if (!r->subs)
		r->subs = mm_calloc(MM_SUB_MAX, sizeof(*r->subs));
	struct subroute *s = &r->subs[r->nsubs++];
	s->key = mm_malloc(kn);
	memcpy(s->key, key, kn);
	s->keyn = kn;
	s->r = mm_calloc(1, sizeof(*s->r));
	s->r->sub = s->key;
	s->r->subn = kn;
	route_build(d, ev, s->r, true, r);
	return s->r;
}

static struct route *route_get(struct mm_detector *d, const struct mm_event *ev)
{
	uintptr_t h = (uintptr_t)ev->product * 31u + (uintptr_t)ev->category;
	for (size_t i = 0; i < MM_EVENT_MAX_SERVICES; i++)
		h = h * 31u + (uintptr_t)ev->service[i];
	h ^= h >> 17;
	size_t at = (size_t)(h % ROUTE_SLOTS);
	for (size_t probe = 0; probe < ROUTE_SLOTS; probe++) {
		struct route *r = &d->routes[(at + probe) % ROUTE_SLOTS];
		if (route_is(r, ev))
			return route_sub(d, r, ev);
		if (!r->used) {
			route_build(d, ev, r, true, NULL);
			return route_sub(d, r, ev);
		}
	}
	/* more distinct logsources than slots: counted, computed per event,
	 * without a database (not compiled per event): all its rules run */
	d->route_overflows++;
	route_build(d, ev, &d->spare, false, NULL);
	return &d->spare;
}

/* ---- patterns ----------------------------------------------------------- */

static inline unsigned char fold(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}

static bool eq_fold(const unsigned char *lit, const char *s, size_t n, bool cased)
{
	if (cased)
		return memcmp(lit, s, n) == 0;
	for (size_t i = 0; i < n; i++)
		if (fold((unsigned char)s[i]) != lit[i])
			return false;
	return true;
}

static bool contains(const unsigned char *lit, size_t ln, const char *s, size_t n, bool cased)
{
	if (ln == 0)
		return true;
	if (ln > n)
		return false;
	if (cased) {
		for (const char *q = s; (size_t)(q - s) + ln <= n;) {
			const char *hit = memchr(q, lit[0], n - (size_t)(q - s) - ln + 1);
			if (!hit)
				return false;
			if (memcmp(hit, lit, ln) == 0)
				return true;
			q = hit + 1;
		}
		return false;
	}
	unsigned char f = lit[0];
	unsigned char u = (f >= 'a' && f <= 'z') ? (unsigned char)(f - 32) : f;
	for (size_t i = 0; i + ln <= n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c == f || c == u) && eq_fold(lit + 1, s + i + 1, ln - 1, false))
			return true;
	}
	return false;
}

/* Iterative wildcard match with single-star backtracking: O(n·m) worst
 * case, no recursion. */
static bool glob(const int16_t *t, size_t tn, const char *s, size_t n, bool cased)
{
	size_t ti = 0, si = 0, star = (size_t)-1, mark = 0;
	while (si < n) {
		unsigned char c = (unsigned char)s[si];
		if (!cased)
			c = fold(c);
		if (ti < tn && t[ti] == TOK_STAR) {
			star = ti++;
			mark = si;
		} else if (ti < tn && (t[ti] == TOK_QMARK || t[ti] == (int16_t)c)) {
			ti++;
			si++;
		} else if (star != (size_t)-1) {
			ti = star + 1;
			si = ++mark;
		} else {
			return false;
		}
	}
	while (ti < tn && t[ti] == TOK_STAR)
		ti++;
	return ti == tn;
}

bool mm__pat_match(const struct pat *p, const char *s, size_t n)
{
	switch (p->kind) {
	case PAT_ANY:
		return true;
	case PAT_EQ:
		return n == p->n && eq_fold(p->lit, s, n, p->cased);
	case PAT_PREFIX:
		return n >= p->n && eq_fold(p->lit, s, p->n, p->cased);
	case PAT_SUFFIX:
		return n >= p->n && eq_fold(p->lit, s + n - p->n, p->n, p->cased);
	case PAT_CONTAINS:
		return contains(p->lit, p->n, s, n, p->cased);
	case PAT_GLOB:
		return glob(p->toks, p->ntoks, s, n, p->cased);
	}
	return false;
}

/* ---- evaluation --------------------------------------------------------- */

/* Index the event's extras by slot: one map lookup per extra, instead of a
 * walk of the 30-40 extras of a Windows record (by name) for every field a
 * candidate rule reads. */
static void x_fill(struct mm_detector *d, const struct mm_event *ev)
{
	const struct mm_map *names = d->rs->xslots;
	d->xfilled = true;
	if (++d->xepoch == 0) { /* wrapped: forget old stamps */
		memset(d->xstamp, 0, (d->rs->nxslots + 1) * sizeof(*d->xstamp));
		d->xepoch = 1;
	}
	if (ev->n_extra > d->xscap) {
		d->xscap = ev->n_extra + 64;
		d->xs = mm_realloc(d->xs, d->xscap * sizeof(*d->xs));
	}
	for (size_t i = 0; i < ev->n_extra; i++) {
		const struct mm_kv *kv = &ev->extra[i];
		uint32_t slot = (uint32_t)(uintptr_t)mm_map_get(names, kv->k.p, kv->k.n);
		d->xs[i] = slot;
		if (slot && d->xstamp[slot] != d->xepoch) { /* the first one counts */
			d->xstamp[slot] = d->xepoch;
			d->xval[slot] = kv->v;
		}
	}
}

static struct mm_slice get_field(struct mm_detector *d, const struct mm_event *ev,
                                 const struct fref *f)
{
	if (f->id >= 0)
		return ev->f[f->id];
	if (f->id == FREF_MSG)
		return ev->msg.p ? ev->msg : ev->raw;
	/* FREF_EXTRA: resolve_field gave every extra name a slot (from 1) */
	if (!d->xfilled)
		x_fill(d, ev);
	return d->xstamp[f->slot] == d->xepoch ? d->xval[f->slot] : MM_SLICE_NULL;
}

/* Whether one of the value's necessary literals occurred in the scanned text
 * of this event. Every field value get_field() returns lies inside that text
 * (the raw line when MM_EV_VERBATIM, else each field, extra and msg/raw was
 * scanned), so if none occurred the value cannot match. */
static inline bool val_lits_hit(const struct mm_detector *d, const struct pval *v)
{
	const uint32_t *ids = d->rs->pf.vlits + v->pf_off;
	for (uint32_t i = 0; i < v->pf_n; i++)
		if (d->lit_stamp[ids[i]] == d->epoch)
			return true;
	return false;
}

struct fieldval {
	struct mm_slice s;
	bool ip_ok, num_ok, i_ok;
	struct mm_ip ip;
	double num;
	int64_t inum;
};

static bool val_match(struct mm_detector *d, const struct pitem *it, const struct fref *f,
                      const struct pval *v, const struct fieldval *fv, const struct mm_event *ev)
{
	const struct mm_slice s = fv->s;
	if (v->is_null)
		return !s.p || s.n == 0;
	if (!s.p)
		return false;
	if (v->pf_n && d->hits_valid && !val_lits_hit(d, v)) {
		d->vals_skipped++;
		return false;
	}
	switch (it->op) {
	case OP_STR:
		for (size_t i = 0; i < v->npats; i++)
			if (mm__pat_match(&v->pats[i], s.p, s.n))
				return true;
		return v->has_inum && f->numeric && fv->i_ok && fv->inum == v->inum;
	case OP_RE: {
		int rc = pcre2_match(v->re, (PCRE2_SPTR)s.p, s.n, 0, 0, d->md, d->mctx);
		if (rc >= 0)
			return true;
		if (rc != PCRE2_ERROR_NOMATCH)
			d->st.regex_errors++;
		return false;
	}
	case OP_CIDR:
		return fv->ip_ok && mm_cidr_contains(&v->cidr, &fv->ip);
	case OP_LT:
		return fv->num_ok && fv->num < v->num;
	case OP_LTE:
		return fv->num_ok && fv->num <= v->num;
	case OP_GT:
		return fv->num_ok && fv->num > v->num;
	case OP_GTE:
		return fv->num_ok && fv->num >= v->num;
	case OP_EXISTS:
		return v->exists;
	case OP_FIELDREF: {
		struct mm_slice o = get_field(d, ev, &v->ref);
		if (!o.p)
			return false;
		/* the other field's value is a literal (no wildcards) */
		struct pat p = {.kind = v->ref_kind, .cased = true, .lit = (const unsigned char *)o.p,
		                .n = o.n};
		if (it->cased)
			return mm__pat_match(&p, s.p, s.n);
		/* case-insensitive: compare folded bytes pairwise */
		if (o.n > s.n)
			return false;
		switch (v->ref_kind) {
		case PAT_EQ:
			return o.n == s.n && mm_slice_ieq(o, s);
		case PAT_PREFIX:
			return mm_slice_ieq(o, mm_slice(s.p, o.n));
		case PAT_SUFFIX:
			return mm_slice_ieq(o, mm_slice(s.p + s.n - o.n, o.n));
		default:
			for (size_t i = 0; i + o.n <= s.n; i++)
				if (mm_slice_ieq(o, mm_slice(s.p + i, o.n)))
					return true;
			return false;
		}
	}
	}
	return false;
}

static bool item_match(struct mm_detector *d, const struct pitem *it, const struct mm_event *ev)
{
	/* A field a pipeline maps to several names (pipelines/windows.yml:
	 * Image → Image or NewProcessName) is one field found under any of
	 * them: it is absent (`null`, `exists: false`) only when every name is,
	 * not when one of them is (a Sysmon event has no NewProcessName). */
	bool skip_null = false;
	if (it->nfields > 1 && !it->all) {
		bool present = false, nonempty = false;
		for (size_t f = 0; f < it->nfields; f++) {
			struct mm_slice v = get_field(d, ev, &it->fields[f]);
			present = present || v.p != NULL;
			nonempty = nonempty || (v.p != NULL && v.n > 0);
		}
		if (it->op == OP_EXISTS)
			return present == it->vals[0].exists;
		for (size_t i = 0; i < it->nvals; i++)
			if (it->vals[i].is_null && !nonempty)
				return true;
		skip_null = true;
	}
	for (size_t f = 0; f < it->nfields; f++) {
		struct fieldval fv;
		memset(&fv, 0, sizeof(fv));
		fv.s = get_field(d, ev, &it->fields[f]);
		if (it->op == OP_EXISTS) {
			if ((fv.s.p != NULL) == it->vals[0].exists)
				return true;
			continue;
		}
		if (fv.s.p) {
			if (it->op == OP_CIDR)
				fv.ip_ok = mm_ip_parse(fv.s, &fv.ip) == MM_OK;
			else if (it->op >= OP_LT && it->op <= OP_GTE)
				fv.num_ok = mm_slice_to_double(fv.s, &fv.num) == MM_OK;
			else if (it->op == OP_STR && it->fields[f].numeric)
				fv.i_ok = mm_slice_to_i64(fv.s, &fv.inum) == MM_OK;
		}
		bool ok;
		if (it->all) {
			ok = true;
			for (size_t i = 0; i < it->nvals && ok; i++)
				ok = val_match(d, it, &it->fields[f], &it->vals[i], &fv, ev);
		} else {
			ok = false;
			for (size_t i = 0; i < it->nvals && !ok; i++)
				ok = !(skip_null && it->vals[i].is_null) &&
				     val_match(d, it, &it->fields[f], &it->vals[i], &fv, ev);
		}
		if (ok)
			return true;
	}
	return false;
}

bool mm__eval(struct mm_detector *d, const struct pnode *n, const struct mm_event *ev)
{
	switch (n->kind) {
	case P_TRUE:
		return true;
	case P_FALSE:
		return false;
	case P_AND:
		for (size_t i = 0; i < n->nkids; i++)
			if (!mm__eval(d, n->kids[i], ev))
				return false;
		return true;
	case P_OR:
		for (size_t i = 0; i < n->nkids; i++)
			if (mm__eval(d, n->kids[i], ev))
				return true;
		return false;
	case P_NOT:
		return !mm__eval(d, n->kids[0], ev);
	case P_ATLEAST: {
		size_t hit = 0;
		for (size_t i = 0; i < n->nkids; i++) {
			if (mm__eval(d, n->kids[i], ev) && ++hit >= n->k)
				return true;
			if (hit + (n->nkids - i - 1) < n->k)
				return false;
		}
		return false;
	}
	case P_ITEM:
		return item_match(d, n->item, ev);
	}
	return false;
}

/* ---- per event ---------------------------------------------------------- */

static int on_literal(void *ud, unsigned id, unsigned long long from, unsigned long long to)
{
	struct mm_detector *d = ud;
	const struct route *rt = d->cur;
	(void)from;
	(void)to;
	if (d->lit_stamp[id] == d->epoch)
		return 0; /* already seen in another field of this event */
	d->lit_stamp[id] = d->epoch;
	const uint8_t *full = d->rs->pf.full;
	for (uint32_t i = rt->lit_off[id]; i < rt->lit_off[id + 1]; i++) {
		uint32_t p = rt->lit_post[i], r = MM_PF_POST_RULE(p);
		uint8_t bit = (uint8_t)(1u << MM_PF_POST_CLAUSE(p));
		if (d->stamp[r] != d->epoch) {
			d->stamp[r] = d->epoch;
			d->mask[r] = 0;
		}
		if (!(d->mask[r] & bit)) {
			/* a rule becomes a candidate once, when its last clause is hit */
			d->mask[r] |= bit;
			if (d->mask[r] == full[r])
				d->cand[d->ncand++] = r;
		}
	}
	return 0;
}

static void scan(struct mm_detector *d, struct mm_slice s)
{
	if (!s.p)
		return;
	d->st.prefilter_scans++;
	/* a failed scan may have missed literals: then no value is skipped
	 * (the candidates were already computed that way before per-value
	 * skipping; a scan fails only without scratch memory) */
	if (mm_mpm_scan(d->cur->mpm, d->cur->scratch, s.p, s.n, on_literal, d) != MM_OK)
		d->scan_ok = false;
}

/* The values of an event that is not verbatim (unescaped JSON: Windows
 * paths are full of backslash escapes), joined by LF, scanned once: a
 * Hyperscan call per value (a Windows record has 30-40) cost more than the
 * scan itself. Only the values of fields the logsource's rules read are
 * taken (hashes, GUIDs and times are most of a Sysmon record and no rule
 * of most rulesets looks at them), and msg/raw only when a rule searches
 * keywords (scanned for the keyword rules' literals only, route_kw_db):
 * get_field() can return no other value to a rule of this logsource, so
 * the per-value skip stays exact. Every value taken is whole
 * in the buffer, so no literal is missed;
 * one spanning a separator is a false hit, which only costs an evaluation
 * (the prefilter is a necessary condition, not a verdict). false when the
 * joined text passes the buffer's cap (counted there): scan value by value. */
static int on_literal_rec(void *ud, unsigned id, unsigned long long from, unsigned long long to)
{
	struct mm_detector *d = ud;
	if (d->vc_ntmp < VC_IDS_MAX)
		d->vc_tmp[d->vc_ntmp++] = id;
	else
		d->vc_over = true;
	return on_literal(ud, id, from, to);
}

/* Take one value of a decoded event for the prefilter. Windows records
 * repeat their values (the same images, parents, command lines, PE
 * metadata, integrity levels), and the scan's cost follows the literals it
 * reports (~40 per Sysmon record with SigmaHQ's rules: ".exe",
 * "c:\windows\system32\"…), so a value seen before is scanned alone once
 * and its literal ids kept in a direct-mapped cache (key: database and the
 * value's bytes, compared in full); later occurrences replay the ids, which
 * is exactly what a scan of the value would report (SINGLEMATCH: each id
 * once). A value seen for the first time (hashes, record-specific paths)
 * goes to the joined buffer, scanned once for all such values. false when
 * the buffer passes its cap. */
static bool take_value(struct mm_detector *d, struct mm_buf *b, struct mm_slice v)
{
	const struct mm_mpm *db = d->cur->mpm;
	if (!db || v.n > VC_VAL_MAX)
		return !(mm_buf_append(b, v.p, v.n) || mm_buf_putc(b, '\n'));
	uint64_t h = mm_hash64(v.p, v.n, d->cur->db_seed);
	struct vc_slot *sl = &d->vc[h & (VC_SLOTS - 1)];
	if (sl->val && sl->db == db && sl->h == h && sl->n == v.n && memcmp(sl->val, v.p, v.n) == 0) {
		d->vc_hits++;
		for (size_t i = 0; i < sl->nids; i++)
			on_literal(d, sl->ids[i], 0, 0);
		return true;
	}
	/* a value seen once only enters the seen table: values unique to a
	 * record (hashes, document paths) do not evict the cached ones */
	uint64_t *seen = &d->vc_seen[(h >> 20) & (VC_SEEN - 1)];
	if (*seen != h) {
		*seen = h;
		return !(mm_buf_append(b, v.p, v.n) || mm_buf_putc(b, '\n'));
	}
	/* seen before: scan it alone and keep what it found */
	d->vc_ntmp = 0;
	d->vc_over = false;
	d->st.prefilter_scans++;
	if (mm_mpm_scan(db, d->cur->scratch, v.p, v.n, on_literal_rec, d) != MM_OK) {
		d->scan_ok = false;
		return true;
	}
	if (d->vc_over)
		return true;
	if (sl->val)
		d->vc_evictions++;
	sl->val = mm_realloc(sl->val, v.n ? v.n : 1);
	memcpy(sl->val, v.p, v.n);
	sl->ids = mm_realloc(sl->ids, (d->vc_ntmp ? d->vc_ntmp : 1) * sizeof(*sl->ids));
	memcpy(sl->ids, d->vc_tmp, d->vc_ntmp * sizeof(*sl->ids));
	sl->nids = (uint8_t)d->vc_ntmp;
	sl->db = db;
	sl->h = h;
	sl->n = (uint32_t)v.n;
	return true;
}

static bool scan_joined(struct mm_detector *d, const struct mm_event *ev)
{
	struct mm_buf *b = &d->cat;
	struct route *rt = (struct route *)d->cur;
	bool every = rt->want_overflow;
	mm_buf_reset(b);
	for (size_t i = 0; i < MM_F__COUNT; i++)
		if (ev->f[i].p && (every || rt->want_f[i]) && !take_value(d, b, ev->f[i]))
			return false;
	if (!every && !d->xfilled)
		x_fill(d, ev);
	for (size_t i = 0; i < ev->n_extra; i++) {
		const struct mm_kv *kv = &ev->extra[i];
		if (!kv->v.p || (!every && !rt->want_x[d->xs[i]]))
			continue;
		if (!take_value(d, b, kv->v))
			return false;
	}
	struct mm_slice m = ev->msg.p ? ev->msg : ev->raw;
	if (m.p && (every || rt->want_msg) && mm_buf_append(b, m.p, m.n))
		return false;
	if (b->n)
		scan(d, mm_slice(b->p, b->n));
	if (rt->kw_mpm && m.p) {
		d->st.prefilter_scans++;
		if (mm_mpm_scan(rt->kw_mpm, rt->kw_scratch, m.p, m.n, on_literal, d) != MM_OK)
			d->scan_ok = false;
	}
	return true;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Candidates in rule order: a handful per event (8 on average with all of
 * SigmaHQ on Windows records), where glibc's qsort (a merge sort through a
 * comparison callback) cost more than the rules it orders. */
static void sort_cand(uint32_t *c, size_t n)
{
	if (n > 32) {
		qsort(c, n, sizeof(*c), cmp_u32);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		uint32_t x = c[i];
		size_t j = i;
		for (; j > 0 && c[j - 1] > x; j--)
			c[j] = c[j - 1];
		c[j] = x;
	}
}

static size_t run_rule(struct mm_detector *d, uint32_t r, const struct mm_event *ev,
                       mm_match_fn cb, void *ud)
{
	const struct srule *rule = d->rs->rules[r];
	d->st.rules_evaluated++;
	if (!mm__eval(d, rule->prog, ev))
		return 0;
	d->rule_matches[r]++;
	d->st.matches++;
	if (cb)
		cb(ud, &rule->info, ev);
	return 1;
}

size_t mm_detect_event(struct mm_detector *d, const struct mm_event *ev, mm_match_fn cb, void *ud)
{
	size_t hits = 0;
	d->st.events++;
	if (d->rs->nrules == 0)
		return 0;
	d->xfilled = false; /* the extras' slots are of the previous event */
	struct route *rt = route_get(d, ev);
	if (!d->prefilter || rt->no_db) {
		for (size_t i = 0; i < rt->nall; i++)
			hits += run_rule(d, rt->all[i], ev, cb, ud);
		return hits;
	}
	d->ncand = 0;
	d->cur = rt;
	if (rt->npref) {
		d->scan_ok = true;
		if (++d->epoch == 0) { /* wrapped: forget old stamps */
			memset(d->stamp, 0, d->rs->nrules * sizeof(*d->stamp));
			memset(d->lit_stamp, 0, d->rs->pf.nlits * sizeof(*d->lit_stamp));
			d->epoch = 1;
		}
		if (ev->flags & MM_EV_VERBATIM) {
			scan(d, ev->raw);
			/* msg is normally a slice of raw; scan it only when it is not */
			if (ev->msg.p && (ev->msg.p < ev->raw.p || ev->msg.p + ev->msg.n > ev->raw.p + ev->raw.n))
				scan(d, ev->msg);
		} else if (!scan_joined(d, ev)) {
			for (size_t i = 0; i < MM_F__COUNT; i++)
				scan(d, ev->f[i]);
			for (size_t i = 0; i < ev->n_extra; i++)
				scan(d, ev->extra[i].v);
			scan(d, ev->msg.p ? ev->msg : ev->raw);
		}
		sort_cand(d->cand, d->ncand);
		d->hits_valid = d->scan_ok && !d->rs->pf.no_value_skip;
	}
	/* merge candidates (of this logsource) with the always-evaluated rules,
	 * in rule index order */
	size_t a = 0, c = 0;
	while (a < rt->nalways || c < d->ncand) {
		uint32_t r;
		if (c < d->ncand && (a >= rt->nalways || d->cand[c] < rt->always[a])) {
			r = d->cand[c++]; /* only this logsource's rules are candidates */
		} else {
			r = rt->always[a++];
		}
		hits += run_rule(d, r, ev, cb, ud);
	}
	d->hits_valid = false;
	return hits;
}
