/* mamori — necessary literals of a PCRE2 regular expression (re_literal.c),
 * used by the Sigma literal prefilter (prefilter.c) so that `|re` rules are
 * evaluated only on events that contain one of their literals. Internal to
 * src/detect; the unit test includes it by relative path. */
#ifndef MAMORI_DETECT_RE_LITERAL_H
#define MAMORI_DETECT_RE_LITERAL_H

#include "mamori/core.h"

/* For a pattern compiled with PCRE2_UTF (and PCRE2_CASELESS when caseless is
 * true; PCRE2_MULTILINE / PCRE2_DOTALL do not change the answer), find a set L
 * of literals such that
 *
 *     the regex matches a subject  ⇒  some literal of L occurs in it,
 *                                     compared ASCII-caselessly.
 *
 * Literals are folded to ASCII lower case. Returns the number of literals and
 * sets *out to an array of slices, both allocated in `a` (NUL-terminated
 * copies); returns 0 when no such set is known ("none": the regex may match
 * without any literal, or the pattern uses syntax this analysis does not
 * model, or the arena cap was hit). Never reads outside pat[0..n). */
size_t mm__re_literals(struct mm_arena *a, const char *pat, size_t n, bool caseless,
                       struct mm_slice **out);

#endif
