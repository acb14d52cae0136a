/* mamori — the IP sets of the egress module: CIDR blocks with a value,
 * looked up by longest prefix (internal ranges, roles, allowlists, IoC
 * ranges), and a small u64 → index hash used by every keyed table in
 * src/net/. One hash probe per prefix length present, longest first, so a
 * lookup costs as many probes as the set has distinct prefix lengths. */
#include "net_int.h"

#include <stdlib.h>
#include <string.h>

struct ips_ent {
	uint8_t a[16];
	uint8_t bits;
	bool used;
	int val;
};

void mm__ipset_init(struct mm__ipset *s)
{
	memset(s, 0, sizeof(*s));
}

void mm__ipset_free(struct mm__ipset *s)
{
	free(s->e);
	memset(s, 0, sizeof(*s));
}

static void mask(uint8_t out[16], const uint8_t in[16], unsigned bits)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned b = i * 8;
		out[i] = bits >= b + 8 ? in[i] : bits <= b ? 0 : (uint8_t)(in[i] & (0xff << (8 - (bits - b))));
	}
}

static uint64_t h_of(const uint8_t a[16], unsigned bits)
{
	return mm_hash64(a, 16, bits + 1);
}

static struct ips_ent *find(const struct mm__ipset *s, const uint8_t a[16], unsigned bits)
{
	if (!s->cap)
		return NULL;
	uint32_t m = s->cap - 1, i = (uint32_t)h_of(a, bits) & m;
	while (s->e[i].used) {
		if (s->e[i].bits == bits && !memcmp(s->e[i].a, a, 16))
			return &s->e[i];
		i = (i + 1) & m;
	}
	return NULL;
}

static void put(struct mm__ipset *s, const uint8_t a[16], unsigned bits, int val)
{
	uint32_t m = s->cap - 1, i = (uint32_t)h_of(a, bits) & m;
	while (s->e[i].used) {
		if (s->e[i].bits == bits && !memcmp(s->e[i].a, a, 16)) {
			s->e[i].val = val;
			return;
		}
		i = (i + 1) & m;
	}
	memcpy(s->e[i].a, a, 16);
	s->e[i].bits = (uint8_t)bits;
	s->e[i].used = true;
	s->e[i].val = val;
	s->n++;
}

void mm__ipset_add(struct mm__ipset *s, const struct mm_cidr *c, int val)
{
	if ((s->n + 1) * 2 > s->cap) {
		uint32_t oc = s->cap, nc = oc ? oc * 2 : 64;
		struct ips_ent *old = s->e;
		s->e = mm_calloc(nc, sizeof(*s->e));
		s->cap = nc;
		s->n = 0;
		for (uint32_t i = 0; i < oc; i++)
			if (old[i].used)
				put(s, old[i].a, old[i].bits, old[i].val);
		free(old);
	}
	uint8_t a[16];
	unsigned bits = c->bits > 128 ? 128 : c->bits;
	mask(a, c->net.a, bits);
	put(s, a, bits, val);
	if (!s->bits[bits]) {
		s->bits[bits] = true;
		s->norder = 0;
		for (int b = 128; b >= 0; b--)
			if (s->bits[b])
				s->order[s->norder++] = (uint8_t)b;
	}
}

int mm__ipset_add_text(struct mm__ipset *s, const char *text, int val)
{
	struct mm_cidr c;
	if (mm_cidr_parse(mm_slice_cstr(text), &c) != MM_OK)
		return MM_EPARSE;
	mm__ipset_add(s, &c, val);
	return MM_OK;
}

int mm__ipset_lookup(const struct mm__ipset *s, const struct mm_ip *ip)
{
	uint8_t a[16];
	for (unsigned k = 0; k < s->norder; k++) {
		unsigned bits = s->order[k];
		mask(a, ip->a, bits);
		const struct ips_ent *e = find(s, a, bits);
		if (e)
			return e->val;
	}
	return -1;
}

/* ---- u64 index ------------------------------------------------------------ */

static uint64_t fix(uint64_t k)
{
	return k ? k : 0x9e3779b97f4a7c15ull;
}

uint32_t mm__idx_get(const struct mm__idx *t, uint64_t key)
{
	if (!t->cap)
		return UINT32_MAX;
	key = fix(key);
	uint32_t m = t->cap - 1, i = (uint32_t)(key ^ key >> 29) & m;
	while (t->s[i].k) {
		if (t->s[i].k == key)
			return t->s[i].v;
		i = (i + 1) & m;
	}
	return UINT32_MAX;
}

static void idx_raw_put(struct mm__idx *t, uint64_t key, uint32_t v)
{
	uint32_t m = t->cap - 1, i = (uint32_t)(key ^ key >> 29) & m;
	while (t->s[i].k && t->s[i].k != key)
		i = (i + 1) & m;
	if (!t->s[i].k)
		t->n++;
	t->s[i].k = key;
	t->s[i].v = v;
}

void mm__idx_put(struct mm__idx *t, uint64_t key, uint32_t v)
{
	key = fix(key);
	if (!t->cap || (t->n + 1) * 4 > t->cap * 3) {
		uint32_t oc = t->cap, nc = oc ? oc * 2 : 256;
		struct mm__idx_slot *os = t->s;
		t->s = mm_calloc(nc, sizeof(*t->s));
		t->cap = nc;
		t->n = 0;
		for (uint32_t i = 0; i < oc; i++)
			if (os[i].k)
				idx_raw_put(t, os[i].k, os[i].v);
		free(os);
	}
	idx_raw_put(t, key, v);
}

void mm__idx_free(struct mm__idx *t)
{
	free(t->s);
	memset(t, 0, sizeof(*t));
}

size_t mm__idx_bytes(const struct mm__idx *t)
{
	return (size_t)t->cap * sizeof(struct mm__idx_slot);
}
