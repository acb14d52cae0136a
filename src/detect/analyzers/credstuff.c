/* mamori — analyzer: distributed credential stuffing against one login
 * endpoint. Many sources, each below any per-source threshold, jointly fail on
 * many distinct accounts with a high failure ratio within a sliding window of
 * event time. A Sigma correlation cannot say this (it needs per-source failure
 * ratios and a joint ratio over the sources that pass them), so it is a
 * built-in detector that emits results shaped like correlation results.
 * Statistic, bounds and defaults: docs/internals/CREDSTUFF.md.
 * Position: decode → (engine login enrichment) → analyzers → alert. */
#include "../detect_int.h"

#include <stdlib.h>
#include <string.h>

#define DEF_WINDOW (3600 * MM_NS_PER_SEC)
#define DEF_MIN_SOURCES 20
#define DEF_MIN_ACCOUNTS 40
#define DEF_RATIO 0.8
#define DEF_SRC_RATIO 0.5
#define DEF_SPREAD 2
#define DEF_STATE_MEM ((size_t)64 << 20)
#define MAX_ENDPOINTS 256
#define MAX_VALS (1u << 20) /* distinct values per endpoint table */
#define VAL_MAX 256         /* bytes of a kept value */
#define ASLOTS 4            /* failed accounts tracked exactly per source */
#define NREF_EDGE 5
#define RESCAN_EVERY 32     /* candidate failures between account recounts */
#define NONE UINT32_MAX
/* Without account names (access logs): a source is judged once it has been
 * quiet this long (a user between a typo and the right password is back
 * within seconds to a minute), and a campaign's sources are chained by their
 * first attempts no more than GAP_MULT mean gaps of the slowest campaign the
 * thresholds define (window / min_sources) apart. CREDSTUFF.md "Without
 * account names". */
#define SETTLE (300 * MM_NS_PER_SEC)
#define GAP_MULT 4
#define RATE_MULT 10 /* once open: gaps up to 10 mean gaps of the campaign's own rate */
#define GAP_FLOOR (10 * MM_NS_PER_SEC) /* 10x an access log's 1 s resolution */

struct ent {
	int64_t ts;
	uint64_t off, line;
	uint32_t src, acct, file;
	uint8_t fail;
};

struct val {
	uint64_t h;
	char *s;
	uint32_t n;
	uint32_t refs;  /* window entries naming it */
	uint32_t stamp; /* scan marker */
};

struct sstat {
	uint32_t fails, succs;
	uint32_t acct[ASLOTS], acnt[ASLOTS];
	uint32_t aextra;  /* failures on accounts beyond the slots (counted as distinct) */
	uint32_t noacct;  /* failures without an account name */
	bool cand;
	bool reported;    /* listed in an alert of the current campaign */
	uint8_t sel;      /* in the batch being built: 1 campaign source, 2 succeeded after failures */
	int64_t first_ts; /* its first attempt in the window (no-names chaining) */
	int64_t last_ts;  /* its newest attempt (no-names settling) */
};

struct itab {
	uint32_t *slot; /* open addressing: value index + 1, 0 = empty */
	uint32_t cap;   /* power of two */
	struct val *v;
	uint32_t n, capv, live;
};

struct flag {
	uint64_t h; /* 0 = empty */
	int64_t until;
};

struct endpoint {
	char *domain, *path;
	uint64_t h;
	struct ent *ring;
	uint32_t rcap, rstart, rn; /* ring[(rstart + i) % rcap], i < rn */
	int64_t newest;
	struct itab src, acct;
	struct sstat *ss; /* parallel to src.v */
	uint32_t ncand, nnew; /* candidates; of them not yet reported */
	uint64_t cfail, csucc;
	int64_t campaign_until; /* MM_TS_NONE: no campaign reported in this window */
	uint32_t last_file;     /* newest input's evidence (for the end-of-input batch) */
	uint64_t last_off, last_line;
	int64_t last_ts;
	uint32_t scan_ncand, since_scan;
	uint32_t scan_id;
	bool names_seen; /* some input named an account */
	/* no-names campaigns (access logs): next time a settled source or the
	 * end of the chain is due, whether a campaign is open, its span */
	int64_t nn_next;
	bool nn_open;
	int64_t nn_onset, nn_chain_last;
	uint32_t nn_chained; /* sources in the chain so far */
	struct flag *flags;
	uint32_t fcap, fn;
};

struct mm_analyzers {
	struct mm_credstuff_opts o;
	struct endpoint *ep[MAX_ENDPOINTS];
	size_t nep;
	char **files;
	size_t nfiles, capfiles;
	const char *last_path;
	uint32_t last_file;
	size_t bytes;
	bool compacting; /* a rebuild frees more than it takes: never refused */
	struct mm_analyzer_stats st;
};

static const char *const g_tags_cs[] = {"attack.credential-access", "attack.t1110.004"};
static const char *const g_tags_ok[] = {"attack.credential-access", "attack.t1110.004",
                                        "attack.initial-access", "attack.t1078"};

static const struct mm_rule_info g_rules[] = {
	{
		.id = "5b0c8f0e-3c4e-4a8e-9a51-3d7f2f1c6a01",
		.name = "credential_stuffing_distributed",
		.title = "Distributed Credential Stuffing Against One Login Endpoint",
		.level = "high",
		.severity = 3,
		.status = "experimental",
		.description = "Many sources, each failing on a few different accounts with a "
		               "high failure ratio, jointly fail on many distinct accounts of "
		               "one login endpoint within the window.",
		.path = "analyzer:credential_stuffing",
		.tags = g_tags_cs,
		.ntags = MM_ARRAY_LEN(g_tags_cs),
		.index = SIZE_MAX,
		.corr_type = "credential_stuffing",
	},
	{
		.id = "5b0c8f0e-3c4e-4a8e-9a51-3d7f2f1c6a02",
		.name = "credential_stuffing_success",
		.title = "Login Success From A Credential-Stuffing Source",
		.level = "critical",
		.severity = 4,
		.status = "experimental",
		.description = "A login succeeded from a source already reported as part of a "
		               "credential-stuffing campaign: the account is likely in the "
		               "attacker's hands.",
		.path = "analyzer:credential_stuffing",
		.tags = g_tags_ok,
		.ntags = MM_ARRAY_LEN(g_tags_ok),
		.index = SIZE_MAX,
		.corr_type = "credential_stuffing_success",
	},
};

size_t mm_analyzer_rule_count(void)
{
	return MM_ARRAY_LEN(g_rules);
}

const struct mm_rule_info *mm_analyzer_rule_at(size_t i)
{
	return i < MM_ARRAY_LEN(g_rules) ? &g_rules[i] : NULL;
}

struct mm_analyzers *mm_analyzers_new(const struct mm_credstuff_opts *o)
{
	struct mm_analyzers *a = mm_calloc(1, sizeof(*a));
	if (o)
		a->o = *o;
	if (a->o.window_ns <= 0)
		a->o.window_ns = DEF_WINDOW;
	if (!a->o.min_sources)
		a->o.min_sources = DEF_MIN_SOURCES;
	if (!a->o.min_accounts)
		a->o.min_accounts = DEF_MIN_ACCOUNTS;
	if (a->o.min_failure_ratio <= 0 || a->o.min_failure_ratio > 1)
		a->o.min_failure_ratio = DEF_RATIO;
	if (a->o.min_source_ratio <= 0 || a->o.min_source_ratio > 1)
		a->o.min_source_ratio = DEF_SRC_RATIO;
	if (!a->o.spread_accounts)
		a->o.spread_accounts = DEF_SPREAD;
	if (!a->o.state_mem)
		a->o.state_mem = DEF_STATE_MEM;
	return a;
}

static void itab_free(struct itab *t)
{
	for (uint32_t i = 0; i < t->n; i++)
		free(t->v[i].s);
	free(t->v);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

static void acct_bytes(struct mm_analyzers *a, long long d)
{
	a->bytes = (size_t)((long long)a->bytes + d);
	a->st.state_bytes = a->bytes;
	if (a->bytes > a->st.state_bytes_peak)
		a->st.state_bytes_peak = a->bytes;
}

/* Bytes a table holds (as counted by intern()). */
static long long itab_bytes(const struct itab *t, bool with_stats)
{
	long long b = (long long)t->cap * 4 +
	              (long long)t->capv * (long long)(sizeof(struct val) +
	                                               (with_stats ? sizeof(struct sstat) : 0));
	for (uint32_t i = 0; i < t->n; i++)
		b += t->v[i].n + 1;
	return b;
}

/* Drop an endpoint's window and tables (to start over). */
static void ep_clear(struct mm_analyzers *a, struct endpoint *e)
{
	long long freed = (long long)e->rcap * (long long)sizeof(struct ent) +
	                  itab_bytes(&e->src, true) + itab_bytes(&e->acct, false);
	itab_free(&e->src);
	itab_free(&e->acct);
	free(e->ss);
	e->ss = NULL;
	free(e->ring);
	e->ring = NULL;
	e->rcap = e->rstart = e->rn = 0;
	e->ncand = e->nnew = 0;
	e->cfail = e->csucc = 0;
	e->campaign_until = MM_TS_NONE;
	e->scan_ncand = e->since_scan = 0;
	e->names_seen = false;
	e->nn_next = MM_TS_NONE;
	e->nn_open = false;
	acct_bytes(a, -freed);
}

void mm_analyzers_free(struct mm_analyzers *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->nep; i++) {
		struct endpoint *e = a->ep[i];
		ep_clear(a, e);
		free(e->flags);
		free(e->domain);
		free(e->path);
		free(e);
	}
	for (size_t i = 0; i < a->nfiles; i++)
		free(a->files[i]);
	free(a->files);
	free(a);
}

void mm_analyzers_source(struct mm_analyzers *a)
{
	(void)a; /* each endpoint keeps its own newest time: files of one site interleave */
}

void mm_analyzers_stats(const struct mm_analyzers *a, struct mm_analyzer_stats *out)
{
	*out = a->st;
	out->endpoints = a->nep;
}

static bool room(struct mm_analyzers *a, size_t need)
{
	if (a->compacting || a->bytes + need <= a->o.state_mem)
		return true;
	a->st.cap_hits++;
	return false;
}

/* Intern v in t; NONE when a cap refuses it. */
static uint32_t intern(struct mm_analyzers *a, struct itab *t, struct mm_slice v, bool with_stats,
                       struct sstat **ss)
{
	if (v.n > VAL_MAX)
		v.n = VAL_MAX;
	uint64_t h = mm_hash64(v.p, v.n, 0x5eedc0de);
	if (t->cap) {
		for (uint32_t i = (uint32_t)h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
			uint32_t k = t->slot[i];
			if (!k)
				break;
			struct val *x = &t->v[k - 1];
			if (x->h == h && x->n == v.n && !memcmp(x->s, v.p, v.n))
				return k - 1;
		}
	}
	if (t->n >= MAX_VALS)
		return NONE;
	size_t need = v.n + 1;
	if (t->n == t->capv)
		need += (size_t)(t->capv ? t->capv : 16) *
		        (sizeof(struct val) + (with_stats ? sizeof(struct sstat) : 0));
	if ((t->n + 1) * 2 > t->cap)
		need += (size_t)(t->cap ? t->cap : 16) * 4;
	if (!room(a, need))
		return NONE;
	if (t->n == t->capv) {
		uint32_t nc = t->capv ? t->capv * 2 : 16;
		t->v = mm_realloc(t->v, nc * sizeof(*t->v));
		acct_bytes(a, (long long)(nc - t->capv) * (long long)sizeof(struct val));
		if (with_stats) {
			*ss = mm_realloc(*ss, nc * sizeof(**ss));
			memset(*ss + t->capv, 0, (nc - t->capv) * sizeof(**ss));
			acct_bytes(a, (long long)(nc - t->capv) * (long long)sizeof(struct sstat));
		}
		t->capv = nc;
	}
	if ((t->n + 1) * 2 > t->cap) {
		uint32_t nc = t->cap ? t->cap * 2 : 32;
		uint32_t *ns = mm_calloc(nc, sizeof(*ns));
		for (uint32_t k = 0; k < t->n; k++)
			for (uint32_t i = (uint32_t)t->v[k].h & (nc - 1);; i = (i + 1) & (nc - 1))
				if (!ns[i]) {
					ns[i] = k + 1;
					break;
				}
		free(t->slot);
		acct_bytes(a, (long long)(nc - t->cap) * 4);
		t->slot = ns;
		t->cap = nc;
	}
	uint32_t k = t->n++;
	struct val *x = &t->v[k];
	x->h = h;
	x->s = mm_strndup(v.p, v.n);
	x->n = (uint32_t)v.n;
	x->refs = 0;
	x->stamp = 0;
	acct_bytes(a, (long long)v.n + 1);
	for (uint32_t i = (uint32_t)h & (t->cap - 1);; i = (i + 1) & (t->cap - 1))
		if (!t->slot[i]) {
			t->slot[i] = k + 1;
			break;
		}
	return k;
}

static bool is_cand(const struct mm_analyzers *a, const struct endpoint *e,
                    const struct sstat *s)
{
	if (!s->fails)
		return false;
	/* Without account names (access logs) a user who mistypes twice and then
	 * gets in looks exactly like a bot whose third attempt worked, and one
	 * who fails four times and then gets in has a higher own ratio than that
	 * bot: no ratio separates them. A campaign source is then a source that
	 * never got in; the ones that did are listed apart (nn_check). */
	if (!e->names_seen && s->noacct == s->fails) {
		if (s->succs)
			return false;
	} else {
		/* a source without names at an endpoint whose log names accounts:
		 * the stricter joint ratio applies per source */
		double r = s->noacct == s->fails && a->o.min_failure_ratio > a->o.min_source_ratio
		                   ? a->o.min_failure_ratio
		                   : a->o.min_source_ratio;
		if ((double)s->fails < r * (double)(s->fails + s->succs))
			return false;
	}
	uint32_t spread = s->aextra + s->noacct;
	for (int i = 0; i < ASLOTS; i++)
		spread += s->acnt[i] != 0;
	return spread >= a->o.spread_accounts;
}

/* Apply one entry (+1 when it enters the window, -1 when it leaves). */
static void apply(struct mm_analyzers *a, struct endpoint *e, const struct ent *en, int sign)
{
	struct sstat *s = &e->ss[en->src];
	if (s->cand && !s->reported)
		e->nnew--;
	if (s->cand) {
		e->ncand--;
		e->cfail -= s->fails;
		e->csucc -= s->succs;
	}
	if (sign > 0) {
		if (!s->fails && !s->succs)
			s->first_ts = en->ts;
		if ((!s->fails && !s->succs) || en->ts > s->last_ts)
			s->last_ts = en->ts;
	}
	if (!en->fail) {
		s->succs = (uint32_t)((int)s->succs + sign);
	} else {
		s->fails = (uint32_t)((int)s->fails + sign);
		if (en->acct == NONE) {
			s->noacct = (uint32_t)((int)s->noacct + sign);
		} else {
			int i, fr = -1;
			for (i = 0; i < ASLOTS; i++) {
				if (s->acnt[i] && s->acct[i] == en->acct)
					break;
				if (!s->acnt[i] && fr < 0)
					fr = i;
			}
			if (i < ASLOTS)
				s->acnt[i] = (uint32_t)((int)s->acnt[i] + sign);
			else if (sign > 0 && fr >= 0) {
				s->acct[fr] = en->acct;
				s->acnt[fr] = 1;
			} else if (sign > 0)
				s->aextra++;
			else if (s->aextra)
				s->aextra--;
		}
	}
	struct val *sv = &e->src.v[en->src];
	sv->refs = (uint32_t)((int)sv->refs + sign);
	e->src.live = (uint32_t)((int)e->src.live + (sign > 0 ? sv->refs == 1 : -(sv->refs == 0)));
	if (en->acct != NONE) {
		struct val *av = &e->acct.v[en->acct];
		av->refs = (uint32_t)((int)av->refs + sign);
		e->acct.live =
			(uint32_t)((int)e->acct.live + (sign > 0 ? av->refs == 1 : -(av->refs == 0)));
	}
	s->cand = is_cand(a, e, s);
	if (s->cand && !s->reported)
		e->nnew++;
	if (s->cand) {
		e->ncand++;
		e->cfail += s->fails;
		e->csucc += s->succs;
	}
}

static struct ent *ring_at(struct endpoint *e, uint32_t i)
{
	return &e->ring[(e->rstart + i) & (e->rcap - 1)];
}

static void expire(struct mm_analyzers *a, struct endpoint *e, int64_t lo)
{
	while (e->rn && ring_at(e, 0)->ts < lo) {
		apply(a, e, ring_at(e, 0), -1);
		e->rstart = (e->rstart + 1) & (e->rcap - 1);
		e->rn--;
	}
	if (!e->rn && (e->src.n || e->acct.n))
		ep_clear(a, e); /* nothing left in the window: start the tables afresh */
}

static bool ring_push(struct mm_analyzers *a, struct endpoint *e, const struct ent *en)
{
	if (e->rn == e->rcap) {
		uint32_t nc = e->rcap ? e->rcap * 2 : 64;
		if (!room(a, (size_t)(nc - e->rcap) * sizeof(struct ent)))
			return false;
		struct ent *nr = mm_malloc(nc * sizeof(*nr));
		for (uint32_t i = 0; i < e->rn; i++)
			nr[i] = *ring_at(e, i);
		free(e->ring);
		acct_bytes(a, (long long)(nc - e->rcap) * (long long)sizeof(struct ent));
		e->ring = nr;
		e->rcap = nc;
		e->rstart = 0;
	}
	*ring_at(e, e->rn++) = *en;
	return true;
}

static uint32_t file_index(struct mm_analyzers *a, const char *path)
{
	if (!path)
		path = "-";
	if (a->last_path == path && a->last_file < a->nfiles)
		return a->last_file;
	for (size_t i = a->nfiles; i-- > 0;)
		if (!strcmp(a->files[i], path)) {
			a->last_path = path;
			a->last_file = (uint32_t)i;
			return (uint32_t)i;
		}
	if (a->nfiles == 65535)
		return NONE;
	if (a->nfiles == a->capfiles) {
		a->capfiles = a->capfiles ? a->capfiles * 2 : 8;
		a->files = mm_realloc(a->files, a->capfiles * sizeof(*a->files));
	}
	a->files[a->nfiles] = mm_strdup(path);
	a->last_path = path;
	a->last_file = (uint32_t)a->nfiles;
	return (uint32_t)a->nfiles++;
}

/* Rebuild the value tables with only the values the window still names:
 * sources and accounts come and go (the Internet is large), and a table that
 * kept every value ever seen would grow with the length of the input. Run
 * when at least half of a table is dead, so its cost is amortised over the
 * insertions that made it so. */
static void compact(struct mm_analyzers *a, struct endpoint *e)
{
	struct itab ns, na;
	struct sstat *nss = NULL;
	memset(&ns, 0, sizeof(ns));
	memset(&na, 0, sizeof(na));
	uint32_t *smap = mm_malloc(((size_t)e->src.n + 1) * sizeof(*smap));
	uint32_t *amap = mm_malloc(((size_t)e->acct.n + 1) * sizeof(*amap));
	a->compacting = true;
	for (uint32_t i = 0; i < e->acct.n; i++) {
		amap[i] = NONE;
		if (!e->acct.v[i].refs)
			continue;
		uint32_t k = intern(a, &na, mm_slice(e->acct.v[i].s, e->acct.v[i].n), false, NULL);
		na.v[k].refs = e->acct.v[i].refs;
		na.live++;
		amap[i] = k;
	}
	for (uint32_t i = 0; i < e->src.n; i++) {
		smap[i] = NONE;
		if (!e->src.v[i].refs)
			continue;
		uint32_t k = intern(a, &ns, mm_slice(e->src.v[i].s, e->src.v[i].n), true, &nss);
		ns.v[k].refs = e->src.v[i].refs;
		ns.live++;
		nss[k] = e->ss[i];
		for (int j = 0; j < ASLOTS; j++)
			if (nss[k].acnt[j])
				nss[k].acct[j] = amap[nss[k].acct[j]];
		smap[i] = k;
	}
	a->compacting = false;
	for (uint32_t i = 0; i < e->rn; i++) {
		struct ent *en = ring_at(e, i);
		en->src = smap[en->src];
		if (en->acct != NONE)
			en->acct = amap[en->acct];
	}
	acct_bytes(a, -(itab_bytes(&e->src, true) + itab_bytes(&e->acct, false)));
	itab_free(&e->src);
	itab_free(&e->acct);
	free(e->ss);
	e->src = ns;
	e->acct = na;
	e->ss = nss;
	free(smap);
	free(amap);
}

static struct endpoint *endpoint_of(struct mm_analyzers *a, struct mm_slice dom,
                                    struct mm_slice path)
{
	uint64_t h = mm_hash64(path.p, path.n, mm_hash64(dom.p ? dom.p : "", dom.n, 7));
	for (size_t i = 0; i < a->nep; i++) {
		struct endpoint *e = a->ep[i];
		if (e->h == h && mm_slice_eq_cstr(path, e->path) &&
		    mm_slice_eq_cstr(dom.p ? dom : MM_SLICE_LIT(""), e->domain))
			return e;
	}
	if (a->nep == MAX_ENDPOINTS) {
		a->st.cap_hits++;
		return NULL;
	}
	struct endpoint *e = mm_calloc(1, sizeof(*e));
	e->h = h;
	e->domain = dom.p ? mm_slice_strdup(dom) : mm_strdup("");
	e->path = mm_slice_strdup(path);
	e->newest = MM_TS_NONE;
	e->campaign_until = MM_TS_NONE;
	e->nn_next = MM_TS_NONE;
	a->ep[a->nep++] = e;
	return e;
}

/* ---- campaign-source flags (for the follow-up success alert) ----------- */

static bool flag_has(const struct endpoint *e, uint64_t h, int64_t ts)
{
	if (!e->fcap)
		return false;
	h |= 1;
	for (uint32_t i = (uint32_t)h & (e->fcap - 1);; i = (i + 1) & (e->fcap - 1)) {
		if (!e->flags[i].h)
			return false;
		if (e->flags[i].h == h)
			return ts <= e->flags[i].until;
	}
}

static void flag_put(struct mm_analyzers *a, struct endpoint *e, uint64_t h, int64_t until,
                     int64_t now)
{
	h |= 1;
	if ((e->fn + 1) * 2 > e->fcap) {
		/* rebuild: drop expired flags, grow when still full */
		uint32_t live = 0;
		for (uint32_t i = 0; i < e->fcap; i++)
			live += e->flags[i].h && e->flags[i].until >= now;
		uint32_t nc = e->fcap ? e->fcap : 64;
		while ((live + 1) * 2 > nc)
			nc *= 2;
		if (nc > (1u << 20)) {
			a->st.cap_hits++;
			return;
		}
		struct flag *nf = mm_calloc(nc, sizeof(*nf));
		for (uint32_t i = 0; i < e->fcap; i++) {
			if (!e->flags[i].h || e->flags[i].until < now)
				continue;
			for (uint32_t j = (uint32_t)e->flags[i].h & (nc - 1);; j = (j + 1) & (nc - 1))
				if (!nf[j].h) {
					nf[j] = e->flags[i];
					break;
				}
		}
		acct_bytes(a, ((long long)nc - (long long)e->fcap) * (long long)sizeof(*nf));
		free(e->flags);
		e->flags = nf;
		e->fcap = nc;
		e->fn = live;
	}
	for (uint32_t i = (uint32_t)h & (e->fcap - 1);; i = (i + 1) & (e->fcap - 1)) {
		if (e->flags[i].h == h) {
			if (until > e->flags[i].until)
				e->flags[i].until = until;
			return;
		}
		if (!e->flags[i].h) {
			e->flags[i].h = h;
			e->flags[i].until = until;
			e->fn++;
			return;
		}
	}
}

/* ---- the campaign check ------------------------------------------------- */

/* Distinct accounts failed by candidate sources in the window. */
static uint32_t count_accounts(struct endpoint *e)
{
	uint32_t n = 0;
	if (++e->scan_id == 0) {
		for (uint32_t i = 0; i < e->acct.n; i++)
			e->acct.v[i].stamp = 0;
		e->scan_id = 1;
	}
	for (uint32_t i = 0; i < e->rn; i++) {
		const struct ent *en = ring_at(e, i);
		if (!en->fail || en->acct == NONE || !e->ss[en->src].cand)
			continue;
		struct val *v = &e->acct.v[en->acct];
		if (v->stamp != e->scan_id) {
			v->stamp = e->scan_id;
			n++;
		}
	}
	return n;
}

static const char *g_group_dp[] = {"url.domain", "url.path"};

/* Report the batch: the sources with sel 1 (campaign sources) and sel 2
 * (no-names sources that got in after failures); presel false selects the
 * candidates not yet reported (the statistic with account names). */
static size_t fire(struct mm_analyzers *a, struct endpoint *e, const struct mm_event *ev,
                   uint32_t naccounts, bool presel, mm_corr_fn cb, void *ud)
{
	struct mm_corr_result res;
	memset(&res, 0, sizeof(res));
	/* sized by the table, not by nnew: a counting slip must not overflow */
	struct mm_slice *srcs = mm_malloc(((size_t)e->src.n + 1) * sizeof(*srcs));
	struct mm_slice *okd = mm_malloc(((size_t)e->src.n + 1) * sizeof(*okd));
	struct mm_slice *accts = mm_malloc((size_t)e->acct.n * sizeof(*accts) + 1);
	struct mm_slice *comp = mm_malloc((size_t)e->acct.n * sizeof(*comp) + 1);
	uint32_t *src_ids = mm_malloc(((size_t)e->src.n + 1) * sizeof(*src_ids));
	struct mm_evref refs[2 * NREF_EDGE];
	size_t ns = 0, na = 0, nc = 0, nrefs = 0, nok = 0;
	uint64_t count = 0;
	int64_t first = MM_TS_NONE, last = MM_TS_NONE;

	uint64_t nfail = 0, nsucc = 0;
	for (uint32_t i = 0; i < e->src.n; i++) {
		struct sstat *st = &e->ss[i];
		if (!presel)
			st->sel = st->cand && !st->reported;
		if (st->sel == 1) {
			src_ids[ns] = i;
			srcs[ns++] = mm_slice(e->src.v[i].s, e->src.v[i].n);
			nfail += st->fails;
			nsucc += st->succs;
		} else if (st->sel == 2) {
			okd[nok++] = mm_slice(e->src.v[i].s, e->src.v[i].n);
			st->reported = true;
			st->sel = 0;
		}
	}
	/* accounts failed (first appearance order), then compromised: accounts
	 * with a success from a candidate source in the window */
	uint32_t sid = ++e->scan_id ? e->scan_id : (e->scan_id = 1);
	for (uint32_t i = 0; i < e->rn; i++) {
		const struct ent *en = ring_at(e, i);
		if (e->ss[en->src].sel != 1)
			continue;
		count++;
		if (first == MM_TS_NONE || en->ts < first)
			first = en->ts;
		if (last == MM_TS_NONE || en->ts > last)
			last = en->ts;
		if (en->fail && en->acct != NONE && e->acct.v[en->acct].stamp != sid) {
			e->acct.v[en->acct].stamp = sid;
			accts[na++] = mm_slice(e->acct.v[en->acct].s, e->acct.v[en->acct].n);
		}
	}
	uint32_t sid2 = ++e->scan_id ? e->scan_id : (e->scan_id = 1);
	uint64_t k = 0;
	for (uint32_t i = 0; i < e->rn; i++) {
		const struct ent *en = ring_at(e, i);
		if (e->ss[en->src].sel != 1)
			continue;
		if (k < NREF_EDGE || k >= count - NREF_EDGE) {
			struct mm_evref *r = &refs[nrefs++];
			r->file = en->file < a->nfiles ? a->files[en->file] : "-";
			r->offset = en->off;
			r->line = en->line;
			r->ts = en->ts;
			r->rule_id = g_rules[0].id;
		}
		k++;
		if (!en->fail && en->acct != NONE && e->acct.v[en->acct].stamp != sid2) {
			e->acct.v[en->acct].stamp = sid2;
			comp[nc++] = mm_slice(e->acct.v[en->acct].s, e->acct.v[en->acct].n);
		}
	}
	struct mm_slice gv[2] = {mm_slice_cstr(e->domain), mm_slice_cstr(e->path)};
	bool has_dom = e->domain[0] != '\0';
	struct mm_corr_list lists[2] = {
		{.name = "sources", .field = "source.ip", .v = srcs, .n = ns, .total = ns},
		{.name = "compromised_accounts", .field = "user.name", .v = comp, .n = nc,
		 .total = nc},
	};
	if (!e->names_seen) /* no account names: the sources that got in, apart */
		lists[1] = (struct mm_corr_list){.name = "succeeded_after_failures",
		                                 .field = "source.ip",
		                                 .v = okd,
		                                 .n = nok,
		                                 .total = nok};
	res.rule = &g_rules[0];
	res.group_names = has_dom ? g_group_dp : g_group_dp + 1;
	res.group_vals = has_dom ? gv : gv + 1;
	res.ngroup = has_dom ? 2 : 1;
	res.timespan_ns = a->o.window_ns;
	res.first_ts = first;
	res.last_ts = last;
	res.count = count;
	if (e->names_seen) {
		res.field = "user.name";
		res.has_distinct = true;
		res.distinct = naccounts ? naccounts : na;
		res.values = accts;
		res.nvalues = na;
	}
	res.refs = refs;
	res.nrefs = nrefs;
	res.refs_total = count;
	res.rules = NULL;
	res.nrules = 0;
	res.lists = lists;
	res.nlists = e->names_seen || nok ? 2 : 1;
	res.has_outcomes = true;
	res.failures = nfail;
	res.successes = nsucc;
	a->st.fired++;
	cb(ud, &res, ev);
	/* Reported sources are not listed again while the window holds them: the
	 * campaign's next alert is a batch of new sources (like a Sigma
	 * correlation whose window is consumed by a result, but without losing a
	 * source whose attempts straddle two alerts). They stay flagged for one
	 * window after the alert, so a later success from one of them is
	 * reported as a likely takeover. */
	for (size_t i = 0; i < ns; i++) {
		struct sstat *st = &e->ss[src_ids[i]];
		st->reported = true;
		st->sel = 0;
		if (st->cand && e->nnew)
			e->nnew--;
		/* only a source seen failing on named accounts: without names, a
		 * user caught between a typo and the right password looks the same */
		if (st->noacct < st->fails)
			flag_put(a, e, e->src.v[src_ids[i]].h, last + a->o.window_ns, last);
	}
	e->campaign_until = last + a->o.window_ns;
	free(srcs);
	free(okd);
	free(accts);
	free(comp);
	free(src_ids);
	return 1;
}

static const char *const g_group_su[] = {"source.ip", "user.name"};

static size_t follow_up(struct mm_analyzers *a, const struct mm_event *ev, struct mm_slice src,
                        struct mm_slice user, mm_corr_fn cb, void *ud)
{
	struct mm_corr_result res;
	memset(&res, 0, sizeof(res));
	struct mm_slice gv[2] = {src, user};
	struct mm_evref ref = {.file = ev->src_path ? ev->src_path : "-",
	                       .offset = ev->offset,
	                       .line = ev->line_no,
	                       .ts = ev->ts,
	                       .rule_id = g_rules[1].id};
	res.rule = &g_rules[1];
	res.group_names = g_group_su;
	res.group_vals = gv;
	res.ngroup = user.p ? 2 : 1;
	res.timespan_ns = a->o.window_ns;
	res.first_ts = res.last_ts = ev->ts;
	res.count = 1;
	res.refs = &ref;
	res.nrefs = 1;
	res.refs_total = 1;
	res.has_outcomes = true;
	res.successes = 1;
	a->st.follow_ups++;
	cb(ud, &res, ev);
	return 1;
}

/* ---- without account names (access logs) --------------------------------- */

static int64_t nn_gap(const struct mm_analyzers *a)
{
	int64_t g = GAP_MULT * (a->o.window_ns / a->o.min_sources);
	return g < a->o.window_ns / 4 ? g : a->o.window_ns / 4;
}

static int64_t nn_settle(const struct mm_analyzers *a)
{
	return SETTLE < a->o.window_ns / 4 ? SETTLE : a->o.window_ns / 4;
}

/* The gap that continues an open campaign: RATE_MULT of its mean gap so far
 * (a Poisson arrival waits that long with probability e^-10), between
 * GAP_FLOOR and nn_gap(). */
static int64_t nn_open_gap(const struct mm_analyzers *a, const struct endpoint *e)
{
	int64_t g = nn_gap(a);
	if (e->nn_chained < 2)
		return g;
	int64_t r = RATE_MULT * ((e->nn_chain_last - e->nn_onset) / (e->nn_chained - 1));
	if (r < GAP_FLOOR)
		r = GAP_FLOOR;
	return r < g ? r : g;
}

static const struct endpoint *g_sort_ep; /* qsort has no context argument */

static int cmp_first(const void *x, const void *y)
{
	int64_t p = g_sort_ep->ss[*(const uint32_t *)x].first_ts;
	int64_t q = g_sort_ep->ss[*(const uint32_t *)y].first_ts;
	return p < q ? -1 : p > q;
}

static void nn_due(struct endpoint *e, int64_t t)
{
	if (e->nn_next == MM_TS_NONE || t < e->nn_next)
		e->nn_next = t;
}

/* Report the selected sources (sel set) with the newest of their attempts
 * as the alert's evidence position (the event that triggered the check may
 * be anyone's login). */
static size_t nn_fire(struct mm_analyzers *a, struct endpoint *e, mm_corr_fn cb, void *ud)
{
	struct mm_event ev;
	mm_event_clear(&ev);
	ev.raw = MM_SLICE_LIT("");
	ev.msg = ev.raw;
	for (uint32_t i = e->rn; i-- > 0;) {
		const struct ent *en = ring_at(e, i);
		if (e->ss[en->src].sel == 1) {
			ev.ts = en->ts;
			ev.src_path = en->file < a->nfiles ? a->files[en->file] : "-";
			ev.offset = en->off;
			ev.line_no = en->line;
			break;
		}
	}
	return fire(a, e, &ev, 0, true, cb, ud);
}

/* The settled no-names candidates, chained into a campaign by their first
 * attempts (CREDSTUFF.md "Without account names"). A candidate is settled
 * once it has been quiet for nn_settle() (or at the end of the input: final).
 * No campaign open: the settled candidates chained back from the newest with
 * gaps of at most nn_gap() must number min_sources; those before the gap are
 * background and never listed. Campaign open: the settled candidates that
 * continue the chain are listed per min_sources, and when the chain cannot be
 * continued any more (no new first attempt within the gap, and every source
 * inside it settled) the campaign closes with a last batch. Each batch also
 * lists, apart, the settled sources first seen inside the campaign's span
 * that failed at least spread_accounts times and then got in. */
static size_t nn_check(struct mm_analyzers *a, struct endpoint *e, bool final, mm_corr_fn cb,
                       void *ud)
{
	int64_t now = e->newest, settle = nn_settle(a), gap = nn_gap(a);
	int64_t pending = MM_TS_NONE; /* earliest first attempt of an unsettled candidate */
	e->nn_next = MM_TS_NONE;
	uint32_t *ids = mm_malloc(((size_t)e->src.n + 1) * sizeof(*ids));
	uint32_t n = 0;
	for (uint32_t i = 0; i < e->src.n; i++) {
		struct sstat *st = &e->ss[i];
		st->sel = 0;
		if (!st->cand || st->reported)
			continue;
		if (!final && st->last_ts + settle > now) {
			nn_due(e, st->last_ts + settle);
			if (pending == MM_TS_NONE || st->first_ts < pending)
				pending = st->first_ts;
			continue;
		}
		ids[n++] = i;
	}
	g_sort_ep = e;
	qsort(ids, n, sizeof(*ids), cmp_first);
	size_t calls = 0, from = 0, m = 0;
	bool close = final;
	if (!e->nn_open) {
		if (n < a->o.min_sources)
			goto out;
		size_t k = n - 1;
		while (k > 0 && e->ss[ids[k]].first_ts - e->ss[ids[k - 1]].first_ts <= gap)
			k--;
		if (n - k < a->o.min_sources)
			goto out;
		/* the campaign's own rate, then the onset by it */
		e->nn_onset = e->ss[ids[k]].first_ts;
		e->nn_chain_last = e->ss[ids[n - 1]].first_ts;
		e->nn_chained = (uint32_t)(n - k);
		int64_t og = nn_open_gap(a, e);
		size_t k2 = n - 1;
		while (k2 > k && e->ss[ids[k2]].first_ts - e->ss[ids[k2 - 1]].first_ts <= og)
			k2--;
		/* Sources chained only by the slack of nn_gap() (a user who failed a
		 * few minutes before the first bot) are not the campaign: when the
		 * chain by the campaign's own rate is still short of min_sources,
		 * wait for more of it rather than open with them. At the end of the
		 * input nothing more comes, and the looser chain stands. */
		if (n - k2 >= a->o.min_sources)
			k = k2;
		else if (!final && k2 > k)
			goto out;
		for (size_t i = 0; i < k; i++) { /* before the onset: background */
			e->ss[ids[i]].reported = true;
			e->nnew--;
		}
		e->nn_open = true;
		e->nn_onset = e->ss[ids[k]].first_ts;
		e->nn_chain_last = e->nn_onset;
		e->nn_chained = 0;
		from = k;
	}
	int64_t was_last = e->nn_chain_last;
	uint32_t was_chained = e->nn_chained;
	for (; from < n && e->ss[ids[from]].first_ts <= e->nn_chain_last + nn_open_gap(a, e);
	     from++, m++) {
		e->ss[ids[from]].sel = 1;
		if (e->ss[ids[from]].first_ts > e->nn_chain_last)
			e->nn_chain_last = e->ss[ids[from]].first_ts;
		e->nn_chained++;
	}
	gap = nn_open_gap(a, e);
	/* The chain broke (a settled source too far after it), or nothing can
	 * continue it any more: no unsettled candidate began within the gap (a
	 * bot still at work began in time, it only has not settled yet). */
	if (from < n || (now > e->nn_chain_last + gap + settle &&
	                 (pending == MM_TS_NONE || pending > e->nn_chain_last + gap)))
		close = true;
	if (m >= a->o.min_sources || (close && m)) {
		for (uint32_t i = 0; i < e->src.n; i++) {
			struct sstat *st = &e->ss[i];
			if (st->sel || st->reported || st->cand || !st->succs || st->noacct != st->fails ||
			    st->fails < a->o.spread_accounts ||
			    (double)st->fails < a->o.min_source_ratio * (double)(st->fails + st->succs) ||
			    st->first_ts < e->nn_onset || st->first_ts > e->nn_chain_last ||
			    (!final && st->last_ts + settle > now))
				continue;
			st->sel = 2;
		}
		calls += nn_fire(a, e, cb, ud);
	} else {
		for (uint32_t i = 0; i < n; i++)
			e->ss[ids[i]].sel = 0; /* the chain waits for more */
		e->nn_chain_last = was_last;
		e->nn_chained = was_chained;
		gap = nn_open_gap(a, e);
	}
	if (close) {
		e->nn_open = false;
		if (from < n)
			nn_due(e, now); /* what broke the chain may start the next campaign */
	} else {
		nn_due(e, e->nn_chain_last + gap + settle + 1);
	}
out:
	free(ids);
	return calls;
}

size_t mm_analyzers_flush(struct mm_analyzers *a, mm_corr_fn cb, void *ud)
{
	size_t calls = 0;
	for (size_t i = 0; i < a->nep; i++) {
		struct endpoint *e = a->ep[i];
		if (!e->names_seen) {
			/* end of input: every source has settled */
			calls += nn_check(a, e, true, cb, ud);
			if (e->nn_next != MM_TS_NONE) /* a chain broke: the rest may be a campaign */
				calls += nn_check(a, e, true, cb, ud);
			continue;
		}
		if (e->campaign_until == MM_TS_NONE || !e->nnew || !e->rn)
			continue;
		/* the last batch of a reported campaign, so that every source that
		 * passed the test is listed even when fewer than min_sources remain */
		struct mm_event ev;
		mm_event_clear(&ev);
		ev.ts = e->last_ts;
		ev.src_path = e->last_file < a->nfiles ? a->files[e->last_file] : "-";
		ev.offset = e->last_off;
		ev.line_no = e->last_line;
		ev.raw = MM_SLICE_LIT("");
		ev.msg = ev.raw;
		calls += fire(a, e, &ev, 0, false, cb, ud);
	}
	return calls;
}

size_t mm_analyzers_observe(struct mm_analyzers *a, const struct mm_event *ev, mm_corr_fn cb,
                            void *ud)
{
	if (a->o.disabled || ev->ts == MM_TS_NONE)
		return 0;
	/* login attempts against an endpoint: an authentication event with an
	 * outcome and a URL path (app auth logs, or access-log login requests
	 * classified by the engine's login enrichment) */
	struct mm_slice path = ev->f[MM_F_URL_PATH];
	struct mm_slice oc = ev->f[MM_F_EVENT_OUTCOME];
	if (!path.p || !oc.p ||
	    (!mm_slice_eq_cstr(ev->f[MM_F_EVENT_CATEGORY], "authentication") &&
	     !(ev->category && !strcmp(ev->category, "authentication"))))
		return 0;
	bool fail;
	if (mm_slice_eq_cstr(oc, "failure"))
		fail = true;
	else if (mm_slice_eq_cstr(oc, "success"))
		fail = false;
	else
		return 0;
	struct mm_slice src = ev->f[MM_F_SOURCE_IP];
	if (!src.p)
		src = ev->f[MM_F_SOURCE_ADDRESS];
	if (!src.p || !src.n)
		return 0;
	struct mm_slice user = ev->f[MM_F_USER_NAME];
	if (user.p && !user.n)
		user = MM_SLICE_NULL;
	struct mm_slice dom = ev->f[MM_F_URL_DOMAIN];
	if (!dom.p)
		dom = ev->f[MM_F_HOST_HOSTNAME];
	struct endpoint *e = endpoint_of(a, dom, path);
	if (!e)
		return 0;
	a->st.inputs++;
	if (e->newest != MM_TS_NONE && ev->ts < e->newest - a->o.window_ns) {
		a->st.late++;
		return 0;
	}
	if (e->newest == MM_TS_NONE || ev->ts > e->newest)
		e->newest = ev->ts;
	size_t calls = 0;
	uint64_t sh = mm_hash64(src.p, src.n > VAL_MAX ? VAL_MAX : src.n, 0x5eedc0de);
	if (!fail && flag_has(e, sh, ev->ts))
		calls += follow_up(a, ev, src, user, cb, ud);
	expire(a, e, e->newest - a->o.window_ns);
	struct ent en = {.ts = ev->ts,
	                 .off = ev->offset,
	                 .line = ev->line_no,
	                 .fail = fail,
	                 .file = file_index(a, ev->src_path),
	                 .acct = NONE};
	if ((e->src.n >= 1024 && e->src.n > 2 * e->src.live) ||
	    (e->acct.n >= 1024 && e->acct.n > 2 * e->acct.live))
		compact(a, e);
	en.src = intern(a, &e->src, src, true, &e->ss);
	if (en.src == NONE)
		return calls;
	if (user.p) {
		en.acct = intern(a, &e->acct, user, false, NULL);
		if (en.acct == NONE)
			return calls;
		e->names_seen = true;
	}
	if (!ring_push(a, e, &en))
		return calls;
	apply(a, e, &en, +1);
	e->last_file = en.file;
	e->last_off = en.off;
	e->last_line = en.line;
	e->last_ts = en.ts;
	if (!e->names_seen) {
		/* no account names: sources are judged when settled (nn_check) */
		if (fail && e->ss[en.src].cand && !e->ss[en.src].reported)
			nn_due(e, en.ts + nn_settle(a));
		if (e->nn_next != MM_TS_NONE && e->newest >= e->nn_next)
			calls += nn_check(a, e, false, cb, ud);
		return calls;
	}
	if (!fail || !e->ss[en.src].cand || e->ss[en.src].reported)
		return calls;
	if (e->campaign_until != MM_TS_NONE && ev->ts <= e->campaign_until) {
		/* a reported campaign goes on: a batch per min_sources new sources */
		if (e->nnew < a->o.min_sources)
			return calls;
		return calls + fire(a, e, ev, 0, false, cb, ud);
	}
	e->since_scan++;
	if (e->nnew < a->o.min_sources ||
	    (double)e->cfail < a->o.min_failure_ratio * (double)(e->cfail + e->csucc))
		return calls;
	if (e->ncand == e->scan_ncand && e->since_scan < RESCAN_EVERY)
		return calls;
	e->scan_ncand = e->ncand;
	e->since_scan = 0;
	uint32_t na = e->names_seen ? count_accounts(e) : 0;
	if (e->names_seen && na < a->o.min_accounts)
		return calls;
	return calls + fire(a, e, ev, na, false, cb, ud);
}
