/* mamori — inventories: the package list `mamori vuln` checks. Holds the
 * registry (inventories.def), format detection, file loading and the helpers
 * every format parser shares. Each package keeps its evidence (file, line,
 * the inventory line) so a finding can show where it came from. */
#include "vuln_int.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

static const struct {
	const char *name, *desc;
	bool (*probe)(const char *, size_t);
	int (*parse)(struct mm__inv_ctx *, struct mm_error *);
} g_inv[] = {
#define MM_INVENTORY(id, name, desc) {name, desc, mm__inv_##id##_probe, mm__inv_##id##_parse},
#include "inventories.def"
#undef MM_INVENTORY
};

size_t mm_inventory_format_count(void) { return MM_ARRAY_LEN(g_inv); }
const char *mm_inventory_format_name(size_t i) { return i < MM_ARRAY_LEN(g_inv) ? g_inv[i].name : NULL; }
const char *mm_inventory_format_description(size_t i)
{
	return i < MM_ARRAY_LEN(g_inv) ? g_inv[i].desc : NULL;
}

void mm_inventory_init(struct mm_inventory *inv)
{
	memset(inv, 0, sizeof(*inv));
	inv->max = 1000000;
}

void mm_inventory_free(struct mm_inventory *inv)
{
	for (size_t i = 0; i < inv->n; i++) {
		struct mm_pkg *p = &inv->pkgs[i];
		free(p->host);
		free(p->name);
		free(p->version);
		free(p->ecosystem);
		free(p->purl);
		free(p->cpe);
		free(p->src_name);
		free(p->src_version);
		free(p->file);
		free(p->evidence);
	}
	free(inv->pkgs);
	inv->pkgs = NULL;
	inv->n = inv->cap = 0;
}

/* Evidence is one line (or a short summary); cap it so a hostile SBOM
 * cannot make findings huge. */
#define MM_EVIDENCE_MAX 512

struct mm_pkg *mm__inv_add(struct mm__inv_ctx *c, struct mm_slice host, struct mm_slice name,
                           struct mm_slice version, const char *ecosystem,
                           enum mm_vscheme scheme, unsigned line, struct mm_slice evidence)
{
	struct mm_inventory *inv = c->inv;
	if (inv->max && inv->n >= inv->max) {
		inv->cap_hits++;
		return NULL;
	}
	if (inv->n == inv->cap) {
		inv->cap = inv->cap ? inv->cap * 2 : 64;
		inv->pkgs = mm_realloc(inv->pkgs, inv->cap * sizeof(*inv->pkgs));
	}
	struct mm_pkg *p = &inv->pkgs[inv->n++];
	memset(p, 0, sizeof(*p));
	p->host = mm_slice_strdup(host.p ? host : MM_SLICE_LIT("-"));
	p->name = mm_slice_strdup(name);
	p->version = mm_slice_strdup(version);
	p->ecosystem = mm_strdup(ecosystem);
	p->scheme = scheme;
	p->file = mm_strdup(c->path ? c->path : "-");
	p->line = line;
	if (evidence.n > MM_EVIDENCE_MAX)
		evidence.n = MM_EVIDENCE_MAX;
	p->evidence = mm_slice_strdup(evidence.p ? evidence : MM_SLICE_LIT(""));
	return p;
}

struct mm_slice mm__inv_default_host(const struct mm__inv_ctx *c)
{
	if (c->host)
		return mm_slice_cstr(c->host);
	const char *p = c->path ? c->path : "-";
	const char *slash = strrchr(p, '/');
	return mm_slice_cstr(slash && slash[1] ? slash + 1 : p);
}

bool mm__next_line(const char *data, size_t n, size_t *off, struct mm_slice *line)
{
	if (*off >= n)
		return false;
	const char *s = data + *off;
	const char *nl = memchr(s, '\n', n - *off);
	size_t len = nl ? (size_t)(nl - s) : n - *off;
	*off += len + (nl ? 1 : 0);
	if (len && s[len - 1] == '\r')
		len--;
	*line = mm_slice(s, len);
	return true;
}

struct mm_slice mm__trim(struct mm_slice s)
{
	while (s.n && (*s.p == ' ' || *s.p == '\t'))
		s.p++, s.n--;
	while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t'))
		s.n--;
	return s;
}

void mm__inv_add_ref(struct mm__inv_ctx *c, struct mm_slice host, const char *name,
                     const char *version, const char *purl, const char *cpe,
                     struct mm_slice evidence)
{
	char *eco = NULL, *pname = NULL, *pver = NULL;
	enum mm_vscheme scheme = MM_VS_GENERIC;
	struct mm_pkg *p = NULL;
	if (purl && !mm__purl_parse(purl, &eco, &pname, &pver, &scheme)) {
		const char *v = pver && *pver ? pver : version;
		if (!v || !*v) {
			c->inv->errors++;
			goto out;
		}
		p = mm__inv_add(c, host, mm_slice_cstr(pname), mm_slice_cstr(v), eco, scheme, 0,
		                evidence);
	} else if ((cpe || name) && version && *version) {
		enum mm_vscheme s = MM_VS_GENERIC;
		if (name)
			mm__product_lookup(name, strlen(name), &s);
		p = mm__inv_add(c, host, mm_slice_cstr(name ? name : "-"), mm_slice_cstr(version),
		                "product", s, 0, evidence);
	} else {
		c->inv->errors++;
	}
	if (p && purl)
		p->purl = mm_strdup(purl);
	if (p && cpe)
		p->cpe = mm_strdup(cpe);
out:
	free(eco);
	free(pname);
	free(pver);
}

int mm_inventory_parse(struct mm_inventory *inv, const char *data, size_t n,
                       const char *path, const char *format, const char *host,
                       struct mm_error *err)
{
	struct mm__inv_ctx c = {inv, path, host, data, n};
	size_t k = MM_ARRAY_LEN(g_inv);
	if (format && strcmp(format, "auto") != 0) {
		for (k = 0; k < MM_ARRAY_LEN(g_inv); k++)
			if (!strcmp(g_inv[k].name, format))
				break;
		if (k == MM_ARRAY_LEN(g_inv))
			return mm_error_set(err, MM_ENOENT, path ? path : "", 0, 0,
			                    "unknown inventory format '%s' (see 'mamori vuln --help')",
			                    format);
	} else {
		for (k = 0; k < MM_ARRAY_LEN(g_inv); k++)
			if (g_inv[k].probe(data, n))
				break;
		if (k == MM_ARRAY_LEN(g_inv)) {
			inv->errors++;
			return mm_error_set(err, MM_EPARSE, path ? path : "", 0, 0,
			                    "not a known inventory format: use --inventory-format "
			                    "(dpkg, dpkg-query, rpm, cyclonedx, spdx, java, csv)");
		}
	}
	int rc = g_inv[k].parse(&c, err);
	if (rc == MM_EPARSE)
		inv->errors++;
	return rc;
}

const char *mm_inventory_detect(const char *data, size_t n)
{
	for (size_t k = 0; k < MM_ARRAY_LEN(g_inv); k++)
		if (g_inv[k].probe(data, n))
			return g_inv[k].name;
	return NULL;
}

/* Inventories are read whole; this caps what one file may cost. */
#define MM_INVENTORY_MAX_BYTES ((size_t)256 << 20)

int mm_inventory_load(struct mm_inventory *inv, const char *path, const char *format,
                      const char *host, struct mm_error *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return mm_error_set(err, MM_EIO, path, 0, 0, "cannot open inventory: %s",
		                    strerror(errno));
	struct mm_buf b;
	mm_buf_init(&b, MM_INVENTORY_MAX_BYTES);
	char chunk[65536];
	size_t r;
	int rc = MM_OK;
	while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (mm_buf_append(&b, chunk, r)) {
			rc = mm_error_set(err, MM_ELIMIT, path, 0, 0,
			                  "inventory larger than %zu MiB", MM_INVENTORY_MAX_BYTES >> 20);
			break;
		}
	if (!rc && ferror(f))
		rc = mm_error_set(err, MM_EIO, path, 0, 0, "cannot read inventory: %s",
		                  strerror(errno));
	if (f != stdin)
		fclose(f);
	if (!rc)
		rc = mm_inventory_parse(inv, b.p ? b.p : "", b.n, path, format, host, err);
	mm_buf_free(&b);
	return rc;
}
