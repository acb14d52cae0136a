/* mamori — bump arena with a hard cap. Lifetimes 1 and 2 of DESIGN §8 (ruleset
 * and batch) use it: allocation is a pointer bump, reset keeps the first chunk
 * so a steady-state batch allocates nothing. See docs/internals/ARENA.md. */
#include "mamori/core.h"

#include <stdlib.h>
#include <string.h>

struct chunk {
	struct chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct mm_arena {
	struct chunk *head; /* current chunk; older ones follow */
	size_t chunk_size, cap, total;
	uint64_t cap_hits;
};

struct mm_arena *mm_arena_new(size_t chunk, size_t cap)
{
	struct mm_arena *a = mm_calloc(1, sizeof(*a));
	a->chunk_size = chunk ? chunk : 64 * 1024;
	a->cap = cap;
	return a;
}

void mm_arena_free(struct mm_arena *a)
{
	if (!a)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *n = c->next;
		free(c);
		c = n;
	}
	free(a);
}

void *mm_arena_alloc(struct mm_arena *a, size_t n)
{
	size_t need = (n + 15) & ~(size_t)15;
	if (need < n)
		return NULL;
	struct chunk *c = a->head;
	if (c && c->size - c->used >= need) {
		void *p = c->data + c->used;
		c->used += need;
		return p;
	}
	size_t sz = need > a->chunk_size ? need : a->chunk_size;
	if (a->cap && a->total + sz > a->cap) {
		a->cap_hits++;
		return NULL;
	}
	c = mm_malloc(sizeof(*c) + sz);
	c->size = sz;
	c->used = need;
	c->next = a->head;
	a->head = c;
	a->total += sz;
	return c->data;
}

void mm_arena_reset(struct mm_arena *a)
{
	if (!a->head)
		return;
	/* keep the oldest chunk (the last in the list), free the rest */
	struct chunk *c = a->head, *keep = NULL;
	while (c) {
		struct chunk *n = c->next;
		if (!n)
			keep = c;
		else
			free(c);
		c = n;
	}
	keep->used = 0;
	keep->next = NULL;
	a->head = keep;
	a->total = keep->size;
}

size_t mm_arena_used(const struct mm_arena *a)
{
	size_t u = 0;
	for (const struct chunk *c = a->head; c; c = c->next)
		u += c->used;
	return u;
}

uint64_t mm_arena_cap_hits(const struct mm_arena *a)
{
	return a->cap_hits;
}

char *mm_arena_strndup(struct mm_arena *a, const char *s, size_t n)
{
	char *p = mm_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

struct mm_slice mm_slice_dup(struct mm_arena *a, struct mm_slice s)
{
	if (!s.p)
		return MM_SLICE_NULL;
	char *p = mm_arena_strndup(a, s.p, s.n);
	if (!p)
		return MM_SLICE_NULL;
	return mm_slice(p, s.n);
}
