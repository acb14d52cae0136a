/* mamori — inventory: the dpkg status file (/var/lib/dpkg/status, deb-control
 * stanzas as in Debian Policy §5.1). Packages whose files are on disk count
 * (every Status state but not-installed and config-files); Source: ("name" or "name (version)") is kept because
 * Debian's advisories (DSA/DLA, OSV "Debian") name source packages. */
#include "vuln_int.h"

#include <stdlib.h>

/* A deb-control field line: "Name: value" (Policy §5.1: a field name is
 * printable ASCII without ':' and not starting with '#' or '-'). */
static bool is_field(struct mm_slice l)
{
	size_t i = 0;
	while (i < l.n && ((l.p[i] >= 'A' && l.p[i] <= 'Z') || (l.p[i] >= 'a' && l.p[i] <= 'z') ||
	                   (l.p[i] >= '0' && l.p[i] <= '9') || l.p[i] == '-'))
		i++;
	return i > 0 && i < l.n && l.p[i] == ':' && l.p[0] != '-';
}

/* The first line is a field and the first stanza has a Package field (dpkg
 * writes it first; other tools, and osv-scanner's fixtures, may not). */
bool mm__inv_dpkg_probe(const char *data, size_t n)
{
	size_t off = 0;
	struct mm_slice l;
	bool first = true;
	while (mm__next_line(data, n, &off, &l)) {
		if (!mm__trim(l).n) {
			if (first)
				continue;
			return false; /* end of the first stanza */
		}
		if (first && !is_field(l))
			return false;
		first = false;
		if (l.n > 9 && !memcmp(l.p, "Package: ", 9))
			return true;
	}
	return false;
}

struct stanza {
	struct mm_slice pkg, ver, status, source;
	unsigned line;
	bool any;
};

static struct mm_slice field(struct mm_slice l, const char *name)
{
	size_t k = strlen(name);
	if (l.n > k && !memcmp(l.p, name, k) && l.p[k] == ':')
		return mm__trim(mm_slice(l.p + k + 1, l.n - k - 1));
	return MM_SLICE_NULL;
}

static void flush(struct mm__inv_ctx *c, struct stanza *s)
{
	if (!s->any)
		return;
	/* Status: "want flag state" (dpkg(1) "Package states"). Packages whose
	 * files are on disk count: every state but not-installed and
	 * config-files (a removed package keeps only its conffiles). A Status
	 * that is not three words with a known state is malformed. */
	static const char *const states[] = {"installed",        "unpacked",
	                                     "half-configured",  "half-installed",
	                                     "triggers-awaited", "triggers-pending"};
	bool installed = true;
	if (s->status.p) {
		struct mm_slice st = s->status, w[3];
		size_t k = 0;
		for (size_t i = 0; i < st.n && k < 3;) {
			while (i < st.n && st.p[i] == ' ')
				i++;
			size_t b = i;
			while (i < st.n && st.p[i] != ' ')
				i++;
			if (i > b)
				w[k++] = mm_slice(st.p + b, i - b);
		}
		installed = false;
		if (k == 3 && (mm_slice_eq_cstr(w[2], "not-installed") ||
		               mm_slice_eq_cstr(w[2], "config-files"))) {
			memset(s, 0, sizeof(*s));
			return;
		}
		for (size_t i = 0; k == 3 && i < MM_ARRAY_LEN(states); i++)
			installed = installed || mm_slice_eq_cstr(w[2], states[i]);
		if (!installed) {
			c->inv->errors++;
			memset(s, 0, sizeof(*s));
			return;
		}
	}
	if (!s->pkg.n || !s->ver.n) {
		c->inv->errors++;
	} else {
		char ev[600];
		int m = snprintf(ev, sizeof(ev), "Package: %.*s Version: %.*s", (int)MM_MIN(s->pkg.n, 200),
		                 s->pkg.p, (int)MM_MIN(s->ver.n, 200), s->ver.p);
		struct mm_pkg *p = mm__inv_add(c, mm__inv_default_host(c), s->pkg, s->ver, "Debian",
		                               MM_VS_DEB, s->line,
		                               mm_slice(ev, (size_t)MM_MIN(m, (int)sizeof(ev) - 1)));
		if (p && s->source.n) {
			struct mm_slice src = s->source;
			const char *paren = memchr(src.p, '(', src.n);
			if (paren) {
				const char *close = memchr(paren, ')', src.n - (size_t)(paren - src.p));
				if (close)
					p->src_version = mm_slice_strdup(
						mm__trim(mm_slice(paren + 1, (size_t)(close - paren - 1))));
				src = mm__trim(mm_slice(src.p, (size_t)(paren - src.p)));
			}
			p->src_name = mm_slice_strdup(src);
		}
	}
	memset(s, 0, sizeof(*s));
}

int mm__inv_dpkg_parse(struct mm__inv_ctx *c, struct mm_error *err)
{
	(void)err;
	struct stanza s;
	memset(&s, 0, sizeof(s));
	size_t off = 0;
	unsigned lineno = 0;
	struct mm_slice l;
	while (mm__next_line(c->data, c->n, &off, &l)) {
		lineno++;
		if (!mm__trim(l).n) {
			flush(c, &s);
			continue;
		}
		if (l.p[0] == ' ' || l.p[0] == '\t')
			continue; /* continuation of a multi-line field */
		struct mm_slice v;
		if ((v = field(l, "Package")).p) {
			if (s.pkg.p) /* a stanza without the blank line before it */
				flush(c, &s);
			s.pkg = v;
			s.line = lineno;
		} else if ((v = field(l, "Version")).p) {
			s.ver = v;
		} else if ((v = field(l, "Status")).p) {
			s.status = v;
		} else if ((v = field(l, "Source")).p) {
			s.source = v;
		} else if (!memchr(l.p, ':', l.n)) {
			c->inv->errors++; /* not a field */
			continue;
		}
		s.any = true;
	}
	flush(c, &s);
	return MM_OK;
}
