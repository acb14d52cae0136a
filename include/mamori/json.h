/* mamori — a small DOM JSON parser (RFC 8259) for documents of megabytes:
 * advisories (OSV, NVD, CVE 5.x) and SBOMs (CycloneDX, SPDX) in `mamori vuln`.
 * Strict grammar, UTF-8 checked, depth and memory capped; a malformed document
 * is an error with an offset, never a crash. The tree lives in one arena. */
#ifndef MAMORI_JSON_H
#define MAMORI_JSON_H

#include "mamori/core.h"

enum mm_json_type {
	MM_JSON_NULL,
	MM_JSON_FALSE,
	MM_JSON_TRUE,
	MM_JSON_NUMBER,
	MM_JSON_STRING,
	MM_JSON_ARRAY,
	MM_JSON_OBJECT,
};

struct mm_json;
struct mm_json_member {
	const char *key; /* decoded, NUL-terminated (may contain NUL: see klen) */
	size_t klen;
	const struct mm_json *val;
};
struct mm_json {
	enum mm_json_type type;
	size_t n;        /* string: bytes; array/object: items */
	const char *s;   /* string: decoded UTF-8, NUL-terminated; number: its text */
	double num;      /* number */
	const struct mm_json *const *items;  /* array */
	const struct mm_json_member *members; /* object, in document order */
};

struct mm_json_limits {
	unsigned max_depth; /* nesting of arrays/objects; 0 = 64 */
	size_t max_mem;     /* arena cap for the tree, bytes; 0 = 64 MiB */
};

struct mm_json_doc;
/* Parse p[0..n) (borrowed; not kept). MM_OK with *out owned, or MM_EPARSE
 * (syntax, bad UTF-8, trailing bytes) / MM_ELIMIT (depth or memory cap) with
 * *err_off (may be NULL) set to the byte offset of the problem. */
int mm_json_parse(struct mm_json_doc **out, const char *p, size_t n,
                  const struct mm_json_limits *lim, size_t *err_off);
void mm_json_doc_free(struct mm_json_doc *d); /* accepts NULL */
/* The root value; borrowed, valid until mm_json_doc_free(). */
const struct mm_json *mm_json_root(const struct mm_json_doc *d);

/* Lookups: all accept NULL and return NULL/0/false on a type mismatch. */
const struct mm_json *mm_json_get(const struct mm_json *obj, const char *key); /* first match */
const struct mm_json *mm_json_at(const struct mm_json *arr, size_t i);
size_t mm_json_len(const struct mm_json *v); /* items of an array or object, else 0 */
const char *mm_json_str(const struct mm_json *v); /* string value or NULL */
/* A string member of obj, or NULL. */
const char *mm_json_get_str(const struct mm_json *obj, const char *key);
bool mm_json_num(const struct mm_json *v, double *out);
bool mm_json_is_true(const struct mm_json *v);
/* Walk a dotted path of object keys: "containers.cna.affected". */
const struct mm_json *mm_json_path(const struct mm_json *v, const char *dotted);

#endif
