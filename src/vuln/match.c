/* mamori — matching: each inventory package looks its identity keys up in
 * the advisory index, evaluates the ranges with the row's version scheme, and
 * groups the verdicts per vulnerability (the CVE id when there is one). A
 * group with an "affected" verdict is a finding; records of the same
 * vulnerability that cover the package but say "not affected" are reported
 * with it as conflicts, never merged away (Bitnami vs NVD on CVE-2023-21835).
 * Range semantics: OSV's (ossf.github.io/osv-schema/#evaluation).
 * NVD AND configurations carry platform requirements ("p" events): a finding
 * whose platform the host's inventory does not show is conditional, or
 * dropped with MM_VULN_STRICT_PLATFORM. */
#include "vuln_int.h"

#include <stdlib.h>
#include <strings.h>

struct hit {
	int64_t rowid;
	char *group, *adv_id, *format, *aliases, *summary, *severity, *fixed, *why;
	char *platform; /* the platform requirement not seen in the inventory, or NULL */
	double score;
	bool affected;
};

struct mctx {
	const struct mm_inventory *inv;
	unsigned flags;
	const struct mm_pkg *pkg;
	const char *version; /* the version compared (Debian source version when keyed by source) */
	const int64_t *sources;
	size_t nsources;
	struct hit *hits;
	size_t nhits, caphits;
	struct mm_vuln_match_stats *st;
};

#define MAX_EVENTS 512

struct event {
	char t;
	struct mm_slice v;
};

static int ev_cmp(enum mm_vscheme s, const struct event *a, const struct event *b)
{
	bool a0 = mm_slice_eq_cstr(a->v, "0"), b0 = mm_slice_eq_cstr(b->v, "0");
	if (a0 || b0)
		return a0 == b0 ? 0 : (a0 ? -1 : 1);
	return mm_vers_cmp(s, a->v, b->v);
}

/* One event list (a range): sort by version (insertion sort, stable), then
 * walk it: the last event at or below the version decides. */
static bool eval_range(enum mm_vscheme s, struct event *ev, size_t n, struct mm_slice v,
                       struct mm_slice *fixed)
{
	for (size_t i = 1; i < n; i++) {
		struct event e = ev[i];
		size_t j = i;
		while (j > 0 && ev_cmp(s, &ev[j - 1], &e) > 0) {
			ev[j] = ev[j - 1];
			j--;
		}
		ev[j] = e;
	}
	bool aff = false;
	size_t last = n; /* the event that decided */
	for (size_t i = 0; i < n; i++) {
		bool zero = mm_slice_eq_cstr(ev[i].v, "0");
		int c = zero ? 1 : mm_vers_cmp(s, v, ev[i].v);
		if (zero && mm_slice_eq_cstr(v, "0"))
			c = 0;
		bool applies = (ev[i].t == 'i' || ev[i].t == 'f') ? c >= 0 : c > 0;
		if (!applies)
			continue;
		aff = ev[i].t == 'i' || ev[i].t == 'x';
		last = i;
	}
	/* the fix to report: when affected, the next fix above the version in
	 * this range; when not, the fix that ended it */
	if (aff) {
		for (size_t i = last + 1; i < n; i++)
			if (ev[i].t == 'f') {
				*fixed = ev[i].v;
				break;
			}
	} else if (last < n && ev[last].t == 'f') {
		*fixed = ev[last].v;
	}
	return aff;
}

static bool evaluate(enum mm_vscheme s, const char *events, const char *versions,
                     struct mm_slice v, struct mm_buf *fixed, struct mm_buf *why)
{
	bool aff = false;
	/* exact versions */
	size_t off = 0, n = versions ? strlen(versions) : 0;
	struct mm_slice l;
	while (mm__next_line(versions, n, &off, &l)) {
		if (l.n && (mm_slice_eq(l, v) || mm_vers_cmp(s, l, v) == 0)) {
			aff = true;
			mm_buf_printf(why, "version %.*s listed", (int)l.n, l.p);
			break;
		}
	}
	/* ranges, separated by "-" lines */
	struct event ev[MAX_EVENTS];
	size_t ne = 0;
	off = 0;
	n = events ? strlen(events) : 0;
	const char *rstart = events;
	for (;;) {
		bool more = mm__next_line(events, n, &off, &l);
		if (!more || mm_slice_eq_cstr(l, "-")) {
			if (ne) {
				struct mm_slice fx = MM_SLICE_NULL;
				bool r = eval_range(s, ev, ne, v, &fx);
				if (fx.p && fixed->n == 0)
					mm_buf_append(fixed, fx.p, fx.n);
				if (r && !aff) {
					aff = true;
					mm_buf_puts(why, "range");
					for (size_t i = 0; i < ne; i++)
						mm_buf_printf(why, " %s %.*s",
						              ev[i].t == 'i'   ? ">="
						              : ev[i].t == 'x' ? ">"
						              : ev[i].t == 'f' ? "<"
						                               : "<=",
						              (int)ev[i].v.n, ev[i].v.p);
				}
			}
			ne = 0;
			if (!more)
				break;
			rstart = l.p + l.n;
			continue;
		}
		if (l.n >= 3 && l.p[1] == ' ' && l.p[0] != 'p' && ne < MAX_EVENTS) {
			ev[ne].t = l.p[0];
			ev[ne].v = mm_slice(l.p + 2, l.n - 2);
			ne++;
		}
	}
	(void)rstart;
	return aff;
}

/* ---- platform requirements of NVD AND configurations ---- */

/* CPE 2.3 formatted string fields (backslash escapes kept out) */
static size_t cpe_fields(struct mm_slice c, char (*f)[128], size_t max)
{
	size_t k = 0, w = 0;
	for (size_t i = 0; i < c.n && k < max; i++) {
		char ch = c.p[i];
		if (ch == '\\' && i + 1 < c.n) {
			ch = c.p[++i];
		} else if (ch == ':') {
			f[k++][w] = '\0';
			w = 0;
			continue;
		}
		if (w < 127)
			f[k][w++] = ch;
	}
	if (k < max)
		f[k++][w] = '\0';
	return k;
}

/* One alternative "criteria[ >=v][ >v][ <=v][ <v]": does package p meet it? */
static bool platform_alt_met(struct mm_slice alt, const struct mm_pkg *p)
{
	size_t sp = 0;
	while (sp < alt.n && alt.p[sp] != ' ')
		sp++;
	char f[8][128];
	if (cpe_fields(mm_slice(alt.p, sp), f, 8) < 6)
		return false;
	char pk[8][MM_KEY_MAX], ck[4][MM_KEY_MAX];
	enum mm_vscheme s = MM_VS_GENERIC;
	size_t npk = mm__pkg_keys(p, pk, 8), nck = mm__cpe_keys(f[3], f[4], ck, 4, &s);
	bool same = false;
	for (size_t i = 0; i < npk && !same; i++)
		for (size_t j = 0; j < nck && !same; j++)
			same = !strcmp(pk[i], ck[j]);
	if (!same)
		return false;
	if (s == MM_VS_GENERIC)
		s = p->scheme;
	struct mm_slice v = mm_slice_cstr(p->version);
	if (strcmp(f[5], "*") && strcmp(f[5], "-") && f[5][0] &&
	    mm_vers_cmp(s, v, mm_slice_cstr(f[5])) != 0)
		return false;
	/* range bounds */
	for (size_t i = sp; i < alt.n;) {
		while (i < alt.n && alt.p[i] == ' ')
			i++;
		size_t st = i;
		while (i < alt.n && alt.p[i] != ' ')
			i++;
		struct mm_slice t = mm_slice(alt.p + st, i - st);
		size_t op = t.n && (t.p[0] == '<' || t.p[0] == '>') ? 1 + (t.n > 1 && t.p[1] == '=') : 0;
		if (!op || op >= t.n)
			continue;
		int c = mm_vers_cmp(s, v, mm_slice(t.p + op, t.n - op));
		bool ok = t.p[0] == '>' ? (op == 2 ? c >= 0 : c > 0) : (op == 2 ? c <= 0 : c < 0);
		if (!ok)
			return false;
	}
	return true;
}

/* The "p <group> <alternative>" lines of events: every group needs one
 * alternative met by a package of the same host. Returns NULL when there is
 * no requirement or it is met, else the requirement as text (owned):
 * alternatives joined with " or ", groups with " and ". */
static char *platform_unmet(const struct mctx *m, const char *events)
{
	if (!events || !strstr(events, "p "))
		return NULL;
	struct mm_buf req;
	mm_buf_init(&req, 4096);
	bool all = true, any = false, grp_met = false;
	unsigned cur = 0;
	size_t off = 0, n = strlen(events);
	struct mm_slice l;
	for (bool more = true; more;) {
		more = mm__next_line(events, n, &off, &l);
		unsigned g = 0;
		size_t i = 2;
		bool is_p = more && l.n > 4 && l.p[0] == 'p' && l.p[1] == ' ';
		if (is_p)
			while (i < l.n && l.p[i] >= '0' && l.p[i] <= '9' && g < 100000)
				g = g * 10 + (unsigned)(l.p[i++] - '0');
		if (is_p && (!g || i >= l.n || l.p[i] != ' '))
			is_p = false; /* groups count from 1 */
		if (!more || (is_p && g != cur)) {
			if (cur && !grp_met)
				all = false;
			if (!more)
				break;
			if (any)
				mm_buf_puts(&req, ") and (");
			else
				mm_buf_putc(&req, '(');
			cur = g;
			grp_met = false;
		} else if (!is_p) {
			continue;
		} else {
			mm_buf_puts(&req, " or ");
		}
		if (!is_p)
			continue;
		any = true;
		struct mm_slice alt = mm_slice(l.p + i + 1, l.n - i - 1);
		mm_buf_append(&req, alt.p, alt.n);
		for (size_t k = 0; k < m->inv->n && !grp_met; k++) {
			const struct mm_pkg *p = &m->inv->pkgs[k];
			if (!strcmp(p->host, m->pkg->host))
				grp_met = platform_alt_met(alt, p);
		}
	}
	if (any)
		mm_buf_putc(&req, ')');
	char *r = any && !all ? mm_strdup(req.p ? req.p : "") : NULL;
	mm_buf_free(&req);
	return r;
}

static bool source_ok(const struct mctx *m, int64_t src)
{
	if (!m->nsources)
		return true;
	for (size_t i = 0; i < m->nsources; i++)
		if (m->sources[i] == src)
			return true;
	return false;
}

/* The vulnerability an advisory is about: its own CVE id, else its only
 * CVE alias, else its own id. */
static char *group_of(const char *id, const char *aliases)
{
	if (!strncmp(id, "CVE-", 4))
		return mm_strdup(id);
	const char *cve = NULL;
	int ncve = 0;
	for (const char *p = aliases; p && *p;) {
		size_t n = strcspn(p, " ");
		if (n > 4 && !strncmp(p, "CVE-", 4)) {
			cve = p;
			ncve++;
		}
		p += n + (p[n] == ' ');
	}
	if (ncve == 1)
		return mm_strndup(cve, strcspn(cve, " "));
	return mm_strdup(id);
}

static int on_row(void *ud, const struct mm_store_vuln_row *r)
{
	struct mctx *m = ud;
	if (!source_ok(m, r->source) || !r->adv.adv_id)
		return MM_OK;
	m->st->candidates++;
	enum mm_vscheme s = MM_VS_GENERIC;
	if (r->aff.scheme)
		mm_vscheme_from_name(r->aff.scheme, &s);
	/* an inventory that knows its own scheme (java, vendor) wins over a
	 * generic one from the advisory */
	if (s == MM_VS_GENERIC && m->pkg->scheme != MM_VS_GENERIC)
		s = m->pkg->scheme;
	struct mm_buf fixed, why;
	mm_buf_init(&fixed, 4096);
	mm_buf_init(&why, 4096);
	bool aff = evaluate(s, r->aff.events, r->aff.versions, mm_slice_cstr(m->version), &fixed,
	                    &why);
	if (aff && r->aff.note && *r->aff.note)
		mm_buf_printf(&why, " (%s)", r->aff.note);
	char *platform = aff ? platform_unmet(m, r->aff.events) : NULL;
	/* the same advisory through another key or entry: merge */
	for (size_t i = 0; i < m->nhits; i++) {
		struct hit *h = &m->hits[i];
		if (h->rowid != r->adv_rowid)
			continue;
		/* affected beats not affected; unconditional beats conditional */
		if (aff && (!h->affected || (h->platform && !platform))) {
			h->affected = true;
			free(h->why);
			h->why = mm_strdup(why.p ? why.p : "");
			free(h->fixed);
			h->fixed = mm_strdup(fixed.p ? fixed.p : "");
			free(h->platform);
			h->platform = platform;
			platform = NULL;
		}
		free(platform);
		mm_buf_free(&fixed);
		mm_buf_free(&why);
		return MM_OK;
	}
	if (m->nhits == m->caphits) {
		m->caphits = m->caphits ? m->caphits * 2 : 16;
		m->hits = mm_realloc(m->hits, m->caphits * sizeof(*m->hits));
	}
	struct hit *h = &m->hits[m->nhits++];
	memset(h, 0, sizeof(*h));
	h->rowid = r->adv_rowid;
	h->adv_id = mm_strdup(r->adv.adv_id);
	h->format = mm_strdup(r->adv.format ? r->adv.format : "?");
	h->aliases = mm_strdup(r->adv.aliases ? r->adv.aliases : "");
	h->summary = mm_strdup(r->adv.summary ? r->adv.summary : "");
	h->severity = r->adv.severity ? mm_strdup(r->adv.severity) : NULL;
	h->group = group_of(h->adv_id, h->aliases);
	h->score = r->adv.score;
	h->affected = aff;
	h->platform = platform;
	h->fixed = mm_strdup(fixed.p ? fixed.p : "");
	h->why = mm_strdup(why.p ? why.p : "");
	mm_buf_free(&fixed);
	mm_buf_free(&why);
	return MM_OK;
}

static int hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	int r = strcmp(x->group, y->group);
	if (!r)
		r = (int)y->affected - (int)x->affected;
	if (!r)
		r = strcmp(x->format, y->format);
	if (!r)
		r = strcmp(x->adv_id, y->adv_id);
	return r;
}

static enum mm_vuln_level hit_level(const struct hit *h)
{
	if (h->score >= 0)
		return mm_cvss_level(h->score);
	enum mm_vuln_level l;
	if (h->severity && !mm_vuln_level_from_name(h->severity, &l))
		return l;
	return MM_VL_UNKNOWN;
}

static void add_word(struct mm_buf *b, const char *w, const char *sep)
{
	if (!w || !*w)
		return;
	/* no duplicates */
	size_t wn = strlen(w), sn = strlen(sep);
	const char *p = b->p;
	while (p && *p) {
		const char *e = strstr(p, sep);
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == wn && !strncasecmp(p, w, n))
			return;
		p = e ? e + sn : NULL;
	}
	if (b->n)
		mm_buf_puts(b, sep);
	mm_buf_puts(b, w);
}

static int emit(struct mctx *m, struct hit *g, size_t n, mm_vuln_finding_cb cb, void *ctx)
{
	struct mm_buf advs, aliases, fixed, conflicts;
	mm_buf_init(&advs, 0);
	mm_buf_init(&aliases, 0);
	mm_buf_init(&fixed, 0);
	mm_buf_init(&conflicts, 0);
	enum mm_vuln_level lvl = MM_VL_UNKNOWN;
	double score = -1;
	const char *why = "", *summary = "", *platform = "";
	bool any = false, uncond = false;
	bool strict = m->flags & MM_VULN_STRICT_PLATFORM;
	for (size_t i = 0; i < n; i++) {
		struct hit *h = &g[i];
		char tag[300];
		/* under --strict-platform a record whose platform the host lacks
		 * does not apply: neither a finding nor a conflict */
		if (h->affected && h->platform && strict) {
			m->st->platform_unmet++;
			continue;
		}
		if (h->affected) {
			if (h->platform && !*platform)
				platform = h->platform;
			/* the first record explains the finding, an unconditional
			 * one when there is one */
			if (!any || (!h->platform && !uncond)) {
				why = h->why;
				summary = h->summary;
			}
			uncond = uncond || !h->platform;
			snprintf(tag, sizeof(tag), "%s (%s)", h->adv_id, h->format);
			add_word(&advs, tag, ", ");
			any = true;
			enum mm_vuln_level l = hit_level(h);
			if (l != MM_VL_UNKNOWN && (lvl == MM_VL_UNKNOWN || l > lvl))
				lvl = l;
			if (h->score > score)
				score = h->score;
			add_word(&fixed, h->fixed, ", ");
		} else {
			snprintf(tag, sizeof(tag), "%s (%s) says not affected%s%s", h->adv_id, h->format,
			         *h->fixed ? "; fixed in " : "", h->fixed);
			add_word(&conflicts, tag, ", ");
		}
		if (strcmp(h->adv_id, g[0].group) != 0)
			add_word(&aliases, h->adv_id, " ");
		for (const char *p = h->aliases; *p;) {
			size_t k = strcspn(p, " ");
			char w[128];
			if (k < sizeof(w)) {
				memcpy(w, p, k);
				w[k] = '\0';
				if (strcmp(w, g[0].group) != 0)
					add_word(&aliases, w, " ");
			}
			p += k + (p[k] == ' ');
		}
	}
	int rc = MM_OK;
	if (any) {
		struct mm_vuln_finding f = {
			.pkg = m->pkg,
			.vuln_id = g[0].group,
			.advisories = advs.p ? advs.p : "",
			.aliases = aliases.p ? aliases.p : "",
			.summary = summary,
			.level = lvl,
			.score = score,
			.fixed = fixed.p ? fixed.p : "",
			.conflicts = conflicts.p ? conflicts.p : "",
			.why = why,
			.conditional = !uncond,
			.platform = uncond ? "" : platform,
		};
		m->st->findings++;
		if (!uncond)
			m->st->conditional++;
		if (conflicts.n)
			m->st->conflicts++;
		rc = cb(ctx, &f);
	}
	mm_buf_free(&advs);
	mm_buf_free(&aliases);
	mm_buf_free(&fixed);
	mm_buf_free(&conflicts);
	return rc;
}

static void free_hits(struct mctx *m)
{
	for (size_t i = 0; i < m->nhits; i++) {
		struct hit *h = &m->hits[i];
		free(h->group), free(h->adv_id), free(h->format), free(h->aliases);
		free(h->summary), free(h->severity), free(h->fixed), free(h->why);
		free(h->platform);
	}
	m->nhits = 0;
}

int mm_vuln_match(struct mm_store *s, const struct mm_inventory *inv,
                  const int64_t *source_ids, size_t nsources, unsigned flags,
                  mm_vuln_finding_cb cb, void *ctx, struct mm_vuln_match_stats *st,
                  struct mm_error *err)
{
	struct mm_vuln_match_stats dummy;
	if (!st)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	struct mctx m = {
		.inv = inv, .flags = flags, .sources = source_ids, .nsources = nsources, .st = st};
	int rc = MM_OK;
	for (size_t i = 0; i < inv->n && !rc; i++) {
		const struct mm_pkg *p = &inv->pkgs[i];
		char keys[8][MM_KEY_MAX];
		size_t nk = mm__pkg_keys(p, keys, 8);
		m.pkg = p;
		st->packages++;
		for (size_t k = 0; k < nk && !rc; k++) {
			/* Debian advisories name the source package and its version */
			m.version = p->version;
			if (p->src_name && p->src_version && !strcmp(p->ecosystem, "Debian") &&
			    !strncmp(keys[k], "debian/", 7) && !strcmp(keys[k] + 7, p->src_name))
				m.version = p->src_version;
			st->lookups++;
			rc = mm_store_vuln_lookup(s, keys[k], on_row, &m, err);
		}
		if (!rc && m.nhits) {
			qsort(m.hits, m.nhits, sizeof(*m.hits), hit_cmp);
			for (size_t a = 0; a < m.nhits && !rc;) {
				size_t b = a + 1;
				while (b < m.nhits && !strcmp(m.hits[a].group, m.hits[b].group))
					b++;
				rc = emit(&m, &m.hits[a], b - a, cb, ctx);
				a = b;
			}
		}
		free_hits(&m);
	}
	free(m.hits);
	return rc;
}

static void json_str(struct mm_buf *b, const char *k, const char *v)
{
	mm_buf_printf(b, ",\"%s\":\"", k);
	mm_json_escape(b, v ? v : "", v ? strlen(v) : 0);
	mm_buf_putc(b, '"');
}

static void json_list(struct mm_buf *b, const char *k, const char *v, const char *sep)
{
	mm_buf_printf(b, ",\"%s\":[", k);
	size_t sn = strlen(sep);
	bool first = true;
	while (v && *v) {
		const char *e = strstr(v, sep);
		size_t n = e ? (size_t)(e - v) : strlen(v);
		if (n) {
			mm_buf_puts(b, first ? "\"" : ",\"");
			mm_json_escape(b, v, n);
			mm_buf_putc(b, '"');
			first = false;
		}
		v = e ? e + sn : NULL;
	}
	mm_buf_putc(b, ']');
}

void mm_vuln_finding_json(const struct mm_vuln_finding *f, struct mm_buf *b)
{
	const struct mm_pkg *p = f->pkg;
	mm_buf_puts(b, "{\"event\":{\"kind\":\"finding\"}");
	json_str(b, "host", p->host);
	json_str(b, "package", p->name);
	json_str(b, "version", p->version);
	json_str(b, "ecosystem", p->ecosystem);
	if (p->purl)
		json_str(b, "purl", p->purl);
	json_str(b, "vulnerability", f->vuln_id);
	json_list(b, "aliases", f->aliases, " ");
	json_list(b, "advisories", f->advisories, ", ");
	json_str(b, "severity", mm_vuln_level_name(f->level));
	if (f->score >= 0)
		mm_buf_printf(b, ",\"score\":%.1f", f->score);
	json_list(b, "fixed", f->fixed, ", ");
	json_list(b, "conflicts", f->conflicts, ", ");
	mm_buf_printf(b, ",\"conditional\":%s", f->conditional ? "true" : "false");
	json_str(b, "platform", f->platform);
	json_str(b, "matched", f->why);
	json_str(b, "summary", f->summary);
	mm_buf_puts(b, ",\"evidence\":{");
	mm_buf_puts(b, "\"file\":\"");
	mm_json_escape(b, p->file, strlen(p->file));
	mm_buf_printf(b, "\",\"line\":%u,\"entry\":\"", p->line);
	mm_json_escape(b, p->evidence, strlen(p->evidence));
	mm_buf_puts(b, "\"}}");
}
