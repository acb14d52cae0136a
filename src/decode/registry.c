/* mamori — decoder registry: the table built from decoders.def, lookup by
 * --format name, and format auto-detection (sum of probe scores over sample
 * lines). Pipeline position: the engine asks here which decoder to run for an
 * input before the first line is decoded. */
#include "mamori/decode.h"

#include <string.h>

#define MM_DECODER(name) extern const struct mm_decoder mm__decoder_##name;
#include "decoders.def"
#undef MM_DECODER

static const struct mm_decoder *const g_decoders[] = {
#define MM_DECODER(name) &mm__decoder_##name,
#include "decoders.def"
#undef MM_DECODER
};

static const char *const g_outcome_names[MM_DEC__COUNT] = {
#define X(id, name) name,
	MM_DEC_OUTCOMES(X)
#undef X
};

const char *mm_dec_outcome_name(enum mm_dec_outcome o)
{
	return (unsigned)o < MM_DEC__COUNT ? g_outcome_names[o] : "unknown";
}

const struct mm_decoder *mm_decoder_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < MM_ARRAY_LEN(g_decoders); i++)
		if (strcmp(g_decoders[i]->name, name) == 0)
			return g_decoders[i];
	return NULL;
}

size_t mm_decoder_count(void)
{
	return MM_ARRAY_LEN(g_decoders);
}

const struct mm_decoder *mm_decoder_at(size_t i)
{
	return i < MM_ARRAY_LEN(g_decoders) ? g_decoders[i] : NULL;
}

const struct mm_decoder *mm_decoder_detect(const struct mm_slice *lines, size_t n)
{
	const struct mm_decoder *best = NULL;
	uint64_t best_score = 0;
	for (size_t d = 0; d < MM_ARRAY_LEN(g_decoders); d++) {
		uint64_t sum = 0;
		for (size_t i = 0; i < n; i++) {
			if (!lines[i].p)
				continue;
			int s = g_decoders[d]->probe(lines[i].p, lines[i].n);
			if (s > 0)
				sum += (uint64_t)(s > 100 ? 100 : s);
		}
		/* strictly greater: ties go to the earlier registry entry */
		if (sum > best_score) {
			best_score = sum;
			best = g_decoders[d];
		}
	}
	return best;
}
