/* mamori — multi-pattern matcher: a thin Hyperscan wrapper (block mode).
 * Shared by detect (the Sigma literal prefilter, docs/internals/PREFILTER.md),
 * dlp and mail. Patterns are collected, compiled once into one database, and
 * scanned with a per-thread scratch. A set of literals only is compiled with
 * Hyperscan's literal API (hs_compile_lit_multi: about half the compile time
 * of the same literals as regexes on SigmaHQ's ~20,000); with a regex in the
 * set, literals are hex-escaped so any byte (including NUL, as in UTF-16
 * patterns) is matched as itself. */
#include "mamori/mpm.h"

#include <hs/hs.h>
#include <stdlib.h>
#include <string.h>

struct mpm_pat {
	char *expr; /* NUL-terminated Hyperscan expression */
	char *lit;  /* a literal's bytes (NULL for a regex) */
	size_t litn;
	unsigned id, flags;
};

struct mm_mpm {
	struct mpm_pat *pats;
	size_t n, cap;
	hs_database_t *db; /* NULL until compiled, or when empty */
	bool compiled;
};

struct mm_mpm_scratch {
	hs_scratch_t *s;
};

struct mm_mpm *mm_mpm_new(void)
{
	return mm_calloc(1, sizeof(struct mm_mpm));
}

void mm_mpm_free(struct mm_mpm *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->pats[i].expr);
		free(m->pats[i].lit);
	}
	free(m->pats);
	if (m->db)
		hs_free_database(m->db);
	free(m);
}

/* Hyperscan takes regex syntax only: a literal becomes a sequence of \xHH
 * escapes (alphanumerics stay as they are, which keeps error messages
 * readable). */
static char *escape_literal(const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *out = mm_malloc(n * 4 + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			*o++ = (char)c;
		} else {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

void mm_mpm_add(struct mm_mpm *m, const char *pat, size_t n, unsigned id, unsigned flags)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->pats = mm_realloc(m->pats, m->cap * sizeof(*m->pats));
	}
	struct mpm_pat *p = &m->pats[m->n++];
	p->expr = (flags & MM_MPM_REGEX) ? mm_strndup(pat, n) : escape_literal(pat, n);
	p->lit = NULL;
	p->litn = 0;
	if (!(flags & MM_MPM_REGEX)) {
		p->lit = mm_malloc(n ? n : 1);
		memcpy(p->lit, pat, n);
		p->litn = n;
	}
	p->id = id;
	p->flags = flags;
}

size_t mm_mpm_count(const struct mm_mpm *m)
{
	return m->n;
}

int mm_mpm_compile(struct mm_mpm *m, struct mm_error *err)
{
	int rc = MM_OK;
	const char **exprs = NULL;
	unsigned *flags = NULL, *ids = NULL;
	size_t *lens = NULL;
	bool lits_only = true; /* non-empty literals only: the literal API */
	hs_compile_error_t *cerr = NULL;

	if (m->db) {
		hs_free_database(m->db);
		m->db = NULL;
	}
	m->compiled = true;
	if (m->n == 0)
		goto out;
	exprs = mm_calloc(m->n, sizeof(*exprs));
	flags = mm_calloc(m->n, sizeof(*flags));
	ids = mm_calloc(m->n, sizeof(*ids));
	lens = mm_calloc(m->n, sizeof(*lens));
	for (size_t i = 0; i < m->n; i++)
		if (!m->pats[i].lit || m->pats[i].litn == 0)
			lits_only = false;
	for (size_t i = 0; i < m->n; i++) {
		unsigned f = 0, pf = m->pats[i].flags;
		if (pf & MM_MPM_CASELESS)
			f |= HS_FLAG_CASELESS;
		if (pf & MM_MPM_SINGLEMATCH)
			f |= HS_FLAG_SINGLEMATCH;
		if ((pf & MM_MPM_SOM) && (pf & MM_MPM_REGEX))
			f |= HS_FLAG_SOM_LEFTMOST;
		if (pf & MM_MPM_REGEX)
			f |= HS_FLAG_ALLOWEMPTY;
		exprs[i] = lits_only ? m->pats[i].lit : m->pats[i].expr;
		lens[i] = m->pats[i].litn;
		flags[i] = f;
		ids[i] = m->pats[i].id;
	}
	hs_error_t e = lits_only ? hs_compile_lit_multi(exprs, flags, ids, lens, (unsigned)m->n,
	                                                HS_MODE_BLOCK, NULL, &m->db, &cerr)
	                         : hs_compile_multi(exprs, flags, ids, (unsigned)m->n,
	                                            HS_MODE_BLOCK, NULL, &m->db, &cerr);
	if (e != HS_SUCCESS) {
		int at = cerr ? cerr->expression : -1;
		rc = mm_error_set(err, MM_EPARSE, "", 0, 0,
		                  "multi-pattern compile failed%s%s (pattern id %u): %s",
		                  at >= 0 ? " at " : "", at >= 0 ? m->pats[at].expr : "",
		                  at >= 0 ? m->pats[at].id : 0u, cerr ? cerr->message : "unknown");
		m->db = NULL;
		goto out;
	}
out:
	if (cerr)
		hs_free_compile_error(cerr);
	free(exprs);
	free(flags);
	free(ids);
	free(lens);
	return rc;
}

struct mm_mpm_scratch *mm_mpm_scratch_new(const struct mm_mpm *m)
{
	struct mm_mpm_scratch *s = mm_calloc(1, sizeof(*s));
	if (m->db && hs_alloc_scratch(m->db, &s->s) != HS_SUCCESS)
		mm_oom(); /* hs_alloc_scratch fails only on allocation failure */
	return s;
}

void mm_mpm_scratch_free(struct mm_mpm_scratch *s)
{
	if (!s)
		return;
	if (s->s)
		hs_free_scratch(s->s);
	free(s);
}

struct scan_ctx {
	mm_mpm_fn cb;
	void *ud;
};

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *ctx)
{
	struct scan_ctx *c = ctx;
	return c->cb(c->ud, id, from, to);
}

int mm_mpm_scan(const struct mm_mpm *m, struct mm_mpm_scratch *s, const char *data, size_t n,
                mm_mpm_fn cb, void *ud)
{
	if (!m->db || !s->s)
		return MM_OK;
	if (!data)
		data = "";
	if (n > UINT32_MAX)
		n = UINT32_MAX; /* hs_scan takes an unsigned int length */
	struct scan_ctx c = {cb, ud};
	hs_error_t e = hs_scan(m->db, data, (unsigned)n, 0, s->s, on_match, &c);
	if (e == HS_SUCCESS || e == HS_SCAN_TERMINATED)
		return MM_OK;
	return MM_EIO;
}
