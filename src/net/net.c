/* mamori — the egress module: asset enrichment and the egress analyzers
 * (first-seen destinations, beaconing, long connections, port policy, IoC
 * matches, admin logins to network devices) over event time, plus the
 * whole-period analyses run at the end of input (exfiltration volume, log
 * silence; analyze.c) and the learned state kept in the store (learn.c).
 * Scoring and defaults: docs/egress.md. Pipeline position: decode → enrich
 * (here) → rules → observe (here) → alerts. */
#include "net_mod.h"

#include <stdlib.h>
#include <string.h>

static const char *const g_tags_c2[] = {"attack.command-and-control", "attack.t1071"};
static const char *const g_tags_exfil[] = {"attack.exfiltration", "attack.t1048"};
static const char *const g_tags_ioc[] = {"attack.command-and-control", "attack.t1071"};
static const char *const g_tags_silence[] = {"attack.defense-evasion", "attack.t1562.006"};
static const char *const g_tags_admin[] = {"attack.lateral-movement", "attack.t1021.004"};

#define RULE(idv, namev, titlev, levelv, sev, folder, tagsv, descv)                         \
	{                                                                                   \
		.id = idv, .name = namev, .title = titlev, .level = levelv, .severity = sev,    \
		.status = "experimental", .description = descv,                                 \
		.path = "analyzer:" folder "/" namev, .tags = tagsv,                            \
		.ntags = MM_ARRAY_LEN(tagsv), .index = SIZE_MAX, .corr_type = namev,            \
	}

const struct mm_rule_info mm__net_rules[NR__COUNT] = {
	[NR_FIRST_SEEN_HIGH] = RULE("0e6f2a1c-7d3b-4c5e-9f10-2b7a8c4d5e01", "egress_first_seen_device",
	                            "Network Device Or Storage Talking To A Never-Seen Destination",
	                            "high", 3, "egress", g_tags_c2,
	                            "A host of a role with narrow outbound habits (network device, "
	                            "NAS, mail gateway) opened a session to an external address and "
	                            "port it never used during the learning period."),
	[NR_FIRST_SEEN] = RULE("0e6f2a1c-7d3b-4c5e-9f10-2b7a8c4d5e02", "egress_first_seen",
	                       "Server Talking To A Never-Seen Destination", "medium", 2, "egress",
	                       g_tags_c2,
	                       "A server opened a session to an external address and port it never "
	                       "used during the learning period."),
	[NR_BEACON] = RULE("0e6f2a1c-7d3b-4c5e-9f10-2b7a8c4d5e03", "egress_beaconing",
	                   "Periodic Outbound Connections (Beaconing)", "high", 3, "egress", g_tags_c2,
	                   "Connections from one internal host to one external address and port "
	                   "recur at regular intervals with consistent sizes, as command-and-control "
	                   "implants poll."),
	[NR_LONG] = RULE("0e6f2a1c-7d3b-4c5e-9f10-2b7a8c4d5e04", "egress_long_connection",
	                 "Very Long Outbound Connection", "medium", 2, "egress", g_tags_c2,
	                 "One outbound connection stayed open for hours (a tunnel or a "
	                 "persistent control channel)."),
	[NR_EXFIL] = RULE("0e6f2a1c-7d3b-4c5e-9f10-2b7a8c4d5e05", "exfiltration_volume",
	                  "Outbound Volume Far Above The Host's Baseline", "high", 3, "exfiltration",
	                  g_tags_exfil,
	                  "An internal host sent far more data out than its own baseline for "
	                  "those hours (or days) of the week: a bulk transfer or a slow, steady "
	                  "leak. The estimated volume is the excess over the baseline."),
	[NR_POLICY] = RULE("0e6f2a1c-7d3b-4c5e-9f10-2b7a8c4d5e06", "egress_policy_port",
	                   "Outbound Connection On A Port The Role Never Uses", "high", 3, "egress",
	                   g_tags_c2,
	                   "A host spoke out on a port outside its role's allowed ports, or on a "
	                   "port used by IRC, Tor or remote-access tools, or SMTP from a host that is "
	                   "not a mail gateway."),
	[NR_SILENCE] = RULE("0e6f2a1c-7d3b-4c5e-9f10-2b7a8c4d5e07", "egress_log_silence",
	                    "Device Stopped Logging While Its Traffic Went On", "high", 3, "egress",
	                    g_tags_silence,
	                    "A host that logged in almost every hour fell silent for hours while "
	                    "flows from its address were still seen elsewhere: its logging may "
	                    "have been switched off by an intruder."),
	[NR_ADMIN] = RULE("0e6f2a1c-7d3b-4c5e-9f10-2b7a8c4d5e08", "egress_admin_login",
	                  "Administrative Login To A Network Device From An Unexpected Source",
	                  "high", 3, "egress", g_tags_admin,
	                  "A successful administrative login to a network device came from "
	                  "outside the configured admin networks, or from a source never seen "
	                  "logging in to that device before."),
	[NR_IOC] = RULE("0e6f2a1c-7d3b-4c5e-9f10-2b7a8c4d5e09", "ioc_match",
	                "Traffic To Or From A Listed Indicator", "high", 3, "egress", g_tags_ioc,
	                "An address or domain from a configured indicator list appeared in "
	                "traffic, in either direction."),
};

size_t mm_net_rule_count(void)
{
	return NR__COUNT;
}

const struct mm_rule_info *mm_net_rule_at(size_t i)
{
	return i < NR__COUNT ? &mm__net_rules[i] : NULL;
}

/* ---- small helpers ----------------------------------------------------- */

uint32_t mm__net_file(struct mm_net *n, const char *path)
{
	if (!path)
		path = "-";
	if (n->last_path == path)
		return n->last_file;
	for (size_t i = 0; i < n->nfiles; i++)
		if (!strcmp(n->files[i], path)) {
			n->last_path = path;
			return n->last_file = (uint32_t)i;
		}
	if (n->nfiles == n->capfiles) {
		n->capfiles = n->capfiles ? n->capfiles * 2 : 8;
		n->files = mm_realloc(n->files, n->capfiles * sizeof(*n->files));
	}
	n->files[n->nfiles] = mm_strdup(path);
	n->last_path = path;
	return n->last_file = (uint32_t)n->nfiles++;
}

void mm__net_ref(struct mm_net *n, struct mm__evref *r, const struct mm_event *ev)
{
	r->ts = ev->ts;
	r->off = ev->offset;
	r->line = ev->line_no;
	r->file = mm__net_file(n, ev->src_path);
	r->ds = ev->dataset;
}

void mm__net_account(struct mm_net *n, long long d)
{
	n->bytes = (size_t)((long long)n->bytes + d);
	if (n->bytes > n->st.state_bytes_peak)
		n->st.state_bytes_peak = n->bytes;
}

bool mm__net_room(struct mm_net *n, size_t add)
{
	if (n->bytes + add <= n->o.state_mem)
		return true;
	n->st.cap_hits++;
	return false;
}

void mm__ip_text(const struct mm_ip *ip, char *buf, size_t n)
{
	if (ip->v4) {
		snprintf(buf, n, "%u.%u.%u.%u", ip->a[12], ip->a[13], ip->a[14], ip->a[15]);
		return;
	}
	/* RFC 5952 enough for evidence: hex groups, longest zero run as :: */
	unsigned w[8];
	for (int i = 0; i < 8; i++)
		w[i] = (unsigned)ip->a[2 * i] << 8 | ip->a[2 * i + 1];
	int best = -1, bl = 0;
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && !w[j])
			j++;
		if (j - i > bl && j - i > 1) {
			best = i;
			bl = j - i;
		}
		i = j > i ? j : i + 1;
	}
	size_t k = 0;
	for (int i = 0; i < 8 && k < n; i++) {
		if (i == best) {
			k += (size_t)snprintf(buf + k, n - k, "::");
			i += bl - 1;
			continue;
		}
		k += (size_t)snprintf(buf + k, n - k, "%s%x", k && buf[k - 1] != ':' ? ":" : "", w[i]);
	}
	if (k == 0 && n)
		buf[0] = '\0';
}

uint64_t mm__ip_hash(const struct mm_ip *ip, uint64_t seed)
{
	return mm_hash64(ip->a, 16, seed);
}

uint8_t mm__proto_id(struct mm_slice t)
{
	if (mm_slice_eq_cstr(t, "tcp"))
		return 1;
	if (mm_slice_eq_cstr(t, "udp"))
		return 2;
	if (mm_slice_eq_cstr(t, "icmp") || mm_slice_eq_cstr(t, "ipv6-icmp"))
		return 3;
	return 0;
}

const char *mm__proto_name(uint8_t p)
{
	static const char *const names[] = {"ip", "tcp", "udp", "icmp"};
	return p < 4 ? names[p] : "ip";
}

/* What the config says about an address: computed on a cache miss (one
 * ipset lookup per set, one per role allowlist), then one compare. */
const struct mm__prof *mm__net_prof(struct mm_net *n, const struct mm_ip *ip)
{
	uint64_t k;
	if (ip->v4)
		k = ((uint64_t)ip->a[12] << 24 | (uint64_t)ip->a[13] << 16 | (uint64_t)ip->a[14] << 8 |
		     ip->a[15]) * 0x9e3779b97f4a7c15ull;
	else
		k = mm_hash64(ip->a, 16, 0x70726f66);
	struct mm__prof *p = &n->prof[k >> (64 - MM__PROF_BITS)];
	if (p->used && !memcmp(p->a, ip->a, 16))
		return p;
	memset(p, 0, sizeof(*p));
	memcpy(p->a, ip->a, 16);
	p->used = true;
	p->internal = mm__ipset_lookup(&n->internal, ip) >= 0;
	p->role = (int16_t)mm__ipset_lookup(&n->roles, ip);
	p->allow = mm__ipset_lookup(&n->allow, ip) >= 0;
	int s = mm__ipset_lookup(&n->svc, ip);
	p->svc = s > 0 ? (uint8_t)s : 0;
	p->ioc = n->ioc_ips.n && mm__ipset_lookup(&n->ioc_ips, ip) >= 0;
	for (size_t r = 0; r < n->nroles; r++)
		if (n->role_allow[r].n && mm__ipset_lookup(&n->role_allow[r], ip) >= 0)
			p->role_allow |= 1u << r;
	p->host = mm__idx_get(&n->host_idx, mm__ip_hash(ip, 0x686f7374));
	return p;
}

/* The internal host table: created on first sight, in event order. */
uint32_t mm__net_host(struct mm_net *n, const struct mm_ip *ip, int role)
{
	struct mm__prof *pf = (struct mm__prof *)mm__net_prof(n, ip);
	if (pf->host != UINT32_MAX)
		return pf->host;
	uint64_t h = mm__ip_hash(ip, 0x686f7374);
	if (n->nhosts >= MM_NET_MAX_HOSTS || !mm__net_room(n, sizeof(struct mm__host) + 64))
		return UINT32_MAX;
	if (n->nhosts == n->caphosts) {
		size_t nc = n->caphosts ? n->caphosts * 2 : 64;
		n->hosts = mm_realloc(n->hosts, nc * sizeof(*n->hosts));
		n->caphosts = nc;
	}
	struct mm__host *ho = &n->hosts[n->nhosts];
	memset(ho, 0, sizeof(*ho));
	ho->ip = *ip;
	mm__ip_text(ip, ho->name, sizeof(ho->name));
	ho->role = role;
	ho->cfg = -1;
	ho->first_ts = MM_TS_NONE;
	for (size_t k = 0; k < n->nhcfg; k++)
		if (!memcmp(n->hcfg[k].ip.a, ip->a, 16))
			ho->cfg = (int)k;
	mm__idx_put(&n->host_idx, h, (uint32_t)n->nhosts);
	pf->host = (uint32_t)n->nhosts;
	mm__net_account(n, (long long)sizeof(*ho));
	n->st.hosts = n->nhosts + 1;
	return (uint32_t)n->nhosts++;
}

/* The name an alert gives an internal host: its configured name, else its address. */
const char *mm__host_label(const struct mm_net *n, const struct mm__host *h)
{
	return h->cfg >= 0 && n->hcfg[h->cfg].name ? n->hcfg[h->cfg].name : h->name;
}

/* ---- enrichment ----------------------------------------------------------- */

static const struct mm_slice g_dir[] = {MM_SLICE_LIT("internal"), MM_SLICE_LIT("outbound"),
                                         MM_SLICE_LIT("inbound"), MM_SLICE_LIT("external")};

/* Parse both addresses once per event: mm_net_enrich() classifies, and the
 * mm_net_observe() that follows for the same event reuses the result. */
static void classify(struct mm_net *n, const struct mm_event *ev, bool reuse)
{
	struct mm__cur *c = &n->cur;
	if (reuse && c->valid && c->ev == ev && c->sp == ev->f[MM_F_SOURCE_IP].p &&
	    c->dp == ev->f[MM_F_DESTINATION_IP].p) {
		c->valid = false;
		return;
	}
	memset(c, 0, sizeof(*c));
	c->valid = !reuse;
	c->sp = ev->f[MM_F_SOURCE_IP].p;
	c->dp = ev->f[MM_F_DESTINATION_IP].p;
	c->ev = ev;
	c->off = ev->offset;
	c->line = ev->line_no;
	c->ts = ev->ts;
	c->src_role = c->dst_role = -1;
	c->src_p.host = c->dst_p.host = UINT32_MAX;
	if (ev->f[MM_F_SOURCE_IP].p && mm_ip_parse(ev->f[MM_F_SOURCE_IP], &c->src) == MM_OK) {
		c->has_src = true;
		c->src_p = *mm__net_prof(n, &c->src);
		c->src_in = c->src_p.internal;
		c->src_role = c->src_p.role;
	}
	if (ev->f[MM_F_DESTINATION_IP].p &&
	    mm_ip_parse(ev->f[MM_F_DESTINATION_IP], &c->dst) == MM_OK) {
		c->has_dst = true;
		c->dst_p = *mm__net_prof(n, &c->dst);
		c->dst_in = c->dst_p.internal;
		c->dst_role = c->dst_p.role;
	}
	if (c->has_src && c->has_dst)
		c->dir = c->src_in ? (c->dst_in ? DIR_INTERNAL : DIR_OUTBOUND)
		                   : (c->dst_in ? DIR_INBOUND : DIR_EXTERNAL);
	else
		c->dir = DIR_NONE;
}

void mm_net_enrich(struct mm_net *n, struct mm_event *ev)
{
	if (!n || !ev->f[MM_F_DESTINATION_IP].p)
		return;
	classify(n, ev, false);
	const struct mm__cur *c = &n->cur;
	if (c->src_role >= 0 && !ev->f[MM_F_SOURCE_ROLE].p)
		ev->f[MM_F_SOURCE_ROLE] = n->role[c->src_role].name_s;
	if (c->dst_role >= 0 && !ev->f[MM_F_DESTINATION_ROLE].p)
		ev->f[MM_F_DESTINATION_ROLE] = n->role[c->dst_role].name_s;
	if (c->dir != DIR_NONE && !ev->f[MM_F_NETWORK_DIRECTION].p)
		ev->f[MM_F_NETWORK_DIRECTION] = g_dir[c->dir];
	/* the pair's index slot is needed after the rules ran: fetch it now */
	int64_t port;
	if (c->dir == DIR_OUTBOUND && c->src_p.host != UINT32_MAX && n->pair_idx.cap &&
	    !mm_slice_to_i64(ev->f[MM_F_DESTINATION_PORT], &port) && port >= 0 && port <= 65535) {
		uint64_t k = mm__pair_key(c->src_p.host, &c->dst, (uint16_t)port,
		                          mm__proto_id(ev->f[MM_F_NETWORK_TRANSPORT]));
		k = k ? k : 0x9e3779b97f4a7c15ull;
		__builtin_prefetch(&n->pair_idx.s[(uint32_t)(k ^ k >> 29) & (n->pair_idx.cap - 1)]);
	}
	ev->flags &= ~MM_EV_VERBATIM;
}

/* ---- emitting ---------------------------------------------------------------- */

#define RAW_MAX 8192

/* The evidence line of an alert decided at the end of input (exfiltration,
 * silence): the analyzers keep (file, offset, line), not the text, so it is
 * read back from the file. Empty when the file is compressed (offsets count
 * decompressed bytes), unreadable, or no longer has a line there. */
static size_t read_line_at(const char *file, uint64_t off, char *buf, size_t cap)
{
	FILE *f = file && strcmp(file, "-") ? fopen(file, "rb") : NULL;
	size_t len = 0;
	if (!f)
		return 0;
	unsigned char mg[2];
	bool gz = fread(mg, 1, 2, f) == 2 && mg[0] == 0x1f && mg[1] == 0x8b;
	if (!gz && !fseeko(f, (off_t)(off ? off - 1 : 0), SEEK_SET)) {
		int c = off ? fgetc(f) : '\n';
		if (c == '\n')
			while (len < cap && (c = fgetc(f)) != EOF && c != '\n')
				buf[len++] = (char)c;
		if (len && buf[len - 1] == '\r')
			len--;
	}
	fclose(f);
	return len;
}

size_t mm__net_emit(struct mm_net *n, enum mm__net_rule r, const struct mm__emit *em,
                    mm_corr_fn cb, void *ud)
{
	struct mm_corr_result res;
	memset(&res, 0, sizeof(res));
	struct mm_evref refs[2];
	size_t nr = 0;
	for (size_t i = 0; i < 2; i++) {
		const struct mm__evref *x = i ? &em->last : &em->first;
		if (x->ts == MM_TS_NONE || (i && nr && x->off == refs[0].offset &&
		                            x->file < n->nfiles &&
		                            !strcmp(n->files[x->file], refs[0].file)))
			continue;
		refs[nr].file = x->file < n->nfiles ? n->files[x->file] : "-";
		refs[nr].offset = x->off;
		refs[nr].line = x->line;
		refs[nr].ts = x->ts;
		refs[nr].rule_id = mm__net_rules[r].id;
		nr++;
	}
	/* the alert's own evidence: the deciding line (last ref) */
	struct mm_event ev;
	mm_event_clear(&ev);
	const struct mm__evref *d = em->last.ts != MM_TS_NONE ? &em->last : &em->first;
	ev.ts = d->ts;
	ev.src_path = d->file < n->nfiles ? n->files[d->file] : "-";
	ev.offset = d->off;
	ev.line_no = d->line;
	char *rawbuf = NULL;
	ev.raw = em->ev ? em->ev->raw : MM_SLICE_LIT("");
	if (!em->ev && d->ts != MM_TS_NONE && d->file < n->nfiles) {
		rawbuf = mm_malloc(RAW_MAX);
		ev.raw = mm_slice(rawbuf, read_line_at(n->files[d->file], d->off, rawbuf, RAW_MAX));
	}
	ev.msg = ev.raw;
	ev.flags = em->ev ? em->ev->flags & MM_EV_TRUNCATED : 0;
	ev.dataset = em->ev && em->ev->dataset ? em->ev->dataset : d->ds ? d->ds : "egress";
	/* the group values are also the synthetic event's fields (the store keys
	 * alerts by source.ip; incidents name host.hostname as the asset) */
	const char *gn[8];
	struct mm_slice gv[8];
	size_t ng = 0;
	for (size_t i = 0; i < em->ngroup && ng < 7; i++) {
		gn[ng] = em->gnames[i];
		gv[ng] = em->gvals[i];
		int id = mm_field_lookup(gn[ng], strlen(gn[ng]));
		if (id >= 0)
			ev.f[id] = gv[ng];
		ng++;
	}
	if (em->host && !ev.f[MM_F_HOST_HOSTNAME].p) {
		gn[ng] = "host.hostname";
		gv[ng] = mm_slice_cstr(em->host);
		ev.f[MM_F_HOST_HOSTNAME] = gv[ng++];
	}
	struct mm_slice expl[MM__NET_MAX_EXPL];
	for (size_t i = 0; i < em->nexpl; i++)
		expl[i] = mm_slice_cstr(em->expl[i]);
	struct mm_corr_list list = {.name = "explanation", .field = NULL, .v = expl,
	                            .n = em->nexpl, .total = em->nexpl};
	res.rule = &mm__net_rules[r];
	res.group_names = gn;
	res.group_vals = gv;
	res.ngroup = ng;
	res.timespan_ns = em->timespan_ns;
	res.first_ts = em->first.ts;
	res.last_ts = em->last.ts != MM_TS_NONE ? em->last.ts : em->first.ts;
	res.count = em->count;
	res.has_value = em->has_value;
	res.value = em->value;
	res.field = em->value_field;
	res.refs = refs;
	res.nrefs = nr;
	res.refs_total = em->count;
	res.lists = &list;
	res.nlists = em->nexpl ? 1 : 0;
	n->st.alerts++;
	n->alerts_by_rule[r]++;
	cb(ud, &res, &ev);
	free(rawbuf);
	return 1;
}

void mm__expl(struct mm__emit *em, const char *fmt, ...)
{
	if (em->nexpl >= MM__NET_MAX_EXPL)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(em->expl[em->nexpl], sizeof(em->expl[0]), fmt, ap);
	va_end(ap);
	em->nexpl++;
}

void mm__emit_init(struct mm__emit *em)
{
	memset(em, 0, sizeof(*em));
	em->first.ts = em->last.ts = MM_TS_NONE;
}

/* Human-readable bytes for explanations ("1.2 GB", decimal units). */
void mm__fmt_bytes(char *buf, size_t n, double b)
{
	static const char *const u[] = {"B", "kB", "MB", "GB", "TB"};
	int k = 0;
	while (b >= 1000.0 && k < 4) {
		b /= 1000.0;
		k++;
	}
	snprintf(buf, n, k ? "%.1f %s" : "%.0f %s", b, u[k]);
}

/* ---- observe ----------------------------------------------------------------- */

size_t mm_net_observe(struct mm_net *n, const struct mm_event *ev, mm_corr_fn cb, void *ud)
{
	if (!n || ev->ts == MM_TS_NONE)
		return 0;
	n->st.events++;
	size_t fired = 0;
	if (ev->f[MM_F_SOURCE_IP].p || ev->f[MM_F_DESTINATION_IP].p)
		classify(n, ev, true);
	else
		memset(&n->cur, 0, sizeof(n->cur));
	fired += mm__net_logsource(n, ev, cb, ud);
	if ((n->ioc_ips.n && (n->cur.src_p.ioc || n->cur.dst_p.ioc)) || n->ioc_domains)
		fired += mm__net_ioc(n, ev, cb, ud);
	if ((ev->category && !strcmp(ev->category, "authentication")) ||
	    mm_slice_eq_cstr(ev->f[MM_F_EVENT_CATEGORY], "authentication") ||
	    (ev->f[MM_F_MESSAGE].p && n->ndevice_names))
		fired += mm__net_admin(n, ev, cb, ud);
	const struct mm__cur *c = &n->cur;
	if (c->dir == DIR_NONE)
		return fired;
	n->st.flows++;
	if (c->dir == DIR_OUTBOUND)
		n->st.outbound++;
	else if (c->dir == DIR_INBOUND)
		n->st.inbound++;
	else if (c->dir == DIR_INTERNAL)
		n->st.internal++;
	if (c->dir == DIR_OUTBOUND || c->dir == DIR_INBOUND)
		fired += mm__net_flow(n, ev, cb, ud);
	return fired;
}

void mm_net_stats(const struct mm_net *n, struct mm_net_stats *out)
{
	if (!n) {
		memset(out, 0, sizeof(*out));
		return;
	}
	*out = n->st;
	out->state_bytes = n->bytes;
	out->pairs = n->npairs;
}

void mm_net_print_stats(const struct mm_net *n, FILE *f)
{
	if (!n || (!n->st.flows && !n->st.alerts))
		return;
	fprintf(f,
	        "  egress     %llu flows (%llu outbound, %llu inbound, %llu internal), %zu hosts, "
	        "%zu destination pairs (%llu learned from the store, %llu saved), state %.1f MiB "
	        "peak (cap %.0f MiB), %llu cap hits\n",
	        (unsigned long long)n->st.flows, (unsigned long long)n->st.outbound,
	        (unsigned long long)n->st.inbound, (unsigned long long)n->st.internal, n->nhosts,
	        n->npairs, (unsigned long long)n->st.learned_pairs_loaded,
	        (unsigned long long)n->st.learned_pairs_saved,
	        (double)n->st.state_bytes_peak / 1048576.0, (double)n->o.state_mem / 1048576.0,
	        (unsigned long long)n->st.cap_hits);
	for (size_t r = 0; r < NR__COUNT; r++)
		if (n->alerts_by_rule[r])
			fprintf(f, "    %8llu  %-8s %s (egress analyzer)\n",
			        (unsigned long long)n->alerts_by_rule[r], mm__net_rules[r].level,
			        mm__net_rules[r].title);
	if (n->st.store_rc)
		fprintf(f, "  egress     the learned state could not be saved: %s\n", n->store_msg);
}

int mm_net_stats_json(const struct mm_net *n, struct mm_buf *b)
{
	if (!n)
		return MM_OK;
	mm_buf_printf(b,
	              "\"egress\":{\"events\":%llu,\"flows\":%llu,\"outbound\":%llu,\"inbound\":%llu,"
	              "\"internal\":%llu,\"hosts\":%zu,\"pairs\":%zu,\"pairs_peak\":%llu,"
	              "\"learned_pairs_loaded\":%llu,\"learned_pairs_saved\":%llu,"
	              "\"state_bytes\":%zu,\"state_bytes_peak\":%llu,\"state_mem\":%zu,"
	              "\"cap_hits\":%llu,\"alerts\":%llu,\"store_error\":%s,\"alerts_by_rule\":{",
	              (unsigned long long)n->st.events, (unsigned long long)n->st.flows,
	              (unsigned long long)n->st.outbound, (unsigned long long)n->st.inbound,
	              (unsigned long long)n->st.internal, n->nhosts, n->npairs,
	              (unsigned long long)n->st.pairs_peak,
	              (unsigned long long)n->st.learned_pairs_loaded,
	              (unsigned long long)n->st.learned_pairs_saved, n->bytes,
	              (unsigned long long)n->st.state_bytes_peak, n->o.state_mem,
	              (unsigned long long)n->st.cap_hits, (unsigned long long)n->st.alerts,
	              n->st.store_rc ? "true" : "false");
	bool first = true;
	for (size_t r = 0; r < NR__COUNT; r++)
		if (n->alerts_by_rule[r]) {
			mm_buf_printf(b, "%s\"%s\":%llu", first ? "" : ",", mm__net_rules[r].corr_type,
			              (unsigned long long)n->alerts_by_rule[r]);
			first = false;
		}
	return mm_buf_puts(b, "}}");
}
