/* mamori — Maven version ordering, as org.apache.maven.artifact.versioning.
 * ComparableVersion: the version parses into a tree of items (integers,
 * qualifiers, and sub-lists opened by '-' or a digit/letter transition),
 * trailing "null" items (0, "", ga, final, release) are trimmed, and items
 * compare pairwise with a missing item standing for null. Qualifier order:
 * alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release
 * < sp < any other qualifier (those in ASCII order). a1/b1/m1 abbreviate. */
#include "vuln_int.h"

#include <stdlib.h>

enum { IT_INT, IT_STR, IT_LIST };

struct item {
	int kind;
	const char *s; /* INT: digits (leading zeros stripped); STR: qualifier (lowercase) */
	size_t n;
	struct item *kids; /* LIST */
	size_t nkids, capkids;
};

static bool isdg(int c) { return c >= '0' && c <= '9'; }

static struct item *add(struct item *list)
{
	if (list->nkids == list->capkids) {
		list->capkids = list->capkids ? list->capkids * 2 : 4;
		list->kids = mm_realloc(list->kids, list->capkids * sizeof(*list->kids));
	}
	struct item *it = &list->kids[list->nkids++];
	memset(it, 0, sizeof(*it));
	return it;
}

static void free_item(struct item *it)
{
	for (size_t i = 0; i < it->nkids; i++)
		free_item(&it->kids[i]);
	free(it->kids);
}

static const char *const g_qual[] = {"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"};
#define RELEASE_INDEX 5

/* ComparableVersion.StringItem.comparableQualifier, as an (index, text) pair:
 * known qualifiers rank by index; unknown ones after all, by text. */
static void qual_rank(const char *s, size_t n, size_t *rank, const char **t, size_t *tn)
{
	for (size_t i = 0; i < MM_ARRAY_LEN(g_qual); i++)
		if (strlen(g_qual[i]) == n && !memcmp(g_qual[i], s, n)) {
			*rank = i;
			*t = "";
			*tn = 0;
			return;
		}
	*rank = MM_ARRAY_LEN(g_qual);
	*t = s;
	*tn = n;
}

static int qual_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t ra, rb, tan, tbn;
	const char *ta, *tb;
	qual_rank(a, an, &ra, &ta, &tan);
	qual_rank(b, bn, &rb, &tb, &tbn);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	size_t l = tan < tbn ? tan : tbn;
	int r = l ? memcmp(ta, tb, l) : 0;
	if (r)
		return r < 0 ? -1 : 1;
	return tan == tbn ? 0 : (tan < tbn ? -1 : 1);
}

static bool is_null(const struct item *it)
{
	switch (it->kind) {
	case IT_INT: return it->n == 0;
	case IT_STR: {
		size_t r, tn;
		const char *t;
		qual_rank(it->s, it->n, &r, &t, &tn);
		return r == RELEASE_INDEX;
	}
	default: return it->nkids == 0;
	}
}

/* a missing item (b == NULL) stands for "null" */
static int cmp_item(const struct item *a, const struct item *b)
{
	if (!b) {
		switch (a->kind) {
		case IT_INT: return a->n == 0 ? 0 : 1;
		case IT_STR: {
			size_t r, tn;
			const char *t;
			qual_rank(a->s, a->n, &r, &t, &tn);
			if (r != RELEASE_INDEX)
				return r < RELEASE_INDEX ? -1 : 1;
			return 0;
		}
		default: return a->nkids == 0 ? 0 : cmp_item(&a->kids[0], NULL);
		}
	}
	switch (a->kind) {
	case IT_INT:
		if (b->kind == IT_INT)
			return mm__numcmp(a->s, a->n, b->s, b->n);
		return 1; /* int > string, int > list */
	case IT_STR:
		if (b->kind == IT_INT || b->kind == IT_LIST)
			return -1;
		return qual_cmp(a->s, a->n, b->s, b->n);
	default:
		if (b->kind == IT_INT)
			return -1;
		if (b->kind == IT_STR)
			return 1;
		for (size_t i = 0; i < a->nkids || i < b->nkids; i++) {
			const struct item *l = i < a->nkids ? &a->kids[i] : NULL;
			const struct item *r = i < b->nkids ? &b->kids[i] : NULL;
			int c = l ? cmp_item(l, r) : (r ? -cmp_item(r, NULL) : 0);
			if (c)
				return c;
		}
		return 0;
	}
}

/* ListItem.normalize: from the end, drop null items; a non-null list does
 * not stop the walk (so "1.0-1" becomes 1-1), any other non-null item does. */
static void normalize(struct item *list)
{
	for (size_t i = list->nkids; i-- > 0;) {
		struct item *it = &list->kids[i];
		if (is_null(it)) {
			free_item(it);
			memmove(&list->kids[i], &list->kids[i + 1],
			        (list->nkids - i - 1) * sizeof(*list->kids));
			list->nkids--;
		} else if (it->kind != IT_LIST) {
			break;
		}
	}
}

static void add_parsed(struct item *list, const char *s, size_t n, bool digit, bool followed)
{
	struct item *it = add(list);
	if (digit) {
		while (n && *s == '0') {
			s++;
			n--;
		}
		it->kind = IT_INT;
		it->s = s;
		it->n = n;
		return;
	}
	it->kind = IT_STR;
	if (followed && n == 1) {
		if (*s == 'a')
			s = "alpha", n = 5;
		else if (*s == 'b')
			s = "beta", n = 4;
		else if (*s == 'm')
			s = "milestone", n = 9;
	}
	if ((n == 2 && !memcmp(s, "ga", 2)) || (n == 5 && !memcmp(s, "final", 5)) ||
	    (n == 7 && !memcmp(s, "release", 7)))
		s = "", n = 0;
	else if (n == 2 && !memcmp(s, "cr", 2))
		s = "rc", n = 2;
	it->s = s;
	it->n = n;
}

#define MAX_DEPTH 64

static bool is_release_word(const char *s, size_t n)
{
	return (n == 2 && !memcmp(s, "ga", 2)) || (n == 5 && !memcmp(s, "final", 5)) ||
	       (n == 7 && !memcmp(s, "release", 7));
}

/* Parse lowered text into root (ComparableVersion.parseVersion). Sub-lists are
 * created at the end of the current list; a stack of list pointers mirrors
 * Maven's. Lists are realloc'd as they grow, so the stack holds paths
 * (indexes) rather than pointers. */
static struct item *resolve(struct item *root, const size_t *path, size_t depth)
{
	struct item *l = root;
	for (size_t d = 0; d < depth; d++)
		l = &l->kids[path[d]];
	return l;
}

static void parse(const char *v, size_t n, struct item *root)
{
	memset(root, 0, sizeof(*root));
	root->kind = IT_LIST;
	size_t path[MAX_DEPTH], depth = 0;
	bool isdigit_ = false;
	size_t start = 0;
	/* stack of depths to normalize afterwards: every list opened */
	size_t opened[MAX_DEPTH][MAX_DEPTH];
	size_t opened_depth[MAX_DEPTH], nopened = 0;
	struct item *list = root;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (c == '-' && !isdigit_ && list != root && list->nkids == 0 &&
		    is_release_word(v + start, i - start)) {
			/* "1-ga-1" is "1-1" (MNG-7644): a release qualifier alone in
			 * its sub-list adds neither an item nor another level */
			start = i + 1;
			continue;
		}
		if (c == '.' || c == '-') {
			if (i == start)
				add_parsed(list, "0", 1, true, false);
			else
				add_parsed(list, v + start, i - start, isdigit_, false);
			start = i + 1;
			if (c == '-' && depth < MAX_DEPTH - 1 && nopened < MAX_DEPTH) {
				struct item *sub = add(list);
				sub->kind = IT_LIST;
				path[depth++] = list->nkids - 1;
				memcpy(opened[nopened], path, depth * sizeof(size_t));
				opened_depth[nopened++] = depth;
				list = resolve(root, path, depth);
			}
		} else if (isdg(c)) {
			if (!isdigit_ && i > start) {
				add_parsed(list, v + start, i - start, false, true);
				start = i;
				if (depth < MAX_DEPTH - 1 && nopened < MAX_DEPTH) {
					struct item *sub = add(list);
					sub->kind = IT_LIST;
					path[depth++] = list->nkids - 1;
					memcpy(opened[nopened], path, depth * sizeof(size_t));
					opened_depth[nopened++] = depth;
					list = resolve(root, path, depth);
				}
			}
			isdigit_ = true;
		} else {
			if (isdigit_ && i > start) {
				add_parsed(list, v + start, i - start, true, false);
				start = i;
				if (depth < MAX_DEPTH - 1 && nopened < MAX_DEPTH) {
					struct item *sub = add(list);
					sub->kind = IT_LIST;
					path[depth++] = list->nkids - 1;
					memcpy(opened[nopened], path, depth * sizeof(size_t));
					opened_depth[nopened++] = depth;
					list = resolve(root, path, depth);
				}
			}
			isdigit_ = false;
		}
	}
	if (n > start)
		add_parsed(list, v + start, n - start, isdigit_, false);
	/* pop: normalize innermost lists first, then the root */
	while (nopened) {
		nopened--;
		normalize(resolve(root, opened[nopened], opened_depth[nopened]));
	}
	normalize(root);
}

int mm__vers_maven(struct mm_slice a, struct mm_slice b)
{
	char *la = mm_malloc(a.n + 1), *lb = mm_malloc(b.n + 1);
	for (size_t i = 0; i < a.n; i++)
		la[i] = (char)(a.p[i] >= 'A' && a.p[i] <= 'Z' ? a.p[i] + 32 : a.p[i]);
	for (size_t i = 0; i < b.n; i++)
		lb[i] = (char)(b.p[i] >= 'A' && b.p[i] <= 'Z' ? b.p[i] + 32 : b.p[i]);
	struct item x, y;
	parse(la, a.n, &x);
	parse(lb, b.n, &y);
	int r = cmp_item(&x, &y);
	free_item(&x);
	free_item(&y);
	free(la);
	free(lb);
	return r;
}
