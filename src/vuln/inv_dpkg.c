/* mamori — inventory: the dpkg status file (/var/lib/dpkg/status, deb-control
 * stanzas as in Debian Policy §5.1). Only packages whose Status says
 * "installed" count; Source: ("name" or "name (version)") is kept because
 * Debian's advisories (DSA/DLA, OSV "Debian") name source packages. */
#include "vuln_int.h"

#include <stdlib.h>

bool mm__inv_dpkg_probe(const char *data, size_t n)
{
	size_t off = 0;
	struct mm_slice l;
	while (mm__next_line(data, n, &off, &l)) {
		if (!l.n)
			continue;
		return l.n > 9 && !memcmp(l.p, "Package: ", 9);
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
	/* Status: want flag, error flag, state: "install ok installed" */
	bool installed = s->status.p ? (s->status.n >= 9 &&
	                                 !memcmp(s->status.p + s->status.n - 9, "installed", 9) &&
	                                 (s->status.n == 9 || s->status.p[s->status.n - 10] == ' '))
	                             : true;
	if (!s->pkg.n || !s->ver.n) {
		c->inv->errors++;
	} else if (installed) {
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
