/* mamori — version scheme registry: maps enum mm_vscheme to the compare
 * function of its file (schemes.def) and holds helpers the schemes share
 * (numeric runs compared as digit strings, so no version overflows). */
#include "vuln_int.h"

#include <string.h>

static const struct {
	const char *name;
	int (*cmp)(struct mm_slice, struct mm_slice);
} g_schemes[] = {
#define MM_VSCHEME(id, name, fn) [MM_VS_##id] = {name, fn},
#include "schemes.def"
#undef MM_VSCHEME
};
_Static_assert(MM_ARRAY_LEN(g_schemes) == MM_VS_COUNT, "schemes.def and enum mm_vscheme differ");

const char *mm_vscheme_name(enum mm_vscheme s)
{
	return (unsigned)s < MM_VS_COUNT ? g_schemes[s].name : "?";
}

int mm_vscheme_from_name(const char *name, enum mm_vscheme *out)
{
	for (size_t i = 0; i < MM_VS_COUNT; i++)
		if (!strcmp(name, g_schemes[i].name)) {
			*out = (enum mm_vscheme)i;
			return MM_OK;
		}
	return MM_ENOENT;
}

int mm_vers_cmp(enum mm_vscheme s, struct mm_slice a, struct mm_slice b)
{
	if ((unsigned)s >= MM_VS_COUNT)
		s = MM_VS_GENERIC;
	if (!a.p)
		a = MM_SLICE_LIT("");
	if (!b.p)
		b = MM_SLICE_LIT("");
	/* versions are C strings in every tool these schemes come from (dpkg,
	 * rpm): a NUL ends one (and the byte loops rely on it; found by fuzzing) */
	const char *z;
	if ((z = memchr(a.p, '\0', a.n)))
		a.n = (size_t)(z - a.p);
	if ((z = memchr(b.p, '\0', b.n)))
		b.n = (size_t)(z - b.p);
	int r = g_schemes[s].cmp(a, b);
	return r < 0 ? -1 : r > 0;
}

int mm__numcmp(const char *a, size_t an, const char *b, size_t bn)
{
	while (an && *a == '0') {
		a++;
		an--;
	}
	while (bn && *b == '0') {
		b++;
		bn--;
	}
	if (an != bn)
		return an < bn ? -1 : 1;
	int r = an ? memcmp(a, b, an) : 0;
	return r < 0 ? -1 : r > 0;
}
