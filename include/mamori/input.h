/* mamori — inputs and the line framer: plain files, .gz files (by magic, not
 * name), stdin ("-"), and directory walks with a glob filter.
 * Pipeline position: source → framer → decoder. Lines come out as borrowed
 * slices with their byte offset and line number (the evidence reference);
 * lines longer than the cap are cut and flagged, CR before LF is stripped,
 * bytes are passed through untouched (invalid UTF-8 survives). */
#ifndef MAMORI_INPUT_H
#define MAMORI_INPUT_H

#include "mamori/core.h"

struct mm_input_opts {
	size_t max_line; /* longest line kept whole; longer lines are cut (0 = 64 KiB) */
	size_t chunk;    /* read size (0 = 1 MiB) */
};

struct mm_line {
	const char *p; /* borrowed: valid until the next mm_input_next() */
	size_t n;
	uint64_t offset;  /* byte offset of the line start in the (uncompressed) stream */
	uint64_t line_no; /* 1-based */
	bool truncated;   /* the line was longer than max_line */
};

struct mm_input_stats {
	uint64_t bytes;           /* uncompressed bytes framed */
	uint64_t bytes_raw;       /* bytes read from the file (compressed size for .gz) */
	uint64_t lines;
	uint64_t truncated_lines;
	uint64_t read_errors;     /* I/O or gzip stream errors (the input stops there) */
};

struct mm_input;
/* Open path ("-" = stdin). Returns MM_OK, MM_ENOENT or MM_EIO with err filled. */
int mm_input_open(struct mm_input **out, const char *path, const struct mm_input_opts *opts,
                  struct mm_error *err);
void mm_input_close(struct mm_input *in); /* accepts NULL */
/* 1: *line filled; 0: end of input; <0: error (err filled; counted). */
int mm_input_next(struct mm_input *in, struct mm_line *line, struct mm_error *err);
/* Up to max of the first lines, without consuming them (for format detection).
 * Call before the first mm_input_next(). Slices are valid until then. */
size_t mm_input_peek(struct mm_input *in, struct mm_slice *lines, size_t max);
const char *mm_input_path(const struct mm_input *in); /* as given */
bool mm_input_is_gzip(const struct mm_input *in);
int64_t mm_input_mtime(const struct mm_input *in);    /* ns; 0 for stdin */
uint64_t mm_input_size(const struct mm_input *in);    /* file size on disk, 0 if unknown */
void mm_input_stats(const struct mm_input *in, struct mm_input_stats *out);

/* Walk paths: files are yielded as given; directories recursively in sorted
 * order, keeping files whose base name matches glob (fnmatch; NULL = all).
 * cb returning non-zero stops the walk and is returned. */
typedef int (*mm_walk_fn)(void *ud, const char *path);
int mm_walk(const char *const *paths, size_t n, const char *glob, mm_walk_fn cb, void *ud,
            struct mm_error *err);

#endif
