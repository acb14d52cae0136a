/* mamori — 64-bit hashing (a wyhash-style mix, fast on short keys) and an
 * open-addressing string map used for interning and lookups at load time. */
#include "mamori/core.h"

#include <stdlib.h>
#include <string.h>

static inline uint64_t mix(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)(r >> 64) ^ (uint64_t)r;
}

static inline uint64_t rd64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

#define P0 UINT64_C(0xa0761d6478bd642f)
#define P1 UINT64_C(0xe7037ed1a0b428db)
#define P2 UINT64_C(0x8ebc6af09c88c6e3)

uint64_t mm_hash64(const void *data, size_t n, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ P0 ^ n;
	while (n >= 8) {
		h = mix(h ^ rd64(p), P1);
		p += 8;
		n -= 8;
	}
	uint64_t t = 0;
	for (size_t i = 0; i < n; i++)
		t |= (uint64_t)p[i] << (8 * i);
	h = mix(h ^ t, P2);
	return mix(h, P0 ^ P1);
}

uint64_t mm_hash64_ci(const void *data, size_t n, uint64_t seed)
{
	unsigned char buf[256];
	const unsigned char *p = data;
	uint64_t h = seed;
	while (n) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);
		for (size_t i = 0; i < k; i++) {
			unsigned char c = p[i];
			buf[i] = (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
		}
		h = mm_hash64(buf, k, h);
		p += k;
		n -= k;
	}
	return h;
}

struct slot {
	char *k;
	size_t kn;
	uint64_t h;
	void *v;
};

struct mm_map {
	struct slot *s;
	size_t cap, count;
	bool ci;
};

struct mm_map *mm_map_new(bool case_insensitive)
{
	struct mm_map *m = mm_calloc(1, sizeof(*m));
	m->ci = case_insensitive;
	m->cap = 16;
	m->s = mm_calloc(m->cap, sizeof(*m->s));
	return m;
}

void mm_map_free(struct mm_map *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->s[i].k);
	free(m->s);
	free(m);
}

static uint64_t hk(const struct mm_map *m, const char *k, size_t kn)
{
	return m->ci ? mm_hash64_ci(k, kn, 0) : mm_hash64(k, kn, 0);
}

static bool keq(const struct mm_map *m, const struct slot *s, const char *k, size_t kn)
{
	if (s->kn != kn)
		return false;
	return m->ci ? mm_slice_ieq(mm_slice(s->k, kn), mm_slice(k, kn))
	             : memcmp(s->k, k, kn) == 0;
}

static void grow(struct mm_map *m)
{
	size_t ocap = m->cap;
	struct slot *os = m->s;
	m->cap *= 2;
	m->s = mm_calloc(m->cap, sizeof(*m->s));
	for (size_t i = 0; i < ocap; i++) {
		if (!os[i].k)
			continue;
		size_t j = os[i].h & (m->cap - 1);
		while (m->s[j].k)
			j = (j + 1) & (m->cap - 1);
		m->s[j] = os[i];
	}
	free(os);
}

void mm_map_put(struct mm_map *m, const char *k, size_t kn, void *v)
{
	if ((m->count + 1) * 4 > m->cap * 3)
		grow(m);
	uint64_t h = hk(m, k, kn);
	size_t j = h & (m->cap - 1);
	while (m->s[j].k) {
		if (m->s[j].h == h && keq(m, &m->s[j], k, kn)) {
			m->s[j].v = v;
			return;
		}
		j = (j + 1) & (m->cap - 1);
	}
	m->s[j].k = mm_strndup(k, kn);
	m->s[j].kn = kn;
	m->s[j].h = h;
	m->s[j].v = v;
	m->count++;
}

void *mm_map_get(const struct mm_map *m, const char *k, size_t kn)
{
	uint64_t h = hk(m, k, kn);
	size_t j = h & (m->cap - 1);
	while (m->s[j].k) {
		if (m->s[j].h == h && keq(m, &m->s[j], k, kn))
			return m->s[j].v;
		j = (j + 1) & (m->cap - 1);
	}
	return NULL;
}

size_t mm_map_count(const struct mm_map *m)
{
	return m->count;
}

bool mm_map_next(const struct mm_map *m, size_t *it, const char **k, size_t *kn, void **v)
{
	while (*it < m->cap) {
		const struct slot *s = &m->s[(*it)++];
		if (s->k) {
			if (k)
				*k = s->k;
			if (kn)
				*kn = s->kn;
			if (v)
				*v = s->v;
			return true;
		}
	}
	return false;
}
