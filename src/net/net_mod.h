/* mamori — the state of the egress module (struct mm_net) and the functions
 * its files share: enrichment and emission (net.c), configuration (setup.c),
 * per-flow analyzers (flow.c), indicators and admin logins (watch.c), the
 * end-of-input analyses (analyze.c) and the learned state (learn.c). */
#ifndef MAMORI_NET_MOD_H
#define MAMORI_NET_MOD_H

#include "net_int.h"

#include <stdarg.h>

#define MM_NET_MAX_HOSTS 65536
#define MM_NET_MAX_HCFG 1024
#define MM__NET_MAX_EXPL 8
#define MM__NET_HIST 28         /* baseline values kept per host and slot */
#define MM__NET_MAX_HOURS (24 * 800) /* hours of one scan per host (cap, counted) */

enum mm__net_rule {
	NR_FIRST_SEEN_HIGH,
	NR_FIRST_SEEN,
	NR_BEACON,
	NR_LONG,
	NR_EXFIL,
	NR_POLICY,
	NR_SILENCE,
	NR_ADMIN,
	NR_IOC,
	NR__COUNT
};
extern const struct mm_rule_info mm__net_rules[NR__COUNT];

enum { DIR_INTERNAL, DIR_OUTBOUND, DIR_INBOUND, DIR_EXTERNAL, DIR_NONE };

struct mm__evref {
	int64_t ts; /* MM_TS_NONE: none */
	uint64_t off, line;
	uint32_t file;
	const char *ds; /* the line's dataset (decoders' static strings), or NULL */
};

/* What the config says about one address, computed once and cached. */
struct mm__prof {
	uint8_t a[16];
	bool used, internal, allow, ioc;
	uint8_t svc;        /* 1 resolver, 2 NTP server */
	int16_t role;       /* -1: none */
	uint32_t role_allow; /* bit r: role r's allowlist contains it */
	uint32_t host;      /* internal host index (UINT32_MAX: not yet) */
};
#define MM__PROF_BITS 14

/* The current event's parsed addresses (enrich and observe share them). */
struct mm__cur {
	const struct mm_event *ev;
	const char *sp, *dp; /* the address slices classified */
	bool valid;          /* set by enrich, consumed by the next observe */
	uint64_t off, line;
	int64_t ts;
	struct mm_ip src, dst;
	struct mm__prof src_p, dst_p; /* copies: cache slots may be reused */
	bool has_src, has_dst, src_in, dst_in;
	int src_role, dst_role;
	int dir;
};

/* One baseline value: bytes out in an hour (or a day) starting at `hour`. */
struct mm__hv {
	int64_t hour;
	uint64_t v;
};

/* An internal host seen in flows. */
struct mm__host {
	struct mm_ip ip;
	char name[48]; /* address text */
	int role;      /* -1: none */
	int cfg;       /* index in hcfg, or -1 */
	int64_t first_ts; /* learning starts here (persisted) */
	int64_t last_ts;
	bool known;       /* loaded from the store */
	uint32_t nseen;   /* destinations learned or reported */
	/* volume: bytes out per hour, hour index h0 + i, per sensor class */
	int64_t h0;
	uint32_t nh;
	uint64_t *hb[2];
	uint64_t *hmax;           /* biggest single flow of the hour */
	struct mm__evref *href;   /* its evidence */
	/* baselines from earlier runs: slots 0..23 hour of day, 24 = daily total */
	struct mm__hv hist[25][MM__NET_HIST]; /* oldest first */
	uint8_t nhist[25];
	/* log silence (configured hosts only) */
	uint32_t *logc, *trafc;    /* per hour */
	struct mm__evref *lastlog; /* per hour: its last log line */
	uint64_t hist_log_hours, hist_hours;
};

#define PF_STORED 0x01   /* loaded from the store */
#define PF_NEW 0x02      /* first seen in this run: to save */
#define PF_BEACON 0x04   /* beaconing reported */
#define PF_LONG 0x08     /* long connection reported */
#define PF_SEEN 0x10     /* counts for first-seen (learned or reported) */
#define PF_REPLAY 0x20   /* a stored pair's first sighting scanned again */

/* One (internal host, external address, port, protocol): 48 bytes, so a
 * million distinct pairs cost ~48 MB plus the index (docs/egress.md). */
struct mm__pair {
	struct mm_ip dst;
	uint8_t proto;
	uint8_t flags;
	uint16_t port;
	uint32_t host;
	uint32_t beacon; /* index of its beacon state, or UINT32_MAX (none yet) */
	int64_t first_ts;
	int64_t blast;   /* its latest connection (MM_TS_NONE: none this run) */
};

/* Beacon samples of a pair for the current day (or block), created at the
 * pair's second connection of a day: single connections cost nothing. */
struct mm__beacon {
	int64_t day, bfirst, last; /* UTC day, first and last connection sampled */
	uint32_t n, cap;
	uint32_t *iv; /* inter-arrival ms */
	uint32_t *sz; /* bytes of each connection */
	struct mm__evref r0, r1;
};

#define MM__CHUNK_BITS 14 /* pairs and beacon states live in chunks of 16384 */
#define MM__PAIR(n, i) (&(n)->pair_chunk[(i) >> MM__CHUNK_BITS][(i) & ((1u << MM__CHUNK_BITS) - 1)])
#define MM__BEACON(n, i) \
	(&(n)->beacon_chunk[(i) >> MM__CHUNK_BITS][(i) & ((1u << MM__CHUNK_BITS) - 1)])


struct mm__emit {
	const char *host; /* the internal host concerned (host.hostname), or NULL */
	const struct mm_event *ev; /* the deciding event when there is one (its raw line) */
	const char *const *gnames;
	const struct mm_slice *gvals;
	size_t ngroup;
	struct mm__evref first, last;
	uint64_t count;
	int64_t timespan_ns;
	bool has_value;
	double value;
	const char *value_field;
	char expl[MM__NET_MAX_EXPL][256];
	size_t nexpl;
};

struct mm_net {
	struct mm__net_opts o;
	struct mm__ipset internal, roles, allow, svc, admin_nets, ioc_ips;
	struct mm__ipset role_allow[MM_NET_MAX_ROLES];
	struct mm__role role[MM_NET_MAX_ROLES];
	size_t nroles;
	struct mm__host_cfg hcfg[MM_NET_MAX_HCFG];
	size_t nhcfg, ndevice_names;
	bool have_admin_nets;
	struct mm_map *ioc_domains; /* NULL when none */
	char **ioc_text;            /* owned strings the domain map points into */
	size_t nioc_text;
	struct mm_store *store;
	struct mm__cur cur;
	struct mm__host *hosts;
	size_t nhosts, caphosts;
	struct mm__idx host_idx;
	struct mm__pair **pair_chunk;
	size_t npairs, npair_chunks;
	struct mm__beacon **beacon_chunk;
	size_t nbeacons, nbeacon_chunks;
	struct mm__idx pair_idx;
	struct mm__prof *prof; /* direct-mapped cache, 1 << MM__PROF_BITS entries */
	struct mm__idx once;      /* dedupe keys of one-shot alerts */
	struct mm__idx admin_seen; /* device × source → index in admin_first */
	int64_t *admin_first;      /* first login time of each (store or this run) */
	uint8_t *admin_replay;
	size_t nadmin, capadmin;
	char **admin_new;          /* "device\tsource\tts" learned this run (to save) */
	size_t nadmin_new, capadmin_new;
	char **files;
	size_t nfiles, capfiles;
	const char *last_path;
	uint32_t last_file;
	size_t bytes;
	int64_t max_ts;
	const char *cls_ds; /* the dataset whose sensor class is cls */
	int cls;
	uint64_t alerts_by_rule[NR__COUNT];
	struct mm_net_stats st;
	char store_msg[256];
};

/* The pair key: a 64-bit mix of host, address, port and protocol (a
 * bijection of the IPv4 tuple, so collisions need a 64-bit coincidence). */
static inline uint64_t mm__pair_key(uint32_t host, const struct mm_ip *dst, uint16_t port, uint8_t proto)
{
	uint64_t x;
	if (dst->v4)
		x = ((uint64_t)dst->a[12] << 56 | (uint64_t)dst->a[13] << 48 | (uint64_t)dst->a[14] << 40 |
		     (uint64_t)dst->a[15] << 32) |
		    (uint64_t)port << 16 | (uint64_t)proto << 8 | 1;
	else
		x = mm_hash64(dst->a, 16, (uint64_t)port << 8 | proto);
	x ^= (uint64_t)(host + 1) * 0x9e3779b97f4a7c15ull;
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ x >> 31;
}

/* net.c */
uint32_t mm__net_file(struct mm_net *n, const char *path);
void mm__net_ref(struct mm_net *n, struct mm__evref *r, const struct mm_event *ev);
void mm__net_account(struct mm_net *n, long long d);
bool mm__net_room(struct mm_net *n, size_t add);
void mm__ip_text(const struct mm_ip *ip, char *buf, size_t n);
uint64_t mm__ip_hash(const struct mm_ip *ip, uint64_t seed);
uint8_t mm__proto_id(struct mm_slice t);
const char *mm__proto_name(uint8_t p);
uint32_t mm__net_host(struct mm_net *n, const struct mm_ip *ip, int role);
size_t mm__net_emit(struct mm_net *n, enum mm__net_rule r, const struct mm__emit *em,
                    mm_corr_fn cb, void *ud);
void mm__emit_init(struct mm__emit *em);
void mm__expl(struct mm__emit *em, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mm__fmt_bytes(char *buf, size_t n, double b);
const char *mm__host_label(const struct mm_net *n, const struct mm__host *h);
/* flow.c */
size_t mm__net_flow(struct mm_net *n, const struct mm_event *ev, mm_corr_fn cb, void *ud);
uint32_t mm__net_pair(struct mm_net *n, uint32_t host, const struct mm_ip *dst, uint16_t port,
                      uint8_t proto, bool create);
size_t mm__beacon_score(struct mm_net *n, struct mm__pair *p, mm_corr_fn cb, void *ud);
const struct mm__prof *mm__net_prof(struct mm_net *n, const struct mm_ip *ip);
bool mm__host_hours(struct mm_net *n, struct mm__host *h, int64_t hour, bool silence);
/* watch.c */
size_t mm__net_ioc(struct mm_net *n, const struct mm_event *ev, mm_corr_fn cb, void *ud);
size_t mm__net_admin(struct mm_net *n, const struct mm_event *ev, mm_corr_fn cb, void *ud);
size_t mm__net_logsource(struct mm_net *n, const struct mm_event *ev, mm_corr_fn cb, void *ud);
bool mm__net_once(struct mm_net *n, uint64_t key);
uint32_t mm__net_admin_add(struct mm_net *n, uint64_t key, int64_t first);
/* analyze.c */
size_t mm__net_exfil(struct mm_net *n, struct mm__host *h, mm_corr_fn cb, void *ud);
size_t mm__net_silence(struct mm_net *n, struct mm__host *h, mm_corr_fn cb, void *ud);
/* learn.c */
int mm__net_load(struct mm_net *n, struct mm_error *err);
int mm__net_save(struct mm_net *n, struct mm_error *err);

#endif
