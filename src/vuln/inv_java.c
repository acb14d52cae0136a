/* mamori — inventory: `java -version` output (it goes to stderr: run
 * `java -version 2>&1 > /dev/null | tee java.txt`). The first line gives the
 * version ('java version "1.8.0_361"', 'openjdk version "17.0.5" 2022-10-18');
 * the runtime line's "(build 17.0.5+8)" refines it and names the vendor
 * (Oracle "Java(TM) SE", OpenJDK, Temurin, Zulu, Corretto…). One file may hold
 * several outputs (one per JDK installed): each "version" line starts one. */
#include "vuln_int.h"

#include <stdlib.h>

static struct mm_slice quoted_version(struct mm_slice l)
{
	for (size_t i = 0; i + 9 < l.n; i++)
		if (!memcmp(l.p + i, "version \"", 9)) {
			const char *s = l.p + i + 9;
			const char *q = memchr(s, '"', l.n - i - 9);
			if (q && q > s)
				return mm_slice(s, (size_t)(q - s));
		}
	return MM_SLICE_NULL;
}

bool mm__inv_java_probe(const char *data, size_t n)
{
	size_t off = 0;
	struct mm_slice l;
	while (mm__next_line(data, n, &off, &l)) {
		if (!mm__trim(l).n || (l.n > 7 && !memcmp(l.p, "Picked ", 7)))
			continue; /* "Picked up JAVA_TOOL_OPTIONS: …" */
		return quoted_version(l).p &&
		       (mm_slice_eq(mm_slice(l.p, MM_MIN(l.n, 4)), MM_SLICE_LIT("java")) ||
		        mm_slice_eq(mm_slice(l.p, MM_MIN(l.n, 7)), MM_SLICE_LIT("openjdk")));
	}
	return false;
}

static bool contains(struct mm_slice l, const char *w)
{
	size_t k = strlen(w);
	for (size_t i = 0; i + k <= l.n; i++)
		if (!memcmp(l.p + i, w, k))
			return true;
	return false;
}

int mm__inv_java_parse(struct mm__inv_ctx *c, struct mm_error *err)
{
	(void)err;
	size_t off = 0;
	unsigned lineno = 0, vline = 0;
	struct mm_slice l, ver = MM_SLICE_NULL, first = MM_SLICE_NULL;
	struct mm_pkg *cur = NULL;
	while (mm__next_line(c->data, c->n, &off, &l)) {
		lineno++;
		struct mm_slice v = quoted_version(l);
		if (v.p) {
			ver = v;
			first = l;
			vline = lineno;
			cur = mm__inv_add(c, mm__inv_default_host(c), MM_SLICE_LIT("java"), ver,
			                  "product", MM_VS_JAVA, vline, first);
			if (cur)
				cur->cpe = mm_strdup(contains(l, "openjdk") ? "cpe:2.3:a:oracle:openjdk"
				                                          : "cpe:2.3:a:oracle:jdk");
			continue;
		}
		if (!cur || !contains(l, "(build "))
			continue;
		/* "Java(TM) SE Runtime Environment (build 1.8.0_361-b09)" */
		const char *b = l.p;
		size_t i = 0;
		for (; i + 7 <= l.n; i++)
			if (!memcmp(l.p + i, "(build ", 7))
				break;
		b = l.p + i + 7;
		const char *e = memchr(b, ')', l.n - i - 7);
		if (!e)
			continue;
		struct mm_slice build = mm_slice(b, (size_t)(e - b));
		/* keep the build only when it refines the same version */
		if (build.n > ver.n && !memcmp(build.p, ver.p, ver.n)) {
			free(cur->version);
			cur->version = mm_slice_strdup(build);
		}
		if (contains(l, "Java(TM)")) {
			free(cur->cpe);
			cur->cpe = mm_strdup("cpe:2.3:a:oracle:jdk");
		}
		char ev[600];
		snprintf(ev, sizeof(ev), "%.*s | %.*s", (int)MM_MIN(first.n, 250), first.p,
		         (int)MM_MIN(l.n, 250), l.p);
		free(cur->evidence);
		cur->evidence = mm_strdup(ev);
		cur = NULL;
	}
	if (!c->inv->n && !vline)
		c->inv->errors++;
	return MM_OK;
}
