/* mamori — the per-flow egress analyzers: outbound volume per host and hour
 * (input of the exfiltration analysis at the end), first-seen destinations
 * after each host's learning period, beaconing (inter-arrival and size
 * regularity per host → address:port, scored per UTC day), very long
 * connections and the port policy of each role. Scoring: docs/egress.md.
 * Position: decode → enrich → this → alerts. */
#include "net_mod.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DAY_NS (86400 * MM_NS_PER_SEC)
#define HOUR_NS (3600 * MM_NS_PER_SEC)
#define MIN_INTERVAL_MS 10000 /* bursts (median gap < 10 s) are not beacons */
#define FULL_COVERAGE_NS (6 * HOUR_NS)

static int64_t floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

uint32_t mm__net_pair(struct mm_net *n, uint32_t host, const struct mm_ip *dst, uint16_t port,
                      uint8_t proto, bool create)
{
	uint64_t h = mm__pair_key(host, dst, port, proto);
	uint32_t i = mm__idx_get(&n->pair_idx, h);
	if (i != UINT32_MAX || !create)
		return i;
	/* the index doubles when 3/4 full: that growth must fit the cap too */
	size_t grow = (n->pair_idx.n + 1) * 4 > (size_t)n->pair_idx.cap * 3
	                      ? (size_t)(n->pair_idx.cap ? n->pair_idx.cap : 128) * 2 *
	                                sizeof(struct mm__idx_slot)
	                      : 0;
	if (n->npairs >= UINT32_MAX - 1 || !mm__net_room(n, sizeof(struct mm__pair) + grow))
		return UINT32_MAX;
	size_t c = n->npairs >> MM__CHUNK_BITS;
	if (c == n->npair_chunks) {
		n->pair_chunk = mm_realloc(n->pair_chunk, (c + 1) * sizeof(*n->pair_chunk));
		n->pair_chunk[c] = mm_malloc(sizeof(struct mm__pair) << MM__CHUNK_BITS);
		n->npair_chunks++;
		mm__net_account(n, (long long)(sizeof(struct mm__pair) << MM__CHUNK_BITS));
	}
	struct mm__pair *p = MM__PAIR(n, n->npairs);
	memset(p, 0, sizeof(*p));
	p->host = host;
	p->dst = *dst;
	p->port = port;
	p->proto = proto;
	p->beacon = UINT32_MAX;
	p->first_ts = MM_TS_NONE;
	p->blast = MM_TS_NONE;
	size_t before = mm__idx_bytes(&n->pair_idx);
	mm__idx_put(&n->pair_idx, h, (uint32_t)n->npairs);
	mm__net_account(n, (long long)(mm__idx_bytes(&n->pair_idx) - before));
	if (n->npairs + 1 > n->st.pairs_peak)
		n->st.pairs_peak = n->npairs + 1;
	return (uint32_t)n->npairs++;
}

static struct mm__beacon *beacon_new(struct mm_net *n, struct mm__pair *p)
{
	if (!mm__net_room(n, sizeof(struct mm__beacon)))
		return NULL;
	size_t c = n->nbeacons >> MM__CHUNK_BITS;
	if (c == n->nbeacon_chunks) {
		n->beacon_chunk = mm_realloc(n->beacon_chunk, (c + 1) * sizeof(*n->beacon_chunk));
		n->beacon_chunk[c] = mm_malloc(sizeof(struct mm__beacon) << MM__CHUNK_BITS);
		n->nbeacon_chunks++;
		mm__net_account(n, (long long)(sizeof(struct mm__beacon) << MM__CHUNK_BITS));
	}
	struct mm__beacon *b = MM__BEACON(n, n->nbeacons);
	memset(b, 0, sizeof(*b));
	b->r0.ts = b->r1.ts = MM_TS_NONE;
	p->beacon = (uint32_t)n->nbeacons++;
	return b;
}

/* Make hour `hour` addressable in the host's per-hour arrays. */
bool mm__host_hours(struct mm_net *n, struct mm__host *h, int64_t hour, bool silence)
{
	if (!h->nh) {
		h->h0 = hour;
	}
	int64_t lo = hour < h->h0 ? hour : h->h0;
	int64_t hi = hour >= h->h0 + (int64_t)h->nh ? hour + 1 : h->h0 + (int64_t)h->nh;
	if (hi - lo > MM__NET_MAX_HOURS) {
		n->st.cap_hits++;
		return false;
	}
	bool want_sil = silence && !h->logc;
	if (lo == h->h0 && hi == h->h0 + (int64_t)h->nh && !want_sil && h->nh)
		return true;
	uint32_t nn = (uint32_t)(hi - lo);
	/* grow by a week at a time so a month costs a few reallocations */
	uint32_t cap = ((nn + 167) / 168) * 168;
	size_t per = 2 * sizeof(uint64_t) + sizeof(uint64_t) + sizeof(struct mm__evref);
	if (silence || h->logc)
		per += 2 * sizeof(uint32_t) + sizeof(struct mm__evref);
	uint32_t shift = (uint32_t)(h->h0 - lo);
	if (!mm__net_room(n, (size_t)cap * per))
		return false;
	uint64_t *nb[2], *nm;
	struct mm__evref *nr;
	nb[0] = mm_calloc(cap, sizeof(uint64_t));
	nb[1] = mm_calloc(cap, sizeof(uint64_t));
	nm = mm_calloc(cap, sizeof(uint64_t));
	nr = mm_calloc(cap, sizeof(struct mm__evref));
	for (uint32_t i = 0; i < cap; i++)
		nr[i].ts = MM_TS_NONE;
	if (h->nh) {
		memcpy(nb[0] + shift, h->hb[0], h->nh * sizeof(uint64_t));
		memcpy(nb[1] + shift, h->hb[1], h->nh * sizeof(uint64_t));
		memcpy(nm + shift, h->hmax, h->nh * sizeof(uint64_t));
		memcpy(nr + shift, h->href, h->nh * sizeof(struct mm__evref));
	}
	if (silence || h->logc) {
		uint32_t *lc = mm_calloc(cap, sizeof(uint32_t)), *tc = mm_calloc(cap, sizeof(uint32_t));
		struct mm__evref *ll = mm_calloc(cap, sizeof(struct mm__evref));
		for (uint32_t i = 0; i < cap; i++)
			ll[i].ts = MM_TS_NONE;
		if (h->logc && h->nh) {
			memcpy(lc + shift, h->logc, h->nh * sizeof(uint32_t));
			memcpy(tc + shift, h->trafc, h->nh * sizeof(uint32_t));
			memcpy(ll + shift, h->lastlog, h->nh * sizeof(struct mm__evref));
		}
		free(h->logc);
		free(h->trafc);
		free(h->lastlog);
		h->logc = lc;
		h->trafc = tc;
		h->lastlog = ll;
	}
	free(h->hb[0]);
	free(h->hb[1]);
	free(h->hmax);
	free(h->href);
	h->hb[0] = nb[0];
	h->hb[1] = nb[1];
	h->hmax = nm;
	h->href = nr;
	mm__net_account(n, (long long)cap * (long long)per - (long long)h->nh * (long long)per);
	h->h0 = lo;
	h->nh = cap;
	return true;
}

static bool allowed_dest(const struct mm__prof *x, int role, uint16_t port)
{
	if (x->allow)
		return true;
	/* resolvers: DNS and DNS over TLS; NTP servers: NTP (RFC 5905) */
	if (((x->svc & 1) && (port == 53 || port == 853)) || ((x->svc & 2) && port == 123))
		return true;
	return role >= 0 && (x->role_allow >> role & 1);
}

static const struct {
	uint16_t lo, hi;
	const char *what;
} g_bad_ports[] = {
	{6660, 6669, "IRC"},        {6697, 6697, "IRC over TLS"},  {9001, 9001, "Tor relay (ORPort)"},
	{9030, 9030, "Tor directory"}, {9050, 9051, "Tor SOCKS/control"}, {9150, 9151, "Tor Browser"},
	{4444, 4444, "Metasploit's default listener"}, {1080, 1080, "SOCKS proxy"},
	{23, 23, "Telnet"},         {5900, 5900, "VNC"},           {3389, 3389, "RDP"},
};

static size_t policy(struct mm_net *n, uint32_t hi, const struct mm_event *ev, uint16_t port,
                     uint8_t proto, mm_corr_fn cb, void *ud)
{
	const struct mm__host *h = &n->hosts[hi];
	const struct mm__role *r = h->role >= 0 ? &n->role[h->role] : NULL;
	const char *why = NULL;
	char buf[200];
	if (r && r->ports_set) {
		bool ok = false;
		for (size_t i = 0; i < r->nports && !ok; i++)
			ok = r->ports[i] == port;
		if (!ok) {
			snprintf(buf, sizeof(buf), "port %u/%s is not among the ports role %s may use",
			         port, mm__proto_name(proto), r->name);
			why = buf;
		}
	}
	for (size_t i = 0; i < MM_ARRAY_LEN(g_bad_ports) && !why; i++)
		if (port >= g_bad_ports[i].lo && port <= g_bad_ports[i].hi) {
			snprintf(buf, sizeof(buf), "port %u/%s is used by %s", port, mm__proto_name(proto),
			         g_bad_ports[i].what);
			why = buf;
		}
	if (!why && r && (port == 25 || port == 465 || port == 587) && !r->smtp_ok && proto != 2) {
		snprintf(buf, sizeof(buf), "SMTP (port %u) from role %s, which is not a mail gateway",
		         port, r->name);
		why = buf;
	}
	if (!why || !mm__net_once(n, mm_hash64(&port, sizeof(port), 0x706f6c ^ ((uint64_t)hi << 8) ^ proto)))
		return 0;
	struct mm__emit em;
	mm__emit_init(&em);
	static const char *const gn[] = {"source.ip", "destination.port", "network.transport",
	                                 "destination.ip"};
	char pbuf[8];
	snprintf(pbuf, sizeof(pbuf), "%u", port);
	struct mm_slice gv[4] = {mm_slice_cstr(h->name), mm_slice_cstr(pbuf),
	                         mm_slice_cstr(mm__proto_name(proto)), ev->f[MM_F_DESTINATION_IP]};
	em.gnames = gn;
	em.gvals = gv;
	em.ngroup = 4; /* the first address seen on that port (the key is host × port) */
	em.host = mm__host_label(n, h);
	mm__net_ref(n, &em.first, ev);
	em.ev = ev;
	em.count = 1;
	mm__expl(&em, "%s (role %s) → %.*s: %s", h->name, r ? r->name : "none",
	         (int)ev->f[MM_F_DESTINATION_IP].n, ev->f[MM_F_DESTINATION_IP].p, why);
	return mm__net_emit(n, NR_POLICY, &em, cb, ud);
}

static size_t first_seen(struct mm_net *n, uint32_t hi, struct mm__pair *p,
                         const struct mm_event *ev, mm_corr_fn cb, void *ud)
{
	const struct mm__host *h = &n->hosts[hi];
	const struct mm__role *r = &n->role[h->role];
	struct mm__emit em;
	mm__emit_init(&em);
	static const char *const gn[] = {"source.ip", "destination.ip", "destination.port",
	                                 "source.role"};
	char dbuf[48], pbuf[8], t0[40];
	mm__ip_text(&p->dst, dbuf, sizeof(dbuf));
	snprintf(pbuf, sizeof(pbuf), "%u", p->port);
	struct mm_slice gv[4] = {mm_slice_cstr(h->name), mm_slice_cstr(dbuf), mm_slice_cstr(pbuf),
	                         mm_slice_cstr(r->name)};
	em.gnames = gn;
	em.gvals = gv;
	em.ngroup = 4;
	em.host = mm__host_label(n, h);
	mm__net_ref(n, &em.first, ev);
	em.ev = ev;
	em.count = 1;
	em.timespan_ns = n->o.learn_ns;
	mm_time_format(h->first_ts, t0, sizeof(t0));
	size_t known = h->nseen;
	mm__expl(&em,
	         "%s (role %s) opened %s/%s to %s:%u, never seen from it since %s (learning period "
	         "%lld days; %zu destinations known)",
	         h->name, r->name, mm__proto_name(p->proto), pbuf, dbuf, p->port, t0,
	         (long long)(n->o.learn_ns / DAY_NS), known ? known - 1 : 0);
	return mm__net_emit(n, r->first_seen == FS_HIGH ? NR_FIRST_SEEN_HIGH : NR_FIRST_SEEN, &em,
	                    cb, ud);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Quartiles by linear interpolation over sorted v[0..n). */
static double quant(const uint32_t *v, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t i = (size_t)pos;
	double f = pos - (double)i;
	return i + 1 < n ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

struct dist {
	double q1, q2, q3, bowley, mad;
};

static void describe(uint32_t *v, size_t n, uint32_t *tmp, struct dist *d)
{
	qsort(v, n, sizeof(*v), cmp_u32);
	d->q1 = quant(v, n, 0.25);
	d->q2 = quant(v, n, 0.5);
	d->q3 = quant(v, n, 0.75);
	d->bowley = d->q3 > d->q1 ? (d->q1 + d->q3 - 2 * d->q2) / (d->q3 - d->q1) : 0.0;
	for (size_t i = 0; i < n; i++) {
		double x = fabs((double)v[i] - d->q2);
		tmp[i] = x > 4e9 ? UINT32_MAX : (uint32_t)x;
	}
	qsort(tmp, n, sizeof(*tmp), cmp_u32);
	d->mad = quant(tmp, n, 0.5);
}

/* Score one day (or block) of a pair; docs/egress.md "Beaconing". */
size_t mm__beacon_score(struct mm_net *n, struct mm__pair *p, mm_corr_fn cb, void *ud)
{
	size_t fired = 0;
	struct mm__beacon *bs = p->beacon != UINT32_MAX ? MM__BEACON(n, p->beacon) : NULL;
	if (!bs)
		return 0;
	if (bs->n >= n->o.beacon_min_conns && !(p->flags & PF_BEACON)) {
		size_t ni = bs->n - 1, ns = bs->n;
		uint32_t *iv = mm_malloc(ni * sizeof(*iv)), *sz = mm_malloc(ns * sizeof(*sz));
		uint32_t *tmp = mm_malloc(ns * sizeof(*tmp));
		memcpy(iv, bs->iv, ni * sizeof(*iv));
		memcpy(sz, bs->sz, ns * sizeof(*sz));
		struct dist t, s;
		describe(iv, ni, tmp, &t);
		describe(sz, ns, tmp, &s);
		if (t.q2 >= MIN_INTERVAL_MS) {
			double skew_t = 1 - fabs(t.bowley);
			double mad_t = t.q2 > 0 ? fmax(0, 1 - t.mad / t.q2) : 0;
			double cov = fmin(1, (double)(bs->last - bs->bfirst) / (double)FULL_COVERAGE_NS);
			double ts_score = (skew_t + mad_t + cov) / 3;
			double skew_s = 1 - fabs(s.bowley);
			double mad_s = s.q2 > 0 ? fmax(0, 1 - s.mad / s.q2) : 1;
			double small = 1 - fmin(1, s.q2 / 65535.0);
			double ds_score = (skew_s + mad_s + small) / 3;
			double score = (ts_score + ds_score) / 2;
			if (score >= n->o.beacon_score) {
				const struct mm__host *h = &n->hosts[p->host];
				struct mm__emit em;
				mm__emit_init(&em);
				static const char *const gn[] = {"source.ip", "destination.ip",
				                                 "destination.port", "network.transport"};
				char dbuf[48], pbuf[8], t0[40], t1[40], b1[32], b2[32];
				mm__ip_text(&p->dst, dbuf, sizeof(dbuf));
				snprintf(pbuf, sizeof(pbuf), "%u", p->port);
				struct mm_slice gv[4] = {mm_slice_cstr(h->name), mm_slice_cstr(dbuf),
				                         mm_slice_cstr(pbuf),
				                         mm_slice_cstr(mm__proto_name(p->proto))};
				em.gnames = gn;
				em.gvals = gv;
				em.ngroup = 4;
				em.host = mm__host_label(n, h);
				em.first = bs->r0;
				em.last = bs->r1;
				em.count = bs->n;
				em.timespan_ns = DAY_NS;
				em.has_value = true;
				em.value = floor(score * 1000 + 0.5) / 1000;
				em.value_field = "beacon.score";
				mm_time_format(bs->bfirst, t0, sizeof(t0));
				mm_time_format(bs->last, t1, sizeof(t1));
				mm__expl(&em, "%u connections %s → %s:%u/%s from %s to %s", bs->n, h->name,
				         dbuf, p->port, mm__proto_name(p->proto), t0, t1);
				mm__expl(&em,
				         "interval median %.1f s (quartiles %.1f–%.1f s), Bowley skew %.2f, "
				         "MAD %.1f s",
				         t.q2 / 1000, t.q1 / 1000, t.q3 / 1000, t.bowley, t.mad / 1000);
				mm__fmt_bytes(b1, sizeof(b1), s.q2);
				mm__fmt_bytes(b2, sizeof(b2), s.mad);
				mm__expl(&em, "size median %s, MAD %s, Bowley skew %.2f", b1, b2, s.bowley);
				mm__expl(&em,
				         "score %.3f = (timing %.3f [skew %.2f, MAD %.2f, coverage %.2f] + "
				         "size %.3f [skew %.2f, MAD %.2f, smallness %.2f]) / 2 >= %.2f",
				         score, ts_score, skew_t, mad_t, cov, ds_score, skew_s, mad_s, small,
				         n->o.beacon_score);
				fired += mm__net_emit(n, NR_BEACON, &em, cb, ud);
				p->flags |= PF_BEACON;
			}
		}
		free(iv);
		free(sz);
		free(tmp);
	}
	bs->n = 0;
	if (p->flags & PF_BEACON) { /* reported: no more samples needed */
		mm__net_account(n, -(long long)bs->cap * 2 * (long long)sizeof(uint32_t));
		free(bs->iv);
		free(bs->sz);
		bs->iv = bs->sz = NULL;
		bs->cap = 0;
	}
	return fired;
}

static size_t beacon_add(struct mm_net *n, struct mm__pair *p, const struct mm_event *ev,
                         uint64_t bytes, mm_corr_fn cb, void *ud)
{
	size_t fired = 0;
	if (p->flags & PF_BEACON)
		return 0;
	int64_t day = floor_div(ev->ts, DAY_NS);
	int64_t prev = p->blast;
	p->blast = ev->ts;
	struct mm__beacon *b = p->beacon != UINT32_MAX ? MM__BEACON(n, p->beacon) : NULL;
	if (!b) {
		/* the first connection is only remembered; the second of the same
		 * day makes the pair worth sampling */
		if (prev == MM_TS_NONE || floor_div(prev, DAY_NS) != day)
			return 0;
		if (!(b = beacon_new(n, p)))
			return 0;
		b->day = day;
		b->bfirst = prev;
		b->n = 0;
	}
	if (b->n && (day != b->day || b->n >= n->o.beacon_max_samples)) {
		fired += mm__beacon_score(n, p, cb, ud);
		if (p->flags & PF_BEACON)
			return fired;
		prev = MM_TS_NONE; /* a new window starts with this connection */
	}
	uint32_t need = b->n + (b->n ? 1 : (prev != MM_TS_NONE ? 2 : 1));
	if (need > b->cap) {
		uint32_t nc = b->cap ? b->cap * 2 : 8;
		while (nc < need)
			nc *= 2;
		if (nc > n->o.beacon_max_samples)
			nc = n->o.beacon_max_samples;
		if (nc < need || !mm__net_room(n, (size_t)(nc - b->cap) * 2 * sizeof(uint32_t)))
			return fired;
		b->iv = mm_realloc(b->iv, nc * sizeof(uint32_t));
		b->sz = mm_realloc(b->sz, nc * sizeof(uint32_t));
		mm__net_account(n, (long long)(nc - b->cap) * 2 * (long long)sizeof(uint32_t));
		b->cap = nc;
	}
	if (!b->n) {
		b->day = day;
		if (prev != MM_TS_NONE) {
			/* the pair's first connection of the day: its size is unknown
			 * here, so it counts for the interval and repeats this size */
			b->bfirst = prev;
			b->sz[b->n++] = bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes;
		} else {
			b->bfirst = ev->ts;
		}
		mm__net_ref(n, &b->r0, ev);
		if (b->n) {
			int64_t d = (ev->ts - prev) / 1000000;
			b->iv[0] = d < 0 ? 0 : d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
		}
	} else {
		int64_t d = (ev->ts - b->last) / 1000000;
		b->iv[b->n - 1] = d < 0 ? 0 : d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
	}
	b->sz[b->n++] = bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes;
	b->last = ev->ts;
	mm__net_ref(n, &b->r1, ev);
	return fired;
}

static size_t long_conn(struct mm_net *n, struct mm__pair *p, const struct mm_event *ev,
                        int64_t dur, mm_corr_fn cb, void *ud)
{
	p->flags |= PF_LONG;
	const struct mm__host *h = &n->hosts[p->host];
	struct mm__emit em;
	mm__emit_init(&em);
	static const char *const gn[] = {"source.ip", "destination.ip", "destination.port"};
	char dbuf[48], pbuf[8], b[32];
	mm__ip_text(&p->dst, dbuf, sizeof(dbuf));
	snprintf(pbuf, sizeof(pbuf), "%u", p->port);
	struct mm_slice gv[3] = {mm_slice_cstr(h->name), mm_slice_cstr(dbuf), mm_slice_cstr(pbuf)};
	em.gnames = gn;
	em.gvals = gv;
	em.ngroup = 3;
	em.host = mm__host_label(n, h);
	mm__net_ref(n, &em.first, ev);
	em.ev = ev;
	em.count = 1;
	em.has_value = true;
	em.value = (double)(dur / MM_NS_PER_SEC);
	em.value_field = "event.duration_seconds";
	uint64_t by = 0;
	int64_t v;
	if (!mm_slice_to_i64(ev->f[MM_F_NETWORK_BYTES], &v) && v > 0)
		by = (uint64_t)v;
	mm__fmt_bytes(b, sizeof(b), (double)by);
	mm__expl(&em, "one connection %s → %s:%u lasted %.1f h (threshold %.1f h), %s in all",
	         h->name, dbuf, p->port, (double)dur / (double)HOUR_NS,
	         (double)n->o.long_conn_ns / (double)HOUR_NS, b);
	return mm__net_emit(n, NR_LONG, &em, cb, ud);
}

size_t mm__net_flow(struct mm_net *n, const struct mm_event *ev, mm_corr_fn cb, void *ud)
{
	const struct mm__cur *c = &n->cur;
	bool out = c->dir == DIR_OUTBOUND;
	const struct mm_ip *in_ip = out ? &c->src : &c->dst, *ex_ip = out ? &c->dst : &c->src;
	int role = out ? c->src_role : c->dst_role;
	uint32_t hi = (out ? c->src_p.host : c->dst_p.host);
	if (hi == UINT32_MAX && (hi = mm__net_host(n, in_ip, role)) == UINT32_MAX)
		return 0;
	struct mm__host *h = &n->hosts[hi];
	if (h->role < 0)
		h->role = role;
	if (h->first_ts == MM_TS_NONE || ev->ts < h->first_ts)
		h->first_ts = ev->ts;
	if (ev->ts > h->last_ts)
		h->last_ts = ev->ts;
	if (ev->ts > n->max_ts)
		n->max_ts = ev->ts;
	int64_t v;
	uint16_t port = 0;
	if (!mm_slice_to_i64(out ? ev->f[MM_F_DESTINATION_PORT] : ev->f[MM_F_SOURCE_PORT], &v) &&
	    v >= 0 && v <= 65535)
		port = (uint16_t)v;
	uint8_t proto = mm__proto_id(ev->f[MM_F_NETWORK_TRANSPORT]);
	const struct mm__prof *xp = out ? &c->dst_p : &c->src_p;
	bool allowed = allowed_dest(xp, role, port);
	uint64_t bytes = 0, total = 0;
	if (!mm_slice_to_i64(out ? ev->f[MM_F_SOURCE_BYTES] : ev->f[MM_F_DESTINATION_BYTES], &v) &&
	    v > 0)
		bytes = (uint64_t)v;
	if (!mm_slice_to_i64(ev->f[MM_F_NETWORK_BYTES], &v) && v > 0)
		total = (uint64_t)v;
	int64_t hour = floor_div(ev->ts, HOUR_NS);
	if ((bytes && !allowed) || h->cfg >= 0) {
		/* the hour is usually inside the host's arrays already */
		bool fast = h->nh && hour >= h->h0 && hour < h->h0 + (int64_t)h->nh &&
		            (h->cfg < 0 || h->logc);
		if (fast || mm__host_hours(n, h, hour, h->cfg >= 0)) {
			uint32_t k = (uint32_t)(hour - h->h0);
			/* Zeek and flow exports vs firewall logs: two sensors of the same
			 * traffic must not add up (the larger is kept per hour) */
			if (ev->dataset != n->cls_ds) { /* datasets are static strings */
				n->cls_ds = ev->dataset;
				n->cls = ev->dataset && (!strncmp(ev->dataset, "zeek", 4) ||
				                         !strcmp(ev->dataset, "flow"))
				                 ? 0
				                 : 1;
			}
			int cls = n->cls;
			if (bytes && !allowed) {
				h->hb[cls][k] += bytes;
				if (bytes > h->hmax[k]) {
					h->hmax[k] = bytes;
					mm__net_ref(n, &h->href[k], ev);
				}
			}
			if (h->trafc && out)
				h->trafc[k]++;
		}
	}
	if (!out)
		return 0;
	size_t fired = 0;
	if (!allowed)
		fired += policy(n, hi, ev, port, proto, cb, ud);
	if (allowed)
		return fired;
	uint32_t pi = mm__net_pair(n, hi, ex_ip, port, proto, true);
	if (pi == UINT32_MAX)
		return fired;
	struct mm__pair *p = MM__PAIR(n, pi);
	/* a stored pair is known only after its stored first sighting: scanning
	 * the same logs again reports the same first contacts (idempotent) */
	bool replay = (p->flags & PF_STORED) && !(p->flags & PF_REPLAY) && ev->ts <= p->first_ts;
	if (!(p->flags & PF_SEEN) || replay) {
		if (replay) {
			p->flags |= PF_REPLAY;
		} else {
			p->flags |= PF_SEEN | PF_NEW;
			p->first_ts = ev->ts;
			h->nseen++;
		}
		if (h->role >= 0 && n->role[h->role].first_seen != FS_OFF &&
		    ev->ts >= h->first_ts + n->o.learn_ns)
			fired += first_seen(n, hi, p, ev, cb, ud);
	}
	if (n->o.beacon_min_conns)
		fired += beacon_add(n, p, ev, total ? total : bytes, cb, ud);
	int64_t dur;
	if (n->o.long_conn_ns > 0 && !(p->flags & PF_LONG) &&
	    !mm_slice_to_i64(ev->f[MM_F_EVENT_DURATION], &dur) && dur >= n->o.long_conn_ns)
		fired += long_conn(n, p, ev, dur, cb, ud);
	return fired;
}
