/* mamori — fuzz target: the DLP scanner end to end on untrusted bytes —
 * encodings and iconv, width folding, the record splitters (CSV/TSV, JSON
 * Lines, JSON documents, SQL INSERT/COPY, text) and every validator. The first byte picks the
 * format and the feed size (records and characters cut across feeds; a small
 * record cap). Counts must be consistent and no masked sample may hold a run
 * of more than four digits. */
#include "mamori/dlp.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct mm_dlp *g_d[7];

static void check_sample(const char *s)
{
	size_t run = 0;
	for (; *s; s++) {
		run = (*s >= '0' && *s <= '9') ? run + 1 : 0;
		if (run > 4)
			abort(); /* a value leaked through the mask */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned sel = data[0];
	int fmt = (int)(sel % 7) - 1; /* -1 detect, then text/csv/tsv/jsonl/sql/json */
	if (!g_d[fmt + 1]) {
		struct mm_dlp_opts o;
		struct mm_error err;
		mm_dlp_opts_default(&o);
		o.force_format = fmt;
		o.max_record = 256;
		o.calib_records = 4;
		if (mm_dlp_new(&g_d[fmt + 1], &o, &err))
			abort();
	}
	static const char *const names[] = {"f.csv", "f.txt", "f.sql", "f.jsonl"};
	struct mm_dlp_file *f = mm_dlp_file_new(g_d[fmt + 1], names[(sel >> 3) & 3]);
	size_t piece = 1 + ((sel >> 5) * 37);
	for (size_t off = 1; off < size; off += piece)
		if (mm_dlp_file_feed(f, data + off, MM_MIN(piece, size - off)))
			break;
	struct mm_dlp_result r;
	mm_dlp_file_finish(f, &r);
	mm_dlp_file_free(f);
	uint64_t sum = 0;
	for (size_t t = 0; t < MM_DLP__TYPES; t++) {
		sum += r.t[t].matches;
		if (r.t[t].records > r.t[t].matches || r.t[t].records > r.records_pii)
			abort();
		check_sample(r.t[t].sample);
	}
	if (sum != r.matches || r.records_pii > r.records)
		abort();
	/* the text layer alone */
	struct mm_buf b;
	mm_buf_init(&b, 0);
	mm_dlp_normalize((const char *)data, size, &b);
	if (b.n > size)
		abort(); /* folding never lengthens */
	mm_buf_free(&b);
	mm_dlp_result_clear(&r);
	return 0;
}
