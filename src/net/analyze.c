/* mamori — the end-of-input analyses of the egress module, over the whole
 * period a scan read (order of the input files does not matter):
 * exfiltration volume (each host's bytes out per hour and per day against
 * its own robust baseline for that hour of day: median and MAD of earlier
 * days, from this run and the store) and log silence (a configured host that
 * logged nearly every hour goes quiet while its traffic goes on).
 * Scoring: docs/egress.md. Position: mm_net_flush → this → alerts. */
#include "net_mod.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HOUR_NS (3600 * MM_NS_PER_SEC)
#define MAD_SIGMA 1.4826 /* MAD → σ for a normal distribution */
#define EPISODE_GAP_H 24

/* Median of at most MM__NET_HIST values: an insertion sort (called once
 * per host and hour, where qsort's call overhead dominated the profile). */
static double med_of(uint64_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint64_t x = v[i];
		size_t j = i;
		while (j && v[j - 1] > x) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
	return n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
}

/* Median and MAD of the values of a slot (at most MM__NET_HIST). */
static void baseline(const struct mm__hv *v, size_t n, double *med, double *mad)
{
	uint64_t a[MM__NET_HIST], d[MM__NET_HIST];
	for (size_t i = 0; i < n; i++)
		a[i] = v[i].v;
	*med = med_of(a, n);
	for (size_t i = 0; i < n; i++)
		d[i] = (uint64_t)fabs((double)v[i].v - *med);
	*mad = med_of(d, n);
}

static void push(struct mm__hv *slot, uint8_t *n, int64_t hour, uint64_t v)
{
	if (*n == MM__NET_HIST) {
		memmove(slot, slot + 1, (MM__NET_HIST - 1) * sizeof(*slot));
		(*n)--;
	}
	slot[(*n)++] = (struct mm__hv){hour, v};
}

/* Stored values from this run's span are replaced by the run's own: a
 * re-scan of the same logs must not learn them twice. */
static void drop_from(struct mm__host *h, int64_t first_h)
{
	for (int s = 0; s < 25; s++) {
		uint8_t k = 0;
		for (uint8_t i = 0; i < h->nhist[s]; i++)
			if (h->hist[s][i].hour < (s == 24 ? first_h - first_h % 24 : first_h))
				h->hist[s][k++] = h->hist[s][i];
		h->nhist[s] = k;
	}
}

struct flag {
	int64_t hour;  /* first hour */
	int64_t hours; /* 1, or 24 for a day */
	double v, med, mad, excess;
	uint32_t ref;  /* index of the hour with the evidence */
	int n;         /* baseline values */
};

/* The flags found so far (a growing array). */
struct flags {
	struct flag *v;
	size_t n, cap;
};

static void flag_add(struct flags *f, struct flag x)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->v = mm_realloc(f->v, f->cap * sizeof(*f->v));
	}
	f->v[f->n++] = x;
}

static uint64_t hour_bytes(const struct mm__host *h, uint32_t i)
{
	return h->hb[0][i] > h->hb[1][i] ? h->hb[0][i] : h->hb[1][i];
}

#define MIN_PEERS 3 /* a role's peers make a baseline from three hosts on */

/* Median and MAD of what the other hosts of h's role sent in that hour
 * (those whose span covers it); returns how many there were (at most
 * MM__NET_HIST are used). Only asked for hours above the volume floor of a
 * host without its own history, so the walk over the hosts stays rare. */
static int peer_stats(const struct mm_net *n, const struct mm__host *h, int64_t hour, double *med,
                      double *mad)
{
	struct mm__hv v[MM__NET_HIST];
	int k = 0;
	if (h->role < 0)
		return 0;
	for (size_t i = 0; i < n->nhosts && k < MM__NET_HIST; i++) {
		const struct mm__host *p = &n->hosts[i];
		if (p == h || p->role != h->role || !p->nh || hour < p->h0 ||
		    hour >= p->h0 + (int64_t)p->nh || p->first_ts == MM_TS_NONE ||
		    hour < p->first_ts / HOUR_NS)
			continue;
		v[k].hour = hour;
		v[k++].v = hour_bytes(p, (uint32_t)(hour - p->h0));
	}
	if (k)
		baseline(v, (size_t)k, med, mad);
	return k;
}

static size_t emit_episode(struct mm_net *n, struct mm__host *h, const struct flag *f, size_t nf,
                           mm_corr_fn cb, void *ud)
{
	double excess = 0, total = 0;
	uint32_t best = f[0].ref;
	uint64_t best_b = 0;
	int64_t last_h = f[0].hour;
	for (size_t i = 0; i < nf; i++) {
		excess += f[i].excess;
		double v = f[i].v;
		if (f[i].hours == 24) /* a day: only what its flagged hours did not carry */
			for (size_t j = 0; j < nf; j++)
				if (f[j].hours == 1 && f[j].hour >= f[i].hour && f[j].hour < f[i].hour + 24)
					v -= f[j].v;
		total += v > 0 ? v : 0;
		if (h->hmax[f[i].ref] > best_b) {
			best_b = h->hmax[f[i].ref];
			best = f[i].ref;
		}
		if (f[i].hour + f[i].hours - 1 > last_h)
			last_h = f[i].hour + f[i].hours - 1;
	}
	struct mm__emit em;
	mm__emit_init(&em);
	static const char *const gn[] = {"source.ip", "source.role"};
	struct mm_slice gv[2] = {mm_slice_cstr(h->name),
	                         mm_slice_cstr(h->role >= 0 ? n->role[h->role].name : "none")};
	em.gnames = gn;
	em.gvals = gv;
	em.ngroup = 2;
	em.host = mm__host_label(n, h);
	/* evidence: the first flagged hour's biggest flow, and the biggest overall */
	em.first = h->href[f[0].ref];
	em.last = h->href[best];
	if (em.first.ts == MM_TS_NONE)
		em.first = em.last;
	em.count = nf;
	em.timespan_ns = (last_h - f[0].hour + 1) * HOUR_NS;
	em.has_value = true;
	em.value = floor(excess);
	em.value_field = "network.bytes_estimated";
	char t0[40], t1[40], b1[32], b2[32];
	mm_time_format(f[0].hour * HOUR_NS, t0, sizeof(t0));
	mm_time_format((last_h + 1) * HOUR_NS, t1, sizeof(t1));
	mm__fmt_bytes(b1, sizeof(b1), excess);
	mm__fmt_bytes(b2, sizeof(b2), total);
	mm__expl(&em, "%s sent an estimated %s above its baseline (%s in all) between %s and %s",
	         h->name, b1, b2, t0, t1);
	/* the biggest flagged periods, in time order (at most MAX-2 lines) */
	for (size_t i = 0; i < nf && em.nexpl < MM__NET_MAX_EXPL - 1; i++) {
		char ts[40], bv[32], bm[32], bd[32];
		mm_time_format(f[i].hour * HOUR_NS, ts, sizeof(ts));
		mm__fmt_bytes(bv, sizeof(bv), f[i].v);
		mm__fmt_bytes(bm, sizeof(bm), f[i].med);
		mm__fmt_bytes(bd, sizeof(bd), f[i].mad);
		if (f[i].n < 0)
			mm__expl(&em,
			         "%s hour: %s out; no history of its own yet: its role's %d peers sent "
			         "a median of %s (MAD %s) that hour",
			         ts, bv, -f[i].n, bm, bd);
		else
			mm__expl(&em, "%s %s: %s out; baseline median %s, MAD %s over %d earlier days",
			         ts, f[i].hours == 1 ? "hour" : "day", bv, bm, bd, f[i].n);
	}
	if (nf > MM__NET_MAX_EXPL - 2)
		mm__expl(&em, "… %zu flagged periods in all", nf);
	return mm__net_emit(n, NR_EXFIL, &em, cb, ud);
}

size_t mm__net_exfil(struct mm_net *n, struct mm__host *h, mm_corr_fn cb, void *ud)
{
	if (!h->nh || n->max_ts == INT64_MIN)
		return 0;
	int64_t end_h = n->max_ts / HOUR_NS;
	uint32_t nh = h->nh;
	if (end_h - h->h0 + 1 < (int64_t)nh)
		nh = end_h < h->h0 ? 0 : (uint32_t)(end_h - h->h0 + 1);
	/* only the span the host was active in this run */
	int64_t first_h = h->first_ts != MM_TS_NONE && h->first_ts / HOUR_NS > h->h0
	                          ? h->first_ts / HOUR_NS
	                          : h->h0;
	drop_from(h, first_h);
	struct flags found = {0};
	size_t fired = 0;
	uint64_t day_sum = 0;
	int64_t cur_day = INT64_MIN;
	uint32_t day_best = 0;
	for (uint32_t i = (uint32_t)(first_h - h->h0); i <= nh; i++) {
		int64_t hour = h->h0 + i;
		int64_t day = hour / 24;
		/* a day ends: judge its total */
		if (cur_day != INT64_MIN && (day != cur_day || i == nh)) {
			uint8_t *cnt = &h->nhist[24];
			/* below the floor nothing is flagged: no baseline needed */
			if (*cnt >= n->o.exfil_min_history && day_sum > n->o.exfil_min_day_bytes) {
				double med, mad;
				baseline(h->hist[24], *cnt, &med, &mad);
				double thr = fmax(fmax(med + n->o.exfil_mad_k * MAD_SIGMA * mad,
				                       n->o.exfil_day_ratio * med),
				                  (double)n->o.exfil_min_day_bytes);
				if ((double)day_sum > thr) {
					flag_add(&found, (struct flag){cur_day * 24, 24, (double)day_sum, med, mad,
					                            (double)day_sum - med, day_best, *cnt});
				}
			}
			/* only whole days teach the daily baseline */
			if (cur_day * 24 >= first_h && i < nh)
				push(h->hist[24], cnt, cur_day * 24, day_sum);
			day_sum = 0;
			day_best = i;
		}
		if (i == nh)
			break;
		if (day != cur_day) {
			cur_day = day;
			day_best = i;
		}
		uint64_t v = hour_bytes(h, i);
		day_sum += v;
		if (h->hmax[i] > h->hmax[day_best])
			day_best = i;
		int slot = (int)(((hour % 24) + 24) % 24);
		uint8_t *cnt = &h->nhist[slot];
		int peers = 0;
		double pmed = 0, pmad = 0;
		if (*cnt < n->o.exfil_min_history && v > n->o.exfil_min_hour_bytes)
			peers = peer_stats(n, h, hour, &pmed, &pmad);
		if (peers >= MIN_PEERS) {
			/* no history of its own yet: its role's peers in that hour */
			double thr = fmax(fmax(pmed + n->o.exfil_mad_k * MAD_SIGMA * pmad,
			                       n->o.exfil_hour_ratio * pmed),
			                  (double)n->o.exfil_min_hour_bytes);
			if ((double)v > thr) {
				flag_add(&found, (struct flag){hour, 1, (double)v, pmed, pmad, (double)v - pmed, i,
				                            -peers});
			}
		} else if (*cnt >= n->o.exfil_min_history && v > n->o.exfil_min_hour_bytes) {
			double med, mad;
			baseline(h->hist[slot], *cnt, &med, &mad);
			double thr = fmax(fmax(med + n->o.exfil_mad_k * MAD_SIGMA * mad,
			                       n->o.exfil_hour_ratio * med),
			                  (double)n->o.exfil_min_hour_bytes);
			if ((double)v > thr)
				flag_add(&found,
				         (struct flag){hour, 1, (double)v, med, mad, (double)v - med, i, *cnt});
		}
		push(h->hist[slot], cnt, hour, v);
	}
	/* merge into episodes; a flagged day already covered by its hours adds
	 * only what its hours did not explain */
	struct flag *fl = found.v;
	size_t nfl = found.n, s = 0;
	while (s < nfl) {
		/* order: by start hour (days were appended after their hours) */
		size_t e = s + 1;
		int64_t last = fl[s].hour + fl[s].hours - 1;
		while (e < nfl && fl[e].hour <= last + EPISODE_GAP_H) {
			if (fl[e].hour + fl[e].hours - 1 > last)
				last = fl[e].hour + fl[e].hours - 1;
			e++;
		}
		/* days: keep only the excess not already in flagged hours of that day */
		for (size_t k = s; k < e; k++) {
			if (fl[k].hours != 24)
				continue;
			double in_hours = 0;
			for (size_t j = s; j < e; j++)
				if (fl[j].hours == 1 && fl[j].hour >= fl[k].hour && fl[j].hour < fl[k].hour + 24)
					in_hours += fl[j].excess;
			fl[k].excess = fl[k].excess > in_hours ? fl[k].excess - in_hours : 0;
		}
		/* sort the episode's flags by time (days sort before their hours) */
		for (size_t a = s + 1; a < e; a++)
			for (size_t b = a; b > s && (fl[b].hour < fl[b - 1].hour ||
			                             (fl[b].hour == fl[b - 1].hour && fl[b].hours > fl[b - 1].hours));
			     b--) {
				struct flag t = fl[b];
				fl[b] = fl[b - 1];
				fl[b - 1] = t;
			}
		fired += emit_episode(n, h, fl + s, e - s, cb, ud);
		s = e;
	}
	free(found.v);
	return fired;
}

size_t mm__net_silence(struct mm_net *n, struct mm__host *h, mm_corr_fn cb, void *ud)
{
	if (!h->logc || !h->nh || n->max_ts == INT64_MIN)
		return 0;
	int64_t end_h = n->max_ts / HOUR_NS;
	uint32_t nh = h->nh;
	if (end_h - h->h0 + 1 < (int64_t)nh)
		nh = end_h < h->h0 ? 0 : (uint32_t)(end_h - h->h0 + 1);
	uint32_t i0 = 0;
	while (i0 < nh && !h->logc[i0])
		i0++;
	size_t fired = 0;
	uint64_t min_h = (uint64_t)(n->o.silence_ns / HOUR_NS);
	uint64_t log_hours = 0;
	for (uint32_t i = i0; i < nh;) {
		if (h->logc[i]) {
			log_hours++;
			i++;
			continue;
		}
		uint32_t a = i;
		while (i < nh && !h->logc[i])
			i++;
		uint32_t b = i, len = b - a;
		if (len < min_h)
			continue;
		uint64_t flows = 0, th = 0;
		for (uint32_t k = a; k < b; k++) {
			flows += h->trafc[k];
			th += h->trafc[k] > 0;
		}
		if (!th || th * 4 < len)
			continue; /* its traffic stopped too: off, not silenced */
		/* how regularly it logged before: the 48 hours before (this run),
		 * else what the store learned */
		uint32_t from = a >= 48 && a - 48 > i0 ? a - 48 : i0;
		uint64_t before = a - from, logged = 0;
		for (uint32_t k = from; k < a; k++)
			logged += h->logc[k] > 0;
		double cov;
		if (before >= 24)
			cov = (double)logged / (double)before;
		else if (h->hist_hours >= 24)
			cov = (double)h->hist_log_hours / (double)h->hist_hours;
		else
			continue;
		if (cov < n->o.silence_coverage)
			continue;
		struct mm__emit em;
		mm__emit_init(&em);
		static const char *const gn[] = {"observer.name", "source.ip"};
		const char *name = h->cfg >= 0 && n->hcfg[h->cfg].name ? n->hcfg[h->cfg].name : h->name;
		struct mm_slice gv[2] = {mm_slice_cstr(name), mm_slice_cstr(h->name)};
		em.gnames = gn;
		em.gvals = gv;
		em.ngroup = 2;
		em.host = name;
		em.first = a ? h->lastlog[a - 1] : h->lastlog[i0];
		em.last = em.first;
		em.count = flows;
		em.timespan_ns = (int64_t)len * HOUR_NS;
		em.has_value = true;
		em.value = len;
		em.value_field = "silence.hours";
		char t0[40], t1[40];
		mm_time_format((h->h0 + a) * HOUR_NS, t0, sizeof(t0));
		mm_time_format((h->h0 + b) * HOUR_NS, t1, sizeof(t1));
		mm__expl(&em, "%s (%s) logged in %.0f%% of the hours before %s", name, h->name,
		         cov * 100, t0);
		mm__expl(&em,
		         "then no log line for %u h (until %s%s) while %llu outbound flows from its "
		         "address were seen in %llu of those hours",
		         len, t1, b == nh ? ", the end of the input" : "", (unsigned long long)flows,
		         (unsigned long long)th);
		fired += mm__net_emit(n, NR_SILENCE, &em, cb, ud);
	}
	h->hist_log_hours += log_hours;
	h->hist_hours += nh > i0 ? nh - i0 : 0;
	return fired;
}
