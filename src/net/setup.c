/* mamori — building the egress module from mamori.yaml: `assets:` (internal
 * ranges, roles with their CIDRs, hosts, allowed destinations and ports,
 * admin networks) and `egress:` (learning period, allowlists, resolvers and
 * NTP servers, indicator files, analyzer thresholds), then the learned state
 * from the store; the end-of-input flush and freeing. Every key is checked:
 * a typo is an error naming the key. Reference: docs/egress.md. */
#include "net_mod.h"

#include "mamori/json.h"

#include <stdlib.h>
#include <string.h>

const char *const mm_net_config_sections[] = {"assets", "egress", NULL};

#define DAY_NS (86400 * MM_NS_PER_SEC)
#define MAX_LIST 4096

/* RFC 1918, RFC 6598 (CGN), loopback, link-local, RFC 4193 ULA, multicast
 * and broadcast: never "the outside". */
static const char *const g_internal[] = {
	"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8",
	"169.254.0.0/16", "224.0.0.0/4", "255.255.255.255/32", "0.0.0.0/32",
	"::1/128", "fc00::/7", "fe80::/10", "ff00::/8"};

/* Built-in roles and their defaults (docs/egress.md "Roles"). */
static const struct {
	const char *name;
	int first_seen;
	bool device, smtp_ok;
} g_builtin_roles[] = {
	{"network-device", FS_HIGH, true, false}, {"nas", FS_HIGH, false, false},
	{"mail-gateway", FS_HIGH, false, true},   {"server", FS_MEDIUM, false, false},
	{"workstation", FS_OFF, false, false},
};

static int role_index(struct mm_net *n, const char *name, bool create)
{
	for (size_t i = 0; i < n->nroles; i++)
		if (!strcmp(n->role[i].name, name))
			return (int)i;
	if (!create || n->nroles == MM_NET_MAX_ROLES)
		return -1;
	struct mm__role *r = &n->role[n->nroles];
	memset(r, 0, sizeof(*r));
	r->name = mm_strdup(name);
	r->name_s = mm_slice_cstr(r->name);
	r->first_seen = FS_MEDIUM;
	for (size_t i = 0; i < MM_ARRAY_LEN(g_builtin_roles); i++)
		if (!strcmp(g_builtin_roles[i].name, name)) {
			r->first_seen = g_builtin_roles[i].first_seen;
			r->device = g_builtin_roles[i].device;
			r->smtp_ok = g_builtin_roles[i].smtp_ok;
		}
	mm__ipset_init(&n->role_allow[n->nroles]);
	return (int)n->nroles++;
}

static int bad(struct mm_error *err, const char *key, const char *what, const char *v)
{
	return mm_error_set(err, MM_EINVAL, NULL, 0, 0, "%s: %s%s%s%s", key, what, v ? " ('" : "",
	                    v ? v : "", v ? "')" : "");
}

static int cidr_list(const struct mm_config *cfg, const char *key, struct mm__ipset *set, int val,
                     struct mm_error *err)
{
	const char **items = mm_malloc(MAX_LIST * sizeof(*items));
	size_t k = mm_config_list(cfg, key, items, MAX_LIST);
	int rc = MM_OK;
	for (size_t i = 0; i < k && i < MAX_LIST && !rc; i++)
		if (mm__ipset_add_text(set, items[i], val) != MM_OK)
			rc = bad(err, key, "not an IP address or CIDR block", items[i]);
	free(items);
	return rc;
}

static int get_num(const struct mm_config *cfg, const char *key, double lo, double hi,
                   double *out, struct mm_error *err)
{
	const char *v = mm_config_str(cfg, key);
	double d;
	if (!v)
		return MM_OK;
	if (mm_slice_to_double(mm_slice_cstr(v), &d) || d < lo || d > hi) {
		char what[96];
		snprintf(what, sizeof(what), "must be a number from %g to %g", lo, hi);
		return bad(err, key, what, v);
	}
	*out = d;
	return MM_OK;
}

static bool is_false(const char *v)
{
	return v && (!strcmp(v, "false") || !strcmp(v, "off") || !strcmp(v, "no"));
}

static int parse_roles(struct mm_net *n, const struct mm_config *cfg, struct mm_error *err)
{
	static const char *const rkeys[] = {"cidrs", "first_seen", "ports", "allow", "device",
	                                    "smtp", NULL};
	const char *names[MM_NET_MAX_ROLES];
	size_t nr = mm_config_keys(cfg, "assets.roles", names, MM_NET_MAX_ROLES);
	int rc;
	for (size_t i = 0; i < nr && i < MM_NET_MAX_ROLES; i++) {
		char key[256];
		snprintf(key, sizeof(key), "assets.roles.%s", names[i]);
		if ((rc = mm_config_check_keys(cfg, key, rkeys, err)))
			return rc;
		int ri = role_index(n, names[i], true);
		if (ri < 0)
			return bad(err, "assets.roles", "too many roles (at most 32)", NULL);
		struct mm__role *r = &n->role[ri];
		snprintf(key, sizeof(key), "assets.roles.%s.cidrs", names[i]);
		if ((rc = cidr_list(cfg, key, &n->roles, ri, err)))
			return rc;
		snprintf(key, sizeof(key), "assets.roles.%s.allow", names[i]);
		if ((rc = cidr_list(cfg, key, &n->role_allow[ri], 1, err)))
			return rc;
		snprintf(key, sizeof(key), "assets.roles.%s.first_seen", names[i]);
		const char *fs = mm_config_str(cfg, key);
		if (fs) {
			if (is_false(fs))
				r->first_seen = FS_OFF;
			else if (!strcmp(fs, "medium"))
				r->first_seen = FS_MEDIUM;
			else if (!strcmp(fs, "high") || !strcmp(fs, "true"))
				r->first_seen = FS_HIGH;
			else
				return bad(err, key, "must be off, medium or high", fs);
		}
		snprintf(key, sizeof(key), "assets.roles.%s.device", names[i]);
		const char *dv = mm_config_str(cfg, key);
		if (dv)
			r->device = !is_false(dv);
		snprintf(key, sizeof(key), "assets.roles.%s.smtp", names[i]);
		dv = mm_config_str(cfg, key);
		if (dv)
			r->smtp_ok = !is_false(dv);
		snprintf(key, sizeof(key), "assets.roles.%s.ports", names[i]);
		if (mm_config_count(cfg, key)) {
			const char *items[MM_NET_MAX_PORTS];
			size_t k = mm_config_list(cfg, key, items, MM_NET_MAX_PORTS);
			r->ports_set = true;
			for (size_t j = 0; j < k && j < MM_NET_MAX_PORTS; j++) {
				int64_t p;
				if (mm_slice_to_i64(mm_slice_cstr(items[j]), &p) || p < 0 || p > 65535)
					return bad(err, key, "must list port numbers (0-65535)", items[j]);
				r->ports[r->nports++] = (uint16_t)p;
			}
		}
	}
	return MM_OK;
}

static int parse_hosts(struct mm_net *n, const struct mm_config *cfg, struct mm_error *err)
{
	static const char *const hkeys[] = {"ip", "role", NULL};
	const char *names[MM_NET_MAX_HCFG];
	size_t nh = mm_config_keys(cfg, "assets.hosts", names, MM_NET_MAX_HCFG);
	int rc;
	for (size_t i = 0; i < nh && i < MM_NET_MAX_HCFG; i++) {
		char key[256];
		snprintf(key, sizeof(key), "assets.hosts.%s", names[i]);
		if ((rc = mm_config_check_keys(cfg, key, hkeys, err)))
			return rc;
		snprintf(key, sizeof(key), "assets.hosts.%s.ip", names[i]);
		const char *ip = mm_config_str(cfg, key);
		struct mm__host_cfg *h = &n->hcfg[n->nhcfg];
		if (!ip || mm_ip_parse(mm_slice_cstr(ip), &h->ip) != MM_OK)
			return bad(err, key, "needs the host's IP address", ip);
		snprintf(key, sizeof(key), "assets.hosts.%s.role", names[i]);
		const char *role = mm_config_str(cfg, key);
		h->role = role ? role_index(n, role, true) : -1;
		if (role && h->role < 0)
			return bad(err, key, "too many roles (at most 32)", role);
		h->name = mm_strdup(names[i]);
		if (h->role >= 0) {
			struct mm_cidr c = {.net = h->ip, .bits = 128};
			mm__ipset_add(&n->roles, &c, h->role);
			if (n->role[h->role].device)
				n->ndevice_names++;
		}
		n->nhcfg++;
	}
	return MM_OK;
}

static void ioc_domain(struct mm_net *n, const char *p, size_t l);

/* One indicator per line; '#' comments and blank lines skipped. */
static int load_ioc_file(struct mm_net *n, const char *path, bool domains, struct mm_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return mm_error_set(err, MM_ENOENT, path, 0, 0,
		                    "cannot read the indicator list (egress.ioc): check the path");
	char line[1024];
	unsigned ln = 0;
	int rc = MM_OK;
	while (!rc && fgets(line, sizeof(line), f)) {
		ln++;
		size_t l = strcspn(line, "#\r\n");
		while (l && (line[l - 1] == ' ' || line[l - 1] == '\t'))
			l--;
		size_t s = 0;
		while (s < l && (line[s] == ' ' || line[s] == '\t'))
			s++;
		if (s == l)
			continue;
		line[l] = '\0';
		if (!domains) {
			if (mm__ipset_add_text(&n->ioc_ips, line + s, 1) != MM_OK)
				rc = mm_error_set(err, MM_EINVAL, path, ln, 0,
				                  "not an IP address or CIDR block: '%s'", line + s);
			continue;
		}
		ioc_domain(n, line + s, l - s);
	}
	fclose(f);
	return rc;
}

static void ioc_domain(struct mm_net *n, const char *p, size_t l)
{
	while (l && p[l - 1] == '.')
		l--;
	if (!l)
		return;
	if (!n->ioc_domains)
		n->ioc_domains = mm_map_new(true);
	if (n->nioc_text % 256 == 0)
		n->ioc_text = mm_realloc(n->ioc_text, (n->nioc_text + 256) * sizeof(char *));
	char *d = mm_strndup(p, l);
	for (char *q = d; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q | 0x20);
	n->ioc_text[n->nioc_text++] = d;
	mm_map_put(n->ioc_domains, d, l, d);
}

/* STIX 2.1 bundle (OASIS STIX 2.1 §4 "indicator", §9 patterning): every
 * `[ipv4-addr:value = '…']`, `[ipv6-addr:value = '…']` and
 * `[domain-name:value = '…']` comparison of a non-revoked indicator with
 * pattern_type stix. Other comparisons (file hashes, URLs) are skipped and
 * counted. valid_until is not applied: the scan runs on event time, and an
 * indicator's validity is the feed's business. */
static int load_stix(struct mm_net *n, const char *path, size_t *skipped, struct mm_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return mm_error_set(err, MM_ENOENT, path, 0, 0,
		                    "cannot read the STIX bundle (egress.ioc.stix): check the path");
	struct mm_buf b;
	mm_buf_init(&b, (size_t)256 << 20);
	char chunk[65536];
	size_t k;
	int rc = MM_OK;
	while (!rc && (k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (mm_buf_append(&b, chunk, k))
			rc = mm_error_set(err, MM_ELIMIT, path, 0, 0, "STIX bundle larger than 256 MiB");
	fclose(f);
	struct mm_json_doc *doc = NULL;
	size_t off = 0;
	if (!rc && mm_json_parse(&doc, b.p ? b.p : "", b.n, NULL, &off))
		rc = mm_error_set(err, MM_EPARSE, path, 0, 0,
		                  "not a JSON STIX bundle (error near byte %zu)", off);
	const struct mm_json *objs = rc ? NULL : mm_json_get(mm_json_root(doc), "objects");
	for (size_t i = 0; !rc && i < mm_json_len(objs); i++) {
		const struct mm_json *o = mm_json_at(objs, i);
		const char *type = mm_json_get_str(o, "type"), *pt = mm_json_get_str(o, "pattern_type");
		const char *pat = mm_json_get_str(o, "pattern");
		if (!type || strcmp(type, "indicator") || !pat || (pt && strcmp(pt, "stix")) ||
		    mm_json_is_true(mm_json_get(o, "revoked")))
			continue;
		/* each comparison: <object>:value = '<literal>' */
		for (const char *q = pat; (q = strstr(q, ":value")) != NULL; q += 6) {
			const char *obj = q;
			while (obj > pat && obj[-1] != '[' && obj[-1] != ' ' && obj[-1] != '(')
				obj--;
			const char *lit = strchr(q, '\'');
			const char *end = lit ? strchr(lit + 1, '\'') : NULL;
			if (!end)
				break;
			size_t on = (size_t)(q - obj), ln = (size_t)(end - lit - 1);
			char val[256];
			if (ln >= sizeof(val)) {
				(*skipped)++;
				continue;
			}
			memcpy(val, lit + 1, ln);
			val[ln] = '\0';
			if ((on == 9 && !strncmp(obj, "ipv4-addr", 9)) || (on == 9 && !strncmp(obj, "ipv6-addr", 9))) {
				if (mm__ipset_add_text(&n->ioc_ips, val, 1) != MM_OK)
					(*skipped)++;
			} else if (on == 11 && !strncmp(obj, "domain-name", 11)) {
				ioc_domain(n, val, ln);
			} else {
				(*skipped)++;
			}
		}
	}
	mm_json_doc_free(doc);
	mm_buf_free(&b);
	return rc;
}

static int parse_egress(struct mm_net *n, const struct mm_config *cfg, struct mm_error *err)
{
	static const char *const ekeys[] = {"enabled", "learn_days", "allow", "resolvers", "ntp", "ioc",
	                                    "beacon", "exfil", "silence", "long_connection_hours",
	                                    "state_mem_mb", NULL};
	static const char *const ikeys[] = {"ips", "domains", "stix", NULL};
	static const char *const bkeys[] = {"enabled", "min_connections", "score", "max_samples",
	                                    NULL};
	static const char *const xkeys[] = {"min_hour_mb", "min_day_mb", "mad_k", "hour_ratio",
	                                    "day_ratio", "min_history_days", NULL};
	static const char *const skeys[] = {"hours", "coverage", NULL};
	int rc;
	if ((rc = mm_config_check_keys(cfg, "egress", ekeys, err)) ||
	    (rc = mm_config_check_keys(cfg, "egress.ioc", ikeys, err)) ||
	    (rc = mm_config_check_keys(cfg, "egress.beacon", bkeys, err)) ||
	    (rc = mm_config_check_keys(cfg, "egress.exfil", xkeys, err)) ||
	    (rc = mm_config_check_keys(cfg, "egress.silence", skeys, err)))
		return rc;
	double d = (double)n->o.learn_ns / (double)DAY_NS;
	if ((rc = get_num(cfg, "egress.learn_days", 0, 3650, &d, err)))
		return rc;
	n->o.learn_ns = (int64_t)(d * (double)DAY_NS);
	if ((rc = cidr_list(cfg, "egress.allow", &n->allow, 1, err)) ||
	    (rc = cidr_list(cfg, "egress.resolvers", &n->svc, 1, err)))
		return rc;
	{
		/* an address both resolver and NTP server gets both bits */
		const char *items[256];
		size_t k = mm_config_list(cfg, "egress.ntp", items, 256);
		for (size_t i = 0; i < k && i < 256; i++) {
			struct mm_cidr c;
			if (mm_cidr_parse(mm_slice_cstr(items[i]), &c) != MM_OK)
				return bad(err, "egress.ntp", "not an IP address or CIDR block", items[i]);
			int old = mm__ipset_lookup(&n->svc, &c.net);
			mm__ipset_add(&n->svc, &c, old >= 0 ? old | 2 : 2);
		}
	}
	const char *files[64];
	size_t k = mm_config_list(cfg, "egress.ioc.ips", files, 64);
	for (size_t i = 0; i < k && i < 64; i++)
		if ((rc = load_ioc_file(n, files[i], false, err)))
			return rc;
	k = mm_config_list(cfg, "egress.ioc.domains", files, 64);
	for (size_t i = 0; i < k && i < 64; i++)
		if ((rc = load_ioc_file(n, files[i], true, err)))
			return rc;
	k = mm_config_list(cfg, "egress.ioc.stix", files, 64);
	for (size_t i = 0; i < k && i < 64; i++)
		if ((rc = load_stix(n, files[i], &n->st.ioc_skipped, err)))
			return rc;
	if (is_false(mm_config_str(cfg, "egress.beacon.enabled")))
		n->o.beacon_min_conns = 0;
	double v = n->o.beacon_min_conns;
	if (n->o.beacon_min_conns &&
	    (rc = get_num(cfg, "egress.beacon.min_connections", 3, 100000, &v, err)))
		return rc;
	n->o.beacon_min_conns = (uint32_t)v;
	if ((rc = get_num(cfg, "egress.beacon.score", 0.1, 1, &n->o.beacon_score, err)))
		return rc;
	v = n->o.beacon_max_samples;
	if ((rc = get_num(cfg, "egress.beacon.max_samples", 16, 1 << 20, &v, err)))
		return rc;
	n->o.beacon_max_samples = (uint32_t)v;
	if (n->o.beacon_min_conns > n->o.beacon_max_samples)
		n->o.beacon_min_conns = n->o.beacon_max_samples;
	v = (double)n->o.long_conn_ns / 3600e9;
	if ((rc = get_num(cfg, "egress.long_connection_hours", 0, 8760, &v, err)))
		return rc;
	n->o.long_conn_ns = (int64_t)(v * 3600e9);
	double mb = (double)n->o.exfil_min_hour_bytes / 1e6;
	if ((rc = get_num(cfg, "egress.exfil.min_hour_mb", 0, 1e9, &mb, err)))
		return rc;
	n->o.exfil_min_hour_bytes = (uint64_t)(mb * 1e6);
	mb = (double)n->o.exfil_min_day_bytes / 1e6;
	if ((rc = get_num(cfg, "egress.exfil.min_day_mb", 0, 1e9, &mb, err)))
		return rc;
	n->o.exfil_min_day_bytes = (uint64_t)(mb * 1e6);
	if ((rc = get_num(cfg, "egress.exfil.mad_k", 1, 1000, &n->o.exfil_mad_k, err)) ||
	    (rc = get_num(cfg, "egress.exfil.hour_ratio", 1, 1e6, &n->o.exfil_hour_ratio, err)) ||
	    (rc = get_num(cfg, "egress.exfil.day_ratio", 1, 1e6, &n->o.exfil_day_ratio, err)))
		return rc;
	v = n->o.exfil_min_history;
	if ((rc = get_num(cfg, "egress.exfil.min_history_days", 1, MM__NET_HIST, &v, err)))
		return rc;
	n->o.exfil_min_history = (uint32_t)v;
	v = (double)n->o.silence_ns / 3600e9;
	if ((rc = get_num(cfg, "egress.silence.hours", 1, 8760, &v, err)))
		return rc;
	n->o.silence_ns = (int64_t)(v * 3600e9);
	if ((rc = get_num(cfg, "egress.silence.coverage", 0.01, 1, &n->o.silence_coverage, err)))
		return rc;
	mb = (double)n->o.state_mem / 1048576.0;
	if ((rc = get_num(cfg, "egress.state_mem_mb", 1, 1 << 20, &mb, err)))
		return rc;
	n->o.state_mem = (size_t)(mb * 1048576.0);
	return MM_OK;
}

int mm_net_new(struct mm_net **out, const struct mm_config *cfg, struct mm_store *store,
               struct mm_error *err)
{
	struct mm_net *n = mm_calloc(1, sizeof(*n));
	int rc;
	n->o.learn_ns = 7 * DAY_NS;
	n->o.beacon_min_conns = 20;
	n->o.beacon_score = 0.8;
	n->o.beacon_max_samples = 2048;
	n->o.long_conn_ns = 8 * 3600 * MM_NS_PER_SEC;
	n->o.exfil_min_hour_bytes = 50000000;
	n->o.exfil_min_day_bytes = 200000000;
	n->o.exfil_mad_k = 6;
	n->o.exfil_hour_ratio = 10;
	n->o.exfil_day_ratio = 4;
	n->o.exfil_min_history = 5;
	n->o.silence_ns = 6 * 3600 * MM_NS_PER_SEC;
	n->o.silence_coverage = 0.8;
	n->o.state_mem = (size_t)512 << 20;
	n->max_ts = INT64_MIN;
	n->prof = mm_calloc((size_t)1 << MM__PROF_BITS, sizeof(*n->prof));
	n->bytes = ((size_t)1 << MM__PROF_BITS) * sizeof(*n->prof);
	mm__ipset_init(&n->internal);
	mm__ipset_init(&n->roles);
	mm__ipset_init(&n->allow);
	mm__ipset_init(&n->svc);
	mm__ipset_init(&n->admin_nets);
	mm__ipset_init(&n->ioc_ips);
	for (size_t i = 0; i < MM_ARRAY_LEN(g_builtin_roles); i++)
		role_index(n, g_builtin_roles[i].name, true);
	static const char *const akeys[] = {"internal", "admin_networks", "roles", "hosts", NULL};
	if (cfg && (rc = mm_config_check_keys(cfg, "assets", akeys, err)))
		goto out;
	if (cfg && mm_config_count(cfg, "assets.internal")) {
		if ((rc = cidr_list(cfg, "assets.internal", &n->internal, 1, err)))
			goto out;
		/* loopback, link-local and multicast stay inside whatever is configured */
		for (size_t i = 4; i < MM_ARRAY_LEN(g_internal); i++)
			if (i != 10) /* fc00::/7 is a real network: configured or not */
				mm__ipset_add_text(&n->internal, g_internal[i], 1);
	} else {
		for (size_t i = 0; i < MM_ARRAY_LEN(g_internal); i++)
			mm__ipset_add_text(&n->internal, g_internal[i], 1);
	}
	if (cfg) {
		if ((rc = cidr_list(cfg, "assets.admin_networks", &n->admin_nets, 1, err)))
			goto out;
		n->have_admin_nets = n->admin_nets.n > 0;
		if ((rc = parse_roles(n, cfg, err)) || (rc = parse_hosts(n, cfg, err)) ||
		    (rc = parse_egress(n, cfg, err)))
			goto out;
	}
	if (cfg && is_false(mm_config_str(cfg, "egress.enabled"))) {
		mm_net_free(n);
		*out = NULL;
		return MM_OK;
	}
	n->store = store;
	if (store && (rc = mm__net_load(n, err)))
		goto out;
	rc = MM_OK;
out:
	if (rc) {
		mm_net_free(n);
		n = NULL;
	}
	*out = n;
	return rc;
}

void mm_net_free(struct mm_net *n)
{
	if (!n)
		return;
	mm__ipset_free(&n->internal);
	mm__ipset_free(&n->roles);
	mm__ipset_free(&n->allow);
	mm__ipset_free(&n->svc);
	mm__ipset_free(&n->admin_nets);
	mm__ipset_free(&n->ioc_ips);
	for (size_t i = 0; i < n->nroles; i++) {
		mm__ipset_free(&n->role_allow[i]);
		free(n->role[i].name);
	}
	for (size_t i = 0; i < n->nhcfg; i++)
		free(n->hcfg[i].name);
	mm_map_free(n->ioc_domains);
	for (size_t i = 0; i < n->nioc_text; i++)
		free(n->ioc_text[i]);
	free(n->ioc_text);
	for (size_t i = 0; i < n->nhosts; i++) {
		struct mm__host *h = &n->hosts[i];
		free(h->hb[0]);
		free(h->hb[1]);
		free(h->hmax);
		free(h->href);
		free(h->logc);
		free(h->trafc);
		free(h->lastlog);
	}
	free(n->hosts);
	mm__idx_free(&n->host_idx);
	for (size_t i = 0; i < n->nbeacons; i++) {
		free(MM__BEACON(n, i)->iv);
		free(MM__BEACON(n, i)->sz);
	}
	for (size_t i = 0; i < n->nbeacon_chunks; i++)
		free(n->beacon_chunk[i]);
	free(n->beacon_chunk);
	for (size_t i = 0; i < n->npair_chunks; i++)
		free(n->pair_chunk[i]);
	free(n->pair_chunk);
	free(n->prof);
	mm__idx_free(&n->pair_idx);
	mm__idx_free(&n->once);
	mm__idx_free(&n->admin_seen);
	free(n->admin_first);
	free(n->admin_replay);
	for (size_t i = 0; i < n->nadmin_new; i++)
		free(n->admin_new[i]);
	free(n->admin_new);
	for (size_t i = 0; i < n->nfiles; i++)
		free(n->files[i]);
	free(n->files);
	free(n);
}

size_t mm_net_flush(struct mm_net *n, mm_corr_fn cb, void *ud)
{
	if (!n)
		return 0;
	size_t fired = 0;
	for (size_t i = 0; i < n->npairs; i++)
		if (MM__PAIR(n, i)->beacon != UINT32_MAX)
			fired += mm__beacon_score(n, MM__PAIR(n, i), cb, ud);
	for (size_t i = 0; i < n->nhosts; i++)
		fired += mm__net_exfil(n, &n->hosts[i], cb, ud);
	for (size_t i = 0; i < n->nhosts; i++)
		fired += mm__net_silence(n, &n->hosts[i], cb, ud);
	if (n->store && !n->st.store_rc && (n->st.flows || n->nadmin_new)) {
		struct mm_error e;
		mm_error_clear(&e);
		n->st.store_rc = mm__net_save(n, &e);
		if (n->st.store_rc)
			snprintf(n->store_msg, sizeof(n->store_msg), "%.200s", e.msg);
	}
	return fired;
}
