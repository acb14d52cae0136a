/* mamori — the mail: section of mamori.yaml for `scan` and `mail` (see
 * mail_cfg.h). Unknown keys are errors, as everywhere in the config. */
#include "mail_cfg.h"

#include <stdio.h>
#include <string.h>

static size_t list(const struct mm_config *cfg, const char *path, const char **dst, size_t max)
{
	size_t n = mm_config_list(cfg, path, dst, max);
	if (n > max) {
		fprintf(stderr, "mamori: %s: only the first %zu entries are used\n", path, max);
		n = max;
	}
	return n;
}

int mm_cli_mail_config(const struct mm_config *cfg, struct mm_cli_mail_cfg *m)
{
	static const char *const keys[] = {"own_domains", "local_networks", "bulk_senders",
	                                   "brands",      "ioc_domains",    "ioc_urls",
	                                   "shorteners",  "trusted_authserv", "analyzers",
	                                   "thresholds",  NULL};
	static const char *const an_keys[] = {"enabled",     "bucket_seconds", "relay_min",
	                                      "burst_min",   "burst_domains",  "burst_factor",
	                                      "quiet_rate",  "sasl_streak",    "bounce_min",
	                                      "bounce_ratio", "listed_min",    NULL};
	static const char *const th_keys[] = {"suspicious", "phishing", NULL};
	memset(m, 0, sizeof(*m));
	if (!cfg)
		return 0;
	struct mm_error err;
	mm_error_clear(&err);
	if (mm_config_check_keys(cfg, "mail", keys, &err) ||
	    mm_config_check_keys(cfg, "mail.analyzers", an_keys, &err) ||
	    mm_config_check_keys(cfg, "mail.thresholds", th_keys, &err)) {
		mm_cli_error(&err);
		return -1;
	}
	struct mm_mail_opts *o = &m->an;
	struct mm_mail_check_opts *c = &m->chk;
	o->nown_domains = c->nown_domains = list(cfg, "mail.own_domains", m->own, MM_CLI_MAX_LIST);
	o->own_domains = c->own_domains = m->own;
	o->nbulk_senders = list(cfg, "mail.bulk_senders", m->bulk, MM_CLI_MAX_LIST);
	o->bulk_senders = m->bulk;
	c->nbrands = list(cfg, "mail.brands", m->brands, MM_CLI_MAX_LIST);
	c->brands = m->brands;
	c->nioc_domains = list(cfg, "mail.ioc_domains", m->ioc_domains, 256);
	c->ioc_domains = m->ioc_domains;
	c->nioc_urls = list(cfg, "mail.ioc_urls", m->ioc_urls, 256);
	c->ioc_urls = m->ioc_urls;
	size_t ns = list(cfg, "mail.shorteners", m->shorteners, MM_CLI_MAX_LIST);
	if (ns) {
		c->shorteners = m->shorteners;
		c->nshorteners = ns;
	}
	size_t na = list(cfg, "mail.trusted_authserv", m->authserv, MM_CLI_MAX_LIST);
	if (na) {
		c->trusted_authserv = m->authserv;
		c->ntrusted_authserv = na;
	}
	const char *nets[MM_CLI_MAX_LIST];
	size_t nn = list(cfg, "mail.local_networks", nets, MM_CLI_MAX_LIST);
	for (size_t i = 0; i < nn; i++)
		if (mm_cidr_parse(mm_slice_cstr(nets[i]), &m->nets[i])) {
			fprintf(stderr, "mamori: mail.local_networks: '%s' is not an address or CIDR "
			                "block (e.g. 10.0.0.0/8)\n", nets[i]);
			return -1;
		}
	if (nn) {
		o->local_nets = m->nets;
		o->nlocal_nets = nn;
	}
	const char *en = mm_config_str(cfg, "mail.analyzers.enabled");
	if (en && !strcmp(en, "false"))
		o->disabled = true;
	static const struct {
		const char *k;
		int64_t lo, hi;
	} nums[] = {{"bucket_seconds", 60, 7 * 86400}, {"relay_min", 1, 1000000},
	            {"burst_min", 1, 10000000},       {"burst_domains", 1, 1000000},
	            {"sasl_streak", 1, 1000000},      {"bounce_min", 1, 1000000},
	            {"listed_min", 1, 1000000}};
	for (size_t i = 0; i < MM_ARRAY_LEN(nums); i++) {
		char path[128];
		int64_t v;
		snprintf(path, sizeof(path), "mail.analyzers.%s", nums[i].k);
		int rc = mm_config_int(cfg, path, &v, &err);
		if (rc == MM_ENOENT)
			continue;
		if (rc || v < nums[i].lo || v > nums[i].hi) {
			fprintf(stderr, "mamori: %s must be an integer from %lld to %lld\n", path,
			        (long long)nums[i].lo, (long long)nums[i].hi);
			return -1;
		}
		switch (i) {
		case 0: o->bucket_ns = v * MM_NS_PER_SEC; break;
		case 1: o->relay_min = (uint32_t)v; break;
		case 2: o->burst_min = (uint32_t)v; break;
		case 3: o->burst_domains = (uint32_t)v; break;
		case 4: o->sasl_streak = (uint32_t)v; break;
		case 5: o->bounce_min = (uint32_t)v; break;
		default: o->listed_min = (uint32_t)v; break;
		}
	}
	static const struct {
		const char *k;
		double lo, hi;
	} dbl[] = {{"burst_factor", 1, 1e6}, {"quiet_rate", 0, 1e6}, {"bounce_ratio", 0, 1}};
	for (size_t i = 0; i < MM_ARRAY_LEN(dbl); i++) {
		char path[128];
		snprintf(path, sizeof(path), "mail.analyzers.%s", dbl[i].k);
		const char *v = mm_config_str(cfg, path);
		double d;
		if (!v)
			continue;
		if (mm_slice_to_double(mm_slice_cstr(v), &d) || d <= dbl[i].lo || d > dbl[i].hi) {
			fprintf(stderr, "mamori: %s must be a number above %g and at most %g\n", path,
			        dbl[i].lo, dbl[i].hi);
			return -1;
		}
		if (i == 0)
			o->burst_factor = d;
		else if (i == 1)
			o->quiet_rate = d;
		else
			o->bounce_ratio = d;
	}
	for (int k = 0; k < 2; k++) {
		char path[64];
		int64_t v;
		snprintf(path, sizeof(path), "mail.thresholds.%s", th_keys[k]);
		int rc = mm_config_int(cfg, path, &v, &err);
		if (rc == MM_ENOENT)
			continue;
		if (rc || v < 1 || v > 1000) {
			fprintf(stderr, "mamori: %s must be an integer from 1 to 1000\n", path);
			return -1;
		}
		if (k)
			c->threshold_phishing = (int)v;
		else
			c->threshold_suspicious = (int)v;
	}
	return 0;
}
