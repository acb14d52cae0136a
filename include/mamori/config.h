/* mamori — the configuration file (mamori.yaml), read with libyaml's document
 * API and queried by dotted paths ("scan.db", "scan.rules"). Values are looked
 * up, not mapped into a giant struct: each subsystem reads its own section. */
#ifndef MAMORI_CONFIG_H
#define MAMORI_CONFIG_H

#include "mamori/core.h"

struct mm_config;
/* Load path. MM_OK, or MM_ENOENT/MM_EPARSE with err (path, line, col) filled. */
int mm_config_load(struct mm_config **out, const char *path, struct mm_error *err);
int mm_config_load_buffer(struct mm_config **out, const char *name, const char *data, size_t len,
                          struct mm_error *err);
void mm_config_free(struct mm_config *c); /* accepts NULL */
/* Scalar at a dotted path, or NULL (also when the node is not a scalar).
 * Borrowed: valid until mm_config_free(). */
const char *mm_config_str(const struct mm_config *c, const char *path);
/* Integer at path: MM_OK, MM_ENOENT (absent) or MM_EINVAL (not an integer, err filled). */
int mm_config_int(const struct mm_config *c, const char *path, int64_t *out,
                  struct mm_error *err);
/* Scalars of a sequence at path (a single scalar counts as a one-item list).
 * Returns the count; items[] receives up to max borrowed strings. */
size_t mm_config_list(const struct mm_config *c, const char *path, const char **items,
                      size_t max);
/* Items of the sequence (or pairs of the mapping) at path; 0 when absent.
 * A numeric path component indexes a sequence: "tests.0.path". */
size_t mm_config_count(const struct mm_config *c, const char *path);
/* Scalar keys of the mapping at path, in document order; returns the count
 * (keys[] receives up to max borrowed strings); 0 when absent or not a map. */
size_t mm_config_keys(const struct mm_config *c, const char *path, const char **keys, size_t max);
/* Keys of the mapping at path not in allowed[] (NULL-terminated) are reported
 * as an error naming the first unknown key and its line: typos never pass. */
int mm_config_check_keys(const struct mm_config *c, const char *path,
                         const char *const *allowed, struct mm_error *err);

#endif
