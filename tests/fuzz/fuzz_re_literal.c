/* mamori — differential fuzz target for the regex literal extractor
 * (src/detect/re_literal.c): input = flags byte, pattern, NUL, subject. The
 * extractor must read any pattern safely; when PCRE2 compiles the pattern
 * (as sigma_compile.c does) and matches the subject, one of the extracted
 * literals must occur in the subject, ASCII-caselessly. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "../../src/detect/re_literal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool occurs(const uint8_t *s, size_t n, const struct mm_slice *l)
{
	for (size_t i = 0; i + l->n <= n; i++) {
		size_t j = 0;
		for (; j < l->n; j++) {
			uint8_t c = s[i + j];
			if (c >= 'A' && c <= 'Z')
				c |= 0x20;
			if (c != (uint8_t)l->p[j])
				break;
		}
		if (j == l->n)
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	bool caseless = data[0] & 1;
	const uint8_t *pat = data + 1, *end = data + size;
	const uint8_t *nul = memchr(pat, 0, (size_t)(end - pat));
	size_t pn = nul ? (size_t)(nul - pat) : (size_t)(end - pat);
	const uint8_t *subj = nul ? nul + 1 : end;
	size_t sn = (size_t)(end - subj);

	struct mm_arena *a = mm_arena_new(4096, 0);
	struct mm_slice *lits = NULL;
	size_t nl = mm__re_literals(a, (const char *)pat, pn, caseless, &lits);
	for (size_t i = 0; i < nl; i++)
		if (lits[i].n == 0 || lits[i].p[lits[i].n] != '\0')
			abort();

	int ec;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, pn,
	                               PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C |
	                                       (caseless ? PCRE2_CASELESS : 0),
	                               &ec, &off, NULL);
	if (re && nl) {
		pcre2_match_data *md = pcre2_match_data_create(1, NULL);
		pcre2_match_context *mc = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(mc, 100000);
		if (pcre2_match(re, subj, sn, 0, 0, md, mc) >= 0) {
			bool any = false;
			for (size_t i = 0; i < nl && !any; i++)
				any = occurs(subj, sn, &lits[i]);
			if (!any)
				abort(); /* a match without any of the necessary literals */
		}
		pcre2_match_context_free(mc);
		pcre2_match_data_free(md);
	}
	pcre2_code_free(re);
	mm_arena_free(a);
	return 0;
}
