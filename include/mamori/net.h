/* mamori — network egress monitoring (src/net/, docs/egress.md): the asset
 * model of mamori.yaml (`assets:` CIDRs/hosts → roles, internal ranges, admin
 * networks) and the egress analyzers of `egress:` — first-seen outbound
 * destinations per role (learned state persisted in the store), beaconing,
 * exfiltration volume against each host's own baseline, port policy, log
 * silence, admin logins to network devices and IoC matches.
 * Pipeline position: decode → mm_net_enrich (source.role, destination.role,
 * network.direction) → rules → mm_net_observe → alerts; mm_net_flush at the
 * end of input runs the whole-period analyses and saves the learned state. */
#ifndef MAMORI_NET_H
#define MAMORI_NET_H

#include "mamori/config.h"
#include "mamori/detect.h"
#include "mamori/store.h"

struct mm_net;

/* Build from the config's `assets:` and `egress:` sections (cfg may be NULL:
 * built-in defaults, RFC 1918/4193 internal, no roles) and load the learned
 * state from store (may be NULL: nothing persists). IoC files named in the
 * config are read here. MM_OK with *out owned (NULL when `egress.enabled:
 * false`: every mm_net_* call accepts NULL), or MM_EINVAL/MM_ENOENT/MM_EDB
 * with err filled (what to fix in which key). */
int mm_net_new(struct mm_net **out, const struct mm_config *cfg, struct mm_store *store,
               struct mm_error *err);
void mm_net_free(struct mm_net *n); /* accepts NULL */

/* The top-level config sections this module reads ("assets", "egress"). */
extern const char *const mm_net_config_sections[];

/* Add source.role, destination.role and network.direction to an event with
 * addresses (static strings or config-owned slices; nothing allocated).
 * Events without a destination address are left alone. */
void mm_net_enrich(struct mm_net *n, struct mm_event *ev);

/* Feed one decoded (and enriched) event to the analyzers; cb receives each
 * result as for mm_correlate(). Returns the number of callbacks. */
size_t mm_net_observe(struct mm_net *n, const struct mm_event *ev, mm_corr_fn cb, void *ud);

/* End of input: the analyses over the whole period (exfiltration volume, log
 * silence, pending beacon windows), then the learned state is written to the
 * store given to mm_net_new (inside the caller's open transaction). A store
 * error is counted in the stats and reported by mm_net_print_stats. */
size_t mm_net_flush(struct mm_net *n, mm_corr_fn cb, void *ud);

/* The analyzers' rules (for `rules list`); index i < count. */
size_t mm_net_rule_count(void);
const struct mm_rule_info *mm_net_rule_at(size_t i);

struct mm_net_stats {
	uint64_t events, flows, outbound, inbound, internal; /* flows by direction */
	uint64_t alerts, pairs, pairs_peak, hosts;
	uint64_t state_bytes, state_bytes_peak, cap_hits;
	uint64_t learned_pairs_loaded, learned_pairs_saved;
	size_t ioc_skipped; /* STIX comparisons of other kinds (hashes, URLs) not used */
	int store_rc; /* first store error (0 = none) */
};
void mm_net_stats(const struct mm_net *n, struct mm_net_stats *out);
/* One summary line block for the scan summary (nothing when no flow was seen). */
void mm_net_print_stats(const struct mm_net *n, FILE *f);
/* The same as a JSON object member (`"egress":{…}` without a leading comma)
 * appended to b; nothing when n is NULL. */
int mm_net_stats_json(const struct mm_net *n, struct mm_buf *b);

#endif
