/* mamori — Sigma detection → predicate program. Each detection item
 * (`Field|mod|mod: values`) becomes a struct pitem whose values were turned,
 * once, into folded wildcard patterns, PCRE2 codes, CIDR blocks or numbers
 * (Sigma Rules Specification v2: "Detection", "Modifiers", "Wildcards");
 * selections become AND/OR nodes and cond.c wires them by the condition.
 * Field names go through the processing pipelines (pipeline.c) and are
 * resolved to dictionary ids here, so matching is an array index. */
#include "detect_int.h"
#include "re_literal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_VARIANTS 1024   /* windash/base64offset expansions per value */
#define MAX_RULE_VALUES 100000
#define MAX_WALK 1000000    /* YAML nodes visited per rule (aliases share nodes) */

enum mod_kind {
#define MM_MODIFIER(name, kind, sup) MOD_##kind,
#include "modifiers.def"
#undef MM_MODIFIER
	MOD__COUNT
};

static const struct {
	const char *name;
	bool supported;
} g_mods[] = {
#define MM_MODIFIER(name, kind, sup) {#name, sup},
#include "modifiers.def"
#undef MM_MODIFIER
};

/* Why a modifier is not supported: the exact reason a user reads. */
static const char *unsupported_reason(enum mod_kind k)
{
	switch (k) {
	case MOD_NEQ:
		return "modifier 'neq' is not supported in this version";
	default:
		return "time-part modifiers (minute, hour, day, week, month, year) are not "
		       "supported in this version";
	}
}

#define MAX_PH_NAME 128 /* bytes of a placeholder name */

/* A value under construction: bytes 0..255 or TOK_STAR/TOK_QMARK. */
struct toks {
	int16_t *t;
	size_t n, cap;
};

static void tk_push(struct toks *v, int16_t c)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 32;
		v->t = mm_realloc(v->t, v->cap * sizeof(*v->t));
	}
	v->t[v->n++] = c;
}

struct vlist {
	struct toks *v;
	size_t n, cap;
};

static struct toks *vl_add(struct vlist *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->v = mm_realloc(l->v, l->cap * sizeof(*l->v));
	}
	struct toks *t = &l->v[l->n++];
	memset(t, 0, sizeof(*t));
	return t;
}

static void vl_free(struct vlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].t);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Sigma wildcards: `*` any run, `?` one character; a backslash escapes `*`,
 * `?` and itself; before anything else it is a literal backslash. */
static void parse_wildcards(const char *s, size_t n, struct toks *out)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\' && i + 1 < n && (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
			tk_push(out, (int16_t)(unsigned char)s[++i]);
		} else if (c == '*') {
			tk_push(out, TOK_STAR);
		} else if (c == '?') {
			tk_push(out, TOK_QMARK);
		} else {
			tk_push(out, (int16_t)c);
		}
	}
}

static bool has_wild(const struct toks *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->t[i] < 0)
			return true;
	return false;
}

static void b64(const unsigned char *in, size_t n, struct toks *out)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i = 0;
	for (; i + 2 < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		tk_push(out, tab[v >> 18]);
		tk_push(out, tab[(v >> 12) & 63]);
		tk_push(out, tab[(v >> 6) & 63]);
		tk_push(out, tab[v & 63]);
	}
	if (n - i == 1) {
		unsigned v = (unsigned)in[i] << 16;
		tk_push(out, tab[v >> 18]);
		tk_push(out, tab[(v >> 12) & 63]);
		tk_push(out, '=');
		tk_push(out, '=');
	} else if (n - i == 2) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
		tk_push(out, tab[v >> 18]);
		tk_push(out, tab[(v >> 12) & 63]);
		tk_push(out, tab[(v >> 6) & 63]);
		tk_push(out, '=');
	}
}

static unsigned char *tk_bytes(const struct toks *t)
{
	unsigned char *b = mm_malloc(t->n + 3);
	for (size_t i = 0; i < t->n; i++)
		b[i] = (unsigned char)t->t[i];
	return b;
}

/* base64offset (pySigma/Sigma spec): the value may sit at any of the three
 * byte offsets of a base64 stream; encode each shifted copy and keep only
 * the characters that do not depend on the unknown neighbours. */
static void b64offset(const struct toks *t, struct vlist *out)
{
	static const int start[3] = {0, 2, 3};
	static const int endcut[3] = {0, 3, 2};
	unsigned char *b = tk_bytes(t);
	for (int i = 0; i < 3; i++) {
		unsigned char *sh = mm_malloc(t->n + 3);
		memset(sh, ' ', (size_t)i);
		memcpy(sh + i, b, t->n);
		struct toks enc = {0};
		b64(sh, t->n + (size_t)i, &enc);
		int ec = endcut[(t->n + (size_t)i) % 3];
		size_t from = (size_t)start[i], to = enc.n >= (size_t)ec ? enc.n - (size_t)ec : 0;
		struct toks *o = vl_add(out);
		for (size_t k = from; k < to; k++)
			tk_push(o, enc.t[k]);
		free(enc.t);
		free(sh);
	}
	free(b);
}

/* UTF-8 → UTF-16 (LE or BE); invalid bytes are taken as Latin-1. Wildcards
 * stay wildcards. */
static void utf16(const struct toks *t, bool be, bool bom, struct toks *out)
{
	if (bom) {
		tk_push(out, be ? 0xfe : 0xff);
		tk_push(out, be ? 0xff : 0xfe);
	}
	for (size_t i = 0; i < t->n;) {
		if (t->t[i] < 0) {
			tk_push(out, t->t[i++]);
			continue;
		}
		unsigned c = (unsigned)t->t[i], cp = c, len = 1;
		if (c >= 0xc2 && c <= 0xf4) {
			unsigned need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
			unsigned v = c & (0x3f >> need);
			bool ok = i + need < t->n;
			for (unsigned k = 1; ok && k <= need; k++) {
				int16_t d = t->t[i + k];
				if (d < 0 || (d & 0xc0) != 0x80)
					ok = false;
				else
					v = v << 6 | ((unsigned)d & 0x3f);
			}
			if (ok && v <= 0x10ffff) {
				cp = v;
				len = need + 1;
			}
		}
		i += len;
		unsigned units[2], nu = 1;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			units[0] = 0xd800 | (cp >> 10);
			units[1] = 0xdc00 | (cp & 0x3ff);
			nu = 2;
		} else {
			units[0] = cp;
		}
		for (unsigned u = 0; u < nu; u++) {
			tk_push(out, (int16_t)(be ? units[u] >> 8 : units[u] & 0xff));
			tk_push(out, (int16_t)(be ? units[u] & 0xff : units[u] >> 8));
		}
	}
}

static bool word_tok(int16_t c)
{
	return c >= 0 && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	                  c == '_');
}

/* windash (pySigma): a '-' or '/' that starts a word (non-word before it,
 * word character after it) may be any of - / – — ― on Windows. */
static int windash(const struct toks *t, struct vlist *out)
{
	static const char *const dashes[] = {"-", "/", "\xe2\x80\x93", "\xe2\x80\x94",
	                                     "\xe2\x80\x95"};
	size_t pos[8], np = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (t->t[i] != '-' && t->t[i] != '/')
			continue;
		bool before = i == 0 || !word_tok(t->t[i - 1]);
		bool after = i + 1 < t->n && word_tok(t->t[i + 1]);
		if (before && after) {
			if (np == 4)
				return -1; /* 5^5 variants: too many */
			pos[np++] = i;
		}
	}
	size_t total = 1;
	for (size_t k = 0; k < np; k++)
		total *= 5;
	for (size_t v = 0; v < total; v++) {
		struct toks *o = vl_add(out);
		size_t code = v, p = 0;
		for (size_t i = 0; i < t->n; i++) {
			if (p < np && pos[p] == i) {
				const char *d = dashes[code % 5];
				code /= 5;
				p++;
				for (; *d; d++)
					tk_push(o, (int16_t)(unsigned char)*d);
			} else {
				tk_push(o, t->t[i]);
			}
		}
	}
	return 0;
}

static unsigned char fold(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}

/* Tokens → pattern: the common shapes (exact, prefix, suffix, contains) get
 * their own fast matcher; anything else is a general glob. */
static void make_pat(struct mm_ruleset *rs, const struct toks *t, bool cased, struct pat *p)
{
	memset(p, 0, sizeof(*p));
	p->cased = cased;
	size_t stars = 0, q = 0, lead = 0, trail = 0;
	for (size_t i = 0; i < t->n; i++) {
		stars += t->t[i] == TOK_STAR;
		q += t->t[i] == TOK_QMARK;
	}
	while (lead < t->n && t->t[lead] == TOK_STAR)
		lead++;
	while (trail < t->n - lead && t->t[t->n - 1 - trail] == TOK_STAR)
		trail++;
	/* longest literal run: the prefilter's necessary literal */
	size_t best = 0, bestn = 0, run = 0;
	for (size_t i = 0; i <= t->n; i++) {
		if (i < t->n && t->t[i] >= 0) {
			run++;
			continue;
		}
		if (run > bestn) {
			bestn = run;
			best = i - run;
		}
		run = 0;
	}
	unsigned char *need = mm_arena_alloc(rs->arena, bestn + 1);
	if (!need)
		mm_oom();
	for (size_t i = 0; i < bestn; i++)
		need[i] = fold((unsigned char)t->t[best + i]);
	p->need = need;
	p->need_n = bestn;

	size_t inner = stars - lead - trail;
	if (q == 0 && inner == 0 && lead + trail < t->n + 1) {
		size_t n = t->n - lead - trail;
		unsigned char *lit = mm_arena_alloc(rs->arena, n + 1);
		if (!lit)
			mm_oom();
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)t->t[lead + i];
			lit[i] = cased ? c : fold(c);
		}
		p->lit = lit;
		p->n = n;
		if (n == 0 && stars)
			p->kind = PAT_ANY;
		else if (!lead && !trail)
			p->kind = PAT_EQ;
		else if (!lead)
			p->kind = PAT_PREFIX;
		else if (!trail)
			p->kind = PAT_SUFFIX;
		else
			p->kind = PAT_CONTAINS;
		return;
	}
	int16_t *tk = mm_arena_alloc(rs->arena, (t->n + 1) * sizeof(*tk));
	if (!tk)
		mm_oom();
	size_t k = 0;
	for (size_t i = 0; i < t->n; i++) {
		int16_t c = t->t[i];
		if (c == TOK_STAR && k && tk[k - 1] == TOK_STAR)
			continue; /* ** is * */
		tk[k++] = c >= 0 && !cased ? (int16_t)fold((unsigned char)c) : c;
	}
	p->kind = PAT_GLOB;
	p->toks = tk;
	p->ntoks = k;
}

/* ---- detection items --------------------------------------------------- */

struct cctx {
	struct mm_ruleset *rs;
	struct srule *r;
	const struct pl_rule *pr;
	size_t nvalues, walked;
	bool failed;
};

#define FAIL(c, state, ...)                                                                   \
	do {                                                                                  \
		mm__rule_set_state((c)->rs, (c)->r, state, __VA_ARGS__);                      \
		(c)->failed = true;                                                           \
	} while (0)

static void resolve_field(struct mm_ruleset *rs, const char *name, struct fref *f)
{
	f->name = name;
	f->n = strlen(name);
	int id = mm_field_lookup(name, f->n);
	f->id = id >= 0 ? id : FREF_EXTRA;
	f->numeric = id >= 0 && mm_field_type((enum mm_field_id)id) == MM_FT_LONG;
	f->slot = 0;
	if (id < 0) {
		uintptr_t slot = (uintptr_t)mm_map_get(rs->xslots, name, f->n);
		if (!slot) {
			slot = ++rs->nxslots;
			mm_map_put(rs->xslots, name, f->n, (void *)slot);
		}
		f->slot = (uint32_t)slot;
	}
}

static void add_regex(struct mm_ruleset *rs, pcre2_code *re)
{
	if (rs->nregexes == rs->capregexes) {
		rs->capregexes = rs->capregexes ? rs->capregexes * 2 : 64;
		rs->regexes = mm_realloc(rs->regexes, rs->capregexes * sizeof(*rs->regexes));
	}
	rs->regexes[rs->nregexes++] = re;
}

/* Placeholder name characters: pySigma's \w (letters, digits, '_') and '-':
 * SigmaHQ writes %DC-MACHINE-NAME%, which \w alone would leave as literal
 * text that matches nothing, silently. */
static bool ph_char(int16_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* The next placeholder `%name%` of t at or after from: its '%' positions,
 * or false. */
static bool next_placeholder(const struct toks *t, size_t from, size_t *p, size_t *q)
{
	for (size_t i = from; i < t->n; i++) {
		if (t->t[i] != '%')
			continue;
		size_t j = i + 1;
		while (j < t->n && ph_char(t->t[j]))
			j++;
		if (j < t->n && j > i + 1 && t->t[j] == '%' && j - i - 1 <= MAX_PH_NAME) {
			*p = i;
			*q = j;
			return true;
		}
	}
	return false;
}

static void tk_append(struct toks *o, const int16_t *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tk_push(o, t[i]);
}

/* The `expand` modifier (Sigma spec; pySigma's placeholder transformations):
 * every %name% of the value is replaced as the pipelines applied to the rule
 * say — by each value of the variable (the value becomes one variant per
 * combination, OR'ed; a variable's values are Sigma strings: `*` and `?` are
 * wildcards) or by `*`. A placeholder nothing fills refuses the rule: that is
 * a configuration the user has to give, not a gap in the engine. Text a
 * variable put in is not searched for placeholders again. */
static void expand_value(struct cctx *c, const struct toks *t, struct vlist *out, unsigned line)
{
	struct vlist cur = {0}, nxt = {0};
	vl_add(&cur);
	size_t pos = 0, p, q;
	while (!c->failed && next_placeholder(t, pos, &p, &q)) {
		char name[MAX_PH_NAME + 1];
		size_t n = q - p - 1;
		for (size_t i = 0; i < n; i++)
			name[i] = (char)t->t[p + 1 + i];
		name[n] = '\0';
		const struct ynode *vals = NULL;
		enum mm_ph how = mm__pipeline_placeholder(c->pr, name, n, &vals);
		if (how == MM_PH_NONE || how == MM_PH_NO_VAR) {
			FAIL(c, MM_RULE_UNSUPPORTED,
			     how == MM_PH_NONE
			             ? "modifier 'expand' needs placeholder values: none configured for "
			               "%%%s%% (line %u; a pipeline's vars and value_placeholders, or "
			               "wildcard_placeholders)"
			             : "modifier 'expand' needs placeholder values: %%%s%% is not in the "
			               "pipelines' vars (line %u)",
			     name, line);
			break;
		}
		size_t nv = how == MM_PH_WILDCARD ? 1 : vals->kind == Y_SEQ ? vals->nkids : 1;
		if (cur.n * nv > MAX_VARIANTS) {
			FAIL(c, MM_RULE_UNSUPPORTED, "value expands to more than %d variants (line %u)",
			     MAX_VARIANTS, line);
			break;
		}
		for (size_t a = 0; a < cur.n; a++)
			for (size_t b = 0; b < nv; b++) {
				struct toks *o = vl_add(&nxt);
				const struct toks *base = &cur.v[a];
				tk_append(o, base->t, base->n);
				tk_append(o, t->t + pos, p - pos);
				if (how == MM_PH_WILDCARD) {
					tk_push(o, TOK_STAR);
				} else {
					const struct ynode *v = vals->kind == Y_SEQ ? vals->kids[b] : vals;
					parse_wildcards(v->s, v->n, o);
				}
			}
		vl_free(&cur);
		cur = nxt;
		memset(&nxt, 0, sizeof(nxt));
		pos = q + 1;
	}
	if (!c->failed)
		for (size_t a = 0; a < cur.n; a++) {
			struct toks *o = vl_add(out);
			tk_append(o, cur.v[a].t, cur.v[a].n);
			tk_append(o, t->t + pos, t->n - pos);
		}
	vl_free(&cur);
	vl_free(&nxt);
}

/* One YAML value → one pval, per the item's operator and modifiers. */
static void compile_value(struct cctx *c, struct pitem *it, const enum mod_kind *mods,
                          size_t nmods, bool keyword, const struct ynode *v, struct pval *pv)
{
	struct mm_ruleset *rs = c->rs;
	memset(pv, 0, sizeof(*pv));
	if (mm__y_is_null(v)) {
		if (it->op != OP_STR && it->op != OP_EXISTS) {
			FAIL(c, MM_RULE_INVALID, "null value with a '%s' modifier (line %u)",
			     it->op == OP_RE ? "re" : "comparison", v->line);
			return;
		}
		pv->is_null = true;
		return;
	}
	if (v->kind != Y_SCALAR) {
		FAIL(c, MM_RULE_INVALID, "value must be a scalar or a list of scalars (line %u col %u)",
		     v->line, v->col);
		return;
	}
	switch (it->op) {
	case OP_RE: {
		uint32_t opt = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
		for (size_t i = 0; i < nmods; i++) {
			if (mods[i] == MOD_RE_I)
				opt |= PCRE2_CASELESS;
			else if (mods[i] == MOD_RE_M)
				opt |= PCRE2_MULTILINE;
			else if (mods[i] == MOD_RE_S)
				opt |= PCRE2_DOTALL;
		}
		int ec;
		PCRE2_SIZE off;
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)v->s, v->n, opt, &ec, &off, NULL);
		if (!re) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(ec, msg, sizeof(msg));
			FAIL(c, MM_RULE_UNSUPPORTED, "regex error at offset %zu (line %u): %s",
			     (size_t)off, v->line, (const char *)msg);
			return;
		}
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* falls back to the interpreter */
		add_regex(rs, re);
		pv->re = re;
		/* the prefilter's literals (docs/internals/PREFILTER.md) */
		struct mm_slice *lits = NULL;
		pv->re_nlits = mm__re_literals(rs->arena, v->s, v->n, (opt & PCRE2_CASELESS) != 0,
		                               &lits);
		pv->re_lits = lits;
		return;
	}
	case OP_CIDR:
		if (mm_cidr_parse(mm_slice(v->s, v->n), &pv->cidr) != MM_OK)
			FAIL(c, MM_RULE_INVALID, "'%s' is not a CIDR block (line %u)", v->s, v->line);
		return;
	case OP_LT:
	case OP_LTE:
	case OP_GT:
	case OP_GTE:
		if (mm_slice_to_double(mm_slice(v->s, v->n), &pv->num) != MM_OK)
			FAIL(c, MM_RULE_INVALID, "'%s' is not a number (line %u)", v->s, v->line);
		return;
	case OP_EXISTS:
		if (strcasecmp(v->s, "true") == 0 || strcasecmp(v->s, "yes") == 0)
			pv->exists = true;
		else if (strcasecmp(v->s, "false") == 0 || strcasecmp(v->s, "no") == 0)
			pv->exists = false;
		else
			FAIL(c, MM_RULE_INVALID, "'exists' needs true or false, not '%s' (line %u)", v->s,
			     v->line);
		return;
	case OP_FIELDREF: {
		const char *alts[4], *failure = NULL;
		size_t na = mm__pipeline_map_field(rs, c->pr, v->s, alts, 4, &failure);
		resolve_field(rs, na ? alts[0] : v->s, &pv->ref);
		pv->ref_kind = PAT_EQ;
		for (size_t i = 0; i < nmods; i++) {
			if (mods[i] == MOD_CONTAINS)
				pv->ref_kind = PAT_CONTAINS;
			else if (mods[i] == MOD_STARTSWITH)
				pv->ref_kind = PAT_PREFIX;
			else if (mods[i] == MOD_ENDSWITH)
				pv->ref_kind = PAT_SUFFIX;
		}
		return;
	}
	case OP_STR:
		break;
	}

	/* OP_STR: wildcards, then the modifiers in the order written */
	struct vlist cur = {0}, next = {0};
	struct toks *t0 = vl_add(&cur);
	bool plain = true;
	parse_wildcards(v->s, v->n, t0);
	if (keyword)
		plain = false;
	for (size_t m = 0; m < nmods && !c->failed; m++) {
		enum mod_kind k = mods[m];
		if (k == MOD_ALL || k == MOD_CASED)
			continue;
		plain = false;
		for (size_t i = 0; i < cur.n && !c->failed; i++) {
			struct toks *t = &cur.v[i];
			switch (k) {
			case MOD_CONTAINS:
			case MOD_STARTSWITH:
			case MOD_ENDSWITH: {
				struct toks *o = vl_add(&next);
				t = &cur.v[i]; /* vl_add may have moved nothing, but be explicit */
				if (k != MOD_STARTSWITH && !(t->n && t->t[0] == TOK_STAR))
					tk_push(o, TOK_STAR);
				for (size_t j = 0; j < t->n; j++)
					tk_push(o, t->t[j]);
				if (k != MOD_ENDSWITH && !(t->n && t->t[t->n - 1] == TOK_STAR))
					tk_push(o, TOK_STAR);
				break;
			}
			case MOD_BASE64:
			case MOD_BASE64OFFSET: {
				if (has_wild(t)) {
					FAIL(c, MM_RULE_UNSUPPORTED,
					     "modifier '%s' on a value with wildcards (line %u)",
					     g_mods[k].name, v->line);
					break;
				}
				if (k == MOD_BASE64) {
					unsigned char *b = tk_bytes(t);
					b64(b, t->n, vl_add(&next));
					free(b);
				} else {
					b64offset(t, &next);
				}
				break;
			}
			case MOD_UTF16LE:
			case MOD_WIDE:
			case MOD_UTF16BE:
			case MOD_UTF16:
				utf16(t, k == MOD_UTF16BE, k == MOD_UTF16, vl_add(&next));
				break;
			case MOD_EXPAND:
				expand_value(c, t, &next, v->line);
				break;
			case MOD_WINDASH:
				if (windash(t, &next) != 0)
					FAIL(c, MM_RULE_UNSUPPORTED,
					     "modifier 'windash': more than 4 dashes in one value (line %u)",
					     v->line);
				break;
			default:
				break;
			}
			if (next.n > MAX_VARIANTS)
				FAIL(c, MM_RULE_UNSUPPORTED,
				     "value expands to more than %d variants (line %u)", MAX_VARIANTS,
				     v->line);
		}
		vl_free(&cur);
		cur = next;
		memset(&next, 0, sizeof(next));
	}
	if (keyword && !c->failed) {
		/* keywords search the message text: implicit contains */
		for (size_t i = 0; i < cur.n; i++) {
			struct toks *t = &cur.v[i], w = {0};
			if (!(t->n && t->t[0] == TOK_STAR))
				tk_push(&w, TOK_STAR);
			for (size_t j = 0; j < t->n; j++)
				tk_push(&w, t->t[j]);
			if (!(t->n && t->t[t->n - 1] == TOK_STAR))
				tk_push(&w, TOK_STAR);
			free(t->t);
			*t = w;
		}
	}
	if (!c->failed) {
		c->nvalues += cur.n;
		if (c->nvalues > MAX_RULE_VALUES) {
			FAIL(c, MM_RULE_UNSUPPORTED, "rule has more than %d values", MAX_RULE_VALUES);
		} else {
			pv->pats = mm_arena_alloc(rs->arena, (cur.n ? cur.n : 1) * sizeof(*pv->pats));
			if (!pv->pats)
				mm_oom();
			for (size_t i = 0; i < cur.n; i++)
				make_pat(rs, &cur.v[i], it->cased, &pv->pats[i]);
			pv->npats = cur.n;
			/* numeric fields: `sc-status: 404` also equals "0404" numerically */
			if (plain && mm_slice_to_i64(mm_slice(v->s, v->n), &pv->inum) == MM_OK)
				pv->has_inum = true;
		}
	}
	vl_free(&cur);
	vl_free(&next);
}

static struct pnode *item_node(struct mm_ruleset *rs, struct pitem *it)
{
	struct pnode *n = mm__pnode_new(rs, P_ITEM, 0);
	n->item = it;
	return n;
}

/* `Field|mod|…: value(s)` (field may be empty: keywords with modifiers). */
static struct pnode *compile_item(struct cctx *c, const char *key, const struct ynode *val,
                                  bool keyword)
{
	struct mm_ruleset *rs = c->rs;
	enum mod_kind mods[16];
	size_t nmods = 0;
	char field[512];
	const char *bar = strchr(key, '|');
	size_t flen = bar ? (size_t)(bar - key) : strlen(key);
	if (flen >= sizeof(field)) {
		FAIL(c, MM_RULE_INVALID, "field name longer than %zu bytes", sizeof(field) - 1);
		return NULL;
	}
	memcpy(field, key, flen);
	field[flen] = '\0';
	while (bar) {
		const char *s = bar + 1;
		bar = strchr(s, '|');
		size_t ml = bar ? (size_t)(bar - s) : strlen(s);
		size_t k;
		for (k = 0; k < MOD__COUNT; k++)
			if (strlen(g_mods[k].name) == ml && strncmp(g_mods[k].name, s, ml) == 0)
				break;
		if (k == MOD__COUNT) {
			FAIL(c, MM_RULE_INVALID, "unknown modifier '%.*s' in '%s'", (int)ml, s, key);
			return NULL;
		}
		if (!g_mods[k].supported) {
			FAIL(c, MM_RULE_UNSUPPORTED, "%s", unsupported_reason((enum mod_kind)k));
			return NULL;
		}
		if (nmods == MM_ARRAY_LEN(mods)) {
			FAIL(c, MM_RULE_INVALID, "too many modifiers in '%s'", key);
			return NULL;
		}
		mods[nmods++] = (enum mod_kind)k;
	}
	struct pitem *it = mm_arena_alloc(rs->arena, sizeof(*it));
	if (!it)
		mm_oom();
	memset(it, 0, sizeof(*it));
	it->op = OP_STR;
	int ops = 0;
	bool has_re = false, has_resub = false, has_strmod = false, has_expand = false;
	for (size_t i = 0; i < nmods; i++) {
		switch (mods[i]) {
		case MOD_ALL:
			it->all = true;
			break;
		case MOD_CASED:
			it->cased = true;
			break;
		case MOD_RE:
			it->op = OP_RE, ops++, has_re = true;
			break;
		case MOD_RE_I:
		case MOD_RE_M:
		case MOD_RE_S:
			has_resub = true;
			break;
		case MOD_CIDR:
			it->op = OP_CIDR, ops++;
			break;
		case MOD_LT:
			it->op = OP_LT, ops++;
			break;
		case MOD_LTE:
			it->op = OP_LTE, ops++;
			break;
		case MOD_GT:
			it->op = OP_GT, ops++;
			break;
		case MOD_GTE:
			it->op = OP_GTE, ops++;
			break;
		case MOD_EXISTS:
			it->op = OP_EXISTS, ops++;
			break;
		case MOD_FIELDREF:
			it->op = OP_FIELDREF, ops++;
			break;
		case MOD_CONTAINS:
		case MOD_STARTSWITH:
		case MOD_ENDSWITH:
			break;
		case MOD_EXPAND:
			has_expand = true;
			break;
		default:
			has_strmod = true;
			break;
		}
	}
	if (ops && has_expand) { /* placeholders are filled in strings only */
		FAIL(c, MM_RULE_UNSUPPORTED,
		     "modifier 'expand' with a regex, CIDR, comparison, exists or fieldref ('%s')", key);
		return NULL;
	}
	if (ops > 1) {
		FAIL(c, MM_RULE_INVALID, "conflicting modifiers in '%s'", key);
		return NULL;
	}
	if (has_resub && !has_re) {
		FAIL(c, MM_RULE_INVALID, "regex flags i/m/s need the 're' modifier ('%s')", key);
		return NULL;
	}
	if (ops && has_strmod) {
		FAIL(c, MM_RULE_INVALID, "encoding modifiers cannot be combined with '%s' in '%s'",
		     it->op == OP_RE ? "re" : "a comparison", key);
		return NULL;
	}
	if (ops && it->op != OP_FIELDREF) {
		for (size_t i = 0; i < nmods; i++)
			if (mods[i] == MOD_CONTAINS || mods[i] == MOD_STARTSWITH ||
			    mods[i] == MOD_ENDSWITH) {
				FAIL(c, MM_RULE_INVALID, "'%s' cannot be combined with '%s'",
				     g_mods[mods[i]].name, key);
				return NULL;
			}
	}

	/* the field(s) */
	if (keyword || flen == 0) {
		keyword = it->op == OP_STR;
		it->fields = mm_arena_alloc(rs->arena, sizeof(*it->fields));
		if (!it->fields)
			mm_oom();
		it->fields[0] = (struct fref){FREF_MSG, false, "keywords", 8, 0};
		it->nfields = 1;
	} else {
		const char *alts[16], *failure = NULL;
		size_t na = mm__pipeline_map_field(rs, c->pr, mm__rs_strdup(rs, field), alts, 16,
		                                   &failure);
		if (failure) {
			FAIL(c, MM_RULE_UNSUPPORTED, "pipeline: %s (field '%s')", failure, field);
			return NULL;
		}
		if (na == 0)
			return mm__pnode_new(rs, P_TRUE, 0); /* drop_detection_item */
		it->fields = mm_arena_alloc(rs->arena, na * sizeof(*it->fields));
		if (!it->fields)
			mm_oom();
		for (size_t i = 0; i < na; i++)
			resolve_field(rs, alts[i], &it->fields[i]);
		it->nfields = na;
	}

	/* the value(s) */
	if (val->kind == Y_SEQ) {
		if (val->nkids == 0) {
			FAIL(c, MM_RULE_INVALID, "empty value list for '%s' (line %u)", key, val->line);
			return NULL;
		}
		it->vals = mm_arena_alloc(rs->arena, val->nkids * sizeof(*it->vals));
		if (!it->vals)
			mm_oom();
		for (size_t i = 0; i < val->nkids && !c->failed; i++)
			compile_value(c, it, mods, nmods, keyword, val->kids[i], &it->vals[i]);
		it->nvals = val->nkids;
	} else {
		it->vals = mm_arena_alloc(rs->arena, sizeof(*it->vals));
		if (!it->vals)
			mm_oom();
		compile_value(c, it, mods, nmods, keyword, val, &it->vals[0]);
		it->nvals = 1;
	}
	if (c->failed)
		return NULL;
	if (it->op == OP_EXISTS && it->nvals != 1) {
		FAIL(c, MM_RULE_INVALID, "'exists' takes one value, true or false ('%s')", key);
		return NULL;
	}
	return item_node(rs, it);
}

/* A map of detection items: AND. */
static struct pnode *compile_map(struct cctx *c, const struct ynode *m)
{
	if (m->nkids == 0) {
		FAIL(c, MM_RULE_INVALID, "empty selection map (line %u)", m->line);
		return NULL;
	}
	struct pnode *n = mm__pnode_new(c->rs, P_AND, m->nkids / 2);
	for (size_t i = 0; i + 1 < m->nkids; i += 2) {
		const struct ynode *k = m->kids[i];
		if (k->kind != Y_SCALAR) {
			FAIL(c, MM_RULE_INVALID, "field name must be a string (line %u)", k->line);
			return NULL;
		}
		if (++c->walked > MAX_WALK) {
			FAIL(c, MM_RULE_UNSUPPORTED, "rule too large to compile");
			return NULL;
		}
		struct pnode *it = compile_item(c, k->s, m->kids[i + 1], false);
		if (!it)
			return NULL;
		n->kids[i / 2] = it;
	}
	return n;
}

/* A search identifier's value: a map (AND), a list of maps (OR) or a list
 * of keywords (OR), or one keyword. */
static struct pnode *compile_selection(struct cctx *c, const char *name, const struct ynode *s)
{
	struct mm_ruleset *rs = c->rs;
	if (s->kind == Y_MAP)
		return compile_map(c, s);
	if (s->kind == Y_SCALAR) {
		if (mm__y_is_null(s)) {
			FAIL(c, MM_RULE_INVALID, "selection '%s' is empty (line %u)", name, s->line);
			return NULL;
		}
		return compile_item(c, "", s, true);
	}
	if (s->nkids == 0) {
		FAIL(c, MM_RULE_INVALID, "selection '%s' is an empty list (line %u)", name, s->line);
		return NULL;
	}
	size_t nmaps = 0, nscal = 0;
	for (size_t i = 0; i < s->nkids; i++) {
		if (s->kids[i]->kind == Y_MAP)
			nmaps++;
		else if (s->kids[i]->kind == Y_SCALAR)
			nscal++;
		else {
			FAIL(c, MM_RULE_INVALID, "selection '%s': nested lists are not Sigma (line %u)",
			     name, s->kids[i]->line);
			return NULL;
		}
	}
	struct pnode *n = mm__pnode_new(rs, P_OR, nmaps + (nscal ? 1 : 0));
	size_t k = 0;
	for (size_t i = 0; i < s->nkids; i++) {
		if (s->kids[i]->kind != Y_MAP)
			continue;
		struct pnode *m = compile_map(c, s->kids[i]);
		if (!m)
			return NULL;
		n->kids[k++] = m;
	}
	if (nscal) {
		/* the scalars form one keyword item (values OR'ed) */
		struct ynode tmp = *s;
		struct ynode **kids = mm_arena_alloc(rs->arena, nscal * sizeof(*kids));
		if (!kids)
			mm_oom();
		size_t j = 0;
		for (size_t i = 0; i < s->nkids; i++)
			if (s->kids[i]->kind == Y_SCALAR)
				kids[j++] = s->kids[i];
		tmp.kids = kids;
		tmp.nkids = nscal;
		struct pnode *kw = compile_item(c, "", &tmp, true);
		if (!kw)
			return NULL;
		n->kids[k++] = kw;
	}
	return n->nkids == 1 ? n->kids[0] : n;
}

struct pnode *mm__pnode_new(struct mm_ruleset *rs, enum pnode_kind k, size_t nkids)
{
	struct pnode *n = mm_arena_alloc(rs->arena, sizeof(*n));
	if (!n)
		mm_oom();
	memset(n, 0, sizeof(*n));
	n->kind = k;
	n->nkids = nkids;
	if (nkids) {
		n->kids = mm_arena_alloc(rs->arena, nkids * sizeof(*n->kids));
		if (!n->kids)
			mm_oom();
		memset(n->kids, 0, nkids * sizeof(*n->kids));
	}
	return n;
}

struct pnode *mm__compile_detection(struct mm_ruleset *rs, struct srule *r,
                                    const struct pl_rule *pr, struct ynode *det, bool is_filter)
{
	struct cctx c = {rs, r, pr, 0, 0, false};
	struct cond_sel *sels = NULL;
	size_t nsels = 0;
	struct pnode *prog = NULL;
	const struct ynode *cond = mm__y_get(det, "condition");

	sels = mm_calloc(det->nkids / 2 + 1, sizeof(*sels));
	for (size_t i = 0; i + 1 < det->nkids; i += 2) {
		const struct ynode *k = det->kids[i];
		if (k->kind != Y_SCALAR) {
			FAIL(&c, MM_RULE_INVALID, "search identifier must be a string (line %u)", k->line);
			goto out;
		}
		if (strcmp(k->s, "condition") == 0 || strcmp(k->s, "timeframe") == 0)
			continue;
		if (is_filter && strcmp(k->s, "rules") == 0)
			continue;
		struct pnode *sn = compile_selection(&c, k->s, det->kids[i + 1]);
		if (!sn)
			goto out;
		sels[nsels].name = k->s;
		sels[nsels].node = sn;
		nsels++;
	}
	if (!cond || mm__y_is_null(cond)) {
		FAIL(&c, MM_RULE_INVALID, "detection has no 'condition'");
		goto out;
	}
	size_t nconds = cond->kind == Y_SEQ ? cond->nkids : 1;
	if (cond->kind == Y_MAP || nconds == 0) {
		FAIL(&c, MM_RULE_INVALID, "'condition' must be a string or a list of strings");
		goto out;
	}
	/* a list of conditions is their OR (Sigma spec) */
	struct pnode *any = mm__pnode_new(rs, P_OR, nconds);
	for (size_t i = 0; i < nconds; i++) {
		const struct ynode *cn = cond->kind == Y_SEQ ? cond->kids[i] : cond;
		if (!mm__y_is_str(cn)) {
			FAIL(&c, MM_RULE_INVALID, "'condition' must be a string or a list of strings");
			goto out;
		}
		const char *why = NULL;
		bool unsup = false;
		struct pnode *p = mm__cond_parse(rs, cn->s, sels, nsels, &why, &unsup);
		if (!p) {
			FAIL(&c, unsup ? MM_RULE_UNSUPPORTED : MM_RULE_INVALID, "condition: %s", why);
			goto out;
		}
		any->kids[i] = p;
	}
	prog = nconds == 1 ? any->kids[0] : any;
	/* pipeline add_condition: AND (each conditions map is a selection).
	 * The added conditions are evaluated first: they are equality tests
	 * (pipelines/windows.yml: Channel, EventID) that reject a candidate of
	 * another channel or event ID before its own selections and long
	 * filter lists run. AND has no side effects, so the order changes no
	 * result. */
	if (!is_filter && pr->nadd) {
		struct pnode *a = mm__pnode_new(rs, P_AND, pr->nadd + 1);
		for (size_t i = 0; i < pr->nadd; i++) {
			struct pnode *m = compile_map(&c, pr->add_conds[i]);
			if (!m)
				goto out;
			m->routing = true;
			a->kids[i] = m;
		}
		a->kids[pr->nadd] = prog;
		prog = a;
	}
out:
	free(sels);
	return c.failed ? NULL : prog;
}

/* ---- the compile driver ------------------------------------------------ */

static bool ls_covers(const struct logsrc *f, const struct logsrc *r)
{
	if (f->product && (!r->product || strcasecmp(f->product, r->product) != 0))
		return false;
	if (f->category && (!r->category || strcasecmp(f->category, r->category) != 0))
		return false;
	if (f->service && (!r->service || strcasecmp(f->service, r->service) != 0))
		return false;
	return true;
}

static bool filter_names(const struct srule *f, const struct srule *r)
{
	if (f->filter_any)
		return true;
	const struct ynode *l = f->filter_rules;
	size_t n = l->kind == Y_SEQ ? l->nkids : 1;
	for (size_t i = 0; i < n; i++) {
		const struct ynode *e = l->kind == Y_SEQ ? l->kids[i] : l;
		if (!mm__y_is_str(e))
			continue;
		if ((r->info.id && strcmp(e->s, r->info.id) == 0) ||
		    (r->info.name && strcmp(e->s, r->info.name) == 0))
			return true;
	}
	return false;
}

int mm_ruleset_compile(struct mm_ruleset *rs, struct mm_error *err)
{
	if (rs->compiled)
		return mm_error_set(err, MM_EINVAL, "", 0, 0, "ruleset already compiled");
	rs->compiled = true;

	/* filters first: their conditions are ANDed into the rules they name */
	for (size_t i = 0; i < rs->ndocs; i++) {
		struct srule *f = rs->docs[i];
		if (f->kind != SR_FILTER || rs->st[f->status].state != MM_RULE_FILTER)
			continue;
		struct pl_rule pr;
		mm__pipeline_prepare(rs, &pr, &f->ls);
		f->prog = mm__compile_detection(rs, f, &pr, f->detection, true);
	}
	rs->rules = mm_calloc(rs->ndocs ? rs->ndocs : 1, sizeof(*rs->rules));
	for (size_t i = 0; i < rs->ndocs; i++) {
		struct srule *r = rs->docs[i];
		if (r->kind != SR_RULE || rs->st[r->status].state != MM_RULE_LOADED)
			continue;
		struct pl_rule pr;
		mm__pipeline_prepare(rs, &pr, &r->ls);
		if (pr.failure) {
			mm__rule_set_state(rs, r, MM_RULE_UNSUPPORTED, "pipeline: %s", pr.failure);
			continue;
		}
		r->info.product = pr.ls.product;
		r->info.category = pr.ls.category;
		r->info.service = pr.ls.service;
		struct pnode *prog = mm__compile_detection(rs, r, &pr, r->detection, false);
		if (!prog)
			continue;
		size_t nf = 0;
		for (size_t j = 0; j < rs->ndocs; j++) {
			struct srule *f = rs->docs[j];
			if (f->kind == SR_FILTER && f->prog && filter_names(f, r) &&
			    ls_covers(&f->ls, &r->ls))
				nf++;
		}
		if (nf) {
			/* Sigma Filters spec (and pySigma's SigmaFilter.apply_on_rule):
			 * the filter's condition is ANDed to the rule's, so an
			 * exclusion is written "condition: not selection" */
			struct pnode *a = mm__pnode_new(rs, P_AND, nf + 1);
			a->kids[0] = prog;
			size_t k = 1;
			for (size_t j = 0; j < rs->ndocs; j++) {
				struct srule *f = rs->docs[j];
				if (f->kind == SR_FILTER && f->prog && filter_names(f, r) &&
				    ls_covers(&f->ls, &r->ls))
					a->kids[k++] = f->prog;
			}
			prog = a;
		}
		r->prog = prog;
		r->info.index = rs->nrules;
		rs->rules[rs->nrules++] = r;
	}
	mm__corr_compile_all(rs);
	return mm__prefilter_build(rs, err);
}
