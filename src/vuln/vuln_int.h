/* mamori — vuln subsystem internals shared by its files (not a contract):
 * version scheme entry points, the parsed advisory shape the format parsers
 * produce and the indexer stores, package identity keys. */
#ifndef MAMORI_VULN_VULN_INT_H
#define MAMORI_VULN_VULN_INT_H

#include "mamori/json.h"
#include "mamori/vuln.h"

#include <string.h>

/* schemes.def */
#define MM_VSCHEME(id, name, fn) int fn(struct mm_slice a, struct mm_slice b);
#include "schemes.def"
#undef MM_VSCHEME
/* Digit strings compared as numbers (leading zeros ignored, no overflow). */
int mm__numcmp(const char *a, size_t an, const char *b, size_t bn);

/* ---- inventories ---- */
struct mm__inv_ctx {
	struct mm_inventory *inv;
	const char *path; /* file name for evidence */
	const char *host; /* --host, or NULL */
	const char *data;
	size_t n;
};
#define MM_INVENTORY(id, name, desc)                                                      \
	bool mm__inv_##id##_probe(const char *data, size_t n);                            \
	int mm__inv_##id##_parse(struct mm__inv_ctx *c, struct mm_error *err);
#include "inventories.def"
#undef MM_INVENTORY
/* Append a package; strings are copied (slices need not be NUL-terminated).
 * Returns the package, or NULL when inv->max is reached (counted). */
struct mm_pkg *mm__inv_add(struct mm__inv_ctx *c, struct mm_slice host, struct mm_slice name,
                           struct mm_slice version, const char *ecosystem,
                           enum mm_vscheme scheme, unsigned line, struct mm_slice evidence);
/* The host for entries without their own: --host, else the file's base name. */
struct mm_slice mm__inv_default_host(const struct mm__inv_ctx *c);
/* Next line of data from *off (without the newline, CR trimmed); false at end. */
bool mm__next_line(const char *data, size_t n, size_t *off, struct mm_slice *line);
struct mm_slice mm__trim(struct mm_slice s);
/* From a package URL (purl spec): ecosystem, name, version and scheme. The
 * returned strings are owned by the caller. MM_OK or MM_EPARSE. */
int mm__purl_parse(const char *purl, char **ecosystem, char **name, char **version,
                   enum mm_vscheme *scheme);
/* Adds SBOM entries (CycloneDX, SPDX) from a package URL or CPE. */
void mm__inv_add_ref(struct mm__inv_ctx *c, struct mm_slice host, const char *name,
                     const char *version, const char *purl, const char *cpe,
                     struct mm_slice evidence);

/* ---- product dictionary and package identity keys (products.c) ---- */
/* Scheme of an OSV ecosystem ("Debian:12" → deb). */
enum mm_vscheme mm__eco_scheme(const char *ecosystem, size_t n);
/* Look a product name, "cpe:vendor:product" or "osv:eco/name" up in the
 * product dictionary (products.def): canonical name and scheme, or NULL. */
const char *mm__product_lookup(const char *text, size_t n, enum mm_vscheme *scheme);
/* Index keys of a package identity, written into keys[i] (each < 256
 * bytes): returns the count (≤ max). */
#define MM_KEY_MAX 256
size_t mm__pkg_keys(const struct mm_pkg *p, char (*keys)[MM_KEY_MAX], size_t max);
/* Keys for an advisory's package: OSV ecosystem + name, CPE vendor + product,
 * or a free-text product (CVE 5). scheme is set from the dictionary or the
 * ecosystem (unchanged when neither knows). */
size_t mm__osv_keys(const char *eco, const char *name, char (*keys)[MM_KEY_MAX], size_t max,
                    enum mm_vscheme *scheme);
size_t mm__cpe_keys(const char *vendor, const char *product, char (*keys)[MM_KEY_MAX],
                    size_t max, enum mm_vscheme *scheme);
size_t mm__text_keys(const char *product, size_t n, char (*keys)[MM_KEY_MAX], size_t max,
                     enum mm_vscheme *scheme);

/* ---- advisories (adv.c, adv_osv.c, adv_nvd.c, adv_cve5.c) ---- */
/* One affected package of an advisory, in the index's encoding: events one
 * per line "<t> <version>" with t = i (introduced, >=), x (introduced, >),
 * f (fixed, <), l (last_affected, <=); versions one per line (exact). */
struct mm__aff {
	char key[MM_KEY_MAX];
	enum mm_vscheme scheme;
	struct mm_buf events, versions;
	char note[256];
};
struct mm_vuln_adv {
	const char *format; /* "osv", "nvd", "cve5" */
	char *id, *summary, *modified, *vector, *severity;
	struct mm_buf aliases; /* space-separated */
	double score;          /* -1: unknown */
	struct mm__aff *aff;
	size_t naff, capaff;
	struct mm_vuln_stats *st;
};
void mm__adv_init(struct mm_vuln_adv *a, const char *format, struct mm_vuln_stats *st);
void mm__adv_free(struct mm_vuln_adv *a);
void mm__adv_alias(struct mm_vuln_adv *a, const char *alias);
/* Score from a CVSS v3 vector (kept when the vector does not parse). */
void mm__adv_vector(struct mm_vuln_adv *a, const char *vector, double given_score);
/* New affected entry per key (keys from mm__*_keys); NULL at the cap. */
struct mm__aff *mm__adv_aff(struct mm_vuln_adv *a, const char *key, enum mm_vscheme scheme);
void mm__aff_event(struct mm__aff *f, char type, const char *version);
void mm__aff_version(struct mm__aff *f, const char *version);
int mm__osv_parse(const struct mm_json *root, mm_vuln_adv_cb cb, void *ctx,
                  struct mm_vuln_stats *st);
int mm__nvd_parse(const struct mm_json *cve, mm_vuln_adv_cb cb, void *ctx,
                  struct mm_vuln_stats *st);
int mm__cve5_parse(const struct mm_json *root, mm_vuln_adv_cb cb, void *ctx,
                   struct mm_vuln_stats *st);

#endif
