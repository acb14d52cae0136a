/* mamori — event helpers and the field dictionary built from fields.def:
 * ECS name ↔ id lookups, named access (dictionary, then flattened extra keys),
 * and logsource membership used by rule routing. */
#include "mamori/event.h"

#include <pthread.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	enum mm_field_type type;
} g_fields[MM_F__COUNT] = {
#define MM_FIELD(id, name, type) {name, MM_FT_##type},
#include "mamori/fields.def"
#undef MM_FIELD
};

static struct mm_map *g_index;
static pthread_once_t g_index_once = PTHREAD_ONCE_INIT;

static void build_index(void)
{
	struct mm_map *m = mm_map_new(false);
	for (size_t i = 0; i < MM_F__COUNT; i++)
		mm_map_put(m, g_fields[i].name, strlen(g_fields[i].name), (void *)(uintptr_t)(i + 1));
	g_index = m;
}

int mm_field_lookup(const char *name, size_t n)
{
	pthread_once(&g_index_once, build_index); /* safe from decode threads */
	void *v = mm_map_get(g_index, name, n);
	return v ? (int)((uintptr_t)v - 1) : -1;
}

const char *mm_field_name(enum mm_field_id id)
{
	return (unsigned)id < MM_F__COUNT ? g_fields[id].name : NULL;
}

enum mm_field_type mm_field_type(enum mm_field_id id)
{
	return (unsigned)id < MM_F__COUNT ? g_fields[id].type : MM_FT_KEYWORD;
}

/* Called once per line: with a constant size compilers inline the memset of
 * this ~900-byte struct as `rep stos`, whose start-up cost is several times
 * that of the C library's vector memset. Calling through a volatile pointer
 * keeps the library routine. */
static void *(*volatile const g_memset)(void *, int, size_t) = memset;

void mm_event_clear(struct mm_event *ev)
{
	g_memset(ev, 0, sizeof(*ev));
	ev->ts = MM_TS_NONE;
}

struct mm_slice mm_event_get_named(const struct mm_event *ev, const char *name, size_t n)
{
	int id = mm_field_lookup(name, n);
	if (id >= 0)
		return ev->f[id];
	for (size_t i = 0; i < ev->n_extra; i++)
		if (ev->extra[i].k.n == n && memcmp(ev->extra[i].k.p, name, n) == 0)
			return ev->extra[i].v;
	return MM_SLICE_NULL;
}

bool mm_event_in_logsource(const struct mm_event *ev, const char *product, const char *category,
                           const char *service)
{
	if (product && (!ev->product || strcasecmp(product, ev->product) != 0))
		return false;
	if (category && (!ev->category || strcasecmp(category, ev->category) != 0))
		return false;
	if (service) {
		for (size_t i = 0; i < MM_EVENT_MAX_SERVICES && ev->service[i]; i++)
			if (strcasecmp(service, ev->service[i]) == 0)
				return true;
		return false;
	}
	return true;
}
