/* mamori — event watchers of the egress module that are not about volume or
 * timing: indicator (IoC) matches on addresses and domains in either
 * direction, administrative logins to network devices (from outside the
 * admin networks, or from a source the device never saw), and the per-host
 * log activity that the log-silence analysis (analyze.c) compares with the
 * host's traffic. Position: decode → enrich → this → alerts. */
#include "net_mod.h"

#include <string.h>

#define HOUR_NS (3600 * MM_NS_PER_SEC)

uint32_t mm__net_admin_add(struct mm_net *n, uint64_t key, int64_t first)
{
	if (n->nadmin == n->capadmin) {
		n->capadmin = n->capadmin ? n->capadmin * 2 : 64;
		n->admin_first = mm_realloc(n->admin_first, n->capadmin * sizeof(int64_t));
		n->admin_replay = mm_realloc(n->admin_replay, n->capadmin);
	}
	n->admin_first[n->nadmin] = first;
	n->admin_replay[n->nadmin] = 0;
	size_t before = mm__idx_bytes(&n->admin_seen);
	mm__idx_put(&n->admin_seen, key, (uint32_t)n->nadmin);
	mm__net_account(n, (long long)(mm__idx_bytes(&n->admin_seen) - before) + 9);
	return (uint32_t)n->nadmin++;
}

bool mm__net_once(struct mm_net *n, uint64_t key)
{
	if (mm__idx_get(&n->once, key) != UINT32_MAX)
		return false;
	/* at the state cap the alert is still given, just not remembered (it may
	 * repeat): a missed detection is worse than a duplicate */
	if (!mm__net_room(n, 32))
		return true;
	size_t before = mm__idx_bytes(&n->once);
	mm__idx_put(&n->once, key, 1);
	mm__net_account(n, (long long)(mm__idx_bytes(&n->once) - before));
	return true;
}

/* ---- IoC ------------------------------------------------------------------ */

static size_t ioc_hit(struct mm_net *n, const struct mm_event *ev, const char *kind,
                      struct mm_slice what, struct mm_slice peer, const char *field,
                      mm_corr_fn cb, void *ud)
{
	uint64_t key = mm_hash64(what.p, what.n, 0x696f63) ^ mm_hash64(peer.p, peer.n, 7);
	if (!mm__net_once(n, key))
		return 0;
	struct mm__emit em;
	mm__emit_init(&em);
	const char *gn[2] = {field, "source.ip"};
	struct mm_slice gv[2] = {what, peer};
	em.gnames = gn;
	em.gvals = gv;
	em.ngroup = peer.p && strcmp(field, "source.ip") ? 2 : 1;
	char hb[48];
	const struct mm__cur *c = &n->cur;
	if (c->has_src && c->src_in) {
		mm__ip_text(&c->src, hb, sizeof(hb));
		em.host = hb;
	} else if (c->has_dst && c->dst_in) {
		mm__ip_text(&c->dst, hb, sizeof(hb));
		em.host = hb;
	}
	mm__net_ref(n, &em.first, ev);
	em.ev = ev;
	em.count = 1;
	mm__expl(&em, "%s %.*s is on a configured indicator list (%s)", kind, (int)what.n, what.p,
	         field);
	if (peer.p && strcmp(field, "source.ip"))
		mm__expl(&em, "seen with %.*s", (int)peer.n, peer.p);
	return mm__net_emit(n, NR_IOC, &em, cb, ud);
}

/* A domain or any parent of it (evil.example.com matches example.com). */
static bool domain_listed(const struct mm_net *n, struct mm_slice d)
{
	while (d.n && d.p[d.n - 1] == '.')
		d.n--;
	for (int guard = 0; d.n && guard < 16; guard++) {
		if (mm_map_get(n->ioc_domains, d.p, d.n))
			return true;
		const char *dot = memchr(d.p, '.', d.n);
		if (!dot)
			break;
		d.n -= (size_t)(dot + 1 - d.p);
		d.p = dot + 1;
	}
	return false;
}

size_t mm__net_ioc(struct mm_net *n, const struct mm_event *ev, mm_corr_fn cb, void *ud)
{
	const struct mm__cur *c = &n->cur;
	size_t fired = 0;
	if (n->ioc_ips.n) {
		if (c->has_dst && c->dst_p.ioc)
			fired += ioc_hit(n, ev, "address", ev->f[MM_F_DESTINATION_IP], ev->f[MM_F_SOURCE_IP],
			                 "destination.ip", cb, ud);
		if (c->has_src && c->src_p.ioc)
			fired += ioc_hit(n, ev, "address", ev->f[MM_F_SOURCE_IP], ev->f[MM_F_DESTINATION_IP],
			                 "source.ip", cb, ud);
	}
	if (n->ioc_domains) {
		static const int df[] = {MM_F_DESTINATION_DOMAIN, MM_F_URL_DOMAIN, MM_F_SOURCE_DOMAIN};
		static const char *const dn[] = {"destination.domain", "url.domain", "source.domain"};
		for (size_t i = 0; i < MM_ARRAY_LEN(df); i++)
			if (ev->f[df[i]].p && domain_listed(n, ev->f[df[i]]))
				fired += ioc_hit(n, ev, "domain", ev->f[df[i]], ev->f[MM_F_SOURCE_IP], dn[i],
				                 cb, ud);
	}
	return fired;
}

/* ---- which configured host an event is from ----------------------------- */

static int host_by_name(const struct mm_net *n, struct mm_slice name)
{
	if (!name.p)
		return -1;
	for (size_t i = 0; i < n->nhcfg; i++)
		if (n->hcfg[i].name && mm_slice_ieq_cstr(name, n->hcfg[i].name))
			return (int)i;
	return -1;
}

static int event_host(const struct mm_net *n, const struct mm_event *ev)
{
	int k = host_by_name(n, ev->f[MM_F_OBSERVER_NAME]);
	if (k < 0)
		k = host_by_name(n, ev->f[MM_F_HOST_HOSTNAME]);
	if (k < 0)
		k = host_by_name(n, ev->f[MM_F_SYSLOG_HOSTNAME]);
	return k;
}

/* Log activity of configured hosts: the silence analysis needs, per hour,
 * whether the host wrote anything itself. */
size_t mm__net_logsource(struct mm_net *n, const struct mm_event *ev, mm_corr_fn cb, void *ud)
{
	(void)cb;
	(void)ud;
	if (!n->nhcfg)
		return 0;
	int k = event_host(n, ev);
	if (k < 0)
		return 0;
	uint32_t hi = mm__net_host(n, &n->hcfg[k].ip, n->hcfg[k].role);
	if (hi == UINT32_MAX)
		return 0;
	struct mm__host *h = &n->hosts[hi];
	int64_t hour = ev->ts >= 0 ? ev->ts / HOUR_NS : -((-ev->ts + HOUR_NS - 1) / HOUR_NS);
	if (!mm__host_hours(n, h, hour, true))
		return 0;
	uint32_t i = (uint32_t)(hour - h->h0);
	h->logc[i]++;
	mm__net_ref(n, &h->lastlog[i], ev);
	if (ev->ts > n->max_ts)
		n->max_ts = ev->ts;
	return 0;
}

/* ---- admin logins to network devices -------------------------------------- */

/* Cisco IOS "%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: admin]
 * [Source: 10.0.0.5] …" and Junos "UI_LOGIN_EVENT: User 'admin' login, class
 * '…' […], ssh-connection '10.0.0.5 50720 10.0.0.1 22' …": the source
 * address of a successful administrative login, from the message text. */
static struct mm_slice msg_login_source(struct mm_slice m, struct mm_slice *user)
{
	size_t i = 0;
	*user = MM_SLICE_NULL;
	for (; i + 14 <= m.n; i++)
		if (!memcmp(m.p + i, "LOGIN_SUCCESS:", 14))
			break;
	if (i + 14 <= m.n) {
		for (size_t j = i; j + 8 <= m.n; j++) {
			if (!memcmp(m.p + j, "[user: ", 7)) {
				size_t s = j + 7, e = s;
				while (e < m.n && m.p[e] != ']')
					e++;
				*user = mm_slice(m.p + s, e - s);
			}
			if (!memcmp(m.p + j, "[Source: ", 9) && j + 9 < m.n) {
				size_t s = j + 9, e = s;
				while (e < m.n && m.p[e] != ']')
					e++;
				return mm_slice(m.p + s, e - s);
			}
		}
		return MM_SLICE_NULL;
	}
	for (i = 0; i + 15 <= m.n; i++)
		if (!memcmp(m.p + i, "UI_LOGIN_EVENT:", 15))
			break;
	if (i + 15 > m.n)
		return MM_SLICE_NULL;
	for (size_t j = i; j + 6 <= m.n; j++) {
		if (!user->p && !memcmp(m.p + j, "User '", 6)) {
			size_t s = j + 6, e = s;
			while (e < m.n && m.p[e] != '\'')
				e++;
			*user = mm_slice(m.p + s, e - s);
		}
		if (j + 13 < m.n && !memcmp(m.p + j, "-connection '", 13)) {
			size_t s = j + 13, e = s;
			while (e < m.n && m.p[e] != ' ' && m.p[e] != '\'')
				e++;
			return mm_slice(m.p + s, e - s);
		}
	}
	return MM_SLICE_NULL;
}

size_t mm__net_admin(struct mm_net *n, const struct mm_event *ev, mm_corr_fn cb, void *ud)
{
	struct mm_slice src = MM_SLICE_NULL, user = ev->f[MM_F_USER_NAME];
	bool auth = (ev->category && !strcmp(ev->category, "authentication")) ||
	            mm_slice_eq_cstr(ev->f[MM_F_EVENT_CATEGORY], "authentication");
	if (auth) {
		if (!mm_slice_eq_cstr(ev->f[MM_F_EVENT_OUTCOME], "success"))
			return 0;
		src = ev->f[MM_F_SOURCE_IP];
	} else {
		src = msg_login_source(ev->f[MM_F_MESSAGE], &user);
	}
	struct mm_ip sip;
	if (!src.p || mm_ip_parse(src, &sip) != MM_OK)
		return 0;
	/* the device: named by the log line, or the login's destination */
	int k = event_host(n, ev);
	int role = k >= 0 ? n->hcfg[k].role : -1;
	const char *dev = k >= 0 ? n->hcfg[k].name : NULL;
	char dbuf[48];
	if (role < 0 && n->cur.has_dst) {
		role = mm__ipset_lookup(&n->roles, &n->cur.dst);
		mm__ip_text(&n->cur.dst, dbuf, sizeof(dbuf));
		dev = dbuf;
	}
	if (role < 0 || !n->role[role].device || !dev)
		return 0;
	uint64_t key = mm_hash64(dev, strlen(dev), 0x61646d) ^ mm__ip_hash(&sip, 0x73726363);
	uint32_t ai = mm__idx_get(&n->admin_seen, key);
	/* known only after its first login (a re-scan reports the same) */
	bool seen = ai != UINT32_MAX && !(ev->ts <= n->admin_first[ai] && !n->admin_replay[ai]);
	if (ai != UINT32_MAX && !seen)
		n->admin_replay[ai] = 1;
	bool outside = n->have_admin_nets && mm__ipset_lookup(&n->admin_nets, &sip) < 0;
	/* learning: the device's first logins (learn period from its first one) */
	uint32_t hi = k >= 0 ? mm__net_host(n, &n->hcfg[k].ip, role) : UINT32_MAX;
	bool learning = true;
	if (hi != UINT32_MAX) {
		struct mm__host *h = &n->hosts[hi];
		if (h->first_ts == MM_TS_NONE || ev->ts < h->first_ts)
			h->first_ts = ev->ts;
		learning = ev->ts < h->first_ts + n->o.learn_ns;
	}
	if (ai == UINT32_MAX) {
		mm__net_admin_add(n, key, ev->ts);
		if (n->nadmin_new == n->capadmin_new) {
			n->capadmin_new = n->capadmin_new ? n->capadmin_new * 2 : 16;
			n->admin_new = mm_realloc(n->admin_new, n->capadmin_new * sizeof(char *));
		}
		char line[160];
		snprintf(line, sizeof(line), "%s\t%.*s\t%lld", dev, (int)MM_MIN(src.n, 64), src.p,
		         (long long)ev->ts);
		n->admin_new[n->nadmin_new++] = mm_strdup(line);
	}
	if (!outside && (seen || learning))
		return 0;
	if (!mm__net_once(n, key ^ 0x5151))
		return 0;
	struct mm__emit em;
	mm__emit_init(&em);
	static const char *const gn[] = {"observer.name", "source.ip", "user.name"};
	struct mm_slice gv[3] = {mm_slice_cstr(dev), src, user};
	em.gnames = gn;
	em.gvals = gv;
	em.ngroup = user.p ? 3 : 2;
	em.host = dev;
	mm__net_ref(n, &em.first, ev);
	em.ev = ev;
	em.count = 1;
	if (outside)
		mm__expl(&em, "administrative login to %s (role %s) as %.*s from %.*s, outside the "
		              "configured admin networks",
		         dev, n->role[role].name, (int)(user.p ? user.n : 1), user.p ? user.p : "?",
		         (int)src.n, src.p);
	if (!seen && !learning)
		mm__expl(&em, "%.*s never logged in to %s before (learning period %lld days)",
		         (int)src.n, src.p, dev, (long long)(n->o.learn_ns / (86400 * MM_NS_PER_SEC)));
	return mm__net_emit(n, NR_ADMIN, &em, cb, ud);
}
