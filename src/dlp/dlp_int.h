/* mamori — DLP internals shared by the src/dlp files: the iconv converter, the
 * context-word groups and the header/key classifier.
 * Not installed; other subsystems see only mamori/dlp.h. */
#ifndef MAMORI_DLP_INT_H
#define MAMORI_DLP_INT_H

#include "mamori/dlp.h"

#include <iconv.h>

struct mm__dlp_conv {
	enum mm_dlp_encoding enc;
	iconv_t cd;
	size_t unit; /* bytes skipped on an invalid sequence */
};
/* MM_OK (UTF-8 needs no converter) or MM_ENOTSUP (iconv lacks it). */
int mm__dlp_conv_open(struct mm__dlp_conv *c, enum mm_dlp_encoding e);
void mm__dlp_conv_close(struct mm__dlp_conv *c);
size_t mm__dlp_conv(struct mm__dlp_conv *c, const char *p, size_t n, bool final,
                    struct mm_buf *out, uint64_t *errors);

/* Context groups: what a label, header cell or JSON key says a value is. */
enum mm__dlp_ctx {
	MM_CTX_NONE,
	MM_CTX_NAME,
	MM_CTX_ADDRESS,
	MM_CTX_PHONE,
	MM_CTX_POSTAL,
	MM_CTX_EMAIL,
	MM_CTX_DOB,
	MM_CTX_MYNUMBER,
	MM_CTX_CORP,
	MM_CTX_CARD,
	MM_CTX_BANK,
	MM_CTX_PASSPORT,
	MM_CTX_LICENSE,
	MM_CTX_SSN,
	MM_CTX_NEG, /* order/tracking/product numbers, timestamps */
	MM_CTX__N
};
/* Classify a header cell / JSON key / SQL column name. */
enum mm__dlp_ctx mm__dlp_classify(const char *s, size_t n);

/* The inline context words put into the Hyperscan database: each entry is a
 * Hyperscan expression (ASCII words caseless) and its group. */
struct mm__dlp_label {
	const char *expr;
	enum mm__dlp_ctx ctx;
	bool caseless;
};
extern const struct mm__dlp_label mm__dlp_labels[];
extern const size_t mm__dlp_nlabels;

#endif
