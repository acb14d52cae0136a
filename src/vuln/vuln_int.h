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

#endif
