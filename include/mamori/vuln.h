/* mamori — `mamori vuln`: known-vulnerable software. Inventories (dpkg, rpm,
 * CycloneDX, SPDX, `java -version`, CSV) × advisories (OSV, NVD CVE API 2.0,
 * CVE JSON 5.x) indexed in the SQLite store → findings with evidence.
 * Version ordering per ecosystem (Debian, RPM, SemVer, Maven, Java, vendor R
 * revisions, PEP 440, Alpine apk, generic). Design and semantics: docs/internals/VULN.md. */
#ifndef MAMORI_VULN_H
#define MAMORI_VULN_H

#include "mamori/core.h"
#include "mamori/store.h"

/* ---- version schemes (registry: src/vuln/schemes.def) ------------------ */
enum mm_vscheme {
	MM_VS_DEB,     /* Debian policy §5.6.12, dpkg's verrevcmp */
	MM_VS_RPM,     /* rpmvercmp with ~ and ^ */
	MM_VS_SEMVER,  /* Semantic Versioning 2.0.0 §11 */
	MM_VS_MAVEN,   /* Maven ComparableVersion */
	MM_VS_JAVA,    /* Java: 1.8.0_361, 11.0.17+8, 17.0.5 (JEP 223) */
	MM_VS_VENDOR,  /* dotted numeric + R revision: 5.60R02 < 5.70R01 */
	MM_VS_GENERIC, /* dotted numeric with alphanumeric parts */
	MM_VS_PEP440,  /* PyPI: PEP 440, legacy versions before valid ones */
	MM_VS_APK,     /* Alpine: apk-tools' version order */
	MM_VS_COUNT
};
const char *mm_vscheme_name(enum mm_vscheme s);
/* Name ("deb", "rpm", "semver", "maven", "java", "vendor", "generic",
 * "pep440", "apk") to
 * scheme; MM_OK or MM_ENOENT. */
int mm_vscheme_from_name(const char *name, enum mm_vscheme *out);
/* <0, 0, >0 as a orders before, equal to, after b. Total on any bytes: text a
 * scheme cannot parse is ordered by the scheme's fallback rules, never fails. */
int mm_vers_cmp(enum mm_vscheme s, struct mm_slice a, struct mm_slice b);

/* ---- inventories (registry: src/vuln/inventories.def) ------------------ */
struct mm_pkg {
	char *host;      /* owned */
	char *name;      /* package or product name, owned */
	char *version;   /* owned */
	char *ecosystem; /* OSV ecosystem ("Debian", "Maven", "npm", …), "rpm",
	                    or "product" (appliance / CSV / java -version); owned */
	char *purl, *cpe; /* owned or NULL */
	char *src_name;  /* Debian source package (OSV Debian uses it) or NULL */
	char *src_version;
	enum mm_vscheme scheme;
	char *file;      /* inventory path, owned */
	unsigned line;   /* 1-based line of the evidence (0: not line-based) */
	char *evidence;  /* inventory line or entry, owned */
};
struct mm_inventory {
	struct mm_pkg *pkgs; /* owned */
	size_t n, cap;
	size_t max;          /* cap on packages (0 = 1,000,000); hits counted */
	uint64_t errors;     /* malformed entries skipped */
	uint64_t cap_hits;
};
void mm_inventory_init(struct mm_inventory *inv);
void mm_inventory_free(struct mm_inventory *inv); /* accepts a zeroed one */
/* Names of the inventory formats: "dpkg", "dpkg-query", "rpm", "cyclonedx",
 * "spdx", "java", "csv". */
size_t mm_inventory_format_count(void);
const char *mm_inventory_format_name(size_t i);
const char *mm_inventory_format_description(size_t i);
/* Parse data (borrowed) as format (NULL or "auto": detected), appending to
 * inv. host: the host name to record, or NULL (then from the file: CSV
 * column, SBOM metadata, else the file's base name). Malformed entries are
 * counted in inv->errors. MM_OK, or MM_EPARSE/MM_ENOENT with err filled when
 * the whole input is unusable (unknown format, not JSON…; an unusable input
 * counts one error). */
int mm_inventory_parse(struct mm_inventory *inv, const char *data, size_t n,
                       const char *path, const char *format, const char *host,
                       struct mm_error *err);
/* The format auto-detection picks for data ("dpkg", …), or NULL. */
const char *mm_inventory_detect(const char *data, size_t n);
/* Read path and parse it as above. */
int mm_inventory_load(struct mm_inventory *inv, const char *path, const char *format,
                      const char *host, struct mm_error *err);

/* ---- advisories -------------------------------------------------------- */
struct mm_vuln_stats {
	uint64_t files, files_skipped_unchanged, files_bad; /* bad: unreadable or malformed */
	uint64_t advisories, affected, entries_bad;         /* entries_bad: malformed parts */
};
/* Parse one advisory document (OSV, NVD CVE API 2.0 / single NVD CVE, CVE 5.x;
 * detected by shape) from data (borrowed) and call cb per advisory. Used by
 * the indexer and the fuzzers. Returns MM_OK or MM_EPARSE (not JSON, or not
 * an advisory); malformed parts inside are counted in st->entries_bad. */
struct mm_vuln_adv;
typedef int (*mm_vuln_adv_cb)(void *ctx, const struct mm_vuln_adv *adv);
int mm_vuln_parse_advisories(const char *data, size_t n, mm_vuln_adv_cb cb, void *ctx,
                             struct mm_vuln_stats *st);
/* Index files or directories (recursively, *.json) into the store. Files
 * whose size and mtime are unchanged since the last indexing are skipped.
 * source_ids (may be NULL) receives the ids of the sources covered, up to
 * max_sources (their count in *nsources). MM_OK or an error (store, I/O of a
 * named path) with err filled; malformed files are counted, not errors. */
int mm_vuln_index(struct mm_store *s, const char *const *paths, size_t npaths,
                  int64_t *source_ids, size_t max_sources, size_t *nsources,
                  struct mm_vuln_stats *st, struct mm_error *err);

/* ---- matching ---------------------------------------------------------- */
enum mm_vuln_level { MM_VL_NONE, MM_VL_LOW, MM_VL_MEDIUM, MM_VL_HIGH, MM_VL_CRITICAL,
                     MM_VL_UNKNOWN };
const char *mm_vuln_level_name(enum mm_vuln_level l);
/* "low", "medium", "high", "critical", "none"; MM_OK or MM_EINVAL. */
int mm_vuln_level_from_name(const char *s, enum mm_vuln_level *out);
/* CVSS v3.0/v3.1 base score from a vector ("CVSS:3.1/AV:N/…"), FIRST CVSS
 * v3.1 specification §7.1 with its Roundup. MM_OK or MM_EPARSE. */
int mm_cvss3_base_score(const char *vector, double *score);
enum mm_vuln_level mm_cvss_level(double score);

struct mm_vuln_finding {
	const struct mm_pkg *pkg;  /* borrowed from the inventory */
	const char *vuln_id;       /* the CVE id when known, else the advisory id */
	const char *advisories;    /* "id (format)" of agreeing records, comma-separated */
	const char *aliases;       /* space-separated */
	const char *summary;
	enum mm_vuln_level level;  /* highest of the agreeing records */
	double score;              /* -1 when unknown */
	const char *fixed;         /* fixed versions named by the records, or "" */
	const char *conflicts;     /* records that say "not affected", or "" */
	const char *why;           /* the range or version that matched */
	/* NVD AND configurations: the records that say affected all require a
	 * platform (another CPE) that the host's inventory does not show; the
	 * requirement as text ("(cpe… or cpe…) and (…)"), or "" */
	bool conditional;
	const char *platform;
};
typedef int (*mm_vuln_finding_cb)(void *ctx, const struct mm_vuln_finding *f);
struct mm_vuln_match_stats {
	uint64_t packages, lookups, candidates, findings, conflicts;
	uint64_t conditional;    /* findings whose platform is not in the inventory */
	uint64_t platform_unmet; /* records dropped by MM_VULN_STRICT_PLATFORM */
};
/* mm_vuln_match flags: require the platform of NVD AND configurations in
 * the host's inventory (default: report such findings as conditional). */
#define MM_VULN_STRICT_PLATFORM 1u
/* Match every package of inv against the advisories of the given sources
 * (all indexed ones when nsources == 0) and call cb per finding, in inventory
 * order then vulnerability id. Deterministic. */
int mm_vuln_match(struct mm_store *s, const struct mm_inventory *inv,
                  const int64_t *source_ids, size_t nsources, unsigned flags,
                  mm_vuln_finding_cb cb, void *ctx, struct mm_vuln_match_stats *st,
                  struct mm_error *err);
/* The finding as one JSON object (no newline) appended to b. */
void mm_vuln_finding_json(const struct mm_vuln_finding *f, struct mm_buf *b);

#endif
