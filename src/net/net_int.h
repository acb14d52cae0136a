/* mamori — src/net/ internals shared by the egress module's files: the
 * longest-prefix IP set, the u64 hash index, the options parsed from
 * mamori.yaml and the state of struct mm_net. Not a public contract. */
#ifndef MAMORI_NET_INT_H
#define MAMORI_NET_INT_H

#include "mamori/net.h"

#include <stdio.h>

/* ---- IP set: CIDR → int value, longest prefix wins (ipset.c) ------------ */
struct mm__ipset {
	struct ips_ent *e;
	uint32_t cap, n; /* open addressing, cap a power of two */
	bool bits[129];  /* prefix lengths present (128-bit space) */
	uint8_t order[129];
	unsigned norder;
};
void mm__ipset_init(struct mm__ipset *s);
void mm__ipset_free(struct mm__ipset *s);
/* Add cidr with value (a later add of the same block overwrites). */
void mm__ipset_add(struct mm__ipset *s, const struct mm_cidr *c, int val);
/* Text "10.0.0.0/8" or an address; MM_EPARSE when neither. */
int mm__ipset_add_text(struct mm__ipset *s, const char *text, int val);
/* Value of the longest matching prefix, or -1. */
int mm__ipset_lookup(const struct mm__ipset *s, const struct mm_ip *ip);

/* ---- u64 key → u32 index (open addressing; key 0 is remapped) ----------- */
struct mm__idx_slot {
	uint64_t k; /* 0 = empty */
	uint32_t v;
};
struct mm__idx {
	struct mm__idx_slot *s;
	uint32_t cap, n;
};
void mm__idx_free(struct mm__idx *t);
/* Index stored under key, or UINT32_MAX. */
uint32_t mm__idx_get(const struct mm__idx *t, uint64_t key);
void mm__idx_put(struct mm__idx *t, uint64_t key, uint32_t v);
size_t mm__idx_bytes(const struct mm__idx *t);

#define MM_NET_MAX_ROLES 32
#define MM_NET_MAX_PORTS 64

enum { FS_OFF = 0, FS_MEDIUM = 1, FS_HIGH = 2 };

struct mm__role {
	char *name;
	struct mm_slice name_s; /* the same as a slice (enrichment sets it per event) */
	int first_seen;          /* FS_* */
	bool ports_set;          /* allowed destination ports configured */
	uint16_t ports[MM_NET_MAX_PORTS];
	size_t nports;
	bool device;             /* a network device (admin-login checks) */
	bool smtp_ok;            /* may speak SMTP out (mail gateways) */
};

struct mm__host_cfg {
	char *name;
	struct mm_ip ip;
	int role;
};

struct mm__net_opts {
	int64_t learn_ns;             /* learning period per host */
	/* beaconing */
	uint32_t beacon_min_conns;
	double beacon_score;
	uint32_t beacon_max_samples;
	int64_t long_conn_ns;
	/* exfiltration volume */
	uint64_t exfil_min_hour_bytes, exfil_min_day_bytes;
	double exfil_mad_k, exfil_hour_ratio, exfil_day_ratio;
	uint32_t exfil_min_history;
	/* log silence */
	int64_t silence_ns;
	double silence_coverage;
	size_t state_mem;
};

#endif
