/* mamori — multi-pattern matcher: a thin Hyperscan wrapper shared by detect
 * (the Sigma literal prefilter), dlp and mail. Patterns are added as literals
 * (escaped for Hyperscan) or regexes, compiled once into a block-mode
 * database; each scanning thread owns its scratch. */
#ifndef MAMORI_MPM_H
#define MAMORI_MPM_H

#include "mamori/core.h"

#define MM_MPM_CASELESS 0x1u
#define MM_MPM_REGEX 0x2u      /* pattern is a Hyperscan regex, not a literal */
#define MM_MPM_SOM 0x4u        /* report start of match (regex only) */
#define MM_MPM_SINGLEMATCH 0x8u /* report each id at most once per scan */

struct mm_mpm;
struct mm_mpm *mm_mpm_new(void); /* returns owned */
void mm_mpm_free(struct mm_mpm *m); /* accepts NULL */
/* Add a pattern (copied) with a caller-chosen id. */
void mm_mpm_add(struct mm_mpm *m, const char *pat, size_t n, unsigned id, unsigned flags);
size_t mm_mpm_count(const struct mm_mpm *m);
/* Compile; MM_OK, or MM_EPARSE with err naming the pattern. An empty matcher
 * compiles and never matches. */
int mm_mpm_compile(struct mm_mpm *m, struct mm_error *err);

struct mm_mpm_scratch;
struct mm_mpm_scratch *mm_mpm_scratch_new(const struct mm_mpm *m); /* returns owned */
void mm_mpm_scratch_free(struct mm_mpm_scratch *s);
/* Called for each match: return non-zero to stop scanning. from is 0 unless
 * MM_MPM_SOM was set. */
typedef int (*mm_mpm_fn)(void *ud, unsigned id, unsigned long long from,
                         unsigned long long to);
/* MM_OK (also when cb stopped the scan) or MM_EIO on a Hyperscan error. */
int mm_mpm_scan(const struct mm_mpm *m, struct mm_mpm_scratch *s, const char *data, size_t n,
                mm_mpm_fn cb, void *ud);

#endif
