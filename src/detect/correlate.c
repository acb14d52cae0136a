/* mamori — the correlation runtime: Sigma correlation rules (compiled by
 * corr_compile.c) over EVENT time. This module owns all keyed state (DESIGN
 * §8, lifetime 3): per correlation rule a hash table of groups (one per
 * group-by value tuple), each with a sorted window of recent contributing
 * events (bounded; beyond the bound the oldest fold into one aggregate), an
 * exact distinct-value set that becomes HyperLogLog sub-window sketches past
 * a threshold, and per-rule slots for temporal correlations. Groups are
 * evicted when event time passes their window, and one global byte cap
 * (--state-mem) bounds everything; each forced degradation is counted and
 * announced once per rule as a `state overflow` result. Semantics and
 * bounds: docs/internals/CORRELATE.md. Position: detect → correlate → alert. */
#include "detect_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NREF_EDGE 5     /* evidence: the first and last 5 contributing events */
#define NVALUES 1024    /* distinct values kept per group and result (the alert JSON
                           lists MM_ALERT_LIST_MAX, the store keeps all) */
#define VAL_MAX 256     /* bytes of a listed value */
#define DSET_EXACT 1024 /* distinct values per group kept exactly, then HyperLogLog */
#define NSUB 4          /* HyperLogLog sub-windows per timespan */
#define KEY_VAL_MAX 1024 /* bytes of one group-by value in the key */
#define KEY_MAX (16 * 1024)
#define MAX_FILES 65535u
#define SWEEP_EVERY 4096u

struct ent {
	int64_t ts;
	double v;    /* value_* types */
	uint64_t vh; /* value hash (value_count, value_percentile) */
	uint64_t off, line;
	uint32_t file;
	uint32_t ref; /* position in rules: */
	uint32_t fail, succ; /* event.outcome failure / success (a chained input:
	                        the inner result's counts) */
};

struct dent {
	uint64_t h; /* 0 = empty */
	int64_t ts; /* last seen */
};

struct sample {
	uint64_t h;
	int64_t ts;
	char *s;
	size_t n;
};

struct hsub {
	int64_t epoch; /* sub-window number; INT64_MIN = unused */
	uint8_t reg[MM_HLL_M];
};

/* The evidence lists of a group: distinct user.name ("accounts") and
 * source.ip ("sources") of its inputs in the window. Exact up to NVALUES
 * values; past that the kept values stay listed and the total comes from
 * HyperLogLog sub-window sketches (flagged approximate). */
enum { VL_ACCOUNTS, VL_SOURCES, NVL };
struct vlist {
	struct sample *smp;
	uint32_t n, cap;
	int64_t oldest;    /* oldest kept value's time; INT64_MAX when empty */
	struct hsub *subs; /* NSUB + 1 once more than NVALUES were seen */
};
static const char *const g_vl_name[NVL] = {"accounts", "sources"};
static const char *const g_vl_field[NVL] = {"user.name", "source.ip"};

struct group {
	uint64_t hash;
	struct group *next;                /* hash chain */
	struct group *lru_prev, *lru_next; /* head = most recently fed */
	int64_t newest;
	char *key;
	size_t keyn;
	size_t bytes;
	bool approx;
	/* window (sorted by ts): ring[rstart, rend) */
	struct ent *ring;
	uint32_t rcap, rstart, rend;
	double sum;
	uint64_t carry_n; /* folded entries (the window cap was reached) */
	double carry_sum, carry_min, carry_max;
	int64_t carry_first, carry_ts;
	/* distinct values */
	struct dent *dt;
	uint32_t dcap, dn;
	int64_t doldest;
	struct hsub *subs; /* NSUB + 1 when sketching */
	struct sample *smp;
	uint32_t nsmp;
	/* temporal: per position the last event; ordered: chain start */
	struct ent *tl;
	int64_t *cstart;
	/* evidence: accounts and sources, outcomes of the window's entries */
	struct vlist vl[NVL];
	uint64_t nfail, nsucc;         /* entries in ring[rstart, rend) */
	uint64_t carry_fail, carry_succ; /* folded entries */
};

struct crun {
	const struct srule *r;
	const struct corr *c;
	struct group **bk;
	size_t nbk, ngroups;
	struct group *head, *tail;
	struct mm_corr_stats st;
	const char *overflow_pending;
	bool overflow_sent;
};

struct mm_correlator {
	const struct mm_ruleset *rs;
	struct mm_corr_opts o;
	struct crun *runs;
	size_t nruns;
	char **files;
	size_t nfiles, capfiles;
	const char *last_src;
	uint32_t last_file;
	int64_t wm; /* newest event time of the current source */
	uint64_t observed;
	size_t bytes, bytes_peak;
	struct group *pinned; /* being updated: never evicted by the cap */
	char keybuf[KEY_MAX];
};

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* ---- memory accounting -------------------------------------------------- */

static void acct(struct mm_correlator *c, struct crun *run, struct group *g, long long d)
{
	c->bytes = (size_t)((long long)c->bytes + d);
	run->st.state_bytes = (uint64_t)((long long)run->st.state_bytes + d);
	if (g)
		g->bytes = (size_t)((long long)g->bytes + d);
	if (c->bytes > c->bytes_peak)
		c->bytes_peak = c->bytes;
	if (run->st.state_bytes > run->st.state_bytes_peak)
		run->st.state_bytes_peak = run->st.state_bytes;
}

static void lru_unlink(struct crun *run, struct group *g)
{
	if (g->lru_prev)
		g->lru_prev->lru_next = g->lru_next;
	else
		run->head = g->lru_next;
	if (g->lru_next)
		g->lru_next->lru_prev = g->lru_prev;
	else
		run->tail = g->lru_prev;
	g->lru_prev = g->lru_next = NULL;
}

static void lru_front(struct crun *run, struct group *g)
{
	if (run->head == g)
		return;
	if (g->lru_prev || g->lru_next || run->tail == g)
		lru_unlink(run, g);
	g->lru_next = run->head;
	if (run->head)
		run->head->lru_prev = g;
	run->head = g;
	if (!run->tail)
		run->tail = g;
}

static void hash_unlink(struct crun *run, struct group *g)
{
	struct group **pp = &run->bk[g->hash & (run->nbk - 1)];
	while (*pp && *pp != g)
		pp = &(*pp)->next;
	if (*pp)
		*pp = g->next;
	g->next = NULL;
}

/* Detach from table and LRU (memory still counted). */
static void group_detach(struct crun *run, struct group *g)
{
	hash_unlink(run, g);
	lru_unlink(run, g);
	run->ngroups--;
	run->st.groups = run->ngroups;
}

static void group_release(struct mm_correlator *c, struct crun *run, struct group *g)
{
	for (uint32_t i = 0; i < g->nsmp; i++)
		free(g->smp[i].s);
	free(g->smp);
	free(g->ring);
	free(g->dt);
	free(g->subs);
	free(g->tl);
	free(g->cstart);
	for (int l = 0; l < NVL; l++) {
		for (uint32_t i = 0; i < g->vl[l].n; i++)
			free(g->vl[l].smp[i].s);
		free(g->vl[l].smp);
		free(g->vl[l].subs);
	}
	free(g->key);
	acct(c, run, NULL, -(long long)g->bytes);
	free(g);
}

static void group_drop(struct mm_correlator *c, struct crun *run, struct group *g)
{
	group_detach(run, g);
	group_release(c, run, g);
}

static void note_overflow(struct crun *run, const char *why)
{
	run->st.cap_hits++;
	if (!run->overflow_sent && !run->overflow_pending)
		run->overflow_pending = why;
}

/* Groups whose newest event is older than the source watermark minus the
 * timespan and the lateness can never contribute again: drop them. */
static void sweep_run(struct mm_correlator *c, struct crun *run)
{
	if (c->wm == MM_TS_NONE)
		return;
	int64_t horizon = c->wm - run->c->timespan_ns - c->o.lateness_ns;
	while (run->tail && run->tail != c->pinned && run->tail->newest < horizon) {
		run->st.evictions++;
		group_drop(c, run, run->tail);
	}
}

/* Make room for `need` more bytes: expired groups first, then (forced, and
 * announced) the least recently fed group of this rule, then of the rule
 * holding the most state. False when nothing can be freed. */
static bool reserve(struct mm_correlator *c, struct crun *run, size_t need)
{
	if (c->bytes + need <= c->o.state_mem)
		return true;
	for (size_t i = 0; i < c->nruns; i++)
		sweep_run(c, &c->runs[i]);
	while (c->bytes + need > c->o.state_mem) {
		struct crun *victim = NULL;
		if (run->tail && run->tail != c->pinned)
			victim = run;
		else
			for (size_t i = 0; i < c->nruns; i++) {
				struct crun *r = &c->runs[i];
				if (r->tail && r->tail != c->pinned &&
				    (!victim || r->st.state_bytes > victim->st.state_bytes))
					victim = r;
			}
		if (!victim) {
			note_overflow(run, "--state-mem reached: an update was refused");
			return false;
		}
		note_overflow(victim, "--state-mem reached: live groups were evicted");
		victim->st.evictions++;
		group_drop(c, victim, victim->tail);
	}
	return true;
}

/* ---- groups ------------------------------------------------------------- */

static struct group *group_get(struct mm_correlator *c, struct crun *run, const char *key,
                               size_t keyn)
{
	uint64_t h = mm_hash64(key, keyn, 0x636f7272ull);
	if (run->nbk) {
		for (struct group *g = run->bk[h & (run->nbk - 1)]; g; g = g->next)
			if (g->hash == h && g->keyn == keyn && memcmp(g->key, key, keyn) == 0)
				return g;
	}
	size_t need = sizeof(struct group) + keyn;
	if (!reserve(c, run, need))
		return NULL;
	if (run->ngroups + 1 > run->nbk) {
		/* grow the table (its bytes are state too) */
		size_t nb = run->nbk ? run->nbk * 2 : 64;
		if (!reserve(c, run, (nb - run->nbk) * sizeof(*run->bk)))
			return NULL;
		struct group **bk = mm_calloc(nb, sizeof(*bk));
		for (size_t i = 0; i < run->nbk; i++)
			for (struct group *g = run->bk[i], *nx; g; g = nx) {
				nx = g->next;
				g->next = bk[g->hash & (nb - 1)];
				bk[g->hash & (nb - 1)] = g;
			}
		free(run->bk);
		acct(c, run, NULL, (long long)((nb - run->nbk) * sizeof(*bk)));
		run->bk = bk;
		run->nbk = nb;
	}
	struct group *g = mm_calloc(1, sizeof(*g));
	g->hash = h;
	g->key = mm_malloc(keyn + 1);
	memcpy(g->key, key, keyn);
	g->keyn = keyn;
	g->newest = MM_TS_NONE;
	g->doldest = INT64_MAX;
	for (int l = 0; l < NVL; l++)
		g->vl[l].oldest = INT64_MAX;
	acct(c, run, g, (long long)need);
	g->next = run->bk[h & (run->nbk - 1)];
	run->bk[h & (run->nbk - 1)] = g;
	run->ngroups++;
	run->st.groups = run->ngroups;
	if (run->ngroups > run->st.groups_peak)
		run->st.groups_peak = run->ngroups;
	return g;
}

/* ---- the window --------------------------------------------------------- */

static void fold_oldest(struct group *g)
{
	struct ent *e = &g->ring[g->rstart++];
	g->sum -= e->v;
	g->nfail -= e->fail;
	g->nsucc -= e->succ;
	g->carry_fail += e->fail;
	g->carry_succ += e->succ;
	if (!g->carry_n) {
		g->carry_min = g->carry_max = e->v;
		g->carry_first = e->ts;
		g->carry_ts = e->ts;
	}
	g->carry_n++;
	g->carry_sum += e->v;
	if (e->v < g->carry_min)
		g->carry_min = e->v;
	if (e->v > g->carry_max)
		g->carry_max = e->v;
	if (e->ts > g->carry_ts)
		g->carry_ts = e->ts;
	g->approx = true;
}

static void ring_insert(struct mm_correlator *c, struct crun *run, struct group *g,
                        const struct ent *e)
{
	uint32_t n = g->rend - g->rstart;
	if (n >= run->c->ring_cap) {
		/* the designed bound (CORRELATE.md "Bounds"): not an overflow */
		fold_oldest(g);
		run->st.folded++;
		n--;
	}
	if (g->rend == g->rcap && g->rstart > 0) {
		memmove(g->ring, g->ring + g->rstart, n * sizeof(*g->ring));
		g->rstart = 0;
		g->rend = n;
	}
	if (g->rend == g->rcap) {
		uint32_t nc = g->rcap ? g->rcap * 2 : 8;
		if (nc > run->c->ring_cap)
			nc = (uint32_t)run->c->ring_cap;
		if (nc <= g->rcap || !reserve(c, run, (nc - g->rcap) * sizeof(*g->ring))) {
			fold_oldest(g);
			note_overflow(run, "--state-mem reached: older events were folded into one "
			                   "aggregate");
			memmove(g->ring, g->ring + g->rstart, (n - 1) * sizeof(*g->ring));
			g->rstart = 0;
			g->rend = n - 1;
		} else {
			g->ring = mm_realloc(g->ring, nc * sizeof(*g->ring));
			acct(c, run, g, (long long)((nc - g->rcap) * sizeof(*g->ring)));
			g->rcap = nc;
		}
	}
	/* sorted insert: out-of-order events (within the lateness) land in place */
	uint32_t p = g->rend;
	while (p > g->rstart && g->ring[p - 1].ts > e->ts)
		p--;
	memmove(g->ring + p + 1, g->ring + p, (g->rend - p) * sizeof(*g->ring));
	g->ring[p] = *e;
	g->rend++;
	g->sum += e->v;
	g->nfail += e->fail;
	g->nsucc += e->succ;
}

static void ring_expire(struct group *g, int64_t lo)
{
	while (g->rstart < g->rend && g->ring[g->rstart].ts < lo) {
		g->sum -= g->ring[g->rstart].v;
		g->nfail -= g->ring[g->rstart].fail;
		g->nsucc -= g->ring[g->rstart].succ;
		g->rstart++;
	}
	if (g->rstart == g->rend)
		g->sum = 0; /* no float drift across empty windows */
	if (g->carry_n && g->carry_ts < lo) {
		g->carry_n = 0;
		g->carry_sum = 0;
		g->carry_fail = g->carry_succ = 0;
	}
}

/* ---- distinct values ---------------------------------------------------- */

static int64_t epoch_of(int64_t ts, int64_t w)
{
	return ts >= 0 ? ts / w : -((-ts + w - 1) / w);
}

static void sub_add2(struct hsub *subs, int64_t w, uint64_t h, int64_t ts)
{
	int64_t ep = epoch_of(ts, w);
	struct hsub *s = &subs[(uint64_t)ep % (NSUB + 1)];
	if (s->epoch != ep) {
		if (s->epoch != INT64_MIN && s->epoch > ep)
			return; /* older than every kept sub-window */
		s->epoch = ep;
		memset(s->reg, 0, sizeof(s->reg));
	}
	mm__hll_add(s->reg, h);
}

static void sub_add(struct group *g, int64_t w, uint64_t h, int64_t ts)
{
	sub_add2(g->subs, w, h, ts);
}

static bool dset_put(struct dent *t, uint32_t cap, uint64_t h, int64_t ts)
{
	for (uint32_t i = (uint32_t)h & (cap - 1);; i = (i + 1) & (cap - 1)) {
		if (t[i].h == h) {
			if (ts > t[i].ts)
				t[i].ts = ts;
			return false;
		}
		if (!t[i].h) {
			t[i].h = h;
			t[i].ts = ts;
			return true;
		}
	}
}

static void dset_prune(struct mm_correlator *c, struct crun *run, struct group *g, int64_t lo)
{
	if (g->doldest >= lo)
		return;
	for (uint32_t i = 0; i < g->nsmp;) {
		if (g->smp[i].ts < lo) {
			/* sample_add counted the slot and the string */
			acct(c, run, g, -(long long)(sizeof(struct sample) + g->smp[i].n + 1));
			free(g->smp[i].s);
			memmove(g->smp + i, g->smp + i + 1, (g->nsmp - i - 1) * sizeof(*g->smp));
			g->nsmp--;
		} else {
			i++;
		}
	}
	if (!g->dt) {
		g->doldest = INT64_MAX;
		for (uint32_t i = 0; i < g->nsmp; i++)
			if (g->smp[i].ts < g->doldest)
				g->doldest = g->smp[i].ts;
		return;
	}
	/* rebuild without the expired (open addressing has no cheap delete) */
	struct dent *old = mm_malloc(g->dcap * sizeof(*old));
	memcpy(old, g->dt, g->dcap * sizeof(*old));
	memset(g->dt, 0, g->dcap * sizeof(*g->dt));
	g->dn = 0;
	g->doldest = INT64_MAX;
	for (uint32_t i = 0; i < g->dcap; i++)
		if (old[i].h && old[i].ts >= lo) {
			dset_put(g->dt, g->dcap, old[i].h, old[i].ts);
			g->dn++;
			if (old[i].ts < g->doldest)
				g->doldest = old[i].ts;
		}
	free(old);
}

static void sample_add(struct mm_correlator *c, struct crun *run, struct group *g, uint64_t h,
                       int64_t ts, struct mm_slice v)
{
	for (uint32_t i = 0; i < g->nsmp; i++)
		if (g->smp[i].h == h) {
			if (ts > g->smp[i].ts)
				g->smp[i].ts = ts;
			return;
		}
	if (g->nsmp == NVALUES)
		return;
	size_t n = v.n > VAL_MAX ? VAL_MAX : v.n;
	if (!reserve(c, run, sizeof(struct sample) + n + 1))
		return;
	g->smp = mm_realloc(g->smp, (g->nsmp + 1) * sizeof(*g->smp));
	struct sample *s = &g->smp[g->nsmp++];
	s->h = h;
	s->ts = ts;
	s->s = mm_strndup(v.p, n);
	s->n = n;
	acct(c, run, g, (long long)(sizeof(struct sample) + n + 1));
	if (ts < g->doldest)
		g->doldest = ts;
}

static void to_sketch(struct mm_correlator *c, struct crun *run, struct group *g)
{
	size_t need = (NSUB + 1) * sizeof(struct hsub);
	if (!reserve(c, run, need))
		return;
	int64_t w = run->c->timespan_ns / NSUB;
	if (w < 1)
		w = 1;
	g->subs = mm_malloc(need);
	for (int i = 0; i <= NSUB; i++) {
		g->subs[i].epoch = INT64_MIN;
		memset(g->subs[i].reg, 0, sizeof(g->subs[i].reg));
	}
	acct(c, run, g, (long long)need);
	/* a value whose sub-window slot already holds a newer epoch is older
	 * than the whole kept range: dropping it is right in any order */
	for (uint32_t i = 0; i < g->dcap; i++)
		if (g->dt[i].h)
			sub_add(g, w, g->dt[i].h, g->dt[i].ts);
	free(g->dt);
	acct(c, run, g, -(long long)(g->dcap * sizeof(*g->dt)));
	g->dt = NULL;
	g->dcap = g->dn = 0;
	g->approx = true;
	run->st.sketches++;
}

static void dset_add(struct mm_correlator *c, struct crun *run, struct group *g, uint64_t h,
                     int64_t ts, struct mm_slice v, int64_t lo)
{
	int64_t w = run->c->timespan_ns / NSUB;
	if (w < 1)
		w = 1;
	if (g->subs) {
		sub_add(g, w, h, ts);
		sample_add(c, run, g, h, ts, v);
		return;
	}
	if ((g->dn + 1) * 2 > g->dcap) {
		if (g->dn + 1 > DSET_EXACT)
			dset_prune(c, run, g, lo);
		if (g->dn + 1 > DSET_EXACT) {
			to_sketch(c, run, g);
			if (g->subs) {
				sub_add(g, w, h, ts);
				sample_add(c, run, g, h, ts, v);
			}
			return;
		}
	}
	if ((g->dn + 1) * 2 > g->dcap) {
		uint32_t nc = g->dcap ? g->dcap * 2 : 16;
		if (!reserve(c, run, (nc - g->dcap) * sizeof(*g->dt)))
			return;
		struct dent *nt = mm_calloc(nc, sizeof(*nt));
		for (uint32_t i = 0; i < g->dcap; i++)
			if (g->dt[i].h)
				dset_put(nt, nc, g->dt[i].h, g->dt[i].ts);
		free(g->dt);
		acct(c, run, g, (long long)((nc - g->dcap) * sizeof(*nt)));
		g->dt = nt;
		g->dcap = nc;
	}
	if (dset_put(g->dt, g->dcap, h, ts)) {
		g->dn++;
		sample_add(c, run, g, h, ts, v);
	} else {
		sample_add(c, run, g, h, ts, v); /* refresh its time if listed */
	}
	if (ts < g->doldest)
		g->doldest = ts;
}

static uint64_t dset_count(struct crun *run, struct group *g, int64_t lo, int64_t hi)
{
	if (!g->subs)
		return g->dn;
	int64_t w = run->c->timespan_ns / NSUB;
	if (w < 1)
		w = 1;
	int64_t elo = epoch_of(lo, w), ehi = epoch_of(hi, w);
	uint8_t reg[MM_HLL_M];
	memset(reg, 0, sizeof(reg));
	for (int i = 0; i <= NSUB; i++)
		if (g->subs[i].epoch != INT64_MIN && g->subs[i].epoch >= elo && g->subs[i].epoch <= ehi)
			mm__hll_merge(reg, g->subs[i].reg);
	double e = mm__hll_estimate(reg);
	return (uint64_t)(e + 0.5);
}

/* ---- evidence lists: accounts and sources -------------------------------- */

static void vl_prune(struct mm_correlator *c, struct crun *run, struct group *g,
                     struct vlist *l, int64_t lo)
{
	if (l->oldest >= lo)
		return;
	uint32_t k = 0;
	l->oldest = INT64_MAX;
	for (uint32_t i = 0; i < l->n; i++) {
		if (l->smp[i].ts < lo) {
			acct(c, run, g, -(long long)(l->smp[i].n + 1));
			free(l->smp[i].s);
			continue;
		}
		if (l->smp[i].ts < l->oldest)
			l->oldest = l->smp[i].ts;
		l->smp[k++] = l->smp[i];
	}
	l->n = k;
}

/* Add value v seen at ts. Past NVALUES distinct values in the window the
 * total is counted by sketch; a value refused by --state-mem (counted by
 * reserve()) makes the result approximate. */
static void vl_add(struct mm_correlator *c, struct crun *run, struct group *g, struct vlist *l,
                   struct mm_slice v, int64_t ts)
{
	size_t vn = v.n > VAL_MAX ? VAL_MAX : v.n;
	uint64_t h = mm_hash64(v.p, vn, 0x6c697374ull) | 1;
	int64_t w = run->c->timespan_ns / NSUB;
	if (w < 1)
		w = 1;
	if (l->subs)
		sub_add2(l->subs, w, h, ts);
	for (uint32_t i = 0; i < l->n; i++)
		if (l->smp[i].h == h && l->smp[i].n == vn && memcmp(l->smp[i].s, v.p, vn) == 0) {
			if (ts > l->smp[i].ts)
				l->smp[i].ts = ts;
			return;
		}
	if (l->n == NVALUES) {
		if (l->subs)
			return;
		size_t need = (NSUB + 1) * sizeof(struct hsub);
		if (!reserve(c, run, need)) {
			g->approx = true;
			return;
		}
		l->subs = mm_malloc(need);
		for (int i = 0; i <= NSUB; i++) {
			l->subs[i].epoch = INT64_MIN;
			memset(l->subs[i].reg, 0, sizeof(l->subs[i].reg));
		}
		acct(c, run, g, (long long)need);
		run->st.sketches++;
		for (uint32_t i = 0; i < l->n; i++)
			sub_add2(l->subs, w, l->smp[i].h, l->smp[i].ts);
		sub_add2(l->subs, w, h, ts);
		g->approx = true;
		return;
	}
	if (l->n == l->cap) {
		uint32_t nc = l->cap ? l->cap * 2 : 4;
		if (nc > NVALUES)
			nc = NVALUES;
		if (!reserve(c, run, (nc - l->cap) * sizeof(*l->smp))) {
			g->approx = true;
			return;
		}
		l->smp = mm_realloc(l->smp, nc * sizeof(*l->smp));
		acct(c, run, g, (long long)((nc - l->cap) * sizeof(*l->smp)));
		l->cap = nc;
	}
	if (!reserve(c, run, vn + 1)) {
		g->approx = true;
		return;
	}
	struct sample *sm = &l->smp[l->n++];
	sm->h = h;
	sm->ts = ts;
	sm->s = mm_strndup(v.p, vn);
	sm->n = vn;
	acct(c, run, g, (long long)(vn + 1));
	if (ts < l->oldest)
		l->oldest = ts;
}

static uint64_t vl_total(const struct crun *run, const struct vlist *l, int64_t lo, int64_t hi)
{
	if (!l->subs)
		return l->n;
	int64_t w = run->c->timespan_ns / NSUB;
	if (w < 1)
		w = 1;
	int64_t elo = epoch_of(lo, w), ehi = epoch_of(hi, w);
	uint8_t reg[MM_HLL_M];
	memset(reg, 0, sizeof(reg));
	for (int i = 0; i <= NSUB; i++)
		if (l->subs[i].epoch != INT64_MIN && l->subs[i].epoch >= elo && l->subs[i].epoch <= ehi)
			mm__hll_merge(reg, l->subs[i].reg);
	uint64_t e = (uint64_t)(mm__hll_estimate(reg) + 0.5);
	return e > l->n ? e : l->n;
}

/* ---- conditions and results --------------------------------------------- */

static bool cond_ok(const struct corr_cond *k, double x)
{
	return (!k->has[CC_GT] || x > k->v[CC_GT]) && (!k->has[CC_GTE] || x >= k->v[CC_GTE]) &&
	       (!k->has[CC_LT] || x < k->v[CC_LT]) && (!k->has[CC_LTE] || x <= k->v[CC_LTE]) &&
	       (!k->has[CC_EQ] || x == k->v[CC_EQ]);
}

struct input {
	const struct mm_event *ev;
	int64_t ts;
	const struct mm_corr_result *inner; /* chain: the inner correlation's result */
};

static void feed(struct mm_correlator *c, size_t k, size_t j, const struct input *in,
                 mm_corr_fn cb, void *ud, size_t *calls);

static void decode_key(const struct group *g, struct mm_slice *vals, size_t n)
{
	size_t p = 0;
	for (size_t i = 0; i < n; i++) {
		size_t l = (size_t)(unsigned char)g->key[p] | (size_t)(unsigned char)g->key[p + 1] << 8;
		vals[i] = mm_slice(g->key + p + 2, l);
		p += 2 + l;
	}
}

static void add_ref(struct mm_correlator *c, const struct crun *run, const struct ent *e,
                    struct mm_evref *out)
{
	out->file = e->file < c->nfiles ? c->files[e->file] : "-";
	out->offset = e->off;
	out->line = e->line;
	out->ts = e->ts;
	out->rule_id = run->c->refs[e->ref].id;
}

static void fire(struct mm_correlator *c, size_t k, struct group *g, const struct input *in,
                 double value, uint64_t count, uint64_t distinct, mm_corr_fn cb, void *ud,
                 size_t *calls)
{
	struct crun *run = &c->runs[k];
	const struct corr *co = run->c;
	struct mm_slice gv[8];
	struct mm_slice vals[NVALUES];
	struct mm_slice lvals[NVL][NVALUES];
	struct mm_corr_list lists[NVL];
	struct mm_evref refs[2 * NREF_EDGE + 8];
	struct mm_corr_result res;
	memset(&res, 0, sizeof(res));
	decode_key(g, gv, co->ngroup);
	res.rule = &run->r->info;
	res.group_names = co->group;
	res.group_vals = gv;
	res.ngroup = co->ngroup;
	res.timespan_ns = co->timespan_ns;
	res.count = count;
	res.approx = g->approx;
	res.rules = co->ref_ids;
	res.nrules = co->nrefs;
	res.field = co->field;
	if (co->type == CT_TEMPORAL || co->type == CT_TEMPORAL_ORDERED) {
		res.first_ts = INT64_MAX;
		res.last_ts = INT64_MIN;
		for (size_t j = 0; j < co->nrefs; j++) {
			const struct ent *e = &g->tl[j];
			if (e->ts == MM_TS_NONE)
				continue;
			/* up to 64 rules can be listed: evidence keeps the first slots */
			if (res.nrefs < MM_ARRAY_LEN(refs))
				add_ref(c, run, e, &refs[res.nrefs++]);
			if (e->ts < res.first_ts)
				res.first_ts = e->ts;
			if (e->ts > res.last_ts)
				res.last_ts = e->ts;
		}
		res.refs_total = 0;
		for (size_t j = 0; j < co->nrefs; j++)
			if (g->tl[j].ts != MM_TS_NONE) {
				res.refs_total++;
				res.failures += g->tl[j].fail;
				res.successes += g->tl[j].succ;
			}
	} else {
		uint32_t n = g->rend - g->rstart;
		res.first_ts = g->carry_n ? g->carry_first : g->ring[g->rstart].ts;
		if (n && g->ring[g->rstart].ts < res.first_ts)
			res.first_ts = g->ring[g->rstart].ts;
		res.last_ts = n ? g->ring[g->rend - 1].ts : g->carry_ts;
		for (uint32_t i = 0; i < n; i++) {
			if (i == NREF_EDGE && n > 2 * NREF_EDGE)
				i = n - NREF_EDGE;
			add_ref(c, run, &g->ring[g->rstart + i], &refs[res.nrefs++]);
		}
		res.refs_total = count;
		res.failures = g->nfail + g->carry_fail;
		res.successes = g->nsucc + g->carry_succ;
	}
	res.refs = refs;
	res.has_outcomes = true;
	int64_t lo = g->newest - co->timespan_ns;
	for (int l = 0; l < NVL; l++) {
		const struct vlist *vl = &g->vl[l];
		for (uint32_t i = 0; i < vl->n; i++)
			lvals[l][i] = mm_slice(vl->smp[i].s, vl->smp[i].n);
		lists[l] = (struct mm_corr_list){.name = g_vl_name[l],
		                                 .field = g_vl_field[l],
		                                 .v = lvals[l],
		                                 .n = vl->n,
		                                 .total = vl_total(run, vl, lo, g->newest)};
	}
	res.lists = lists;
	res.nlists = NVL;
	if (co->type == CT_VALUE_COUNT) {
		res.has_distinct = true;
		res.distinct = distinct;
		for (uint32_t i = 0; i < g->nsmp && i < NVALUES; i++)
			vals[res.nvalues++] = mm_slice(g->smp[i].s, g->smp[i].n);
		res.values = vals;
	} else if (co->type >= CT_VALUE_SUM) {
		res.has_value = true;
		res.value = value;
	}
	run->st.fired++;
	/* the group's events are consumed by this result: the next result of the
	 * group needs a fresh window (CORRELATE.md "after a result") */
	group_detach(run, g);
	(*calls)++;
	cb(ud, &res, in->ev);
	const struct corr_feeds *f = &c->rs->feeds_corr[k];
	struct input chained = {in->ev, res.last_ts, &res};
	for (size_t i = 0; i < f->n; i++)
		feed(c, f->v[i].corr, f->v[i].ref, &chained, cb, ud, calls);
	group_release(c, run, g);
}

/* The value of input field `name`: a chained input reads the inner result's
 * group-by values first, then the event that completed it. */
static struct mm_slice input_get(const struct input *in, const char *name)
{
	if (in->inner)
		for (size_t i = 0; i < in->inner->ngroup; i++)
			if (!strcmp(in->inner->group_names[i], name))
				return in->inner->group_vals[i];
	return mm_event_get_named(in->ev, name, strlen(name));
}

static uint32_t file_index(struct mm_correlator *c, struct crun *run, const char *path)
{
	if (!path)
		path = "-";
	if (c->last_src == path && c->last_file < c->nfiles)
		return c->last_file;
	for (size_t i = c->nfiles; i-- > 0;)
		if (!strcmp(c->files[i], path)) {
			c->last_src = path;
			c->last_file = (uint32_t)i;
			return (uint32_t)i;
		}
	if (c->nfiles == MAX_FILES) {
		note_overflow(run, "more than 65535 input files: evidence file names dropped");
		return UINT32_MAX;
	}
	if (c->nfiles == c->capfiles) {
		c->capfiles = c->capfiles ? c->capfiles * 2 : 16;
		c->files = mm_realloc(c->files, c->capfiles * sizeof(*c->files));
	}
	c->files[c->nfiles] = mm_strdup(path);
	c->last_src = path;
	c->last_file = (uint32_t)c->nfiles;
	return (uint32_t)c->nfiles++;
}

/* The accounts and sources an input brings, and its outcome: a direct input
 * its event's user.name, source.ip and event.outcome (ECS); a chained input
 * the inner result's lists and counts (CORRELATE.md "The alert"). */
static void add_evidence(struct mm_correlator *c, struct crun *run, struct group *g,
                         const struct input *in, struct ent *e, int64_t lo)
{
	for (int l = 0; l < NVL; l++)
		vl_prune(c, run, g, &g->vl[l], lo);
	if (in->inner) {
		const struct mm_corr_result *r = in->inner;
		uint64_t f = r->failures, s = r->successes;
		e->fail = f > UINT32_MAX ? UINT32_MAX : (uint32_t)f;
		e->succ = s > UINT32_MAX ? UINT32_MAX : (uint32_t)s;
		if (r->approx)
			g->approx = true;
		for (size_t i = 0; i < r->nlists; i++)
			for (int l = 0; l < NVL; l++) {
				if (strcmp(r->lists[i].name, g_vl_name[l]) != 0)
					continue;
				if (r->lists[i].total > r->lists[i].n)
					g->approx = true; /* the inner result kept only some */
				for (size_t v = 0; v < r->lists[i].n; v++)
					vl_add(c, run, g, &g->vl[l], r->lists[i].v[v], in->ts);
			}
		return;
	}
	const struct mm_event *ev = in->ev;
	struct mm_slice oc = ev->f[MM_F_EVENT_OUTCOME];
	e->fail = mm_slice_eq_cstr(oc, "failure");
	e->succ = mm_slice_eq_cstr(oc, "success");
	if (ev->f[MM_F_USER_NAME].n)
		vl_add(c, run, g, &g->vl[VL_ACCOUNTS], ev->f[MM_F_USER_NAME], in->ts);
	if (ev->f[MM_F_SOURCE_IP].n)
		vl_add(c, run, g, &g->vl[VL_SOURCES], ev->f[MM_F_SOURCE_IP], in->ts);
}

static void feed(struct mm_correlator *c, size_t k, size_t j, const struct input *in,
                 mm_corr_fn cb, void *ud, size_t *calls)
{
	struct crun *run = &c->runs[k];
	const struct corr *co = run->c;
	const struct corr_ref *ref = &co->refs[j];
	run->st.inputs++;
	if (in->ts == MM_TS_NONE) {
		run->st.missing_field++;
		return;
	}
	if (!in->inner && c->wm != MM_TS_NONE && in->ts < c->wm - c->o.lateness_ns) {
		run->st.late++;
		return;
	}
	/* group key: each value as 2-byte length + bytes */
	size_t kn = 0;
	for (size_t gi = 0; gi < co->ngroup; gi++) {
		struct mm_slice v = input_get(in, ref->gfield[gi]);
		if (!v.p) {
			/* like a SIEM's group-by, an event without the field is in no group */
			run->st.missing_field++;
			return;
		}
		size_t l = v.n > KEY_VAL_MAX ? KEY_VAL_MAX : v.n;
		c->keybuf[kn] = (char)(l & 0xff);
		c->keybuf[kn + 1] = (char)(l >> 8);
		memcpy(c->keybuf + kn + 2, v.p, l);
		kn += 2 + l;
	}
	struct ent e;
	memset(&e, 0, sizeof(e));
	e.ts = in->ts;
	e.ref = (uint32_t)j;
	e.off = in->ev->offset;
	e.line = in->ev->line_no;
	struct mm_slice fv = MM_SLICE_NULL;
	if (co->field) {
		fv = input_get(in, ref->vfield);
		if (!fv.p) {
			run->st.missing_field++;
			return;
		}
		e.vh = mm_hash64(fv.p, fv.n, 0x76616c7565ull) | 1;
		if (co->type >= CT_VALUE_SUM && co->type <= CT_VALUE_MAX &&
		    mm_slice_to_double(fv, &e.v) != MM_OK) {
			run->st.missing_field++;
			return;
		}
	}
	e.file = file_index(c, run, in->ev->src_path);
	struct group *g = group_get(c, run, c->keybuf, kn);
	if (!g)
		return;
	c->pinned = g;
	lru_front(run, g);
	if (g->newest == MM_TS_NONE || in->ts > g->newest)
		g->newest = in->ts;
	int64_t lo = g->newest - co->timespan_ns;
	if (in->ts < lo) {
		/* out of order and older than this group's window */
		run->st.late++;
		c->pinned = NULL;
		return;
	}
	add_evidence(c, run, g, in, &e, lo);
	switch (co->type) {
	case CT_TEMPORAL:
	case CT_TEMPORAL_ORDERED: {
		if (!g->tl) {
			size_t need = co->nrefs * (sizeof(*g->tl) + sizeof(*g->cstart));
			if (!reserve(c, run, need))
				break;
			g->tl = mm_malloc(co->nrefs * sizeof(*g->tl));
			g->cstart = mm_malloc(co->nrefs * sizeof(*g->cstart));
			for (size_t i = 0; i < co->nrefs; i++) {
				g->tl[i].ts = MM_TS_NONE;
				g->cstart[i] = MM_TS_NONE;
			}
			acct(c, run, g, (long long)need);
		}
		if (co->type == CT_TEMPORAL) {
			if (g->tl[j].ts == MM_TS_NONE || e.ts >= g->tl[j].ts)
				g->tl[j] = e;
			uint64_t n = 0;
			for (size_t i = 0; i < co->nrefs; i++)
				n += g->tl[i].ts != MM_TS_NONE && g->tl[i].ts >= lo;
			if (cond_ok(&co->cond, (double)n)) {
				c->pinned = NULL;
				fire(c, k, g, in, 0, n, 0, cb, ud, calls);
				return;
			}
			break;
		}
		/* ordered: position j extends a chain ending at j-1 whose last event
		 * is not later than this one and whose start is within timespan;
		 * the latest start wins (it stays valid longest) */
		if (j == 0) {
			if (g->cstart[0] == MM_TS_NONE || e.ts >= g->cstart[0]) {
				g->cstart[0] = e.ts;
				g->tl[0] = e;
			}
		} else if (g->cstart[j - 1] != MM_TS_NONE && g->tl[j - 1].ts <= e.ts &&
		           e.ts - g->cstart[j - 1] <= co->timespan_ns &&
		           (g->cstart[j] == MM_TS_NONE || g->cstart[j - 1] >= g->cstart[j])) {
			g->cstart[j] = g->cstart[j - 1];
			g->tl[j] = e;
		}
		if (j == co->nrefs - 1 && g->cstart[j] != MM_TS_NONE && g->tl[j].ts == e.ts &&
		    g->tl[j].line == e.line && g->tl[j].off == e.off) {
			/* keep only the events of the completed chain as evidence */
			c->pinned = NULL;
			fire(c, k, g, in, 0, co->nrefs, 0, cb, ud, calls);
			return;
		}
		break;
	}
	default: {
		ring_insert(c, run, g, &e);
		ring_expire(g, lo);
		uint32_t n = g->rend - g->rstart;
		uint64_t count = n + g->carry_n;
		double x = 0;
		uint64_t distinct = 0;
		switch (co->type) {
		case CT_EVENT_COUNT:
			x = (double)count;
			break;
		case CT_VALUE_COUNT:
			dset_add(c, run, g, e.vh, e.ts, fv, lo);
			dset_prune(c, run, g, lo);
			distinct = dset_count(run, g, lo, g->newest);
			x = (double)distinct;
			break;
		case CT_VALUE_SUM:
			x = g->sum + g->carry_sum;
			break;
		case CT_VALUE_AVG:
			x = count ? (g->sum + g->carry_sum) / (double)count : 0;
			break;
		case CT_VALUE_MIN:
		case CT_VALUE_MAX: {
			bool mn = co->type == CT_VALUE_MIN;
			x = g->carry_n ? (mn ? g->carry_min : g->carry_max) : g->ring[g->rstart].v;
			for (uint32_t i = g->rstart; i < g->rend; i++)
				if (mn ? g->ring[i].v < x : g->ring[i].v > x)
					x = g->ring[i].v;
			break;
		}
		case CT_VALUE_PERCENTILE: {
			/* the share (percent) of the window's events that carry this
			 * event's value: "appeared in less than 1 %" (spec example) */
			uint64_t same = 0;
			for (uint32_t i = g->rstart; i < g->rend; i++)
				same += g->ring[i].vh == e.vh;
			x = 100.0 * (double)same / (double)count;
			break;
		}
		default:
			break;
		}
		if (cond_ok(&co->cond, x)) {
			c->pinned = NULL;
			fire(c, k, g, in, x, count, distinct, cb, ud, calls);
			return;
		}
		break;
	}
	}
	c->pinned = NULL;
}

/* ---- public ------------------------------------------------------------- */

struct mm_correlator *mm_correlator_new(const struct mm_ruleset *rs, const struct mm_corr_opts *o)
{
	struct mm_correlator *c = mm_calloc(1, sizeof(*c));
	c->rs = rs;
	c->o.state_mem = o && o->state_mem ? o->state_mem : MM_CORR_DEFAULT_STATE_MEM;
	c->o.lateness_ns = o && o->lateness_ns >= 0 ? o->lateness_ns : MM_CORR_DEFAULT_LATENESS_NS;
	c->nruns = rs->ncorrs;
	c->runs = mm_calloc(c->nruns + 1, sizeof(*c->runs));
	for (size_t i = 0; i < c->nruns; i++) {
		c->runs[i].r = rs->corrs[i];
		c->runs[i].c = rs->corrs[i]->corr;
	}
	c->wm = MM_TS_NONE;
	return c;
}

void mm_correlator_free(struct mm_correlator *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nruns; i++) {
		struct crun *run = &c->runs[i];
		while (run->head)
			group_drop(c, run, run->head);
		free(run->bk);
	}
	for (size_t i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	free(c->runs);
	free(c);
}

bool mm_correlator_wants(const struct mm_correlator *c, const struct mm_rule_info *rule)
{
	if (!c || rule->corr_type || rule->index >= c->rs->nrules)
		return false;
	return c->rs->feeds_rule[rule->index].n > 0 && &c->rs->rules[rule->index]->info == rule;
}

void mm_correlator_source(struct mm_correlator *c)
{
	c->wm = MM_TS_NONE;
	c->last_src = NULL;
}

void mm_correlator_observe(struct mm_correlator *c, const struct mm_event *ev)
{
	if (ev->ts != MM_TS_NONE && (c->wm == MM_TS_NONE || ev->ts > c->wm))
		c->wm = ev->ts;
	if (++c->observed % SWEEP_EVERY == 0)
		for (size_t i = 0; i < c->nruns; i++)
			sweep_run(c, &c->runs[i]);
}

static void flush_overflow(struct mm_correlator *c, const struct mm_event *ev, mm_corr_fn cb,
                           void *ud, size_t *calls)
{
	for (size_t i = 0; i < c->nruns; i++) {
		struct crun *run = &c->runs[i];
		if (!run->overflow_pending)
			continue;
		struct mm_corr_result res;
		memset(&res, 0, sizeof(res));
		res.rule = &run->r->info;
		res.overflow = true;
		res.overflow_reason = run->overflow_pending;
		res.timespan_ns = run->c->timespan_ns;
		res.first_ts = res.last_ts = ev->ts;
		res.group_names = run->c->group;
		res.rules = run->c->ref_ids;
		res.nrules = run->c->nrefs;
		run->overflow_pending = NULL;
		run->overflow_sent = true;
		run->st.overflow_alerts++;
		(*calls)++;
		cb(ud, &res, ev);
	}
}

size_t mm_correlate(struct mm_correlator *c, const struct mm_rule_info *rule,
                    const struct mm_event *ev, mm_corr_fn cb, void *ud)
{
	size_t calls = 0;
	if (!mm_correlator_wants(c, rule))
		return 0;
	const struct corr_feeds *f = &c->rs->feeds_rule[rule->index];
	struct input in = {ev, ev->ts, NULL};
	if (ev->ts != MM_TS_NONE && (c->wm == MM_TS_NONE || ev->ts > c->wm))
		c->wm = ev->ts;
	for (size_t i = 0; i < f->n; i++) {
		struct crun *run = &c->runs[f->v[i].corr];
		sweep_run(c, run);
		uint64_t t1 = now_ns();
		feed(c, f->v[i].corr, f->v[i].ref, &in, cb, ud, &calls);
		run->st.ns += now_ns() - t1;
	}
	flush_overflow(c, ev, cb, ud, &calls);
	return calls;
}

void mm_correlator_stats(const struct mm_correlator *c, struct mm_corr_stats *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < c->nruns; i++) {
		const struct mm_corr_stats *s = &c->runs[i].st;
		out->inputs += s->inputs;
		out->late += s->late;
		out->missing_field += s->missing_field;
		out->fired += s->fired;
		out->overflow_alerts += s->overflow_alerts;
		out->groups += s->groups;
		out->groups_peak += s->groups_peak;
		out->evictions += s->evictions;
		out->cap_hits += s->cap_hits;
		out->sketches += s->sketches;
		out->folded += s->folded;
		out->ns += s->ns;
	}
	out->state_bytes = c->bytes;
	out->state_bytes_peak = c->bytes_peak;
}

void mm_correlator_rule_stats(const struct mm_correlator *c, size_t i, struct mm_corr_stats *out)
{
	if (i < c->nruns)
		*out = c->runs[i].st;
	else
		memset(out, 0, sizeof(*out));
}
